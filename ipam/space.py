"""Prefixes in VRFs: add, allocate, release, reserve; the free-block index.

Operations another domain composes run inside the caller's open transaction,
so that (say) a VM and its block commit together or not at all:

- `alloc_in(tx, request)` hands out the blocks an `AllocRequest` asks for;
- `release_in(tx, cidr, ...)` gives a block back;
- `place(tx, ...)` records one specific block.

Each takes the space lock itself and may be called several times in one
transaction. `alloc(store, request)` and `release(store, ...)` are the same
operations in a transaction of their own.

Every prefix keeps its free space in `free_block` as maximal aligned blocks
(buddy style). Allocation takes the smallest free block that holds the request,
lowest address first, and splits it; release puts the block back and merges it
with its buddy while the buddy is free. Both touch O(prefix length) rows,
whatever the number of prefixes already present.

Writes in one VRF and family are serialised: SQLite by BEGIN IMMEDIATE, and
PostgreSQL by an advisory lock, with an EXCLUDE constraint as the last word.
"""

from __future__ import annotations

import heapq
import math
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import Any, NamedTuple

from infra import locks
from infra.errors import Conflict, GovopsError, InvalidInput, NotFound
from infra.inputs import unstorable, whole_number
from infra.org import units as orgs
from infra.store import Store, Tx
from ipam.addr import (
    BITS,
    Block,
    Undecided,
    blob,
    free_text,
    one_word,
    parse_block,
    parse_size,
    plen_for_hosts,
    remainder,
    unblob,
)

STATUSES = ("container", "allocated", "reserved", "quarantine")
DEFAULT_VRF = "egov"
DEFAULT_QUARANTINE_DAYS = 7

MAX_COUNT = 20_000
"""The most blocks one allocation request may ask for. The request holds the space's
write lock until it commits, and everyone else's allocation in that space waits:
bench/alloc_wait.py measures how long (on PostgreSQL the no-overlap constraint's
index makes each new sibling cost more than the last, which sets this bound)."""

MAX_QUARANTINE_DAYS = 3650
"""The longest quarantine (ten years), for the setting and for one release."""

MAX_HEADROOM = 10.0
"""The largest headroom fraction for sizing by hosts (10: eleven times the hosts)."""


class PrefixExhausted(GovopsError):
    """No free block in the source is large enough for the request."""


class OverlapError(Conflict):
    """The prefix overlaps a sibling."""


class UnknownVrf(NotFound):
    """No VRF of that name."""


class TooManyBlocks(InvalidInput):
    """A request for more blocks than one request may ask for (`MAX_COUNT`)."""


class BadSetting(InvalidInput):
    """A stored setting is out of its range (written by an older version); `key` names it."""

    def __init__(self, message: str, key: str):
        super().__init__(message)
        self.key = key


class UnclearRequest(InvalidInput):
    """An allocation request that does not say clearly how much, or from where.

    `reason` names what is unclear: "amount" (a size or a number of hosts),
    "where" (no source), "units" (more than a source and an assignee unit),
    "assignee-and-units" (an assignee beside two units), "source-and-units" (a
    source prefix beside two units), "assignee-twice" (the assignee named twice).
    """

    def __init__(self, message: str, reason: str):
        super().__init__(message)
        self.reason = reason


class TopLevelUnit(Undecided, InvalidInput):
    """A top-level unit has no parent unit to allocate from: the source must be named."""

    choice = "source"


class MixedFamilies(Undecided, InvalidInput):
    """The source unit has IPv4 and IPv6 blocks and the request fits either."""

    choice = "family"


class NotEmpty(Undecided, Conflict):
    """The block still holds prefixes or addresses; releasing it takes them too."""

    choice = "recursive"


class Prefix(NamedTuple):
    id: int
    vrf_id: int
    block: Block
    parent_id: int | None
    status: str
    is_pool: bool
    org_id: int | None
    purpose: str | None
    description: str | None
    quarantine_until: str | None

    @property
    def cidr(self) -> str:
        return str(self.block)

    @classmethod
    def from_row(cls, row: Any) -> Prefix:
        """A prefix from a row holding the columns `SELECT_PREFIX` reads."""
        return cls(
            int(row["id"]),
            int(row["vrf_id"]),
            Block(int(row["family"]), unblob(row["net"]), int(row["plen"])),
            row["parent_id"],
            row["status"],
            bool(row["is_pool"]),
            row["org_id"],
            row["purpose"],
            row["description"],
            row["quarantine_until"],
        )


SELECT_PREFIX = (
    "SELECT id, vrf_id, family, net, plen, parent_id, status, is_pool, org_id, purpose,"
    " description, quarantine_until FROM prefix"
)
"""Every column `Prefix.from_row` needs; append WHERE/ORDER BY clauses."""

PREFIX_FIELDS = (
    "vrf",
    "prefix",
    "family",
    "status",
    "pool",
    "parent",
    "org_code",
    "org_path",
    "org_level",
    "purpose",
    "description",
    "quarantine_until",
)
"""The keys of a prefix record (`record`), in order: the export columns too."""


def record(vrf: str, p: Prefix, parent: str | None, org: orgs.OrgUnit | None) -> dict[str, Any]:
    """The one shape of a prefix: command output, export row and `prefix.add` audit row.

    `vrf` is the VRF's name, `parent` the parent prefix's CIDR, `org` the unit
    the prefix is assigned to (None when it has none).
    """
    out: dict[str, Any] = {
        "vrf": vrf,
        "prefix": str(p.block),
        "family": p.block.family,
        "status": p.status,
        "pool": p.is_pool,
        "parent": parent,
        "org_code": org.code if org else None,
        "org_path": org.path if org else None,
        "org_level": org.level if org else None,
        "purpose": p.purpose,
        "description": p.description,
        "quarantine_until": p.quarantine_until,
    }
    return out


# -- settings and VRFs -----------------------------------------------------


def setting(tx: Tx, key: str, default: str) -> str:
    value = tx.scalar("SELECT value FROM setting WHERE key = ?", (key,))
    return default if value is None else str(value)


def set_setting(store: Store, key: str, value: str) -> None:
    def run(tx: Tx) -> None:
        old = tx.scalar("SELECT value FROM setting WHERE key = ?", (key,))
        if old is None:
            tx.execute("INSERT INTO setting (key, value) VALUES (?, ?)", (key, value))
        else:
            tx.execute("UPDATE setting SET value = ? WHERE key = ?", (value, key))
        tx.audit("setting.set", "setting", key, {"value": old}, {"value": value})

    store.write(run)


def vrf_id(tx: Tx, name: str | None) -> int:
    name = name or DEFAULT_VRF
    found = None if unstorable(name) else tx.scalar("SELECT id FROM vrf WHERE name = ?", (name,))
    if found is None:
        names = [r["name"] for r in tx.all("SELECT name FROM vrf ORDER BY name")]
        raise UnknownVrf(f"no VRF named {name!r} (known: {', '.join(names)})")
    return int(found)


