"""A whole province's extranet (28,745 units, about 200,000 prefixes) through govops.

Builds the synthetic province of bench/_province.py (21 cities, 124 counties,
1,757 towns, 26,842 villages) and runs the real `govops` console script on it, one
process per command with GOVOPS_DB set, as a user would, on SQLite (a temporary
file) and on PostgreSQL (a scratch database created on --pg and dropped at the
end). It prints, per backend:

- `org import` of the tree, seconds;
- `ipam plan FILE --apply` of the whole province, seconds and prefixes written, and
  its no-op re-apply, seconds (PostgreSQL / SQLite ratio <= 2 when both ran);
- `ipam find ADDR` (inside the last city's last village), `org show VILLAGE` and
  `org tree CITY --depth 1`, each a whole command, median of --runs runs
  interleaved with a bare Typer hello on the same interpreter, as a ratio to it
  (target <= 1.5 on SQLite; printed only on PostgreSQL, whose driver alone costs
  about 0.2 s to import);
- `ipam check`, `ipam usage`, `ipam coverage` in their default table output,
  seconds (target <= 3 s on SQLite, <= 6 s on PostgreSQL);
- `ipam export -o x.json`, then `ipam import x.json` into an empty database that
  holds only the org tree: seconds and peak memory of each (target <= 60 s
  together, <= 400 MB each);
- `ipam export --format yaml`: seconds and peak memory, and the speed-up over the
  219 s first measured at this size (target >= 5x).

Every line shows its figure, the target and PASS or FAIL; a command that fails or
runs past --timeout is a FAIL. Exits 1 if any target failed, unless --no-fail.
The machine's load moves absolute times: compare ratios from one run. govops's
modules are byte-compiled first and the commands run with bytecode allowed, as
an installed govops runs (PYTHONDONTWRITEBYTECODE is dropped from their
environment; with it, each start would compile some 40 modules from source). An editable
install adds its import hook to every govops start (the hello pays none).
Usage: python bench/province.py [--backend sqlite|postgresql|both] [--runs 11]
       [--timeout 900] [--headroom 0.2] [--pg postgresql://postgres@127.0.0.1:5432/postgres]
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import _province  # noqa: E402
from startup import HELLO, govops_cmd  # noqa: E402

from infra.store import Store  # noqa: E402

SCRATCH = "bench_province"
YAML_BASELINE = 219.0  # seconds: `ipam export --format yaml` at this size, first measured
MB = 1024 * 1024


@dataclass
class Run:
    """One finished (or killed) command: wall seconds, peak RSS in bytes, how it ended."""

    seconds: float
    peak: int
    rc: int
    timed_out: bool
    error: str = ""
    timeout: float = 0.0

    @property
    def ok(self) -> bool:
        return self.rc == 0 and not self.timed_out

    def why(self) -> str:
        if self.timed_out:
            return f"timeout {self.timeout:g} s"
        return f"exit {self.rc}: {self.error}" if self.error else f"exit {self.rc}"


def run(cmd: list[str], env: dict[str, str], timeout: float, stdout: str = os.devnull) -> Run:
    """Run `cmd` to its end (or kill its process group after `timeout` s): wall time and
    the child's peak resident memory (os.wait4's ru_maxrss, KiB on Linux)."""
    with open(stdout, "wb") as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=err, start_new_session=True)
        killed = threading.Event()

        def kill() -> None:
            killed.set()
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

        timer = threading.Timer(timeout, kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        elapsed = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        lines = err.read().decode(errors="replace").strip().splitlines()
    return Run(
        elapsed,
        usage.ru_maxrss * 1024,
        proc.returncode,
        killed.is_set(),
        lines[-1] if lines else "",
        timeout,
    )


@dataclass
class Report:
    """The printed lines and whether every target held."""

    failed: list[str] = field(default_factory=list)
    backend: str = ""

    def line(self, what: str, figure: str, target: str = "", ok: bool | None = None) -> None:
        verdict = "" if ok is None else ("PASS" if ok else "FAIL")
        if ok is False:
            self.failed.append(f"{self.backend}: {what}" if self.backend else what)
        tail = f"  (target {target})" if target else ""
        print(f"  {what:44s} {figure:>22s}{tail:24s} {verdict}".rstrip(), flush=True)

    def broken(self, what: str, result: Run, target: str = "") -> None:
        self.line(what, f"FAIL ({result.why()})", target, False)


def seconds(result: Run) -> str:
    return f"{result.seconds:8.2f} s"


def compile_sources() -> None:
    """Byte-compile govops's own modules, as pip does when it installs a package, so
    the commands measured start the way an installed govops starts."""
    import compileall

    root = Path(__file__).resolve().parent.parent
    for name in ("infra", "ipam", "inventory"):
        compileall.compile_dir(root / name, quiet=1)
    compileall.compile_file(root / "govops.py", quiet=1)


def headroom_value(text: str) -> Any:
    """--headroom: one number, or a JSON/YAML mapping of tier to number."""
    try:
        value = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise argparse.ArgumentTypeError(f"not a number nor a mapping: {exc}") from exc
    if isinstance(value, bool) or not isinstance(value, (int, float, dict)):
        raise argparse.ArgumentTypeError("give a number (0.2) or a mapping ({town: 0.25})")
    if isinstance(value, dict) and not all(
        isinstance(v, (int, float)) and not isinstance(v, bool) for v in value.values()
    ):
        raise argparse.ArgumentTypeError("each tier's headroom must be a number")
    return value


# -- databases -------------------------------------------------------------


def _pg_url(base: str, dbname: str) -> str:
    parts = urlsplit(base)
    return urlunsplit(parts._replace(path="/" + dbname))


def _pg_admin(base: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(sql)


@contextmanager
def databases(backend: str, tmp: Path, pg: str) -> Iterator[Callable[[str], str]]:
    """Yields `make(name)`: a new empty database's GOVOPS_DB value; all dropped after."""
    made: list[str] = []

    def make(name: str) -> str:
        if backend == "sqlite":
            return str(tmp / f"{name}.db")
        dbname = f"{SCRATCH}{'' if name == 'province' else '_' + name}"
        _pg_admin(pg, f"DROP DATABASE IF EXISTS {dbname} WITH (FORCE)")
        _pg_admin(pg, f"CREATE DATABASE {dbname}")
        made.append(dbname)
        return _pg_url(pg, dbname)

    try:
        yield make
    finally:
        for dbname in made:
            _pg_admin(pg, f"DROP DATABASE IF EXISTS {dbname} WITH (FORCE)")


