"""VRFs, prefixes and the free-block index through the library, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from ipam_helpers import (
    CITY,
    COUNTY_A,
    COUNTY_B,
    TOWN_A1,
    TOWN_A2,
    TOWN_B1,
    cidrs,
    execute,
    make_orgs,
    rows,
    snapshot,
    verify_space,
)

from infra.errors import Conflict, InvalidInput, NotFound, UnknownOrgUnit
from ipam import addresses, space, views
from ipam.space import OverlapError, PrefixExhausted, UnknownVrf


def alloc(store, **kw) -> list[str]:
    return [r["prefix"] for r in space.alloc(store, space.AllocRequest(**kw))]


def expire(store) -> None:
    """Let every quarantine run out (the clock cannot be moved)."""
    execute(
        store,
        "UPDATE prefix SET quarantine_until = ? WHERE status = 'quarantine'",
        ("2000-01-01T00:00:00+00:00",),
    )


def errors(store) -> list[dict]:
    return [p for p in views.check(store) if p["severity"] == "error"]


@pytest.fixture
def city(store):
    """The org tree, the city's IPv4 and IPv6 pools in egov."""
    make_orgs(store)
    space.add(store, "10.64.0.0/12", CITY, status="container", pool=True)
    space.add(store, "2001:db8::/32", CITY, status="container", pool=True)
    return store


# -- VRFs ------------------------------------------------------------------


def test_default_vrf_and_adding_vrfs(store):
    assert [v["name"] for v in space.list_vrfs(store)] == ["egov"]
    space.add_vrf(store, "video", "65000:20", "视频专网")
    space.add(store, "10.0.0.0/8", status="container", vrf="video", pool=True)
    listed = {v["name"]: v for v in space.list_vrfs(store)}
    assert listed["video"] == {
        "name": "video",
        "rd": "65000:20",
        "description": "视频专网",
        "prefixes": 1,
    }
    assert listed["egov"]["prefixes"] == 0
    with pytest.raises(Conflict, match="already exists"):
        space.add_vrf(store, "video")
    with pytest.raises(InvalidInput, match="one word"):
        space.add_vrf(store, "two words")
    with pytest.raises(UnknownVrf, match="no VRF named 'nosuch'"):
        space.add(store, "10.0.0.0/8", vrf="nosuch")


def test_vrfs_may_overlap_siblings_in_one_vrf_never(store):
    space.add_vrf(store, "video")
    for vrf in ("egov", "video"):
        space.add(store, "10.0.0.0/8", status="container", vrf=vrf, pool=True)
        space.add(store, "10.1.0.0/16", vrf=vrf)
    with pytest.raises(Conflict, match="already exists"):
        space.add(store, "10.1.0.0/16")
    # A wider allocated block over an existing one would overlap its sibling.
    before = snapshot(store)
    with pytest.raises(OverlapError, match="10.1.0.0/16"):
        space.add(store, "10.0.0.0/15")
    assert snapshot(store) == before
    # As a container it takes the existing block in instead.
    made = space.add(store, "10.0.0.0/15", status="container")
    assert made["parent"] == "10.0.0.0/8"
    tree = views.tree(store, "10.0.0.0/15")
    assert [c["prefix"] for c in tree[0]["children"]] == ["10.1.0.0/16"]
    # The other VRF is untouched.
    assert cidrs(store, "video") == {"10.0.0.0/8", "10.1.0.0/16"}
    verify_space(store)
    assert errors(store) == []


def test_a_pool_stands_at_the_top(store):
    space.add(store, "10.0.0.0/16", status="container", pool=True)
    space.add(store, "10.0.1.0/24")
    space.add(store, "10.1.0.0/24")  # recorded before its pool: an orphan for now
    before = snapshot(store)
    with pytest.raises(Conflict, match="a pool stands at the top; 10.0.2.0/24 lies inside"):
        space.add(store, "10.0.2.0/24", status="container", pool=True)
    with pytest.raises(Conflict, match="10.0.0.0/8 would hold pool 10.0.0.0/16"):
        space.add(store, "10.0.0.0/8", status="container", pool=True)
    with pytest.raises(Conflict, match="would hold pool"):
        space.add(store, "10.0.0.0/8", status="container")
    with pytest.raises(OverlapError, match="overlaps 10.0.0.0/16"):
        space.add(store, "10.0.0.0/8")
    assert snapshot(store) == before
    # A pool laid over blocks recorded earlier takes them in.
    assert space.add(store, "10.1.0.0/16", status="container", pool=True)["pool"] is True
    assert views.tree(store, "10.1.0.0/16")[0]["children"][0]["prefix"] == "10.1.0.0/24"
    assert [p["prefix"] for p in views.pools(store)] == ["10.0.0.0/16", "10.1.0.0/16"]
    verify_space(store)
    assert errors(store) == []


