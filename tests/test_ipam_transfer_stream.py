"""ipam export streams its rows and ipam import writes in bulk: the same text and the
same database as the whole-document forms, whatever the page size."""

from __future__ import annotations

import csv
import io
import ipaddress
import json
import random
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import Cli, one_line_error, pg_schema
from ipam_helpers import CITY, COUNTY_A, COUNTY_B, TOWN_A1, TOWN_B1, make_orgs, verify_space
from test_ipam_transfer import build, copy_orgs

from infra.store import Store
from ipam import importer, transfer


class Recorder:
    """A Progress that remembers what it was told."""

    def __init__(self) -> None:
        self.phases: list[tuple[str, int | None]] = []
        self.done: dict[str, int] = {}

    def phase(self, label: str, total: int | None = None) -> None:
        self.phases.append((label, total))
        self.done[label] = 0

    def advance(self, steps: int = 1) -> None:
        self.done[self.phases[-1][0]] += steps


def written(store, fmt: str, vrf: str | None = None, progress=None) -> str:
    out = io.StringIO()
    if progress is None:
        transfer.write(store, out, fmt, vrf)
    else:
        transfer.write(store, out, fmt, vrf, progress)
    return out.getvalue()


@pytest.mark.parametrize("page", [1, 2, 7, 5000])
def test_streamed_text_is_the_whole_documents_dump(cli, store, monkeypatch, page):
    """Keyset pages of any size give exactly the rows, in the order, of one read."""
    build(cli, store)
    monkeypatch.setattr(transfer, "PAGE", page)
    doc = transfer.export(store)
    assert len(doc["prefixes"]) == 15 and len(doc["addresses"]) == 5
    assert written(store, "json") == json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    assert written(store, "csv") == transfer.to_csv(doc)
    text = written(store, "yaml")
    # The text PyYAML's pure-Python dumper writes, and it reads back as the document.
    assert text == yaml.dump(doc, Dumper=yaml.SafeDumper, allow_unicode=True, sort_keys=False)
    assert yaml.safe_load(text) == doc
    only = transfer.export(store, "video")
    assert [p["prefix"] for p in only["prefixes"]] == ["10.64.0.0/12", "10.64.1.0/24"]
    assert written(store, "json", "video") == json.dumps(only, ensure_ascii=False, indent=2) + "\n"


def test_an_empty_database_streams_empty_lists(store):
    doc = transfer.export(store)
    assert doc["prefixes"] == [] and doc["addresses"] == []
    assert written(store, "json") == json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    assert yaml.safe_load(written(store, "yaml")) == doc
    assert list(csv.DictReader(io.StringIO(written(store, "csv"))))[0]["kind"] == "vrf"


def test_json_rows_with_every_kind_of_value_match_json_dumps(store):
    """The row writer against json.dumps on text it must escape."""
    rows = [
        {"a": 'quote " back \\ slash', "b": None, "c": True, "d": False, "e": 4, "f": "楼\u2028"},
        {},
        {"x": "\t tab", "y": 10**30, "z": 1.5},
    ]
    streamed = io.StringIO()
    transfer._json_list(streamed, "rows", iter(rows), "")
    expected = json.dumps({"rows": rows}, ensure_ascii=False, indent=2)
    assert "{\n" + streamed.getvalue() + "}" == expected


def test_export_reports_progress(cli, store):
    build(cli, store)
    seen = Recorder()
    written(store, "json", progress=seen)
    assert seen.phases == [("prefixes", 15), ("addresses", 5)]
    assert seen.done == {"prefixes": 15, "addresses": 5}


def test_a_failed_export_leaves_no_file(cli, store, tmp_path):
    build(cli, store)
    path = tmp_path / "out.json"
    one_line_error(cli("ipam", "export", "--vrf", "nosuch", "-o", str(path)), "no VRF named")
    assert not path.exists()
    assert list(tmp_path.glob(".out.json.*")) == []  # no temporary file left either
    cli.ok("ipam", "export", "-o", str(path))
    assert json.loads(path.read_text(encoding="utf-8")) == transfer.export(store)


def test_yaml_without_libyaml_is_the_same_text(cli, store, monkeypatch):
    build(cli, store)
    fast = written(store, "yaml")
    monkeypatch.delattr(yaml, "CSafeDumper", raising=False)
    assert written(store, "yaml") == fast


