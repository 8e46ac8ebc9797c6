"""`govops ipam …` as a user types it, on SQLite and PostgreSQL.

Each test checks the exit code first, then the result through `--format json`
or the library; refused commands leave the export and the audit log unchanged.
"""

from __future__ import annotations

import pytest
from conftest import one_line_error, usage_error
from ipam_helpers import (
    CITY,
    COUNTY_A,
    TOWN_A1,
    TOWN_B1,
    cidrs,
    execute,
    make_orgs,
    rows,
    snapshot,
    verify_space,
)

from ipam import addresses, space, views


@pytest.fixture
def city(cli, store):
    """Org tree; the city's pools; 源城区 with a /16, an office /24 and a /64."""
    make_orgs(store)
    cli.ok("ipam", "pool", "add", "10.64.0.0/12", "--org", "河源市", "-D", "政务外网IPv4")
    cli.ok("ipam", "pool", "add", "2001:db8::/32", "--org", CITY)
    return cli


def problems(cli, *extra: str) -> tuple[int, list[dict]]:
    import json

    result = cli("ipam", "check", "--format", "json", *extra)
    return result.exit_code, json.loads(result.stdout)


# -- VRFs and pools --------------------------------------------------------


def test_vrf_add_and_list(cli, store):
    assert [v["name"] for v in cli.json("ipam", "vrf", "list")] == ["egov"]
    result = cli.ok("ipam", "vrf", "add", "video", "--rd", "65000:20", "-D", "视频专网")
    assert result.stdout == "" and "added VRF video" in result.stderr
    listed = cli.json("ipam", "vrf", "list")
    assert [(v["name"], v["rd"], v["prefixes"]) for v in listed] == [
        ("egov", None, 0),
        ("video", "65000:20", 0),
    ]
    before = snapshot(store)
    one_line_error(cli("ipam", "vrf", "add", "video"), "VRF 'video' already exists")
    assert snapshot(store) == before
    assert cli("ipam", "vrf", "add").exit_code == 2


def test_pools_and_overlap_across_vrfs(cli, store):
    cli.ok("ipam", "vrf", "add", "video")
    assert cli.ok("ipam", "pool", "add", "10.64.0.0/12").stdout == "10.64.0.0/12\n"
    made = cli.json("ipam", "pool", "add", "10.64.0.0/12", "--vrf", "video", "-D", "视频专网")
    assert made == [
        {
            "vrf": "video",
            "prefix": "10.64.0.0/12",
            "family": 4,
            "status": "container",
            "pool": True,
            "parent": None,
            "org_code": None,
            "org_path": None,
            "org_level": None,
            "purpose": None,
            "description": "视频专网",
            "quarantine_until": None,
        }
    ]
    cli.ok("ipam", "add", "10.64.1.0/24")
    cli.ok("ipam", "add", "10.64.1.0/24", "--vrf", "video")
    one_line_error(cli("ipam", "add", "10.64.1.0/24"), "already exists in VRF egov")
    one_line_error(cli("ipam", "pool", "add", "10.64.0.0/16"), "a pool stands at the top")
    one_line_error(cli("ipam", "add", "10.64.0.0/23"), "overlaps 10.64.1.0/24")
    pools = cli.json("ipam", "pool", "list")
    assert [(p["prefix"], p["free_percent"]) for p in pools] == [("10.64.0.0/12", 99.98)]
    assert cidrs(store, "video") == {"10.64.0.0/12", "10.64.1.0/24"}
    verify_space(store)


# -- add / alloc / release / reserve ---------------------------------------


