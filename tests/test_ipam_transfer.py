"""ipam export / import: round trips byte for byte, and a bad file writes nothing."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import yaml
from conftest import Cli, one_line_error, pg_schema
from ipam_helpers import CITY, COUNTY_A, TOWN_A1, make_orgs, snapshot, verify_space

from infra.store import Store
from ipam import transfer, views


@pytest.fixture
def other_url(db_url: str, tmp_path: Path):
    """A second, empty database on the same backend as `db_url`."""
    if not db_url.startswith("postgresql://"):
        yield str(tmp_path / "other.db")
        return
    with pg_schema() as url:
        yield url


def build(cli: Cli, store: Store) -> None:
    """IPv4 and IPv6, three VRFs (two overlapping), unit blocks, addresses,
    a reserved and a quarantined block, text that CSV must quote."""
    make_orgs(store)
    cli.ok("ipam", "vrf", "add", "video", "--rd", "65000:20", "-D", "视频专网")
    cli.ok("ipam", "vrf", "add", "mgmt")
    cli.ok("ipam", "pool", "add", "10.64.0.0/12", "--org", CITY, "-D", "政务外网IPv4")
    cli.ok("ipam", "pool", "add", "2001:db8::/32", "--org", CITY)
    cli.ok("ipam", "pool", "add", "10.64.0.0/12", "--vrf", "video")
    cli.ok("ipam", "pool", "add", "fd00::/48", "--vrf", "mgmt", "-D", "带外管理")
    cli.ok("ipam", "alloc", "--for", "源城区", "--size", "/16")
    cli.ok("ipam", "alloc", "--for", "源城区", "--size", "/40")
    cli.ok("ipam", "alloc", "--for", "上城街道", "--size", "/20")
    cli.ok("ipam", "alloc", "--for", "上城街道", "--size", "/48")
    cli.ok("ipam", "alloc", "--org", "上城街道", "-s", "/24", "-P", "office", "-D", 'A, "B" 楼')
    cli.ok("ipam", "alloc", "--org", "上城街道", "-s", "/64", "-P", "office")
    cli.ok("ipam", "ip", "assign", "10.64.0.1", "-H", "gw-shangcheng")
    cli.ok("ipam", "ip", "next", "10.64.0.0/24", "-n", "2", "-H", "zw-web", "-D", "政务网站")
    cli.ok("ipam", "ip", "next", "2001:db8::/64", "-H", "zw-web-v6")
    cli.ok("ipam", "alloc", "--from", "10.64.0.0/12", "-s", "/20", "-n", "2", "-P", "old")
    cli.ok("ipam", "release", "10.65.0.0/20", "--quarantine-days", "30")
    cli.ok("ipam", "reserve", "10.79.255.0/24", "-D", "预留核心互联")
    cli.ok("ipam", "add", "10.64.1.0/24", "--vrf", "video", "--purpose", "camera")
    cli.ok("ipam", "ip", "assign", "10.64.1.9", "--vrf", "video", "-H", "cam-9")
    cli.ok("ipam", "add", "fd00::/64", "--vrf", "mgmt", "--status", "reserved")


def copy_orgs(cli: Cli, target: Cli, tmp_path: Path) -> None:
    """The org tree goes first: `org list --format csv` reads back with `org import`."""
    orgs = tmp_path / "orgs.csv"
    orgs.write_text(cli.ok("org", "list", "--format", "csv").stdout, encoding="utf-8")
    target.ok("org", "import", str(orgs))


@pytest.mark.parametrize("fmt", ["json", "csv", "yaml"])
def test_round_trip_is_identical(cli, store, other_url, tmp_path, fmt):
    build(cli, store)
    path = tmp_path / f"ipam.{fmt}"
    result = cli.ok("ipam", "export", "--format", fmt, "-o", str(path))
    assert result.stdout == ""
    assert f"wrote 15 prefixes and 5 addresses to {path}" in result.stderr
    first = path.read_text(encoding="utf-8")
    assert cli.ok("ipam", "export", "--format", fmt).stdout == first  # stdout == file
    target = Cli(other_url)
    copy_orgs(cli, target, tmp_path)
    result = target.ok("ipam", "import", str(path))
    assert "15 prefixes, 5 addresses, 2 VRFs added; 0 unchanged" in result.stderr
    assert target.ok("ipam", "export", "--format", fmt).stdout == first
    with Store(other_url) as copy:
        verify_space(copy)
        assert [p for p in views.check(copy) if p["severity"] == "error"] == []
        assert views.free(copy, "10.64.0.0/12")["quarantine"][0]["prefix"] == "10.65.0.0/20"
    # Importing the same file again changes nothing.
    again = target.ok("ipam", "import", str(path))
    assert "0 prefixes, 0 addresses, 0 VRFs added; 20 unchanged" in again.stderr


def test_export_document(cli, store):
    build(cli, store)
    doc = cli.json("ipam", "export")
    assert doc == transfer.export(store)
    assert (doc["format"], doc["version"]) == ("govops-ipam", 1)
    assert [v["name"] for v in doc["vrfs"]] == ["egov", "mgmt", "video"]
    by = {(p["vrf"], p["prefix"]): p for p in doc["prefixes"]}
    assert by[("egov", "10.65.0.0/20")]["status"] == "quarantine"
    assert by[("egov", "10.65.0.0/20")]["quarantine_until"]
    assert by[("egov", "10.65.16.0/20")]["purpose"] == "old"
    assert by[("egov", "10.79.255.0/24")]["status"] == "reserved"
    assert by[("egov", "10.64.0.0/24")]["org_code"] == TOWN_A1
    assert by[("video", "10.64.0.0/12")]["pool"] is True
    assert [a["address"] for a in doc["addresses"]] == [
        "10.64.0.1",
        "10.64.0.2",
        "10.64.0.3",
        "2001:db8::1",
        "10.64.1.9",
    ]
    only = json.loads(cli.ok("ipam", "export", "--vrf", "video").stdout)
    assert [p["prefix"] for p in only["prefixes"]] == ["10.64.0.0/12", "10.64.1.0/24"]
    assert [a["hostname"] for a in only["addresses"]] == ["cam-9"]
    table = list(csv.DictReader(io.StringIO(cli.ok("ipam", "export", "-f", "csv").stdout)))
    assert [r["kind"] for r in table].count("prefix") == 15
    office = next(r for r in table if r["prefix"] == "10.64.0.0/24" and r["kind"] == "prefix")
    assert office["description"] == 'A, "B" 楼'
    loaded = yaml.safe_load(cli.ok("ipam", "export", "-f", "yaml").stdout)
    assert loaded == doc


def test_round_trip_across_backends(pg_url, tmp_path):
    """SQLite → PostgreSQL → SQLite: the same document every step."""
    sqlite_url = str(tmp_path / "a.db")
    src = Cli(sqlite_url)
    with Store(sqlite_url) as store:
        build(src, store)
    path = tmp_path / "a.json"
    src.ok("ipam", "export", "-o", str(path))
    pg = Cli(pg_url)
    copy_orgs(src, pg, tmp_path)
    pg.ok("ipam", "import", str(path))
    back = tmp_path / "b.yaml"
    pg.ok("ipam", "export", "-f", "yaml", "-o", str(back))
    last = Cli(str(tmp_path / "c.db"))
    copy_orgs(src, last, tmp_path)
    last.ok("ipam", "import", str(back))
    assert last.ok("ipam", "export").stdout == path.read_text(encoding="utf-8")


# -- bad files -------------------------------------------------------------


@pytest.fixture
def target(cli, store):
    make_orgs(store)
    cli.ok("ipam", "pool", "add", "10.64.0.0/12", "--org", CITY)
    cli.ok("ipam", "add", "10.64.0.0/16", "--org", "源城区")
    return cli


def prefix_row(prefix: str, **kw) -> dict:
    return {"vrf": "egov", "prefix": prefix, "status": "allocated", **kw}


def test_import_with_bad_rows_writes_nothing_and_lists_them_all(target, store, tmp_path):
    doc = {
        "format": "govops-ipam",
        "version": 1,
        "vrfs": [{"name": "video"}],
        "prefixes": [
            prefix_row("10.64.1.0/24", purpose="good"),
            prefix_row("10.64.2.3/24"),
            prefix_row("10.64.3.0/33"),
            prefix_row("10.64.4.0/24", org_code="441602999000"),
            prefix_row("10.64.5.0/24", status="lent"),
            prefix_row("10.64.6.0/24", org_code="441621100000"),  # 紫金县 has no block
            {"vrf": "egov", "status": "allocated"},
            prefix_row("10.64.7.0/24", vrf="nosuch-but-created", parent="10.64.0.0/16"),
            prefix_row("10.64.0.0/16", purpose="other"),
        ],
        "addresses": [
            {"vrf": "egov", "address": "10.64.1.7", "hostname": "ok"},
            {"vrf": "egov", "address": "192.168.0.1", "hostname": "nowhere"},
            {"vrf": "egov", "address": "10.64.1.999"},
        ],
    }
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    before = snapshot(store)
    line = one_line_error(target("ipam", "import", str(path)), "10 bad rows, nothing written")
    for fragment in [
        "10.64.2.3/24 has host bits set",
        "10.64.3.0/33",
        "no org unit with code 441602999000",
        "status 'lent'",
        "10.64.6.0/24: 10.64.6.0/24 for 河源市/紫金县/紫城镇",
        "missing field 'prefix'",
        "parent would be none, not 10.64.0.0/16",
        "10.64.0.0/16: already stored with different attributes",
        "192.168.0.1: no prefix holds it",
        "addresses[2]: '10.64.1.999' is not a valid IP address",
        "prefixes[1]: 10.64.2.3/24 has host bits set",  # JSON rows: by index, from 0
    ]:
        assert fragment in line, fragment
    assert snapshot(store) == before
    assert [v["name"] for v in target.json("ipam", "vrf", "list")] == ["egov"]


def test_csv_errors_name_their_lines(target, store, tmp_path):
    header = ",".join(transfer.CSV_FIELDS)
    blank = dict.fromkeys(transfer.CSV_FIELDS, "")
    out = io.StringIO()
    writer = csv.DictWriter(out, transfer.CSV_FIELDS, lineterminator="\n")
    writer.writeheader()
    for row in [
        {"kind": "prefix", "vrf": "egov", "prefix": "10.64.1.0/24", "status": "allocated"},
        {"kind": "prefix", "vrf": "egov", "prefix": "10.64.2.0/24", "family": "6"},
        {"kind": "address", "vrf": "egov", "address": "10.64.9.9", "prefix": "10.64.1.0/24"},
        {"kind": "prefix", "vrf": "egov", "prefix": "10.64.3.0/24", "status": "allocated"},
    ]:
        writer.writerow({**blank, **row})
    path = tmp_path / "bad.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    assert out.getvalue().startswith(header)
    before = snapshot(store)
    line = one_line_error(target("ipam", "import", str(path)), "2 bad rows, nothing written")
    assert "line 3: family 6 does not match 10.64.2.0/24" in line
    assert "line 4: 10.64.9.9: lies in 10.64.0.0/16, not 10.64.1.0/24" in line
    assert snapshot(store) == before
    # Without the bad rows the same file goes in whole.
    lines = out.getvalue().splitlines()
    path.write_text("\n".join([lines[0], lines[1], lines[4]]) + "\n", encoding="utf-8")
    result = target.ok("ipam", "import", str(path))
    assert "2 prefixes, 0 addresses" in result.stderr
    kinds = path.with_name("kinds.csv")
    kinds.write_text(lines[0] + "\nsubnet" + "," * (len(transfer.CSV_FIELDS) - 1) + "\n")
    one_line_error(target("ipam", "import", str(kinds)), "line 2: kind 'subnet'")


UNREADABLE = [
    ("broken.json", "{not json", "not valid JSON"),
    ("list.json", "[1, 2]", "not a govops ipam export"),
    ("broken.yaml", "prefixes: [unclosed", "not valid YAML"),
    ("nokind.csv", "prefix,status\n10.0.0.0/8,allocated\n", "CSV needs a `kind` column"),
    ("data.txt", "{}", "unknown format 'txt'"),
]


def test_unreadable_files(sqlite_cli, tmp_path):
    """Reading the file is the same on both backends: SQLite only."""
    sqlite_cli.ok("ipam", "pool", "add", "10.0.0.0/8")
    with Store(sqlite_cli.db) as store:
        before = snapshot(store)
        for name, content, fragment in UNREADABLE:
            path = tmp_path / name
            path.write_text(content, encoding="utf-8")
            one_line_error(sqlite_cli("ipam", "import", str(path)), fragment)
        one_line_error(sqlite_cli("ipam", "import", str(tmp_path / "gone.json")), "no such file")
        assert snapshot(store) == before


def test_a_yaml_file_that_is_not_an_export_is_refused(sqlite_cli, tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_text("vrf: egov\nroot: x\nipv4: {pool: 10.0.0.0/8}\n", encoding="utf-8")
    result = sqlite_cli("ipam", "import", str(plan))
    assert result.exit_code == 1
    assert "not a govops ipam export" in result.stderr and "internal" not in result.stderr
    bad = tmp_path / "bad.json"
    bad.write_text('{"prefixes": {"a": 1}}', encoding="utf-8")
    result = sqlite_cli("ipam", "import", str(bad))
    assert result.exit_code == 1 and "must be a list" in result.stderr


# -- hostile documents: one line, nothing written, on both backends --------


def good_doc() -> dict:
    """A document that `target` takes whole: a /25 with two addresses."""
    return {
        "format": "govops-ipam",
        "version": 1,
        "vrfs": [{"name": "egov", "rd": None, "description": None}],
        "prefixes": [prefix_row("10.64.1.0/25", family=4, pool=False, purpose="office")],
        "addresses": [
            {"vrf": "egov", "address": "10.64.1.2", "prefix": "10.64.1.0/25", "hostname": "a"},
            {"vrf": "egov", "address": "10.64.1.3", "hostname": "b", "status": "dhcp"},
        ],
    }


def changed(section: str, index: int, **fields) -> dict:
    doc = good_doc()
    doc[section][index].update(fields)
    return doc


def replaced(section: str, index: int, row) -> dict:
    doc = good_doc()
    doc[section][index] = row
    return doc


def top(**fields) -> dict:
    return {**good_doc(), **fields}


LONG = "楼" * 201
HOSTILE_DOCS = [
    # wrong types where text belongs (once a driver error or an AttributeError)
    (
        "dict-purpose",
        changed("prefixes", 0, purpose={"a": 1}),
        "prefixes[0]: 10.64.1.0/25: purpose must be text, not an object",
    ),
    (
        "list-description",
        changed("prefixes", 0, description=[1]),
        "description must be text, not a list",
    ),
    ("list-vrf", changed("prefixes", 0, vrf=["egov"]), "VRF name must be text, not a list"),
    (
        "dict-vrf-name",
        replaced("vrfs", 0, {"name": {"x": 1}}),
        "vrfs[0]: VRF name must be text, not an object",
    ),
    ("int-prefix", changed("prefixes", 0, prefix=167772160), "a CIDR must be text, not int"),
    (
        "list-address",
        changed("addresses", 0, address=["10.64.1.2"]),
        "an IP address must be text, not a list",
    ),
    (
        "address-row-number",
        replaced("addresses", 1, 42),
        "addresses[1]: an address row must be an object, not int",
    ),
    (
        "address-row-null",
        replaced("addresses", 1, None),
        "addresses[1]: an address row must be an object, not null",
    ),
    (
        "address-row-string",
        replaced("addresses", 1, "10.64.1.3"),
        "addresses[1]: an address row must be an object, not str",
    ),
    (
        "prefix-row-list",
        replaced("prefixes", 0, ["10.64.1.0/25"]),
        "prefixes[0]: a prefix row must be an object, not a list",
    ),
    (
        "unknown-field",
        changed("addresses", 0, mac="aa:bb"),
        "addresses[0]: 10.64.1.2: unknown field 'mac'",
    ),
    # the commands' rules, which import skipped
    (
        "network-address",
        changed("addresses", 0, address="10.64.1.0", prefix=None),
        "10.64.1.0 is the network address of 10.64.1.0/25",
    ),
    (
        "broadcast-address",
        changed("addresses", 0, address="10.64.1.127", prefix=None),
        "10.64.1.127 is the broadcast address of 10.64.1.0/25",
    ),
    (
        "address-status",
        changed("addresses", 1, status="bogus"),
        "addresses[1]: 10.64.1.3: status 'bogus': use one of active, reserved, dhcp",
    ),
    ("format-other", top(format="other"), "format must be 'govops-ipam', not 'other'"),
    ("version-2", top(version=2), "version must be 1 (the only one there is), not 2"),
    ("version-float", top(version=1.0), "version must be 1 (the only one there is), not 1.0"),
    ("version-true", top(version=True), "version must be 1 (the only one there is), not true"),
    ("unknown-top-key", top(extra=[]), "unknown key 'extra'"),
    ("family-float", changed("prefixes", 0, family=4.7), "family must be 4 or 6, not 4.7"),
    ("family-bool", changed("prefixes", 0, family=True), "family must be 4 or 6, not true"),
    ("family-disagrees", changed("prefixes", 0, family=6), "family 6 does not match 10.64.1.0/25"),
    ("family-5", changed("prefixes", 0, family="5"), "family 5 does not match 10.64.1.0/25"),
    ("family-digits", changed("prefixes", 0, family="٤"), "family must be a whole number, got '٤'"),
    (
        "until-not-a-date",
        changed("prefixes", 0, status="quarantine", quarantine_until="not-a-date"),
        "quarantine_until 'not-a-date' is not an ISO-8601 timestamp",
    ),
    (
        "until-far",
        changed("prefixes", 0, status="quarantine", quarantine_until="9999-01-01T00:00:00+00:00"),
        "quarantine_until 9999-01-01 lies outside 2000-01-01 to 2100-01-01",
    ),
    (
        "until-naive",
        changed("prefixes", 0, status="quarantine", quarantine_until="2030-01-01T00:00:00"),
        "needs its UTC offset",
    ),
    (
        "until-number",
        changed("prefixes", 0, status="quarantine", quarantine_until=20300101),
        "quarantine_until must be an ISO-8601 timestamp, not 20300101",
    ),
    (
        "quarantine-forever",
        changed("prefixes", 0, status="quarantine"),
        "a prefix in quarantine needs quarantine_until",
    ),
    (
        "until-not-quarantined",
        changed("prefixes", 0, quarantine_until="2030-01-01T00:00:00+00:00"),
        "quarantine_until belongs to a prefix in quarantine, not to one allocated",
    ),
    (
        "prefix-status",
        changed("prefixes", 0, status="lent"),
        "status 'lent': use one of container, allocated, reserved, quarantine",
    ),
    ("prefix-status-dict", changed("prefixes", 0, status={}), "status must be text, not an object"),
    ("pool-yes", changed("prefixes", 0, pool="yes"), "pool must be true or false, not 'yes'"),
    ("pool-one", changed("prefixes", 0, pool=1), "pool must be true or false, not 1"),
    (
        "purpose-long",
        changed("prefixes", 0, purpose=LONG),
        "purpose '楼楼楼楼楼楼楼楼楼楼楼楼楼楼楼楼楼楼楼楼'… is longer than 200 characters",
    ),
    (
        "purpose-newline",
        changed("prefixes", 0, purpose="a\nb"),
        "purpose 'a\\nb' holds a control character ('\\n')",
    ),
    (
        "description-nul",
        changed("prefixes", 0, description="a\x00b"),
        "holds a control character ('\\x00')",
    ),
    (
        "description-bidi",
        changed("prefixes", 0, description="a\u202eb"),
        "holds a control character ('\\u202e')",
    ),
    (
        "hostname-long",
        changed("addresses", 0, hostname="h" * 201),
        "hostname 'hhhhhhhhhhhhhhhhhhhh'… is longer than 200 characters",
    ),
    ("hostname-int", changed("addresses", 0, hostname=7), "hostname must be text, not int"),
    (
        "hostname-escape",
        changed("addresses", 0, hostname="\x1b[31mred"),
        "hostname '\\x1b[31mred' holds a control character",
    ),
    (
        "hostname-surrogate",
        changed("addresses", 0, hostname="\ud800"),
        "holds a control character ('\\ud800')",
    ),
    (
        "rd-dict",
        replaced("vrfs", 0, {"name": "egov", "rd": {"a": 1}}),
        "route distinguisher must be text, not an object",
    ),
    ("vrf-two-words", changed("prefixes", 0, vrf="e gov"), "VRF name 'e gov' must be one word"),
    (
        "org-code-list",
        changed("prefixes", 0, org_code=["441602000000"]),
        "org_code must be text, not a list",
    ),
    (
        "org-path-disagrees",
        changed("prefixes", 0, org_code=COUNTY_A, org_path="河源市/紫金县"),
        f"org_code {COUNTY_A} is 河源市/源城区, not 河源市/紫金县",
    ),
    (
        "zone-index",
        changed("prefixes", 0, prefix="fe80::%eth0/64"),
        "fe80::%eth0/64: a zone index (%eth0) has no place in an address plan",
    ),
    ("arabic-length", changed("prefixes", 0, prefix="10.64.1.0/٢٥"), "is not a CIDR: only ASCII"),
    ("parent-int", changed("prefixes", 0, parent=10), "a CIDR must be text, not int"),
]


@pytest.mark.parametrize(
    ("doc", "fragment"), [pytest.param(d, f, id=i) for i, d, f in HOSTILE_DOCS]
)
def test_hostile_documents_are_refused_in_one_line(target, store, tmp_path, doc, fragment):
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(doc), encoding="utf-8")  # \ud800 as JSON writes it
    before = snapshot(store)
    one_line_error(target("ipam", "import", str(path)), fragment)
    assert snapshot(store) == before


def test_the_good_document_goes_in(target, store, tmp_path):
    """The base of the hostile documents above is itself fine: each refusal is its change's."""
    path = tmp_path / "good.json"
    path.write_text(json.dumps(good_doc()), encoding="utf-8")
    assert "1 prefixes, 2 addresses" in target.ok("ipam", "import", str(path)).stderr
    quarantined = changed(
        "prefixes",
        0,
        prefix="10.64.2.0/25",
        status="quarantine",
        quarantine_until="2030-01-01T08:00:00+08:00",
    )
    quarantined["addresses"] = []
    path.write_text(json.dumps(quarantined), encoding="utf-8")
    target.ok("ipam", "import", str(path))
    row = next(
        p for p in target.json("ipam", "export")["prefixes"] if p["prefix"] == "10.64.2.0/25"
    )
    # Stored as the store writes its clock (UTC), so that the quarantine ends on time.
    assert row["quarantine_until"] == "2030-01-01T00:00:00.000000+00:00"