# -- import: the bulk path writes what `place`, row by row, writes ----------------


@pytest.fixture
def two_urls(db_url: str, tmp_path: Path):
    """Two empty databases on the backend of `db_url`."""
    if not db_url.startswith("postgresql://"):
        yield str(tmp_path / "bulk.db"), str(tmp_path / "rows.db")
        return
    with pg_schema() as first, pg_schema() as second:
        yield first, second


def one_by_one(self, items, progress):
    """The import as it was: every row through `space.place`."""
    self._one_by_one(items, {}, False, progress)


def stored(url: str) -> dict[str, list]:
    """Everything an import writes, ids and order included (not the timestamps)."""
    queries = {
        "prefix": "SELECT id, vrf_id, family, net, plen, cidr, parent_id, status, is_pool,"
        " org_id, purpose, description, quarantine_until FROM prefix ORDER BY id",
        "free": "SELECT container_id, plen, net FROM free_block ORDER BY container_id, net, plen",
        "audit": "SELECT action, object_type, object_ref, before, after FROM audit ORDER BY id",
        "address": "SELECT vrf_id, family, addr, prefix_id, hostname, status FROM ip_address"
        " ORDER BY id",
    }
    with Store(url) as store:
        return {
            k: [
                tuple(bytes(v) if isinstance(v, memoryview) else v for v in dict(r).values())
                for r in store.read(lambda tx, q=q: tx.all(q))
            ]
            for k, q in queries.items()
        }


def import_both_ways(
    cli, two_urls, tmp_path, monkeypatch, doc: dict, *before: tuple[str, ...]
) -> tuple[Any, Any]:
    """Import `doc` into two databases holding the org tree of `cli` (and what the
    commands `before` add): in bulk, and row by row; the results (stored state, or
    the error line) of each."""
    path = tmp_path / "doc.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    results = []
    for url, slow in zip(two_urls, (False, True), strict=True):
        target = Cli(url)
        copy_orgs(cli, target, tmp_path)
        for command in before:
            target.ok(*command)
        with monkeypatch.context() as m:
            if slow:
                m.setattr(importer._Group, "_bulk", one_by_one)
            result = target("ipam", "import", str(path))
        if result.exit_code:
            results.append(result.stderr)
        else:
            results.append(stored(url))
    return results[0], results[1]


def test_bulk_import_writes_what_place_writes(cli, store, two_urls, tmp_path, monkeypatch):
    build(cli, store)
    doc = transfer.export(store)
    bulk, rows = import_both_ways(cli, two_urls, tmp_path, monkeypatch, doc)
    assert isinstance(bulk, dict), bulk
    assert bulk == rows
    assert len(bulk["prefix"]) == 15 and len(bulk["address"]) == 5
    with Store(two_urls[0]) as copy:
        verify_space(copy)
        assert transfer.export(copy) == doc


@pytest.mark.parametrize("seed", range(6))
def test_bulk_free_space_matches_place_on_random_trees(sqlite_cli, tmp_path, monkeypatch, seed):
    """Random nested blocks (unsorted, duplicated): the same tree, free index and audit."""
    rng = random.Random(seed)
    with Store(sqlite_cli.db) as origin:
        make_orgs(origin)
    blocks = {("10.0.0.0/16", "container")}
    for _ in range(rng.randint(20, 120)):
        plen = rng.randint(17, 30)
        first = rng.randrange(0, 1 << 16) >> (32 - plen) << (32 - plen)
        net = ipaddress.IPv4Network((0x0A000000 + first, plen))
        blocks.add((str(net), rng.choice(["allocated", "container"])))
    rows = [{"prefix": b, "status": s} for b, s in blocks]
    rng.shuffle(rows)
    rows.append(dict(rows[0]))  # the same row twice: unchanged
    doc = {"prefixes": rows}
    urls = (str(tmp_path / "bulk.db"), str(tmp_path / "rows.db"))
    bulk, slow = import_both_ways(sqlite_cli, urls, tmp_path, monkeypatch, doc)
    assert bulk == slow
    if isinstance(bulk, dict):
        with Store(urls[0]) as copy:
            verify_space(copy)


