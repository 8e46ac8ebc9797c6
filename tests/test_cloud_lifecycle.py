"""The VM lifecycle: every transition, legal and illegal; history and audit; the
address taken from and given back to IPAM in the same transaction."""

from __future__ import annotations

import json

import pytest
from conftest import Cli, login_of, one_line_error
from test_cloud_setup import FIN, POLICE, audit_rows, build, events, running

from infra import audit
from infra.cloud import vms
from infra.cloud.checks import IllegalTransition, UnknownVm
from infra.errors import Conflict, InvalidInput, NotFound
from ipam import addresses, space

ALL_ACTIONS = ("approve", "reject", "provision", "stop", "start", "decommission")


@pytest.fixture
def cloud(store):
    """The small cloud of test_cloud_setup."""
    build(store)
    return store


def _to(store, name, status):
    """A VM brought to `status` by the legal path."""
    vms.request(store, name, FIN, 2, 8, 100)
    path = {
        "requested": [],
        "approved": ["approve"],
        "rejected": ["reject"],
        "active": ["approve", "provision"],
        "stopped": ["approve", "provision", "stop"],
        "decommissioned": ["approve", "provision", "decommission"],
    }[status]
    for action in path:
        store.write(lambda tx, a=action: vms.transition_in(tx, name, a, reason="because"))
    assert vms.show(store, name)["status"] == status


LEGAL = {
    ("requested", "approve"): "approved",
    ("requested", "reject"): "rejected",
    ("approved", "reject"): "rejected",
    ("approved", "provision"): "active",
    ("active", "stop"): "stopped",
    ("stopped", "start"): "active",
    ("active", "decommission"): "decommissioned",
    ("stopped", "decommission"): "decommissioned",
}
STATUSES = ("requested", "approved", "rejected", "active", "stopped", "decommissioned")


@pytest.mark.parametrize("status", STATUSES)
def test_every_transition_from_every_status(cloud, status):
    for action in ALL_ACTIONS:
        name = f"vm-{status[:4]}-{action}"
        _to(cloud, name, status)
        before = events(cloud, name)
        audit_before = len(audit_rows(cloud))
        if (status, action) in LEGAL:
            out = cloud.write(lambda tx, a=action, n=name: vms.transition_in(tx, n, a, reason="r"))
            assert out["status"] == LEGAL[(status, action)]
            after = events(cloud, name)
            assert len(after) == len(before) + 1
            last = after[-1]
            assert (last["action"], last["from_status"], last["to_status"]) == (
                action,
                status,
                LEGAL[(status, action)],
            )
            assert last["actor"] == login_of(cloud.url) and last["ts"]
            assert audit_rows(cloud)[-1]["action"] == f"cloud.vm.{action}"
        else:
            with pytest.raises(IllegalTransition) as err:
                cloud.write(lambda tx, a=action, n=name: vms.transition_in(tx, n, a, reason="r"))
            assert f"VM {name} is {status}" in str(err.value)
            assert events(cloud, name) == before
            assert len(audit_rows(cloud)) == audit_before


def test_request_approve_provision_records_history_and_address(cloud):
    vms.request(cloud, "fin-web-01", FIN, 4, 16, 200, os="openEuler 22.03", arch="x86_64")
    assert vms.show(cloud, "fin-web-01")["node"] is None  # a wish: no node yet
    approved = vms.approve(cloud, "fin-web-01")
    assert approved["node"] == "x1" and approved["status"] == "approved"
    out = vms.provision(cloud, "fin-web-01")
    # 10.90.1.0 is the network, .1 the gateway: the first VM gets .2
    assert out["address"] == "10.90.1.2" and out["status"] == "active"
    assert out["provisioned_at"] is not None
    hist = events(cloud, "fin-web-01")
    assert [e["action"] for e in hist] == ["request", "approve", "provision"]
    assert hist[-1]["address"] == "10.90.1.2" and hist[-1]["node"] == "x1"
    ips = addresses.of_block(cloud, "10.90.1.0/24")
    assert [(a["address"], a["hostname"]) for a in ips] == [("10.90.1.2", "fin-web-01")]
    assert audit.verify(cloud).ok


def test_the_address_is_named_in_ipam_and_gone_after_decommission(cloud, db_url):
    running(cloud, "gw-01", POLICE)
    cli = Cli(db_url)
    found = cli.json("ipam", "find", "10.80.0.2")
    assert found[-1]["hostname"] == "gw-01"
    assert found[-2]["prefix"] == "10.80.0.0/24"
    listed = cli.json("ipam", "ip", "list", "10.80.0.0/24")
    assert [a["hostname"] for a in listed] == ["gw-01"]
    gone = cli.json("cloud", "vm", "decommission", "gw-01", "--reason", "retired")
    assert gone["status"] == "decommissioned" and gone["address"] is None
    assert cli.json("ipam", "ip", "list", "10.80.0.0/24") == []
    hist = cli.json("cloud", "vm", "show", "gw-01")["history"]
    assert hist[-1]["action"] == "decommission" and hist[-1]["reason"] == "retired"
    # the address is free again: the next VM of the system takes it
    assert running(cloud, "gw-02", POLICE)["address"] == "10.80.0.2"