def test_allocation_down_the_tiers(city, store):
    cli = city
    assert cli.ok(
        "ipam", "alloc", "--org", "河源市", "--org", "源城区", "--size", "/16"
    ).stdout == ("10.64.0.0/16\n")
    got = cli.json("ipam", "alloc", "--for", "紫金县", "--size", "/16")
    assert [(r["prefix"], r["org_path"], r["org_level"]) for r in got] == [
        ("10.65.0.0/16", "河源市/紫金县", "county")
    ]
    office = cli.json("ipam", "alloc", "--org", "源城区", "--size", "/24", "--purpose", "office")
    assert [(r["prefix"], r["parent"], r["purpose"]) for r in office] == [
        ("10.64.0.0/24", "10.64.0.0/16", "office")
    ]
    # --hosts 50 → a /26 beside the office /24, not inside it.
    video = cli.json(
        "ipam", "alloc", "--org", "源城区", "--hosts", "50", "--purpose", "video", "--family", "4"
    )
    assert [(r["prefix"], r["parent"]) for r in video] == [("10.64.1.0/26", "10.64.0.0/16")]
    towns = cli.json("ipam", "alloc", "--for", "上城街道", "--size", "/20", "--count", "2")
    assert [r["prefix"] for r in towns] == ["10.64.16.0/20", "10.64.32.0/20"]
    assert {r["org_code"] for r in towns} == {TOWN_A1}
    got = cli.json("ipam", "alloc", "--org", "源城区", "--for", "新江街道", "--size", "/24")
    assert [(r["prefix"], r["org_path"]) for r in got] == [
        ("10.64.2.0/24", "河源市/源城区/新江街道")
    ]
    got = cli.json("ipam", "alloc", "--from", "10.65.0.0/16", "--org", "紫城镇", "-s", "/24")
    assert [(r["prefix"], r["org_code"]) for r in got] == [("10.65.0.0/24", TOWN_B1)]
    got = cli.json("ipam", "alloc", "--for", "源城区", "--size", "/40")
    assert [r["prefix"] for r in got] == ["2001:db8::/40"]
    got = cli.json("ipam", "alloc", "--org", "源城区", "--size", "/64", "-n", "2", "-P", "office")
    assert [r["prefix"] for r in got] == ["2001:db8::/64", "2001:db8:0:1::/64"]
    before = snapshot(store)
    # Assigned to a unit whose parent unit's block does not hold the result.
    one_line_error(
        cli("ipam", "alloc", "--from", "10.65.0.0/16", "--org", "上城街道", "-s", "/24"),
        "breaks aggregation",
        "河源市/源城区",
    )
    one_line_error(cli("ipam", "add", "10.65.1.0/24", "--org", "上城街道"), "breaks aggregation")
    one_line_error(cli("ipam", "alloc", "--for", "河源市", "-s", "/16"), "top-level unit")
    assert snapshot(store) == before
    assert (
        cli("ipam", "alloc", "--org", "a", "--org", "b", "--org", "c", "-s", "/24").exit_code == 2
    )
    code, found = problems(cli)
    assert code == 0 and [p for p in found if p["severity"] == "error"] == []
    verify_space(store)


def test_add_with_org_purpose_status_and_vrf(city, store):
    cli = city
    cli.ok("ipam", "vrf", "add", "mgmt")
    cli.ok("ipam", "pool", "add", "10.64.0.0/12", "--vrf", "mgmt")
    got = cli.json(
        "ipam", "add", "10.64.0.0/16", "--org", COUNTY_A, "--purpose", "county", "-D", "源城区"
    )
    assert [(r["parent"], r["org_path"], r["purpose"], r["description"]) for r in got] == [
        ("10.64.0.0/12", "河源市/源城区", "county", "源城区")
    ]
    got = cli.json("ipam", "add", "10.64.128.0/17", "--status", "container", "--org", "源城区")
    assert got[0]["status"] == "container"
    assert cli.json("ipam", "add", "10.64.255.0/24", "--status", "reserved")[0]["parent"] == (
        "10.64.128.0/17"
    )
    got = cli.json("ipam", "add", "10.64.0.0/16", "--vrf", "mgmt", "--purpose", "oob")
    assert (got[0]["vrf"], got[0]["org_code"]) == ("mgmt", None)
    # --no-strict normalises host bits instead of refusing them.
    before = snapshot(store)
    one_line_error(cli("ipam", "add", "10.64.2.3/24"), "has host bits set", "10.64.2.0/24")
    assert snapshot(store) == before
    assert cli.ok("ipam", "add", "10.64.2.3/24", "--no-strict").stdout == "10.64.2.0/24\n"
    one_line_error(cli("ipam", "add", "10.64.3.0/24", "--status", "bogus"), "status 'bogus'")
    verify_space(store)


