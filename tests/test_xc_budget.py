"""Phases and budget arithmetic in whole fen, progress counts, and the report's
figures over date ranges against a hand-counted history."""

from __future__ import annotations

import pytest
from test_xc_setup import asset, build, counts

from infra.errors import InvalidInput
from infra.store import Store
from infra.xc import apps, assets, budget, stats
from tests.conftest import Cli, one_line_error


@pytest.fixture
def xc(store: Store) -> Store:
    build(store)
    return store


def test_budget_arithmetic(xc: Store) -> None:
    budget.set_phase(xc, 1, "100000.00", "2024-01-01", "2024-12-31")
    asset(xc, "B-1", phase=1, cost="30000.10")
    asset(xc, "B-2", phase=1, cost="50000")
    asset(xc, "B-3", phase=1, cost="40000")
    asset(xc, "B-4", phase=1, cost="9999.99")
    asset(xc, "B-5", phase=1)  # no cost yet
    asset(xc, "B-6", phase=2, cost="0.10")
    asset(xc, "B-7", phase=2, cost="0.20")
    asset(xc, "B-8", cost="123")  # no phase: in no phase's figures
    assets.set_status(xc, "B-1", "accepted")
    assets.set_status(xc, "B-2", "installed")
    assets.set_status(xc, "B-4", "retired")
    rows = {r["phase"]: r for r in budget.budget(xc)}
    assert rows[1] == {
        "phase": 1,
        "budget": "100000.00",
        "committed": "120000.10",  # 30000.10 + 50000 + 40000 (the retired one not)
        "spent": "30000.10",
        "remaining": "-20000.10",
        "over_budget": True,
        "assets": 4,
        "uncosted": 1,
        "start": "2024-01-01",
        "end": "2024-12-31",
    }
    # 0.10 + 0.20 is 0.30 exactly: no binary float on the way
    assert rows[2]["committed"] == "0.30" and rows[2]["budget"] is None
    assert rows[2]["remaining"] is None and rows[2]["over_budget"] is False
    budget.set_phase(xc, 1, "120000.10")
    again = {r["phase"]: r for r in budget.budget(xc)}[1]
    assert (again["remaining"], again["over_budget"]) == ("0.00", False)
    assert (again["start"], again["end"]) == ("2024-01-01", "2024-12-31")  # kept


def test_phase_refusals(xc: Store) -> None:
    before = counts(xc)
    for phase, amount, start, end in [
        ("3", "1", None, None),
        ("0", "1", None, None),
        ("1", "-5", None, None),
        ("1", "1.234", None, None),
        ("1", "NaN", None, None),
        ("1", "1e9", None, None),
        ("1", "10000000000000", None, None),
        ("1", "1", "2025-02-01", "2025-01-01"),
        ("1", "1", "2025-13-01", None),
    ]:
        with pytest.raises(InvalidInput):
            budget.set_phase(xc, phase, amount, start, end)
    assert counts(xc) == before


def test_progress(xc: Store) -> None:
    asset(xc, "P-1", phase=1)
    asset(xc, "P-2", "server", phase=1)
    asset(xc, "P-3", dept="HY-GA", phase=2)
    asset(xc, "P-4", dept="HY-GA")
    assets.set_status(xc, "P-1", "accepted")
    assets.set_status(xc, "P-2", "installed")
    assets.set_status(xc, "P-4", "retired")
    (everything,) = budget.progress(xc)
    assert everything == {
        "scope": "all",
        "planned": 1,
        "delivered": 0,
        "installed": 1,
        "accepted": 1,
        "retired": 1,
        "total": 4,
        "percent_accepted": 33.3,  # 1 of the 3 not retired
    }
    by_dept = {r["dept"]: r for r in budget.progress(xc, "dept")}
    assert by_dept["YC-CZ"]["percent_accepted"] == 50.0
    assert by_dept["HY-GA"]["percent_accepted"] == 0.0
    by_phase = {r["phase"]: r["total"] for r in budget.progress(xc, "phase")}
    assert by_phase == {"1": 2, "2": 1, "-": 1}
    by_kind = {r["kind"]: r["total"] for r in budget.progress(xc, "kind")}
    assert by_kind == {"server": 1, "terminal": 3}
    with pytest.raises(InvalidInput):
        budget.progress(xc, "colour")


def test_budget_cli(cli: Cli) -> None:
    cli.ok("xc", "phase", "set", "1", "--budget", "500")
    cli.ok("dept", "add", "财政局", "--code", "CZ")
    add = ["xc", "asset", "add", "--kind", "server", "--dept", "CZ", "--phase", "1"]
    cli.ok(*add, "--serial", "S-1", "--cost", "499.99")
    cli.ok(*add, "--serial", "S-2", "--cost", "0.02")
    (row,) = cli.json("xc", "budget")
    assert (row["budget"], row["committed"], row["remaining"], row["over_budget"]) == (
        "500.00",
        "500.01",
        "-0.01",
        True,
    )
    assert "-0.01" in cli.ok("xc", "budget").stdout  # an overrun is shown in the table too
    one_line_error(cli("xc", "phase", "set", "3", "--budget", "1"), "phase must be 1 or 2")
    one_line_error(cli("xc", "phase", "set", "1", "--budget", "-1"), "negative")
    assert cli("xc", "phase", "set", "1").exit_code == 2
    rows = cli.json("xc", "progress", "--by", "kind")
    assert rows == [
        {
            "kind": "server",
            "planned": 2,
            "delivered": 0,
            "installed": 0,
            "accepted": 0,
            "retired": 0,
            "total": 2,
            "percent_accepted": 0.0,
        }
    ]
    one_line_error(cli("xc", "progress", "--by", "colour"), "unknown grouping")