def vrf_name(tx: Tx, vid: int) -> str:
    return str(tx.scalar("SELECT name FROM vrf WHERE id = ?", (vid,)))


def add_vrf(
    store: Store, name: str, rd: str | None = None, description: str | None = None
) -> dict[str, str | None]:
    name = one_word(name.strip() if isinstance(name, str) else name, "VRF name")
    rd = free_text(rd, "route distinguisher", 64)
    description = free_text(description, "description")

    def run(tx: Tx) -> dict[str, str | None]:
        if tx.scalar("SELECT id FROM vrf WHERE name = ?", (name,)) is not None:
            raise Conflict(f"VRF {name!r} already exists")
        tx.insert(
            "INSERT INTO vrf (name, rd, description, created_at) VALUES (?, ?, ?, ?)",
            (name, rd, description, tx.now),
        )
        after = {"name": name, "rd": rd, "description": description}
        tx.audit("vrf.add", "vrf", name, None, after)
        return after

    return store.write(run)


def list_vrfs(store: Store) -> list[dict[str, Any]]:
    def run(tx: Tx) -> list[dict[str, Any]]:
        rows = tx.all(
            "SELECT v.name, v.rd, v.description,"
            " (SELECT count(*) FROM prefix p WHERE p.vrf_id = v.id) AS prefixes"
            " FROM vrf v ORDER BY v.name"
        )
        return [dict(r) for r in rows]

    return store.read(run)


# -- lookups ---------------------------------------------------------------


def lock_space(tx: Tx, vid: int, family: int) -> None:
    """Serialise writers in one VRF and family (PostgreSQL; SQLite writes are serial)."""
    locks.hold_space(tx, vid, family)


def get(tx: Tx, pid: int) -> Prefix:
    row = tx.one(f"{SELECT_PREFIX} WHERE id = ?", (pid,))
    if row is None:
        raise NotFound(f"no prefix with id {pid}")
    return Prefix.from_row(row)


def _candidate(tx: Tx, vid: int, parent_id: int | None, block: Block) -> Prefix | None:
    """The one child of `parent_id` that could contain `block`: siblings are disjoint,
    so it is the one starting last at or below `block`, found by one index seek
    (`prefix_top` at the top level, `prefix_parent` below). No ORDER BY on plen:
    siblings never share a start, and a second key would make each backend sort."""
    if parent_id is None:
        row = tx.one(
            f"{SELECT_PREFIX} WHERE parent_id IS NULL AND vrf_id = ? AND family = ? AND net <= ?"
            " ORDER BY net DESC LIMIT 1",
            (vid, block.family, blob(block.first)),
        )
    else:
        row = tx.one(
            f"{SELECT_PREFIX} WHERE parent_id = ? AND net <= ? ORDER BY net DESC LIMIT 1",
            (parent_id, blob(block.first)),
        )
    if row is None:
        return None
    p = Prefix.from_row(row)
    return p if p.block.contains(block) else None


def chain(tx: Tx, vid: int, block: Block) -> list[Prefix]:
    """Every stored prefix containing `block` (itself included), outermost first."""
    out: list[Prefix] = []
    parent: int | None = None
    while True:
        found = _candidate(tx, vid, parent, block)
        if found is None:
            return out
        out.append(found)
        if found.block == block:
            return out
        parent = found.id


def exact(tx: Tx, vid: int, block: Block) -> Prefix | None:
    row = tx.one(
        f"{SELECT_PREFIX} WHERE vrf_id = ? AND family = ? AND net = ? AND plen = ?",
        (vid, block.family, blob(block.first), block.plen),
    )
    return Prefix.from_row(row) if row else None


def require(tx: Tx, vid: int, block: Block) -> Prefix:
    found = exact(tx, vid, block)
    if found is None:
        raise NotFound(f"no prefix {block} in VRF {vrf_name(tx, vid)}")
    return found


def children(tx: Tx, pid: int) -> list[Prefix]:
    return [
        Prefix.from_row(r)
        for r in tx.all(f"{SELECT_PREFIX} WHERE parent_id = ? ORDER BY net", (pid,))
    ]


# -- the free-block index --------------------------------------------------


def _free_insert(tx: Tx, container: int, block: Block) -> None:
    tx.execute(
        "INSERT INTO free_block (container_id, plen, net) VALUES (?, ?, ?)",
        (container, block.plen, blob(block.first)),
    )


def _free_delete(tx: Tx, container: int, block: Block) -> None:
    tx.execute(
        "DELETE FROM free_block WHERE container_id = ? AND plen = ? AND net = ?",
        (container, block.plen, blob(block.first)),
    )


def _split_down(tx: Tx, container: int, free: Block, target: Block) -> None:
    """`free` is taken out of the index; give back everything in it but `target`."""
    for block in remainder(free, target):
        _free_insert(tx, container, block)


def best_free(tx: Tx, container: Prefix, plen: int) -> Block | None:
    """The smallest free block in `container` that holds a /plen, lowest address first."""
    best = tx.scalar(
        "SELECT max(plen) FROM free_block WHERE container_id = ? AND plen <= ?",
        (container.id, plen),
    )
    if best is None:
        return None
    net = tx.scalar(
        "SELECT net FROM free_block WHERE container_id = ? AND plen = ? ORDER BY net LIMIT 1",
        (container.id, best),
    )
    return Block(container.block.family, unblob(net), int(best))


def _take(tx: Tx, container: Prefix, free: Block, plen: int) -> Block:
    target = Block(free.family, free.first, plen)
    _free_delete(tx, container.id, free)
    _split_down(tx, container.id, free, target)
    return target


def _carve(tx: Tx, container: Prefix, block: Block) -> bool:
    """Take exactly `block` out of the container's free space; False if not all free."""
    row = tx.one(
        "SELECT plen, net FROM free_block WHERE container_id = ? AND net <= ?"
        " ORDER BY net DESC LIMIT 1",  # free blocks are disjoint: one per start
        (container.id, blob(block.first)),
    )
    if row is None:
        return False
    free = Block(block.family, unblob(row["net"]), int(row["plen"]))
    if not free.contains(block):
        return False
    _free_delete(tx, container.id, free)
    _split_down(tx, container.id, free, block)
    return True


def _give_back(tx: Tx, container: Prefix, block: Block) -> None:
    """Return `block` to the container's free space, merging buddies upward."""
    bits = BITS[block.family]
    while block.plen > container.block.plen:
        buddy = Block(block.family, block.first ^ (1 << (bits - block.plen)), block.plen)
        present = tx.scalar(
            "SELECT count(*) FROM free_block WHERE container_id = ? AND plen = ? AND net = ?",
            (container.id, buddy.plen, blob(buddy.first)),
        )
        if not present:
            break
        _free_delete(tx, container.id, buddy)
        block = Block(block.family, min(block.first, buddy.first), block.plen - 1)
    _free_insert(tx, container.id, block)


