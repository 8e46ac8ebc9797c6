"""Scoped access on PostgreSQL, enforced by the database itself.

A login (a PostgreSQL role the database administrator creates) is granted a role
on an org unit: `viewer` reads, `operator` changes what lies in the unit's
subtree, `admin` does too and, granted at a root unit (one without a parent),
everything. `access_grant` (migration 13, both backends) records the grants;
`access init` (PostgreSQL only, run by the owner of the tables) builds what makes
the database enforce them, so a login that opens `psql` cannot write outside its
scope either:

- three NOLOGIN group roles, `govops_viewer`, `govops_operator`, `govops_admin`,
  which a grant makes the login a member of; the table privileges go to them:
  SELECT on every table, INSERT/UPDATE/DELETE on the domain tables for operators
  and admins, INSERT alone on `audit` (no UPDATE, DELETE or TRUNCATE: the log is
  append-only for every login), SELECT alone on the ledger of migrations, the
  grants, the registry and the trigger-kept cloud totals;
- row-level security on every domain table with one policy: a login without a
  grant in this schema sees and writes no row there (group roles are
  cluster-global, the grants are not);
- on every domain table a guard: statement-level AFTER triggers that read the
  statement's rows before and after (transition tables) and refuse the whole
  statement, with SQLSTATE 42501, when one of them lies outside the units the
  login may write. A guard, not an RLS write policy: RLS drops the rows an UPDATE
  or DELETE may not touch without a word, so a command would report (and audit)
  a change that never happened; the guard refuses it instead, and checks the
  rows once per statement, not once per row;
- the cloud's held-capacity trigger functions run as their owner (SECURITY
  DEFINER, search path pinned), so they keep the totals for any login, and nobody
  else may call them.

The owner of the tables (and a superuser) passes every guard and policy: it
migrates, restores, copies and grants. Re-running `init` (after a migration added
tables, say) leaves the same state as a first run.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Protocol

from infra.db import quoted
from infra.errors import Conflict, GovopsError, InvalidInput, NotFound
from infra.migrations import run_script

if TYPE_CHECKING:
    from infra.store import Store, Tx

ROLES = ("viewer", "operator", "admin")
WRITERS = ("operator", "admin")


def group(role: str) -> str:
    """The NOLOGIN group role a grant of `role` makes the login a member of."""
    return f"govops_{role}"


SQLITE_LINE = (
    "scoped access needs PostgreSQL: on SQLite the file's permissions are the boundary"
    " (whoever may write the file may change everything in it)"
)


class NeedsPostgres(GovopsError):
    """Scoped access asked of a SQLite database."""


class NotOwner(GovopsError):
    """A grant asked by a login that does not own the tables."""


def access_tables(tx: Tx) -> None:
    """Who may do what, per login and org unit (both backends; only PostgreSQL
    enforces it, see `init`)."""
    run_script(
        tx,
        """
        CREATE TABLE access_grant (
            id {pk},
            login TEXT NOT NULL,
            unit_id {id} NOT NULL REFERENCES org_unit (id),
            role TEXT NOT NULL CHECK (role IN ('viewer', 'operator', 'admin')),
            granted_at TEXT NOT NULL,
            granted_by TEXT NOT NULL,
            UNIQUE (login, unit_id)
        );
        CREATE INDEX access_grant_unit ON access_grant (unit_id)
        """,
    )
    # Registered with org (see infra/org/schema.py's `register`; the platform may not
    # import org), so `org show` lists a unit's grants and `org remove` refuses a
    # unit that still has some.
    tx.execute(
        "INSERT INTO attachment (target, kind, table_name, column_name, label_sql,"
        " shown_where, order_sql, field) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            "org_unit",
            "access grants",
            "access_grant",
            "unit_id",
            "t.login || ' (' || t.role || ')'",
            None,
            "t.login",
            "access_grants",
        ),
    )


# -- how each table's rows reach their unit ----------------------------------------
#
# A scoped table names, for the rows of a statement (`{rows}`, a transition table),
# either the units they belong to (`units`: one column, `unit`; NULL: no unit, which
# only a root admin may write) or where their walk up the prefix tree starts
# (`prefixes`: columns `pid`, `org`; a prefix belongs to its own unit, or, without
# one (a purpose subnet, a block in quarantine), to its parent's).

_DEPT_UNIT = "SELECT d.org_id AS unit FROM {rows} r LEFT JOIN dept d ON d.id = r.dept_id"
_ASSET_UNITS = (
    "SELECT d.org_id AS unit FROM {rows} r LEFT JOIN xc_asset a ON a.id = r.asset_id"
    " LEFT JOIN dept d ON d.id = a.dept_id"
    " UNION ALL SELECT a.org_id FROM {rows} r JOIN xc_asset a ON a.id = r.asset_id"
    " WHERE a.org_id IS NOT NULL"
)
_HOST_UNITS = (
    "SELECT d.org_id AS unit FROM {rows} r JOIN dept d ON d.id = r.dept_id"
    " UNION ALL SELECT r.org_id FROM {rows} r WHERE r.org_id IS NOT NULL OR r.dept_id IS NULL"
)

_DRILL_HOST_UNIT = (
    "SELECT u.id AS unit FROM {rows} r LEFT JOIN drill_host h"
    " ON h.run_id = r.run_id AND h.host = r.host LEFT JOIN org_unit u ON u.path = h.org_path"
)

UNITS: Mapping[str, str] = {
    # a unit is written by those who may write its parent: an operator manages the
    # units below the one granted, not that one itself
    "org_unit": "SELECT r.parent_id AS unit FROM {rows} r",
    "dept": "SELECT r.org_id AS unit FROM {rows} r",
    "cloud_quota": _DEPT_UNIT,
    "cloud_system": _DEPT_UNIT,
    "cloud_vm": (
        "SELECT d.org_id AS unit FROM {rows} r LEFT JOIN cloud_system s ON s.id = r.system_id"
        " LEFT JOIN dept d ON d.id = s.dept_id"
    ),
    "vm_event": (
        "SELECT d.org_id AS unit FROM {rows} r LEFT JOIN cloud_vm v ON v.id = r.vm_id"
        " LEFT JOIN cloud_system s ON s.id = v.system_id LEFT JOIN dept d ON d.id = s.dept_id"
    ),
    "xc_asset": _DEPT_UNIT + " UNION ALL SELECT r.org_id FROM {rows} r WHERE r.org_id IS NOT NULL",
    "xc_asset_event": _ASSET_UNITS,
    "xc_probe": _ASSET_UNITS,
    "xc_app": _DEPT_UNIT,
    "xc_app_event": (
        "SELECT d.org_id AS unit FROM {rows} r LEFT JOIN xc_app a ON a.id = r.app_id"
        " LEFT JOIN dept d ON d.id = a.dept_id"
    ),
    "host": _HOST_UNITS,
    # A drill's records belong to the unit of the host they are about, as the run
    # recorded it (drill_host.org_path, the host's unit on the day): an operator
    # records results and findings for the hosts of its units alone. A finding on
    # no host is about the run as a whole: a root admin's.
    "drill_host": "SELECT u.id AS unit FROM {rows} r LEFT JOIN org_unit u ON u.path = r.org_path",
    "drill_result": _DRILL_HOST_UNIT,
    "drill_finding": _DRILL_HOST_UNIT,
    "host_group": (
        "SELECT d.org_id AS unit FROM {rows} r JOIN host h ON h.id = r.host_id"
        " JOIN dept d ON d.id = h.dept_id"
        " UNION ALL SELECT h.org_id FROM {rows} r JOIN host h ON h.id = r.host_id"
        " WHERE h.org_id IS NOT NULL OR h.dept_id IS NULL"
    ),
}

# New rows only: a unit's path must read as its parent's, so a unit added below one's
# own cannot pass for one of another county's in the listings that go by path.
UNITS_NEW: Mapping[str, str] = {
    "org_unit": UNITS["org_unit"] + " UNION ALL SELECT CAST(NULL AS BIGINT) FROM {rows} r"
    " LEFT JOIN org_unit p ON p.id = r.parent_id"
    " WHERE r.path IS DISTINCT FROM coalesce(p.path || '/', '') || r.name",
}

# Old rows (UPDATE, DELETE): where each stood. New rows (INSERT, UPDATE): where each
# now stands and, for a prefix new or moved, the space it was cut from (its parent's
# unit), so a login cannot claim space outside its units by naming its own unit on a
# new block. `{moved}` is the condition for the latter.
PREFIXES: Mapping[str, str] = {
    "prefix": "SELECT CASE WHEN r.org_id IS NULL THEN r.parent_id END AS pid,"
    " r.org_id AS org FROM {rows} r"
    " UNION ALL SELECT r.parent_id, CAST(NULL AS BIGINT) FROM {rows} r WHERE {moved}",
    "free_block": "SELECT r.container_id AS pid, CAST(NULL AS BIGINT) AS org FROM {rows} r",
    "ip_address": "SELECT r.prefix_id AS pid, CAST(NULL AS BIGINT) AS org FROM {rows} r",
    "prefix_pair": "SELECT r.v4_id AS pid, CAST(NULL AS BIGINT) AS org FROM {rows} r"
    " UNION ALL SELECT r.v6_id, NULL FROM {rows} r",
}
_MOVED = {
    "old_rows": "FALSE",
    "INSERT": "TRUE",
    "UPDATE": "NOT EXISTS (SELECT 1 FROM old_rows o WHERE o.id = r.id"
    " AND o.parent_id IS NOT DISTINCT FROM r.parent_id AND o.net = r.net AND o.plen = r.plen)",
}

# Rows that belong to no unit: settings, VRFs, catalogues, cloud nodes, the phases'
# budgets, and emergency blocks (a block takes on every host it is aimed at).
ROOT_ONLY = frozenset(
    {
        "setting",
        "vrf",
        "cloud_node",
        "xc_phase",
        "drill_block",
        "drill_block_host",
    }
)
# Rows that belong to the login that wrote them (`actor`): a drill run spans hosts of
# many units, so any operator or admin may start one (its hosts' records are scoped
# above) and only its starter, or a root admin, may change or remove it.
OWN = frozenset({"drill_run"})
# Read by every login, written by the owner (or the owner's trigger functions) alone.
READ_ONLY = frozenset({"schema_migrations", "access_grant", "attachment", "cloud_held"})
APPEND_ONLY = "audit"

# The cloud's trigger functions that keep `cloud_held` (version 8).
_HELD_FUNCTIONS = (
    "cloud_held_add(text, bigint, integer, bigint, bigint, bigint)",
    "cloud_held_change()",
)


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def require_postgres(tx: Tx) -> None:
    if tx.dialect != "postgresql":
        raise NeedsPostgres(SQLITE_LINE)


# -- init ----------------------------------------------------------------------------


def _functions(path: str) -> list[str]:
    """The helpers the policies and guards call: each runs as the owner (it reads
    the grants and the unit tree whatever the login may see), with the search path
    pinned, and answers for `session_user`, the login, which no client setting
    changes."""
    head = f"LANGUAGE sql STABLE SECURITY DEFINER SET search_path = {path}"
    return [
        f"""
        CREATE OR REPLACE FUNCTION govops_access_member() RETURNS boolean {head} AS $$
            SELECT EXISTS (SELECT 1 FROM access_grant WHERE login = session_user)
        $$""",
        f"""
        CREATE OR REPLACE FUNCTION govops_access_root() RETURNS boolean {head} AS $$
            SELECT EXISTS (
                SELECT 1 FROM access_grant g JOIN org_unit u ON u.id = g.unit_id
                WHERE g.login = session_user AND g.role = 'admin' AND u.parent_id IS NULL)
        $$""",
        f"""
        CREATE OR REPLACE FUNCTION govops_access_units() RETURNS SETOF bigint {head} AS $$
            WITH RECURSIVE scope (id) AS (
                SELECT unit_id FROM access_grant
                WHERE login = session_user AND role IN ('operator', 'admin')
                UNION
                SELECT u.id FROM org_unit u JOIN scope s ON u.parent_id = s.id
            )
            SELECT id FROM scope
        $$""",
        f"""
        CREATE OR REPLACE FUNCTION govops_access_owner(rel oid) RETURNS boolean {head} AS $$
            SELECT coalesce((SELECT pg_has_role(session_user, c.relowner, 'MEMBER')
                FROM pg_class c WHERE c.oid = rel), false)
        $$""",
    ]


def _refuse(what: str) -> str:
    return (
        "RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege', MESSAGE ="
        f" session_user || ' may not ' || lower(TG_OP) || ' {what}';"
    )


def _units_check(query: str, rows: str) -> str:
    units = query.format(rows=rows)
    return (
        f"SELECT count(*) INTO bad FROM ({units}) x"
        " WHERE x.unit IS NULL OR x.unit NOT IN (SELECT govops_access_units());"
    )


def _prefix_check(table: str, rows: str, moved: str) -> str:
    """Walk up the prefix tree from each start to the first prefix with a unit; a
    walk that reaches the top without one belongs to no unit (root admins only).
    Old rows walk through the deleted rows as well: a parent may go in the same
    statement. A walk that finds no row (a free block or pair its prefix took with
    it, by cascade) ends nowhere and counts for nothing."""
    starts = PREFIXES[table].format(rows=rows, moved=moved)
    tree = "prefix"
    if rows == "old_rows" and table == "prefix":
        tree = (
            "(SELECT id, parent_id, org_id FROM prefix"
            " UNION ALL SELECT id, parent_id, org_id FROM old_rows)"
        )
    return (
        "WITH RECURSIVE up (pid, org) AS ("
        f" SELECT DISTINCT s.pid, s.org FROM ({starts}) s"
        f" UNION SELECT p.parent_id, p.org_id FROM up JOIN {tree} p ON p.id = up.pid"
        " WHERE up.org IS NULL)"
        " SELECT count(*) INTO bad FROM up"
        " WHERE (up.org IS NULL AND up.pid IS NULL)"
        " OR up.org NOT IN (SELECT govops_access_units());"
    )


def _guard(table: str, path: str) -> str:
    """The guard's trigger function for `table` (see the module's docstring)."""
    prologue = "IF govops_access_owner(TG_RELID) OR govops_access_root() THEN RETURN NULL; END IF;"
    if table in ROOT_ONLY:
        body = _refuse(f"{table} rows: only an admin of a root unit may")
    elif table in OWN:
        mine = (
            "SELECT count(*) INTO bad FROM {rows} r WHERE r.actor IS DISTINCT FROM session_user"
            " OR NOT EXISTS (SELECT govops_access_units());"
        )
        body = (
            "IF TG_OP IN ('UPDATE', 'DELETE') THEN " + mine.format(rows="old_rows") + " END IF;"
            " IF bad = 0 AND TG_OP IN ('INSERT', 'UPDATE') THEN "
            + mine.format(rows="new_rows")
            + " END IF; IF bad > 0 THEN "
            + _refuse(f"{table} rows but its own")
            + " END IF;"
        )
    else:
        if table in UNITS:
            old = _units_check(UNITS[table], "old_rows")
            inserted = updated = _units_check(UNITS_NEW.get(table, UNITS[table]), "new_rows")
        else:
            old = _prefix_check(table, "old_rows", _MOVED["old_rows"])
            inserted = _prefix_check(table, "new_rows", _MOVED["INSERT"])
            updated = _prefix_check(table, "new_rows", _MOVED["UPDATE"])
        body = (
            "IF TG_OP IN ('UPDATE', 'DELETE') THEN " + old + " END IF;"
            " IF bad = 0 AND TG_OP = 'INSERT' THEN " + inserted + " END IF;"
            " IF bad = 0 AND TG_OP = 'UPDATE' THEN " + updated + " END IF;"
            " IF bad > 0 THEN "
            + _refuse(f"{table} rows outside the units granted to it")
            + " END IF;"
        )
    return (
        f"CREATE OR REPLACE FUNCTION govops_guard_{table}() RETURNS trigger LANGUAGE plpgsql"
        f" SECURITY DEFINER SET search_path = {path} AS $$"
        f" DECLARE bad bigint := 0; BEGIN {prologue} {body} RETURN NULL; END $$"
    )


def _audit_guard(path: str) -> str:
    """Appending to the log needs a grant here, and names the login as the actor."""
    return (
        "CREATE OR REPLACE FUNCTION govops_guard_audit() RETURNS trigger LANGUAGE plpgsql"
        f" SECURITY DEFINER SET search_path = {path} AS $$"
        " BEGIN"
        " IF govops_access_owner(TG_RELID) THEN RETURN NULL; END IF;"
        " IF NOT govops_access_member()"
        " OR EXISTS (SELECT 1 FROM new_rows WHERE actor IS DISTINCT FROM session_user) THEN "
        + _refuse("audit rows but its own, with a grant in this database")
        + " END IF; RETURN NULL; END $$"
    )


def _triggers(table: str, events: tuple[str, ...]) -> list[str]:
    out = []
    for event in ("insert", "update", "delete"):
        name = f"govops_guard_{event}"
        out.append(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        if event not in events:
            continue
        refs = {
            "insert": "NEW TABLE AS new_rows",
            "update": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
            "delete": "OLD TABLE AS old_rows",
        }[event]
        out.append(
            f"CREATE TRIGGER {name} AFTER {event.upper()} ON {table} REFERENCING {refs}"
            f" FOR EACH STATEMENT EXECUTE FUNCTION govops_guard_{table}()"
        )
    return out


def classify(table: str) -> str:
    """How `init` treats a table: scoped, root-only, append-only or read-only."""
    if table == APPEND_ONLY:
        return "append-only"
    if table in UNITS or table in PREFIXES or table in OWN:
        return "scoped"
    if table in ROOT_ONLY:
        return "root-only"
    return "read-only"  # the ledgers the owner keeps, and any table this govops does not know


def init(store: Store) -> dict[str, Any]:
    """Build the roles, privileges, policies and guards; the same state however often run."""
    return store.write(init_in)


def init_in(tx: Tx) -> dict[str, Any]:
    """`init` inside `tx` (the owner's, or a superuser's)."""
    require_postgres(tx)
    from infra import locks

    locks.hold(tx, locks.MIGRATION)
    schema = str(tx.scalar("SELECT current_schema()"))
    path = f"{quoted(schema)}, pg_temp"
    owner = str(tx.scalar("SELECT session_user"))
    tables = [
        str(r["tablename"])
        for r in tx.all(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
        )
    ]
    groups = ", ".join(group(r) for r in ROLES)
    writers = ", ".join(group(r) for r in WRITERS)
    created = []
    for role in ROLES:
        if not tx.scalar("SELECT count(*) FROM pg_roles WHERE rolname = ?", (group(role),)):
            tx.execute(f"CREATE ROLE {group(role)} NOLOGIN")
            created.append(group(role))
    for statement in _functions(path):
        tx.execute(statement)
    kinds: dict[str, list[str]] = {}
    # Start from nothing, so a second run, or one after a table changed kind, ends the same.
    tx.execute(f"REVOKE ALL ON ALL TABLES IN SCHEMA {quoted(schema)} FROM {groups}")
    tx.execute(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {quoted(schema)} FROM {groups}")
    tx.execute(f"GRANT USAGE ON SCHEMA {quoted(schema)} TO {groups}")
    tx.execute(f"GRANT SELECT ON ALL TABLES IN SCHEMA {quoted(schema)} TO {groups}")
    tx.execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {quoted(schema)} TO {writers}")
    for table in tables:
        kind = classify(table)
        kinds.setdefault(kind, []).append(table)
        t = quoted(table)
        if kind == "append-only":
            tx.execute(f"GRANT INSERT ON {t} TO {writers}")
            tx.execute(_audit_guard(path))
            for statement in _triggers(table, ("insert",)):
                tx.execute(statement)
            continue
        if kind in ("scoped", "root-only"):
            tx.execute(f"GRANT INSERT, UPDATE, DELETE ON {t} TO {writers}")
            tx.execute(_guard(table, path))
            for statement in _triggers(table, ("insert", "update", "delete")):
                tx.execute(statement)
        if table in ("schema_migrations", "access_grant", "attachment"):
            continue  # the ledgers every command reads before it knows who asks
        tx.execute(f"ALTER TABLE {t} ENABLE ROW LEVEL SECURITY")
        tx.execute(f"DROP POLICY IF EXISTS govops_member ON {t}")
        tx.execute(
            f"CREATE POLICY govops_member ON {t}"
            " USING ((SELECT govops_access_member()))"
            " WITH CHECK ((SELECT govops_access_member()))"
        )
    for signature in _HELD_FUNCTIONS:
        name = signature.split("(")[0]
        if tx.scalar(
            "SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace"
            " WHERE n.nspname = current_schema() AND p.proname = ?",
            (name,),
        ):
            tx.execute(f"ALTER FUNCTION {signature} SECURITY DEFINER SET search_path = {path}")
            tx.execute(f"REVOKE ALL ON FUNCTION {signature} FROM PUBLIC")
    for name in (f"govops_guard_{t}()" for t in tables if classify(t) != "read-only"):
        tx.execute(f"REVOKE ALL ON FUNCTION {name} FROM PUBLIC")
    result = {
        "schema": schema,
        "owner": owner,
        "roles": [group(r) for r in ROLES],
        "roles_created": created,
        **dict(sorted(kinds.items())),
    }
    tx.audit("access.init", "schema", schema, None, {"roles_created": created})
    return result


# -- grants --------------------------------------------------------------------------

_LOGIN = re.compile(r"[\w.@-]{1,63}")


def check_login(login: str) -> str:
    if not _LOGIN.fullmatch(login):
        raise InvalidInput(
            f"login {login[:40]!r}: a role name of letters, digits, '_', '.', '@' or '-'"
            " (at most 63)"
        )
    return login


def check_role(role: str) -> str:
    if role not in ROLES:
        raise InvalidInput(f"role {role[:40]!r}: one of {', '.join(ROLES)}")
    return role


def _require_owner(tx: Tx, what: str) -> None:
    """Grants are the owner's: a login without rights gets one line, not a refusal
    from deep inside the database."""
    owner = tx.one(
        "SELECT pg_has_role(session_user, c.relowner, 'MEMBER') AS ok,"
        " pg_get_userbyid(c.relowner) AS owner FROM pg_class c"
        " WHERE c.oid = to_regclass('access_grant')"
    )
    if owner is None or not owner["ok"]:
        who = owner["owner"] if owner else "the owner"
        raise NotOwner(
            f"{tx.actor} may not {what}: only the owner of the govops tables ({who}),"
            " the role that ran govops access init, may"
        )
    for role in ROLES:
        if not tx.scalar("SELECT count(*) FROM pg_roles WHERE rolname = ?", (group(role),)):
            raise Conflict(f"no group role {group(role)}: run govops access init first")


def _unit_ref(unit: Unit) -> str:
    return str(unit.code or unit.path)


class Unit(Protocol):
    @property
    def id(self) -> int: ...
    @property
    def code(self) -> str | None: ...
    @property
    def path(self) -> str: ...
    def label(self) -> str: ...


# How a command finds the unit a reference names (infra.org.units.resolve, which the
# CLI passes in: the platform does not import org).
Resolve = Callable[["Tx", str], Unit]


def grant(store: Store, login: str, unit_ref: str, role: str, resolve: Resolve) -> dict[str, Any]:
    """Grant `login` `role` on the unit `unit_ref` and its subtree (replacing the
    role it had there)."""
    check_login(login)
    check_role(role)

    def run(tx: Tx) -> dict[str, Any]:
        require_postgres(tx)
        unit = resolve(tx, unit_ref)
        _require_owner(tx, "grant access")
        found = tx.one("SELECT rolcanlogin FROM pg_roles WHERE rolname = ?", (login,))
        if found is None:
            raise NotFound(
                f"no login role {login}: the database administrator creates it"
                f" (CREATE ROLE {login} LOGIN)"
            )
        if not found["rolcanlogin"]:
            raise InvalidInput(f"{login} is a role that cannot log in: grant a login role")
        if login.startswith("govops_") and login[7:] in ROLES:
            raise InvalidInput(f"{login} is one of govops's group roles, not a login")
        had = tx.one(
            "SELECT role FROM access_grant WHERE login = ? AND unit_id = ?", (login, unit.id)
        )
        record = {"login": login, "unit": _unit_ref(unit), "path": unit.path, "role": role}
        if had is not None and had["role"] == role:
            return {**record, "changed": False}
        if had is None:
            tx.execute(
                "INSERT INTO access_grant (login, unit_id, role, granted_at, granted_by)"
                " VALUES (?, ?, ?, ?, ?)",
                (login, unit.id, role, tx.now, tx.actor),
            )
        else:
            tx.execute(
                "UPDATE access_grant SET role = ?, granted_at = ?, granted_by = ?"
                " WHERE login = ? AND unit_id = ?",
                (role, tx.now, tx.actor, login, unit.id),
            )
        tx.execute(f"GRANT {group(role)} TO {quoted(login)}")
        if had is not None:
            _drop_membership(tx, login, str(had["role"]))
        before = {**record, "role": had["role"]} if had is not None else None
        tx.audit("access.grant", "access_grant", f"{login}@{_unit_ref(unit)}", before, record)
        return {**record, "changed": True}

    return store.write(run)


def _drop_membership(tx: Tx, login: str, role: str) -> None:
    """Take the login out of `role`'s group once no grant here gives it that role."""
    left = tx.scalar(
        "SELECT count(*) FROM access_grant WHERE login = ? AND role = ?", (login, role)
    )
    member = tx.scalar(
        "SELECT count(*) FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid"
        " JOIN pg_roles l ON l.oid = m.member WHERE g.rolname = ? AND l.rolname = ?",
        (group(role), login),
    )
    if not left and member:
        tx.execute(f"REVOKE {group(role)} FROM {quoted(login)}")


