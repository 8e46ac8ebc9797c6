"""The set-based views answer in a number of statements that does not grow with the
tree: `ipam check`, `ipam usage` (and per tier), `ipam coverage` (and the villages'
figure), `ipam tree`, `org tree` and `org show` read whole sets, never one query per prefix or
unit. Counted on SQLite through the connection's own statement trace, on PostgreSQL
through every statement the store sends; a tree ten times the size must cost the
same count. Also the paths the bulk reads take on a damaged space."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import pytest
from conftest import pg_schema
from ipam_helpers import CITY, execute, make_orgs, rows

from infra.org import importer
from infra.org import units as org
from infra.store import Store, Tx
from ipam import plan, space, views

PROVINCE = "440000000000"
PROVINCE_CITY = "440100000000"


def _build(store: Store, tmp_path: Path, counties: int) -> None:
    """A province → one city → `counties` counties → 2 towns each → 3 villages each,
    planned dual-stack down to every village (blocks, purpose subnets, pairs)."""
    lines = ["code,name,level,parent_code", f"{PROVINCE},测试省,province,"]
    lines.append(f"{PROVINCE_CITY},测一市,city,{PROVINCE}")
    for c in range(1, counties + 1):
        county = f"4401{c:02d}000000"
        lines.append(f"{county},测{c}县,county,{PROVINCE_CITY}")
        for t in range(1, 3):
            town = f"4401{c:02d}{t:03d}000"
            lines.append(f"{town},测{c}县{t}镇,town,{county}")
            for v in range(1, 4):
                lines.append(f"4401{c:02d}{t:03d}{v:03d},测{c}县{t}镇{v}村,village,{town}")
    tree = tmp_path / f"tree{counties}.csv"
    tree.write_text("\n".join(lines) + "\n", encoding="utf-8")
    importer.import_file(store, tree)
    spec = tmp_path / f"plan{counties}.yaml"
    spec.write_text(
        f"""vrf: egov
root: "{PROVINCE}"
headroom: 0
ipv4:
  pool: 10.0.0.0/8
  needs:
    city: {{core: 500}}
    county: {{office: 250, mgmt: 60}}
    town: {{office: 120}}
    village: {{office: 28, video: 12}}
ipv6:
  pool: fd00::/16
  site: 56
  subnet: 64
""",
        encoding="utf-8",
    )
    plan.run(store, plan.load_spec(spec), apply=True)


@contextmanager
def _statements(store: Store, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every SQL statement run while the block runs: SQLite's own trace of the
    connection (BEGIN and COMMIT included), or each statement sent to PostgreSQL."""
    seen: list[str] = []
    if store.dialect == "sqlite":
        conn = store._conn
        conn.set_trace_callback(seen.append)
        try:
            yield seen
        finally:
            conn.set_trace_callback(None)
        return
    original = Tx.execute

    def execute(self: Tx, sql: str, params: Any = ()) -> Any:
        seen.append(sql)
        return original(self, sql, params)

    with monkeypatch.context() as m:
        m.setattr(Tx, "execute", execute)
        yield seen


VIEWS: dict[str, Callable[[Store], Any]] = {
    "check": lambda s: views.check(s),
    "usage": lambda s: views.usage(s),
    "usage of the city's villages": lambda s: views.usage(s, "village", PROVINCE_CITY),
    "usage_by_tier": lambda s: views.usage_by_tier(s),
    "coverage": lambda s: views.coverage(s),
    "coverage of the city, per town": lambda s: views.coverage(s, PROVINCE_CITY, 2),
    "village_coverage": lambda s: views.village_coverage(s),
    "ipam tree": lambda s: views.tree(s),
    "ipam tree of the city's blocks": lambda s: views.tree(s, org_ref=PROVINCE_CITY),
    "org tree": lambda s: org.tree(s),
    "org tree of the city, one level": lambda s: org.tree(s, PROVINCE_CITY, 1),
    "org show of the province": lambda s: org.show(s, PROVINCE),
    "org show of the city": lambda s: org.show(s, PROVINCE_CITY),
}


def _size(answer: Any) -> int:
    """How much an answer covers: units counted, villages counted, rows or tree nodes."""
    n = 0
    for item in answer if isinstance(answer, list) else [answer]:
        if "descendants" in item:
            n += sum(item["descendants"].values())
        elif "units" in item:
            n += item["units"]
        elif "villages" in item:
            n += item["villages"]
        else:
            n += 1
        if isinstance(item.get("children"), list):
            n += _size(item["children"])
    return n


