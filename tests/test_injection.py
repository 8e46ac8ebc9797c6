"""Formula injection (OWASP's CSV-injection rule): every CSV and xlsx export gives a
text cell that starts with = + - @ tab or CR a leading quote, so a spreadsheet shows
it instead of running it; IPv6 addresses (::1) and numbers stay as they are; govops'
own import takes the quote off, so export → import → export is identical."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from conftest import Cli, pg_schema
from test_ipam_transfer import copy_orgs

from infra import tabular
from infra.store import Store
from ipam import transfer

HOSTILE = ['=HYPERLINK("http://evil.example","点我")', "+cmd|' /C calc'!A0", "-1+1", "@SUM(1+1)"]
CITY = "441600000000"


@pytest.fixture
def other_url(db_url: str, tmp_path: Path):
    if not db_url.startswith("postgresql://"):
        yield str(tmp_path / "other.db")
        return
    with pg_schema() as url:
        yield url


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+cmd", "'+cmd"),
        ("-1+1", "'-1+1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("'=1", "''=1"),  # already looks neutralised: one more quote, taken off again
        ("'hello", "'hello"),
        ("::1", "::1"),
        ("fd00::/8", "fd00::/8"),
        ("政务外网", "政务外网"),
        ("", ""),
        (-5, -5),
        (2.5, 2.5),
        (None, None),
    ],
)
def test_neutral_and_back(value, cell):
    assert tabular.neutral(value) == cell
    if isinstance(value, str):
        assert tabular.unneutral(cell) == value


def hostile_space(cli: Cli) -> None:
    """Org units, purposes, descriptions and hostnames a spreadsheet would run."""
    cli.ok("org", "add", "河源市", "-l", "city", "-c", CITY)
    cli.ok("org", "add", "-l", "county", "-p", CITY, "-c", "441602000000", "--", "-1+1")
    cli.ok("org", "add", "@SUM(1+1)", "-l", "county", "-p", CITY, "-c", "441621000000")
    cli.ok("ipam", "pool", "add", "10.64.0.0/12", "--org", CITY, "-D", HOSTILE[0])
    cli.ok("ipam", "pool", "add", "fd00::/16", "--org", CITY, "-D", HOSTILE[1])
    cli.ok("ipam", "alloc", "--for", "441602000000", "-s", "/16", f"--purpose={HOSTILE[2]}")
    cli.ok("ipam", "alloc", "--for", "441621000000", "-s", "/16", "-P", "@x", "-D", HOSTILE[3])
    cli.ok("ipam", "alloc", "--for", "441602000000", "-s", "/32", "--family", "6")
    cli.ok("ipam", "ip", "assign", "10.64.0.5", "-H", "web", "-D", HOSTILE[0])


def no_formula_cell(rows: list[list[str]]) -> None:
    for row in rows:
        for cell in row:
            assert cell[:1] not in tabular.FORMULA_STARTS, (row, cell)


@pytest.mark.parametrize("fmt", ["csv", "netbox-csv"])
def test_csv_exports_are_neutral(cli, store, fmt):
    hostile_space(cli)
    args = ["ipam", "export", "-f", fmt]
    texts = [cli.ok(*args).stdout]
    if fmt == "netbox-csv":
        texts.append(cli.ok(*args, "--what", "addresses").stdout)
    for text in texts:
        rows = list(csv.reader(io.StringIO(text)))
        no_formula_cell(rows)
        flat = {c for r in rows for c in r}
        assert "'" + HOSTILE[0] in flat
    assert "fd00::/16" in texts[0]


def test_org_and_listing_csv_are_neutral(cli, store):
    hostile_space(cli)
    for args in (("org", "list"), ("org", "tree"), ("ipam", "tree"), ("ipam", "usage")):
        text = cli.ok(*args, "--format", "csv").stdout
        rows = list(csv.reader(io.StringIO(text)))
        no_formula_cell(rows)
    names = [
        r["name"] for r in csv.DictReader(io.StringIO(cli.ok("org", "list", "-f", "csv").stdout))
    ]
    assert "'-1+1" in names and "'@SUM(1+1)" in names


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_round_trip_keeps_hostile_text(cli, store, other_url, tmp_path, fmt):
    hostile_space(cli)
    path = tmp_path / f"ipam.{fmt}"
    cli.ok("ipam", "export", "-f", fmt, "-o", str(path))
    before = transfer.export(store)
    target = Cli(other_url)
    copy_orgs(cli, target, tmp_path)  # org list CSV → org import: names come back as they were
    target.ok("ipam", "import", str(path))
    with Store(other_url) as copy:
        after = transfer.export(copy)
        names = {r["name"] for r in copy.read(lambda tx: tx.all("SELECT name FROM org_unit"))}
    assert after == before
    assert {"-1+1", "@SUM(1+1)"} <= names
    again = tmp_path / f"again.{fmt}"
    target.ok("ipam", "export", "-f", fmt, "-o", str(again))
    if fmt == "csv":
        assert again.read_text(encoding="utf-8") == path.read_text(encoding="utf-8")


def test_xlsx_cells_are_text_not_formulas(cli, store, tmp_path):
    import openpyxl

    hostile_space(cli)
    path = tmp_path / "ledger.xlsx"
    cli.ok("ipam", "export", "-f", "xlsx", "-o", str(path))
    book = openpyxl.load_workbook(path)
    seen = set()
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert cell.value[:1] not in tabular.FORMULA_STARTS
                    seen.add(cell.value)
                elif cell.value is not None and sheet.title == "汇总":
                    assert isinstance(cell.value, int)  # counts stay numbers
    assert "'" + HOSTILE[0] in seen and "'-1+1" in seen and "'@SUM(1+1)" in seen


def test_write_xlsx_keeps_numbers(tmp_path):
    import openpyxl

    path = tabular.write_xlsx(
        tmp_path / "t.xlsx", [("VM", ["name", "delta", "ip"], [["=cmd", -5, "::1"]])]
    )
    sheet = openpyxl.load_workbook(path).active
    assert [c.value for c in sheet[2]] == ["'=cmd", -5, "::1"]
    assert sheet["B2"].data_type == "n"
    table = tabular.read_table(path)
    assert table.rows == [(2, ["=cmd", "-5", "::1"])]


def test_every_writer_neutralises():
    """A module that writes CSV or a workbook goes through `tabular.neutral` too."""
    root = Path(__file__).resolve().parent.parent
    writers = ("csv.writer(", "csv.DictWriter(", "Workbook(")
    missing = []
    for package in ("infra", "ipam", "inventory"):
        for source in sorted((root / package).rglob("*.py")):
            text = source.read_text(encoding="utf-8")
            if any(w in text for w in writers) and "neutral" not in text:
                missing.append(str(source.relative_to(root)))
    assert missing == []
