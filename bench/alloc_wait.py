"""How long does one small allocation wait behind the largest request allowed?

One process asks for `space.MAX_COUNT` /29 blocks from a /12 (the largest request
one call may make); a second process, started just after the first has begun,
asks for a single /24 from the same /12. Allocation in one space is serialised,
so the second waits for the first to commit. Prints, per backend, how long the
big request took and how long the single one waited (target: under 2 s).

SQLite always; PostgreSQL when reachable at GOVOPS_TEST_PG (default
postgresql://postgres@127.0.0.1:5432/test), in a throwaway schema dropped afterwards.
Usage: python bench/alloc_wait.py [--size /29] [--count N]
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from _common import clock

from infra.store import Store
from ipam import space

POOL = "172.16.0.0/12"
PG_BASE = os.environ.get("GOVOPS_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")


def _big(url: str, size: str, count: int, go: Any, begun: Any, out: Any) -> None:
    store = Store(url)
    request = space.AllocRequest(source=POOL, size=size, count=count, purpose="bench")
    go.wait()
    begun.set()
    start = clock()
    made = space.alloc(store, request)
    out.put(("big", clock() - start, len(made)))
    store.close()


def _one(url: str, go: Any, out: Any) -> None:
    store = Store(url)
    request = space.AllocRequest(source=POOL, size="/24", purpose="bench-one")
    go.wait()
    start = clock()
    made = space.alloc(store, request)
    out.put(("one", clock() - start, len(made)))
    store.close()


def race(url: str, size: str, count: int) -> dict[str, tuple[float, int]]:
    with Store(url) as store:
        space.add(store, POOL, status="container", pool=True)
    ctx = mp.get_context("spawn")
    go_big, begun, go_one = ctx.Event(), ctx.Event(), ctx.Event()
    out = ctx.Queue()
    big = ctx.Process(target=_big, args=(url, size, count, go_big, begun, out))
    one = ctx.Process(target=_one, args=(url, go_one, out))
    big.start()
    one.start()
    time.sleep(1.0)  # both processes imported and connected
    go_big.set()
    begun.wait()
    time.sleep(0.05)  # the big request is under way (it has taken the lock by now)
    go_one.set()
    results = {}
    for _ in range(2):
        role, seconds, n = out.get(timeout=600)
        results[role] = (seconds, n)
    big.join()
    one.join()
    return results


@contextmanager
def pg_url() -> Iterator[str | None]:
    """A throwaway schema on the test server, or None when there is no server."""
    try:
        import psycopg

        admin = psycopg.connect(PG_BASE, autocommit=True, connect_timeout=5)
        admin.execute("CREATE EXTENSION IF NOT EXISTS btree_gist SCHEMA public")
    except Exception as exc:  # no driver or no server: bench SQLite alone
        print(f"PostgreSQL: skipped ({str(exc).strip().splitlines()[0] if str(exc) else exc})")
        yield None
        return
    schema = f"govops_bench_{uuid.uuid4().hex[:12]}"
    admin.execute(f'CREATE SCHEMA "{schema}"')
    sep = "&" if "?" in PG_BASE else "?"
    try:
        yield f"{PG_BASE}{sep}options=-csearch_path%3D{schema}"
    finally:
        admin.execute(f'DROP SCHEMA "{schema}" CASCADE')
        admin.close()


def report(backend: str, results: dict[str, tuple[float, int]], size: str) -> None:
    big_s, big_n = results["big"]
    one_s, _ = results["one"]
    print(
        f"{backend:<10} {big_n} x {size} in one request: {big_s:6.2f} s;"
        f" a single /24 started just after waited {one_s:6.2f} s  (target < 2 s)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="/29")
    parser.add_argument("--count", type=int, default=space.MAX_COUNT)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        report("SQLite", race(os.path.join(tmp, "wait.db"), args.size, args.count), args.size)
    with pg_url() as url:
        if url is not None:
            report("PostgreSQL", race(url, args.size, args.count), args.size)


if __name__ == "__main__":
    main()
