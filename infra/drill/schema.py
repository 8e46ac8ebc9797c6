"""The drill's tables: runs, the hosts each run targeted, per-host per-check results,
the red team's findings, and emergency blocks with where each took.

A run keeps a snapshot of every host it targeted (kind, department, system,
address) so its report and its diff against a later run read the hosts as they
were that day, whatever has changed in the ledgers since.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from infra.migrations import run_script

if TYPE_CHECKING:
    from infra.store import Tx


def drill_tables(tx: Tx) -> None:
    run_script(
        tx,
        """
        CREATE TABLE drill_run (
            id {pk},
            name TEXT NOT NULL UNIQUE,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            actor TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('running', 'completed', 'failed')),
            limit_expr TEXT,
            checks TEXT,
            check_mode INTEGER NOT NULL DEFAULT 0,
            ident TEXT,
            error TEXT
        );
        CREATE TABLE drill_host (
            run_id {id} NOT NULL REFERENCES drill_run (id),
            host TEXT NOT NULL,
            kind TEXT NOT NULL,
            address TEXT,
            department TEXT,
            system TEXT,
            org_path TEXT,
            os_family TEXT,
            reachable INTEGER NOT NULL DEFAULT 1,
            reason TEXT,
            PRIMARY KEY (run_id, host)
        );
        CREATE TABLE drill_result (
            run_id {id} NOT NULL REFERENCES drill_run (id),
            host TEXT NOT NULL,
            check_id TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('pass', 'fail', 'manual', 'error', 'n/a',
                'unreachable')),
            expected TEXT,
            actual TEXT,
            evidence TEXT,
            PRIMARY KEY (run_id, host, check_id)
        );
        CREATE INDEX drill_result_check ON drill_result (run_id, check_id, status);
        CREATE TABLE drill_finding (
            id {pk},
            run_id {id} NOT NULL REFERENCES drill_run (id),
            title TEXT NOT NULL,
            severity TEXT NOT NULL CHECK (severity IN ('critical', 'high', 'medium', 'low',
                'info')),
            host TEXT,
            reported_by TEXT,
            status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
            fix TEXT,
            opened_at TEXT NOT NULL,
            opened_by TEXT NOT NULL,
            closed_at TEXT,
            closed_by TEXT
        );
        CREATE INDEX drill_finding_run ON drill_finding (run_id, status);
        CREATE TABLE drill_block (
            id {pk},
            action TEXT NOT NULL CHECK (action IN ('block', 'unblock')),
            addresses TEXT NOT NULL,
            reason TEXT NOT NULL,
            limit_expr TEXT,
            actor TEXT NOT NULL,
            at TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('running', 'completed', 'failed')),
            ident TEXT,
            error TEXT
        );
        CREATE TABLE drill_block_host (
            block_id {id} NOT NULL REFERENCES drill_block (id),
            host TEXT NOT NULL,
            outcome TEXT NOT NULL CHECK (outcome IN ('applied', 'unchanged', 'failed',
                'unreachable')),
            detail TEXT,
            PRIMARY KEY (block_id, host)
        )
        """,
    )
