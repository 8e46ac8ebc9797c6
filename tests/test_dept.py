"""Departments (部门): adding, finding, renaming, moving, removing, importing."""

from __future__ import annotations

import csv
import io
import re

import pytest
import yaml
from conftest import one_line_error

from infra import audit
from infra.errors import AmbiguousReference, Conflict, InvalidInput, RowErrors
from infra.migrations import run_script
from infra.org import depts
from infra.org import units as org
from infra.org.schema import register

CITY = "441600000000"
COUNTY = "441602000000"
ZIJIN = "441621000000"


def _build(store) -> None:
    org.add(store, "河源市", "city", code=CITY)
    org.add(store, "源城区", "county", CITY, COUNTY)
    org.add(store, "紫金县", "county", CITY, ZIJIN)


@pytest.fixture
def heyuan(cli, store):
    """河源市 with two counties; the CLI over that database."""
    _build(store)
    return cli


def audit_rows(cli) -> int:
    verdict = cli.json("audit", "verify")
    assert verdict["ok"], verdict
    return verdict["rows"]


def referring_table(store) -> None:
    """A domain that hangs VMs on departments, registered as a real domain's migration would."""

    def run(tx) -> None:
        run_script(
            tx,
            "CREATE TABLE scratch_vm (id {pk}, name TEXT NOT NULL,"
            " dept_id {id} REFERENCES dept (id))",
        )
        register(tx, "dept", "vms", "scratch_vm", "dept_id", label_sql="t.name", field="vms")

    store.write(run)


def put_vm(store, name: str, dept_code: str) -> None:
    def run(tx) -> None:
        dept = depts.resolve(tx, dept_code)
        tx.execute("INSERT INTO scratch_vm (name, dept_id) VALUES (?, ?)", (name, dept.id))

    store.write(run)


# -- add, list, show -------------------------------------------------------


def test_add_list_show(heyuan):
    added = heyuan.json("dept", "add", "河源市财政局", "--code", "HY-CZ", "--org", "河源市")
    assert added == {
        "code": "HY-CZ",
        "name": "河源市财政局",
        "org_code": CITY,
        "org_path": "河源市",
    }
    human = heyuan.ok("dept", "add", "源城区财政局", "-c", "YC-CZ", "--org", "河源市/源城区")
    assert human.stdout == "" and "added department 源城区财政局 (YC-CZ)" in human.stderr
    heyuan.ok("dept", "add", "紫金县财政局", "--code", "ZJ-CZ", "--org", "441621")
    heyuan.ok("dept", "add", "数据局筹备组")  # no code, no unit
    listed = heyuan.json("dept", "list")
    assert [(d["code"], d["org_path"]) for d in listed] == [
        (None, None),
        ("HY-CZ", "河源市"),
        ("YC-CZ", "河源市/源城区"),
        ("ZJ-CZ", "河源市/紫金县"),
    ]
    assert [d["code"] for d in heyuan.json("dept", "list", "--org", COUNTY)] == ["YC-CZ"]
    assert heyuan.json("dept", "list", "--org", "紫金县")[0]["name"] == "紫金县财政局"
    shown = heyuan.json("dept", "show", "YC-CZ")
    expected = {
        "code": "YC-CZ",
        "name": "源城区财政局",
        "org_code": COUNTY,
        "org_path": "河源市/源城区",
    }
    assert {k: shown[k] for k in expected} == expected
    # the rest is what other domains hang on a department: nothing yet
    assert all(shown[k] == [] for k in shown.keys() - expected.keys())
    assert heyuan.json("dept", "show", "数据局筹备组")["code"] is None
    # the unit lists its departments
    assert heyuan.json("org", "show", COUNTY)["departments"] == ["源城区财政局 (YC-CZ)"]
    assert audit_rows(heyuan) == 3 + 4
    entry = heyuan.json("audit", "list", "--action", "dept.add")
    assert {e["object_ref"] for e in entry} == {"HY-CZ", "YC-CZ", "ZJ-CZ", "数据局筹备组"}
    assert all(e["before"] is None for e in entry)


def test_listing_formats_agree(heyuan):
    heyuan.ok("dept", "add", "源城区财政局", "--code", "YC-CZ", "--org", COUNTY)
    heyuan.ok("dept", "add", "河源市公安局", "--code", "HY-GA", "--org", CITY)
    data = heyuan.json("dept", "list")
    assert yaml.safe_load(heyuan.ok("dept", "list", "-f", "yaml").stdout) == data
    rows = list(csv.DictReader(io.StringIO(heyuan.ok("dept", "list", "-f", "csv").stdout)))
    assert [r["code"] for r in rows] == [d["code"] for d in data]
    assert list(rows[0]) == ["code", "name", "org_code", "org_path"]
    table = heyuan.ok("dept", "list").stdout
    assert "河源市公安局" in table and "org_path" in table
    record = heyuan.ok("dept", "show", "HY-GA").stdout
    assert re.search(r"^org_path\s+河源市$", record, re.M)


