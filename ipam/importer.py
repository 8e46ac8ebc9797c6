"""An import's rows into the database: the writing half of `ipam import`.

`ipam.transfer` reads a file and checks each row alone (its shape, types and
values); `write` then puts the rows that passed into the tree inside one
transaction, where the tree's rules check them further, and refuses the whole
file if any row fails. A VRF and family that hold no prefix yet are written in
bulk (`_Group`): rows sorted by address and length, a stack of open ancestors
gives each its parent, every refusal of `space.place` is checked against that
stack, and prefixes with their free space go in with bulk inserts. Rows for a
space that already holds prefixes go through `space.place` one by one. Each
address finds its holding prefix in memory (`_Holders`).
"""

from __future__ import annotations

import bisect
import itertools
from typing import Any

from infra.errors import Conflict, GovopsError, InvalidInput
from infra.org import units as orgs
from infra.progress import Progress
from infra.store import Tx
from ipam import addresses, space
from ipam.addr import (
    Block,
    addr_text,
    blob,
    unblob,
)
from ipam.transfer import (
    PAGE,
    AddressRow,
    BadRows,
    Checked,
    PrefixItem,
    PrefixRow,
    RowErrorLog,
    Where,
)


def write(
    tx: Tx, checked: Checked, errors: RowErrorLog, source: str, progress: Progress
) -> dict[str, int]:
    counts = {"vrfs": 0, "prefixes": 0, "addresses": 0, "unchanged": 0}
    known = {r["name"] for r in tx.all("SELECT name FROM vrf")}
    for v in checked.vrfs.values():
        if v.name not in known:
            tx.insert(
                "INSERT INTO vrf (name, rd, description, created_at) VALUES (?, ?, ?, ?)",
                (v.name, v.rd, v.description, tx.now),
            )
            tx.audit("vrf.add", "vrf", v.name, None, v._asdict())
            counts["vrfs"] += 1
    vids = {str(r["name"]): int(r["id"]) for r in tx.all("SELECT id, name FROM vrf")}
    units = _Units(tx)
    progress.phase("prefixes", total=len(checked.prefixes))
    for (vrf, family), group in itertools.groupby(checked.prefixes, key=lambda it: it[0][:2]):
        items = list(group)
        vid = vids[vrf]
        space.lock_space(tx, vid, family)
        done = _Group(tx, vid, vrf, family, units, errors).run(items, progress)
        counts["prefixes"] += done[0]
        counts["unchanged"] += done[1]
    progress.phase("addresses", total=len(checked.addrs))
    holders: dict[tuple[int, int], _Holders] = {}
    for i, where, a in checked.addrs:
        key = (vids[a.vrf], a.family)
        if key not in holders:
            holders[key] = _Holders(tx, *key)
        try:
            counts["addresses" if holders[key].put(a) else "unchanged"] += 1
        except GovopsError as exc:
            errors.add(2, i, where, f"{addr_text(a.family, a.value)}: {exc}")
        progress.advance()
    if errors.total:
        raise BadRows(source, errors.found, errors.total)
    return counts


class _Units:
    """Org units as the rows name them, each reference resolved once."""

    def __init__(self, tx: Tx) -> None:
        self.tx = tx
        self._seen: dict[str, orgs.OrgUnit | GovopsError] = {}
        self._coded: dict[str, orgs.OrgUnit] | None = None

    def _by_code(self, ref: str) -> orgs.OrgUnit | None:
        """The unit of a division code, from one read of every coded unit (a province's
        files name 28,745 units: one query each cost PostgreSQL a round trip each)."""
        if not ref.isdigit():
            return None
        if self._coded is None:
            self._coded = {
                str(r["code"]): orgs.OrgUnit.from_row(r)
                for r in self.tx.all(
                    "SELECT id, code, name, level, parent_id, path FROM org_unit"
                    " WHERE code IS NOT NULL"
                )
            }
        return self._coded.get(ref)

    def _resolve(self, ref: str) -> orgs.OrgUnit:
        found = self._seen.get(ref)
        if found is None:
            # A plain code is looked up in memory; anything else (a path, a name, a
            # code to normalise or refuse) is resolved as the commands resolve it.
            found = self._by_code(ref)
        if found is None:
            try:
                found = orgs.resolve(self.tx, ref)
            except GovopsError as exc:
                found = exc
            self._seen[ref] = found
        if isinstance(found, GovopsError):
            raise found
        return found

    def of(self, row: PrefixRow) -> orgs.OrgUnit | None:
        """The unit a prefix row is assigned to, checked as the commands check it."""
        if row.org_code:
            unit = self._resolve(row.org_code)
            if row.org_path and unit.path != row.org_path and not _names(unit, row.org_path):
                raise InvalidInput(f"org_code {row.org_code} is {unit.path}, not {row.org_path}")
            return unit
        if row.org_path:
            return self._resolve(row.org_path)
        return None


