"""The org hierarchy: adding, finding, listing, showing, tree, removing."""

from __future__ import annotations

import pytest
from conftest import count_levels, one_line_error

from infra.errors import AmbiguousReference, Conflict, InvalidInput, UnknownOrgUnit
from infra.org import units as org

CITY = "441600000000"
COUNTY = "441602000000"
TOWN_A = "441602001000"
TOWN_B = "441602002000"


def _build_heyuan(store) -> None:
    org.add(store, "河源市", "city", code=CITY)
    org.add(store, "源城区", "county", CITY, COUNTY)
    org.add(store, "上城街道", "town", "源城区", TOWN_A)
    org.add(store, "新江街道", "town", "441602", TOWN_B)
    org.add(store, "甲村", "village", TOWN_A, TOWN_A[:9] + "001")
    org.add(store, "乙村", "village", TOWN_B, TOWN_B[:9] + "001")


@pytest.fixture
def heyuan(cli, store):
    """河源市 → 源城区 → two towns, each with one village; the CLI over that database."""
    _build_heyuan(store)
    return cli


@pytest.fixture
def heyuan_sqlite(sqlite_cli):
    """The same tree on SQLite only, for what does not depend on the backend (rendering)."""
    from infra.store import Store

    with Store(sqlite_cli.db) as store:
        _build_heyuan(store)
    return sqlite_cli


# -- pure helpers ----------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "level"),
    [
        ("440000000000", "province"),
        (CITY, "city"),
        ("441900000000", "city"),
        (COUNTY, "county"),
        (TOWN_A, "town"),
        ("441602100000", "town"),
        ("441602001001", "village"),
        ("441900003000", "town"),
    ],
)
def test_infer_level(code, level):
    assert org.infer_level(code) == level


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("441602", COUNTY),
        ("441602001", TOWN_A),
        (" 441602001001 ", "441602001001"),
        ("4416", CITY),
        ("44", "440000000000"),
        ("４４１６０２", COUNTY),  # full-width, as a Chinese IME types digits
        ("４４１６０２００１０００", TOWN_A),
    ],
)
def test_normalize_code_short_forms(text, code):
    assert org.normalize_code(text) == code


@pytest.mark.parametrize(
    "text", ["44160200000x", "4416020", "4416020010010", "", "4.41602E+11", "٤٤١٦٠٢", "²⁴¹⁶⁰²"]
)
def test_normalize_code_refuses(text):
    with pytest.raises(InvalidInput):
        org.normalize_code(text)


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("区", "county"),
        ("街道", "town"),
        ("社区", "village"),
        ("City", "city"),
        ("乡", "town"),
        ("省", "province"),
        ("Province", "province"),
        ("自治区", "province"),
        ("直辖市", "city"),  # run as a city: its districts are the counties
        ("自治州", "city"),
        ("县级市", "county"),
    ],
)
def test_normalize_level_aliases(text, level):
    assert org.normalize_level(text) == level


def test_normalize_level_refuses_unknown():
    with pytest.raises(InvalidInput, match="unknown level 'ministry': use one of province, city"):
        org.normalize_level("ministry")


# -- add -------------------------------------------------------------------


def test_add_city_county_town_village(heyuan):
    units = heyuan.json("org", "list")
    assert [(u["code"], u["level"], u["parent_code"], u["path"]) for u in units] == [
        (CITY, "city", None, "河源市"),
        (COUNTY, "county", CITY, "河源市/源城区"),
        (TOWN_A, "town", COUNTY, "河源市/源城区/上城街道"),
        (TOWN_B, "town", COUNTY, "河源市/源城区/新江街道"),
        ("441602001001", "village", TOWN_A, "河源市/源城区/上城街道/甲村"),
        ("441602002001", "village", TOWN_B, "河源市/源城区/新江街道/乙村"),
    ]


def test_add_json_output_is_the_unit(cli):
    data = cli.json("org", "add", "河源市", "--level", "city", "--code", CITY)
    assert data == {
        "code": CITY,
        "name": "河源市",
        "level": "city",
        "parent_code": None,
        "path": "河源市",
    }


def test_add_accepts_short_code(cli):
    cli.ok("org", "add", "河源市", "--level", "city", "--code", CITY)
    data = cli.json(
        "org", "add", "源城区", "--level", "county", "--parent", "河源市", "--code", "441602"
    )
    assert data["code"] == COUNTY


