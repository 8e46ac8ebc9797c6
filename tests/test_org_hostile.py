"""Hostile input to `org` and `dept`: loops, lying encodings, devices, bombs, huge or
empty values, control characters. Each is one line and exit 1, with nothing written."""

from __future__ import annotations

import ast
import io
import json
import os
import re
import shutil
import sqlite3
import struct
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, SAMPLE, Cli, one_line_error
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from infra import tabular
from infra.errors import GovopsError, InvalidInput, RowErrors
from infra.org import depts, importer, units
from infra.store import Store

HEADER = "code,name,level,parent_code"
CITY = "441600000000"
COUNTY = "441602000000"
TOWN = "441602001000"
BOUNDED = 2000  # no message quoting hostile input may be longer than this


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _state(cli: Cli) -> tuple[Any, Any, Any]:
    return (cli.json("org", "list"), cli.json("dept", "list"), cli.json("audit", "verify")["rows"])


@pytest.fixture
def small(cli: Cli) -> Cli:
    """河源市 → 源城区 → 上城街道, and one department."""
    cli.ok("org", "add", "河源市", "--level", "city", "--code", CITY)
    cli.ok("org", "add", "源城区", "--level", "county", "--parent", CITY, "--code", COUNTY)
    cli.ok("org", "add", "上城街道", "--level", "town", "--parent", COUNTY, "--code", TOWN)
    cli.ok("dept", "add", "源城区财政局", "--code", "YC-CZ", "--org", COUNTY)
    return cli


# -- parent loops and chains: no recursion over the rows ----------------------


@pytest.mark.parametrize("n", [3000, 30000])
def test_a_long_parent_loop_is_one_short_line(cli, tmp_path, n):
    rows = [f"4416{i:08d},单位{i},village,4416{(i + 1) % n:08d}" for i in range(n)]
    line = one_line_error(
        cli("org", "import", str(_write(tmp_path / "loop.csv", [HEADER, *rows]))),
        f"1 bad row, nothing written: line 2: parent codes loop of {n} rows: 441600000000 →",
        f"(lines 2, 3, 4 … {n + 1})",
    )
    assert len(line) < 400, len(line)
    assert cli.json("org", "list") == []


def test_a_long_chain_of_rows_naming_each_other(cli, tmp_path):
    # A city and 30,000 rows below it, each the parent of the next: the chain is walked
    # without recursion, and refused once, at its cause (the rows below it are not
    # reported again).
    n = 30000
    rows = [f"{CITY},河源市,city,"]
    rows += [f"4416{i:08d},单位{i},village,4416{i - 1:08d}" for i in range(1, n + 1)]
    line = one_line_error(
        cli("org", "import", str(_write(tmp_path / "chain.csv", [HEADER, *rows])))
    )
    assert line.endswith(
        "1 bad row, nothing written: line 3: a village cannot sit under a city (河源市 (441600000000))"
    ), line
    assert cli.json("org", "list") == []


def _calls_itself(tree: ast.AST) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for call in ast.walk(node):
                if (
                    isinstance(call, ast.Call)
                    and isinstance(call.func, ast.Name)
                    and call.func.id == node.name
                ):
                    found.append(node.name)
    return found


def test_no_recursive_function_walks_user_data():
    for path in [*sorted((ROOT / "infra" / "org").glob("*.py")), ROOT / "infra" / "tabular.py"]:
        recursive = _calls_itself(ast.parse(path.read_text(encoding="utf-8")))
        assert recursive == [], (path.name, recursive)
    # the check itself finds recursion
    assert _calls_itself(ast.parse("def walk(n):\n    return walk(n - 1)\n")) == ["walk"]


# -- encodings: a BOM that lies ---------------------------------------------

LYING = [
    # (bytes, words): the byte named is counted from the file's start
    (
        b"\xef\xbb\xbf" + HEADER.encode() + b"\n" + "河源市".encode("gbk") + b",x,city,\n",
        "starts with a UTF-8 byte-order mark but is not UTF-8 at byte 31;"
        " save it again as UTF-8 or give its encoding with --encoding",
    ),
    (
        b"\xff\xfe" + HEADER.encode("utf-16-le") + b"\n",  # odd length: cut off
        "starts with a UTF-16 byte-order mark but is not UTF-16 at byte 56;",
    ),
    (
        b"\xff\xfe" + "code".encode("utf-16-le") + b"\x00\xd8" + b"a\x00",  # lone surrogate
        "starts with a UTF-16 byte-order mark but is not UTF-16 at byte 10;",
    ),
    (
        b"\xfe\xff" + "code".encode("utf-16-be") + b"\xdc\x00",  # lone low surrogate
        "starts with a UTF-16 byte-order mark but is not UTF-16 at byte 10;",
    ),
]


