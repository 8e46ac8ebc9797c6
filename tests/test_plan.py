"""The four-tier planner: aggregation, nibble alignment, pairing, determinism,
idempotent re-apply, growth without renumbering, all-or-nothing overflow,
refusal of impossible plans."""

from __future__ import annotations

import ipaddress
import json
import random
from pathlib import Path

import pytest
import yaml
from conftest import SAMPLE, Cli, one_line_error

from infra.org import importer as org_import
from infra.org import units as orgs
from infra.store import Store
from ipam import plan, views

CITY = "441900000000"


def small_tree(seed: int = 7) -> list[tuple[str, str, str, str]]:
    """A made-up city with uneven fan-out: (code, name, level, parent_code)."""
    rng = random.Random(seed)
    rows = [(CITY, "测试市", "city", "440000000000")]
    for c in range(1, 4):
        county = f"4419{c:02d}000000"
        rows.append((county, f"第{c}区", "county", CITY))
        for t in range(1, rng.randint(2, 5) + 1):
            town = f"{county[:6]}{t:03d}000"
            rows.append((town, f"第{c}区{t}镇", "town", county))
            for v in range(1, rng.randint(1, 6) + 1):
                rows.append((f"{town[:9]}{v:03d}", f"{c}区{t}镇{v}村", "village", town))
    return rows