def _count_prefixes(url: str) -> int:
    with Store(url) as store:
        return int(store.read(lambda tx: tx.scalar("SELECT count(*) FROM prefix")))


def _deep_address(url: str, village: str) -> str:
    """An address inside the village's IPv4 purpose subnet with the highest address."""
    import ipaddress

    with Store(url) as store:
        rows = store.read(
            lambda tx: tx.all(
                "SELECT p.cidr FROM prefix p JOIN org_unit u ON u.id = p.org_id"
                " WHERE u.code = ? AND p.family = 4",
                (village,),
            )
        )
    if not rows:
        return "10.255.255.1"  # no plan applied: still a lookup deep in 10/8
    nets = [ipaddress.ip_network(r["cidr"]) for r in rows]
    last = max(nets, key=lambda n: (int(n.network_address), -n.prefixlen))
    return str(last.network_address + 1)


# -- one backend -------------------------------------------------------------


def startup(
    cases: dict[str, list[str]], env: dict[str, str], runs: int, timeout: float
) -> dict[str, list[float] | Run]:
    """Each command's wall times over `runs` interleaved rounds after one warming run;
    a command that fails is dropped and its failed Run kept instead."""
    out: dict[str, list[float] | Run] = {}
    for name, cmd in cases.items():
        first = run(cmd, env, timeout)
        out[name] = [] if first.ok else first
    for _ in range(runs):
        for name, cmd in cases.items():
            samples = out[name]
            if isinstance(samples, Run):
                continue
            result = run(cmd, env, timeout)
            if result.ok:
                samples.append(result.seconds)
            else:
                out[name] = result
    return out