def test_release_and_reserve(city, store):
    cli = city
    cli.ok("ipam", "add", "10.64.0.0/16", "--org", "源城区")
    cli.ok("ipam", "add", "10.64.1.0/24", "--org", "上城街道")
    cli.ok("ipam", "ip", "next", "10.64.1.0/24")
    before = snapshot(store)
    one_line_error(cli("ipam", "release", "10.64.0.0/16"), "1 child prefixes", "--recursive")
    one_line_error(cli("ipam", "release", "10.64.1.0/24"), "1 addresses")
    assert snapshot(store) == before
    result = cli.ok("ipam", "release", "10.64.0.0/16", "--recursive", "--quarantine-days", "30")
    assert "released 10.64.0.0/16 (2 prefixes), quarantined until" in result.stderr
    free = cli.json("ipam", "free", "10.64.0.0/12")
    assert [q["prefix"] for q in free["quarantine"]] == ["10.64.0.0/16"]
    assert "10.64.0.0/16" not in free["free"]
    # The quarantined block is not handed out again: the next /16 is.
    assert cli.ok("ipam", "alloc", "--from", "10.64.0.0/12", "-s", "/16").stdout == (
        "10.65.0.0/16\n"
    )
    cli.ok("ipam", "release", "10.65.0.0/16", "--quarantine-days", "0")
    assert cli.ok("ipam", "alloc", "--from", "10.64.0.0/12", "-s", "/16").stdout == (
        "10.65.0.0/16\n"
    )
    assert cli("ipam", "release", "10.65.0.0/16", "--quarantine-days", "-1").exit_code == 2
    result = cli.ok("ipam", "reserve", "10.79.255.0/24", "-D", "预留核心互联")
    assert "reserved 10.79.255.0/24" in result.stderr
    found = cli.json("ipam", "find", "10.79.255.1")
    assert [(r["prefix"], r["status"], r["description"]) for r in found] == [
        ("10.64.0.0/12", "container", "政务外网IPv4"),
        ("10.79.255.0/24", "reserved", "预留核心互联"),
    ]
    assert cli.json("ipam", "settings", "quarantine-days", "3") == [
        {"setting": "quarantine-days", "value": "3"}
    ]
    one_line_error(cli("ipam", "settings", "headroom", "lots"), "headroom must be a fraction")
    verify_space(store)


# -- find / tree / free / usage --------------------------------------------


@pytest.fixture
def planned(city, store):
    """源城区 10.64.0.0/16 + 2001:db8::/40; its towns, purpose subnets and hosts."""
    for unit, size in [("源城区", "/16"), ("源城区", "/40"), ("紫金县", "/16")]:
        space.alloc(store, space.AllocRequest(assignee=unit, size=size))
    for size in ("/20", "/48"):
        space.alloc(store, space.AllocRequest(assignee="上城街道", size=size))
    for size in ("/24", "/64"):
        space.alloc(
            store,
            space.AllocRequest(within="上城街道", assignee="上城街道", size=size, purpose="office"),
        )
    addresses.assign(store, "10.64.0.20", "zw-web-01")
    return city


def test_find_chain_most_specific_last(planned, store):
    cli = planned
    chain = cli.json("ipam", "find", "10.64.0.20")
    # An address's hostname has its own field: it is not the prefix's purpose.
    assert [(r["prefix"], r["org_path"], r["purpose"], r["hostname"]) for r in chain] == [
        ("10.64.0.0/12", "河源市", None, None),
        ("10.64.0.0/16", "河源市/源城区", None, None),
        ("10.64.0.0/20", "河源市/源城区/上城街道", None, None),
        ("10.64.0.0/24", "河源市/源城区/上城街道", "office", None),
        ("10.64.0.20/32", None, None, "zw-web-01"),
    ]
    assert [r["depth"] for r in chain] == [0, 1, 2, 3, 4]
    assert chain[-1]["status"] == "address active"
    v6 = cli.json("ipam", "find", "2001:db8::/56")
    assert [r["prefix"] for r in v6] == ["2001:db8::/32", "2001:db8::/40", "2001:db8::/48"]
    cli.ok("ipam", "vrf", "add", "video")
    cli.ok("ipam", "pool", "add", "10.64.0.0/16", "--vrf", "video")
    both = cli.json("ipam", "find", "10.64.0.20")
    assert [(r["vrf"], r["prefix"]) for r in both if r["vrf"] == "video"] == [
        ("video", "10.64.0.0/16")
    ]
    assert len(cli.json("ipam", "find", "10.64.0.20", "--vrf", "video")) == 1
    table = cli.ok("ipam", "find", "10.64.0.20")
    assert "上城街道" in table.stdout and "zw-web-01" in table.stdout
    assert "hostname" in table.stdout
    missing = cli("ipam", "find", "192.168.1.1")
    assert missing.exit_code == 1 and "in no prefix" in missing.stderr
    one_line_error(cli("ipam", "find", "10.64.0.300"), "not a valid IP address")


