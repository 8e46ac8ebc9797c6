"""Four-tier address planning: lay a whole city (or province) out at once, IPv4 and IPv6.

IPv4: every unit gets one block holding its own purpose subnets and all its
children's blocks with the plan's headroom, rounded to a power of two, so every
tier aggregates. IPv6: nibble-aligned levels (RIPE-690): the bits of a level
come from the largest fan-out below it plus headroom, rounded up to a multiple
of four, so a prefix reads as (province /) city / county / town / village. Each
unit has a site block for its own /64s; every purpose gets the same subnet ID
everywhere and is paired with its IPv4 subnet. Levels follow the tree's depth,
not the tier names, so a city without counties has its towns one level below it.

Planning is a pure computation over an in-memory copy of the pool's subtree
(the same buddy free-block rules as `ipam.space`); applying writes the result in
one transaction. Existing assignments are never moved: re-planning only fills
in what is missing, from each parent's spare space.
"""

from __future__ import annotations

import gc
import math
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypedDict

from infra.errors import GovopsError, InvalidInput
from infra.org import units as orgs
from infra.store import Store, Tx
from ipam import space
from ipam.addr import (
    BITS,
    Block,
    blob,
    parse_address,
    parse_block,
    plen_for_hosts,
    remainder,
    unblob,
)

PLAN_KEYS = {"vrf", "root", "headroom", "ipv4", "ipv6"}
V4_KEYS = {"pool", "needs"}
V6_KEYS = {"pool", "site", "subnet", "needs"}
SITE = "site"


class PlanError(InvalidInput):
    """The plan file is malformed or cannot fit; the message says what would."""


class Overflow(TypedDict):
    """One block the plan could not place: whose, what size, in which parent."""

    org_code: str | None
    org_path: str
    family: int
    purpose: str | None
    plen: int
    parent: str
    largest_free: str | None


class PlanOverflow(GovopsError):
    """Parents without room for what the plan gives their units; nothing was applied."""

    def __init__(self, overflows: list[Overflow]):
        self.overflows = overflows
        units = len({o["org_path"] for o in overflows})
        shown = "; ".join(
            f"{o['org_path']} needs a /{o['plen']}"
            + (f" for {o['purpose']}" if o["purpose"] else "")
            + f" (IPv{o['family']}) in {o['parent']}"
            f" ({o['largest_free'] or 'no free block'} is the largest free)"
            for o in overflows[:10]
        )
        more = f"; … and {len(overflows) - 10} more" if len(overflows) > 10 else ""
        what = "unit does" if units == 1 else "units do"
        super().__init__(f"{units} {what} not fit, nothing applied: {shown}{more}")


# -- the plan file ---------------------------------------------------------


@dataclass
class Spec:
    vrf: str
    root: str
    headroom: float
    v4_pool: Block | None = None
    v4_needs: dict[str, dict[str, int]] = field(default_factory=dict)
    v6_pool: Block | None = None
    v6_site: int = 56
    v6_subnet: int = 64
    v6_purposes: dict[str, list[str]] = field(default_factory=dict)


def load_spec(path: str | Path) -> Spec:
    path = Path(path)
    if not path.exists():
        raise PlanError(f"no such plan file: {path}")
    import yaml

    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise PlanError(f"{path}: not valid YAML ({str(exc).splitlines()[0]})") from exc
    return parse_spec(doc, str(path))


def _keys(section: Any, allowed: set[str], where: str) -> dict[str, Any]:
    if not isinstance(section, dict):
        raise PlanError(f"{where} must be a mapping")
    unknown = sorted(set(section) - allowed)
    if unknown:
        hint = ""
        if where == "ipv4" and set(unknown) & {"site", "subnet"}:
            hint = " (site and subnet are IPv6 settings: IPv4 subnets are sized by needs)"
        raise PlanError(f"{where}: unknown key {', '.join(map(str, unknown))}{hint}")
    return section


def _tier_needs(raw: Any, where: str) -> dict[str, dict[str, int]]:
    needs = _keys(raw or {}, set(orgs.LEVELS) | set(map(str, raw or {})), where)
    out: dict[str, dict[str, int]] = {}
    for tier, purposes in needs.items():
        if tier not in orgs.LEVELS:
            raise PlanError(f"{where}: no tier {tier!r}; the tiers are {', '.join(orgs.LEVELS)}")
        if not isinstance(purposes, dict) or not purposes:
            raise PlanError(f"{where}.{tier}: give purpose: hosts pairs, e.g. {{office: 28}}")
        for purpose, hosts in purposes.items():
            if not isinstance(hosts, int) or isinstance(hosts, bool) or hosts < 1:
                raise PlanError(f"{where}.{tier}.{purpose}: hosts must be a positive whole number")
            if purpose == SITE:
                raise PlanError(f"{where}.{tier}: 'site' is reserved for IPv6 site blocks")
        out[tier] = {str(p): int(h) for p, h in purposes.items()}
    return out


