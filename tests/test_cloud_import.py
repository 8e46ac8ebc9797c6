"""Bringing a running cloud onto the books (`cloud vm import`) and writing it out
(`cloud vm export`): headers and cells as people and Excel write them, all or
nothing with every bad row by line, created departments and systems, and the
round trip export → import into an empty database → export, CSV and xlsx."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from conftest import one_line_error, pg_schema
from test_cloud_setup import CITY, COUNTY, FIN, POLICE, audit_rows, build, events, running

from infra import tabular
from infra.cloud import bulk, stats, systems, vms
from infra.errors import InvalidInput, RowErrors
from infra.org import depts
from infra.org import units as org
from infra.store import Store
from ipam import addresses, space, views

HEADER = list(bulk.COLUMNS)


@pytest.fixture
def cloud(store: Store) -> Store:
    build(store)
    return store


def write_csv(path: Path, rows: list[list[Any]], header: list[str] | None = None, enc="utf-8"):
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(header or HEADER)
    writer.writerows(rows)
    path.write_bytes(buf.getvalue().encode(enc))
    return path


def vm_count(store: Store) -> int:
    return int(store.read(lambda tx: tx.scalar("SELECT count(*) FROM cloud_vm")))


def row(name: str, **kw: Any) -> list[Any]:
    values = {
        "name": name,
        "dept": "YC-CZ",
        "system": FIN,
        "cores": 2,
        "ram_gb": 8,
        "disk_gb": 100,
        "address": "",
        "status": "active",
        "provisioned_on": "2024-03-01",
        "node": "x1",
        **kw,
    }
    return [values[c] for c in HEADER]


# -- reading what people hand over ---------------------------------------------


def test_chinese_headers_gbk_and_excel_habits(cloud, tmp_path):
    header = ["虚拟机名称", "部门", "业务系统", "vCPU", "内存GB", "磁盘GB", "IP地址", "状态"]
    header += ["发放日期", "节点"]
    rows = [
        ["fin-app-01", "源城区财政局", FIN, "4.0", "16.0", "200", "10.90.1.20", "运行", "2024/3/1", "x1"],
        ["fin-db-01", "YC-CZ", FIN, "8", "32", "500.00", "10.90.1.21", "已停止", "2024-03-02", "x1"],
        ["pol-01", "HY-GA", POLICE, "2", "8", "100", "", "running", "2023-12-31 00:00:00", "a1"],
    ]  # fmt: skip
    path = write_csv(tmp_path / "vms.csv", rows, header, enc="gbk")
    result = bulk.import_file(cloud, path)
    assert result.as_dict() == {"added": 3, "departments_created": [], "systems_created": []}
    got = {v["name"]: v for v in vms.list_vms(cloud)}
    assert (got["fin-app-01"]["cores"], got["fin-app-01"]["ram_gb"]) == (4, 16)
    assert got["fin-db-01"]["status"] == "stopped" and got["fin-db-01"]["disk_gb"] == 500
    assert got["pol-01"]["address"] is None and got["pol-01"]["arch"] == "aarch64"
    # the address is IPAM's, under the VM's name, and the day is a CST day
    assert views.find(cloud, "10.90.1.20")[-1]["hostname"] == "fin-app-01"
    assert bulk.export_rows(cloud)[0]["provisioned_on"] == "2024-03-01"
    assert [e["action"] for e in events(cloud, "fin-db-01")] == ["provision", "stop"]
    day = cloud.read(lambda tx: stats.figures(tx, "2024-03-01", "2024-03-01"))
    assert day["vms_issued"] == 1
    year = cloud.read(lambda tx: stats.figures(tx, "2024-01-01", "2024-12-31"))
    assert (year["vms_issued"], year["vms_active"], year["departments"]) == (2, 3, 2)


def test_xlsx_with_real_dates_and_float_numbers(cloud, tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(
        [
            "名称",
            "部门",
            "业务系统",
            "CPU核数",
            "内存GB",
            "磁盘GB",
            "IP地址",
            "状态",
            "发放日期",
            "节点",
        ]
    )
    sheet.append(
        ["x-01", "YC-CZ", FIN, 4.0, 8.0, 100.0, "10.90.1.30", "active", datetime(2024, 5, 6), "x1"]
    )
    sheet.append(["x-02", "YC-CZ", FIN, 2, 4, 50, None, "stopped", date(2024, 5, 7), "x1"])
    sheet["I2"].number_format = "yyyy-mm-dd"
    book.save(tmp_path / "vms.xlsx")  # fmt: skip
    assert bulk.import_file(cloud, tmp_path / "vms.xlsx").added == 2
    got = {r["name"]: r for r in bulk.export_rows(cloud)}
    assert got["x-01"]["provisioned_on"] == "2024-05-06" and got["x-01"]["cores"] == 4
    assert got["x-02"]["provisioned_on"] == "2024-05-07" and got["x-02"]["status"] == "stopped"


@pytest.mark.parametrize(
    ("text", "value"),
    [("4", 4), ("4.0", 4), ("4.", 4), (" 16.00 ", 16)],
)
def test_whole_numbers_as_sheets_write_them(text, value):
    assert bulk.whole(text, "cores", 4096) == value


@pytest.mark.parametrize("text", ["4.5", "-1", "0", "1e3", "４", "", "4,0", "5000"])
def test_numbers_that_are_not_whole_or_out_of_bounds(text):
    with pytest.raises(InvalidInput):
        bulk.whole(text, "cores", 4096)


@pytest.mark.parametrize(
    ("text", "day"),
    [("2024-03-01", date(2024, 3, 1)), ("2024/3/1", date(2024, 3, 1)),
     ("2024-03-01 00:00:00", date(2024, 3, 1)), ("2024-3-9", date(2024, 3, 9))],
)  # fmt: skip
def test_days_as_sheets_write_them(text, day):
    assert bulk.provisioned_day(text, date(2025, 1, 1)) == day


@pytest.mark.parametrize(
    ("text", "why"),
    [("2024-02-30", "no such day"), ("01/03/2024", "YYYY-MM-DD"), ("45352", "YYYY-MM-DD"),
     ("2025-01-02", "future"), ("1999-12-31", "before 2000-01-01"), ("", "YYYY-MM-DD")],
)  # fmt: skip
def test_bad_days(text, why):
    with pytest.raises(InvalidInput) as err:
        bulk.provisioned_day(text, date(2025, 1, 1))
    assert why in str(err.value)


# -- all or nothing --------------------------------------------------------------


def test_every_bad_row_is_named_and_nothing_is_written(cloud, tmp_path):
    running(cloud, "live-01")  # 10.90.1.2 under its name
    addresses.assign(cloud, "10.90.1.99", "printer-3")
    space.add(cloud, "10.90.2.0/24")
    systems.add(cloud, "无网段", "ZR")  # a system without a subnet takes any address IPAM holds
    vms_before, audit_before = vm_count(cloud), len(audit_rows(cloud, ""))
    rows = [
        row("ok-01", address="10.90.1.10"),  # 2: good
        row("bad-dept", dept="没有这个部门"),  # 3
        row("bad-system", system="没有这个系统"),  # 4
        row("bad-node", node="x9"),  # 5
        row("ok-01"),  # 6: twice in the file
        row("live-01"),  # 7: already on the books
        row("taken-ip", address="10.90.1.99"),  # 8: another host's address
        row("vm-ip", address="10.90.1.2"),  # 9: another VM's address
        row("outside", address="10.90.2.5"),  # 10: outside the system's subnet
        row("nowhere", system="无网段", dept="ZR", address="172.16.0.5"),  # 11: no prefix
        row("cores", cores="2.5"),  # 12
        row("ram", ram_gb="lots"),  # 13
        row("disk", disk_gb="0"),  # 14
        row("date", provisioned_on="2024-13-01"),  # 15
        row("status", status="decommissioned"),  # 16
        row("other-dept", dept="HY-GA"),  # 17: FIN belongs to YC-CZ
        row("dup-ip", address="10.90.1.10"),  # 18: ok-01's address
        row("bad name!"),  # 19
        row("net-addr", address="10.90.1.0"),  # 20: the network address
    ]
    path = write_csv(tmp_path / "vms.csv", rows)
    with pytest.raises(RowErrors) as err:
        bulk.import_file(cloud, path)
    lines = dict(err.value.errors)
    assert sorted(lines) == list(range(3, 21)), lines
    expect = {
        3: "no department",
        4: "no system named",
        5: "no node named",
        6: "also on line 2",
        7: "already on the books (active)",
        8: "in use by printer-3",
        9: "in use by live-01",
        10: "outside 10.90.1.0/24",
        11: "no prefix in VRF egov holds 172.16.0.5",
        12: "not a whole number",
        13: "not a whole number",
        14: "disk",
        15: "no such day",
        16: "not active or stopped",
        17: "belongs to department 'YC-CZ'",
        18: "also on line 2",
        19: "may hold only ASCII",
        20: "network address",
    }
    for line, fragment in expect.items():
        assert fragment in lines[line], (line, lines[line])
    assert vm_count(cloud) == vms_before
    assert len(audit_rows(cloud, "")) == audit_before
    assert views.find(cloud, "10.90.1.10")[-1].get("hostname") is None


def test_unknown_department_and_system_are_refused_without_create_missing(cli, tmp_path):
    with Store(cli.db) as store:
        build(store)
    path = write_csv(tmp_path / "vms.csv", [row("n-01", dept="新部门", system="新系统")])
    line = one_line_error(cli("cloud", "vm", "import", str(path)), "1 bad row", "line 2")
    assert "新部门" in line
    assert cli.json("cloud", "vm", "list") == []


def test_a_header_without_the_columns_is_one_line(cli, tmp_path):
    with Store(cli.db) as store:
        build(store)
    path = write_csv(tmp_path / "vms.csv", [["a", "b"]], ["name", "dept"])
    one_line_error(cli("cloud", "vm", "import", str(path)), "missing system")


# -- created departments and systems --------------------------------------------


def test_create_missing_creates_departments_and_systems_with_their_subnets(cloud, tmp_path):
    space.add(cloud, "10.90.2.0/24")
    space.add(cloud, "10.90.3.0/24")
    rows = [
        row("a-01", dept="应急管理局", system="应急指挥", address="10.90.2.10"),
        row("a-02", dept="应急管理局", system="应急指挥", address="10.90.2.11"),
        row("a-03", dept="应急管理局", system="应急指挥"),  # no address: no matter
        row("b-01", dept="YC-CZ", system="两地散布", address="10.90.2.20"),
        row("b-02", dept="YC-CZ", system="两地散布", address="10.90.3.20"),
        row("c-01", dept="HY-GA", system="借用网段", address="10.90.1.40"),  # FIN's subnet
        row("d-01", dept="HY-GA", system="无地址"),
    ]
    path = write_csv(tmp_path / "vms.csv", rows)
    out = bulk.import_file(cloud, path, create_missing=True).as_dict()
    assert out["added"] == 7
    assert out["departments_created"] == ["应急管理局"]
    subnets = {s["name"]: s["subnet"] for s in out["systems_created"]}
    assert subnets == {
        "应急指挥": "10.90.2.0/24",
        "两地散布": None,
        "借用网段": None,
        "无地址": None,
    }
    listed = {s["name"]: s for s in systems.list_systems(cloud)}
    assert listed["应急指挥"]["subnet"] == "10.90.2.0/24" and listed["应急指挥"]["vms"] == 3
    assert listed["应急指挥"]["dept"] == "应急管理局"
    assert cloud.read(lambda tx: depts.resolve(tx, "应急管理局")).code is None
    # a created system with a subnet takes its next VM's address from it
    vms.request(cloud, "a-04", "应急指挥", 1, 2, 20)
    vms.approve(cloud, "a-04")
    assert vms.provision(cloud, "a-04")["address"] == "10.90.2.2"  # .1: the gateway


def test_a_new_system_named_with_two_departments_is_a_bad_row(cloud, tmp_path):
    rows = [row("a-01", dept="YC-CZ", system="新系统"), row("a-02", dept="HY-GA", system="新系统")]
    with pytest.raises(RowErrors) as err:
        bulk.import_file(cloud, write_csv(tmp_path / "v.csv", rows), create_missing=True)
    assert [line for line, _ in err.value.errors] == [3]
    assert "on line 2" in err.value.errors[0][1]
    assert cloud.read(lambda tx: tx.scalar("SELECT count(*) FROM cloud_system")) == 2


# -- the round trip --------------------------------------------------------------


def _same_skeleton(store: Store) -> None:
    """What the import does not bring: org units, departments, IPAM, nodes."""
    from infra.cloud import nodes

    org.add(store, "河源市", "city", code=CITY)
    org.add(store, "源城区", "county", CITY, COUNTY)
    depts.add(store, "源城区财政局", "YC-CZ", COUNTY)
    depts.add(store, "河源市公安局", "HY-GA", CITY)
    depts.add(store, "自然资源局", "ZR")
    space.add(store, "10.80.0.0/16", org_ref=CITY, pool=True)
    space.add(store, "10.80.0.0/24", org_ref=CITY)
    space.add(store, "10.90.0.0/16", pool=True)
    space.add(store, "10.90.1.0/24")
    nodes.add(store, "x1", 32, 128, 2000)
    nodes.add(store, "a1", 16, 64, 1000, arch="aarch64")


def _a_running_cloud(store: Store) -> None:
    build(store)
    for i in range(4):
        running(store, f"fin-{i:02d}", cores=i + 1)
    running(store, "pol-01", system=POLICE, node="a1")
    running(store, "pol-02", system=POLICE)
    vms.stop(store, "pol-02")
    running(store, "gone-01")
    vms.decommission(store, "gone-01")
    vms.request(store, "wish-01", FIN, 1, 1, 10)
    store.write(
        lambda tx: vms.record_in(
            tx, "old-01", FIN, "x1", 2, 4, 40, "2021-06-30", status="stopped", address=None
        )
    )


@contextmanager
def empty_like(db_url: str, tmp_path: Path) -> Iterator[Store]:
    """A second, empty database on the same backend."""
    if db_url.startswith("postgresql"):
        with pg_schema() as url, Store(url) as other:
            yield other
    else:
        with Store(str(tmp_path / "second.db")) as other:
            yield other


def _cells(path: Path) -> list[list[str]]:
    table = tabular.read_table(path)
    return [table.header, *[cells for _, cells in table.rows]]


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_export_import_export_is_identical(store, db_url, tmp_path, kind):
    _a_running_cloud(store)
    first = tmp_path / f"first.{kind}"
    assert bulk.export_file(store, first) == 7  # active and stopped; not gone, not wished
    with empty_like(db_url, tmp_path) as other:
        _same_skeleton(other)
        out = bulk.import_file(other, first, create_missing=True)
        assert out.added == 7 and out.departments_created == []
        subnets = {s["name"]: s["subnet"] for s in out.systems_created}
        assert subnets == {FIN: "10.90.1.0/24", POLICE: "10.80.0.0/24"}
        second = tmp_path / f"second.{kind}"
        bulk.export_file(other, second)
    if kind == "csv":
        assert second.read_bytes() == first.read_bytes()
    else:
        assert _cells(second) == _cells(first)
    names = [r[0] for r in _cells(first)[1:]]
    assert names == sorted(names) and "gone-01" not in names and "old-01" in names


def test_export_on_the_command_line(cli, tmp_path):
    with Store(cli.db) as store:
        _a_running_cloud(store)
        expected = bulk.export_rows(store)
    out = cli.ok("cloud", "vm", "export").stdout
    got = list(csv.DictReader(io.StringIO(out)))
    assert [r["name"] for r in got] == [r["name"] for r in expected]
    assert got[0].keys() == set(bulk.COLUMNS)
    path = tmp_path / "out.bin"
    result = cli.ok("cloud", "vm", "export", "-o", str(path), "--format", "xlsx")
    assert "wrote 7 VMs" in result.stderr and result.stdout == ""
    shown = tmp_path / "out.xlsx"  # an .xlsx by its content, whatever its name
    shown.write_bytes(path.read_bytes())
    assert _cells(shown)[0] == list(bulk.COLUMNS)
    bad = cli("cloud", "vm", "export", "--format", "xlsx")
    assert bad.exit_code == 2


def test_import_on_the_command_line(cli, tmp_path):
    with Store(cli.db) as store:
        build(store)
    path = write_csv(tmp_path / "vms.csv", [row("n-01", dept="新部门", system="新系统")])
    out = cli.json("cloud", "vm", "import", str(path), "--create-missing")
    assert out["added"] == 1 and out["departments_created"] == ["新部门"]
    assert [v["name"] for v in cli.json("cloud", "vm", "list", "--dept", "新部门")] == ["n-01"]


# -- the figures of an imported cloud --------------------------------------------


def test_figures_today_read_from_the_vms_agree_with_the_history(cloud, tmp_path):
    """A period ending today reads what VMs hold from the VMs themselves; it must be
    what each VM's latest event says (the reading of a past period)."""
    rows = [row(f"imp-{i:02d}", cores=i + 1, status=("active", "stopped")[i % 2]) for i in range(6)]
    bulk.import_file(cloud, write_csv(tmp_path / "vms.csv", rows))
    running(cloud, "live-01", cores=3)
    running(cloud, "live-02", system=POLICE)
    vms.decommission(cloud, "live-02")
    vms.request(cloud, "wish-01", FIN, 5, 5, 50)
    vms.approve(cloud, "wish-01")  # holds, not active
    vms.request(cloud, "wish-02", FIN, 7, 7, 70)  # holds nothing
    vms.resize(cloud, "imp-00", cores=9)

    def both(tx):
        end = stats.checks.day_start(stats.checks.today() + timedelta(days=1))
        assert stats._all_before(tx, end)
        return stats._now_state(tx), dict(stats._state_at(tx, end))

    now, history = cloud.read(both)
    assert {k: int(history[k]) for k in now} == now
    assert now["vms_active"] == 7 and now["allocated_cores"] == now["active_cores"] + 5
    figures = cloud.read(lambda tx: stats.figures(tx))
    assert (figures["vms_issued"], figures["vms_requested"], figures["vms_decommissioned"]) == (
        8,
        4,
        1,
    )
    assert (figures["departments"], figures["systems"]) == (2, 2)


def test_the_figures_know_every_action_of_the_lifecycle():
    assert set(stats.ACTIONS) == {"request", *vms.TRANSITIONS}
