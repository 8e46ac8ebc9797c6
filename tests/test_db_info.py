"""`govops db info`: what a database holds, checked against the database itself."""

from __future__ import annotations

import sqlite3
from typing import Any

from conftest import SAMPLE, Cli, login_of

from infra.migrations import LATEST
from ipam import SAMPLE_PLAN


def raw_count(db: str, table: str) -> int:
    """Rows in `table`, counted without govops."""
    if db.startswith("postgresql://"):
        import psycopg

        with psycopg.connect(db) as conn:
            row = conn.execute(f"SELECT count(*) FROM {table}").fetchone()
            assert row is not None
            return int(row[0])
    conn = sqlite3.connect(db)
    try:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    finally:
        conn.close()


def test_info_counts_what_is_there_and_names_the_audit_head(cli: Cli) -> None:
    cli.ok("org", "import", str(SAMPLE))
    cli.ok("ipam", "plan", str(SAMPLE_PLAN), "--apply")
    found: dict[str, Any] = cli.json("db", "info")
    verdict = cli.json("audit", "verify")

    assert found["backend"] == ("postgresql" if cli.db.startswith("postgresql") else "sqlite")
    assert found["schema_version"] == found["schema_latest"] == LATEST
    for table in ("org_unit", "prefix", "free_block", "prefix_pair", "audit", "cloud_vm"):
        assert found["rows"][table] == raw_count(cli.db, table), table
    assert found["rows"]["prefix"] > 9000
    assert found["audit_rows"] == verdict["rows"] == raw_count(cli.db, "audit")
    assert found["audit_head"] == verdict["head"]
    assert found["actor"] == login_of(cli.db)
    assert found["size_bytes"] > 0

    table = cli.ok("db", "info").stdout
    assert f"schema          {LATEST} (this govops: {LATEST})" in table
    assert f"audit_head      {verdict['head']}" in table


def test_an_empty_database_has_the_genesis_head(cli: Cli) -> None:
    found = cli.json("db", "info")
    assert found["audit_rows"] == 0 and found["audit_head"] == "0" * 64
    assert set(found["rows"]) >= {"org_unit", "prefix", "audit", "schema_migrations"}


def test_a_password_in_the_url_is_never_shown(pg_url: str) -> None:
    # Trust authentication here: the password is accepted and not checked.
    secret = "s3cret-Pa55"
    url = pg_url.replace("postgresql://postgres@", f"postgresql://postgres:{secret}@")
    assert secret in url
    result = Cli(url)("db", "info")
    assert result.exit_code == 0, result.output
    assert secret not in result.output and "postgres:***@" in result.output
    assert secret not in Cli(url)("db", "info", "-f", "json").output