@pytest.mark.parametrize(("data", "words"), LYING)
@pytest.mark.parametrize("command", ["org", "dept"])
def test_a_byte_order_mark_that_lies_is_one_line(cli, tmp_path, data, words, command):
    path = tmp_path / "lying.csv"
    path.write_bytes(data)
    before = _state(cli)
    one_line_error(cli(command, "import", str(path)), str(path), words)
    assert _state(cli) == before


def test_library_messages_ask_for_the_encoding_without_naming_an_option():
    for data, _ in LYING:
        with pytest.raises(tabular.UndecodableText) as info:
            tabular.decode(data)
        assert str(info.value).endswith("give its encoding"), info.value
        assert "--" not in str(info.value)
    with pytest.raises(tabular.UndecodableText, match="not valid utf-8 at byte 1; give its"):
        tabular.decode(b"a\xff", "utf-8")
    with pytest.raises(tabular.UndecodableText, match="not valid undefined; give its encoding"):
        tabular.decode(b"abc", "undefined")  # a UnicodeError without a position
    for name in ("no-such-codec", "rot13", "base64", "utf\x008", "x" * 100_000):
        with pytest.raises(InvalidInput, match="unknown encoding") as info:
            tabular.decode(b"abc", name)
        assert len(str(info.value)) < 100
    assert tabular.decode("河源".encode("utf-32"))[0] == "河源"


# -- devices, pipes, directories, bombs ------------------------------------------


def _inputs_that_are_not_files(tmp_path: Path) -> list[Path]:
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    fifo_xlsx = tmp_path / "pipe.xlsx"
    os.mkfifo(fifo_xlsx)
    folder = tmp_path / "folder.xlsx"
    folder.mkdir()
    return [Path("/dev/zero"), Path("/dev/urandom"), fifo, fifo_xlsx, tmp_path, folder]


@pytest.mark.parametrize("command", ["org", "dept"])
def test_devices_pipes_and_directories_are_refused_at_once(cli, tmp_path, command):
    before = _state(cli)
    for path in _inputs_that_are_not_files(tmp_path):
        line = one_line_error(cli(command, "import", str(path)), str(path))
        assert "not a regular file" in line or "is a directory" in line, line
    assert _state(cli) == before


def _xlsx(path: Path, rows: list[list[Any]]) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def _rewrite_member(path: Path, member: str, change: Any) -> None:
    """Rewrite one member of a zip file through `change(text) -> text`."""
    with zipfile.ZipFile(path) as src:
        items = [(info, src.read(info)) for info in src.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info, data in items:
            if info.filename == member:
                data = change(data.decode("utf-8")).encode("utf-8")
            dst.writestr(info.filename, data)


def _declare_size(path: Path, member: str, size: int) -> None:
    """Make the central directory state `size` bytes unpacked for `member`, as a zip bomb
    does (zipfile enforces a member's stated size when it is read)."""
    data = bytearray(path.read_bytes())
    at = data.find(b"PK\x01\x02")
    name = member.encode()
    while at != -1:
        name_len = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46 : at + 46 + name_len] == name:
            struct.pack_into("<I", data, at + 24, size)
            path.write_bytes(bytes(data))
            return
        at = data.find(b"PK\x01\x02", at + 4)
    raise AssertionError(f"{member} not in {path}")


@pytest.mark.parametrize("command", ["org", "dept"])
def test_xlsx_that_unpacks_past_the_limit_is_refused_unread(cli, tmp_path, command):
    path = _xlsx(tmp_path / "bomb.xlsx", [["code", "name", "level", "parent_code"]])
    _declare_size(path, "xl/worksheets/sheet1.xml", 3 * 2**30)
    before = _state(cli)
    one_line_error(
        cli(command, "import", str(path)), "unpacks to 3,072 MiB; a .xlsx is read up to 1,024 MiB"
    )
    assert _state(cli) == before


