"""Every host govops can reach, in one read model: active cloud VMs with their
address, Xinchuang servers and terminals that have a host, and plain host records.

Plain host records are for machines that are neither (jump hosts, an appliance's
management Linux). The read model gives each host one inventory name, its
connection details, what it belongs to, and the Ansible groups it is in.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from infra.migrations import run_script

if TYPE_CHECKING:
    from infra.store import Tx


def host_tables(tx: Tx) -> None:
    run_script(
        tx,
        """
        CREATE TABLE host (
            id {pk},
            name TEXT NOT NULL UNIQUE,
            address TEXT NOT NULL,
            port INTEGER CHECK (port BETWEEN 1 AND 65535),
            ssh_user TEXT,
            connection TEXT NOT NULL DEFAULT 'ssh' CHECK (connection IN ('ssh', 'local')),
            dept_id {id} REFERENCES dept (id),
            org_id {id} REFERENCES org_unit (id),
            os_family TEXT,
            cpu_family TEXT,
            created_at TEXT NOT NULL
        );
        CREATE INDEX host_dept ON host (dept_id);
        CREATE TABLE host_group (
            host_id {id} NOT NULL REFERENCES host (id),
            name TEXT NOT NULL,
            PRIMARY KEY (host_id, name)
        )
        """,
    )
    from infra.org.schema import register

    register(
        tx,
        "dept",
        "hosts",
        "host",
        "dept_id",
        label_sql="t.name || ' (' || t.address || ')'",
        order_sql="t.name",
        field="hosts",
    )
    register(
        tx,
        "org_unit",
        "hosts",
        "host",
        "org_id",
        label_sql="t.name || ' (' || t.address || ')'",
        order_sql="t.name",
        field="hosts",
    )