def free_blocks(tx: Tx, pid: int, family: int) -> list[Block]:
    rows = tx.all("SELECT plen, net FROM free_block WHERE container_id = ? ORDER BY net", (pid,))
    return [Block(family, unblob(r["net"]), int(r["plen"])) for r in rows]


# -- quarantine ------------------------------------------------------------


def _purge_quarantine(tx: Tx, container: Prefix | None, vid: int, family: int) -> None:
    """Blocks whose quarantine has run out become free again."""
    if container is None:
        rows = tx.all(
            f"{SELECT_PREFIX} WHERE parent_id IS NULL AND vrf_id = ? AND family = ?"
            " AND status = 'quarantine' AND quarantine_until <= ?",
            (vid, family, tx.now),
        )
    else:
        rows = tx.all(
            f"{SELECT_PREFIX} WHERE parent_id = ? AND status = 'quarantine' AND quarantine_until <= ?",
            (container.id, tx.now),
        )
    for row in rows:
        _delete(tx, Prefix.from_row(row), container, audit=False)
        tx.audit("prefix.unquarantine", "prefix", str(Prefix.from_row(row).block), None, None)


def _chain_after_quarantine(tx: Tx, vid: int, block: Block) -> list[Prefix]:
    """`chain`, once a quarantine that has run out on the way to `block` is freed.

    Without this a lapsed block still stands in the tree: `ipam free` counts it
    free, yet `ipam add` or `ipam reserve` of it is refused as existing.
    """
    found = chain(tx, vid, block)
    if found and found[-1].status == "quarantine" and found[-1].quarantine_until is not None:
        if found[-1].quarantine_until <= tx.now:
            parent = found[-2] if len(found) > 1 else None
            _purge_quarantine(tx, parent, vid, block.family)
            found = chain(tx, vid, block)
    return found


# -- writing prefixes ------------------------------------------------------


def _insert(
    tx: Tx,
    vid: int,
    block: Block,
    parent: Prefix | None,
    status: str,
    org: orgs.OrgUnit | None,
    purpose: str | None,
    description: str | None,
    is_pool: bool = False,
    quarantine_until: str | None = None,
) -> Prefix:
    pid = tx.insert(
        "INSERT INTO prefix (vrf_id, family, net, plen, cidr, parent_id, status, is_pool,"
        " org_id, purpose, description, quarantine_until, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            vid,
            block.family,
            blob(block.first),
            block.plen,
            str(block),
            parent.id if parent else None,
            status,
            int(is_pool),
            org.id if org else None,
            purpose,
            description,
            quarantine_until,
            tx.now,
        ),
    )
    _free_insert(tx, pid, block)
    made = Prefix(
        pid,
        vid,
        block,
        parent.id if parent else None,
        status,
        is_pool,
        org.id if org else None,
        purpose,
        description,
        quarantine_until,
    )
    if parent is not None:
        # Addresses recorded in the parent that fall in the new block now belong to it.
        tx.execute(
            "UPDATE ip_address SET prefix_id = ? WHERE prefix_id = ? AND addr >= ? AND addr <= ?",
            (pid, parent.id, blob(block.first), blob(block.last)),
        )
    tx.audit("prefix.add", "prefix", str(block), None, describe(tx, made, org))
    return made


def describe(tx: Tx, p: Prefix, org: orgs.OrgUnit | None = None) -> dict[str, Any]:
    """`record` of a stored prefix, its VRF name, parent and unit read in `tx`."""
    if org is None and p.org_id is not None:
        org = orgs.get(tx, p.org_id)
    parent = None
    if p.parent_id is not None:
        parent = tx.scalar("SELECT cidr FROM prefix WHERE id = ?", (p.parent_id,))
    return record(vrf_name(tx, p.vrf_id), p, parent, org)


def _unit_blocks(tx: Tx, vid: int, unit_id: int, family: int) -> list[Block]:
    """A unit's blocks (quarantine aside) in one VRF and family."""
    rows = tx.all(
        "SELECT net, plen FROM prefix WHERE org_id = ? AND vrf_id = ? AND family = ?"
        " AND status != 'quarantine'",
        (unit_id, vid, family),
    )
    return [Block(family, unblob(r["net"]), int(r["plen"])) for r in rows]


def check_aggregation(tx: Tx, vid: int, block: Block, org: orgs.OrgUnit) -> None:
    """A block for a unit must lie inside a block of the unit's parent unit."""
    if org.parent_id is None:
        return
    blocks = _unit_blocks(tx, vid, org.parent_id, block.family)
    if any(b.contains(block) for b in blocks):
        return
    raise breaks_aggregation(tx, vid, block, org, blocks)


def _check_aggregation_many(
    tx: Tx,
    vid: int,
    org: orgs.OrgUnit,
    family: int,
    sources: dict[int, Prefix],
    picks: list[tuple[int, Block]],
) -> None:
    """`check_aggregation` of many blocks: once per source when the source lies inside a
    block of the unit's parent unit, block by block (in memory) otherwise."""
    if org.parent_id is None:
        return
    blocks = _unit_blocks(tx, vid, org.parent_id, family)
    inside = {sid for sid, s in sources.items() if any(b.contains(s.block) for b in blocks)}
    for container, block in picks:
        if container not in inside and not any(b.contains(block) for b in blocks):
            raise breaks_aggregation(tx, vid, block, org, blocks)


def breaks_aggregation(
    tx: Tx, vid: int, block: Block, org: orgs.OrgUnit, blocks: list[Block]
) -> Conflict:
    assert org.parent_id is not None
    parent_unit = orgs.get(tx, org.parent_id)
    if not blocks:
        return Conflict(
            f"{block} for {org.label()} breaks aggregation: its parent unit"
            f" {parent_unit.label()} has no IPv{block.family} block in VRF {vrf_name(tx, vid)}"
        )
    shown = ", ".join(str(b) for b in blocks[:5])
    return Conflict(
        f"{block} for {org.label()} breaks aggregation: it is outside every block of"
        f" {parent_unit.label()} ({shown})"
    )


def _overlapping_children(tx: Tx, vid: int, parent: Prefix | None, block: Block) -> list[Prefix]:
    if parent is None:
        rows = tx.all(
            f"{SELECT_PREFIX} WHERE parent_id IS NULL AND vrf_id = ? AND family = ?"
            " AND net >= ? AND net <= ? ORDER BY net",
            (vid, block.family, blob(block.first), blob(block.last)),
        )
    else:
        rows = tx.all(
            f"{SELECT_PREFIX} WHERE parent_id = ? AND net >= ? AND net <= ? ORDER BY net",
            (parent.id, blob(block.first), blob(block.last)),
        )
    return [Prefix.from_row(r) for r in rows]


