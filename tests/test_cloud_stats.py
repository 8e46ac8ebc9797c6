"""The report's figures (`stats.figures`) over date ranges, against a hand-counted history.

The VMs go through the real lifecycle calls; then their events are moved to chosen
moments (China Standard Time) in SQL, as if the calls had been made then. One VM is
put on the books with `record_in`, provisioned in 2023.

    vm  system (dept)     cores/ram/disk  history (CST)
    v1  财政一体化 (YC-CZ)   2/8/100        req 2024-12-20, appr 12-21, prov 2024-12-31 23:30,
                                            decommissioned 2025-03-01
    v2  财政一体化 (YC-CZ)   4/16/200       req 2025-01-01 00:30 (UTC: still 2024-12-31), appr 01-02,
                                            prov 01-05, stop 02-01, start 02-10,
                                            resized to 6 cores 2025-06-01
    v3  警务云 (HY-GA)      8/32/400       req 2025-02-01, appr 02-02, prov 02-03, decom 06-30
    v4  警务云 (HY-GA)      1/2/20         req 2025-03-01, appr 03-02 (never provisioned)
    v5  财政一体化 (YC-CZ)   1/1/10         req 2025-03-05, rejected 03-06
    v6  警务云 (HY-GA)      2/4/50         recorded: provisioned 2023-06-01, stopped today
"""

from __future__ import annotations

from datetime import datetime

import pytest
from conftest import Cli, one_line_error
from test_cloud_setup import FIN, POLICE, build

from infra.cloud import checks, stats, vms


def _at(store, name, action, when):
    moment = checks.stamp(datetime.fromisoformat(when).replace(tzinfo=checks.REPORT_TZ))
    n = store.write(
        lambda tx: (
            tx.execute(
                "UPDATE vm_event SET ts = ? WHERE action = ?"
                " AND vm_id = (SELECT id FROM cloud_vm WHERE name = ?)",
                (moment, action, name),
            ).rowcount
        )
    )
    assert n == 1, (name, action)


@pytest.fixture
def history(store):
    build(store)
    s = store
    vms.request(s, "v1", FIN, 2, 8, 100)
    vms.approve(s, "v1")
    vms.provision(s, "v1")
    vms.decommission(s, "v1")
    for action, when in [
        ("request", "2024-12-20T10:00"),
        ("approve", "2024-12-21T10:00"),
        ("provision", "2024-12-31T23:30"),
        ("decommission", "2025-03-01T10:00"),
    ]:
        _at(s, "v1", action, when)
    vms.request(s, "v2", FIN, 4, 16, 200)
    vms.approve(s, "v2")
    vms.provision(s, "v2")
    vms.stop(s, "v2")
    vms.start(s, "v2")
    vms.resize(s, "v2", cores=6)
    for action, when in [
        ("request", "2025-01-01T00:30"),
        ("approve", "2025-01-02T10:00"),
        ("provision", "2025-01-05T10:00"),
        ("stop", "2025-02-01T10:00"),
        ("start", "2025-02-10T10:00"),
        ("resize", "2025-06-01T10:00"),
    ]:
        _at(s, "v2", action, when)
    vms.request(s, "v3", POLICE, 8, 32, 400)
    vms.approve(s, "v3")
    vms.provision(s, "v3")
    vms.decommission(s, "v3")
    for action, when in [
        ("request", "2025-02-01T10:00"),
        ("approve", "2025-02-02T10:00"),
        ("provision", "2025-02-03T10:00"),
        ("decommission", "2025-06-30T10:00"),
    ]:
        _at(s, "v3", action, when)
    vms.request(s, "v4", POLICE, 1, 2, 20)
    vms.approve(s, "v4")
    _at(s, "v4", "request", "2025-03-01T10:00")
    _at(s, "v4", "approve", "2025-03-02T10:00")
    vms.request(s, "v5", FIN, 1, 1, 10)
    vms.reject(s, "v5", "duplicate of v2")
    _at(s, "v5", "request", "2025-03-05T10:00")
    _at(s, "v5", "reject", "2025-03-06T10:00")
    s.write(
        lambda tx: vms.record_in(
            tx, "v6", POLICE, "a1", 2, 4, 50, "2023-06-01", status="stopped", address="10.80.0.9"
        )
    )
    return s


def _figures(store, since, until):
    return store.read(lambda tx: stats.figures(tx, since, until))


