"""The platform's own tables: the hash-chained audit log (see infra/store.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from infra.migrations import run_script

if TYPE_CHECKING:
    from infra.store import Tx


def audit_note(tx: Tx) -> None:
    """The audit actor is who the system says acts (database login or OS account);
    what the person says of themselves (`GOVOPS_ACTOR`) goes beside it, hashed with
    the row."""
    tx.execute("ALTER TABLE audit ADD COLUMN note TEXT")


def audit_keyed(tx: Tx) -> None:
    """Rows chained with a key kept outside the database (HMAC) name that key by its
    public id; NULL for a row chained without a key (all rows written before)."""
    tx.execute("ALTER TABLE audit ADD COLUMN key_id TEXT")


def audit_log(tx: Tx) -> None:
    run_script(
        tx,
        """
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