def test_views_cost_the_same_statements_at_ten_times_the_size(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    counts: dict[str, list[int]] = {name: [] for name in VIEWS}
    sizes: dict[str, list[int]] = {name: [] for name in VIEWS}
    prefixes = []
    with ExitStack() as stack:
        for counties, url in ((1, db_url), (10, _another(db_url, tmp_path, stack))):
            with Store(url) as store:
                _build(store, tmp_path, counties)
                prefixes.append(rows(store, "SELECT count(*) AS n FROM prefix")[0]["n"])
                assert views.check(store) == []
                for name, view in VIEWS.items():
                    with _statements(store, monkeypatch) as seen:
                        answer = view(store)
                    counts[name].append(len(seen))
                    sizes[name].append(_size(answer))
    # Ten times the counties: about ten times the prefixes and the answers …
    assert prefixes[1] > 8 * prefixes[0], prefixes
    for name in VIEWS:
        if name != "check":
            assert sizes[name][1] > 5 * sizes[name][0], (name, sizes[name])
    # … and not one statement more.
    for name in VIEWS:
        small, large = counts[name]
        assert small == large, (name, counts[name])
        assert small <= 15, (name, small)


def _another(db_url: str, tmp_path: Path, stack: ExitStack) -> str:
    """A second, empty database on the same backend as `db_url`."""
    if not db_url.startswith("postgresql"):
        return str(tmp_path / "large.db")
    return stack.enter_context(pg_schema())


def test_check_warns_of_a_container_its_children_fill(cli, store):
    cli.ok("ipam", "pool", "add", "10.0.0.0/24")
    cli.ok("ipam", "add", "10.0.0.0/25", "--status", "container")
    assert views.check(store) == []
    cli.ok("ipam", "add", "10.0.0.0/26")
    cli.ok("ipam", "add", "10.0.0.64/26")
    found = views.check(store)
    assert [(p["severity"], p["kind"], p["prefix"]) for p in found] == [
        ("warning", "exhausted", "10.0.0.0/25")
    ]


def test_check_finds_a_leaf_whose_index_holds_more_than_itself(cli, store):
    """A wholly free leaf is read apart from the other free blocks: a stray entry
    beside its whole block must still be seen."""
    cli.ok("ipam", "pool", "add", "10.0.0.0/24")
    cli.ok("ipam", "add", "10.0.0.0/26")
    leaf = rows(store, "SELECT id FROM prefix WHERE cidr = '10.0.0.0/26'")[0]["id"]
    execute(
        store,
        "INSERT INTO free_block (container_id, plen, net) VALUES (?, 27, ?)",
        (leaf, bytes(12) + bytes([10, 0, 0, 32])),
    )
    found = views.check(store)
    assert [(p["kind"], p["prefix"], p["detail"]) for p in found] == [
        ("index", "10.0.0.0/26", "children 0 + free 96 != size 64")
    ]


def test_usage_counts_a_block_whose_parent_is_its_own_units_yet_does_not_hold_it(store):
    """Free space is read for a unit's outermost blocks only, skipping blocks whose
    parent is a block of the same unit; a damaged tree can make such a block
    outermost, and its free space must still count."""
    make_orgs(store)
    space.add(store, "10.64.0.0/16", CITY, status="container", pool=True)
    space.add(store, "10.64.0.0/24", CITY, status="container")
    space.add(store, "10.64.1.0/24", CITY, status="container")
    space.add(store, "10.64.1.0/26", None)
    city = [r for r in views.usage(store) if r["code"] == CITY]
    # The pool holds both /24s: the city's outermost block is the pool alone.
    assert (city[0]["v4_blocks"], city[0]["v4_assigned"], city[0]["v4_used"]) == (1, 65536, 512)
    # Hang the second /24 under the first, which does not hold it, and take the pool
    # from the city: both /24s are now outermost.
    ids = {r["cidr"]: r["id"] for r in rows(store, "SELECT id, cidr FROM prefix")}
    execute(store, "UPDATE prefix SET org_id = NULL WHERE cidr = '10.64.0.0/16'")
    execute(
        store,
        "UPDATE prefix SET parent_id = ? WHERE cidr = '10.64.1.0/24'",
        (ids["10.64.0.0/24"],),
    )
    city = [r for r in views.usage(store) if r["code"] == CITY]
    assert (city[0]["v4_blocks"], city[0]["v4_assigned"], city[0]["v4_used"]) == (2, 512, 64)
    assert {p["kind"] for p in views.check(store)} >= {"outside-parent"}


class _Recorder:
    """A Progress that remembers what it was told."""

    def __init__(self) -> None:
        self.phases: list[tuple[str, int | None]] = []
        self.done: list[int] = []

    def phase(self, label: str, total: int | None = None) -> None:
        self.phases.append((label, total))
        self.done.append(0)

    def advance(self, steps: int = 1) -> None:
        self.done[-1] += steps


def test_check_reports_its_progress_per_vrf(cli, store):
    cli.ok("ipam", "pool", "add", "10.0.0.0/16")
    cli.ok("ipam", "alloc", "--from", "10.0.0.0/16", "--size", "/24", "--count", "3")
    cli.ok("ipam", "vrf", "add", "lab")
    cli.ok("ipam", "pool", "add", "10.0.0.0/24", "--vrf", "lab")
    bar = _Recorder()
    assert views.check(store, progress=bar) == []
    # Each VRF: read, then each prefix passed over twice (tree and index), all counted.
    assert bar.phases == [
        ("reading egov", None),
        ("checking egov", 8),
        ("reading lab", None),
        ("checking lab", 2),
    ]
    assert bar.done == [0, 8, 0, 2]


def test_usage_streams_the_text_a_whole_listing_gives(cli, store):
    """json and csv are written a row at a time: the same text as before, a formula
    name still neutralised, nothing but `[]` (json) or nothing (csv) when empty."""
    import csv
    import io
    import json

    assert cli.ok("ipam", "usage", "--format", "json").stdout == "[]\n"
    assert cli.ok("ipam", "usage", "--format", "csv").stdout == ""
    make_orgs(store)
    org.add(store, "=1+2", "town", "源城区")
    space.add(store, "10.64.0.0/12", CITY, status="container", pool=True)
    space.alloc(store, space.AllocRequest(assignee="源城区", size="/16"))
    want = views.usage(store)
    got = cli.ok("ipam", "usage", "--format", "json").stdout
    assert got == json.dumps(want, ensure_ascii=False, indent=2) + "\n"
    table = list(csv.reader(io.StringIO(cli.ok("ipam", "usage", "--format", "csv").stdout)))
    assert table[0] == list(want[0])
    assert len(table) == len(want) + 1
    assert ["'=1+2" if r["name"] == "=1+2" else r["name"] for r in want] == [
        row[1] for row in table[1:]
    ]
    assert [row[table[0].index("v4_percent")] for row in table[1:]] == [
        "" if r["v4_percent"] is None else str(r["v4_percent"]) for r in want
    ]
