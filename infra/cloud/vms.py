"""The life of a VM: request → approve (placed on a node) → provision (given an
address) → stop/start/resize → decommission; or a request rejected.

    action        from                                   to
    request       (new)                                  requested
    approve       requested                              approved
    reject        requested, approved                    rejected
    provision     approved                               active
    stop          active                                 stopped
    start         stopped                                active
    resize        requested, approved, active, stopped   (unchanged)
    decommission  active, stopped                        decommissioned

A request is a wish and holds nothing. Approved, active and stopped VMs hold
their node's capacity and count against their department's quota; approving,
provisioning or growing one is refused (`OverLimit`, with the figures) when it
would exceed either, unless forced with a reason, which the event and the audit
row record. Usage is read from the totals the database keeps (`held`) inside the
writing transaction, under the cloud lock (`checks.hold`), so concurrent approvals
never overshoot a quota.

Every change writes a `vm_event` row (who, when, from, to, the resources after it,
node, address, forced, reason) and an audit row, in the transaction that makes it.
A VM's address is taken from IPAM (`ipam.addresses`) in that same transaction,
with the VM's name as hostname, and released when it is decommissioned.

Operations that other code composes run inside the caller's transaction:
`request_in`, `transition_in` (approve, reject, provision, stop, start,
decommission), `resize_in` and `record_in` (put an already-running VM on the
books, with its address, status and provisioned date: the import's way in). The
functions named after the actions run them in a transaction of their own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from infra.cloud import checks, nodes, systems
from infra.cloud.checks import HOLDING, RESOURCES, IllegalTransition, OverLimit, UnknownVm
from infra.errors import Conflict, InvalidInput
from infra.inputs import unstorable
from infra.store import Store, Tx

TRANSITIONS: dict[str, tuple[tuple[str, ...], str | None]] = {
    "approve": (("requested",), "approved"),
    "reject": (("requested", "approved"), "rejected"),
    "provision": (("approved",), "active"),
    "stop": (("active",), "stopped"),
    "start": (("stopped",), "active"),
    "resize": (("requested", "approved", "active", "stopped"), None),
    "decommission": (("active", "stopped"), "decommissioned"),
}
"""action -> (the statuses it may start from, the status it leaves; None: unchanged)."""

_PAST = {
    "approve": "approved",
    "reject": "rejected",
    "provision": "provisioned",
    "stop": "stopped",
    "start": "started",
    "resize": "resized",
    "decommission": "decommissioned",
}

_FORCING = {"approve": "an approval", "provision": "a provisioning"}

FIELDS = (
    "name",
    "dept",
    "system",
    "status",
    "node",
    "cores",
    "ram_gb",
    "disk_gb",
    "address",
    "vrf",
    "os",
    "arch",
    "requested_at",
    "provisioned_at",
    "updated_at",
)
"""The keys of a VM record (`Vm.record`), in order: list output, export columns."""

EVENT_FIELDS = (
    "ts",
    "actor",
    "action",
    "from_status",
    "to_status",
    "cores",
    "ram_gb",
    "disk_gb",
    "node",
    "address",
    "forced",
    "reason",
)

_SELECT = (
    "SELECT v.id, v.name, v.system_id, v.node_id, v.status, v.cores, v.ram_gb, v.disk_gb,"
    " v.os, v.arch, v.vrf_id, v.address, v.requested_at, v.provisioned_at, v.updated_at,"
    " s.name AS system, s.dept_id, coalesce(d.code, d.name) AS dept, n.name AS node,"
    " vr.name AS vrf"
    " FROM cloud_vm v JOIN cloud_system s ON s.id = v.system_id"
    " JOIN dept d ON d.id = s.dept_id"
    " LEFT JOIN cloud_node n ON n.id = v.node_id"
    " LEFT JOIN vrf vr ON vr.id = v.vrf_id"
)


@dataclass(frozen=True)
class Vm:
    id: int
    name: str
    system_id: int
    system: str
    dept_id: int
    dept: str
    node_id: int | None
    node: str | None
    status: str
    cores: int
    ram_gb: int
    disk_gb: int
    os: str | None
    arch: str | None
    vrf_id: int | None
    vrf: str | None
    address: str | None
    requested_at: str
    provisioned_at: str | None
    updated_at: str

    @classmethod
    def from_row(cls, r: Any) -> Vm:
        def opt(key: str) -> int | None:
            return int(r[key]) if r[key] is not None else None

        return cls(
            id=int(r["id"]),
            name=r["name"],
            system_id=int(r["system_id"]),
            system=r["system"],
            dept_id=int(r["dept_id"]),
            dept=r["dept"],
            node_id=opt("node_id"),
            node=r["node"],
            status=r["status"],
            cores=int(r["cores"]),
            ram_gb=int(r["ram_gb"]),
            disk_gb=int(r["disk_gb"]),
            os=r["os"],
            arch=r["arch"],
            vrf_id=opt("vrf_id"),
            vrf=r["vrf"],
            address=r["address"],
            requested_at=r["requested_at"],
            provisioned_at=r["provisioned_at"],
            updated_at=r["updated_at"],
        )

    def resources(self) -> dict[str, int]:
        return {"cores": self.cores, "ram_gb": self.ram_gb, "disk_gb": self.disk_gb}

    def holds(self) -> bool:
        return self.status in HOLDING

    def record(self) -> dict[str, Any]:
        """The one shape of a VM (keys: `FIELDS`): command output and audit rows."""
        return {k: getattr(self, k) for k in FIELDS}


# -- lookups -----------------------------------------------------------------


def resolve(tx: Tx, name: str) -> Vm:
    """The VM of that name."""
    if not isinstance(name, str) or not name.strip():
        raise InvalidInput("empty VM name")
    row = None if unstorable(name) else tx.one(f"{_SELECT} WHERE v.name = ?", (name.strip(),))
    if row is None:
        raise UnknownVm(f"no VM named {checks.shown(name.strip())}")
    return Vm.from_row(row)


def _get(tx: Tx, vm_id: int) -> Vm:
    return Vm.from_row(tx.one(f"{_SELECT} WHERE v.id = ?", (vm_id,)))


def _resources(cores: int | str, ram_gb: int | str, disk_gb: int | str) -> dict[str, int]:
    return {
        "cores": checks.amount(cores, "cores", checks.MAX_VM_CORES),
        "ram_gb": checks.amount(ram_gb, "RAM (GB)", checks.MAX_GB),
        "disk_gb": checks.amount(disk_gb, "disk (GB)", checks.MAX_GB),
    }


# -- history -----------------------------------------------------------------


def _event(
    tx: Tx,
    before: Vm | None,
    after: Vm,
    action: str,
    reason: str | None = None,
    forced: bool = False,
    exceeded: str | None = None,
    ts: str | None = None,
    audit_action: str | None = None,
) -> None:
    """Record one change of a VM: its history row and its audit row."""
    tx.execute(
        "INSERT INTO vm_event (vm_id, ts, actor, action, from_status, to_status, cores,"
        " ram_gb, disk_gb, node_id, address, forced, reason)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            after.id,
            ts or tx.now,
            tx.actor,
            action,
            before.status if before else None,
            after.status,
            after.cores,
            after.ram_gb,
            after.disk_gb,
            after.node_id,
            after.address,
            1 if forced else 0,
            reason,
        ),
    )
    shown = after.record()
    if forced or reason:
        shown.update(forced=forced, reason=reason)
    if exceeded:
        shown["exceeded"] = exceeded
    tx.audit(
        f"cloud.vm.{audit_action or action}",
        "cloud_vm",
        after.name,
        before.record() if before else None,
        shown,
    )


def history(tx: Tx, vm_id: int) -> list[dict[str, Any]]:
    """A VM's events, oldest first (keys: `EVENT_FIELDS`)."""
    rows = tx.all(
        "SELECT e.ts, e.actor, e.action, e.from_status, e.to_status, e.cores, e.ram_gb,"
        " e.disk_gb, n.name AS node, e.address, e.forced, e.reason"
        " FROM vm_event e LEFT JOIN cloud_node n ON n.id = e.node_id"
        " WHERE e.vm_id = ? ORDER BY e.ts, e.id",
        (vm_id,),
    )
    out = []
    for r in rows:
        item = {k: r[k] for k in EVENT_FIELDS}
        item["forced"] = bool(item["forced"])
        out.append(item)
    return out


