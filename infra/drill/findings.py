"""The red team's findings against a drill run: opened with a title and a severity,
closed once with the fix that was made.

A finding belongs to one run; the host it names, if any, must be one the run
targeted (`drill_host`), so a finding always points at a machine as the run saw
it, even one since renamed or removed from the ledgers. Every change is written
with its audit row (`drill.finding.add`, `drill.finding.close`).
"""

from __future__ import annotations

from typing import Any

from infra.drill.runs_model import Run, resolve_run
from infra.errors import Conflict, InvalidInput, NotFound
from infra.org.units import shown
from infra.store import Store, Tx
from ipam.addr import free_text

SEVERITIES = ("critical", "high", "medium", "low", "info")
"""A finding's severities, gravest first."""

FINDING_STATUSES = ("open", "closed")

MAX_TITLE = 200
MAX_FIX = 1000
MAX_REPORTER = 100


class UnknownFinding(NotFound):
    """No finding has that id."""


class FindingClosed(Conflict):
    """The finding is closed already; it is closed once."""


class HostNotInRun(NotFound):
    """The host named for a finding was not targeted by the finding's run."""


_SELECT = (
    "SELECT f.id, f.run_id, r.name AS run, f.title, f.severity, f.host, f.reported_by,"
    " f.status, f.fix, f.opened_at, f.opened_by, f.closed_at, f.closed_by"
    " FROM drill_finding f JOIN drill_run r ON r.id = f.run_id"
)


def _record(row: Any) -> dict[str, Any]:
    return {
        "id": int(row["id"]),
        "run_id": int(row["run_id"]),
        "run": row["run"],
        "title": row["title"],
        "severity": row["severity"],
        "host": row["host"],
        "reported_by": row["reported_by"],
        "status": row["status"],
        "fix": row["fix"],
        "opened_at": row["opened_at"],
        "opened_by": row["opened_by"],
        "closed_at": row["closed_at"],
        "closed_by": row["closed_by"],
    }


# -- values ------------------------------------------------------------------


def _line(value: object, what: str, limit: int, required: bool) -> str | None:
    """One line of text, stripped (None when blank and not required)."""
    # Surrounding tabs and line breaks are whitespace, not content; inside, they
    # would break a table row or a CSV cell.
    text = free_text(value.strip() if isinstance(value, str) else value, what, limit)
    if not text:
        if required:
            raise InvalidInput(f"{what} is empty")
        return None
    return text


def check_severity(value: object) -> str:
    """A finding's severity, checked (case-insensitive)."""
    if not isinstance(value, str):
        raise InvalidInput("severity must be text")
    word = value.strip().lower()
    if word not in SEVERITIES:
        raise InvalidInput(
            f"unknown severity {shown(value.strip())}: one of {', '.join(SEVERITIES)}"
        )
    return word


def parse_id(value: object) -> int:
    """A finding's id: a whole number, given as such or as digits."""
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        text = value.strip()
        number = int(text) if len(text) <= 18 else 0
    else:
        raise InvalidInput(f"finding id {shown(str(value))} is not a whole number")
    if not 0 < number < 10**18:
        digits = str(value).strip()
        raise UnknownFinding(f"no finding with id {digits[:20]}{'…' if len(digits) > 20 else ''}")
    return number


def _status(value: object) -> str:
    if not isinstance(value, str) or value.strip().lower() not in FINDING_STATUSES:
        raise InvalidInput(
            f"unknown finding status {shown(str(value))}: one of {', '.join(FINDING_STATUSES)}"
        )
    return value.strip().lower()


# -- operations --------------------------------------------------------------


def get_in(tx: Tx, fid: int) -> dict[str, Any]:
    """The finding with id `fid`."""
    row = tx.one(f"{_SELECT} WHERE f.id = ?", (fid,))
    if row is None:
        raise UnknownFinding(f"no finding with id {fid}")
    return _record(row)


