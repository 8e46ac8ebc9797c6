"""The audit log: a row per change, written with it, hash-chained, verifiable."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from conftest import login_of

from infra import audit
from infra.org import units as org
from infra.store import GENESIS, Store, audit_hash, is_postgres_url

CITY = "441600000000"
COUNTY = "441602000000"
TOWN = "441602001000"


def raw_sql(db_url: str, sql: str, params: tuple = ()) -> None:
    """Change the database behind govops' back, as an intruder with DB access would."""
    if is_postgres_url(db_url):
        import psycopg

        with psycopg.connect(db_url, autocommit=True) as conn:
            conn.execute(sql.replace("?", "%s"), params)
        return
    conn = sqlite3.connect(db_url)
    try:
        with conn:
            conn.execute(sql, params)
    finally:
        conn.close()


def rows(cli, *args: str) -> list[dict]:
    return cli.json("audit", "list", "-n", "1000", *args)


def one_line_error(result) -> str:
    """Looser than conftest's: `audit verify` reports a broken chain without the
    `govops: ` prefix (it is a finding, printed after any --format output)."""
    assert result.exit_code == 1, (result.exit_code, result.stdout, result.stderr)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]


@pytest.fixture
def changed(cli, tmp_path: Path):
    """add, import (adds and a rename), remove: one of every org mutation."""
    cli.ok("org", "add", "河源市", "--level", "city", "--code", CITY)
    first = tmp_path / "v1.csv"
    first.write_text(
        "code,name,level,parent_code\n"
        f"{CITY},河源市,city,\n"
        f"{COUNTY},源城区,county,{CITY}\n"
        f"{TOWN},上城街道,town,{COUNTY}\n",
        encoding="utf-8",
    )
    cli.ok("org", "import", str(first))
    second = tmp_path / "v2.csv"
    second.write_text(
        f"code,name,level,parent_code\n{COUNTY},源城新区,county,{CITY}\n", encoding="utf-8"
    )
    cli.ok("org", "import", str(second))
    cli.ok("org", "remove", TOWN)
    return cli


def test_every_mutation_is_audited(changed):
    entries = list(reversed(rows(changed)))
    assert [(e["action"], e["object_ref"]) for e in entries] == [
        ("org.add", CITY),
        ("org.add", COUNTY),
        ("org.add", TOWN),
        ("org.rename", COUNTY),
        ("org.remove", TOWN),
    ]
    assert {e["actor"] for e in entries} == {login_of(changed.db)}
    assert {e["note"] for e in entries} == {"pytest"}  # GOVOPS_ACTOR, beside it
    assert {e["object_type"] for e in entries} == {"org_unit"}
    assert [e["id"] for e in entries] == sorted(e["id"] for e in entries)

    add_city, add_county, add_town, rename, remove = entries
    assert add_city["before"] is None
    assert add_city["after"] == {
        "code": CITY,
        "name": "河源市",
        "level": "city",
        "parent_code": None,
        "path": "河源市",
    }
    assert add_county["after"]["parent_code"] == CITY
    assert add_town["after"]["path"] == "河源市/源城区/上城街道"
    assert add_county["ts"] == add_town["ts"]  # one import, one transaction
    assert rename["before"] == {
        "code": COUNTY,
        "name": "源城区",
        "level": "county",
        "parent_code": CITY,
        "path": "河源市/源城区",
    }
    assert rename["after"] == {**rename["before"], "name": "源城新区", "path": "河源市/源城新区"}
    assert remove["after"] is None
    assert remove["before"] == {
        "code": TOWN,
        "name": "上城街道",
        "level": "town",
        "parent_code": COUNTY,
        "path": "河源市/源城新区/上城街道",
    }
    verdict = changed.json("audit", "verify")
    head = verdict.pop("head")
    assert {k: verdict[k] for k in ("ok", "rows", "bad_id", "reason", "keyed", "last_id")} == {
        "ok": True,
        "rows": 5,
        "bad_id": None,
        "reason": "",
        "keyed": 0,
        "last_id": max(e["id"] for e in entries),
    }
    assert len(head) == 64 and head != "0" * 64


def test_the_actor_is_the_login_and_govops_actor_only_a_note(cli, monkeypatch):
    """Anyone can set GOVOPS_ACTOR: it is kept as a note, hashed with the row, while
    the actor is the database login (PostgreSQL) or the OS account (SQLite)."""
    monkeypatch.setenv("GOVOPS_ACTOR", "张工\n  forged line")
    monkeypatch.setenv("USER", "someone-else")
    monkeypatch.setenv("LOGNAME", "someone-else")
    cli.ok("org", "add", "河源市", "--level", "city", "--code", CITY)
    monkeypatch.delenv("GOVOPS_ACTOR")
    cli.ok("org", "add", "源城区", "--level", "county", "--parent", CITY, "--code", COUNTY)
    newest, first = rows(cli)
    assert first["actor"] == newest["actor"] == login_of(cli.db) != "someone-else"
    assert first["note"] == "张工 forged line"  # one line
    assert newest["note"] is None
    assert cli.json("audit", "verify")["ok"] is True


