"""The Xinchuang figures for the bureau's report, computed from the status
histories, so a past date gives the answer as it stood then.

`figures(tx, since, until)` is the one place they are computed (the report module
calls it). Days are YYYY-MM-DD, inclusive, in China Standard Time, as the moves
were dated; without `since` the period starts with the first record, without
`until` it ends today.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from infra.errors import InvalidInput
from infra.store import Store, Tx
from infra.xc import values

_AS_OF = (
    "SELECT {key}, to_status FROM (SELECT {key}, to_status, ROW_NUMBER() OVER"
    " (PARTITION BY {key} ORDER BY day DESC, id DESC) AS n FROM {table} WHERE day <= ?) e"
    " WHERE e.n = 1"
)


def period(since: str | date | None, until: str | date | None) -> tuple[date | None, date]:
    """The period's first and last day, checked (`until` defaults to today)."""
    first = values.day(since, "since", past=False) if since is not None else None
    last = values.day(until, "until", past=False) if until is not None else values.today()
    if first is not None and first > last:
        raise InvalidInput(f"the period starts ({first}) after it ends ({last})")
    return first, last


def figures(
    tx: Tx, since: str | date | None = None, until: str | date | None = None
) -> dict[str, Any]:
    """The Xinchuang figures for a period.

    - `terminals_installed`, `servers_installed`: assets whose status at the end of
      `until` is installed or accepted;
    - `terminals_accepted`, `servers_accepted`: of those, the accepted ones;
    - `terminals_installed_in_period`, `servers_installed_in_period`: assets that
      first reached installed or accepted within the period;
    - `apps_deployed`: application systems online at the end of `until`;
    - `apps_online_in_period`: those that went online within the period;
    - `budget_total`: the budgets of both phases (yuan text, two decimals);
    - `spent`: the cost of the assets accepted at the end of `until` (yuan text);
    - `since`, `until`: the period as days (`since` None: from the first record).
    """
    first, last = period(since, until)
    end = last.isoformat()
    start = first.isoformat() if first is not None else ""
    counted = values.COUNTED

    latest = _AS_OF.format(key="asset_id", table="xc_asset_event")
    state = tx.all(
        f"SELECT a.kind, s.to_status, count(*) AS n, coalesce(sum(a.cost_fen), 0) AS cost"
        f" FROM ({latest}) s JOIN xc_asset a ON a.id = s.asset_id GROUP BY a.kind, s.to_status",
        (end,),
    )
    out: dict[str, Any] = {"since": first.isoformat() if first else None, "until": end}
    spent = 0
    for kind in values.KINDS:
        rows = [r for r in state if r["kind"] == kind]
        out[f"{kind}s_installed"] = sum(int(r["n"]) for r in rows if r["to_status"] in counted)
        out[f"{kind}s_accepted"] = sum(int(r["n"]) for r in rows if r["to_status"] == "accepted")
        spent += sum(int(r["cost"]) for r in rows if r["to_status"] == "accepted")
    reached = tx.all(
        "SELECT a.kind, count(*) AS n FROM (SELECT asset_id, min(day) AS day FROM xc_asset_event"
        " WHERE to_status IN (?, ?) GROUP BY asset_id) f JOIN xc_asset a ON a.id = f.asset_id"
        " WHERE f.day >= ? AND f.day <= ? GROUP BY a.kind",
        (*counted, start, end),
    )
    for kind in values.KINDS:
        out[f"{kind}s_installed_in_period"] = sum(int(r["n"]) for r in reached if r["kind"] == kind)
    apps = _AS_OF.format(key="app_id", table="xc_app_event")
    out["apps_deployed"] = int(
        tx.scalar(f"SELECT count(*) FROM ({apps}) s WHERE s.to_status = 'online'", (end,))
    )
    out["apps_online_in_period"] = int(
        tx.scalar(
            "SELECT count(DISTINCT app_id) FROM xc_app_event"
            " WHERE to_status = 'online' AND day >= ? AND day <= ?",
            (start, end),
        )
    )
    total = tx.scalar("SELECT coalesce(sum(budget_fen), 0) FROM xc_phase")
    out["budget_total"] = values.yuan(int(total))
    out["spent"] = values.yuan(spent)
    return out


def stats(store: Store, since: str | None = None, until: str | None = None) -> dict[str, Any]:
    """`figures` in a read transaction of its own."""
    first, last = period(since, until)
    return store.read(lambda tx: figures(tx, first, last))
