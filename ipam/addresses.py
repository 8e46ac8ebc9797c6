"""Single addresses inside prefixes: next free, assign, release, list.

Operations another domain composes run inside the caller's open transaction,
so that (say) a VM and its address commit together or not at all:

- `next_free_in(tx, cidr, ...)` takes the lowest free usable address(es) of a prefix;
- `assign_in(tx, ip, ...)` records one given address;
- `release_in(tx, ip, ...)` forgets one address.

Each takes the space lock itself and may be called several times in one
transaction (a second call sees what the first took). `next_free(store, ...)`,
`assign(store, ...)` and `release(store, ...)` are the same operations in a
transaction of their own. `record(tx, ...)` stores an address as it is, with
no checks: the import's way to put back what an export holds.
"""

from __future__ import annotations

from typing import Any

from infra.errors import Conflict, InvalidInput, NotFound
from infra.store import Store, Tx
from ipam import space
from ipam.addr import (
    Block,
    addr_text,
    blob,
    free_text,
    parse_address,
    parse_block,
    unblob,
    usable_range,
)

STATUSES = ("active", "reserved", "dhcp")


def check_status(status: object) -> str:
    """`status` if it is an address status, else one line naming the choices."""
    if not isinstance(status, str) or status not in STATUSES:
        raise InvalidInput(f"status {status!r}: use one of {', '.join(STATUSES)}")
    return status


def check_labels(hostname: object, description: object) -> tuple[str | None, str | None]:
    """The hostname and description of an address: text of at most `addr.MAX_TEXT`
    characters without control characters, or None."""
    return free_text(hostname, "hostname"), free_text(description, "description")


def _row(tx: Tx, r: Any, cidr: str | None = None) -> dict[str, Any]:
    family = int(r["family"])
    if cidr is None:
        cidr = tx.scalar("SELECT cidr FROM prefix WHERE id = ?", (r["prefix_id"],))
    return {
        "vrf": space.vrf_name(tx, int(r["vrf_id"])),
        "address": addr_text(family, unblob(r["addr"])),
        "prefix": cidr,
        "hostname": r["hostname"],
        "description": r["description"],
        "status": r["status"],
    }


_COLS = "vrf_id, family, addr, prefix_id, hostname, description, status"


def record(
    tx: Tx,
    vid: int,
    p: space.Prefix,
    value: int,
    hostname: str | None,
    description: str | None,
    status: str,
) -> dict[str, Any]:
    """Store address `value` in prefix `p` of VRF `vid`, with its audit row; no checks."""
    tx.execute(
        "INSERT INTO ip_address (vrf_id, family, addr, prefix_id, hostname, description, status,"
        " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (vid, p.block.family, blob(value), p.id, hostname, description, status, tx.now),
    )
    row = tx.one(
        f"SELECT {_COLS} FROM ip_address WHERE vrf_id = ? AND family = ? AND addr = ?",
        (vid, p.block.family, blob(value)),
    )
    out = _row(tx, row, str(p.block))
    tx.audit("ip.assign", "ip_address", out["address"], None, out)
    return out


def check_host(tx: Tx, p: space.Prefix, value: int) -> None:
    """Refuse an address that `p` cannot hold: `p` is in quarantine, a pool, a container
    or divided into prefixes, or the address is its IPv4 network or broadcast address."""
    _host_prefix(tx, p)
    b = p.block
    if b.family == 4 and b.plen < 31 and value in (b.first, b.last):
        what = "network" if value == b.first else "broadcast"
        raise InvalidInput(f"{addr_text(b.family, value)} is the {what} address of {b}")


def _host_prefix(tx: Tx, p: space.Prefix) -> None:
    if p.status == "quarantine":
        raise Conflict(f"{p.block} is in quarantine")
    if p.is_pool or p.status == "container":
        raise Conflict(
            f"{p.block} is a {('pool' if p.is_pool else 'container')}: it holds prefixes, not addresses"
        )
    kids = tx.scalar("SELECT count(*) FROM prefix WHERE parent_id = ?", (p.id,))
    if kids:
        raise Conflict(
            f"{p.block} is divided into {kids} prefixes; take an address from one of them"
        )


