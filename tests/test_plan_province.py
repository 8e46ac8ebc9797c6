"""A province as a plan's root: province → cities → counties → towns → villages,
aggregating at every tier, one of the cities without counties (东莞-style)."""

from __future__ import annotations

import ipaddress
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import Cli, one_line_error

from infra.store import Store
from ipam import plan, views

PROVINCE = "450000000000"
CITY = "450100000000"  # with counties
FLAT = "451900000000"  # towns directly under the city

PLAN: dict[str, Any] = {
    "vrf": "egov",
    "root": PROVINCE,
    "headroom": 0.5,
    "ipv4": {
        "pool": "10.0.0.0/10",
        "needs": {
            "province": {"core": 1000},
            "city": {"core": 500, "dmz": 100},
            "county": {"office": 250},
            "town": {"office": 120},
            "village": {"office": 28, "video": 12},
        },
    },
    "ipv6": {"pool": "2001:db8::/32", "site": 56, "subnet": 64},
}


def province_tree() -> list[tuple[str, str, str, str]]:
    """(code, name, level, parent_code): 2 cities, one with 2 counties, one with none."""
    rows = [(PROVINCE, "测试省", "province", ""), (CITY, "甲市", "city", PROVINCE)]
    for c in (2, 3):
        county = f"4501{c:02d}000000"
        rows.append((county, f"甲{c}区", "county", CITY))
        for t in range(1, c + 1):
            town = f"{county[:6]}{t:03d}000"
            rows.append((town, f"甲{c}区{t}镇", "town", county))
            for v in range(1, t + 2):
                rows.append((f"{town[:9]}{v:03d}", f"甲{c}区{t}镇{v}村", "village", town))
    rows.append((FLAT, "乙市", "city", PROVINCE))
    for t in range(1, 4):
        town = f"451900{t:03d}000"
        rows.append((town, f"乙{t}镇", "town", FLAT))
        for v in range(1, t + 1):
            rows.append((f"{town[:9]}{v:03d}", f"乙{t}镇{v}村", "village", town))
    return rows


def write(path: Path, doc: Any) -> Path:
    if path.suffix == ".csv":
        lines = ["code,name,level,parent_code"] + [",".join(r) for r in doc]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    else:
        path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return path


def plan_doc(**changes: Any) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(json.dumps(PLAN))
    doc.update(changes)
    return doc


@pytest.fixture
def province(cli: Cli, tmp_path: Path) -> Cli:
    cli.ok("org", "import", str(write(tmp_path / "tree.csv", province_tree())))
    return cli


def aggregates(prefixes: list[dict[str, Any]]) -> dict[tuple[str, int], list[Any]]:
    """Each unit's outermost blocks (no purpose) per family."""
    out: dict[tuple[str, int], list[Any]] = {}
    for p in prefixes:
        if p["purpose"] is None:
            net = ipaddress.ip_network(p["prefix"])
            out.setdefault((p["org_code"], net.version), []).append(net)
    return out


def test_province_plan_gives_every_unit_blocks_that_aggregate(
    province: Cli, tmp_path: Path
) -> None:
    plan_file = str(write(tmp_path / "p.yaml", plan_doc()))
    out = province.json("ipam", "plan", plan_file, "--apply")
    assert out["applied"] and out["new"] == len(out["prefixes"])
    assert province("ipam", "check").exit_code == 0
    parent = {code: parent for code, _, _, parent in province_tree()}
    agg = aggregates(out["prefixes"])
    for code, up in parent.items():
        for family in (4, 6):
            mine = agg.get((code, family))
            assert mine, f"{code} has no IPv{family} block"
            if up:
                assert all(any(n.subnet_of(p) for p in agg[(up, family)]) for n in mine), code
    assert [str(n) for n in agg[(PROVINCE, 4)]] == ["10.0.0.0/10"]
    assert [str(n) for n in agg[(PROVINCE, 6)]] == ["2001:db8::/32"]
    # The province tier's own needs: its core subnet, paired with its /64.
    core = [p for p in out["prefixes"] if p["org_code"] == PROVINCE and p["purpose"] == "core"]
    assert {p["family"] for p in core} == {4, 6}
    pairs = province.json("ipam", "pairs", "--org", PROVINCE)
    purposes = sum(len(PLAN["ipv4"]["needs"][level]) for _, _, level, _ in province_tree())
    assert len(pairs) == out["pairs"] == purposes


def test_ipv6_levels_get_a_nibble_level_for_the_province_tier(
    province: Cli, tmp_path: Path
) -> None:
    out = province.json("ipam", "plan", str(write(tmp_path / "p.yaml", plan_doc())), "--apply")
    fit = next(f for f in out["fits"] if f["family"] == 6)
    levels = [int(n.lstrip("/")) for n in fit["levels"]]
    # /32 province; 2 cities + own site, doubled: 6 slots, 4 bits; then the cities' and
    # counties' fan-out below, one level per depth of the tree.
    assert levels[:2] == [32, 36] and len(levels) == 5
    assert all(b - a in (4, 8) for a, b in zip(levels, levels[1:], strict=False))
    by_code = {
        (p["org_code"]): ipaddress.ip_network(p["prefix"]).prefixlen
        for p in out["prefixes"]
        if p["family"] == 6 and p["purpose"] is None
    }
    assert by_code[PROVINCE] == 32 and by_code[CITY] == by_code[FLAT] == 36
    # The flat city's towns sit one level below it, like the other city's counties.
    assert by_code["451900001000"] == by_code["450102000000"] == levels[2]
    assert by_code["450102001001"] == levels[4] and by_code["451900001001"] == levels[3]


