"""What the cloud has allocated: per node, department or system, or for the whole cloud.

Per resource (cores, ram_gb, disk_gb) a node row gives physical, reserved,
schedulable ((physical − reserved) × ratio), allocated (held by approved, active
and stopped VMs), free (schedulable − allocated) and the overcommit in use
(allocated ÷ (physical − reserved): 2.5 means 2.5 virtual cores per usable core).
A department row gives what its VMs hold beside its quota; a system row what its
VMs hold. Nodes, departments and systems read the totals the database keeps
(`held`): no grouping counts the VMs.
"""

from __future__ import annotations

from typing import Any

from infra.cloud import nodes
from infra.cloud.checks import RESOURCES
from infra.errors import InvalidInput
from infra.store import Store, Tx

GROUPINGS = ("cloud", "node", "dept", "system")


def usage(store: Store, by: str = "node") -> list[dict[str, Any]]:
    """Allocation rows grouped `by` one of `GROUPINGS` (cloud: one row of totals)."""
    if by not in GROUPINGS:
        raise InvalidInput(f"usage is grouped by one of {', '.join(GROUPINGS)}, not {by!r}")
    return store.read(lambda tx: usage_in(tx, by))


def usage_in(tx: Tx, by: str) -> list[dict[str, Any]]:
    if by == "node":
        held = nodes.allocated_by_node(tx)
        return [nodes.capacity(n, held.get(n.id)) for n in nodes.all_nodes(tx)]
    if by == "cloud":
        return [_total(tx)]
    if by == "dept":
        return _by_dept(tx)
    return _by_system(tx)


def _total(tx: Tx) -> dict[str, Any]:
    rows = usage_in(tx, "node")
    out: dict[str, Any] = {"nodes": len(rows), "vms": sum(r["vms"] for r in rows)}
    for r in RESOURCES:
        for figure in ("physical", "reserved", "schedulable", "allocated", "free"):
            out[f"{r}_{figure}"] = sum(row[f"{r}_{figure}"] for row in rows)
        usable = out[f"{r}_physical"] - out[f"{r}_reserved"]
        out[f"{r}_overcommit"] = round(out[f"{r}_allocated"] / usable, 2) if usable else None
    return out


def _by_dept(tx: Tx) -> list[dict[str, Any]]:
    from infra.cloud import systems  # here: departments and IPAM are not every grouping's
    from infra.org import depts

    ids = {int(r["dept_id"]) for r in tx.all("SELECT DISTINCT dept_id FROM cloud_system")}
    ids |= {int(r["dept_id"]) for r in tx.all("SELECT dept_id FROM cloud_quota")}
    out = []
    for dept_id in ids:
        dept = depts.get(tx, dept_id)
        limits = systems.quota_of(tx, dept_id) or dict.fromkeys(systems.QUOTA_KEYS)
        # the department's row of the kept totals, as the quota check reads it
        h = systems.dept_usage(tx, dept_id)
        row: dict[str, Any] = {"dept": dept.code or dept.name, "dept_name": dept.name}
        for key in systems.QUOTA_KEYS:
            used = h[key]
            name = "vms" if key == "vms" else f"{key}_allocated"
            row[name] = used
            cap = limits[key]
            row[f"{key}_quota"] = cap
            row[f"{key}_free"] = None if cap is None else cap - used
        out.append((dept.org_path or "", dept.code or "", dept.name, row))
    return [row for *_, row in sorted(out, key=lambda t: t[:3])]


def _by_system(tx: Tx) -> list[dict[str, Any]]:
    # each system's row of the kept totals; a system without one holds nothing
    figures = ", ".join(f"coalesce(h.{k}, 0) AS {k}" for k in ("vms", *RESOURCES))
    rows = tx.all(
        f"SELECT s.name AS system, coalesce(d.code, d.name) AS dept, {figures}"
        " FROM cloud_system s JOIN dept d ON d.id = s.dept_id"
        " LEFT JOIN cloud_held h ON h.scope = 'system' AND h.scope_id = s.id"
        " ORDER BY s.name"
    )
    out = []
    for r in rows:
        out.append(
            {
                "system": r["system"],
                "dept": r["dept"],
                "vms": int(r["vms"]),
                **{f"{k}_allocated": int(r[k]) for k in RESOURCES},
            }
        )
    return out