def test_bulk_refusals_match_place(cli, store, two_urls, tmp_path, monkeypatch):
    """Every rule of `place`, broken in a file for an empty space: the same line both ways."""
    make_orgs(store)
    rows = [
        {"prefix": "10.0.0.0/8", "status": "container", "pool": True, "org_code": CITY},
        {"prefix": "10.1.0.0/16", "org_code": COUNTY_A},
        {"prefix": "10.1.0.0/16", "org_code": COUNTY_A, "purpose": "other"},  # differs
        {"prefix": "10.1.0.0/16", "org_code": COUNTY_A},  # the same again
        {"prefix": "10.1.1.0/24", "org_code": TOWN_A1, "parent": "10.0.0.0/8"},  # wrong parent
        {"prefix": "10.1.2.0/24", "org_code": TOWN_B1},  # 紫金县 has no block
        {"prefix": "10.2.0.0/16", "status": "reserved"},
        {"prefix": "10.2.1.0/24"},  # inside a reserved block
        {"prefix": "10.2.2.0/24", "status": "reserved"},  # reserved inside reserved: fine
        {
            "prefix": "10.3.0.0/16",
            "status": "quarantine",
            "quarantine_until": "2099-01-01T00:00:00+00:00",
        },
        {"prefix": "10.3.1.0/24"},  # inside a quarantine
        {"prefix": "10.4.0.0/16", "pool": True, "status": "container"},  # a pool inside a pool
        {"prefix": "10.5.0.0/16", "org_code": "441699999999"},  # no such unit
        {"prefix": "10.6.0.0/16", "org_code": COUNTY_A, "org_path": "河源市/紫金县"},
    ]
    doc = {"vrfs": [{"name": "egov"}], "prefixes": rows, "addresses": [{"address": "10.1.1.9"}]}
    bulk, slow = import_both_ways(cli, two_urls, tmp_path, monkeypatch, doc)
    assert isinstance(bulk, str) and bulk == slow
    assert "8 bad rows, nothing written" in bulk
    for fragment in [
        "prefixes[2]: 10.1.0.0/16: already stored with different attributes",
        "prefixes[4]: 10.1.1.0/24: parent would be 10.1.0.0/16, not 10.0.0.0/8",
        "prefixes[5]: 10.1.2.0/24: 10.1.2.0/24 for 河源市/紫金县/紫城镇 (441621100000) breaks",
        "prefixes[7]: 10.2.1.0/24: 10.2.1.0/24 lies in 10.2.0.0/16, which is reserved",
        "prefixes[10]: 10.3.1.0/24: 10.3.1.0/24 lies in 10.3.0.0/16, which is in quarantine",
        "prefixes[11]: 10.4.0.0/16: a pool stands at the top; 10.4.0.0/16 lies inside 10.0.0.0/8",
        "prefixes[12]: 10.5.0.0/16: no org unit with code 441699999999",
    ]:
        assert fragment in bulk, fragment
    # Without the bad rows, the same database both ways.
    doc["prefixes"] = [r for i, r in enumerate(rows) if i in (0, 1, 3, 6, 8, 9)]
    doc["prefixes"].append({"prefix": "10.1.1.0/24", "org_code": TOWN_A1, "parent": "10.1.0.0/16"})
    bulk, slow = import_both_ways(cli, two_urls, tmp_path, monkeypatch, doc)
    assert isinstance(bulk, dict), bulk
    assert bulk == slow
    assert len(bulk["address"]) == 1


def test_a_lapsed_quarantine_goes_through_place(cli, store, two_urls, tmp_path, monkeypatch):
    """`place` frees a quarantine that has run out as it passes: a file holding one
    is written row by row, and ends as it always has."""
    make_orgs(store)
    rows = [
        {"prefix": "10.0.0.0/16", "status": "container"},
        {
            "prefix": "10.0.1.0/24",
            "status": "quarantine",
            "quarantine_until": "2001-01-01T00:00:00+00:00",
        },
        {"prefix": "10.0.2.0/24"},
    ]
    bulk, slow = import_both_ways(cli, two_urls, tmp_path, monkeypatch, {"prefixes": rows})
    assert isinstance(bulk, dict) and bulk == slow
    assert [r[5] for r in bulk["prefix"]] == ["10.0.0.0/16", "10.0.2.0/24"]


