"""Questions about the address space: find, tree, free, usage, check."""

from __future__ import annotations

from collections import defaultdict
from typing import Any, NamedTuple

from infra.errors import InvalidInput
from infra.org import units as orgs
from infra.store import Store, Tx
from ipam import space
from ipam.addr import (
    BITS,
    Block,
    addr_text,
    aligned_blocks,
    blob,
    parse_address,
    parse_block,
    parse_size,
    unblob,
)


def _org_info(tx: Tx, cache: dict[int, orgs.OrgUnit], org_id: int | None) -> orgs.OrgUnit | None:
    if org_id is None:
        return None
    if org_id not in cache:
        cache[org_id] = orgs.get(tx, org_id)
    return cache[org_id]


def find(store: Store, query: str, vrf: str | None = None) -> list[dict[str, Any]]:
    """The chain of prefixes containing an address or CIDR, most specific last, per VRF."""
    if "/" in query:
        block = parse_block(query, strict=False)
    else:
        family, value = parse_address(query)
        block = Block(family, value, BITS[family])

    def run(tx: Tx) -> list[dict[str, Any]]:
        if vrf:
            vids = [space.vrf_id(tx, vrf)]
        else:
            vids = [int(r["id"]) for r in tx.all("SELECT id FROM vrf ORDER BY name")]
        cache: dict[int, orgs.OrgUnit] = {}
        out = []
        for vid in vids:
            name = space.vrf_name(tx, vid)
            for depth, p in enumerate(space.chain(tx, vid, block)):
                unit = _org_info(tx, cache, p.org_id)
                out.append(
                    {
                        "vrf": name,
                        "depth": depth,
                        "prefix": str(p.block),
                        "status": p.status,
                        "org_code": unit.code if unit else None,
                        "org_path": unit.path if unit else None,
                        "purpose": p.purpose,
                        "hostname": None,
                        "description": p.description,
                        "pair": _pair(tx, p.id),
                    }
                )
            if block.plen == BITS[block.family]:
                row = tx.one(
                    "SELECT hostname, description, status FROM ip_address"
                    " WHERE vrf_id = ? AND family = ? AND addr = ?",
                    (vid, block.family, blob(block.first)),
                )
                if row is not None:
                    out.append(
                        {
                            "vrf": name,
                            "depth": len([o for o in out if o["vrf"] == name]),
                            "prefix": str(block),
                            "status": f"address {row['status']}",
                            "org_code": None,
                            "org_path": None,
                            "purpose": None,
                            "hostname": row["hostname"],
                            "description": row["description"],
                            "pair": None,
                        }
                    )
        return out

    return store.read(run)


def _pair(tx: Tx, pid: int) -> str | None:
    """The other half of a dual-stack pair (IPv4 purpose subnet ↔ IPv6 /64), if any."""
    found = tx.scalar(
        "SELECT p.cidr FROM prefix_pair x JOIN prefix p"
        " ON p.id = CASE WHEN x.v4_id = ? THEN x.v6_id ELSE x.v4_id END"
        " WHERE x.v4_id = ? OR x.v6_id = ?",
        (pid, pid, pid),
    )
    return None if found is None else str(found)


def tree(
    store: Store,
    cidr: str | None = None,
    org_ref: str | None = None,
    depth: int | None = None,
    vrf: str | None = None,
) -> list[dict[str, Any]]:
    """Prefixes as nested nodes, from a CIDR, from a unit's blocks, or from the top."""

    def run(tx: Tx) -> list[dict[str, Any]]:
        vid = space.vrf_id(tx, vrf)
        if cidr:
            roots = [space.require(tx, vid, parse_block(cidr))]
        elif org_ref is not None:
            unit = orgs.resolve(tx, org_ref)
            mine = space.blocks_of(tx, [unit.id], vid)
            # A unit's own purpose subnets sit inside its block: show each block once.
            roots = [p for p in mine if not any(q.block.contains(p.block) and q != p for q in mine)]
        else:
            rows = tx.all(
                f"{space.SELECT_PREFIX} WHERE vrf_id = ? AND parent_id IS NULL ORDER BY family, net",
                (vid,),
            )
            roots = [space.Prefix.from_row(r) for r in rows]
        cache: dict[int, orgs.OrgUnit] = {}
        limit = 10**6 if depth is None else depth

        def node(p: space.Prefix, level: int) -> dict[str, Any]:
            unit = _org_info(tx, cache, p.org_id)
            kids = space.children(tx, p.id) if level < limit else []
            return {
                "prefix": str(p.block),
                "status": p.status,
                "org_code": unit.code if unit else None,
                "org_path": unit.path if unit else None,
                "purpose": p.purpose,
                "children": [node(k, level + 1) for k in kids],
            }

        return [node(r, 0) for r in roots]

    return store.read(run)


