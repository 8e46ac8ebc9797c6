"""The drill's figures for the bureau's report over a period: drills held, hosts
inspected, the pass rate and the findings closed.

`figures(tx, since, until)` is the one place they are computed (`govops drill stats`
and the report's indicators call it). Days are YYYY-MM-DD, inclusive, in China
Standard Time, as `cloud stats` reads them; without `since` the period starts with
the first record, without `until` it ends today.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from infra.cloud import checks
from infra.cloud.stats import period
from infra.drill.report import percent
from infra.store import Store, Tx

__all__ = ["figures", "period", "stats"]

_RUNS = "SELECT id FROM drill_run WHERE status = 'completed' AND started_at >= ? AND started_at < ?"
"""The drills held in a period: completed runs started within it."""


def figures(
    tx: Tx, since: str | date | None = None, until: str | date | None = None
) -> dict[str, Any]:
    """The drill's figures for a period.

    - `drills_held`: completed runs started within the period (failed and running
      runs are not drills held);
    - `hosts_inspected`: distinct hosts a drill held in the period reached (a host
      reached by two drills counts once);
    - `pass`, `fail`: results of those drills that passed / failed their check;
    - `pass_rate`: 100 × pass / (pass + fail), one decimal (`report.percent`; None
      when nothing was judged), as `drill report` computes a run's rate;
    - `findings_opened`, `findings_closed`: findings (of any run) opened / closed
      within the period;
    - `since`, `until`: the period as days (`since` None: from the first record).
    """
    first, last = period(since, until)
    start = checks.day_start(first) if first is not None else ""
    end = checks.day_start(last + timedelta(days=1))
    window = (start, end)
    held = int(tx.scalar(f"SELECT count(*) FROM ({_RUNS}) r", window))
    hosts = int(
        tx.scalar(
            f"SELECT count(DISTINCT host) FROM drill_host WHERE reachable = 1"
            f" AND run_id IN ({_RUNS})",
            window,
        )
    )
    judged = {"pass": 0, "fail": 0}
    for r in tx.all(
        f"SELECT status, count(*) AS n FROM drill_result WHERE status IN ('pass', 'fail')"
        f" AND run_id IN ({_RUNS}) GROUP BY status",
        window,
    ):
        judged[r["status"]] = int(r["n"])

    def findings(column: str) -> int:
        return int(
            tx.scalar(
                f"SELECT count(*) FROM drill_finding WHERE {column} >= ? AND {column} < ?", window
            )
        )

    return {
        "since": first.isoformat() if first else None,
        "until": last.isoformat(),
        "drills_held": held,
        "hosts_inspected": hosts,
        "pass": judged["pass"],
        "fail": judged["fail"],
        "pass_rate": percent(judged["pass"], judged["pass"] + judged["fail"]),
        "findings_opened": findings("opened_at"),
        "findings_closed": findings("closed_at"),
    }


def stats(store: Store, since: str | None = None, until: str | None = None) -> dict[str, Any]:
    """`figures` in a read transaction of its own."""
    first, last = period(since, until)  # refuse a bad date before opening anything
    return store.read(lambda tx: figures(tx, first, last))
