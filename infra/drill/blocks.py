"""Emergency blocks during a drill: drop attacker addresses on every host, fast,
through `playbooks/drill/block.yml`, and record who blocked what, when, why and on
which hosts it took.

Addresses are checked before anything runs: IPv4/IPv6 addresses or networks
(host bits clear), no wider than a /8 (IPv4) or /32 (IPv6), never loopback,
unspecified, multicast, or a network holding one of govops' own hosts (a block
must not cut the controller off from the hosts it manages).
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from infra import hosts, locks
from infra.errors import GovopsError, InvalidInput
from infra.org.units import bad_character, shown
from infra.ssh import Secret
from infra.store import Store, Tx

PLAYBOOK = "drill/block.yml"
MAX_ADDRESSES = 256
WIDEST = {4: 8, 6: 32}
MAX_REASON = 200


class BlockFailed(GovopsError):
    """The block playbook could not run at all (nothing took, the attempt recorded)."""


Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def _one(text: object) -> Network:
    if not isinstance(text, str) or not text.strip():
        raise InvalidInput("empty address to block")
    raw = text.strip()
    if bad_character(raw) or "%" in raw:
        raise InvalidInput(f"address {shown(raw)} is not an IP address or network")
    try:
        net = ipaddress.ip_network(raw, strict=True)
    except ValueError as exc:
        raise InvalidInput(f"address {shown(raw)} is not an IP address or network: {exc}") from None
    if net.prefixlen < WIDEST[net.version]:
        raise InvalidInput(
            f"{net} is wider than a /{WIDEST[net.version]}: block the attacker, not the Internet"
        )
    first = net.network_address
    if first.is_loopback or first.is_unspecified or first.is_multicast:
        raise InvalidInput(f"{net} is a loopback, unspecified or multicast address")
    return net


def check_addresses(values: Sequence[object]) -> list[str]:
    """The addresses to block as the playbook takes them: each address or network in
    its compressed form (a lone host without its /32 or /128), no repeats, in order."""
    if not values:
        raise InvalidInput("no address to block")
    if len(values) > MAX_ADDRESSES:
        raise InvalidInput(f"at most {MAX_ADDRESSES} addresses per block, not {len(values)}")
    out: list[str] = []
    for value in values:
        net = _one(value)
        full = 32 if net.version == 4 else 128
        text = str(net.network_address) if net.prefixlen == full else str(net)
        if text not in out:
            out.append(text)
    return out


def _own_hosts_hit(listed: dict[str, Any], addresses: list[str]) -> None:
    nets = [ipaddress.ip_network(a) for a in addresses]
    for name, variables in listed["_meta"]["hostvars"].items():
        try:
            ip = ipaddress.ip_address(str(variables.get("ansible_host", "")))
        except ValueError:
            continue  # a DNS name: cannot be judged without resolving it
        for net in nets:
            if ip.version == net.version and ip in net:
                raise InvalidInput(
                    f"{net} holds {ip}, the address of managed host {name}: refusing to cut it off"
                )


def check_reason(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput("a block needs a reason")
    reason = value.strip()
    if len(reason) > MAX_REASON or bad_character(reason):
        raise InvalidInput(
            f"reason {shown(reason)} must be one line of at most {MAX_REASON} characters"
        )
    return reason


def _host_outcome(event: Any) -> tuple[str, str | None]:
    """applied / unchanged / failed, and the detail, from the block task's result."""
    result = event.result or {}
    lines = [ln for ln in str(result.get("stdout") or "").splitlines() if ln.strip()]
    said: dict[str, Any] = {}
    if lines:
        try:
            loaded = json.loads(lines[-1])
            said = loaded if isinstance(loaded, dict) else {}
        except ValueError:
            said = {}
    if event.status == "failed":
        why = said.get("error") or result.get("msg") or result.get("stderr") or "failed"
        return "failed", str(why).strip()[:500]
    detail = json.dumps({k: said[k] for k in ("backend", "added", "removed", "present", "absent")
                         if k in said}, ensure_ascii=False)  # fmt: skip
    return ("applied" if said.get("changed") or event.status == "changed" else "unchanged"), detail


