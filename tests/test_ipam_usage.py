"""Usage per unit and per tier: grouped by province where provinces exist, as
before in a city-only database; on SQLite and PostgreSQL."""

from __future__ import annotations

from ipam_helpers import CITY, COUNTY_A, make_orgs

from infra.org import units as org
from ipam import space, views

GD = "440000000000"  # 广东省
ZJ = "330000000000"  # 浙江省
HZ = "330100000000"  # 浙江省/杭州市

FIGURES = ["v4_blocks", "v4_assigned", "v4_used", "v4_free", "v4_percent"]


def alloc(store, unit: str, size: str) -> None:
    space.alloc(store, space.AllocRequest(assignee=unit, size=size))


def test_city_only_usage_has_no_province(store):
    make_orgs(store)
    space.add(store, "10.64.0.0/12", CITY, status="container", pool=True)
    alloc(store, COUNTY_A, "/16")
    rows = views.usage(store)
    assert [r["path"] for r in rows][:3] == ["河源市", "河源市/源城区", "河源市/紫金县"]
    assert list(rows[0])[:4] == ["code", "name", "level", "path"]
    assert all("province" not in r for r in rows)
    tiers = views.usage_by_tier(store)
    assert [(t["tier"], t["units"]) for t in tiers] == [("city", 1), ("county", 2), ("town", 3)]
    assert list(tiers[0])[:2] == ["tier", "units"]
    assert (tiers[0]["v4_assigned"], tiers[0]["v4_used"]) == (1 << 20, 1 << 16)


def test_usage_is_grouped_by_province(store, cli):
    org.add(store, "广东省", "province", code=GD)
    org.add(store, "河源市", "city", GD, CITY)
    org.add(store, "源城区", "county", CITY, COUNTY_A)
    org.add(store, "浙江省", "province", code=ZJ)
    org.add(store, "杭州市", "city", ZJ, HZ)
    space.add(store, "10.0.0.0/9", "广东省", status="container", pool=True)
    space.add(store, "10.128.0.0/9", "浙江省", status="container", pool=True)
    alloc(store, CITY, "/12")
    alloc(store, COUNTY_A, "/16")
    alloc(store, HZ, "/12")
    alloc(store, HZ, "/13")  # 杭州市 holds two blocks
    rows = views.usage(store)
    # Province by province (by division code), tier by tier inside each.
    assert [(r["province"], r["path"]) for r in rows] == [
        ("浙江省", "浙江省"),
        ("浙江省", "浙江省/杭州市"),
        ("广东省", "广东省"),
        ("广东省", "广东省/河源市"),
        ("广东省", "广东省/河源市/源城区"),
    ]
    assert [r["v4_blocks"] for r in rows] == [1, 2, 1, 1, 1]
    tiers = views.usage_by_tier(store)
    assert [(t["province"], t["tier"], t["units"], t["v4_assigned"]) for t in tiers] == [
        ("浙江省", "province", 1, 1 << 23),
        ("浙江省", "city", 1, (1 << 20) + (1 << 19)),
        ("广东省", "province", 1, 1 << 23),
        ("广东省", "city", 1, 1 << 20),
        ("广东省", "county", 1, 1 << 16),
    ]
    assert tiers[3]["v4_used"] == 1 << 16
    # One province's subtree, one tier.
    only = views.usage(store, "city", "广东省")
    assert [(r["province"], r["name"]) for r in only] == [("广东省", "河源市")]
    assert cli.json("ipam", "usage") == rows
    table = cli.ok("ipam", "usage", "--level", "city").stdout
    assert "province" in table and "浙江省" in table and "广东省" in table
