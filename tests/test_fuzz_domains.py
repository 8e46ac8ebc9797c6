"""Any text in any option or argument of the later domains (departments, cloud,
Xinchuang, hosts, drills, reports' dates): the command does its job, or refuses in
one line (exit 1, or 2 for usage), and a refused command leaves every table of the
database as it was (a digest of each table's rows before and after).

A command that succeeds changed nothing unless the audit log grew with it and still
verifies; one that only reads changed nothing at all. Nothing here reaches a network:
drill runs and blocks are given something that refuses them after their inputs are
parsed, and the probe only assets that have no host.
"""

from __future__ import annotations

import contextlib
import hashlib
import shutil
import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from conftest import Cli, one_line_error, usage_error
from hypothesis import (
    HealthCheck,
    assume,
    currently_in_test_context,
    event,
    example,
    given,
    settings,
)
from hypothesis import strategies as st
from test_cli_hostile import _TEXT as _NUMBERS
from test_cloud_setup import FIN, build, running
from test_drill_report import RUN1, RUN1_HOSTS, insert_run
from test_org_hostile import _TEXT as _REFERENCES
from test_plan_hostile import CASES

from infra import audit, db, hosts
from infra.drill import findings
from infra.store import Store
from infra.xc import apps, assets
from infra.xc import budget as ledger

# -- the seed: something of every domain, small enough to build per PostgreSQL test --

RUN = "drill-2024-05"
NO_HOST = "no-such-host-x"  # a limit that picks no host: a drill run or block stops there


def seed(store: Store) -> None:
    """The small cloud of test_cloud_setup, a VM of each early status, a Xinchuang
    ledger (assets without a host, so that a probe reaches nothing), a plain host, a
    completed drill run with a finding."""
    build(store)
    running(store, "cz-web-01")
    from infra.cloud import vms

    vms.request(store, "req-01", FIN, 2, 4, 40)
    vms.request(store, "apr-01", FIN, 1, 2, 20)
    vms.approve(store, "apr-01")
    ledger.set_phase(store, 1, "600000", "2025-01-01", "2025-12-31")
    assets.add(store, assets.Fields.check("SN-0001", "terminal", "YC-CZ", cpu="hygon", phase=1))
    assets.add(store, assets.Fields.check("SN-0002", "server", "HY-GA", os="kylin", cost="9.5"))
    apps.add(store, "财政一体化", "YC-CZ", phase=1, os="kylin")
    hosts.add(store, hosts.HostFields("jump01", "10.10.0.5", groups=["jump"], dept="HY-GA"))
    insert_run(store, RUN, RUN1_HOSTS, RUN1)
    findings.add(store, RUN, "弱口令", "high", host="ga-db-1", reported_by="红队A")


def digest(store: Store) -> dict[str, str]:
    """Each table's rows, hashed in a stable order."""

    def read(tx: Any) -> dict[str, str]:
        out = {}
        for name in db.tables(tx):
            rows = sorted(repr(tuple(dict(r).values())) for r in tx.all(f'SELECT * FROM "{name}"'))
            out[name] = hashlib.sha256("\n".join(rows).encode("utf-8", "surrogatepass")).hexdigest()
        return out

    return store.read(read)


def audit_rows(store: Store) -> int:
    return int(store.read(lambda tx: tx.scalar("SELECT count(*) FROM audit")))


# -- hostile values --------------------------------------------------------------

