"""The work report's figures (`infra.report.indicators`) against a hand-counted
database, and against what each domain's own command says for the same period, on
SQLite and PostgreSQL.

The database (counted by hand below):

    org      河源市 (city) > 源城区 (county) > 新江街道 (town) > 村一, 村二, 村三 (villages)
                         > 和平县 (county, no town)
    ipam     河源市  10.80.0.0/16 pool (test_cloud_setup) and the pool 2001:db8::/32;
                    10.90.0.0/16, a pool of no unit
             源城区  10.80.16.0/20 (4096) and 2001:db8:1::/48
             和平县  10.80.32.0/22 (1024)
             新江街道 10.80.16.0/21 and 2001:db8:1:100::/56
             村一   10.80.17.0/24 and 2001:db8:1:101::/64: both
             村二   10.80.18.0/24: IPv4 only;  村三: nothing
             county IPv4 = 4096 + 1024 = 5120; units with IPv6: the city, 源城区,
             新江街道, 村一 = 4;
             coverage: 1 of 3 villages has both = 33.3 %
    cloud    v1 财政一体化 (YC-CZ) issued 2024-03-01
             v2 警务云 (HY-GA)   issued 2025-02-01
             v3 财政一体化        requested 2025-03-01, never approved
    xc       test_xc_budget's history: at 2024-12-31 terminals 1, servers 1, apps 1;
             from 2025-01-01 on terminals 1, servers 2, apps 1; budget 1500000.50
    drill    test_drill_report's runs: drill-2024-05 (4 hosts reached, pass 9, fail 4),
             drill-2024-06 (4 reached, 2 of them new; pass 9, fail 4), drill-2024-07
             still running; and drill-2025-03 (1 new host: pass 1, fail 3)
             findings: A closed 2024-05-20, B closed 2025-03-05, C open

    period                    vms dep sys  term srv app  drills hosts rate  closed
    whole (default)            2   2   2    1    2   1    3      7    63.3   2
    2024-01-01 .. 2024-12-31   1   1   1    1    1   1    2      6    69.2   1
    2025-01-01 .. 2025-12-31   1   2   2    1    2   1    1      1    25.0   1
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from conftest import Cli, one_line_error, usage_error
from test_cloud_setup import CITY, COUNTY, FIN, POLICE, build, running
from test_drill_report import CHECKS, RUN1, RUN1_HOSTS, RUN2, RUN2_HOSTS, insert_run
from test_xc_budget import _history as xc_history

from infra.cloud import checks, vms
from infra.cloud import stats as cloud_stats
from infra.drill import catalogue, findings
from infra.drill import report as drill_report
from infra.drill import stats as drill_stats
from infra.errors import InvalidInput
from infra.org import units as org
from infra.report import indicators
from infra.xc import stats as xc_stats
from ipam import space, views

WHOLE = (None, None)
Y2024 = ("2024-01-01", "2024-12-31")
Y2025 = ("2025-01-01", "2025-12-31")

EXPECTED: dict[tuple[str | None, str | None], dict[str, Any]] = {
    WHOLE: {
        "vms_issued": 2,
        "departments_on_cloud": 2,
        "systems_on_cloud": 2,
        "terminals_installed": 1,
        "servers_installed": 2,
        "apps_deployed": 1,
        "drills_held": 3,
        "hosts_inspected": 7,
        "drill_pass_rate_percent": 63.3,
        "findings_closed": 2,
    },
    Y2024: {
        "vms_issued": 1,
        "departments_on_cloud": 1,
        "systems_on_cloud": 1,
        "terminals_installed": 1,
        "servers_installed": 1,
        "apps_deployed": 1,
        "drills_held": 2,
        "hosts_inspected": 6,
        "drill_pass_rate_percent": 69.2,
        "findings_closed": 1,
    },
    Y2025: {
        "vms_issued": 1,
        "departments_on_cloud": 2,
        "systems_on_cloud": 2,
        "terminals_installed": 1,
        "servers_installed": 2,
        "apps_deployed": 1,
        "drills_held": 1,
        "hosts_inspected": 1,
        "drill_pass_rate_percent": 25.0,
        "findings_closed": 1,
    },
}
# The same in every period: the ledger has no history, the budget no dates.
STANDING = {
    "ipv4_addresses_to_counties": 5120,
    "ipv6_units_with_block": 4,
    "village_coverage_percent": 33.3,
    "xinchuang_budget": "1500000.50",
}


def _cst(when: str) -> str:
    return checks.stamp(datetime.fromisoformat(when).replace(tzinfo=checks.REPORT_TZ))


def _move_vm(store: Any, name: str, when: str) -> None:
    """Every event of VM `name` happened at `when` (China Standard Time)."""
    store.write(
        lambda tx: tx.execute(
            "UPDATE vm_event SET ts = ? WHERE vm_id = (SELECT id FROM cloud_vm WHERE name = ?)",
            (_cst(when), name),
        )
    )


def _finding(store: Any, run: str, title: str, opened: str, closed: str | None) -> None:
    got = findings.add(store, run, title, "high")
    if closed is not None:
        findings.close(store, got["id"], "fixed")
    store.write(
        lambda tx: tx.execute(
            "UPDATE drill_finding SET opened_at = ?, closed_at = ? WHERE id = ?",
            (_cst(opened), _cst(closed) if closed else None, got["id"]),
        )
    )


@pytest.fixture
def city(store: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setattr(catalogue, "load", lambda: list(CHECKS))
    build(store)  # city, 源城区, departments, pools, nodes, two systems
    org.add(store, "和平县", "county", CITY, "441624000000")
    org.add(store, "新江街道", "town", COUNTY, "441602001000")
    for n in (1, 2, 3):
        org.add(store, f"村{'一二三'[n - 1]}", "village", "441602001000", f"44160200100{n}")
    space.add(store, "2001:db8::/32", org_ref=CITY, pool=True)
    space.add(store, "10.80.16.0/20", org_ref=COUNTY)
    space.add(store, "2001:db8:1::/48", org_ref=COUNTY)
    space.add(store, "10.80.32.0/22", org_ref="441624000000")
    space.add(store, "10.80.16.0/21", org_ref="441602001000")
    space.add(store, "2001:db8:1:100::/56", org_ref="441602001000")
    space.add(store, "10.80.17.0/24", org_ref="441602001001")
    space.add(store, "2001:db8:1:101::/64", org_ref="441602001001")
    space.add(store, "10.80.18.0/24", org_ref="441602001002")

    running(store, "v1", FIN)
    _move_vm(store, "v1", "2024-03-01T10:00")
    running(store, "v2", POLICE)
    _move_vm(store, "v2", "2025-02-01T10:00")
    vms.request(store, "v3", FIN, 1, 2, 20)
    _move_vm(store, "v3", "2025-03-01T10:00")

    xc_history(store)

    insert_run(store, "drill-2024-05", RUN1_HOSTS, RUN1)
    insert_run(store, "drill-2024-06", RUN2_HOSTS, RUN2)
    insert_run(store, "drill-2024-07", RUN2_HOSTS[:1], {}, status="running", checks="c1,c2")
    insert_run(
        store,
        "drill-2025-03",
        [("xx-new-1", "vm", "10.4.0.1", "新局", True, None)],
        {"xx-new-1": ["pass", "fail", "fail", "fail"]},
    )
    _finding(store, "drill-2024-05", "A", "2024-05-02T10:00", "2024-05-20T10:00")
    _finding(store, "drill-2024-06", "B", "2024-06-02T10:00", "2025-03-05T10:00")
    _finding(store, "drill-2024-06", "C", "2024-06-03T10:00", None)
    return store


def _values(got: dict[str, Any]) -> dict[str, Any]:
    return {f["key"]: f["value"] for f in got["figures"]}


@pytest.mark.parametrize("period", [WHOLE, Y2024, Y2025], ids=["whole", "2024", "2025"])
def test_each_figure_against_the_hand_count(city: Any, period: tuple[Any, Any]) -> None:
    got = indicators.compute(city, *period)
    assert [f["key"] for f in got["figures"]] == list(indicators.KEYS)
    assert _values(got) == {**EXPECTED[period], **STANDING}
    assert got["since"] == period[0]
    assert got["until"] == (period[1] or checks.today().isoformat())
    for f in got["figures"]:
        assert set(f) == {"key", "value", "unit", "definition", "line"}
        assert f["definition"] and f["unit"] and f["line"]


@pytest.mark.parametrize("period", [WHOLE, Y2024, Y2025], ids=["whole", "2024", "2025"])
def test_each_figure_is_what_its_domain_says(city: Any, period: tuple[Any, Any]) -> None:
    """The library: each figure equals the domain function's own figure."""
    got = _values(indicators.compute(city, *period))
    cloud = cloud_stats.stats(city, *period)
    xc = xc_stats.stats(city, *period)
    drill = drill_stats.stats(city, *period)
    counties = views.usage(city, "county")
    coverage = views.coverage(city)
    assert got["vms_issued"] == cloud["vms_issued"]
    assert got["departments_on_cloud"] == cloud["departments"]
    assert got["systems_on_cloud"] == cloud["systems"]
    assert got["terminals_installed"] == xc["terminals_installed"]
    assert got["servers_installed"] == xc["servers_installed"]
    assert got["apps_deployed"] == xc["apps_deployed"]
    assert got["xinchuang_budget"] == xc["budget_total"]
    assert got["drills_held"] == drill["drills_held"]
    assert got["hosts_inspected"] == drill["hosts_inspected"]
    assert got["drill_pass_rate_percent"] == drill["pass_rate"]
    assert got["findings_closed"] == drill["findings_closed"]
    assert got["ipv4_addresses_to_counties"] == sum(r["v4_assigned"] for r in counties)
    assert got["ipv6_units_with_block"] == sum(1 for r in views.usage(city) if r["v6_blocks"])
    [whole_city] = [r for r in coverage if r["level"] == "city"]
    assert got["village_coverage_percent"] == whole_city["both_percent"]