def add_in(
    tx: Tx,
    run: Run,
    title: str,
    severity: str,
    host: str | None = None,
    reported_by: str | None = None,
) -> dict[str, Any]:
    """Open a finding against `run` in the caller's transaction; the values are checked
    first (title and reporter one line each, host one the run targeted)."""
    text = _line(title, "title", MAX_TITLE, required=True)
    grade = check_severity(severity)
    where = _line(host, "host", MAX_TITLE, required=False)
    who = _line(reported_by, "reporter", MAX_REPORTER, required=False)
    if where is not None:
        known = tx.scalar(
            "SELECT count(*) FROM drill_host WHERE run_id = ? AND host = ?", (run.id, where)
        )
        if not known:
            raise HostNotInRun(
                f"host {shown(where)} was not targeted by drill run {shown(run.name)}"
            )
    fid = tx.insert(
        "INSERT INTO drill_finding (run_id, title, severity, host, reported_by, status,"
        " opened_at, opened_by) VALUES (?, ?, ?, ?, ?, 'open', ?, ?)",
        (run.id, text, grade, where, who, tx.now, tx.actor),
    )
    out = get_in(tx, fid)
    tx.audit("drill.finding.add", "drill_finding", str(fid), None, out)
    return out


def add(
    store: Store,
    run_ref: str,
    title: str,
    severity: str,
    host: str | None = None,
    reported_by: str | None = None,
) -> dict[str, Any]:
    """Open a finding against the run `run_ref` (id or name).

    Returns the finding: {id, run_id, run, title, severity, host, reported_by,
    status, fix, opened_at, opened_by, closed_at, closed_by}.
    """
    return store.write(
        lambda tx: add_in(tx, resolve_run(tx, run_ref), title, severity, host, reported_by)
    )


def close_in(tx: Tx, fid: int, fix: str) -> dict[str, Any]:
    """Close finding `fid` with the fix made, in the caller's transaction."""
    text = _line(fix, "fix", MAX_FIX, required=True)
    before = get_in(tx, fid)
    # The status test in the UPDATE, not only in the read above: of two people
    # closing the same finding at once, the second's UPDATE waits for the first's
    # commit, then matches no row (PostgreSQL re-reads the row it waited for).
    cur = tx.execute(
        "UPDATE drill_finding SET status = 'closed', fix = ?, closed_at = ?, closed_by = ?"
        " WHERE id = ? AND status = 'open'",
        (text, tx.now, tx.actor, fid),
    )
    if cur.rowcount != 1:
        done = get_in(tx, fid)
        raise FindingClosed(
            f"finding {fid} is already closed (by {done['closed_by']} at {done['closed_at']})"
        )
    after = get_in(tx, fid)
    tx.audit("drill.finding.close", "drill_finding", str(fid), before, after)
    return after


def close(store: Store, finding_id: int | str, fix: str) -> dict[str, Any]:
    """Close a finding with the fix that was made (a closed finding stays closed);
    returns it as `add` does."""
    fid = parse_id(finding_id)
    return store.write(lambda tx: close_in(tx, fid, fix))


def list_in(tx: Tx, run: Run | None = None, status: str | None = None) -> list[dict[str, Any]]:
    """Findings, oldest first, of one run and/or one status."""
    where: list[str] = []
    params: list[object] = []
    if run is not None:
        where.append("f.run_id = ?")
        params.append(run.id)
    if status is not None:
        where.append("f.status = ?")
        params.append(_status(status))
    sql = _SELECT + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY f.id"
    return [_record(r) for r in tx.all(sql, params)]


def list_findings(
    store: Store, run_ref: str | None = None, status: str | None = None
) -> list[dict[str, Any]]:
    """Findings, oldest first, of the run `run_ref` (None: every run), `status` open or
    closed (None: both); each as `add` returns it."""
    wanted = _status(status) if status is not None else None
    return store.read(
        lambda tx: list_in(tx, resolve_run(tx, run_ref) if run_ref is not None else None, wanted)
    )