class _Node:
    """A prefix placed by the bulk path: its row, and how far its free space is known."""

    __slots__ = ("block", "text", "row", "unit", "parent", "id", "cursor")

    def __init__(self, row: PrefixRow, unit: orgs.OrgUnit | None, parent: _Node | None) -> None:
        self.block = row.block
        self.text = str(row.block)
        self.row = row
        self.unit = unit
        self.parent = parent
        self.id = 0
        self.cursor = row.block.first  # below this address, the free space is written


FLUSH = 20_000
"""Prefixes written per bulk insert."""


class _Group:
    """The prefix rows of one VRF and family, sorted, written as `space.place` would
    write them one by one.

    Into a space with no prefix yet (a restore, a new VRF) the rows go in bulk: a
    stack of open ancestors gives each row its parent in one pass, every rule of
    `place` is checked against that stack, and the rows, their free space and their
    audit rows are written with bulk inserts. Rows already stored are compared in
    memory. The rest, new rows into an occupied space, or any space where a
    quarantine has run out (`place` frees it on the way), go through `place`.
    """

    def __init__(
        self, tx: Tx, vid: int, vrf: str, family: int, units: _Units, errors: RowErrorLog
    ) -> None:
        self.tx = tx
        self.vid = vid
        self.vrf = vrf
        self.family = family
        self.units = units
        self.errors = errors
        self.placed = 0
        self.unchanged = 0

    def run(self, items: list[PrefixItem], progress: Progress) -> tuple[int, int]:
        tx = self.tx
        stored = {
            (unblob(r["net"]), int(r["plen"])): r
            for r in tx.all(
                "SELECT net, plen, status, is_pool, org_id, purpose, quarantine_until"
                " FROM prefix WHERE vrf_id = ? AND family = ?",
                (self.vid, self.family),
            )
        }
        lapsed = any(
            r["status"] == "quarantine" and (r["quarantine_until"] or "") <= tx.now
            for r in stored.values()
        ) or any(
            p.status == "quarantine" and (p.quarantine_until or "") <= tx.now for *_, p in items
        )
        if stored or lapsed:
            self._one_by_one(items, stored, lapsed, progress)
        else:
            self._bulk(items, progress)
        return self.placed, self.unchanged

    def _fail(self, i: int, where: Where | None, p: PrefixRow, exc: GovopsError) -> None:
        self.errors.add(1, i, where, f"{p.block}: {exc}")

    def _one_by_one(
        self, items: list[PrefixItem], stored: dict[Any, Any], lapsed: bool, progress: Progress
    ) -> None:
        for _, i, where, p in items:
            progress.advance()
            try:
                unit = self.units.of(p)
                have = None if lapsed else stored.get((p.block.first, p.block.plen))
                if have is not None:
                    _same_or_refuse(have, p, unit)
                    self.unchanged += 1
                elif _import_prefix(self.tx, self.vid, p, unit):
                    self.placed += 1
                else:
                    self.unchanged += 1
            except GovopsError as exc:
                self._fail(i, where, p, exc)

    def _bulk(self, items: list[PrefixItem], progress: Progress) -> None:
        tx = self.tx
        stack: list[_Node] = []
        pending: list[_Node] = []
        free: list[tuple[_Node, Block]] = []
        by_unit: dict[int, list[Block]] = {}  # each unit's blocks (quarantine aside), in order
        n = 0
        for _, i, where, p in items:
            n += 1
            if n == PAGE:
                progress.advance(n)
                n = 0
            block = p.block
            try:
                unit = self.units.of(p)
            except GovopsError as exc:
                self._fail(i, where, p, exc)
                continue
            while stack and not stack[-1].block.contains(block):
                self._close(stack.pop(), free)
            parent = stack[-1] if stack else None
            try:
                if parent is not None and parent.block == block:
                    _same_or_refuse(_stored_row(parent), p, unit)
                    self.unchanged += 1
                    continue
                self._check(parent, p, unit, stack, by_unit)
            except GovopsError as exc:
                self._fail(i, where, p, exc)
                continue
            node = _Node(p, unit, parent)
            if parent is not None:
                free.extend((parent, b) for b in _gap(parent.cursor, block.first - 1, self.family))
                parent.cursor = block.last + 1
            stack.append(node)
            pending.append(node)
            if unit is not None and p.status != "quarantine":
                by_unit.setdefault(unit.id, []).append(block)
            self.placed += 1
            parent_cidr = parent.text if parent is not None else None
            made = space.Prefix(
                0,
                self.vid,
                block,
                None,
                p.status,
                p.pool,
                unit.id if unit else None,
                p.purpose,
                p.description,
                p.quarantine_until,
            )
            tx.audit(
                "prefix.add",
                "prefix",
                node.text,
                None,
                space.record(self.vrf, made, parent_cidr, unit),
            )
            if p.parent is not None and (parent is None or p.parent != parent.block):
                # As `place` leaves it: stored, and the row reported.
                self._fail(
                    i,
                    where,
                    p,
                    InvalidInput(f"parent would be {parent_cidr or 'none'}, not {p.parent}"),
                )
            if len(pending) >= FLUSH:
                self._flush(pending, free)
        progress.advance(n)
        while stack:
            self._close(stack.pop(), free)
        self._flush(pending, free)

    def _check(
        self,
        parent: _Node | None,
        p: PrefixRow,
        unit: orgs.OrgUnit | None,
        stack: list[_Node],
        by_unit: dict[int, list[Block]],
    ) -> None:
        """The refusals of `space.place` for a block whose parent is `parent` and that
        holds nothing yet (its contents sort after it)."""
        block = p.block
        if parent is not None:
            if parent.row.status == "quarantine":
                raise Conflict(f"{block} lies in {parent.block}, which is in quarantine")
            if p.pool:
                raise Conflict(f"a pool stands at the top; {block} lies inside {parent.block}")
            if parent.row.status == "reserved" and p.status != "reserved":
                raise Conflict(f"{block} lies in {parent.block}, which is reserved")
        if unit is not None and unit.parent_id is not None:
            # A block of the parent unit that holds this one contains it, so it is open.
            if not any(
                a.unit is not None and a.unit.id == unit.parent_id and a.row.status != "quarantine"
                for a in stack
            ):
                blocks = by_unit.get(unit.parent_id, [])
                raise space.breaks_aggregation(self.tx, self.vid, block, unit, blocks)

    def _close(self, node: _Node, free: list[tuple[_Node, Block]]) -> None:
        """Nothing more goes into `node`: the rest of it is free."""
        free.extend((node, b) for b in _gap(node.cursor, node.block.last, self.family))

    def _flush(self, pending: list[_Node], free: list[tuple[_Node, Block]]) -> None:
        tx = self.tx
        if pending:
            for node, pid in zip(pending, space.new_ids(tx, "prefix", len(pending)), strict=True):
                node.id = pid
            rows: list[tuple[Any, ...]] = []
            for node in pending:
                p = node.row
                rows.append(
                    (
                        node.id,
                        self.vid,
                        self.family,
                        blob(node.block.first),
                        node.block.plen,
                        node.text,
                        node.parent.id if node.parent else None,
                        p.status,
                        int(p.pool),
                        node.unit.id if node.unit else None,
                        p.purpose,
                        p.description,
                        p.quarantine_until,
                        tx.now,
                    )
                )
            space.insert_rows(tx, "prefix", space.PREFIX_COLUMNS, rows)
            pending.clear()
        spaces = [(node.id, b.plen, blob(b.first)) for node, b in free]
        space.insert_rows(tx, "free_block", space.FREE_COLUMNS, spaces)
        free.clear()
        # The audit rows so far go in with their prefixes, in the same transaction:
        # held until the commit, a province's 200,000 took 150 MB (PostgreSQL's peak
        # 479 MB instead of 256 MB). The price: on PostgreSQL the audit lock is held
        # from here to the commit, so other writers wait for the rest of the import.
        tx.flush_audit()


