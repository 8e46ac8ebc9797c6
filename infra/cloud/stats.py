"""The cloud's figures for the bureau's report, computed from the VM event history,
so a past date gives the answer as it stood then.

`figures(tx, since, until)` is the one place they are computed (the report module
calls it). Dates are days (YYYY-MM-DD, inclusive) in China Standard Time; without
`since` the period starts with the first record, without `until` it ends today.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from infra.cloud import checks
from infra.errors import InvalidInput
from infra.store import Store, Tx

_ISSUING = "provision"
"""The event that issues a VM (a recorded, already-running VM has one too)."""
ACTIONS = ("request", "approve", "reject", "provision", "stop", "start", "resize", "decommission")
"""Every action a VM's history holds: a request and `vms.TRANSITIONS` (named here so
that the report's figures do not import the lifecycle)."""
_ONCE = ("request", _ISSUING, "decommission")
"""Actions that happen at most once in a VM's life (see `vms.TRANSITIONS`)."""


def period(since: str | date | None, until: str | date | None) -> tuple[date | None, date]:
    """The period's first and last day, checked (`until` defaults to today)."""
    first = checks.day(since, "since") if since is not None else None
    last = checks.day(until, "until") if until is not None else checks.today()
    if first is not None and first > last:
        raise InvalidInput(f"the period starts ({first}) after it ends ({last})")
    return first, last


def figures(
    tx: Tx, since: str | date | None = None, until: str | date | None = None
) -> dict[str, Any]:
    """The cloud's figures for a period.

    - `vms_issued`: VMs provisioned in the period (those decommissioned since
      included; a VM is provisioned once in its life);
    - `vms_requested`, `vms_decommissioned`: VMs requested / decommissioned in it;
    - `vms_active`: VMs active or stopped at the end of `until`;
    - `departments`, `systems`: those with at least one VM issued up to `until`;
    - `allocated_cores`, `allocated_ram_gb`, `allocated_disk_gb`: what VMs held at
      the end of `until` (approved, active, stopped);
    - `active_cores`, `active_ram_gb`, `active_disk_gb`: what active or stopped VMs had;
    - `since`, `until`: the period as days (`since` None: from the first record).
    """
    first, last = period(since, until)
    end = checks.day_start(last + timedelta(days=1))
    start = checks.day_start(first) if first is not None else ""

    def in_period(action: str) -> int:
        # A VM is requested once (the request makes it), provisioned once (only from
        # approved, reached only from requested) and decommissioned once (for good):
        # counting these events counts VMs, from the (action, ts) index alone.
        assert action in _ONCE
        return int(
            tx.scalar(
                "SELECT count(*) FROM vm_event WHERE action = ? AND ts >= ? AND ts < ?",
                (action, start, end),
            )
        )

    out: dict[str, Any] = {
        "since": first.isoformat() if first else None,
        "until": last.isoformat(),
        "vms_issued": in_period(_ISSUING),
        "vms_requested": in_period("request"),
        "vms_decommissioned": in_period("decommission"),
    }
    state = _now_state(tx) if _all_before(tx, end) else _state_at(tx, end)
    # Systems with a VM provisioned before the end, found system by system (its VMs,
    # then each VM's own events) rather than by reading every provision event.
    reach = tx.one(
        "SELECT count(DISTINCT s.dept_id) AS departments, count(*) AS systems"
        " FROM cloud_system s WHERE EXISTS (SELECT 1 FROM cloud_vm v WHERE v.system_id = s.id"
        " AND EXISTS (SELECT 1 FROM vm_event e WHERE e.vm_id = v.id AND e.action = ?"
        " AND e.ts < ?))",
        (_ISSUING, end),
    )
    out["vms_active"] = int(state["vms_active"])
    out["departments"] = int(reach["departments"])
    out["systems"] = int(reach["systems"])
    for kind in ("allocated", "active"):
        for r in checks.RESOURCES:
            out[f"{kind}_{r}"] = int(state[f"{kind}_{r}"])
    return out


def _all_before(tx: Tx, end: str) -> bool:
    """No event at or after `end` (the usual case: a period ending today); read from the
    (action, ts) index, every action a VM's history holds being one of `ACTIONS` (a
    recorded VM's too: provision, stop)."""
    marks = ", ".join("?" for _ in ACTIONS)
    later = tx.scalar(
        f"SELECT 1 FROM vm_event WHERE action IN ({marks}) AND ts >= ? LIMIT 1", (*ACTIONS, end)
    )
    return later is None


def _now_state(tx: Tx) -> dict[str, int]:
    """What VMs hold now, read from the VMs (each VM's latest event states what its
    row holds), node by node through the (node, status) index."""
    from infra.cloud import nodes

    held = nodes.allocated_by_node(tx)
    approved = tx.one(
        "SELECT count(*) AS vms, coalesce(sum(cores), 0) AS cores,"
        " coalesce(sum(ram_gb), 0) AS ram_gb, coalesce(sum(disk_gb), 0) AS disk_gb"
        " FROM cloud_vm WHERE status = 'approved'"
    )
    out = {"vms_active": sum(h["vms"] for h in held.values()) - int(approved["vms"])}
    for r in checks.RESOURCES:
        allocated = sum(h[r] for h in held.values())
        out[f"allocated_{r}"] = allocated
        out[f"active_{r}"] = allocated - int(approved[r])
    return out


def _state_at(tx: Tx, end: str) -> Any:
    """What VMs held at `end`: each VM's latest event before it."""
    return tx.one(
        "SELECT"
        " coalesce(sum(CASE WHEN to_status IN ('active', 'stopped') THEN 1 ELSE 0 END), 0)"
        " AS vms_active,"
        + ",".join(
            f" coalesce(sum(CASE WHEN to_status IN ('approved', 'active', 'stopped')"
            f" THEN {r} ELSE 0 END), 0) AS allocated_{r},"
            f" coalesce(sum(CASE WHEN to_status IN ('active', 'stopped')"
            f" THEN {r} ELSE 0 END), 0) AS active_{r}"
            for r in checks.RESOURCES
        )
        + " FROM (SELECT to_status, cores, ram_gb, disk_gb, ROW_NUMBER() OVER"
        " (PARTITION BY vm_id ORDER BY ts DESC, id DESC) AS n FROM vm_event WHERE ts < ?) e"
        " WHERE e.n = 1",
        (end,),
    )


def stats(store: Store, since: str | None = None, until: str | None = None) -> dict[str, Any]:
    """`figures` in a read transaction of its own."""
    first, last = period(since, until)  # refuse a bad date before opening anything
    return store.read(lambda tx: figures(tx, first, last))