def test_each_figure_is_what_its_domain_command_says(city: Any, db_url: str) -> None:
    """The CLI: `report indicators` beside `cloud stats`, `xc stats`, `drill stats`,
    `drill report`, `ipam usage`, `ipam coverage` and `xc budget` for the same periods."""
    cli = Cli(db_url)
    for since, until in (WHOLE, Y2024, Y2025):
        period = [*(["--since", since] if since else []), *(["--until", until] if until else [])]
        got = {f["key"]: f["value"] for f in cli.json("report", "indicators", *period)["figures"]}
        cloud = cli.json("cloud", "stats", *period)
        xc = cli.json("xc", "stats", *period)
        drill = cli.json("drill", "stats", *period)
        assert (got["vms_issued"], got["departments_on_cloud"], got["systems_on_cloud"]) == (
            cloud["vms_issued"],
            cloud["departments"],
            cloud["systems"],
        )
        assert (got["terminals_installed"], got["servers_installed"], got["apps_deployed"]) == (
            xc["terminals_installed"],
            xc["servers_installed"],
            xc["apps_deployed"],
        )
        assert got["xinchuang_budget"] == xc["budget_total"]
        assert {k: got[k] for k in ("drills_held", "hosts_inspected", "findings_closed")} == {
            k: drill[k] for k in ("drills_held", "hosts_inspected", "findings_closed")
        }
        assert got["drill_pass_rate_percent"] == drill["pass_rate"]
    # A period holding one drill: its rate and hosts are `drill report`'s for that run.
    rep = cli.json("drill", "report", "drill-2025-03")
    one = cli.json("report", "indicators", "--since", "2025-01-01")["figures"]
    got = {f["key"]: f["value"] for f in one}
    assert got["drill_pass_rate_percent"] == rep["summary"]["rate"] == 25.0
    assert got["hosts_inspected"] == rep["hosts"]["reachable"] == 1
    may = cli.json("report", "indicators", "--since", "2024-05-01", "--until", "2024-05-31")
    rep = cli.json("drill", "report", "drill-2024-05")
    got = {f["key"]: f["value"] for f in may["figures"]}
    assert got["drill_pass_rate_percent"] == rep["summary"]["rate"] == 69.2
    assert got["hosts_inspected"] == rep["hosts"]["reachable"] == 4
    assert got["findings_closed"] == 1  # A
    # IPAM: the counties' rows of `ipam usage`, the city's row of `ipam coverage`.
    counties = cli.json("ipam", "usage", "--level", "county")
    assert got["ipv4_addresses_to_counties"] == sum(r["v4_assigned"] for r in counties) == 5120
    [whole_city] = [r for r in cli.json("ipam", "coverage") if r["level"] == "city"]
    assert got["village_coverage_percent"] == whole_city["both_percent"] == 33.3
    units = cli.json("ipam", "usage")
    assert got["ipv6_units_with_block"] == sum(1 for r in units if r["v6_blocks"]) == 4