_DOMAIN = st.sampled_from(
    [
        # days
        "2025-01-01", "2025-02-30", "2024-13-45", "0001-01-01", "9999-12-31", "1999-12-31",
        "2025/1/1", "20250101", "2025-01-01T00:00", "today", "２０２５-０１-０１", "2025-1-1",
        "-2025-01-01", "2025-01-01\x00", "45000", "10000-01-01",
        # money, counts, ports
        "86000", "86000.005", "0.01", "1e9", "9" * 30, "１２", "1,000", "-0", "+5", "0x10",
        "443/tcp", "0/tcp", "65536", "22/sctp", "443/tcp,443/tcp", "none", ",", "80-90/tcp",
        "443/TCP", "53/udp,", "tcp",
        # addresses and networks
        "10.90.1.30", "10.90.1.0", "10.90.1.255", "::1", "203.0.113.7", "0.0.0.0/0",
        "10.0.0.0/7", "fe80::1%eth0", "999.1.1.1", "10.10.0.0/16", "2001:db8::/31",
        # what the seed holds, so that a good value also finds something
        "YC-CZ", "HY-GA", "ZR", FIN, "警务云", "x1", "a1", "cz-web-01", "req-01", "apr-01",
        "SN-0001", "SN-0002", RUN, "1", "2", "3", "jump01", "jump", "kylin", "kunpeng",
        "terminal", "server", "online", "adapting", "accepted", "retired", "high", "info",
        "dept", "phase", "kind", "node", "x86_64", "aarch64", "ga-db-1", "open", "closed",
        "all", "localhost", "*", "!jump01", "jump:&dept_HY_GA", "ssh-root-login", "zh", "en",
        # long, right-to-left, zero-width
        "x" * 5000, "名" * 300, "a\u200bb", "\u202ecz-web-01", "\u2066x\u2069", "\ufeffYC-CZ",
        "ا" * 20, "YC-CZ\u200d",
    ]
)  # fmt: skip

VALUES = st.one_of(_REFERENCES, _NUMBERS, _DOMAIN)


# -- commands: "{}" is where the value goes; R marks a command that only reads ------

R, W = "read", "write"

DEPT = [
    (W, "dept", "add", "--code={}", "--org=441602000000", "--", "新局"),
    (W, "dept", "add", "--org={}", "--", "新局"),
    (W, "dept", "add", "--", "{}"),
    (W, "dept", "rename", "--", "YC-CZ", "{}"),
    (W, "dept", "rename", "--", "{}", "新名"),
    (W, "dept", "move", "--", "ZR", "{}"),
    (W, "dept", "remove", "--", "{}"),
    (R, "dept", "show", "--", "{}"),
    (R, "dept", "list", "--org={}"),
]