def test_parent_is_the_smallest_containing_prefix(store):
    space.add(store, "10.64.0.0/12", status="container", pool=True)
    assert space.add(store, "10.64.0.0/16")["parent"] == "10.64.0.0/12"
    assert space.add(store, "10.64.3.0/24")["parent"] == "10.64.0.0/16"
    assert space.add(store, "10.64.3.128/25")["parent"] == "10.64.3.0/24"
    # A container slid in between takes over the /24 and the free space around it.
    assert space.add(store, "10.64.0.0/22", status="container")["parent"] == "10.64.0.0/16"
    chain = [r["prefix"] for r in views.find(store, "10.64.3.200")]
    assert chain == [
        "10.64.0.0/12",
        "10.64.0.0/16",
        "10.64.0.0/22",
        "10.64.3.0/24",
        "10.64.3.128/25",
    ]
    assert views.free(store, "10.64.0.0/22")["free"] == ["10.64.0.0/23", "10.64.2.0/24"]
    verify_space(store)
    assert errors(store) == []


def test_add_refuses_what_breaks_aggregation(city):
    space.add(city, "10.64.0.0/16", COUNTY_A)
    assert space.add(city, "10.64.1.0/24", TOWN_A1)["org_path"] == "河源市/源城区/上城街道"
    before = snapshot(city)
    with pytest.raises(Conflict, match="breaks aggregation.*outside every block of 河源市/源城区"):
        space.add(city, "10.65.0.0/24", TOWN_A1)
    with pytest.raises(Conflict, match="breaks aggregation.*has no IPv4 block"):
        space.add(city, "10.66.0.0/24", TOWN_B1)
    with pytest.raises(Conflict, match="breaks aggregation"):
        space.add(city, "10.80.0.0/16", COUNTY_A)  # outside the city's pool
    with pytest.raises(UnknownOrgUnit):
        space.add(city, "10.64.2.0/24", "不存在街道")
    assert snapshot(city) == before
    assert errors(city) == []


# -- allocation ------------------------------------------------------------


def test_alloc_takes_the_smallest_free_block_that_holds_it(store):
    space.add(store, "10.0.0.0/22", status="container", pool=True)
    space.add(store, "10.0.2.0/25")
    space.add(store, "10.0.3.0/24")
    # Free: 10.0.0.0/23 (big, low) and 10.0.2.128/25 (small, high): best fit wins.
    assert views.free(store, "10.0.0.0/22")["free"] == ["10.0.0.0/23", "10.0.2.128/25"]
    assert alloc(store, source="10.0.0.0/22", size="/26") == ["10.0.2.128/26"]
    assert alloc(store, source="10.0.0.0/22", size="26") == ["10.0.2.192/26"]
    # Then the lowest address first inside the /23.
    assert alloc(store, source="10.0.0.0/22", size="/25", count=3) == [
        "10.0.0.0/25",
        "10.0.0.128/25",
        "10.0.1.0/25",
    ]
    verify_space(store)


