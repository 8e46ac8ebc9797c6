"""The small cloud the other cloud tests stand on, and the checks that it is what they assume.

Org: 河源市 (city) → 源城区 (county). Departments: YC-CZ (源城区财政局, of 源城区),
HY-GA (河源市公安局, of 河源市), ZR (自然资源局, no unit). IPAM: the pool
10.80.0.0/16 of 河源市 is the cloud's subnet pool; 10.90.1.0/24 is recorded as an
allocated prefix. Nodes: x1 (x86_64, 32 cores, 128 GB, 2000 GB, default ratios),
a1 (aarch64, 16 cores, 64 GB, 1000 GB). Systems: 财政一体化 (YC-CZ, 10.90.1.0/24),
警务云 (HY-GA, subnet auto → 10.80.0.0/24).
"""

from __future__ import annotations

from typing import Any

import pytest

from infra.cloud import nodes, systems, vms
from infra.org import depts
from infra.org import units as org
from infra.store import Store
from ipam import space

CITY = "441600000000"
COUNTY = "441602000000"
FIN = "财政一体化"
POLICE = "警务云"


def build(store: Store) -> None:
    org.add(store, "河源市", "city", code=CITY)
    org.add(store, "源城区", "county", CITY, COUNTY)
    depts.add(store, "源城区财政局", "YC-CZ", COUNTY)
    depts.add(store, "河源市公安局", "HY-GA", CITY)
    depts.add(store, "自然资源局", "ZR")
    space.add(store, "10.80.0.0/16", org_ref=CITY, pool=True)
    space.add(store, "10.90.0.0/16", pool=True)
    space.add(store, "10.90.1.0/24")
    systems.settings(store, "subnet-pool", "10.80.0.0/16")
    nodes.add(store, "x1", 32, 128, 2000)
    nodes.add(store, "a1", 16, 64, 1000, arch="aarch64")
    systems.add(store, FIN, "YC-CZ", 3, "10.90.1.0/24")
    systems.add(store, POLICE, "HY-GA", 4, "auto")


@pytest.fixture
def cloud(store: Store) -> Store:
    build(store)
    return store


def running(store: Store, name: str, system: str = FIN, **kw: Any) -> dict[str, Any]:
    """Request, approve and provision a VM (2 cores, 8 GB, 100 GB unless told)."""
    args = {"cores": 2, "ram_gb": 8, "disk_gb": 100, **kw}
    vms.request(store, name, system, **args)
    vms.approve(store, name)
    return vms.provision(store, name)


def events(store: Store, name: str) -> list[dict[str, Any]]:
    return vms.show(store, name)["history"]


def audit_rows(store: Store, prefix: str = "cloud.") -> list[Any]:
    return store.read(
        lambda tx: tx.all(
            "SELECT action, object_ref, before, after FROM audit WHERE action LIKE ? ORDER BY id",
            (prefix + "%",),
        )
    )


def test_the_setup_is_what_the_tests_assume(cloud):
    found = {s["name"]: s for s in systems.list_systems(cloud)}
    assert found[FIN]["subnet"] == "10.90.1.0/24" and found[FIN]["dept"] == "YC-CZ"
    assert found[POLICE]["subnet"] == "10.80.0.0/24" and found[POLICE]["mlps_level"] == 4
    got = {n["name"]: n for n in nodes.list_nodes(cloud)}
    assert got["x1"]["cores_schedulable"] == 128 and got["x1"]["ram_gb_schedulable"] == 128
    assert got["a1"]["arch"] == "aarch64" and got["a1"]["cores_schedulable"] == 64