def test_add_city_without_code(cli):
    cli.ok("org", "add", "示例市", "--level", "city")
    cli.ok("org", "add", "示例区", "--level", "county", "--parent", "示例市")
    units = cli.json("org", "list")
    assert [(u["code"], u["path"]) for u in units] == [(None, "示例市"), (None, "示例市/示例区")]
    # a code-less unit is named by its path or name
    assert cli.json("org", "show", "示例市/示例区")["level"] == "county"


def test_town_directly_under_city_without_counties(cli):
    """东莞 has no counties: its towns sit right under the city."""
    cli.ok("org", "add", "东莞市", "--level", "city", "--code", "441900000000")
    cli.ok(
        "org", "add", "石碣镇", "--level", "town", "--parent", "东莞市", "--code", "441900003000"
    )
    cli.ok(
        "org",
        "add",
        "石碣社区",
        "--level",
        "village",
        "--parent",
        "441900003",
        "--code",
        "441900003001",
    )
    shown = cli.json("org", "show", "东莞市")
    assert shown["children"] == 1
    assert shown["descendants"] == {"county": 0, "town": 1, "village": 1}
    assert cli.json("org", "show", "东莞市/石碣镇")["parent_code"] == "441900000000"


def test_town_under_city_with_counties_refused(heyuan):
    before = heyuan.json("org", "list")
    line = one_line_error(
        heyuan("org", "add", "某镇", "--level", "town", "--parent", CITY, "--code", "441600100000")
    )
    assert "has counties" in line
    assert heyuan.json("org", "list") == before


ADD_REFUSED = [
    # village under a county: a tier is skipped
    (
        ["乙村", "--level", "village", "--parent", COUNTY, "--code", "441602000001"],
        "cannot sit under",
    ),
    (["丙村", "--level", "village", "--parent", COUNTY], "cannot sit under"),
    # county under a town: upside down
    (["某区", "--level", "county", "--parent", TOWN_A], "cannot sit under"),
    # a county with no parent
    (["某区", "--level", "county", "--code", "441603000000"], "needs a parent"),
    # duplicate code
    (["重复街道", "--level", "town", "--parent", COUNTY, "--code", TOWN_A], "already used"),
    # a code that contradicts the parent's
    (
        ["外区", "--level", "county", "--parent", CITY, "--code", "441702000000"],
        "does not start",
    ),
    # a code of another level
    (["某镇", "--level", "town", "--parent", COUNTY, "--code", "441603000000"], "county code"),
    # a slash in a name would break paths
    (["甲/乙", "--level", "town", "--parent", COUNTY], "contains '/'"),
    # not a number
    (["某镇", "--level", "town", "--parent", COUNTY, "--code", "44160200300x"], "not a number"),
    # unknown parent
    (["某镇", "--level", "town", "--parent", "没有这个区"], "no org unit"),
    (["某镇", "--level", "town", "--parent", "441699000000"], "no org unit with code"),
]


def test_add_refused(heyuan):
    before = heyuan.json("org", "list")
    audit_before = heyuan.json("audit", "verify")["rows"]
    for args, words in ADD_REFUSED:
        line = one_line_error(heyuan("org", "add", *args))
        assert words in line, (args, line)
        assert heyuan.json("org", "list") == before, args
        assert heyuan.json("audit", "verify")["rows"] == audit_before, args


def test_add_same_name_without_code_refused(cli):
    cli.ok("org", "add", "示例市", "--level", "city")
    cli.ok("org", "add", "示例区", "--level", "county", "--parent", "示例市")
    line = one_line_error(cli("org", "add", "示例区", "--level", "county", "--parent", "示例市"))
    assert "already exists under 示例市" in line
    line = one_line_error(cli("org", "add", "示例市", "--level", "city"))
    assert "the top level" in line


def test_add_library_errors(store):
    org.add(store, "河源市", "city", code=CITY)
    with pytest.raises(Conflict):
        org.add(store, "河源", "city", code=CITY)
    with pytest.raises(InvalidInput):
        org.add(store, "  ", "city")
    with pytest.raises(UnknownOrgUnit):
        org.add(store, "x", "county", "nowhere")


# -- finding a unit --------------------------------------------------------


def test_show_by_any_reference(heyuan):
    expected = {
        "code": COUNTY,
        "name": "源城区",
        "level": "county",
        "parent_code": CITY,
        "path": "河源市/源城区",
        "children": 2,
        "descendants": {"town": 2, "village": 2},
        "blocks": [],
        "departments": [],
    }
    # full code, 6-digit short code, path (with stray slashes and spaces), unique name
    for ref in (
        COUNTY,
        "441602",
        "河源市/源城区",
        "/河源市/源城区/",
        " 河源市 / 源城区 ",
        "源城区",
    ):
        shown = heyuan.json("org", "show", ref)
        assert {k: shown[k] for k in expected} == expected, ref
        # the rest is what other domains hang on a unit: nothing yet
        assert all(shown[k] == [] for k in shown.keys() - expected.keys()), ref