def parse_spec(doc: Any, source: str = "plan") -> Spec:
    doc = _keys(doc, PLAN_KEYS, source)
    if "root" not in doc:
        raise PlanError(f"{source}: say which unit the plan covers: root: <code, path or name>")
    try:
        headroom = float(doc.get("headroom", 0.0))
    except (TypeError, ValueError):
        raise PlanError("headroom must be a fraction, e.g. 0.5") from None
    if not 0 <= headroom < 1:
        raise PlanError("headroom is the fraction of each block kept spare: 0 <= headroom < 1")
    spec = Spec(
        vrf=str(doc.get("vrf") or space.DEFAULT_VRF), root=str(doc["root"]), headroom=headroom
    )
    if doc.get("ipv4") is None and doc.get("ipv6") is None:
        raise PlanError(f"{source}: nothing to plan; give an ipv4 and/or ipv6 section")
    if doc.get("ipv4") is not None:
        v4 = _keys(doc["ipv4"], V4_KEYS, "ipv4")
        spec.v4_pool = _pool(v4, 4, "ipv4")
        spec.v4_needs = _tier_needs(v4.get("needs"), "ipv4.needs")
        if not spec.v4_needs:
            raise PlanError("ipv4.needs: say what each tier needs, e.g. village: {office: 28}")
    if doc.get("ipv6") is not None:
        v6 = _keys(doc["ipv6"], V6_KEYS, "ipv6")
        spec.v6_pool = _pool(v6, 6, "ipv6")
        spec.v6_site = _length(v6.get("site", 56), "ipv6.site")
        spec.v6_subnet = _length(v6.get("subnet", 64), "ipv6.subnet")
        if "needs" in v6:
            raw = _keys(
                v6["needs"] or {}, set(orgs.LEVELS) | set(map(str, v6["needs"] or {})), "ipv6.needs"
            )
            for tier, purposes in raw.items():
                if tier not in orgs.LEVELS:
                    raise PlanError(
                        f"ipv6.needs: no tier {tier!r}; the tiers are {', '.join(orgs.LEVELS)}"
                    )
                if isinstance(purposes, dict):
                    purposes = list(purposes)
                if not isinstance(purposes, list) or not all(
                    isinstance(p, str | int) and not isinstance(p, bool) for p in purposes
                ):
                    raise PlanError(
                        f"ipv6.needs.{tier}: give a list of purposes, e.g. [office, video]"
                    )
                spec.v6_purposes[tier] = [str(p) for p in purposes]
        else:
            spec.v6_purposes = {tier: list(p) for tier, p in spec.v4_needs.items()}
        if not spec.v6_purposes:
            raise PlanError("ipv6: say which purposes get /64s (ipv6.needs) or give ipv4.needs")
        if not spec.v6_pool.plen < spec.v6_site < spec.v6_subnet <= 128:
            raise PlanError(
                f"ipv6: need pool /{spec.v6_pool.plen} < site /{spec.v6_site} < subnet"
                f" /{spec.v6_subnet}"
            )
        purposes = subnet_ids(spec)
        room = 1 << (spec.v6_subnet - spec.v6_site)
        if max(purposes.values()) >= room:
            longest = spec.v6_subnet - max(purposes.values()).bit_length()
            raise PlanError(
                f"ipv6: a /{spec.v6_site} site holds {room} /{spec.v6_subnet}s but the plan has"
                f" {len(purposes)} purposes; use site: {longest} or shorter"
            )
    return spec


def _pool(section: dict[str, Any], family: int, where: str) -> Block:
    if "pool" not in section:
        raise PlanError(f"{where}: give the pool, e.g. pool: 10.64.0.0/12")
    text = str(section["pool"]).strip()
    try:
        # Not strict: host bits are checked below, so the message names the pool to write.
        block = parse_block(text, strict=False)
        _, address = parse_address(text)
    except InvalidInput as exc:
        raise PlanError(f"{where}.pool: {exc}") from exc
    if address != block.first:
        raise PlanError(f"{where}.pool: {text} has host bits set; did you mean {block}?")
    if block.family != family:
        raise PlanError(f"{where}.pool {block} is not an IPv{family} prefix")
    return block


