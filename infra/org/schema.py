"""The org spine's tables: units, departments, and the registry of what hangs on them.

The registry (`attachment`) is how org knows, without importing any domain, what
refers to a unit or a department: each domain's migration adds a row naming its
table and column, and `org show` / `org remove` (and `dept …`) read it. Only
migrations write it, so the SQL fragments it holds are the project's own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from infra.migrations import run_script

if TYPE_CHECKING:
    from infra.store import Tx


def org_units(tx: Tx) -> None:
    run_script(
        tx,
        """
        CREATE TABLE org_unit (
            id {pk},
            code TEXT UNIQUE,
            name TEXT NOT NULL,
            level TEXT NOT NULL CHECK (level IN ('city', 'county', 'town', 'village')),
            parent_id {id} REFERENCES org_unit (id),
            path TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE INDEX org_unit_parent ON org_unit (parent_id);
        CREATE INDEX org_unit_name ON org_unit (name);
        CREATE INDEX org_unit_path ON org_unit (path);
        CREATE INDEX org_unit_level ON org_unit (level)
        """,
    )


_LEVELS_V1 = "CHECK (level IN ('city', 'county', 'town', 'village'))"
_LEVELS_V4 = "CHECK (level IN ('province', 'city', 'county', 'town', 'village'))"


def province_tier(tx: Tx) -> None:
    """Allow a province above the city: widen the level CHECK, in place."""
    if tx.dialect == "postgresql":
        run_script(
            tx,
            f"""
            ALTER TABLE org_unit DROP CONSTRAINT org_unit_level_check;
            ALTER TABLE org_unit ADD CONSTRAINT org_unit_level_check {_LEVELS_V4}
            """,
        )
        return
    # SQLite cannot alter a CHECK; widening one changes nothing on disk, and SQLite
    # documents editing the stored CREATE statement for exactly such changes
    # (sqlite.org/lang_altertable.html, "other kinds of table schema changes"):
    # in the open transaction, edit it, bump schema_version, so every connection
    # reloads the schema. Rebuilding the table instead would fight the foreign keys
    # of every table that refers to it.
    tx.execute("PRAGMA writable_schema = ON")
    try:
        changed = tx.execute(
            "UPDATE sqlite_master SET sql = replace(sql, ?, ?) WHERE type = 'table' AND name = ?",
            (_LEVELS_V1, _LEVELS_V4, "org_unit"),
        ).rowcount
        version = int(tx.scalar("PRAGMA schema_version"))
        tx.execute(f"PRAGMA schema_version = {version + 1}")
    finally:
        tx.execute("PRAGMA writable_schema = OFF")
    if changed != 1:
        from infra.errors import StoreError

        raise StoreError("org_unit's level constraint is not the one this migration widens")


def departments(tx: Tx) -> None:
    run_script(
        tx,
        """
        CREATE TABLE dept (
            id {pk},
            code TEXT UNIQUE,
            name TEXT NOT NULL,
            org_id {id} REFERENCES org_unit (id),
            created_at TEXT NOT NULL
        );
        CREATE INDEX dept_org ON dept (org_id);
        CREATE INDEX dept_name ON dept (name);
        CREATE TABLE attachment (
            target TEXT NOT NULL CHECK (target IN ('org_unit', 'dept')),
            kind TEXT NOT NULL,
            table_name TEXT NOT NULL,
            column_name TEXT NOT NULL,
            label_sql TEXT NOT NULL,
            shown_where TEXT,
            order_sql TEXT,
            field TEXT NOT NULL,
            PRIMARY KEY (target, kind)
        )
        """,
    )
    register(
        tx,
        "org_unit",
        "departments",
        "dept",
        "org_id",
        label_sql="t.name || coalesce(' (' || t.code || ')', '')",
        order_sql="t.code, t.name",
        field="departments",
    )


def register(
    tx: Tx,
    target: str,
    kind: str,
    table: str,
    column: str,
    *,
    label_sql: str,
    field: str,
    shown_where: str | None = None,
    order_sql: str | None = None,
) -> None:
    """Record that rows of `table` hang on a unit or department through `column`.

    `kind` is the plural noun `org remove` names ("prefixes"); `label_sql` an
    expression over the row (aliased `t`) that `org show` lists under `field`;
    `shown_where` limits which rows it lists (every row still blocks a removal).
    For a domain's migration to call.
    """
    tx.execute(
        "INSERT INTO attachment (target, kind, table_name, column_name, label_sql,"
        " shown_where, order_sql, field) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (target, kind, table, column, label_sql, shown_where, order_sql, field),
    )
