"""The drill checklist over 20 loopback hosts: `govops drill run` against plain
`ansible-playbook` running the same playbook on the same hosts with the same
forks and settings (pipelining and ControlPersist on, facts off), the median of
3 runs each, interleaved; then govops' default forks against ansible-playbook's
default of 5. Targets: govops / plain <= 1.10; the forks ratio shows what sizing
forks to the hosts buys.

Runs real sshd processes on 127.0.0.x (tests/sshd.py; root, /usr/sbin/sshd). All
"hosts" are this machine, so every task's work is paid on the same 2 CPUs as the
controller. Sessions get SHLVL=1 so bash skips root's heavy ~/.bashrc (as in
bench/probe_fanout.py).

    python bench/drill_overhead.py [--hosts 20] [--runs 3] [--checks ID,...]
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import sshd as testsshd  # noqa: E402

from infra import ansible, hosts  # noqa: E402
from infra.drill import runs  # noqa: E402
from infra.store import Store  # noqa: E402

PY = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable


def plain(inventory: Path, key: Path, known: Path, forks: int | None, checks: str | None) -> float:
    """ansible-playbook itself, with the settings govops gives its runs."""
    ssh_args = shlex.join([
        "-C", "-o", "ControlMaster=auto", "-o", "ControlPersist=60s",
        "-o", f"UserKnownHostsFile={known}", "-o", "StrictHostKeyChecking=yes",
        "-o", "BatchMode=yes",
    ])  # fmt: skip
    env = {
        **os.environ,
        "ANSIBLE_SSH_ARGS": ssh_args,
        "ANSIBLE_PIPELINING": "True",
        "ANSIBLE_HOST_KEY_CHECKING": "True",
        "ANSIBLE_RETRY_FILES_ENABLED": "False",
        "ANSIBLE_PRIVATE_KEY_FILE": str(key),
        "ANSIBLE_PYTHON_INTERPRETER": "auto_silent",
    }
    argv = [str(ansible.ansible_playbook()), "-i", str(inventory),
            str(ansible.PLAYBOOKS / "drill" / "checks.yml")]  # fmt: skip
    if forks is not None:
        argv += ["--forks", str(forks)]
    if checks:
        argv += ["--tags", checks]
    start = time.perf_counter()
    done = subprocess.run(argv, env=env, capture_output=True, text=True)
    took = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"ansible-playbook failed: {done.stdout[-2000:]}{done.stderr[-2000:]}")
    return took


def govops(
    store: Store, key: Path, known: Path, forks: int | None, checks: str | None, n: int
) -> float:
    request = runs.DrillRequest(
        name=f"bench-{n}-{time.time_ns()}", checks=checks, private_key=key, known_hosts=known,
        forks=forks,
    )  # fmt: skip
    start = time.perf_counter()
    out = runs.run(store, request)
    took = time.perf_counter() - start
    if out["unreachable"] or out["results"].get("error"):
        raise SystemExit(f"govops drill run: {out}")
    return took


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--hosts", type=int, default=20)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--checks", default=None, help="only these check ids (default: all)")
    args = ap.parse_args()
    testsshd.require_sshd = lambda: None  # a bench fails loudly instead of skipping
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        os.environ["GOVOPS_RUNS"] = str(tmp / "runs")
        key = testsshd.keygen(tmp / "id_ed25519")
        pool = testsshd.SshdPool(tmp / "sshd", key)
        pool.root.mkdir()
        try:
            servers = pool.start(args.hosts, extra=("SetEnv=SHLVL=1",))
            known = tmp / "known_hosts"
            known.write_text(
                "".join(f"{line}\n" for s in servers for line in s.known_hosts_lines())
            )
            store = Store(str(tmp / "bench.db"))
            i = 0
            for s in servers:
                for h in s.hosts:
                    hosts.add(
                        store, hosts.HostFields(f"h{i:02d}", h, port=s.port, user="root", python=PY)
                    )
                    i += 1
            listed = hosts.inventory_of(store)
            inventory = tmp / "inventory" / "hosts.json"
            inventory.parent.mkdir()
            inventory.write_text(json.dumps(ansible.Inventory.read(listed).as_yaml_plugin()))
            (inventory.parent / "group_vars").symlink_to(ansible.GROUP_VARS)
            forks = ansible.size_forks(args.hosts)
            ours, theirs = [], []
            for n in range(args.runs):
                ours.append(govops(store, key, known, forks, args.checks, n))
                theirs.append(plain(inventory, key, known, forks, args.checks))
                print(f"run {n + 1}: govops {ours[-1]:.1f} s, ansible-playbook {theirs[-1]:.1f} s",
                      flush=True)  # fmt: skip
            mo, mt = statistics.median(ours), statistics.median(theirs)
            print(f"{args.hosts} hosts, forks {forks}: govops drill run median {mo:.1f} s,"
                  f" ansible-playbook median {mt:.1f} s, ratio {mo / mt:.3f} (target <= 1.10)")  # fmt: skip
            default = govops(store, key, known, None, args.checks, 99)
            five = plain(inventory, key, known, None, args.checks)
            print(f"govops default forks ({forks}) {default:.1f} s vs ansible-playbook default"
                  f" forks (5) {five:.1f} s: ratio {default / five:.3f}")  # fmt: skip
            store.close()
        finally:
            pool.stop()


if __name__ == "__main__":
    main()