# -- the report's figures ----------------------------------------------------
#
# The hand-counted history:
#   T1 terminal  planned 2024-01-01, delivered 02-01, installed 03-10, accepted 05-01
#   T2 terminal  planned 2024-01-01, installed 06-15, retired 09-01
#   T3 terminal  planned 2024-01-01, delivered 04-01
#   S1 server    planned 2024-01-01, installed 12-31
#   S2 server    planned 2024-01-01, accepted 2025-01-01
#   S3 server    planned 2024-01-01, installed 02-01, back to delivered 07-01 (forced)
#   A1 app       online 2024-06-30
#   A2 app       online 2024-03-01, back to adapting 08-01 (forced)
#   A3 app       adapted 2024-05-01
#   phases: 1 with 1,000,000.00 yuan, 2 with 500,000.50 yuan
#   costs: T1 1000.00, S2 20000.00, the others none


def _history(store: Store) -> None:
    def a(serial: str, kind: str, *moves: tuple[str, str], cost: str | None = None) -> None:
        asset(store, serial, kind, cost=cost, day="2024-01-01")
        for status, day in moves:
            back = status == "delivered" and serial == "S3"
            assets.set_status(
                store, serial, status, day, force=back, reason="back" if back else None
            )

    a(
        "T1",
        "terminal",
        ("delivered", "2024-02-01"),
        ("installed", "2024-03-10"),
        ("accepted", "2024-05-01"),
        cost="1000",
    )
    a("T2", "terminal", ("installed", "2024-06-15"), ("retired", "2024-09-01"))
    a("T3", "terminal", ("delivered", "2024-04-01"))
    a("S1", "server", ("installed", "2024-12-31"))
    a("S2", "server", ("accepted", "2025-01-01"), cost="20000")
    a("S3", "server", ("installed", "2024-02-01"), ("delivered", "2024-07-01"))
    apps.add(store, "A1", "YC-CZ", day="2024-01-01")
    apps.set_status(store, "A1", "online", "2024-06-30")
    apps.add(store, "A2", "YC-CZ", day="2024-01-01")
    apps.set_status(store, "A2", "online", "2024-03-01")
    apps.set_status(store, "A2", "adapting", "2024-08-01", force=True, reason="rolled back")
    apps.add(store, "A3", "HY-GA", day="2024-01-01")
    apps.set_status(store, "A3", "adapted", "2024-05-01")
    budget.set_phase(store, 1, "1000000")
    budget.set_phase(store, 2, "500000.50")


# until: (terminals_installed, servers_installed, apps_deployed, terminals_accepted, spent)
AT = {
    "2023-12-31": (0, 0, 0, 0, "0.00"),
    "2024-03-09": (0, 1, 1, 0, "0.00"),
    "2024-03-10": (1, 1, 1, 0, "0.00"),
    "2024-03-31": (1, 1, 1, 0, "0.00"),
    "2024-06-30": (2, 1, 2, 1, "1000.00"),
    "2024-07-01": (2, 0, 2, 1, "1000.00"),
    "2024-08-01": (2, 0, 1, 1, "1000.00"),
    "2024-12-31": (1, 1, 1, 1, "1000.00"),
    "2025-01-31": (1, 2, 1, 1, "21000.00"),
}


def test_figures_at_each_day(xc: Store) -> None:
    _history(xc)
    for until, (terminals, servers, deployed, accepted, spent) in AT.items():
        got = xc.read(lambda tx, u=until: stats.figures(tx, None, u))
        assert (
            got["terminals_installed"],
            got["servers_installed"],
            got["apps_deployed"],
            got["terminals_accepted"],
            got["spent"],
        ) == (terminals, servers, deployed, accepted, spent), until
        assert got["budget_total"] == "1500000.50"
        assert got["until"] == until and got["since"] is None


def test_figures_in_a_period(xc: Store) -> None:
    _history(xc)
    second_half = stats.stats(xc, "2024-06-01", "2024-12-31")
    assert second_half["terminals_installed_in_period"] == 1  # T2
    assert second_half["servers_installed_in_period"] == 1  # S1 (S3 first got there in February)
    assert second_half["apps_online_in_period"] == 1  # A1
    year = stats.stats(xc, "2024-01-01", "2024-12-31")
    assert year["terminals_installed_in_period"] == 2  # T1, T2
    assert year["servers_installed_in_period"] == 2  # S1, S3
    assert year["apps_online_in_period"] == 2
    january = stats.stats(xc, "2025-01-01", "2025-01-31")
    assert january["servers_installed_in_period"] == 1  # S2, straight to accepted
    assert january["terminals_installed_in_period"] == 0


def test_stats_cli(cli: Cli) -> None:
    from infra.store import Store

    with Store(cli.db) as s:
        build(s)
        _history(s)
    out = cli.json("xc", "stats", "--since", "2024-01-01", "--until", "2024-06-30")
    assert {
        k: out[k]
        for k in ("terminals_installed", "servers_installed", "apps_deployed", "budget_total")
    } == {
        "terminals_installed": 2,
        "servers_installed": 1,
        "apps_deployed": 2,
        "budget_total": "1500000.50",
    }
    one_line_error(cli("xc", "stats", "--since", "2024-02-01", "--until", "2024-01-01"), "starts")
    one_line_error(cli("xc", "stats", "--until", "2024-02-30"), "no such day")
    one_line_error(cli("xc", "stats", "--since", "yesterday"), "YYYY-MM-DD")