def test_tree(planned):
    cli = planned
    top = cli.json("ipam", "tree")
    assert [n["prefix"] for n in top] == ["10.64.0.0/12", "2001:db8::/32"]
    county = top[0]["children"][0]
    assert (county["prefix"], county["org_path"]) == ("10.64.0.0/16", "河源市/源城区")
    assert [c["prefix"] for c in county["children"]] == ["10.64.0.0/20"]
    assert [c["prefix"] for c in county["children"][0]["children"]] == ["10.64.0.0/24"]
    shallow = cli.json("ipam", "tree", "--depth", "1")
    assert [c["prefix"] for c in shallow[0]["children"]] == ["10.64.0.0/16", "10.65.0.0/16"]
    assert all(c["children"] == [] for c in shallow[0]["children"])
    mine = cli.json("ipam", "tree", "--org", "上城街道")
    assert [n["prefix"] for n in mine] == ["10.64.0.0/20", "2001:db8::/48"]
    assert [c["purpose"] for c in mine[0]["children"]] == ["office"]
    sub = cli.json("ipam", "tree", "10.64.0.0/16", "-d", "0")
    assert sub == [
        {
            "prefix": "10.64.0.0/16",
            "status": "allocated",
            "org_code": COUNTY_A,
            "org_path": "河源市/源城区",
            "purpose": None,
            "children": [],
        }
    ]
    flat = cli.ok("ipam", "tree", "10.64.0.0/16", "--format", "csv").stdout.splitlines()
    assert flat[0] == "prefix,status,org_code,org_path,purpose,depth"
    assert flat[1:] == [
        f"10.64.0.0/16,allocated,{COUNTY_A},河源市/源城区,,0",
        f"10.64.0.0/20,allocated,{TOWN_A1},河源市/源城区/上城街道,,1",
        f"10.64.0.0/24,allocated,{TOWN_A1},河源市/源城区/上城街道,office,2",
    ]
    assert "10.64.0.0/20" in cli.ok("ipam", "tree").stdout
    one_line_error(cli("ipam", "tree", "10.99.0.0/16"), "no prefix 10.99.0.0/16")
    one_line_error(cli("ipam", "tree", "--org", "不存在"), "no org unit")
    assert cli("ipam", "tree", "--depth", "x").exit_code == 2


def test_free(planned):
    cli = planned
    free = cli.json("ipam", "free", "10.64.0.0/16")
    assert free["free"] == [
        "10.64.16.0/20",
        "10.64.32.0/19",
        "10.64.64.0/18",
        "10.64.128.0/17",
    ]
    assert free["free_addresses"] == 65536 - 4096
    assert free["free_percent"] == 93.75
    # The free /64s of a /48: one is taken.
    sized = cli.json("ipam", "free", "2001:db8::/48", "--size", "/64")
    assert (sized["count"], sized["first"]) == (65535, "2001:db8:0:1::/64")
    line = cli.ok("ipam", "free", "2001:db8::/48", "--size", "/64").stdout
    assert line == "65535 free /64 in 2001:db8::/48; first: 2001:db8:0:1::/64\n"
    sized = cli.json("ipam", "free", "10.64.0.0/16", "--size", "/18")
    assert (sized["count"], sized["first"]) == (3, "10.64.64.0/18")
    full = cli.json("ipam", "free", "10.64.0.0/24", "--size", "/32")
    assert (full["count"], full["first"]) == (256, "10.64.0.0/32")
    one_line_error(cli("ipam", "free", "10.64.0.0/16", "--size", "/8"), "between /16 and /32")
    one_line_error(cli("ipam", "free", "10.64.0.0/16", "--size", "/33"), "between /16 and /32")
    lines = cli.ok("ipam", "free", "10.64.0.0/16").stdout.splitlines()
    assert lines == free["free"]


def test_usage(planned):
    cli = planned
    counties = cli.json("ipam", "usage", "--level", "county")
    by_code = {r["code"]: r for r in counties}
    assert set(by_code) == {COUNTY_A, "441621000000"}
    a = by_code[COUNTY_A]
    assert (a["v4_blocks"], a["v4_assigned"], a["v4_used"], a["v4_free"]) == (
        1,
        65536,
        4096,
        61440,
    )
    assert a["v4_percent"] == 6.2
    # IPv6 in /64s: a /40 holds 2**24, the town's /48 uses 2**16 of them.
    assert (a["v6_assigned"], a["v6_used"], a["v6_free"]) == (2**24, 2**16, 2**24 - 2**16)
    assert a["v6_percent"] == 0.4
    b = by_code["441621000000"]
    assert (b["v4_assigned"], b["v4_used"], b["v6_assigned"], b["v6_percent"]) == (
        65536,
        0,
        0,
        None,
    )
    sub = cli.json("ipam", "usage", "--org", "源城区")
    assert [r["name"] for r in sub] == ["源城区", "上城街道", "新江街道"]
    town = sub[1]
    # The town's office /24 and /64 are its own purpose subnets: counted once, inside.
    assert (town["v4_blocks"], town["v4_assigned"], town["v4_used"]) == (1, 4096, 256)
    assert (town["v6_assigned"], town["v6_used"]) == (65536, 1)
    assert sub[2]["v4_assigned"] == 0
    assert "源城区" in cli.ok("ipam", "usage", "--level", "county").stdout
    assert cli("ipam", "usage", "--level", "planet").exit_code == 2


# -- check -----------------------------------------------------------------


