"""`govops db backup / restore / copy`: every table carried between SQLite and
PostgreSQL and back, checked against the databases themselves; a backup taken while
another process writes is whole; a bad file or a non-empty target changes nothing."""

from __future__ import annotations

import gzip
import json
import shutil
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import pytest
from conftest import PG_BASE, ROOT, SAMPLE, Cli, one_line_error

from infra import backup, db
from infra.migrations import LATEST
from infra.store import Store
from ipam import SAMPLE_PLAN

# -- the databases, read without govops ----------------------------------------------


def _is_pg(url: str) -> bool:
    return url.startswith("postgresql://")


def _plain(value: Any) -> Any:
    if isinstance(value, bytes | memoryview):
        return "x:" + bytes(value).hex()
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def everything(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table but the migration ledger, sorted, by raw SQL (the
    columns SQLite has: PostgreSQL's generated prefix.block is the database's own)."""
    names, columns = _sqlite_catalog()
    out: dict[str, list[tuple[Any, ...]]] = {}
    if _is_pg(url):
        import psycopg

        with psycopg.connect(url) as conn:
            for t in names:
                rows = conn.execute(f"SELECT {', '.join(columns[t])} FROM {t}").fetchall()
                out[t] = sorted((tuple(_plain(v) for v in r) for r in rows), key=repr)
        return out
    conn = sqlite3.connect(url)
    try:
        for t in names:
            rows = conn.execute(f"SELECT {', '.join(columns[t])} FROM {t}").fetchall()
            out[t] = sorted((tuple(_plain(v) for v in r) for r in rows), key=repr)
    finally:
        conn.close()
    return out


_CATALOG: dict[str, Any] = {}


def _sqlite_catalog() -> tuple[list[str], dict[str, list[str]]]:
    """The tables and columns of a new SQLite database of this govops."""
    if not _CATALOG:
        with Store(":memory:") as fresh:
            names = [t for t in fresh.read(db.tables) if t != "schema_migrations"]
            cols = {
                t: [
                    r["name"] for r in fresh.read(lambda tx, t=t: tx.all(f"PRAGMA table_info({t})"))
                ]
                for t in names
            }
        _CATALOG.update(names=names, cols=cols)
    return _CATALOG["names"], _CATALOG["cols"]


# -- a database with something in every domain ----------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite database filled by govops commands: the Heyuan divisions and plan, a
    container added over blocks that already were (a parent with a higher id than its
    children), an address, a department, cloud nodes (a fractional ratio), a system
    and VMs (the held totals), a quota, a Xinchuang asset."""
    path = tmp_path_factory.mktemp("built") / "source.db"
    cli = Cli(str(path))
    cli.ok("org", "import", str(SAMPLE))
    cli.ok("ipam", "plan", str(SAMPLE_PLAN), "--apply")
    cli.ok("ipam", "add", "10.64.0.0/22", "--status", "container")
    cli.ok("ipam", "ip", "assign", "10.66.0.5", "-H", "web", "-D", '门户 "A"')
    cli.ok("dept", "add", "源城区财政局", "--code", "YC-CZ", "--org", "源城区")
    cli.ok("cloud", "node", "add", "x1", "--cores", "32", "--ram-gb", "128", "--disk-gb", "2000")
    cli.ok(
        "cloud", "node", "add", "a1", "--cores", "16", "--ram-gb", "64", "--disk-gb", "1000",
        "--arch", "aarch64", "--cpu-ratio", "1.5",
    )  # fmt: skip
    cli.ok("ipam", "add", "10.90.1.0/24")
    cli.ok("cloud", "system", "add", "fin", "--dept", "YC-CZ", "--mlps-level", "3",
           "--subnet", "10.90.1.0/24")  # fmt: skip
    for name, cores in (("fin-web-01", "2"), ("fin-db-01", "4")):
        cli.ok("cloud", "vm", "request", name, "--system", "fin", "--cores", cores,
               "--ram-gb", "8", "--disk-gb", "100")  # fmt: skip
        cli.ok("cloud", "vm", "approve", name)
    cli.ok("cloud", "vm", "provision", "fin-web-01")
    cli.ok("cloud", "quota", "set", "YC-CZ", "--cores", "64")
    cli.ok("xc", "asset", "add", "--kind", "server", "--dept", "YC-CZ", "--serial", "SN-1")
    with sqlite3.connect(path) as conn:
        # what the checks below lean on: a parent stored after its children, held totals
        assert conn.execute("SELECT count(*) FROM prefix WHERE parent_id > id").fetchone()[0] > 0
        assert conn.execute("SELECT count(*) FROM cloud_held").fetchone()[0] == 3
        assert conn.execute("SELECT count(*) FROM free_block").fetchone()[0] > 0
    return path


def fresh_copy(built: Path, tmp_path: Path, name: str = "a.db") -> str:
    target = tmp_path / name
    shutil.copy(built, target)
    return str(target)


def _state(cli: Cli) -> tuple[str, dict[str, Any], str]:
    """What must agree between two databases holding the same: the IPAM export,
    the audit verdict (rows, head), the IPAM check."""
    export = cli.ok("ipam", "export").stdout
    verdict = cli.json("audit", "verify")
    check = cli.ok("ipam", "check").stderr.strip().splitlines()[-1]
    return export, verdict, check


# -- the round trip --------------------------------------------------------------------


@pytest.mark.pg
@pytest.mark.slow
def test_sqlite_to_postgresql_and_back_carries_everything(
    built: Path, tmp_path: Path, pg_url: str
) -> None:
    source = fresh_copy(built, tmp_path)
    dump = tmp_path / "source.govops"
    src_cli, pg_cli = Cli(source), Cli(pg_url)
    src_cli.ok("db", "backup", str(dump), "--as", "dump")

    restored = pg_cli.json("db", "restore", str(dump))
    assert restored["schema_version"] == LATEST
    back = str(tmp_path / "back.db")
    copied = Cli(pg_url).json("db", "copy", pg_url, back)
    assert copied["audit"]["ok"] and copied["audit"]["head"] == restored["audit_head"]
    back_cli = Cli(back)

    rows = everything(source)
    assert rows["prefix"] and rows["cloud_held"] and rows["audit"] and rows["xc_asset"]
    assert everything(pg_url) == rows
    assert everything(back) == rows
    states = [_state(c) for c in (src_cli, pg_cli, back_cli)]
    assert states[0][2] == "ipam check: 0 errors, 0 warnings"
    assert states[1] == states[0] and states[2] == states[0]
    head = states[0][1]["head"]
    assert restored["audit_head"] == copied["audit_head"] == head
    for table in ("prefix", "audit", "cloud_held"):
        row = next(t for t in copied["tables"] if t["table"] == table)
        assert row["rows"] == len(rows[table]) and row["check"] == "equal"

    # the sequences go on after the largest id: new rows take new ids on both sides
    for cli in (pg_cli, back_cli):
        cli.ok("ipam", "add", "10.64.4.0/24", "--org", "源城区")
        cli.ok("org", "add", "新村", "--level", "village", "--parent", "441602001000")
        cli.ok("cloud", "vm", "request", "fin-app-01", "--system", "fin", "--cores", "1",
               "--ram-gb", "1", "--disk-gb", "10")  # fmt: skip
        cli.ok("cloud", "vm", "approve", "fin-app-01")
        verdict = cli.json("audit", "verify")
        assert verdict["ok"] and verdict["rows"] == states[0][1]["rows"] + 4
        assert cli.json("audit", "verify", "--expect-head", head)["ok"]
        # the new village has no block yet: a warning, never an error
        assert not [f for f in cli.json("ipam", "check") if f["severity"] == "error"]


@pytest.mark.pg
@pytest.mark.slow
def test_backup_on_postgresql_is_a_dump_and_a_sqlite_file_on_request(
    built: Path, tmp_path: Path, pg_url: str
) -> None:
    source = fresh_copy(built, tmp_path)
    Cli(pg_url).ok("db", "copy", source, pg_url)
    pg_cli = Cli(pg_url)
    dump, as_file = tmp_path / "pg.govops", tmp_path / "pg.db"
    out = pg_cli.json("db", "backup", str(dump))
    assert out["format"] == "dump" and dump.read_bytes()[:2] == b"\x1f\x8b"
    out2 = pg_cli.json("db", "backup", str(as_file), "--as", "sqlite")
    assert out2["audit_head"] == out["audit_head"]
    assert as_file.read_bytes()[:16] == b"SQLite format 3\x00"
    assert everything(str(as_file)) == everything(source)
    # the dump restores into SQLite as well
    again = str(tmp_path / "again.db")
    Cli(again).ok("db", "restore", str(dump))
    assert everything(again) == everything(source)


# -- a backup while another process writes --------------------------------------------

WRITER = """
import sys
from infra.org import depts
from infra.store import Store
with Store(sys.argv[1]) as s:
    i = 0
    while True:
        depts.add(s, f"部门{i}", f"W-{i}", None)
        i += 1
"""


def test_backup_while_another_process_writes_is_whole(
    built: Path, tmp_path: Path, db_url: str
) -> None:
    """SQLite: the online backup of a database another process keeps writing opens,
    checks whole and its chain verifies. PostgreSQL: the dump is one snapshot too."""
    source = db_url if _is_pg(db_url) else fresh_copy(built, tmp_path)
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, source], cwd=ROOT, stderr=subprocess.PIPE
    )
    try:
        seen: list[int] = []
        deadline = time.monotonic() + 20
        start = Cli(source).json("db", "info")["rows"]["dept"]
        while Cli(source).json("db", "info")["rows"]["dept"] == start:
            assert time.monotonic() < deadline and writer.poll() is None
            time.sleep(0.1)  # the writer has begun
        while len(seen) < 3 and time.monotonic() < deadline:
            time.sleep(0.3)
            backup = tmp_path / f"b{len(seen)}.db"
            if _is_pg(source):
                dump = tmp_path / f"b{len(seen)}.govops"
                Cli(source).ok("db", "backup", str(dump))
                Cli(str(backup)).ok("db", "restore", str(dump))
            else:
                Cli(source).ok("db", "backup", str(backup))
            conn = sqlite3.connect(backup)
            try:
                assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
                if not _is_pg(source):
                    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
                depts = conn.execute("SELECT count(*) FROM dept WHERE code LIKE 'W-%'")
                audited = conn.execute("SELECT count(*) FROM audit WHERE object_ref LIKE 'W-%'")
                # one moment: each department the copy holds, its audit row too
                assert depts.fetchone()[0] == audited.fetchone()[0]
                n = conn.execute("SELECT count(*) FROM dept").fetchone()[0]
            finally:
                conn.close()
            assert Cli(str(backup)).json("audit", "verify")["ok"]
            seen.append(n)
        assert writer.poll() is None, writer.stderr.read() if writer.stderr else ""
    finally:
        writer.kill()
        writer.communicate()
    assert len(seen) == 3 and seen[-1] > seen[0] > 0, seen
    assert not list(tmp_path.glob(".*.tmp*"))