def test_alloc_by_hosts(store):
    space.add(store, "10.0.0.0/16", status="container", pool=True)
    space.add(store, "2001:db8::/48", status="container", pool=True)
    src = "10.0.0.0/16"
    # Network, broadcast and gateway come on top of the hosts.
    assert alloc(store, source=src, hosts=61) == ["10.0.0.0/26"]
    assert alloc(store, source=src, hosts=62) == ["10.0.0.128/25"]
    assert alloc(store, source=src, hosts=1) == ["10.0.0.64/30"]
    assert alloc(store, source="2001:db8::/48", hosts=5000) == ["2001:db8::/64"]
    space.settings(store, "headroom", "0.25")
    assert alloc(store, source=src, hosts=50) == ["10.0.1.0/25"]  # 50 + 13 + 3 > 64
    assert alloc(store, source=src, hosts=48, headroom=0.0) == ["10.0.1.128/26"]
    with pytest.raises(InvalidInput, match="give a size or a number of hosts, not both"):
        space.alloc(store, space.AllocRequest(source=src, size="/24", hosts=5))
    with pytest.raises(InvalidInput, match="the number of hosts must be at least 1"):
        space.alloc(store, space.AllocRequest(source=src, hosts=0))
    verify_space(store)


def test_count_is_all_or_none(store):
    space.add(store, "10.0.0.0/23", status="container", pool=True)
    before = snapshot(store)
    with pytest.raises(
        PrefixExhausted,
        match=r"^only 2 of 3 /24s fit in 10\.0\.0\.0/23 \(512 addresses free, largest free block 10\.0\.0\.0/23\); nothing allocated$",
    ):
        space.alloc(store, space.AllocRequest(source="10.0.0.0/23", size="/24", count=3))
    assert snapshot(store) == before
    assert views.free(store, "10.0.0.0/23")["free"] == ["10.0.0.0/23"]
    assert alloc(store, source="10.0.0.0/23", size="/24", count=2) == [
        "10.0.0.0/24",
        "10.0.1.0/24",
    ]


def test_exhausted_says_how_much_is_free_and_the_largest_block(store):
    space.add(store, "10.0.0.0/24", status="container", pool=True)
    space.add(store, "10.0.0.0/25")
    space.add(store, "10.0.0.192/27")
    with pytest.raises(PrefixExhausted) as info:
        space.alloc(store, space.AllocRequest(source="10.0.0.0/24", size="/25"))
    message = str(info.value)
    assert "no free /25 in 10.0.0.0/24" in message
    assert "96 addresses free" in message
    assert "largest free block 10.0.0.128/26" in message
    space.add(store, "2001:db8::/62", status="container", pool=True)
    space.alloc(store, space.AllocRequest(source="2001:db8::/62", size="/64", count=3))
    with pytest.raises(PrefixExhausted, match=r"1 /64s free, largest free block 2001:db8:0:3::/64"):
        space.alloc(store, space.AllocRequest(source="2001:db8::/62", size="/63"))
    with pytest.raises(InvalidInput, match="/24 is not smaller than 10.0.0.0/24"):
        space.alloc(store, space.AllocRequest(source="10.0.0.0/24", size="/24"))
    assert cidrs(store) >= {"10.0.0.0/25", "10.0.0.192/27"}


def test_alloc_for_units_aggregates(city):
    # --for 源城区: from the city's block, for the county.
    assert alloc(city, assignee=COUNTY_A, size="/16") == ["10.64.0.0/16"]
    # --org 源城区: inside the county's own block, for it; purpose subnets never nest.
    own = {"within": COUNTY_A, "assignee": COUNTY_A, "family": 4}
    assert alloc(city, size="/24", purpose="office", **own) == ["10.64.0.0/24"]
    assert alloc(city, size="/26", purpose="video", **own) == ["10.64.1.0/26"]
    # --org 源城区 --org 上城街道: inside the county's block, for the town.
    assert alloc(city, within=COUNTY_A, assignee=TOWN_A1, size="/20") == ["10.64.16.0/20"]
    # --for 新江街道: from its parent unit's blocks.
    got = space.alloc(city, space.AllocRequest(assignee=TOWN_A2, size="/20", purpose="office"))
    assert [(r["prefix"], r["parent"], r["org_path"]) for r in got] == [
        ("10.64.32.0/20", "10.64.0.0/16", "河源市/源城区/新江街道")
    ]
    assert alloc(city, assignee=COUNTY_A, size="/40") == ["2001:db8::/40"]  # > /32: IPv6
    before = snapshot(city)
    with pytest.raises(InvalidInput, match="top-level unit"):
        space.alloc(city, space.AllocRequest(assignee=CITY, size="/16"))
    with pytest.raises(InvalidInput, match="say where to allocate from"):
        space.alloc(city, space.AllocRequest(size="/16"))
    with pytest.raises(Conflict, match="has no block"):
        space.alloc(
            city, space.AllocRequest(assignee=TOWN_B1, size="/24")
        )  # 紫金县 has no block yet
    with pytest.raises(InvalidInput, match="IPv4 and IPv6 blocks; say which family"):
        space.alloc(
            city, space.AllocRequest(assignee=COUNTY_B, hosts=50)
        )  # the city has both families
    # From an explicit source, the result must still lie in the parent unit's block.
    with pytest.raises(Conflict, match="breaks aggregation"):
        space.alloc(city, space.AllocRequest(source="10.64.0.0/12", assignee=TOWN_B1, size="/24"))
    with pytest.raises(Conflict, match="breaks aggregation"):
        space.alloc(city, space.AllocRequest(source="10.64.0.0/12", assignee=TOWN_A1, size="/24"))
    assert snapshot(city) == before
    # A /16 only fits the city's IPv4 pool (its IPv6 pool is a /32): no --family needed.
    assert alloc(city, assignee=COUNTY_B, size="/16") == ["10.65.0.0/16"]
    assert alloc(city, source="10.65.0.0/16", assignee=TOWN_B1, size="/24") == ["10.65.0.0/24"]
    verify_space(city)
    assert errors(city) == []