def test_stopped_vm_keeps_its_address_and_starts_again(cloud):
    running(cloud, "app-01")
    stopped = vms.stop(cloud, "app-01")
    assert stopped["status"] == "stopped" and stopped["address"] == "10.90.1.2"
    assert [a["hostname"] for a in addresses.of_block(cloud, "10.90.1.0/24")] == ["app-01"]
    assert vms.start(cloud, "app-01")["status"] == "active"


def test_provision_with_a_given_address(cloud):
    vms.request(cloud, "db-01", FIN, 2, 8, 100)
    vms.approve(cloud, "db-01")
    out = vms.provision(cloud, "db-01", ip="10.90.1.50")
    assert out["address"] == "10.90.1.50"
    assert addresses.of_block(cloud, "10.90.1.50/32")[0]["hostname"] == "db-01"


@pytest.mark.parametrize(
    ("ip", "error", "fragment"),
    [
        ("10.90.2.5", InvalidInput, "outside 10.90.1.0/24, the subnet of system 财政一体化"),
        ("10.90.1.7", Conflict, "already assigned (someone)"),
        ("10.90.1.255", InvalidInput, "broadcast"),
        ("not-an-ip", InvalidInput, "not a valid IP address"),
    ],
)
def test_provision_refuses_a_bad_address_and_writes_nothing(cloud, ip, error, fragment):
    addresses.assign(cloud, "10.90.1.7", "someone")
    vms.request(cloud, "db-02", FIN, 2, 8, 100)
    vms.approve(cloud, "db-02")
    before = (events(cloud, "db-02"), len(audit_rows(cloud, "")))
    with pytest.raises(error, match=fragment.replace("(", r"\(").replace(")", r"\)")):
        vms.provision(cloud, "db-02", ip=ip)
    assert vms.show(cloud, "db-02")["status"] == "approved"
    assert (events(cloud, "db-02"), len(audit_rows(cloud, ""))) == before
    assert [a["address"] for a in addresses.of_block(cloud, "10.90.1.0/24")] == ["10.90.1.7"]


def test_a_full_subnet_refuses_the_provision_and_names_the_subnet(cloud):
    space.add(cloud, "10.90.2.0/30")  # one usable address: .2
    from infra.cloud import systems

    systems.add(cloud, "tiny", "ZR", subnet="10.90.2.0/30")
    running(cloud, "tiny-01", "tiny")
    vms.request(cloud, "tiny-02", "tiny", 1, 1, 10)
    vms.approve(cloud, "tiny-02")
    with pytest.raises(space.PrefixExhausted, match=r"10\.90\.2\.0/30, the subnet of system tiny"):
        vms.provision(cloud, "tiny-02")
    assert vms.show(cloud, "tiny-02")["status"] == "approved"


def test_provision_and_ipam_commit_together(cloud):
    """A failure after the address is taken leaves neither the address nor the state."""
    vms.request(cloud, "both-01", FIN, 2, 8, 100)
    vms.approve(cloud, "both-01")

    def provision_then_fail(tx):
        vms.transition_in(tx, "both-01", "provision")
        raise RuntimeError("later step failed")

    with pytest.raises(RuntimeError):
        cloud.write(provision_then_fail)
    assert vms.show(cloud, "both-01")["status"] == "approved"
    assert addresses.of_block(cloud, "10.90.1.0/24") == []


def test_reject_needs_a_reason_and_withdraws_an_approval(cloud):
    vms.request(cloud, "rj-01", FIN, 2, 8, 100)
    with pytest.raises(InvalidInput, match="needs a reason"):
        vms.reject(cloud, "rj-01", "  ")
    vms.approve(cloud, "rj-01")
    out = vms.reject(cloud, "rj-01", "no MLPS filing")
    assert out["status"] == "rejected"
    assert events(cloud, "rj-01")[-1]["reason"] == "no MLPS filing"
    with pytest.raises(IllegalTransition, match="rj-01 is rejected: only approved VMs"):
        vms.provision(cloud, "rj-01")


