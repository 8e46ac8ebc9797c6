"""Hostile spreadsheets for every import that reads .xlsx (org, departments, cloud VMs,
Xinchuang assets, the IPAM ledger): formulas, huge numbers, dates and booleans where
text belongs, merged cells, empty sheets, wrong headers, NUL and control characters
in the sheet's XML, very long strings, right-to-left and zero-width characters. The
import writes its rows, or refuses in one line with the database as it was; the same
rows as CSV (also under a .json or .yaml name) are held to the same.
"""

from __future__ import annotations

import contextlib
import math
import re
import zipfile
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from test_cloud_setup import FIN
from test_fuzz_domains import (
    VALUES,
    W,
    check_one,
    pg_seeded,  # noqa: F401 (a fixture)
    seed_db,  # noqa: F401 (a fixture)
    seeded_copy,
)
from test_org_hostile import _csv_bytes, _file_bytes, _rewrite_member

from infra.cloud import bulk
from infra.xc import assets

# -- what each import reads: its command, its header, a row it would take ----------

IMPORTS: dict[str, tuple[tuple[str, ...], list[str], list[Any]]] = {
    "org": (
        (W, "org", "import", "--", "{}"),
        ["code", "name", "level", "parent_code"],
        [441602002000, "新街道", "town", 441602000000],
    ),
    "dept": (
        (W, "dept", "import", "--", "{}"),
        ["code", "name", "org_code"],
        ["D9", "新局", "441602000000"],
    ),
    "vm": (
        (W, "cloud", "vm", "import", "--", "{}"),
        list(bulk.COLUMNS),
        ["v-9", "YC-CZ", FIN, 2, 4, 40, None, "active", date(2024, 5, 6), "x1"],
    ),
    "vm-create": (
        (W, "cloud", "vm", "import", "--create-missing", "--", "{}"),
        list(bulk.COLUMNS),
        ["v-9", "新部门", "新系统", 2, 4, 40, "10.90.1.40", "stopped", "2024-05-06", "a1"],
    ),
    "asset": (
        (W, "xc", "asset", "import", "--", "{}"),
        list(assets.COLUMNS),
        [
            "SN-9",
            "terminal",
            "YC-CZ",
            "TK-1",
            "hygon",
            "kylin",
            1,
            6800,
            None,
            None,
            "441602000000",
            "installed",
            "2025-03-18",
        ],
    ),  # fmt: skip
    "ipam": (
        (W, "ipam", "import", "--", "{}"),
        [
            "VRF",
            "IP地址段",
            "协议",
            "用途",
            "使用单位",
            "单位代码",
            "状态",
            "地址池",
            "隔离至",
            "备注",
        ],
        [
            "egov",
            "10.80.9.0/24",
            "IPv4",
            "办公",
            "源城区",
            441602000000,
            "已分配",
            "否",
            None,
            None,
        ],
    ),
}

CTRL = "\u27e6CTRL{}\u27e7"
"""A placeholder for a character openpyxl refuses to write; put into the XML after."""

_CELLS = st.sampled_from(
    [
        # formulas (saved without a cached value: read back as nothing)
        "=1+1", '=HYPERLINK("http://evil.example","点我")', "=A1", "=1/0", "=SUM(A1:XFD1048576)",
        "'=quoted", "+1+1", "-2+3", "@SUM(1+9)*cmd|' /C calc'!A0",
        # numbers
        10**20, 2**63, -(2**63) - 1, -5, 0, 1.5, 1e308, -1e308, 441600000000.0, 4.416e11,
        math.nan, math.inf, -math.inf, 2.5e-300,
        # dates and booleans where text belongs
        datetime(2024, 5, 6, 12, 30), date(1900, 1, 1), date(9999, 12, 31), time(12, 0), True,
        False,
        # text
        "x" * 40_000, "名" * 5000, "\u202eYC-CZ", "YC\u200b-CZ", "\ufeffYC-CZ", "ا" * 30,
        "", " ", "\u3000", None, "a\tb", "a\nb", "a\r\nb", "\x85", "\u2028",
        CTRL.format(0), CTRL.format(1), CTRL.format(27), CTRL.format(31),
    ]
)  # fmt: skip

