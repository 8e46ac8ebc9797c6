"""What a database holds, at a glance: `govops db info`."""

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
        rows = tx.all(
            "SELECT table_name AS name FROM information_schema.tables"
            " WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
            " ORDER BY table_name"
        )
    return [str(r["name"]) for r in rows]


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def info(store: Store) -> dict[str, Any]:
    """Backend, where it is (a password masked), schema version against this
    govops's, rows per table, and the audit log's length and head digest."""

    def run(tx: Tx) -> dict[str, Any]:
        counts = {
            name: int(tx.scalar(f"SELECT count(*) FROM {_quoted(name)}")) for name in tables(tx)
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
