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

    - `vms_issued`: VMs provisioned at least once in the period (those decommissioned
      since included; a VM provisioned twice counts once);
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
        return int(
            tx.scalar(
                "SELECT count(DISTINCT vm_id) FROM vm_event"
                " WHERE action = ? AND ts >= ? AND ts < ?",
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
    state = tx.one(
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
    reach = tx.one(
        "SELECT count(DISTINCT s.dept_id) AS departments, count(DISTINCT s.id) AS systems"
        " FROM vm_event e JOIN cloud_vm v ON v.id = e.vm_id"
        " JOIN cloud_system s ON s.id = v.system_id WHERE e.action = ? AND e.ts < ?",
        (_ISSUING, end),
    )
    out["vms_active"] = int(state["vms_active"])
    out["departments"] = int(reach["departments"])
    out["systems"] = int(reach["systems"])
    for kind in ("allocated", "active"):
        for r in checks.RESOURCES:
            out[f"{kind}_{r}"] = int(state[f"{kind}_{r}"])
    return out


def stats(store: Store, since: str | None = None, until: str | None = None) -> dict[str, Any]:
    """`figures` in a read transaction of its own."""
    first, last = period(since, until)  # refuse a bad date before opening anything
    return store.read(lambda tx: figures(tx, first, last))
