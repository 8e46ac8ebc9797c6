"""Quotas and node capacity: refusals with the figures, forcing with a reason (audited),
what holds capacity and what does not, placement, and the usage figures."""

from __future__ import annotations

import json

import pytest
from conftest import Cli, one_line_error
from test_cloud_setup import FIN, POLICE, audit_rows, build, events, running

from infra.cloud import nodes, systems, usage, vms
from infra.cloud.checks import NeedsForce, NoNode, OverLimit
from infra.errors import InvalidInput


@pytest.fixture
def cloud(store):
    """The small cloud of test_cloud_setup."""
    build(store)
    return store


def test_quota_of_vms_counts_holding_vms_only(cloud):
    systems.set_quota(cloud, "YC-CZ", {"vms": 2})
    for i in range(4):
        vms.request(cloud, f"q-{i}", FIN, 1, 1, 10)  # requests hold nothing
    vms.approve(cloud, "q-0")
    vms.approve(cloud, "q-1")
    with pytest.raises(OverLimit, match="VMs needed 1, free 0") as err:
        vms.approve(cloud, "q-2")
    assert "the quota of department YC-CZ" in str(err.value)
    # a rejected approval gives its place back; so does a decommissioned VM
    vms.reject(cloud, "q-1", "not needed")
    vms.approve(cloud, "q-2")
    vms.provision(cloud, "q-2")
    vms.decommission(cloud, "q-2")
    vms.approve(cloud, "q-3")
    held = systems.list_quotas(cloud)[0]
    assert (held["vms"], held["vms_used"], held["vms_free"]) == (2, 2, 0)


def test_quota_of_resources_refused_with_the_figures(cloud):
    systems.set_quota(cloud, "YC-CZ", {"cores": 8, "ram_gb": 32})
    running(cloud, "r-0", cores=6, ram_gb=16)
    vms.request(cloud, "r-1", FIN, 4, 24, 50)
    with pytest.raises(OverLimit) as err:
        vms.approve(cloud, "r-1")
    text = str(err.value)
    assert "approving r-1 would exceed the quota of department YC-CZ" in text
    assert "cores needed 4, free 2" in text and "GB RAM needed 24, free 16" in text
    assert vms.show(cloud, "r-1")["status"] == "requested"
    assert [e["action"] for e in events(cloud, "r-1")] == ["request"]


def test_forcing_past_a_quota_needs_a_reason_and_is_audited(cloud):
    systems.set_quota(cloud, "YC-CZ", {"vms": 0})
    vms.request(cloud, "f-1", FIN, 2, 8, 100)
    with pytest.raises(InvalidInput, match="forcing an approval needs a reason"):
        vms.approve(cloud, "f-1", force=True)
    out = vms.approve(cloud, "f-1", force=True, reason="emergency: flood response")
    assert out["status"] == "approved"
    last = events(cloud, "f-1")[-1]
    assert last["forced"] is True and last["reason"] == "emergency: flood response"
    row = audit_rows(cloud, "cloud.vm.approve")[-1]
    after = json.loads(row["after"])
    assert after["forced"] is True and after["reason"] == "emergency: flood response"
    assert "VMs needed 1, free 0" in after["exceeded"]
    # a force that was not needed is not recorded as forced
    systems.set_quota(cloud, "YC-CZ", {"vms": None})
    vms.request(cloud, "f-2", FIN, 2, 8, 100)
    vms.approve(cloud, "f-2", force=True, reason="habit")
    assert events(cloud, "f-2")[-1]["forced"] is False


def test_provisioning_rechecks_a_quota_lowered_since_approval(cloud):
    vms.request(cloud, "p-1", FIN, 4, 8, 100)
    vms.approve(cloud, "p-1")
    systems.set_quota(cloud, "YC-CZ", {"cores": 2})
    with pytest.raises(OverLimit, match="provisioning p-1 would exceed .* cores needed 4, free 2"):
        vms.provision(cloud, "p-1")
    out = vms.provision(cloud, "p-1", force=True, reason="agreed with the bureau")
    assert out["status"] == "active"
    assert events(cloud, "p-1")[-1]["forced"] is True


