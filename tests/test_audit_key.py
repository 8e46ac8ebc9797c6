"""The keyed audit chain: written with an HMAC key kept outside the database, anchored
outside it, and `audit verify` naming the cause of each kind of tampering.

Rows are written by real govops commands; the tampering is done on the table
directly (sqlite3 / psycopg), as someone who can write the database but has no key
would do it, recomputing digests with the published, unkeyed algorithm.
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import Cli, one_line_error

from infra.config import AuditKey
from infra.store import GENESIS, audit_hash, is_postgres_url

CITY = "441600000000"
COLUMNS = (
    "id, ts, actor, note, action, object_type, object_ref, before, after, prev_hash, hash, key_id"
)


# -- the table, behind govops' back ---------------------------------------------


def table(db: str) -> list[dict[str, Any]]:
    sql = f"SELECT {COLUMNS} FROM audit ORDER BY id"
    if is_postgres_url(db):
        import psycopg
        from psycopg.rows import dict_row

        with psycopg.connect(db, row_factory=dict_row) as conn:
            return list(conn.execute(sql).fetchall())
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute(sql)]
    finally:
        conn.close()


def tamper(db: str, *statements: tuple[str, tuple[Any, ...]]) -> None:
    """Run the statements in one transaction, straight on the database."""
    if is_postgres_url(db):
        import psycopg

        with psycopg.connect(db) as conn, conn.transaction():
            for sql, params in statements:
                conn.execute(sql.replace("?", "%s"), params)
        return
    conn = sqlite3.connect(db)
    try:
        with conn:
            for sql, params in statements:
                conn.execute(sql, params)
    finally:
        conn.close()


def rechain(
    db: str,
    start: int,
    strip: bool = False,
    key: AuditKey | None = None,
    edit: str | None = None,
) -> None:
    """Recompute the chain from row `start` on, as an intruder would: plain SHA-256
    (or HMAC with a key of their own), optionally stripping key_id and editing the
    first row's `after`. Links are kept consistent."""
    rows = table(db)
    prev = GENESIS
    out = []
    for r in rows:
        if r["id"] >= start:
            if edit is not None and r["id"] == start:
                r["after"] = edit
            kid = key.id if key else (None if strip else r["key_id"])
            fields = [r[c] for c in ("ts", "actor", "action", "object_type", "object_ref")]
            digest = audit_hash(prev, *fields, r["before"], r["after"], r["note"], key)
            out.append(
                (
                    "UPDATE audit SET after = ?, prev_hash = ?, hash = ?, key_id = ? WHERE id = ?",
                    (r["after"], prev, digest, kid, r["id"]),
                )
            )
            prev = digest
        else:
            prev = r["hash"]
    tamper(db, *out)


# -- fixtures -----------------------------------------------------------------


def finding(result: Any) -> str:
    """`audit verify` failing: exit 1, one line on stderr (a finding, no `govops:`)."""
    assert result.exit_code == 1, (result.exit_code, result.stdout, result.stderr)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]


def verdict(cli: Cli, *args: str) -> dict[str, Any]:
    result = cli("audit", "verify", "--format", "json", *args)
    assert result.exit_code in (0, 1), (result.exit_code, result.stderr)
    data = json.loads(result.stdout)
    assert data["ok"] is (result.exit_code == 0)
    if not data["ok"]:
        data["line"] = finding(result)
    return data


def key_of(path: Path) -> AuditKey:
    return AuditKey(path.read_text().strip().encode())


@pytest.fixture
def keyed(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Cli]:
    """A chain begun without a key (row 1) and keyed from row 2 on: five keyed rows
    written by an add, an import of three units (one transaction) and a remove."""
    cli.ok("org", "add", "河源市", "--level", "city", "--code", CITY)
    keyfile = tmp_path / "audit.key"
    cli.ok("audit", "key", "new", str(keyfile))
    monkeypatch.setenv("GOVOPS_AUDIT_KEY_FILE", str(keyfile))
    cli.ok("org", "add", "源城区", "--level", "county", "--parent", CITY, "--code", "441602000000")
    csv = tmp_path / "more.csv"
    csv.write_text(
        "code,name,level,parent_code\n"
        f"441621000000,紫金县,county,{CITY}\n"
        f"441622000000,龙川县,county,{CITY}\n"
        f"441623000000,连平县,county,{CITY}\n",
        encoding="utf-8",
    )
    cli.ok("org", "import", str(csv))
    cli.ok("org", "remove", "441623000000")
    cli.keyfile = keyfile  # type: ignore[attr-defined]
    yield cli


