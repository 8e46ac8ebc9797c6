"""ipam export / import: round trips byte for byte, and a bad file writes nothing."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import yaml
from conftest import Cli, one_line_error, pg_schema
from ipam_helpers import CITY, TOWN_A1, make_orgs, snapshot, verify_space

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
