"""A database made by the code before the seams change (schema version 3) upgrades
in place: every row kept, the audit chain intact, the new tables ready."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from conftest import PG_BASE, Cli, one_line_error, pg_schema

from infra import audit
from infra.migrations import LATEST, LEDGER, LedgerError, check_ledger
from infra.store import Store, Tx

DATA = Path(__file__).parent / "data"
OLD_SCHEMA = "govops_pre_seams"  # the schema name inside the PostgreSQL dump


def _old_sqlite(tmp_path: Path) -> str:
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    conn.executescript((DATA / "pre-seams-sqlite.sql").read_text(encoding="utf-8"))
    conn.close()
    return str(path)


def _load_old_pg(url: str) -> None:
    import psycopg

    schema = url.rsplit("%3D", 1)[1]
    script = (DATA / "pre-seams-postgresql.sql").read_text(encoding="utf-8")
    # Its own connection: the dump empties search_path for the session.
    with psycopg.connect(PG_BASE, autocommit=True) as conn:
        conn.execute(script.replace(f"{OLD_SCHEMA}.", f'"{schema}".'))


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.pg)])
def old_db(request: pytest.FixtureRequest, tmp_path: Path):
    if request.param == "sqlite":
        yield _old_sqlite(tmp_path)
        return
    with pg_schema() as url:
        _load_old_pg(url)
        yield url


def _snapshot(tx: Tx) -> dict[str, list[tuple]]:
    tables = {
        "org_unit": "id, code, name, level, parent_id, path",
        "prefix": "id, vrf_id, cidr, parent_id, status, is_pool, org_id, purpose",
        "ip_address": "id, vrf_id, prefix_id, hostname, status",
        "prefix_pair": "v4_id, v6_id",
        "vrf": "id, name",
        "setting": "key, value",
        "free_block": "container_id, plen, net",
        "audit": "id, hash",
    }
    return {
        t: sorted(
            tuple(bytes(v) if isinstance(v, memoryview) else v for v in dict(r).values())
            for r in tx.all(f"SELECT {cols} FROM {t}")
        )
        for t, cols in tables.items()
    }


def _old_rows(url: str) -> tuple[dict[str, list[tuple]], int]:
    """The old database's rows and version, read without the Store (which would migrate)."""
    if url.startswith("postgresql"):
        import psycopg
        from psycopg.rows import dict_row

        with psycopg.connect(url, row_factory=dict_row) as conn:
            tx = _RawTx(conn, "%s")
            return _snapshot(tx), int(tx.scalar("SELECT max(version) FROM schema_migrations"))
    conn = sqlite3.connect(url)
    conn.row_factory = sqlite3.Row
    tx = _RawTx(conn, "?")
    try:
        return _snapshot(tx), int(tx.scalar("SELECT max(version) FROM schema_migrations"))
    finally:
        conn.close()


class _RawTx:
    def __init__(self, conn, mark: str):
        self.conn, self.mark = conn, mark

    def all(self, sql: str, params=()):
        return list(self.conn.execute(sql.replace("?", self.mark), params).fetchall())

    def scalar(self, sql: str):
        row = self.conn.execute(sql).fetchone()
        return list(dict(row).values())[0]


def test_old_database_upgrades_in_place(old_db):
    before, version = _old_rows(old_db)
    assert version == 3 and len(before["org_unit"]) == 10 and len(before["prefix"]) == 54
    with Store(old_db) as s:
        head_before = audit.verify(s).head
        assert s.read(_snapshot) == before
        versions = s.read(
            lambda tx: [
                r["version"]
                for r in tx.all("SELECT version FROM schema_migrations ORDER BY version")
            ]
        )
        assert versions == list(range(1, LATEST + 1))
        verdict = audit.verify(s)
        assert verdict.ok and verdict.head == head_before and verdict.rows == len(before["audit"])


def test_upgraded_database_works(old_db):
    cli = Cli(old_db)
    county = cli.json("org", "show", "源城区")
    assert county["blocks"] and county["departments"] == []
    one_line_error(cli("org", "remove", "源城区"), "child units")
    assert cli.json("ipam", "check") == []
    cli.ok("dept", "add", "源城区财政局", "--code", "YC-CZ", "--org", "源城区")
    assert cli.json("org", "show", "源城区")["departments"] == ["源城区财政局 (YC-CZ)"]
    cli.ok("org", "add", "广东省", "--level", "province", "--code", "440000000000")
    made = cli.json("ipam", "alloc", "--size", "/26", "--from", "172.16.0.0/16", "--vrf", "video")
    assert made[0]["prefix"] == "172.16.1.128/26"  # 172.16.0.0/24 waits in quarantine
    with Store(old_db) as s:
        assert audit.verify(s).ok


def test_numbering_mistakes_are_real_errors():
    assert check_ledger(LEDGER) == LATEST
    skipped = [LEDGER[0], (3, *LEDGER[1][1:])]
    with pytest.raises(LedgerError, match="version 3 .* stands where 2 belongs"):
        check_ledger(skipped)
    with pytest.raises(LedgerError, match="module:function"):
        check_ledger([(1, "x", ("no_colon",))])


def test_newer_database_is_refused(tmp_path):
    path = str(tmp_path / "new.db")
    Store(path).close()
    conn = sqlite3.connect(path)
    conn.execute(
        "INSERT INTO schema_migrations VALUES (?, 'from the future', 'now')", (LATEST + 1,)
    )
    conn.commit()
    conn.close()
    from infra.errors import StoreError

    with pytest.raises(StoreError, match="newer than this govops knows"):
        Store(path)
