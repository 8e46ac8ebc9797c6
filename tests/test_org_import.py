"""`org import`: the sample city, bad rows, encodings and .xlsx, renames."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from conftest import SAMPLE, count_levels, one_line_error

from infra import audit
from infra.errors import InvalidInput, RowErrors
from infra.org import importer as org_import
from infra.org import units as org

HEADER = "code,name,level,parent_code"
CITY = "441600000000"
COUNTY = "441602000000"


def sample_rows() -> list[dict[str, str]]:
    with SAMPLE.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def county_subset(county: str = "441602") -> list[dict[str, str]]:
    """The city row and one county with its towns and villages, in file order."""
    return [r for r in sample_rows() if r["code"] == CITY or r["code"].startswith(county)]


def csv_text(rows: list[dict[str, str]], blank_level: bool = False) -> str:
    lines = [HEADER]
    for r in rows:
        level = "" if blank_level else r["level"]
        lines.append(f"{r['code']},{r['name']},{level},{r['parent_code']}")
    return "\n".join(lines) + "\n"


def expected_units(rows: list[dict[str, str]]) -> list[dict[str, object]]:
    """What `org list --format json` must return once `rows` are imported."""
    by_code = {r["code"]: r for r in rows}

    def path(r: dict[str, str]) -> str:
        parent = by_code.get(r["parent_code"])
        return f"{path(parent)}/{r['name']}" if parent else r["name"]

    units = [
        {
            "code": r["code"],
            "name": r["name"],
            "level": r["level"],
            "parent_code": r["parent_code"] if r["parent_code"] in by_code else None,
            "path": path(r),
        }
        for r in rows
    ]
    rank = {level: i for i, level in enumerate(org.LEVELS)}
    return sorted(units, key=lambda u: (rank[u["level"]], u["code"]))


def audit_rows(cli) -> int:
    verdict = cli.json("audit", "verify")
    assert verdict["ok"], verdict
    return verdict["rows"]


# -- the whole sample city -------------------------------------------------


def test_import_sample_full_tree_and_reimport_is_a_no_op(cli):
    result = cli.json("org", "import", str(SAMPLE))
    assert result == {"added": 1560, "renamed": 0, "unchanged": 0}
    tree = cli.json("org", "tree")
    assert [r["name"] for r in tree] == ["河源市"]
    assert count_levels(tree) == {"city": 1, "county": 6, "town": 101, "village": 1452}
    assert [c["name"] for c in tree[0]["children"]] == [
        "源城区",
        "紫金县",
        "龙川县",
        "连平县",
        "和平县",
        "东源县",
    ]
    rows = audit_rows(cli)
    assert rows == 1560

    again = cli.json("org", "import", str(SAMPLE))
    assert again == {"added": 0, "renamed": 0, "unchanged": 1560}
    assert audit_rows(cli) == rows
    assert cli.json("org", "tree") == tree

    # the human form says the same on stderr and keeps stdout clean
    human = cli.ok("org", "import", str(SAMPLE))
    assert human.stdout == ""
    assert "0 added, 0 renamed, 1560 unchanged" in human.stderr

    # everything in the file is stored exactly as the file says
    assert cli.json("org", "list") == expected_units(sample_rows())


def test_sample_with_one_bad_row_writes_nothing(cli, tmp_path):
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    # line 800 of the file becomes a village placed right under a county
    bad = lines[799].split(",")
    bad[3] = bad[0][:6] + "000000"
    lines[799] = ",".join(bad)
    path = tmp_path / "one-bad.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    message = one_line_error(cli("org", "import", str(path)))
    assert "1 bad row, nothing written" in message
    assert "line 800:" in message
    assert cli.json("org", "list") == []
    assert audit_rows(cli) == 0

    # and on top of an existing import, nothing changes either
    cli.ok("org", "import", str(SAMPLE))
    before, rows = cli.json("org", "list"), audit_rows(cli)
    one_line_error(cli("org", "import", str(path)))
    assert cli.json("org", "list") == before
    assert audit_rows(cli) == rows


def test_import_library_result(store, tmp_path):
    path = tmp_path / "yuancheng.csv"
    rows = county_subset()
    path.write_text(csv_text(rows), encoding="utf-8")
    result = org_import.import_file(store, path)
    assert (result.added, result.renamed, result.unchanged) == (len(rows), 0, 0)
    assert org.list_units(store) == expected_units(rows)
    assert len(audit.entries(store, limit=10_000, action="org.add")) == len(rows)


# -- bad rows --------------------------------------------------------------

GOOD = [
    "441600000000,河源市,city,440000000000",
    "441602000000,源城区,county,441600000000",
    "441602001000,上城街道,town,441602000000",
]

BAD_CASES = {
    "village under a city": (
        ["441602001001,某村,village,441600000000"],
        [6],
        "cannot sit under a city",
    ),
    "code prefix contradicts parent": (
        ["441702000000,外区,county,441600000000"],
        [6],
        "does not start with its parent's 4416",
    ),
    "duplicate code in the file": (
        ["441602001000,上城街道二,town,441602000000"],
        [6],
        "duplicate code 441602001000 (first on line 5)",
    ),
    "non-numeric code": (["44160200200x,新江街道,town,441602000000"], [6], "is not a number"),
    "non-numeric parent code": (
        ["441602002000,新江街道,town,4416020000o0"],
        [6],
        "is not a number",
    ),
    "12-digit code with the wrong level": (
        ["441602002000,新江街道,county,441602000000"],
        [6],
        "is a town code, not a county code",
    ),
    "parent found nowhere": (
        ["441621100000,紫城镇,town,441621000000"],
        [6],
        "parent code 441621000000 is neither in the file nor stored",
    ),
    "no parent for a county": (["441621000000,紫金县,county,"], [6], "needs a parent_code"),
    "town under a city that has counties": (
        ["441600100000,某镇,town,441600000000"],
        [6],
        "has counties",
    ),
    "unknown level": (["441602002000,新江街道,部,441602000000"], [6], "unknown level"),
    "province level for a town code": (
        ["441602002000,新江街道,省,441602000000"],
        [6],
        "is a town code, not a province code",
    ),
    "empty name": (["441602002000,,town,441602000000"], [6], "name is empty"),
    "its own parent": (["441602002000,新江街道,town,441602002000"], [6], "names itself"),
    "province under a county": (
        ["450000000000,广西壮族自治区,,441602000000"],
        [6],
        "a province stands at the top, not under 河源市/源城区",
    ),
    "scientific notation": (
        ["4.41602E+11,新江街道,town,441602000000"],
        [6],
        "scientific notation",
    ),
    "several bad rows": (
        [
            "441602002000,新江街道,town,441602000000",
            "44160200300x,东埔街道,town,441602000000",
            "441602001001,某村,village,441600000000",
            "441602001002,好村,village,441602001000",
            "441702000000,外区,county,441600000000",
        ],
        [7, 8, 10],
        "3 bad rows",
    ),
}


def test_bad_rows_refused_with_line_numbers(cli, tmp_path):
    # nothing is ever written, so every case can run against the same database
    for case, (extra, bad_lines, words) in BAD_CASES.items():
        # line 1 header, line 2 blank (skipped, still counted), lines 3-5 good, the case from 6
        text = "\n".join([HEADER, "", *GOOD, *extra]) + "\n"
        path = tmp_path / "bad.csv"
        path.write_text(text, encoding="utf-8")

        message = one_line_error(cli("org", "import", str(path)))
        assert message.startswith(f"govops: {path}: "), case
        assert "nothing written" in message, case
        assert words in message, (case, message)
        reported = [int(n) for n in re.findall(r"(?:: |; )line (\d+): ", message)]
        assert reported == bad_lines, (case, message)
        assert cli.json("org", "list") == [], case
        assert audit_rows(cli) == 0, case


def test_bad_rows_library_errors(store, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(
        "\n".join(
            [
                HEADER,
                *GOOD,
                "44160200300x,东埔街道,town,441602000000",  # 5: unreadable code
                "441602003001,东埔村,village,441602003000",  # 6: so its parent is nowhere
                "441602001001,某村,village,441600000000",  # 7: misplaced
                "441602004000,源西街道,town,44160200000x",  # 8: unreadable parent code
                "441602004001,源西村,village,441602004000",  # 9: fine but for line 8
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    with pytest.raises(RowErrors) as info:
        org_import.import_file(store, path)
    # every bad line in one run; a row whose own parent row is bad is not reported again
    assert [line for line, _ in info.value.errors] == [5, 6, 7, 8]
    assert "neither in the file nor stored" in info.value.errors[1][1]
    assert org.list_units(store) == []
    assert audit.entries(store) == []


def test_code_already_stored_under_another_parent(cli, tmp_path):
    # 东莞-like city without counties holding a town directly
    cli.ok("org", "add", "东莞市", "--level", "city", "--code", "441900000000")
    cli.ok(
        "org",
        "add",
        "某镇",
        "--level",
        "town",
        "--parent",
        "441900000000",
        "--code",
        "441901003000",
    )
    before, rows = cli.json("org", "list"), audit_rows(cli)
    path = tmp_path / "moved.csv"
    path.write_text(
        "\n".join(
            [
                HEADER,
                "441901000000,某区,county,441900000000",
                "441901003000,某镇,town,441901000000",
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    message = one_line_error(cli("org", "import", str(path)))
    assert (
        "line 3: code 441901003000 is already stored under another parent: 东莞市/某镇" in message
    )
    assert cli.json("org", "list") == before
    assert audit_rows(cli) == rows


def test_town_under_city_without_counties_imports(cli, tmp_path):
    path = tmp_path / "dongguan.csv"
    path.write_text(
        "\n".join(
            [
                HEADER,
                "441900000000,东莞市,city,440000000000",
                "441900003000,石碣镇,town,441900000000",
                "441900003001,石碣社区,village,441900003000",
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    assert cli.json("org", "import", str(path))["added"] == 3
    assert cli.json("org", "show", "441900003001")["path"] == "东莞市/石碣镇/石碣社区"


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("code,name,level\n441600000000,河源市,city\n", "missing parent_code"),
        ("", "is empty"),
    ],
)
def test_bad_file_shape(cli, tmp_path, content, words):
    path = tmp_path / "shape.csv"
    path.write_text(content, encoding="utf-8")
    assert words in one_line_error(cli("org", "import", str(path)))


def test_missing_file_and_directory(cli, tmp_path):
    assert "no such file" in one_line_error(cli("org", "import", str(tmp_path / "nope.csv")))
    assert "is a directory" in one_line_error(cli("org", "import", str(tmp_path)))


# -- encodings and Excel ---------------------------------------------------


def _write_csv(path: Path, text: str, encoding: str, crlf: bool = False) -> Path:
    if crlf:
        text = text.replace("\n", "\r\n")
    path.write_bytes(text.encode(encoding))
    return path


def _write_xlsx(path: Path, rows: list[dict[str, str]], numeric: bool) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["区划代码", "名称", "级别", "上级代码"])
    for r in rows:
        code, parent = r["code"], r["parent_code"]
        if numeric:
            sheet.append([int(code), r["name"], r["level"], int(parent)])
        else:
            sheet.append([code, r["name"], r["level"], parent])
    book.save(path)
    return path


VARIANTS = [
    "utf-8",
    "utf-8-bom",
    "gb18030",
    "gbk",
    "gbk-explicit",
    "crlf",
    "gbk-crlf",
    "no-level",
    "utf-16-tsv",
    "xlsx-numbers",
    "xlsx-text",
]


@pytest.mark.parametrize("variant", VARIANTS)
def test_encodings_and_xlsx_import_identically(sqlite_cli, tmp_path, variant):
    # decoding does not depend on the backend: SQLite here, PostgreSQL below
    _import_variant(sqlite_cli, tmp_path, variant)


def test_encodings_on_both_backends(cli, tmp_path):
    _import_variant(cli, tmp_path, "gbk-crlf")
    rows = county_subset()
    xlsx = _write_xlsx(tmp_path / "again.xlsx", rows, numeric=True)
    assert cli.json("org", "import", str(xlsx))["unchanged"] == len(rows)
    assert cli.json("org", "list") == expected_units(rows)


def _import_variant(cli, tmp_path, variant):
    rows = county_subset()
    text = csv_text(rows)
    extra: list[str] = []
    if variant == "utf-8":
        path = _write_csv(tmp_path / "d.csv", text, "utf-8")
    elif variant == "utf-8-bom":
        path = _write_csv(tmp_path / "d.csv", text, "utf-8-sig")
    elif variant == "gb18030":
        path = _write_csv(tmp_path / "d.csv", text, "gb18030")
    elif variant == "gbk":
        path = _write_csv(tmp_path / "d.csv", text, "gbk")
    elif variant == "gbk-explicit":
        path = _write_csv(tmp_path / "d.csv", text, "gbk")
        extra = ["--encoding", "gbk"]
    elif variant == "crlf":
        path = _write_csv(tmp_path / "d.csv", text, "utf-8", crlf=True)
    elif variant == "gbk-crlf":  # what Excel on a Chinese Windows saves as "CSV"
        path = _write_csv(tmp_path / "d.csv", text, "gbk", crlf=True)
    elif variant == "no-level":
        path = _write_csv(tmp_path / "d.csv", csv_text(rows, blank_level=True), "utf-8")
    elif variant == "utf-16-tsv":  # Excel's "Unicode text"
        path = _write_csv(tmp_path / "d.txt", text.replace(",", "\t"), "utf-16", crlf=True)
    elif variant == "xlsx-numbers":
        path = _write_xlsx(tmp_path / "d.xlsx", rows, numeric=True)
    else:
        path = _write_xlsx(tmp_path / "d.xlsx", rows, numeric=False)

    result = cli.json("org", "import", str(path), *extra)
    assert result == {"added": len(rows), "renamed": 0, "unchanged": 0}
    assert cli.json("org", "list") == expected_units(rows)
    # and importing the plain UTF-8 file over it changes nothing
    plain = _write_csv(tmp_path / "plain.csv", text, "utf-8")
    assert cli.json("org", "import", str(plain)) == {
        "added": 0,
        "renamed": 0,
        "unchanged": len(rows),
    }


def test_gbk_file_with_wrong_encoding_refused(cli, tmp_path):
    path = _write_csv(tmp_path / "d.csv", csv_text(county_subset()), "gbk")
    message = one_line_error(cli("org", "import", str(path), "--encoding", "utf-8"))
    assert "not valid utf-8" in message
    message = one_line_error(cli("org", "import", str(path), "--encoding", "no-such-codec"))
    assert "unknown encoding" in message
    assert cli.json("org", "list") == []


def test_undecodable_file_refused(cli, tmp_path):
    path = tmp_path / "binary.csv"
    path.write_bytes(HEADER.encode() + b"\n\xff\xff\xff\xff,x,city,\n")
    assert "--encoding" in one_line_error(cli("org", "import", str(path)))


def test_scientific_notation_refused_with_line(cli, tmp_path):
    rows = county_subset()[:3]
    text = csv_text(rows).replace("441602000000,源城区", "4.41602E+11,源城区")
    path = _write_csv(tmp_path / "excel.csv", text, "gbk", crlf=True)
    message = one_line_error(cli("org", "import", str(path)))
    assert "line 3: code '4.41602E+11' was saved by Excel in scientific notation" in message
    assert cli.json("org", "list") == []


def test_scientific_notation_in_parent_code_refused(tmp_path, store):
    path = tmp_path / "excel.csv"
    path.write_text(
        HEADER + "\n441600000000,河源市,city,\n441602000000,源城区,county,4.416E+11\n",
        encoding="utf-8",
    )
    with pytest.raises(RowErrors) as info:
        org_import.import_file(store, path)
    assert info.value.errors[0][0] == 3
    assert "scientific notation" in info.value.errors[0][1]


def test_xlsx_scientific_number_is_exact(store, tmp_path):
    """In .xlsx a code is a number, not text: 4.41602E+11 there is exact and fine."""
    import openpyxl

    path = tmp_path / "float.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["code", "name", "level", "parent_code"])
    book.active.append([441600000000.0, "河源市", "city", None])
    book.active.append([4.41602e11, "源城区", None, 441600000000.0])
    book.save(path)
    org_import.import_file(store, path)
    assert [u["code"] for u in org.list_units(store)] == [CITY, COUNTY]


def test_old_xls_refused_clearly(sqlite_cli, tmp_path):
    path = tmp_path / "divisions.xls"
    path.write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + b"\x00\xff\x80" * 200)
    message = one_line_error(sqlite_cli("org", "import", str(path)))
    assert ".xls format" in message and ".xlsx or CSV" in message


def test_broken_xlsx_refused(store, tmp_path):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK not really a zip")
    with pytest.raises(InvalidInput, match="not a readable .xlsx"):
        org_import.import_file(store, path)


# -- re-import: renames, additions, code-less units ------------------------


def test_reimport_renames_and_updates_descendant_paths(cli, tmp_path):
    rows = county_subset()
    first = _write_csv(tmp_path / "v1.csv", csv_text(rows), "utf-8")
    cli.ok("org", "import", str(first))
    rows_before = audit_rows(cli)

    renamed = [dict(r) for r in rows]
    for r in renamed:
        if r["code"] == COUNTY:
            r["name"] = "源城新区"
    second = _write_csv(tmp_path / "v2.csv", csv_text(renamed), "utf-8")
    assert cli.json("org", "import", str(second)) == {
        "added": 0,
        "renamed": 1,
        "unchanged": len(rows) - 1,
    }
    assert cli.json("org", "list") == expected_units(renamed)
    assert audit_rows(cli) == rows_before + 1
    entry = cli.json("audit", "list", "--action", "org.rename")[0]
    assert entry["object_ref"] == COUNTY
    assert entry["before"]["name"] == "源城区" and entry["after"]["name"] == "源城新区"
    assert entry["before"]["parent_code"] == CITY and entry["after"]["parent_code"] == CITY
    assert entry["after"]["path"] == "河源市/源城新区"


def test_rename_above_new_and_renamed_units_keeps_paths_right(cli, tmp_path):
    """A rename higher up in the same file must reach units added or renamed below it."""

    def write(name: str, lines: list[str]) -> str:
        path = tmp_path / name
        path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
        return str(path)

    cli.ok(
        "org",
        "import",
        write(
            "v1.csv",
            [
                "441600000000,河源市,city,",
                "441602000000,源城区,county,441600000000",
                "441602001000,上城街道,town,441602000000",
                "441602001001,甲村,village,441602001000",
            ],
        ),
    )
    # city renamed; a new village under an unchanged town
    result = cli.json(
        "org",
        "import",
        write(
            "v2.csv",
            [
                "441600000000,河源新市,city,",
                "441602000000,源城区,county,441600000000",
                "441602001000,上城街道,town,441602000000",
                "441602001001,甲村,village,441602001000",
                "441602001002,乙村,village,441602001000",
            ],
        ),
    )
    assert result == {"added": 1, "renamed": 1, "unchanged": 3}
    # city and county both renamed at once
    result = cli.json(
        "org",
        "import",
        write(
            "v3.csv",
            ["441600000000,河源X市,city,", "441602000000,源城Y区,county,441600000000"],
        ),
    )
    assert result == {"added": 0, "renamed": 2, "unchanged": 0}
    paths = {u["code"]: u["path"] for u in cli.json("org", "list")}
    assert paths == {
        "441600000000": "河源X市",
        "441602000000": "河源X市/源城Y区",
        "441602001000": "河源X市/源城Y区/上城街道",
        "441602001001": "河源X市/源城Y区/上城街道/甲村",
        "441602001002": "河源X市/源城Y区/上城街道/乙村",
    }
    assert cli.json("org", "show", "河源X市/源城Y区/上城街道/乙村")["code"] == "441602001002"


def test_import_adds_under_units_stored_earlier(cli, tmp_path):
    cli.ok("org", "add", "河源市", "--level", "city", "--code", CITY)
    cli.ok("org", "add", "源城区", "--level", "county", "--parent", CITY, "--code", COUNTY)
    rows = [r for r in county_subset() if r["level"] in ("town", "village")]
    path = _write_csv(tmp_path / "towns.csv", csv_text(rows), "utf-8")
    assert cli.json("org", "import", str(path))["added"] == len(rows)
    assert cli.json("org", "show", COUNTY)["descendants"]["village"] == sum(
        1 for r in rows if r["level"] == "village"
    )


def test_rows_without_code(cli, tmp_path):
    path = tmp_path / "nocode.csv"
    path.write_text(
        HEADER
        + "\n441600000000,河源市,city,\n441602000000,源城区,county,441600000000\n"
        + ",临时工作站,town,441602000000\n",
        encoding="utf-8",
    )
    assert cli.json("org", "import", str(path)) == {"added": 3, "renamed": 0, "unchanged": 0}
    assert cli.json("org", "show", "河源市/源城区/临时工作站")["code"] is None
    # a second import finds the code-less unit by parent and name
    assert cli.json("org", "import", str(path)) == {"added": 0, "renamed": 0, "unchanged": 3}
    assert len(cli.json("org", "list")) == 3


def test_header_aliases_and_level_aliases(store, tmp_path):
    path = tmp_path / "zh.csv"
    path.write_text(
        "统计用区划代码,名称,层级,上级区划代码\n"
        "441600000000,河源市,市,\n"
        "441602000000,源城区,区,441600000000\n"
        "441602001000,上城街道,街道,441602000000\n"
        "441602001001,甲社区,社区,441602001000\n",
        encoding="utf-8",
    )
    assert org_import.import_file(store, path).added == 4
    assert [u["level"] for u in org.list_units(store)] == ["city", "county", "town", "village"]


def test_a_title_row_above_the_header_is_skipped(cli, tmp_path):
    """Sheets as offices keep them: a title in A1, the header below it."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["河源市源城区行政区划代码表（2023）"])
    sheet.append([])
    sheet.append(["区划代码", "名称", "级别", "上级代码"])
    sheet.append([441600000000, "河源市", "市", 440000000000])
    sheet.append([441602000000, "源城区", "区", 441600000000])
    sheet.append(["441602001000", "上城街道", "街道", "441602000000"])
    path = tmp_path / "titled.xlsx"
    book.save(path)
    cli.ok("org", "import", str(path))
    assert [u["path"] for u in cli.json("org", "list")] == [
        "河源市",
        "河源市/源城区",
        "河源市/源城区/上城街道",
    ]


