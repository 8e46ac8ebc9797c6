"""What a drill run found, read from the database alone: the results row by row,
the report (pass rates, score, failures, findings) and the difference between two
runs. Nothing here reaches a host.

Statuses of a result: `pass`, `fail`, `manual` (a person must judge), `error` (the
check could not run), `n/a` (does not apply to the host) and `unreachable` (the
host could not be reached, so the check never ran).

Figures (every one a percentage with one decimal, rounded half up, or None when
nothing was judged):

- pass rate = 100 × pass / (pass + fail). Only results a check judged count:
  manual, error, n/a and unreachable results are counted in their own columns and
  left out of the denominator, so an unreachable host neither lowers nor raises it.
- score = 100 × Σ weight × pass / Σ weight × (pass + fail), each result weighed by
  its check's severity in the catalogue (`WEIGHTS`: high 3, medium 2, low 1; a
  check the catalogue no longer lists weighs 1). A failed high-severity check
  lowers the score three times as much as a failed low one.

Hosts, their departments and the results are the run's own rows, as they were on
the day; the titles, clauses and severities of the checks come from the catalogue
as it is now (`infra.drill.catalogue.load`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from infra.drill import catalogue
from infra.drill.findings import SEVERITIES
from infra.drill.runs_model import Run, UnknownDrill, latest_run, resolve_run
from infra.errors import InvalidInput
from infra.org.units import shown
from infra.store import Store, Tx

__all__ = [
    "BREAKDOWNS",
    "STATUSES",
    "WEIGHTS",
    "Run",
    "UnknownDrill",
    "diff",
    "diff_in",
    "finding_counts",
    "latest_run",
    "percent",
    "report",
    "report_in",
    "resolve_run",
    "results",
    "results_in",
    "to_markdown",
]

STATUSES = ("pass", "fail", "manual", "error", "n/a", "unreachable")
"""A result's statuses, in the order counts are shown."""

WEIGHTS = {"high": 3, "medium": 2, "low": 1}
"""The weight of a result in the score, by its check's severity."""

UNLISTED_WEIGHT = 1
"""The weight of a check the catalogue no longer lists."""

BREAKDOWNS = ("host", "check", "dept")
"""The ways a report's main rows can be broken down."""


def _run(tx: Tx, ref: str | None) -> Run:
    return latest_run(tx) if ref is None else resolve_run(tx, ref)


# -- the rows of a run -------------------------------------------------------


@dataclass(frozen=True)
class _Checks:
    """The catalogue as the report reads it: order, titles, severities."""

    info: dict[str, Any]
    order: dict[str, int]

    @classmethod
    def load(cls) -> _Checks:
        listed = catalogue.load()
        return cls({c.id: c for c in listed}, {c.id: i for i, c in enumerate(listed)})

    def key(self, check_id: str) -> tuple[int, str]:
        """Catalogue order; checks it no longer lists come last, by id."""
        return (self.order.get(check_id, len(self.order)), check_id)

    def describe(self, check_id: str) -> dict[str, Any]:
        c = self.info.get(check_id)
        if c is None:
            return {"title": "", "mlps_ref": "", "severity": None}
        return {"title": c.title, "mlps_ref": c.mlps_ref, "severity": c.severity}

    def weight(self, check_id: str) -> int:
        c = self.info.get(check_id)
        return WEIGHTS.get(c.severity, UNLISTED_WEIGHT) if c is not None else UNLISTED_WEIGHT

    def weight_sql(self) -> tuple[str, list[str]]:
        """An SQL expression for the weight of `r.check_id`, and its parameters (the
        weights are this module's own integers, written into the SQL)."""
        if not self.info:
            return str(UNLISTED_WEIGHT), []
        ids = list(self.info)
        cases = " ".join(f"WHEN ? THEN {self.weight(c):d}" for c in ids)
        return f"CASE r.check_id {cases} ELSE {UNLISTED_WEIGHT:d} END", ids