def test_same_name_in_two_counties_and_an_ambiguous_reference(heyuan, store):
    heyuan.ok("dept", "add", "财政局", "--code", "YC-CZ", "--org", COUNTY)
    heyuan.ok("dept", "add", "财政局", "--code", "ZJ-CZ", "--org", ZIJIN)
    line = one_line_error(heyuan("dept", "show", "财政局"), "matches 2 departments")
    assert "财政局 (YC-CZ) of 河源市/源城区" in line and "财政局 (ZJ-CZ) of 河源市/紫金县" in line
    assert "use the code" in line
    assert heyuan.json("dept", "show", "ZJ-CZ")["org_code"] == ZIJIN
    with pytest.raises(AmbiguousReference):
        depts.remove(store, "财政局")
    assert len(depts.list_depts(store)) == 2


ADD_REFUSED = [
    (["财政局二", "--code", "YC-CZ"], "code YC-CZ is already used by 财政局 (YC-CZ)"),
    (["某局", "--code", "A B"], "contains a space"),
    (["某局", "--code", "X" * 33], "at most 32"),
    (["某局", "--code", "  "], "code is empty"),
    (["某局", "--code", "a\tb"], "contains a space or control character"),
    (["坏\n名", "--code", "BAD"], "control character"),
    (["长" * 101, "--code", "LONG"], "at most 100"),
    (["   ", "--code", "EMPTY"], "name is empty"),
    (["某局", "--code", "NEW", "--org", "没有这个区"], "no org unit"),
    (["财政局"], "a department without a code needs a unique name"),
]


def test_add_refused_with_one_line_and_nothing_written(heyuan):
    heyuan.ok("dept", "add", "财政局", "--code", "YC-CZ", "--org", COUNTY)
    before, rows = heyuan.json("dept", "list"), audit_rows(heyuan)
    for args, words in ADD_REFUSED:
        one_line_error(heyuan("dept", "add", *args), words)
        assert heyuan.json("dept", "list") == before, args
        assert audit_rows(heyuan) == rows, args


def test_a_code_is_stripped_and_kept_as_given(store):
    _build(store)
    dept = depts.add(store, " 源城区财政局 ", " 11441602MB2C12345X ", "源城区")
    assert (dept.code, dept.name) == ("11441602MB2C12345X", "源城区财政局")
    assert depts.show(store, "11441602MB2C12345X")["org_path"] == "河源市/源城区"
    with pytest.raises(Conflict):
        depts.add(store, "别的局", "11441602MB2C12345X")


def test_unknown_department_is_one_line(heyuan):
    one_line_error(heyuan("dept", "show", "没有这个局"), "no department with code or name")
    one_line_error(heyuan("dept", "remove", "NOPE"), "no department")


# -- rename, move, remove --------------------------------------------------


def test_rename_and_move_are_audited(heyuan):
    heyuan.ok("dept", "add", "源城区财政局", "--code", "YC-CZ", "--org", COUNTY)
    renamed = heyuan.json("dept", "rename", "YC-CZ", "源城区财政局（国资办）")
    assert renamed["name"] == "源城区财政局（国资办）" and renamed["org_code"] == COUNTY
    entry = heyuan.json("audit", "list", "--action", "dept.rename")[0]
    assert entry["object_ref"] == "YC-CZ"
    assert entry["before"]["name"] == "源城区财政局"
    assert entry["after"] == renamed

    moved = heyuan.json("dept", "move", "源城区财政局（国资办）", CITY)
    assert (moved["org_code"], moved["org_path"]) == (CITY, "河源市")
    entry = heyuan.json("audit", "list", "--action", "dept.move")[0]
    assert entry["before"]["org_code"] == COUNTY and entry["after"]["org_code"] == CITY
    assert heyuan.json("org", "show", COUNTY)["departments"] == []
    assert heyuan.json("org", "show", CITY)["departments"] == ["源城区财政局（国资办） (YC-CZ)"]
    one_line_error(heyuan("dept", "rename", "YC-CZ", ""), "name is empty")