def ids(cli: Cli) -> list[int]:
    return [r["id"] for r in table(cli.db)]


# -- an intact chain ------------------------------------------------------------


def test_a_keyed_chain_verifies_and_an_unkeyed_start_still_holds(keyed):
    rows = table(keyed.db)
    assert [r["key_id"] is None for r in rows] == [True] + [False] * 5
    kid = key_of(keyed.keyfile).id
    assert {r["key_id"] for r in rows[1:]} == {kid}
    # row 1 is chained as it always was: plain SHA-256; the rest with the key
    first = rows[0]
    fields = [first[c] for c in ("ts", "actor", "action", "object_type", "object_ref")]
    assert first["hash"] == audit_hash(
        GENESIS, *fields, first["before"], first["after"], first["note"]
    )
    result = keyed.ok("audit", "verify")
    assert result.stderr.splitlines() == [
        f"audit chain intact: 6 rows, 5 keyed (key {kid}), head {rows[-1]['id']}:{rows[-1]['hash']}"
    ]
    got = verdict(keyed)
    assert (got["keyed"], got["key_id"], got["cause"]) == (5, kid, "")


def test_an_unkeyed_chain_verifies_with_or_without_a_key(sqlite_cli, tmp_path, monkeypatch):
    sqlite_cli.ok("org", "add", "河源市", "--level", "city", "--code", CITY)
    assert verdict(sqlite_cli)["ok"]
    monkeypatch.setenv("GOVOPS_AUDIT_KEY", "k" * 40)
    got = verdict(sqlite_cli)
    assert (got["ok"], got["keyed"]) == (True, 0)


# -- writing ------------------------------------------------------------------


def test_a_keyed_chain_refuses_a_writer_without_its_key(keyed, monkeypatch):
    before = table(keyed.db)
    units = keyed.json("org", "list")
    kid = key_of(keyed.keyfile).id
    monkeypatch.delenv("GOVOPS_AUDIT_KEY_FILE")
    add = ("org", "add", "和平县", "--level", "county", "--parent", CITY)
    one_line_error(keyed(*add), f"keyed with key {kid}", "no audit key is set", "nothing written")
    monkeypatch.setenv("GOVOPS_AUDIT_KEY", "another key, long enough to be accepted as one")
    one_line_error(keyed(*add), f"keyed with key {kid}", "this key is", "nothing written")
    assert table(keyed.db) == before
    assert keyed.json("org", "list") == units
    monkeypatch.delenv("GOVOPS_AUDIT_KEY")
    monkeypatch.setenv("GOVOPS_AUDIT_KEY_FILE", str(keyed.keyfile))
    keyed.ok(*add)
    assert len(table(keyed.db)) == len(before) + 1
    assert verdict(keyed)["ok"]


# -- tampering, each with its cause --------------------------------------------


def test_edited_content(keyed):
    target = ids(keyed)[2]
    tamper(keyed.db, ("UPDATE audit SET actor = ? WHERE id = ?", ("someone-else", target)))
    got = verdict(keyed)
    assert (got["cause"], got["bad_id"]) == ("edited", target)
    assert got["line"] == f"audit chain broken at row {target}: its content was edited"


@pytest.mark.parametrize("with_key", [True, False])
def test_rewritten_with_plain_hashes(keyed, monkeypatch, with_key):
    """Edit a row and recompute the whole chain after it with SHA-256, as someone
    without the key would: the links hold, the digests are not the key's."""
    target = ids(keyed)[3]
    rechain(keyed.db, target, edit='{"name": "假县"}')
    if not with_key:  # plain digests where keyed ones belong show even without the key
        monkeypatch.delenv("GOVOPS_AUDIT_KEY_FILE")
    got = verdict(keyed)
    assert (got["cause"], got["bad_id"]) == ("rewritten", target)
    assert f"rewritten by someone without the key from row {target}" in got["line"]