def test_zh_lines_as_the_work_report_writes_them(city: Any) -> None:
    got = indicators.compute(city, lang="zh")
    lines = {f["key"]: f["line"] for f in got["figures"]}
    assert lines["ipv4_addresses_to_counties"] == "向各县（市、区）分配政务外网IP地址5120个"
    assert lines["village_coverage_percent"] == "四级政务外网覆盖率33.3%"
    assert lines["vms_issued"] == "累计发放虚拟机2台"
    assert lines["drill_pass_rate_percent"] == "检查通过率63.3%"
    assert lines["xinchuang_budget"] == "信创项目总预算1500000.50元"
    assert got["sentences"] == [
        "向各县（市、区）分配政务外网IP地址5120个",
        "4个单位完成IPv6地址分配",
        "四级政务外网覆盖率33.3%",
        "累计发放虚拟机2台，2个部门2个系统完成政务云资源的发放和部署",
        "完成1台电脑终端、2台服务器、1个应用系统的安装部署",
        "信创项目总预算1500000.50元",
        "组织攻防演练3次，检查主机7台，检查通过率63.3%，整改问题2个",
    ]
    units = {f["key"]: f["unit"] for f in got["figures"]}
    assert units["vms_issued"] == "台" and units["village_coverage_percent"] == "%"
    assert all("（" in f["definition"] for f in got["figures"])  # written in Chinese


