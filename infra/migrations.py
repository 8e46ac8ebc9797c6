"""The one numbered migration ledger, for both backends, recorded in `schema_migrations`.

Each domain owns its tables in its own `schema.py`; this ledger only names, per
version, which of their functions run, as "module:function" strings, so no
migration code is imported until a version is pending (a command on an up-to-date
database pays one query). Versions are linear and never renumbered: a database
records the versions it has, and upgrades by running the ones it lacks, in order.
The SQL uses the tokens {pk}, {id} and {blob}, which become each backend's types.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from infra.errors import GovopsError

if TYPE_CHECKING:
    from infra.store import Store, Tx


class LedgerError(GovopsError):
    """The migration ledger itself is malformed (a programming error, caught at import)."""


LEDGER: tuple[tuple[int, str, tuple[str, ...]], ...] = (
    (
        1,
        "org units and audit log",
        ("infra.schema:audit_log", "infra.org.schema:org_units"),
    ),
    (
        2,
        "ipam: vrfs, prefixes, free-block index, addresses, settings",
        ("ipam.schema:address_space",),
    ),
    (
        3,
        "ipam: dual-stack pairing of IPv4 purpose subnets with IPv6 /64s",
        ("ipam.schema:dual_stack_pairs",),
    ),
    (
        4,
        "org: province tier, departments, the registry of what hangs on a unit",
        (
            "infra.org.schema:province_tier",
            "infra.org.schema:departments",
            "ipam.schema:on_units",
        ),
    ),
    (
        5,
        "cloud: nodes, quotas, systems, VMs and their history",
        ("infra.cloud.schema:cloud_tables",),
    ),
    (
        6,
        "xc: assets, apps, phases, probes",
        ("infra.xc.schema:xc_tables",),
    ),
    (
        7,
        "ipam: the no-overlap constraint keyed on the block first",
        ("ipam.schema:siblings_block_first",),
    ),
    (
        8,
        "cloud: capacity held per node and department, kept by the database",
        ("infra.cloud.schema:held_totals",),
    ),
    (
        9,
        "hosts and drills: plain host records, the ports a system serves, drill runs,"
        " results, findings and blocks",
        (
            "infra.hosts:host_tables",
            "infra.cloud.schema:system_ports",
            "infra.drill.schema:drill_tables",
        ),
    ),
    (
        10,
        "ipam: flat containing-prefix lookups at the top level",
        ("ipam.schema:flat_lookups",),
    ),
    (
        11,
        "audit: the actor is the database login or OS account; GOVOPS_ACTOR a note beside it",
        ("infra.schema:audit_note",),
    ),
    (
        12,
        "audit: rows chained with a key kept outside the database name that key",
        ("infra.schema:audit_keyed",),
    ),
    (
        13,
        "access: who may change what, per login and unit subtree",
        ("infra.access:access_tables",),
    ),
)


def check_ledger(ledger: Sequence[tuple[int, str, tuple[str, ...]]]) -> int:
    """The latest version, after checking the ledger is 1, 2, … N with named steps."""
    for expected, (version, name, steps) in enumerate(ledger, start=1):
        if version != expected:
            raise LedgerError(
                f"migration ledger: version {version} ({name!r}) stands where {expected} belongs"
            )
        if not steps or any(step.count(":") != 1 for step in steps):
            raise LedgerError(
                f"migration ledger: version {version} needs steps written 'module:function'"
            )
    return len(ledger)


LATEST = check_ledger(LEDGER)

_TYPES = {
    "sqlite": {"pk": "INTEGER PRIMARY KEY", "id": "INTEGER", "blob": "BLOB"},
    "postgresql": {"pk": "BIGSERIAL PRIMARY KEY", "id": "BIGINT", "blob": "BYTEA"},
}


def run_script(tx: Tx, script: str) -> None:
    """Run `;`-separated DDL with the backend's types substituted."""
    sql = script.format(**_TYPES[tx.dialect])
    for statement in sql.split(";"):
        if statement.strip():
            tx.execute(statement)


def current_version(tx: Tx) -> int:
    """The newest version this database has recorded (0: a new database)."""
    if tx.dialect == "sqlite":
        exists = tx.scalar(
            "SELECT count(*) FROM sqlite_master WHERE type='table' AND name='schema_migrations'"
        )
    else:
        # pg_class, not to_regclass(): after waiting on the migration lock the
        # latter can still answer from a catalog cache filled before the wait.
        exists = tx.scalar(
            "SELECT count(*) FROM pg_catalog.pg_class c"
            " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
            " WHERE c.relname = 'schema_migrations' AND n.nspname = current_schema()"
        )
    if not exists:
        return 0
    return int(tx.scalar("SELECT coalesce(max(version), 0) FROM schema_migrations"))


def migrate(store: Store) -> None:
    """Bring the schema up to date; cheap (one query) when it already is."""
    have = store.read(current_version)
    if have >= LATEST:
        if have > LATEST:
            from infra.errors import StoreError

            raise StoreError(
                f"the database has schema version {have}, newer than this govops knows"
                f" ({LATEST}): upgrade govops"
            )
        return
    store.write(_apply)


def _apply(tx: Tx) -> None:
    from infra import locks

    locks.hold(tx, locks.MIGRATION)
    apply_through(tx, LATEST)


def apply_through(tx: Tx, target: int) -> None:
    """Run the ledger's versions this database lacks, up to `target`, recording each
    (a scratch database that takes an older dump stops short of the latest)."""
    import importlib

    have = current_version(tx)  # another process may have migrated while we waited
    if have == 0:
        run_script(
            tx,
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)",
        )
    for version, name, steps in LEDGER[have:target]:
        for step in steps:
            module, function = step.split(":")
            getattr(importlib.import_module(module), function)(tx)
        tx.execute(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
            (version, name, tx.now),
        )
