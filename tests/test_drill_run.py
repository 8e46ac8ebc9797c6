"""`govops drill run` end to end: real sshd hosts on loopback (one sshd per host,
each with its own /etc/login.defs bind-mounted in, so a check's outcome is known),
one unreachable host, the checks playbook through ansible-runner, results stored
and read back through results, report and diff; refusals write nothing."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest
from conftest import Cli, one_line_error
from sshd import (
    Sshd,
    SshdPool,
    closed_port,
    fixture_client_key,  # noqa: F401
    fixture_sshd,  # noqa: F401
    fixture_sshd_pool,  # noqa: F401
)

from infra.drill import catalogue

REMOTE_PY = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable
CHECKS = "pwd-aging,perm-passwd,ssh-empty-passwords"


def login_defs(tmp_path: Path, name: str, max_days: int) -> Path:
    path = tmp_path / name
    path.write_text(f"# planted by the test\nPASS_MAX_DAYS\t{max_days}\nPASS_MIN_DAYS\t1\n")
    return path


def add_host(cli: Cli, name: str, address: str, port: int) -> None:
    cli.ok("host", "add", name, "--address", address, "--port", str(port), "--user", "root",
           "--python", REMOTE_PY, "--group", "drilled")  # fmt: skip


def known_hosts(path: Path, *servers: Sshd) -> Path:
    path.write_text("".join(line + "\n" for s in servers for line in s.known_hosts_lines()))
    return path


def drill(cli: Cli, key: Path, known: Path, *args: str):
    return cli("drill", "run", "--private-key", str(key), "--known-hosts", str(known), *args)


@pytest.fixture
def two_hosts(sqlite_cli: Cli, sshd_pool: SshdPool, tmp_path: Path, client_key: Path):
    """web-a (PASS_MAX_DAYS 99999: fails pwd-aging), web-b (60: passes), down (nothing
    listens); returns the cli, the known_hosts file and a spare good login.defs."""
    [a] = sshd_pool.start(1, overlay={"/etc/login.defs": login_defs(tmp_path, "bad", 99999)})
    good = login_defs(tmp_path, "good", 60)
    [b] = sshd_pool.start(1, overlay={"/etc/login.defs": good})
    add_host(sqlite_cli, "web-a", a.hosts[0], a.port)
    add_host(sqlite_cli, "web-b", b.hosts[0], b.port)
    add_host(sqlite_cli, "down", "127.0.0.8", closed_port())
    return sqlite_cli, known_hosts(tmp_path / "known_hosts", a, b), good


def by_pair(rows: list[dict]) -> dict[tuple[str, str], dict]:
    return {(r["host"], r["check"]): r for r in rows}


@pytest.mark.slow
def test_a_run_stores_every_host_and_check_and_compares(
    two_hosts, client_key: Path, sshd_pool: SshdPool
):
    cli, known, good = two_hosts
    done = drill(cli, client_key, known, "--name", "2026-pre", "--checks", CHECKS, "-f", "json")
    assert done.exit_code == 0, done.stderr
    summary = json.loads(done.stdout)
    assert (summary["hosts"], summary["unreachable"]) == (3, 1)
    rows = cli.json("drill", "results", "2026-pre")
    assert len(rows) == 9  # 3 hosts × 3 checks, the unreachable one included
    got = by_pair(rows)
    assert got[("web-a", "pwd-aging")]["status"] == "fail"
    assert "99999" in got[("web-a", "pwd-aging")]["actual"]
    assert got[("web-b", "pwd-aging")]["status"] == "pass"
    for check in CHECKS.split(","):
        row = got[("down", check)]
        assert row["status"] == "unreachable" and row["title"] and row["severity"]
    for row in rows:
        assert "$6$" not in (row["evidence"] or "") and "PRIVATE KEY" not in (row["evidence"] or "")
    listed = cli.json("drill", "list")
    assert listed[0]["name"] == "2026-pre" and listed[0]["status"] == "completed"

    report = cli.json("drill", "report", "2026-pre", "--by", "check")
    assert report["hosts"] == {"targeted": 3, "reachable": 2, "unreachable": 1, "failing": 1}
    aging = next(r for r in report["rows"] if r["check"] == "pwd-aging")
    assert (aging["pass"], aging["fail"], aging["unreachable"]) == (1, 1, 1)
    md = cli.ok("drill", "report", "2026-pre", "--format", "md").stdout
    assert "pwd-aging" in md and "web-a" in md

    # The weak host fixed (a new machine under the same name), the dead one retired.
    [fixed] = sshd_pool.start(1, overlay={"/etc/login.defs": good})
    cli.ok("host", "remove", "web-a")
    cli.ok("host", "remove", "down")
    add_host(cli, "web-a", fixed.hosts[0], fixed.port)
    known_hosts(known, fixed, *sshd_pool.servers)
    done = drill(cli, client_key, known, "--name", "2026-post", "--checks", CHECKS)
    assert done.exit_code == 0, done.stderr
    diff = cli.json("drill", "diff", "2026-pre", "2026-post")
    assert [(r["host"], r["check"]) for r in diff["fixed"]] == [("web-a", "pwd-aging")]
    assert diff["newly_failing"] == [] and [h["host"] for h in diff["hosts_gone"]] == ["down"]
    table = cli.ok("drill", "diff", "2026-pre", "2026-post").stdout
    assert "fixed: 1" in table and "hosts gone: down" in table


@pytest.mark.slow
def test_fail_on_fail_exits_1_and_check_mode_still_probes(two_hosts, client_key: Path):
    cli, known, _ = two_hosts
    done = drill(cli, client_key, known, "--name", "gate", "--checks", "pwd-aging",
                 "--limit", "web-a", "--check", "--fail-on", "fail")  # fmt: skip
    assert done.exit_code == 1, done.stderr
    [row] = cli.json("drill", "results", "gate")
    assert (row["host"], row["status"]) == ("web-a", "fail")  # ran for real under --check


@pytest.mark.slow
def test_the_whole_checklist_gives_every_check_a_valid_status(
    sqlite_cli: Cli, sshd: Sshd, client_key: Path, tmp_path: Path
):
    add_host(sqlite_cli, "web-a", sshd.hosts[0], sshd.port)
    known = known_hosts(tmp_path / "known_hosts", sshd)
    done = drill(sqlite_cli, client_key, known, "--name", "full", "--check")
    assert done.exit_code == 0, done.stderr
    rows = sqlite_cli.json("drill", "results", "full")
    assert [r["check"] for r in rows] == [c.id for c in catalogue.load()]
    assert {r["status"] for r in rows} <= {"pass", "fail", "manual", "n/a", "error"}
    assert sum(r["status"] == "error" for r in rows) == 0, [
        r for r in rows if r["status"] == "error"
    ]


def test_a_run_that_cannot_start_is_recorded_failed_and_exits_1(
    sqlite_cli: Cli, monkeypatch: pytest.MonkeyPatch
):
    sqlite_cli.ok("host", "add", "lo", "--address", "127.0.0.1", "--local")
    monkeypatch.setenv("GOVOPS_FORKS", "many")
    one_line_error(sqlite_cli("drill", "run", "--name", "broken"), "could not run")
    [run] = sqlite_cli.json("drill", "list")
    assert run["status"] == "failed" and run["error"]


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--name", ""], "name is empty"),
        (["--name", "12"], "all digits"),
        (["--name", "a\nb"], "one line"),
        (["--name", "x", "--checks", "no-such-check"], "no-such-check"),
        (["--name", "x", "--checks", ","], "no check named"),
        (["--name", "x", "--limit", "nobody"], "matches no host"),
    ],
)
def test_bad_requests_are_one_line_and_write_nothing(cli: Cli, args, fragment):
    cli.ok("host", "add", "lo", "--address", "127.0.0.1", "--local")
    before = cli.json("audit", "list", "-n", "1000")
    one_line_error(cli("drill", "run", *args), fragment)
    assert cli.json("drill", "list") == []
    assert cli.json("audit", "list", "-n", "1000") == before


def test_a_name_is_used_once(cli: Cli):
    from infra.drill import runs
    from infra.store import Store

    with Store(cli.db) as store:
        store.write(
            lambda tx: tx.execute(
                "INSERT INTO drill_run (name, started_at, actor, status) VALUES (?, ?, ?, ?)",
                ("2026-pre", tx.now, "t", "completed"),
            )
        )
    cli.ok("host", "add", "lo", "--address", "127.0.0.1", "--local")
    one_line_error(cli("drill", "run", "--name", "2026-pre"), "exists")
    assert runs.run_name(" 2026-post ") == "2026-post"


def test_evidence_never_keeps_a_hash_or_a_key():
    from infra.drill.runs import parse_result, redact

    planted = (
        "root:$6$salt$abcdefghijklmnopqrstuvwxyz0123456789:19000:0:99999:7:::\n"
        "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n"
        "-----END OPENSSH PRIVATE KEY-----\nalso $y$j9T$abcdefgh$ijklmnop"
    )
    clean = redact(planted)
    assert "$6$salt" not in clean and "b3BlbnNz" not in clean and "$y$j9T" not in clean
    out = parse_result("acct", {"stdout": json.dumps({"status": "fail", "evidence": planted})})
    assert out["status"] == "fail" and "$6$" not in (out["evidence"] or "")
    broken = parse_result("acct", {"stdout": "not json", "stderr": "boom"})
    assert broken["status"] == "error" and "boom" in (broken["evidence"] or "")


def test_findings_through_the_cli(cli: Cli):
    from infra.store import Store

    def seed(tx):
        run_id = tx.insert(
            "INSERT INTO drill_run (name, started_at, actor, status) VALUES (?, ?, ?, ?)",
            ("2026-pre", tx.now, "t", "completed"),
        )
        tx.execute(
            "INSERT INTO drill_host (run_id, host, kind) VALUES (?, ?, ?)",
            (run_id, "oa-web-01", "vm"),
        )

    with Store(cli.db) as store:
        store.write(seed)
    added = cli.json("drill", "finding", "add", "--drill", "2026-pre", "--title", "OA 弱口令",
                     "--severity", "high", "--host", "oa-web-01", "--by", "红队A")  # fmt: skip
    assert (added["status"], added["run"], added["reported_by"]) == ("open", "2026-pre", "红队A")
    one_line_error(cli("drill", "finding", "add", "--drill", "2026-pre", "--title", "x",
                       "--severity", "urgent"), "severity")  # fmt: skip
    closed = cli.json("drill", "finding", "close", str(added["id"]), "--fix", "password reset")
    assert closed["status"] == "closed" and closed["fix"] == "password reset"
    one_line_error(cli("drill", "finding", "close", str(added["id"]), "--fix", "again"), "closed")
    assert [f["id"] for f in cli.json("drill", "finding", "list", "--status", "closed")] == [
        added["id"]
    ]
    report = cli.json("drill", "report", "2026-pre")
    assert report["findings"]["closed"]["high"] == 1 and report["findings"]["open_total"] == 0