NODE = ("cloud", "node", "add")
NODE_SIZE = ("--cores=8", "--ram-gb=64", "--disk-gb=100")
REQ = ("cloud", "vm", "request")
REQ_SIZE = ("--cores=2", "--ram-gb=4", "--disk-gb=40")
CLOUD = [
    (W, *NODE, "--cores={}", "--ram-gb=64", "--disk-gb=100", "--", "n9"),
    (W, *NODE, "--cores=8", "--ram-gb={}", "--disk-gb=100", "--", "n9"),
    (W, *NODE, "--cores=8", "--ram-gb=64", "--disk-gb={}", "--", "n9"),
    (W, *NODE, *NODE_SIZE, "--cpu-ratio={}", "--", "n9"),
    (W, *NODE, *NODE_SIZE, "--ram-ratio={}", "--", "n9"),
    (W, *NODE, *NODE_SIZE, "--disk-ratio={}", "--", "n9"),
    (W, *NODE, *NODE_SIZE, "--reserved-cores={}", "--", "n9"),
    (W, *NODE, *NODE_SIZE, "--reserved-ram-gb={}", "--", "n9"),
    (W, *NODE, *NODE_SIZE, "--arch={}", "--", "n9"),
    (W, *NODE, *NODE_SIZE, "--ram-ratio=2", "--force", "--reason={}", "--", "n9"),
    (W, *NODE, *NODE_SIZE, "--", "{}"),
    (R, "cloud", "node", "show", "--", "{}"),
    (W, "cloud", "quota", "set", "--vms={}", "--", "YC-CZ"),
    (W, "cloud", "quota", "set", "--cores={}", "--ram-gb=none", "--", "YC-CZ"),
    (W, "cloud", "quota", "set", "--disk-gb={}", "--", "HY-GA"),
    (W, "cloud", "quota", "set", "--vms=3", "--", "{}"),
    (W, "cloud", "settings", "subnet-pool", "{}"),
    (W, "cloud", "settings", "subnet-size", "{}"),
    (W, "cloud", "settings", "{}", "10.80.0.0/16"),
    (W, "cloud", "system", "add", "--dept={}", "--", "s-1"),
    (W, "cloud", "system", "add", "--dept=ZR", "--mlps-level={}", "--", "s-1"),
    (W, "cloud", "system", "add", "--dept=ZR", "--subnet={}", "--", "s-1"),
    (W, "cloud", "system", "add", "--dept=ZR", "--subnet=auto", "--vrf={}", "--", "s-1"),
    (W, "cloud", "system", "add", "--dept=ZR", "--port={}", "--port=443/tcp", "--", "s-1"),
    (W, "cloud", "system", "add", "--dept=ZR", "--", "{}"),
    (W, "cloud", "system", "set-ports", "--", FIN, "{}"),
    (W, "cloud", "system", "set-ports", "--", "{}", "443/tcp"),
    (R, "cloud", "system", "show", "--", "{}"),
    (R, "cloud", "system", "list", "--dept={}"),
    (W, *REQ, "--system=" + FIN, "--cores={}", "--ram-gb=4", "--disk-gb=40", "--", "v-1"),
    (W, *REQ, "--system=" + FIN, "--cores=2", "--ram-gb={}", "--disk-gb=40", "--", "v-1"),
    (W, *REQ, "--system=" + FIN, "--cores=2", "--ram-gb=4", "--disk-gb={}", "--", "v-1"),
    (W, *REQ, "--system={}", *REQ_SIZE, "--", "v-1"),
    (W, *REQ, "--system=" + FIN, *REQ_SIZE, "--os={}", "--", "v-1"),
    (W, *REQ, "--system=" + FIN, *REQ_SIZE, "--arch={}", "--", "v-1"),
    (W, *REQ, "--system=" + FIN, *REQ_SIZE, "--node={}", "--", "v-1"),
    (W, *REQ, "--system=" + FIN, *REQ_SIZE, "--", "{}"),
    (W, "cloud", "vm", "approve", "--", "{}"),
    (W, "cloud", "vm", "approve", "--force", "--reason={}", "--", "req-01"),
    (W, "cloud", "vm", "reject", "--reason={}", "--", "req-01"),
    (W, "cloud", "vm", "provision", "--ip={}", "--", "apr-01"),
    (W, "cloud", "vm", "provision", "--", "{}"),
    (W, "cloud", "vm", "resize", "--cores={}", "--", "cz-web-01"),
    (W, "cloud", "vm", "resize", "--ram-gb={}", "--", "req-01"),
    (W, "cloud", "vm", "resize", "--disk-gb={}", "--force", "--reason=r", "--", "cz-web-01"),
    (W, "cloud", "vm", "stop", "--reason={}", "--", "cz-web-01"),
    (W, "cloud", "vm", "start", "--", "{}"),
    (W, "cloud", "vm", "decommission", "--reason={}", "--", "cz-web-01"),
    (R, "cloud", "vm", "show", "--", "{}"),
    (R, "cloud", "vm", "list", "--dept={}"),
    (R, "cloud", "vm", "list", "--system={}"),
    (R, "cloud", "vm", "list", "--node={}"),
    (R, "cloud", "vm", "list", "--status={}"),
    (R, "cloud", "usage", "--by={}"),
    (W, "cloud", "vm", "export", "--output=./{}"),
    (W, "cloud", "vm", "export", "--output=./v.csv", "--format={}"),
    (R, "cloud", "stats", "--since={}"),
    (R, "cloud", "stats", "--since=2025-01-01", "--until={}"),
]