def block(
    store: Store,
    addresses: Sequence[str],
    reason: str,
    *,
    undo: bool = False,
    limit: str | None = None,
    private_key: Path | None = None,
    known_hosts: Path | None = None,
    trust_new: bool = False,
    check_mode: bool = False,
    on_progress: Callable[..., None] | None = None,
    password: Secret | None = None,
    passphrase: Secret | None = None,
) -> dict[str, Any]:
    """Block (or, with `undo`, unblock) `addresses` on every host `limit` picks;
    returns the record: who, when, why, and each host's outcome. An SSH password or
    key passphrase goes to ansible-playbook's own prompt, as for `drill run`."""
    from infra import ansible

    wanted = check_addresses(addresses)
    why = check_reason(reason)
    listed = hosts.inventory_of(store)
    names = hosts.select(listed, limit)
    if not undo:
        _own_hosts_hit(listed, wanted)
    action = "unblock" if undo else "block"

    def start(tx: Tx) -> int:
        locks.hold(tx, locks.DRILL)
        return tx.insert(
            "INSERT INTO drill_block (action, addresses, reason, limit_expr, actor, at, status)"
            " VALUES (?, ?, ?, ?, ?, ?, 'running')",
            (action, json.dumps(wanted), why, limit, tx.actor, tx.now),
        )

    block_id = store.write(start)
    spec = ansible.RunSpec(
        playbook=PLAYBOOK,
        inventory=hosts.narrowed(listed, names),
        check=check_mode,
        extravars={"block_addresses": wanted, "block_undo": undo},
        private_key=private_key,
        known_hosts=known_hosts,
        trust_new=trust_new,
        password=password,
        passphrase=passphrase,
    )
    try:
        outcome = ansible.run(spec, on_progress=on_progress)
    except GovopsError as exc:
        error = str(exc)
        store.write(lambda tx: _close(tx, block_id, "failed", [], error))
        raise BlockFailed(f"the {action} could not run: {exc}") from exc
    last: dict[str, Any] = {}
    for event in outcome.events:
        if str(event.task).startswith("Block or unblock"):
            last[event.host] = event
        elif event.status == "failed":
            last.setdefault(event.host, event)
    rows: list[tuple[str, str, str | None]] = []
    for name in names:
        if name in outcome.unreachable:
            rows.append((name, "unreachable", str(outcome.unreachable[name])[:500]))
        elif name in last:
            rows.append((name, *_host_outcome(last[name])))
        else:
            rows.append((name, "failed", "the block task did not run on this host"))
    return store.write(lambda tx: _close(tx, block_id, "completed", rows, None, outcome.ident))


def _close(
    tx: Tx,
    block_id: int,
    status: str,
    rows: list[tuple[str, str, str | None]],
    error: str | None,
    ident: str | None = None,
) -> dict[str, Any]:
    tx.executemany(
        "INSERT INTO drill_block_host (block_id, host, outcome, detail) VALUES (?, ?, ?, ?)",
        [(block_id, *r) for r in rows],
    )
    tx.execute(
        "UPDATE drill_block SET status = ?, error = ?, ident = ? WHERE id = ?",
        (status, error, ident, block_id),
    )
    out = _record(tx, block_id)
    tx.audit(f"drill.{out['action']}", "drill_block", str(block_id), None, out)
    return out


def _record(tx: Tx, block_id: int) -> dict[str, Any]:
    row = tx.one("SELECT * FROM drill_block WHERE id = ?", (block_id,))
    per_host = tx.all(
        "SELECT host, outcome, detail FROM drill_block_host WHERE block_id = ? ORDER BY host",
        (block_id,),
    )
    counts: dict[str, int] = {}
    for r in per_host:
        counts[r["outcome"]] = counts.get(r["outcome"], 0) + 1
    return {
        "id": int(row["id"]),
        "action": row["action"],
        "addresses": json.loads(row["addresses"]),
        "reason": row["reason"],
        "limit": row["limit_expr"],
        "actor": row["actor"],
        "at": row["at"],
        "status": row["status"],
        "error": row["error"],
        "outcomes": counts,
        "hosts": [
            {"host": r["host"], "outcome": r["outcome"], "detail": r["detail"]} for r in per_host
        ],
    }


def list_blocks(store: Store) -> list[dict[str, Any]]:
    """Every block and unblock, newest first, with how many hosts each took on."""

    def read(tx: Tx) -> list[dict[str, Any]]:
        ids = [int(r["id"]) for r in tx.all("SELECT id FROM drill_block ORDER BY id DESC")]
        return [_record(tx, i) for i in ids]

    return store.read(read)