def test_refused_operation_leaves_no_audit_row(cli):
    cli.ok("org", "add", "河源市", "--level", "city", "--code", CITY)
    cli.ok("org", "add", "源城区", "--level", "county", "--parent", CITY, "--code", COUNTY)
    before = rows(cli)
    for args in (
        ["org", "add", "河源", "--level", "city", "--code", CITY],  # duplicate code
        ["org", "add", "某村", "--level", "village", "--parent", CITY],  # tier skipped
        ["org", "remove", CITY],  # has children
        ["org", "remove", "nowhere"],
    ):
        one_line_error(cli(*args))
        assert rows(cli) == before, args
    assert cli.json("audit", "verify")["ok"]


def test_failed_import_leaves_no_audit_row(cli, tmp_path):
    cli.ok("org", "add", "河源市", "--level", "city", "--code", CITY)
    before = rows(cli)
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "code,name,level,parent_code\n"
        f"{COUNTY},源城区,county,{CITY}\n"  # fine on its own
        f"{TOWN}1,上城街道,town,{COUNTY}\n",
        encoding="utf-8",
    )
    one_line_error(cli("org", "import", str(bad)))
    assert rows(cli) == before
    assert [u["code"] for u in cli.json("org", "list")] == [CITY]


def test_chain_links_every_row(store):
    org.add(store, "河源市", "city", code=CITY)
    org.add(store, "源城区", "county", CITY, COUNTY)
    org.remove(store, COUNTY)
    stored = store.read(
        lambda tx: tx.all(
            "SELECT ts, actor, note, action, object_type, object_ref, before, after,"
            " prev_hash, hash FROM audit ORDER BY id"
        )
    )
    prev = GENESIS
    for r in stored:
        assert r["prev_hash"] == prev
        digest = audit_hash(
            prev,
            r["ts"],
            r["actor"],
            r["action"],
            r["object_type"],
            r["object_ref"],
            r["before"],
            r["after"],
            r["note"],
        )
        assert r["hash"] == digest
        prev = digest
    assert len(stored) == 3


def test_verify_empty_log(cli):
    assert cli.json("audit", "verify") == {
        "ok": True,
        "rows": 0,
        "bad_id": None,
        "reason": "",
        "cause": "",
        "head": "0" * 64,
        "last_id": None,
        "keyed": 0,
        "key_id": None,
        "anchors": 0,
        "anchor": None,
    }
    result = cli.ok("audit", "verify")
    assert result.stdout == ""
    assert "audit chain intact: 0 rows" in result.stderr


def test_verify_passes_then_detects_edited_after(changed, db_url):
    result = changed.ok("audit", "verify")
    assert "intact: 5 rows" in result.stderr
    target = rows(changed, "--action", "org.add", "--object", COUNTY)[0]["id"]
    raw_sql(
        db_url,
        "UPDATE audit SET after = replace(after, '源城区', '假城区') WHERE id = ?",
        (target,),
    )
    result = changed("audit", "verify")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"audit chain broken at row {target}: its content was edited"
    ]
    with Store(db_url) as s:
        verdict = audit.verify(s)
    assert (verdict.ok, verdict.bad_id) == (False, target)


def test_verify_reads_the_log_a_page_at_a_time(changed, db_url, monkeypatch):
    """Pages of two rows: every row is still walked once, in order, across the page
    edges, and an edit on the last page is found."""
    monkeypatch.setattr(audit, "_PAGE", 2)
    with Store(db_url) as s:
        verdict = audit.verify(s)
    ids = sorted(e["id"] for e in rows(changed))
    assert (verdict.ok, verdict.rows, verdict.last_id) == (True, 5, ids[-1])
    raw_sql(db_url, "UPDATE audit SET actor = 'x' WHERE id = ?", (ids[4],))
    with Store(db_url) as s:
        verdict = audit.verify(s)
    assert (verdict.ok, verdict.bad_id, verdict.cause) == (False, ids[4], "edited")


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("actor", "someone-else"),
        ("before", '{"name": "河源"}'),
        ("ts", "2020-01-01T00:00:00+00:00"),
        ("object_ref", "441699000000"),
    ],
)
def test_verify_detects_other_edits(tmp_path, column, value):
    from conftest import Cli

    db_url = str(tmp_path / "edits.db")
    changed = Cli(db_url)
    changed.ok("org", "add", "河源市", "--level", "city", "--code", CITY)
    changed.ok("org", "add", "源城区", "--level", "county", "--parent", CITY, "--code", COUNTY)
    target = rows(changed, "--object", CITY)[0]["id"]
    raw_sql(db_url, f"UPDATE audit SET {column} = ? WHERE id = ?", (value, target))
    result = changed("audit", "verify", "--format", "json")
    assert result.exit_code == 1
    assert f"row {target}" in result.stderr
    verdict = json.loads(result.stdout)
    assert (verdict["ok"], verdict["bad_id"]) == (False, target)