def _merge(blocks: list[Block]) -> list[Block]:
    """Canonical maximal aligned blocks covering the union of disjoint blocks."""
    if not blocks:
        return []
    blocks = sorted(blocks, key=lambda b: b.first)
    family = blocks[0].family
    out: list[Block] = []
    start, end = blocks[0].first, blocks[0].last
    for b in blocks[1:]:
        if b.first == end + 1:
            end = b.last
        else:
            out.extend(aligned_blocks(start, end, family))
            start, end = b.first, b.last
    out.extend(aligned_blocks(start, end, family))
    return out


def free(
    store: Store, cidr: str, size: str | None = None, vrf: str | None = None
) -> dict[str, Any]:
    """Free space of a prefix as the largest aligned CIDRs (quarantine that has run out counts)."""
    block = parse_block(cidr)

    def run(tx: Tx) -> dict[str, Any]:
        vid = space.vrf_id(tx, vrf)
        p = space.require(tx, vid, block)
        blocks = space.free_blocks(tx, p.id, block.family)
        expired = tx.all(
            f"{space.SELECT_PREFIX} WHERE parent_id = ? AND status = 'quarantine'"
            " AND quarantine_until <= ?",
            (p.id, tx.now),
        )
        blocks = _merge(blocks + [space.Prefix.from_row(r).block for r in expired])
        held = tx.all(
            f"{space.SELECT_PREFIX} WHERE parent_id = ? AND status = 'quarantine'"
            " AND quarantine_until > ? ORDER BY net",
            (p.id, tx.now),
        )
        total = sum(b.size for b in blocks)
        result: dict[str, Any] = {
            "prefix": str(block),
            "free_addresses": total,
            "free_percent": round(100 * total / block.size, 2),
            "free": [str(b) for b in blocks],
            "quarantine": [
                {"prefix": str(space.Prefix.from_row(r).block), "until": r["quarantine_until"]}
                for r in held
            ],
        }
        if size is not None:
            try:
                plen = parse_size(size, block.family)
            except InvalidInput:
                plen = -1
            if plen < block.plen:
                raise InvalidInput(
                    f"size {size.strip()} must be a prefix length between /{block.plen}"
                    f" and /{BITS[block.family]}"
                )
            fitting = [b for b in blocks if b.plen <= plen]
            result["size"] = plen
            result["count"] = sum(1 << (plen - b.plen) for b in fitting)
            result["first"] = str(Block(block.family, fitting[0].first, plen)) if fitting else None
        return result

    return store.read(run)


REGION = orgs.LEVELS[0]
"""The top tier (the optional province): where units of it exist, usage is grouped by them."""


def _regions(tx: Tx) -> dict[str, str]:
    """Path → sort key of every unit of the REGION tier (none in a city-only database)."""
    rows = tx.all("SELECT path, code FROM org_unit WHERE level = ?", (REGION,))
    return {r["path"]: f"{r['code'] or '~'}/{r['path']}" for r in rows}


def usage(
    store: Store, level: str | None = None, org_ref: str | None = None, vrf: str | None = None
) -> list[dict[str, Any]]:
    """Per unit and family: addresses assigned, used by sub-blocks, free, and percent.

    IPv6 is counted in /64 subnets (an address count of 2**64 per LAN says nothing).
    Where units of the REGION tier exist, each row names its region (a key of
    that name) and rows come region by region.
    """

    def run(tx: Tx) -> list[dict[str, Any]]:
        vid = space.vrf_id(tx, vrf)
        root = orgs.resolve(tx, org_ref) if org_ref is not None else None
        units = orgs.subtree(tx, root)
        if level:
            units = [u for u in units if u["level"] == level]
        regions = _regions(tx)

        def region(u: dict[str, Any]) -> str | None:
            top = str(u["path"]).split("/", 1)[0]
            return top if top in regions else None

        def order(u: dict[str, Any]) -> tuple[str, int, str, str]:
            r = region(u)
            return (regions[r] if r else "~", orgs.RANK[u["level"]], u["code"] or "~", u["path"])

        by_unit: dict[int, list[space.Prefix]] = defaultdict(list)
        for p in space.blocks_of(tx, [u["id"] for u in units], vid):
            by_unit[p.org_id or 0].append(p)
        out = []
        for u in sorted(units, key=order):
            row: dict[str, Any] = {"code": u["code"], "name": u["name"], "level": u["level"]}
            if regions:
                row[REGION] = region(u)
            row["path"] = u["path"]
            for family in (4, 6):
                mine = [p for p in by_unit.get(u["id"], []) if p.block.family == family]
                tops = [
                    p
                    for p in mine
                    if not any(q is not p and q.block.contains(p.block) for q in mine)
                ]
                assigned = used = 0
                for p in tops:
                    free_size = sum(b.size for b in space.free_blocks(tx, p.id, family))
                    assigned += p.block.size
                    used += p.block.size - free_size
                unit = 1 if family == 4 else 1 << 64
                a, us = assigned // unit, used // unit
                row[f"v{family}_blocks"] = len(tops)
                row[f"v{family}_assigned"] = a
                row[f"v{family}_used"] = us
                row[f"v{family}_free"] = a - us
                row[f"v{family}_percent"] = round(100 * used / assigned, 1) if assigned else None
            out.append(row)
        return out

    return store.read(run)