# -- a province above the cities; 东莞 and 中山's county rows -----------------

PROVINCE = "440000000000"


def _write_lines(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    return path


def dongguan_lines(towns: int = 5) -> list[str]:
    """东莞 as many published lists give it: the city, then a county row with the city's
    own code whose parent is itself, then the towns under that code."""
    lines = [
        "441900000000,东莞市,city,440000000000",
        "441900000000,东莞市,county,441900000000",
    ]
    for i in range(towns):
        town = f"441900{3 + i:03d}000"
        lines.append(f"{town},东莞{i}镇,town,441900000000")
    lines.append("441900003001,东莞0镇某社区,village,441900003000")
    return lines


def province_lines() -> list[str]:
    """广东省, 河源市 with two counties and their towns, and 东莞 as published."""
    return [
        "440000000000,广东省,province,",
        "441600000000,河源市,city,440000000000",
        "441602000000,源城区,county,441600000000",
        "441602001000,上城街道,town,441602000000",
        "441602002000,新江街道,town,441602000000",
        "441621000000,紫金县,county,441600000000",
        "441621100000,紫城镇,town,441621000000",
        "441621100001,紫城村,village,441621100000",
        *dongguan_lines(3),
    ]


def test_dongguan_county_row_is_folded_into_the_city_with_one_warning(cli, tmp_path):
    path = _write_lines(tmp_path / "dongguan.csv", dongguan_lines())
    human = cli("org", "import", str(path))
    assert human.exit_code == 0, human.stderr
    assert human.stdout == ""
    warnings = [ln for ln in human.stderr.splitlines() if ln.startswith("govops: warning: ")]
    assert warnings == [
        "govops: warning: line 3: 东莞市 (441900000000) is listed as its own county;"
        " folded into the city, whose towns hang on it directly"
    ]
    assert "7 added, 0 renamed, 0 unchanged" in human.stderr
    shown = cli.json("org", "show", "东莞市")
    assert shown["level"] == "city" and shown["children"] == 5
    assert shown["descendants"] == {"county": 0, "town": 5, "village": 1}
    assert cli.json("org", "show", "441900003001")["path"] == "东莞市/东莞0镇/东莞0镇某社区"
    # json carries the warning too; the second run changes nothing
    again = cli.json("org", "import", str(path))
    assert again["warnings"] == [warnings[0].removeprefix("govops: warning: ")]
    assert {k: again[k] for k in ("added", "renamed", "unchanged")} == {
        "added": 0,
        "renamed": 0,
        "unchanged": 7,
    }
    assert audit_rows(cli) == 7


def test_dongguan_and_zhongshan_fold_in_one_warning_line(store, tmp_path):
    lines = [
        *dongguan_lines(2),
        "442000000000,中山市,city,440000000000",
        "442000000000,中山市,county,442000000000",
        "442000001000,石岐街道,town,442000000000",
    ]
    result = org_import.import_file(store, _write_lines(tmp_path / "two.csv", lines))
    assert result.added == 2 + 2 + 2
    assert len(result.warnings) == 1
    assert result.warnings[0].startswith("lines 3, 8: 东莞市 (441900000000) and 中山市")
    assert org.show(store, "石岐街道")["path"] == "中山市/石岐街道"


def test_dongguan_county_row_alone_stands_for_the_city(store, tmp_path):
    """Without a city row, the self-parented county row is the city."""
    lines = dongguan_lines(2)[1:]
    result = org_import.import_file(store, _write_lines(tmp_path / "no-city.csv", lines))
    assert (result.added, len(result.warnings)) == (4, 1)
    city = org.show(store, "441900000000")
    assert (city["level"], city["parent_code"], city["children"]) == ("city", None, 2)
    # and over a stored city it changes nothing
    again = org_import.import_file(store, _write_lines(tmp_path / "no-city.csv", lines))
    assert (again.added, again.unchanged) == (0, 4)


def test_without_the_fold_a_self_parented_town_is_one_error(store, tmp_path):
    lines = [*GOOD, "441602002000,新江街道,town,441602002000"]
    with pytest.raises(RowErrors) as info:
        org_import.import_file(store, _write_lines(tmp_path / "self.csv", lines))
    assert info.value.errors == [(5, "code 441602002000 names itself as its parent")]


BAD_COUNTY = {
    "code outside its city": ("441702000000,外区,county,441600000000", "441702", "does not start"),
    "unknown level": ("441621000000,紫金县,部,441600000000", "441621", "unknown level"),
    "empty name": ("441621000000,,county,441600000000", "441621", "name is empty"),
    "town code as a county": ("441621100000,紫金县,county,441600000000", "4416211", "town code"),
    "its parent nowhere": ("441621000000,紫金县,county,441500000000", "441621", "neither"),
}


@pytest.mark.parametrize("case", BAD_COUNTY, ids=list(BAD_COUNTY))
def test_one_bad_county_with_its_towns_is_one_error(store, tmp_path, case):
    """A real error is reported once, at its cause: not again for each town below it."""
    county, stem, words = BAD_COUNTY[case]
    code = county.split(",")[0]
    towns = [f"{stem.ljust(6, '0')[:6]}{100 + i:03d}000,镇{i},town,{code}" for i in range(5)]
    if len(stem) > 6:  # the county row carries a town code: its "towns" still name it
        towns = [f"441621{200 + i:03d}000,镇{i},town,{code}" for i in range(5)]
    villages = [f"{towns[0].split(',')[0][:9]}001,某村,village,{towns[0].split(',')[0]}"]
    lines = ["441600000000,河源市,city,", county, *towns, *villages]
    with pytest.raises(RowErrors) as info:
        org_import.import_file(store, _write_lines(tmp_path / "bad-county.csv", lines))
    assert len(info.value.errors) == 1, info.value.errors
    line, message = info.value.errors[0]
    assert line == 3 and words in message, message
    assert org.list_units(store) == []


def test_one_bad_county_on_the_command_line(cli, tmp_path):
    towns = [f"441702{100 + i:03d}000,镇{i},town,441702000000" for i in range(5)]
    lines = ["441600000000,河源市,city,", "441702000000,外区,county,441600000000", *towns]
    message = one_line_error(cli("org", "import", str(_write_lines(tmp_path / "b.csv", lines))))
    assert "1 bad row, nothing written: line 3: code 441702000000 does not start" in message
    assert cli.json("org", "list") == []


def test_a_parent_loop_is_one_error(store, tmp_path):
    lines = [
        *GOOD,
        "441602002000,新江街道,town,441602003000",
        "441602003000,东埔街道,town,441602002000",
        "441602002001,新江村,village,441602002000",  # below the loop: no error of its own
    ]
    with pytest.raises(RowErrors) as info:
        org_import.import_file(store, _write_lines(tmp_path / "loop.csv", lines))
    assert info.value.errors == [
        (5, "parent codes loop: 441602002000 → 441602003000 → 441602002000 (lines 5, 6)")
    ]


def test_province_file_imports_as_published(cli, tmp_path):
    path = _write_lines(tmp_path / "guangdong.csv", province_lines())
    result = cli.json("org", "import", str(path))
    assert (result["added"], len(result["warnings"])) == (13, 1)
    tree = cli.json("org", "tree")
    assert [(n["name"], n["level"]) for n in tree] == [("广东省", "province")]
    assert [c["name"] for c in tree[0]["children"]] == ["河源市", "东莞市"]
    assert count_levels(tree) == {"province": 1, "city": 2, "county": 2, "town": 6, "village": 2}
    shown = cli.json("org", "show", PROVINCE)
    assert shown["descendants"] == {"city": 2, "county": 2, "town": 6, "village": 2}
    assert cli.json("org", "show", "河源市")["parent_code"] == PROVINCE
    assert cli.json("org", "show", "441900004000")["path"] == "广东省/东莞市/东莞1镇"
    listed = cli.json("org", "list")
    assert [u["level"] for u in listed[:3]] == ["province", "city", "city"]
    assert [u["code"] for u in cli.json("org", "list", "--level", "province")] == [PROVINCE]

    # a city's own file (parent 440000000000, or none) later changes nothing
    cities = [ln for ln in province_lines() if not ln.startswith("4400")]
    again = cli.json("org", "import", str(_write_lines(tmp_path / "cities.csv", cities)))
    assert (again["added"], again["unchanged"]) == (0, 12)
    bare = [ln.replace(",city,440000000000", ",city,") for ln in cities]
    again = cli.json("org", "import", str(_write_lines(tmp_path / "bare.csv", bare)))
    assert (again["added"], again["unchanged"]) == (0, 12)
    assert cli.json("org", "tree") == tree


def test_province_file_without_levels_and_with_zero_parent(store, tmp_path):
    """Levels inferred from the codes, a province included; 0 as the province's parent."""
    lines = [ln.split(",") for ln in province_lines() if ",county,4419" not in ln]
    text = [f"{c},{n},,{'0' if lv == 'province' else p}" for c, n, lv, p in lines]
    org_import.import_file(store, _write_lines(tmp_path / "nolevel.csv", text))
    assert [u["level"] for u in org.list_units(store, level="province")] == ["province"]
    assert org.show(store, "东莞市")["parent_code"] == PROVINCE


def test_city_outside_its_province_refused(store, tmp_path):
    lines = [
        "440000000000,广东省,province,",
        "441600000000,河源市,city,440000000000",
        "450100000000,南宁市,city,440000000000",
    ]
    with pytest.raises(RowErrors) as info:
        org_import.import_file(store, _write_lines(tmp_path / "nn.csv", lines))
    assert [line for line, _ in info.value.errors] == [4]
    assert "does not start with its parent's 44 (广东省 (440000000000))" in info.value.errors[0][1]


def test_city_stored_at_the_top_is_not_moved_under_a_province(cli, tmp_path):
    cli.ok("org", "add", "河源市", "--level", "city", "--code", CITY)
    cli.ok("org", "add", "广东省", "--level", "province", "--code", PROVINCE)
    before = cli.json("org", "list")
    lines = ["440000000000,广东省,province,", "441600000000,河源市,city,440000000000"]
    message = one_line_error(cli("org", "import", str(_write_lines(tmp_path / "p.csv", lines))))
    assert (
        "line 3: code 441600000000 is stored at the top level (河源市),"
        " not under 广东省 (440000000000)" in message
    )
    assert cli.json("org", "list") == before


def test_city_only_database_shows_no_province(cli):
    """Every output of a city-only database stays as it was before the province tier."""
    cli.ok("org", "import", str(SAMPLE))
    shown = cli.json("org", "show", CITY)
    assert list(shown["descendants"]) == ["county", "town", "village"]
    assert shown["parent_code"] is None
    assert {u["level"] for u in cli.json("org", "list")} == {"city", "county", "town", "village"}
    assert cli.json("org", "list", "--level", "province") == []
    assert "warnings" not in cli.json("org", "import", str(SAMPLE))


# -- one name per parent -------------------------------------------------------


def test_import_refuses_a_second_unit_of_a_name_under_one_parent(cli, tmp_path):
    cli.ok("org", "import", str(_write_lines(tmp_path / "good.csv", GOOD)))
    before = cli.json("org", "list")
    cases = {
        # a new code with a stored sibling's name
        "stored": (
            ["441602009000,上城街道,town,441602000000"],
            "line 2: '上城街道' already exists under 河源市/源城区:"
            " 河源市/源城区/上城街道 (441602001000)",
        ),
        # with spaces around it (an ideographic one too), the same name
        "plain form": (
            ["441602009000, 上城街道\u3000,town,441602000000"],
            "line 2: '上城街道' already exists under 河源市/源城区",
        ),
        # twice in the file, with and without a code
        "twice": (
            ["441602002000,新江街道,town,441602000000", ",新江街道,town,441602000000"],
            "line 3: '新江街道' appears twice under 河源市/源城区 (first on line 2)",
        ),
        # a row without a code named as a stored sibling that has one
        "codeless": (
            [",上城街道,town,441602000000"],
            "line 2: '上城街道' already exists under 河源市/源城区",
        ),
    }
    for label, (lines, words) in cases.items():
        message = one_line_error(cli("org", "import", str(_write_lines(tmp_path / "x.csv", lines))))
        assert "1 bad row, nothing written: " + words in message, (label, message)
        assert cli.json("org", "list") == before, label

    # a rename onto a sibling's name
    two = [*GOOD, "441602002000,新江街道,town,441602000000"]
    cli.ok("org", "import", str(_write_lines(tmp_path / "two.csv", two)))
    renamed = [*GOOD[:2], "441602001000,新江街道,town,441602000000"]
    message = one_line_error(cli("org", "import", str(_write_lines(tmp_path / "r.csv", renamed))))
    assert (
        "line 4: '新江街道' already exists under 河源市/源城区: 河源市/源城区/新江街道 (441602002000)"
        in message
    ), message


def test_two_siblings_may_swap_names_in_one_file(cli, tmp_path):
    lines = [*GOOD, "441602002000,新江街道,town,441602000000"]
    cli.ok("org", "import", str(_write_lines(tmp_path / "a.csv", lines)))
    swapped = [
        *GOOD[:2],
        "441602001000,新江街道,town,441602000000",
        "441602002000,上城街道,town,441602000000",
    ]
    assert cli.json("org", "import", str(_write_lines(tmp_path / "b.csv", swapped))) == {
        "added": 0,
        "renamed": 2,
        "unchanged": 2,
    }
    assert cli.json("org", "show", "河源市/源城区/新江街道")["code"] == "441602001000"
    assert cli.json("org", "show", "河源市/源城区/上城街道")["code"] == "441602002000"


def test_imported_names_are_stored_in_their_plain_form(store, tmp_path):
    lines = [*GOOD, "441602001001,\u3000ＡＢ村 ,village,441602001000"]
    path = _write_lines(tmp_path / "fw.csv", lines)
    assert org_import.import_file(store, path).added == 4
    assert org.show(store, "441602001001")["path"] == "河源市/源城区/上城街道/AB村"
    again = org_import.import_file(store, path)
    assert (again.added, again.renamed, again.unchanged) == (0, 0, 4)


def test_the_sample_names_are_already_in_their_plain_form():
    import unicodedata

    for r in sample_rows():
        assert unicodedata.normalize("NFKC", r["name"]).strip() == r["name"], r