def test_check_clean_and_orphans(planned, store):
    cli = planned
    code, found = problems(cli)
    assert code == 0
    assert {p["severity"] for p in found} <= {"warning"}
    ok = cli.ok("ipam", "check")
    assert "0 errors" in ok.stderr
    # A prefix recorded outside every pool is an orphan: an error.
    cli.ok("ipam", "add", "192.168.0.0/24")
    code, found = problems(cli)
    assert code == 1
    assert [(p["kind"], p["prefix"]) for p in found if p["severity"] == "error"] == [
        ("orphan", "192.168.0.0/24")
    ]
    # A pool laid over it later takes it in, and all is well again.
    cli.ok("ipam", "pool", "add", "192.168.0.0/16")
    assert problems(cli)[0] == 0
    # --strict: the warnings (units without a block) fail too.
    assert cli("ipam", "check", "--strict").exit_code == 1


def test_check_finds_corruption(planned, store):
    cli = planned
    ids = {
        r["cidr"]: r["id"]
        for r in rows(store, "SELECT id, cidr FROM prefix WHERE vrf_id = (SELECT min(id) FROM vrf)")
    }
    town_b1 = rows(store, "SELECT id FROM org_unit WHERE code = ?", (TOWN_B1,))[0]["id"]
    # Aggregation: 上城街道's /20 handed to a town of 紫金县.
    execute(store, "UPDATE prefix SET org_id = ? WHERE cidr = '10.64.0.0/20'", (town_b1,))
    # Free index: a free block lost from the county's /16.
    execute(
        store,
        "DELETE FROM free_block WHERE container_id = ? AND plen = 17",
        (ids["10.64.0.0/16"],),
    )
    # Orphan address: an address filed under a prefix that does not hold it.
    execute(store, "UPDATE ip_address SET prefix_id = ?", (ids["10.65.0.0/16"],))
    # Outside its parent: the office /24 hung under 紫金县's /16.
    execute(
        store,
        "UPDATE prefix SET parent_id = ? WHERE cidr = '10.64.0.0/24'",
        (ids["10.65.0.0/16"],),
    )
    code, found = problems(cli)
    assert code == 1
    errors = {(p["kind"], p["prefix"]) for p in found if p["severity"] == "error"}
    assert ("aggregation", "10.64.0.0/20") in errors
    assert ("index", "10.64.0.0/16") in errors
    assert ("orphan", "10.65.0.0/16") in errors
    assert ("outside-parent", "10.64.0.0/24") in errors
    result = cli("ipam", "check")
    assert result.exit_code == 1 and "errors" in result.stderr


def test_check_finds_an_index_that_sums_right_but_is_wrong(cli, store):
    cli.ok("ipam", "pool", "add", "10.0.0.0/24")
    cli.ok("ipam", "add", "10.0.0.0/26")
    pool = rows(store, "SELECT id FROM prefix WHERE cidr = '10.0.0.0/24'")[0]["id"]
    assert problems(cli)[0] == 0
    # Same total, but the free /26 (10.0.0.64) now lies over the allocated 10.0.0.0/26.
    execute(store, "DELETE FROM free_block WHERE container_id = ? AND plen = 26", (pool,))
    execute(
        store,
        "INSERT INTO free_block (container_id, plen, net) VALUES (?, 26, ?)",
        (pool, bytes(12) + bytes([10, 0, 0, 0])),
    )
    code, found = problems(cli)
    assert code == 1
    assert [(p["kind"], p["prefix"]) for p in found] == [("index", "10.0.0.0/24")]


def test_overlapping_siblings(cli, store):
    """SQLite: `ipam check` finds them; PostgreSQL: the database refuses them outright."""
    cli.ok("ipam", "pool", "add", "10.0.0.0/16")
    cli.ok("ipam", "add", "10.0.1.0/24")
    pool = rows(store, "SELECT id FROM prefix WHERE cidr = '10.0.0.0/16'")[0]["id"]
    raw = (
        "INSERT INTO prefix (vrf_id, family, net, plen, cidr, parent_id, status, created_at)"
        " VALUES (1, 4, ?, 23, '10.0.0.0/23', ?, 'allocated', 'now')"
    )
    net = bytes(12) + bytes([10, 0, 0, 0])
    if store.dialect == "postgresql":
        import psycopg

        with pytest.raises(psycopg.errors.ExclusionViolation):
            execute(store, raw, (net, pool))
        assert cidrs(store) == {"10.0.0.0/16", "10.0.1.0/24"}
        return
    execute(store, raw, (net, pool))
    code, found = problems(cli)
    assert code == 1
    assert ("overlap", "10.0.1.0/24") in {(p["kind"], p["prefix"]) for p in found}


# -- refused input ---------------------------------------------------------