def test_en_lines(city: Any) -> None:
    got = indicators.compute(city, lang="en")
    lines = {f["key"]: f["line"] for f in got["figures"]}
    assert lines["ipv4_addresses_to_counties"] == (
        "Allocated 5,120 e-government extranet IP addresses to the counties (cities, districts)"
    )
    assert lines["village_coverage_percent"] == "Four-tier e-government extranet coverage 33.3%"
    assert got["sentences"][3] == (
        "Issued 2 virtual machines in total; 2 departments and 2 systems received and"
        " deployed e-government cloud resources"
    )
    assert got["sentences"][4] == (
        "Installed 1 desktop terminals and 2 servers, and deployed 1 application systems"
    )
    cjk = [f["key"] for f in got["figures"] if any("一" <= c <= "鿿" for c in f["definition"])]
    assert cjk == []


def test_an_empty_database(store: Any) -> None:
    """Nothing recorded: counts 0, percentages None and written '-' with no '%'."""
    got = indicators.compute(store, lang="zh")
    values = _values(got)
    assert values["village_coverage_percent"] is None
    assert values["drill_pass_rate_percent"] is None
    assert values["vms_issued"] == 0 and values["xinchuang_budget"] == "0.00"
    assert got["sentences"][2] == "四级政务外网覆盖率-"
    assert got["sentences"][-1] == "组织攻防演练0次，检查主机0台，检查通过率-，整改问题0个"


