"""`cloud vm export --format xlsx` and `cloud vm import FILE.xlsx`: a sheet laid out
as a ledger (bold frozen header, column widths, numbers as numbers, days as ISO
text), names a spreadsheet would run as formulas neutralised and restored, so
export → import → export is identical, and bad rows named by sheet and row with
nothing written."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import one_line_error
from test_cloud_import import _a_running_cloud, _same_skeleton, empty_like, vm_count
from test_cloud_setup import FIN, audit_rows, build

from infra.cloud import bulk, systems, vms
from infra.errors import RowErrors
from infra.store import Store

# Text a spreadsheet would run; department and system names take any one line.
HOSTILE_DEPT = '=HYPERLINK("http://evil.example","点我")'
HOSTILE_SYSTEMS = {
    "@SUM(1+9)*cmd|' /C calc'!A0": "vm-at",
    "-2+3": "vm-minus",
    "+1+1": "vm-plus",
    "'=already quoted": "vm-quoted",  # looks neutralised already: must come back as is
}


@pytest.fixture
def cloud(store: Store) -> Store:
    build(store)
    return store


def _hostile(store: Store) -> None:
    """VMs of systems and a department whose names start a formula."""
    from infra.org import depts

    depts.add(store, HOSTILE_DEPT)
    for system, vm in HOSTILE_SYSTEMS.items():
        systems.add(store, system, HOSTILE_DEPT)
        store.write(
            lambda tx, s=system, v=vm: vms.record_in(
                tx, v, s, "x1", 1, 2, 20, "2024-05-06", status="active", address=None
            )
        )


def _sheet(path: Path) -> Any:
    import openpyxl

    return openpyxl.load_workbook(path)["cloud VMs"]


def _values(path: Path) -> list[list[Any]]:
    return [list(r) for r in _sheet(path).iter_rows(values_only=True)]


def test_the_sheet_is_laid_out_as_a_ledger_and_neutralised(store, tmp_path):
    _a_running_cloud(store)
    _hostile(store)
    path = tmp_path / "vms.xlsx"
    assert bulk.export_file(store, path) == 7 + len(HOSTILE_SYSTEMS)
    sheet = _sheet(path)
    assert [c.value for c in sheet[1]] == list(bulk.COLUMNS)
    assert all(c.font.b for c in sheet[1]) and sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["C"].width >= len("@SUM(1+9)*cmd|' /C calc'!A0") + 1
    assert sheet.column_dimensions["D"].width == len("cores") + 2
    rows = {r[0]: dict(zip(bulk.COLUMNS, r, strict=True)) for r in _values(path)[1:]}
    first = rows["fin-00"]
    assert first["cores"] == 1 and isinstance(first["ram_gb"], int)  # numbers as numbers
    assert first["provisioned_on"] == bulk.export_rows(store)[0]["provisioned_on"]  # ISO text
    assert rows["vm-at"]["dept"] == "'" + HOSTILE_DEPT
    assert rows["vm-at"]["system"] == "'@SUM(1+9)*cmd|' /C calc'!A0"
    assert rows["vm-minus"]["system"] == "'-2+3" and rows["vm-plus"]["system"] == "'+1+1"
    assert rows["vm-quoted"]["system"] == "''=already quoted"
    assert rows["fin-00"]["address"] == "10.90.1.2"  # nothing else is touched
    kinds = {c.data_type for row in sheet.iter_rows(min_row=2) for c in row}
    assert "f" not in kinds  # no cell is a formula


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_export_import_export_with_hostile_names_is_identical(store, db_url, tmp_path, kind):
    _a_running_cloud(store)
    _hostile(store)
    first = tmp_path / f"first.{kind}"
    bulk.export_file(store, first)
    with empty_like(db_url, tmp_path) as other:
        _same_skeleton(other)
        out = bulk.import_file(other, first, create_missing=True)
        assert out.added == 7 + len(HOSTILE_SYSTEMS)
        assert out.departments_created == [HOSTILE_DEPT]  # the mark taken off
        made = {s["name"] for s in out.systems_created}
        assert set(HOSTILE_SYSTEMS) <= made
        assert bulk.export_rows(other) == bulk.export_rows(store)
        second = tmp_path / f"second.{kind}"
        bulk.export_file(other, second)
    if kind == "csv":
        assert second.read_bytes() == first.read_bytes()
        assert b'\r\nvm-at,"\'=HYPERLINK(""http' in first.read_bytes()
    else:
        assert _values(second) == _values(first)


def _hand_made(path: Path, rows: list[list[Any]]) -> Path:
    """A ledger as a person keeps it: a title row above Chinese headers, on a named sheet."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "虚拟机台账"
    sheet.append(["河源市政务云虚拟机台账"])
    sheet.append(["虚拟机名称", "部门", "业务系统", "CPU核数", "内存", "磁盘", "IP地址", "状态", "发放日期", "节点"])  # fmt: skip
    for r in rows:
        sheet.append(r)
    book.save(path)
    return path