_HEADERS = st.sampled_from(["real", "shuffled", "missing", "twice", "empty", "words", "chinese"])


def _header(kind: str, real: list[str], draw: Any) -> list[Any]:
    if kind == "shuffled":
        return draw(st.permutations(real))
    if kind == "missing":
        return real[1:]
    if kind == "twice":
        return [*real, real[0]]
    if kind == "empty":
        return []
    if kind == "words":
        return draw(st.lists(_CELLS, min_size=1, max_size=len(real) + 1))
    if kind == "chinese":  # aliases some imports take, and some they do not
        return ["名称", "部门", "系统", "序列号", "类型", *real[5:]]
    return list(real)


@st.composite
def sheets(draw: Any, real: list[str], good: list[Any]) -> dict[str, Any]:
    """A workbook's contents: a header, rows of the good row with cells replaced by
    hostile ones, merged ranges, an empty sheet before it or not, a claimed size."""
    rows = []
    for _ in range(draw(st.integers(0, 4))):
        row = list(good)
        for i in range(len(row)):
            if draw(st.integers(0, 3)) == 0:
                row[i] = draw(_CELLS)
        if draw(st.booleans()):
            row = row[: draw(st.integers(0, len(row)))]
        rows.append(row)
    merges = draw(st.lists(st.tuples(st.integers(1, 6), st.integers(1, 12), st.integers(0, 2),
                                     st.integers(0, 3)), max_size=2))  # fmt: skip
    return {
        "header": _header(draw(_HEADERS), real, draw),
        "rows": rows,
        "merges": merges,
        "empty_first": draw(st.integers(0, 5)) == 0,
        "huge_dimension": draw(st.integers(0, 5)) == 0,
        "as_text": draw(st.sampled_from([None, None, None, ".csv", ".json", ".yaml"])),
    }


def _controls(text: str) -> str:
    for n in (0, 1, 27, 31):
        text = text.replace(CTRL.format(n), chr(n))
    return text


