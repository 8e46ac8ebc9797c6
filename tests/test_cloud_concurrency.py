"""Eight admins approving at once, each a different requested VM, in eight OS processes,
on SQLite and PostgreSQL: a quota of 5 VMs gives exactly 5 approvals; a node with
room for 5 VMs takes exactly 5."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT
from test_cloud_setup import FIN, build

from infra import audit
from infra.cloud import nodes, systems, vms
from infra.store import Store

WORKER = Path(__file__).with_name("cloud_approve_worker.py")
ADMINS = 8


def race(url: str, names: list[str], tmp_path: Path) -> list[dict]:
    go = tmp_path / "go"
    env = {**os.environ, "GOVOPS_ACTOR": "pytest"}
    procs = [
        subprocess.Popen(
            [sys.executable, str(WORKER), url, name, str(go)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in names
    ]
    time.sleep(0.5)  # let every process import and connect first
    go.touch()
    results, failures = [], []
    for p in procs:
        out, err = p.communicate(timeout=120)
        if p.returncode != 0:
            failures.append((p.returncode, err.strip().splitlines()[-3:]))
        else:
            results.append(json.loads(out))
    assert failures == [], failures
    return results


@pytest.mark.parametrize("limit", ["quota", "node"])
def test_eight_admins_approving_at_once_never_overshoot(db_url, tmp_path, limit):
    names = [f"race-{i}" for i in range(ADMINS)]
    with Store(db_url) as store:
        build(store)
        if limit == "quota":
            systems.set_quota(store, "YC-CZ", {"vms": 5})
            where = {}
        else:
            # 10 cores × 4.0 = 40 schedulable: room for five 8-core VMs
            nodes.add(store, "small", 10, 400, 4000)
            where = {"node": "small"}
        for name in names:
            vms.request(store, name, FIN, 8, 8, 10, **where)
        audit_before = audit.verify(store).rows
    results = race(db_url, names, tmp_path)
    approved = [r for r in results if r["outcome"] == "approved"]
    refused = [r for r in results if r["outcome"] == "refused"]
    assert len(approved) == 5 and len(refused) == 3, results
    for r in refused:
        if limit == "quota":
            assert "the quota of department YC-CZ: VMs needed 1, free 0" in r["message"]
        else:
            assert "the capacity of node small: cores needed 8, free 0" in r["message"]
    with Store(db_url) as store:
        listed = vms.list_vms(store, system=FIN)
        assert sorted(v["name"] for v in listed if v["status"] == "approved") == sorted(
            r["vm"] for r in approved
        )
        assert sum(v["status"] == "requested" for v in listed) == 3
        if limit == "quota":
            assert systems.list_quotas(store)[0]["vms_used"] == 5
        else:
            small = nodes.show(store, "small")
            assert small["cores_allocated"] == 40 and small["cores_free"] == 0
        verdict = audit.verify(store)
        assert verdict.ok and verdict.rows == audit_before + 5