def _update(tx: Tx, vm: Vm, **changes: Any) -> Vm:
    cols = ", ".join(f"{k} = ?" for k in changes)
    tx.execute(
        f"UPDATE cloud_vm SET {cols}, updated_at = ? WHERE id = ?",
        (*changes.values(), tx.now, vm.id),
    )
    return _get(tx, vm.id)


# -- limits ------------------------------------------------------------------


def _free_for(
    held: dict[str, int], vm: Vm, limit: dict[str, int | None], on_it: bool
) -> dict[str, int | None]:
    """What `limit` leaves for `vm`: the limit less what everything else holds."""
    out: dict[str, int | None] = {}
    for key, cap in limit.items():
        if cap is None:
            out[key] = None
            continue
        mine = (1 if key == "vms" else getattr(vm, key)) if on_it and vm.holds() else 0
        out[key] = cap - (held[key] - mine)
    return out


_WORDS = {"vms": "VMs", "cores": "cores", "ram_gb": "GB RAM", "disk_gb": "GB disk"}


def _shortfalls(free: dict[str, int | None], needs: dict[str, int]) -> list[str]:
    return [
        f"{_WORDS[k]} needed {needs[k]}, free {max(f, 0)}"
        for k, f in free.items()
        if f is not None and k in needs and needs[k] > f
    ]


