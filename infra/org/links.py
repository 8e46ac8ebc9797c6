"""What hangs on a unit or a department, read from the `attachment` registry.

Each domain's migration registers its table and column (infra/org/schema.py's
`register`), so org lists and guards them without importing any domain's code.
"""

from __future__ import annotations

from typing import Any

from infra.store import Tx


def _registered(tx: Tx, target: str) -> list[Any]:
    return tx.all(
        "SELECT kind, table_name, column_name, label_sql, shown_where, order_sql, field"
        " FROM attachment WHERE target = ? ORDER BY field, kind",
        (target,),
    )


def listed(tx: Tx, target: str, row_id: int) -> dict[str, list[str]]:
    """Per registered field, the labels of the rows that hang on `row_id`."""
    out: dict[str, list[str]] = {}
    for reg in _registered(tx, target):
        where = f"t.{reg['column_name']} = ?"
        if reg["shown_where"]:
            where += f" AND ({reg['shown_where']})"
        order = f" ORDER BY {reg['order_sql']}" if reg["order_sql"] else ""
        rows = tx.all(
            f"SELECT {reg['label_sql']} AS label FROM {reg['table_name']} t WHERE {where}{order}",
            (row_id,),
        )
        out.setdefault(reg["field"], []).extend(str(r["label"]) for r in rows)
    return out


def holding(tx: Tx, target: str, row_id: int) -> list[tuple[str, int]]:
    """(kind, count) for every kind of row that refers to `row_id`; empty when none does."""
    found = []
    for reg in _registered(tx, target):
        n = int(
            tx.scalar(
                f"SELECT count(*) FROM {reg['table_name']} WHERE {reg['column_name']} = ?",
                (row_id,),
            )
        )
        if n:
            found.append((reg["kind"], n))
    return found


def say(held: list[tuple[str, int]]) -> str:
    """`[("prefixes", 3), ("departments", 1)]` as "3 prefixes and 1 departments"."""
    parts = [f"{n} {kind}" for kind, n in held]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
