"""Questions about the address space: find, tree, free, usage, check."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from itertools import groupby
from operator import itemgetter
from typing import Any, NamedTuple

from infra.bulk import collector_paused
from infra.errors import InvalidInput
from infra.org import units as orgs
from infra.progress import QUIET, Progress
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
        if not roots:
            return []
        limit = 10**6 if depth is None else depth
        # Every prefix under the roots down to the depth asked, with its unit: one query.
        marks = ", ".join("?" for _ in roots)
        rows = _tuples(
            tx,
            f"""
            WITH RECURSIVE t(id, depth) AS (
                SELECT id, 0 FROM prefix WHERE id IN ({marks})
                UNION ALL
                SELECT p.id, t.depth + 1 FROM prefix p JOIN t ON p.parent_id = t.id
                WHERE t.depth < ?
            )
            SELECT p.id, p.parent_id, p.family, p.net, p.plen, p.status, o.code, o.path,
                   p.purpose
            FROM prefix p JOIN (SELECT DISTINCT id FROM t) s ON s.id = p.id
            LEFT JOIN org_unit o ON o.id = p.org_id
            """,
            (*(r.id for r in roots), limit),
        ).fetchall()
        found = {r[0]: r for r in rows}
        kids: dict[int, list[Any]] = defaultdict(list)
        for r in sorted(rows, key=lambda r: bytes(r[3])):
            if r[1] is not None:
                kids[r[1]].append(r)

        def node(r: Any, level: int) -> dict[str, Any]:
            pid, _, family, net, plen, status, code, path, purpose = r
            below = kids.get(pid, []) if level < limit else []
            return {
                "prefix": str(Block(family, unblob(net), plen)),
                "status": status,
                "org_code": code,
                "org_path": path,
                "purpose": purpose,
                "children": [node(k, level + 1) for k in below],
            }

        return [node(found[r.id], 0) for r in roots]

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
    return list(usage_rows(store, level, org_ref, vrf))


def usage_rows(
    store: Store, level: str | None = None, org_ref: str | None = None, vrf: str | None = None
) -> Iterator[dict[str, Any]]:
    """`usage`'s rows one at a time. Everything is read at once, in a handful of
    queries whatever the number of units; the rows are computed as they are taken."""
    with collector_paused():
        data = store.read(lambda tx: _UsageData.read(tx, level, org_ref, vrf))
    return _usage_rows(data)


class _UsageData(NamedTuple):
    units: list[dict[str, Any]]
    regions: dict[str, str]
    # unit → family → its outermost blocks as (first, last, prefix id)
    blocks: dict[int, dict[int, list[tuple[int, int, int]]]]
    free: dict[int, int]  # prefix id → free addresses, for every block a row may count

    @classmethod
    def read(cls, tx: Tx, level: str | None, org_ref: str | None, vrf: str | None) -> _UsageData:
        vid = space.vrf_id(tx, vrf)
        root = orgs.resolve(tx, org_ref) if org_ref is not None else None
        units = orgs.subtree(tx, root)
        if level:
            units = [u for u in units if u["level"] == level]
        cte, params = orgs.subtree_sql(root)
        # The prefixes of the units asked about, wherever they sit in the tree.
        where = "p.vrf_id = ? AND p.org_id IN (SELECT id FROM sub)"
        args: tuple[Any, ...] = (*params, vid)
        if level:
            where += " AND p.org_id IN (SELECT id FROM org_unit WHERE level = ?)"
            args += (level,)
        blocks: dict[int, dict[int, list[tuple[int, int, int]]]] = {}
        parents: dict[int, int | None] = {}
        frombytes = int.from_bytes
        for pid, family, net, plen, org, parent in _tuples(
            tx,
            f"{cte} SELECT p.id, p.family, p.net, p.plen, p.org_id, p.parent_id"
            f" FROM prefix p WHERE {where}",
            args,
        ):
            first = frombytes(net, "big")
            last = first + (1 << (BITS[family] - plen)) - 1
            blocks.setdefault(org, {4: [], 6: []})[family].append((first, last, pid))
            parents[pid] = parent
        # A unit's purpose subnets lie inside its own block: only its outermost blocks
        # count, and a block whose parent is a block of the same unit never is one.
        strays: set[int] = set()
        for families in blocks.values():
            ids = {b[2] for mine in families.values() for b in mine}
            for family, mine in families.items():
                families[family] = tops = _outermost(mine)
                strays.update(b[2] for b in tops if parents[b[2]] in ids)
        nested = (
            "EXISTS (SELECT 1 FROM prefix q WHERE q.id = p.parent_id AND q.vrf_id = p.vrf_id"
            " AND q.org_id = p.org_id)"
        )
        free: dict[int, int] = defaultdict(int)
        for container, family, plen in _tuples(
            tx,
            f"{cte} SELECT f.container_id, p.family, f.plen FROM free_block f"
            f" JOIN prefix p ON p.id = f.container_id WHERE {where} AND NOT {nested}",
            args,
        ):
            free[container] += 1 << (BITS[family] - plen)
        if strays:
            # A damaged tree (a parent that does not hold its child) can leave a block
            # under one of its unit's own outermost: one more query for those.
            for container, family, plen in _tuples(
                tx,
                f"{cte} SELECT f.container_id, p.family, f.plen FROM free_block f"
                f" JOIN prefix p ON p.id = f.container_id WHERE {where} AND {nested}",
                args,
            ):
                if container in strays:
                    free[container] += 1 << (BITS[family] - plen)
        return cls(units, _regions(tx), blocks, free)


def _outermost(blocks: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """The blocks (first, last, id) that no other block of the list contains."""
    if len(blocks) < 2:
        return blocks
    return [
        b for b in blocks if not any(q is not b and q[0] <= b[0] and b[1] <= q[1] for q in blocks)
    ]


def _usage_rows(data: _UsageData) -> Iterator[dict[str, Any]]:
    regions = data.regions

    def region(u: dict[str, Any]) -> str | None:
        top = str(u["path"]).split("/", 1)[0]
        return top if top in regions else None

    def order(u: dict[str, Any]) -> tuple[str, int, str, str]:
        r = region(u)
        return (regions[r] if r else "~", orgs.RANK[u["level"]], u["code"] or "~", u["path"])

    none: dict[int, list[tuple[int, int, int]]] = {4: [], 6: []}
    free = data.free
    for u in sorted(data.units, key=order):
        row: dict[str, Any] = {"code": u["code"], "name": u["name"], "level": u["level"]}
        if regions:
            row[REGION] = region(u)
        row["path"] = u["path"]
        own = data.blocks.get(u["id"], none)
        for family in (4, 6):
            tops = own[family]
            assigned = sum(last - first + 1 for first, last, _ in tops)
            used = assigned - sum(free.get(pid, 0) for _, _, pid in tops)
            unit = 1 if family == 4 else 1 << 64
            a, us = assigned // unit, used // unit
            row[f"v{family}_blocks"] = len(tops)
            row[f"v{family}_assigned"] = a
            row[f"v{family}_used"] = us
            row[f"v{family}_free"] = a - us
            row[f"v{family}_percent"] = round(100 * used / assigned, 1) if assigned else None
        yield row


def check(store: Store, vrf: str | None = None, progress: Progress = QUIET) -> list[dict[str, Any]]:
    """Everything wrong with the address space; errors make `ipam check` exit 1.

    A VRF is read in a few whole-table queries (prefixes, the free-block index,
    units, addresses) and checked in memory: the number of queries does not grow
    with the number of prefixes.
    """

    def run(tx: Tx) -> list[dict[str, Any]]:
        problems: list[dict[str, Any]] = []
        vids = (
            [space.vrf_id(tx, vrf)]
            if vrf
            else [int(r["id"]) for r in tx.all("SELECT id FROM vrf ORDER BY name")]
        )
        units = {int(r["id"]): r for r in tx.all("SELECT id, code, path, parent_id FROM org_unit")}
        with collector_paused():
            for vid in vids:
                problems.extend(_check_vrf(tx, vid, units, progress))
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


_STEP = 10_000
"""Progress moves every this many prefixes: often enough to see, rarely enough to cost nothing."""


class _Row(NamedTuple):
    """A prefix as `check` needs it: integers, its last address computed once."""

    id: int
    family: int
    first: int
    plen: int
    last: int
    parent_id: int | None
    status: str
    is_pool: bool
    org_id: int | None

    def cidr(self) -> str:
        return str(Block(self.family, self.first, self.plen))


def _tuples(tx: Tx, sql: str, params: tuple[Any, ...]) -> Any:
    """A query's rows as plain tuples, on both backends: building hundreds of thousands
    of name-indexed rows costs more than the query itself."""
    cur = tx.execute(sql, params)
    if tx.dialect == "postgresql":
        from psycopg.rows import tuple_row

        cur.row_factory = tuple_row
    else:
        cur.row_factory = None
    return cur


def _prefix_rows(tx: Tx, vid: int) -> list[_Row]:
    out = []
    frombytes = int.from_bytes
    for pid, family, net, plen, parent, status, pool, org in _tuples(
        tx,
        "SELECT id, family, net, plen, parent_id, status, is_pool, org_id FROM prefix"
        " WHERE vrf_id = ? ORDER BY family, net, plen",
        (vid,),
    ):
        first = frombytes(net, "big")
        last = first + (1 << (BITS[family] - plen)) - 1
        out.append(_Row(pid, family, first, plen, last, parent, status, bool(pool), org))
    return out


def _free_index(tx: Tx, vid: int) -> tuple[set[int], dict[int, list[tuple[int, int]]]]:
    """The free-block index of a whole VRF in two queries: the prefixes wholly free
    (most leaves: no need to carry their block over), and every other free block as
    (first, plen) per container."""
    whole = {
        r[0]
        for r in _tuples(
            tx,
            "SELECT f.container_id FROM free_block f JOIN prefix p ON p.id = f.container_id"
            " WHERE p.vrf_id = ? AND f.net = p.net AND f.plen = p.plen",
            (vid,),
        )
    }
    parts: dict[int, list[tuple[int, int]]] = {}
    frombytes = int.from_bytes
    rows = _tuples(
        tx,
        "SELECT f.container_id, f.plen, f.net FROM free_block f"
        " JOIN prefix p ON p.id = f.container_id"
        " WHERE p.vrf_id = ? AND NOT (f.net = p.net AND f.plen = p.plen)",
        (vid,),
    )
    # Rows come container by container in practice; any order is still right.
    for container, group in groupby(rows, key=itemgetter(0)):
        entries = [(frombytes(net, "big"), plen) for _, plen, net in group]
        if container in parts:
            parts[container].extend(entries)
        else:
            parts[container] = entries
    return whole, parts


def _check_vrf(
    tx: Tx, vid: int, units: dict[int, Any], progress: Progress = QUIET
) -> list[dict[str, Any]]:
    name = space.vrf_name(tx, vid)
    progress.phase(f"reading {name}")
    rows = _prefix_rows(tx, vid)
    prefixes = {p.id: p for p in rows}
    wholly_free, free_index = _free_index(tx, vid)
    progress.phase(f"checking {name}", total=2 * len(rows))
    out: list[dict[str, Any]] = []
    groups: dict[tuple[int | None, int], list[_Row]] = defaultdict(list)
    for i, p in enumerate(rows, 1):
        groups[(p.parent_id, p.family)].append(p)
        if p.parent_id is not None:
            up = prefixes.get(p.parent_id)
            if (
                up is None
                or up.family != p.family
                or not (up.plen < p.plen and up.first <= p.first and p.last <= up.last)
            ):
                shown = up.cidr() if up else "?"
                out.append(
                    _problem(
                        "error", "outside-parent", name, p.cidr(), f"not inside its parent {shown}"
                    )
                )
        elif not p.is_pool:
            out.append(_problem("error", "orphan", name, p.cidr(), "not inside any pool"))
        if not i % _STEP:
            progress.advance(_STEP)
    progress.advance(len(rows) % _STEP)
    for siblings in groups.values():
        # Already in (first, plen) order: the rows came ordered by family, net, length.
        for a, b in zip(siblings, siblings[1:], strict=False):
            if b.first <= a.last:
                out.append(
                    _problem("error", "overlap", name, b.cidr(), f"overlaps sibling {a.cidr()}")
                )
    # The free-block index must cover exactly what the children leave.
    bits = BITS
    for i, p in enumerate(rows, 1):
        if not i % _STEP:
            progress.advance(_STEP)
        kids = groups.get((p.id, p.family))
        entries = free_index.get(p.id)
        if p.id in wholly_free:
            if not kids and not entries:
                continue  # a leaf, wholly free: the common case, and sound
            entries = [*(entries or ()), (p.first, p.plen)]
        kids = kids or []
        entries = entries or []
        top = bits[p.family]
        spans = [(c.first, c.last) for c in kids]
        spans.extend((first, first + (1 << (top - plen)) - 1) for first, plen in entries)
        spans.sort()
        if (
            spans
            and spans[0][0] == p.first
            and spans[-1][1] == p.last
            and all(b[0] == a[1] + 1 for a, b in zip(spans, spans[1:], strict=False))
        ):
            # Children and free blocks tile the prefix exactly: the index is sound.
            if not entries and kids and p.status == "container":
                out.append(_problem("warning", "exhausted", name, p.cidr(), "no free space left"))
            continue
        used = sum(c.last - c.first + 1 for c in kids)
        free_size = sum(1 << (top - plen) for _, plen in entries)
        size = p.last - p.first + 1
        if used + free_size != size:
            detail = f"children {used} + free {free_size} != size {size}"
            out.append(_problem("error", "index", name, p.cidr(), detail))
            continue
        # Equal sums can still hide a free block over a child and a hole elsewhere.
        gap = _tiling_fault(p, kids, entries)
        if gap is not None:
            out.append(_problem("error", "index", name, p.cidr(), gap))
        elif free_size == 0 and used and p.status == "container":
            out.append(_problem("warning", "exhausted", name, p.cidr(), "no free space left"))
    progress.advance(len(rows) % _STEP)
    # Reserved space is never handed out: a reserved block holding live blocks is wrong.
    for p in rows:
        if p.status != "reserved":
            continue
        live = [
            c for c in groups.get((p.id, p.family), []) if c.status in ("allocated", "container")
        ]
        if live:
            shown = ", ".join(c.cidr() for c in live[:3]) + (" …" if len(live) > 3 else "")
            out.append(
                _problem(
                    "error",
                    "reserved-in-use",
                    name,
                    p.cidr(),
                    f"reserved, yet holds {len(live)} allocated blocks ({shown})",
                )
            )
    out.extend(_check_orgs(name, rows, units))
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


def _tiling_fault(p: _Row, kids: list[_Row], free: list[tuple[int, int]]) -> str | None:
    """Why children and free blocks do not tile prefix `p` exactly, or None when they do."""
    top = BITS[p.family]
    # Ties at one address: children first (by length), then free blocks (by length).
    parts = sorted(
        [(c.first, 0, c.plen, c.last) for c in kids]
        + [(first, 1, plen, first + (1 << (top - plen)) - 1) for first, plen in free]
    )
    cursor = p.first
    for first, kind, plen, last in parts:
        if first > cursor:
            return f"address {addr_text(p.family, cursor)} is neither free nor in a child"
        if first < cursor or last > p.last:
            what = "free" if kind else "child"
            return f"{what} block {Block(p.family, first, plen)} overlaps another entry or lies outside"
        cursor = last + 1
    return None


def _check_orgs(name: str, rows: list[_Row], units: dict[int, Any]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    blocks: dict[tuple[int, int], list[_Row]] = defaultdict(list)
    for p in rows:
        if p.org_id is not None and p.status != "quarantine":
            blocks[(p.org_id, p.family)].append(p)
    for (uid, family), mine in blocks.items():
        parent = units[uid]["parent_id"]
        if parent is None:
            continue
        theirs = blocks.get((parent, family), [])
        for b in mine:
            if not any(
                t.plen <= b.plen and t.first <= b.first and b.last <= t.last for t in theirs
            ):
                out.append(
                    _problem(
                        "error",
                        "aggregation",
                        name,
                        b.cidr(),
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
    by_tier: dict[tuple[str | None, str], list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        by_tier[(r[REGION] if grouped else None, r["level"])].append(r)
    out = []
    for region in regions:
        for level in orgs.LEVELS:
            mine = by_tier.get((region, level))
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


def coverage(
    store: Store, org_ref: str | None = None, depth: int = 1, vrf: str | None = None
) -> list[dict[str, Any]]:
    """Villages with an IPv4 block, an IPv6 block, and both, per county (and town).

    `depth` counts from the city (or the unit asked about): 1 gives each city and
    its counties, 2 their towns too. Provinces, where stored, add a row each above
    their cities. Two queries whatever the size: the subtree, and which of its
    villages hold a block of each family.
    """

    def run(tx: Tx) -> list[dict[str, Any]]:
        vid = space.vrf_id(tx, vrf)
        root = orgs.resolve(tx, org_ref) if org_ref else None
        rows = orgs.subtree(tx, root)
        cte, params = orgs.subtree_sql(root)
        has: dict[int, set[int]] = defaultdict(set)
        for org, family in _tuples(
            tx,
            f"{cte} SELECT DISTINCT p.org_id, p.family FROM prefix p"
            " WHERE p.vrf_id = ? AND p.org_id IN (SELECT id FROM sub)"
            " AND p.org_id IN (SELECT id FROM org_unit WHERE level = 'village')"
            " AND p.status != 'quarantine'",
            (*params, vid),
        ):
            has[int(org)].add(int(family))
        return _coverage(rows, has, depth)

    return store.read(run)


def _coverage(
    rows: list[dict[str, Any]], has: dict[int, set[int]], depth: int
) -> list[dict[str, Any]]:
    by_id = {r["id"]: r for r in rows}
    # A province stands only at the top: the units under one count depth from its cities.
    above_city = set(orgs.LEVELS[: orgs.LEVELS.index("city")])
    tops = {r["id"] for r in rows if r["depth"] == 0 and r["level"] in above_city}
    top_of: dict[int, int] = {}

    def top(uid: int) -> int:
        """The topmost unit of the subtree above `uid`."""
        path: list[int] = []
        while uid not in top_of and by_id[uid]["parent_id"] in by_id and len(path) <= len(by_id):
            path.append(uid)
            uid = by_id[uid]["parent_id"]
        found = top_of.get(uid, uid)
        for step in path:
            top_of[step] = found
        top_of[uid] = found
        return found

    groups: dict[int, dict[str, Any]] = {}
    for r in rows:
        # Tree depth, not tier: a city without counties (东莞) has towns at depth 1.
        if r["level"] != "village" and int(r["depth"]) - (top(r["id"]) in tops) <= depth:
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
        v4, v6 = 4 in fams, 6 in fams
        anc = r["parent_id"]
        while anc in by_id:
            g = groups.get(anc)
            if g is not None:
                g["villages"] += 1
                g["ipv4"] += v4
                g["ipv6"] += v6
                g["both"] += v4 and v6
            anc = by_id[anc]["parent_id"]
    out = list(groups.values())
    for g in out:
        n = g["villages"]
        for key in ("ipv4", "ipv6", "both"):
            g[f"{key}_percent"] = round(100 * g[key] / n, 1) if n else None
    out.sort(key=lambda g: (g["code"] or "~", g["path"]))
    return out


def village_coverage(store: Store, vrf: str | None = None) -> dict[str, Any]:
    """Four-tier coverage of the whole database: `coverage`'s figures summed over its
    top rows (each city, or the province above it), so every village counts once.

    Keys: villages, ipv4, ipv6, both, and `{key}_percent` of all villages (one
    decimal, as `coverage` rounds; None without villages).
    """
    rows = coverage(store, None, 1, vrf)
    paths = {r["path"] for r in rows}

    def ancestors(path: str) -> Iterator[str]:
        parts = path.split("/")
        return ("/".join(parts[:i]) for i in range(1, len(parts)))

    tops = [r for r in rows if not any(a in paths for a in ancestors(r["path"]))]
    out: dict[str, Any] = {
        key: sum(r[key] for r in tops) for key in ("villages", "ipv4", "ipv6", "both")
    }
    n = out["villages"]
    for key in ("ipv4", "ipv6", "both"):
        out[f"{key}_percent"] = round(100 * out[key] / n, 1) if n else None
    return out