def bench_backend(backend: str, args: argparse.Namespace, report: Report) -> float | None:
    """Every figure on one backend; returns the no-op re-apply's seconds (None if failed)."""
    gov = govops_cmd()
    pg = backend == "postgresql"
    limit = {"check": 6.0 if pg else 3.0}
    cities = [r for r in _province.rows() if r["level"] == "city"]
    villages = [r for r in _province.rows() if r["level"] == "village"]
    last_city = cities[-1]["code"]
    last_village = max(r["code"] for r in villages if r["code"].startswith(last_city[:4]))
    print(f"\n{backend}", flush=True)
    report.backend = backend
    with tempfile.TemporaryDirectory(prefix="bench_province_") as tmpdir:
        tmp = Path(tmpdir)
        tree, plan_file = tmp / "province.csv", tmp / "plan.yaml"
        units = _province.write_tree(tree)
        plan_file.write_text(
            yaml.safe_dump(_province.plan(args.headroom), allow_unicode=True, sort_keys=False),
            encoding="utf-8",
        )
        hello = tmp / "hello.py"
        hello.write_text(HELLO)
        with databases(backend, tmp, args.pg) as make:
            db = make("province")
            env = dict(os.environ, XDG_DATA_HOME=str(tmp), GOVOPS_DB=db)
            # As installed: with its bytecode (compiled below), which a sandbox's
            # PYTHONDONTWRITEBYTECODE would otherwise make every start compile anew,
            # while the hello's Typer comes precompiled from site-packages.
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            t = args.timeout

            result = run([*gov, "org", "import", str(tree)], env, t)
            if not result.ok:
                report.broken(f"org import ({units:,} units)", result)
                return None
            report.line(f"org import ({units:,} units)", seconds(result))

            result = run([*gov, "ipam", "plan", str(plan_file), "--apply"], env, t)
            if not result.ok:
                report.broken("plan --apply", result)
                return None
            prefixes = _count_prefixes(db)
            report.line(f"plan --apply: {prefixes:,} prefixes", seconds(result))
            again = run([*gov, "ipam", "plan", str(plan_file), "--apply"], env, t)
            noop = again.seconds if again.ok else None
            if again.ok:
                report.line("plan --apply again (no-op)", seconds(again))
            else:
                report.broken("plan --apply again (no-op)", again)

            address = _deep_address(db, last_village)
            cases = {
                "typer hello": [sys.executable, str(hello)],
                f"ipam find {address}": [*gov, "ipam", "find", address],
                f"org show {last_village}": [*gov, "org", "show", last_village],
                f"org tree {last_city} --depth 1": [*gov, "org", "tree", last_city, "-d", "1"],
            }
            times = startup(cases, env, args.runs, t)
            base = times.pop("typer hello")
            if isinstance(base, Run):
                report.broken("typer hello", base)
            else:
                hello_med = statistics.median(base)
                report.line(f"typer hello (median of {args.runs})", f"{hello_med * 1000:6.0f} ms")
                for name, samples in times.items():
                    if isinstance(samples, Run):
                        report.broken(name, samples, "<= 1.5x" if not pg else "")
                        continue
                    med = statistics.median(samples)
                    ratio = med / hello_med
                    figure = f"{med * 1000:6.0f} ms {ratio:5.2f}x"
                    if pg:
                        report.line(name, figure, "none on PG")
                    else:
                        report.line(name, figure, "<= 1.5x", ratio <= 1.5)

            for view in ("check", "usage", "coverage"):
                result = run([*gov, "ipam", view], env, t)
                target = f"<= {limit['check']:g} s"
                if result.ok:
                    report.line(
                        f"ipam {view}", seconds(result), target, result.seconds <= limit["check"]
                    )
                else:
                    report.broken(f"ipam {view}", result, target)

            dump = tmp / "x.json"
            exported = run([*gov, "ipam", "export", "-o", str(dump)], env, t)
            if exported.ok:
                size = dump.stat().st_size / MB
                report.line(
                    f"ipam export json ({size:.0f} MB)",
                    f"{exported.seconds:6.1f} s {exported.peak / MB:5.0f} MB",
                    "<= 400 MB",
                    exported.peak <= 400 * MB,
                )
                empty = make("import")
                env2 = dict(env, GOVOPS_DB=empty)
                tree_only = run([*gov, "org", "import", str(tree)], env2, t)
                if not tree_only.ok:
                    report.broken("org import (the empty database)", tree_only)
                else:
                    imported = run([*gov, "ipam", "import", str(dump)], env2, t)
                    if imported.ok:
                        report.line(
                            "ipam import json (org tree only before)",
                            f"{imported.seconds:6.1f} s {imported.peak / MB:5.0f} MB",
                            "<= 400 MB",
                            imported.peak <= 400 * MB,
                        )
                        both = exported.seconds + imported.seconds
                        report.line("export + import", f"{both:6.1f} s", "<= 60 s", both <= 60)
                    else:
                        report.broken("ipam import json", imported, "<= 60 s, 400 MB")
            else:
                report.broken("ipam export json", exported, "<= 400 MB")

            result = run(
                [*gov, "ipam", "export", "--format", "yaml", "-o", str(tmp / "x.yaml")], env, t
            )
            if result.ok:
                speedup = YAML_BASELINE / result.seconds
                report.line(
                    "ipam export yaml",
                    f"{result.seconds:6.1f} s {result.peak / MB:5.0f} MB",
                )
                report.line(
                    f"  speed-up over {YAML_BASELINE:.0f} s",
                    f"{speedup:6.1f}x",
                    ">= 5x",
                    speedup >= 5,
                )
            else:
                report.broken("ipam export yaml", result, ">= 5x")
    return noop


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument(
        "--pg",
        default="postgresql://postgres@127.0.0.1:5432/postgres",
        help=f"server to create the scratch database {SCRATCH} on",
    )
    parser.add_argument("--runs", type=int, default=11, help="runs per start-up command")
    parser.add_argument("--timeout", type=float, default=900, help="seconds per command")
    parser.add_argument(
        "--headroom",
        type=headroom_value,
        default=0.2,
        help="the plan's headroom: a number, or a JSON/YAML mapping per tier",
    )
    parser.add_argument("--no-fail", action="store_true", help="exit 0 even if a target failed")
    args = parser.parse_args()

    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    compile_sources()
    print(
        f"govops: {' '.join(govops_cmd())}; python {sys.version.split()[0]};"
        f" headroom {args.headroom}; timeout {args.timeout:g} s per command"
    )
    report = Report()
    noop = {backend: bench_backend(backend, args, report) for backend in backends}
    if len(noop) == 2:
        print()
        report.backend = ""
        sqlite, postgres = noop["sqlite"], noop["postgresql"]
        if sqlite is None or postgres is None:
            report.line("no-op re-apply PostgreSQL / SQLite", "FAIL (no figure)", "<= 2", False)
        else:
            ratio = postgres / sqlite
            report.line("no-op re-apply PostgreSQL / SQLite", f"{ratio:6.2f}", "<= 2", ratio <= 2)
    print()
    if report.failed:
        print(f"{len(report.failed)} target(s) failed: {', '.join(report.failed)}")
    else:
        print("every target held")
    if report.failed and not args.no_fail:
        sys.exit(1)


if __name__ == "__main__":
    main()