@dataclass(frozen=True)
class _Host:
    host: str
    kind: str
    address: str | None
    department: str | None
    system: str | None
    os_family: str | None
    reachable: bool
    reason: str | None


def _hosts(tx: Tx, run: Run) -> dict[str, _Host]:
    rows = tx.all(
        "SELECT host, kind, address, department, system, os_family, reachable, reason"
        " FROM drill_host WHERE run_id = ? ORDER BY host",
        (run.id,),
    )
    return {
        r["host"]: _Host(
            r["host"],
            r["kind"],
            r["address"],
            r["department"],
            r["system"],
            r["os_family"],
            bool(r["reachable"]),
            r["reason"],
        )
        for r in rows
    }


def _missing(
    run: Run, hosts: Mapping[str, _Host], seen_hosts: set[str], seen_checks: Iterable[str]
) -> list[tuple[_Host, str]]:
    """The (host, check) results to fill in as `unreachable`: a host recorded
    unreachable that has no result rows gets one per check the run selected (every
    check the run has results for, when it selected all; the catalogue's, if none)."""
    silent = [h for h in hosts.values() if not h.reachable and h.host not in seen_hosts]
    if not silent:
        return []
    if run.checks is not None:
        selected = list(run.checks)
    else:
        selected = sorted(seen_checks) or [c.id for c in catalogue.load()]
    return [(h, check_id) for h in silent for check_id in selected]


def _results(tx: Tx, run: Run, hosts: Mapping[str, _Host]) -> list[dict[str, Any]]:
    """The run's results as {host, check_id, status, expected, actual, evidence}, with
    the `unreachable` ones filled in (`_missing`); an unreachable result's evidence
    is the reason the host could not be reached, if the row gives none."""
    rows = [
        dict(r)
        for r in tx.all(
            "SELECT host, check_id, status, expected, actual, evidence FROM drill_result"
            " WHERE run_id = ?",
            (run.id,),
        )
    ]
    for h, check_id in _missing(
        run, hosts, {r["host"] for r in rows}, {r["check_id"] for r in rows}
    ):
        rows.append(
            {
                "host": h.host,
                "check_id": check_id,
                "status": "unreachable",
                "expected": None,
                "actual": None,
                "evidence": h.reason,
            }
        )
    for r in rows:
        if r["status"] == "unreachable" and not r["evidence"]:
            known = hosts.get(r["host"])
            r["evidence"] = known.reason if known is not None else None
    return rows


def results_in(tx: Tx, run: Run) -> list[dict[str, Any]]:
    """Every result of `run`, ordered by host, then catalogue order.

    Keys: host, department, check, title, mlps_ref, severity, status, expected,
    actual, evidence.
    """
    checks = _Checks.load()
    hosts = _hosts(tx, run)
    out = []
    for r in _results(tx, run, hosts):
        h = hosts.get(r["host"])
        out.append(
            {
                "host": r["host"],
                "department": h.department if h is not None else None,
                "check": r["check_id"],
                **checks.describe(r["check_id"]),
                "status": r["status"],
                "expected": r["expected"],
                "actual": r["actual"],
                "evidence": r["evidence"],
            }
        )
    out.sort(key=lambda r: (r["host"], checks.key(r["check"])))
    return out


def results(store: Store, ref: str) -> list[dict[str, Any]]:
    """Every result of the run `ref` (id or name); see `results_in`."""
    return store.read(lambda tx: results_in(tx, resolve_run(tx, ref)))


# -- figures -----------------------------------------------------------------


