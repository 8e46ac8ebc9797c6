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


@migration(2, "ipam: vrfs, prefixes, free-block index, addresses, settings")
def _m2(tx: Tx) -> None:
    run_script(
        tx,
        """
        CREATE TABLE setting (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE vrf (
            id {pk},
            name TEXT NOT NULL UNIQUE,
            rd TEXT,
            description TEXT,
            created_at TEXT NOT NULL
        );
        CREATE TABLE prefix (
            id {pk},
            vrf_id {id} NOT NULL REFERENCES vrf (id),
            family INTEGER NOT NULL CHECK (family IN (4, 6)),
            net {blob} NOT NULL,
            plen INTEGER NOT NULL,
            cidr TEXT NOT NULL,
            parent_id {id} REFERENCES prefix (id),
            status TEXT NOT NULL
                CHECK (status IN ('container', 'allocated', 'reserved', 'quarantine')),
            is_pool INTEGER NOT NULL DEFAULT 0,
            org_id {id} REFERENCES org_unit (id),
            purpose TEXT,
            description TEXT,
            quarantine_until TEXT,
            created_at TEXT NOT NULL,
            UNIQUE (vrf_id, family, net, plen)
        );
        CREATE INDEX prefix_parent ON prefix (parent_id, net);
        CREATE INDEX prefix_parent_status ON prefix (parent_id, status);
        CREATE INDEX prefix_org ON prefix (org_id);
        CREATE TABLE free_block (
            container_id {id} NOT NULL REFERENCES prefix (id) ON DELETE CASCADE,
            plen INTEGER NOT NULL,
            net {blob} NOT NULL,
            PRIMARY KEY (container_id, plen, net)
        );
        CREATE INDEX free_block_addr ON free_block (container_id, net);
        CREATE TABLE ip_address (
            id {pk},
            vrf_id {id} NOT NULL REFERENCES vrf (id),
            family INTEGER NOT NULL,
            addr {blob} NOT NULL,
            prefix_id {id} NOT NULL REFERENCES prefix (id),
            hostname TEXT,
            description TEXT,
            status TEXT NOT NULL DEFAULT 'active',
            created_at TEXT NOT NULL,
            UNIQUE (vrf_id, family, addr)
        );
        CREATE INDEX ip_address_prefix ON ip_address (prefix_id, addr)
        """,
    )
    tx.execute(
        "INSERT INTO vrf (name, description, created_at) VALUES (?, ?, ?)",
        ("egov", "政务外网 e-government extranet", tx.now),
    )
    if tx.dialect == "postgresql":
        _btree_gist(tx)
        # The database itself refuses overlapping siblings, whatever the client does.
        # Deferred: moving children under a new container is checked at commit.
        run_script(
            tx,
            """
            ALTER TABLE prefix ADD COLUMN block cidr GENERATED ALWAYS AS (cidr::cidr) STORED;
            ALTER TABLE prefix ADD CONSTRAINT prefix_siblings_disjoint
                EXCLUDE USING gist (
                    vrf_id WITH =,
                    (coalesce(parent_id, 0)) WITH =,
                    block inet_ops WITH &&
                ) DEFERRABLE INITIALLY DEFERRED
            """,
        )


@migration(3, "ipam: dual-stack pairing of IPv4 purpose subnets with IPv6 /64s")
def _m3(tx: Tx) -> None:
    run_script(
        tx,
        """
        CREATE TABLE prefix_pair (
            v4_id {id} PRIMARY KEY REFERENCES prefix (id) ON DELETE CASCADE,
            v6_id {id} NOT NULL UNIQUE REFERENCES prefix (id) ON DELETE CASCADE
        )
        """,
    )


def _btree_gist(tx: Tx) -> None:
    """The extension the no-overlap constraint needs (integer equality in a GiST index)."""
    if tx.scalar("SELECT count(*) FROM pg_extension WHERE extname = 'btree_gist'"):
        return
    import psycopg

    try:
        with tx._conn.transaction():  # a savepoint: a refusal must not poison the migration
            tx.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    except psycopg.Error as exc:
        from infra.errors import StoreError

        raise StoreError(
            "PostgreSQL needs the btree_gist extension and this user may not create it;"
            " ask a superuser to run: CREATE EXTENSION btree_gist;"
            f" ({str(exc).strip().splitlines()[0]})"
        ) from exc