def test_show_town_by_nine_digit_code(heyuan):
    assert heyuan.json("org", "show", "441602001")["name"] == "上城街道"


def test_full_width_digits_name_the_same_unit(heyuan_sqlite):
    assert heyuan_sqlite.json("org", "show", "４４１６０２")["code"] == COUNTY
    line = one_line_error(
        heyuan_sqlite(
            "org",
            "add",
            "上城",
            "--level",
            "town",
            "--parent",
            COUNTY,
            "--code",
            "４４１６０２００１０００",
        )
    )
    assert f"code {TOWN_A} is already used" in line


def test_show_city_counts(heyuan):
    shown = heyuan.json("org", "show", "河源市")
    assert shown["parent_code"] is None
    assert shown["children"] == 1
    assert shown["descendants"] == {"county": 1, "town": 2, "village": 2}


def test_show_table_output(heyuan_sqlite):
    result = heyuan_sqlite.ok("org", "show", COUNTY)
    assert "河源市/源城区" in result.stdout
    assert result.stderr == ""


def test_ambiguous_name_lists_candidates(heyuan):
    heyuan.ok(
        "org", "add", "新村", "--level", "village", "--parent", TOWN_A, "--code", "441602001002"
    )
    heyuan.ok(
        "org", "add", "新村", "--level", "village", "--parent", TOWN_B, "--code", "441602002002"
    )
    line = one_line_error(heyuan("org", "show", "新村"))
    assert "matches 2 org units" in line
    assert "河源市/源城区/上城街道/新村 (441602001002)" in line
    assert "河源市/源城区/新江街道/新村 (441602002002)" in line
    # the full path and the code are unambiguous
    assert heyuan.json("org", "show", "河源市/源城区/新江街道/新村")["code"] == "441602002002"
    assert heyuan.json("org", "show", "441602001002")["path"].endswith("上城街道/新村")
    # as a parent, too, an ambiguous name is refused
    line = one_line_error(heyuan("org", "add", "组", "--level", "village", "--parent", "新村"))
    assert "matches 2" in line


def test_ambiguous_name_library(store):
    org.add(store, "河源市", "city", code=CITY)
    org.add(store, "源城区", "county", CITY, COUNTY)
    org.add(store, "上城街道", "town", COUNTY, TOWN_A)
    org.add(store, "新江街道", "town", COUNTY, TOWN_B)
    org.add(store, "新村", "village", TOWN_A, "441602001002")
    org.add(store, "新村", "village", TOWN_B, "441602002002")
    with pytest.raises(AmbiguousReference) as info:
        store.read(lambda tx: org.resolve(tx, "新村"))
    assert "441602001002" in str(info.value) and "441602002002" in str(info.value)


def test_unknown_ref_is_one_line_exit_1(heyuan):
    for args in (
        ["org", "show", "没有这个地方"],
        ["org", "show", "441699000000"],
        ["org", "show", "河源市/没有这个区"],
        ["org", "tree", "没有这个地方"],
        ["org", "remove", "没有这个地方"],
        ["org", "list", "--under", "没有这个地方"],
    ):
        assert "no org unit" in one_line_error(heyuan(*args)), args
    assert "12 digits" in one_line_error(heyuan("org", "show", "12345"))


# -- list ------------------------------------------------------------------


def test_list_by_level(heyuan):
    for level, codes in (
        ("city", [CITY]),
        ("county", [COUNTY]),
        ("town", [TOWN_A, TOWN_B]),
        ("village", ["441602001001", "441602002001"]),
    ):
        units = heyuan.json("org", "list", "--level", level)
        assert [u["code"] for u in units] == codes, level
        assert {u["level"] for u in units} == {level}


def test_list_under(heyuan):
    units = heyuan.json("org", "list", "--under", "新江街道")
    assert [u["code"] for u in units] == [TOWN_B, "441602002001"]
    units = heyuan.json("org", "list", "--under", "源城区", "--level", "village")
    assert [u["name"] for u in units] == ["甲村", "乙村"]


def test_list_empty(cli):
    assert cli.json("org", "list") == []
    result = cli.ok("org", "list")
    assert result.stdout == ""