def _quota_shortfall(tx: Tx, vm: Vm, needs: dict[str, int]) -> str | None:
    limits = systems.quota_of(tx, vm.dept_id)
    if limits is None:
        return None
    free = _free_for(systems.dept_usage(tx, vm.dept_id), vm, limits, True)
    short = _shortfalls(free, needs)
    return f"the quota of department {vm.dept}: {'; '.join(short)}" if short else None


def _node_free(tx: Tx, node: nodes.Node, vm: Vm, held: dict[str, int] | None = None) -> Any:
    held = held if held is not None else nodes.allocated(tx, node.id)
    sched: dict[str, int | None] = dict(node.schedulable())
    return _free_for(held, vm, sched, vm.node_id == node.id)


def _node_shortfall(tx: Tx, node: nodes.Node, vm: Vm, needs: dict[str, int]) -> str | None:
    short = _shortfalls(_node_free(tx, node, vm), needs)
    return f"the capacity of node {node.name}: {'; '.join(short)}" if short else None


def _judge(
    action: str, vm: Vm, problems: list[str | None], force: bool, reason: str | None
) -> str | None:
    """Refuse with the figures, or (forced) return them for the record."""
    found = [p for p in problems if p]
    if not found:
        return None
    text = f"{action} {vm.name} would exceed " + "; and ".join(found)
    if not force:
        raise OverLimit(text)
    return text