ASSET = ("xc", "asset", "add", "--kind=server", "--dept=YC-CZ")
XC = [
    (W, "xc", "asset", "add", "--kind={}", "--dept=YC-CZ", "--serial=SN-9"),
    (W, "xc", "asset", "add", "--kind=terminal", "--dept={}", "--serial=SN-9"),
    (W, *ASSET, "--serial={}"),
    (W, *ASSET, "--serial=SN-9", "--model={}"),
    (W, *ASSET, "--serial=SN-9", "--cpu={}"),
    (W, *ASSET, "--serial=SN-9", "--os={}"),
    (W, *ASSET, "--serial=SN-9", "--phase={}"),
    (W, *ASSET, "--serial=SN-9", "--cost={}"),
    (W, *ASSET, "--serial=SN-9", "--host={}"),
    (W, *ASSET, "--serial=SN-9", "--ssh-user={}"),
    (W, *ASSET, "--serial=SN-9", "--org={}"),
    (W, *ASSET, "--serial=SN-9", "--date={}"),
    (W, "xc", "asset", "set-status", "--", "SN-0001", "{}"),
    (W, "xc", "asset", "set-status", "--", "{}", "delivered"),
    (W, "xc", "asset", "set-status", "--date={}", "--", "SN-0001", "installed"),
    (W, "xc", "asset", "set-status", "--force", "--reason={}", "--", "SN-0001", "planned"),
    (R, "xc", "asset", "show", "--", "{}"),
    (R, "xc", "asset", "list", "--dept={}"),
    (R, "xc", "asset", "list", "--phase={}"),
    (R, "xc", "asset", "list", "--kind={}"),
    (R, "xc", "asset", "list", "--status={}"),
    (W, "xc", "app", "add", "--dept={}", "--", "新系统"),
    (W, "xc", "app", "add", "--dept=YC-CZ", "--", "{}"),
    (W, "xc", "app", "add", "--dept=YC-CZ", "--phase={}", "--", "新系统"),
    (W, "xc", "app", "add", "--dept=YC-CZ", "--os={}", "--", "新系统"),
    (W, "xc", "app", "add", "--dept=YC-CZ", "--db={}", "--", "新系统"),
    (W, "xc", "app", "add", "--dept=YC-CZ", "--middleware={}", "--", "新系统"),
    (W, "xc", "app", "add", "--dept=YC-CZ", "--date={}", "--", "新系统"),
    (W, "xc", "app", "add", "--dept=YC-CZ", "--catalogue=./{}", "--", "新系统"),
    (W, "xc", "app", "set-status", "--", FIN, "{}"),
    (W, "xc", "app", "set-status", "--", "{}", "adapting"),
    (W, "xc", "app", "set-status", "--date={}", "--", FIN, "adapted"),
    (R, "xc", "app", "show", "--", "{}"),
    (R, "xc", "app", "list", "--dept={}"),
    (R, "xc", "app", "list", "--phase={}"),
    (R, "xc", "app", "list", "--status={}"),
    (W, "xc", "phase", "set", "--budget=100", "--", "{}"),
    (W, "xc", "phase", "set", "--budget={}", "--", "2"),
    (W, "xc", "phase", "set", "--budget=100", "--start={}", "--", "2"),
    (W, "xc", "phase", "set", "--budget=100", "--start=2026-01-01", "--end={}", "--", "2"),
    (W, "xc", "asset", "export", "--output=./{}"),
    (W, "xc", "asset", "export", "--output=./a.xlsx", "--format={}"),
    (R, "xc", "progress", "--by={}"),
    (R, "xc", "catalogue", "--kind={}"),
    (R, "xc", "catalogue", "--catalogue=./{}"),
    (R, "xc", "stats", "--since={}"),
    (R, "xc", "stats", "--until={}"),
    (R, "xc", "classify", "--", "./{}"),
    # the probe, before any network: only assets without a host are named
    (W, "xc", "probe", "--", "{}"),
    (W, "xc", "probe", "--dept={}"),
    (W, "xc", "probe", "--parallel={}", "--", "SN-0001"),
    (W, "xc", "probe", "--timeout={}", "--", "SN-0001"),
    (W, "xc", "probe", "--port={}", "--", "SN-0001"),
    (W, "xc", "probe", "--user={}", "--", "SN-0001"),
    (W, "xc", "probe", "--key=./{}", "--", "SN-0001"),
    (W, "xc", "probe", "--known-hosts=./{}", "--", "SN-0001"),
    (W, "xc", "probe", "--catalogue=./{}", "--", "SN-0001"),
    (R, "xc", "probe", "--report", "--dept={}"),
    (R, "xc", "probe", "--report", "--", "{}"),
]

HOSTS = [
    (W, "host", "add", "--address={}", "--", "h1"),
    (W, "host", "add", "--address=10.10.0.9", "--", "{}"),
    (W, "host", "add", "--address=10.10.0.9", "--port={}", "--", "h1"),
    (W, "host", "add", "--address=10.10.0.9", "--user={}", "--", "h1"),
    (W, "host", "add", "--address=10.10.0.9", "--group={}", "--", "h1"),
    (W, "host", "add", "--address=10.10.0.9", "--dept={}", "--", "h1"),
    (W, "host", "add", "--address=10.10.0.9", "--org={}", "--", "h1"),
    (W, "host", "add", "--address=10.10.0.9", "--os={}", "--", "h1"),
    (W, "host", "add", "--address=10.10.0.9", "--cpu={}", "--", "h1"),
    (W, "host", "add", "--address=10.10.0.9", "--python={}", "--", "h1"),
    (W, "host", "remove", "--", "{}"),
    (R, "host", "show", "--", "{}"),
    (R, "host", "list", "--group={}"),
    (W, "inventory", "export", "--output=./{}"),
]