# -- tree ------------------------------------------------------------------


def test_tree_whole_and_nested(heyuan):
    roots = heyuan.json("org", "tree")
    assert [r["code"] for r in roots] == [CITY]
    county = roots[0]["children"][0]
    assert county["path"] == "河源市/源城区"
    assert [t["code"] for t in county["children"]] == [TOWN_A, TOWN_B]
    assert count_levels(roots) == {"city": 1, "county": 1, "town": 2, "village": 2}


def test_tree_with_ref_and_depth(heyuan):
    roots = heyuan.json("org", "tree", "源城区", "--depth", "1")
    assert [r["code"] for r in roots] == [COUNTY]
    assert [t["name"] for t in roots[0]["children"]] == ["上城街道", "新江街道"]
    assert all(t["children"] == [] for t in roots[0]["children"])
    roots = heyuan.json("org", "tree", "--depth", "0")
    assert [(r["code"], r["children"]) for r in roots] == [(CITY, [])]
    assert count_levels(heyuan.json("org", "tree", CITY, "--depth", "2")) == {
        "city": 1,
        "county": 1,
        "town": 2,
    }


def test_tree_csv_has_depth(heyuan_sqlite):
    import csv
    import io

    result = heyuan_sqlite.ok("org", "tree", "源城区", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["code"], r["depth"]) for r in rows] == [
        (COUNTY, "0"),
        (TOWN_A, "1"),
        ("441602001001", "2"),
        (TOWN_B, "1"),
        ("441602002001", "2"),
    ]


def test_tree_table_shows_names(heyuan_sqlite):
    result = heyuan_sqlite.ok("org", "tree", "源城区")
    for name in ("源城区", "上城街道", "新江街道", "甲村", "乙村"):
        assert name in result.stdout


def test_tree_orders_siblings_by_code(store):
    org.add(store, "河源市", "city", code=CITY)
    org.add(store, "东源县", "county", CITY, "441625000000")
    org.add(store, "源城区", "county", CITY, COUNTY)
    org.add(store, "紫金县", "county", CITY, "441621000000")
    roots = org.tree(store)
    assert [c["code"] for c in roots[0]["children"]] == [COUNTY, "441621000000", "441625000000"]


# -- remove ----------------------------------------------------------------


def test_remove_refused_while_children_exist(heyuan):
    line = one_line_error(heyuan("org", "remove", "上城街道"))
    assert "1 child units" in line
    assert heyuan.json("org", "show", TOWN_A)["children"] == 1


def test_remove_leaf_then_parent(heyuan):
    result = heyuan.ok("org", "remove", "441602001001")
    assert result.stdout == ""
    assert "removed village" in result.stderr
    heyuan.ok("org", "remove", "河源市/源城区/上城街道")
    codes = [u["code"] for u in heyuan.json("org", "list")]
    assert "441602001001" not in codes and TOWN_A not in codes
    assert heyuan.json("org", "show", "源城区")["descendants"] == {"town": 1, "village": 1}
    one_line_error(heyuan("org", "show", TOWN_A))
    # the code is free again
    heyuan.ok("org", "add", "上城街道", "--level", "town", "--parent", COUNTY, "--code", TOWN_A)


def test_remove_library(store):
    org.add(store, "河源市", "city", code=CITY)
    org.add(store, "源城区", "county", CITY, COUNTY)
    with pytest.raises(Conflict):
        org.remove(store, CITY)
    removed = org.remove(store, "源城区")
    assert removed.code == COUNTY
    assert [u["code"] for u in org.list_units(store)] == [CITY]


@pytest.mark.parametrize("name", ["坏\n名", "坏\t名", "长" * 101, "a\u2028b"])
def test_hostile_names_are_refused(cli, name):
    cli.ok("org", "add", "测试市", "--level", "city", "--code", "441900000000")
    result = cli("org", "add", name, "--level", "town", "--parent", "441900000000")
    assert result.exit_code == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert [u["name"] for u in cli.json("org", "list")] == ["测试市"]


def test_show_lists_the_units_blocks_but_not_its_subnets(heyuan):
    heyuan.ok("ipam", "pool", "add", "10.64.0.0/12", "--org", CITY)
    heyuan.ok("ipam", "alloc", "--for", COUNTY, "--size", "/16")
    heyuan.ok("ipam", "alloc", "--org", COUNTY, "--size", "/24", "--purpose", "office")
    heyuan.ok("ipam", "vrf", "add", "video")
    heyuan.ok("ipam", "add", "10.64.0.0/20", "--vrf", "video", "--status", "container")
    assert heyuan.json("org", "show", COUNTY)["blocks"] == ["10.64.0.0/16"]
    assert heyuan.json("org", "show", CITY)["blocks"] == ["10.64.0.0/12"]