def _place(tx: Tx, vm: Vm, needs: dict[str, int]) -> tuple[nodes.Node, str | None]:
    """The node for `vm`: the one it asked for, else the node of its architecture with
    the most free schedulable capacity that holds it (free cores, RAM and disk after
    placement, each as a fraction of the node's schedulable capacity, summed: the
    spreading of OpenStack's weighers). When none holds it, the roomiest node, with
    the shortfall."""
    if vm.node_id is not None:
        node = nodes.get(tx, vm.node_id)
        return node, _node_shortfall(tx, node, vm, needs)
    candidates = nodes.all_nodes(tx, vm.arch)
    if not candidates:
        where = f" of architecture {vm.arch}" if vm.arch else ""
        raise checks.NoNode(f"no node{where} to place {vm.name} on")
    held = nodes.allocated_by_node(tx, [n.id for n in candidates])
    scored = []
    for node in candidates:
        free = _node_free(tx, node, vm, held.get(node.id, dict.fromkeys(("vms", *RESOURCES), 0)))
        sched = node.schedulable()
        fits = all((free[r] or 0) >= needs[r] for r in RESOURCES)
        score = sum(((free[r] or 0) - needs[r]) / sched[r] for r in RESOURCES)
        scored.append((not fits, -score, node.name, node, free))
    scored.sort(key=lambda t: t[:3])
    unfit, _, _, best, free = scored[0]
    if not unfit:
        return best, None
    short = _shortfalls(free, needs)
    arch = f" of architecture {vm.arch}" if vm.arch else ""
    return best, f"the capacity of every node{arch}; the roomiest, {best.name}: {'; '.join(short)}"


# -- the operations, inside a transaction ------------------------------------


def _checked_request(
    tx: Tx,
    name: str,
    system: str,
    resources: tuple[int | str, int | str, int | str],
    os: str | None,
    arch: str | None,
    node: str | None,
) -> tuple[str, systems.System, dict[str, int], str | None, str | None, nodes.Node | None]:
    """A new VM's values, checked: a free name, a known system and node, the node of
    the architecture asked for."""
    name = checks.host_name(name, "VM")
    res = _resources(*resources)
    os_name = checks.free_text(os, "OS", checks.MAX_NAME)
    wanted_arch = checks.arch(arch) if arch is not None else None
    s = systems.resolve(tx, system)
    n = None
    if node is not None:
        n = nodes.resolve(tx, node)
        if wanted_arch is not None and n.arch != wanted_arch:
            raise Conflict(f"node {n.name} is {n.arch}, not {wanted_arch}")
    if tx.scalar("SELECT id FROM cloud_vm WHERE name = ?", (name,)) is not None:
        raise Conflict(f"a VM named {name} already exists")
    return name, s, res, os_name, wanted_arch, n


def _insert(
    tx: Tx,
    name: str,
    s: systems.System,
    res: dict[str, int],
    os_name: str | None,
    arch: str | None,
    node: nodes.Node | None,
    requested_at: str,
) -> Vm:
    vm_id = tx.insert(
        "INSERT INTO cloud_vm (name, system_id, node_id, status, cores, ram_gb, disk_gb, os,"
        " arch, requested_at, updated_at) VALUES (?, ?, ?, 'requested', ?, ?, ?, ?, ?, ?, ?)",
        (name, s.id, node.id if node else None, res["cores"], res["ram_gb"], res["disk_gb"],
         os_name, arch, requested_at, tx.now),
    )  # fmt: skip
    return _get(tx, vm_id)


def request_in(
    tx: Tx,
    name: str,
    system: str,
    cores: int | str,
    ram_gb: int | str,
    disk_gb: int | str,
    os: str | None = None,
    arch: str | None = None,
    node: str | None = None,
) -> dict[str, Any]:
    """Record a request for a VM (it holds nothing yet); its record."""
    checks.hold(tx)
    values = _checked_request(tx, name, system, (cores, ram_gb, disk_gb), os, arch, node)
    vm = _insert(tx, *values, tx.now)
    _event(tx, None, vm, "request")
    return vm.record()


def _allowed(vm: Vm, action: str) -> None:
    sources, _ = TRANSITIONS[action]
    if vm.status not in sources:
        some = " or ".join(sources)
        raise IllegalTransition(
            f"VM {vm.name} is {vm.status}: only {some} VMs can be {_PAST[action]}"
        )