def test_xlsx_stating_the_largest_dimension_reads_only_its_cells(cli, tmp_path):
    # A sheet that claims A1:XFD1048576 but holds three rows: read_only mode with a
    # column bound does not pad every row to 16,384 cells.
    path = _xlsx(
        tmp_path / "wide.xlsx",
        [[*HEADER.split(",")], [CITY, "河源市", "city", ""], [COUNTY, "源城区", "county", CITY]],
    )
    _rewrite_member(
        path,
        "xl/worksheets/sheet1.xml",
        lambda xml: re.sub(r'<dimension ref="[^"]*" ?/>', '<dimension ref="A1:XFD1048576"/>', xml),
    )
    assert 'ref="A1:XFD1048576"' in zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml").decode()
    assert cli.json("org", "import", str(path)) == {"added": 2, "renamed": 0, "unchanged": 0}


def test_too_many_columns_refused(cli, tmp_path):
    wide = [*HEADER.split(","), *[f"c{i}" for i in range(197)]]  # 201 columns
    xlsx = _xlsx(tmp_path / "cols.xlsx", [wide])
    one_line_error(cli("org", "import", str(xlsx)), "row 1 has more than 200 columns")
    csv_path = _write(tmp_path / "cols.csv", [HEADER, CITY + ",河源市,city," + "," * 200])
    one_line_error(cli("org", "import", str(csv_path)), "line 2 has more than 200 columns")
    assert cli.json("org", "list") == []
    ok = _xlsx(tmp_path / "ok.xlsx", [[*wide[:200]], [CITY, "河源市", "city", ""]])
    assert cli.json("org", "import", str(ok))["added"] == 1


def test_too_many_rows_refused(cli, tmp_path, monkeypatch):
    monkeypatch.setattr(tabular, "MAX_ROWS", 3)
    rows = [
        HEADER,
        f"{CITY},河源市,city,",
        *[f"44160{i}000000,区{i},county,{CITY}" for i in range(1, 4)],
    ]
    line = one_line_error(cli("org", "import", str(_write(tmp_path / "rows.csv", rows))))
    assert "has more than 3 rows; at most 3" in line
    xlsx = _xlsx(tmp_path / "rows.xlsx", [r.split(",") for r in rows])
    one_line_error(cli("org", "import", str(xlsx)), "has more than 3 rows")
    assert cli.json("org", "list") == []
    assert cli.json("org", "import", str(_write(tmp_path / "ok.csv", rows[:4])))["added"] == 3


@pytest.mark.slow
def test_a_million_rows_of_garbage_is_one_line(cli, tmp_path):
    path = tmp_path / "garbage.csv"
    with path.open("w", encoding="utf-8") as f:
        f.write(HEADER + "\n")
        for i in range(1_000_000):
            f.write(f"{i * 7919 % 1000003}.5,垃圾{i % 10},nonsense,{i}\n")
    line = one_line_error(cli("org", "import", str(path)), "1000000 bad rows, nothing written")
    assert "… and 999980 more" in line and len(line) < BOUNDED
    assert cli.json("org", "list") == []


# -- empty references -----------------------------------------------------------

EMPTY_REFS = [
    (("org", "add", "新村", "--level", "city", "--parent", ""), "empty org unit reference"),
    (("org", "add", "新村", "--level", "city", "--parent", " \u3000"), "empty org unit reference"),
    (("org", "show", ""), "empty org unit reference"),
    (("org", "show", "/"), "empty org unit reference"),
    (("org", "list", "--under", "  "), "empty org unit reference"),
    (("org", "tree", ""), "empty org unit reference"),
    (("org", "remove", " "), "empty org unit reference"),
    (("org", "add", "新村", "--level", "city", "--code", ""), "division code '' is not a number"),
    (("dept", "show", ""), "empty department reference"),
    (("dept", "add", "新局", "--org", ""), "empty org unit reference"),
    (("dept", "list", "--org", " "), "empty org unit reference"),
    (("dept", "move", "YC-CZ", ""), "empty org unit reference"),
    (("dept", "rename", "", "新名"), "empty department reference"),
    (("dept", "remove", "\t"), "empty department reference"),
    (("dept", "add", "新局", "--code", " "), "department code is empty"),
]


@pytest.mark.parametrize(("args", "words"), EMPTY_REFS, ids=[" ".join(a) for a, _ in EMPTY_REFS])
def test_an_empty_reference_is_an_error_not_none(small, args, words):
    before = _state(small)
    one_line_error(small(*args), words)
    assert _state(small) == before


