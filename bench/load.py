"""Mixed load: how many operations a second do eight processes get through?

Eight OS processes (tests/load_worker.py) mix, each operation its own transaction:
IPAM allocations and releases, address assignments and releases, VMs requested,
approved or refused by a department's quota, provisioned, rejected and
decommissioned, small imports of Xinchuang assets and of departments, and now and
then what `ipam check` and `cloud check` run (which must find nothing amid the
writes), against one SQLite file and against PostgreSQL. Prints, per backend, operations per second in all and per
kind (a refusal by a quota is an operation too), then the checks afterwards: no
worker hit a lock, busy, serialisation or deadlock error or a traceback, nothing
overlaps, quotas hold, one audit row per change, the chain verifies. Exits 1 if
any check fails.

PostgreSQL when reachable at GOVOPS_TEST_PG (default
postgresql://postgres@127.0.0.1:5432/test), in a throwaway schema dropped afterwards.
Usage: python bench/load.py [--seconds 30] [--backend sqlite|postgresql|both]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from alloc_wait import pg_url

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

import load_worker  # noqa: E402


def bench(backend: str, url: str, seconds: float, tmp: Path) -> bool:
    audit_before = load_worker.prepare(url)
    results = load_worker.run(url, seconds, tmp)
    verdicts = load_worker.verify(url, results, audit_before)
    took = sum(r.get("seconds", seconds) for r in results) / len(results)
    done = load_worker.totals(results)
    total = sum(sum(c.values()) for c in done.values())
    print(
        f"{backend:<10} {load_worker.PROCESSES} processes, {took:.1f} s:"
        f" {total} operations, {total / took:8.1f} op/s"
    )
    for kind, outcomes in done.items():
        n = sum(outcomes.values())
        others = ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items()) if k != "ok")
        print(
            f"  {kind:<16} {n / took:8.1f} op/s  ({outcomes.get('ok', 0)} ok"
            + (f", {others})" if others else ")")
        )
    print("  checks: " + "; ".join(f"{name} {verdict}" for name, verdict in verdicts.items()))
    return all(v == "ok" for v in verdicts.values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    args = parser.parse_args()
    os.environ.setdefault("GOVOPS_ACTOR", "bench")
    ok = True
    if args.backend in ("sqlite", "both"):
        with tempfile.TemporaryDirectory() as tmp:
            ok &= bench("SQLite", os.path.join(tmp, "load.db"), args.seconds, Path(tmp))
    if args.backend in ("postgresql", "both"):
        with pg_url() as url, tempfile.TemporaryDirectory() as tmp:
            if url is not None:
                ok &= bench("PostgreSQL", url, args.seconds, Path(tmp))
            elif args.backend == "postgresql":
                ok = False
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