def _length(value: Any, where: str) -> int:
    text = str(value).lstrip("/")
    if not text.isdigit() or not 0 < int(text) <= 128:
        raise PlanError(f"{where}: {value!r} is not an IPv6 prefix length")
    return int(text)


def subnet_ids(spec: Spec) -> dict[str, int]:
    """Each purpose's /64 number inside a site, the same at every tier (from 1; 0 is left
    for the site's own infrastructure)."""
    ids: dict[str, int] = {}
    for tier in orgs.LEVELS:
        for purpose in spec.v6_purposes.get(tier, []):
            ids.setdefault(purpose, len(ids) + 1)
    return ids


# -- the in-memory space ---------------------------------------------------


class _Node:
    __slots__ = (
        "id",
        "block",
        "parent",
        "org_id",
        "purpose",
        "status",
        "new",
        "free",
        "dirty",
        "_text",
    )

    def __init__(
        self,
        pid: int | None,
        block: Block,
        parent: _Node | None,
        org_id: int | None,
        purpose: str | None,
        status: str,
        new: bool,
    ):
        self.id = pid
        self.block = block
        self.parent = parent
        self.org_id = org_id
        self.purpose = purpose
        self.status = status
        self.new = new
        self.free: dict[int, set[int]] | None = None
        self.dirty = False
        self._text: str | None = None

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = str(self.block)
        return self._text


class _Space:
    """The prefixes under one pool, loaded once, with their free-block index."""

    def __init__(self, tx: Tx, vid: int, pool: Block):
        self.tx = tx
        self.vid = vid
        self.family = pool.family
        self.nodes: list[_Node] = []
        self.by_org: dict[int, list[_Node]] = defaultdict(list)
        rows = tx.all(
            "SELECT id, net, plen, parent_id, org_id, purpose, status FROM prefix"
            " WHERE vrf_id = ? AND family = ? AND net >= ? AND net <= ? ORDER BY net, plen",
            (vid, pool.family, blob(pool.first), blob(pool.last)),
        )
        by_id: dict[int, _Node] = {}
        for r in rows:
            block = Block(pool.family, unblob(r["net"]), int(r["plen"]))
            if not pool.contains(block):
                continue
            parent = by_id.get(r["parent_id"]) if r["parent_id"] is not None else None
            pid = int(r["id"])
            node = _Node(pid, block, parent, r["org_id"], r["purpose"], r["status"], False)
            by_id[pid] = node
            self.nodes.append(node)
            if node.org_id is not None and node.status != "quarantine":
                self.by_org[node.org_id].append(node)
        self.pool = next((n for n in self.nodes if n.block == pool), None)

    def _free(self, node: _Node) -> dict[int, set[int]]:
        if node.free is None:
            node.free = defaultdict(set)
            if node.id is not None and not node.new:
                for r in self.tx.all(
                    "SELECT plen, net FROM free_block WHERE container_id = ?", (node.id,)
                ):
                    node.free[int(r["plen"])].add(unblob(r["net"]))
            else:
                node.free[node.block.plen].add(node.block.first)
        return node.free

    def largest_free(self, node: _Node) -> Block | None:
        free = self._free(node)
        sizes = [p for p, nets in free.items() if nets]
        if not sizes:
            return None
        plen = min(sizes)
        return Block(self.family, min(free[plen]), plen)

    def take(self, node: _Node, plen: int) -> Block | None:
        """Best fit: the smallest free block holding a /plen, lowest address first."""
        free = self._free(node)
        fits = [p for p, nets in free.items() if nets and p <= plen]
        if not fits:
            return None
        best = max(fits)
        first = min(free[best])
        self._split(node, Block(self.family, first, best), Block(self.family, first, plen))
        return Block(self.family, first, plen)

    def carve(self, node: _Node, target: Block) -> bool:
        """Take exactly `target` if it is wholly free."""
        free = self._free(node)
        bits = BITS[self.family]
        for plen in range(node.block.plen, target.plen + 1):
            first = target.first & ~((1 << (bits - plen)) - 1)
            if first in free.get(plen, ()):
                self._split(node, Block(self.family, first, plen), target)
                return True
        return False

    def _split(self, node: _Node, free_block: Block, target: Block) -> None:
        free = self._free(node)
        free[free_block.plen].discard(free_block.first)
        for block in remainder(free_block, target):
            free[block.plen].add(block.first)
        node.dirty = True

    def add(
        self,
        parent: _Node | None,
        block: Block,
        org_id: int | None,
        purpose: str | None,
        status: str,
    ) -> _Node:
        node = _Node(None, block, parent, org_id, purpose, status, True)
        self.nodes.append(node)
        if org_id is not None:
            self.by_org[org_id].append(node)
        return node