def write_book(path: Path, spec: dict[str, Any]) -> Path:
    """The workbook `spec` describes, saved by openpyxl, then its XML given the
    characters openpyxl will not write."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    if spec["empty_first"]:
        sheet.title = "empty"
        sheet = book.create_sheet("data")
    for row in [spec["header"], *spec["rows"]]:
        sheet.append(row)
    for r, c, dr, dc in spec["merges"]:
        sheet.merge_cells(start_row=r, start_column=c, end_row=r + dr, end_column=c + dc)
    book.save(path)
    with zipfile.ZipFile(path) as archive:
        members = [m for m in archive.namelist() if m.endswith(".xml")]
    for member in members:
        _rewrite_member(path, member, _controls)
    if spec["huge_dimension"]:
        member = "xl/worksheets/sheet2.xml" if spec["empty_first"] else "xl/worksheets/sheet1.xml"
        _rewrite_member(
            path,
            member,
            lambda xml: re.sub(r'<dimension ref="[^"]*"', '<dimension ref="A1:XFD1048576"', xml),
        )
    return path


def _text(value: Any) -> str:
    return "" if value is None else _controls(str(value))


def write_text(path: Path, spec: dict[str, Any]) -> Path:
    """The same header and rows as CSV (whatever the file's name says)."""
    header = ",".join(_text(h) for h in spec["header"])
    rows = [[_text(v) for v in row] for row in spec["rows"]]
    path.write_bytes(_csv_bytes(header, rows, "utf-8"))
    return path


def write_input(spec: dict[str, Any]) -> Path:
    """The file `spec` describes, in the working directory."""
    suffix = spec["as_text"]
    if suffix is None:
        return write_book(Path("input.xlsx").resolve(), spec)
    return write_text(Path(f"input{suffix}").resolve(), spec)


def run_import(seed: Path, kind: str, spec: dict[str, Any]) -> None:
    with seeded_copy(seed) as (store, cli):
        check_one(store, cli, IMPORTS[kind][0], str(write_input(spec)))


_PLAIN = {"empty_first": False, "huge_dimension": False, "as_text": None, "merges": []}


def _spec(kind: str, rows: list[list[Any]], **more: Any) -> dict[str, Any]:
    return {**_PLAIN, "header": list(IMPORTS[kind][1]), "rows": rows, **more}


@st.composite
def imports(draw: Any) -> tuple[str, dict[str, Any]]:
    kind = draw(st.sampled_from(sorted(IMPORTS)))
    _, real, good = IMPORTS[kind]
    return kind, draw(sheets(real, good))


@pytest.mark.slow
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=imports())
# the good rows go in whole
@example(case=("vm", _spec("vm", [IMPORTS["vm"][2]])))
@example(case=("asset", _spec("asset", [IMPORTS["asset"][2]])))
@example(case=("org", _spec("org", [IMPORTS["org"][2]])))
@example(case=("ipam", _spec("ipam", [IMPORTS["ipam"][2]])))
@example(case=("vm-create", _spec("vm-create", [IMPORTS["vm-create"][2]], as_text=".csv")))
# a sheet that claims the largest dimension, an empty sheet before the data
@example(case=("dept", _spec("dept", [IMPORTS["dept"][2]], huge_dimension=True)))
@example(case=("vm", _spec("vm", [IMPORTS["vm"][2]], empty_first=True)))
# a lone empty sheet, a header alone, a sheet of merged cells
@example(case=("dept", {**_spec("dept", []), "header": []}))
@example(case=("vm", _spec("vm", [])))
@example(case=("asset", _spec("asset", [[None] * 13], merges=[(1, 1, 2, 3)])))
def test_hostile_spreadsheets_are_imported_or_refused_in_one_line(seed_db, case):  # noqa: F811 (the fixture)
    kind, spec = case
    run_import(seed_db, kind, spec)


# -- PostgreSQL: fewer examples, on one seeded schema (imports that succeed stay) ----


@pytest.mark.pg
@pytest.mark.slow
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(case=imports())
@example(case=("vm", _spec("vm", [IMPORTS["vm"][2]])))
@example(case=("asset", _spec("asset", [[CTRL.format(0), "terminal", "YC-CZ"]], as_text=".csv")))
def test_hostile_spreadsheets_on_postgresql(pg_seeded, case):  # noqa: F811 (the fixture)
    store, cli, workdir = pg_seeded
    kind, spec = case
    with contextlib.chdir(workdir):
        check_one(store, cli, IMPORTS[kind][0], str(write_input(spec)))


# -- any bytes, under any of the names an import reads, in any encoding asked -----

_ENCODINGS = st.one_of(
    st.none(),
    st.sampled_from(["utf-8", "gbk", "gb18030", "utf-16", "latin-1", "rot13", "base64",
                     "undefined", "no-such-codec", "utf\x008", "x" * 1000, ""]),
    VALUES,
)  # fmt: skip


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    kind=st.sampled_from(sorted(IMPORTS)),
    file=_file_bytes(),
    encoding=_ENCODINGS,
    suffix=st.sampled_from([None, ".json", ".yaml", ".tsv", ".xls", ".xlsm", ""]),
)
def test_any_bytes_are_imported_or_refused_in_one_line(
    seed_db,  # noqa: F811 (the fixture)
    kind,
    file,
    encoding,
    suffix,
):
    own_suffix, data = file
    command = IMPORTS[kind][0]
    if encoding is not None and kind != "ipam":  # the IPAM import reads UTF-8 only
        command = (*command[:-2], f"--encoding={encoding}", *command[-2:])
    with seeded_copy(seed_db) as (store, cli):
        path = Path(f"input{own_suffix if suffix is None else suffix}").resolve()
        path.write_bytes(data)
        check_one(store, cli, command, str(path))
