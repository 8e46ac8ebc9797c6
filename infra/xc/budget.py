"""The two phases (一期, 二期) with their budgets, the budget position, and progress.

Money is whole fen in the database and yuan text with two decimals (`"12800.00"`)
in what these functions return, never a binary float. Per phase:

- `committed`: the cost of every asset of the phase that is not retired;
- `spent`: the cost of its accepted assets;
- `remaining`: budget − committed, negative when the phase is committed beyond its
  budget (`over_budget` is then true): an overrun is shown, never hidden.

Assets without a cost count as nothing (`uncosted` counts them).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from infra import locks
from infra.errors import InvalidInput
from infra.store import Store, Tx
from infra.xc import values


def set_phase(
    store: Store,
    phase: str | int,
    budget: str | int,
    start: str | date | None = None,
    end: str | date | None = None,
) -> dict[str, Any]:
    """Set a phase's budget (yuan) and optionally its first and last day."""
    number = values.phase(phase)
    fen = values.fen(budget, "budget")
    first = values.day(start, "start", past=False) if start is not None else None
    last = values.day(end, "end", past=False) if end is not None else None
    if first is not None and last is not None and first > last:
        raise InvalidInput(f"phase {number} starts ({first}) after it ends ({last})")

    def run(tx: Tx) -> dict[str, Any]:
        locks.hold(tx, locks.XC)
        old = tx.one("SELECT * FROM xc_phase WHERE phase = ?", (number,))
        before = _phase_record(old) if old is not None else None
        start_day = first.isoformat() if first else (old["start_day"] if old else None)
        end_day = last.isoformat() if last else (old["end_day"] if old else None)
        if start_day and end_day and start_day > end_day:
            raise InvalidInput(
                f"phase {number} would start ({start_day}) after it ends ({end_day})"
            )
        if old is None:
            tx.execute(
                "INSERT INTO xc_phase (phase, budget_fen, start_day, end_day, updated_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (number, fen, start_day, end_day, tx.now),
            )
        else:
            tx.execute(
                "UPDATE xc_phase SET budget_fen = ?, start_day = ?, end_day = ?, updated_at = ?"
                " WHERE phase = ?",
                (fen, start_day, end_day, tx.now, number),
            )
        after = _phase_record(tx.one("SELECT * FROM xc_phase WHERE phase = ?", (number,)))
        tx.audit("xc.phase.set", "xc_phase", str(number), before, after)
        return after

    return store.write(run)


def _phase_record(row: Any) -> dict[str, Any]:
    return {
        "phase": int(row["phase"]),
        "budget": values.yuan(int(row["budget_fen"])),
        "start": row["start_day"],
        "end": row["end_day"],
    }


def position(tx: Tx) -> list[dict[str, Any]]:
    """Per phase (those with a budget or with assets): budget, committed, spent,
    remaining, over_budget, assets, uncosted."""
    budgets = {
        int(r["phase"]): r
        for r in tx.all("SELECT phase, budget_fen, start_day, end_day FROM xc_phase")
    }
    sums = {
        int(r["phase"]): r
        for r in tx.all(
            "SELECT phase,"
            " coalesce(sum(CASE WHEN status <> 'retired' THEN cost_fen ELSE 0 END), 0) AS committed,"
            " coalesce(sum(CASE WHEN status = 'accepted' THEN cost_fen ELSE 0 END), 0) AS spent,"
            " sum(CASE WHEN status <> 'retired' THEN 1 ELSE 0 END) AS assets,"
            " sum(CASE WHEN status <> 'retired' AND cost_fen IS NULL THEN 1 ELSE 0 END)"
            " AS uncosted"
            " FROM xc_asset WHERE phase IS NOT NULL GROUP BY phase"
        )
    }
    out = []
    for phase in sorted(set(budgets) | set(sums)):
        b = budgets.get(phase)
        s = sums.get(phase)
        budget = int(b["budget_fen"]) if b is not None else None
        committed = int(s["committed"]) if s is not None else 0
        spent = int(s["spent"]) if s is not None else 0
        remaining = budget - committed if budget is not None else None
        out.append(
            {
                "phase": phase,
                "budget": values.yuan(budget),
                "committed": values.yuan(committed),
                "spent": values.yuan(spent),
                "remaining": values.yuan(remaining),
                "over_budget": remaining is not None and remaining < 0,
                "assets": int(s["assets"]) if s is not None else 0,
                "uncosted": int(s["uncosted"]) if s is not None else 0,
                "start": b["start_day"] if b is not None else None,
                "end": b["end_day"] if b is not None else None,
            }
        )
    return out


def budget(store: Store) -> list[dict[str, Any]]:
    """The budget position per phase (see the module's docstring)."""
    return store.read(position)


BY = ("dept", "phase", "kind")


def progress(store: Store, by: str | None = None) -> list[dict[str, Any]]:
    """Counts of assets per status, per department, phase or kind (or in all), with
    `percent_accepted`: accepted ÷ assets not retired × 100, to one decimal
    (None when there are none)."""
    if by is not None and by not in BY:
        raise InvalidInput(f"unknown grouping {str(by)[:40]!r}: one of {', '.join(BY)}")
    key = {
        None: "'all'",
        "dept": "coalesce(d.code, d.name)",
        "phase": "coalesce(CAST(a.phase AS TEXT), '-')",
        "kind": "a.kind",
    }[by]

    def run(tx: Tx) -> list[dict[str, Any]]:
        rows = tx.all(
            f"SELECT {key} AS grp, a.status, count(*) AS n FROM xc_asset a"
            " JOIN dept d ON d.id = a.dept_id GROUP BY 1, a.status"
        )
        groups: dict[str, dict[str, int]] = {}
        for r in rows:
            groups.setdefault(str(r["grp"]), dict.fromkeys(values.ASSET_STATUSES, 0))[
                r["status"]
            ] = int(r["n"])
        out = []
        for grp in sorted(groups):
            counts = groups[grp]
            total = sum(counts.values())
            live = total - counts["retired"]
            percent = round(counts["accepted"] * 1000 / live) / 10 if live else None
            out.append({by or "scope": grp, **counts, "total": total, "percent_accepted": percent})
        return out

    return store.read(run)