def test_node_capacity_refusal_and_force(cloud):
    # x1: 128 schedulable cores, 128 GB, 2000 GB; a1: 64 cores, 64 GB, 1000 GB
    vms.request(cloud, "big-1", FIN, 100, 100, 1500, node="x1")
    vms.approve(cloud, "big-1")
    vms.request(cloud, "big-2", FIN, 40, 40, 100, node="x1")
    with pytest.raises(OverLimit) as err:
        vms.approve(cloud, "big-2")
    assert "the capacity of node x1: cores needed 40, free 28; GB RAM needed 40, free 28" in str(
        err.value
    )
    vms.approve(cloud, "big-2", force=True, reason="temporary, migrating next week")
    row = [n for n in nodes.list_nodes(cloud) if n["name"] == "x1"][0]
    assert row["cores_allocated"] == 140 and row["cores_free"] == -12
    assert row["ram_gb_overcommit"] == 1.09  # 140 GB on 128 usable


def test_resize_is_checked_like_an_approval(cloud):
    systems.set_quota(cloud, "YC-CZ", {"cores": 10})
    running(cloud, "g-1", cores=4, arch="x86_64")
    running(cloud, "g-2", cores=4, arch="x86_64")
    with pytest.raises(OverLimit, match="resizing g-1 would exceed .* cores needed 8, free 6"):
        vms.resize(cloud, "g-1", cores=8)
    assert vms.resize(cloud, "g-1", cores=6)["cores"] == 6  # exactly the quota
    # shrinking, or growing what is not limited, passes though the quota is full
    assert vms.resize(cloud, "g-1", cores=5, ram_gb=12)["ram_gb"] == 12
    # node capacity: a1 has 64 GB
    vms.request(cloud, "g-3", POLICE, 2, 60, 10, arch="aarch64")
    vms.approve(cloud, "g-3")
    with pytest.raises(OverLimit, match="node a1: GB RAM needed 65, free 64"):
        vms.resize(cloud, "g-3", ram_gb=65)
    out = vms.resize(cloud, "g-3", ram_gb=65, force=True, reason="burst")
    assert out["ram_gb"] == 65 and events(cloud, "g-3")[-1]["forced"] is True
    # a request holds nothing: resizing it is never refused
    vms.request(cloud, "g-4", FIN, 1, 1, 10)
    assert vms.resize(cloud, "g-4", cores=4000)["cores"] == 4000


def test_placement_follows_the_architecture_and_the_free_capacity(cloud):
    nodes.add(cloud, "x2", 32, 128, 2000)
    # x1 and x2 are equal: the tie goes by name; then the emptier node wins
    vms.request(cloud, "pl-1", FIN, 16, 64, 500, arch="x86_64")
    assert vms.approve(cloud, "pl-1")["node"] == "x1"
    vms.request(cloud, "pl-2", FIN, 16, 64, 500, arch="x86_64")
    assert vms.approve(cloud, "pl-2")["node"] == "x2"
    vms.request(cloud, "pl-3", FIN, 2, 2, 10, arch="x86_64")
    vms.request(cloud, "pl-4", FIN, 2, 2, 10, arch="aarch64")
    assert vms.approve(cloud, "pl-4")["node"] == "a1"
    # pl-3 fits only where there is room: fill x1 and x2 to the brim on RAM
    vms.request(cloud, "fill-x1", FIN, 1, 64, 10, node="x1")
    vms.approve(cloud, "fill-x1")
    vms.request(cloud, "fill-x2", FIN, 1, 62, 10, node="x2")
    vms.approve(cloud, "fill-x2")
    out = vms.approve(cloud, "pl-3")
    assert out["node"] == "x2"  # x1 has no RAM left, x2 has 2 GB
    vms.request(cloud, "pl-5", FIN, 1, 8, 10, arch="x86_64")
    with pytest.raises(OverLimit, match="every node of architecture x86_64"):
        vms.approve(cloud, "pl-5")
    vms.request(cloud, "pl-6", FIN, 1, 1, 10, arch="loongarch64")
    with pytest.raises(NoNode, match="no node of architecture loongarch64"):
        vms.approve(cloud, "pl-6", force=True, reason="no node to force onto")


def test_a_vm_without_architecture_goes_anywhere_and_takes_its_nodes(cloud):
    vms.request(cloud, "any-1", FIN, 1, 1, 10)
    out = vms.approve(cloud, "any-1")
    assert out["node"] == "x1" and out["arch"] == "x86_64"  # x1 has more free capacity


def test_ram_ratio_above_one_and_a_half_must_be_forced(cloud):
    with pytest.raises(NeedsForce, match="RAM allocation ratio of 2"):
        nodes.add(cloud, "over", 8, 32, 100, ram_ratio="2.0")
    with pytest.raises(InvalidInput, match="needs a reason"):
        nodes.add(cloud, "over", 8, 32, 100, ram_ratio="2.0", force=True)
    out = nodes.add(cloud, "over", 8, 32, 100, ram_ratio="2.0", force=True, reason="VDI, KSM on")
    assert out["ram_gb_schedulable"] == 64
    after = json.loads(audit_rows(cloud, "cloud.node.add")[-1]["after"])
    assert after["forced"] is True and after["reason"] == "VDI, KSM on"
    assert nodes.add(cloud, "ok", 8, 32, 100, ram_ratio="1.5")["ram_gb_schedulable"] == 48


