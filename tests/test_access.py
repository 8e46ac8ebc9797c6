"""Scoped access on PostgreSQL, proved as the logins themselves: through govops, and
through psycopg as if from psql, each login refused outside its units by the
database, not by govops."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from conftest import PG_BASE, Cli, one_line_error, pg_schema

pytestmark = pytest.mark.pg

CITY, C1, C2 = "441600000000", "441602000000", "441625000000"
TOWN1 = "441602001000"


def url_as(url: str, login: str) -> str:
    """The same database and schema, connecting as `login` (trust authentication)."""
    assert url.startswith("postgresql://postgres@"), PG_BASE
    return "postgresql://" + login + url[len("postgresql://postgres") :]


def connect(url: str) -> Any:
    import psycopg

    return psycopg.connect(url, autocommit=True)


def snapshot(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the tables a refused change might have touched, as the owner sees them."""
    with connect(url) as conn:
        return {
            t: conn.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall()
            for t in (
                "prefix",
                "free_block",
                "ip_address",
                "audit",
                "dept",
                "xc_asset",
                "org_unit",
                "cloud_vm",
                "vm_event",
                "cloud_held",
                "cloud_node",
            )  # fmt: skip
        }


class World:
    def __init__(self, url: str, logins: dict[str, str]):
        self.url = url
        self.owner = Cli(url)
        self.logins = logins
        self.cli = {k: Cli(url_as(url, name)) for k, name in logins.items()}
        self.raw = {k: url_as(url, name) for k, name in logins.items()}


def _make_logins(admin: Any, names: list[str]) -> None:
    for name in names:
        admin.execute(f'CREATE ROLE "{name}" LOGIN')


def _drop_logins(admin: Any, names: list[str]) -> None:
    for name in names:
        for group in ("govops_viewer", "govops_operator", "govops_admin"):
            if admin.execute(
                "SELECT 1 FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid"
                " JOIN pg_roles l ON l.oid = m.member WHERE g.rolname = %s AND l.rolname = %s",
                (group, name),
            ).fetchone():
                admin.execute(f'REVOKE {group} FROM "{name}"')
        admin.execute(f'DROP OWNED BY "{name}"')
        admin.execute(f'DROP ROLE "{name}"')


@pytest.fixture
def world(pg_url: str) -> Iterator[World]:
    """A city with two counties (a town in the first), a /16 and a department each;
    logins: a operator of county 1, b of county 2, v viewer at the city, r admin at it."""
    suffix = uuid.uuid4().hex[:8]
    logins = {k: f"govops_t_{k}_{suffix}" for k in ("a", "b", "v", "r")}
    admin = connect(PG_BASE)
    try:
        _make_logins(admin, list(logins.values()))
        w = World(pg_url, logins)
        o = w.owner
        o.ok("org", "add", "河源市", "--level", "city", "--code", CITY)
        o.ok("org", "add", "源城区", "--level", "county", "--parent", CITY, "--code", C1)
        o.ok("org", "add", "东源县", "--level", "county", "--parent", CITY, "--code", C2)
        o.ok("org", "add", "上城街道", "--level", "town", "--parent", C1, "--code", TOWN1)
        o.ok("ipam", "pool", "add", "10.0.0.0/8", "--org", CITY)
        o.ok("ipam", "alloc", "--org", CITY, "--org", C1, "--size", "/16")  # 10.0.0.0/16
        o.ok("ipam", "alloc", "--org", CITY, "--org", C2, "--size", "/16")  # 10.1.0.0/16
        o.ok("dept", "add", "源城区财政局", "--code", "YC-CZ", "--org", C1)
        o.ok("dept", "add", "东源县财政局", "--code", "DY-CZ", "--org", C2)
        o.ok(
            "cloud", "node", "add", "cn-01", "--cores", "64", "--ram-gb", "512", "--disk-gb", "4000"
        )
        o.ok("cloud", "system", "add", "源城政务", "--dept", "YC-CZ")
        o.ok("cloud", "system", "add", "东源政务", "--dept", "DY-CZ")
        first = o.ok("access", "init")
        assert "group roles created" in first.stderr
        for key, unit, role in (("a", C1, "operator"), ("b", C2, "operator"), ("v", CITY, "viewer"),
                                ("r", CITY, "admin")):  # fmt: skip
            o.ok("access", "grant", logins[key], "--unit", unit, "--role", role)
        yield w
    finally:
        _drop_logins(admin, list(logins.values()))
        admin.close()