def check(store: Store, vrf: str | None = None) -> list[dict[str, Any]]:
    """Everything wrong with the address space; errors make `ipam check` exit 1."""

    def run(tx: Tx) -> list[dict[str, Any]]:
        problems: list[dict[str, Any]] = []
        vids = (
            [space.vrf_id(tx, vrf)]
            if vrf
            else [int(r["id"]) for r in tx.all("SELECT id FROM vrf ORDER BY name")]
        )
        for vid in vids:
            problems.extend(_check_vrf(tx, vid))
        return problems

    return store.read(run)


class Tally(NamedTuple):
    """How a check came out: errors, warnings, and whether it fails."""

    errors: int
    warnings: int
    failed: bool


def tally(problems: list[dict[str, Any]], strict: bool = False) -> Tally:
    """Count `check`'s problems once; errors fail, and under `strict` warnings fail too."""
    errors = sum(1 for p in problems if p["severity"] == "error")
    warnings = len(problems) - errors
    return Tally(errors, warnings, bool(errors or (strict and warnings)))


def _problem(severity: str, kind: str, vrf: str, prefix: str | None, detail: str) -> dict[str, Any]:
    return {"severity": severity, "kind": kind, "vrf": vrf, "prefix": prefix, "detail": detail}


def _check_vrf(tx: Tx, vid: int) -> list[dict[str, Any]]:
    name = space.vrf_name(tx, vid)
    rows = tx.all(f"{space.SELECT_PREFIX} WHERE vrf_id = ? ORDER BY family, net, plen", (vid,))
    prefixes = {int(r["id"]): space.Prefix.from_row(r) for r in rows}
    out: list[dict[str, Any]] = []
    groups: dict[tuple[int | None, int], list[space.Prefix]] = defaultdict(list)
    for p in prefixes.values():
        groups[(p.parent_id, p.block.family)].append(p)
        if p.parent_id is not None:
            parent = prefixes.get(p.parent_id)
            if parent is None or not parent.block.contains(p.block) or parent.block == p.block:
                out.append(
                    _problem(
                        "error",
                        "outside-parent",
                        name,
                        str(p.block),
                        f"not inside its parent {parent.block if parent else '?'}",
                    )
                )
        elif not p.is_pool:
            out.append(_problem("error", "orphan", name, str(p.block), "not inside any pool"))
    for siblings in groups.values():
        siblings.sort(key=lambda p: (p.block.first, p.block.plen))
        for a, b in zip(siblings, siblings[1:], strict=False):
            if b.block.first <= a.block.last:
                out.append(
                    _problem("error", "overlap", name, str(b.block), f"overlaps sibling {a.block}")
                )
    # The free-block index must cover exactly what the children leave.
    for p in prefixes.values():
        kids = groups.get((p.id, p.block.family), [])
        used = sum(c.block.size for c in kids)
        free_list = space.free_blocks(tx, p.id, p.block.family)
        free_size = sum(b.size for b in free_list)
        if used + free_size != p.block.size:
            out.append(
                _problem(
                    "error",
                    "index",
                    name,
                    str(p.block),
                    f"children {used} + free {free_size} != size {p.block.size}",
                )
            )
            continue
        # Equal sums can still hide a free block over a child and a hole elsewhere.
        gap = _tiling_fault(p.block, [c.block for c in kids], free_list)
        if gap is not None:
            out.append(_problem("error", "index", name, str(p.block), gap))
        elif free_size == 0 and used and p.status == "container":
            out.append(_problem("warning", "exhausted", name, str(p.block), "no free space left"))
    # Reserved space is never handed out: a reserved block holding live blocks is wrong.
    for p in prefixes.values():
        if p.status != "reserved":
            continue
        live = [
            c
            for c in groups.get((p.id, p.block.family), [])
            if c.status in ("allocated", "container")
        ]
        if live:
            shown = ", ".join(str(c.block) for c in live[:3]) + (" …" if len(live) > 3 else "")
            out.append(
                _problem(
                    "error",
                    "reserved-in-use",
                    name,
                    str(p.block),
                    f"reserved, yet holds {len(live)} allocated blocks ({shown})",
                )
            )
    out.extend(_check_orgs(tx, vid, name, prefixes))
    orphans = tx.all(
        "SELECT a.family, a.addr, p.net, p.plen FROM ip_address a JOIN prefix p ON p.id = a.prefix_id"
        " WHERE a.vrf_id = ?",
        (vid,),
    )
    for r in orphans:
        holder = Block(int(r["family"]), unblob(r["net"]), int(r["plen"]))
        value = unblob(r["addr"])
        if not holder.first <= value <= holder.last:
            out.append(_problem("error", "orphan", name, str(holder), "address outside its prefix"))
    return out


