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