# -- refusals: a non-empty target, a bad file -------------------------------------------


def test_restore_refuses_a_database_that_holds_data_and_force_replaces_it(
    small_dump: Path, tmp_path: Path, db_url: str
) -> None:
    target = Cli(db_url)
    target.ok("org", "add", "别的市", "--level", "city", "--code", "449900000000")
    before = everything(db_url)

    line = one_line_error(target("db", "restore", str(small_dump)), "not empty", "--force")
    assert "\n" not in line
    assert everything(db_url) == before

    target.ok("db", "restore", str(small_dump), "--force")
    assert everything(db_url) == everything(str(tmp_path / "small.db"))
    assert target.json("audit", "verify")["ok"]


def test_a_new_database_counts_as_empty(small_dump: Path, tmp_path: Path, db_url: str) -> None:
    """A database govops has only created holds the default VRF and the registry the
    migrations write: a restore needs no --force there."""
    Cli(db_url).ok("db", "info")  # created and migrated
    Cli(db_url).ok("db", "restore", str(small_dump))
    head = Cli(str(tmp_path / "small.db")).json("audit", "verify")["head"]
    assert Cli(db_url).json("db", "info")["audit_head"] == head


def _rewrite(dump: Path, out: Path, change: Any) -> None:
    lines = gzip.decompress(dump.read_bytes()).decode().splitlines(keepends=True)
    out.write_bytes(gzip.compress("".join(change(lines)).encode()))


