"""Start-up cost of govops lookups against a bare Typer hello-world, as ratios.

Runs each command N times, interleaved so that machine noise hits both alike,
and prints the median wall time of each and the ratio to the hello app.
`govops ipam find` runs on a database holding --prefixes allocated blocks.
Measure an ordinary install (`pip install .`): an editable install adds its own
import hook to every start.
Usage: python bench/startup.py [--runs 21] [--prefixes 100000]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HELLO = """
import typer

app = typer.Typer()


@app.command()
def hello(name: str = "world") -> None:
    typer.echo(f"hello {name}")


if __name__ == "__main__":
    app()
"""


def timed(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    proc = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed: {proc.stderr.decode(errors='replace').strip()}")
    return elapsed


def interleaved(
    cases: dict[str, list[str]], env: dict[str, str], runs: int
) -> dict[str, list[float]]:
    """Each command's wall times over `runs` rounds, one run of each per round, so that
    machine noise hits all alike (after one warming run each: page cache, .pyc files)."""
    for cmd in cases.values():
        timed(cmd, env)
    samples: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(runs):
        for name, cmd in cases.items():
            samples[name].append(timed(cmd, env))
    return samples


def govops_cmd() -> list[str]:
    # The console script beside this interpreter (not a pyenv/asdf shim on PATH,
    # whose own start-up would be measured instead of ours).
    exe = Path(sys.executable).parent / "govops"
    if exe.exists():
        return [str(exe)]
    found = shutil.which("govops")
    return [found] if found else [sys.executable, "-m", "govops"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--prefixes", type=int, default=100_000)
    parser.add_argument("--extra", nargs="*", default=[], help="more govops argument strings")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, XDG_DATA_HOME=tmp, GOVOPS_DB=str(Path(tmp) / "bench.db"))
        hello = Path(tmp) / "hello.py"
        hello.write_text(HELLO)
        gov = govops_cmd()
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from _common import filled_store

        filled_store(str(Path(tmp) / "bench.db"), args.prefixes).close()
        subprocess.run(
            [
                *gov,
                "org",
                "import",
                str(Path(__file__).parent.parent / "ipam/data/heyuan-divisions.csv"),
            ],
            env=env,
            check=True,
            stderr=subprocess.DEVNULL,
        )
        cases = {
            "typer hello": [sys.executable, str(hello)],
            "govops org show 441602000000": [*gov, "org", "show", "441602000000"],
            f"govops ipam find 10.0.97.6 ({args.prefixes} prefixes)": [
                *gov,
                "ipam",
                "find",
                "10.0.97.6",
            ],
        }
        for extra in args.extra:
            cases[f"govops {extra}"] = [*gov, *extra.split()]
        samples = interleaved(cases, env, args.runs)
    base = statistics.median(samples["typer hello"])
    print(f"runs per command: {args.runs} (median wall time)")
    for name, values in samples.items():
        med = statistics.median(values)
        print(f"{name:45s} {med * 1000:8.1f} ms   ratio {med / base:5.2f}")


if __name__ == "__main__":
    main()