def test_alloc_refuses_bad_sizes(city):
    before = snapshot(city)
    for size, message in [
        ("abc", "not a valid IPv4 prefix length"),
        ("/33", "not a valid IPv4 prefix length"),
        ("/8", "/8 is not smaller than 10.64.0.0/12"),
    ]:
        with pytest.raises(InvalidInput, match=message):
            space.alloc(city, space.AllocRequest(source="10.64.0.0/12", size=size))
    with pytest.raises(InvalidInput, match="10.64.0.0/12 is not an IPv6 prefix"):
        space.alloc(city, space.AllocRequest(source="10.64.0.0/12", size="/24", family=6))
    with pytest.raises(NotFound, match="no prefix 10.99.0.0/16"):
        space.alloc(city, space.AllocRequest(source="10.99.0.0/16", size="/24"))
    with pytest.raises(InvalidInput, match="^count must be at least 1"):
        space.alloc(city, space.AllocRequest(source="10.64.0.0/12", size="/24", count=0))
    assert snapshot(city) == before


# -- release, quarantine, reserve ------------------------------------------


def test_release_refuses_children_unless_recursive(store):
    space.add(store, "10.0.0.0/16", status="container", pool=True)
    space.add(store, "10.0.1.0/24", status="container")
    space.add(store, "10.0.1.0/26")
    addresses.next_free(store, "10.0.1.0/26", "host-a")
    before = snapshot(store)
    with pytest.raises(
        Conflict, match="has 1 child prefixes; release them first, or release it with them$"
    ):
        space.release(store, "10.0.1.0/24", quarantine_days=0)
    with pytest.raises(Conflict, match="has 1 addresses"):
        space.release(store, "10.0.1.0/26", quarantine_days=0)
    assert snapshot(store) == before
    out = space.release(store, "10.0.1.0/24", recursive=True, quarantine_days=0)
    assert out["released"] == 2 and out["quarantine_until"] is None
    assert cidrs(store) == {"10.0.0.0/16"}
    assert rows(store, "SELECT * FROM ip_address") == []
    assert views.free(store, "10.0.0.0/16")["free"] == ["10.0.0.0/16"]
    verify_space(store)


