"""SIGKILL in the middle of a write: all of the operation or none of it.

`govops ipam plan --apply`, `org import`, `cloud vm import` and `xc asset import`
run as real processes (`python -m govops`, GOVOPS_DB set) on inputs large enough
that they spend most of their run writing, and are killed with SIGKILL at 20
random moments each, spread over the command's measured run time (a moment past
the end lets it finish). After every kill: `ipam check` and `audit verify` pass,
SQLite's `PRAGMA integrity_check` says ok (and `foreign_key_check` finds nothing),
and every table holds exactly what it held before the command or exactly what a
completed reference run left (timestamps and the hashes over them aside). Then
the database goes back to its before-state for the next kill.

The moments come from a seed printed with every failure; set GOVOPS_CRASH_SEED to
replay one.
"""

from __future__ import annotations

import csv
import hashlib
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, Cli
from test_cloud_setup import POLICE
from test_cloud_setup import build as build_cloud
from test_org_import import sample_rows
from test_plan import write_tree
from test_xc_setup import build as build_xc

from infra import db
from infra.cloud import systems
from infra.store import Store, is_postgres_url
from ipam import space

pytestmark = pytest.mark.slow

KILLS = 20
SEED = int(os.environ.get("GOVOPS_CRASH_SEED") or random.SystemRandom().randrange(10**9))
PLAN = ROOT / "ipam" / "data" / "heyuan-plan.yaml"

# A timestamp a transaction writes (`now`): differs between the reference run and a
# killed one, so it is masked before rows are compared; days (2024-03-01) are kept.
_MOMENT = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:[+-]\d\d:\d\d|Z)?")
_DERIVED = {"audit": ("prev_hash", "hash")}  # digests over the masked timestamps


# -- the inputs --------------------------------------------------------------


def made_up_city(counties: int, towns: int, villages: int) -> list[tuple[str, str, str, str]]:
    """A city of `counties` × `towns` × `villages` units: (code, name, level, parent)."""
    city = "441900000000"
    rows = [(city, "测试市", "city", "440000000000")]
    for c in range(1, counties + 1):
        county = f"4419{c:02d}000000"
        rows.append((county, f"第{c}区", "county", city))
        for t in range(1, towns + 1):
            town = f"{county[:6]}{t:03d}000"
            rows.append((town, f"第{c}区{t}镇", "town", county))
            for v in range(1, villages + 1):
                rows.append((f"{town[:9]}{v:03d}", f"{c}区{t}镇{v}村", "village", town))
    return rows


def write_rows(path: Path, header: list[str], rows: list[list[Any]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(header)
        out.writerows(rows)
    return path


@dataclass
class Case:
    """One command: the database before it, and its arguments."""

    setup: Callable[[Store, Path, bool], list[str]]


def org_import(store: Store, tmp: Path, pg: bool) -> list[str]:
    # PostgreSQL writes a unit a round trip; SQLite is ~5x faster, so it gets more.
    rows = made_up_city(8, 12, 16) if pg else made_up_city(16, 20, 25)
    return ["org", "import", str(write_tree(tmp / "tree.csv", rows))]


def plan_apply(store: Store, tmp: Path, pg: bool) -> list[str]:
    from infra.org import importer

    # the city and two of its counties (three on SQLite, which writes faster)
    counties = ("441602", "441621") if pg else ("441602", "441621", "441622")
    units = [r for r in sample_rows() if r["level"] == "city" or r["code"][:6] in counties]
    tree = [(u["code"], u["name"], u["level"], u["parent_code"]) for u in units]
    importer.import_file(store, write_tree(tmp / "heyuan.csv", tree))
    return ["ipam", "plan", str(PLAN), "--apply"]


def vm_import(store: Store, tmp: Path, pg: bool) -> list[str]:
    build_cloud(store)
    space.add(store, "10.90.16.0/20")
    systems.add(store, "大数据平台", "HY-GA", 3, "10.90.16.0/20")
    n = 120 if pg else 900
    header = ["name", "dept", "system", "cores", "ram_gb", "disk_gb", "address", "status"]
    header += ["provisioned_on", "node"]
    rows = []
    for i in range(n):
        # every other VM with an address, which IPAM records in the same transaction
        j = i // 2
        address = f"10.90.{16 + j // 250}.{j % 250 + 2}" if i % 2 == 0 else ""
        system = "大数据平台" if address else POLICE
        status = "active" if i % 5 else "stopped"
        node = "x1" if i % 3 else "a1"
        rows.append([f"imp-{i:05d}", "HY-GA", system, 1 + i % 4, 2, 20, address, status])
        rows[-1] += ["2024-03-01", node]
    return ["cloud", "vm", "import", str(write_rows(tmp / "vms.csv", header, rows))]


def asset_import(store: Store, tmp: Path, pg: bool) -> list[str]:
    build_xc(store)
    n = 250 if pg else 3000
    header = "serial,kind,dept,model,cpu,os,phase,cost,host,ssh_user,org,status,status_date"
    statuses = ["", "accepted", "installed", "planned"]
    rows = [
        [f"SN-{i:06d}", "server" if i % 7 == 0 else "terminal", "YC-CZ" if i % 2 else "HY-GA"]
        + ["M", "kunpeng", "kylin", 1 + i % 2, f"{100 + i}.50", "", "", ""]
        + [statuses[i % 4], "2025-03-01" if statuses[i % 4] else ""]
        for i in range(n)
    ]
    return ["xc", "asset", "import", str(write_rows(tmp / "assets.csv", header.split(","), rows))]


CASES = {
    "ipam plan --apply": Case(plan_apply),
    "org import": Case(org_import),
    "cloud vm import": Case(vm_import),
    "xc asset import": Case(asset_import),
}


# -- the database's state ----------------------------------------------------


def _plain(value: Any) -> Any:
    if isinstance(value, memoryview):
        value = bytes(value)
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, str):
        return _MOMENT.sub("<now>", value)
    return value


def state(url: str) -> dict[str, tuple[int, str]]:
    """Every table's row count and a digest of its rows (timestamps masked)."""
    with Store(url) as store:

        def run(tx: Any) -> dict[str, tuple[int, str]]:
            out = {}
            for table in db.tables(tx):
                skip = _DERIVED.get(table, ())
                rows = sorted(
                    repr(tuple(_plain(v) for k, v in dict(r).items() if k not in skip))
                    for r in tx.all(f'SELECT * FROM "{table}"')
                )
                out[table] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
            return out

        return store.read(run)


def differences(got: dict, want: dict) -> list[str]:
    return [
        f"{t}: {got.get(t)} != {want.get(t)}"
        for t in sorted(set(got) | set(want))
        if got.get(t) != want.get(t)
    ]


def check_sound(cli: Cli, why: str) -> None:
    """`ipam check` and `audit verify` pass; SQLite's own checks find nothing."""
    for args in (("ipam", "check"), ("audit", "verify")):
        result = cli(*args)
        assert result.exit_code == 0, (why, args, result.stdout[-2000:], result.stderr)
    if not is_postgres_url(cli.db):
        conn = sqlite3.connect(cli.db)
        try:
            assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)], why
            assert conn.execute("PRAGMA foreign_key_check").fetchall() == [], why
        finally:
            conn.close()