def test_schedulable_capacity_is_physical_less_reserved_times_ratio(cloud):
    out = nodes.add(
        cloud,
        "calc",
        48,
        256,
        1000,
        cpu_ratio="3",
        ram_ratio="0.9",
        disk_ratio="0.29",
        reserved_cores=8,
        reserved_ram_gb=16,
    )
    assert out["cores_schedulable"] == 120  # (48 - 8) × 3
    assert out["ram_gb_schedulable"] == 216  # (256 - 16) × 0.9
    assert out["disk_gb_schedulable"] == 290  # 1000 × 0.29, not 289 by float rounding


def test_usage_by_node_dept_system_and_cloud(cloud):
    systems.set_quota(cloud, "YC-CZ", {"vms": 10, "cores": 40})
    running(cloud, "u-1", cores=8, ram_gb=32, disk_gb=200)  # on x1
    running(cloud, "u-2", POLICE, cores=4, ram_gb=8, disk_gb=100, arch="aarch64")
    vms.request(cloud, "u-3", FIN, 16, 16, 16)  # a request: counted nowhere
    vms.request(cloud, "u-4", FIN, 2, 2, 20, node="x1")
    vms.approve(cloud, "u-4")  # approved: holds capacity
    by_node = {r["name"]: r for r in usage.usage(cloud, "node")}
    x1 = by_node["x1"]
    assert (x1["vms"], x1["cores_allocated"], x1["ram_gb_allocated"]) == (2, 10, 34)
    assert (x1["cores_physical"], x1["cores_schedulable"], x1["cores_free"]) == (32, 128, 118)
    assert x1["cores_overcommit"] == 0.31  # 10 cores on 32
    a1 = by_node["a1"]
    assert (a1["cores_allocated"], a1["disk_gb_free"], a1["ram_gb_overcommit"]) == (4, 900, 0.12)
    by_dept = {r["dept"]: r for r in usage.usage(cloud, "dept")}
    cz = by_dept["YC-CZ"]
    assert (cz["vms"], cz["vms_quota"], cz["vms_free"]) == (2, 10, 8)
    assert (cz["cores_allocated"], cz["cores_quota"], cz["cores_free"]) == (10, 40, 30)
    assert by_dept["HY-GA"]["cores_quota"] is None and by_dept["HY-GA"]["vms"] == 1
    by_system = {r["system"]: r for r in usage.usage(cloud, "system")}
    assert by_system[FIN]["cores_allocated"] == 10 and by_system[POLICE]["vms"] == 1
    total = usage.usage(cloud, "cloud")[0]
    assert (total["nodes"], total["vms"], total["cores_allocated"]) == (2, 3, 14)
    assert total["cores_schedulable"] == 192 and total["cores_overcommit"] == 0.29  # 14 / 48


def test_a_system_without_vms_has_zero_usage(cloud):
    rows = {r["system"]: r for r in usage.usage(cloud, "system")}
    assert rows[FIN]["vms"] == 0 and rows[FIN]["cores_allocated"] == 0


def test_cli_refusal_names_the_figures_and_the_way_past(cloud, db_url):
    cli = Cli(db_url)
    cli.ok("cloud", "quota", "set", "YC-CZ", "--vms", "0")
    cli.ok("cloud", "vm", "request", "cl-1", "--system", FIN, "--cores", "1", "--ram-gb", "1",
           "--disk-gb", "10")  # fmt: skip
    line = one_line_error(cli("cloud", "vm", "approve", "cl-1"), "VMs needed 1, free 0")
    assert "--force --reason" in line
    one_line_error(cli("cloud", "vm", "approve", "cl-1", "--force"), "needs a reason")
    cli.ok("cloud", "vm", "approve", "cl-1", "--force", "--reason", "ok by the director")
    quotas = cli.json("cloud", "quota", "list")
    assert quotas[0]["vms"] == 0 and quotas[0]["vms_used"] == 1 and quotas[0]["vms_free"] == -1
    # 'none' lifts a limit
    assert cli.json("cloud", "quota", "set", "YC-CZ", "--vms", "none")["vms"] is None
    for by in ("node", "dept", "system", "cloud"):
        assert cli.json("cloud", "usage", "--by", by), by