def next_free_in(
    tx: Tx,
    cidr: str,
    hostname: str | None = None,
    description: str | None = None,
    vrf: str | None = None,
    count: int = 1,
) -> list[dict[str, Any]]:
    """Assign the lowest free usable address(es) of a prefix inside `tx`."""
    block = parse_block(cidr)
    if count < 1:
        raise InvalidInput("count must be at least 1")
    hostname, description = check_labels(hostname, description)
    vid = space.vrf_id(tx, vrf)
    space.lock_space(tx, vid, block.family)
    p = space.require(tx, vid, block)
    _host_prefix(tx, p)
    hosts = usable_range(block)
    taken = tx.all(
        "SELECT addr FROM ip_address WHERE prefix_id = ? AND addr >= ? AND addr <= ? ORDER BY addr",
        (p.id, blob(hosts.first), blob(hosts.last)),
    )
    out: list[dict[str, Any]] = []
    candidate = hosts.first
    for r in taken:
        used = unblob(r["addr"])
        while candidate < used and len(out) < count:
            out.append(record(tx, vid, p, candidate, hostname, description, "active"))
            candidate += 1
        if len(out) == count:
            break
        candidate = max(candidate, used + 1)
    while len(out) < count and candidate <= hosts.last:
        out.append(record(tx, vid, p, candidate, hostname, description, "active"))
        candidate += 1
    if len(out) < count:
        raise space.PrefixExhausted(f"{block} has no free address left")
    return out


def next_free(
    store: Store,
    cidr: str,
    hostname: str | None = None,
    description: str | None = None,
    vrf: str | None = None,
    count: int = 1,
) -> list[dict[str, Any]]:
    """`next_free_in` in a transaction of its own."""
    return store.write(lambda tx: next_free_in(tx, cidr, hostname, description, vrf, count))


def assign_in(
    tx: Tx,
    ip: str,
    hostname: str | None = None,
    description: str | None = None,
    vrf: str | None = None,
    status: str = "active",
) -> dict[str, Any]:
    """Record one given address in the most specific prefix that holds it, inside `tx`."""
    family, value = parse_address(ip)
    status = check_status(status)
    hostname, description = check_labels(hostname, description)
    vid = space.vrf_id(tx, vrf)
    space.lock_space(tx, vid, family)
    found = space.chain(tx, vid, Block(family, value, 32 if family == 4 else 128))
    if not found:
        raise NotFound(
            f"no prefix in VRF {space.vrf_name(tx, vid)} holds {addr_text(family, value)}"
        )
    p = found[-1]
    check_host(tx, p, value)
    dup = tx.one(
        f"SELECT {_COLS} FROM ip_address WHERE vrf_id = ? AND family = ? AND addr = ?",
        (vid, family, blob(value)),
    )
    if dup is not None:
        who = dup["hostname"] or "no hostname"
        raise Conflict(f"{addr_text(family, value)} is already assigned ({who})")
    return record(tx, vid, p, value, hostname, description, status)


def assign(
    store: Store,
    ip: str,
    hostname: str | None = None,
    description: str | None = None,
    vrf: str | None = None,
    status: str = "active",
) -> dict[str, Any]:
    """`assign_in` in a transaction of its own."""
    return store.write(lambda tx: assign_in(tx, ip, hostname, description, vrf, status))


def release_in(tx: Tx, ip: str, vrf: str | None = None) -> dict[str, Any]:
    """Forget one assigned address inside `tx`; what it was."""
    family, value = parse_address(ip)
    vid = space.vrf_id(tx, vrf)
    space.lock_space(tx, vid, family)
    row = tx.one(
        f"SELECT {_COLS} FROM ip_address WHERE vrf_id = ? AND family = ? AND addr = ?",
        (vid, family, blob(value)),
    )
    if row is None:
        raise NotFound(
            f"{addr_text(family, value)} is not assigned in VRF {space.vrf_name(tx, vid)}"
        )
    before = _row(tx, row)
    tx.execute(
        "DELETE FROM ip_address WHERE vrf_id = ? AND family = ? AND addr = ?",
        (vid, family, blob(value)),
    )
    tx.audit("ip.release", "ip_address", before["address"], before, None)
    return before


def release(store: Store, ip: str, vrf: str | None = None) -> dict[str, Any]:
    """`release_in` in a transaction of its own."""
    return store.write(lambda tx: release_in(tx, ip, vrf))


def of_block(store: Store, cidr: str, vrf: str | None = None) -> list[dict[str, Any]]:
    """Every recorded address inside a block, in address order."""
    block = parse_block(cidr)

    def run(tx: Tx) -> list[dict[str, Any]]:
        vid = space.vrf_id(tx, vrf)
        rows = tx.all(
            f"SELECT {_COLS} FROM ip_address WHERE vrf_id = ? AND family = ? AND addr >= ?"
            " AND addr <= ? ORDER BY addr",
            (vid, block.family, blob(block.first), blob(block.last)),
        )
        cache: dict[int, str] = {}
        out = []
        for r in rows:
            pid = int(r["prefix_id"])
            if pid not in cache:
                cache[pid] = tx.scalar("SELECT cidr FROM prefix WHERE id = ?", (pid,))
            out.append(_row(tx, r, cache[pid]))
        return out

    return store.read(run)
