"""Many blocks in one request: bounded, checked against the free-block index before any
work, and the same blocks as that many single requests, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from conftest import pg_schema
from ipam_helpers import (
    CITY,
    COUNTY_A,
    TOWN_A1,
    TOWN_B1,
    execute,
    make_orgs,
    rows,
    snapshot,
    verify_space,
)

from infra.errors import Conflict, GovopsError, InvalidInput
from infra.store import Store
from ipam import addresses, space, views
from ipam.space import MAX_COUNT, AllocRequest, PrefixExhausted, TooManyBlocks


@pytest.fixture
def twins(db_url: str, tmp_path: Path) -> Iterator[tuple[Store, Store]]:
    """Two fresh databases on the same backend, to replay one history on both."""
    with ExitStack() as stack:
        if db_url.startswith("postgresql"):
            urls = [stack.enter_context(pg_schema()) for _ in range(2)]
        else:
            urls = [str(tmp_path / "one.db"), str(tmp_path / "two.db")]
        stores = [stack.enter_context(Store(u)) for u in urls]
        yield stores[0], stores[1]


def fragmented(store: Store, seed: int) -> None:
    """A county with three blocks of its own, their free space cut up at random by
    allocations of mixed sizes and releases, one quarantine that has run out, one still held."""
    make_orgs(store)
    space.add(store, "10.64.0.0/12", CITY, status="container", pool=True)
    for block in ("10.64.0.0/18", "10.66.0.0/20", "10.70.0.0/19"):
        space.add(store, block, COUNTY_A)
    rng = random.Random(seed)
    taken: list[str] = []
    for _ in range(120):
        size = rng.choice(["/22", "/24", "/25", "/26", "/27", "/28", "/29", "/30"])
        got = space.alloc(store, AllocRequest(within=COUNTY_A, assignee=COUNTY_A, size=size))
        taken.append(got[0]["prefix"])
    rng.shuffle(taken)
    for cidr in taken[:50]:
        space.release(store, cidr, quarantine_days=0)
    space.release(store, taken[50], quarantine_days=30)
    space.release(store, taken[51], quarantine_days=30)
    # One quarantine has run out: allocation purges it first, then may hand it out.
    execute(
        store,
        "UPDATE prefix SET quarantine_until = ? WHERE cidr = ?",
        ("2000-01-01T00:00:00+00:00", taken[51]),
    )
    # Addresses recorded in a source: those in a new block move to it.
    for host in ("10.66.15.250", "10.70.31.9", "10.64.63.1"):
        try:
            addresses.assign(store, host, "host")
        except GovopsError:
            pass  # that address is a network or gateway address of a block handed out


def state(store: Store) -> tuple[list, list, list]:
    """Prefixes, the free index and address holders, without ids or clock."""
    prefixes = rows(
        store,
        "SELECT p.cidr, q.cidr AS parent, p.status, p.org_id, p.purpose FROM prefix p"
        " LEFT JOIN prefix q ON q.id = p.parent_id ORDER BY p.cidr",
    )
    free = rows(
        store,
        "SELECT p.cidr, f.plen, f.net FROM free_block f JOIN prefix p ON p.id = f.container_id"
        " ORDER BY p.cidr, f.net, f.plen",
    )
    held = rows(
        store,
        "SELECT a.addr, p.cidr FROM ip_address a JOIN prefix p ON p.id = a.prefix_id ORDER BY a.addr",
    )
    return (
        [tuple(r.values()) for r in prefixes],
        [(r["cidr"], r["plen"], bytes(r["net"])) for r in free],
        [(bytes(r["addr"]), r["cidr"]) for r in held],
    )


def added(store: Store) -> list[dict]:
    found = rows(store, "SELECT after FROM audit WHERE action = 'prefix.add' ORDER BY id")
    return [json.loads(r["after"]) for r in found]


@pytest.mark.parametrize(
    ("seed", "size", "count"),
    [(1, "/28", 300), (2, "/26", 120), (3, "/30", 700), (4, "/24", 40)],
)
def test_one_request_for_n_blocks_chooses_as_n_single_requests(twins, seed, size, count):
    bulk, single = twins
    for store in twins:
        fragmented(store, seed)
    assert state(bulk) == state(single)
    audit_before = len(added(bulk))
    request = AllocRequest(within=COUNTY_A, assignee=TOWN_A1, size=size, purpose="lan")
    many = space.alloc(bulk, request.replace(count=count))
    ones = [space.alloc(single, request)[0] for _ in range(count)]
    assert [r["prefix"] for r in many] == [r["prefix"] for r in ones]
    assert many == ones  # the same records: parent, unit, purpose …
    # Several sources took part.
    assert len({r["parent"] for r in many}) >= 2
    assert state(bulk) == state(single)  # prefixes, free index, addresses moved
    assert added(bulk)[audit_before:] == added(single)[audit_before:] == many
    for store in twins:
        verify_space(store)
        assert [p for p in views.check(store) if p["severity"] == "error"] == []


def test_the_bulk_path_moves_addresses_and_purges_quarantine(store):
    space.add(store, "10.0.0.0/16", status="container", pool=True)
    space.add(store, "10.0.0.0/24")  # a LAN with hosts, later divided
    addresses.assign(store, "10.0.0.77", "cam")
    addresses.assign(store, "10.0.0.140", "door")
    space.add(store, "10.0.0.192/26")
    space.release(store, "10.0.0.192/26", quarantine_days=5)
    execute(
        store,
        "UPDATE prefix SET quarantine_until = '2000-01-01T00:00:00+00:00'"
        " WHERE status = 'quarantine'",
    )
    # The run-out quarantine is purged first: the /24 is whole again, so best fit starts
    # at its bottom (with the /26 still held it would start at 10.0.0.128/26).
    got = space.alloc(store, AllocRequest(source="10.0.0.0/24", size="/26", count=2))
    assert [r["prefix"] for r in got] == ["10.0.0.0/26", "10.0.0.64/26"]
    assert holders(store) == {"cam": "10.0.0.64/26", "door": "10.0.0.0/24"}
    got = space.alloc(store, AllocRequest(source="10.0.0.0/24", size="/27", count=2))
    assert [r["prefix"] for r in got] == ["10.0.0.128/27", "10.0.0.160/27"]
    assert holders(store) == {"cam": "10.0.0.64/26", "door": "10.0.0.128/27"}
    verify_space(store)
    assert [p for p in views.check(store) if p["severity"] == "error"] == []


def holders(store: Store) -> dict[str, str]:
    found = rows(
        store, "SELECT a.hostname, p.cidr FROM ip_address a JOIN prefix p ON p.id = a.prefix_id"
    )
    return {r["hostname"]: r["cidr"] for r in found}


def test_capacity_is_counted_before_any_work(store):
    space.add(store, "172.16.0.0/12", status="container", pool=True)
    space.add(store, "172.16.0.0/13")  # half the pool taken
    before = snapshot(store)
    with pytest.raises(PrefixExhausted) as info:
        space.alloc(store, AllocRequest(source="172.16.0.0/12", size="/14", count=3))
    assert str(info.value) == (
        "only 2 of 3 /14s fit in 172.16.0.0/12 (524288 addresses free,"
        " largest free block 172.24.0.0/13); nothing allocated"
    )
    with pytest.raises(
        PrefixExhausted, match=r"^only 16384 of 20000 /27s fit in 172\.16\.0\.0/12 \("
    ):
        space.alloc(store, AllocRequest(source="172.16.0.0/12", size="/27", count=20_000))
    assert snapshot(store) == before


def test_count_is_bounded_in_the_request():
    ok = AllocRequest(source="10.0.0.0/8", size="/29", count=MAX_COUNT)
    assert ok.count == MAX_COUNT
    assert 20_000 <= MAX_COUNT <= 65_536
    with pytest.raises(TooManyBlocks) as info:
        AllocRequest(source="10.0.0.0/8", size="/29", count=10_000_000)
    assert str(info.value) == (
        f"10000000 blocks asked for: one request may ask for at most {MAX_COUNT}"
    )
    assert isinstance(info.value, InvalidInput)
    for bad in (True, 2.0, "3"):
        with pytest.raises(InvalidInput, match="count must be a whole number"):
            AllocRequest(source="10.0.0.0/8", size="/29", count=bad)  # type: ignore[arg-type]


def test_aggregation_is_checked_once_per_source_and_block_by_block_outside(store):
    make_orgs(store)
    space.add(store, "10.64.0.0/12", CITY, status="container", pool=True)
    space.add(store, "10.64.0.0/16", COUNTY_A)
    space.add(store, "10.65.0.0/16", status="container")  # no unit: not the county's
    before = snapshot(store)
    # From the pool for a town of 源城区: the pool's free space (10.66.0.0/15 on) lies
    # outside every block of 源城区; the first block is refused as a single one would be.
    with pytest.raises(Conflict) as many:
        space.alloc(
            store, AllocRequest(source="10.64.0.0/12", assignee=TOWN_A1, size="/24", count=4)
        )
    with pytest.raises(Conflict) as one:
        space.alloc(store, AllocRequest(source="10.64.0.0/12", assignee=TOWN_A1, size="/24"))
    assert str(many.value) == str(one.value)
    assert str(one.value) == (
        "10.66.0.0/24 for 河源市/源城区/上城街道 (441602001000) breaks aggregation:"
        " it is outside every block of 河源市/源城区 (441602000000) (10.64.0.0/16)"
    )
    assert snapshot(store) == before
    # Inside the county's block: fine (checked once for the source).
    got = space.alloc(
        store, AllocRequest(source="10.64.0.0/16", assignee=TOWN_A1, size="/24", count=200)
    )
    assert [r["prefix"] for r in got][::199] == ["10.64.0.0/24", "10.64.199.0/24"]
    assert {(r["parent"], r["org_path"]) for r in got} == {
        ("10.64.0.0/16", "河源市/源城区/上城街道")
    }
    # A unit outside the source's unit: refused as a single request is.
    with pytest.raises(Conflict, match="breaks aggregation"):
        space.alloc(
            store, AllocRequest(source="10.64.0.0/16", assignee=TOWN_B1, size="/28", count=5)
        )
    verify_space(store)