def test_operators_write_their_county_and_are_refused_the_other(world: World) -> None:
    for me, mine, theirs, net, other in (
        ("a", C1, C2, "10.0", "10.1"),
        ("b", C2, C1, "10.1", "10.0"),
    ):
        cli = world.cli[me]
        made = cli.json("ipam", "alloc", "--org", mine, "--size", "/24", "--purpose", "office")
        assert made[0]["prefix"].startswith(net + ".")
        cli.ok("ipam", "ip", "assign", f"{net}.0.10", "--hostname", f"web-{me}")
        dept = "YC-CZ" if mine == C1 else "DY-CZ"
        cli.ok("xc", "asset", "add", "--kind", "server", "--dept", dept, "--serial", f"SN-{me}")
        system, other_system = ("源城政务", "东源政务") if mine == C1 else ("东源政务", "源城政务")
        vm = ("--cores", "2", "--ram-gb", "4", "--disk-gb", "50")
        cli.ok("cloud", "vm", "request", f"vm-{me}", "--system", system, *vm)
        cli.ok("cloud", "vm", "approve", f"vm-{me}")  # the held totals follow, kept as the owner

        before = snapshot(world.url)
        refusals = [
            cli("ipam", "alloc", "--org", theirs, "--size", "/24", "--purpose", "office"),
            cli("ipam", "add", f"{other}.200.0/24", "--purpose", "video"),
            cli("ipam", "release", f"{other}.0.0/16", "--recursive"),
            cli("ipam", "ip", "assign", f"{other}.0.11", "--hostname", "intruder"),
            cli(
                "xc",
                "asset",
                "add",
                "--kind",
                "server",
                "--dept",
                "DY-CZ" if mine == C1 else "YC-CZ",
                "--serial",
                f"SN-x-{me}",
            ),  # fmt: skip
            cli("dept", "add", "越界局", "--code", f"X-{me}", "--org", theirs),
            cli("org", "add", "越界镇", "--level", "town", "--parent", theirs),
            cli("ipam", "settings", "quarantine-days", "3"),
            cli("cloud", "vm", "request", f"vm-x-{me}", "--system", other_system, *vm),
            cli(
                "cloud",
                "node",
                "add",
                f"cn-{me}",
                "--cores",
                "8",
                "--ram-gb",
                "8",
                "--disk-gb",
                "8",
            ),
        ]
        for result in refusals:
            one_line_error(result, world.logins[me])
        assert snapshot(world.url) == before

    # the audit names the login that made each change, not the owner nor a note
    rows = world.owner.json("audit", "list", "--limit", "100")
    actors = {r["object_ref"]: r["actor"] for r in rows if r["action"] == "prefix.add"}
    assert actors["10.0.0.0/24"] == world.logins["a"]
    assert actors["10.1.0.0/24"] == world.logins["b"]
    world.owner.ok("ipam", "check")
    world.owner.ok("cloud", "check")
    with connect(world.url) as conn:
        held = conn.execute("SELECT vms, cores FROM cloud_held WHERE scope = 'node'").fetchall()
    assert held == [(2, 4)]
    world.owner.ok("audit", "verify")


def _refused(url: str, sql: str, params: tuple[Any, ...] = ()) -> str:
    """`sql` as that login fails with a privilege error (nothing changes)."""
    import psycopg

    with connect(url) as conn, pytest.raises(psycopg.errors.InsufficientPrivilege) as caught:
        conn.execute(sql, params or None)
    return str(caught.value)


def _count(url: str, sql: str, params: tuple[Any, ...] = ()) -> Any:
    with connect(url) as conn:
        row = conn.execute(sql, params or None).fetchone()
        assert row is not None
        return row[0]