def test_rewritten_with_other_digests(keyed):
    """Digests that are neither the key's nor a plain hash, on this row and the next."""
    a, b = ids(keyed)[3:5]
    rows = {r["id"]: r for r in table(keyed.db)}
    fake = ["f" * 64, "e" * 64]
    tamper(
        keyed.db,
        ("UPDATE audit SET after = ?, hash = ? WHERE id = ?", ('{"x": 1}', fake[0], a)),
        ("UPDATE audit SET prev_hash = ?, hash = ? WHERE id = ?", (fake[0], fake[1], b)),
        (
            "UPDATE audit SET prev_hash = ? WHERE id = ?",
            (fake[1], min(i for i in rows if i > b)),
        ),
    )
    got = verdict(keyed)
    assert (got["cause"], got["bad_id"]) == ("rewritten", a)


def test_rewritten_and_key_ids_stripped_from_a_row_on(keyed):
    target = ids(keyed)[3]
    rechain(keyed.db, target, strip=True)
    got = verdict(keyed)
    assert (got["cause"], got["bad_id"]) == ("rewritten", target)
    assert "not keyed although the rows before it are" in got["line"]


def test_key_id_stripped(keyed):
    target = ids(keyed)[2]
    tamper(keyed.db, ("UPDATE audit SET key_id = NULL WHERE id = ?", (target,)))
    got = verdict(keyed)
    assert (got["cause"], got["bad_id"]) == ("key-removed", target)
    assert got["line"].endswith(f"its key_id was removed (it is keyed with key {got['key_id']})")


def test_middle_row_deleted(keyed):
    victim, following = ids(keyed)[2:4]
    tamper(keyed.db, ("DELETE FROM audit WHERE id = ?", (victim,)))
    got = verdict(keyed)
    assert (got["cause"], got["bad_id"]) == ("removed", following)
    assert got["line"] == f"audit chain broken at row {following}: a row before it was removed"


def test_rows_reordered(keyed):
    a, b = ids(keyed)[2:4]
    tamper(
        keyed.db,
        ("UPDATE audit SET id = ? WHERE id = ?", (-1, a)),
        ("UPDATE audit SET id = ? WHERE id = ?", (a, b)),
        ("UPDATE audit SET id = ? WHERE id = ?", (b, -1)),
    )
    got = verdict(keyed)
    assert (got["cause"], got["bad_id"]) == ("reordered", a)
    assert got["line"] == f"audit chain broken at row {a}: rows were reordered: it follows row {b}"


def test_chain_rewritten_with_another_key(keyed, monkeypatch):
    theirs = AuditKey(b"an intruder's own key, long enough for govops")
    first_keyed = ids(keyed)[1]
    rechain(keyed.db, first_keyed, key=theirs)
    ours = key_of(keyed.keyfile).id
    got = verdict(keyed)
    assert (got["cause"], got["bad_id"]) == ("other-key", first_keyed)
    assert f"another key ({theirs.id}), not the key given ({ours})" in got["line"]
    # the intruder's key verifies their own chain: which key is right is the
    # operator's to know, which is why the key id is printed and anchored
    monkeypatch.delenv("GOVOPS_AUDIT_KEY_FILE")
    monkeypatch.setenv("GOVOPS_AUDIT_KEY", "an intruder's own key, long enough for govops")
    assert verdict(keyed)["key_id"] == theirs.id


def test_keyed_rows_need_the_key(keyed, monkeypatch):
    monkeypatch.delenv("GOVOPS_AUDIT_KEY_FILE")
    got = verdict(keyed)
    assert got["cause"] == "key-needed"
    assert got["line"] == (
        f"audit chain not verified: 5 rows are keyed (key {got['key_id']}): give the key to"
        " verify them (GOVOPS_AUDIT_KEY_FILE or GOVOPS_AUDIT_KEY)"
    )


# -- anchors ---------------------------------------------------------------------