BAD_INPUT = [
    (["ipam", "add", "10.64.1.3/24"], ["host bits set", "did you mean 10.64.1.0/24"]),
    (["ipam", "add", "10.64.300.0/24"], ["not a valid CIDR"]),
    (["ipam", "add", "10.64.1.0"], ["not a CIDR"]),
    (["ipam", "add", "zw-web/24"], ["not a valid CIDR"]),
    (["ipam", "add", "10.64.0.0/33"], ["not a valid CIDR"]),
    (["ipam", "add", "2001:db8::/129"], ["not a valid CIDR"]),
    (["ipam", "pool", "add", "10.128.0.0/-1"], ["not a valid CIDR"]),
    (["ipam", "alloc", "--from", "10.64.0.0/16", "--size", "/8"], ["/8 is not smaller"]),
    (["ipam", "alloc", "--from", "10.64.0.0/16", "--size", "/33"], ["not a valid IPv4 prefix"]),
    (["ipam", "alloc", "--from", "10.64.0.0/16", "--size", "big"], ["not a valid IPv4 prefix"]),
    (["ipam", "alloc", "--from", "10.64.0.0/16", "--size", "/64"], ["not a valid IPv4 prefix"]),
    (
        ["ipam", "alloc", "--from", "10.64.0.0/16", "--size", "/24", "--family", "6"],
        ["10.64.0.0/16 is not an IPv6 prefix"],
    ),
    (
        ["ipam", "alloc", "--from", "10.64.0.0/16", "--size", "/17", "--count", "2"],
        [
            "only 1 of 2 /17s fit in 10.64.0.0/16 (",
            "48896 addresses free",
            "largest free block 10.64.128.0/17",
            "nothing allocated",
        ],
    ),
    (
        ["ipam", "alloc", "--from", "10.64.0.0/16", "--size", "/16"],
        ["/16 is not smaller than 10.64.0.0/16"],
    ),
    (
        ["ipam", "alloc", "--org", "源城区", "--size", "/17", "-n", "2", "--family", "4"],
        ["only 1 of 2 /17s fit in 10.64.0.0/16", "largest free block 10.64.128.0/17"],
    ),
    (["ipam", "add", "2001:db8:1::/48", "--org", "上城街道"], ["has no IPv6 block"]),
    (["ipam", "alloc", "--org", "源城区", "--size", "/64", "--family", "4"], ["not a valid IPv4"]),
    (["ipam", "add", "10.64.9.0/24", "--vrf", "nosuch"], ["no VRF named 'nosuch'", "egov"]),
    (["ipam", "alloc", "--from", "10.64.0.0/16", "-s", "/24", "--vrf", "nosuch"], ["no VRF"]),
    (["ipam", "add", "10.64.9.0/24", "--org", "不存在街道"], ["no org unit with name"]),
    (["ipam", "alloc", "--for", "999999999999", "-s", "/24"], ["no org unit with code"]),
    (["ipam", "release", "10.64.0.0/16"], ["child prefixes"]),
    (["ipam", "release", "10.64.7.0/24"], ["no prefix 10.64.7.0/24"]),
    (["ipam", "reserve", "10.64.0.0/23"], ["overlaps 10.64.0.0/24"]),
    (["ipam", "ip", "next", "10.64.0.0/16"], ["divided into"]),
    (["ipam", "ip", "assign", "2001:db9::1"], ["no prefix in VRF egov holds 2001:db9::1"]),
    (["ipam", "ip", "assign", "2001:db8::1"], ["2001:db8::/32 is a pool"]),
    (["ipam", "ip", "assign", "10.64.0.0"], ["network address"]),
]


def test_bad_input_is_one_line_and_writes_nothing(city, store):
    cli = city
    cli.ok("ipam", "alloc", "--for", "源城区", "--size", "/16")
    cli.ok("ipam", "alloc", "--org", "源城区", "--size", "/24", "-P", "office")
    cli.ok("ipam", "alloc", "--org", "源城区", "--size", "/18", "-P", "video")
    before = snapshot(store)
    for args, fragments in BAD_INPUT:
        result = cli(*args)
        one_line_error(result, *fragments)
        assert snapshot(store) == before, args