def test_remove_refused_while_referred_then_allowed(heyuan, store):
    referring_table(store)
    heyuan.ok("dept", "add", "源城区财政局", "--code", "YC-CZ", "--org", COUNTY)
    put_vm(store, "yc-cz-oa-01", "YC-CZ")
    assert heyuan.json("dept", "show", "YC-CZ")["vms"] == ["yc-cz-oa-01"]
    rows = audit_rows(heyuan)
    one_line_error(
        heyuan("dept", "remove", "YC-CZ"), "源城区财政局 (YC-CZ) of 河源市/源城区 still has 1 vms"
    )
    assert heyuan.json("dept", "list")[0]["code"] == "YC-CZ"
    assert audit_rows(heyuan) == rows

    store.write(lambda tx: tx.execute("DELETE FROM scratch_vm"))
    result = heyuan.ok("dept", "remove", "YC-CZ")
    assert result.stdout == "" and "removed department 源城区财政局 (YC-CZ)" in result.stderr
    assert heyuan.json("dept", "list") == []
    entry = heyuan.json("audit", "list", "--action", "dept.remove")[0]
    assert entry["before"]["code"] == "YC-CZ" and entry["after"] is None
    # the code is free again
    heyuan.ok("dept", "add", "源城区财政局", "--code", "YC-CZ")


def test_org_remove_refused_while_the_unit_has_departments(heyuan):
    heyuan.ok("dept", "add", "紫金县财政局", "--code", "ZJ-CZ", "--org", ZIJIN)
    one_line_error(heyuan("org", "remove", ZIJIN), "河源市/紫金县", "1 departments")
    assert heyuan.json("org", "show", ZIJIN)["departments"] == ["紫金县财政局 (ZJ-CZ)"]
    heyuan.ok("dept", "remove", "ZJ-CZ")
    heyuan.ok("org", "remove", ZIJIN)


# -- import ----------------------------------------------------------------

ROWS = [
    ("HY-CZ", "河源市财政局", CITY),
    ("HY-GA", "河源市公安局", CITY),
    ("YC-CZ", "源城区财政局", COUNTY),
    ("ZJ-CZ", "紫金县财政局", "441621"),  # a short code, as typed
    ("HY-ZWFW", "河源市政务服务数据管理局", ""),
]


def dept_csv(rows=ROWS, header: str = "code,name,org_code") -> str:
    return "\n".join([header, *(",".join(r) for r in rows)]) + "\n"


def test_import_reimport_and_rename(heyuan, tmp_path):
    path = tmp_path / "depts.csv"
    path.write_text(dept_csv(), encoding="utf-8")
    assert heyuan.json("dept", "import", str(path)) == {"added": 5, "renamed": 0, "unchanged": 0}
    listed = {d["code"]: d for d in heyuan.json("dept", "list")}
    assert listed["ZJ-CZ"]["org_path"] == "河源市/紫金县"
    assert listed["HY-ZWFW"]["org_code"] is None
    rows = audit_rows(heyuan)
    before = heyuan.json("dept", "list")

    human = heyuan.ok("dept", "import", str(path))
    assert human.stdout == "" and "0 added, 0 renamed, 5 unchanged" in human.stderr
    assert heyuan.json("dept", "list") == before
    assert audit_rows(heyuan) == rows

    changed = [(c, n.replace("公安局", "公安局（交警支队）"), o) for c, n, o in ROWS]
    changed.append(("YC-GA", "源城区公安分局", COUNTY))
    path.write_text(dept_csv(changed), encoding="utf-8")
    assert heyuan.json("dept", "import", str(path)) == {"added": 1, "renamed": 1, "unchanged": 4}
    assert heyuan.json("dept", "show", "HY-GA")["name"] == "河源市公安局（交警支队）"
    assert audit_rows(heyuan) == rows + 2
    assert heyuan.json("audit", "list", "--action", "dept.rename")[0]["object_ref"] == "HY-GA"


def test_import_with_bad_rows_writes_nothing_and_names_every_line(heyuan, tmp_path):
    heyuan.ok("dept", "add", "源城区财政局", "--code", "YC-CZ", "--org", COUNTY)
    before, rows = heyuan.json("dept", "list"), audit_rows(heyuan)
    lines = [
        "code,name,org_code",
        "HY-CZ,河源市财政局,441600000000",  # 2: fine
        "HY-CZ,河源市财政局二,441600000000",  # 3: duplicate code
        "HY-GA,河源市公安局,441699000000",  # 4: no such unit
        "HY X,河源市某局,441600000000",  # 5: space in the code
        "",  # 6: blank, skipped
        "HY-SJ,,441600000000",  # 7: no name
        "HY-WJ,河源市卫健局,44160000000x",  # 8: unit code not a number
        "YC-CZ,源城区财政局,441621000000",  # 9: stored under another unit
        "HY-JY,河源市教育局,",  # 10: fine
    ]
    path = tmp_path / "bad.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    message = one_line_error(heyuan("dept", "import", str(path)), "6 bad rows, nothing written")
    reported = [int(n) for n in re.findall(r"(?:: |; )line (\d+): ", message)]
    assert reported == [3, 4, 5, 7, 8, 9], message
    assert "line 3: duplicate code HY-CZ (first on line 2)" in message
    assert "line 4: no org unit with code 441699000000" in message
    assert "line 9: code YC-CZ belongs to 河源市/源城区" in message
    assert heyuan.json("dept", "list") == before
    assert audit_rows(heyuan) == rows