def test_yaml_values_are_checked_like_json(target, store, tmp_path):
    path = tmp_path / "hostile.yaml"
    before = snapshot(store)
    for text, fragment in [
        ("version: .nan\nprefixes: []\n", "version must be 1 (the only one there is), not nan"),
        ("prefixes:\n- {prefix: 172.16.0.0/16, pool: yes, family: 4}\n", None),
        (
            "prefixes:\n- {prefix: 10.64.1.0/25, pool: maybe}\n",
            "pool must be true or false, not 'maybe'",
        ),
        ("prefixes:\n- {prefix: 10.64.1.0/25, family: 4.7}\n", "family must be 4 or 6, not 4.7"),
        (
            "prefixes:\n- {prefix: 10.64.1.0/25, status: quarantine, quarantine_until: 2030-01-01}\n",
            "quarantine_until must be an ISO-8601 timestamp, not date",
        ),
        ("addresses:\n- 10.64.1.2\n", "addresses[0]: an address row must be an object, not str"),
        ("addresses:\n- null\n", "addresses[0]: an address row must be an object, not null"),
        (
            "prefixes:\n- {prefix: 10.64.1.0/25, purpose: !!binary aGk=}\n",
            "purpose must be text, not bytes",
        ),
        (
            "prefixes:\n- {prefix: 10.64.1.0/25, purpose: !!set {a}}\n",
            "purpose must be text, not set",
        ),
        (
            "prefixes:\n- {prefix: 10.64.1.0/25, purpose: 2024-01-01}\n",
            "purpose must be text, not date",
        ),
    ]:
        path.write_text(text, encoding="utf-8")
        if fragment is None:  # YAML 1.1 reads `yes` as true: a bool, taken
            target.ok("ipam", "import", str(path))
            before = snapshot(store)
            continue
        one_line_error(target("ipam", "import", str(path)), fragment)
        assert snapshot(store) == before