def transition_in(
    tx: Tx,
    name: str,
    action: str,
    *,
    reason: str | None = None,
    force: bool = False,
    ip: str | None = None,
) -> dict[str, Any]:
    """Move a VM through one of approve, reject, provision, stop, start, decommission;
    its record. `force` (with a reason) lets an approval or a provisioning exceed
    a quota or a node's capacity; `ip` is the address to provision with (default:
    the next free one of the system's subnet)."""
    if action not in TRANSITIONS or action == "resize":
        raise InvalidInput(f"unknown action {checks.shown(str(action))}")
    note = checks.reason_for(force, reason, _FORCING.get(action, f"a VM's {action}"))
    if action == "reject" and note is None:
        raise InvalidInput("a rejection needs a reason")
    checks.hold(tx)
    vm = resolve(tx, name)
    _allowed(vm, action)
    target = TRANSITIONS[action][1]
    assert target is not None
    exceeded = None
    if action == "approve":
        needs = {"vms": 1, **vm.resources()}
        node, over_node = _place(tx, vm, needs)
        exceeded = _judge(
            "approving", vm, [_quota_shortfall(tx, vm, needs), over_node], force, note
        )
        after = _update(tx, vm, status=target, node_id=node.id, arch=vm.arch or node.arch)
    elif action == "provision":
        needs = {"vms": 1, **vm.resources()}
        assert vm.node_id is not None
        node = nodes.get(tx, vm.node_id)
        over = [_quota_shortfall(tx, vm, needs), _node_shortfall(tx, node, vm, needs)]
        exceeded = _judge("provisioning", vm, over, force, note)
        address, vid = _take_address(tx, vm, ip)
        after = _update(
            tx,
            vm,
            status=target,
            address=address,
            vrf_id=vid,
            provisioned_at=vm.provisioned_at or tx.now,
        )
    elif action == "decommission":
        _give_back_address(tx, vm)
        after = _update(tx, vm, status=target, address=None)
    else:
        after = _update(tx, vm, status=target)
    _event(tx, vm, after, action, note, force and exceeded is not None, exceeded)
    return after.record()


def _take_address(tx: Tx, vm: Vm, ip: str | None) -> tuple[str, int]:
    """The VM's address, taken in IPAM with its name as hostname."""
    from ipam import addresses, space
    from ipam.addr import Block, parse_address, parse_block

    s = systems.get(tx, vm.system_id)
    label = f"cloud VM of {s.name}"
    if ip is not None:
        family, value = parse_address(ip)
        if s.subnet is not None:
            subnet = parse_block(s.subnet)
            if not subnet.contains(Block(family, value, 32 if family == 4 else 128)):
                raise InvalidInput(
                    f"{ip.strip()} is outside {s.subnet}, the subnet of system {s.name}"
                )
        got = addresses.assign_in(tx, ip, vm.name, label, s.vrf)
    else:
        if s.subnet is None:
            raise Conflict(f"system {s.name} has no subnet: name the address to provision with")
        try:
            got = addresses.next_free_in(tx, s.subnet, vm.name, label, s.vrf)[0]
        except space.PrefixExhausted:
            raise space.PrefixExhausted(
                f"{s.subnet}, the subnet of system {s.name}, has no free address left"
            ) from None
    return str(got["address"]), s.vrf_id


def _give_back_address(tx: Tx, vm: Vm) -> None:
    """Release the VM's address, if IPAM still has it under the VM's name (an address
    someone released and reassigned by hand is not the VM's to give back)."""
    if vm.address is None or vm.vrf_id is None:
        return
    from ipam import addresses
    from ipam.addr import blob, parse_address

    family, value = parse_address(vm.address)
    owner = tx.scalar(
        "SELECT hostname FROM ip_address WHERE vrf_id = ? AND family = ? AND addr = ?",
        (vm.vrf_id, family, blob(value)),
    )
    if owner == vm.name:
        addresses.release_in(tx, vm.address, vm.vrf)


