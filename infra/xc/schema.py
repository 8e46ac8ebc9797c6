"""The Xinchuang tables: assets and their status history, application systems and
theirs, the two phases with their budgets, and probe results.

Money is stored as whole fen (INTEGER, 1 yuan = 100 fen), never as a binary float.
A status history row carries the day the move took effect (`day`, YYYY-MM-DD, in
China Standard Time, as the user states it) beside the moment it was recorded
(`ts`): the report's figures count by `day`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from infra.migrations import run_script

if TYPE_CHECKING:
    from infra.store import Tx


def xc_tables(tx: Tx) -> None:
    run_script(
        tx,
        """
        CREATE TABLE xc_phase (
            phase INTEGER PRIMARY KEY CHECK (phase IN (1, 2)),
            budget_fen BIGINT NOT NULL CHECK (budget_fen >= 0),
            start_day TEXT,
            end_day TEXT,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE xc_asset (
            id {pk},
            serial TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL CHECK (kind IN ('terminal', 'server')),
            dept_id {id} NOT NULL REFERENCES dept (id),
            model TEXT,
            cpu_family TEXT CHECK (cpu_family IN ('kunpeng', 'phytium', 'hygon', 'zhaoxin',
                'loongson', 'sunway', 'other')),
            os_family TEXT CHECK (os_family IN ('kylin', 'uos', 'deepin', 'openeuler',
                'anolis', 'opencloudos', 'other')),
            phase INTEGER CHECK (phase IN (1, 2)),
            cost_fen BIGINT CHECK (cost_fen >= 0),
            host TEXT,
            ssh_user TEXT,
            org_id {id} REFERENCES org_unit (id),
            status TEXT NOT NULL CHECK (status IN ('planned', 'delivered', 'installed',
                'accepted', 'retired')),
            status_day TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX xc_asset_dept ON xc_asset (dept_id);
        CREATE INDEX xc_asset_org ON xc_asset (org_id);
        CREATE INDEX xc_asset_phase ON xc_asset (phase, status);
        CREATE INDEX xc_asset_host ON xc_asset (host);
        CREATE TABLE xc_asset_event (
            id {pk},
            asset_id {id} NOT NULL REFERENCES xc_asset (id),
            day TEXT NOT NULL,
            ts TEXT NOT NULL,
            actor TEXT NOT NULL,
            from_status TEXT,
            to_status TEXT NOT NULL,
            forced INTEGER NOT NULL DEFAULT 0,
            reason TEXT
        );
        CREATE INDEX xc_asset_event_asset ON xc_asset_event (asset_id, day, id);
        CREATE INDEX xc_asset_event_day ON xc_asset_event (day);
        CREATE TABLE xc_app (
            id {pk},
            name TEXT NOT NULL UNIQUE,
            dept_id {id} NOT NULL REFERENCES dept (id),
            phase INTEGER CHECK (phase IN (1, 2)),
            os TEXT,
            db TEXT,
            middleware TEXT,
            status TEXT NOT NULL CHECK (status IN ('not-started', 'adapting', 'adapted',
                'online')),
            status_day TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX xc_app_dept ON xc_app (dept_id);
        CREATE TABLE xc_app_event (
            id {pk},
            app_id {id} NOT NULL REFERENCES xc_app (id),
            day TEXT NOT NULL,
            ts TEXT NOT NULL,
            actor TEXT NOT NULL,
            from_status TEXT,
            to_status TEXT NOT NULL,
            forced INTEGER NOT NULL DEFAULT 0,
            reason TEXT
        );
        CREATE INDEX xc_app_event_app ON xc_app_event (app_id, day, id);
        CREATE TABLE xc_probe (
            id {pk},
            asset_id {id} NOT NULL REFERENCES xc_asset (id),
            probed_at TEXT NOT NULL,
            actor TEXT NOT NULL,
            outcome TEXT NOT NULL CHECK (outcome IN ('compliant', 'mismatch', 'unreachable')),
            reason TEXT,
            evidence TEXT,
            classification TEXT,
            host_key TEXT,
            host_key_trust TEXT
        );
        CREATE INDEX xc_probe_asset ON xc_probe (asset_id, probed_at, id)
        """,
    )
    from infra.org.schema import register

    register(
        tx,
        "dept",
        "xinchuang assets",
        "xc_asset",
        "dept_id",
        label_sql="t.kind || ' ' || t.serial || ' (' || t.status || ')'",
        order_sql="t.kind, t.serial",
        field="xc_assets",
    )
    register(
        tx,
        "dept",
        "xinchuang application systems",
        "xc_app",
        "dept_id",
        label_sql="t.name || ' (' || t.status || ')'",
        order_sql="t.name",
        field="xc_apps",
    )
    register(
        tx,
        "org_unit",
        "xinchuang assets",
        "xc_asset",
        "org_id",
        label_sql="t.kind || ' ' || t.serial",
        order_sql="t.kind, t.serial",
        field="xc_assets",
    )
