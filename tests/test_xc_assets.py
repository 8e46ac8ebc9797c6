"""Assets and application systems: adding, every status move legal and illegal with
and without force, dated history, listing and showing, refused input (one line,
exit 1, nothing written), and the link to the cloud ledger and IPAM."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from test_xc_setup import CITY, COUNTY, asset, build, counts

from infra.errors import Conflict, InvalidInput, NotFound
from infra.store import Store
from infra.xc import apps, assets, probes
from infra.xc.values import APP_STATUSES, ASSET_STATUSES, IllegalMove
from tests.conftest import Cli, one_line_error


@pytest.fixture
def xc(store: Store) -> Store:
    build(store)
    return store


@pytest.fixture
def xcli(cli: Cli) -> Cli:
    from infra.store import Store

    with Store(cli.db) as s:
        build(s)
    return cli


def test_add_list_show(xc: Store) -> None:
    out = asset(
        xc,
        "SN-1",
        "server",
        cpu="Kunpeng",
        os="银河麒麟",
        phase="2",
        cost="86000.5",
        model="TaiShan 200",
        host="10.64.0.21",
        ssh_user="ops",
        org=COUNTY,
        day="2025-01-02",
    )
    assert out == {
        "serial": "SN-1",
        "kind": "server",
        "dept": "YC-CZ",
        "model": "TaiShan 200",
        "cpu": "kunpeng",
        "os": "kylin",
        "phase": 2,
        "cost": "86000.50",
        "host": "10.64.0.21",
        "ssh_user": "ops",
        "org": COUNTY,
        "status": "planned",
        "status_date": "2025-01-02",
    }
    asset(xc, "SN-2", dept="自然资源局", phase=1)
    asset(xc, "SN-3", dept="HY-GA", phase=1)
    assets.set_status(xc, "SN-3", "installed", "2025-02-01")
    assert [a["serial"] for a in assets.list_assets(xc)] == ["SN-1", "SN-2", "SN-3"]
    assert [a["serial"] for a in assets.list_assets(xc, phase=1)] == ["SN-2", "SN-3"]
    assert [a["serial"] for a in assets.list_assets(xc, kind="server")] == ["SN-1"]
    assert [a["serial"] for a in assets.list_assets(xc, status="installed")] == ["SN-3"]
    assert [a["serial"] for a in assets.list_assets(xc, dept="自然资源局")] == ["SN-2"]
    assert [a["serial"] for a in assets.list_assets(xc, dept="HY-GA", phase="1")] == ["SN-3"]
    shown = assets.show(xc, "SN-3")
    assert [(h["from"], h["to"], h["date"]) for h in shown["history"]] == [
        (None, "planned", shown["history"][0]["date"]),
        ("planned", "installed", "2025-02-01"),
    ]
    assert shown["dept_name"] == "河源市公安局"
    assert shown["probes"] == [] and shown["cloud_vm"] is None and shown["ipam"] == []


def _to(store: Store, serial: str, status: str) -> None:
    """An asset brought to `status` by a legal forward path."""
    asset(store, serial, day="2025-01-01")
    if status != "planned":
        assets.set_status(store, serial, status, "2025-01-02")


def _legal_without_force(old: str, new: str) -> bool:
    path = ("planned", "delivered", "installed", "accepted")
    if old == new:
        return False
    if new == "retired":
        return True
    if old == "retired":
        return False
    return path.index(new) > path.index(old)


def test_every_asset_move_with_and_without_force(xc: Store) -> None:
    for n, (old, new) in enumerate(itertools.product(ASSET_STATUSES, repeat=2)):
        serial = f"M-{n}"
        _to(xc, serial, old)
        before = counts(xc)
        if _legal_without_force(old, new):
            out = assets.set_status(xc, serial, new, "2025-01-03")
            assert out["status"] == new
            last = assets.show(xc, serial)["history"][-1]
            assert (last["from"], last["to"], last["forced"]) == (old, new, False)
            continue
        with pytest.raises(IllegalMove):
            assets.set_status(xc, serial, new, "2025-01-03")
        assert counts(xc) == before, (old, new)
        if old == new:
            with pytest.raises(IllegalMove, match="already"):
                assets.set_status(xc, serial, new, "2025-01-03", force=True, reason="r")
            continue
        with pytest.raises(InvalidInput, match="needs a reason"):
            assets.set_status(xc, serial, new, "2025-01-03", force=True)
        assert counts(xc) == before
        out = assets.set_status(xc, serial, new, "2025-01-03", force=True, reason="wrong entry")
        assert out["status"] == new
        last = assets.show(xc, serial)["history"][-1]
        assert (last["from"], last["to"], last["forced"], last["reason"]) == (
            old,
            new,
            True,
            "wrong entry",
        )


def test_every_app_move_with_and_without_force(xc: Store) -> None:
    for n, (old, new) in enumerate(itertools.product(APP_STATUSES, repeat=2)):
        name = f"系统{n}"
        apps.add(xc, name, "YC-CZ", day="2025-01-01")
        if old != "not-started":
            apps.set_status(xc, name, old, "2025-01-02")
        before = counts(xc)
        if old == new:
            with pytest.raises(IllegalMove):
                apps.set_status(xc, name, new, force=True, reason="r")
        elif APP_STATUSES.index(new) > APP_STATUSES.index(old):
            assert apps.set_status(xc, name, new, "2025-01-03")["status"] == new
        else:
            with pytest.raises(IllegalMove, match="needs force"):
                apps.set_status(xc, name, new, "2025-01-03")
            assert counts(xc) == before
            out = apps.set_status(xc, name, new, "2025-01-03", force=True, reason="regression")
            assert out["status"] == new
            assert apps.show(xc, name)["history"][-1]["forced"] is True


def test_moves_are_dated_in_order(xc: Store) -> None:
    asset(xc, "D-1", day="2025-03-01")
    # the first move may predate the record: planning is dated back with it
    assets.set_status(xc, "D-1", "delivered", "2025-02-01")
    history = assets.show(xc, "D-1")["history"]
    assert [h["date"] for h in history] == ["2025-02-01", "2025-02-01"]
    assets.set_status(xc, "D-1", "installed", "2025-02-10")
    before = counts(xc)
    with pytest.raises(InvalidInput, match="before the asset's last status change"):
        assets.set_status(xc, "D-1", "accepted", "2025-02-09")
    with pytest.raises(InvalidInput, match="future"):
        assets.set_status(xc, "D-1", "accepted", "2999-01-01")
    with pytest.raises(InvalidInput, match="no such day"):
        assets.set_status(xc, "D-1", "accepted", "2025-02-30")
    assert counts(xc) == before
    assets.set_status(xc, "D-1", "accepted", "2025-02-10")  # the same day is in order


def test_audit_rows_are_written_with_the_change(xc: Store) -> None:
    asset(xc, "A-1")
    assets.set_status(xc, "A-1", "delivered")
    rows = xc.read(
        lambda tx: tx.all(
            "SELECT action, object_ref FROM audit WHERE action LIKE ? ORDER BY id", ("xc.%",)
        )
    )
    assert [(r["action"], r["object_ref"]) for r in rows] == [
        ("xc.asset.add", "A-1"),
        ("xc.asset.status", "A-1"),
    ]


def test_department_shows_and_guards_its_assets(xc: Store) -> None:
    from infra.org import depts

    asset(xc, "G-1")
    apps.add(xc, "不动产登记", "YC-CZ")
    info = depts.show(xc, "YC-CZ")
    assert info["xc_assets"] == ["terminal G-1 (planned)"]
    assert info["xc_apps"] == ["不动产登记 (not-started)"]
    with pytest.raises(Conflict, match="xinchuang assets"):
        depts.remove(xc, "YC-CZ")


def test_library_refusals(xc: Store) -> None:
    asset(xc, "R-1")
    before = counts(xc)
    cases: list[tuple[type[Exception], dict[str, Any]]] = [
        (NotFound, {"dept": "no-such-dept"}),
        (InvalidInput, {"cpu": "intel"}),
        (InvalidInput, {"os": "windows"}),
        (InvalidInput, {"kind": "laptop"}),
        (InvalidInput, {"phase": "3"}),
        (InvalidInput, {"phase": "0"}),
        (InvalidInput, {"cost": "-1"}),
        (InvalidInput, {"cost": "1.005"}),
        (InvalidInput, {"cost": "1e5"}),
        (InvalidInput, {"cost": "１００"}),
        (InvalidInput, {"host": "bad host"}),
        (Conflict, {"serial": "R-1"}),
        (InvalidInput, {"serial": "has space"}),
    ]
    for error, change in cases:
        args = {"serial": "R-2", "kind": "terminal", "dept": "YC-CZ", **change}
        with pytest.raises(error):
            serial, kind, dept = args.pop("serial"), args.pop("kind"), args.pop("dept")
            asset(xc, serial, kind, dept, **args)
    with pytest.raises(InvalidInput, match="unknown asset status"):
        assets.set_status(xc, "R-1", "installd")
    with pytest.raises(NotFound):
        assets.set_status(xc, "R-9", "installed")
    assert counts(xc) == before


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (["--dept", "no-such-dept"], ["no department", "no-such-dept"]),
        (["--cpu", "intel"], ["unknown CPU family", "kunpeng"]),
        (["--os", "windows"], ["unknown OS family"]),
        (["--cost", "-1"], ["cost must not be negative"]),
        (["--cost", "12.345"], ["at most two decimals"]),
        (["--phase", "3"], ["phase must be 1 or 2"]),
        (["--serial", "SN-1"], ["serial SN-1 is already recorded"]),
    ],
)
def test_cli_refusals_are_one_line(xcli: Cli, args: list[str], fragments: list[str]) -> None:
    xcli.ok("xc", "asset", "add", "--kind", "server", "--dept", "YC-CZ", "--serial", "SN-1")
    base = {"--kind": "terminal", "--dept": "YC-CZ", "--serial": "SN-2"}
    given = dict(zip(args[::2], args[1::2], strict=True))
    flat = [x for k, v in {**base, **given}.items() for x in (k, v)]
    one_line_error(xcli("xc", "asset", "add", *flat), *fragments)
    assert [a["serial"] for a in xcli.json("xc", "asset", "list")] == ["SN-1"]


def test_cli_status_moves(xcli: Cli) -> None:
    xcli.ok("xc", "asset", "add", "--kind", "terminal", "--dept", "YC-CZ", "--serial", "T-1")
    out = xcli.json("xc", "asset", "set-status", "T-1", "accepted", "--date", "2025-05-01")
    assert out["status"] == "accepted" and out["status_date"] == "2025-05-01"
    one_line_error(
        xcli("xc", "asset", "set-status", "T-1", "delivered"),
        "moving back from accepted to delivered",
        "--force --reason R",
    )
    one_line_error(
        xcli("xc", "asset", "set-status", "T-1", "delivered", "--force"), "needs a reason"
    )
    one_line_error(xcli("xc", "asset", "set-status", "T-1", "lost"), "unknown asset status")
    out = xcli.json(
        "xc", "asset", "set-status", "T-1", "delivered", "--force", "--reason", "returned"
    )
    assert out["status"] == "delivered"
    shown = xcli.json("xc", "asset", "show", "T-1")
    assert [h["to"] for h in shown["history"]] == ["planned", "accepted", "delivered"]
    assert xcli("xc", "asset", "set-status", "T-1").exit_code == 2
    assert xcli("xc", "asset", "show", "T-1").exit_code == 0  # the table form renders


def test_cli_apps(xcli: Cli) -> None:
    out = xcli.json(
        "xc",
        "app",
        "add",
        "不动产登记系统",
        "--dept",
        "YC-CZ",
        "--phase",
        "1",
        "--os",
        "麒麟",
        "--db",
        "达梦",
        "--middleware",
        "TongWeb",
    )
    assert (out["os"], out["db"], out["middleware"], out["status"]) == (
        "kylin",
        "dm",
        "tongweb",
        "not-started",
    )
    one_line_error(
        xcli("xc", "app", "add", "X", "--dept", "YC-CZ", "--db", "oracle"), "unknown database"
    )
    one_line_error(
        xcli("xc", "app", "add", "不动产登记系统", "--dept", "YC-CZ"), "already recorded"
    )
    one_line_error(xcli("xc", "app", "add", "Y", "--dept", "nobody"), "no department")
    one_line_error(xcli("xc", "app", "add", "Y", "--dept", "YC-CZ", "--phase", "9"), "phase")
    xcli.ok("xc", "app", "set-status", "不动产登记系统", "adapted")
    one_line_error(
        xcli("xc", "app", "set-status", "不动产登记系统", "adapting"), "--force --reason R"
    )
    rows = xcli.json("xc", "app", "list", "--status", "adapted")
    assert [r["name"] for r in rows] == ["不动产登记系统"]
    assert xcli.json("xc", "app", "list", "--dept", "HY-GA") == []
    assert [h["to"] for h in xcli.json("xc", "app", "show", "不动产登记系统")["history"]] == [
        "not-started",
        "adapted",
    ]


def test_probe_results_are_shown(xc: Store) -> None:
    from infra.xc.classify import classify

    asset(xc, "P-1", "server", cpu="kunpeng", os="kylin", host="10.1.1.1")
    asset(xc, "P-2", "server", host="10.1.1.2")
    asset(xc, "P-3", "server")
    found = classify({"uname-m": "x86_64", "cpuinfo": "vendor_id : GenuineIntel\n"})
    outcome, reason = probes.verdict(found, "kunpeng", "kylin")
    assert outcome == "mismatch" and reason and "not domestic" in reason
    xc.write(lambda tx: probes.record_probe(tx, "P-1", "unreachable", reason="timed out"))
    xc.write(
        lambda tx: probes.record_probe(
            tx,
            "P-1",
            outcome,
            reason=reason,
            evidence={"cpuinfo": "vendor_id : GenuineIntel"},
            classification=found,
            host_key="SHA256:abc",
            host_key_trust="known",
        )
    )
    shown = assets.show(xc, "P-1")["probes"]
    assert [p["outcome"] for p in shown] == ["mismatch", "unreachable"]
    assert shown[0]["classification"]["cpu_vendor"] == "Intel"
    latest = xc.read(lambda tx: probes.latest_probes(tx))
    assert [(p["serial"], p["outcome"]) for p in latest] == [("P-1", "mismatch")]
    assert [t["serial"] for t in xc.read(lambda tx: probes.targets(tx))] == ["P-1", "P-2"]
    with pytest.raises(NotFound):
        xc.read(lambda tx: probes.targets(tx, ["P-9"]))
    with pytest.raises(InvalidInput):
        xc.write(lambda tx: probes.record_probe(tx, "P-1", "fine"))
    with pytest.raises(NotFound):
        xc.write(lambda tx: probes.record_probe(tx, "P-9", "compliant"))
    good = classify(
        {"uname-m": "aarch64", "cpuinfo": "CPU implementer : 0x48\n", "os-release": "ID=kylin"}
    )
    assert probes.verdict(good, "kunpeng", "kylin") == ("compliant", None)
    assert probes.verdict(good, None, None) == ("compliant", None)
    assert probes.verdict(good, "phytium", "kylin")[0] == "mismatch"


# -- the link to the cloud ledger and IPAM -----------------------------------


def test_show_links_a_vm_and_its_ipam_address(xc: Store) -> None:
    from infra.cloud import nodes, systems, vms
    from ipam import addresses, space

    space.add(xc, "10.90.0.0/16", org_ref=CITY, pool=True)
    space.add(xc, "10.90.1.0/24", org_ref=COUNTY)
    nodes.add(xc, "x1", 32, 128, 2000)
    systems.add(xc, "财政一体化", "YC-CZ", 3, "10.90.1.0/24")
    vms.request(xc, "czvm-01", "财政一体化", cores=2, ram_gb=8, disk_gb=100)
    vms.approve(xc, "czvm-01")
    vm = vms.provision(xc, "czvm-01")
    address = vm["address"]
    assert address and address.startswith("10.90.1.")

    asset(xc, "BY-NAME", "server", host="czvm-01")
    asset(xc, "BY-ADDR", "server", host=address)
    space.add(xc, "10.64.0.0/16", org_ref=CITY, pool=True)
    space.add(xc, "10.64.0.0/24", org_ref=COUNTY)
    taken = addresses.next_free(xc, "10.64.0.0/24", hostname="zw-pc-001")[0]["address"]
    asset(xc, "IPAM-ONLY", host=taken)
    asset(xc, "BY-HOSTNAME", host="zw-pc-001")
    asset(xc, "NOWHERE", host="192.0.2.7")

    for serial in ("BY-NAME", "BY-ADDR"):
        shown = assets.show(xc, serial)
        assert shown["cloud_vm"]["name"] == "czvm-01"
        assert shown["cloud_vm"]["system"] == "财政一体化"
        assert [(a["address"], a["prefix"]) for a in shown["ipam"]] == [(address, "10.90.1.0/24")]
        assert shown["ipam"][0]["org"] == "河源市/源城区"
    for serial in ("IPAM-ONLY", "BY-HOSTNAME"):
        shown = assets.show(xc, serial)
        assert shown["cloud_vm"] is None
        assert [(a["address"], a["prefix"], a["hostname"]) for a in shown["ipam"]] == [
            (taken, "10.64.0.0/24", "zw-pc-001")
        ]
    nowhere = assets.show(xc, "NOWHERE")
    assert nowhere["cloud_vm"] is None and nowhere["ipam"] == []


def test_show_link_through_the_cli(xcli: Cli) -> None:
    xcli.ok("ipam", "pool", "add", "10.64.0.0/16", "--org", CITY)
    xcli.ok("ipam", "add", "10.64.0.0/24", "--org", COUNTY)
    xcli.ok("ipam", "ip", "next", "10.64.0.0/24", "--hostname", "zw-pc-002")
    add = ["xc", "asset", "add", "--kind", "terminal", "--dept", "YC-CZ", "--serial", "L-1"]
    xcli.ok(*add, "--host", "zw-pc-002")
    shown = xcli.json("xc", "asset", "show", "L-1")
    assert [(a["prefix"], a["hostname"]) for a in shown["ipam"]] == [("10.64.0.0/24", "zw-pc-002")]
    address = shown["ipam"][0]["address"]
    table = xcli.ok("xc", "asset", "show", "L-1").stdout
    assert f"{address} in 10.64.0.0/24" in table


def test_an_ipv6_host_may_start_with_a_colon() -> None:
    from infra.xc import values

    assert values.host("::1") == "::1" and values.host("::ffff:10.0.0.1") == "::ffff:10.0.0.1"
    for bad in ("::g", "fe80::1%eth0", ":::"):
        with pytest.raises(InvalidInput):
            values.host(bad)
