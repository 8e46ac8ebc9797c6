"""Drill results, reports, diffs and findings, read from runs written as the runner
writes them (drill_run + drill_host + drill_result rows), on SQLite and PostgreSQL.

The figures are counted by hand below. The checks are a fixed four (the catalogue
is swapped for them, so the numbers do not move when the real catalogue grows):

    check                severity  weight
    c1 passwd-max-days   high      3
    c2 auditd-running    medium    2
    c3 login-banner      low       1
    c4 log-retention     medium    2

Run 1 `drill-2024-05` (completed):

    host       dept    c1     c2    c3    c4
    cz-app-1   财政局   pass   pass  fail  n/a
    cz-app-2   财政局   unreachable (a row per check, as the runner writes them)
    ga-db-1    公安局   fail   fail  pass  pass
    ga-web-1   公安局   pass   fail  pass  manual
    jy-term-1  教育局   error  pass  pass  pass

    pass 9, fail 4, manual 1, error 1, n/a 1, unreachable 4 (20 results)
    rate  = 9 / 13            = 69.2
    score = 17 / (17 + 8)     = 68.0   (weighted passes 17, weighted fails 8)

Run 2 `drill-2024-06` (completed): cz-app-1 unreachable with no result rows at all
(the report fills in a row per check), jy-term-1 gone, jy-term-2 new:

    host       dept    c1     c2     c3    c4
    cz-app-2   财政局   fail   pass   pass  pass
    ga-db-1    公安局   fail   error  fail  pass
    ga-web-1   公安局   pass   pass   pass  manual
    jy-term-2  教育局   pass   fail   pass  error

Run 3 `drill-2024-07` is still running: the latest completed run is run 2.
"""

from __future__ import annotations

import threading

import pytest
from conftest import login_of

from infra import audit
from infra.drill import catalogue, findings, report
from infra.drill.findings import FindingClosed, HostNotInRun, UnknownFinding
from infra.drill.report import UnknownDrill
from infra.errors import GovopsError, InvalidInput

BOTH = ("RedHat", "Debian")
CHECKS = [
    catalogue.Check("c1", "Password maximum age", "8.1.4.1 a)", "high", BOTH),
    catalogue.Check("c2", "Audit daemon running", "8.1.4.3 a)", "medium", BOTH),
    catalogue.Check("c3", "Login banner", "", "low", BOTH),
    catalogue.Check("c4", "Log retention", "8.1.4.3 c)", "medium", BOTH),
]

FIN, POLICE, EDU = "财政局", "公安局", "教育局"

EVIDENCE = "/etc/login.defs:\nPASS_MAX_DAYS\t99999 | grep"

RUN1_HOSTS = [
    ("cz-app-1", "vm", "10.1.0.11", FIN, True, None),
    ("cz-app-2", "vm", "10.1.0.12", FIN, False, "ssh: connection refused"),
    ("ga-db-1", "server", "10.2.0.21", POLICE, True, None),
    ("ga-web-1", "server", "10.2.0.22", POLICE, True, None),
    ("jy-term-1", "terminal", "10.3.0.31", EDU, True, None),
]
RUN1 = {
    "cz-app-1": ["pass", "pass", "fail", "n/a"],
    "cz-app-2": ["unreachable"] * 4,
    "ga-db-1": ["fail", "fail", "pass", "pass"],
    "ga-web-1": ["pass", "fail", "pass", "manual"],
    "jy-term-1": ["error", "pass", "pass", "pass"],
}
RUN2_HOSTS = [
    ("cz-app-1", "vm", "10.1.0.11", FIN, False, "timed out"),
    ("cz-app-2", "vm", "10.1.0.12", FIN, True, None),
    ("ga-db-1", "server", "10.2.0.21", POLICE, True, None),
    ("ga-web-1", "server", "10.2.0.22", POLICE, True, None),
    ("jy-term-2", "terminal", "10.3.0.32", EDU, True, None),
]
RUN2 = {
    "cz-app-2": ["fail", "pass", "pass", "pass"],
    "ga-db-1": ["fail", "error", "fail", "pass"],
    "ga-web-1": ["pass", "pass", "pass", "manual"],
    "jy-term-2": ["pass", "fail", "pass", "error"],
}


@pytest.fixture
def fixed_catalogue(monkeypatch):
    monkeypatch.setattr(catalogue, "load", lambda: list(CHECKS))