def revoke(
    store: Store, login: str, unit_ref: str | None, resolve: Resolve
) -> list[dict[str, Any]]:
    """Remove the login's grants (on one unit, or all); it leaves a group role when no
    grant here gives it that role any more."""
    check_login(login)

    def run(tx: Tx) -> list[dict[str, Any]]:
        require_postgres(tx)
        unit = resolve(tx, unit_ref) if unit_ref is not None else None
        _require_owner(tx, "revoke access")
        gone = _rows(tx, login, unit.id if unit else None)
        if not gone:
            where = f" on {unit.label()}" if unit else ""
            raise NotFound(f"{login} has no grant{where}")
        tx.executemany("DELETE FROM access_grant WHERE id = ?", [(r.pop("id"),) for r in gone])
        for role in sorted({r["role"] for r in gone}):
            _drop_membership(tx, login, role)
        for r in gone:
            tx.audit("access.revoke", "access_grant", f"{login}@{r['unit']}", r, None)
        return gone

    return store.write(run)


def _rows(tx: Tx, login: str | None, unit_id: int | None = None) -> list[dict[str, Any]]:
    where: list[str] = []
    params: list[Any] = []
    if login is not None:
        where.append("g.login = ?")
        params.append(login)
    if unit_id is not None:
        where.append("g.unit_id = ?")
        params.append(unit_id)
    sql = (
        "SELECT g.id, g.login, g.role, coalesce(u.code, u.path) AS unit, u.name, u.path,"
        " g.granted_at, g.granted_by FROM access_grant g JOIN org_unit u ON u.id = g.unit_id"
    )
    if where:
        sql += " WHERE " + " AND ".join(where)
    return [dict(r) for r in tx.all(sql + " ORDER BY g.login, u.path, g.id", params)]


def listing(store: Store, login: str | None = None) -> list[dict[str, Any]]:
    """Every grant (or one login's), with the unit's code, name and path."""
    if login is not None:
        check_login(login)

    def run(tx: Tx) -> list[dict[str, Any]]:
        require_postgres(tx)
        rows = _rows(tx, login)
        for r in rows:
            r.pop("id")
        return rows

    return store.read(run)