def percent(part: int, whole: int) -> float | None:
    """100 × part / whole with one decimal, rounded half up; None when whole is 0."""
    if whole == 0:
        return None
    value = (Decimal(100 * part) / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return float(value)


class _Tally:
    """Counts of each status and the weighted passes and judgements, for one group."""

    __slots__ = ("counts", "weighed_pass", "weighed_judged")

    def __init__(self) -> None:
        self.counts = dict.fromkeys(STATUSES, 0)
        self.weighed_pass = 0
        self.weighed_judged = 0

    def add(self, status: str, n: int, weight: int) -> None:
        """Count `n` results of `status` whose weights sum to `weight`."""
        self.counts[status] += n
        if status == "pass":
            self.weighed_pass += weight
        if status in ("pass", "fail"):
            self.weighed_judged += weight

    def figures(self) -> dict[str, Any]:
        c = self.counts
        return {
            **c,
            "rate": percent(c["pass"], c["pass"] + c["fail"]),
            "score": percent(self.weighed_pass, self.weighed_judged),
        }


def _dept_key(name: str | None) -> tuple[int, str]:
    return (1, "") if name is None else (0, name)


def report_in(tx: Tx, run: Run, by: str = "host") -> dict[str, Any]:
    """The report of one run (see the module's docstring for rate and score).

    Keys:
    - `run`: the run's header (`Run.record`);
    - `hosts`: {targeted, reachable, unreachable, failing} counts (failing: hosts
      with at least one failed check);
    - `summary`: counts of each status over all results, `results`, `rate`, `score`;
    - `by` and `rows`: the main breakdown, one row per host, check or department;
    - `departments`: per department {department, hosts, counts…, rate, score};
    - `checks`: per check in catalogue order {check, title, mlps_ref, severity,
      counts…, rate, score};
    - `failing`: every failed result {host, department, check, title, mlps_ref,
      severity, expected, actual, evidence}, by host then catalogue order;
    - `errors`: results whose check could not run {host, department, check, title,
      evidence};
    - `unreachable`: the hosts that could not be reached {host, department, kind,
      address, reason};
    - `findings`: {open: {severity: n}, closed: {severity: n}, open_total, closed_total}.

    Counts are keyed by status (`pass`, `fail`, `manual`, `error`, `n/a`, `unreachable`).
    """
    if by not in BREAKDOWNS:
        raise InvalidInput(f"unknown breakdown {shown(str(by))}: one of {', '.join(BREAKDOWNS)}")
    checks = _Checks.load()
    hosts = _hosts(tx, run)
    total = _Tally()
    per_host: dict[str, _Tally] = {}
    per_check: dict[str, _Tally] = {}
    per_dept: dict[str | None, _Tally] = {}
    # Counted by the database, grouped three ways: a run of thousands of hosts has
    # tens of thousands of results, and only their counts are needed here.
    weight, params = checks.weight_sql()
    dept_join = " LEFT JOIN drill_host h ON h.run_id = r.run_id AND h.host = r.host"
    grouped: list[tuple[str, str, dict[Any, _Tally]]] = [
        ("r.host", "", per_host),
        ("r.check_id", "", per_check),
        ("h.department", dept_join, per_dept),
    ]
    for key, join, tallies in grouped:
        rows = tx.all(
            f"SELECT {key} AS k, r.status, count(*) AS n, sum({weight}) AS w"
            f" FROM drill_result r{join} WHERE r.run_id = ? GROUP BY {key}, r.status",
            (*params, run.id),
        )
        for r in rows:
            tally = tallies.get(r["k"])
            if tally is None:
                tally = tallies[r["k"]] = _Tally()
            tally.add(r["status"], int(r["n"]), int(r["w"]))
            if tallies is per_check:
                total.add(r["status"], int(r["n"]), int(r["w"]))
    for down, check_id in _missing(run, hosts, set(per_host), per_check):
        w = checks.weight(check_id)
        for tally in (
            total,
            per_host.setdefault(down.host, _Tally()),
            per_check.setdefault(check_id, _Tally()),
            per_dept.setdefault(down.department, _Tally()),
        ):
            tally.add("unreachable", 1, w)

    dept_hosts: dict[str | None, int] = {}
    for target in hosts.values():
        dept_hosts[target.department] = dept_hosts.get(target.department, 0) + 1
        per_dept.setdefault(target.department, _Tally())

    host_rows = []
    for name in sorted(set(hosts) | set(per_host)):
        h = hosts.get(name)
        host_rows.append(
            {
                "host": name,
                "department": h.department if h else None,
                "kind": h.kind if h else None,
                "address": h.address if h else None,
                "reachable": h.reachable if h else True,
                **per_host.get(name, _Tally()).figures(),
            }
        )
    check_rows = [
        {"check": c, **checks.describe(c), **per_check[c].figures()}
        for c in sorted(per_check, key=checks.key)
    ]
    dept_rows = [
        {"department": d, "hosts": dept_hosts.get(d, 0), **per_dept[d].figures()}
        for d in sorted(per_dept, key=_dept_key)
    ]
    main = {"host": host_rows, "check": check_rows, "dept": dept_rows}[by]

    detail = tx.all(
        "SELECT host, check_id, status, expected, actual, evidence FROM drill_result"
        " WHERE run_id = ? AND status IN ('fail', 'error')",
        (run.id,),
    )
    failing = []
    errors = []
    for r in sorted(detail, key=lambda r: (r["host"], checks.key(r["check_id"]))):
        h = hosts.get(r["host"])
        about = {
            "host": r["host"],
            "department": h.department if h else None,
            "check": r["check_id"],
            **checks.describe(r["check_id"]),
        }
        if r["status"] == "fail":
            failing.append(
                {
                    **about,
                    "expected": r["expected"],
                    "actual": r["actual"],
                    "evidence": r["evidence"],
                }
            )
        else:
            errors.append({**about, "evidence": r["evidence"]})

    unreachable = [
        {
            "host": h.host,
            "department": h.department,
            "kind": h.kind,
            "address": h.address,
            "reason": h.reason,
        }
        for h in hosts.values()
        if not h.reachable
    ]
    summary = total.figures()
    summary["results"] = sum(total.counts.values())
    return {
        "run": run.record(),
        "hosts": {
            "targeted": len(hosts),
            "reachable": len(hosts) - len(unreachable),
            "unreachable": len(unreachable),
            "failing": len({r["host"] for r in failing}),
        },
        "summary": summary,
        "by": by,
        "rows": main,
        "departments": dept_rows,
        "checks": check_rows,
        "failing": failing,
        "errors": errors,
        "unreachable": unreachable,
        "findings": finding_counts(tx, run),
    }


def report(store: Store, ref: str | None = None, by: str = "host") -> dict[str, Any]:
    """The report of the run `ref` (id or name; None: the latest completed run)."""
    return store.read(lambda tx: report_in(tx, _run(tx, ref), by))


def finding_counts(tx: Tx, run: Run) -> dict[str, Any]:
    """The run's findings counted by status and severity (every severity present, 0 if none)."""
    out: dict[str, Any] = {
        "open": dict.fromkeys(SEVERITIES, 0),
        "closed": dict.fromkeys(SEVERITIES, 0),
    }
    rows = tx.all(
        "SELECT status, severity, count(*) AS n FROM drill_finding WHERE run_id = ?"
        " GROUP BY status, severity",
        (run.id,),
    )
    for r in rows:
        out[r["status"]][r["severity"]] = int(r["n"])
    out["open_total"] = sum(out["open"].values())
    out["closed_total"] = sum(out["closed"].values())
    return out


# -- two runs ----------------------------------------------------------------


def diff_in(tx: Tx, a: Run, b: Run) -> dict[str, Any]:
    """What changed from run `a` to run `b`, per (host, check).

    Every failure in either run lands in exactly one list:
    - `fixed`: failed in A, passes in B;
    - `still_failing`: failed in A, fails in B;
    - `unreachable`: failed in A, but the host could not be reached in B (not fixed:
      nobody looked);
    - `unverified`: failed in A, and in B the check was not run on the host, could
      not run (error), needs a person (manual) or no longer applies (n/a);
    - `newly_failing`: fails in B, and in A passed, was not run (a host or check
      new in B) or was not judged (unreachable, error, manual, n/a).

    A row: {host, department, check, title, mlps_ref, severity, a, b, evidence}, `a`
    and `b` the statuses (None where the run has no such result), `evidence` B's
    (A's when B has none). Rows go by host, then catalogue order.

    Hosts: `hosts_added` (targeted in B, not in A) and `hosts_gone` (in A, not in B)
    as {host, department, kind, address}; `hosts_unreachable` the hosts B could not
    reach {host, department, reason, reachable_in_a} (None: not targeted in A).
    `counts` has the length of each list.
    """
    checks = _Checks.load()
    hosts_a = _hosts(tx, a)
    hosts_b = _hosts(tx, b)
    res_a = {(r["host"], r["check_id"]): r for r in _results(tx, a, hosts_a)}
    res_b = {(r["host"], r["check_id"]): r for r in _results(tx, b, hosts_b)}
    lists: dict[str, list[dict[str, Any]]] = {
        k: [] for k in ("fixed", "newly_failing", "still_failing", "unreachable", "unverified")
    }
    keys = sorted(set(res_a) | set(res_b), key=lambda k: (k[0], checks.key(k[1])))
    for host, check_id in keys:
        ra = res_a.get((host, check_id))
        rb = res_b.get((host, check_id))
        sa = ra["status"] if ra else None
        sb = rb["status"] if rb else None
        if sa == "fail":
            if sb == "pass":
                kind = "fixed"
            elif sb == "fail":
                kind = "still_failing"
            elif sb == "unreachable":
                kind = "unreachable"
            else:
                kind = "unverified"
        elif sb == "fail":
            kind = "newly_failing"
        else:
            continue
        h = hosts_b.get(host) or hosts_a.get(host)
        lists[kind].append(
            {
                "host": host,
                "department": h.department if h else None,
                "check": check_id,
                **checks.describe(check_id),
                "a": sa,
                "b": sb,
                "evidence": (rb if rb is not None else ra or {}).get("evidence"),
            }
        )

    def brief(h: _Host) -> dict[str, Any]:
        return {"host": h.host, "department": h.department, "kind": h.kind, "address": h.address}

    added = [brief(h) for name, h in hosts_b.items() if name not in hosts_a]
    gone = [brief(h) for name, h in hosts_a.items() if name not in hosts_b]
    unreachable = [
        {
            "host": h.host,
            "department": h.department,
            "reason": h.reason,
            "reachable_in_a": hosts_a[h.host].reachable if h.host in hosts_a else None,
        }
        for h in hosts_b.values()
        if not h.reachable
    ]
    out: dict[str, Any] = {"a": a.record(), "b": b.record(), **lists}
    out.update(hosts_added=added, hosts_gone=gone, hosts_unreachable=unreachable)
    out["counts"] = {
        k: len(out[k])
        for k in (
            *lists,
            "hosts_added",
            "hosts_gone",
            "hosts_unreachable",
        )
    }
    return out


def diff(store: Store, a: str, b: str) -> dict[str, Any]:
    """What changed between the runs `a` and `b` (ids or names); see `diff_in`."""

    def run(tx: Tx) -> dict[str, Any]:
        first = resolve_run(tx, a)
        second = resolve_run(tx, b)
        if first.id == second.id:
            raise InvalidInput(f"both sides name the same drill run {shown(first.name)}")
        return diff_in(tx, first, second)

    return store.read(run)


# -- Markdown ----------------------------------------------------------------

_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]<>|#"})