def _gap(first: int, last: int, family: int) -> list[Block]:
    from ipam.addr import aligned_blocks

    return aligned_blocks(first, last, family) if first <= last else []


def _stored_row(node: _Node) -> dict[str, Any]:
    p = node.row
    return {
        "status": p.status,
        "is_pool": p.pool,
        "org_id": node.unit.id if node.unit else None,
        "purpose": p.purpose,
    }


def _same_or_refuse(have: Any, row: PrefixRow, unit: orgs.OrgUnit | None) -> None:
    """A row for a block already stored: the same, or refused."""
    same = (
        have["status"] == row.status
        and bool(have["is_pool"]) == row.pool
        and have["org_id"] == (unit.id if unit else None)
        and have["purpose"] == row.purpose
    )
    if not same:
        raise InvalidInput("already stored with different attributes")


def _import_prefix(tx: Tx, vid: int, row: PrefixRow, unit: orgs.OrgUnit | None) -> bool:
    existing = space.exact(tx, vid, row.block)
    if existing is not None:
        _same_or_refuse(
            {
                "status": existing.status,
                "is_pool": existing.is_pool,
                "org_id": existing.org_id,
                "purpose": existing.purpose,
            },
            row,
            unit,
        )
        return False
    made = space.place(
        tx,
        vid,
        row.block,
        row.status,
        unit,
        row.purpose,
        row.description,
        row.pool,
        row.quarantine_until,
    )
    if row.parent is not None:
        got = tx.scalar("SELECT cidr FROM prefix WHERE id = ?", (made.parent_id,))
        if got != str(row.parent):
            raise InvalidInput(f"parent would be {got or 'none'}, not {row.parent}")
    return True