def write_tree(path: Path, rows: list[tuple[str, str, str, str]]) -> Path:
    lines = ["code,name,level,parent_code"] + [",".join(r) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


PLAN = {
    "vrf": "egov",
    "root": CITY,
    "headroom": 0.5,
    "ipv4": {
        "pool": "10.64.0.0/12",
        "needs": {
            "city": {"core": 500, "dmz": 100},
            "county": {"office": 250, "mgmt": 60},
            "town": {"office": 120, "mgmt": 14},
            "village": {"office": 28, "video": 12},
        },
    },
    "ipv6": {"pool": "2001:db8:100::/40", "site": 56, "subnet": 64},
}


def write_plan(path: Path, **changes: object) -> Path:
    doc = json.loads(json.dumps(PLAN))
    for key, value in changes.items():
        section, _, sub = key.partition("__")
        if sub:
            doc[section][sub] = value
        else:
            doc[section] = value
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture
def city(cli: Cli, tmp_path: Path) -> Cli:
    cli.ok("org", "import", str(write_tree(tmp_path / "tree.csv", small_tree())))
    return cli


def stored(store: Store) -> dict[str, dict]:
    rows = store.read(
        lambda tx: tx.all(
            "SELECT p.cidr, p.purpose, p.status, o.code FROM prefix p"
            " LEFT JOIN org_unit o ON o.id = p.org_id"
        )
    )
    return {r["cidr"]: dict(r) for r in rows}


def test_apply_aggregates_every_tier_and_check_passes(city: Cli, tmp_path: Path) -> None:
    out = city.json("ipam", "plan", str(write_plan(tmp_path / "p.yaml")), "--apply")
    assert out["applied"] and out["new"] == len(out["prefixes"])
    assert city("ipam", "check").exit_code == 0
    store = Store(city.db)
    try:
        blocks = stored(store)
        units = {u["code"]: u for u in orgs.list_units(store)}
        agg: dict[tuple[str, int], list[ipaddress._BaseNetwork]] = {}
        for cidr, r in blocks.items():
            net = ipaddress.ip_network(cidr)
            if r["code"] and r["purpose"] in (None, "site"):
                agg.setdefault((r["code"], net.version), []).append(net)
        for code, unit in units.items():
            for family in (4, 6):
                mine = agg.get((code, family))
                assert mine, f"{unit['path']} has no IPv{family} block"
                if unit["parent_code"] in units:
                    parents = agg[(unit["parent_code"], family)]
                    for net in mine:
                        assert any(net.subnet_of(p) for p in parents), (code, net)
        # Every purpose subnet lies inside its own unit's block.
        for cidr, r in blocks.items():
            if r["purpose"] not in (None, "site"):
                net = ipaddress.ip_network(cidr)
                assert any(net.subnet_of(b) for b in agg[(r["code"], net.version)])
    finally:
        store.close()


def test_ipv6_is_nibble_aligned_with_one_subnet_id_per_purpose(city: Cli, tmp_path: Path) -> None:
    out = city.json("ipam", "plan", str(write_plan(tmp_path / "p.yaml")), "--apply")
    v6 = [p for p in out["prefixes"] if p["family"] == 6]
    by_level: dict[str, set[int]] = {}
    ids: dict[str, set[int]] = {}
    for p in v6:
        net = ipaddress.ip_network(p["prefix"])
        if p["purpose"] is None:
            by_level.setdefault(p["org_level"], set()).add(net.prefixlen)
            assert (net.prefixlen - 40) % 4 == 0, p
        elif p["purpose"] == "site":
            assert net.prefixlen == 56
        else:
            assert net.prefixlen == 64
            ids.setdefault(p["purpose"], set()).add((int(net.network_address) >> 64) & 0xFF)
    # One length per tier, lengthening down the tiers, villages ending at the site length.
    assert set(by_level) == {"city", "county", "town", "village"}
    lengths = [by_level[level] for level in orgs.LEVELS if level in by_level]
    assert all(len(s) == 1 for s in lengths)
    flat = [s.pop() for s in lengths]
    assert flat == sorted(flat) and flat[0] == 40 and flat[-1] <= 56
    assert all(len(v) == 1 for v in ids.values()), ids  # office ends in the same nibbles everywhere
    assert len({next(iter(v)) for v in ids.values()}) == len(ids)


def test_every_ipv4_purpose_subnet_is_paired_with_its_ipv6_64(city: Cli, tmp_path: Path) -> None:
    out = city.json("ipam", "plan", str(write_plan(tmp_path / "p.yaml")), "--apply")
    v4 = [p for p in out["prefixes"] if p["family"] == 4 and p["purpose"]]
    pairs = city.json("ipam", "pairs")
    assert len(pairs) == len(v4) == out["pairs"]
    by_v4 = {p["ipv4"]: p for p in pairs}
    v6 = {(p["org_code"], p["purpose"]): p["prefix"] for p in out["prefixes"] if p["family"] == 6}
    for p in v4:
        pair = by_v4[p["prefix"]]
        assert pair["purpose"] == p["purpose"] and pair["org_code"] == p["org_code"]
        assert pair["ipv6"] == v6[(p["org_code"], p["purpose"])]


def test_same_input_same_plan_whatever_the_row_order(tmp_path: Path) -> None:
    rows = small_tree()
    shuffled = [rows[0]] + random.Random(3).sample(rows[1:], len(rows) - 1)
    results = []
    for i, tree in enumerate((rows, shuffled)):
        cli = Cli(str(tmp_path / f"d{i}.db"))
        cli.ok("org", "import", str(write_tree(tmp_path / f"t{i}.csv", tree)))
        out = cli.json("ipam", "plan", str(write_plan(tmp_path / "p.yaml")), "--apply")
        results.append([(p["prefix"], p["org_code"], p["purpose"]) for p in out["prefixes"]])
    assert results[0] == results[1]


def test_dry_run_writes_nothing_and_reapply_changes_nothing(city: Cli, tmp_path: Path) -> None:
    plan_file = str(write_plan(tmp_path / "p.yaml"))
    before = city.ok("ipam", "export").stdout
    dry = city.json("ipam", "plan", plan_file)
    assert not dry["applied"] and dry["new"] > 0
    assert city.ok("ipam", "export").stdout == before
    first = city.json("ipam", "plan", plan_file, "--apply")
    exported = city.ok("ipam", "export").stdout
    audit = len(city.json("audit", "list", "-n", "100000"))
    again = city.json("ipam", "plan", plan_file, "--apply")
    assert again["new"] == 0 and again["kept"] == first["planned"]
    assert city.ok("ipam", "export").stdout == exported
    assert len(city.json("audit", "list", "-n", "100000")) == audit


def test_growth_fills_in_without_renumbering(city: Cli, tmp_path: Path) -> None:
    plan_file = str(write_plan(tmp_path / "p.yaml"))
    city.ok("ipam", "plan", plan_file, "--apply")
    store = Store(city.db)
    try:
        old = stored(store)
    finally:
        store.close()
    town = "441901001000"
    city.ok("org", "add", "新村", "--level", "village", "--parent", town, "--code", "441901001099")
    city.ok(
        "org",
        "add",
        "新镇",
        "--level",
        "town",
        "--parent",
        "441902000000",
        "--code",
        "441902099000",
    )
    city.ok(
        "org",
        "add",
        "新镇一村",
        "--level",
        "village",
        "--parent",
        "441902099000",
        "--code",
        "441902099001",
    )
    out = city.json("ipam", "plan", plan_file, "--apply")
    assert out["new"] > 0
    store = Store(city.db)
    try:
        now = stored(store)
    finally:
        store.close()
    for cidr, r in old.items():
        assert now[cidr] == r, f"{cidr} moved or changed"
    new_codes = {r["code"] for c, r in now.items() if c not in old}
    assert {"441901001099", "441902099000", "441902099001"} <= new_codes
    assert city("ipam", "check").exit_code == 0


def test_overflow_is_one_line_dry_run_or_apply_and_names_each_unit(
    city: Cli, tmp_path: Path
) -> None:
    plan_file = str(write_plan(tmp_path / "p.yaml", headroom=0))
    city.ok("ipam", "plan", plan_file, "--apply")
    town = "441901001000"
    for v in range(50, 90):  # far more villages than the town block was sized for
        city.ok(
            "org",
            "add",
            f"扩{v}村",
            "--level",
            "village",
            "--parent",
            town,
            "--code",
            f"441901001{v:03d}",
        )
    exported = city.ok("ipam", "export").stdout
    dry = one_line_error(
        city("ipam", "plan", plan_file), "nothing applied", "扩", "needs a /26 (IPv4)"
    )
    assert one_line_error(city("ipam", "plan", plan_file, "--format", "json")) == dry
    assert one_line_error(city("ipam", "plan", plan_file, "--apply")) == dry
    assert city.ok("ipam", "export").stdout == exported
    store = Store(city.db)
    try:
        for apply in (False, True):
            with pytest.raises(plan.PlanOverflow) as info:
                plan.run(store, plan.load_spec(plan_file), apply=apply)
            names = {o["org_path"].rsplit("/", 1)[-1] for o in info.value.overflows}
            assert any(n.startswith("扩") for n in names)
            assert f"govops: {info.value}" == dry
    finally:
        store.close()


@pytest.mark.parametrize(
    ("changes", "says"),
    [
        ({"ipv4__pool": "10.64.0.0/24"}, "smallest pool that holds it is a /"),
        ({"ipv6__pool": "2001:db8:100::/48"}, "leaves no room for /56 sites"),
        ({"ipv6__site": 63}, "holds 2 /64s"),
        ({"ipv6__site": 66}, "< site /66 < subnet"),
        ({"ipv4__subnet": 64}, "IPv6 settings"),
        ({"ipv4__needs": {"region": {"office": 10}}}, "no tier 'region'"),
        ({"ipv6__needs": {"region": ["office"]}}, "no tier 'region'"),
        ({"ipv4__pool": "2001:db8::/32"}, "is not an IPv4 prefix"),
        ({"headroom": 1.5}, "headroom"),
        ({"ipv4__needs": {"village": {"office": -3}}}, "positive"),
        ({"ipv6__needs": {"village": 5}}, "list of purposes"),
        ({"ipv4": None, "ipv6": None}, "nothing to plan"),
        ({"ipv4__pool": "10.64.0.1/12"}, "ipv4.pool: 10.64.0.1/12 has host bits set; did you"),
        ({"ipv6__pool": "2001:db8:100::1/40"}, "did you mean 2001:db8:100::/40?"),
        ({"ipv4__pool": "10.64.0.0/33"}, "ipv4.pool: '10.64.0.0/33' is not a valid CIDR"),
        ({"ipv4__pool": "10.64.0.0"}, "ipv4.pool: '10.64.0.0' is not a CIDR"),
        ({"headroom": 0.99999}, "(with headroom 0.99999); no IPv4 pool is that large"),
        ({"ipv4__needs": {"village": {"office": 16777216}}}, "no IPv4 pool is that large"),
        (
            {"ipv4": None, "headroom": 0.99999, "ipv6__needs": {"village": ["office"]}},
            "ipv6: the plan's nibble levels need 60 bits in front of its /56 sites",
        ),
        ({"ipv4__needs": {"village": {"office": 2**32}}}, "ipv4.needs.village.office: 4294967296"),
    ],
)
def test_impossible_plans_are_refused_with_one_line(
    city: Cli, tmp_path: Path, changes: dict, says: str
) -> None:
    plan_file = str(write_plan(tmp_path / "p.yaml", **changes))
    before = city.ok("ipam", "export").stdout
    line = one_line_error(city("ipam", "plan", plan_file, "--apply"), says)
    assert "--" not in line  # the plan file is at fault: no flag fixes it
    assert "/-" not in line  # a length that cannot be is no answer
    assert one_line_error(city("ipam", "plan", plan_file)) == line
    assert city.ok("ipam", "export").stdout == before


def test_ipv6_levels_past_the_subnet_length_suggest_only_a_larger_pool(
    city: Cli, tmp_path: Path
) -> None:
    changes = {"ipv4": None, "headroom": 0.9, "ipv6__needs": {"village": ["office"]}}
    line = one_line_error(city("ipam", "plan", str(write_plan(tmp_path / "p.yaml", **changes))))
    assert line.endswith("reach /64; use a /32 pool"), line  # site: 64 would be no site at all
    bigger = write_plan(tmp_path / "q.yaml", **changes, ipv6__pool="2001:db8::/32")
    assert city("ipam", "plan", str(bigger), "--apply").exit_code == 0


def test_too_small_pool_names_the_pool_that_would_fit(city: Cli, tmp_path: Path) -> None:
    result = city("ipam", "plan", str(write_plan(tmp_path / "p.yaml", ipv4__pool="10.64.0.0/24")))
    needed = result.stderr.split("smallest pool that holds it is a /")[1][:2].strip()
    plan_file = str(write_plan(tmp_path / "q.yaml", ipv4__pool=f"10.0.0.0/{needed}"))
    assert city("ipam", "plan", plan_file, "--apply").exit_code == 0


def test_coverage_counts_villages_per_county(city: Cli, tmp_path: Path) -> None:
    villages = sum(1 for r in small_tree() if r[2] == "village")
    before = city.json("ipam", "coverage")
    assert before[0]["villages"] == villages and before[0]["both"] == 0
    city.ok("ipam", "plan", str(write_plan(tmp_path / "p.yaml")), "--apply")
    rows = city.json("ipam", "coverage", "--depth", "2")
    top = rows[0]
    assert top["level"] == "city" and top["both"] == villages and top["both_percent"] == 100.0
    counties = [r for r in rows if r["level"] == "county"]
    assert sum(r["villages"] for r in counties) == villages
    assert any(r["level"] == "town" for r in rows)


def test_ipv4_only_plan_gives_half_coverage(city: Cli, tmp_path: Path) -> None:
    doc = dict(PLAN)
    doc.pop("ipv6")
    path = tmp_path / "v4.yaml"
    path.write_text(yaml.safe_dump(doc), encoding="utf-8")
    city.ok("ipam", "plan", str(path), "--apply")
    top = city.json("ipam", "coverage")[0]
    assert top["ipv4"] == top["villages"] and top["ipv6"] == 0 and top["both"] == 0


def test_sample_city_and_bundled_plan(tmp_path: Path) -> None:
    """The real sample city: 1,452 villages, every one dual-stack, check clean."""
    store = Store(str(tmp_path / "sample.db"))
    try:
        org_import.import_file(store, SAMPLE)
        from ipam import SAMPLE_PLAN

        result = plan.run(store, plan.load_spec(SAMPLE_PLAN), apply=True)
        assert result.applied and not result.overflows
        cover = views.coverage(store)
        assert cover[0]["villages"] == 1452 and cover[0]["both"] == 1452
        assert [p for p in views.check(store) if p["severity"] == "error"] == []
    finally:
        store.close()


def test_demo_runs_on_its_own_database(sqlite_cli: Cli, tmp_path: Path) -> None:
    demo_db = tmp_path / "xdg" / "govops" / "demo.db"
    result = sqlite_cli.runner.invoke(__import__("govops").app, ["demo"])
    assert result.exit_code == 0, result.stderr
    assert demo_db.exists()
    assert "ipam check passes" in result.stderr
    assert "both_percent" in result.stdout and "100.0" in result.stdout
    for title in ("cloud usage", "cloud stats", "xc progress", "xc budget"):
        assert title in result.stdout, title
    assert not Path(sqlite_cli.db).exists()  # no other database was touched
    from infra.cloud import stats, systems, usage
    from infra.store import Store
    from infra.xc import budget

    with Store(str(demo_db)) as store:
        subnets = sorted(s["subnet"] for s in systems.list_systems(store))
        assert subnets == ["10.192.0.0/24", "10.192.1.0/24", "10.192.2.0/24"]
        figures = store.read(lambda tx: stats.figures(tx))
        assert (figures["vms_issued"], figures["vms_active"], figures["systems"]) == (8, 7, 3)
        assert sum(n["vms"] for n in usage.usage(store, "node")) == 7
        phase_1 = budget.budget(store)[0]
        assert (phase_1["budget"], phase_1["spent"]) == ("600000.00", "181600.00")
        assert {r["dept"] for r in budget.progress(store, "dept")} == {"YC-CZ", "HY-GA", "HY-ZRZY"}
        from infra.drill import report

        # The checklist ran against this machine through Ansible, and its report printed.
        ran = report.report(store, "demo-drill")
        assert ran["hosts"]["targeted"] == 1 and ran["summary"]["results"] == 30
        assert "by check" in result.stdout
    page = demo_db.with_suffix(".html")
    assert f"report: {page}" in result.stderr and "<svg" in page.read_text(encoding="utf-8")


def test_city_without_counties_plans_towns_directly(cli: Cli, tmp_path: Path) -> None:
    """东莞-style: towns sit under the city; levels follow the tree, not the tier names."""
    rows = [(CITY, "东莞市", "city", "440000000000")]
    for t in range(3, 9):
        town = f"441900{t:03d}000"
        rows.append((town, f"{t}镇", "town", CITY))
        for v in range(1, t + 1):
            rows.append((f"{town[:9]}{v:03d}", f"{t}镇{v}村", "village", town))
    cli.ok("org", "import", str(write_tree(tmp_path / "dg.csv", rows)))
    out = cli.json("ipam", "plan", str(write_plan(tmp_path / "p.yaml")), "--apply")
    v6_levels = {
        p["org_level"]: ipaddress.ip_network(p["prefix"]).prefixlen
        for p in out["prefixes"]
        if p["family"] == 6 and p["purpose"] is None
    }
    # 6 towns + own site, doubled: 14 slots, 4 bits; 8 villages + 1, doubled: 18, 8 bits
    assert v6_levels == {"city": 40, "town": 44, "village": 52}
    assert cli("ipam", "check").exit_code == 0
    cover = cli.json("ipam", "coverage")
    assert {r["level"] for r in cover} == {"city", "town"}
    assert cover[0]["both"] == sum(range(3, 9))


def test_plan_rooted_below_an_unaddressed_city_is_refused(city: Cli, tmp_path: Path) -> None:
    plan_file = write_plan(tmp_path / "p.yaml", root="441901000000")
    result = city("ipam", "plan", str(plan_file), "--apply")
    assert result.exit_code == 1
    assert "aggregation" in result.stderr


def test_find_shows_the_dual_stack_pair(city: Cli, tmp_path: Path) -> None:
    out = city.json("ipam", "plan", str(write_plan(tmp_path / "p.yaml")), "--apply")
    office = next(p for p in out["prefixes"] if p["family"] == 4 and p["purpose"] == "office")
    v6 = next(
        p["prefix"]
        for p in out["prefixes"]
        if p["family"] == 6 and p["purpose"] == "office" and p["org_code"] == office["org_code"]
    )
    host = str(next(ipaddress.ip_network(office["prefix"]).hosts()))
    chain = city.json("ipam", "find", host)
    assert chain[-1]["prefix"] == office["prefix"] and chain[-1]["pair"] == v6
    back = city.json("ipam", "find", v6)
    assert back[-1]["prefix"] == v6 and back[-1]["pair"] == office["prefix"]


def test_two_engineers_applying_at_once_get_one_plan(city: Cli, tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    plan_file = str(write_plan(tmp_path / "p.yaml"))
    expected = city.json("ipam", "plan", plan_file)["planned"]
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parent.parent))
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "govops", "--db", city.db, "ipam", "plan", plan_file, "--apply"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
    after = city.json("ipam", "plan", plan_file)
    assert after["new"] == 0 and after["planned"] == expected
    assert len(city.json("ipam", "export")["prefixes"]) == expected
    assert city("ipam", "check").exit_code == 0