def anchor(cli: Cli, path: Path) -> dict[str, Any]:
    return cli.json("audit", "anchor", "--to", str(path))


def test_newest_rows_cut_off(keyed, tmp_path):
    anchors = tmp_path / "anchors.jsonl"
    first = anchor(keyed, anchors)
    keyed.ok("org", "add", "和平县", "--level", "county", "--parent", CITY)
    second = anchor(keyed, anchors)
    assert len(anchors.read_text().splitlines()) == 2
    assert second["rows"] == first["rows"] + 1 and second["last_id"] > first["last_id"]
    head = f"{second['last_id']}:{second['head']}"
    got = verdict(keyed, "--anchor", str(anchors), "--expect-head", head)
    assert (got["ok"], got["anchors"], got["anchor"]) == (True, 2, second)
    assert f"2 anchors hold, the newest of {second['ts']} at row {second['last_id']}" in (
        keyed.ok("audit", "verify", "--anchor", str(anchors)).stderr
    )

    *kept, cut, _ = ids(keyed)
    tamper(keyed.db, ("DELETE FROM audit WHERE id >= ?", (cut,)))
    assert verdict(keyed)["ok"]  # the chain alone cannot tell
    got = verdict(keyed, "--anchor", str(anchors))
    assert got["cause"] == "cut-off" and got["bad_id"] is None
    assert got["line"] == (
        f"audit chain broken: rows were cut off: the chain ends at row {kept[-1]},"
        f" the head anchored at {first['ts']} ({anchors} line 1) is row {first['last_id']}"
    )
    assert verdict(keyed, "--expect-head", head)["cause"] == "cut-off"
    assert verdict(keyed, "--expect-head", second["head"])["cause"] == "cut-off"
    # written on after the cut: the anchored rows are still missing
    keyed.ok("org", "add", "东源县", "--level", "county", "--parent", CITY)
    keyed.ok("org", "add", "龙门县", "--level", "county", "--parent", CITY)
    got = verdict(keyed, "--anchor", str(anchors))
    assert got["cause"] == "cut-off"
    assert "rows written since follow the cut" in got["line"]
    assert "nothing anchored: audit chain broken" in one_line_error(
        keyed("audit", "anchor", "--to", str(anchors))
    )
    assert len(anchors.read_text().splitlines()) == 2


def test_keys_stripped_and_chain_rehashed_before_an_anchor(keyed, tmp_path):
    """Strip every key id and recompute the whole chain with SHA-256: it now looks
    like an old unkeyed chain, and only the anchor tells."""
    anchors = tmp_path / "anchors.jsonl"
    mark = anchor(keyed, anchors)
    rechain(keyed.db, ids(keyed)[1], strip=True)
    assert verdict(keyed)["ok"]
    got = verdict(keyed, "--anchor", str(anchors))
    assert (got["cause"], got["bad_id"]) == ("rewritten", mark["last_id"])
    assert f"it was keyed (key {mark['key_id']}) when anchored" in got["line"]


def test_unkeyed_chain_rewritten_before_an_anchor(sqlite_cli, tmp_path):
    cli = sqlite_cli
    cli.ok("org", "add", "河源市", "--level", "city", "--code", CITY)
    for name in ("源城区", "东源县"):
        cli.ok("org", "add", name, "--level", "county", "--parent", CITY)
    anchors = tmp_path / "anchors.jsonl"
    mark = anchor(cli, anchors)
    rechain(cli.db, ids(cli)[1], edit='{"name": "假"}')
    assert verdict(cli)["ok"]
    got = verdict(cli, "--anchor", str(anchors))
    assert (got["cause"], got["bad_id"]) == ("rewritten", mark["last_id"])
    assert "the chain was rewritten at or before it" in got["line"]
    got = verdict(cli, "--expect-head", f"{mark['last_id']}:{mark['head']}")
    assert (got["cause"], got["bad_id"]) == ("rewritten", mark["last_id"])