def place(
    tx: Tx,
    vid: int,
    block: Block,
    status: str,
    org: orgs.OrgUnit | None,
    purpose: str | None = None,
    description: str | None = None,
    is_pool: bool = False,
    quarantine_until: str | None = None,
) -> Prefix:
    """Record a specific block where it belongs in the tree (the core of `ipam add`)."""
    if status not in STATUSES:
        raise InvalidInput(f"status {status!r}: use one of {', '.join(STATUSES[:3])}")
    lock_space(tx, vid, block.family)
    found = _chain_after_quarantine(tx, vid, block)
    if found and found[-1].block == block:
        raise Conflict(f"{block} already exists in VRF {vrf_name(tx, vid)}")
    parent = found[-1] if found else None
    if parent is not None and parent.status == "quarantine":
        raise Conflict(f"{block} lies in {parent.block}, which is in quarantine")
    if is_pool and parent is not None:
        raise Conflict(f"a pool stands at the top; {block} lies inside {parent.block}")
    if parent is not None and parent.status == "reserved" and status != "reserved":
        raise Conflict(f"{block} lies in {parent.block}, which is reserved")
    _purge_quarantine(tx, parent, vid, block.family)
    if org is not None:
        check_aggregation(tx, vid, block, org)
    if parent is not None and _carve(tx, parent, block):
        return _insert(
            tx, vid, block, parent, status, org, purpose, description, is_pool, quarantine_until
        )
    inside = _overlapping_children(tx, vid, parent, block)
    if parent is None and not inside:
        return _insert(
            tx, vid, block, None, status, org, purpose, description, is_pool, quarantine_until
        )
    if status != "container" or not inside:
        shown = ", ".join(str(p.block) for p in inside[:5]) or "addresses"
        raise OverlapError(f"{block} overlaps {shown} in VRF {vrf_name(tx, vid)}")
    pools_inside = [p for p in inside if p.is_pool]
    if pools_inside:
        # The rule above, seen from the other side: a container over a pool would
        # push that pool below the top.
        raise Conflict(f"{block} would hold pool {pools_inside[0].block}; a pool stands at the top")
    return _insert_around(
        tx, vid, block, parent, inside, org, purpose, description, is_pool, quarantine_until
    )


def _insert_around(
    tx: Tx,
    vid: int,
    block: Block,
    parent: Prefix | None,
    inside: list[Prefix],
    org: orgs.OrgUnit | None,
    purpose: str | None,
    description: str | None,
    is_pool: bool,
    quarantine_until: str | None,
) -> Prefix:
    """A new container over existing siblings: they and the free space between move in."""
    made = _insert(
        tx, vid, block, parent, "container", org, purpose, description, is_pool, quarantine_until
    )
    tx.execute("DELETE FROM free_block WHERE container_id = ?", (made.id,))
    if parent is not None:
        tx.execute(
            "UPDATE free_block SET container_id = ? WHERE container_id = ? AND net >= ? AND net <= ?",
            (made.id, parent.id, blob(block.first), blob(block.last)),
        )
    else:
        # Top level has no index: the free space is what the moved blocks leave.
        cursor = block.first
        for child in inside:
            for gap in _aligned(cursor, child.block.first - 1, block.family):
                _free_insert(tx, made.id, gap)
            cursor = child.block.last + 1
        for gap in _aligned(cursor, block.last, block.family):
            _free_insert(tx, made.id, gap)
    ids = [p.id for p in inside]
    tx.executemany("UPDATE prefix SET parent_id = ? WHERE id = ?", [(made.id, i) for i in ids])
    return made


def _aligned(first: int, last: int, family: int) -> list[Block]:
    from ipam.addr import aligned_blocks

    return aligned_blocks(first, last, family) if first <= last else []


def _delete(tx: Tx, p: Prefix, parent: Prefix | None, audit: bool = True) -> None:
    tx.execute("DELETE FROM free_block WHERE container_id = ?", (p.id,))
    tx.execute("DELETE FROM prefix WHERE id = ?", (p.id,))
    if parent is not None:
        _give_back(tx, parent, p.block)
    if audit:
        tx.audit("prefix.remove", "prefix", str(p.block), describe(tx, p), None)


# -- public operations -----------------------------------------------------


def _org(tx: Tx, ref: str | None) -> orgs.OrgUnit | None:
    """The unit `ref` names; None only when no reference is given (an empty one is refused)."""
    return None if ref is None else orgs.resolve(tx, ref)


def add(
    store: Store,
    cidr: str,
    org_ref: str | None = None,
    purpose: str | None = None,
    status: str = "allocated",
    vrf: str | None = None,
    description: str | None = None,
    strict: bool = True,
    pool: bool = False,
) -> dict[str, Any]:
    """Record a specific prefix; its parent is the smallest prefix that contains it."""
    block = parse_block(cidr, strict)
    purpose = free_text(purpose, "purpose")
    description = free_text(description, "description")

    def run(tx: Tx) -> dict[str, Any]:
        vid = vrf_id(tx, vrf)
        org = _org(tx, org_ref)
        made = place(
            tx, vid, block, "container" if pool else status, org, purpose, description, pool
        )
        return describe(tx, made, org)

    return store.write(run)


def _sources(
    tx: Tx,
    vid: int,
    from_cidr: str | None,
    within: orgs.OrgUnit | None,
    family: int | None,
    plen: int | None = None,
    status: str = "allocated",
) -> list[Prefix]:
    if from_cidr:
        source = require(tx, vid, parse_block(from_cidr))
        if source.status == "quarantine":
            raise Conflict(f"{source.block} is in quarantine")
        if family and source.block.family != family:
            raise InvalidInput(f"{source.block} is not an IPv{family} prefix")
        if source.status == "reserved" and status != "reserved":
            raise Conflict(f"{source.block} is reserved: nothing is handed out inside it")
        return [source]
    assert within is not None
    rows = tx.all(
        f"{SELECT_PREFIX} WHERE org_id = ? AND vrf_id = ? AND status != 'quarantine'"
        + (" AND family = ?" if family else "")
        + " ORDER BY family, net",
        (within.id, vid, family) if family else (within.id, vid),
    )
    mine = [Prefix.from_row(r) for r in rows]
    if status != "reserved":
        mine = [p for p in mine if p.status != "reserved"]
    # The unit's purpose subnets lie inside its block: allocate from the block itself,
    # never inside a subnet already handed out for a purpose.
    found = [p for p in mine if not any(q != p and q.block.contains(p.block) for q in mine)]
    if not found:
        fam = f"IPv{family} " if family else ""
        raise Conflict(f"{within.label()} has no {fam}block in VRF {vrf_name(tx, vid)}")
    families = {p.block.family for p in found}
    if len(families) > 1 and plen is not None:
        # A dual-stack unit: a /16 only fits its IPv4 blocks, so the family is plain.
        fits = {p.block.family for p in found if p.block.plen < plen}
        if len(fits) == 1:
            found = [p for p in found if p.block.family in fits]
            families = fits
    if len(families) > 1:
        raise MixedFamilies(f"{within.label()} has IPv4 and IPv6 blocks; say which family")
    return found


