"""The probe results table (`xc_probe`): what a probe found on an asset's host.

The SSH probe (`infra/xc/probe.py`) collects a host's files, classifies them
(`infra.xc.classify.classify`), judges the result against the ledger (`verdict`)
and writes one row per host with `record_probe`, inside the caller's transaction.
`asset show` lists an asset's rows; `latest_probes` gives each asset's newest one.

Outcomes: `compliant` (a domestic CPU and OS, matching what the ledger records),
`mismatch` (anything else found on a host that answered), `unreachable` (no
answer, refused host key, failed login: `reason` says which). Evidence and
classification are JSON objects, at most `MAX_JSON` characters each.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from infra.errors import InvalidInput
from infra.store import Tx
from infra.xc import values
from infra.xc.classify import Classification

OUTCOMES = ("compliant", "mismatch", "unreachable")
MAX_JSON = 1 << 20
"""The longest evidence or classification stored per probe (1 MiB of JSON text)."""
MAX_REASON = 500

_COLUMNS = (
    "p.id, a.serial, p.probed_at, p.actor, p.outcome, p.reason, p.evidence,"
    " p.classification, p.host_key, p.host_key_trust"
)


def _json(value: Any, what: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, Classification):
        value = value.as_dict()
    if not isinstance(value, Mapping):
        raise InvalidInput(f"probe {what} must be a JSON object")
    try:
        text = json.dumps(dict(value), ensure_ascii=False, sort_keys=True)
    except (TypeError, ValueError) as exc:
        raise InvalidInput(f"probe {what} is not JSON: {exc}") from None
    if len(text) > MAX_JSON:
        raise InvalidInput(
            f"probe {what} is {len(text):,} characters of JSON; at most {MAX_JSON:,}"
        )
    return text


def _row(row: Any) -> dict[str, Any]:
    return {
        "serial": row["serial"],
        "probed_at": row["probed_at"],
        "actor": row["actor"],
        "outcome": row["outcome"],
        "reason": row["reason"],
        "evidence": json.loads(row["evidence"]) if row["evidence"] else None,
        "classification": json.loads(row["classification"]) if row["classification"] else None,
        "host_key": row["host_key"],
        "host_key_trust": row["host_key_trust"],
    }


def record_probe(
    tx: Tx,
    serial: str,
    outcome: str,
    *,
    reason: str | None = None,
    evidence: Mapping[str, Any] | None = None,
    classification: Classification | Mapping[str, Any] | None = None,
    host_key: str | None = None,
    host_key_trust: str | None = None,
) -> dict[str, Any]:
    """Record one probe of the asset `serial`, in the caller's transaction (audited).

    `host_key` is the host key's fingerprint (e.g. `SHA256:…`); `host_key_trust` how
    it was trusted (`known`, or the user's choice to accept a new or changed key),
    so that choice stays on record. Returns the stored row as `latest_probes` does."""
    ref = values.serial(serial)
    if outcome not in OUTCOMES:
        raise InvalidInput(
            f"unknown probe outcome {values.shown(str(outcome))}: one of {', '.join(OUTCOMES)}"
        )
    why = values.text(reason, "probe reason", MAX_REASON)
    key = values.text(host_key, "host key fingerprint", 200)
    trust = values.text(host_key_trust, "host key trust", 100)
    row = tx.one("SELECT id FROM xc_asset WHERE serial = ?", (ref,))
    if row is None:
        raise values.UnknownAsset(f"no asset with serial {values.shown(ref)}")
    tx.execute(
        "INSERT INTO xc_probe (asset_id, probed_at, actor, outcome, reason, evidence,"
        " classification, host_key, host_key_trust) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            int(row["id"]),
            tx.now,
            tx.actor,
            outcome,
            why,
            _json(evidence, "evidence"),
            _json(classification, "classification"),
            key,
            trust,
        ),
    )
    tx.audit(
        "xc.probe",
        "xc_asset",
        ref,
        None,
        {"outcome": outcome, "reason": why, "host_key": key, "host_key_trust": trust},
    )
    return probes_of(tx, ref, limit=1)[0]


def probes_of(tx: Tx, serial: str, limit: int = 20) -> list[dict[str, Any]]:
    """An asset's probe results, newest first (at most `limit`)."""
    rows = tx.all(
        f"SELECT {_COLUMNS} FROM xc_probe p JOIN xc_asset a ON a.id = p.asset_id"
        " WHERE a.serial = ? ORDER BY p.probed_at DESC, p.id DESC LIMIT ?",
        (serial, limit),
    )
    return [_row(r) for r in rows]


def latest_probes(tx: Tx, serials: Sequence[str] | None = None) -> list[dict[str, Any]]:
    """Each asset's newest probe result (of the assets `serials`, or of all),
    ordered by serial; assets never probed are left out."""
    rows = tx.all(
        f"SELECT {_COLUMNS} FROM (SELECT id, ROW_NUMBER() OVER (PARTITION BY asset_id"
        " ORDER BY probed_at DESC, id DESC) AS n FROM xc_probe) newest"
        " JOIN xc_probe p ON p.id = newest.id JOIN xc_asset a ON a.id = p.asset_id"
        " WHERE newest.n = 1 ORDER BY a.serial"
    )
    wanted = set(serials) if serials is not None else None
    return [_row(r) for r in rows if wanted is None or r["serial"] in wanted]


def targets(tx: Tx, serials: Sequence[str] | None = None) -> list[dict[str, Any]]:
    """The assets a probe can reach (those with a host, not retired), with what the
    ledger records of them: serial, kind, host, ssh_user, cpu_family, os_family.
    Named `serials` that do not exist are refused."""
    rows = tx.all(
        "SELECT serial, kind, host, ssh_user, cpu_family, os_family, status FROM xc_asset"
        " WHERE host IS NOT NULL AND status <> 'retired' ORDER BY serial"
    )
    found = [dict(r) for r in rows]
    if serials is None:
        return found
    wanted = [values.serial(s) for s in serials]
    stored = {r["serial"] for r in tx.all("SELECT serial FROM xc_asset")}
    missing = [s for s in wanted if s not in stored]
    if missing:
        raise values.UnknownAsset(
            f"no asset with serial {', '.join(map(values.shown, missing[:10]))}"
        )
    chosen = set(wanted)
    return [r for r in found if r["serial"] in chosen]


def verdict(
    found: Classification, cpu_family: str | None, os_family: str | None
) -> tuple[str, str | None]:
    """(`compliant` or `mismatch`, the reason) for what a host answered, against the
    families the ledger records (None: not recorded, any domestic one will do)."""
    problems = []
    if found.cpu_family is None:
        problems.append("the CPU family could not be told")
    elif not found.domestic_cpu:
        problems.append(f"the CPU ({found.cpu_vendor or found.arch}) is not domestic")
    elif cpu_family is not None and found.cpu_family != cpu_family:
        problems.append(f"the CPU is {found.cpu_family}, the ledger says {cpu_family}")
    if found.os_family is None:
        problems.append("the OS could not be told")
    elif not found.domestic_os:
        problems.append(f"the OS ({found.os_name or 'unknown'}) is not domestic")
    elif os_family is not None and found.os_family != os_family:
        problems.append(f"the OS is {found.os_family}, the ledger says {os_family}")
    if problems:
        return "mismatch", "; ".join(problems)
    return "compliant", None
