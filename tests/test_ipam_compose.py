"""IPAM operations composed into a caller's own transaction (a VM and its address
commit together), on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest
from ipam_helpers import COUNTY_A, audit_count, make_orgs, snapshot, verify_space

from infra import audit
from infra.errors import Conflict
from infra.store import Tx
from ipam import addresses, space, views


class CallerFailed(Exception):
    """What the composing caller raises after the IPAM calls succeeded."""


@pytest.fixture
def nets(store):
    make_orgs(store)
    space.add(store, "10.64.0.0/12", "河源市", status="container", pool=True)
    space.add(store, "10.64.0.0/16", COUNTY_A, status="container")
    space.add(store, "10.64.200.0/24", COUNTY_A, purpose="servers")
    return store


def test_calls_in_one_transaction_commit_together(nets):
    before = audit_count(nets)

    def vm(tx: Tx) -> dict[str, Any]:
        block = space.alloc_in(tx, space.AllocRequest(source="10.64.0.0/16", size="/28"))
        # A second call in the same transaction sees what the first one took.
        more = space.alloc_in(tx, space.AllocRequest(source="10.64.0.0/16", size="/28"))
        nic = addresses.next_free_in(tx, block[0]["prefix"], "vm-01")
        mgmt = addresses.next_free_in(tx, "10.64.200.0/24", "vm-01-mgmt")
        mgmt2 = addresses.next_free_in(tx, "10.64.200.0/24", "vm-02-mgmt")
        given = addresses.assign_in(tx, "10.64.200.50", "vm-01-bmc")
        gone = addresses.release_in(tx, mgmt2[0]["address"])
        return {"blocks": [block[0], more[0]], "ips": [*nic, *mgmt, given], "gone": gone}

    out = nets.write(vm)
    # Best fit: the free /24 beside the servers' block, lowest address first.
    assert [b["prefix"] for b in out["blocks"]] == ["10.64.201.0/28", "10.64.201.16/28"]
    assert [ip["address"] for ip in out["ips"]] == ["10.64.201.2", "10.64.200.2", "10.64.200.50"]
    assert out["gone"]["address"] == "10.64.200.3"
    listed = addresses.of_block(nets, "10.64.0.0/12")
    assert [(r["address"], r["hostname"]) for r in listed] == [
        ("10.64.200.2", "vm-01-mgmt"),
        ("10.64.200.50", "vm-01-bmc"),
        ("10.64.201.2", "vm-01"),
    ]
    # Each change has its audit row, written in the same transaction.
    actions = [e["action"] for e in reversed(audit.entries(nets, limit=10))]
    assert actions[-7:] == [
        "prefix.add",
        "prefix.add",
        "ip.assign",
        "ip.assign",
        "ip.assign",
        "ip.assign",
        "ip.release",
    ]
    assert audit_count(nets) == before + 7
    assert audit.verify(nets).ok
    verify_space(nets)


def test_a_caller_failing_afterwards_leaves_nothing_behind(nets):
    before = snapshot(nets)

    def vm(tx: Tx) -> None:
        got = space.alloc_in(tx, space.AllocRequest(source="10.64.0.0/16", size="/24", count=2))
        addresses.next_free_in(tx, got[0]["prefix"], "vm-01", count=3)
        addresses.assign_in(tx, "10.64.200.9", "vm-01-bmc")
        space.release_in(tx, "10.64.200.0/24", recursive=True, quarantine_days=0)
        raise CallerFailed("the hypervisor refused the VM")

    with pytest.raises(CallerFailed):
        nets.write(vm)
    assert snapshot(nets) == before
    # The space is as it was: the same call now hands out the same first block.
    got = space.alloc(nets, space.AllocRequest(source="10.64.0.0/16", size="/24"))
    assert [r["prefix"] for r in got] == ["10.64.201.0/24"]
    assert views.find(nets, "10.64.200.0/24")[-1]["purpose"] == "servers"


def test_an_ipam_refusal_inside_a_caller_rolls_back_its_earlier_calls(nets):
    before = snapshot(nets)

    def vm(tx: Tx) -> None:
        addresses.assign_in(tx, "10.64.200.9", "vm-01")
        addresses.assign_in(tx, "10.64.200.9", "vm-02")  # taken by the call before

    with pytest.raises(Conflict, match="10.64.200.9 is already assigned"):
        nets.write(vm)
    assert snapshot(nets) == before


def test_release_in_and_realloc_in_one_transaction(nets):
    space.alloc(nets, space.AllocRequest(source="10.64.0.0/16", size="/24"))

    def swap(tx: Tx) -> list[dict[str, Any]]:
        space.release_in(tx, "10.64.201.0/24", quarantine_days=0)
        return space.alloc_in(tx, space.AllocRequest(source="10.64.0.0/16", size="/24"))

    # The block given back a moment ago is free again within the same transaction.
    assert [r["prefix"] for r in nets.write(swap)] == ["10.64.201.0/24"]
    verify_space(nets)
