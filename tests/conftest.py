"""Fixtures: every test gets its own database, on SQLite and, where asked, PostgreSQL.

PostgreSQL comes from GOVOPS_TEST_PG (default: the server on 127.0.0.1:5432, user
postgres, database test); each test gets a fresh schema, dropped afterwards.
Locally a missing server skips those tests; under CI=true it fails them.
"""

from __future__ import annotations

import json
import os
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import hypothesis
import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# No per-example deadline: under CI's load (two cores, PostgreSQL, sshd) a single
# example can take longer than hypothesis's 200 ms default without anything wrong.
hypothesis.settings.register_profile("govops", deadline=None)
hypothesis.settings.load_profile("govops")

PG_BASE = os.environ.get("GOVOPS_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
SAMPLE = ROOT / "ipam" / "data" / "heyuan-divisions.csv"


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test touches real data: XDG_DATA_HOME and GOVOPS_DB point into tmp_path."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("GOVOPS_DB", str(tmp_path / "default.db"))
    monkeypatch.setenv("GOVOPS_ACTOR", "pytest")
    monkeypatch.delenv("NO_COLOR", raising=False)
    # A key in the developer's shell would key every test's audit chain.
    monkeypatch.delenv("GOVOPS_AUDIT_KEY", raising=False)
    monkeypatch.delenv("GOVOPS_AUDIT_KEY_FILE", raising=False)


_pg_state: dict[str, Any] = {}


def _pg_admin() -> Any:
    """A connection to the test server, or a skip/fail saying why there is none."""
    if "error" in _pg_state:
        _no_pg(_pg_state["error"])
    if "conn" not in _pg_state:
        try:
            import psycopg

            from infra import locks

            conn = psycopg.connect(PG_BASE, autocommit=True, connect_timeout=5)
            # Extensions are per database: install once; its operator classes are found
            # by type, whatever the search_path.
            conn.execute("SELECT pg_advisory_lock(%s)", (locks.TEST_SETUP,))
            conn.execute("CREATE EXTENSION IF NOT EXISTS btree_gist SCHEMA public")
            conn.execute("SELECT pg_advisory_unlock(%s)", (locks.TEST_SETUP,))
        except Exception as exc:  # ImportError or OperationalError: no PostgreSQL here
            _pg_state["error"] = f"PostgreSQL at {PG_BASE} unavailable: {exc}".splitlines()[0]
            _no_pg(_pg_state["error"])
        _pg_state["conn"] = conn
    return _pg_state["conn"]


@pytest.fixture(scope="session", autouse=True)
def _close_pg_admin() -> Iterator[None]:
    """The shared admin connection is closed when the session ends."""
    yield
    conn = _pg_state.pop("conn", None)
    if conn is not None:
        conn.close()


def _no_pg(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: PostgreSQL tests must run)")
    pytest.skip(reason)


def pg_url_for(schema: str) -> str:
    sep = "&" if "?" in PG_BASE else "?"
    # The test schema alone: were it dropped under a straggling process, that process
    # must fail, not fall back to creating tables in `public` for every later test.
    return f"{PG_BASE}{sep}options=-csearch_path%3D{schema}"


@contextmanager
def pg_schema() -> Iterator[str]:
    """The URL of a fresh PostgreSQL schema, dropped afterwards."""
    admin = _pg_admin()
    schema = f"govops_t_{uuid.uuid4().hex[:12]}"
    admin.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield pg_url_for(schema)
    finally:
        admin.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh PostgreSQL schema for one test."""
    with pg_schema() as url:
        yield url


def count_levels(nodes: list[dict[str, Any]]) -> dict[str, int]:
    """How many nodes of each level a nested `org tree` answer holds."""
    counts: dict[str, int] = {}
    stack = list(nodes)
    while stack:
        node = stack.pop()
        counts[node["level"]] = counts.get(node["level"], 0) + 1
        stack.extend(node["children"])
    return counts


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.pg)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The same test on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        return str(tmp_path / "govops.db")
    return request.getfixturevalue("pg_url")


@pytest.fixture
def store(db_url: str) -> Iterator[Any]:
    from infra.store import Store

    s = Store(db_url)
    try:
        yield s
    finally:
        s.close()


def login_of(db: str) -> str:
    """Who the system says acts on `db`, asked without govops: the PostgreSQL login
    (`session_user`), or the OS account of this process for a SQLite file."""
    if db.startswith(("postgres://", "postgresql://")):
        import psycopg

        with psycopg.connect(db) as conn:
            row = conn.execute("SELECT session_user").fetchone()
            assert row is not None
            return str(row[0])
    import pwd

    return pwd.getpwuid(os.geteuid()).pw_name


def one_line_error(result: Any, *fragments: str) -> str:
    """A refused operation: exit 1, one `govops: …` line on stderr naming what went
    wrong (each of `fragments`), no traceback, stdout clean."""
    assert result.exit_code == 1, (result.exit_code, result.stdout, result.stderr)
    assert result.stdout == "", result.stdout
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("govops: "), lines[0]
    assert "Traceback" not in result.stderr
    assert "internal error" not in lines[0], lines[0]
    assert result.exception is None or isinstance(result.exception, SystemExit)
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])
    return lines[0]


def usage_error(result: Any, *fragments: str) -> str:
    """A usage error: exit 2, one `govops: …` line on stderr, no traceback, stdout clean."""
    assert result.exit_code == 2, (result.exit_code, result.stdout, result.stderr)
    assert result.stdout == "", result.stdout
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("govops: "), result.stderr
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])
    return lines[0]


class Cli:
    """Runs govops in-process against one database, as a user would type it."""

    def __init__(self, db: str):
        from typer.testing import CliRunner

        self.db = db
        self.runner = CliRunner()

    def __call__(self, *args: str, input: str | None = None) -> Any:
        import govops

        return self.runner.invoke(govops.app, ["--db", self.db, *args], input=input)

    def ok(self, *args: str) -> Any:
        result = self(*args)
        assert result.exit_code == 0, (result.exit_code, result.stdout, result.stderr)
        return result

    def json(self, *args: str) -> Any:
        return json.loads(self.ok(*args, "--format", "json").stdout)


@pytest.fixture
def cli(db_url: str) -> Cli:
    return Cli(db_url)


@pytest.fixture
def sqlite_cli(tmp_path: Path) -> Cli:
    return Cli(str(tmp_path / "govops.db"))
