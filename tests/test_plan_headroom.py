"""Headroom per tier: a mapping naming every tier is the same as one number, a tier
left out is sized exactly, the dry run's cost per tier is what the tree and needs
give, bad values are one line; a re-apply reads in bulk; progress is reported."""

from __future__ import annotations

import json
import math
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import Cli, one_line_error
from test_plan import CITY, PLAN, small_tree, write_tree

from infra.org import importer as org_import
from infra.org import units as orgs
from infra.store import Store, Tx
from ipam import plan

Rows = list[tuple[str, str, str, str]]


def write(path: Path, headroom: Any, **changes: Any) -> Path:
    doc = json.loads(json.dumps(PLAN))
    doc["headroom"] = headroom
    doc.update(changes)
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture
def city(cli: Cli, tmp_path: Path) -> Cli:
    cli.ok("org", "import", str(write_tree(tmp_path / "tree.csv", small_tree())))
    return cli


# -- the sizes the plan should give, worked out from the tree here ----------


def pow2(n: int) -> int:
    """The smallest power of two that is at least n."""
    size = 1
    while size < n:
        size *= 2
    return size


def v4_sizes(rows: Rows, room: dict[str, float]) -> dict[str, tuple[int, int]]:
    """Per unit code: (addresses its block must hold, the block's size)."""
    needs = PLAN["ipv4"]["needs"]
    level = {r[0]: r[2] for r in rows}
    children = defaultdict(list)
    for code, _, _, parent in rows:
        children[parent].append(code)
    out: dict[str, tuple[int, int]] = {}

    def size(code: str) -> int:
        # A subnet holds its hosts plus network, gateway and broadcast.
        parts = [pow2(hosts + 3) for hosts in needs[level[code]].values()]
        parts += [size(child) for child in children[code]]
        demand = math.ceil(sum(parts) / (1 - room.get(level[code], 0.0)))
        out[code] = (demand, pow2(demand))
        return pow2(demand)

    size(CITY)
    return out


def v6_bits(rows: Rows, room: dict[str, float]) -> list[int]:
    """Bits of each nibble level below the city: the slots of the widest block one
    level up (its own site and its children) with its tier's headroom, in nibbles."""
    level = {r[0]: r[2] for r in rows}
    depth = {CITY: 0}
    for code, _, _, parent in rows:  # parents come before their children
        if code != CITY:
            depth[code] = depth[parent] + 1
    fanout: dict[str, int] = defaultdict(int)
    for code, _, _, parent in rows:
        if code != CITY:
            fanout[parent] += 1
    slots: dict[int, int] = defaultdict(int)
    for code, n in fanout.items():
        need = math.ceil((n + 1) / (1 - room.get(level[code], 0.0)))
        slots[depth[code] + 1] = max(slots[depth[code] + 1], need)
    bits = []
    for d in sorted(slots):
        b = 4
        while 2**b < slots[d]:
            b += 4
        bits.append(b)
    return bits


def blocks(out: dict[str, Any], family: int) -> dict[str, int]:
    """Per unit code: the prefix length of its block (no purpose) in the plan output."""
    return {
        p["org_code"]: int(p["prefix"].split("/")[1])
        for p in out["prefixes"]
        if p["family"] == family and p["purpose"] is None
    }


# -- tests ------------------------------------------------------------------


def test_a_mapping_naming_every_tier_is_that_number(city: Cli, tmp_path: Path) -> None:
    number = str(write(tmp_path / "n.yaml", 0.5))
    mapping = str(write(tmp_path / "m.yaml", dict.fromkeys(orgs.LEVELS, 0.5)))
    dry = city.json("ipam", "plan", number)
    assert dry["new"] > 0
    assert city.json("ipam", "plan", mapping) == dry
    applied = city.json("ipam", "plan", mapping, "--apply")
    assert applied["prefixes"] == dry["prefixes"]
    again = city.json("ipam", "plan", number, "--apply")  # already in place, to the prefix
    assert again["new"] == 0 and again["kept"] == dry["planned"]


