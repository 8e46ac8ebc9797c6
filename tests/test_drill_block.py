"""`govops drill block` for real: the CLI, its address checks and its records, over
the block playbook on a real kernel firewall inside network namespaces the test
makes (see test_drill_block_playbook for the namespaces). Packets from a blocked
documentation address are dropped; others are not; undo lifts it; every attempt
is recorded with who, when, why and on which hosts it took."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import Cli, login_of, one_line_error
from test_drill_block_playbook import (
    BAD4,
    BAD6,
    GOOD4,
    GOOD6,
    Pair,
    fixture_pair,  # noqa: F401
)

GOVOPS = str(Path(sys.executable).parent / "govops")


def govops_in(pair: Pair, db: str, *args: str) -> subprocess.CompletedProcess[str]:
    """govops run inside the target namespace, as an operator on that host would."""
    return pair.sh(GOVOPS, "--db", db, *args, check=False)


@pytest.mark.slow
def test_block_and_undo_take_on_the_host_and_are_recorded(pair: Pair, tmp_path: Path):
    db = str(tmp_path / "drill.db")
    cli = Cli(db)
    cli.ok("host", "add", "gateway", "--address", "127.0.0.1", "--local",
           "--python", sys.executable, "--group", "edge")  # fmt: skip
    assert set(pair.probe().values()) == {"open"}

    done = govops_in(pair, db, "drill", "block", BAD4, BAD6, "--reason", "红队扫描", "-f", "json")
    assert done.returncode == 0, done.stderr
    record = json.loads(done.stdout)
    assert record["addresses"] == [BAD4, BAD6] and record["action"] == "block"
    assert record["hosts"][0]["host"] == "gateway" and record["hosts"][0]["outcome"] == "applied"
    assert pair.probe() == {BAD4: "dropped", GOOD4: "open", BAD6: "dropped", GOOD6: "open"}

    again = govops_in(pair, db, "drill", "block", BAD4, "--reason", "again", "-f", "json")
    assert json.loads(again.stdout)["hosts"][0]["outcome"] == "unchanged"

    undo = govops_in(pair, db, "drill", "block", BAD4, BAD6, "--undo", "--reason", "drill over")
    assert undo.returncode == 0, undo.stderr
    assert set(pair.probe().values()) == {"open"}

    blocks = cli.json("drill", "blocks")
    assert [(b["action"], b["reason"]) for b in blocks] == [
        ("unblock", "drill over"),
        ("block", "again"),
        ("block", "红队扫描"),
    ]
    assert all(b["actor"] == login_of(db) and b["at"] for b in blocks)
    actions = [r["action"] for r in cli.json("audit", "list", "--action", "drill.")]
    assert actions.count("drill.block") == 2 and actions.count("drill.unblock") == 1


@pytest.mark.parametrize(
    ("addresses", "fragment"),
    [
        (["0.0.0.0/0"], "wider than a /8"),
        (["10.0.0.0/7"], "wider than a /8"),
        (["2001:db8::/31"], "wider than a /32"),
        (["127.0.0.1"], "loopback"),
        (["224.0.0.1"], "multicast"),
        (["192.0.2.66/24"], "not an IP address"),
        (["example.org"], "not an IP address"),
        (["fe80::1%eth0"], "not an IP address"),
        (["10.10.0.0/16"], "managed host jump01"),
    ],
)
def test_addresses_that_must_not_be_blocked_are_refused(cli: Cli, addresses, fragment):
    cli.ok("host", "add", "jump01", "--address", "10.10.0.5")
    one_line_error(cli("drill", "block", *addresses, "--reason", "r"), fragment)
    assert cli.json("drill", "blocks") == []


def test_a_block_needs_a_reason_and_hosts(cli: Cli):
    one_line_error(cli("drill", "block", "203.0.113.7", "--reason", " "), "needs a reason")
    one_line_error(cli("drill", "block", "203.0.113.7", "--reason", "r"), "matches no host")
    assert cli.json("drill", "blocks") == []
