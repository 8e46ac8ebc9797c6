"""The Store: migrations, SQLite pragmas, the default location, transactions."""

from __future__ import annotations

import re
import sqlite3
import threading
from pathlib import Path

import pytest

from infra import audit
from infra.errors import StoreError
from infra.migrations import LEDGER as MIGRATIONS
from infra.org import units as org
from infra.store import Store, Tx


def _migrations(store: Store) -> list[tuple[int, str, str]]:
    rows = store.read(
        lambda tx: tx.all("SELECT version, name, applied_at FROM schema_migrations ORDER BY 1")
    )
    return [(int(r["version"]), r["name"], r["applied_at"]) for r in rows]


def _count(store: Store, table: str) -> int:
    return int(store.read(lambda tx: tx.scalar(f"SELECT count(*) FROM {table}")))


# -- migrations ------------------------------------------------------------


def test_migrations_are_recorded(store):
    applied = _migrations(store)
    assert [(v, n) for v, n, _ in applied] == [(v, n) for v, n, _ in MIGRATIONS]
    assert all(ts for _, _, ts in applied)


def test_migrations_not_rerun_on_second_open(db_url):
    with Store(db_url) as first:
        before = _migrations(first)
        org.add(first, "河源市", "city", code="441600000000")
    with Store(db_url) as second:
        # the same rows, with their original timestamps: nothing was applied again
        assert _migrations(second) == before
        assert [u["code"] for u in org.list_units(second)] == ["441600000000"]
        assert _count(second, "audit") == 1


def test_migrations_are_not_audited(store):
    assert _count(store, "audit") == 0
    assert audit.verify(store).ok


def test_first_open_by_several_processes_at_once(db_url):
    """Processes racing to create and migrate a new database all succeed, once."""
    import os
    import subprocess
    import sys

    from conftest import ROOT

    script = "import sys\nfrom infra.store import Store\nStore(sys.argv[1]).close()\n"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", script, db_url],
            cwd=ROOT,
            env=os.environ.copy(),
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    for p in procs:
        _, err = p.communicate(timeout=60)
        assert p.returncode == 0, err
    with Store(db_url) as s:
        assert [(v, n) for v, n, _ in _migrations(s)] == [(v, n) for v, n, _ in MIGRATIONS]


# -- SQLite specifics ------------------------------------------------------


def test_sqlite_wal_and_foreign_keys(tmp_path):
    path = tmp_path / "wal.db"
    with Store(str(path)) as s:
        assert s.dialect == "sqlite"
        assert s._conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert s._conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1

        def orphan(tx: Tx) -> None:
            tx.execute(
                "INSERT INTO org_unit (code, name, level, parent_id, path, created_at)"
                " VALUES ('441602000000', 'x', 'county', 999999, 'x', 'now')"
            )

        with pytest.raises(sqlite3.IntegrityError):
            s.write(orphan)
        assert _count(s, "org_unit") == 0
    # WAL is a property of the file: a plain connection sees it too
    raw = sqlite3.connect(path)
    try:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        raw.close()


def test_sqlite_url_prefix_accepted(tmp_path):
    path = tmp_path / "prefixed.db"
    with Store(f"sqlite:///{path}") as s:
        org.add(s, "河源市", "city", code="441600000000")
    assert path.exists()


def test_default_path_is_xdg_data_home(tmp_path, monkeypatch):
    monkeypatch.delenv("GOVOPS_DB", raising=False)
    xdg = tmp_path / "xdg-home"
    monkeypatch.setenv("XDG_DATA_HOME", str(xdg))
    expected = xdg / "govops" / "govops.db"
    with Store() as s:
        assert Path(s.url) == expected
        org.add(s, "河源市", "city", code="441600000000")
    assert expected.is_file()