@pytest.mark.parametrize(
    "args",
    [
        ["ipam", "add"],
        ["ipam", "vrf", "add"],
        ["ipam", "pool", "add"],
        ["ipam", "release"],
        ["ipam", "free"],
        ["ipam", "find"],
        ["ipam", "ip", "next"],
        ["ipam", "alloc", "--from", "10.0.0.0/8", "--size", "/24", "--count", "abc"],
        ["ipam", "alloc", "--from", "10.0.0.0/8", "--size", "/24", "--count", "0"],
        ["ipam", "alloc", "--from", "10.0.0.0/8", "--hosts", "many"],
        ["ipam", "alloc", "--from", "10.0.0.0/8", "--size", "/24", "--family", "x"],
        ["ipam", "release", "10.0.0.0/8", "--quarantine-days", "soon"],
        ["ipam", "tree", "--depth", "-1"],
        ["ipam", "export", "--format", "xml"],
        ["ipam", "alloc", "--from", "10.0.0.0/8", "--org", "a", "--org", "b", "-s", "/24"],
        ["ipam", "alloc", "--from", "10.0.0.0/8", "--org", "a", "--for", "b", "-s", "/24"],
        ["ipam", "alloc", "--from", "10.0.0.0/8"],
        ["ipam", "alloc", "--from", "10.0.0.0/8", "--size", "/24", "--hosts", "5"],
        ["ipam", "alloc", "--size", "/24"],
        ["ipam", "alloc", "--org", "a", "--org", "b", "--for", "c", "-s", "/24"],
        ["ipam", "no-such-command"],
    ],
)
def test_usage_errors_exit_2(sqlite_cli, args):
    usage_error(sqlite_cli(*args))


def test_every_ipam_command_has_help(sqlite_cli):
    names = [
        ["vrf", "add"],
        ["vrf", "list"],
        ["pool", "add"],
        ["pool", "list"],
        ["add"],
        ["alloc"],
        ["release"],
        ["reserve"],
        ["settings"],
        ["ip", "next"],
        ["ip", "assign"],
        ["ip", "release"],
        ["ip", "list"],
        ["find"],
        ["tree"],
        ["free"],
        ["usage"],
        ["check"],
        ["export"],
        ["import"],
    ]
    for name in names:
        result = sqlite_cli("ipam", *name, "--help")
        assert result.exit_code == 0, name
        assert "Example: govops ipam" in result.stdout, name


def test_library_views_agree_with_cli(planned, store):
    """The JSON output is the library's own result, not a re-rendering."""
    cli = planned
    assert cli.json("ipam", "find", "10.64.0.20") == views.find(store, "10.64.0.20")
    assert cli.json("ipam", "free", "10.64.0.0/16") == views.free(store, "10.64.0.0/16")
    assert cli.json("ipam", "ip", "list", "10.64.0.0/24") == addresses.of_block(
        store, "10.64.0.0/24"
    )
    assert cli.json("ipam", "vrf", "list") == space.list_vrfs(store)


def test_the_cli_names_the_flag_that_is_the_way_out(city, store, tmp_path):
    cli = city
    cli.ok("ipam", "alloc", "--for", "源城区", "--size", "/16")
    cli.ok("ipam", "alloc", "--org", "源城区", "--size", "/24", "-P", "office")
    before = snapshot(store)
    # Commands with --strict/--no-strict say how to normalise; the library does not.
    for args in (["add", "10.64.2.3/24"], ["reserve", "10.64.2.3/24"]):
        one_line_error(cli("ipam", *args), "has host bits set", "(pass --no-strict to normalise)")
    line = one_line_error(cli("ipam", "release", "10.64.2.3/24"), "has host bits set")
    assert "--no-strict" not in line  # release has no such option
    one_line_error(
        cli("ipam", "release", "10.64.0.0/16"),
        "1 child prefixes",
        "release it with them (--recursive)",
    )
    one_line_error(
        cli("ipam", "alloc", "--for", "河源市", "-s", "/16"),
        "top-level unit: name the prefix to allocate from (--from CIDR)",
    )
    one_line_error(
        cli("ipam", "alloc", "--for", "紫金县", "--hosts", "50"),
        "has IPv4 and IPv6 blocks; say which family (--family 4 or 6)",
    )
    one_line_error(
        cli("ipam", "free", "10.64.0.0/16", "--size", "/8"),
        "size /8 must be a prefix length between /16 and /32",
    )
    odd = tmp_path / "ipam.txt"
    odd.write_text("{}", encoding="utf-8")
    one_line_error(cli("ipam", "import", str(odd)), "unknown format 'txt'", "(or --format)")
    assert snapshot(store) == before
    # Usage errors keep naming the options (exit 2).
    result = cli("ipam", "alloc", "--from", "10.64.0.0/16", "--size", "/24", "--hosts", "5")
    assert result.exit_code == 2 and "--size or --hosts" in result.stderr


def test_library_refusals_name_no_cli_flags():
    """Every message a library module raises speaks of the thing, not of an option."""
    import ast
    import re
    from pathlib import Path

    flag = re.compile(r"(?<![\w-])--[a-z]")
    found = []
    for path in sorted(Path(space.__file__).parent.glob("*.py")):
        if path.name == "cli.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Raise) or node.exc is None:
                continue
            for part in ast.walk(node.exc):
                if isinstance(part, ast.Constant) and isinstance(part.value, str):
                    if flag.search(part.value):
                        found.append((path.name, node.lineno, part.value))
    assert found == []


