"""The demo: a database of its own, built from the bundled sample city and plan,
with a small government cloud and a Xinchuang ledger on top."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from infra import config
from infra.store import Store, is_postgres_url


def default_path() -> str:
    """`$XDG_DATA_HOME/govops/demo.db`: beside, never in place of, the real database
    (its directory is made, as the default database's is)."""
    home = Path(config.default_db_url_sqlite_dir())
    home.mkdir(parents=True, exist_ok=True)
    return str(home / "demo.db")


def reset(path: str) -> None:
    """Start the demo from nothing (SQLite files only; never a server database)."""
    if is_postgres_url(path):
        return
    for suffix in ("", "-wal", "-shm"):
        try:
            os.remove(path + suffix)
        except FileNotFoundError:
            pass


def build(store: Store, county: str = "源城区") -> dict[str, Any]:
    """Import the sample city, apply the bundled plan, add a small cloud and a
    Xinchuang ledger, and gather what the demo shows."""
    from infra.org import importer as org_import
    from infra.org import units as org
    from ipam import SAMPLE_DIVISIONS, SAMPLE_PLAN, plan, views

    imported = org_import.import_file(store, SAMPLE_DIVISIONS)
    result = plan.run(store, plan.load_spec(SAMPLE_PLAN), apply=True)
    city = org.tree(store, None, depth=0)[0]
    counts = org.show(store, city["code"])["descendants"]
    on_top = {**cloud(store), **xinchuang(store)}
    return {
        "imported": imported.as_dict(),
        "city": city["name"],
        "counts": counts,
        "plan": result.summary(),
        "county": county,
        "county_tree": views.tree(store, org_ref=county, depth=1),
        "usage": views.usage_by_tier(store),
        "coverage": views.coverage(store),
        **on_top,
        # after the cloud took its subnets: they too must pass
        "problems": [p for p in views.check(store) if p["severity"] == "error"],
    }


CLOUD_POOL = "10.192.0.0/16"
"""The cloud's subnet pool: in the plan's VRF, outside its IPv4 pool (10.64.0.0/10)."""

DEPTS = (
    ("源城区财政局", "YC-CZ", "441602000000"),
    ("河源市公安局", "HY-GA", "441600000000"),
    ("河源市自然资源局", "HY-ZRZY", "441600000000"),
)
SYSTEMS = (("财政一体化", "YC-CZ", 3), ("警务云", "HY-GA", 4), ("不动产登记", "HY-ZRZY", 3))
VMS = (
    # name, system, cores, RAM GB, disk GB
    ("cz-web-01", "财政一体化", 4, 16, 200),
    ("cz-app-01", "财政一体化", 8, 32, 500),
    ("cz-db-01", "财政一体化", 16, 64, 2000),
    ("ga-web-01", "警务云", 4, 8, 100),
    ("ga-app-01", "警务云", 8, 32, 400),
    ("bdc-web-01", "不动产登记", 4, 16, 200),
    ("bdc-db-01", "不动产登记", 8, 64, 1000),
    ("bdc-tmp-01", "不动产登记", 2, 4, 50),
)


def cloud(store: Store) -> dict[str, Any]:
    """Departments of the sample city's units, two nodes (Hygon and Kunpeng), three
    systems with automatic subnets, VMs through their life; usage and figures."""
    from infra.cloud import nodes, stats, systems, usage, vms
    from infra.org import depts
    from ipam import space

    for name, code, unit in DEPTS:
        depts.add(store, name, code, unit)
    space.add(store, CLOUD_POOL, org_ref="441600000000", pool=True, vrf="egov")
    systems.settings(store, "subnet-pool", CLOUD_POOL)
    nodes.add(store, "hy-cloud-01", 64, 512, 20000, arch="x86_64")
    nodes.add(store, "hy-cloud-02", 96, 768, 30000, arch="aarch64")
    systems.set_quota(store, "YC-CZ", {"vms": 10, "cores": 64, "ram_gb": 256, "disk_gb": 8000})
    for name, dept, level in SYSTEMS:
        systems.add(store, name, dept, level, "auto", vrf="egov")
    for name, system, cores, ram_gb, disk_gb in VMS:
        vms.request(store, name, system, cores, ram_gb, disk_gb)
        vms.approve(store, name)
        vms.provision(store, name)
    vms.resize(store, "cz-app-01", cores=12)
    vms.stop(store, "ga-app-01", reason="patch window")
    vms.decommission(store, "bdc-tmp-01", reason="data migrated")
    vms.request(store, "ga-gpu-01", "警务云", 32, 128, 1000)  # waiting for approval
    return {
        "cloud_vms": vms.list_vms(store),
        "cloud_usage": usage.usage(store, "node"),
        "cloud_stats": store.read(lambda tx: stats.figures(tx)),
    }


def xinchuang(store: Store) -> dict[str, Any]:
    """Terminals and servers of the cloud's departments in phase 1 against its budget,
    three application systems adapting; progress and the budget position."""
    from infra.xc import apps, assets
    from infra.xc import budget as ledger

    ledger.set_phase(store, 1, "600000", "2025-01-01", "2025-12-31")
    ledger.set_phase(store, 2, "900000", "2026-01-01", "2026-12-31")
    machines = (
        # serial, kind, dept, cpu, os, phase, cost (yuan), status
        ("HY-T-0001", "terminal", "YC-CZ", "hygon", "kylin", 1, "6800", "accepted"),
        ("HY-T-0002", "terminal", "YC-CZ", "hygon", "kylin", 1, "6800", "accepted"),
        ("HY-T-0003", "terminal", "YC-CZ", "phytium", "uos", 1, "7200", "installed"),
        ("HY-T-0004", "terminal", "HY-GA", "phytium", "uos", 1, "7200", "delivered"),
        ("HY-T-0005", "terminal", "HY-GA", "kunpeng", "kylin", 2, "7500", "planned"),
        ("HY-S-0001", "server", "HY-ZRZY", "kunpeng", "openeuler", 1, "168000", "accepted"),
        ("HY-S-0002", "server", "HY-GA", "hygon", "kylin", 2, "152000", "installed"),
    )
    for serial, kind, dept, cpu, family, phase, cost, status in machines:
        fields = assets.Fields.check(serial, kind, dept, cpu=cpu, os=family, phase=phase, cost=cost)
        assets.add(store, fields)
        if status != "planned":
            assets.set_status(store, serial, status)
    apps.add(store, "财政一体化", "YC-CZ", phase=1, os="kylin", db="dm", middleware="tongweb")
    apps.add(store, "不动产登记", "HY-ZRZY", phase=1, os="openeuler", db="kingbase")
    apps.add(store, "警务综合平台", "HY-GA", phase=2)
    apps.set_status(store, "财政一体化", "online")
    apps.set_status(store, "不动产登记", "adapting")
    return {
        "xc_progress": ledger.progress(store, "dept"),
        "xc_budget": ledger.budget(store),
    }


def drill(store: Store) -> dict[str, Any]:
    """The drill checklist run for real against this machine (a plain host record,
    `localhost`, worked on without SSH), and its report; or why it could not run.
    The checks only read: nothing on this machine is changed."""
    import shutil
    import sys
    from pathlib import Path

    from infra import hosts
    from infra.drill import report, runs
    from infra.errors import GovopsError

    beside = Path(sys.executable).parent / "ansible-playbook"
    if not beside.exists() and shutil.which("ansible-playbook") is None:
        return {"drill_skipped": "ansible-playbook is not installed (pip install ansible-core)"}
    hosts.add(
        store,
        hosts.HostFields(
            "localhost", "127.0.0.1", groups=["demo"], dept="HY-GA", connection="local"
        ),
    )
    try:
        runs.run(store, runs.DrillRequest(name="demo-drill", limit="localhost"))
    except GovopsError as exc:
        return {"drill_skipped": f"the drill could not run here: {exc}"}
    return {"drill_report": report.report(store, "demo-drill", "check")}