def test_the_database_refuses_a_login_in_psql_outside_its_units(world: World) -> None:
    world.cli["b"].ok("ipam", "alloc", "--org", C2, "--size", "/24", "-n", "2", "-P", "office")
    world.cli["b"].ok("ipam", "ip", "assign", "10.1.0.10", "--hostname", "b-web")
    a, b, v, r = (world.raw[k] for k in "abvr")
    before = snapshot(world.url)
    county2 = "cidr LIKE '10.1.%'"
    for sql in (
        f"UPDATE prefix SET description = 'mine now' WHERE {county2}",
        f"UPDATE prefix SET org_id = (SELECT id FROM org_unit WHERE code = '{C1}') WHERE {county2}",
        "DELETE FROM prefix WHERE cidr = '10.1.1.0/24'",
        "DELETE FROM free_block WHERE container_id IN (SELECT id FROM prefix WHERE cidr = '10.1.0.0/16')",
        "UPDATE ip_address SET hostname = 'x'",
        "DELETE FROM ip_address",
        # a block under county 2's, or claimed for county 1 out of the city's pool or nowhere
        "INSERT INTO prefix (vrf_id, family, net, plen, cidr, parent_id, status, created_at)"
        " SELECT vrf_id, 4, net, 25, '10.1.0.0/25', id, 'allocated', 'now' FROM prefix"
        " WHERE cidr = '10.1.0.0/24'",
        "INSERT INTO prefix (vrf_id, family, net, plen, cidr, parent_id, status, org_id, created_at)"
        " SELECT vrf_id, 4, '\\x0a050000', 16, '10.5.0.0/16', id, 'allocated',"
        f" (SELECT id FROM org_unit WHERE code = '{C1}'), 'now' FROM prefix WHERE cidr = '10.0.0.0/8'",
        "INSERT INTO prefix (vrf_id, family, net, plen, cidr, status, org_id, created_at)"
        " SELECT 1, 4, '\\x0b000000', 8, '11.0.0.0/8', 'container',"
        f" (SELECT id FROM org_unit WHERE code = '{C1}'), 'now'",
        f"UPDATE org_unit SET name = 'x' WHERE code = '{C1}'",
        # a unit below its own whose path passes for one of the other county's
        "INSERT INTO org_unit (name, level, parent_id, path, created_at)"
        f" SELECT '假镇', 'town', id, '河源市/东源县/假镇', 'now' FROM org_unit WHERE code = '{C1}'",  # its own unit: its parent's to change
        "UPDATE dept SET name = 'x' WHERE code = 'DY-CZ'",
        "UPDATE cloud_system SET ports = '22/tcp' WHERE name = '东源政务'",
        "UPDATE cloud_node SET cores = 1000",
        "UPDATE vrf SET description = 'x'",
        "UPDATE setting SET value = '0'",
        "DELETE FROM drill_block",
    ):
        assert "may not" in _refused(a, sql), sql
    # the log is append-only for every login, the root admin's too, and names the login
    for who in (a, b, r):
        _refused(who, "UPDATE audit SET actor = 'someone'")
        _refused(who, "DELETE FROM audit")
        _refused(who, "TRUNCATE audit")
        _refused(
            who,
            "INSERT INTO audit (ts, actor, action, object_type, object_ref, prev_hash, hash)"
            " VALUES ('now', 'postgres', 'x', 'x', 'x', 'x', 'x')",
        )
    # a viewer writes nothing
    for sql in (
        "UPDATE prefix SET description = 'v'",
        "INSERT INTO audit (ts, actor, action, object_type, object_ref, prev_hash, hash)"
        " VALUES ('now', session_user, 'x', 'x', 'x', 'x', 'x')",
        "DELETE FROM free_block",
        "UPDATE org_unit SET name = name",
    ):
        _refused(v, sql)
    # no login migrates or changes the schema, its policies or its guards
    for sql in (
        "CREATE TABLE sneaky (id int)",
        "ALTER TABLE prefix DISABLE ROW LEVEL SECURITY",
        "ALTER TABLE prefix DISABLE TRIGGER govops_guard_update",
        "DROP TRIGGER govops_guard_delete ON prefix",
        "DROP POLICY govops_member ON prefix",
        "INSERT INTO schema_migrations VALUES (99, 'x', 'now')",
        "INSERT INTO access_grant (login, unit_id, role, granted_at, granted_by)"
        " SELECT session_user, id, 'admin', 'now', 'me' FROM org_unit WHERE parent_id IS NULL",
        "SELECT cloud_held_add('node', 1, 1, 100, 100, 100)",
        "UPDATE cloud_held SET vms = 0",
    ):
        _refused(a, sql)
    assert snapshot(world.url) == before

    # inside its scope, the same statements pass; the root admin's pass everywhere
    with connect(a) as conn:
        n = conn.execute("UPDATE prefix SET description = 'a' WHERE cidr = '10.0.0.0/16'")
        assert n.rowcount == 1
        conn.execute(
            f"UPDATE org_unit SET name = '上城', path = '河源市/源城区/上城' WHERE code = '{TOWN1}'"
        )
    with connect(r) as conn:
        assert conn.execute(f"UPDATE prefix SET description = 'r' WHERE {county2}").rowcount == 3
        conn.execute("UPDATE vrf SET description = 'root'")
        conn.execute(f"UPDATE org_unit SET name = '东源' WHERE code = '{C2}'")
    # every login with a grant reads everything
    for who in (a, b, v):
        assert _count(who, "SELECT count(*) FROM prefix") == 5
        assert _count(who, "SELECT count(*) FROM audit") > 0