def test_anchor_to_a_syslog_socket(keyed, tmp_path):
    folder = tempfile.mkdtemp(prefix="govops-", dir="/tmp")  # a short path for AF_UNIX
    path = os.path.join(folder, "log")
    server = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    try:
        server.bind(path)
        server.settimeout(5)
        record = keyed.json("audit", "anchor", "--syslog", "--syslog-socket", path)
        message = server.recv(65536).decode("utf-8")
    finally:
        server.close()
        os.unlink(path)
        os.rmdir(folder)
    assert message.startswith("<38>govops-audit: ")  # auth.info
    assert json.loads(message.removeprefix("<38>govops-audit: ")) == record
    assert set(record) == {"ts", "rows", "last_id", "head", "key_id"}
    # a line copied out of the syslog file checks as an anchor too
    copied = tmp_path / "auth.log"
    copied.write_text(f"Nov 27 21:00:00 host {message.removeprefix('<38>')}\n", encoding="utf-8")
    assert verdict(keyed, "--anchor", str(copied))["anchors"] == 1
    one_line_error(
        keyed("audit", "anchor", "--syslog-socket", path + ".gone"), "cannot send to syslog at"
    )


# -- the key itself ---------------------------------------------------------------


def test_the_key_is_never_stored_or_shown(keyed, tmp_path, monkeypatch):
    secret = keyed.keyfile.read_text().strip()
    anchors = tmp_path / "anchors.jsonl"
    outputs = []
    for args in (
        ("audit", "anchor", "--to", str(anchors)),
        ("audit", "verify", "--format", "json"),
        ("audit", "verify", "--anchor", str(anchors)),
        ("audit", "list", "--format", "json"),
        ("audit", "key", "id"),
        ("db", "info", "--format", "json"),
    ):
        result = keyed(*args)
        assert result.exit_code == 0, (args, result.stderr)
        outputs.append(result.stdout + result.stderr)
    # also as GOVOPS_AUDIT_KEY, and in the messages that refuse
    monkeypatch.delenv("GOVOPS_AUDIT_KEY_FILE")
    monkeypatch.setenv("GOVOPS_AUDIT_KEY", secret)
    result = keyed.ok("org", "add", "和平县", "--level", "county", "--parent", CITY)
    outputs.append(result.stdout + result.stderr)
    monkeypatch.setenv("GOVOPS_AUDIT_KEY", secret[:20])
    outputs.append(one_line_error(keyed("audit", "verify"), "shorter than 32 characters"))
    monkeypatch.setenv("GOVOPS_AUDIT_KEY", "x" * 40)
    outputs.append(keyed("org", "add", "龙门县", "--level", "county", "--parent", CITY).stderr)
    outputs.append(verdict(keyed)["line"])
    assert key_of(keyed.keyfile).id in outputs[4]
    everything = "\n".join(outputs) + anchors.read_text()
    everything += json.dumps(table(keyed.db), ensure_ascii=False)
    for form in (secret, secret[:20], secret.encode().hex()):
        assert form not in everything
    if not is_postgres_url(keyed.db):
        for f in Path(keyed.db).parent.glob(Path(keyed.db).name + "*"):
            assert secret.encode() not in f.read_bytes()


def test_key_file_rules(tmp_path, sqlite_cli, monkeypatch):
    cli = sqlite_cli
    path = tmp_path / "k"
    made = cli.ok("audit", "key", "new", str(path))
    assert (path.stat().st_mode & 0o777) == 0o600
    text = path.read_text()
    assert len(text.strip()) == 64 and int(text, 16) >= 0
    assert text.strip() not in made.stdout + made.stderr
    one_line_error(cli("audit", "key", "new", str(path)), "never overwritten")
    assert path.read_text() == text
    monkeypatch.setenv("GOVOPS_AUDIT_KEY_FILE", str(path))
    kid = cli.ok("audit", "key", "id").stdout.strip()
    assert kid == AuditKey(text.strip().encode()).id and kid in made.stderr
    add = ("org", "add", "河源市", "--level", "city", "--code", CITY)
    path.chmod(0o640)
    one_line_error(cli(*add), "open to group or others (mode 640)", "chmod 600")
    path.chmod(0o600)
    empty = tmp_path / "empty"
    empty.write_text("\n")
    empty.chmod(0o600)
    monkeypatch.setenv("GOVOPS_AUDIT_KEY_FILE", str(empty))
    one_line_error(cli(*add), "is empty")
    monkeypatch.setenv("GOVOPS_AUDIT_KEY_FILE", str(tmp_path / "missing"))
    one_line_error(cli(*add), "No such file")
    monkeypatch.setenv("GOVOPS_AUDIT_KEY_FILE", str(path))
    monkeypatch.setenv("GOVOPS_AUDIT_KEY", "y" * 40)
    one_line_error(cli(*add), "not both")
    monkeypatch.delenv("GOVOPS_AUDIT_KEY")
    assert cli.json("org", "list") == [] and table(cli.db) == []
    monkeypatch.delenv("GOVOPS_AUDIT_KEY_FILE")
    one_line_error(cli("audit", "key", "id"), "no audit key is set")


