"""The cloud's tables: nodes, quotas, systems, VMs and their event history.

Quota and capacity checks count what the VMs themselves hold, inside the writing
transaction, so the indexes cover exactly those reads: VMs by node and status and
by system and status (with their resources, so the sums read the index alone),
systems by department. A check's cost follows the VMs of one node or department,
not the number of VMs ever recorded.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from infra.migrations import run_script

if TYPE_CHECKING:
    from infra.store import Tx


def _real(tx: Tx) -> str:
    return "DOUBLE PRECISION" if tx.dialect == "postgresql" else "REAL"


def cloud_tables(tx: Tx) -> None:
    run_script(
        tx,
        """
        CREATE TABLE cloud_node (
            id {pk},
            name TEXT NOT NULL UNIQUE,
            arch TEXT NOT NULL,
            cores INTEGER NOT NULL CHECK (cores > 0),
            ram_gb INTEGER NOT NULL CHECK (ram_gb > 0),
            disk_gb INTEGER NOT NULL CHECK (disk_gb > 0),
            reserved_cores INTEGER NOT NULL DEFAULT 0 CHECK (reserved_cores >= 0),
            reserved_ram_gb INTEGER NOT NULL DEFAULT 0 CHECK (reserved_ram_gb >= 0),
            cpu_ratio REAL_TYPE NOT NULL CHECK (cpu_ratio > 0),
            ram_ratio REAL_TYPE NOT NULL CHECK (ram_ratio > 0),
            disk_ratio REAL_TYPE NOT NULL CHECK (disk_ratio > 0),
            created_at TEXT NOT NULL
        );
        CREATE INDEX cloud_node_arch ON cloud_node (arch);
        CREATE TABLE cloud_quota (
            dept_id {id} PRIMARY KEY REFERENCES dept (id),
            vms INTEGER,
            cores INTEGER,
            ram_gb INTEGER,
            disk_gb INTEGER,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE cloud_system (
            id {pk},
            name TEXT NOT NULL UNIQUE,
            dept_id {id} NOT NULL REFERENCES dept (id),
            mlps_level INTEGER CHECK (mlps_level BETWEEN 1 AND 4),
            vrf_id {id} NOT NULL REFERENCES vrf (id),
            subnet TEXT,
            created_at TEXT NOT NULL
        );
        CREATE INDEX cloud_system_dept ON cloud_system (dept_id);
        CREATE UNIQUE INDEX cloud_system_subnet ON cloud_system (vrf_id, subnet);
        CREATE TABLE cloud_vm (
            id {pk},
            name TEXT NOT NULL UNIQUE,
            system_id {id} NOT NULL REFERENCES cloud_system (id),
            node_id {id} REFERENCES cloud_node (id),
            status TEXT NOT NULL CHECK (status IN ('requested', 'approved', 'rejected',
                'active', 'stopped', 'decommissioned')),
            cores INTEGER NOT NULL CHECK (cores > 0),
            ram_gb INTEGER NOT NULL CHECK (ram_gb > 0),
            disk_gb INTEGER NOT NULL CHECK (disk_gb > 0),
            os TEXT,
            arch TEXT,
            vrf_id {id} REFERENCES vrf (id),
            address TEXT,
            requested_at TEXT NOT NULL,
            provisioned_at TEXT,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX cloud_vm_node_status ON cloud_vm (node_id, status, cores, ram_gb, disk_gb);
        CREATE INDEX cloud_vm_system_status
            ON cloud_vm (system_id, status, cores, ram_gb, disk_gb);
        CREATE INDEX cloud_vm_status ON cloud_vm (status);
        CREATE TABLE vm_event (
            id {pk},
            vm_id {id} NOT NULL REFERENCES cloud_vm (id),
            ts TEXT NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            from_status TEXT,
            to_status TEXT NOT NULL,
            cores INTEGER NOT NULL,
            ram_gb INTEGER NOT NULL,
            disk_gb INTEGER NOT NULL,
            node_id {id} REFERENCES cloud_node (id),
            address TEXT,
            forced INTEGER NOT NULL DEFAULT 0,
            reason TEXT
        );
        CREATE INDEX vm_event_vm ON vm_event (vm_id, ts, id);
        CREATE INDEX vm_event_action_ts ON vm_event (action, ts)
        """.replace("REAL_TYPE", _real(tx)),
    )
    from infra.org.schema import register

    register(
        tx,
        "dept",
        "cloud systems",
        "cloud_system",
        "dept_id",
        label_sql="t.name",
        order_sql="t.name",
        field="cloud_systems",
    )
    register(
        tx,
        "dept",
        "cloud quotas",
        "cloud_quota",
        "dept_id",
        label_sql="'vms ' || coalesce(CAST(t.vms AS TEXT), 'any')"
        " || ', cores ' || coalesce(CAST(t.cores AS TEXT), 'any')"
        " || ', ram_gb ' || coalesce(CAST(t.ram_gb AS TEXT), 'any')"
        " || ', disk_gb ' || coalesce(CAST(t.disk_gb AS TEXT), 'any')",
        field="cloud_quota",
    )
