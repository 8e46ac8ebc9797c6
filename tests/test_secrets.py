"""No secret is kept: SSH passwords, key passphrases and the PostgreSQL password.

`govops xc probe` and `govops drill run` log in to a real sshd on loopback
(tests/sshd.py) once with a password (a throwaway local account with a password,
created for the test and removed after it; sshd with PasswordAuthentication yes,
UsePAM no) and once with a passphrase-protected key. Each secret is typed at the
prompt of a real `govops` process on a pseudo-terminal, as a person types it.
sshd's own log proves which method let each login in. Then the secrets, as
typed, in base64 (every alignment, both alphabets) and in hex, are searched for
in everything the runs left: the database (the SQLite file; on PostgreSQL every
row of every table, as text), every file under the test's directory (the XDG
data, state, cache and config dirs the test sets, ansible-runner's private data
dirs with env/, inventory/ and artifacts/: command, stdout, stderr, job_events),
the terminal transcript, stdout and stderr. Not found anywhere.

A PostgreSQL URL with a password (the server trusts, so any password connects):
errors that name the URL (a database that does not exist, a port nothing
listens on, a malformed URL), a refused operation and `db info` print it masked,
and no audit row or output holds it.

Without sshd, root (for the throwaway account) or useradd, these tests skip
locally and fail under CI=true.
"""

from __future__ import annotations

import base64
import copy
import json
import os
import pickle
import re
import secrets
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, Cli
from sshd import (
    Sshd,
    SshdPool,
    fixture_client_key,  # noqa: F401
    fixture_sshd_pool,  # noqa: F401
    no_sshd,
    require_sshd,
)
from test_ssh import ssh_keygen_fingerprint

from infra import ssh

REMOTE_PY = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable
TIMEOUT = 120  # seconds for one govops process on a loaded machine


# ---------------------------------------------------------------- what to look for


def needles(secret: str) -> list[bytes]:
    """The secret as typed, in hex (both cases) and in base64 at each of the three
    alignments it can have inside a longer encoded text, standard and URL-safe."""
    raw = secret.encode()
    found = [raw, raw.hex().encode(), raw.hex().upper().encode()]
    for pad in range(3):
        enc = base64.b64encode(b"\0" * pad + raw)
        # The characters that depend on the secret alone: drop the group that
        # holds padding bytes and the last group (it depends on what follows).
        core = enc[4 if pad else 0 : len(enc) - 4]
        found += [core, core.replace(b"+", b"-").replace(b"/", b"_")]
    return [n for n in found if len(n) >= 8]


def leaks(data: bytes, *secret_list: str) -> list[str]:
    """Which secrets (and in which form) `data` holds."""
    return [f"{s[:3]}… as {n[:12]!r}" for s in secret_list for n in needles(s) if n in data]


def scan_tree(root: Path, *secret_list: str) -> int:
    """Search every file under `root` (symlinks not followed); returns how many."""
    looked = 0
    for dirpath, _dirs, files in os.walk(root):
        for name in files:
            path = Path(dirpath) / name
            if path.is_symlink() or not path.is_file():
                continue
            found = leaks(path.read_bytes(), *secret_list)
            assert not found, (path, found)
            looked += 1
    return looked


def scan_shm(*secret_list: str) -> None:
    """Ansible's ssh_askpass puts the password in a shared-memory segment for each
    ssh command and removes it after: none may be left behind in /dev/shm."""
    shm = Path("/dev/shm")
    if not shm.is_dir():
        return
    for entry in shm.iterdir():
        try:
            data = entry.read_bytes() if entry.is_file() else b""
        except OSError:
            continue
        assert not leaks(data, *secret_list), entry