DRILL = [
    # a run: the name with a limit that picks nothing; the rest with a name in use
    (W, "drill", "run", f"--limit={NO_HOST}", "--name={}"),
    (W, "drill", "run", f"--name={RUN}", "--limit={}"),
    (W, "drill", "run", f"--name={RUN}", "--checks={}"),
    (W, "drill", "run", f"--name={RUN}", "--forks={}"),
    (W, "drill", "run", f"--name={RUN}", "--fail-on={}"),
    (W, "drill", "run", f"--name={RUN}", "--private-key=./{}"),
    # a block: what jump01 (10.10.0.5) stands in refuses it after the limit is read
    (W, "drill", "block", "--reason=r", f"--limit={NO_HOST}", "--", "{}"),
    (W, "drill", "block", "--reason={}", f"--limit={NO_HOST}", "--", "203.0.113.7"),
    (W, "drill", "block", "--reason=r", "--limit={}", "--", "10.10.0.0/16"),
    (W, "drill", "finding", "add", "--drill={}", "--title=t", "--severity=high"),
    (W, "drill", "finding", "add", f"--drill={RUN}", "--title={}", "--severity=high"),
    (W, "drill", "finding", "add", f"--drill={RUN}", "--title=t", "--severity={}"),
    (W, "drill", "finding", "add", f"--drill={RUN}", "--title=t", "--severity=low", "--host={}"),
    (W, "drill", "finding", "add", f"--drill={RUN}", "--title=t", "--severity=low", "--by={}"),
    (W, "drill", "finding", "close", "--fix={}", "--", "1"),
    (W, "drill", "finding", "close", "--fix=done", "--", "{}"),
    (R, "drill", "finding", "list", "--drill={}"),
    (R, "drill", "finding", "list", "--status={}"),
    (R, "drill", "results", "--", "{}"),
    (R, "drill", "report", "--", "{}"),
    (R, "drill", "report", "--by={}", "--", RUN),
    (R, "drill", "diff", "--", RUN, "{}"),
    (R, "drill", "stats", "--since={}"),
    (R, "drill", "stats", "--since=2024-01-01", "--until={}"),
]

REPORT = [
    (R, "report", "indicators", "--since={}"),
    (R, "report", "indicators", "--since=2024-01-01", "--until={}"),
    (R, "report", "indicators", "--until={}", "--lang=zh"),
    (R, "report", "indicators", "--lang={}"),
    (W, "report", "html", "--output=./{}"),
    (W, "report", "html", "--output=./{}/r.html"),
    (W, "report", "html", "--output=./r.html", "--since={}"),
    (W, "report", "html", "--output=./r.html", "--until={}"),
    (W, "report", "html", "--output=./r.html", "--lang={}"),
    (R, "audit", "list", "--object={}"),
    (R, "audit", "list", "--action={}"),
    (R, "audit", "list", "--limit={}"),
]

# file names wherever a command reads one (what is in the files: test_fuzz_xlsx.py)
PATHS = [
    (W, "org", "import", "--", "./{}"),
    (W, "dept", "import", "--", "./{}"),
    (W, "cloud", "vm", "import", "--", "./{}"),
    (W, "xc", "asset", "import", "--", "./{}"),
    (W, "ipam", "import", "--", "./{}"),
    (W, "ipam", "plan", "--", "./{}"),
    (W, "provision", "--private-key=./{}", "--", "nobody"),
    (W, "provision", "--known-hosts=./{}", "--", "nobody"),
    (W, "cloud", "vm", "provision", "--run-playbook", "--private-key=./{}", "--", "nobody"),
]

# the commands that could reach a network were the seed's state different (PostgreSQL
# keeps one database for all of a test's examples)
OFFLINE_ONLY = {("xc", "probe"), ("drill", "run"), ("drill", "block")}


# -- one command, checked --------------------------------------------------------


def argv(command: tuple[str, ...], value: str) -> list[str]:
    return [part.replace("{}", value) for part in command[1:]]