def test_bad_heads_and_anchor_files(sqlite_cli, tmp_path):
    cli = sqlite_cli
    cli.ok("org", "add", "河源市", "--level", "city", "--code", CITY)
    for bad in ("abc", "x:" + "0" * 64, "1:" + "g" * 64):
        result = cli("audit", "verify", "--expect-head", bad)
        assert result.exit_code == 2 and "--expect-head" in result.stderr, result.stderr
    junk = tmp_path / "junk"
    junk.write_text('{"ts": "now"}\n')
    one_line_error(cli("audit", "verify", "--anchor", str(junk)), "line 1: not an audit anchor")
    junk.write_text("")
    one_line_error(cli("audit", "verify", "--anchor", str(junk)), "holds no anchors")
    one_line_error(cli("audit", "verify", "--anchor", str(tmp_path / "none")), "cannot be read")
    result = cli("audit", "anchor")
    assert result.exit_code == 2 and "--syslog" in result.stderr


# -- key rotation ------------------------------------------------------------------


def ring_of(path: Path, *keys: str) -> Path:
    path.write_text("# old first, current last\n\n" + "\n".join(keys) + "\n")
    path.chmod(0o600)
    return path


def test_rotation_hands_the_chain_to_the_new_key(keyed, tmp_path, monkeypatch):
    old, newfile, ring = key_of(keyed.keyfile), tmp_path / "new.key", tmp_path / "ring"
    outputs = [keyed.ok("audit", "key", "new", str(newfile)).stderr]
    new = key_of(newfile)
    done = keyed.ok("audit", "key", "rotate", str(newfile), "--ring", str(ring))
    outputs.append(done.stdout + done.stderr)
    assert f"from key {old.id} to key {new.id}" in done.stderr and str(ring) in done.stderr
    assert (ring.stat().st_mode & 0o777) == 0o600
    last = table(keyed.db)[-1]
    assert (last["action"], last["object_type"], last["object_ref"], last["key_id"]) == (
        "audit.key.rotate",
        "audit",
        new.id,
        old.id,
    )
    assert json.loads(last["after"]) == {"from": old.id, "to": new.id}
    # the old key can no longer write, nor hand over again
    before = table(keyed.db)
    add = ("org", "add", "和平县", "--level", "county", "--parent", CITY)
    outputs.append(
        one_line_error(keyed(*add), f"handed over to key {new.id}", f"this key is {old.id}")
    )
    other = tmp_path / "other.key"
    keyed.ok("audit", "key", "new", str(other))
    outputs.append(one_line_error(keyed("audit", "key", "rotate", str(other)), "nothing written"))
    assert table(keyed.db) == before
    # the ring: old then new; the new key writes, the chain verifies with the ring
    monkeypatch.setenv("GOVOPS_AUDIT_KEY_FILE", str(ring))
    assert keyed.ok("audit", "key", "id").stdout.split() == [new.id]
    assert keyed.ok("audit", "key", "id", "--all").stdout.split() == [old.id, new.id]
    keyed.ok(*add)
    assert table(keyed.db)[-1]["key_id"] == new.id
    got = verdict(keyed)
    assert (got["ok"], got["keyed"], got["key_id"]) == (True, 7, new.id)
    outputs.append(keyed.ok("audit", "verify").stderr)
    # either key alone does not verify: the other is named as needed
    for alone, missing in ((newfile, old.id), (keyed.keyfile, new.id)):
        monkeypatch.setenv("GOVOPS_AUDIT_KEY_FILE", str(alone))
        got = verdict(keyed)
        assert got["cause"] == "key-needed" and f"key {missing}" in got["line"], got
        outputs.append(got["line"])
    everything = "\n".join(outputs) + json.dumps(table(keyed.db), ensure_ascii=False)
    for secret in (keyed.keyfile, newfile):
        assert secret.read_text().strip() not in everything