def test_csv_cells_are_checked_like_json(target, store, tmp_path):
    def table(**fields) -> str:
        out = io.StringIO()
        writer = csv.DictWriter(out, transfer.CSV_FIELDS, lineterminator="\n")
        writer.writeheader()
        row = {"kind": "prefix", "vrf": "egov", "prefix": "10.64.1.0/25", "status": "allocated"}
        writer.writerow({**dict.fromkeys(transfer.CSV_FIELDS, ""), **row, **fields})
        return out.getvalue()

    path = tmp_path / "hostile.csv"
    before = snapshot(store)
    header = ",".join(transfer.CSV_FIELDS)
    for text, fragment in [
        (table(pool="yes"), "line 2: 10.64.1.0/25: pool must be true or false, not 'yes'"),
        (table(family="4.7"), "line 2: 10.64.1.0/25: family must be a whole number, got '4.7'"),
        (table(quarantine_until="not-a-date", status="quarantine"), "is not an ISO-8601 timestamp"),
        (table(hostname="web"), "line 2: a prefix row has no hostname column; leave it empty"),
        (
            table().replace("\n10.64", "\n10.64", 1).rstrip("\n") + ",extra\n",
            "line 2: 1 more cells than the header has",
        ),
        (header + ",mac\n", "unknown column 'mac'"),
        (
            header + "\nprefix,egov,10.64.1.0/25" + "\0" + ",4\n",
            "line 2: '10.64.1.0/25\\x00' is not a CIDR",
        ),
        (header + "\nprefix," + "x" * 200_000 + "\n", "field larger than field limit"),
    ]:
        path.write_text(text, encoding="utf-8")
        one_line_error(target("ipam", "import", str(path)), fragment)
        assert snapshot(store) == before