def test_default_path_used_by_cli(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    import govops

    monkeypatch.delenv("GOVOPS_DB", raising=False)
    xdg = tmp_path / "xdg-cli"
    monkeypatch.setenv("XDG_DATA_HOME", str(xdg))
    result = CliRunner().invoke(
        govops.app, ["org", "add", "河源市", "--level", "city", "--code", "441600000000"]
    )
    assert result.exit_code == 0, result.stderr
    with Store(str(xdg / "govops" / "govops.db")) as s:
        assert [u["name"] for u in org.list_units(s)] == ["河源市"]


def test_default_path_falls_back_to_home(tmp_path, monkeypatch):
    from infra import config

    monkeypatch.delenv("GOVOPS_DB", raising=False)
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert Path(config.locate(None).target) == (
        tmp_path / "home" / ".local" / "share" / "govops" / "govops.db"
    )


def test_unopenable_sqlite_path_is_a_store_error(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    with pytest.raises(StoreError, match="no directory .*a-file/sub; create it first"):
        Store(str(blocker / "sub" / "govops.db"))
    assert not (tmp_path / "sub").exists()


def test_not_a_database_is_a_store_error(tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="cannot open"):
        Store(str(junk))


def test_unreachable_postgres_is_one_line_store_error():
    with pytest.raises(StoreError) as info:
        Store("postgresql://postgres@127.0.0.1:1/none?connect_timeout=2")
    assert str(info.value).startswith("cannot connect to PostgreSQL")
    assert "\n" not in str(info.value)


def test_sqlite_write_waits_for_another_writer(tmp_path):
    path = str(tmp_path / "busy.db")
    with Store(path) as s:
        other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        other.execute("BEGIN IMMEDIATE")
        other.execute(
            "INSERT INTO org_unit (code, name, level, parent_id, path, created_at)"
            " VALUES ('441600000000', '河源市', 'city', NULL, '河源市', 'now')"
        )
        timer = threading.Timer(0.3, lambda: other.execute("COMMIT"))
        timer.start()
        try:
            unit = org.add(s, "源城区", "county", "441600000000", "441602000000")
        finally:
            timer.join()
            other.close()
        assert unit.path == "河源市/源城区"
        assert _count(s, "org_unit") == 2


# -- transactions ----------------------------------------------------------


def test_failed_commit_rolls_back_and_store_stays_usable(tmp_path):
    """A COMMIT refused by SQLite (here a deferred foreign key) must not leave the
    transaction open: the next write would fail, or commit the half-done work."""
    with Store(str(tmp_path / "commit.db")) as s:

        def orphan(tx: Tx) -> None:
            tx.execute("PRAGMA defer_foreign_keys = ON")
            tx.execute(
                "INSERT INTO org_unit (code, name, level, parent_id, path, created_at)"
                " VALUES ('441602000000', 'x', 'county', 999999, 'x', 'now')"
            )

        with pytest.raises(sqlite3.IntegrityError):
            s.write(orphan)
        assert not s._conn.in_transaction
        org.add(s, "河源市", "city", code="441600000000")
        assert [u["code"] for u in org.list_units(s)] == ["441600000000"]


def test_write_returns_the_result_and_commits(store):
    def run(tx: Tx) -> int:
        city = org.insert_unit(tx, "河源市", "city", "441600000000", None)
        return city.id

    unit_id = store.write(run)
    assert store.read(lambda tx: org.get(tx, unit_id)).name == "河源市"
    assert _count(store, "audit") == 1


def test_write_rolls_back_everything_when_fn_raises(store):
    org.add(store, "河源市", "city", code="441600000000")
    before_units = org.list_units(store)
    before_audit = audit.entries(store, limit=1000)

    class Boom(Exception):
        pass

    def run(tx: Tx) -> None:
        city = org.resolve(tx, "441600000000")
        org.insert_unit(tx, "源城区", "county", "441602000000", city)
        tx.audit("test.extra", "thing", "x", None, {"a": 1})
        tx.flush_audit()  # audit rows already in the table, inside the transaction
        assert tx.scalar("SELECT count(*) FROM audit") == 3
        raise Boom()

    with pytest.raises(Boom):
        store.write(run)
    assert org.list_units(store) == before_units
    assert audit.entries(store, limit=1000) == before_audit
    assert audit.verify(store).ok
    # the store is still usable after the rollback
    org.add(store, "源城区", "county", "441600000000", "441602000000")
    assert _count(store, "org_unit") == 2


def test_one_transaction_shares_one_timestamp(store):
    def run(tx: Tx) -> None:
        city = org.insert_unit(tx, "河源市", "city", "441600000000", None)
        org.insert_unit(tx, "源城区", "county", "441602000000", city)

    store.write(run)
    rows = audit.entries(store)
    assert len(rows) == 2
    assert rows[0]["ts"] == rows[1]["ts"]
    created = store.read(lambda tx: tx.all("SELECT DISTINCT created_at FROM org_unit"))
    assert [r["created_at"] for r in created] == [rows[0]["ts"]]


def test_read_sees_a_consistent_snapshot(store):
    org.add(store, "河源市", "city", code="441600000000")

    def run(tx: Tx) -> tuple[int, str]:
        return int(tx.scalar("SELECT count(*) FROM org_unit")), tx.dialect

    count, dialect = store.read(run)
    assert count == 1
    assert dialect == store.dialect


# -- where the database is: a mistyped location is refused, never a new file ---


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        ("mysql://u:secret@x/y", "unknown database scheme 'mysql'"),
        (
            "postgresql+psycopg://user:secret@host/db",
            "unknown database scheme 'postgresql+psycopg'",
        ),
        ("postgresql://u:secret@[::1/x", "bad PostgreSQL URL postgresql://u:***@"),
        ("postgresql://u:se%zzcret@h/db", "invalid percent-encoded token"),
        ("postgresql://u:secret@h/db?foo=1", 'invalid URI query parameter: "foo"'),
        ("/nonexistent/dir/x.db", "no directory /nonexistent/dir"),
        ("/dev/null", "not a regular file"),
        ("", "the database location is empty"),
    ],
)
def test_bad_locations_are_refused_with_the_password_masked(tmp_path, monkeypatch, url, fragment):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(StoreError, match=re.escape(fragment)) as caught:
        Store(url)
    assert "secret" not in str(caught.value) and "cret" not in str(caught.value)
    assert list(tmp_path.iterdir()) == []  # nothing created, not even a file named after it


def test_directory_is_not_a_database(tmp_path):
    with pytest.raises(StoreError, match="is a directory"):
        Store(str(tmp_path))


def test_postgres_scheme_in_any_case(pg_url):
    with Store("POSTGRESQL" + pg_url[len("postgresql") :]) as s:
        assert s.dialect == "postgresql"
    with Store("postgres" + pg_url[len("postgresql") :]) as s:
        assert s.dialect == "postgresql"


def test_unreachable_postgres_masks_the_password():
    with pytest.raises(StoreError, match="cannot connect to PostgreSQL") as caught:
        Store("postgresql://govops:hunter2@127.0.0.1:1/x?connect_timeout=2")
    assert "hunter2" not in str(caught.value)
    assert "govops:***@127.0.0.1:1" in str(caught.value)