def test_the_year_2025(history):
    got = _figures(history, "2025-01-01", "2025-12-31")
    assert got["since"] == "2025-01-01" and got["until"] == "2025-12-31"
    assert got["vms_issued"] == 2  # v2, v3 (v1 was issued in 2024, v6 in 2023)
    assert got["vms_requested"] == 4  # v2, v3, v4, v5
    assert got["vms_decommissioned"] == 2  # v1, v3
    assert got["vms_active"] == 2  # v2, v6
    assert (got["departments"], got["systems"]) == (2, 2)
    # held at the end of the year: v2 (6/16/200), v4 approved (1/2/20), v6 (2/4/50)
    assert (got["allocated_cores"], got["allocated_ram_gb"], got["allocated_disk_gb"]) == (
        9,
        22,
        270,
    )
    assert (got["active_cores"], got["active_ram_gb"], got["active_disk_gb"]) == (8, 20, 250)


def test_up_to_the_end_of_2024_in_china_standard_time(history):
    got = _figures(history, None, "2024-12-31")
    assert got["since"] is None
    assert got["vms_issued"] == 2  # v6 (2023), v1 (23:30 CST on New Year's Eve)
    assert got["vms_requested"] == 1  # v1; v2's request is 00:30 on 1 January CST
    assert got["vms_active"] == 2
    assert (got["departments"], got["systems"]) == (2, 2)
    assert (got["allocated_cores"], got["allocated_ram_gb"], got["allocated_disk_gb"]) == (
        4,
        12,
        150,
    )


def test_a_day_before_v1_was_provisioned(history):
    got = _figures(history, None, "2024-12-30")
    assert got["vms_issued"] == 1  # v6
    assert got["vms_active"] == 1
    assert (got["departments"], got["systems"]) == (1, 1)  # HY-GA's 警务云 only
    # v1 is approved: it holds capacity, but is not active
    assert (got["allocated_cores"], got["active_cores"]) == (4, 2)


def test_one_day_in_february(history):
    got = _figures(history, "2025-02-05", "2025-02-05")
    assert got["vms_issued"] == 0 and got["vms_requested"] == 0
    assert got["vms_active"] == 4  # v1, v2 (stopped), v3, v6
    assert (got["allocated_cores"], got["allocated_ram_gb"], got["allocated_disk_gb"]) == (
        16,
        60,
        750,
    )


def test_new_years_day_alone(history):
    got = _figures(history, "2025-01-01", "2025-01-01")
    assert got["vms_requested"] == 1  # v2 at 00:30 CST
    assert got["vms_issued"] == 0


def test_before_v2_was_resized(history):
    got = _figures(history, "2025-05-31", "2025-05-31")
    assert got["allocated_cores"] == 4 + 8 + 1 + 2  # v2 (4), v3, v4, v6


def test_without_dates_everything_up_to_today(history):
    got = stats.stats(history)
    assert got["until"] == checks.today().isoformat()
    assert got["vms_issued"] == 4  # v1, v2, v3, v6
    assert got["vms_requested"] == 5  # v6 was recorded, never requested
    assert got["vms_active"] == 2  # v2 active, v6 stopped today
    assert got["active_cores"] == 8


def test_an_empty_cloud_has_zero_figures(store):
    got = stats.stats(store, "2025-01-01", "2025-12-31")
    assert all(v == 0 for k, v in got.items() if k not in ("since", "until")), got


def test_cli_stats_is_one_json_object(history, db_url):
    cli = Cli(db_url)
    got = cli.json("cloud", "stats", "--since", "2025-01-01", "--until", "2025-12-31")
    assert got == _figures(history, "2025-01-01", "2025-12-31")
    assert "vms_issued" in cli.ok("cloud", "stats").stdout


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("--since", "2025-13-01"), "no such day"),
        (("--until", "2025-02-30"), "no such day"),
        (("--since", "2025/01/01"), "not a date written YYYY-MM-DD"),
        (("--since", "yesterday"), "not a date written YYYY-MM-DD"),
        (("--until", "２０２５-01-01"), "not a date written YYYY-MM-DD"),
        (("--since", "2025-01-01T00:00"), "not a date written YYYY-MM-DD"),
        (("--since", ""), "not a date written YYYY-MM-DD"),
        (("--since", "2025-03-01", "--until", "2025-02-01"), "starts (2025-03-01) after it ends"),
    ],
)
def test_cli_stats_bad_dates(store, db_url, args, fragment):
    one_line_error(Cli(db_url)("cloud", "stats", *args), fragment)