def test_quarantine_holds_a_block_until_it_runs_out(store):
    space.add(store, "10.0.0.0/22", status="container", pool=True)
    assert alloc(store, source="10.0.0.0/22", size="/24") == ["10.0.0.0/24"]
    out = space.release(store, "10.0.0.0/24", quarantine_days=7)
    until = datetime.fromisoformat(out["quarantine_until"])
    assert timedelta(days=6, hours=23) < until - datetime.now(UTC) <= timedelta(days=7)
    assert out["status"] == "quarantine" and out["released"] == 1
    free = views.free(store, "10.0.0.0/22")
    assert free["free"] == ["10.0.1.0/24", "10.0.2.0/23"]
    assert free["quarantine"] == [{"prefix": "10.0.0.0/24", "until": out["quarantine_until"]}]
    # Not handed out, not recorded, not reserved, not released twice.
    assert alloc(store, source="10.0.0.0/22", size="/24") == ["10.0.1.0/24"]
    with pytest.raises(Conflict, match="already exists"):
        space.add(store, "10.0.0.0/24")
    with pytest.raises(Conflict, match="in quarantine"):
        space.add(store, "10.0.0.0/25")
    with pytest.raises(Conflict, match="in quarantine"):
        space.reserve(store, "10.0.0.0/24")
    with pytest.raises(Conflict, match="already in quarantine"):
        space.release(store, "10.0.0.0/24", quarantine_days=0)
    with pytest.raises(Conflict, match="in quarantine"):
        addresses.assign(store, "10.0.0.9")
    # Once the quarantine has run out the block is free for every operation.
    expire(store)
    assert views.free(store, "10.0.0.0/22")["free"] == ["10.0.0.0/24", "10.0.2.0/23"]
    assert space.add(store, "10.0.0.0/24", purpose="again")["status"] == "allocated"
    verify_space(store)
    space.release(store, "10.0.0.0/24", quarantine_days=1)
    expire(store)
    assert alloc(store, source="10.0.0.0/22", size="/25") == ["10.0.0.0/25"]
    space.release(store, "10.0.0.0/25", quarantine_days=1)
    expire(store)
    assert space.reserve(store, "10.0.0.0/25")["status"] == "reserved"
    verify_space(store)
    assert errors(store) == []


def test_quarantine_zero_and_the_setting(store):
    space.add(store, "10.0.0.0/24", status="container", pool=True)
    assert alloc(store, source="10.0.0.0/24", size="/26") == ["10.0.0.0/26"]
    space.release(store, "10.0.0.0/26", quarantine_days=0)
    assert alloc(store, source="10.0.0.0/24", size="/26") == ["10.0.0.0/26"]
    assert space.settings(store) == [
        {"setting": "quarantine-days", "value": "7"},
        {"setting": "headroom", "value": "0"},
    ]
    assert space.release(store, "10.0.0.0/26")["status"] == "quarantine"  # default 7 days
    space.settings(store, "quarantine-days", "0")
    assert alloc(store, source="10.0.0.0/24", size="/26") == ["10.0.0.64/26"]
    assert space.release(store, "10.0.0.64/26")["quarantine_until"] is None
    with pytest.raises(InvalidInput, match="whole number"):
        space.settings(store, "quarantine-days", "-1")
    with pytest.raises(InvalidInput, match=r"^quarantine days -1 is out of range \(0 to 3650\)$"):
        space.release(store, "10.0.0.0/26", quarantine_days=-1)
    with pytest.raises(NotFound, match="no prefix 10.0.0.128/26"):
        space.release(store, "10.0.0.128/26")


def test_reserved_space_is_never_handed_out(store):
    space.add(store, "10.0.0.0/22", status="container", pool=True)
    made = space.reserve(store, "10.0.1.0/24", description="核心互联")
    assert (made["status"], made["parent"], made["description"]) == (
        "reserved",
        "10.0.0.0/22",
        "核心互联",
    )
    got = alloc(store, source="10.0.0.0/22", size="/24", count=3)
    assert got == ["10.0.0.0/24", "10.0.2.0/24", "10.0.3.0/24"]
    with pytest.raises(PrefixExhausted, match="0 addresses free, no free block at all"):
        space.alloc(store, space.AllocRequest(source="10.0.0.0/22", size="/30"))
    # Reserving a block already recorded: only an unused, unassigned one.
    space.release(store, "10.0.2.0/24", quarantine_days=0)
    space.add(store, "10.0.2.0/24", status="container", purpose="mgmt")
    after = space.reserve(store, "10.0.2.0/24")
    assert (after["status"], after["purpose"]) == ("reserved", "mgmt")
    again = space.reserve(store, "10.0.2.0/24", description="备用")
    assert (again["status"], again["description"]) == ("reserved", "备用")
    with pytest.raises(OverlapError):
        space.reserve(store, "10.0.0.0/23")
    verify_space(store)