def test_verify_detects_deleted_middle_row(changed, db_url):
    ids = sorted(e["id"] for e in rows(changed))
    victim, following = ids[2], ids[3]
    raw_sql(db_url, "DELETE FROM audit WHERE id = ?", (victim,))
    result = changed("audit", "verify")
    line = one_line_error(result)
    assert line == (
        f"audit chain broken at row {following}: a row before it was removed"
        " (or the one before it edited and rehashed)"
    )


def test_verify_detects_deleted_first_row(changed, db_url):
    ids = sorted(e["id"] for e in rows(changed))
    raw_sql(db_url, "DELETE FROM audit WHERE id = ?", (ids[0],))
    assert f"row {ids[1]}" in one_line_error(changed("audit", "verify"))


def test_verify_detects_rehashed_row(changed, db_url):
    """Recomputing an edited row's own hash is not enough: the next row still points back."""
    entries = list(reversed(rows(changed)))
    target = entries[1]
    stored = Store(db_url)
    try:
        r = stored.read(
            lambda tx: tx.one(
                "SELECT ts, actor, note, action, object_type, object_ref, before, after,"
                " prev_hash FROM audit WHERE id = ?",
                (target["id"],),
            )
        )
    finally:
        stored.close()
    forged_after = r["after"].replace("源城区", "假城区")
    forged = audit_hash(
        r["prev_hash"],
        r["ts"],
        r["actor"],
        r["action"],
        r["object_type"],
        r["object_ref"],
        r["before"],
        forged_after,
        r["note"],
    )
    raw_sql(
        db_url,
        "UPDATE audit SET after = ?, hash = ? WHERE id = ?",
        (forged_after, forged, target["id"]),
    )
    assert f"row {entries[2]['id']}" in one_line_error(changed("audit", "verify"))


def test_audit_list_filters(changed):
    assert [e["object_ref"] for e in rows(changed, "--object", TOWN)] == [TOWN, TOWN]
    assert [e["action"] for e in rows(changed, "--object", TOWN)] == ["org.remove", "org.add"]
    assert {e["action"] for e in rows(changed, "--action", "org.")} == {
        "org.add",
        "org.rename",
        "org.remove",
    }
    assert rows(changed, "--action", "org.re", "--object", COUNTY)[0]["action"] == "org.rename"
    assert rows(changed, "--action", "nothing") == []
    newest = changed.json("audit", "list", "-n", "2")
    assert [e["action"] for e in newest] == ["org.remove", "org.rename"]


def test_audit_entries_library(store):
    org.add(store, "河源市", "city", code=CITY)
    org.add(store, "源城区", "county", CITY, COUNTY)
    got = audit.entries(store, limit=1)
    assert len(got) == 1 and got[0]["object_ref"] == COUNTY
    assert set(got[0]) == {
        "id",
        "ts",
        "actor",
        "note",
        "action",
        "object_type",
        "object_ref",
        "before",
        "after",
    }


def test_verify_with_a_recorded_head_detects_cut_off_rows(sqlite_cli):
    import json
    import sqlite3

    sqlite_cli.ok("org", "add", "测试市", "--level", "city", "--code", "441900000000")
    head = json.loads(sqlite_cli.ok("audit", "verify", "--format", "json").stdout)["head"]
    sqlite_cli.ok("org", "add", "一镇", "--level", "town", "--parent", "441900000000")
    assert sqlite_cli("audit", "verify", "--expect-head", head).exit_code == 0
    sqlite_cli.ok("org", "add", "二镇", "--level", "town", "--parent", "441900000000")
    conn = sqlite3.connect(sqlite_cli.db)
    conn.execute("DELETE FROM audit WHERE id >= (SELECT id FROM audit WHERE hash = ?)", (head,))
    conn.commit()
    conn.close()
    assert sqlite_cli("audit", "verify").exit_code == 0  # the chain alone cannot tell
    result = sqlite_cli("audit", "verify", "--expect-head", head)
    assert result.exit_code == 1 and "cut off" in result.stderr


def test_list_shows_a_row_edited_into_invalid_json_flagged(changed, db_url):
    target = rows(changed, "--action", "org.add", "--object", COUNTY)[0]["id"]
    raw_sql(db_url, "UPDATE audit SET after = ? WHERE id = ?", ('{"name": "源城', target))
    listed = {r["id"]: r for r in rows(changed)}
    assert listed[target]["flag"] == "after not valid JSON: run govops audit verify"
    assert listed[target]["after"] == '{"name": "源城'
    assert all("flag" not in r for i, r in listed.items() if i != target)
    table = changed.ok("audit", "list")
    assert "flag" in table.stdout.splitlines()[0]
    result = changed("audit", "verify")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"audit chain broken at row {target}: its content was edited"
    ]


@pytest.mark.parametrize("n", ["99999999999999999999", "1000001", "-5"])
def test_list_limit_is_bounded(cli, n):
    result = cli("audit", "list", "-n", n)
    assert result.exit_code == 2, (result.exit_code, result.stderr)
    assert "Traceback" not in result.stderr and result.stdout == ""