# -- planning --------------------------------------------------------------


@dataclass
class _Unit:
    id: int
    code: str | None
    name: str
    level: str
    path: str
    depth: int
    children: list[_Unit] = field(default_factory=list)


def _units(tx: Tx, root: orgs.OrgUnit) -> tuple[_Unit, list[_Unit], dict[int, _Unit]]:
    rows = orgs.subtree(tx, root)
    units = {
        r["id"]: _Unit(r["id"], r["code"], r["name"], r["level"], r["path"], r["depth"])
        for r in rows
    }
    for r in rows:
        if r["parent_id"] in units and r["id"] != root.id:
            units[r["parent_id"]].children.append(units[r["id"]])
    for u in units.values():
        u.children.sort(key=lambda c: (c.code or "~", c.name))
    top = units[root.id]
    order: list[_Unit] = []
    queue = [top]
    while queue:  # breadth-first: parents are placed before their children
        order.extend(queue)
        queue = [c for u in queue for c in u.children]
    parent_of = {c.id: u for u in order for c in u.children}
    return top, order, parent_of


@dataclass
class Result:
    """What a plan does: tiers, every planned prefix, the new ones, overflows."""

    tiers: list[dict[str, Any]] = field(default_factory=list)
    prefixes: list[dict[str, Any]] = field(default_factory=list)
    overflows: list[Overflow] = field(default_factory=list)
    fits: list[dict[str, Any]] = field(default_factory=list)
    pairs: list[tuple[_Node, _Node]] = field(default_factory=list)
    v4: _Space | None = None
    v6: _Space | None = None
    applied: bool = False

    @property
    def spaces(self) -> list[_Space]:
        return [sp for sp in (self.v4, self.v6) if sp is not None]

    @property
    def changes(self) -> list[dict[str, Any]]:
        return [p for p in self.prefixes if p["new"]]

    def summary(self) -> dict[str, Any]:
        return {
            "applied": self.applied,
            "planned": len(self.prefixes),
            "new": len(self.changes),
            "kept": len(self.prefixes) - len(self.changes),
            "pairs": len(self.pairs),
            "fits": self.fits,
            "tiers": self.tiers,
            "overflows": self.overflows,
        }


def _pow2_plen(family: int, size: int) -> int:
    """Prefix length of the smallest aligned block holding `size` addresses."""
    bits = BITS[family]
    return bits - max(0, (size - 1).bit_length())


def _v4_sizes(spec: Spec, order: list[_Unit], existing: dict[int, _Node]) -> dict[int, int]:
    """Prefix length each unit's block needs, bottom-up (existing blocks keep theirs)."""
    plens: dict[int, int] = {}
    for u in reversed(order):
        if u.id in existing:
            plens[u.id] = existing[u.id].block.plen
            continue
        used = sum(
            1 << (32 - plen_for_hosts(4, h)) for h in spec.v4_needs.get(u.level, {}).values()
        )
        used += sum(1 << (32 - plens[c.id]) for c in u.children if c.id in plens)
        if used == 0:
            continue
        plens[u.id] = _pow2_plen(4, math.ceil(used / (1 - spec.headroom)))
    return plens


def _outer(nodes: list[_Node], inside: _Node | None) -> _Node | None:
    """A unit's aggregate: its outermost plan block (no purpose) inside `inside`."""
    found = [
        n
        for n in nodes
        if n.purpose is None
        and (inside is None or (inside.block.contains(n.block) and n is not inside))
    ]
    return min(found, key=lambda n: (n.block.plen, n.block.first)) if found else None