def test_import_into_a_database_that_holds_prefixes(cli, store, tmp_path):
    """Rows already stored are compared, new ones placed among the stored ones (a new
    container over stored blocks takes them in)."""
    make_orgs(store)
    cli.ok("ipam", "pool", "add", "10.0.0.0/8", "--org", CITY)
    cli.ok("ipam", "add", "10.1.1.0/24")
    cli.ok("ipam", "add", "10.1.2.0/24")
    doc = {
        "prefixes": [
            {"prefix": "10.0.0.0/8", "status": "container", "pool": True, "org_code": CITY},
            {"prefix": "10.1.0.0/16", "status": "container", "org_code": COUNTY_A},
            {"prefix": "10.2.0.0/16", "org_code": COUNTY_B},
        ]
    }
    path = tmp_path / "more.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    result = cli.ok("ipam", "import", str(path))
    assert "2 prefixes, 0 addresses, 0 VRFs added; 1 unchanged" in result.stderr
    by = {p["prefix"]: p for p in transfer.export(store)["prefixes"]}
    assert by["10.1.1.0/24"]["parent"] == "10.1.0.0/16"
    assert by["10.1.0.0/16"]["parent"] == "10.0.0.0/8"
    verify_space(store)


def test_import_reports_progress(cli, store, two_urls, tmp_path):
    build(cli, store)
    doc = transfer.export(store)
    copy_orgs(cli, Cli(two_urls[0]), tmp_path)
    seen = Recorder()
    with Store(two_urls[0]) as copy:
        transfer.import_doc(copy, doc, "doc", {}, seen)
    assert [label for label, _ in seen.phases] == ["checking rows", "prefixes", "addresses"]
    assert seen.phases[0] == ("checking rows", 23)
    assert seen.done == {"checking rows": 23, "prefixes": 15, "addresses": 5}


# -- reading a JSON export a row at a time -----------------------------------------


def streamed(path: Path) -> list:
    reader = transfer._JsonRows(path)
    try:
        return list(reader.rows())
    finally:
        reader.close()


def whole(path: Path) -> list:
    doc, lines = transfer.load(path)
    return list(transfer._doc_rows(doc, lines))


@pytest.mark.parametrize("chunk", [1, 7, 1 << 20])
def test_json_rows_are_the_rows_load_gives(sqlite_cli, tmp_path, monkeypatch, chunk):
    """Any chunk size, layout, key order or BOM: the rows `load` gives, in its order."""
    with Store(sqlite_cli.db) as store:
        build(sqlite_cli, store)
        doc = transfer.export(store)
    monkeypatch.setattr(transfer._JsonRows, "CHUNK", chunk)
    reordered = {"addresses": doc["addresses"], "version": 1, "prefixes": doc["prefixes"]}
    reordered["vrfs"] = doc["vrfs"]
    odd = {"prefixes": [{"prefix": "10.0.0.0/8", "family": 4, "pool": True}], "vrfs": []}
    path = tmp_path / "doc.json"
    for text in [
        json.dumps(doc, ensure_ascii=False, indent=2) + "\n",
        json.dumps(doc, ensure_ascii=False, separators=(",", ":")),
        "\ufeff" + json.dumps(reordered, indent=1),
        json.dumps(odd) + " \r\n\t",
        '{"prefixes": [], "addresses": [ ]}',
    ]:
        path.write_text(text, encoding="utf-8")
        rows = streamed(path)
        # Sections in the file's order; within each, the rows in theirs (all `import` needs).
        got = sorted(rows, key=lambda row: row[:2])
        assert [(s, i, r) for s, i, r, _ in got] == [(s, i, r) for s, i, r, _ in whole(path)]
    assert len(streamed(path)) == 0


@pytest.mark.parametrize(
    "text",
    [
        '{"prefixes": [{"prefix": "10.0.0.0/8"}]} x',
        '{"prefixes": [{"prefix": "10.0.0.0/8"}],}',
        '{"prefixes": [], "prefixes": []}',
        '{"prefixes": [], "format": "other"}',
        '{"prefixes": [], "version": 1.0}',
        '{"version": 1}',
        '{"prefixes": [1, NaN]}',
        '{"prefixes": [[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]}',
        "[]",
        '{"prefixes": [{"prefix": "\\u00e9"}, ',
    ],
)
def test_anything_else_is_left_to_the_whole_file_reader(tmp_path, text):
    path = tmp_path / "odd.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(transfer._Fallback):
        streamed(path)


