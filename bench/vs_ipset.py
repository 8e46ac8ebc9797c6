"""govops' free-block index against the common IPSet approach (target: >= 50x at 100k).

The question: the first free /26 in a parent holding N children. The common way
(how NetBox computes available prefixes) loads every child, builds a
netaddr.IPSet, subtracts it from the parent and takes the smallest fitting CIDR.
govops asks its free-block index. Both read the same SQLite database.
Usage: python bench/vs_ipset.py [--sizes 10000 100000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile

import netaddr
from _common import POOL, clock, filled_store, fragment

from ipam import space
from ipam.addr import addr_text, parse_block, unblob

WANT = 26


def govops_answer(store) -> str:
    def run(tx):
        parent = space.require(tx, space.vrf_id(tx, None), parse_block(POOL))
        free = space.best_free(tx, parent, WANT)
        return f"{addr_text(4, free.first)}/{WANT}"

    return store.read(run)


def ipset_answer(store) -> str:
    def run(tx):
        parent = space.require(tx, space.vrf_id(tx, None), parse_block(POOL))
        rows = tx.all("SELECT family, net, plen FROM prefix WHERE parent_id = ?", (parent.id,))
        return [netaddr.IPNetwork((unblob(r["net"]), r["plen"]), version=4) for r in rows]

    children = store.read(run)
    free = netaddr.IPSet([POOL]) - netaddr.IPSet(children)
    fitting = [c for c in free.iter_cidrs() if c.prefixlen <= WANT]
    best = min(fitting, key=lambda c: (-c.prefixlen, c.first))
    return f"{best.network}/{WANT}"


def timed(fn, store, repeat: int) -> tuple[float, str]:
    times, answer = [], ""
    for _ in range(repeat):
        start = clock()
        answer = fn(store)
        times.append(clock() - start)
    return statistics.median(times), answer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            store = filled_store(os.path.join(tmp, f"ipset-{n}.db"), n)
            fragment(store)
            ours, a = timed(govops_answer, store, args.repeat)
            theirs, b = timed(ipset_answer, store, args.repeat)
            assert a == b, f"answers differ: govops {a}, IPSet {b}"
            print(
                f"{n:>7} children: govops {ours * 1000:8.3f} ms, IPSet {theirs * 1000:9.1f} ms,"
                f" govops {theirs / ours:7.0f}x faster (same answer {a})"
            )
            store.close()


if __name__ == "__main__":
    main()