def resize_in(
    tx: Tx,
    name: str,
    cores: int | str | None = None,
    ram_gb: int | str | None = None,
    disk_gb: int | str | None = None,
    *,
    force: bool = False,
    reason: str | None = None,
) -> dict[str, Any]:
    """Change a VM's resources; growing one that holds capacity is checked like an
    approval (quota and its node), a provisioned VM's disk never shrinks."""
    given = {"cores": cores, "ram_gb": ram_gb, "disk_gb": disk_gb}
    if all(v is None for v in given.values()):
        raise InvalidInput("say what to resize: cores, RAM or disk")
    note = checks.reason_for(force, reason, "a resize")
    checks.hold(tx)
    vm = resolve(tx, name)
    _allowed(vm, "resize")
    new = vm.resources()
    new.update(_resources(*(v if v is not None else new[k] for k, v in given.items())))
    if new == vm.resources():
        return vm.record()
    if vm.status in ("active", "stopped") and new["disk_gb"] < vm.disk_gb:
        raise InvalidInput(
            f"VM {vm.name} is {vm.status}: its disk of {vm.disk_gb} GB cannot shrink"
            f" to {new['disk_gb']} GB"
        )
    exceeded = None
    if vm.holds():
        assert vm.node_id is not None
        grow = {k: v for k, v in new.items() if v > getattr(vm, k)}
        node = nodes.get(tx, vm.node_id)
        over = [_quota_shortfall(tx, vm, grow), _node_shortfall(tx, node, vm, grow)]
        exceeded = _judge("resizing", vm, over, force, note)
    after = _update(tx, vm, **new)
    _event(tx, vm, after, "resize", note, force and exceeded is not None, exceeded)
    return after.record()


def record_in(
    tx: Tx,
    name: str,
    system: str,
    node: str,
    cores: int | str,
    ram_gb: int | str,
    disk_gb: int | str,
    provisioned_at: str | datetime,
    *,
    status: str = "active",
    address: str | None = None,
    os: str | None = None,
    arch: str | None = None,
) -> dict[str, Any]:
    """Put a VM that already runs on the books: on `node`, `active` or `stopped`,
    provisioned at `provisioned_at` (a day YYYY-MM-DD or an ISO timestamp, not in the
    future), with its address (recorded in IPAM under its name; an address IPAM
    already holds under that name is adopted). Limits are not applied: what runs,
    runs, and `usage` shows any overcommit. The history shows the VM provisioned at
    that moment ("recorded" as reason); a stopped one stopped when it was recorded."""
    if status not in ("active", "stopped"):
        raise InvalidInput(f"a VM on the books is active or stopped, not {checks.shown(status)}")
    when = checks.moment(provisioned_at, "provisioned date")
    if when > tx.now:
        raise InvalidInput(f"provisioned date {when[:10]} is in the future")
    checks.hold(tx)
    values = _checked_request(tx, name, system, (cores, ram_gb, disk_gb), os, arch, node)
    vm = _insert(tx, *values, when)
    assert vm.node_id is not None
    n = nodes.get(tx, vm.node_id)
    vid: int | None = None
    if address is not None:
        vid = systems.get(tx, vm.system_id).vrf_id
        address = _adopt_or_take(tx, vm, address)
    tx.execute(
        "UPDATE cloud_vm SET status = 'active', arch = ?, address = ?, vrf_id = ?,"
        " provisioned_at = ?, updated_at = ? WHERE id = ?",
        (vm.arch or n.arch, address, vid, when, tx.now, vm.id),
    )
    running = _get(tx, vm.id)
    _event(tx, None, running, "provision", "recorded", ts=when, audit_action="record")
    if status == "stopped":
        stopped = _update(tx, running, status="stopped")
        _event(tx, running, stopped, "stop", "recorded", audit_action="record")
        running = stopped
    return running.record()


def _adopt_or_take(tx: Tx, vm: Vm, address: str) -> str:
    from ipam.addr import addr_text, blob, parse_address

    family, value = parse_address(address)
    s = systems.get(tx, vm.system_id)
    owner = tx.one(
        "SELECT hostname FROM ip_address WHERE vrf_id = ? AND family = ? AND addr = ?",
        (s.vrf_id, family, blob(value)),
    )
    if owner is not None and owner["hostname"] == vm.name:
        return addr_text(family, value)
    taken, _ = _take_address(tx, vm, address)
    return taken