def test_free_index_stays_buddy_merged(store):
    """Releasing in any order merges buddies back: one row for a whole parent."""
    space.add(store, "2001:db8::/48", status="container", pool=True)
    got = alloc(store, source="2001:db8::/48", size="/64", count=5)
    assert got[0] == "2001:db8::/64" and got[-1] == "2001:db8:0:4::/64"
    for cidr in (got[3], got[0], got[4], got[2], got[1]):
        space.release(store, cidr, quarantine_days=0)
    free = rows(store, "SELECT plen FROM free_block")
    assert [r["plen"] for r in free] == [48]
    verify_space(store)


# -- hostile input -----------------------------------------------------------


def test_reserve_takes_free_space_only(city):
    space.add(city, "10.64.0.0/16", COUNTY_A)
    space.add(city, "10.64.1.0/24", TOWN_A1)
    space.add(city, "10.65.0.0/24")
    space.add(city, "10.65.1.0/24", status="container", org_ref=COUNTY_B)
    space.add(city, "10.65.2.0/24", status="container")
    addresses.assign(city, "10.65.0.9", "host")
    for cidr, message in [
        ("10.64.0.0/16", "10.64.0.0/16 is allocated; release it before reserving it"),
        ("10.64.1.0/24", "10.64.1.0/24 is allocated; release it before reserving it"),
        ("10.64.0.0/12", "10.64.0.0/12 is a pool; reserve free space inside it"),
        ("10.65.1.0/24", "10.65.1.0/24 is assigned to 河源市/紫金县"),
    ]:
        with pytest.raises(Conflict, match=f"^{message}"):
            space.reserve(city, cidr)
    space.add(city, "10.65.2.0/26")
    with pytest.raises(
        Conflict, match=r"^10\.65\.2\.0/24 holds 1 prefixes; reserve free space only"
    ):
        space.reserve(city, "10.65.2.0/24")
    space.release(city, "10.65.2.0/26", quarantine_days=0)
    # Free space, and an empty unassigned container, are fine.
    assert space.reserve(city, "10.66.0.0/24")["status"] == "reserved"
    assert space.reserve(city, "10.65.2.0/24")["status"] == "reserved"
    # Nothing is handed out or recorded inside reserved space.
    with pytest.raises(Conflict, match="10.66.0.0/24 is reserved: nothing is handed out inside"):
        space.alloc(city, space.AllocRequest(source="10.66.0.0/24", size="/26"))
    with pytest.raises(Conflict, match="lies in 10.66.0.0/24, which is reserved"):
        space.add(city, "10.66.0.0/26")
    assert space.add(city, "10.66.0.0/26", status="reserved")["status"] == "reserved"
    assert errors(city) == []


def test_check_reports_a_reserved_block_holding_allocations(city):
    space.reserve(city, "10.66.0.0/24")
    execute(city, "UPDATE prefix SET status = 'container' WHERE cidr = '10.66.0.0/24'")
    space.add(city, "10.66.0.0/26")
    space.add(city, "10.66.0.64/26")
    assert errors(city) == []
    # As an older version left it: the live block flipped to reserved.
    execute(city, "UPDATE prefix SET status = 'reserved' WHERE cidr = '10.66.0.0/24'")
    found = errors(city)
    assert [(p["kind"], p["prefix"]) for p in found] == [("reserved-in-use", "10.66.0.0/24")]
    assert "holds 2 allocated blocks (10.66.0.0/26, 10.66.0.64/26)" in found[0]["detail"]


def test_days_and_headroom_are_bounded(store):
    space.add(store, "10.0.0.0/16", status="container", pool=True)
    for value in ("99999999999", "3651", "²", "٣", "1_0", "-1", "", "7.5"):
        with pytest.raises(InvalidInput, match="quarantine-days must be a whole number of days"):
            space.settings(store, "quarantine-days", value)
    for value in ("nan", "inf", "1e999", "-0.1", "10.01", "١", "1_0", "0x1"):
        with pytest.raises(InvalidInput, match="headroom must be a fraction between 0 and 10"):
            space.settings(store, "headroom", value)
    assert space.settings(store, "quarantine-days", "3650")[0]["value"] == "3650"
    assert space.settings(store, "headroom", " 10 ")[0]["value"] == "10"
    assert alloc(store, source="10.0.0.0/16", size="/24") == ["10.0.0.0/24"]
    out = space.release(store, "10.0.0.0/24")
    until = datetime.fromisoformat(out["quarantine_until"])
    assert timedelta(days=3649) < until - datetime.now(UTC) <= timedelta(days=3650)
    for days in (3651, 2_914_000, -1):
        with pytest.raises(InvalidInput, match=f"quarantine days {days} is out of range"):
            space.release(store, "10.0.0.0/24", quarantine_days=days)