# -- a province above the cities -------------------------------------------

PROVINCE = "440000000000"


def test_province_is_the_root_of_its_cities(cli):
    data = cli.json("org", "add", "广东省", "--level", "province", "--code", PROVINCE)
    assert data == {
        "code": PROVINCE,
        "name": "广东省",
        "level": "province",
        "parent_code": None,
        "path": "广东省",
    }
    cli.ok("org", "add", "河源市", "--level", "city", "--parent", "广东省", "--code", CITY)
    cli.ok("org", "add", "东莞市", "--level", "city", "--parent", "44", "--code", "441900000000")
    cli.ok("org", "add", "源城区", "--level", "county", "--parent", CITY, "--code", COUNTY)
    cli.ok(
        "org", "add", "石碣镇", "--level", "town", "--parent", "东莞市", "--code", "441900003000"
    )
    assert cli.json("org", "show", "广东省/河源市/源城区")["code"] == COUNTY
    shown = cli.json("org", "show", PROVINCE)
    assert (shown["parent_code"], shown["children"]) == (None, 2)
    assert shown["descendants"] == {"city": 2, "county": 1, "town": 1, "village": 0}
    assert cli.json("org", "show", CITY)["descendants"] == {"county": 1, "town": 0, "village": 0}
    assert [u["level"] for u in cli.json("org", "list")] == [
        "province",
        "city",
        "city",
        "county",
        "town",
    ]
    assert [u["name"] for u in cli.json("org", "list", "--level", "province")] == ["广东省"]
    assert [u["name"] for u in cli.json("org", "list", "-l", "city", "--under", "广东省")] == [
        "河源市",
        "东莞市",
    ]
    tree = cli.json("org", "tree", "--depth", "1")
    assert [(n["name"], [c["name"] for c in n["children"]]) for n in tree] == [
        ("广东省", ["河源市", "东莞市"])
    ]
    one_line_error(cli("org", "remove", "广东省"), "2 child units")


def test_a_province_beside_a_city_only_tree(cli):
    """Adding a province leaves cities stored at the top where they are."""
    cli.ok("org", "add", "河源市", "--level", "city", "--code", CITY)
    cli.ok("org", "add", "广东省", "--level", "province", "--code", PROVINCE)
    assert [n["name"] for n in cli.json("org", "tree")] == ["广东省", "河源市"]
    assert cli.json("org", "show", CITY)["parent_code"] is None


PROVINCE_REFUSED = [
    (["广州市", "--level", "city", "--parent", PROVINCE, "--code", "450100000000"], "start"),
    (["广州市", "--level", "city", "--parent", PROVINCE, "--code", PROVINCE], "already used"),
    (["某县", "--level", "county", "--parent", PROVINCE, "--code", "441699000000"], "cannot sit"),
    (["某镇", "--level", "town", "--parent", PROVINCE], "cannot sit under a province"),
    (["广西", "--level", "province", "--code", "450100000000"], "city code, not a province"),
    (["某省", "--level", "province", "--parent", CITY], "a province stands at the top"),
    (["某区", "--level", "county"], "(only a province or a city stands at the top)"),
]


def test_province_placement_refused(cli):
    cli.ok("org", "add", "广东省", "--level", "province", "--code", PROVINCE)
    cli.ok("org", "add", "河源市", "--level", "city", "--parent", PROVINCE, "--code", CITY)
    before = cli.json("org", "list")
    for args, words in PROVINCE_REFUSED:
        one_line_error(cli("org", "add", *args), words)
        assert cli.json("org", "list") == before, args


def test_level_aliases_on_the_command_line_and_a_municipality(store):
    org.add(store, "广西壮族自治区", "自治区", code="450000000000")
    org.add(store, "南宁市", "city", "450000000000", "450100000000")
    # a 直辖市 runs as a city carrying its province-level code; districts are counties
    org.add(store, "北京市", "直辖市", code="110000000000")
    org.add(store, "东城区", "county", "北京市", "110101000000")
    assert [(u["name"], u["level"]) for u in org.list_units(store)] == [
        ("广西壮族自治区", "province"),
        ("北京市", "city"),
        ("南宁市", "city"),
        ("东城区", "county"),
    ]
    assert org.show(store, "北京市")["descendants"] == {"county": 1, "town": 0, "village": 0}


