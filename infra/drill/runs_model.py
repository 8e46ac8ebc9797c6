"""A drill run as stored (`drill_run`), and finding one by id or name.

The report, the findings and the runner all name runs the same way: by id (all
digits) or by name.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from infra.errors import InvalidInput, NotFound
from infra.org.units import bad_character, shown
from infra.store import Tx

_MAX_ID = 10**18  # ids are 64-bit on both backends: a longer run of digits is a name

_SELECT = (
    "SELECT id, name, started_at, finished_at, actor, status, limit_expr, checks,"
    " check_mode, ident, error FROM drill_run"
)


class UnknownDrill(NotFound):
    """No drill run has that id or name (or no run has completed yet)."""


@dataclass(frozen=True)
class Run:
    """One drill run as recorded in `drill_run`."""

    id: int
    name: str
    started_at: str
    finished_at: str | None
    actor: str
    status: str
    limit_expr: str | None
    checks: tuple[str, ...] | None
    """The checks the run selected, or None: every check."""
    check_mode: bool
    ident: str | None
    error: str | None

    @classmethod
    def from_row(cls, row: Any) -> Run:
        listed = row["checks"]
        return cls(
            id=int(row["id"]),
            name=row["name"],
            started_at=row["started_at"],
            finished_at=row["finished_at"],
            actor=row["actor"],
            status=row["status"],
            limit_expr=row["limit_expr"],
            checks=tuple(c.strip() for c in listed.split(",") if c.strip()) if listed else None,
            check_mode=bool(row["check_mode"]),
            ident=row["ident"],
            error=row["error"],
        )

    def record(self) -> dict[str, Any]:
        """The run's header, ready for JSON (`checks` None: every check)."""
        return {
            "id": self.id,
            "name": self.name,
            "status": self.status,
            "started_at": self.started_at,
            "finished_at": self.finished_at,
            "actor": self.actor,
            "limit": self.limit_expr,
            "checks": list(self.checks) if self.checks is not None else None,
            "check_mode": self.check_mode,
            "error": self.error,
        }


def resolve_run(tx: Tx, ref: str) -> Run:
    """The run named by `ref`: its id (all digits) or its name.

    Digits that are no run's id are tried as a name too.
    """
    if not isinstance(ref, str):
        raise InvalidInput("a drill run reference must be text")
    ref = ref.strip()
    if not ref:
        raise InvalidInput("empty drill run reference")
    if bad_character(ref):
        raise InvalidInput(f"drill run reference {shown(ref)} contains a control character")
    if ref.isascii() and ref.isdigit() and int(ref) < _MAX_ID:
        row = tx.one(f"{_SELECT} WHERE id = ?", (int(ref),))
        if row is not None:
            return Run.from_row(row)
    row = tx.one(f"{_SELECT} WHERE name = ?", (ref,))
    if row is None:
        raise UnknownDrill(f"no drill run with id or name {shown(ref)}")
    return Run.from_row(row)


def latest_run(tx: Tx) -> Run:
    """The most recently started run that completed."""
    row = tx.one(f"{_SELECT} WHERE status = 'completed' ORDER BY id DESC LIMIT 1")
    if row is None:
        raise UnknownDrill("no drill run has completed yet")
    return Run.from_row(row)


def get(tx: Tx, run_id: int) -> Run:
    """The run with id `run_id`."""
    row = tx.one(f"{_SELECT} WHERE id = ?", (run_id,))
    if row is None:
        raise UnknownDrill(f"no drill run with id {run_id}")
    return Run.from_row(row)