@pytest.fixture
def small_dump(tmp_path: Path) -> Path:
    """A dump of a small database (a few units, a pool, an allocation)."""
    cli = Cli(str(tmp_path / "small.db"))
    cli.ok("org", "add", "河源市", "--level", "city", "--code", "441600000000")
    cli.ok("org", "add", "源城区", "--level", "county", "--parent", "441600000000",
           "--code", "441602000000")  # fmt: skip
    cli.ok("ipam", "pool", "add", "10.64.0.0/12", "--org", "河源市")
    cli.ok("ipam", "alloc", "--for", "源城区", "--size", "/16")
    dump = tmp_path / "small.govops"
    cli.ok("db", "backup", str(dump), "--as", "dump")
    return dump


def _bad_files(small_dump: Path, tmp_path: Path) -> dict[str, tuple[Path, str]]:
    raw = small_dump.read_bytes()
    out: dict[str, tuple[Path, str]] = {}

    def put(name: str, data: bytes, fragment: str) -> None:
        p = tmp_path / name
        p.write_bytes(data)
        out[name] = (p, fragment)

    put("cut.govops", raw[: len(raw) // 2], "cut short")
    flipped = bytearray(raw)
    flipped[len(raw) // 2] ^= 0xFF
    put("flipped.govops", bytes(flipped), "flipped.govops")
    put("noise.bin", b"not a backup at all\n" * 10, "not a govops backup")
    put("empty.bin", b"", "not a govops backup")
    sqlite_cut = tmp_path / "small.db"
    put("cut.db", sqlite_cut.read_bytes()[:8192], "cut.db")
    # a SQLite backup whose registry carries SQL of its own, which org show would run
    shutil.copy(sqlite_cut, tmp_path / "registry.db")
    with sqlite3.connect(tmp_path / "registry.db") as conn:
        conn.execute("UPDATE attachment SET label_sql = 'pg_sleep(1)' WHERE kind = 'departments'")
    conn.close()
    out["registry.db"] = (tmp_path / "registry.db", "attachment table is not the one")

    def drop_last_rows(lines: list[str]) -> list[str]:
        return lines[:-3] + lines[-1:]

    def edit_a_row(lines: list[str]) -> list[str]:
        i = next(i for i, ln in enumerate(lines) if "源城区" in ln and ln.startswith("["))
        return [*lines[:i], lines[i].replace("源城区", "源城县"), *lines[i + 1 :]]

    def newer(lines: list[str]) -> list[str]:
        head = json.loads(lines[0])
        head["schema_version"] = LATEST + 1
        return [json.dumps(head) + "\n", *lines[1:]]

    def no_trailer(lines: list[str]) -> list[str]:
        return lines[:-1]

    for name, change, fragment in (
        ("short.govops", drop_last_rows, "not a row of"),
        ("edited.govops", edit_a_row, "do not match the digests"),
        ("newer.govops", newer, "newer than this govops"),
        ("untrailed.govops", no_trailer, "cut short"),
    ):
        p = tmp_path / name
        _rewrite(small_dump, p, change)
        out[name] = (p, fragment)
    return out


def test_a_bad_backup_is_one_line_and_changes_nothing(
    small_dump: Path, tmp_path: Path, db_url: str
) -> None:
    target = Cli(db_url)
    target.ok("org", "add", "别的市", "--level", "city", "--code", "449900000000")
    before = everything(db_url)
    for name, (path, fragment) in _bad_files(small_dump, tmp_path).items():
        one_line_error(target("db", "restore", str(path), "--force"), fragment)
        assert everything(db_url) == before, name
    one_line_error(target("db", "restore", str(tmp_path / "nowhere.govops")), "no such file")
    # and the good one still restores
    target.ok("db", "restore", str(small_dump), "--force")
    assert target.json("org", "show", "源城区")["code"] == "441602000000"


def test_copy_refuses_a_target_that_holds_data_and_the_same_database(
    small_dump: Path, tmp_path: Path
) -> None:
    a, b = str(tmp_path / "a.db"), str(tmp_path / "b.db")
    Cli(a).ok("db", "restore", str(small_dump))
    Cli(b).ok("org", "add", "别的市", "--level", "city", "--code", "449900000000")
    before = everything(b)
    one_line_error(Cli(a)("db", "copy", a, b), "not empty")
    assert everything(b) == before
    one_line_error(Cli(a)("db", "copy", a, a), "the same database")
    missing = str(tmp_path / "typo.db")
    one_line_error(Cli(a)("db", "copy", missing, b, "--force"), "no such database file")
    assert not Path(missing).exists() and everything(b) == before
    # a backup over the database itself, a restore from it: refused, the file kept
    raw = Path(a).read_bytes()
    one_line_error(Cli(a)("db", "backup", a), "the database itself")
    one_line_error(Cli(a)("db", "restore", a, "--force"), "the database itself")
    assert Path(a).read_bytes() == raw
    out = Cli(a).json("db", "copy", a, b, "--force")
    assert out["audit"]["ok"] and everything(b) == everything(a)


def test_an_older_schema_is_migrated_forward(tmp_path: Path, db_url: str) -> None:
    """A backup written by an older govops (the pre-seams database, schema 3):
    restored, it holds what upgrading that database in place gives."""
    old = tmp_path / "old.db"
    conn = sqlite3.connect(old)
    conn.executescript((ROOT / "tests" / "data" / "pre-seams-sqlite.sql").read_text())
    conn.close()
    version = sqlite3.connect(old).execute("SELECT max(version) FROM schema_migrations").fetchone()
    assert version[0] < LATEST
    dump = tmp_path / "old.govops"
    with backup._Opened(str(old), read_only=True) as opened, open(dump, "wb") as out:
        opened.read(lambda tx: backup.write_dump(backup.LiveSource(tx, str(old)), out))
    upgraded = tmp_path / "upgraded.db"
    shutil.copy(old, upgraded)
    Store(str(upgraded)).close()

    target = Cli(db_url)
    target.ok("db", "restore", str(dump))
    assert target.json("db", "info")["schema_version"] == LATEST
    want, got = everything(str(upgraded)), everything(db_url)
    assert got.keys() == want.keys()
    for table in want:
        if table in ("schema_migrations",):
            continue
        assert got[table] == want[table], table
    assert target.json("audit", "verify")["ok"]
    # a SQLite backup file of the old version too, left as it was
    other = str(tmp_path / "other.db")
    raw = old.read_bytes()
    Cli(other).ok("db", "restore", str(old))
    assert old.read_bytes() == raw
    assert everything(other) == want


# -- who may restore -------------------------------------------------------------------


@pytest.mark.pg
def test_a_login_without_rights_gets_one_line(small_dump: Path, pg_url: str) -> None:
    import psycopg

    Cli(pg_url).ok("db", "restore", str(small_dump))
    role = f"govops_t_norights_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG_BASE, autocommit=True) as admin:
        admin.execute(f"DROP ROLE IF EXISTS {role}")
        admin.execute(f"CREATE ROLE {role} LOGIN PASSWORD 'pw-secret-1'")
        schema = pg_url.rsplit("%3D", 1)[1]
        admin.execute(f'GRANT USAGE ON SCHEMA "{schema}" TO {role}')
        admin.execute(f'GRANT SELECT ON ALL TABLES IN SCHEMA "{schema}" TO {role}')
    try:
        url = pg_url.replace("postgresql://postgres@", f"postgresql://{role}:pw-secret-1@")
        cli = Cli(url)
        line = one_line_error(cli("db", "restore", str(small_dump), "--force"), "permission denied")
        assert "pw-secret-1" not in line
        assert Cli(pg_url).json("db", "info")["rows"]["org_unit"] == 2
    finally:
        with psycopg.connect(PG_BASE, autocommit=True) as admin:
            admin.execute(f"DROP OWNED BY {role}")
            admin.execute(f"DROP ROLE {role}")


def test_a_keyed_chain_is_carried_and_verifies_with_its_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keyed audit rows go across as they are: with the key the copy's chain verifies
    and has the same head; without it the chain cannot be checked, so the copy is
    refused in one line and writes nothing."""
    monkeypatch.setenv("GOVOPS_AUDIT_KEY", "k3y-" + "7" * 40)
    a, b, c = (str(tmp_path / n) for n in ("a.db", "b.db", "c.db"))
    Cli(a).ok("org", "add", "河源市", "--level", "city", "--code", "441600000000")
    head = Cli(a).json("audit", "verify")["head"]
    out = Cli(a).json("db", "copy", a, b)
    assert out["audit"]["ok"] and out["audit"]["head"] == head
    assert everything(b) == everything(a)
    monkeypatch.delenv("GOVOPS_AUDIT_KEY")
    line = one_line_error(Cli(a)("db", "copy", a, c), "give the key", "nothing was written")
    assert "k3y-" not in line
    counts = Cli(c).json("db", "info")["rows"]
    assert (counts["org_unit"], counts["audit"]) == (0, 0)


def test_what_is_no_backup_file_is_one_line(tmp_path: Path, sqlite_cli: Cli) -> None:
    """A pipe is neither read (it would wait for ever) nor replaced; a directory, an
    empty name: one line each."""
    import os

    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    one_line_error(sqlite_cli("db", "restore", str(pipe)), "not a regular file")
    one_line_error(sqlite_cli("db", "backup", str(pipe)), "not a regular file")
    assert pipe.is_fifo()
    one_line_error(sqlite_cli("db", "restore", str(tmp_path)), "a directory")
    one_line_error(sqlite_cli("db", "backup", str(tmp_path)), "a directory")
    one_line_error(sqlite_cli("db", "restore", ""), "no file named")
    one_line_error(sqlite_cli("db", "backup", " "), "no file named")
    assert not list(tmp_path.glob(".*.tmp"))


def test_the_digest_reads_values_as_both_backends_store_them() -> None:
    """1, 1.0 and '1' in a numeric column are one value; True is 1; bytes and a
    memoryview of them agree; text keeps '1.0' apart from '1'; order does not count."""

    def digest(kinds: list[str], *rows: list[Any]) -> str:
        d = backup.Digest(kinds)
        for row in rows:
            d.add(row)
        return d.hex

    kinds = ["int", "real", "bool", "blob", "text"]
    a = [1, 1.5, True, b"\x00\xff", "x"]
    b = [1.0, "1.5", 1, memoryview(b"\x00\xff"), "x"]
    assert digest(kinds, a) == digest(kinds, b)
    assert digest(["text"], ["1.0"]) != digest(["text"], ["1"])
    assert digest(["int"], [None]) != digest(["int"], [0])
    assert digest(kinds, a, [2, 0.1, False, b"", ""]) == digest(kinds, [2, 0.1, 0, b"", ""], b)
    assert (
        backup._coerce(1, "bool", "postgresql") is True
        and backup._coerce(True, "bool", "sqlite") == 1
    )
    assert (
        backup._coerce("7", "int", "sqlite") == 7 and backup._coerce(b"a", "text", "sqlite") == "a"
    )
    with pytest.raises(ValueError):
        backup._coerce(1.5, "int", "sqlite")


def test_a_backup_whose_audit_chain_was_edited_is_not_restored(tmp_path: Path, db_url: str) -> None:
    """The backup's rows arrive exactly as they are in the file, and an edited audit
    row would arrive edited: the chain is walked before the commit, so such a backup
    is refused in one line naming the row, and the target keeps nothing of it."""
    source = str(tmp_path / "source.db")
    Cli(source).ok("org", "add", "河源市", "--level", "city", "--code", "441600000000")
    Cli(source).ok("org", "add", "源城区", "--level", "county", "--parent", "441600000000")
    saved = tmp_path / "backup.db"
    Cli(source).ok("db", "backup", str(saved))
    conn = sqlite3.connect(saved)
    with conn:
        first = conn.execute("SELECT min(id) FROM audit").fetchone()[0]
        conn.execute("UPDATE audit SET actor = 'someone-else' WHERE id = ?", (first,))
    conn.close()
    target = Cli(db_url)
    line = one_line_error(target("db", "restore", str(saved)), f"broken at row {first}")
    assert "nothing was written" in line
    counts = target.json("db", "info")["rows"]
    assert (counts["org_unit"], counts["audit"]) == (0, 0)


def test_a_name_no_file_can_have_is_one_line(tmp_path: Path, sqlite_cli: Cli) -> None:
    """Too long for the file system, a NUL byte, a lone surrogate: one line each,
    for the backup, the restore and either side of a copy, and nothing made."""
    long = str(tmp_path / ("x" * 300))
    for name in (long, str(tmp_path / "a\x00b"), str(tmp_path / "a\udc80b")):
        one_line_error(sqlite_cli("db", "backup", name), "not a")
        one_line_error(sqlite_cli("db", "restore", name), "not a")
        one_line_error(sqlite_cli("db", "copy", sqlite_cli.db, name), "not a")
        one_line_error(sqlite_cli("db", "copy", name, sqlite_cli.db), "not a")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["govops.db"]