def test_an_empty_reference_in_the_library(store):
    units.add(store, "河源市", "city", code=CITY)
    for ref in ("", "  ", "\u3000"):
        with pytest.raises(InvalidInput, match="empty org unit reference"):
            units.add(store, "惠州市", "city", ref)
        with pytest.raises(InvalidInput, match="empty org unit reference"):
            units.list_units(store, under=ref)
        with pytest.raises(InvalidInput, match="empty org unit reference"):
            depts.add(store, "新局", org_ref=ref)
        with pytest.raises(InvalidInput, match="empty department reference"):
            depts.show(store, ref)
    depts.add(store, "新局", code="XJ", org_ref=CITY)
    with pytest.raises(InvalidInput, match="empty org unit reference"):
        depts.move(store, "XJ", "")
    assert depts.move(store, "XJ", None).org_code is None  # None still means "under none"


# -- huge values, control characters, NUL ------------------------------------------

HUGE = "名" * 10_000_000


def _hostile_values() -> list[tuple[str, str]]:
    return [
        (HUGE, "(10000000 characters)"),
        ("4" * 100_000, "(100000 characters)"),
        ("河源\x00市", "control character"),
        ("河源\x1b[31m市", "control character"),
        ("河源\u202e市", "control character"),  # a bidi override
        ("河源\udcff市", "control character"),  # an undecodable byte from argv
        ("河源\n市", "control character"),
        ("河源\x85市", "control character"),  # C1 next line
    ]


@pytest.mark.parametrize(("value", "words"), _hostile_values(), ids=range(8))
def test_hostile_values_in_every_field_of_add_and_show(small, value, words):
    before = _state(small)
    attempts = [
        ("org", "add", value, "--level", "town", "--parent", COUNTY),
        ("org", "add", "新街道", "--level", "town", "--parent", value),
        ("org", "show", value),
        ("org", "list", "--under", value),
        ("dept", "add", value, "--org", COUNTY),
        ("dept", "add", "新局", "--code", value),
        ("dept", "add", "新局", "--org", value),
        ("dept", "show", value),
        ("dept", "rename", "YC-CZ", value),
        ("dept", "move", "YC-CZ", value),
    ]
    for args in attempts:
        line = one_line_error(small(*args))
        assert len(line) < 400, (args[:2], len(line))
    assert _state(small) == before
    # the code option: a number or not, never quoted at length
    line = one_line_error(
        small("org", "add", "新街道", "--level", "town", "--parent", COUNTY, "--code", value)
    )
    assert len(line) < 400


def test_a_huge_name_is_refused_by_its_length(small):
    line = one_line_error(small("org", "add", HUGE, "--level", "town", "--parent", COUNTY))
    assert "(10000000 characters) is 10000000 characters long; at most 100" in line
    line = one_line_error(small("org", "show", "4" * 100_000))
    assert "division code '44444" in line and "(100000 characters) must have 12 digits" in line
    one_line_error(small("org", "show", "河源\x00市"), "org unit reference", "control character")


def test_full_width_digits_in_a_code_are_still_read(small, tmp_path):
    rows = [HEADER, "４４１６０２００２０００,新江街道,town,４４１６０２"]
    assert small.json("org", "import", str(_write(tmp_path / "fw.csv", rows)))["added"] == 1
    assert small.json("org", "show", "４４１６０２００２")["name"] == "新江街道"


@pytest.mark.parametrize("cell", ["河源\x00市", "河源\x07市", "   ", "\u3000", "a/b", "x" * 101])
def test_bad_names_in_a_file_are_bad_rows(cli, tmp_path, cell):
    rows = [HEADER, f"{CITY},{cell},city,"]
    line = one_line_error(cli("org", "import", str(_write(tmp_path / "n.csv", rows))))
    assert "1 bad row, nothing written: line 2: name" in line
    rows = ["code,name,org_code", f"D1,{cell},"]
    if "/" not in cell:  # a department's name may hold a slash
        line = one_line_error(cli("dept", "import", str(_write(tmp_path / "d.csv", rows))))
        assert "1 bad row, nothing written: line 2: name" in line
    assert cli.json("org", "list") == [] and cli.json("dept", "list") == []


@pytest.mark.parametrize("field", [0, 2, 3])
def test_nul_in_the_other_fields_of_a_row(cli, tmp_path, field):
    cells = [CITY, "河源市", "city", ""]
    cells[field] = cells[field][:3] + "\x00" + cells[field][3:]
    line = one_line_error(
        cli("org", "import", str(_write(tmp_path / "z.csv", [HEADER, ",".join(cells)])))
    )
    assert "1 bad row, nothing written: line 2:" in line and "\\x00" in line
    assert cli.json("org", "list") == []


