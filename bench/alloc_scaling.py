"""Does the cost of one allocation grow with the table? (target: ratio <= 2)

Fills a pool with N allocated /30 blocks through the real allocator, punches
holes by releasing some, then times single allocations (each its own committed
transaction, as `govops ipam alloc` does) and prints the median per size and
the largest-to-smallest ratio.
Usage: python bench/alloc_scaling.py [--sizes 1000 100000] [--samples 300]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile

from _common import POOL, clock, filled_store, fragment

from ipam import space


def median_alloc(n: int, samples: int, tmp: str) -> tuple[float, int]:
    store = filled_store(os.path.join(tmp, f"scale-{n}.db"), n)
    fragment(store)
    rows = store.read(lambda tx: tx.scalar("SELECT count(*) FROM prefix"))
    times = []
    for i in range(samples):
        size = ("/26", "/30", "/24")[i % 3]
        start = clock()
        space.alloc(store, space.AllocRequest(size=size, source=POOL, purpose="probe"))
        times.append(clock() - start)
    store.close()
    return statistics.median(times), int(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 100_000])
    parser.add_argument("--samples", type=int, default=300)
    args = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            med, rows = median_alloc(n, args.samples, tmp)
            results[n] = med
            print(f"{rows:>9} prefixes in the table: median allocation {med * 1000:7.3f} ms")
    small, large = min(results), max(results)
    ratio = results[large] / results[small]
    print(f"ratio {large} / {small} prefixes: {ratio:.2f}  (target <= 2)")


if __name__ == "__main__":
    main()