# -- keeping and restoring the before-state ---------------------------------


class SqliteSaved:
    """The before-state as a copy of the file (the store closed, so no WAL beside it)."""

    def __init__(self, url: str, tmp: Path):
        self.url = url
        self.copy = tmp / "before.db"
        shutil.copyfile(url, self.copy)

    def restore(self, changed: list[str]) -> None:
        if not changed:
            return  # the killed transaction's pages in the WAL are ignored, as they should be
        for suffix in ("", "-wal", "-shm"):
            Path(self.url + suffix).unlink(missing_ok=True)
        shutil.copyfile(self.copy, self.url)

    def writing(self, app: str) -> bool:
        """Does a process hold the write lock (is the command inside its transaction)?"""
        probe = sqlite3.connect(self.url, timeout=0, isolation_level=None)
        try:
            probe.execute("BEGIN IMMEDIATE")
            probe.execute("ROLLBACK")
            return False
        except sqlite3.OperationalError:
            return True
        finally:
            probe.close()

    def close(self) -> None:
        pass


class PgSaved:
    """The before-state as copies of every table in a schema of its own, with the
    sequences' positions; restored in one transaction, triggers and foreign-key
    checks off while the rows go back (they held when the rows were made)."""

    def __init__(self, url: str):
        import psycopg

        self.conn = psycopg.connect(url, autocommit=True)
        self.schema = str(self.conn.execute("SELECT current_schema()").fetchone()[0])
        self.saved = f"{self.schema}_before"
        self.conn.execute(f'CREATE SCHEMA "{self.saved}"')
        with Store(url) as store:
            tables = store.read(db.tables)
        self.columns = {}
        for t in tables:
            self.conn.execute(f'CREATE TABLE "{self.saved}"."{t}" AS TABLE "{self.schema}"."{t}"')
            names = self.conn.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_schema ="
                " current_schema() AND table_name = %s AND is_generated = 'NEVER'"
                " ORDER BY ordinal_position",
                (t,),
            ).fetchall()
            self.columns[t] = ", ".join(f'"{c[0]}"' for c in names)  # not the generated ones
        seqs = self.conn.execute(
            "SELECT sequence_name FROM information_schema.sequences"
            " WHERE sequence_schema = current_schema()"
        ).fetchall()
        positions = []
        for (seq,) in seqs:
            row = self.conn.execute(f'SELECT last_value, is_called FROM "{seq}"').fetchone()
            positions.append(f"setval('\"{seq}\"', {int(row[0])}, {bool(row[1])})")
        self.setval = "SELECT " + ", ".join(positions)

    def restore(self, changed: list[str]) -> None:
        """Put back the tables that differ, and every sequence (a rolled-back
        transaction keeps the numbers it drew)."""
        with self.conn.transaction():
            self.conn.execute("SET LOCAL session_replication_role = replica")
            for t in changed:
                cols = self.columns[t]
                self.conn.execute(f'DELETE FROM "{t}"')
                self.conn.execute(
                    f'INSERT INTO "{t}" ({cols}) SELECT {cols} FROM "{self.saved}"."{t}"'
                )
            self.conn.execute(self.setval)

    def writing(self, app: str) -> bool:
        """Is the command's session inside a transaction holding one of govops's locks?"""
        row = self.conn.execute(
            "SELECT count(*) FROM pg_stat_activity a JOIN pg_locks l ON l.pid = a.pid"
            " WHERE a.application_name = %s AND l.locktype = 'advisory'",
            (app,),
        ).fetchone()
        return bool(row[0])

    def gone(self, app: str) -> None:
        """Wait until the server has ended the killed process's session (its
        transaction rolled back, or committed had the commit already been sent)."""
        deadline = time.monotonic() + 30
        while self.conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s", (app,)
        ).fetchone()[0]:
            assert time.monotonic() < deadline, f"session {app} still there"
            time.sleep(0.01)

    def close(self) -> None:
        self.conn.execute(f'DROP SCHEMA "{self.saved}" CASCADE')
        self.conn.close()