def imported_row_by_row(cli, store, two_urls, tmp_path, monkeypatch, fmt: str):
    """Export `fmt`, import it into a second database with only the org tree, and
    check the whole-file reader (`transfer.load`) was never called and the target
    exports the same text. Returns the target, the file and load's calls."""
    build(cli, store)
    path = tmp_path / f"ipam.{fmt}"
    cli.ok("ipam", "export", "-f", fmt, "-o", str(path))
    target = Cli(two_urls[0])
    copy_orgs(cli, target, tmp_path)
    calls: list = []
    real = transfer.load

    def whole_file(*args):
        calls.append(args)
        return real(*args)

    monkeypatch.setattr(transfer, "load", whole_file)
    result = target.ok("ipam", "import", str(path))
    assert "15 prefixes, 5 addresses, 2 VRFs added; 0 unchanged" in result.stderr
    assert calls == []
    assert target.ok("ipam", "export", "-f", fmt).stdout == path.read_text(encoding="utf-8")
    return target, path, calls


def test_a_json_export_is_never_read_whole(cli, store, two_urls, tmp_path, monkeypatch):
    target, path, calls = imported_row_by_row(cli, store, two_urls, tmp_path, monkeypatch, "json")
    # A file the row reader cannot take is read whole, and refused as it always was.
    path.write_text(path.read_text(encoding="utf-8") + "x", encoding="utf-8")
    one_line_error(
        target("ipam", "import", str(path)), "not valid JSON (Extra data: line 276 column 1"
    )
    assert len(calls) == 1


def yaml_streamed(path: Path) -> list:
    reader = transfer._YamlRows(path)
    try:
        return list(reader.rows())
    finally:
        reader.close()


def test_yaml_rows_are_the_rows_load_gives(sqlite_cli, tmp_path):
    """libyaml's events, each scalar resolved by the safe loader: what `load` reads."""
    with Store(sqlite_cli.db) as store:
        build(sqlite_cli, store)
        doc = transfer.export(store)
        out = io.StringIO()
        transfer.write(store, out, "yaml")
    path = tmp_path / "doc.yaml"
    for text in [
        out.getvalue(),
        "\ufeff" + out.getvalue(),
        yaml.safe_dump(doc, default_flow_style=True),
        "prefixes:\n- {prefix: 172.16.0.0/16, pool: yes, family: 4, purpose: '007'}\n"
        "- {prefix: 10.64.1.0/25, quarantine_until: 2030-01-01 08:00:00+08:00}\n"
        "- {prefix: 10.64.1.0/25, purpose: 2024-01-01, description: 1.5, family: 0x4}\n"
        "- null\n- 10.64.1.2\n- {}\nversion: 1\naddresses: []\n",
        "vrfs: []\n",
    ]:
        path.write_text(text, encoding="utf-8")
        got = sorted(yaml_streamed(path), key=lambda row: row[:2])
        assert [(s, i, r) for s, i, r, _ in got] == [(s, i, r) for s, i, r, _ in whole(path)]


@pytest.mark.parametrize(
    "text",
    [
        "prefixes: [unclosed",
        "prefixes: []\n---\nprefixes: []\n",
        "a: &a [1]\nprefixes: *a\n",
        "prefixes:\n- &r {prefix: 10.0.0.0/8}\n- *r\n",
        "prefixes:\n- {prefix: 10.64.1.0/25, purpose: !!binary aGk=}\n",
        "prefixes:\n- {prefix: 10.64.1.0/25, purpose: [a]}\n",
        "prefixes:\n- [10.0.0.0/8]\n",
        "prefixes:\n- {<<: {prefix: 10.0.0.0/8}}\n",
        "prefixes: {a: 1}\n",
        "prefixes: !!python/object:os.system [x]\n",
        "prefixes: !!seq [{prefix: 10.0.0.0/8}]\n",
        "prefixes:\n- !!map {prefix: 10.0.0.0/8}\n",
        "prefixes: []\nversion: 2\n",
        "prefixes: []\nformat: other\n",
        "prefixes: []\nextra: 1\n",
        "prefixes: []\nversion: " + "9" * 5000 + "\n",
        "version: 1\n",
        "- 1\n",
    ],
)
def test_yaml_anything_else_is_left_to_the_whole_file_reader(tmp_path, text):
    path = tmp_path / "odd.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(transfer._Fallback):
        yaml_streamed(path)


