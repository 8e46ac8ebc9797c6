"""Running the drill checklist: pick the hosts, snapshot them, run the checks
playbook through Ansible, store every host's result for every check.

A run is recorded before Ansible starts (status `running`, with the hosts it
targets) and completed after, so a run that dies half-way is still on the books,
marked `failed` with its reason. A host Ansible could not reach is stored as
unreachable for every check, never dropped. Evidence is stored as the check
printed it, less anything that looks like a password hash or private key.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from infra import hosts, locks
from infra.drill import catalogue
from infra.drill.runs_model import Run, get
from infra.errors import Conflict, GovopsError, InvalidInput
from infra.org.units import bad_character, shown
from infra.ssh import Secret
from infra.store import Store, Tx

PLAYBOOK = "drill/checks.yml"
MAX_NAME = 100
MAX_FIELD = 2000
STATUSES = ("pass", "fail", "manual", "error", "n/a")

_HASH = re.compile(r"\$(?:1|2[abxy]?|5|6|7|y|gy|sha1|md5)\$[^\s:'\"]{4,}")
_KEY = re.compile(
    r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----.*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|\Z)", re.S
)


class DrillFailed(GovopsError):
    """The checklist could not be run (Ansible did not start or stopped)."""


def redact(text: str) -> str:
    """`text` without password hashes or private keys, whatever a check printed."""
    text = _KEY.sub("[private key removed]", text)
    return _HASH.sub("[password hash removed]", text)


def _field(value: object) -> str | None:
    if value is None:
        return None
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    text = redact(text)
    return text if len(text) <= MAX_FIELD else text[: MAX_FIELD - 1] + "…"


def run_name(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput("drill run name is empty")
    name = value.strip()
    if len(name) > MAX_NAME or bad_character(name):
        raise InvalidInput(
            f"drill run name {shown(name)} must be one line of at most {MAX_NAME} characters"
        )
    if name.isascii() and name.isdigit():
        raise InvalidInput(f"drill run name {name!r} is all digits: it would read as a run's id")
    return name


def parse_result(check_id: str, result: dict[str, Any]) -> dict[str, str | None]:
    """One check's outcome from its task's result: the JSON object its stdout's last
    line holds. Anything else is an `error` with what the task said."""
    stdout = str(result.get("stdout") or "")
    lines = [ln for ln in stdout.splitlines() if ln.strip()]
    try:
        found = json.loads(lines[-1]) if lines else None
    except ValueError:
        found = None
    if isinstance(found, dict) and found.get("status") in STATUSES:
        return {
            "status": found["status"],
            "expected": _field(found.get("expected")),
            "actual": _field(found.get("actual")),
            "evidence": _field(found.get("evidence")),
        }
    said = result.get("stderr") or result.get("msg") or stdout or "no output"
    return {
        "status": "error",
        "expected": None,
        "actual": None,
        "evidence": _field(f"{check_id} printed no result: {str(said).strip()[:500]}"),
    }


@dataclass(frozen=True)
class DrillRequest:
    """What `drill run` takes."""

    name: str
    limit: str | None = None
    checks: Sequence[str] | str | None = None
    check_mode: bool = False
    private_key: Path | None = None
    known_hosts: Path | None = None
    trust_new: bool = False
    forks: int | None = None
    # Typed at a prompt; handed to ansible-playbook's own prompt, never stored.
    password: Secret | None = None
    passphrase: Secret | None = None


def _start(
    tx: Tx, req: DrillRequest, chosen: list[catalogue.Check], picked: list[hosts.Host]
) -> int:
    locks.hold(tx, locks.DRILL)
    if tx.one("SELECT 1 FROM drill_run WHERE name = ?", (req.name,)) is not None:
        raise Conflict(f"a drill run named {shown(req.name)} exists; name this one differently")
    every = len(chosen) == len(catalogue.load())
    run_id = tx.insert(
        "INSERT INTO drill_run (name, started_at, actor, status, limit_expr, checks, check_mode)"
        " VALUES (?, ?, ?, 'running', ?, ?, ?)",
        (
            req.name,
            tx.now,
            tx.actor,
            req.limit,
            None if every else ",".join(c.id for c in chosen),
            int(req.check_mode),
        ),
    )
    tx.executemany(
        "INSERT INTO drill_host (run_id, host, kind, address, department, system, org_path,"
        " os_family, reachable) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1)",
        [
            (run_id, h.name, h.kind, h.address, h.department, h.system, h.org_path, h.os_family)
            for h in picked
        ],
    )
    tx.audit(
        "drill.run.start",
        "drill_run",
        req.name,
        None,
        {"hosts": len(picked), "checks": [c.id for c in chosen], "limit": req.limit},
    )
    return run_id


def _results(
    chosen: list[catalogue.Check], picked: list[hosts.Host], outcome: Any
) -> tuple[list[tuple[Any, ...]], dict[str, str]]:
    """(host, check, status, expected, actual, evidence) rows for every host and
    check, and the unreachable hosts with Ansible's reason."""
    by_task: dict[tuple[str, str], Any] = {}
    for event in outcome.events:
        check_id = str(event.task).split(":", 1)[0].strip()
        by_task[(event.host, check_id)] = event
    unreachable = dict(outcome.unreachable)
    rows: list[tuple[Any, ...]] = []
    for h in picked:
        for c in chosen:
            if h.name in unreachable:
                rows.append((h.name, c.id, "unreachable", None, None, _field(unreachable[h.name])))
                continue
            event = by_task.get((h.name, c.id))
            got: dict[str, str | None]
            if event is None:
                got = {"status": "error", "expected": None, "actual": None,
                       "evidence": "the check did not run on this host"}  # fmt: skip
            elif event.status == "skipped":
                got = {"status": "n/a", "expected": None, "actual": None,
                       "evidence": "skipped for this host"}  # fmt: skip
            else:
                got = parse_result(c.id, event.result or {})
            rows.append(
                (h.name, c.id, got["status"], got["expected"], got["actual"], got["evidence"])
            )
    return rows, unreachable