def _plan_v4(
    spec: Spec,
    sp: _Space,
    top: _Unit,
    order: list[_Unit],
    parent_of: dict[int, _Unit],
    result: Result,
) -> None:
    assert spec.v4_pool is not None
    pool = sp.pool
    existing: dict[int, _Node] = {}
    if pool is not None and pool.org_id == top.id:
        existing[top.id] = pool
    for u in order[1:]:
        found = _outer(sp.by_org.get(u.id, []), None)
        if found is not None:
            existing[u.id] = found
    plens = _v4_sizes(spec, order, existing)
    need = plens.get(top.id)
    if need is not None and need < spec.v4_pool.plen:
        raise PlanError(
            f"IPv4 pool {spec.v4_pool} is too small: the plan needs a /{need}"
            f" (with headroom {spec.headroom}); the smallest pool that holds it is a /{need}"
        )
    result.fits.append(
        {
            "family": 4,
            "pool": str(spec.v4_pool),
            "needs": f"/{need}" if need is not None else None,
            "spare_percent": round(100 * (1 - (1 << (32 - need)) / spec.v4_pool.size), 1)
            if need is not None
            else 100.0,
        }
    )
    blocks: dict[int, _Node] = {}
    if pool is None:
        pool = sp.add(None, spec.v4_pool, top.id, None, "container")
        sp.pool = pool
    blocks[top.id] = pool
    for u in order:
        block = blocks.get(u.id)
        if block is None:
            if u.id not in plens:
                continue
            parent_block = blocks.get(parent_of[u.id].id) if u is not top else None
            if parent_block is None:
                continue
            block = existing.get(u.id)
            if block is None:
                got = sp.take(parent_block, plens[u.id])
                if got is None:
                    _overflow(result, sp, u, parent_block, plens[u.id])
                    continue
                block = sp.add(parent_block, got, u.id, None, "container")
            blocks[u.id] = block
        mine = [n for n in sp.by_org.get(u.id, []) if n.parent is block]
        for purpose, hosts in spec.v4_needs.get(u.level, {}).items():
            plen = plen_for_hosts(4, hosts)
            have = [n for n in mine if n.purpose == purpose]
            if any(n.block.plen <= plen for n in have):
                continue
            got = sp.take(block, plen)
            if got is None:
                _overflow(result, sp, u, block, plen, purpose)
                continue
            sp.add(block, got, u.id, purpose, "allocated")


def _overflow(
    result: Result, sp: _Space, u: _Unit, parent: _Node, plen: int, purpose: str | None = None
) -> None:
    largest = sp.largest_free(parent)
    result.overflows.append(
        {
            "org_code": u.code,
            "org_path": u.path,
            "family": sp.family,
            "purpose": purpose,
            "plen": plen,
            "parent": str(parent.block),
            "largest_free": str(largest) if largest else None,
        }
    )


def _v6_levels(spec: Spec, top: _Unit, order: list[_Unit], sp: _Space) -> list[int]:
    """Prefix length of each depth's blocks: nibble-aligned, from fan-out plus headroom."""
    assert spec.v6_pool is not None
    max_depth = max(u.depth for u in order) - top.depth
    lengths = [spec.v6_pool.plen]
    for depth in range(1, max_depth + 1):
        at = [u for u in order if u.depth - top.depth == depth]
        seen = [n.block.plen for u in at for n in [_outer(sp.by_org.get(u.id, []), None)] if n]
        if seen:  # re-planning keeps the lengths already in use
            lengths.append(min(seen))
            continue
        parents = [u for u in order if u.depth - top.depth == depth - 1]
        fanout = max(len(p.children) for p in parents)
        slots = math.ceil((fanout + 1) / (1 - spec.headroom))  # +1: the parent's own site
        bits = 4 * math.ceil(max(1, (slots - 1).bit_length()) / 4)
        lengths.append(lengths[-1] + bits)
    return lengths


def _plan_v6(
    spec: Spec,
    sp: _Space,
    top: _Unit,
    order: list[_Unit],
    parent_of: dict[int, _Unit],
    result: Result,
) -> None:
    assert spec.v6_pool is not None
    levels = _v6_levels(spec, top, order, sp)
    deepest = levels[-1]
    if deepest > spec.v6_site:
        smallest = spec.v6_site - (deepest - spec.v6_pool.plen)
        raise PlanError(
            f"IPv6 pool {spec.v6_pool} leaves no room for /{spec.v6_site} sites: the nibble levels"
            f" {'/'.join(str(n) for n in levels)} reach /{deepest}; use a /{smallest} pool"
            f" or site: {deepest} or longer"
        )
    result.fits.append(
        {
            "family": 6,
            "pool": str(spec.v6_pool),
            "levels": [f"/{n}" for n in levels],
            "site": f"/{spec.v6_site}",
            "spare_bits": spec.v6_site - deepest,
        }
    )
    ids = subnet_ids(spec)
    pool = sp.pool
    if pool is None:
        pool = sp.add(None, spec.v6_pool, top.id, None, "container")
        sp.pool = pool
    blocks: dict[int, _Node] = {top.id: pool}
    for u in order:
        agg = blocks.get(u.id)
        depth = u.depth - top.depth
        if agg is None:
            parent = blocks.get(parent_of[u.id].id)
            if parent is None:
                continue
            agg = _outer(sp.by_org.get(u.id, []), parent)
            if agg is None:
                got = sp.take(parent, levels[depth])
                if got is None:
                    _overflow(result, sp, u, parent, levels[depth])
                    continue
                agg = sp.add(parent, got, u.id, None, "container")
            blocks[u.id] = agg
        site: _Node | None = agg
        if agg.block.plen != spec.v6_site:
            site = next(
                (n for n in sp.by_org.get(u.id, []) if n.purpose == SITE and n.parent is agg), None
            )
            if site is None:
                got = sp.take(agg, spec.v6_site)  # lowest: slot 0 of the level below
                if got is None:
                    _overflow(result, sp, u, agg, spec.v6_site, SITE)
                    continue
                site = sp.add(agg, got, u.id, SITE, "container")
        assert site is not None
        have = {n.purpose: n for n in sp.by_org.get(u.id, []) if n.parent is site}
        v4_mine = {}
        if result.v4 is not None:
            v4_mine = {n.purpose: n for n in result.v4.by_org.get(u.id, []) if n.purpose}
        for purpose in spec.v6_purposes.get(u.level, []):
            subnet = have.get(purpose)
            if subnet is None:
                target = Block(
                    6, site.block.first + (ids[purpose] << (128 - spec.v6_subnet)), spec.v6_subnet
                )
                if not sp.carve(site, target):
                    _overflow(result, sp, u, site, spec.v6_subnet, purpose)
                    continue
                subnet = sp.add(site, target, u.id, purpose, "allocated")
            if purpose in v4_mine:
                result.pairs.append((v4_mine[purpose], subnet))