def _names(unit: orgs.OrgUnit, text: str) -> bool:
    """Whether `text`, no path, is the unit's name (a ledger names its unit beside
    the code)."""
    return "/" not in text and orgs.clean_name(text) == unit.name


class _Holders:
    """The prefixes and addresses of one VRF and family, read once, so that each
    address row finds the prefix that holds it (the deepest that contains it) in
    memory instead of walking the tree down from the top."""

    def __init__(self, tx: Tx, vid: int, family: int) -> None:
        self.tx = tx
        self.vid = vid
        self.prefixes = [
            space.Prefix.from_row(r)
            for r in tx.execute(
                f"{space.SELECT_PREFIX} WHERE vrf_id = ? AND family = ? ORDER BY net, plen",
                (vid, family),
            )
        ]
        self.firsts = [p.block.first for p in self.prefixes]
        self.by_id = {p.id: p for p in self.prefixes}
        self.hostnames = {
            unblob(r["addr"]): r["hostname"]
            for r in tx.execute(
                "SELECT addr, hostname FROM ip_address WHERE vrf_id = ? AND family = ?",
                (vid, family),
            )
        }

    def holder(self, value: int) -> space.Prefix | None:
        """The deepest prefix that contains `value`: the last one starting at or below
        it, or the first of its ancestors that reaches it (prefixes nest)."""
        i = bisect.bisect_right(self.firsts, value) - 1
        p = self.prefixes[i] if i >= 0 else None
        while p is not None and p.block.last < value:
            p = self.by_id.get(p.parent_id) if p.parent_id is not None else None
        return p

    def put(self, row: AddressRow) -> bool:
        """Record an address row as `ipam ip assign` would; False if stored already."""
        holder = self.holder(row.value)
        if holder is None:
            raise InvalidInput("no prefix holds it")
        if row.value in self.hostnames:
            if self.hostnames[row.value] == row.hostname:
                return False
            raise InvalidInput("already assigned with another hostname")
        if row.prefix is not None and row.prefix != holder.block:
            raise InvalidInput(f"lies in {holder.block}, not {row.prefix}")
        addresses.check_host(self.tx, holder, row.value)
        addresses.record(
            self.tx, self.vid, holder, row.value, row.hostname, row.description, row.status
        )
        self.hostnames[row.value] = row.hostname
        return True