def test_a_tier_left_out_is_sized_exactly(city: Cli, tmp_path: Path) -> None:
    rows = small_tree()
    room = {"county": 0.5}
    out = city.json("ipam", "plan", str(write(tmp_path / "p.yaml", room)), "--apply")
    want = v4_sizes(rows, room)
    got = blocks(out, 4)
    level = {r[0]: r[2] for r in rows}
    for code, (_, size) in want.items():
        if code != CITY:  # the city's block is the pool
            assert got[code] == 33 - size.bit_length(), (level[code], code)
    # Villages and towns hold exactly their subnets (and children); counties have room.
    village = next(c for c in want if level[c] == "village")
    assert want[village] == (48, 64) and got[village] == 26
    at_half = v4_sizes(rows, dict.fromkeys(orgs.LEVELS, 0.5))
    assert at_half[village][1] == 128  # the number would have doubled every village
    # IPv6: the levels below the city and below the towns have no headroom.
    depth = {"city": 0, "county": 1, "town": 2, "village": 3}
    lengths = [40]
    for bits in v6_bits(rows, room):
        lengths.append(lengths[-1] + bits)
    for code, plen in blocks(out, 6).items():
        assert plen == lengths[depth[level[code]]], (code, plen, lengths)
    assert v6_bits(rows, room) != v6_bits(rows, dict.fromkeys(orgs.LEVELS, 0.9))


@pytest.mark.parametrize(
    "room",
    [
        {"county": 0.5, "town": 0.25, "village": 0.5},
        {"city": 0.75, "village": 0.2},
        {},
    ],
)
def test_the_dry_run_prints_what_each_tiers_headroom_costs(
    city: Cli, tmp_path: Path, room: dict[str, float]
) -> None:
    rows = small_tree()
    plan_file = str(write(tmp_path / "p.yaml", room))
    out = city.json("ipam", "plan", plan_file)
    costs = {(c["family"], c["tier"]): c for c in out["headroom"]}
    assert set(costs) == {(f, t) for f in (4, 6) for t in ("city", "county", "town", "village")}
    demand, size = v4_sizes(rows, room)[CITY]
    fit = next(f for f in out["fits"] if f["family"] == 4)
    assert fit["needs"] == f"/{33 - size.bit_length()}"  # a first plan: the same figure
    site_bits = 56 - sum(v6_bits(rows, room))
    for tier in ("city", "county", "town", "village"):
        less = {t: h for t, h in room.items() if t != tier}
        less_demand, less_size = v4_sizes(rows, less)[CITY]
        assert costs[(4, tier)] == {
            "family": 4,
            "tier": tier,
            "headroom": room.get(tier, 0.0),
            "needs": f"/{33 - size.bit_length()}",
            "without": f"/{33 - less_size.bit_length()}",
            "needs_addresses": demand,
            "without_addresses": less_demand,
        }
        six = costs[(6, tier)]
        assert six["needs"] == f"/{site_bits}"
        assert six["without"] == f"/{56 - sum(v6_bits(rows, less))}"
    if room.get("village") == 0.5:  # 48 addresses in a /25 instead of a /26
        assert costs[(4, "village")]["without_addresses"] < demand
    if room.get("village") == 0.2:  # 48 / 0.8 = 60: still a /26, so it costs nothing
        assert costs[(4, "village")]["without_addresses"] == demand
    table = city.ok("ipam", "plan", plan_file).stdout
    assert "what each tier's headroom costs" in table
    after = table.split("what each tier's headroom costs")[1]
    line = next(ln for ln in after.splitlines() if ln.split()[:2] == ["4", "village"])
    assert line.split()[3:5] == [costs[(4, "village")]["needs"], costs[(4, "village")]["without"]]


def test_a_number_prints_the_same_costs_as_before_it_could_be_a_mapping(
    city: Cli, tmp_path: Path
) -> None:
    out = city.json("ipam", "plan", str(write(tmp_path / "p.yaml", 0.5)))
    rows = small_tree()
    demand, size = v4_sizes(rows, dict.fromkeys(orgs.LEVELS, 0.5))[CITY]
    assert {c["needs"] for c in out["headroom"] if c["family"] == 4} == {
        f"/{33 - size.bit_length()}"
    }
    assert {c["headroom"] for c in out["headroom"]} == {0.5}


@pytest.mark.parametrize(
    ("headroom", "says"),
    [
        ({"region": 0.5}, ("headroom: no tier 'region'; the tiers are province",)),
        ({"village": 1.5}, ("headroom.village:", "0 <= headroom < 1", "got 1.5")),
        ({"village": 1}, ("headroom.village:", "got 1")),
        ({"town": -0.25}, ("headroom.town:", "got -0.25")),
        ({"village": "0.5"}, ("headroom.village:", "got '0.5'")),
        ({"village": None}, ("headroom.village:", "got null")),
        ({"village": True}, ("headroom.village:", "got true")),
        ({"village": float("nan")}, ("headroom.village:", "got nan")),
        ({"village": float("inf")}, ("headroom.village:", "got inf")),
        ({"village": {"office": 0.5}}, ("headroom.village:", "got a mapping")),
        ({"village": [0.5]}, ("headroom.village:", "got a list")),
        ({1: 0.5}, ("headroom: keys are names, got 1",)),
        ({None: 0.5}, ("headroom: keys are names, got null",)),
        ([0.5], ("headroom is the fraction", "or one per tier", "got a list")),
        ("0.5", ("headroom is the fraction", "got '0.5'")),
    ],
)
def test_bad_headroom_is_one_line_naming_the_key(
    city: Cli, tmp_path: Path, headroom: Any, says: tuple[str, ...]
) -> None:
    before = city.ok("ipam", "export").stdout
    plan_file = str(write(tmp_path / "p.yaml", headroom))
    line = one_line_error(city("ipam", "plan", plan_file, "--apply"), *says)
    assert one_line_error(city("ipam", "plan", plan_file)) == line
    assert city.ok("ipam", "export").stdout == before


