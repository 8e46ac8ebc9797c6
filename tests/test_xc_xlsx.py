"""`xc asset export --format xlsx` and `xc asset import FILE.xlsx`: a sheet laid out
as a ledger (bold frozen header, column widths, phase and cost as numbers, the
status date as ISO text), text a spreadsheet would run as a formula neutralised and
restored, so export → import → export is identical, and bad rows named by sheet and
row with nothing written."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from conftest import one_line_error
from test_cloud_import import empty_like
from test_xc_setup import COUNTY, asset, build, counts

from infra.errors import RowErrors
from infra.org import depts
from infra.store import Store
from infra.xc import assets

HOSTILE_DEPT = '=HYPERLINK("http://evil.example","点我")'


def _fill(store: Store) -> None:
    build(store)
    depts.add(store, HOSTILE_DEPT)
    asset(
        store,
        "SN-001",
        "server",
        model="TaiShan 200 (2280)",
        cpu="kunpeng",
        os="kylin",
        phase=1,
        cost="86000.50",
        host="2001:db8::21",  # left as it is
        ssh_user="ops",
        org=COUNTY,
        day="2025-01-02",
    )
    asset(store, "0012", dept="自然资源局", phase=2, cost="999999999999.99")
    asset(store, "-12", dept=HOSTILE_DEPT, model="@SUM(1+9)*cmd|' /C calc'!A0", cost="0")
    asset(store, "+1", dept=HOSTILE_DEPT, model="'=already quoted", day="2025-01-05")
    assets.set_status(store, "+1", "installed", "2025-02-01")


def _sheet(path: Path) -> Any:
    import openpyxl

    return openpyxl.load_workbook(path)["xc assets"]


def _values(path: Path) -> list[list[Any]]:
    return [list(r) for r in _sheet(path).iter_rows(values_only=True)]


def test_the_sheet_is_laid_out_as_a_ledger_and_neutralised(store, tmp_path):
    _fill(store)
    path = tmp_path / "assets.xlsx"
    assert assets.export_file(store, path) == 4
    sheet = _sheet(path)
    assert [c.value for c in sheet[1]] == list(assets.COLUMNS)
    assert all(c.font.b for c in sheet[1]) and sheet.freeze_panes == "A2"
    widths = {k: sheet.column_dimensions[k].width for k in "ABCDM"}
    assert widths["C"] == len(HOSTILE_DEPT) + 1 + 2 + 2  # the quote; 点我 takes four
    assert widths["A"] == len("SN-001") + 2 and widths["M"] == len("status_date") + 2
    rows = {r[0]: dict(zip(assets.COLUMNS, r, strict=True)) for r in _values(path)[1:]}
    first = rows["SN-001"]
    assert first["phase"] == 1 and first["cost"] == 86000.5  # numbers as numbers
    assert rows["0012"]["cost"] == 999999999999.99 and rows["'-12"]["cost"] == 0
    assert first["status_date"] == "2025-01-02" and first["host"] == "2001:db8::21"
    assert rows["0012"]["serial"] == "0012"  # a serial of digits stays text
    assert set(rows) == {"SN-001", "0012", "'-12", "'+1"}
    assert rows["'-12"]["dept"] == "'" + HOSTILE_DEPT
    assert rows["'-12"]["model"] == "'@SUM(1+9)*cmd|' /C calc'!A0"
    assert rows["'+1"]["model"] == "''=already quoted"
    kinds = {c.data_type for row in sheet.iter_rows(min_row=2) for c in row}
    assert "f" not in kinds  # no cell is a formula


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_export_import_export_with_hostile_text_is_identical(store, db_url, tmp_path, kind):
    _fill(store)
    exported = assets.export_rows(store)
    first = tmp_path / f"first.{kind}"
    assets.export_file(store, first)
    with empty_like(db_url, tmp_path) as other:
        build(other)
        depts.add(other, HOSTILE_DEPT)
        assert assets.import_file(other, first).as_dict() == {"added": 4, "unchanged": 0}
        assert assets.export_rows(other) == exported  # the marks taken off
        second = tmp_path / f"second.{kind}"
        assets.export_file(other, second)
        before = counts(other)
        assert assets.import_file(other, second).as_dict() == {"added": 0, "unchanged": 4}
        assert counts(other) == before
    if kind == "csv":
        assert second.read_bytes() == first.read_bytes()
        assert b'\r\n\'-12,terminal,"\'=HYPERLINK(""http' in first.read_bytes()
    else:
        assert _values(second) == _values(first)


def _hand_made(path: Path, rows: list[list[Any]]) -> Path:
    """A ledger as a person keeps it: a title row above Chinese headers, on a named sheet."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "信创资产"
    sheet.append(["信创终端和服务器台账"])
    sheet.append(["序列号", "类型", "部门", "型号", "CPU", "操作系统", "批次", "金额", "状态", "状态日期"])  # fmt: skip
    for r in rows:
        sheet.append(r)
    book.save(path)
    return path


def test_bad_rows_are_named_by_sheet_and_row_and_nothing_is_written(store, tmp_path):
    build(store)
    before = counts(store)
    path = _hand_made(
        tmp_path / "资产.xlsx",
        [
            ["N-1", "terminal", "YC-CZ", "M", "kunpeng", "kylin", 1, 100, None, None],  # row 3
            ["N-2", "terminal", "无此部门", None, None, None, None, None, None, None],  # 4
            [],  # 5: blank, skipped
            ["N-3", "terminal", "YC-CZ", None, None, None, 3, Decimal("1.005"), None, None],  # 6
            ["N-1", "terminal", "YC-CZ", None, None, None, None, None, None, None],  # 7
        ],
    )
    with pytest.raises(RowErrors) as err:
        assets.import_file(store, path)
    assert [row for row, _ in err.value.errors] == [4, 6, 7]
    text = str(err.value)
    assert text.startswith(f"{path}, sheet '信创资产': 3 bad rows, nothing written: row 4: ")
    assert "row 6: phase must be 1 or 2" in text
    assert "row 7: duplicate serial N-1 (first on line 3)" in text
    assert counts(store) == before and assets.list_assets(store) == []


def test_export_and_import_on_the_command_line(cli, tmp_path):
    with Store(cli.db) as store:
        _fill(store)
        expected = assets.export_rows(store)
    path = tmp_path / "assets.bin"  # the format given, whatever the name
    result = cli.ok("xc", "asset", "export", "--format", "xlsx", "-o", str(path))
    assert "wrote 4 assets" in result.stderr and result.stdout == ""
    named = tmp_path / "assets.xlsx"
    named.write_bytes(path.read_bytes())
    assert _values(named)[0] == list(assets.COLUMNS)
    assert cli.json("xc", "asset", "import", str(named)) == {"added": 0, "unchanged": 4}
    with Store(cli.db) as store:
        assert assets.export_rows(store) == expected
    out = cli.ok("xc", "asset", "export").stdout  # CSV on stdout, neutralised too
    assert "\n'-12,terminal,\"'=HYPERLINK(" in out
    assert cli("xc", "asset", "export", "--format", "xlsx").exit_code == 2  # needs a file
    bad = _hand_made(tmp_path / "bad.xlsx", [["X-1", "server", "nobody"]])
    one_line_error(
        cli("xc", "asset", "import", str(bad)), "sheet '信创资产'", "row 3: no department"
    )
