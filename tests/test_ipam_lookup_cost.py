"""The containing-prefix lookup visits the same number of rows at any size.

`space.chain` walks down the tree one level at a time, one index seek per level.
At the top level the seek once stepped over every prefix between the pool's start
and the address (a province's lookups grew from 0.1 ms to 101 ms across its /8).
These tests count what a lookup visits, on the real backends, not how long it
takes: PostgreSQL's own per-transaction counters of heap rows fetched and scanned
(`pg_stat_xact_user_tables`), and SQLite's count of virtual-machine steps (its
progress handler called every instruction), which grows with every row a scan
steps over.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from infra.store import Store, Tx
from ipam import space
from ipam.addr import parse_block

POOL = "10.0.0.0/16"
LAST = "10.0.255.250/32"  # past every allocated block: the walk's worst case


def visited(tx: Tx, lookup: Callable[[], Any]) -> int:
    """What `lookup` visits in `tx`: prefix rows read (PostgreSQL) or VM steps (SQLite)."""
    if tx.dialect == "postgresql":
        sql = (
            "SELECT coalesce(sum(seq_tup_read + coalesce(idx_tup_fetch, 0)), 0)"
            " FROM pg_stat_xact_user_tables"
            " WHERE relname = 'prefix' AND schemaname = current_schema()"
        )
        before = int(tx.scalar(sql))
        lookup()
        return int(tx.scalar(sql)) - before
    steps = 0

    def count() -> int:
        nonlocal steps
        steps += 1
        return 0

    conn = tx._conn
    conn.set_progress_handler(count, 1)
    try:
        lookup()
    finally:
        conn.set_progress_handler(None, 1)
    return steps


def filled(store: Store, children: int, pools: int = 1) -> None:
    """A pool holding `children` allocated /28s (and more pools above it)."""
    space.add(store, POOL, status="container", pool=True)
    for i in range(1, pools):
        space.add(store, f"10.{i}.0.0/16", status="container", pool=True)
    request = space.AllocRequest(size="/28", source=POOL, count=children, purpose="x")
    space.alloc(store, request)


def cost(store: Store, cidr: str) -> tuple[int, list[str]]:
    block = parse_block(cidr, strict=False)

    def run(tx: Tx) -> tuple[int, list[str]]:
        vid = space.vrf_id(tx, None)
        space.chain(tx, vid, block)  # warm: the first statement may prepare
        found: list[space.Prefix] = []
        n = visited(tx, lambda: found.extend(space.chain(tx, vid, block)))
        return n, [str(p.block) for p in found]

    return store.read(run)


def test_lookup_visits_the_same_rows_at_50_and_at_4000_prefixes(db_url: str, tmp_path: Any) -> None:
    small_url = db_url
    small = Store(small_url)
    filled(small, 50)
    small_cost, small_chain = cost(small, LAST)
    inside_small, _ = cost(small, "10.0.0.17/32")
    small.close()

    if db_url.startswith("postgresql"):
        from conftest import pg_schema

        with pg_schema() as big_url:
            big = Store(big_url)
            filled(big, 4000)
            big_cost, big_chain = cost(big, LAST)
            inside_big, deep = cost(big, "10.0.0.17/32")
            big.close()
    else:
        big = Store(str(tmp_path / "big.db"))
        filled(big, 4000)
        big_cost, big_chain = cost(big, LAST)
        inside_big, deep = cost(big, "10.0.0.17/32")
        big.close()

    assert small_chain == big_chain == [POOL]
    assert deep == [POOL, "10.0.0.16/28"]
    # 80 times the prefixes below the address; the lookup visits no more rows.
    assert big_cost == small_cost, (small_cost, big_cost)
    assert inside_big == inside_small, (inside_small, inside_big)
    if db_url.startswith("postgresql"):
        # One row per level: the pool, then the block beside the address.
        assert big_cost <= 2


def test_top_level_lookup_steps_over_no_prefix_below_the_pools(store: Store) -> None:
    """Many pools, one holding thousands of blocks: finding a later pool's address
    visits as much as it does in an empty space."""
    filled(store, 3000, pools=4)
    deep_cost, found = cost(store, "10.3.7.7/32")
    assert found == ["10.3.0.0/16"]
    shallow_cost, found = cost(store, "10.1.0.1/32")
    assert found == ["10.1.0.0/16"]
    assert deep_cost == shallow_cost, (shallow_cost, deep_cost)
