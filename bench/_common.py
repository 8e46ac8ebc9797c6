"""Shared set-up for the benchmarks: a store filled with many real prefixes."""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from infra.store import Store  # noqa: E402
from ipam import space  # noqa: E402

POOL = "10.0.0.0/8"


def filled_store(path: str, children: int, size: int = 30, batch: int = space.MAX_COUNT) -> Store:
    """A SQLite store whose pool holds `children` allocated /size blocks, made by the
    real allocator (in batches of one transaction each), every 7th released again so the
    free space is fragmented the way a living network's is."""
    store = Store(path)
    space.add(store, POOL, status="container", pool=True)
    done = 0
    while done < children:
        n = min(batch, children - done)
        request = space.AllocRequest(size=f"/{size}", source=POOL, count=n, purpose="bench")
        space.alloc(store, request)
        done += n
    return store


def fragment(store: Store, every: int = 7, limit: int = 2_000) -> int:
    """Release some blocks (no quarantine) to leave holes; returns how many."""
    rows = store.read(
        lambda tx: tx.all("SELECT cidr FROM prefix WHERE parent_id IS NOT NULL ORDER BY id")
    )
    released = 0
    for i, row in enumerate(rows):
        if i % every == 3 and released < limit:
            space.release(store, row["cidr"], quarantine_days=0)
            released += 1
    return released


def clock() -> float:
    return time.perf_counter()
