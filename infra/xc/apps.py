"""Application systems (应用系统) and their adaptation to domestic stacks.

Statuses run `not-started → adapting → adapted → online`; a forward move may skip
steps, a move back needs force and a reason. The OS, database and middleware an
application is adapted to are catalogue entries (`infra.xc.catalogue`), stored by
their ids. Moves are dated, in order, as assets' are (`infra.xc.assets`).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from infra import locks
from infra.errors import Conflict, InvalidInput
from infra.org import depts
from infra.store import Store, Tx
from infra.xc import catalogue, values
from infra.xc.assets import check_day
from infra.xc.values import UnknownApp, shown

COLUMNS = ("name", "dept", "phase", "os", "db", "middleware", "status", "status_date")

_SELECT = (
    "SELECT p.id, p.name, coalesce(d.code, d.name) AS dept, d.name AS dept_name, p.phase,"
    " p.os, p.db, p.middleware, p.status, p.status_day"
    " FROM xc_app p JOIN dept d ON d.id = p.dept_id"
)


def _record(row: Any) -> dict[str, Any]:
    return {
        "name": row["name"],
        "dept": row["dept"],
        "phase": int(row["phase"]) if row["phase"] is not None else None,
        "os": row["os"],
        "db": row["db"],
        "middleware": row["middleware"],
        "status": row["status"],
        "status_date": row["status_day"],
    }


def get(tx: Tx, name: str) -> Any:
    ref = values.name(name, "application name")
    row = tx.one(f"{_SELECT} WHERE p.name = ?", (ref,))
    if row is None:
        raise UnknownApp(f"no application system named {shown(ref)}")
    return row


def _stack(cat: catalogue.Catalogue | None, kind: str, ref: str | None) -> str | None:
    if ref is None or not ref.strip():
        return None
    assert cat is not None
    return cat.find(kind, ref).id


def add(
    store: Store,
    name: str,
    dept: str,
    *,
    phase: str | int | None = None,
    os: str | None = None,
    db: str | None = None,
    middleware: str | None = None,
    day: str | date | None = None,
    catalogue_path: str | Path | None = None,
) -> dict[str, Any]:
    """Record an application system (status not-started), adapted to catalogue
    entries (an OS, a database, a middleware; ids or aliases)."""
    app_name = values.name(name, "application name")
    if not isinstance(dept, str) or not dept.strip():
        raise InvalidInput("department is empty")
    stage = values.phase(phase) if phase is not None and str(phase).strip() else None
    wanted = (os, db, middleware)
    cat = catalogue.load(catalogue_path) if any(w and w.strip() for w in wanted) else None
    stacks = {
        "os": _stack(cat, "os", os),
        "db": _stack(cat, "db", db),
        "middleware": _stack(cat, "middleware", middleware),
    }
    when = values.day(day, "date") if day is not None else values.today()

    def run(tx: Tx) -> dict[str, Any]:
        locks.hold(tx, locks.XC)
        owner = depts.resolve(tx, dept)
        if tx.one("SELECT id FROM xc_app WHERE name = ?", (app_name,)) is not None:
            raise Conflict(f"an application system named {shown(app_name)} is already recorded")
        app_id = tx.insert(
            "INSERT INTO xc_app (name, dept_id, phase, os, db, middleware, status, status_day,"
            " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 'not-started', ?, ?, ?)",
            (
                app_name,
                owner.id,
                stage,
                stacks["os"],
                stacks["db"],
                stacks["middleware"],
                when.isoformat(),
                tx.now,
                tx.now,
            ),
        )
        _event(tx, app_id, when, None, "not-started")
        out = _record(get(tx, app_name))
        tx.audit("xc.app.add", "xc_app", app_name, None, out)
        return out

    return store.write(run)


def _event(
    tx: Tx,
    app_id: int,
    day: date,
    old: str | None,
    new: str,
    forced: bool = False,
    reason: str | None = None,
) -> None:
    tx.execute(
        "INSERT INTO xc_app_event (app_id, day, ts, actor, from_status, to_status, forced,"
        " reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (app_id, day.isoformat(), tx.now, tx.actor, old, new, int(forced), reason),
    )


def set_status(
    store: Store,
    name: str,
    status: str,
    day: str | date | None = None,
    force: bool = False,
    reason: str | None = None,
) -> dict[str, Any]:
    """Move an application system to another adaptation status."""
    new = values.app_status(status)
    why = values.text(reason, "reason")
    if force and why is None:
        raise InvalidInput("forcing a status move needs a reason")
    when = values.day(day, "date") if day is not None else values.today()

    def run(tx: Tx) -> dict[str, Any]:
        locks.hold(tx, locks.XC)
        row = get(tx, name)
        old = row["status"]
        backwards = values.moved(values.APP_STATUSES, None, old, new, force)
        check_day(tx, "xc_app_event", "app_id", int(row["id"]), when, "application")
        before = _record(row)
        tx.execute(
            "UPDATE xc_app SET status = ?, status_day = ?, updated_at = ? WHERE id = ?",
            (new, when.isoformat(), tx.now, int(row["id"])),
        )
        _event(tx, int(row["id"]), when, old, new, backwards, why)
        after = _record(get(tx, row["name"]))
        tx.audit("xc.app.status", "xc_app", row["name"], before, {**after, "reason": why})
        return after

    return store.write(run)


def list_apps(
    store: Store,
    dept: str | None = None,
    phase: str | int | None = None,
    status: str | None = None,
) -> list[dict[str, Any]]:
    """Application systems, filtered by department, phase and status; by name."""
    where: list[str] = []
    params: list[Any] = []
    if phase is not None:
        where.append("p.phase = ?")
        params.append(values.phase(phase))
    if status is not None:
        where.append("p.status = ?")
        params.append(values.app_status(status))

    def run(tx: Tx) -> list[dict[str, Any]]:
        conditions, args = list(where), list(params)
        if dept is not None:
            conditions.append("p.dept_id = ?")
            args.append(depts.resolve(tx, dept).id)
        clause = f" WHERE {' AND '.join(conditions)}" if conditions else ""
        return [_record(r) for r in tx.all(f"{_SELECT}{clause} ORDER BY p.name", args)]

    return store.read(run)


def show(store: Store, name: str) -> dict[str, Any]:
    """One application system with its status history."""

    def run(tx: Tx) -> dict[str, Any]:
        row = get(tx, name)
        out = _record(row)
        out["dept_name"] = row["dept_name"]
        out["history"] = [
            {
                "date": r["day"],
                "from": r["from_status"],
                "to": r["to_status"],
                "forced": bool(r["forced"]),
                "reason": r["reason"],
                "actor": r["actor"],
                "recorded_at": r["ts"],
            }
            for r in tx.all(
                "SELECT day, ts, actor, from_status, to_status, forced, reason"
                " FROM xc_app_event WHERE app_id = ? ORDER BY day, id",
                (int(row["id"]),),
            )
        ]
        return out

    return store.read(run)