def test_reapplying_a_province_plan_changes_nothing(province: Cli, tmp_path: Path) -> None:
    plan_file = str(write(tmp_path / "p.yaml", plan_doc()))
    first = province.json("ipam", "plan", plan_file, "--apply")
    exported = province.ok("ipam", "export").stdout
    again = province.json("ipam", "plan", plan_file, "--apply")
    assert again["new"] == 0 and again["kept"] == first["planned"]
    assert province.ok("ipam", "export").stdout == exported
    dry = province.json("ipam", "plan", plan_file)
    assert dry["new"] == 0 and not dry["applied"]


def test_growth_under_a_province_fills_in_without_renumbering(
    province: Cli, tmp_path: Path
) -> None:
    plan_file = str(write(tmp_path / "p.yaml", plan_doc()))
    old = {p["prefix"] for p in province.json("ipam", "plan", plan_file, "--apply")["prefixes"]}
    province.ok(
        "org", "add", "乙9镇", "--level", "town", "--parent", FLAT, "--code", "451900009000"
    )
    out = province.json("ipam", "plan", plan_file, "--apply")
    assert {p["org_code"] for p in out["prefixes"] if p["new"]} == {"451900009000"}
    assert old <= {p["prefix"] for p in out["prefixes"]}
    assert province("ipam", "check").exit_code == 0


def test_coverage_has_a_row_per_province_above_its_cities(province: Cli, tmp_path: Path) -> None:
    villages = sum(1 for r in province_tree() if r[2] == "village")
    province.ok("ipam", "plan", str(write(tmp_path / "p.yaml", plan_doc())), "--apply")
    rows = province.json("ipam", "coverage")
    by_code = {r["code"]: r for r in rows}
    assert rows[0]["code"] == PROVINCE and rows[0]["level"] == "province"
    assert rows[0]["villages"] == rows[0]["both"] == villages
    assert by_code[CITY]["villages"] + by_code[FLAT]["villages"] == villages
    # --depth still counts from the city: 1 gives its counties (or, 东莞-style, its towns).
    assert {r["level"] for r in rows} == {"province", "city", "county", "town"}
    assert "450102000000" in by_code and "451900001000" in by_code
    assert "450102001000" not in by_code
    deeper = province.json("ipam", "coverage", "--depth", "2")
    assert "450102001000" in {r["code"] for r in deeper}
    # Asked about one city, the answer is what it was before provinces.
    city = province.json("ipam", "coverage", "--org", CITY)
    assert [r["code"] for r in city] == [CITY, "450102000000", "450103000000"]


def test_city_plan_under_an_unaddressed_province_is_refused(province: Cli, tmp_path: Path) -> None:
    """The city's block would lie outside any block of its province."""
    doc = plan_doc(root=CITY)
    result = province("ipam", "plan", str(write(tmp_path / "p.yaml", doc)), "--apply")
    one_line_error(result, "breaks aggregation", "测试省")


def test_plan_library_on_a_province(store: Store, tmp_path: Path) -> None:
    from infra.org import importer as org_import

    org_import.import_file(store, write(tmp_path / "tree.csv", province_tree()))
    spec = plan.parse_spec(plan_doc())
    dry = plan.run(store, spec)
    assert not dry.applied and dry.changes
    tiers = {t["tier"] for t in dry.tiers}
    assert tiers == {"province", "city", "county", "town", "village"}
    done = plan.run(store, spec, apply=True)
    assert [p["prefix"] for p in done.prefixes] == [p["prefix"] for p in dry.prefixes]
    cover = views.coverage(store)
    assert cover[0]["code"] == PROVINCE and cover[0]["both_percent"] == 100.0


def test_a_city_replans_inside_the_block_its_province_plan_gave_it(
    province: Cli, tmp_path: Path
) -> None:
    out = province.json("ipam", "plan", str(write(tmp_path / "p.yaml", plan_doc())), "--apply")
    mine = aggregates(out["prefixes"])
    doc = plan_doc(root=CITY)
    doc["ipv4"]["pool"] = str(mine[(CITY, 4)][0])
    doc["ipv6"]["pool"] = str(mine[(CITY, 6)][0])
    again = province.json("ipam", "plan", str(write(tmp_path / "c.yaml", doc)), "--apply")
    assert again["new"] == 0 and again["kept"] > 0
    # A pool inside the province's block that is not the city's own is refused.
    doc["ipv4"]["pool"] = "10.63.0.0/16"
    line = one_line_error(
        province("ipam", "plan", str(write(tmp_path / "d.yaml", doc)), "--apply"),
        "10.63.0.0/16",
    )
    assert "--" not in line
