"""Every PostgreSQL advisory-lock key govops takes, and the one way to take them.

SQLite serialises writers with BEGIN IMMEDIATE, so on SQLite these are no-ops.
Locks are transaction-scoped (`pg_advisory_xact_lock`): released at commit or
rollback, never leaked by a crashed process. The numbers are a contract between
processes of different versions on one database: never renumber a key, only add.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from infra.store import Tx

AUDIT = 7_420_001
"""The audit chain: one writer appends at a time, so the chain stays linear."""

MIGRATION = 7_420_002
"""Schema migrations: the first process migrates, the others wait and find it done."""

TEST_SETUP = 7_420_003
"""The test suite installing btree_gist once per database (session-scoped)."""

ORG = 7_420_010
"""The org tree and departments: two imports adding the same unit must not both try."""

CLOUD = 7_420_020
"""The cloud's holdings: every write that changes what VMs hold (approve, provision,
resize, reject, decommission, start/stop, recording a running VM) or the limits they
are checked against (nodes, quotas) runs one at a time, so a quota or a node's
capacity is checked against usage counted inside the same transaction, and eight
admins approving at once against a quota of 5 VMs get exactly 5 approvals.

One lock for the whole cloud rather than one per node and per department: placing
a VM reads the free capacity of every candidate node, so a per-node scheme would
lock all of them anyway (in a fixed order, with the department's lock), for the
common request that names no node. Approvals are people's work, a few a minute,
each a transaction of milliseconds; one lock costs nothing there and cannot
deadlock. Taken before IPAM's space lock, never after it."""

XC = 7_420_030
"""The Xinchuang ledger: assets, application systems and phases are written one
at a time, so a serial or name checked free is still free at insert, and a status
move reads the status it replaces inside the same transaction."""

HOSTS = 7_420_040
"""Plain host records: a name checked free of hosts, VMs and asset serials is still
free at insert."""

DRILL = 7_420_050
"""Drill runs, findings and blocks: a run's name checked free is still free when its
row is written, and a finding closed once is not closed twice."""

SPACE = 742
"""An address space, with a second key `vrf_id * 10 + family`: allocations in one
VRF and family run one at a time (the EXCLUDE constraint is the last word)."""


def hold(tx: Tx, key: int) -> None:
    """Take lock `key` until the transaction ends (PostgreSQL only)."""
    if tx.dialect == "postgresql":
        tx.execute("SELECT pg_advisory_xact_lock(?)", (key,))


def hold_space(tx: Tx, vrf_id: int, family: int) -> None:
    """Take the lock of one VRF's IPv4 or IPv6 space until the transaction ends."""
    if tx.dialect == "postgresql":
        tx.execute("SELECT pg_advisory_xact_lock(?, ?)", (SPACE, vrf_id * 10 + family))
