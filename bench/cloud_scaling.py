"""Does one VM's request → approve → provision cost more in a big cloud? (target: ratio <= 1.15)

Fills a SQLite cloud with N VMs already running, put on the books with
`vms.record_in` in transactions of a few thousand: 8 nodes, 20 departments with
quotas, 500 business systems with a /24 subnet each, 90 % of the VMs active,
5 % stopped, 5 % decommissioned (their addresses released), each with its
address in IPAM. Then times single lifecycles as the CLI runs them (request,
approve, provision: three transactions of their own) for a new system of one of
the departments, decommissioning each VM afterwards (untimed), and prints the
median per size and the largest-to-smallest ratio.
Usage: python bench/cloud_scaling.py [--sizes 1000 100000] [--samples 200]
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from infra.cloud import nodes, systems, vms  # noqa: E402
from infra.org import depts  # noqa: E402
from infra.store import Store, Tx  # noqa: E402
from ipam import space  # noqa: E402

POOL = "10.128.0.0/12"
NODES = 8
DEPTS = 20
SYSTEMS = 500
BATCH = 5_000


def filled(path: str, n: int) -> tuple[Store, float]:
    """A store holding `n` VMs as described above; and the seconds the fill took."""
    store = Store(path)
    started = time.perf_counter()
    space.add(store, POOL, status="container", pool=True)
    systems.settings(store, "subnet-pool", POOL)
    for d in range(DEPTS):
        depts.add(store, f"部门{d:02d}", f"D{d:02d}")
        systems.set_quota(store, f"D{d:02d}", {"vms": 100_000, "cores": 10**6})
    for k in range(NODES):
        nodes.add(store, f"node-{k}", 40_000, 200_000, 10**7, cpu_ratio=4.0)
    subnets = []
    for s in range(SYSTEMS):
        made = systems.add(store, f"sys-{s:03d}", f"D{s % DEPTS:02d}", 3, "auto")
        subnets.append(ipaddress.ip_network(made["subnet"]))

    def batch(tx: Tx, first: int, last: int) -> None:
        for i in range(first, last):
            s = i % SYSTEMS
            name = f"vm-{i:06d}"
            vms.record_in(
                tx,
                name,
                f"sys-{s:03d}",
                f"node-{i % NODES}",
                1 + i % 4,
                2 + 2 * (i % 4),
                40,
                "2024-01-01",
                status="stopped" if i % 20 == 1 else "active",
                address=str(subnets[s][2 + i // SYSTEMS]),
            )
            if i % 20 == 2:
                vms.transition_in(tx, name, "decommission", reason="bench")

    for first in range(0, n, BATCH):
        store.write(lambda tx, f=first: batch(tx, f, min(f + BATCH, n)))
    systems.add(store, "bench-new", "D00", 3, "auto")
    return store, time.perf_counter() - started


def median_lifecycle(n: int, samples: int, tmp: str) -> tuple[float, float, int]:
    store, fill = filled(os.path.join(tmp, f"cloud-{n}.db"), n)
    rows = int(store.read(lambda tx: tx.scalar("SELECT count(*) FROM cloud_vm")))
    times = []
    for i in range(samples):
        name = f"probe-{i:04d}"
        start = time.perf_counter()
        vms.request(store, name, "bench-new", 2, 4, 40)
        vms.approve(store, name)
        vms.provision(store, name)
        times.append(time.perf_counter() - start)
        vms.decommission(store, name)
    store.close()
    return statistics.median(times), fill, rows


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 100_000])
    parser.add_argument("--samples", type=int, default=200)
    args = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            med, fill, rows = median_lifecycle(n, args.samples, tmp)
            results[n] = med
            print(
                f"{rows:>9} VMs on the books (filled in {fill:6.1f} s):"
                f" median request+approve+provision {med * 1000:7.2f} ms"
            )
    small, large = min(results), max(results)
    ratio = results[large] / results[small]
    print(f"ratio {large} / {small} VMs: {ratio:.2f}  (target <= 1.15)")


if __name__ == "__main__":
    main()