def compute(tx: Tx, spec: Spec) -> Result:
    """Plan against the database as it is (read only); overflows are listed, not raised."""
    with _collector_paused():
        return _compute(tx, spec)


def _compute(tx: Tx, spec: Spec) -> Result:
    vid = space.vrf_id(tx, spec.vrf)
    root = orgs.resolve(tx, spec.root)
    top, order, parent_of = _units(tx, root)
    result = Result()
    if spec.v4_pool is not None:
        result.v4 = _Space(tx, vid, spec.v4_pool)
        _check_pool(tx, result.v4, spec.v4_pool, root)
        _plan_v4(spec, result.v4, top, order, parent_of, result)
    if spec.v6_pool is not None:
        result.v6 = _Space(tx, vid, spec.v6_pool)
        _check_pool(tx, result.v6, spec.v6_pool, root)
        _plan_v6(spec, result.v6, top, order, parent_of, result)
    units = {u.id: u for u in order}
    planned: list[tuple[Block, _Node, _Unit]] = []
    for sp in result.spaces:
        for n in sp.nodes:
            unit = units.get(n.org_id) if n.org_id is not None else None
            if unit is None:
                continue
            planned.append((n.block, n, unit))
    planned.sort(key=lambda item: (item[0].family, item[0].first, item[0].plen))
    for _, n, unit in planned:
        result.prefixes.append(
            {
                "prefix": n.text,
                "family": n.block.family,
                "status": n.status,
                "org_code": unit.code,
                "org_path": unit.path,
                "org_level": unit.level,
                "purpose": n.purpose,
                "new": n.new,
            }
        )
    result.tiers = _tiers(result, order)
    return result


def _check_pool(tx: Tx, sp: _Space, pool: Block, root: orgs.OrgUnit) -> None:
    if root.parent_id is not None:
        try:  # the root's block must aggregate into its parent unit's, like any other
            space.check_aggregation(tx, sp.vid, pool, root)
        except GovopsError as exc:
            raise PlanError(
                f"pool {exc}; plan from the parent unit or record its block first"
            ) from exc
    if sp.pool is None:
        holder = space.chain(tx, sp.vid, pool)
        if holder:
            raise PlanError(
                f"pool {pool} lies inside {holder[-1].block} but is not stored itself;"
                f" record it first, as a block of {root.label()}"
            )
        clash = tx.scalar(
            "SELECT cidr FROM prefix WHERE vrf_id = ? AND family = ? AND parent_id IS NULL"
            " AND net >= ? AND net <= ? LIMIT 1",
            (sp.vid, pool.family, blob(pool.first), blob(pool.last)),
        )
        if clash:
            raise PlanError(f"pool {pool} overlaps {clash}, which is already stored")
        return
    if sp.pool.org_id not in (None, root.id):
        owner = orgs.get(tx, sp.pool.org_id)
        raise PlanError(f"pool {pool} belongs to {owner.label()}, not {root.label()}")
    if sp.pool.status == "quarantine":
        raise PlanError(f"pool {pool} is in quarantine")