def test_grants_list_revoke_and_who_may_grant(world: World) -> None:
    o, names = world.owner, world.logins
    missing = f"govops_t_nobody_{uuid.uuid4().hex[:8]}"
    one_line_error(
        o("access", "grant", missing, "--unit", C1, "--role", "viewer"),
        f"no login role {missing}",
        f"CREATE ROLE {missing} LOGIN",
    )
    one_line_error(world.cli["a"]("access", "grant", names["a"], "--unit", CITY, "--role", "admin"),
                   "only the owner")  # fmt: skip
    one_line_error(world.cli["r"]("access", "revoke", names["b"]), "only the owner")
    one_line_error(world.cli["r"]("access", "init"), "refused by the database", names["r"])
    rows = o.json("access", "list", "--login", names["a"])
    assert [(r["login"], r["role"], r["unit"], r["name"]) for r in rows] == [
        (names["a"], "operator", C1, "源城区")
    ]
    assert len(o.json("access", "list")) == 4
    # a second unit, then the first taken away: membership follows the grants left
    o.ok("access", "grant", names["a"], "--unit", C2, "--role", "viewer")
    o.ok("access", "revoke", names["a"], "--unit", C1)
    member = (
        "SELECT count(*) FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid"
        " JOIN pg_roles l ON l.oid = m.member WHERE g.rolname = %s AND l.rolname = %s"
    )
    assert _count(PG_BASE, member, ("govops_operator", names["a"])) == 0
    assert _count(PG_BASE, member, ("govops_viewer", names["a"])) == 1
    before = snapshot(world.url)
    one_line_error(world.cli["a"]("ipam", "alloc", "--org", C1, "--size", "/24"), names["a"])
    assert snapshot(world.url) == before
    o.ok("access", "revoke", names["a"])
    one_line_error(o("access", "revoke", names["a"]), "has no grant")
    actions = [r["action"] for r in o.json("audit", "list", "--limit", "100")]
    assert actions.count("access.grant") == 5 and actions.count("access.revoke") == 2


def _catalog(url: str) -> list[Any]:
    """What init builds, as the catalog holds it."""
    with connect(url) as conn:
        return [
            conn.execute(
                "SELECT c.relname, c.relacl::text, c.relrowsecurity, c.relforcerowsecurity"
                " FROM pg_class c WHERE c.relnamespace = current_schema()::regnamespace"
                " ORDER BY 1"
            ).fetchall(),
            conn.execute(
                "SELECT tablename, policyname, cmd, qual, with_check FROM pg_policies"
                " WHERE schemaname = current_schema() ORDER BY 1, 2"
            ).fetchall(),
            conn.execute(
                "SELECT c.relname, t.tgname, t.tgfoid::regproc::text FROM pg_trigger t"
                " JOIN pg_class c ON c.oid = t.tgrelid"
                " WHERE NOT t.tgisinternal AND c.relnamespace = current_schema()::regnamespace"
                " ORDER BY 1, 2"
            ).fetchall(),
            conn.execute(
                "SELECT proname, prosecdef, proconfig, proacl::text, prosrc FROM pg_proc"
                " WHERE pronamespace = current_schema()::regnamespace ORDER BY 1"
            ).fetchall(),
        ]


def test_init_twice_is_the_same_state_and_schemas_stay_apart(world: World) -> None:
    once = _catalog(world.url)
    world.owner.ok("access", "init")
    assert _catalog(world.url) == once
    # a table a later migration adds: the next init lets logins read it, not write it
    with connect(world.url) as conn:
        conn.execute("CREATE TABLE later_ledger (id int)")
    done = world.owner.json("access", "init")
    assert "later_ledger" in done["read-only"] and done["roles_created"] == []
    assert _count(world.raw["r"], "SELECT count(*) FROM later_ledger") == 0
    _refused(world.raw["r"], "INSERT INTO later_ledger VALUES (1)")
    # another govops schema in the same cluster: the group roles are shared, the
    # grants are not, so login a reads and writes nothing there
    with pg_schema() as other:
        Cli(other).ok("org", "add", "梅州市", "--level", "city", "--code", "441400000000")
        Cli(other).ok("access", "init")
        a = url_as(other, world.logins["a"])
        assert _count(a, "SELECT count(*) FROM org_unit") == 0
        _refused(a, "INSERT INTO org_unit (name, level, path, created_at)"
                    " VALUES ('x', 'county', 'x', 'now')")  # fmt: skip
        one_line_error(Cli(a)("org", "add", "梅江区", "--level", "county", "--parent",
                              "441400000000"))  # fmt: skip