def check_one(store: Store, cli: Cli, command: tuple[str, ...], value: str) -> None:
    """Run `command` with `value` and hold it to the rules of the module docstring."""
    args = argv(command, value)
    before, rows_before = digest(store), audit_rows(store)
    result = cli(*args)
    if currently_in_test_context():  # --hypothesis-show-statistics: how many did what
        event(f"exit {result.exit_code}")
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr, (
        args,
        result.stderr,
    )
    if result.exit_code == 0:
        after = digest(store)
        if command[0] == R:
            assert after == before, args
        elif after != before:
            assert audit_rows(store) > rows_before, ("a change without an audit row", args)
            assert audit.verify(store).ok, args
        return
    if result.exit_code == 2:
        usage_error(result)
    else:
        one_line_error(result)
    assert digest(store) == before, ("a refused command changed the database", args)


@pytest.fixture(scope="module")
def seed_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("seed") / "seed.db"
    with Store(str(path)) as store:
        seed(store)
    return path


@contextlib.contextmanager
def seeded_copy(seed_db: Path) -> Iterator[tuple[Store, Cli]]:
    """A copy of the seed database, and the directory of the copy as the working
    directory (what a command writes with a relative name lands there)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = str(Path(tmp) / "govops.db")
        shutil.copy(seed_db, path)
        with Store(path) as store, contextlib.chdir(tmp):
            yield store, Cli(path)


def fuzz(
    commands: list[tuple[str, ...]], examples: int, *found: tuple[tuple[str, ...], str]
) -> Any:
    """A property over `commands` on a fresh copy of the seed per example (SQLite);
    `found` are the (command, value) pairs that once failed it, tried first every time."""

    @pytest.mark.slow
    @settings(max_examples=examples, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(command=st.sampled_from(commands), value=VALUES)
    def prop(seed_db: Path, command: tuple[str, ...], value: str) -> None:
        with seeded_copy(seed_db) as (store, cli):
            check_one(store, cli, command, value)

    for command, value in found:
        prop = example(command=command, value=value)(prop)
    return prop


def the(commands: list[tuple[str, ...]], *words: str) -> tuple[str, ...]:
    """The one command of `commands` holding each of `words` (of several, the one
    whose first word is `words[0]`)."""
    found = [c for c in commands if all(w in c for w in words)]
    if len(found) > 1:
        found = [c for c in found if c[1] == words[0]]
    [one] = found
    return one


LONG = "x" * 5000  # longer than a file name may be
test_dept_inputs = fuzz(DEPT, 100)
test_cloud_inputs = fuzz(
    CLOUD,
    400,
    # a lone surrogate reached the query (UnicodeEncodeError)
    (the(CLOUD, "node", "show"), "\ud800"),
    (the(CLOUD, "system", "show"), "\udfff"),
    (the(CLOUD, "vm", "show"), "\ud800"),
    (the(CLOUD, "--vrf={}"), "\ud800"),
    (the(CLOUD, "--system={}", "--cores=2"), "\ud800"),
    # a day whose first instant in UTC, or whose next day, does not exist (OverflowError)
    (the(CLOUD, "stats", "--since={}"), "0001-01-01"),
    (the(CLOUD, "stats", "--until={}"), "9999-12-31"),
    # a NUL in the export's file name (ValueError from open)
    (the(CLOUD, "export", "--output=./{}"), "\x00"),
)
test_xc_inputs = fuzz(
    XC,
    400,
    (the(XC, "classify"), LONG),  # OSError: file name too long
    (the(XC, "asset", "export", "--output=./{}"), "a\x00b"),
    (the(XC, "--known-hosts=./{}"), "\x00"),  # ValueError reading known_hosts
    (the(XC, "--known-hosts=./{}"), "\ud800"),
)
test_host_inputs = fuzz(
    HOSTS,
    120,
    # a NUL, a lone surrogate or a name too long, where the inventory is written
    (the(HOSTS, "inventory", "export"), "\x00"),
    (the(HOSTS, "inventory", "export"), "\ud800"),
    (the(HOSTS, "inventory", "export"), LONG),
)
test_drill_inputs = fuzz(
    DRILL,
    200,
    (the(DRILL, "--private-key=./{}"), "\x00"),  # Typer's own stat of the path
    (the(DRILL, "--private-key=./{}"), "\ud800"),
    (the(DRILL, "stats", "--since={}"), "0001-01-01"),
    (the(DRILL, "stats", "--until={}"), "9999-12-31"),
)
test_file_names = fuzz(
    PATHS,
    100,
    # Typer's own stat of a Path argument or option met a NUL or a lone surrogate
    (the(PATHS, "ipam", "import"), "\x00"),
    (the(PATHS, "ipam", "plan"), "\ud800"),
    (the(PATHS, "org", "import"), "\x00"),
    (the(PATHS, "provision", "--private-key=./{}"), "\x00"),
    (the(PATHS, "provision", "--known-hosts=./{}"), "\ud800"),
    (the(PATHS, "ipam", "plan"), LONG),  # OSError from Path.exists
)
test_report_dates = fuzz(
    REPORT,
    120,
    (the(REPORT, "indicators", "--since={}"), "0001-01-01"),
    (the(REPORT, "indicators", "--until={}", "--since=2024-01-01"), "9999-12-31"),
    (the(REPORT, "html", "--since={}"), "0001-01-01"),
    (the(REPORT, "html", "--output=./{}"), "\x00"),
    (the(REPORT, "html", "--output=./{}"), LONG),
    (the(REPORT, "html", "--output=./{}/r.html"), LONG),
    # a lone surrogate (as a file name's undecodable byte arrives) reached the query
    (the(REPORT, "audit", "--object={}"), "\udcff"),
    (the(REPORT, "audit", "--action={}"), "\ud800"),
)


# -- PostgreSQL: fewer examples, on one seeded schema per test --------------------

_PG_COMMANDS = [
    c
    for c in DEPT + CLOUD + XC + HOSTS + DRILL + REPORT + PATHS
    if tuple(c[1:3]) not in OFFLINE_ONLY and "--key=./{}" not in c
]


@pytest.mark.pg
@pytest.mark.slow
@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(command=st.sampled_from(_PG_COMMANDS), value=VALUES)
def test_every_domain_on_postgresql(pg_seeded, command, value):
    store, cli, workdir = pg_seeded
    with contextlib.chdir(workdir):
        check_one(store, cli, command, value)


@pytest.fixture
def pg_seeded(pg_url: str, tmp_path: Path) -> Iterator[tuple[Store, Cli, Path]]:
    store = Store(pg_url)
    try:
        seed(store)
        yield store, Cli(pg_url), tmp_path
    finally:
        store.close()


# -- the parsers themselves, with any Python value (what a YAML or JSON file holds) --

_ANY = st.one_of(
    VALUES,
    st.integers(),
    st.floats(),
    st.booleans(),
    st.none(),
    st.binary(max_size=8),
    st.dates(),
    st.datetimes(),
    st.lists(VALUES, max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)


def _parsers() -> dict[str, Any]:
    from infra.cloud import checks
    from infra.drill import blocks, findings, runs
    from infra.xc import values

    return {
        "node name": lambda v: checks.host_name(v, "node"),
        "system name": checks.system_name,
        "ports": checks.ports,
        "reason": lambda v: checks.free_text(v, "reason"),
        "forced reason": lambda v: checks.reason_for(True, v, "approve"),
        "arch": checks.arch,
        # these take what their signature says: text, or a number or a date already
        "amount": (str, int, lambda v: checks.amount(v, "cores", 4096)),
        "ratio": (str, float, lambda v: checks.ratio(v, "cpu ratio")),
        "cloud day": (str, date, lambda v: checks.day(v, "since")),
        "moment": (str, date, lambda v: checks.moment(v, "provisioned")),
        "kind": values.kind,
        "asset status": values.asset_status,
        "app status": values.app_status,
        "cpu family": values.cpu_family,
        "os family": values.os_family,
        "phase": values.phase,
        "fen": lambda v: values.fen(v, "cost"),
        "xc day": lambda v: values.day(v, "date", past=False),
        "serial": values.serial,
        "xc name": lambda v: values.name(v, "application name"),
        "xc text": lambda v: values.text(v, "model"),
        "xc host": values.host,
        "xc ssh user": values.ssh_user,
        "host name": hosts.host_name,
        "host address": hosts.address,
        "host port": hosts.port,
        "host ssh user": hosts.ssh_user,
        "host group": hosts.group_name,
        "host fields": lambda v: hosts.HostFields("h1", "10.0.0.1", port=v, groups=[v]).check(),
        "asset fields": lambda v: assets.Fields.check("SN-1", "server", "YC-CZ", cost=v, host=v),
        "severity": findings.check_severity,
        "finding id": findings.parse_id,
        "block addresses": lambda v: blocks.check_addresses(v if isinstance(v, list) else [v]),
        "block reason": blocks.check_reason,
        "run name": runs.run_name,
    }


@pytest.mark.slow
@settings(max_examples=600, deadline=None)
@given(which=st.sampled_from(sorted(_parsers())), value=_ANY)
def test_parsers_raise_nothing_but_one_line_govops_errors(which, value):
    from infra.errors import GovopsError

    parse = _parsers()[which]
    if isinstance(parse, tuple):
        *types, parse = parse
        assume(isinstance(value, tuple(types)))
    try:
        parse(value)
    except GovopsError as exc:
        message = str(exc)
        assert message and "\n" not in message and len(message) < 2000, (which, message[:300])


# -- files other commands read: a catalogue extension, collected machine files ------

_FIELD = st.one_of(VALUES, st.integers(), st.floats(), st.booleans(), st.none(), st.dates(),
                   st.lists(VALUES, max_size=3), st.dictionaries(VALUES, VALUES, max_size=2))  # fmt: skip
_ENTRY_KEYS = ["id", "name", "family", "vendor", "aliases", "processes", "ports", "colour"]


@st.composite
def catalogue_texts(draw: Any) -> str:
    """A catalogue file: a document of the right shape with hostile values, one of
    the hostile YAML texts the plan is held to (bombs, deep nesting, tags), or text."""
    import yaml

    kind = draw(st.sampled_from(["doc", "doc", "plan-hostile", "text"]))
    if kind == "plan-hostile":
        return draw(st.sampled_from([text for _, text, _ in CASES]))
    if kind == "text":
        return draw(st.text(max_size=200))
    doc: dict[Any, Any] = {"version": draw(st.sampled_from([1, 2, "1", None]))}
    for section in draw(st.lists(st.sampled_from(["os", "db", "middleware", "other"]), max_size=3)):
        entries = []
        for _ in range(draw(st.integers(0, 3))):
            keys = draw(st.lists(st.sampled_from(_ENTRY_KEYS), max_size=6, unique=True))
            entries.append({k: draw(_FIELD) for k in ["id", "name", *keys]})
        doc[section] = draw(st.sampled_from([entries, entries, "none", 5]))
    return yaml.safe_dump(doc, allow_unicode=True)


_CLASSIFY_FILES = ["uname-m", "cpuinfo", "os-release", "kylin-release", "os-version", "lsb-release"]
_FILE_TEXT = st.one_of(
    st.sampled_from(["aarch64\n", "x86_64", "loongarch64\n", "mips64\n", "sw_64", "\x00" * 10,
                     "ID=kylin\nVERSION_ID=V10\n", 'ID="uos"\n', "model name\t: Hygon C86 7285\n",
                     "CPU implementer\t: 0x48\n", "vendor_id\t: HygonGenuine\n", "ID=\n" * 1000,
                     "NAME=" + "名" * 20_000, "\ufeffID=openEuler", "ID=deepin\r\n"]),
    st.text(max_size=200),
)  # fmt: skip


@pytest.mark.slow
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=catalogue_texts(),
    files=st.dictionaries(st.sampled_from(_CLASSIFY_FILES), st.one_of(_FILE_TEXT, st.binary()),
                          max_size=4),
)  # fmt: skip
def test_catalogue_and_collected_files(seed_db, text, files):
    with seeded_copy(seed_db) as (store, cli):
        Path("site.yaml").write_text(text, encoding="utf-8", errors="surrogatepass")
        check_one(store, cli, (R, "xc", "catalogue", "--catalogue=./site.yaml"), "")
        check_one(store, cli, (W, "xc", "app", "add", "--dept=YC-CZ", "--os=kylin",
                               "--catalogue=./site.yaml", "--", "新系统"), "")  # fmt: skip
        Path("host-01").mkdir()
        for name, data in files.items():
            content = data if isinstance(data, bytes) else data.encode("utf-8", "surrogatepass")
            (Path("host-01") / name).write_bytes(content)
        check_one(store, cli, (R, "xc", "classify", "--", "./host-01"), "")
