"""What a database holds, at a glance: `govops db info` (backup, restore and copy
are in infra/backup.py)."""

from __future__ import annotations

import os
from typing import Any

from infra.migrations import LATEST, current_version
from infra.store import GENESIS, Store, Tx


def tables(tx: Tx) -> list[str]:
    """The tables of this database (SQLite's file, or PostgreSQL's current schema)."""
    if tx.dialect == "sqlite":
        rows = tx.all(
            "SELECT name FROM sqlite_master WHERE type = 'table'"
            " AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name"
        )
    else:
        # the catalog, not information_schema, which hides what this login may not use
        rows = tx.all(
            "SELECT c.relname AS name FROM pg_catalog.pg_class c"
            " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')"
            " AND NOT c.relispartition ORDER BY c.relname"
        )
    return [str(r["name"]) for r in rows]


def quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def info(store: Store) -> dict[str, Any]:
    """Backend, where it is (a password masked), schema version against this
    govops's, rows per table, and the audit log's length and head digest."""

    def run(tx: Tx) -> dict[str, Any]:
        counts = {
            name: int(tx.scalar(f"SELECT count(*) FROM {quoted(name)}")) for name in tables(tx)
        }
        head = tx.scalar("SELECT hash FROM audit ORDER BY id DESC LIMIT 1") or GENESIS
        out: dict[str, Any] = {
            "backend": tx.dialect,
            "location": store.shown,
            "schema_version": current_version(tx),
            "schema_latest": LATEST,
            "actor": tx.actor,
            "audit_rows": counts.get("audit", 0),
            "audit_head": head,
        }
        if tx.dialect == "sqlite":
            out["size_bytes"] = os.path.getsize(store.url)
        else:
            out["size_bytes"] = int(
                tx.scalar(
                    "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0)"
                    " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                    " WHERE n.nspname = current_schema() AND c.relkind = 'r'"
                )
            )
        out["rows"] = counts
        return out

    return store.read(run)