ALLOC_STATUSES = ("allocated", "reserved", "container")

_BLANK = {
    "source": "the source prefix is empty",
    "within": "the unit to allocate inside is an empty reference",
    "assignee": "the assignee is an empty reference",
    "units": "an empty unit reference names no unit",
}


def _no_blanks(**refs: str | Sequence[str] | None) -> None:
    """Refuse an empty or blank reference: it must not quietly mean 'none given'."""
    for name, ref in refs.items():
        values = [ref] if isinstance(ref, str) else list(ref or [])
        if any(not v.strip() for v in values):
            raise InvalidInput(_BLANK[name])


def _one_amount(size: str | None, hosts: int | None) -> None:
    if size is not None and hosts is not None:
        raise UnclearRequest("give a size or a number of hosts, not both", "amount")
    if size is None and hosts is None:
        raise UnclearRequest("say how much: a size or a number of hosts", "amount")


class AllocRequest:
    """What to allocate, from where, for whom: checked when made, decided by `alloc_in`.

    The source is `source` (a CIDR), or the blocks of the unit `within`, or else
    the blocks of the assignee's parent unit (so every tier aggregates).
    `size` is a prefix length ("/26" or "26"); `hosts` asks for the smallest
    block with room for that many hosts plus `headroom` (default: the setting).
    """

    # A plain frozen class, not a dataclass: `ipam find` imports this module, and
    # building a dataclass (and importing dataclasses) costs start-up it pays on every
    # lookup. Equal when every field is; `replace` gives a checked copy.
    __slots__ = (
        "size",
        "hosts",
        "source",
        "within",
        "assignee",
        "purpose",
        "description",
        "family",
        "vrf",
        "count",
        "status",
        "headroom",
    )
    size: str | None
    hosts: int | None
    source: str | None
    within: str | None
    assignee: str | None
    purpose: str | None
    description: str | None
    family: int | None
    vrf: str | None
    count: int
    status: str
    headroom: float | None

    def __init__(
        self,
        *,
        size: str | None = None,
        hosts: int | None = None,
        source: str | None = None,
        within: str | None = None,
        assignee: str | None = None,
        purpose: str | None = None,
        description: str | None = None,
        family: int | None = None,
        vrf: str | None = None,
        count: int = 1,
        status: str = "allocated",
        headroom: float | None = None,
    ) -> None:
        object.__setattr__(self, "size", size)
        object.__setattr__(self, "hosts", hosts)
        object.__setattr__(self, "source", source)
        object.__setattr__(self, "within", within)
        object.__setattr__(self, "assignee", assignee)
        object.__setattr__(self, "purpose", purpose)
        object.__setattr__(self, "description", description)
        object.__setattr__(self, "family", family)
        object.__setattr__(self, "vrf", vrf)
        object.__setattr__(self, "count", count)
        object.__setattr__(self, "status", status)
        object.__setattr__(self, "headroom", headroom)
        self.__post_init__()

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"an AllocRequest cannot change ({name}): make a new one")

    def _values(self) -> tuple[object, ...]:
        return tuple(getattr(self, n) for n in self.__slots__)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, AllocRequest) and self._values() == other._values()

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        shown = ", ".join(f"{n}={getattr(self, n)!r}" for n in self.__slots__)
        return f"AllocRequest({shown})"

    def replace(self, **changes: Any) -> AllocRequest:
        """A copy with `changes`, checked as a new request is."""
        values = {n: getattr(self, n) for n in self.__slots__}
        values.update(changes)
        return AllocRequest(**values)

    def __post_init__(self) -> None:
        _one_amount(self.size, self.hosts)
        _no_blanks(source=self.source, within=self.within, assignee=self.assignee)
        if self.source is None and self.within is None and self.assignee is None:
            raise UnclearRequest(
                "say where to allocate from: a prefix, or a unit to allocate for", "where"
            )
        if self.hosts is not None:
            if isinstance(self.hosts, bool) or not isinstance(self.hosts, int):
                raise InvalidInput(
                    f"the number of hosts must be a whole number, got {self.hosts!r}"
                )
            if self.hosts < 1:
                raise InvalidInput("the number of hosts must be at least 1")
            if self.hosts > 2**64:  # an IPv6 /64 holds that many; IPv4 is checked on sizing
                raise InvalidInput(f"{self.hosts} hosts do not fit in any subnet (at most 2**64)")
        free_text(self.purpose, "purpose")
        free_text(self.description, "description")
        if isinstance(self.count, bool) or not isinstance(self.count, int):
            raise InvalidInput(f"count must be a whole number, got {self.count!r}")
        if self.count < 1:
            raise InvalidInput("count must be at least 1")
        if self.count > MAX_COUNT:
            raise TooManyBlocks(
                f"{self.count} blocks asked for: one request may ask for at most {MAX_COUNT}"
            )
        if self.headroom is not None:
            check_headroom(self.headroom)
        if self.family not in (None, 4, 6):
            raise InvalidInput(f"family {self.family} is not an address family: use 4 or 6")
        if self.status not in ALLOC_STATUSES:
            raise InvalidInput(f"status {self.status!r}: use one of {', '.join(ALLOC_STATUSES)}")

    @classmethod
    def from_units(
        cls,
        *,
        size: str | None = None,
        hosts: int | None = None,
        source: str | None = None,
        units: Sequence[str] = (),
        assignee: str | None = None,
        purpose: str | None = None,
        description: str | None = None,
        family: int | None = None,
        vrf: str | None = None,
        count: int = 1,
        status: str = "allocated",
        headroom: float | None = None,
    ) -> AllocRequest:
        """A request from a source CIDR and a list of units, as people name them.

        One unit without a source: allocate inside that unit's own blocks, for it.
        Two units: inside the first unit's blocks, for the second. With a source
        CIDR, one unit is the assignee. `assignee` names the assignee outright: it
        is allocated from its parent unit's blocks, or from the one unit given.
        """
        _one_amount(size, hosts)
        names = list(units)
        _no_blanks(source=source, assignee=assignee, units=names)
        if not (source or names or assignee):
            raise UnclearRequest("say where to allocate from: a prefix or a unit", "where")
        if len(names) > 2:
            raise UnclearRequest(
                f"{len(names)} units named: at most two (the source, then the assignee)", "units"
            )
        if assignee and len(names) > 1:
            raise UnclearRequest(
                "the assignee is named already: give at most one unit besides it",
                "assignee-and-units",
            )
        if source and len(names) > 1:
            raise UnclearRequest(
                "with a source prefix, give one unit at most (the assignee)", "source-and-units"
            )
        if source and assignee and names:
            raise UnclearRequest("with a source prefix, name the assignee once", "assignee-twice")
        within = names[0] if names and not source else None
        return cls(
            size=size,
            hosts=hosts,
            source=source,
            within=within,
            assignee=assignee or (names[-1] if names else None),
            purpose=purpose,
            description=description,
            family=family,
            vrf=vrf,
            count=count,
            status=status,
            headroom=headroom,
        )