def _finish(
    tx: Tx, run_id: int, rows: list[tuple[Any, ...]], unreachable: dict[str, str], ident: str | None
) -> Run:
    tx.executemany(
        "INSERT INTO drill_result (run_id, host, check_id, status, expected, actual, evidence)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(run_id, *r) for r in rows],
    )
    for name, reason in unreachable.items():
        tx.execute(
            "UPDATE drill_host SET reachable = 0, reason = ? WHERE run_id = ? AND host = ?",
            (_field(reason), run_id, name),
        )
    tx.execute(
        "UPDATE drill_run SET status = 'completed', finished_at = ?, ident = ? WHERE id = ?",
        (tx.now, ident, run_id),
    )
    run = get(tx, run_id)
    counts: dict[str, int] = {}
    for r in rows:
        counts[r[2]] = counts.get(r[2], 0) + 1
    tx.audit("drill.run.complete", "drill_run", run.name, None, {"results": counts})
    return run


def _failed(tx: Tx, run_id: int, error: str) -> None:
    tx.execute(
        "UPDATE drill_run SET status = 'failed', finished_at = ?, error = ? WHERE id = ?",
        (tx.now, error[:MAX_FIELD], run_id),
    )
    tx.audit("drill.run.fail", "drill_run", str(run_id), None, {"error": error[:MAX_FIELD]})


def summary(store: Store, run: Run) -> dict[str, Any]:
    """A run's header with its counts: hosts, reachable, and results per status."""

    def read(tx: Tx) -> dict[str, Any]:
        out = run.record()
        out["hosts"] = int(tx.scalar("SELECT count(*) FROM drill_host WHERE run_id = ?", (run.id,)))
        out["unreachable"] = int(
            tx.scalar(
                "SELECT count(*) FROM drill_host WHERE run_id = ? AND reachable = 0", (run.id,)
            )
        )
        counts = dict.fromkeys((*STATUSES, "unreachable"), 0)
        for r in tx.all(
            "SELECT status, count(*) AS n FROM drill_result WHERE run_id = ? GROUP BY status",
            (run.id,),
        ):
            counts[r["status"]] = int(r["n"])
        out["results"] = counts
        return out

    return store.read(read)


def run(
    store: Store, req: DrillRequest, on_progress: Callable[..., None] | None = None
) -> dict[str, Any]:
    """Run the checklist over the hosts `req.limit` picks and store the results.

    Returns the run's summary. Raises before anything is written when the request
    is bad (name, limit, checks); raises `DrillFailed` (the run recorded as failed)
    when Ansible could not run the playbook."""
    from infra import ansible

    name = run_name(req.name)
    req = DrillRequest(**{**req.__dict__, "name": name})
    ids = req.checks.split(",") if isinstance(req.checks, str) else req.checks
    if ids is not None:
        ids = [i.strip() for i in ids if isinstance(i, str) and i.strip()]
        if not ids:
            raise InvalidInput("no check named: give check ids such as ssh-root-login,fw-active")
    chosen = catalogue.select(ids)
    listed = hosts.inventory_of(store)
    names = set(hosts.select(listed, req.limit))
    every = store.read(hosts.collect)
    picked = [h for h in every if h.name in names]
    run_id = store.write(lambda tx: _start(tx, req, chosen, picked))
    spec = ansible.RunSpec(
        playbook=PLAYBOOK,
        inventory=hosts.narrowed(listed, names),
        check=req.check_mode,
        tags=() if ids is None else tuple(c.id for c in chosen),
        forks=req.forks,
        private_key=req.private_key,
        known_hosts=req.known_hosts,
        trust_new=req.trust_new,
        password=req.password,
        passphrase=req.passphrase,
    )
    try:
        outcome = ansible.run(spec, on_progress=on_progress)
    except GovopsError as exc:
        error = str(exc)
        store.write(lambda tx: _failed(tx, run_id, error))
        raise DrillFailed(f"drill run {name!r} could not run: {exc}") from exc
    except BaseException:
        store.write(lambda tx: _failed(tx, run_id, "interrupted"))
        raise
    rows, unreachable = _results(chosen, picked, outcome)
    finished = store.write(lambda tx: _finish(tx, run_id, rows, unreachable, outcome.ident))
    return summary(store, finished)


def list_runs(store: Store) -> list[dict[str, Any]]:
    """Every run, newest first, with its host and pass/fail counts."""

    def read(tx: Tx) -> list[dict[str, Any]]:
        hosts_of = {
            int(r["run_id"]): (int(r["n"]), int(r["down"]))
            for r in tx.all(
                "SELECT run_id, count(*) AS n, sum(1 - reachable) AS down FROM drill_host"
                " GROUP BY run_id"
            )
        }
        counts: dict[int, dict[str, int]] = {}
        for r in tx.all(
            "SELECT run_id, status, count(*) AS n FROM drill_result"
            " WHERE status IN ('pass', 'fail') GROUP BY run_id, status"
        ):
            counts.setdefault(int(r["run_id"]), {})[r["status"]] = int(r["n"])
        out = []
        for row in tx.all("SELECT id FROM drill_run ORDER BY id DESC"):
            run = get(tx, int(row["id"]))
            n, down = hosts_of.get(run.id, (0, 0))
            got = counts.get(run.id, {})
            out.append(
                {
                    **run.record(),
                    "hosts": n,
                    "unreachable": down,
                    "pass": got.get("pass", 0),
                    "fail": got.get("fail", 0),
                }
            )
        return out

    return store.read(read)