@pytest.mark.parametrize(
    ("key", "stored", "operation"),
    [
        ("quarantine-days", "99999999999", "release"),
        ("quarantine-days", "²", "release"),
        ("headroom", "nan", "alloc"),
        ("headroom", "inf", "alloc"),
    ],
)
def test_a_bad_stored_setting_is_refused_with_how_to_fix_it(store, key, stored, operation):
    space.add(store, "10.0.0.0/16", status="container", pool=True)
    assert alloc(store, source="10.0.0.0/16", size="/24") == ["10.0.0.0/24"]
    name = space.SETTINGS[key][0]
    execute(store, "INSERT INTO setting (key, value) VALUES (?, ?)", (name, stored))
    before = snapshot(store)
    with pytest.raises(space.BadSetting) as info:
        if operation == "release":
            space.release(store, "10.0.0.0/24")
        else:
            space.alloc(store, space.AllocRequest(source="10.0.0.0/16", hosts=50))
    assert info.value.key == key
    assert str(info.value).startswith(f"the stored setting {key} is {stored!r}")
    assert f"set {key} again to a valid value to fix it" in str(info.value)
    assert snapshot(store) == before
    # Shown as stored, so it can be seen and fixed.
    assert {"setting": key, "value": stored} in space.settings(store)
    space.settings(store, key, "0")
    if operation == "release":
        assert space.release(store, "10.0.0.0/24")["quarantine_until"] is None
    else:
        assert alloc(store, source="10.0.0.0/16", hosts=50) == ["10.0.1.0/26"]


def test_an_empty_unit_reference_is_an_error_everywhere(city):
    before = snapshot(city)
    for ref in ("", "   "):
        with pytest.raises(InvalidInput, match="empty"):
            space.add(city, "10.64.0.0/16", ref)
        with pytest.raises(InvalidInput, match="empty"):
            space.alloc(city, space.AllocRequest.from_units(size="/24", units=[CITY, ref]))
        with pytest.raises(InvalidInput, match="empty"):
            views.tree(city, org_ref=ref)
        with pytest.raises(InvalidInput, match="empty"):
            views.usage(city, org_ref=ref)
    assert snapshot(city) == before


@pytest.mark.parametrize("size", ["/٢٤", "//24", "２４", "/24 ", "/2_4"])
def test_alloc_sizes_parse_as_cidrs_do(store, size):
    space.add(store, "10.0.0.0/16", status="container", pool=True)
    if size == "/24 ":  # surrounding space is trimmed, as in a CIDR argument
        assert alloc(store, source="10.0.0.0/16", size=size) == ["10.0.0.0/24"]
        return
    with pytest.raises(InvalidInput, match="not a valid IPv4 prefix length"):
        space.alloc(store, space.AllocRequest(source="10.0.0.0/16", size=size))
    verify_space(store)


@pytest.mark.parametrize(
    ("field", "value"), [("purpose", "a\nb"), ("description", "x" * 201), ("purpose", "\x1b[31m")]
)
def test_prefix_text_fields_are_bounded_one_line_text(store, field, value):
    space.add(store, "10.0.0.0/16", status="container", pool=True)
    with pytest.raises(InvalidInput, match=field):
        space.alloc(store, space.AllocRequest(source="10.0.0.0/16", size="/24", **{field: value}))
    with pytest.raises(InvalidInput, match=field):
        space.add(store, "10.0.1.0/24", **{field: value})
    with pytest.raises(InvalidInput, match="VRF name"):
        space.add_vrf(store, "two words")
    verify_space(store)