def test_bad_rows_are_named_by_sheet_and_row_and_nothing_is_written(cloud, tmp_path):
    before, audit_before = vm_count(cloud), len(audit_rows(cloud, ""))
    path = _hand_made(
        tmp_path / "台账.xlsx",
        [
            ["ok-01", "YC-CZ", FIN, 2, 8, 100, None, "运行中", "2024-03-01", "x1"],  # row 3
            ["bad-node", "YC-CZ", FIN, 2, 8, 100, None, "运行中", "2024-03-01", "x9"],  # 4
            [],  # 5: blank, skipped
            ["cores", "YC-CZ", FIN, 2.5, 8, 100, None, "运行中", "2024-03-01", "x1"],  # 6
            ["ok-01", "YC-CZ", FIN, 2, 8, 100, None, "停止", "2024-03-01", "x1"],  # 7
        ],
    )
    with pytest.raises(RowErrors) as err:
        bulk.import_file(cloud, path)
    assert [row for row, _ in err.value.errors] == [4, 6, 7]
    text = str(err.value)
    assert text.startswith(f"{path}, sheet '虚拟机台账': 3 bad rows, nothing written: row 4: ")
    assert "row 6: cores '2.5' is not a whole number" in text
    assert "row 7: VM ok-01 is also on line 3" in text
    assert vm_count(cloud) == before and len(audit_rows(cloud, "")) == audit_before


def test_a_csv_names_its_bad_rows_by_line(cloud, tmp_path):
    path = tmp_path / "vms.csv"
    path.write_text(
        ",".join(bulk.COLUMNS) + "\nbad!,YC-CZ,财政一体化,1,1,1,,active,2024-03-01,x1\n"
    )
    with pytest.raises(RowErrors, match=r"vms\.csv: 1 bad row, nothing written: line 2: "):
        bulk.import_file(cloud, path)


def test_export_and_import_on_the_command_line(cli, tmp_path):
    with Store(cli.db) as store:
        _a_running_cloud(store)
        _hostile(store)
    path = tmp_path / "vms.xlsx"
    result = cli.ok("cloud", "vm", "export", "--format", "xlsx", "-o", str(path))
    assert f"wrote {7 + len(HOSTILE_SYSTEMS)} VMs" in result.stderr
    assert _values(path)[0] == list(bulk.COLUMNS)
    assert cli("cloud", "vm", "export", "--format", "xlsx").exit_code == 2  # needs a file
    bad = _hand_made(tmp_path / "bad.xlsx", [["x-1", "YC-CZ", FIN, 1, 1, 1, None, "运行", "2099-01-01", "x1"]])  # fmt: skip
    one_line_error(
        cli("cloud", "vm", "import", str(bad)), "sheet '虚拟机台账'", "row 3: ", "future"
    )


def test_import_of_an_export_on_the_command_line(cli, tmp_path):
    with Store(cli.db) as store:
        build(store)
        _hostile(store)
        expected = bulk.export_rows(store)
    path = tmp_path / "vms.xlsx"
    cli.ok("cloud", "vm", "export", "--format", "xlsx", "-o", str(path))
    fresh = tmp_path / "fresh.db"
    with Store(str(fresh)) as other:
        _same_skeleton(other)
    from conftest import Cli

    out = Cli(str(fresh)).json("cloud", "vm", "import", str(path), "--create-missing")
    assert out["added"] == len(HOSTILE_SYSTEMS) and out["departments_created"] == [HOSTILE_DEPT]
    with Store(str(fresh)) as other:
        assert bulk.export_rows(other) == expected