@pytest.mark.parametrize("caller_gc", [True, False], ids=["gc-on", "gc-off"])
def test_planning_leaves_the_callers_garbage_collector_as_it_was(
    store: Store, tmp_path: Path, caller_gc: bool
) -> None:
    import gc

    org_import.import_file(store, write_tree(tmp_path / "tree.csv", small_tree()))
    good = plan.load_spec(write_plan(tmp_path / "p.yaml", headroom=0))
    refused = plan.load_spec(write_plan(tmp_path / "r.yaml", ipv4__pool="10.64.0.0/24"))
    was = gc.isenabled()
    (gc.enable if caller_gc else gc.disable)()
    try:
        outcomes = []
        assert not plan.run(store, good).applied  # dry run
        outcomes.append(gc.isenabled())
        assert plan.run(store, good, apply=True).applied
        outcomes.append(gc.isenabled())
        for v in range(50, 90):
            orgs.add(store, f"扩{v}村", "village", "441901001000", f"441901001{v:03d}")
        for apply in (False, True):
            with pytest.raises(plan.PlanOverflow):
                plan.run(store, good, apply=apply)
            outcomes.append(gc.isenabled())
            with pytest.raises(plan.PlanError):
                plan.run(store, refused, apply=apply)
            outcomes.append(gc.isenabled())
        assert outcomes == [caller_gc] * 6
    finally:
        (gc.enable if was else gc.disable)()


def test_the_collector_pause_covers_planning_and_ends_with_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import gc

    seen: list[bool] = []

    def planning(tx: object, spec: object, progress: object) -> plan.Result:
        seen.append(gc.isenabled())
        raise plan.PlanError("refused half-way")

    monkeypatch.setattr(plan, "_compute", planning)
    spec = plan.load_spec(write_plan(tmp_path / "p.yaml"))
    store = Store(str(tmp_path / "gc.db"))
    try:
        assert gc.isenabled()
        for apply in (False, True):
            with pytest.raises(plan.PlanError):
                plan.run(store, spec, apply=apply)
            assert gc.isenabled()
    finally:
        store.close()
    assert seen == [False, False]