def test_a_mapping_that_cannot_fit_names_it(city: Cli, tmp_path: Path) -> None:
    room = {"county": 0.9, "town": 0.9, "village": 0.9}
    line = one_line_error(city("ipam", "plan", str(write(tmp_path / "p.yaml", room))))
    assert "(with headroom {county: 0.9, town: 0.9, village: 0.9})" in line, line


# -- bulk reads and progress -------------------------------------------------


def grown(rows: Rows, villages: int) -> Rows:
    """The tree with `villages` more villages in every town."""
    out = list(rows)
    for code, name, level, _ in rows:
        if level == "town":
            for v in range(50, 50 + villages):
                out.append((f"{code[:9]}{v:03d}", f"{name}{v}新村", "village", code))
    return out


def queries(store: Store, spec: plan.Spec, monkeypatch: pytest.MonkeyPatch) -> int:
    count = [0]
    execute, executemany = Tx.execute, Tx.executemany

    def counted(self: Tx, *args: Any) -> Any:
        count[0] += 1
        return execute(self, *args)

    def counted_many(self: Tx, *args: Any) -> Any:
        count[0] += 1
        return executemany(self, *args)

    with monkeypatch.context() as m:
        m.setattr(Tx, "execute", counted)
        m.setattr(Tx, "executemany", counted_many)
        result = plan.run(store, spec, apply=True)
    assert result.changes == []
    return count[0]


def test_a_no_op_re_apply_reads_in_bulk(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same number of statements for a city and one with 20 more villages a town."""
    small = small_tree()
    big = [  # a second city, 4420…, with 20 more villages in every town
        (code.replace("4419", "4420", 1), name + "乙", level, parent.replace("4419", "4420", 1))
        for code, name, level, parent in grown(small, 20)
    ]
    org_import.import_file(store, write_tree(tmp_path / "tree.csv", small + big))
    specs = []
    for root, pool4, pool6 in (
        (CITY, "10.64.0.0/12", "2001:db8:100::/40"),
        ("442000000000", "10.80.0.0/12", "2001:db8:200::/40"),
    ):
        doc = json.loads(json.dumps(PLAN))
        doc.update(root=root, headroom={"county": 0.25, "village": 0.5})
        doc["ipv4"]["pool"], doc["ipv6"]["pool"] = pool4, pool6
        spec = plan.parse_spec(doc)
        assert plan.run(store, spec, apply=True).changes
        specs.append(spec)
    units = [
        len(store.read(lambda tx, s=s: orgs.subtree(tx, orgs.resolve(tx, s.root)))) for s in specs
    ]
    assert units[1] > 3 * units[0]
    counts = [queries(store, spec, monkeypatch) for spec in specs]
    assert counts[0] == counts[1] and counts[0] < 30, counts


class Recorder:
    def __init__(self) -> None:
        self.phases: list[tuple[str, int | None]] = []
        self.done: dict[str, int] = defaultdict(int)

    def phase(self, label: str, total: int | None = None) -> None:
        self.phases.append((label, total))

    def advance(self, steps: int = 1) -> None:
        self.done[self.phases[-1][0]] += steps


def test_plan_reports_progress(store: Store, tmp_path: Path) -> None:
    rows = small_tree()
    org_import.import_file(store, write_tree(tmp_path / "tree.csv", rows))
    spec = plan.parse_spec(json.loads(json.dumps(PLAN)))
    dry = Recorder()
    result = plan.run(store, spec, progress=dry)
    assert dry.phases == [("IPv4", len(rows)), ("IPv6", len(rows))]
    assert dry.done == {"IPv4": len(rows), "IPv6": len(rows)}
    applied = Recorder()
    result = plan.run(store, spec, apply=True, progress=applied)
    new = len(result.changes)
    assert new > 0 and applied.phases[-1] == ("writing", new)
    assert applied.done["writing"] == new
    again = Recorder()
    plan.run(store, spec, apply=True, progress=again)
    assert again.phases[-1] == ("writing", 0) and again.done["writing"] == 0