def test_a_login_cannot_migrate(world: World) -> None:
    """A database a newer govops would migrate: the first login to open it is
    refused in one line, and only the owner brings it up to date."""
    with connect(world.url) as conn:
        conn.execute("DROP TABLE access_grant CASCADE")
        conn.execute("DELETE FROM attachment WHERE table_name = 'access_grant'")
        conn.execute("DELETE FROM schema_migrations WHERE version = 13")
    one_line_error(world.cli["r"]("org", "tree"), "permission denied", world.logins["r"])
    world.owner.ok("org", "tree")
    assert _count(world.url, "SELECT max(version) FROM schema_migrations") == 13


def test_sqlite_says_the_file_is_the_boundary(sqlite_cli: Cli) -> None:
    for args in (
        ("access", "init"),
        ("access", "grant", "li_wei", "--unit", CITY, "--role", "viewer"),
        ("access", "revoke", "li_wei"),
        ("access", "list"),
    ):
        one_line_error(sqlite_cli(*args), "needs PostgreSQL", "file's permissions")


def test_drill_records_follow_their_hosts_units_and_a_run_its_starter(world: World) -> None:
    """A run (started by operator a) targeted a host of each county, as the run
    recorded them: a records results and findings for its county's host and is
    refused the other's, through govops and directly; b may not touch a's run; a
    root admin may; a viewer writes nothing."""
    import psycopg

    with connect(world.url) as owner:
        paths = dict(owner.execute("SELECT code, path FROM org_unit").fetchall())
        run_id = owner.execute(
            "INSERT INTO drill_run (name, started_at, actor, status)"
            " VALUES ('2026-pre', 'now', %s, 'completed') RETURNING id",
            (world.logins["a"],),
        ).fetchone()[0]
        for host, code in (("h1", C1), ("h2", C2)):
            owner.execute(
                "INSERT INTO drill_host (run_id, host, kind, org_path) VALUES (%s, %s, 'vm', %s)",
                (run_id, host, paths[code]),
            )
    a = world.cli["a"]
    found = a.json("drill", "finding", "add", "--drill", "2026-pre", "--title", "弱口令",
                   "--severity", "high", "--host", "h1", "-f", "json")  # fmt: skip
    assert found["host"] == "h1"
    before = snapshot(world.url)
    one_line_error(
        a(
            "drill",
            "finding",
            "add",
            "--drill",
            "2026-pre",
            "--title",
            "x",
            "--severity",
            "low",
            "--host",
            "h2",
        ),  # fmt: skip
        "may not insert drill_finding rows outside the units granted to it",
    )
    one_line_error(
        world.cli["b"]("drill", "finding", "close", str(found["id"]), "--fix", "改密"),
        "may not update drill_finding rows outside the units",
    )
    assert snapshot(world.url) == before
    refused = {
        "a": [
            "INSERT INTO drill_result (run_id, host, check_id, status)"
            f" VALUES ({run_id}, 'h2', 'perm-passwd', 'pass')",
            "UPDATE drill_host SET reachable = 0 WHERE host = 'h2'",
            "INSERT INTO drill_finding (run_id, title, severity, status, opened_at, opened_by)"
            f" VALUES ({run_id}, 'no host', 'low', 'open', 'now', 'a')",
        ],
        "b": [
            f"UPDATE drill_run SET status = 'failed' WHERE id = {run_id}",
            "INSERT INTO drill_run (name, started_at, actor, status)"
            " VALUES ('forged', 'now', 'someone', 'running')",
        ],
        "v": [
            "INSERT INTO drill_run (name, started_at, actor, status)"
            " VALUES ('mine', 'now', session_user, 'running')",
        ],
    }
    for login, statements in refused.items():
        with connect(world.raw[login]) as conn:
            for sql in statements:
                with pytest.raises(psycopg.errors.InsufficientPrivilege):
                    conn.execute(sql)
    assert snapshot(world.url) == before
    with connect(world.raw["a"]) as conn:
        conn.execute(
            "INSERT INTO drill_result (run_id, host, check_id, status)"
            f" VALUES ({run_id}, 'h1', 'perm-passwd', 'pass')"
        )
        conn.execute(f"UPDATE drill_run SET status = 'completed' WHERE id = {run_id}")
    with connect(world.raw["b"]) as conn:
        conn.execute(
            "INSERT INTO drill_run (name, started_at, actor, status)"
            " VALUES ('b-own', 'now', session_user, 'running')"
        )
    world.cli["r"].ok("drill", "finding", "close", str(found["id"]), "--fix", "改密")
