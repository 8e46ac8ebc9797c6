"""`govops cloud stats` and `govops cloud usage` on a big cloud, as whole commands,
against a bare Typer hello-world, as ratios (target: <= 1.5).

Fills a SQLite database with --vms VMs as bench/cloud_scaling.py does (8 nodes,
20 departments, 500 systems; 90 % active, 5 % stopped, 5 % decommissioned), then
runs each command --runs times, interleaved so that machine noise hits all alike,
and prints the median wall time of each and its ratio to the hello app.
Measure an ordinary install (`pip install .` in a throwaway venv, and run this
script with that venv's python): an editable install adds its own import hook to
every start.
Usage: python bench/cloud_startup.py [--runs 21] [--vms 100000]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from startup import HELLO, govops_cmd, interleaved  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--vms", type=int, default=100_000)
    args = parser.parse_args()

    from cloud_scaling import filled

    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "cloud.db")
        store, fill = filled(db, args.vms)
        store.close()
        print(f"{args.vms} VMs on the books (filled in {fill:.1f} s)")
        env = dict(os.environ, XDG_DATA_HOME=tmp, GOVOPS_DB=db)
        hello = Path(tmp) / "hello.py"
        hello.write_text(HELLO)
        gov = govops_cmd()
        cases = {
            "typer hello": [sys.executable, str(hello)],
            "govops cloud settings (reads no VMs)": [*gov, "cloud", "settings"],
            "govops cloud stats": [*gov, "cloud", "stats"],
            "govops cloud stats --since 2025-01-01": [*gov, "cloud", "stats", "--since", "2025-01-01"],
            "govops cloud usage": [*gov, "cloud", "usage"],
            "govops cloud usage --by dept": [*gov, "cloud", "usage", "--by", "dept"],
            "govops cloud usage --by system": [*gov, "cloud", "usage", "--by", "system"],
        }  # fmt: skip
        samples = interleaved(cases, env, args.runs)
    base = statistics.median(samples["typer hello"])
    print(f"runs per command: {args.runs} (median wall time); govops: {' '.join(gov)}")
    for name, values in samples.items():
        med = statistics.median(values)
        print(f"{name:40s} {med * 1000:8.1f} ms   ratio {med / base:5.2f}  (target <= 1.5)")


if __name__ == "__main__":
    main()
