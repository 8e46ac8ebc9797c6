"""Planning throughput: the sample city against a generated city ten times its size.

Plans and applies (one transaction) IPv4 and IPv6 for every unit, village
purpose subnets included, and prints prefixes per second for each city and
their ratio. Targets: the 10x city's throughput >= 0.8x the sample's (planning
is linear), and the real-size city planned and committed in under 3 s.
Usage: python bench/plan_city.py [--scale 10]
"""

from __future__ import annotations

import argparse
import csv
import os
import tempfile
from pathlib import Path

import yaml
from _common import clock

from infra.org import importer as org_import
from infra.store import Store
from ipam import SAMPLE_DIVISIONS, SAMPLE_PLAN, plan


def scaled_tree(scale: int, out: Path) -> int:
    """The sample city with each county repeated `scale` times under new codes."""
    with open(SAMPLE_DIVISIONS, encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    city = next(r for r in rows if r["level"] == "city")
    counties = [r for r in rows if r["level"] == "county"]
    if scale * len(counties) > 99:
        raise SystemExit(f"--scale {scale} gives more than 99 counties")
    out_rows = [city]
    for copy in range(scale):
        for j, county in enumerate(counties):
            new = f"{city['code'][:4]}{copy * len(counties) + j + 1:02d}"
            old = county["code"][:6]
            for r in rows:
                if r["code"].startswith(old):
                    out_rows.append(
                        {
                            "code": new + r["code"][6:],
                            "name": r["name"] if copy == 0 else f"{r['name']}{copy}",
                            "level": r["level"],
                            "parent_code": (new + r["parent_code"][6:])
                            if r["parent_code"].startswith(old)
                            else r["parent_code"],
                        }
                    )
    with open(out, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, ["code", "name", "level", "parent_code"])
        writer.writeheader()
        writer.writerows(out_rows)
    return sum(1 for r in out_rows if r["level"] == "village")


def run_city(tree: Path, plan_doc: dict, tmp: str, name: str) -> tuple[int, float, int]:
    db = os.path.join(tmp, f"{name}.db")
    store = Store(db)
    org_import.import_file(store, tree)
    spec = plan.parse_spec(plan_doc)
    start = clock()
    result = plan.run(store, spec, apply=True)
    elapsed = clock() - start
    store.close()
    return len(result.changes), elapsed, len(result.pairs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=10)
    args = parser.parse_args()
    base = yaml.safe_load(Path(SAMPLE_PLAN).read_text(encoding="utf-8"))
    big = yaml.safe_load(Path(SAMPLE_PLAN).read_text(encoding="utf-8"))
    # Ten times the counties need a bigger pool and one more nibble at the county level.
    big["ipv4"]["pool"] = "0.0.0.0/1"
    big["ipv6"]["pool"] = "2001:db8::/32"
    with tempfile.TemporaryDirectory() as tmp:
        big_tree = Path(tmp) / "big.csv"
        villages = scaled_tree(args.scale, big_tree)
        n1, t1, p1 = run_city(Path(SAMPLE_DIVISIONS), base, tmp, "sample")
        n2, t2, p2 = run_city(big_tree, big, tmp, "big")
    r1, r2 = n1 / t1, n2 / t2
    print(
        f"sample city (1,452 villages): {n1:6} prefixes, {p1:5} pairs in {t1:6.2f} s = {r1:7.0f} prefixes/s"
    )
    print(
        f"{args.scale}x city ({villages:,} villages): {n2:6} prefixes, {p2:5} pairs in {t2:6.2f} s = {r2:7.0f} prefixes/s"
    )
    print(f"throughput ratio {args.scale}x / 1x: {r2 / r1:.2f}  (target >= 0.8)")
    print(f"sample city planned and committed in {t1:.2f} s  (target < 3 s)")


if __name__ == "__main__":
    main()