def test_hostile_files_are_one_line(target, store, tmp_path):
    """Not a file, endless devices, a pipe, bombs and deep nesting: one line, nothing read whole."""
    import os

    before = snapshot(store)
    folder = tmp_path / "export.json"
    folder.mkdir()
    one_line_error(target("ipam", "import", str(folder)), f"{folder} is a directory, not a file")
    for device in ("/dev/zero", "/dev/urandom"):
        one_line_error(
            target("ipam", "import", device, "--format", "json"), "is not a regular file"
        )
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    one_line_error(target("ipam", "import", str(fifo)), "is not a regular file")
    cases = [
        ("bomb.yaml", _billion_laughs(), "aliases (*name) have no place in an export"),
        (
            "deep.yaml",
            "prefixes: " + "[" * 50_000 + "]" * 50_000 + "\n",
            "nested more than 16 levels deep",
        ),
        ("deep.json", '{"prefixes": ' + "[" * 50_000 + "]" * 50_000 + "}", "nested too deeply"),
        (
            "deeper.json",
            '{"prefixes": ' + "[" * 500 + "]" * 500 + "}",
            "nested more than 16 levels deep",
        ),
        (
            "deep-row.yaml",
            "prefixes:\n- {prefix: " + "{a: " * 30 + "1" + "}" * 30 + "}\n",
            "nested more than 16",
        ),
        ("nan.json", '{"prefixes": [], "version": NaN}', "NaN is not a JSON number"),
        ("bigint.json", '{"prefixes": [], "version": ' + "9" * 5000 + "}", "not valid JSON"),
        ("bigint.yaml", "prefixes: []\nversion: " + "9" * 5000 + "\n", "not valid YAML"),
        ("odd.json", None, "UTF-16"),
        ("tags.yaml", "prefixes: !!python/object:os.system [x]\n", "not valid YAML"),
        ("two.yaml", "prefixes: []\n---\nprefixes: []\n", "not valid YAML"),
    ]
    for name, text, fragment in cases:
        path = tmp_path / name
        if text is None:
            path.write_bytes(b"\xff\xfe{\x00\x00")  # a UTF-16 BOM, then an odd byte count
        else:
            path.write_text(text, encoding="utf-8")
        one_line_error(target("ipam", "import", str(path)), fragment)
    assert snapshot(store) == before


def _billion_laughs() -> str:
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [{', '.join([f'*{prev}'] * 9)}]")
    lines.append("prefixes: *i")
    return "\n".join(lines) + "\n"


def test_many_bad_rows_are_counted_and_the_list_is_bounded(target, store, tmp_path):
    doc = good_doc()
    doc["addresses"] = [{"address": 7}] * (transfer.MAX_KEPT + 500)
    path = tmp_path / "many.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    before = snapshot(store)
    line = one_line_error(target("ipam", "import", str(path)), "1500 bad rows, nothing written")
    assert line.endswith("… and 1480 more")
    assert line.count("an IP address must be text, not int") == 20
    assert snapshot(store) == before


def test_export_to_a_place_that_cannot_be_written_is_one_line(target, store, tmp_path):
    one_line_error(target("ipam", "export", "-o", str(tmp_path)), f"{tmp_path}: cannot be written")
    missing = tmp_path / "no" / "such" / "dir.json"
    one_line_error(target("ipam", "export", "-o", str(missing)), "cannot be written")