def insert_run(store, name, hosts, results, status="completed", checks=None, started=None):
    """Write a run as the runner does: its row, a snapshot of each host, a row per
    (host, check) result. `results` maps a host to its statuses in check order."""
    started = started or f"{name[6:]}-01T02:00:00.000000+00:00"

    def run(tx):
        run_id = tx.insert(
            "INSERT INTO drill_run (name, started_at, finished_at, actor, status, limit_expr,"
            " checks, check_mode, ident) VALUES (?, ?, ?, 'ops', ?, NULL, ?, 0, ?)",
            (
                name,
                started,
                None if status == "running" else started.replace("T02", "T03"),
                status,
                checks,
                f"ident-{name}",
            ),
        )
        tx.executemany(
            "INSERT INTO drill_host (run_id, host, kind, address, department, system,"
            " org_path, os_family, reachable, reason) VALUES (?, ?, ?, ?, ?, NULL, NULL,"
            " 'RedHat', ?, ?)",
            [(run_id, h, kind, addr, dept, int(ok), why) for h, kind, addr, dept, ok, why in hosts],
        )
        rows = []
        for host, statuses in results.items():
            for check, outcome in zip(CHECKS, statuses, strict=True):
                evidence = f"{host} {check.id} {outcome}"
                if (host, check.id, outcome) == ("ga-db-1", "c1", "fail") and name.endswith("05"):
                    evidence = EVIDENCE
                if outcome == "unreachable":
                    evidence = None
                rows.append(
                    (
                        run_id,
                        host,
                        check.id,
                        outcome,
                        f"want {check.id}",
                        f"got {outcome}",
                        evidence,
                    )
                )
        tx.executemany(
            "INSERT INTO drill_result (run_id, host, check_id, status, expected, actual,"
            " evidence) VALUES (?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        return run_id

    return store.write(run)


@pytest.fixture
def runs(store, fixed_catalogue):
    one = insert_run(store, "drill-2024-05", RUN1_HOSTS, RUN1)
    two = insert_run(store, "drill-2024-06", RUN2_HOSTS, RUN2)
    three = insert_run(store, "drill-2024-07", RUN2_HOSTS[:1], {}, status="running", checks="c1,c2")
    return one, two, three


def snapshot(store):
    """Everything a refused operation must leave alone."""

    def read(tx):
        return (
            tx.scalar("SELECT count(*) FROM audit"),
            [
                tuple(dict(r).values())
                for r in tx.all(
                    "SELECT id, run_id, title, severity, host, reported_by, status, fix,"
                    " closed_at, closed_by FROM drill_finding ORDER BY id"
                )
            ],
        )

    return store.read(read)


def one_line(exc: BaseException) -> str:
    text = str(exc)
    assert text and "\n" not in text and "--" not in text, text
    return text


# -- runs ----------------------------------------------------------------------


def test_runs_by_id_or_name(store, runs):
    one, two, _ = runs
    r = store.read(lambda tx: report.resolve_run(tx, str(two)))
    assert (r.id, r.name, r.status, r.checks) == (two, "drill-2024-06", "completed", None)
    r = store.read(lambda tx: report.resolve_run(tx, "  drill-2024-05 "))
    assert r.id == one
    r = store.read(lambda tx: report.resolve_run(tx, "drill-2024-07"))
    assert (r.status, r.checks, r.finished_at) == ("running", ("c1", "c2"), None)
    assert r.record()["checks"] == ["c1", "c2"]
    for ref in ("drill-1999", "999", "9" * 40):
        with pytest.raises(UnknownDrill) as exc:
            store.read(lambda tx, ref=ref: report.resolve_run(tx, ref))
        assert "no drill run with id or name" in one_line(exc.value)
    for ref in ("", "   ", "a\nb"):
        with pytest.raises(InvalidInput) as exc:
            store.read(lambda tx, ref=ref: report.resolve_run(tx, ref))
        one_line(exc.value)


def test_no_completed_run(store, fixed_catalogue):
    with pytest.raises(UnknownDrill, match="no drill run has completed yet"):
        report.report(store)
    insert_run(store, "drill-2024-07", RUN2_HOSTS[:1], {}, status="running")
    with pytest.raises(UnknownDrill, match="no drill run has completed yet"):
        report.report(store)


# -- results -------------------------------------------------------------------


def test_results_rows(store, runs):
    rows = report.results(store, "drill-2024-05")
    assert len(rows) == 20
    assert [(r["host"], r["check"]) for r in rows[:5]] == [
        ("cz-app-1", "c1"),
        ("cz-app-1", "c2"),
        ("cz-app-1", "c3"),
        ("cz-app-1", "c4"),
        ("cz-app-2", "c1"),
    ]
    assert [r["status"] for r in rows if r["host"] == "ga-web-1"] == RUN1["ga-web-1"]
    fail = next(r for r in rows if (r["host"], r["check"]) == ("ga-db-1", "c1"))
    assert fail == {
        "host": "ga-db-1",
        "department": POLICE,
        "check": "c1",
        "title": "Password maximum age",
        "mlps_ref": "8.1.4.1 a)",
        "severity": "high",
        "status": "fail",
        "expected": "want c1",
        "actual": "got fail",
        "evidence": EVIDENCE,
    }
    # An unreachable host's rows carry the reason it could not be reached.
    down = [r for r in rows if r["host"] == "cz-app-2"]
    assert {r["status"] for r in down} == {"unreachable"}
    assert {r["evidence"] for r in down} == {"ssh: connection refused"}


def test_results_fill_in_an_unreachable_host_without_rows(store, runs):
    rows = report.results(store, "drill-2024-06")
    down = [r for r in rows if r["host"] == "cz-app-1"]
    assert [(r["check"], r["status"], r["evidence"]) for r in down] == [
        (c, "unreachable", "timed out") for c in ("c1", "c2", "c3", "c4")
    ]
    assert len(rows) == 20
    # A run that selected checks fills in those.
    insert_run(store, "drill-2024-08", RUN2_HOSTS[:1], {}, checks="c3,c1")
    rows = report.results(store, "drill-2024-08")
    assert [(r["host"], r["check"], r["status"]) for r in rows] == [
        ("cz-app-1", "c1", "unreachable"),
        ("cz-app-1", "c3", "unreachable"),
    ]


def test_results_order_follows_the_catalogue(store, runs, monkeypatch):
    monkeypatch.setattr(catalogue, "load", lambda: [CHECKS[3], CHECKS[1], CHECKS[0]])
    rows = report.results(store, "drill-2024-05")
    got = [(r["check"], r["title"], r["severity"]) for r in rows if r["host"] == "ga-db-1"]
    # c3 is no longer listed: it comes last, with no title or severity.
    assert got == [
        ("c4", "Log retention", "medium"),
        ("c2", "Audit daemon running", "medium"),
        ("c1", "Password maximum age", "high"),
        ("c3", "", None),
    ]


# -- report --------------------------------------------------------------------


def test_percent_rounds_half_up():
    assert report.percent(1, 16) == 6.3  # 6.25: a float round() would give 6.2
    assert report.percent(2, 3) == 66.7
    assert report.percent(1, 8) == 12.5
    assert report.percent(0, 5) == 0.0
    assert report.percent(0, 0) is None


def counts(p, f, m=0, e=0, na=0, u=0):
    return {"pass": p, "fail": f, "manual": m, "error": e, "n/a": na, "unreachable": u}


def test_report_figures(store, runs):
    rep = report.report(store, "drill-2024-05", by="dept")
    assert rep["run"]["name"] == "drill-2024-05"
    assert rep["run"]["started_at"] == "2024-05-01T02:00:00.000000+00:00"
    assert rep["hosts"] == {"targeted": 5, "reachable": 4, "unreachable": 1, "failing": 3}
    assert rep["summary"] == {
        **counts(9, 4, m=1, e=1, na=1, u=4),
        "rate": 69.2,
        "score": 68.0,
        "results": 20,
    }
    assert rep["by"] == "dept"
    assert (
        rep["rows"]
        == rep["departments"]
        == [
            {"department": POLICE, "hosts": 2, **counts(4, 3, m=1), "rate": 57.1, "score": 50.0},
            {"department": EDU, "hosts": 1, **counts(3, 0, e=1), "rate": 100.0, "score": 100.0},
            {"department": FIN, "hosts": 2, **counts(2, 1, na=1, u=4), "rate": 66.7, "score": 83.3},
        ]
    )
    assert [(c["check"], c["title"]) for c in rep["checks"]] == [(c.id, c.title) for c in CHECKS]
    assert [{k: c[k] for k in (*counts(0, 0), "rate", "score")} for c in rep["checks"]] == [
        {**counts(2, 1, e=1, u=1), "rate": 66.7, "score": 66.7},
        {**counts(2, 2, u=1), "rate": 50.0, "score": 50.0},
        {**counts(3, 1, u=1), "rate": 75.0, "score": 75.0},
        {**counts(2, 0, m=1, na=1, u=1), "rate": 100.0, "score": 100.0},
    ]
    assert [(f["host"], f["check"], f["severity"]) for f in rep["failing"]] == [
        ("cz-app-1", "c3", "low"),
        ("ga-db-1", "c1", "high"),
        ("ga-db-1", "c2", "medium"),
        ("ga-web-1", "c2", "medium"),
    ]
    assert rep["failing"][1]["evidence"] == EVIDENCE
    assert rep["failing"][1]["department"] == POLICE
    assert rep["errors"] == [
        {
            "host": "jy-term-1",
            "department": EDU,
            "check": "c1",
            "title": "Password maximum age",
            "mlps_ref": "8.1.4.1 a)",
            "severity": "high",
            "evidence": "jy-term-1 c1 error",
        }
    ]
    assert rep["unreachable"] == [
        {
            "host": "cz-app-2",
            "department": FIN,
            "kind": "vm",
            "address": "10.1.0.12",
            "reason": "ssh: connection refused",
        }
    ]
    zero = dict.fromkeys(findings.SEVERITIES, 0)
    assert rep["findings"] == {"open": zero, "closed": zero, "open_total": 0, "closed_total": 0}


def test_report_by_host_and_check(store, runs):
    rep = report.report(store, "drill-2024-05")
    assert rep["by"] == "host"
    got = [(r["host"], r["reachable"], r["rate"], r["score"]) for r in rep["rows"]]
    assert got == [
        ("cz-app-1", True, 66.7, 83.3),
        ("cz-app-2", False, None, None),
        ("ga-db-1", True, 50.0, 37.5),
        ("ga-web-1", True, 66.7, 66.7),
        ("jy-term-1", True, 100.0, 100.0),
    ]
    assert rep["rows"][1]["unreachable"] == 4
    by_check = report.report(store, str(runs[0]), by="check")
    assert by_check["rows"] == by_check["checks"] == rep["checks"]
    with pytest.raises(InvalidInput) as exc:
        report.report(store, "drill-2024-05", by="system")
    assert one_line(exc.value) == "unknown breakdown 'system': one of host, check, dept"


def test_report_defaults_to_latest_completed_run(store, runs):
    rep = report.report(store)
    assert rep["run"]["name"] == "drill-2024-06"
    assert rep["hosts"] == {"targeted": 5, "reachable": 4, "unreachable": 1, "failing": 3}
    # Run 2: pass 9 (ga-web-1 3, ga-db-1 1, cz-app-2 3, jy-term-2 2), fail 4,
    # manual 1, error 2, unreachable 4 (filled in for cz-app-1).
    # weighted: passes ga-web-1 3+2+1, ga-db-1 2, cz-app-2 2+1+2, jy-term-2 3+1 = 17;
    # fails ga-db-1 3+1, cz-app-2 3, jy-term-2 2 = 9.
    assert rep["summary"] == {
        **counts(9, 4, m=1, e=2, u=4),
        "rate": 69.2,  # 9 / 13
        "score": 65.4,  # 100 × 17 / 26 = 65.38…
        "results": 20,
    }
    assert rep["departments"][2] == {
        "department": FIN,
        "hosts": 2,
        **counts(3, 1, u=4),
        "rate": 75.0,
        "score": 62.5,  # 5 / 8
    }


def test_report_host_without_department(store, fixed_catalogue):
    insert_run(
        store,
        "drill-2024-09",
        [("jump-1", "host", "10.9.0.1", None, True, None), *RUN1_HOSTS[2:3]],
        {"jump-1": ["pass", "fail", "pass", "pass"], "ga-db-1": RUN1["ga-db-1"]},
    )
    rep = report.report(store, "drill-2024-09", by="dept")
    assert [(r["department"], r["hosts"], r["rate"]) for r in rep["rows"]] == [
        (POLICE, 1, 50.0),
        (None, 1, 75.0),
    ]


def test_markdown(store, runs):
    findings.add(store, "drill-2024-05", "Weak password on the web console", "high", "ga-web-1")
    rep = report.report(store, "drill-2024-05")
    md = report.to_markdown(rep)
    lines = md.splitlines()
    assert lines[0] == "# Drill report: drill-2024-05"
    assert "- Hosts: 5 targeted, 4 reachable, 1 unreachable, 3 with failed checks" in lines
    assert (
        "- Pass rate: 69.2% (9 passed, 4 failed; not rated: 1 manual, 1 error, 1 n/a,"
        " 4 unreachable)"
    ) in lines
    assert "- Score (weighted by severity): 68.0%" in lines
    assert "- Findings: 1 open, 0 closed" in lines
    assert lines.index("## By host") < lines.index("## By department") < lines.index("## By check")
    assert "| cz-app-2 | 财政局 | vm | 10.1.0.12 | 0 | 0 | 0 | 0 | 0 | 4 | — | — |" in lines
    # Evidence with a line break and a pipe stays one cell of one row.
    row = next(line for line in lines if line.startswith("| ga-db-1 | 公安局 | c1 |"))
    assert row.endswith(r"| /etc/login.defs: PASS\_MAX\_DAYS 99999 \| grep |")
    assert row.replace(r"\|", "").count("|") == 9
    assert "| open | 0 | 1 | 0 | 0 | 0 | 1 |" in lines
    # Every table row has as many cells as its header.
    for i, line in enumerate(lines):
        if line.startswith("|---"):
            width = lines[i - 1].count("|")
            j = i + 1
            while j < len(lines) and lines[j].startswith("|"):
                assert lines[j].replace(r"\|", "").count("|") == width, lines[j]
                j += 1
    by_dept = report.to_markdown(report.report(store, "drill-2024-05", by="dept")).splitlines()
    assert "## By host" not in by_dept
    assert by_dept.count("## By department") == 1
    assert "| 公安局 | 2 | 4 | 3 | 1 | 0 | 0 | 0 | 57.1% | 50.0% |" in by_dept


# -- diff ----------------------------------------------------------------------


def test_diff(store, runs):
    d = report.diff(store, "drill-2024-05", "drill-2024-06")
    assert (d["a"]["name"], d["b"]["name"]) == ("drill-2024-05", "drill-2024-06")

    def pairs(key):
        return [(r["host"], r["check"], r["a"], r["b"]) for r in d[key]]

    assert pairs("fixed") == [("ga-web-1", "c2", "fail", "pass")]
    assert pairs("still_failing") == [("ga-db-1", "c1", "fail", "fail")]
    assert pairs("unreachable") == [("cz-app-1", "c3", "fail", "unreachable")]
    assert pairs("unverified") == [("ga-db-1", "c2", "fail", "error")]
    assert pairs("newly_failing") == [
        ("cz-app-2", "c1", "unreachable", "fail"),
        ("ga-db-1", "c3", "pass", "fail"),
        ("jy-term-2", "c2", None, "fail"),
    ]
    assert d["fixed"][0] == {
        "host": "ga-web-1",
        "department": POLICE,
        "check": "c2",
        "title": "Audit daemon running",
        "mlps_ref": "8.1.4.3 a)",
        "severity": "medium",
        "a": "fail",
        "b": "pass",
        "evidence": "ga-web-1 c2 pass",
    }
    assert d["unreachable"][0]["evidence"] == "timed out"
    assert d["hosts_added"] == [
        {"host": "jy-term-2", "department": EDU, "kind": "terminal", "address": "10.3.0.32"}
    ]
    assert d["hosts_gone"] == [
        {"host": "jy-term-1", "department": EDU, "kind": "terminal", "address": "10.3.0.31"}
    ]
    assert d["hosts_unreachable"] == [
        {"host": "cz-app-1", "department": FIN, "reason": "timed out", "reachable_in_a": True}
    ]
    assert d["counts"] == {
        "fixed": 1,
        "newly_failing": 3,
        "still_failing": 1,
        "unreachable": 1,
        "unverified": 1,
        "hosts_added": 1,
        "hosts_gone": 1,
        "hosts_unreachable": 1,
    }


def test_diff_backwards_and_refusals(store, runs):
    d = report.diff(store, str(runs[1]), str(runs[0]))
    # From run 2 back to run 1: what run 2 failed and run 1 passed counts as fixed.
    assert [(r["host"], r["check"]) for r in d["fixed"]] == [("ga-db-1", "c3")]
    assert [(r["host"], r["check"]) for r in d["still_failing"]] == [("ga-db-1", "c1")]
    assert [(r["host"], r["check"]) for r in d["unreachable"]] == [("cz-app-2", "c1")]
    # jy-term-2 is not in run 1 at all: its failure is not confirmed fixed.
    assert [(r["host"], r["check"], r["b"]) for r in d["unverified"]] == [("jy-term-2", "c2", None)]
    assert [(r["host"], r["check"], r["a"]) for r in d["newly_failing"]] == [
        ("cz-app-1", "c3", "unreachable"),
        ("ga-db-1", "c2", "error"),
        ("ga-web-1", "c2", "pass"),
    ]
    assert d["hosts_unreachable"] == [
        {
            "host": "cz-app-2",
            "department": FIN,
            "reason": "ssh: connection refused",
            "reachable_in_a": True,
        }
    ]
    with pytest.raises(InvalidInput) as exc:
        report.diff(store, "drill-2024-05", str(runs[0]))
    assert one_line(exc.value) == "both sides name the same drill run 'drill-2024-05'"
    with pytest.raises(UnknownDrill):
        report.diff(store, "drill-2024-05", "nope")


# -- findings ------------------------------------------------------------------


def test_findings_lifecycle(store, runs):
    before = store.read(lambda tx: tx.scalar("SELECT count(*) FROM audit"))
    weak = findings.add(
        store,
        "drill-2024-05",
        "  Weak password admin/admin on the web console ",
        "High",
        host="ga-web-1",
        reported_by="红队 A",
    )
    assert {k: weak[k] for k in ("run", "title", "severity", "host", "reported_by")} == {
        "run": "drill-2024-05",
        "title": "Weak password admin/admin on the web console",
        "severity": "high",
        "host": "ga-web-1",
        "reported_by": "红队 A",
    }
    assert (weak["status"], weak["opened_by"], weak["fix"], weak["closed_at"]) == (
        "open",
        login_of(store.url),
        None,
        None,
    )
    leak = findings.add(store, str(runs[0]), "Database port open to the extranet", "critical")
    other = findings.add(store, "drill-2024-06", "Banner missing", "low", host="jy-term-2")
    assert leak["host"] is None and leak["reported_by"] is None

    closed = findings.close(store, weak["id"], "  Password changed; console behind the VPN ")
    assert (closed["status"], closed["fix"], closed["closed_by"]) == (
        "closed",
        "Password changed; console behind the VPN",
        login_of(store.url),
    )
    assert closed["closed_at"] >= closed["opened_at"]

    assert [f["id"] for f in findings.list_findings(store)] == [weak["id"], leak["id"], other["id"]]
    assert [f["id"] for f in findings.list_findings(store, "drill-2024-05")] == [
        weak["id"],
        leak["id"],
    ]
    assert [f["id"] for f in findings.list_findings(store, status="open")] == [
        leak["id"],
        other["id"],
    ]
    assert findings.list_findings(store, "drill-2024-05", status="closed") == [closed]

    rep = report.report(store, "drill-2024-05")
    zero = dict.fromkeys(findings.SEVERITIES, 0)
    assert rep["findings"] == {
        "open": {**zero, "critical": 1},
        "closed": {**zero, "high": 1},
        "open_total": 1,
        "closed_total": 1,
    }

    rows = audit.entries(store, action="drill.finding.")
    assert len(rows) == 4
    assert store.read(lambda tx: tx.scalar("SELECT count(*) FROM audit")) == before + 4
    last = rows[0]
    assert (last["action"], last["object_type"], last["object_ref"]) == (
        "drill.finding.close",
        "drill_finding",
        str(weak["id"]),
    )
    assert last["before"]["status"] == "open" and last["after"] == closed
    assert rows[-1]["action"] == "drill.finding.add" and rows[-1]["after"] == weak
    assert audit.verify(store).ok


REFUSALS = [
    (lambda s: findings.add(s, "drill-1999", "t", "high"), UnknownDrill, "'drill-1999'"),
    (lambda s: findings.add(s, "drill-2024-05", "   ", "high"), InvalidInput, "title is empty"),
    (
        lambda s: findings.add(s, "drill-2024-05", "two\nlines", "high"),
        InvalidInput,
        "control character",
    ),
    (
        lambda s: findings.add(s, "drill-2024-05", "x" * 201, "high"),
        InvalidInput,
        "longer than 200",
    ),
    (
        lambda s: findings.add(s, "drill-2024-05", "t", "urgent"),
        InvalidInput,
        "unknown severity 'urgent': one of critical, high, medium, low, info",
    ),
    (lambda s: findings.add(s, "drill-2024-05", "t", None), InvalidInput, "severity"),
    (
        lambda s: findings.add(s, "drill-2024-05", "t", "low", host="jy-term-2"),
        HostNotInRun,
        "host 'jy-term-2' was not targeted by drill run 'drill-2024-05'",
    ),
    (
        lambda s: findings.add(s, "drill-2024-05", "t", "low", reported_by="a\tb"),
        InvalidInput,
        "reporter",
    ),
    (lambda s: findings.close(s, 999, "fixed"), UnknownFinding, "no finding with id 999"),
    (lambda s: findings.close(s, "abc", "fixed"), InvalidInput, "not a whole number"),
    (lambda s: findings.close(s, "0", "fixed"), UnknownFinding, "no finding with id 0"),
    (
        lambda s: findings.close(s, "9" * 40, "fixed"),
        UnknownFinding,
        "id 99999999999999999999…",
    ),
    (lambda s: findings.close(s, True, "fixed"), InvalidInput, "not a whole number"),
    (lambda s: findings.close(s, 1, " \t "), InvalidInput, "fix is empty"),
    (lambda s: findings.close(s, 1, "a\x1b[31mb"), InvalidInput, "control character"),
    (lambda s: findings.close(s, 2, "done"), FindingClosed, "finding 2 is already closed"),
    (lambda s: findings.list_findings(s, status="pending"), InvalidInput, "finding status"),
    (lambda s: findings.list_findings(s, "nope"), UnknownDrill, "'nope'"),
]


def test_findings_refusals_write_nothing(store, runs):
    first = findings.add(store, "drill-2024-05", "Open finding", "medium")
    second = findings.add(store, "drill-2024-05", "Closed finding", "info")
    findings.close(store, second["id"], "Done")
    assert (first["id"], second["id"]) == (1, 2)
    was = snapshot(store)
    for call, error, fragment in REFUSALS:
        with pytest.raises(error) as exc:
            call(store)
        assert fragment in one_line(exc.value), (fragment, exc.value)
        assert isinstance(exc.value, GovopsError)
        assert snapshot(store) == was, fragment


def test_close_race(store, runs, db_url):
    from infra.store import Store

    fid = findings.add(store, "drill-2024-05", "Telnet enabled", "high")["id"]
    stores = [Store(db_url), Store(db_url)]
    barrier = threading.Barrier(2)
    outcomes: list[object] = [None, None]

    def close(i):
        barrier.wait()
        try:
            outcomes[i] = findings.close(stores[i], fid, f"fix {i}")["fix"]
        except GovopsError as exc:
            outcomes[i] = exc

    threads = [threading.Thread(target=close, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for s in stores:
        s.close()
    won = [o for o in outcomes if isinstance(o, str)]
    lost = [o for o in outcomes if isinstance(o, FindingClosed)]
    assert len(won) == 1 and len(lost) == 1, outcomes
    assert findings.list_findings(store)[0]["fix"] == won[0]
    assert len(audit.entries(store, action="drill.finding.close")) == 1


def test_titles_come_from_the_real_catalogue(store):
    real = catalogue.load()[:2]
    run_id = insert_run(store, "drill-2024-10", RUN1_HOSTS[:1], {})
    store.write(
        lambda tx: tx.executemany(
            "INSERT INTO drill_result (run_id, host, check_id, status) VALUES (?, ?, ?, 'pass')",
            [(run_id, "cz-app-1", c.id) for c in reversed(real)],
        )
    )
    rows = report.results(store, "drill-2024-10")
    assert [(r["check"], r["title"], r["mlps_ref"], r["severity"]) for r in rows] == [
        (c.id, c.title, c.mlps_ref, c.severity) for c in real
    ]