def scan_database(db: str, *secret_list: str) -> int:
    """Every row of every table, as the database prints it (PostgreSQL: each row
    cast to text, so every column of every type is in it); for SQLite the file's
    bytes are searched by scan_tree. Returns the rows looked at."""
    if not db.startswith(("postgres://", "postgresql://")):
        import sqlite3

        conn = sqlite3.connect(db)
        try:
            tables = [
                r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
            ]
            rows = 0
            for t in tables:
                for row in conn.execute(f'SELECT * FROM "{t}"'):
                    assert not leaks(repr(row).encode(), *secret_list), (t, row)
                    rows += 1
            return rows
        finally:
            conn.close()
    import psycopg

    rows = 0
    with psycopg.connect(db) as conn:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT table_name FROM information_schema.tables"
                " WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
            )
        ]
        assert tables
        for t in tables:
            for (text,) in conn.execute(f'SELECT t::text FROM "{t}" AS t'):
                assert not leaks(text.encode(), *secret_list), (t, text[:200])
                rows += 1
    return rows


# ---------------------------------------------------------------- a real govops on a terminal


@dataclass
class Typed:
    rc: int
    tty: str
    stdout: str
    stderr: str


def govops_on_a_tty(
    tmp_path: Path, db: str, args: list[str], answers: list[tuple[str, str]]
) -> Typed:
    """Run `govops --db DB ARGS` with a pseudo-terminal as its controlling terminal
    (getpass reads /dev/tty), stdout and stderr to files; answer each prompt."""
    import pexpect

    io = tmp_path / "io"
    io.mkdir(exist_ok=True)
    n = len(list(io.iterdir())) // 2
    out, err = io / f"{n}.stdout", io / f"{n}.stderr"
    script = 'exec "$0" -m govops "$@" >"$GOVOPS_T_OUT" 2>"$GOVOPS_T_ERR"'
    env = {**os.environ, "GOVOPS_T_OUT": str(out), "GOVOPS_T_ERR": str(err), "TERM": "dumb"}
    child = pexpect.spawn(
        "/bin/sh",
        ["-c", script, sys.executable, "--db", db, *args],
        cwd=str(ROOT),
        env=env,
        timeout=TIMEOUT,
        encoding="utf-8",
    )
    transcript: list[str] = []
    try:
        for prompt, answer in answers:
            child.expect_exact(prompt)
            transcript.append(str(child.before) + str(child.after))
            child.sendline(answer)
        child.expect(pexpect.EOF)
        transcript.append(str(child.before))
    finally:
        child.close()
    rc = child.exitstatus if child.exitstatus is not None else -1
    return Typed(rc, "".join(transcript), out.read_text(), err.read_text())


# ---------------------------------------------------------------- the host and its account


@dataclass
class Account:
    name: str
    home: Path


@pytest.fixture
def password() -> str:
    return "pw-" + secrets.token_hex(12)


@pytest.fixture
def passphrase() -> str:
    return "pp-" + secrets.token_hex(12)


@pytest.fixture
def account(password: str) -> Iterator[Account]:
    """A local account with `password`, removed (with its home) afterwards."""
    if os.geteuid() != 0:
        no_sshd("a throwaway account with a password needs root")
    for tool in ("useradd", "chpasswd", "userdel"):
        if shutil.which(tool) is None:
            no_sshd(f"no {tool} (apt-get install passwd)")
    name = "gvt" + secrets.token_hex(4)
    home = Path("/tmp") / f"govops-secret-{name}"
    subprocess.run(
        ["useradd", "--create-home", "--home-dir", str(home), "--shell", "/bin/sh", name],
        check=True,
        capture_output=True,
    )
    try:
        subprocess.run(
            ["chpasswd"], input=f"{name}:{password}\n", text=True, check=True, capture_output=True
        )
        yield Account(name, home)
    finally:
        subprocess.run(["userdel", "--force", "--remove", name], capture_output=True)
        shutil.rmtree(home, ignore_errors=True)


@pytest.fixture
def locked_key(tmp_path: Path, passphrase: str) -> Path:
    """A key pair whose private half is encrypted with `passphrase`."""
    require_sshd()  # ssh-keygen
    path = tmp_path / "keys" / "id_locked"
    path.parent.mkdir()
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", passphrase, "-C", "locked", "-f", str(path)],
        check=True,
        capture_output=True,
    )
    return path