def test_import_library_errors(store, tmp_path):
    _build(store)
    path = tmp_path / "bad.csv"
    path.write_text("code,name\nA,甲\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match="header must have code,name,org_code; missing org_code"):
        depts.import_file(store, path)
    path.write_text("code,name,org_code\n" + "X" * 33 + ",甲局,\n", encoding="utf-8")
    with pytest.raises(RowErrors) as info:
        depts.import_file(store, path)
    assert [line for line, _ in info.value.errors] == [2]
    assert depts.list_depts(store) == []
    assert audit.entries(store, action="dept.add") == []


def test_gbk_csv_with_chinese_headers(heyuan, tmp_path):
    path = tmp_path / "部门.csv"
    text = dept_csv(header="编码,部门名称,所属单位代码").replace("\n", "\r\n")
    path.write_bytes(text.encode("gbk"))
    assert heyuan.json("dept", "import", str(path))["added"] == 5
    assert heyuan.json("dept", "show", "YC-CZ")["org_path"] == "河源市/源城区"
    assert heyuan.json("dept", "import", str(path))["unchanged"] == 5


def test_xlsx_with_a_title_row(heyuan, tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["河源市市直及县区部门名录"])
    sheet.append(["代码", "名称", "区划代码"])
    for code, name, org_code in ROWS:
        sheet.append([code, name, int(org_code.ljust(12, "0")) if org_code else None])
    path = tmp_path / "depts.xlsx"
    book.save(path)
    assert heyuan.json("dept", "import", str(path)) == {"added": 5, "renamed": 0, "unchanged": 0}
    assert [d["code"] for d in heyuan.json("dept", "list", "--org", ZIJIN)] == ["ZJ-CZ"]
    csv_path = tmp_path / "same.csv"
    csv_path.write_text(dept_csv(), encoding="utf-8")
    assert heyuan.json("dept", "import", str(csv_path))["unchanged"] == 5


def test_import_missing_file(heyuan, tmp_path):
    one_line_error(heyuan("dept", "import", str(tmp_path / "nope.csv")), "no such file")


def test_department_file_for_a_province_tree(cli, store, tmp_path):
    org.add(store, "广东省", "province", code="440000000000")
    org.add(store, "河源市", "city", "44", CITY)
    path = tmp_path / "gd.csv"
    path.write_text(
        dept_csv([("GD-ZSJ", "广东省政务服务数据管理局", "44"), ("HY-CZ", "河源市财政局", CITY)]),
        encoding="utf-8",
    )
    cli.ok("dept", "import", str(path))
    assert [d["org_path"] for d in cli.json("dept", "list")] == ["广东省", "广东省/河源市"]
    assert cli.json("org", "show", "广东省")["departments"] == ["广东省政务服务数据管理局 (GD-ZSJ)"]


def test_library_round_trip(store):
    _build(store)
    added = depts.add(store, "源城区财政局", "YC-CZ", COUNTY)
    assert depts.rename(store, "YC-CZ", "源城区财政局").name == "源城区财政局"  # no change
    assert audit.entries(store, action="dept.rename") == []
    assert depts.move(store, "YC-CZ", COUNTY) == added  # no change either
    assert depts.remove(store, "源城区财政局").code == "YC-CZ"
    assert depts.list_depts(store) == []
    assert [e["action"] for e in audit.entries(store, limit=100) if e["object_type"] == "dept"] == [
        "dept.remove",
        "dept.add",
    ]


def test_a_reference_is_found_as_typed_or_in_its_plain_form(heyuan):
    heyuan.ok("dept", "add", "源城区财政局（国资办）", "--code", "YC-CZ", "--org", COUNTY)
    # the name is kept as typed, full-width brackets and all
    assert heyuan.json("dept", "show", "源城区财政局（国资办）")["code"] == "YC-CZ"
    # a code typed with a Chinese IME's full-width letters is the same code
    assert heyuan.json("dept", "show", "ＹＣ－ＣＺ")["name"] == "源城区财政局（国资办）"
    before = heyuan.json("dept", "list")
    for ref, words in (
        ("", "empty department reference"),
        ("\u3000", "empty department reference"),
        ("YC\x00CZ", "department reference 'YC\\x00CZ' contains a control character"),
        ("Y" * 100_000, "no department with code or name 'YYYY"),
    ):
        line = one_line_error(heyuan("dept", "show", ref), words)
        assert len(line) < 200
        one_line_error(heyuan("dept", "rename", ref, "新名"), words)
        one_line_error(heyuan("dept", "remove", ref), words)
    one_line_error(heyuan("dept", "move", "YC-CZ", ""), "empty org unit reference")
    assert heyuan.json("dept", "list") == before
