"""Compute nodes and their capacity, OpenStack's way.

Per resource, a node's schedulable capacity is (physical − reserved) × allocation
ratio, rounded down: the ratio is how far the resource is overcommitted (cpu 4.0,
ram 1.0, disk 1.0 by default, as nova's initial ratios). What a node has
allocated is what the VMs on it that hold capacity (approved, active, stopped)
hold, as the database's triggers keep it in `cloud_held` (see `held`), never a
counter the application updates.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from infra.cloud import checks, held
from infra.cloud.checks import HOLDING, RESOURCES, UnknownNode
from infra.errors import Conflict, InvalidInput
from infra.inputs import unstorable
from infra.store import Store, Tx

_COLUMNS = (
    "id, name, arch, cores, ram_gb, disk_gb, reserved_cores, reserved_ram_gb,"
    " cpu_ratio, ram_ratio, disk_ratio"
)
_IN_HOLDING = "status IN ('approved', 'active', 'stopped')"
assert HOLDING == ("approved", "active", "stopped")


class Node(NamedTuple):
    id: int
    name: str
    arch: str
    cores: int
    ram_gb: int
    disk_gb: int
    reserved_cores: int
    reserved_ram_gb: int
    cpu_ratio: float
    ram_ratio: float
    disk_ratio: float

    @classmethod
    def from_row(cls, r: Any) -> Node:
        return cls(
            int(r["id"]),
            r["name"],
            r["arch"],
            int(r["cores"]),
            int(r["ram_gb"]),
            int(r["disk_gb"]),
            int(r["reserved_cores"]),
            int(r["reserved_ram_gb"]),
            float(r["cpu_ratio"]),
            float(r["ram_ratio"]),
            float(r["disk_ratio"]),
        )

    def physical(self) -> dict[str, int]:
        return {"cores": self.cores, "ram_gb": self.ram_gb, "disk_gb": self.disk_gb}

    def reserved(self) -> dict[str, int]:
        return {"cores": self.reserved_cores, "ram_gb": self.reserved_ram_gb, "disk_gb": 0}

    def ratios(self) -> dict[str, float]:
        return {"cores": self.cpu_ratio, "ram_gb": self.ram_ratio, "disk_gb": self.disk_ratio}

    def usable(self) -> dict[str, int]:
        """Physical less reserved: what the hypervisor may hand to guests at ratio 1."""
        phys, res = self.physical(), self.reserved()
        return {r: phys[r] - res[r] for r in RESOURCES}

    def schedulable(self) -> dict[str, int]:
        """(physical − reserved) × ratio, rounded down; decimal arithmetic, so that
        100 GB at ratio 0.29 is 29 GB, not 28."""
        from decimal import Decimal  # here, not at start-up: 2 ms of every cloud command

        usable, ratios = self.usable(), self.ratios()
        return {r: int(Decimal(usable[r]) * Decimal(repr(ratios[r]))) for r in RESOURCES}

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "arch": self.arch,
            "cores": self.cores,
            "ram_gb": self.ram_gb,
            "disk_gb": self.disk_gb,
            "reserved_cores": self.reserved_cores,
            "reserved_ram_gb": self.reserved_ram_gb,
            "cpu_ratio": self.cpu_ratio,
            "ram_ratio": self.ram_ratio,
            "disk_ratio": self.disk_ratio,
        }


# -- lookups -----------------------------------------------------------------


def resolve(tx: Tx, name: str) -> Node:
    """The node of that name."""
    if not isinstance(name, str) or not name.strip():
        raise InvalidInput("empty node name")
    row = None
    if not unstorable(name):
        row = tx.one(f"SELECT {_COLUMNS} FROM cloud_node WHERE name = ?", (name.strip(),))
    if row is None:
        raise UnknownNode(f"no node named {checks.shown(name.strip())}")
    return Node.from_row(row)


def get(tx: Tx, node_id: int) -> Node:
    return Node.from_row(tx.one(f"SELECT {_COLUMNS} FROM cloud_node WHERE id = ?", (node_id,)))


def all_nodes(tx: Tx, arch: str | None = None) -> list[Node]:
    """Every node (of one architecture), by name."""
    if arch is None:
        rows = tx.all(f"SELECT {_COLUMNS} FROM cloud_node ORDER BY name")
    else:
        rows = tx.all(f"SELECT {_COLUMNS} FROM cloud_node WHERE arch = ? ORDER BY name", (arch,))
    return [Node.from_row(r) for r in rows]


def _zero() -> dict[str, int]:
    return {"vms": 0, "cores": 0, "ram_gb": 0, "disk_gb": 0}


def allocated(tx: Tx, node_id: int) -> dict[str, int]:
    """VMs and resources held on one node: its row of the totals the database keeps
    (`held`), one indexed read whatever the number of VMs."""
    return held.of(tx, "node", node_id)


def allocated_by_node(tx: Tx, node_ids: list[int] | None = None) -> dict[int, dict[str, int]]:
    """What each node holds (every node, or the ones named), from the kept totals."""
    if node_ids is None:
        node_ids = [int(r["id"]) for r in tx.all("SELECT id FROM cloud_node")]
    kept = held.every(tx, "node")
    return {node_id: kept.get(node_id) or held.zero() for node_id in node_ids}


def capacity(node: Node, held: dict[str, int] | None) -> dict[str, Any]:
    """A node with, per resource, its physical, reserved, schedulable, allocated and
    free figures and the overcommit in use (allocated ÷ (physical − reserved)).

    Keys: `name`, `arch`, `vms`, the ratios, then `<resource>_<figure>` for each
    resource (cores, ram_gb, disk_gb) and figure (physical, reserved, schedulable,
    allocated, free, overcommit).
    """
    held = held or _zero()
    sched, usable = node.schedulable(), node.usable()
    phys, res = node.physical(), node.reserved()
    out: dict[str, Any] = {
        "name": node.name,
        "arch": node.arch,
        "vms": held["vms"],
        "cpu_ratio": node.cpu_ratio,
        "ram_ratio": node.ram_ratio,
        "disk_ratio": node.disk_ratio,
    }
    for r in RESOURCES:
        out[f"{r}_physical"] = phys[r]
        out[f"{r}_reserved"] = res[r]
        out[f"{r}_schedulable"] = sched[r]
        out[f"{r}_allocated"] = held[r]
        out[f"{r}_free"] = sched[r] - held[r]
        out[f"{r}_overcommit"] = round(held[r] / usable[r], 2) if usable[r] else None
    return out


# -- operations --------------------------------------------------------------


def add(
    store: Store,
    name: str,
    cores: int | str,
    ram_gb: int | str,
    disk_gb: int | str,
    *,
    arch: str = "x86_64",
    cpu_ratio: float | str | None = None,
    ram_ratio: float | str | None = None,
    disk_ratio: float | str | None = None,
    reserved_cores: int | str = 0,
    reserved_ram_gb: int | str = 0,
    force: bool = False,
    reason: str | None = None,
) -> dict[str, Any]:
    """Add a compute node; a RAM ratio above `checks.RAM_RATIO_FORCE` must be forced,
    with a reason (audited)."""
    name = checks.host_name(name, "node")
    node = Node(
        0,
        name,
        checks.arch(arch),
        checks.amount(cores, "cores", checks.MAX_NODE_CORES),
        checks.amount(ram_gb, "RAM (GB)", checks.MAX_NODE_GB),
        checks.amount(disk_gb, "disk (GB)", checks.MAX_NODE_GB),
        checks.amount(reserved_cores, "reserved cores", checks.MAX_NODE_CORES, 0),
        checks.amount(reserved_ram_gb, "reserved RAM (GB)", checks.MAX_NODE_GB, 0),
        checks.ratio(checks.DEFAULT_RATIOS["cpu"] if cpu_ratio is None else cpu_ratio, "CPU"),
        checks.ratio(checks.DEFAULT_RATIOS["ram"] if ram_ratio is None else ram_ratio, "RAM"),
        checks.ratio(checks.DEFAULT_RATIOS["disk"] if disk_ratio is None else disk_ratio, "disk"),
    )
    note = checks.reason_for(force, reason, "a node's settings")
    if node.reserved_cores >= node.cores:
        raise InvalidInput(
            f"{node.reserved_cores} reserved cores leave nothing of the node's {node.cores}"
        )
    if node.reserved_ram_gb >= node.ram_gb:
        raise InvalidInput(
            f"{node.reserved_ram_gb} GB of reserved RAM leave nothing of the node's"
            f" {node.ram_gb} GB"
        )
    if any(v < 1 for v in node.schedulable().values()):
        raise InvalidInput(f"node {name} would have no schedulable capacity at these ratios")
    if node.ram_ratio > checks.RAM_RATIO_FORCE and not force:
        raise checks.NeedsForce(
            f"a RAM allocation ratio of {node.ram_ratio:g} (above {checks.RAM_RATIO_FORCE:g})"
            " overcommits memory: the guests swap under load"
        )

    def run(tx: Tx) -> dict[str, Any]:
        checks.hold(tx)
        if tx.scalar("SELECT id FROM cloud_node WHERE name = ?", (name,)) is not None:
            raise Conflict(f"node {name} already exists")
        tx.insert(
            "INSERT INTO cloud_node (name, arch, cores, ram_gb, disk_gb, reserved_cores,"
            " reserved_ram_gb, cpu_ratio, ram_ratio, disk_ratio, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (*node[1:], tx.now),
        )
        after = node.as_dict()
        if force or note:
            after.update(forced=force, reason=note)
        tx.audit("cloud.node.add", "cloud_node", name, None, after)
        return capacity(node, None)

    return store.write(run)


def list_nodes(store: Store) -> list[dict[str, Any]]:
    """Every node with its capacity and allocation (see `capacity`), by name."""

    def run(tx: Tx) -> list[dict[str, Any]]:
        found = all_nodes(tx)
        held = allocated_by_node(tx)
        return [capacity(n, held.get(n.id)) for n in found]

    return store.read(run)


def show(store: Store, name: str) -> dict[str, Any]:
    """One node: capacity, allocation and the VMs that hold capacity on it."""

    def run(tx: Tx) -> dict[str, Any]:
        node = resolve(tx, name)
        out = capacity(node, allocated(tx, node.id))
        out["vm_names"] = [
            r["name"]
            for r in tx.all(
                f"SELECT name FROM cloud_vm WHERE node_id = ? AND {_IN_HOLDING} ORDER BY name",
                (node.id,),
            )
        ]
        return out

    return store.read(run)
