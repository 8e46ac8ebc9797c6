"""One writer process for tests/test_ipam_concurrency.py.

Usage: python tests/ipam_alloc_worker.py URL PARENT SIZE N GO_FILE [HOSTS]
Opens its own Store, waits until GO_FILE exists (so all writers start together),
then allocates N blocks of SIZE from PARENT, each call its own transaction, and
prints the CIDRs it got as one JSON list. With HOSTS (a prefix), each transaction
also takes the next free address of HOSTS and the first address of the new
block, as a caller composing IPAM into its own transaction would; it prints the
blocks and the addresses.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from infra.store import Store, Tx  # noqa: E402
from ipam import addresses, space  # noqa: E402


def main() -> None:
    url, parent, size, n, go = sys.argv[1:6]
    hosts = sys.argv[6] if len(sys.argv) > 6 else None
    store = Store(url)
    deadline = time.monotonic() + 60
    while not Path(go).exists():
        if time.monotonic() > deadline:
            raise SystemExit("no start signal")
        time.sleep(0.002)
    request = space.AllocRequest(source=parent, size=size)
    got: list[str] = []
    taken: list[str] = []

    def compose(tx: Tx) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        blocks = space.alloc_in(tx, request)
        assert hosts is not None
        picked = addresses.next_free_in(tx, hosts, "shared")
        picked += addresses.next_free_in(tx, blocks[0]["prefix"], "own")
        return blocks, picked

    for _ in range(int(n)):
        if hosts is None:
            got.extend(r["prefix"] for r in space.alloc(store, request))
        else:
            blocks, picked = store.write(compose)
            got.extend(r["prefix"] for r in blocks)
            taken.extend(r["address"] for r in picked)
    store.close()
    print(json.dumps(got if hosts is None else {"blocks": got, "addresses": taken}))


if __name__ == "__main__":
    main()
