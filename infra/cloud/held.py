"""What each node, department and system holds, as the database keeps it.

`cloud_held` has one row per node, per department and per system: the VMs in a holding status
(approved, active, stopped) and the cores, RAM and disk they hold. Triggers on
`cloud_vm` keep it in the very transaction that changes a VM (a new VM, a change of
status, node, resources or system, a deleted row), so no code path can forget to:
a check or a report reads indexed rows, whatever the number of VMs. A missing row holds
nothing. `recount` counts again from the VMs themselves and names any difference
(`govops cloud check`).
"""

from __future__ import annotations

from typing import Any

from infra.cloud.checks import RESOURCES
from infra.store import Store, Tx

KEYS = ("vms", *RESOURCES)
_COLUMNS = ", ".join(KEYS)
_HOLDING = "v.status IN ('approved', 'active', 'stopped')"
SCOPES = ("node", "dept", "system")


def zero() -> dict[str, int]:
    return dict.fromkeys(KEYS, 0)


def _figures(row: Any) -> dict[str, int]:
    return {k: int(row[k]) for k in KEYS}


def of(tx: Tx, scope: str, scope_id: int) -> dict[str, int]:
    """What one node (scope "node"), department ("dept") or system ("system") holds."""
    row = tx.one(
        f"SELECT {_COLUMNS} FROM cloud_held WHERE scope = ? AND scope_id = ?", (scope, scope_id)
    )
    return _figures(row) if row is not None else zero()


def every(tx: Tx, scope: str) -> dict[int, dict[str, int]]:
    """What each node, department or system holds, by id (those holding nothing may be absent)."""
    rows = tx.all(f"SELECT scope_id, {_COLUMNS} FROM cloud_held WHERE scope = ?", (scope,))
    return {int(r["scope_id"]): _figures(r) for r in rows}


def _counted(tx: Tx, scope: str) -> dict[int, dict[str, int]]:
    sums = f"count(*) AS vms, {', '.join(f'sum(v.{k}) AS {k}' for k in RESOURCES)}"
    if scope == "node":
        sql = (
            f"SELECT v.node_id AS scope_id, {sums} FROM cloud_vm v"
            f" WHERE {_HOLDING} AND v.node_id IS NOT NULL GROUP BY v.node_id"
        )
    elif scope == "system":
        sql = (
            f"SELECT v.system_id AS scope_id, {sums} FROM cloud_vm v"
            f" WHERE {_HOLDING} GROUP BY v.system_id"
        )
    else:
        sql = (
            f"SELECT s.dept_id AS scope_id, {sums} FROM cloud_vm v"
            f" JOIN cloud_system s ON s.id = v.system_id WHERE {_HOLDING} GROUP BY s.dept_id"
        )
    return {int(r["scope_id"]): _figures(r) for r in tx.all(sql)}


def _label(tx: Tx, scope: str, scope_id: int) -> str:
    if scope == "node":
        name = tx.scalar("SELECT name FROM cloud_node WHERE id = ?", (scope_id,))
        return f"node {name if name is not None else f'#{scope_id}'}"
    if scope == "system":
        name = tx.scalar("SELECT name FROM cloud_system WHERE id = ?", (scope_id,))
        return f"system {name if name is not None else f'#{scope_id}'}"
    row = tx.one("SELECT code, name FROM dept WHERE id = ?", (scope_id,))
    return f"department {(row['code'] or row['name']) if row is not None else f'#{scope_id}'}"


def _shown(figures: dict[str, int]) -> str:
    return ", ".join(f"{k} {figures[k]}" for k in KEYS)


def recount(tx: Tx) -> list[str]:
    """Count what each node, department and system holds from the VMs themselves and compare
    with the kept totals: one line per difference (none when they agree)."""
    out: list[str] = []
    for scope in SCOPES:
        kept, counted = every(tx, scope), _counted(tx, scope)
        for scope_id in sorted(kept.keys() | counted.keys()):
            k, c = kept.get(scope_id, zero()), counted.get(scope_id, zero())
            if k != c:
                out.append(
                    f"{_label(tx, scope, scope_id)}: the totals say {_shown(k)};"
                    f" the VMs hold {_shown(c)}"
                )
    return out


def check(store: Store) -> list[str]:
    """`recount` in a read transaction of its own."""
    return store.read(recount)