# -- one name per parent, so that a path names one unit ---------------------------


def test_a_same_named_sibling_is_refused_with_or_without_a_code(heyuan):
    before = heyuan.json("org", "list")
    audit_before = heyuan.json("audit", "verify")["rows"]
    for extra in ([], ["--code", "441602999000"]):
        for name in ("上城街道", " 上城街道\u3000", "上城街道 "):
            line = one_line_error(
                heyuan("org", "add", name, "--level", "town", "--parent", COUNTY, *extra)
            )
            assert line == (
                "govops: '上城街道' already exists under 河源市/源城区:"
                " 河源市/源城区/上城街道 (441602001000); units under one parent need different names"
            ), line
    # a second city of the same name at the top level
    one_line_error(
        heyuan("org", "add", "河源市", "--level", "city", "--code", "441700000000"),
        "'河源市' already exists under the top level",
    )
    assert heyuan.json("org", "list") == before
    assert heyuan.json("audit", "verify")["rows"] == audit_before
    assert heyuan.json("org", "show", "河源市/源城区/上城街道")["code"] == TOWN_A
    # the same name under another parent is fine
    heyuan.ok("org", "add", "上城街道", "--level", "village", "--parent", TOWN_B)


def test_names_are_stored_in_their_plain_form(heyuan):
    # full-width letters and digits and the ideographic space (NFKC), then stripped
    added = heyuan.json("org", "add", "\u3000ＡＢ１村 ", "--level", "village", "--parent", TOWN_A)
    assert added["name"] == "AB1村" and added["path"] == "河源市/源城区/上城街道/AB1村"
    for ref in (
        "AB1村",
        "ＡＢ１村",
        "河源市/源城区/上城街道/ＡＢ１村",
        " 河源市／源城区/上城街道/AB1村",
    ):
        assert heyuan.json("org", "show", ref)["path"] == added["path"], ref
    one_line_error(
        heyuan("org", "add", "AB1村", "--level", "village", "--parent", TOWN_A),
        "'AB1村' already exists under 河源市/源城区/上城街道",
    )
    # a full-width slash is a slash once normalised: refused in a name
    one_line_error(
        heyuan("org", "add", "甲／乙", "--level", "village", "--parent", TOWN_A),
        "contains '/'",
    )


def _store_as_an_older_version_did(store, parent_code: str, name: str, code: str | None) -> None:
    """Insert a unit without today's checks: same-named siblings, names as typed."""

    def run(tx):
        parent = org.resolve(tx, parent_code)
        tx.insert(
            "INSERT INTO org_unit (code, name, level, parent_id, path, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (code, name, "village", parent.id, f"{parent.path}/{name}", tx.now),
        )

    store.write(run)


def test_siblings_stored_ambiguous_by_an_older_version_stay_addressable(heyuan, store):
    _store_as_an_older_version_did(store, TOWN_A, "新村", "441602001005")
    _store_as_an_older_version_did(store, TOWN_A, "新村", "441602001006")
    _store_as_an_older_version_did(store, TOWN_A, "新村", None)
    path = "河源市/源城区/上城街道/新村"
    line = one_line_error(heyuan("org", "show", path))
    assert line == (
        f"govops: path '{path}' matches 3 org units: {path} (441602001005),"
        f" {path} (441602001006), {path} (no code); use the code"
    ), line
    with pytest.raises(AmbiguousReference, match="use the code$"):
        store.read(lambda tx: org.resolve(tx, path))
    for code in ("441602001005", "441602001006"):
        assert heyuan.json("org", "show", code)["path"] == path
    # a name stored as typed (full-width) is found as typed, and blocks its plain twin
    _store_as_an_older_version_did(store, TOWN_B, "ＥＦ村", "441602002005")
    assert heyuan.json("org", "show", "ＥＦ村")["code"] == "441602002005"
    one_line_error(
        heyuan("org", "add", "EF村", "--level", "village", "--parent", TOWN_B),
        "'EF村' already exists under 河源市/源城区/新江街道: 河源市/源城区/新江街道/ＥＦ村",
    )


def test_same_named_sibling_in_the_library(store):
    _build_heyuan(store)
    with pytest.raises(Conflict, match="already exists under 河源市/源城区/上城街道"):
        org.add(store, "甲村", "village", TOWN_A, TOWN_A[:9] + "009")
    with pytest.raises(Conflict, match="already exists under 河源市/源城区/上城街道"):
        org.add(store, "甲村", "village", TOWN_A)