def alloc_in(tx: Tx, request: AllocRequest) -> list[dict[str, Any]]:
    """Hand out `request.count` best-fitting blocks inside `tx` (all or none); their records.

    Takes the space lock; may be called several times in one transaction.
    """
    vid = vrf_id(tx, request.vrf)
    org = _org(tx, request.assignee)
    within = _org(tx, request.within)
    if not request.source and within is None:
        assert org is not None  # AllocRequest: a source, a unit or an assignee
        if org.parent_id is None:
            raise TopLevelUnit(
                f"{org.label()} is a top-level unit: name the prefix to allocate from"
            )
        within = orgs.get(tx, org.parent_id)
    size = request.size
    fam = request.family
    hint = _size_hint(size)
    # Only a unit's blocks need the hint; a source prefix has its own family,
    # against which parse_size reports a length out of range.
    if fam is None and not request.source and hint is not None and hint > 32:
        fam = 6
    sources = _sources(tx, vid, request.source, within, fam, hint, request.status)
    fam = sources[0].block.family
    lock_space(tx, vid, fam)
    if size is not None:
        plen = parse_size(size, fam)
    else:
        assert request.hosts is not None
        room = request.headroom
        if room is None:
            room = stored_headroom(tx)
        plen = plen_for_hosts(fam, request.hosts, room)
    if request.count > 1:
        return _alloc_many(tx, vid, sources, plen, request, org)
    made = _alloc_one(
        tx, vid, sources, plen, request.status, org, request.purpose, request.description
    )
    return [describe(tx, made, org)]


def _size_hint(size: str | None) -> int | None:
    """The length asked for, if it reads as one at all: it picks the family of a
    dual-stack unit's blocks; the family's own parse below names what is wrong."""
    if size is None:
        return None
    try:
        return parse_size(size)
    except InvalidInput:
        return None


def alloc(store: Store, request: AllocRequest) -> list[dict[str, Any]]:
    """`alloc_in` in a transaction of its own."""
    return store.write(lambda tx: alloc_in(tx, request))


def _alloc_one(
    tx: Tx,
    vid: int,
    sources: list[Prefix],
    plen: int,
    status: str,
    org: orgs.OrgUnit | None,
    purpose: str | None,
    description: str | None,
) -> Prefix:
    best: tuple[Prefix, Block] | None = None
    for source in sources:
        if plen <= source.block.plen:
            continue
        _purge_quarantine(tx, source, vid, source.block.family)
        free = best_free(tx, source, plen)
        if free is None:
            continue
        if best is None or (free.plen, -free.first) > (best[1].plen, -best[1].first):
            best = (source, free)
    if best is None:
        raise _exhausted(tx, sources, plen)
    source, free = best
    block = _take(tx, source, free, plen)
    if org is not None:
        check_aggregation(tx, vid, block, org)
    return _insert(tx, vid, block, source, status, org, purpose, description)


def _exhausted(
    tx: Tx, sources: list[Prefix], plen: int, fit: int = 0, want: int = 1
) -> GovopsError:
    """Why `want` /plen blocks do not fit in `sources` (`fit` of them would)."""
    names = ", ".join(str(s.block) for s in sources[:4])
    too_small = [s for s in sources if plen <= s.block.plen]
    if len(too_small) == len(sources):
        return InvalidInput(f"/{plen} is not smaller than {names}: nothing to allocate inside it")
    family = sources[0].block.family
    ids = [s.id for s in sources]
    marks = ", ".join("?" for _ in ids)
    per_length = tx.all(
        f"SELECT plen, count(*) AS n FROM free_block WHERE container_id IN ({marks}) GROUP BY plen",
        ids,
    )
    total = sum(int(r["n"]) << (BITS[family] - int(r["plen"])) for r in per_length)
    row = tx.one(
        f"SELECT plen, net FROM free_block WHERE container_id IN ({marks}) ORDER BY plen, net LIMIT 1",
        ids,
    )
    largest = Block(family, unblob(row["net"]), int(row["plen"])) if row else None
    amount = f"{total} addresses" if family == 4 else f"{total >> 64} /64s"
    biggest = f"largest free block {largest}" if largest else "no free block at all"
    if fit == 0:
        return PrefixExhausted(f"no free /{plen} in {names}: {amount} free, {biggest}")
    return PrefixExhausted(
        f"only {fit} of {want} /{plen}s fit in {names} ({amount} free, {biggest}); nothing allocated"
    )


def new_ids(tx: Tx, table: str, n: int) -> list[int]:
    """`n` fresh ids for rows of `table` inserted in bulk (the caller holds the write lock)."""
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


