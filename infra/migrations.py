"""Numbered schema migrations, recorded in `schema_migrations`, for both backends.

Each migration is a function `(tx) -> None` registered in order; the SQL uses
the tokens {pk}, {id} and {blob}, which become each backend's types.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from infra.store import Store, Tx

MIGRATIONS: list[tuple[int, str, Callable[[Tx], None]]] = []

_TYPES = {
    "sqlite": {"pk": "INTEGER PRIMARY KEY", "id": "INTEGER", "blob": "BLOB"},
    "postgresql": {"pk": "BIGSERIAL PRIMARY KEY", "id": "BIGINT", "blob": "BYTEA"},
}


def migration(version: int, name: str) -> Callable[[Callable[[Tx], None]], Callable[[Tx], None]]:
    def register(fn: Callable[[Tx], None]) -> Callable[[Tx], None]:
        assert not MIGRATIONS or MIGRATIONS[-1][0] == version - 1, "migrations are numbered"
        MIGRATIONS.append((version, name, fn))
        return fn

    return register


def run_script(tx: Tx, script: str) -> None:
    """Run `;`-separated DDL with the backend's types substituted."""
    sql = script.format(**_TYPES[tx.dialect])
    for statement in sql.split(";"):
        if statement.strip():
            tx.execute(statement)


def migrate(store: Store) -> None:
    """Bring the schema up to date; cheap (one query) when it already is."""
    latest = MIGRATIONS[-1][0]

    def current(tx: Tx) -> int:
        if tx.dialect == "sqlite":
            exists = tx.scalar(
                "SELECT count(*) FROM sqlite_master WHERE type='table' AND name='schema_migrations'"
            )
        else:
            exists = tx.scalar("SELECT to_regclass('schema_migrations') IS NOT NULL")
        if not exists:
            return 0
        return int(tx.scalar("SELECT coalesce(max(version), 0) FROM schema_migrations"))

    if store.read(current) >= latest:
        return

    def apply(tx: Tx) -> None:
        from infra.store import MIGRATION_LOCK, pg_lock

        pg_lock(tx, MIGRATION_LOCK)
        have = current(tx)  # another process may have migrated while we waited
        if have == 0:
            run_script(
                tx,
                "CREATE TABLE IF NOT EXISTS schema_migrations ("
                " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)",
            )
        for version, name, fn in MIGRATIONS:
            if version > have:
                fn(tx)
                tx.execute(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                    (version, name, tx.now),
                )

    store.write(apply)


@migration(1, "org units and audit log")
def _m1(tx: Tx) -> None:
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
        CREATE INDEX org_unit_level ON org_unit (level);
        CREATE TABLE audit (
            id {pk},
            ts TEXT NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            object_type TEXT NOT NULL,
            object_ref TEXT NOT NULL,
            before TEXT,
            after TEXT,
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL
        );
        CREATE INDEX audit_object ON audit (object_type, object_ref)
        """,
    )