def test_resize_changes_resources_and_records_it(cloud):
    vms.request(cloud, "rs-01", FIN, 2, 8, 100)
    assert vms.resize(cloud, "rs-01", disk_gb=50)["disk_gb"] == 50  # a wish may shrink
    running(cloud, "rs-02")
    out = vms.resize(cloud, "rs-02", cores=4, ram_gb=16)
    assert (out["cores"], out["ram_gb"], out["disk_gb"]) == (4, 16, 100)
    last = events(cloud, "rs-02")[-1]
    assert (last["action"], last["from_status"], last["to_status"]) == (
        "resize",
        "active",
        "active",
    )
    assert (last["cores"], last["ram_gb"]) == (4, 16)
    with pytest.raises(InvalidInput, match="disk of 100 GB cannot shrink"):
        vms.resize(cloud, "rs-02", disk_gb=50)
    with pytest.raises(InvalidInput, match="say what to resize"):
        vms.resize(cloud, "rs-02")
    vms.decommission(cloud, "rs-02")
    with pytest.raises(IllegalTransition, match="rs-02 is decommissioned"):
        vms.resize(cloud, "rs-02", cores=8)


def test_duplicate_and_unknown_names(cloud):
    vms.request(cloud, "dup-01", FIN, 2, 8, 100)
    with pytest.raises(Conflict, match="a VM named dup-01 already exists"):
        vms.request(cloud, "dup-01", POLICE, 2, 8, 100)
    with pytest.raises(UnknownVm):
        vms.approve(cloud, "nobody")
    with pytest.raises(NotFound, match="no system named"):
        vms.request(cloud, "x-01", "没有这个系统", 2, 8, 100)
    with pytest.raises(NotFound, match="no node named"):
        vms.request(cloud, "x-01", FIN, 2, 8, 100, node="zz9")
    with pytest.raises(Conflict, match="node a1 is aarch64, not x86_64"):
        vms.request(cloud, "x-01", FIN, 2, 8, 100, arch="x86_64", node="a1")


def test_a_system_without_subnet_needs_the_address_named(cloud):
    from infra.cloud import systems

    systems.add(cloud, "no-net", "ZR")
    vms.request(cloud, "nn-01", "no-net", 1, 2, 20)
    vms.approve(cloud, "nn-01")
    with pytest.raises(Conflict, match="system no-net has no subnet"):
        vms.provision(cloud, "nn-01")
    assert vms.provision(cloud, "nn-01", ip="10.90.1.9")["address"] == "10.90.1.9"


def test_cli_illegal_transition_is_one_line_naming_the_state(cloud, db_url):
    cli = Cli(db_url)
    cli.ok("cloud", "vm", "request", "c-01", "--system", FIN, "--cores", "2", "--ram-gb", "4",
           "--disk-gb", "40")  # fmt: skip
    cli.ok("cloud", "vm", "reject", "c-01", "--reason", "duplicate")
    one_line_error(cli("cloud", "vm", "provision", "c-01"), "c-01 is rejected")
    running(cloud, "c-02")
    cli.ok("cloud", "vm", "decommission", "c-02")
    one_line_error(cli("cloud", "vm", "start", "c-02"), "c-02 is decommissioned")
    shown = cli.json("cloud", "vm", "show", "c-02")
    assert [e["action"] for e in shown["history"]] == [
        "request",
        "approve",
        "provision",
        "decommission",
    ]


def test_cli_lifecycle_json_forms(cloud, db_url):
    cli = Cli(db_url)
    made = cli.json("cloud", "vm", "request", "j-01", "--system", POLICE, "--cores", "2",
                    "--ram-gb", "4", "--disk-gb", "40", "--arch", "arm64")  # fmt: skip
    assert made["status"] == "requested" and made["arch"] == "aarch64"
    assert cli.json("cloud", "vm", "approve", "j-01")["node"] == "a1"
    table = cli.ok("cloud", "vm", "provision", "j-01")
    assert table.stdout == "10.80.0.2\n"
    listed = cli.json("cloud", "vm", "list")
    assert {k: listed[0][k] for k in ("name", "dept", "system", "status", "node", "address")} == {
        "name": "j-01",
        "dept": "HY-GA",
        "system": POLICE,
        "status": "active",
        "node": "a1",
        "address": "10.80.0.2",
    }
    assert (listed[0]["cores"], listed[0]["ram_gb"], listed[0]["disk_gb"]) == (2, 4, 40)
    for args, n in [
        (("--dept", "HY-GA"), 1),
        (("--dept", "YC-CZ"), 0),
        (("--system", POLICE), 1),
        (("--status", "active"), 1),
        (("--status", "stopped"), 0),
        (("--node", "a1"), 1),
        (("--node", "x1"), 0),
    ]:
        assert len(cli.json("cloud", "vm", "list", *args)) == n, args
    as_csv = cli.ok("cloud", "vm", "list", "--format", "csv").stdout
    assert as_csv.splitlines()[0].startswith("name,dept,system,status,node,cores,ram_gb,disk_gb")
    json.loads(cli.ok("cloud", "vm", "show", "j-01", "--format", "json").stdout)
    assert "provision" in cli.ok("cloud", "vm", "show", "j-01").stdout