# -- the operations, each in its own transaction ------------------------------


def request(
    store: Store,
    name: str,
    system: str,
    cores: int | str,
    ram_gb: int | str,
    disk_gb: int | str,
    os: str | None = None,
    arch: str | None = None,
    node: str | None = None,
) -> dict[str, Any]:
    """`request_in` in a transaction of its own."""
    return store.write(
        lambda tx: request_in(tx, name, system, cores, ram_gb, disk_gb, os, arch, node)
    )


def approve(
    store: Store, name: str, force: bool = False, reason: str | None = None
) -> dict[str, Any]:
    """Approve a request: place it on a node, check quota and capacity."""
    return store.write(lambda tx: transition_in(tx, name, "approve", reason=reason, force=force))


def reject(store: Store, name: str, reason: str) -> dict[str, Any]:
    """Reject a request (or withdraw an approval before provisioning); a reason is required."""
    return store.write(lambda tx: transition_in(tx, name, "reject", reason=reason))


def provision(
    store: Store,
    name: str,
    ip: str | None = None,
    force: bool = False,
    reason: str | None = None,
) -> dict[str, Any]:
    """Provision an approved VM: give it an address, make it active."""
    return store.write(
        lambda tx: transition_in(tx, name, "provision", reason=reason, force=force, ip=ip)
    )


def stop(store: Store, name: str, reason: str | None = None) -> dict[str, Any]:
    """Stop an active VM (it keeps its capacity and address)."""
    return store.write(lambda tx: transition_in(tx, name, "stop", reason=reason))


def start(store: Store, name: str, reason: str | None = None) -> dict[str, Any]:
    """Start a stopped VM."""
    return store.write(lambda tx: transition_in(tx, name, "start", reason=reason))


def decommission(store: Store, name: str, reason: str | None = None) -> dict[str, Any]:
    """Decommission an active or stopped VM: its address and capacity are released."""
    return store.write(lambda tx: transition_in(tx, name, "decommission", reason=reason))


def resize(
    store: Store,
    name: str,
    cores: int | str | None = None,
    ram_gb: int | str | None = None,
    disk_gb: int | str | None = None,
    force: bool = False,
    reason: str | None = None,
) -> dict[str, Any]:
    """`resize_in` in a transaction of its own."""
    return store.write(
        lambda tx: resize_in(tx, name, cores, ram_gb, disk_gb, force=force, reason=reason)
    )


# -- views -------------------------------------------------------------------


def list_vms(
    store: Store,
    dept: str | None = None,
    system: str | None = None,
    status: str | None = None,
    node: str | None = None,
) -> list[dict[str, Any]]:
    """VMs (records, keys `FIELDS`) by name, filtered by department, system, status, node."""
    if status is not None and status not in checks.STATUSES:
        raise InvalidInput(
            f"status {checks.shown(status)} is not one of {', '.join(checks.STATUSES)}"
        )

    def run(tx: Tx) -> list[dict[str, Any]]:
        from infra.org import depts

        where: list[str] = []
        params: list[Any] = []
        if dept is not None:
            where.append("s.dept_id = ?")
            params.append(depts.resolve(tx, dept).id)
        if system is not None:
            where.append("v.system_id = ?")
            params.append(systems.resolve(tx, system).id)
        if node is not None:
            where.append("v.node_id = ?")
            params.append(nodes.resolve(tx, node).id)
        if status is not None:
            where.append("v.status = ?")
            params.append(status)
        sql = _SELECT + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY v.name"
        return [Vm.from_row(r).record() for r in tx.all(sql, params)]

    return store.read(run)


def show(store: Store, name: str) -> dict[str, Any]:
    """One VM's record and its history (`history`: events, oldest first)."""

    def run(tx: Tx) -> dict[str, Any]:
        vm = resolve(tx, name)
        return {**vm.record(), "history": history(tx, vm.id)}

    return store.read(run)
