"""The IP ledger as a workbook: export → import → export is identical on both
backends; a ledger typed by hand (title rows, merged cells, blank lines) reads;
bad rows are named by sheet and row and nothing is written."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Cli, one_line_error, pg_schema
from ipam_helpers import CITY, COUNTY_A, COUNTY_B, TOWN_A1, make_orgs, snapshot
from test_ipam_transfer import build, copy_orgs

from infra.store import Store
from ipam import ledger, transfer


@pytest.fixture
def other_url(db_url: str, tmp_path: Path):
    if not db_url.startswith("postgresql://"):
        yield str(tmp_path / "other.db")
        return
    with pg_schema() as url:
        yield url


def cells(path: Path) -> dict[str, list[list[object]]]:
    import openpyxl

    book = openpyxl.load_workbook(path)
    return {s.title: [list(r) for r in s.iter_rows(values_only=True)] for s in book.worksheets}


def test_round_trip_is_identical(cli, store, other_url, tmp_path):
    build(cli, store)
    path = tmp_path / "ledger.xlsx"
    result = cli.ok("ipam", "export", "--format", "xlsx", "-o", str(path))
    assert f"wrote 15 prefixes and 5 addresses to {path}" in result.stderr
    book = cells(path)
    titles = list(book)
    assert titles[0] == ledger.SUMMARY
    assert titles[1:] == ["源城区", ledger.OTHER, ledger.ADDRESSES, ledger.VRFS]
    county = book["源城区"]
    assert county[0][0] == "IP地址台账 — 源城区"  # a title row above the header
    assert county[1] == ["IP地址段", "协议", "用途", "使用单位", "单位代码", "状态", "网关", "备注"]
    office = next(r for r in county if r[0] == "10.64.0.0/24")
    assert office == [
        "10.64.0.0/24",
        "IPv4",
        "office",
        "上城街道",
        TOWN_A1,
        "已分配",
        "10.64.0.1",
        'A, "B" 楼',
    ]
    other = book[ledger.OTHER]
    assert other[1][0] == "VRF"
    assert {(r[0], r[1]) for r in other[2:]} >= {
        ("video", "10.64.1.0/24"),
        ("egov", "10.64.0.0/12"),
    }
    summary = book[ledger.SUMMARY]
    assert summary[-1][0] == "合计" and summary[-1][4] == 15
    before = transfer.export(store)

    target = Cli(other_url)
    copy_orgs(cli, target, tmp_path)
    result = target.ok("ipam", "import", str(path))
    assert "15 prefixes, 5 addresses, 2 VRFs added; 0 unchanged" in result.stderr
    with Store(other_url) as copy:
        assert transfer.export(copy) == before
    again = tmp_path / "again.xlsx"
    target.ok("ipam", "export", "-f", "xlsx", "-o", str(again))
    assert cells(again) == book
    assert "0 prefixes, 0 addresses, 0 VRFs added; 20 unchanged" in (
        target.ok("ipam", "import", str(path)).stderr
    )


def test_export_needs_a_file(cli):
    result = cli("ipam", "export", "--format", "xlsx")
    assert result.exit_code == 2


def hand_ledger(path: Path, rows: list[list[object]], sheet: str = "紫金县") -> None:
    """A ledger as an office types it: a merged title, a date line, a 序号 column,
    the unit written once beside its blocks (merged down), blank lines, a footer."""
    import openpyxl

    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "说明"
    ws.append(["本台账由网络科维护"])
    ws = book.create_sheet(sheet)
    ws.append(["河源市政务外网IP地址台账（紫金县）"])
    ws.merge_cells("A1:G1")
    ws.append(["更新日期：2026年11月"])
    ws.append([])
    ws.append(["序号", "IP地址段", "使用单位", "单位代码", "用途", "状态", "备注"])
    first = ws.max_row + 1
    for row in rows:
        ws.append(row)
        if not row:
            continue
    if len(rows) > 1 and rows[0] and rows[1] and rows[1][2] is None:
        ws.merge_cells(start_row=first, start_column=3, end_row=first + 1, end_column=3)
        ws.merge_cells(start_row=first, start_column=4, end_row=first + 1, end_column=4)
    ws.append([])
    ws.append(["制表人：张三"])
    book.save(path)


def test_hand_made_ledger(cli, store, tmp_path):
    make_orgs(store)
    cli.ok("ipam", "pool", "add", "10.64.0.0/12", "--org", CITY)
    path = tmp_path / "hand.xlsx"
    hand_ledger(
        path,
        [
            [1, "10.64.16.0/20", "紫金县", int(COUNTY_B), "县级汇聚", "已分配", "汇聚 (合并)"],
            [2, "10.64.32.0/24", None, None, "视频", "预留", None],
            [],
            [3, "10.64.48.0/24", "源城区", None, "办公", "allocated", ""],
        ],
    )
    result = cli.ok("ipam", "import", str(path))
    assert "3 prefixes" in result.stderr
    by = {p["prefix"]: p for p in transfer.export(store)["prefixes"]}
    assert by["10.64.16.0/20"]["org_code"] == COUNTY_B
    assert by["10.64.16.0/20"]["description"] == "汇聚 (合并)"
    assert by["10.64.32.0/24"]["org_code"] == COUNTY_B  # the merged unit cell
    assert by["10.64.32.0/24"]["status"] == "reserved"
    assert by["10.64.48.0/24"]["org_code"] == COUNTY_A  # by name


def test_bad_rows_named_by_sheet_and_row(cli, store, tmp_path):
    make_orgs(store)
    cli.ok("ipam", "pool", "add", "10.64.0.0/12", "--org", CITY)
    path = tmp_path / "bad.xlsx"
    hand_ledger(
        path,
        [
            [1, "10.64.16.0/20", "紫金县", COUNTY_B, "ok", "已分配", None],
            [2, "10.64.32.0/33", "紫金县", COUNTY_B, "x", "已分配", None],
            [3, "10.64.48.0/24", "紫金县", COUNTY_B, "x", "借出", None],
            [4, "10.80.0.0/24", "紫金县", COUNTY_B, "x", "已分配", None],
            [5, "10.64.64.0/24", "无此单位", None, "x", "已分配", None],
            [6, "10.64.80.0/24", "紫金县", COUNTY_A, "x", "已分配", None],
        ],
    )
    before = snapshot(store)
    message = one_line_error(cli("ipam", "import", str(path)), "5 bad rows, nothing written")
    assert "sheet '紫金县' row 6: '10.64.32.0/33' is not a valid CIDR" in message
    assert "sheet '紫金县' row 7: " in message and "借出" in message
    assert "sheet '紫金县' row 8: 10.80.0.0/24" in message
    assert "sheet '紫金县' row 9: " in message and "无此单位" in message
    assert f"sheet '紫金县' row 10: 10.64.80.0/24: org_code {COUNTY_A} is 河源市/源城区" in message
    assert "row 5:" not in message
    assert snapshot(store) == before


def test_unknown_column_and_no_ledger(cli, store, tmp_path):
    import openpyxl

    make_orgs(store)
    path = tmp_path / "odd.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["IP地址段", "颜色"])
    book.active.append(["10.64.0.0/24", "红"])
    book.save(path)
    one_line_error(cli("ipam", "import", str(path)), "unknown column '颜色'")
    empty = tmp_path / "empty.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["姓名", "电话"])
    book.save(empty)
    one_line_error(cli("ipam", "import", str(empty)), "no sheet has a header")
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a zip")
    one_line_error(cli("ipam", "import", str(broken)), "not a readable .xlsx file")
