"""How fast does the dynamic inventory answer `--list` for 10,000 hosts? (target: < 1 s)

Fills a SQLite database with a city's worth of reachable hosts: 6,000 active VMs
(with addresses) in 300 business systems of 60 departments placed on the
city's units, 3,000 installed Xinchuang servers and terminals with a host, and
1,000 plain host records in a few groups; then runs the installed script
(`inventory/govops_inventory.py --list`) as Ansible does, a fresh process each
time, and prints the median and worst of 7 runs, the output's size, and the same
through `ansible-inventory -i SCRIPT --list` for scale.
Usage: python bench/inventory_list.py [--hosts 10000]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import inventory  # noqa: E402
from infra.store import Store, Tx  # noqa: E402


def fill(tx: Tx, total: int) -> None:
    vms, assets = total * 6 // 10, total * 3 // 10
    plain = total - vms - assets
    now = tx.now
    tx.execute(
        "INSERT INTO org_unit (code, name, level, parent_id, path, created_at)"
        " VALUES ('441600000000', '河源市', 'city', NULL, '河源市', ?)",
        (now,),
    )
    for c in range(6):
        tx.execute(
            "INSERT INTO org_unit (code, name, level, parent_id, path, created_at)"
            " VALUES (?, ?, 'county', 1, ?, ?)",
            (f"4416{c + 2:02d}000000", f"县{c}", f"河源市/县{c}", now),
        )
    for d in range(60):
        tx.execute(
            "INSERT INTO dept (code, name, org_id, created_at) VALUES (?, ?, ?, ?)",
            (f"D{d:03d}", f"部门{d}", 1 + d % 7, now),
        )
    tx.execute("INSERT INTO vrf (name, created_at) VALUES ('bench', ?)", (now,))
    vrf = tx.scalar("SELECT id FROM vrf WHERE name = 'bench'")
    for s in range(300):
        tx.execute(
            "INSERT INTO cloud_system (name, dept_id, vrf_id, created_at) VALUES (?, ?, ?, ?)",
            (f"系统{s}", 1 + s % 60, vrf, now),
        )
    tx.execute(
        "INSERT INTO cloud_node (name, arch, cores, ram_gb, disk_gb, cpu_ratio, ram_ratio,"
        " disk_ratio, created_at) VALUES ('n1', 'aarch64', 100000, 100000, 1000000, 4, 1, 1, ?)",
        (now,),
    )
    tx.executemany(
        "INSERT INTO cloud_vm (name, system_id, node_id, status, cores, ram_gb, disk_gb, os,"
        " arch, address, requested_at, updated_at)"
        " VALUES (?, ?, 1, 'active', 2, 4, 50, 'Kylin V10', 'aarch64', ?, ?, ?)",
        [
            (
                f"vm-{i:05d}",
                1 + i % 300,
                f"10.{64 + i // 65536}.{i // 256 % 256}.{i % 256}",
                now,
                now,
            )
            for i in range(vms)
        ],
    )
    tx.executemany(
        "INSERT INTO xc_asset (serial, kind, dept_id, cpu_family, os_family, host, ssh_user,"
        " status, status_day, created_at, updated_at)"
        " VALUES (?, ?, ?, 'hygon', 'uos', ?, 'ops', 'installed', '2026-01-01', ?, ?)",
        [
            (
                f"XC-{i:05d}",
                "server" if i % 5 == 0 else "terminal",
                1 + i % 60,
                f"10.200.{i // 256}.{i % 256}",
                now,
                now,
            )
            for i in range(assets)
        ],  # fmt: skip
    )
    tx.executemany(
        "INSERT INTO host (name, address, ssh_user, dept_id, created_at) VALUES (?, ?, 'ops', ?, ?)",
        [(f"h-{i:05d}", f"10.250.{i // 256}.{i % 256}", 1 + i % 60, now) for i in range(plain)],
    )
    ids = [int(r["id"]) for r in tx.all("SELECT id FROM host")]
    tx.executemany(
        "INSERT INTO host_group (host_id, name) VALUES (?, ?)",
        [(i, f"role_{i % 10}") for i in ids],
    )


def timed(cmd: list[str], env: dict[str, str], runs: int) -> tuple[list[float], bytes]:
    times, out = [], b""
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(cmd, env=env, capture_output=True, check=True)
        times.append(time.perf_counter() - start)
        out = done.stdout
    return times, out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--hosts", type=int, default=10_000)
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "bench.db")
        with Store(db) as store:
            store.write(lambda tx: fill(tx, args.hosts))
        env = {**os.environ, "GOVOPS_DB": db}
        times, out = timed([str(inventory.SCRIPT), "--list"], env, args.runs)
        listed = json.loads(out)
        count = len(listed["_meta"]["hostvars"])
        print(f"hosts in the inventory: {count}, groups: {len(listed) - 1}")
        print(f"script --list: median {statistics.median(times):.3f} s, worst {max(times):.3f} s,"
              f" {len(out) / 1e6:.1f} MB  (target < 1 s)")  # fmt: skip
        tool = Path(sys.executable).parent / "ansible-inventory"
        a_times, _ = timed([str(tool), "-i", str(inventory.SCRIPT), "--list"], env, 3)
        print(f"ansible-inventory -i script --list: median {statistics.median(a_times):.3f} s")


if __name__ == "__main__":
    main()