def test_bad_rows_stay_bounded_when_every_line_is_huge(cli, tmp_path):
    # Fields just under the csv module's own 128 KiB limit, in every column of 30 rows.
    big = "名" * 130_000
    rows = [HEADER, *[f"{big},{big},{big},{big}" for _ in range(30)]]
    line = one_line_error(cli("org", "import", str(_write(tmp_path / "big.csv", rows))))
    assert "30 bad rows, nothing written" in line and "… and 10 more" in line
    assert len(line) < BOUNDED * 3, len(line)
    # one field past it: the file is refused at that line
    rows = [HEADER, f"{CITY},{'名' * 200_000},city,"]
    line = one_line_error(cli("org", "import", str(_write(tmp_path / "bigger.csv", rows))))
    assert "line 2: field larger than field limit" in line
    # departments, too
    rows = ["code,name,org_code", *[f"{big[:31]},{big},{CITY}" for _ in range(30)]]
    line = one_line_error(cli("dept", "import", str(_write(tmp_path / "d.csv", rows))))
    assert "30 bad rows" in line and len(line) < BOUNDED * 3, len(line)
    assert cli.json("org", "list") == [] and cli.json("dept", "list") == []


def test_a_file_name_with_a_line_break_is_one_line(cli, tmp_path):
    path = tmp_path / "a\nb.csv"
    path.write_text(HEADER + "\n", encoding="utf-8")
    one_line_error(cli("org", "import", str(path)), "file name", "contains a control character")


# -- property: whatever the input, one GovopsError, nothing written -------------------

_KNOWN = [
    "",
    " ",
    "\u3000",
    "/",
    "//",
    "河源市",
    "源城区",
    "上城街道",
    "河源市/源城区",
    "河源市/源城区/上城街道",
    CITY,
    COUNTY,
    TOWN,
    "441602",
    "４４１６０２",
    "YC-CZ",
    "源城区财政局",
    "4.416E+11",
    "0",
    "-1",
    "²",
]
_NASTY = ["\x00", "\udcff", "\ud800", "\u202e", "\x1b", "\n", "\x85", "\ufeff", "/", " ", "\u3000"]
_TEXT = st.one_of(
    st.sampled_from(_KNOWN),
    st.builds(lambda a, b: a + b, st.sampled_from(_KNOWN), st.sampled_from(_NASTY)),
    # any code point, surrogates and controls included
    st.text(st.characters(exclude_categories=()), max_size=20),
    st.text(alphabet=st.sampled_from("0123456789０１２３４５６７８９/ \x00河源市区"), max_size=14),
)
_CELLS = st.lists(st.lists(_TEXT, max_size=6), max_size=8)
_LEVELS = st.sampled_from(["province", "city", "county", "town", "village"])


def _csv_bytes(header: str, rows: list[list[str]], encoding: str) -> bytes:
    out = io.StringIO()
    out.write(header + "\n")
    for cells in rows:
        out.write(",".join(c.replace("\n", " ").replace("\r", " ") for c in cells) + "\n")
    return out.getvalue().encode(encoding, errors="replace")


