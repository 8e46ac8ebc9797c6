"""Reading and verifying the hash-chained audit log (rows are written by Tx.audit)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from infra.store import GENESIS, Store, Tx, audit_hash


def entries(
    store: Store, limit: int = 50, object_ref: str | None = None, action: str | None = None
) -> list[dict[str, Any]]:
    """The newest audit rows first, optionally for one object or action prefix."""

    def run(tx: Tx) -> list[dict[str, Any]]:
        where: list[str] = []
        params: list[object] = []
        if object_ref:
            where.append("object_ref = ?")
            params.append(object_ref)
        if action:
            where.append("substr(action, 1, ?) = ?")
            params += [len(action), action]
        sql = (
            "SELECT id, ts, actor, note, action, object_type, object_ref, before, after FROM audit"
        )
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY id DESC LIMIT ?"
        rows = tx.all(sql, [*params, limit])
        out = []
        for r in rows:
            d = dict(r)
            damaged = []
            for key in ("before", "after"):
                try:
                    d[key] = json.loads(d[key]) if d[key] else None
                except ValueError:  # edited behind govops' back: list it, flagged
                    damaged.append(key)
            if damaged:
                d["flag"] = f"{' and '.join(damaged)} not valid JSON: run govops audit verify"
            out.append(d)
        return out

    return store.read(run)


@dataclass
class Verdict:
    ok: bool
    rows: int
    bad_id: int | None = None
    reason: str = ""
    head: str = GENESIS

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "rows": self.rows,
            "bad_id": self.bad_id,
            "reason": self.reason,
            "head": self.head,
        }


def verify(store: Store, expect_head: str | None = None) -> Verdict:
    """Walk the chain from the first row; the first row whose digest does not hold is named.

    A chain cannot show that its newest rows were cut off: keep the head digest it
    prints somewhere else (the monthly report) and pass it back as `expect_head`.
    """

    def run(tx: Tx) -> Verdict:
        prev = GENESIS
        count = 0
        cur = tx.execute(
            "SELECT id, ts, actor, note, action, object_type, object_ref, before, after,"
            " prev_hash, hash FROM audit ORDER BY id"
        )
        for r in cur:
            count += 1
            if r["prev_hash"] != prev:
                return Verdict(False, count, r["id"], "a row before it was removed or reordered")
            digest = audit_hash(
                prev,
                r["ts"],
                r["actor"],
                r["action"],
                r["object_type"],
                r["object_ref"],
                r["before"],
                r["after"],
                r["note"],
            )
            if digest != r["hash"]:
                return Verdict(False, count, r["id"], "its content was edited")
            prev = digest
        if expect_head and expect_head != prev:
            known = tx.scalar("SELECT id FROM audit WHERE hash = ?", (expect_head,))
            if known is None:
                return Verdict(
                    False, count, None, "the recorded head is gone: rows were cut off", prev
                )
        return Verdict(True, count, head=prev)

    return store.read(run)