def test_rotate_refuses_bad_new_keys(keyed, tmp_path):
    before = table(keyed.db)
    one_line_error(keyed("audit", "key", "rotate", str(keyed.keyfile)), "already in the key ring")
    two = ring_of(tmp_path / "two", "a" * 40, "b" * 40)
    one_line_error(keyed("audit", "key", "rotate", str(two)), "holds 2 keys")
    two.chmod(0o644)
    one_line_error(keyed("audit", "key", "rotate", str(two)), "open to group or others")
    assert table(keyed.db) == before


def test_a_key_change_without_a_rotation_is_another_key(keyed, tmp_path, monkeypatch):
    theirs = "an intruder's own key, long enough for govops"
    at = ids(keyed)[3]
    rechain(keyed.db, at, key=AuditKey(theirs.encode()))
    ring = ring_of(tmp_path / "ring", keyed.keyfile.read_text().strip(), theirs)
    monkeypatch.setenv("GOVOPS_AUDIT_KEY_FILE", str(ring))
    got = verdict(keyed)
    assert (got["cause"], got["bad_id"]) == ("other-key", at)
    assert "no key rotation row hands it over" in got["line"]


def test_a_rotation_row_edited_or_rehashed(keyed, tmp_path, monkeypatch):
    newfile, ring = tmp_path / "new.key", tmp_path / "ring"
    keyed.ok("audit", "key", "new", str(newfile))
    keyed.ok("audit", "key", "rotate", str(newfile), "--ring", str(ring))
    monkeypatch.setenv("GOVOPS_AUDIT_KEY_FILE", str(ring))
    keyed.ok("org", "add", "和平县", "--level", "county", "--parent", CITY)
    rot = table(keyed.db)[-2]
    theirs = AuditKey(b"an intruder's own key, long enough for govops").id
    forged = json.dumps({"from": rot["key_id"], "to": theirs})
    sql = "UPDATE audit SET object_ref = ?, after = ? WHERE id = ?"
    tamper(keyed.db, (sql, (theirs, forged, rot["id"])))
    got = verdict(keyed)
    assert (got["cause"], got["bad_id"]) == ("edited", rot["id"])
    rechain(keyed.db, rot["id"])  # the same, rehashed as someone without the key can
    got = verdict(keyed)
    assert (got["cause"], got["bad_id"]) == ("rewritten", rot["id"])


def test_rotating_an_unkeyed_chain_to_a_first_key(cli, tmp_path, monkeypatch):
    cli.ok("org", "add", "河源市", "--level", "city", "--code", CITY)
    newfile = tmp_path / "first.key"
    cli.ok("audit", "key", "new", str(newfile))
    one_line_error(cli("audit", "key", "rotate", str(newfile), "--ring", str(tmp_path / "r")))
    done = cli.ok("audit", "key", "rotate", str(newfile))
    new = key_of(newfile).id
    assert "append the key" in done.stderr and new in done.stderr
    rows = table(cli.db)
    assert rows[-1]["key_id"] is None
    assert json.loads(rows[-1]["after"]) == {"from": None, "to": new}
    add = ("org", "add", "源城区", "--level", "county", "--parent", CITY)
    one_line_error(cli(*add), f"handed over to key {new}", "no audit key is set")
    monkeypatch.setenv("GOVOPS_AUDIT_KEY_FILE", str(newfile))
    cli.ok(*add)
    got = verdict(cli)
    assert (got["ok"], got["keyed"], got["key_id"]) == (True, 1, new)