def _tiers(result: Result, order: list[_Unit]) -> list[dict[str, Any]]:
    levels = {u.id: u.level for u in order}
    out = []
    for sp in result.spaces:
        per: dict[str, list[_Node]] = defaultdict(list)
        for n in sp.nodes:
            if n.org_id in levels and n.purpose is None:
                per[levels[n.org_id]].append(n)
        for level in orgs.LEVELS:
            blocks = per.get(level)
            if not blocks:
                continue
            plens = sorted({n.block.plen for n in blocks})
            total = sum(n.block.size for n in blocks)
            free_total = 0
            for n in blocks:
                free = sp._free(n)
                free_total += sum(len(nets) << (BITS[sp.family] - p) for p, nets in free.items())
            units = sum(1 for u in order if u.level == level)
            out.append(
                {
                    "family": sp.family,
                    "tier": level,
                    "units": units,
                    "blocks": len(blocks),
                    "lengths": ", ".join(f"/{p}" for p in plens),
                    "spare_percent": round(100 * free_total / total, 1) if total else None,
                }
            )
    return out


# -- applying --------------------------------------------------------------


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for one planning computation.

    Planning builds ~10 objects per prefix and frees none of them until it is done,
    so the collector would rescan them all again and again for nothing. The pause
    covers the computation alone, and the caller's setting (on or off) is restored
    however it ends.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def run(store: Store, spec: Spec, apply: bool = False) -> Result:
    """Dry run (default) or apply the plan in one transaction, all or nothing.

    A plan that leaves units without room raises PlanOverflow, dry run or not.
    """
    if not apply:
        result = store.read(lambda tx: compute(tx, spec))
        if result.overflows:
            raise PlanOverflow(result.overflows)
        return result

    def write(tx: Tx) -> Result:
        if tx.dialect == "postgresql":
            vid = space.vrf_id(tx, spec.vrf)
            for pool in (spec.v4_pool, spec.v6_pool):
                if pool is not None:
                    space.lock_space(tx, vid, pool.family)
        result = compute(tx, spec)
        if result.overflows:
            raise PlanOverflow(result.overflows)
        _write(tx, space.vrf_id(tx, spec.vrf), result)
        result.applied = True
        return result

    return store.write(write)


def _new_ids(tx: Tx, table: str, n: int) -> list[int]:
    if n == 0:
        return []
    if tx.dialect == "postgresql":
        rows = tx.all(
            f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) AS id"
            " FROM generate_series(1, ?)",
            (n,),
        )
        return [int(r["id"]) for r in rows]
    start = int(tx.scalar(f"SELECT coalesce(max(id), 0) FROM {table}")) + 1
    return list(range(start, start + n))