def test_check_strict_counts_once(planned, store):
    cli = planned
    code, found = problems(cli)
    warnings = [p for p in found if p["severity"] == "warning"]
    assert code == 0 and warnings and not [p for p in found if p["severity"] == "error"]
    plain = cli.ok("ipam", "check")
    assert f"0 errors, {len(warnings)} warnings" in plain.stderr
    strict = cli("ipam", "check", "--strict")
    assert strict.exit_code == 1
    assert f"0 errors, {len(warnings)} warnings (warnings fail under --strict)" in strict.stderr
    assert views.tally(found, strict=True) == views.Tally(0, len(warnings), True)


# -- hostile input -----------------------------------------------------------


def test_hostile_numbers_and_references_are_refused_at_once(city, store):
    cli = city
    before = snapshot(store)
    for args, fragment in [
        (["ipam", "alloc", "--from", "10.64.0.0/12", "-s", "/29", "--count", "10000000"], "20000"),
        (["ipam", "alloc", "--from", "10.64.0.0/12", "-s", "/29", "--count", "²"], "count"),
        (["ipam", "alloc", "--from", "10.64.0.0/12", "--hosts", "٣"], "hosts"),
        (["ipam", "release", "10.64.0.0/16", "--quarantine-days", "2914000"], "0 to 3650"),
        (["ipam", "release", "10.64.0.0/16", "--quarantine-days", "²"], "quarantine days"),
        (["ipam", "alloc", "--org", "河源市", "--org", "", "--size", "/24"], "empty unit"),
        (["ipam", "alloc", "--for", " ", "--size", "/24"], "empty unit"),
        (["ipam", "add", "10.64.0.0/16", "--org", ""], "empty unit"),
        (["ipam", "pool", "add", "10.128.0.0/12", "--org", ""], "empty unit"),
        (["ipam", "tree", "--org", ""], "empty unit"),
        (["ipam", "usage", "--org", ""], "empty unit"),
        (["ipam", "coverage", "--org", ""], "empty unit"),
        (["ipam", "pairs", "--org", ""], "empty unit"),
    ]:
        result = cli(*args)
        assert result.exit_code == 2, (args, result.exit_code, result.stderr)
        assert fragment in result.stderr and "Traceback" not in result.stderr, args
    assert snapshot(store) == before
    for value, fragment in [("99999999999", "0 to 3650"), ("²", "whole number")]:
        one_line_error(cli("ipam", "settings", "quarantine-days", value), fragment)
    for value in ("nan", "inf", "1e999"):
        one_line_error(cli("ipam", "settings", "headroom", value), "headroom must be a fraction")
    assert snapshot(store) == before


def test_count_help_states_the_bound(sqlite_cli):
    result = sqlite_cli("ipam", "alloc", "--help")
    assert result.exit_code == 0
    assert f"at most {space.MAX_COUNT} in one request" in " ".join(result.stdout.split())


def test_a_bad_stored_setting_names_the_command_that_fixes_it(city, store):
    cli = city
    cli.ok("ipam", "alloc", "--from", "10.64.0.0/12", "-s", "/24")
    execute(
        store, "INSERT INTO setting (key, value) VALUES ('ipam.quarantine_days', '99999999999')"
    )
    line = one_line_error(
        cli("ipam", "release", "10.64.0.0/24"),
        "the stored setting quarantine-days is '99999999999'",
        "(govops ipam settings quarantine-days VALUE)",
    )
    assert "Overflow" not in line
    # The way out works, and a release with its own days never reads the setting.
    cli.ok("ipam", "release", "10.64.0.0/24", "--quarantine-days", "0")
    cli.ok("ipam", "settings", "quarantine-days", "7")
    cli.ok("ipam", "alloc", "--from", "10.64.0.0/12", "-s", "/24")
    assert "quarantined until" in cli.ok("ipam", "release", "10.64.0.0/24").stderr


def test_reserve_refuses_live_blocks_and_check_finds_one(city, store):
    cli = city
    cli.ok("ipam", "alloc", "--for", "源城区", "--size", "/16")
    cli.ok("ipam", "alloc", "--for", "上城街道", "--size", "/20")
    before = snapshot(store)
    one_line_error(cli("ipam", "reserve", "10.64.0.0/16"), "10.64.0.0/16 is allocated")
    one_line_error(cli("ipam", "reserve", "10.64.0.0/12"), "10.64.0.0/12 is a pool")
    assert snapshot(store) == before
    assert problems(cli)[0] == 0
    execute(store, "UPDATE prefix SET status = 'reserved' WHERE cidr = '10.64.0.0/16'")
    code, found = problems(cli)
    assert code == 1
    assert [p["kind"] for p in found if p["severity"] == "error"] == ["reserved-in-use"]