def test_bad_periods_and_languages(store: Any) -> None:
    with pytest.raises(InvalidInput, match="2024-02-30"):
        indicators.compute(store, "2024-02-30")
    with pytest.raises(InvalidInput, match="starts"):
        indicators.compute(store, "2025-01-01", "2024-12-31")
    with pytest.raises(InvalidInput, match="language"):
        indicators.compute(store, lang="fr")


def test_cli_formats_and_refusals(city: Any, db_url: str) -> None:
    cli = Cli(db_url)
    doc = cli.json("report", "indicators", "--since", "2024-01-01", "--until", "2024-12-31")
    assert (doc["since"], doc["until"]) == Y2024
    assert {f["key"]: f["value"] for f in doc["figures"]} == {**EXPECTED[Y2024], **STANDING}
    md = cli.ok("report", "indicators", "--lang", "zh").stdout
    assert "- 累计发放虚拟机2台，2个部门2个系统完成政务云资源的发放和部署" in md
    assert "| `findings_closed` | 2 |" in md
    table = cli.ok("report", "indicators", "--format", "table").stdout
    assert "vms_issued" in table and "Issued 2 virtual machines in total" in table
    one_line_error(cli("report", "indicators", "--since", "2024-13-01"), "2024-13-01")
    one_line_error(
        cli("report", "indicators", "--since", "2025-01-01", "--until", "2024-01-01"), "starts"
    )
    one_line_error(cli("drill", "stats", "--until", "yesterday"), "yesterday")
    usage_error(cli("report", "indicators", "--lang", "fr"), "--lang")


def test_drill_stats_periods(city: Any) -> None:
    """`drill stats` on its own: runs by their start (CST), findings by their dates."""
    may = drill_stats.stats(city, "2024-05-01", "2024-05-31")
    assert (may["drills_held"], may["pass"], may["fail"], may["pass_rate"]) == (1, 9, 4, 69.2)
    assert (may["findings_opened"], may["findings_closed"]) == (1, 1)
    june = drill_stats.stats(city, "2024-06-01", "2024-06-30")
    assert (june["drills_held"], june["hosts_inspected"], june["findings_opened"]) == (1, 4, 2)
    assert june["findings_closed"] == 0
    july = drill_stats.stats(city, "2024-07-01", "2024-07-31")  # only a running run
    assert (july["drills_held"], july["pass_rate"]) == (0, None)
    assert drill_report.percent(19, 30) == drill_stats.stats(city)["pass_rate"] == 63.3


def test_report_html_command(city: Any, db_url: str, tmp_path: Any) -> None:
    """`report html` hands the period and language to the HTML report; a bad date is
    one line and no file."""
    pytest.importorskip("infra.report.html")
    cli = Cli(db_url)
    out = tmp_path / "report.html"
    result = cli("report", "html", "-o", str(out), "--since", "2024-01-01", "--until", "2024-12-31")
    assert result.exit_code == 0, (result.stdout, result.stderr)
    assert str(out) in result.stderr
    page = out.read_text(encoding="utf-8")
    assert "累计发放虚拟机1台，1个部门1个系统完成政务云资源的发放和部署" in page
    english = tmp_path / "en.html"
    cli.ok("report", "html", "-o", str(english), "--lang", "en")
    assert "Issued 2 virtual machines in total" in english.read_text(encoding="utf-8")
    bad = tmp_path / "bad.html"
    one_line_error(cli("report", "html", "-o", str(bad), "--until", "2024-02-30"), "2024-02-30")
    assert not bad.exists()