def _write(tx: Tx, vid: int, result: Result) -> None:
    vrf = space.vrf_name(tx, vid)
    units: dict[int, orgs.OrgUnit] = {}
    for sp in result.spaces:
        nodes = sp.nodes
        new = [n for n in nodes if n.new]
        for node, pid in zip(new, _new_ids(tx, "prefix", len(new)), strict=True):
            node.id = pid
        rows = []
        for n in new:
            parent = n.parent.id if n.parent is not None else None
            rows.append(
                (
                    n.id,
                    vid,
                    n.block.family,
                    blob(n.block.first),
                    n.block.plen,
                    n.text,
                    parent,
                    n.status,
                    int(n.parent is None),
                    n.org_id,
                    n.purpose,
                    tx.now,
                )
            )
        tx.executemany(
            "INSERT INTO prefix (id, vrf_id, family, net, plen, cidr, parent_id, status, is_pool,"
            " org_id, purpose, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        dirty = [n for n in nodes if n.dirty or n.new]
        old = [(n.id,) for n in dirty if not n.new]
        tx.executemany("DELETE FROM free_block WHERE container_id = ?", old)
        free_rows: list[tuple[Any, ...]] = []
        for n in dirty:
            for plen, nets in sp._free(n).items():
                free_rows.extend((n.id, plen, blob(net)) for net in nets)
        tx.executemany(
            "INSERT INTO free_block (container_id, plen, net) VALUES (?, ?, ?)", free_rows
        )
        for n in new:
            if n.org_id is not None and n.org_id not in units:
                units[n.org_id] = orgs.get(tx, n.org_id)
            unit = units.get(n.org_id) if n.org_id is not None else None
            tx.audit("prefix.add", "prefix", n.text, None, _record(vrf, vid, n, unit))
    have = (
        {int(r["v4_id"]) for r in tx.all("SELECT v4_id FROM prefix_pair")}
        if result.pairs
        else set()
    )
    pairs = [(a.id, b.id) for a, b in result.pairs if a.id not in have]
    tx.executemany("INSERT INTO prefix_pair (v4_id, v6_id) VALUES (?, ?)", pairs)
    for a, b in result.pairs:
        if a.id in have:
            continue
        tx.audit("prefix.pair", "prefix", str(a.block), None, {"v4": a.text, "v6": b.text})


def _record(vrf: str, vid: int, n: _Node, unit: orgs.OrgUnit | None) -> dict[str, Any]:
    """The prefix record (`space.record`) of a node `_write` has just stored."""
    assert n.id is not None
    parent = n.parent
    stored = space.Prefix(
        n.id,
        vid,
        n.block,
        parent.id if parent is not None else None,
        n.status,
        parent is None,  # the plan's top nodes are its pools
        n.org_id,
        n.purpose,
        None,
        None,
    )
    return space.record(vrf, stored, parent.text if parent is not None else None, unit)


# -- questions about plans and coverage -------------------------------------


def pairs(store: Store, org_ref: str | None = None, vrf: str | None = None) -> list[dict[str, Any]]:
    """Dual-stack pairs: each IPv4 purpose subnet beside its IPv6 /64."""

    def run(tx: Tx) -> list[dict[str, Any]]:
        vid = space.vrf_id(tx, vrf)
        params: list[Any] = [vid]
        where = ""
        if org_ref:
            unit = orgs.resolve(tx, org_ref)
            ids = [r["id"] for r in orgs.subtree(tx, unit)]
            where = f" AND a.org_id IN ({', '.join('?' for _ in ids)})"
            params += ids
        rows = tx.all(
            "SELECT a.cidr AS v4, b.cidr AS v6, a.purpose, o.code, o.path FROM prefix_pair x"
            " JOIN prefix a ON a.id = x.v4_id JOIN prefix b ON b.id = x.v6_id"
            " LEFT JOIN org_unit o ON o.id = a.org_id WHERE a.vrf_id = ?"
            + where
            + " ORDER BY o.path, a.purpose",
            params,
        )
        return [
            {
                "org_code": r["code"],
                "org_path": r["path"],
                "purpose": r["purpose"],
                "ipv4": r["v4"],
                "ipv6": r["v6"],
            }
            for r in rows
        ]

    return store.read(run)


def coverage(
    store: Store, org_ref: str | None = None, depth: int = 1, vrf: str | None = None
) -> list[dict[str, Any]]:
    """Villages with an IPv4 block, an IPv6 block, and both, per county (and town).

    `depth` counts from the city (or the unit asked about): 1 gives each city and
    its counties, 2 their towns too. Provinces, where stored, add a row each above
    their cities.
    """

    def run(tx: Tx) -> list[dict[str, Any]]:
        vid = space.vrf_id(tx, vrf)
        root = orgs.resolve(tx, org_ref) if org_ref else None
        rows = orgs.subtree(tx, root)
        has: dict[int, set[int]] = defaultdict(set)
        for r in tx.all(
            "SELECT DISTINCT org_id, family FROM prefix WHERE vrf_id = ? AND org_id IS NOT NULL"
            " AND status != 'quarantine'",
            (vid,),
        ):
            has[int(r["org_id"])].add(int(r["family"]))
        by_id = {r["id"]: r for r in rows}
        # A province stands only at the top: the units under one count depth from its cities.
        above_city = set(orgs.LEVELS[: orgs.LEVELS.index("city")])
        tops = {r["id"] for r in rows if r["depth"] == 0 and r["level"] in above_city}

        def below_city(r: dict[str, Any]) -> int:
            top = r
            while top["parent_id"] in by_id:
                top = by_id[top["parent_id"]]
            return int(r["depth"]) - (top["id"] in tops)

        groups: dict[int, dict[str, Any]] = {}
        for r in rows:
            # Tree depth, not tier: a city without counties (东莞) has towns at depth 1.
            if r["level"] != "village" and below_city(r) <= depth:
                groups[r["id"]] = {
                    "code": r["code"],
                    "name": r["name"],
                    "level": r["level"],
                    "path": r["path"],
                    "villages": 0,
                    "ipv4": 0,
                    "ipv6": 0,
                    "both": 0,
                }
        for r in rows:
            if r["level"] != "village":
                continue
            fams = has.get(r["id"], set())
            anc = r["parent_id"]
            while anc in by_id:
                if anc in groups:
                    g = groups[anc]
                    g["villages"] += 1
                    g["ipv4"] += 4 in fams
                    g["ipv6"] += 6 in fams
                    g["both"] += {4, 6} <= fams
                anc = by_id[anc]["parent_id"]
        out = list(groups.values())
        for g in out:
            n = g["villages"]
            for key in ("ipv4", "ipv6", "both"):
                g[f"{key}_percent"] = round(100 * g[key] / n, 1) if n else None
        out.sort(key=lambda g: (g["code"] or "~", g["path"]))
        return out

    return store.read(run)