def _alloc_many(
    tx: Tx,
    vid: int,
    sources: list[Prefix],
    plen: int,
    request: AllocRequest,
    org: orgs.OrgUnit | None,
) -> list[dict[str, Any]]:
    """`request.count` blocks at once: the choices of as many `_alloc_one` calls, written in bulk.

    The capacity is counted from the free-block index first, so a request that
    cannot fit is refused before any work. Best fit consumes the free blocks whole,
    smallest first, lowest address first: only the blocks it will touch are loaded,
    then split in memory (a heap per prefix length) and written with executemany.
    """
    want = request.count
    eligible = [s for s in sources if plen > s.block.plen]
    if not eligible:
        raise _exhausted(tx, sources, plen)
    family = eligible[0].block.family
    for source in eligible:
        _purge_quarantine(tx, source, vid, family)
    ids = [s.id for s in eligible]
    marks = ", ".join("?" for _ in ids)
    per_length = {
        int(r["plen"]): int(r["n"])
        for r in tx.all(
            f"SELECT plen, count(*) AS n FROM free_block WHERE container_id IN ({marks})"
            " AND plen <= ? GROUP BY plen",
            (*ids, plen),
        )
    }
    fit = sum(n << (plen - p) for p, n in per_length.items())
    if fit < want:
        raise _exhausted(tx, eligible, plen, fit, want)

    heaps: dict[int, list[tuple[int, int]]] = defaultdict(list)
    need = want
    for p in sorted(per_length, reverse=True):
        per = 1 << (plen - p)
        take = min(per_length[p], -(-need // per))
        for r in tx.all(
            f"SELECT container_id, net FROM free_block WHERE container_id IN ({marks})"
            " AND plen = ? ORDER BY net LIMIT ?",
            (*ids, p, take),
        ):
            heaps[p].append((unblob(r["net"]), int(r["container_id"])))
        heapq.heapify(heaps[p])
        need -= take * per
        if need <= 0:
            break

    gone: set[tuple[int, int, int]] = set()  # (container, plen, first) rows to delete
    added: set[tuple[int, int, int]] = set()  # rows to insert
    picks: list[tuple[int, Block]] = []
    for _ in range(want):
        p = plen
        while not heaps[p]:
            p -= 1
        first, container = heapq.heappop(heaps[p])
        key = (container, p, first)
        if key in added:
            added.discard(key)
        else:
            gone.add(key)
        target = Block(family, first, plen)
        for rest in remainder(Block(family, first, p), target):
            heapq.heappush(heaps[rest.plen], (rest.first, container))
            added.add((container, rest.plen, rest.first))
        picks.append((container, target))

    by_id = {s.id: s for s in eligible}
    if org is not None:
        _check_aggregation_many(tx, vid, org, family, by_id, picks)

    status, purpose, description = request.status, request.purpose, request.description
    org_id = org.id if org else None
    made = [
        Prefix(pid, vid, block, container, status, False, org_id, purpose, description, None)
        for pid, (container, block) in zip(new_ids(tx, "prefix", want), picks, strict=True)
    ]
    tx.executemany(
        "DELETE FROM free_block WHERE container_id = ? AND plen = ? AND net = ?",
        [(c, p, blob(first)) for c, p, first in sorted(gone)],
    )
    texts = [str(m.block) for m in made]
    insert_rows(
        tx,
        "prefix",
        PREFIX_COLUMNS,
        [
            (
                m.id,
                vid,
                family,
                blob(m.block.first),
                m.block.plen,
                text,
                m.parent_id,
                status,
                0,
                org_id,
                purpose,
                description,
                None,
                tx.now,
            )
            for m, text in zip(made, texts, strict=True)
        ],
    )
    free_rows = [(c, p, blob(first)) for c, p, first in sorted(added)]
    free_rows += [(m.id, m.block.plen, blob(m.block.first)) for m in made]
    insert_rows(tx, "free_block", FREE_COLUMNS, free_rows)
    for source in eligible:
        # Addresses recorded in the source that fall in a new block now belong to it.
        if tx.one("SELECT 1 FROM ip_address WHERE prefix_id = ? LIMIT 1", (source.id,)):
            tx.executemany(
                "UPDATE ip_address SET prefix_id = ? WHERE prefix_id = ? AND addr >= ? AND addr <= ?",
                [
                    (m.id, source.id, blob(m.block.first), blob(m.block.last))
                    for m in made
                    if m.parent_id == source.id
                ],
            )
    vrf = vrf_name(tx, vid)
    parents = {sid: str(s.block) for sid, s in by_id.items()}
    out = []
    for m, text in zip(made, texts, strict=True):
        rec = record(vrf, m, parents[m.parent_id or 0], org)
        tx.audit("prefix.add", "prefix", text, None, rec)
        out.append(rec)
    return out


PREFIX_COLUMNS = (
    ("id", "bigint"),
    ("vrf_id", "bigint"),
    ("family", "integer"),
    ("net", "bytea"),
    ("plen", "integer"),
    ("cidr", "text"),
    ("parent_id", "bigint"),
    ("status", "text"),
    ("is_pool", "integer"),
    ("org_id", "bigint"),
    ("purpose", "text"),
    ("description", "text"),
    ("quarantine_until", "text"),
    ("created_at", "text"),
)
"""The prefix table's columns and PostgreSQL types, in the order `insert_rows` takes them."""
FREE_COLUMNS = (("container_id", "bigint"), ("plen", "integer"), ("net", "bytea"))
"""The free-block index's columns, likewise."""


def insert_rows(
    tx: Tx, table: str, columns: Sequence[tuple[str, str]], rows: list[tuple[Any, ...]]
) -> None:
    """Insert many rows: executemany on SQLite; one statement over arrays on PostgreSQL,
    where a statement per row costs a round of parse, bind and execute each."""
    if not rows:
        return
    names = ", ".join(name for name, _ in columns)
    if tx.dialect == "postgresql":
        arrays = ", ".join(f"?::{kind}[]" for _, kind in columns)
        tx.execute(
            f"INSERT INTO {table} ({names}) SELECT * FROM unnest({arrays})",
            [list(column) for column in zip(*rows, strict=True)],
        )
    else:
        marks = ", ".join("?" for _ in columns)
        tx.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)


def release_in(
    tx: Tx,
    cidr: str,
    vrf: str | None = None,
    recursive: bool = False,
    quarantine_days: int | None = None,
) -> dict[str, Any]:
    """Give a block back inside `tx`; it waits in quarantine (days, 0 allowed) before reuse.

    With `recursive`, the prefixes and addresses inside it go too. Takes the
    space lock; may be called several times in one transaction.
    """
    block = parse_block(cidr)
    days = None if quarantine_days is None else check_quarantine_days(quarantine_days)
    vid = vrf_id(tx, vrf)
    lock_space(tx, vid, block.family)
    p = require(tx, vid, block)
    if p.status == "quarantine":
        raise Conflict(f"{block} is already in quarantine until {p.quarantine_until}")
    kids = children(tx, p.id)
    naddr = tx.scalar("SELECT count(*) FROM ip_address WHERE prefix_id = ?", (p.id,))
    if (kids or naddr) and not recursive:
        what = f"{len(kids)} child prefixes" if kids else f"{naddr} addresses"
        raise NotEmpty(f"{block} has {what}; release them first, or release it with them")
    if days is None:
        days = stored_quarantine_days(tx)
    removed = _remove_subtree(tx, p)
    before = describe(tx, p)
    parent = get(tx, p.parent_id) if p.parent_id is not None else None
    if days == 0 or parent is None:
        _delete(tx, p, parent)
        return {**before, "released": removed + 1, "quarantine_until": None}
    until = _days_from(tx.now, days)
    tx.execute(
        "UPDATE prefix SET status = 'quarantine', org_id = NULL, purpose = NULL,"
        " quarantine_until = ? WHERE id = ?",
        (until, p.id),
    )
    after = {**before, "status": "quarantine", "quarantine_until": until}
    after.update(org_code=None, org_path=None, org_level=None, purpose=None)
    tx.audit("prefix.release", "prefix", str(block), before, after)
    return {**after, "released": removed + 1}


def release(
    store: Store,
    cidr: str,
    vrf: str | None = None,
    recursive: bool = False,
    quarantine_days: int | None = None,
) -> dict[str, Any]:
    """`release_in` in a transaction of its own."""
    return store.write(lambda tx: release_in(tx, cidr, vrf, recursive, quarantine_days))


def _days_from(now: str, days: int) -> str:
    from datetime import datetime, timedelta

    return (datetime.fromisoformat(now) + timedelta(days=days)).isoformat(timespec="microseconds")


def _remove_subtree(tx: Tx, p: Prefix) -> int:
    """Delete everything below `p` (deepest first); return how many prefixes went."""
    count = 0
    for child in children(tx, p.id):
        count += _remove_subtree(tx, child)
        _delete(tx, child, None)
        count += 1
    n = tx.execute("DELETE FROM ip_address WHERE prefix_id = ?", (p.id,)).rowcount
    if n:
        tx.audit("ip.remove", "prefix", str(p.block), {"addresses": n}, None)
    tx.execute("DELETE FROM free_block WHERE container_id = ?", (p.id,))
    _free_insert(tx, p.id, p.block)
    return count


def _reservable(tx: Tx, p: Prefix) -> None:
    """Only space nobody uses may be reserved: a new block in free space, a block already
    reserved, or an empty container assigned to no unit. A live block is released first."""
    block = p.block
    if p.status == "quarantine":
        raise Conflict(f"{block} is in quarantine until {p.quarantine_until}")
    if p.is_pool:
        raise Conflict(f"{block} is a pool; reserve free space inside it")
    if p.status == "allocated":
        raise Conflict(f"{block} is allocated; release it before reserving it")
    kids = tx.scalar("SELECT count(*) FROM prefix WHERE parent_id = ?", (p.id,))
    if kids:
        raise Conflict(f"{block} holds {kids} prefixes; reserve free space only")
    naddr = tx.scalar("SELECT count(*) FROM ip_address WHERE prefix_id = ?", (p.id,))
    if naddr:
        raise Conflict(f"{block} holds {naddr} addresses; reserve free space only")
    if p.status == "container" and p.org_id is not None:
        unit = orgs.get(tx, p.org_id)
        raise Conflict(f"{block} is assigned to {unit.label()}; release it before reserving it")


def reserve(
    store: Store,
    cidr: str,
    vrf: str | None = None,
    description: str | None = None,
    strict: bool = True,
) -> dict[str, Any]:
    """Mark a block reserved: an existing prefix changes status, a new one is recorded."""
    block = parse_block(cidr, strict)
    description = free_text(description, "description")

    def run(tx: Tx) -> dict[str, Any]:
        vid = vrf_id(tx, vrf)
        lock_space(tx, vid, block.family)
        _chain_after_quarantine(tx, vid, block)
        p = exact(tx, vid, block)
        if p is None:
            made = place(tx, vid, block, "reserved", None, None, description)
            return describe(tx, made)
        _reservable(tx, p)
        before = describe(tx, p)
        tx.execute(
            "UPDATE prefix SET status = 'reserved', description = coalesce(?, description)"
            " WHERE id = ?",
            (description, p.id),
        )
        after = describe(tx, get(tx, p.id))
        tx.audit("prefix.reserve", "prefix", str(block), before, after)
        return after

    return store.write(run)


def blocks_of(tx: Tx, unit_ids: Iterable[int], vid: int | None = None) -> list[Prefix]:
    ids = list(unit_ids)
    if not ids:
        return []
    marks = ", ".join("?" for _ in ids)
    sql = f"{SELECT_PREFIX} WHERE org_id IN ({marks})"
    params: list[Any] = list(ids)
    if vid is not None:
        sql += " AND vrf_id = ?"
        params.append(vid)
    return [Prefix.from_row(r) for r in tx.all(sql + " ORDER BY family, net", params)]


SETTINGS = {
    "quarantine-days": ("ipam.quarantine_days", str(DEFAULT_QUARANTINE_DAYS)),
    "headroom": ("ipam.headroom", "0"),
}

_FRACTION = r"[0-9]+(?:\.[0-9]+)?|\.[0-9]+"  # compiled on first use (re caches it)


def check_quarantine_days(value: str | int) -> int:
    """Days of quarantine: ASCII digits, 0 to `MAX_QUARANTINE_DAYS`."""
    return whole_number(value, "quarantine days", 0, MAX_QUARANTINE_DAYS)


def check_headroom(value: str | float) -> float:
    """A headroom fraction: finite, 0 to `MAX_HEADROOM` (text in plain ASCII decimals)."""
    wrong = f"headroom must be a fraction between 0 and {MAX_HEADROOM:g}, e.g. 0.25"
    if isinstance(value, str):
        if not re.fullmatch(_FRACTION, value.strip()):
            raise InvalidInput(f"{wrong}; got {_shown(value)}")
        value = float(value)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidInput(f"{wrong}; got {value!r}")
    if not (math.isfinite(value) and 0 <= value <= MAX_HEADROOM):
        raise InvalidInput(f"{wrong}; got {value!r}")
    return float(value)


def _shown(text: str) -> str:
    return repr(text if len(text) <= 24 else text[:20] + "…")


def _stored(tx: Tx, key: str, check: Callable[[str], Any]) -> Any:
    """A stored setting, checked: an older version may have stored anything."""
    name, default = SETTINGS[key]
    raw = setting(tx, name, default)
    try:
        return check(raw)
    except InvalidInput as exc:
        raise BadSetting(
            f"the stored setting {key} is {_shown(raw)}, which this version refuses ({exc});"
            f" set {key} again to a valid value to fix it",
            key,
        ) from None


def stored_quarantine_days(tx: Tx) -> int:
    """The quarantine-days setting, or `BadSetting` saying how to fix it."""
    days: int = _stored(tx, "quarantine-days", check_quarantine_days)
    return days


def stored_headroom(tx: Tx) -> float:
    """The headroom setting, or `BadSetting` saying how to fix it."""
    room: float = _stored(tx, "headroom", check_headroom)
    return room


def settings(
    store: Store, key: str | None = None, value: str | None = None
) -> list[dict[str, str]]:
    """Show settings, or change one (validated) when a value is given."""
    if key is not None and key not in SETTINGS:
        raise InvalidInput(f"unknown setting {key!r}: use {', '.join(SETTINGS)}")
    if value is not None:
        assert key is not None
        if key == "quarantine-days":
            try:
                value = str(check_quarantine_days(value))
            except InvalidInput as exc:
                raise InvalidInput(
                    f"quarantine-days must be a whole number of days from 0 to"
                    f" {MAX_QUARANTINE_DAYS} ({exc})"
                ) from None
        else:
            check_headroom(value)
            value = value.strip()
        set_setting(store, SETTINGS[key][0], value)

    def run(tx: Tx) -> list[dict[str, str]]:
        keys = [key] if key else list(SETTINGS)
        return [{"setting": k, "value": setting(tx, *SETTINGS[k])} for k in keys]

    return store.read(run)