def test_a_yaml_export_is_read_a_row_at_a_time(cli, store, two_urls, tmp_path, monkeypatch):
    imported_row_by_row(cli, store, two_urls, tmp_path, monkeypatch, "yaml")


def csv_streamed(path: Path) -> list:
    reader = transfer._CsvRows(path)
    try:
        return list(reader.rows())
    finally:
        reader.close()


def test_csv_rows_are_the_rows_load_gives(sqlite_cli, tmp_path):
    with Store(sqlite_cli.db) as store:
        build(sqlite_cli, store)
        out = io.StringIO()
        transfer.write(store, out, "csv")
    path = tmp_path / "doc.csv"
    for text in [out.getvalue(), "\ufeff" + out.getvalue().replace("\n", "\r\n")]:
        path.write_text(text, encoding="utf-8", newline="")
        rows = csv_streamed(path)
        assert len(rows) == 23
        assert [(s, i, r, line) for s, i, r, line in rows] == whole(path)
    # Not UTF-8 (GB18030, which `load` also reads): left to the whole-file reader.
    path.write_bytes(out.getvalue().encode("gb18030"))
    with pytest.raises(transfer._Fallback):
        csv_streamed(path)
    assert len(whole(path)) == 23


def test_a_csv_export_is_read_a_line_at_a_time(cli, store, two_urls, tmp_path, monkeypatch):
    target, path, calls = imported_row_by_row(cli, store, two_urls, tmp_path, monkeypatch, "csv")
    # A GB18030 file is read whole, as before, and goes in the same.
    path.write_bytes(path.read_text(encoding="utf-8").encode("gb18030"))
    result = target.ok("ipam", "import", str(path))
    assert "0 prefixes, 0 addresses, 0 VRFs added; 20 unchanged" in result.stderr
    assert len(calls) == 1


@pytest.mark.parametrize("seed", range(3))
def test_the_holder_of_an_address_is_the_deepest_prefix_around_it(sqlite_cli, tmp_path, seed):
    """The in-memory lookup of import against `space.chain` on random nested trees."""
    from ipam import space
    from ipam.addr import Block

    rng = random.Random(seed)
    rows = [{"prefix": "10.0.0.0/16", "status": "container"}]
    for _ in range(80):
        plen = rng.randint(17, 30)
        first = rng.randrange(0, 1 << 16) >> (32 - plen) << (32 - plen)
        rows.append({"prefix": str(ipaddress.IPv4Network((0x0A000000 + first, plen)))})
    rows = list({r["prefix"]: r for r in rows}.values())
    with Store(sqlite_cli.db) as store:
        transfer.import_doc(store, {"prefixes": rows, "vrfs": [], "addresses": []}, "t", {})

        def compare(tx):
            vid = space.vrf_id(tx, "egov")
            holders = importer._Holders(tx, vid, 4)
            for value in [0x0A000000 + rng.randrange(0, 1 << 17) for _ in range(500)]:
                found = space.chain(tx, vid, Block(4, value, 32))
                want = found[-1].id if found else None
                got = holders.holder(value)
                assert (got.id if got else None) == want, hex(value)

        store.read(compare)


def test_a_free_family_goes_in_bulk_beside_an_occupied_one(
    cli, store, two_urls, tmp_path, monkeypatch
):
    """IPv4 already holds prefixes (placed row by row), IPv6 none (in bulk): the same
    database as row by row throughout, addresses in both."""
    build(cli, store)
    doc = transfer.export(store)
    before = [
        ("ipam", "pool", "add", "10.64.0.0/12", "--org", CITY, "-D", "政务外网IPv4"),
        ("ipam", "add", "10.64.0.0/16", "--org", COUNTY_A),
    ]
    bulk, rows = import_both_ways(cli, two_urls, tmp_path, monkeypatch, doc, *before)
    assert isinstance(bulk, dict), bulk
    assert bulk == rows
    with Store(two_urls[0]) as copy:
        verify_space(copy)
        assert transfer.export(copy) == doc
