"""Shared helpers for the IPAM tests: a small org tree, "nothing written" snapshots,
and an independent soundness check of the stored space with the stdlib `ipaddress`.
"""

from __future__ import annotations

import ipaddress
import json
from collections import defaultdict
from typing import Any

from infra.org import units as org
from infra.store import Store, Tx
from ipam import transfer

CITY = "441600000000"  # 河源市
COUNTY_A = "441602000000"  # 河源市/源城区
TOWN_A1 = "441602001000"  # 河源市/源城区/上城街道
TOWN_A2 = "441602002000"  # 河源市/源城区/新江街道
COUNTY_B = "441621000000"  # 河源市/紫金县
TOWN_B1 = "441621100000"  # 河源市/紫金县/紫城镇


def make_orgs(store: Store) -> None:
    """河源市 → 源城区 (上城街道, 新江街道), 紫金县 (紫城镇)."""
    org.add(store, "河源市", "city", code=CITY)
    org.add(store, "源城区", "county", CITY, COUNTY_A)
    org.add(store, "上城街道", "town", COUNTY_A, TOWN_A1)
    org.add(store, "新江街道", "town", COUNTY_A, TOWN_A2)
    org.add(store, "紫金县", "county", CITY, COUNTY_B)
    org.add(store, "紫城镇", "town", COUNTY_B, TOWN_B1)


def audit_count(store: Store) -> int:
    return int(store.read(lambda tx: tx.scalar("SELECT count(*) FROM audit")))


def snapshot(store: Store) -> tuple[str, int, int]:
    """What a failed command must leave alone: the export, the audit log, the free index."""
    doc = json.dumps(transfer.export(store), sort_keys=True)
    free_rows = int(store.read(lambda tx: tx.scalar("SELECT count(*) FROM free_block")))
    return doc, audit_count(store), free_rows


def rows(store: Store, sql: str, params: tuple = ()) -> list[dict[str, Any]]:
    return store.read(lambda tx: [dict(r) for r in tx.all(sql, params)])


def execute(store: Store, sql: str, params: tuple = ()) -> None:
    """Raw SQL for tests that corrupt the database on purpose (no audit row)."""

    def run(tx: Tx) -> None:
        tx.execute(sql, params)

    store.write(run)


def _network(family: int, net: bytes, plen: int) -> Any:
    first = int.from_bytes(bytes(net), "big")
    cls = ipaddress.IPv4Network if family == 4 else ipaddress.IPv6Network
    return cls((first, plen))  # strict: a stored block never has host bits set


def prefixes(store: Store) -> list[dict[str, Any]]:
    """Every stored prefix as {id, parent_id, vrf, net (ipaddress network), status, org_id}."""
    out = []
    for r in rows(
        store,
        "SELECT p.id, p.parent_id, v.name AS vrf, p.family, p.net, p.plen, p.cidr, p.status,"
        " p.org_id, p.is_pool FROM prefix p JOIN vrf v ON v.id = p.vrf_id ORDER BY p.id",
    ):
        net = _network(int(r["family"]), r["net"], int(r["plen"]))
        assert str(net) == r["cidr"], (net, r["cidr"])
        out.append({**r, "net": net})
    return out


def verify_space(store: Store) -> list[dict[str, Any]]:
    """Prove with `ipaddress` alone that the stored tree is sound; return the prefixes.

    Every child lies strictly inside its parent (same VRF and family), siblings
    never overlap, and each prefix's children plus its free-block rows cover it
    exactly, with no gap and no overlap.
    """
    found = prefixes(store)
    by_id = {p["id"]: p for p in found}
    siblings: dict[tuple[str, Any, int], list[Any]] = defaultdict(list)
    for p in found:
        siblings[(p["vrf"], p["parent_id"], p["net"].version)].append(p["net"])
        if p["parent_id"] is not None:
            parent = by_id[p["parent_id"]]
            assert parent["vrf"] == p["vrf"]
            assert p["net"].version == parent["net"].version
            assert p["net"].subnet_of(parent["net"]) and p["net"] != parent["net"], (
                p["net"],
                parent["net"],
            )
    for nets in siblings.values():
        nets.sort(key=lambda n: (int(n.network_address), n.prefixlen))
        for a, b in zip(nets, nets[1:], strict=False):
            assert not a.overlaps(b), (a, b)
    free: dict[int, list[Any]] = defaultdict(list)
    for r in rows(
        store,
        "SELECT f.container_id, f.plen, f.net, p.family FROM free_block f"
        " JOIN prefix p ON p.id = f.container_id",
    ):
        block = _network(int(r["family"]), r["net"], int(r["plen"]))
        free[int(r["container_id"])].append(block)
    for p in found:
        net = p["net"]
        parts = list(free.get(p["id"], []))
        parts += [c["net"] for c in found if c["parent_id"] == p["id"]]
        parts.sort(key=lambda n: int(n.network_address))
        cursor = int(net.network_address)
        for part in parts:
            assert part.subnet_of(net), (part, net)
            assert int(part.network_address) == cursor, (net, part, "gap or overlap")
            cursor = int(part.broadcast_address) + 1
        assert cursor == int(net.broadcast_address) + 1, (net, "not fully covered")
    return found


def cidrs(store: Store, vrf: str = "egov") -> set[str]:
    return {str(p["net"]) for p in prefixes(store) if p["vrf"] == vrf}
