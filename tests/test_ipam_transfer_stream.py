"""ipam export streams its rows and ipam import writes in bulk: the same text and the
same database as the whole-document forms, whatever the page size."""

from __future__ import annotations

import csv
import io
import json

import pytest
import yaml
from conftest import one_line_error
from test_ipam_transfer import build

from ipam import transfer


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