def _tiling_fault(block: Block, kids: list[Block], free: list[Block]) -> str | None:
    """Why children and free blocks do not tile `block` exactly, or None when they do."""
    parts = sorted(
        [(b, "child") for b in kids] + [(b, "free") for b in free], key=lambda x: x[0].first
    )
    cursor = block.first
    for b, what in parts:
        if b.first > cursor:
            return f"address {addr_text(block.family, cursor)} is neither free nor in a child"
        if b.first < cursor or not block.contains(b):
            return f"{what} block {b} overlaps another entry or lies outside"
        cursor = b.last + 1
    return None


def _check_orgs(
    tx: Tx, vid: int, name: str, prefixes: dict[int, space.Prefix]
) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    units = {int(r["id"]): r for r in tx.all("SELECT id, code, path, parent_id FROM org_unit")}
    blocks: dict[tuple[int, int], list[Block]] = defaultdict(list)
    for p in prefixes.values():
        if p.org_id is not None and p.status != "quarantine":
            blocks[(p.org_id, p.block.family)].append(p.block)
    for (uid, family), mine in blocks.items():
        parent = units[uid]["parent_id"]
        if parent is None:
            continue
        theirs = blocks.get((parent, family), [])
        for b in mine:
            if not any(t.contains(b) for t in theirs):
                out.append(
                    _problem(
                        "error",
                        "aggregation",
                        name,
                        str(b),
                        f"{units[uid]['path']}: not inside a block of {units[parent]['path']}",
                    )
                )
    for uid, u in units.items():
        parent = u["parent_id"]
        for family in (4, 6):
            if parent is not None and (parent, family) in blocks and (uid, family) not in blocks:
                out.append(
                    _problem(
                        "warning",
                        "no-block",
                        name,
                        None,
                        f"{u['path']} has no IPv{family} block though its parent has",
                    )
                )
    return out


def pools(store: Store, vrf: str | None = None) -> list[dict[str, Any]]:
    def run(tx: Tx) -> list[dict[str, Any]]:
        vid = space.vrf_id(tx, vrf)
        rows = tx.all(
            f"{space.SELECT_PREFIX} WHERE vrf_id = ? AND is_pool = 1 ORDER BY family, net", (vid,)
        )
        out = []
        cache: dict[int, orgs.OrgUnit] = {}
        for r in rows:
            p = space.Prefix.from_row(r)
            free_size = sum(b.size for b in space.free_blocks(tx, p.id, p.block.family))
            unit = _org_info(tx, cache, p.org_id)
            out.append(
                {
                    "prefix": str(p.block),
                    "org_path": unit.path if unit else None,
                    "description": p.description,
                    "free_percent": round(100 * free_size / p.block.size, 2),
                }
            )
        return out

    return store.read(run)


def usage_by_tier(store: Store, vrf: str | None = None) -> list[dict[str, Any]]:
    """`usage` summed per tier: the figures for the yearly report.

    Where units of the REGION tier exist, per region and tier (rows carry the region).
    """
    rows = usage(store, None, None, vrf)
    grouped = bool(rows) and REGION in rows[0]
    regions: list[str | None] = list(dict.fromkeys(r[REGION] for r in rows)) if grouped else [None]
    out = []
    for region in regions:
        for level in orgs.LEVELS:
            mine = [r for r in rows if r["level"] == level and (not grouped or r[REGION] == region)]
            if not mine:
                continue
            row: dict[str, Any] = {REGION: region} if grouped else {}
            row.update(tier=level, units=len(mine))
            for fam in (4, 6):
                assigned = sum(r[f"v{fam}_assigned"] for r in mine)
                used = sum(r[f"v{fam}_used"] for r in mine)
                row[f"v{fam}_with_block"] = sum(1 for r in mine if r[f"v{fam}_blocks"])
                row[f"v{fam}_assigned"] = assigned
                row[f"v{fam}_used"] = used
                row[f"v{fam}_percent"] = round(100 * used / assigned, 1) if assigned else None
            out.append(row)
    return out
