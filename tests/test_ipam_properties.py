"""Property tests: address arithmetic against `ipaddress`, and random histories of
alloc / add / release that must never break the tree (checked with `ipaddress`
from the stored rows, not only with `ipam check`)."""

from __future__ import annotations

import ipaddress
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ipam_helpers import execute, rows, verify_space

from infra.errors import GovopsError
from infra.store import Store
from ipam import space, views
from ipam.addr import BITS, Block, aligned_blocks, plen_for_hosts

SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


# -- pure arithmetic -------------------------------------------------------


@st.composite
def ranges(draw):
    family = draw(st.sampled_from([4, 6]))
    top = (1 << BITS[family]) - 1
    # Mostly near a boundary, sometimes anywhere: both kinds of range matter.
    first = draw(st.integers(0, top))
    span = draw(st.one_of(st.integers(0, 4096), st.integers(0, top)))
    return family, first, min(top, first + span)


@SETTINGS
@given(ranges())
def test_aligned_blocks_match_summarize_address_range(r):
    family, first, last = r
    cls = ipaddress.IPv4Address if family == 4 else ipaddress.IPv6Address
    expected = list(ipaddress.summarize_address_range(cls(first), cls(last)))
    got = aligned_blocks(first, last, family)
    assert [b.network() for b in got] == expected
    assert all(Block.of(n) == b for n, b in zip(expected, got, strict=True))


@SETTINGS
@given(st.integers(1, 2**24), st.sampled_from([0.0, 0.1, 0.25, 1.0, 3.5]))
def test_plen_for_hosts_is_the_smallest_block_with_room(hosts, headroom):
    plen = plen_for_hosts(4, hosts, headroom)
    want = hosts + -(-hosts * headroom // 1)  # headroom rounds up
    need = want + 3  # network, gateway, broadcast
    assert 1 << (32 - plen) >= need
    assert plen == 32 or 1 << (31 - plen) < need  # one bit longer would not do
    v6 = plen_for_hosts(6, hosts, headroom)
    assert v6 == 64  # SLAAC: a LAN is a /64 whatever its size


# -- random histories against a real database ------------------------------

PARENTS = {4: ipaddress.ip_network("10.8.0.0/20"), 6: ipaddress.ip_network("2001:db8:40::/52")}


@st.composite
def histories(draw):
    family = draw(st.sampled_from([4, 6]))
    parent = PARENTS[family]
    deepest = parent.prefixlen + 8
    ops = []
    for _ in range(draw(st.integers(1, 25))):
        kind = draw(
            st.sampled_from(["alloc", "alloc", "add", "release", "nested", "quarantine", "expire"])
        )
        plen = draw(st.integers(parent.prefixlen + 1, deepest))
        index = draw(st.integers(0, (1 << (plen - parent.prefixlen)) - 1))
        pick = draw(st.integers(0, 10**6))
        count = draw(st.integers(1, 3))
        ops.append((kind, plen, index, pick, count))
    return family, ops


def _apply(store: Store, parent: ipaddress._BaseNetwork, op: tuple) -> None:
    kind, plen, index, pick, count = op
    src = str(parent)
    stored = [
        r["cidr"]
        for r in rows(store, "SELECT cidr FROM prefix WHERE parent_id IS NOT NULL ORDER BY id")
    ]
    try:
        if kind == "alloc":
            space.alloc(store, space.AllocRequest(source=src, size=f"/{plen}", count=count))
        elif kind == "add":
            size = 1 << (BITS[parent.version] - plen)
            block = ipaddress.ip_network((int(parent.network_address) + index * size, plen))
            status = "container" if pick % 3 == 0 else "allocated"
            space.add(store, str(block), status=status)
        elif kind == "nested" and stored:
            inner = ipaddress.ip_network(stored[pick % len(stored)])
            if inner.prefixlen < BITS[inner.version] - 1:
                space.alloc(
                    store,
                    space.AllocRequest(
                        source=str(inner), size=f"/{inner.prefixlen + 1 + pick % 3}"
                    ),
                )
        elif kind in ("release", "quarantine") and stored:
            days = 0 if kind == "release" else 1
            space.release(
                store, stored[pick % len(stored)], recursive=bool(pick % 2), quarantine_days=days
            )
        elif kind == "expire":
            _expire(store)
    except GovopsError:
        pass  # refused is fine; what is stored must still be sound


def _expire(store: Store) -> None:
    """Every quarantine runs out (the clock cannot be moved)."""
    execute(
        store,
        "UPDATE prefix SET quarantine_until = ? WHERE status = 'quarantine'",
        ("2000-01-01T00:00:00+00:00",),
    )


def _release_everything(store: Store, parent: ipaddress._BaseNetwork) -> None:
    _expire(store)
    pool = rows(store, "SELECT id FROM prefix WHERE parent_id IS NULL")[0]["id"]
    for r in rows(store, "SELECT cidr, status FROM prefix WHERE parent_id = ?", (pool,)):
        if r["status"] != "quarantine":
            space.release(store, r["cidr"], recursive=True, quarantine_days=0)
    # What is left is run-out quarantine: the next allocation frees it first.
    half = f"/{parent.prefixlen + 1}"
    for cidr in [
        r["prefix"] for r in space.alloc(store, space.AllocRequest(source=str(parent), size=half))
    ]:
        space.release(store, cidr, quarantine_days=0)


@SETTINGS
@given(histories())
def test_random_histories_keep_the_tree_sound(history):
    family, ops = history
    parent = PARENTS[family]
    with tempfile.TemporaryDirectory() as tmp, Store(str(Path(tmp) / "p.db")) as store:
        space.add(store, str(parent), status="container", pool=True)
        for op in ops:
            _apply(store, parent, op)
        found = verify_space(store)  # every child inside its parent, no sibling overlap
        assert all(p["net"].subnet_of(parent) for p in found)
        assert [p for p in views.check(store) if p["severity"] == "error"] == []
        held = {q["prefix"] for q in views.free(store, str(parent))["quarantine"]}
        assert held <= {str(p["net"]) for p in found if p["status"] == "quarantine"}
        _release_everything(store, parent)
        assert rows(store, "SELECT cidr FROM prefix") == [{"cidr": str(parent)}]
        assert views.free(store, str(parent))["free"] == [str(parent)]
        free = rows(store, "SELECT plen FROM free_block")
        assert [r["plen"] for r in free] == [parent.prefixlen]
