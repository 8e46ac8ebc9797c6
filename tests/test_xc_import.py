"""Asset import (all or nothing, every bad row named by its line) and export, which
round-trips through CSV and .xlsx."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from test_xc_setup import COUNTY, asset, build, counts

from infra.errors import InvalidInput, RowErrors
from infra.store import Store
from infra.xc import assets
from tests.conftest import Cli, one_line_error

HEADER = "serial,kind,dept,model,cpu,os,phase,cost,host,ssh_user,org,status,status_date\n"


@pytest.fixture
def xc(store: Store) -> Store:
    build(store)
    return store


def _fill(store: Store) -> None:
    asset(
        store,
        "SN-001",
        "server",
        model="TaiShan 200 (2280)",
        cpu="kunpeng",
        os="kylin",
        phase=1,
        cost="86000.50",
        host="10.64.0.21",
        ssh_user="ops",
        org=COUNTY,
        day="2025-01-02",
    )
    asset(store, "0012", dept="自然资源局", cpu="飞腾", os="uos", phase=2, cost="4999")
    asset(store, "SN-003", dept="HY-GA", day="2025-01-05")
    assets.set_status(store, "SN-003", "installed", "2025-02-01")
    asset(store, "SN-004", day="2025-01-05", cost="0")
    assets.set_status(store, "SN-004", "retired", "2025-03-01")


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_export_import_round_trip(store: Store, tmp_path: Path, suffix: str) -> None:
    build(store)
    _fill(store)
    first = tmp_path / f"first{suffix}"
    assert assets.export_file(store, first) == 4
    exported = assets.export_rows(store)
    # into a fresh database of the same departments and units
    from infra.store import Store as Fresh

    with Fresh(str(tmp_path / "fresh.db")) as fresh:
        build(fresh)
        result = assets.import_file(fresh, first)
        assert result.as_dict() == {"added": 4, "unchanged": 0}
        assert assets.export_rows(fresh) == exported
        second = tmp_path / f"second{suffix}"
        assets.export_file(fresh, second)
        # the same file again changes nothing
        before = counts(fresh)
        assert assets.import_file(fresh, second).as_dict() == {"added": 0, "unchanged": 4}
        assert counts(fresh) == before
    if suffix == ".csv":
        assert first.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel on a Chinese Windows
        assert first.read_text(encoding="utf-8-sig") == second.read_text(encoding="utf-8-sig")


def test_import_is_all_or_nothing(xc: Store, tmp_path: Path) -> None:
    asset(xc, "OLD-1", cost="10")
    f = tmp_path / "bad.csv"
    f.write_text(
        HEADER
        + "N-1,terminal,YC-CZ,,,,1,100,,,,,\n"  # line 2: good
        + "N-2,terminal,no-such-dept,,,,,,,,,,\n"  # 3
        + "N-3,terminal,YC-CZ,,,,,-5,,,,,\n"  # 4
        + "N-4,terminal,YC-CZ,,,,3,,,,,,\n"  # 5
        + "N-1,terminal,YC-CZ,,,,,,,,,,\n"  # 6: duplicate of line 2
        + "N-5,laptop,YC-CZ,,,,,,,,,,\n"  # 7
        + "N-6,terminal,YC-CZ,,intel,,,,,,,,\n"  # 8
        + "N-7,terminal,YC-CZ,,,,,,,,,lost,\n"  # 9
        + "OLD-1,terminal,YC-CZ,,,,,99,,,,,\n"  # 10: stored with another cost
        + "N-8,server,HY-GA,,,,,,,,,installed,2025-02-30\n",  # 11
        encoding="utf-8",
    )
    before = counts(xc)
    with pytest.raises(RowErrors) as err:
        assets.import_file(xc, f)
    assert [line for line, _ in err.value.errors] == [3, 4, 5, 6, 7, 8, 9, 10, 11]
    text = str(err.value)
    for fragment in (
        "line 3: no department",
        "line 4: cost must not be negative",
        "line 5: phase must be 1 or 2",
        "line 6: duplicate serial N-1 (first on line 2)",
        "line 7: unknown kind",
        "line 8: unknown CPU family",
        "line 9: unknown asset status",
        "line 10: serial OLD-1 is already recorded with another cost",
        "line 11: status date 2025-02-30 is not a date",
    ):
        assert fragment in text
    assert counts(xc) == before
    assert [a["serial"] for a in assets.list_assets(xc)] == ["OLD-1"]


def test_import_with_status_and_chinese_headers(xc: Store, tmp_path: Path) -> None:
    f = tmp_path / "资产.csv"
    f.write_text(
        "序列号,类型,部门,批次,金额,状态,状态日期\n"
        "C-1,server,源城区财政局,1,1200.5,accepted,2025-03-01\n"
        "C-2,terminal,YC-CZ,2,,,\n",
        encoding="gb18030",
    )
    assert assets.import_file(xc, f).as_dict() == {"added": 2, "unchanged": 0}
    shown = assets.show(xc, "C-1")
    assert (shown["status"], shown["status_date"], shown["cost"]) == (
        "accepted",
        "2025-03-01",
        "1200.50",
    )
    assert [(h["to"], h["date"]) for h in shown["history"]] == [
        ("planned", "2025-03-01"),
        ("accepted", "2025-03-01"),
    ]
    assert assets.show(xc, "C-2")["status"] == "planned"


def test_import_refuses_a_file_without_the_columns(xc: Store, tmp_path: Path) -> None:
    f = tmp_path / "x.csv"
    f.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match="missing serial, kind, dept"):
        assets.import_file(xc, f)


def test_cli_import_export(cli: Cli, tmp_path: Path) -> None:
    with Store(cli.db) as s:
        build(s)
    f = tmp_path / "a.csv"
    f.write_text(HEADER + "X-1,server,YC-CZ,M,hygon,openeuler,1,10.5,,,,,\n", encoding="utf-8")
    assert cli.json("xc", "asset", "import", str(f)) == {"added": 1, "unchanged": 0}
    out = cli.ok("xc", "asset", "export").stdout
    rows = list(csv.DictReader(out.splitlines()))
    assert rows[0]["serial"] == "X-1" and rows[0]["cost"] == "10.50"
    assert list(rows[0]) == list(assets.COLUMNS)
    target = tmp_path / "out.xlsx"
    result = cli.ok("xc", "asset", "export", "-o", str(target))
    assert target.is_file() and "wrote 1 assets" in result.stderr
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "X-2,server,nobody,,,,,,,,,,\n", encoding="utf-8")
    one_line_error(cli("xc", "asset", "import", str(bad)), "line 2: no department")
    one_line_error(cli("xc", "asset", "import", str(tmp_path)), "is a directory")
    one_line_error(
        cli("xc", "asset", "export", "-o", str(tmp_path / "no" / "x.csv")), "cannot be written"
    )