@contextmanager
def saved(url: str, tmp: Path) -> Iterator[Any]:
    keeper: Any = PgSaved(url) if is_postgres_url(url) else SqliteSaved(url, tmp)
    try:
        yield keeper
    finally:
        keeper.close()


# -- running and killing -----------------------------------------------------


def launch(url: str, args: list[str], app: str, log: Path) -> subprocess.Popen:
    env = {**os.environ, "GOVOPS_DB": url, "PGAPPNAME": app}
    with log.open("w") as err:
        return subprocess.Popen(
            [sys.executable, "-m", "govops", *args],
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=err,
        )


@pytest.mark.parametrize("command", list(CASES))
def test_sigkill_leaves_all_or_nothing(db_url: str, tmp_path: Path, command: str) -> None:
    backend = "postgresql" if is_postgres_url(db_url) else "sqlite"
    rng = random.Random(f"{SEED}:{command}:{backend}")
    print(f"GOVOPS_CRASH_SEED={SEED}")
    with Store(db_url) as store:
        args = CASES[command].setup(store, tmp_path, backend == "postgresql")
    cli = Cli(db_url)
    check_sound(cli, "before")
    before = state(db_url)
    log = tmp_path / "stderr.txt"
    with saved(db_url, tmp_path) as keeper:
        # Two complete runs: the second leaves what the first did (the reference), and
        # the faster one's time is the span the kills are spread over.
        times, now = [], before
        for run in ("first", "second"):
            keeper.restore([t for t in before if now.get(t) != before[t]])
            start = time.perf_counter()
            proc = launch(db_url, args, f"govops-crash-{run}", log)
            assert proc.wait(timeout=300) == 0, log.read_text()
            times.append(time.perf_counter() - start)
            check_sound(cli, f"after the {run} complete run")
            now = state(db_url)
            assert now != before
            if run == "first":
                after = now
        assert now == after, differences(now, after)
        took = min(times)
        outcomes, midway = [], 0
        for i, moment in enumerate(sorted(rng.uniform(0.0, took) for _ in range(KILLS))):
            keeper.restore([t for t in before if now.get(t) != before[t]])
            why = f"GOVOPS_CRASH_SEED={SEED} {command}: kill {i} at {moment:.3f} s of {took:.3f} s"
            app = f"govops-crash-{i}"
            start = time.perf_counter()
            proc = launch(db_url, args, app, log)
            time.sleep(max(0.0, start + moment - time.perf_counter()))
            midway += keeper.writing(app)
            proc.send_signal(signal.SIGKILL)  # no-op if it has finished
            code = proc.wait(timeout=60)
            assert code in (0, -signal.SIGKILL), (why, code, log.read_text())
            if isinstance(keeper, PgSaved):
                keeper.gone(app)
            check_sound(cli, why)
            now = state(db_url)
            if now == before:
                outcomes.append("none")
            elif now == after:
                outcomes.append("all")
            else:
                pytest.fail(
                    f"{why}: half written; against before: {differences(now, before)};"
                    f" against after: {differences(now, after)}"
                )
        print(
            f"{backend} {command}: {took:.2f} s a run; {midway} of {KILLS} kills mid-write;"
            f" they left {' '.join(outcomes)}"
        )
        # Kills landed inside the transaction (likelier the larger the input).
        assert midway > 0, f"GOVOPS_CRASH_SEED={SEED}: no kill landed mid-write"