@pytest.fixture
def host(sshd_pool: SshdPool, locked_key: Path, account: Account) -> Sshd:
    """One sshd taking passwords and the locked key (for any account: the
    authorized_keys file is the pool's own), logging each accepted login."""
    [server] = sshd_pool.start(
        1, extra=("PasswordAuthentication=yes", "UsePAM=no", "LogLevel=VERBOSE")
    )
    with (sshd_pool.root / "authorized_keys").open("a") as f:
        f.write(locked_key.with_suffix(".pub").read_text())
    return server


def accepted(server: Sshd) -> list[str]:
    """sshd's "Accepted <method> for <user>" lines, in order."""
    return re.findall(r"Accepted \S+ for \S+.*", server.log.read_text(errors="replace"))


@pytest.fixture
def dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every XDG dir inside the test's directory, so whatever govops, Ansible or
    ansible-runner writes lands where it is searched."""
    for var in ("XDG_STATE_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME"):
        monkeypatch.setenv(var, str(tmp_path / var.lower()))
    monkeypatch.setenv("GOVOPS_KEEP_RUNS", "100")
    monkeypatch.delenv("SSH_AUTH_SOCK", raising=False)  # only what the test gives logs in
    return tmp_path


# ---------------------------------------------------------------- probe and drill


@pytest.mark.slow
def test_probe_and_drill_with_a_password_and_a_passphrase_keep_neither(
    db_url: str,
    dirs: Path,
    host: Sshd,
    account: Account,
    locked_key: Path,
    password: str,
    passphrase: str,
) -> None:
    tmp_path = dirs
    cli = Cli(db_url)
    address, port = host.hosts[0], str(host.port)
    known = tmp_path / "known_hosts"
    known.write_text("".join(line + "\n" for line in host.known_hosts_lines()))
    cli.ok("dept", "add", "部门秘密", "--code", "SEC")
    # The throwaway account logs in with its password; root with the locked key
    # (the account cannot read the pool's authorized_keys, and root has no
    # password here): each login proves the secret it was meant to use.
    logins = {"PW": account.name, "PP": "root"}
    for tag, user in logins.items():
        cli.ok("xc", "asset", "add", "--kind", "server", "--dept", "SEC", "--serial", f"SN-{tag}",
               "--cpu", "kunpeng", "--os", "kylin", "--host", address, "--ssh-user", user)  # fmt: skip
        cli.ok("host", "add", f"web-{tag.lower()}", "--address", address, "--port", port,
               "--user", user, "--python", REMOTE_PY)  # fmt: skip
    probe = ["xc", "probe", "--port", port, "--known-hosts", str(known), "--timeout", "60",
             "--format", "json"]  # fmt: skip
    drill = ["drill", "run", "--checks", "perm-passwd", "--known-hosts", str(known),
             "--format", "json"]  # fmt: skip
    with_password = [("SSH password: ", password)]
    with_passphrase = [("Key passphrase: ", passphrase)]
    key = ["--key", str(locked_key)]
    # A wrong password first (before Ansible keeps a connection open to reuse):
    # the host is unreachable, and the reason recorded does not quote it.
    wrong = "pw-" + secrets.token_hex(12)
    typed_wrong = [("SSH password: ", wrong)]
    missed = [
        govops_on_a_tty(tmp_path, db_url, [*probe, "SN-PW", "--ask-password"], typed_wrong),
        govops_on_a_tty(
            tmp_path, db_url, [*drill, "--name", "wrong", "-l", "web-pw", "--ask-pass"], typed_wrong
        ),
    ]
    assert [r.rc for r in missed] == [0, 0], [(r.stdout, r.stderr) for r in missed]
    [row] = json.loads(missed[0].stdout)
    assert row["outcome"] == "unreachable" and "authentication failed" in row["reason"], row
    assert json.loads(missed[1].stdout)["unreachable"] == 1
    [failed] = cli.json("drill", "results", "wrong")
    assert failed["status"] == "unreachable" and failed["evidence"], failed
    runs = [
        # The probe: the password at its prompt, then the locked key and its passphrase.
        govops_on_a_tty(tmp_path, db_url, [*probe, "SN-PW", "--ask-password"], with_password),
        govops_on_a_tty(
            tmp_path, db_url, [*probe, "SN-PP", *key, "--ask-passphrase"], with_passphrase
        ),
        # The drill: the same, typed at govops' prompt, given to ansible-playbook's.
        govops_on_a_tty(
            tmp_path, db_url, [*drill, "--name", "pw", "-l", "web-pw", "--ask-pass"], with_password
        ),
        govops_on_a_tty(
            tmp_path,
            db_url,
            [
                *drill,
                "--name",
                "pp",
                "-l",
                "web-pp",
                "--private-key",
                str(locked_key),
                "--ask-passphrase",
            ],  # fmt: skip
            with_passphrase,
        ),
    ]
    for r in runs:
        assert r.rc == 0, (r.stdout, r.stderr)
    for r in runs[:2]:
        [row] = json.loads(r.stdout)
        assert row["outcome"] != "unreachable", row["reason"]
    for r in runs[2:]:
        summary = json.loads(r.stdout)
        assert summary["unreachable"] == 0 and summary["results"]["pass"] == 1, summary

    # Each login went in the way it was meant to: sshd says so.
    key_fp = ssh_keygen_fingerprint(locked_key.with_suffix(".pub"))
    seen = accepted(host)
    by_password = [ln for ln in seen if ln.startswith(f"Accepted password for {account.name} ")]
    by_key = [ln for ln in seen if ln.startswith("Accepted publickey for root ")]
    # One login each for the probe; Ansible may open a second connection.
    assert 2 <= len(by_password) <= 4 and 2 <= len(by_key) <= 4, seen
    assert all(key_fp in ln for ln in by_key), by_key
    assert len(seen) == len(by_password) + len(by_key), seen

    # Nothing holds either secret: output, the terminal, every file, the database.
    both = (password, passphrase, wrong)
    runs += missed
    for r in runs:
        for text in (r.tty, r.stdout, r.stderr):
            assert not leaks(text.encode(), *both), (text[:300], leaks(text.encode(), *both))
    runs_dir = tmp_path / "xdg" / "govops" / "runs"
    run_dirs = [p for p in runs_dir.iterdir() if p.is_dir()]
    assert len(run_dirs) == 3
    for run in run_dirs:
        assert not (run / "env" / "passwords").exists()
        assert not (run / "env" / "ssh_key").exists()
        [artifact] = (run / "artifacts").iterdir()
        command = json.loads((artifact / "command").read_text())
        assert "--ask-pass" in command["command"]
        assert command["env"]["ANSIBLE_SSH_PASSWORD_MECHANISM"] == "ssh_askpass"
        assert len(list((artifact / "job_events").iterdir())) > 3
        # ansible-playbook asked, and ansible-runner answered without an echo.
        assert "SSH password:" in (artifact / "stdout").read_text()
    assert scan_tree(tmp_path, *both) > 30
    assert scan_database(db_url, *both) > 10
    scan_shm(*both)
    audit = cli.json("audit", "list", "-n", "1000")
    assert audit and not leaks(json.dumps(audit, ensure_ascii=False).encode(), *both)


def test_a_wrong_or_missing_passphrase_is_one_line_without_it(
    sqlite_cli: Cli, dirs: Path, locked_key: Path, passphrase: str
) -> None:
    """The key is refused before any host is tried, in one line that never
    quotes what was typed."""
    sqlite_cli.ok("dept", "add", "部门秘密", "--code", "SEC")
    sqlite_cli.ok("xc", "asset", "add", "--kind", "server", "--dept", "SEC", "--serial", "SN-1",
                  "--cpu", "kunpeng", "--os", "kylin", "--host", "127.0.0.8")  # fmt: skip
    args = ["xc", "probe", "SN-1", "--key", str(locked_key), "--timeout", "5"]
    before = sqlite_cli.json("xc", "probe", "--report")
    audited = sqlite_cli.json("audit", "list", "-n", "1000")
    wrong = "pp-" + secrets.token_hex(12)
    typed = govops_on_a_tty(
        dirs, sqlite_cli.db, [*args, "--ask-passphrase"], [("Key passphrase: ", wrong)]
    )
    assert typed.rc == 1 and typed.stdout == ""
    assert typed.stderr.strip() == (
        f"govops: key {locked_key}: cannot be used (wrong passphrase, or not a key)"
    )
    missing = sqlite_cli(*args)
    assert missing.exit_code == 1
    assert "is encrypted: give its passphrase" in missing.stderr
    for text in (typed.tty, typed.stdout, typed.stderr):
        assert not leaks(text.encode(), wrong, passphrase)
    scan_tree(dirs, wrong, passphrase)
    # Refused before any host was tried: nothing recorded, nothing audited.
    assert sqlite_cli.json("xc", "probe", "--report") == before
    assert sqlite_cli.json("audit", "list", "-n", "1000") == audited


def test_a_secret_never_shows_pickles_or_copies() -> None:
    value = "pw-" + secrets.token_hex(12)
    secret = ssh.Secret(value)
    auth = ssh.Auth(password=secret, passphrase=ssh.Secret(value + "x"))
    for text in (repr(secret), str(secret), f"{secret}", f"{secret!r}", repr(auth), str(auth)):
        assert value not in text
    for act in (pickle.dumps, copy.copy, copy.deepcopy):
        with pytest.raises(TypeError):
            act(secret)
    assert secret.reveal() == value


def test_an_emergency_block_logs_in_with_a_passphrase_and_keeps_it_nowhere(
    dirs: Path, host: Sshd, locked_key: Path, passphrase: str
) -> None:
    """`drill block --ask-passphrase` (checked only: the firewall stays as it is) on a
    host that takes only the locked key: a wrong passphrase leaves the host
    unreachable, the right one logs in with the key (sshd says so), and neither is
    written anywhere."""
    tmp_path = dirs
    db = str(tmp_path / "block.db")
    cli = Cli(db)
    address, port = host.hosts[0], str(host.port)
    known = tmp_path / "known_hosts"
    known.write_text("".join(line + "\n" for line in host.known_hosts_lines()))
    cli.ok("host", "add", "fw-1", "--address", address, "--port", port, "--user", "root",
           "--python", REMOTE_PY)  # fmt: skip
    block = ["drill", "block", "203.0.113.7", "--reason", "红队扫描", "--check",
             "--known-hosts", str(known), "--private-key", str(locked_key),
             "--ask-passphrase", "--format", "json"]  # fmt: skip
    wrong = "pp-" + secrets.token_hex(12)
    missed = govops_on_a_tty(tmp_path, db, block, [("Key passphrase: ", wrong)])
    assert missed.rc == 1, (missed.stdout, missed.stderr)
    assert json.loads(missed.stdout)["outcomes"] == {"unreachable": 1}
    assert not accepted(host)
    done = govops_on_a_tty(tmp_path, db, block, [("Key passphrase: ", passphrase)])
    assert done.rc == 0, (done.stdout, done.stderr)
    [outcome] = json.loads(done.stdout)["hosts"]
    assert outcome["outcome"] in ("applied", "unchanged"), outcome
    key_fp = ssh_keygen_fingerprint(locked_key.with_suffix(".pub"))
    seen = accepted(host)
    assert seen and all(ln.startswith("Accepted publickey for root ") for ln in seen), seen
    assert all(key_fp in ln for ln in seen), seen
    for r in (missed, done):
        for text in (r.tty, r.stdout, r.stderr):
            assert not leaks(text.encode(), passphrase, wrong)
    assert scan_tree(tmp_path, passphrase, wrong) > 5
    assert scan_database(db, passphrase, wrong) > 0


def test_the_drill_takes_one_secret_and_ansible_is_told_the_same(
    sqlite_cli: Cli, dirs: Path
) -> None:
    """Ansible's ssh connection carries one secret: both flags at once are a usage
    error before any prompt; a spec with both is refused before any run dir."""
    from infra import ansible
    from infra.errors import InvalidInput

    sqlite_cli.ok("host", "add", "lo", "--address", "127.0.0.1", "--local")
    done = sqlite_cli("drill", "run", "--name", "x", "--ask-pass", "--ask-passphrase")
    assert done.exit_code == 2 and "not both" in done.stderr
    assert sqlite_cli.json("drill", "list") == []
    done = sqlite_cli("provision", "vm-x", "--ask-pass", "--ask-passphrase")
    assert done.exit_code == 2 and "not both" in done.stderr
    spec = ansible.RunSpec(
        "ping.yml",
        {"all": {"hosts": ["lo"]}, "_meta": {"hostvars": {"lo": {"ansible_connection": "local"}}}},
        password=ssh.Secret("a"),
        passphrase=ssh.Secret("b"),
    )
    with pytest.raises(InvalidInput, match="one secret"):
        ansible.run(spec)
    assert not ansible.runs_dir().exists()


# ---------------------------------------------------------------- the PostgreSQL password


def with_password(url: str, secret: str, database: str | None = None) -> str:
    """`url` (postgresql://user@host:port/db?…) with a password, another database."""
    head, rest = url.split("://", 1)
    user, where = rest.split("@", 1)
    if database is not None:
        hostport, tail = where.split("/", 1)
        tail = database + (tail[tail.index("?") :] if "?" in tail else "")
        where = f"{hostport}/{tail}"
    return f"{head}://{user}:{secret}@{where}"


@pytest.mark.pg
def test_the_postgresql_password_is_masked_everywhere(
    pg_url: str, dirs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = "pg-" + secrets.token_hex(12)
    url = with_password(pg_url, secret)
    cli = Cli(url)
    said: list[Any] = []

    def run(c: Cli, *args: str, env: bool = False) -> Any:
        if env:  # the URL from GOVOPS_DB instead of --db
            monkeypatch.setenv("GOVOPS_DB", c.db)
            from typer.testing import CliRunner

            import govops

            result = CliRunner().invoke(govops.app, list(args))
            monkeypatch.setenv("GOVOPS_DB", str(dirs / "default.db"))
        else:
            result = c(*args)
        said.append(result)
        return result

    # It connects (trust), works, and db info shows the URL masked.
    assert run(cli, "dept", "add", "部门一", "--code", "D1").exit_code == 0
    info = run(cli, "db", "info")
    assert info.exit_code == 0 and "***" in info.stdout, info.stdout
    info_json = run(cli, "db", "info", "--format", "json")
    assert info_json.exit_code == 0
    # A refused operation, twice: on --db and on GOVOPS_DB.
    refused = run(cli, "dept", "add", "部门一", "--code", "D1")
    assert refused.exit_code == 1
    assert run(cli, "dept", "add", "部门一", "--code", "D1", env=True).exit_code == 1
    # Errors naming the URL: no such database, nothing listening, a malformed URL.
    nodb = run(Cli(with_password(pg_url, secret, "govops_no_such_db")), "db", "info")
    assert nodb.exit_code == 1 and "***" in nodb.stderr, nodb.stderr
    nodb_env = run(
        Cli(with_password(pg_url, secret, "govops_no_such_db")), "dept", "list", env=True
    )
    assert nodb_env.exit_code == 1
    closed = re.sub(r"@[^/]+/", "@127.0.0.1:1/", url, count=1)
    refused_port = run(Cli(closed), "dept", "list")
    assert refused_port.exit_code == 1 and "***" in refused_port.stderr, refused_port.stderr
    malformed = re.sub(r"@[^/]+/", "@127.0.0.1:notaport/", url, count=1)
    bad = run(Cli(malformed), "dept", "list")
    assert bad.exit_code in (1, 2)

    for result in said:
        for text in (result.stdout, result.stderr, str(result.exception or "")):
            assert not leaks(text.encode(), secret), (text[:300],)
    audit = run(cli, "audit", "list", "-n", "1000", "--format", "json")
    assert json.loads(audit.stdout) and not leaks(audit.stdout.encode(), secret)
    assert scan_database(pg_url, secret) > 0
    scan_tree(dirs, secret)
