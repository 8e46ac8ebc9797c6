"""The cloud's tables: nodes, quotas, systems, VMs and their event history, and
`cloud_held`, what each node, department and system holds.

Quota and capacity checks and the usage reports read `cloud_held`, one row per
node, department and system that triggers on `cloud_vm` keep (version 8): their
cost does not follow the number of VMs. The indexes of VMs by node and status and
by system and status serve the listings that still count from the VMs and the
recount that checks the totals.
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


# -- what is held, kept by the database ----------------------------------------

_HOLDS = "{row}.status IN ('approved', 'active', 'stopped')"

_SQLITE_ADD = """
    INSERT INTO cloud_held (scope, scope_id, vms, cores, ram_gb, disk_gb)
    SELECT {scope_sql}, {sign} 1, {sign} {row}.cores, {sign} {row}.ram_gb, {sign} {row}.disk_gb
    WHERE {holds} AND {scope_sql_id} IS NOT NULL
    ON CONFLICT (scope, scope_id) DO UPDATE SET vms = vms + excluded.vms,
        cores = cores + excluded.cores, ram_gb = ram_gb + excluded.ram_gb,
        disk_gb = disk_gb + excluded.disk_gb;
"""


def _sqlite_change(row: str, sign: str) -> str:
    """The statements of a SQLite trigger body adding (sign '') or taking away
    (sign '-') what `row` (NEW or OLD) holds, on its node, its department and its
    system."""
    holds = _HOLDS.format(row=row)
    node = f"{row}.node_id"
    dept = f"(SELECT dept_id FROM cloud_system WHERE id = {row}.system_id)"
    return "".join(
        _SQLITE_ADD.format(
            scope_sql=f"'{scope}', {ref}", scope_sql_id=ref, sign=sign, row=row, holds=holds
        )
        for scope, ref in (("node", node), ("dept", dept), ("system", f"{row}.system_id"))
    )


_PG_FUNCTIONS = (
    """
    CREATE FUNCTION cloud_held_add(p_scope TEXT, p_id BIGINT, p_sign INTEGER,
        p_cores BIGINT, p_ram_gb BIGINT, p_disk_gb BIGINT) RETURNS void
    LANGUAGE plpgsql AS $$
    BEGIN
        IF p_id IS NULL THEN
            RETURN;
        END IF;
        INSERT INTO cloud_held AS h (scope, scope_id, vms, cores, ram_gb, disk_gb)
        VALUES (p_scope, p_id, p_sign, p_sign * p_cores, p_sign * p_ram_gb,
            p_sign * p_disk_gb)
        ON CONFLICT (scope, scope_id) DO UPDATE SET vms = h.vms + excluded.vms,
            cores = h.cores + excluded.cores, ram_gb = h.ram_gb + excluded.ram_gb,
            disk_gb = h.disk_gb + excluded.disk_gb;
    END
    $$
    """,
    """
    CREATE FUNCTION cloud_held_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status IN ('approved', 'active', 'stopped')
        THEN
            PERFORM cloud_held_add('node', OLD.node_id, -1, OLD.cores, OLD.ram_gb,
                OLD.disk_gb);
            PERFORM cloud_held_add('dept',
                (SELECT dept_id FROM cloud_system WHERE id = OLD.system_id), -1,
                OLD.cores, OLD.ram_gb, OLD.disk_gb);
            PERFORM cloud_held_add('system', OLD.system_id, -1, OLD.cores, OLD.ram_gb,
                OLD.disk_gb);
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.status IN ('approved', 'active', 'stopped')
        THEN
            PERFORM cloud_held_add('node', NEW.node_id, 1, NEW.cores, NEW.ram_gb,
                NEW.disk_gb);
            PERFORM cloud_held_add('dept',
                (SELECT dept_id FROM cloud_system WHERE id = NEW.system_id), 1,
                NEW.cores, NEW.ram_gb, NEW.disk_gb);
            PERFORM cloud_held_add('system', NEW.system_id, 1, NEW.cores, NEW.ram_gb,
                NEW.disk_gb);
        END IF;
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE TRIGGER cloud_vm_held
    AFTER INSERT OR UPDATE OF status, node_id, cores, ram_gb, disk_gb, system_id OR DELETE
    ON cloud_vm FOR EACH ROW EXECUTE FUNCTION cloud_held_change()
    """,
)

BACKFILL = """
    INSERT INTO cloud_held (scope, scope_id, vms, cores, ram_gb, disk_gb)
    SELECT 'node', node_id, count(*), sum(cores), sum(ram_gb), sum(disk_gb)
    FROM cloud_vm WHERE status IN ('approved', 'active', 'stopped') AND node_id IS NOT NULL
    GROUP BY node_id;
    INSERT INTO cloud_held (scope, scope_id, vms, cores, ram_gb, disk_gb)
    SELECT 'dept', s.dept_id, count(*), sum(v.cores), sum(v.ram_gb), sum(v.disk_gb)
    FROM cloud_vm v JOIN cloud_system s ON s.id = v.system_id
    WHERE v.status IN ('approved', 'active', 'stopped')
    GROUP BY s.dept_id;
    INSERT INTO cloud_held (scope, scope_id, vms, cores, ram_gb, disk_gb)
    SELECT 'system', system_id, count(*), sum(cores), sum(ram_gb), sum(disk_gb)
    FROM cloud_vm WHERE status IN ('approved', 'active', 'stopped')
    GROUP BY system_id
"""


def held_totals(tx: Tx) -> None:
    """`cloud_held`: per node, per department and per system, the VMs and resources
    held by the VMs in a holding status (approved, active, stopped), kept by triggers
    on `cloud_vm` in the transaction that changes a VM, and filled from the VMs there
    are. A missing row holds nothing."""
    run_script(
        tx,
        """
        CREATE TABLE cloud_held (
            scope TEXT NOT NULL CHECK (scope IN ('node', 'dept', 'system')),
            scope_id {id} NOT NULL,
            vms BIGINT NOT NULL,
            cores BIGINT NOT NULL,
            ram_gb BIGINT NOT NULL,
            disk_gb BIGINT NOT NULL,
            PRIMARY KEY (scope, scope_id)
        )
        """,
    )
    run_script(tx, BACKFILL)
    if tx.dialect == "postgresql":
        for statement in _PG_FUNCTIONS:
            tx.execute(statement)
        return
    columns = "status, node_id, cores, ram_gb, disk_gb, system_id"
    bodies = {
        "insert": ("AFTER INSERT", _sqlite_change("NEW", "")),
        "update": (f"AFTER UPDATE OF {columns}", _sqlite_change("OLD", "-")
                   + _sqlite_change("NEW", "")),
        "delete": ("AFTER DELETE", _sqlite_change("OLD", "-")),
    }  # fmt: skip
    for name, (when, body) in bodies.items():
        tx.execute(f"CREATE TRIGGER cloud_vm_held_{name} {when} ON cloud_vm BEGIN {body} END")


def system_ports(tx: Tx) -> None:
    """The ports a business system serves ("443/tcp,8443/tcp"): what its VMs' host
    firewall lets in when they are provisioned."""
    run_script(tx, "ALTER TABLE cloud_system ADD COLUMN ports TEXT")