@st.composite
def _file_bytes(draw: Any) -> tuple[str, bytes]:
    kind = draw(st.sampled_from(["csv", "bytes", "bomgbk", "xlsx-bytes"]))
    header = draw(st.sampled_from([HEADER, "code,name,org_code", "", "x,y"]))
    if kind == "csv":
        enc = draw(st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"]))
        return ".csv", _csv_bytes(header, draw(_CELLS), enc)
    if kind == "bomgbk":
        return ".csv", b"\xef\xbb\xbf" + _csv_bytes(header, draw(_CELLS), "gb18030")
    data = draw(st.binary(max_size=300))
    return (".xlsx" if kind == "xlsx-bytes" else ".csv"), data


def _library_call(store: Store, op: str, a: str, b: str, level: str, path: Path) -> None:
    calls = {
        "org-add": lambda: units.add(store, a, level, b or None, None),
        "org-add-code": lambda: units.add(store, a, level, CITY, b),
        "org-show": lambda: units.show(store, a),
        "org-list": lambda: units.list_units(store, None, a),
        "org-tree": lambda: units.tree(store, a, 2),
        "org-remove": lambda: units.remove(store, a),
        "org-import": lambda: importer.import_file(store, path),
        "dept-add": lambda: depts.add(store, a, b or None, COUNTY),
        "dept-add-org": lambda: depts.add(store, "新局", None, a),
        "dept-show": lambda: depts.show(store, a),
        "dept-rename": lambda: depts.rename(store, a, b),
        "dept-move": lambda: depts.move(store, "YC-CZ", a),
        "dept-import": lambda: depts.import_file(store, path),
    }
    calls[op]()


_OPS = st.sampled_from(
    [
        "org-add",
        "org-add-code",
        "org-show",
        "org-list",
        "org-tree",
        "org-remove",
        "org-import",
        "dept-add",
        "dept-add-org",
        "dept-show",
        "dept-rename",
        "dept-move",
        "dept-import",
    ]
)


@pytest.mark.slow
@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(op=_OPS, a=_TEXT, b=_TEXT, level=_LEVELS, file=_file_bytes())
def test_library_raises_nothing_but_govops_errors(store, tmp_path, op, a, b, level, file):
    # On both backends: PostgreSQL refuses NUL in text and undecodable surrogates, so a
    # reference must be refused before it reaches a query.
    if not store.read(lambda tx: tx.scalar("SELECT count(*) FROM org_unit")):
        units.add(store, "河源市", "city", code=CITY)
        units.add(store, "源城区", "county", CITY, COUNTY)
        depts.add(store, "源城区财政局", "YC-CZ", COUNTY)
    suffix, data = file
    path = tmp_path / f"input{suffix}"
    path.write_bytes(data)
    try:
        _library_call(store, op, a, b, level, path)
    except GovopsError as exc:
        assert "\n" not in str(exc) and len(str(exc)) < BOUNDED, str(exc)[:200]
        if isinstance(exc, RowErrors):
            assert exc.errors


def _seeded_db(directory: Path) -> Path:
    db = directory / "seed.db"
    with Store(str(db)) as store:
        importer.import_file(store, SAMPLE)
        depts.add(store, "源城区财政局", "YC-CZ", COUNTY)
        depts.add(store, "河源市政务服务数据管理局", None, CITY)
    return db


def _audit_rows(db: str) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute("SELECT count(*) FROM audit").fetchone()[0])


_COMMANDS = st.sampled_from(
    [
        "org add",
        "org add code",
        "org show",
        "org list",
        "org tree",
        "org remove",
        "org import",
        "dept add",
        "dept show",
        "dept list",
        "dept rename",
        "dept move",
        "dept remove",
        "dept import",
    ]
)


def _argv(command: str, a: str, b: str, level: str, path: str) -> list[str]:
    # Arguments follow "--", so that one starting with "-" stays an argument; option
    # values are taken as given.
    return {
        "org add": ["org", "add", "--level", level, "--parent", b, "--", a],
        "org add code": ["org", "add", "--level", level, "--code", b, "--parent", COUNTY, "--", a],
        "org show": ["org", "show", "--", a],
        "org list": ["org", "list", "--under", a],
        "org tree": ["org", "tree", "--", a],
        "org remove": ["org", "remove", "--", a],
        "org import": ["org", "import", "--", path],
        "dept add": ["dept", "add", "--code", b, "--org", COUNTY, "--", a],
        "dept show": ["dept", "show", "--", a],
        "dept list": ["dept", "list", "--org", a],
        "dept rename": ["dept", "rename", "--", a, b],
        "dept move": ["dept", "move", "--", "YC-CZ", a],
        "dept remove": ["dept", "remove", "--", a],
        "dept import": ["dept", "import", "--", path],
    }[command]


@pytest.fixture(scope="module")
def seed_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _seeded_db(tmp_path_factory.mktemp("seed"))


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(command=_COMMANDS, a=_TEXT, b=_TEXT, level=_LEVELS, file=_file_bytes())
def test_cli_refuses_with_one_line_and_writes_nothing(seed_db, command, a, b, level, file):
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "govops.db")
        shutil.copy(seed_db, db)
        cli = Cli(db)
        suffix, data = file
        path = Path(tmp) / f"input{suffix}"
        path.write_bytes(data)
        before = (cli.json("org", "list"), cli.json("dept", "list"), _audit_rows(db))
        result = cli(*_argv(command, a, b, level, str(path)))
        if result.exit_code == 0:
            return
        one_line_error(result)
        after = (cli.json("org", "list"), cli.json("dept", "list"), _audit_rows(db))
        assert after == before
        json.dumps(after)  # still readable as JSON
