"""Eight OS processes allocating from one parent at once, on SQLite and PostgreSQL.

Each process opens its own Store and makes 100 `space.alloc` calls, each its own
transaction, all racing for the same free-block index.
"""

from __future__ import annotations

import ipaddress
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from conftest import ROOT
from ipam_helpers import verify_space

from infra import audit
from infra.store import Store
from ipam import space, views

WORKER = Path(__file__).with_name("ipam_alloc_worker.py")
PROCESSES = 8
EACH = 100


def race(url: str, parent: str, size: str, tmp_path: Path, *extra: str, each: int = EACH) -> list:
    go = tmp_path / "go"
    env = {**os.environ, "GOVOPS_ACTOR": "pytest"}
    procs = [
        subprocess.Popen(
            [sys.executable, str(WORKER), url, parent, size, str(each), str(go), *extra],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(PROCESSES)
    ]
    time.sleep(0.5)  # let every process import and connect first
    go.touch()
    got: list[str] = []
    failures = []
    for p in procs:
        out, err = p.communicate(timeout=120)
        if p.returncode != 0:
            failures.append((p.returncode, err.strip().splitlines()[-3:]))
        else:
            mine = json.loads(out)
            if extra:
                got.append(mine)
            else:
                assert len(mine) == each
                got.extend(mine)
    assert failures == [], failures
    return got


def test_eight_processes_allocate_without_overlap(db_url, tmp_path):
    with Store(db_url) as store:
        space.add(store, "10.0.0.0/16", status="container", pool=True)
        space.add(store, "10.0.0.0/24")  # something already there
        audit_before = audit.verify(store).rows
    got = race(db_url, "10.0.0.0/16", "/26", tmp_path)
    assert len(got) == PROCESSES * EACH == 800
    assert len(set(got)) == 800
    parent = ipaddress.ip_network("10.0.0.0/16")
    nets = sorted(ipaddress.ip_network(c) for c in got)
    assert all(n.prefixlen == 26 and n.subnet_of(parent) for n in nets)
    assert not any(n.overlaps(ipaddress.ip_network("10.0.0.0/24")) for n in nets)
    for a, b in zip(nets, nets[1:], strict=False):
        assert not a.overlaps(b), (a, b)
    # Best fit, lowest first, serialised: the 800 blocks fill the space after the /24
    # without a hole, whatever order the processes ran in.
    assert nets[0] == ipaddress.ip_network("10.0.1.0/26")
    assert nets[-1] == ipaddress.ip_network("10.0.200.192/26")
    with Store(db_url) as store:
        found = verify_space(store)
        assert {str(p["net"]) for p in found} == {"10.0.0.0/16", "10.0.0.0/24", *got}
        assert [p for p in views.check(store) if p["severity"] == "error"] == []
        verdict = audit.verify(store)
        assert verdict.ok, verdict
        assert verdict.rows == audit_before + 800
        free = views.free(store, "10.0.0.0/16")
        assert free["free_addresses"] == 65536 - 256 - 800 * 64


def test_callers_composing_ipam_in_their_own_transactions_never_overlap(db_url, tmp_path):
    """Each transaction: a block, the next shared address, the first address of the block."""
    with Store(db_url) as store:
        space.add(store, "10.0.0.0/16", status="container", pool=True)
        space.add(store, "10.1.0.0/16", status="container", pool=True)
        space.add(store, "10.1.0.0/22")
        audit_before = audit.verify(store).rows
    each = 20
    results = race(db_url, "10.0.0.0/16", "/28", tmp_path, "10.1.0.0/22", each=each)
    blocks = [b for r in results for b in r["blocks"]]
    taken = [a for r in results for a in r["addresses"]]
    assert len(blocks) == PROCESSES * each == len(set(blocks))
    assert len(taken) == 2 * PROCESSES * each == len(set(taken))
    shared = sorted(ipaddress.ip_address(a) for a in taken if a.startswith("10.1."))
    # Serialised: the shared prefix handed out one run of addresses, with no gap.
    first = ipaddress.ip_address("10.1.0.2")
    assert shared == [first + i for i in range(PROCESSES * each)]
    own = {a for a in taken if not a.startswith("10.1.")}
    assert own == {str(ipaddress.ip_network(b)[2]) for b in blocks}
    with Store(db_url) as store:
        verify_space(store)
        assert [p for p in views.check(store) if p["severity"] == "error"] == []
        verdict = audit.verify(store)
        assert verdict.ok, verdict
        # Each transaction: the block and its two addresses, each with its audit row.
        assert verdict.rows == audit_before + 3 * PROCESSES * each