def _md(value: object) -> str:
    """A value as one Markdown table cell: one line, special characters escaped."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.1f}%"
    return " ".join(str(value).split()).translate(_MD_SPECIAL) or "—"


def _table(headers: list[str], rows: Iterable[list[object]]) -> list[str]:
    lines = [
        "| " + " | ".join(headers) + " |",
        "|" + "|".join("---" for _ in headers) + "|",
    ]
    lines += ["| " + " | ".join(_md(v) for v in row) + " |" for row in rows]
    return lines


_COUNT_HEADERS = ["pass", "fail", "manual", "error", "n/a", "unreachable", "rate", "score"]


def _counts(row: Mapping[str, Any]) -> list[object]:
    return [*(row[s] for s in STATUSES), row["rate"], row["score"]]


def to_markdown(rep: Mapping[str, Any]) -> str:
    """A report (as `report` returns it) as a Markdown document."""
    run = rep["run"]
    hosts = rep["hosts"]
    summary = rep["summary"]
    findings = rep["findings"]
    out = [f"# Drill report: {_md(run['name'])}", ""]
    out += [
        f"- Run: {run['id']} ({_md(run['status'])}), started {_md(run['started_at'])},"
        f" finished {_md(run['finished_at'])}, by {_md(run['actor'])}",
        f"- Hosts: {hosts['targeted']} targeted, {hosts['reachable']} reachable,"
        f" {hosts['unreachable']} unreachable, {hosts['failing']} with failed checks",
        f"- Pass rate: {_md(summary['rate'])} ({summary['pass']} passed,"
        f" {summary['fail']} failed; not rated: {summary['manual']} manual,"
        f" {summary['error']} error, {summary['n/a']} n/a, {summary['unreachable']} unreachable)",
        f"- Score (weighted by severity): {_md(summary['score'])}",
        f"- Findings: {findings['open_total']} open, {findings['closed_total']} closed",
    ]
    if run["limit"]:
        out.append(f"- Limit: {_md(run['limit'])}")
    if run["check_mode"]:
        out.append("- Check mode: yes")
    if run["error"]:
        out.append(f"- Error: {_md(run['error'])}")

    tables = {
        "host": lambda: _table(
            ["host", "department", "kind", "address", *_COUNT_HEADERS],
            (
                [r["host"], r["department"], r["kind"], r["address"], *_counts(r)]
                for r in rep["rows"]
            ),
        ),
        "check": lambda: _table(
            ["check", "title", "MLPS", "severity", *_COUNT_HEADERS],
            (
                [r["check"], r["title"], r["mlps_ref"], r["severity"], *_counts(r)]
                for r in rep["checks"]
            ),
        ),
        "dept": lambda: _table(
            ["department", "hosts", *_COUNT_HEADERS],
            ([r["department"], r["hosts"], *_counts(r)] for r in rep["departments"]),
        ),
    }
    titles = {"host": "By host", "check": "By check", "dept": "By department"}
    # The chosen breakdown first; departments and checks always (hosts only when chosen:
    # the rows carry them).
    for by in dict.fromkeys([rep["by"], "dept", "check"]):
        out += ["", f"## {titles[by]}", "", *tables[by]()]

    if rep["failing"]:
        out += ["", "## Failing", ""]
        out += _table(
            ["host", "department", "check", "title", "severity", "expected", "actual", "evidence"],
            (
                [
                    r["host"],
                    r["department"],
                    r["check"],
                    r["title"],
                    r["severity"],
                    r["expected"],
                    r["actual"],
                    r["evidence"],
                ]
                for r in rep["failing"]
            ),
        )
    if rep["errors"]:
        out += ["", "## Checks that could not run", ""]
        out += _table(
            ["host", "check", "title", "evidence"],
            ([r["host"], r["check"], r["title"], r["evidence"]] for r in rep["errors"]),
        )
    if rep["unreachable"]:
        out += ["", "## Unreachable hosts", ""]
        out += _table(
            ["host", "department", "address", "reason"],
            ([r["host"], r["department"], r["address"], r["reason"]] for r in rep["unreachable"]),
        )
    out += ["", "## Findings", ""]
    severities = list(findings["open"])
    out += _table(
        ["status", *severities, "total"],
        [
            ["open", *(findings["open"][s] for s in severities), findings["open_total"]],
            ["closed", *(findings["closed"][s] for s in severities), findings["closed_total"]],
        ],
    )
    return "\n".join(out) + "\n"
