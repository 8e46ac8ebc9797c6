"""Mixed load: one worker process, and the set-up, launch and checks around eight of them.

Usage: python tests/load_worker.py URL INDEX SECONDS GO_FILE RESULT_FILE
Opens its own Store, says so (RESULT_FILE.ready), waits until GO_FILE exists (so
all workers start together), then for SECONDS mixes, each in its own transaction
as a user's command would: IPAM allocations and releases, address assignments
and releases, VMs requested, approved (or refused by a quota), provisioned,
rejected and decommissioned, and small imports of Xinchuang assets and of
departments, and now and then runs what `ipam check` and `cloud check` run,
which must find nothing. It writes {"worker", "seconds", "counts": {kind:
{outcome: n}}, "failures": [traceback, …]} as JSON to RESULT_FILE. A refusal
the rules foresee (a quota or capacity, an exhausted block) is an outcome;
anything else (a lock, busy, serialisation or deadlock error, any other
exception) is a failure and the process exits 1.

tests/test_mixed_load.py (a few seconds per backend) and bench/load.py (30 s)
use `prepare`, `run` and `verify` below.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
import traceback
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
for _p in (str(ROOT), str(HERE)):
    if _p not in sys.path:
        sys.path.insert(0, _p)

from infra.cloud.checks import OverLimit  # noqa: E402
from infra.store import Store  # noqa: E402
from ipam.space import PrefixExhausted  # noqa: E402

PROCESSES = 8
POOL = "172.16.0.0/12"  # allocations and releases
HOSTS = "192.168.0.0/20"  # address assignments, in the pool 192.168.0.0/16
QUOTAS = {"YC-CZ": 6, "HY-GA": 16}  # VMs each department may hold: refusals come often
SIZES = ("/24", "/26", "/27", "/28")
ASSETS_PER_IMPORT = 3
DEPTS_PER_IMPORT = 2

# What each successful operation writes to the audit log: action -> rows.
AUDIT_ROWS: dict[str, dict[str, int]] = {
    "alloc": {"prefix.add": 1},
    "release": {"prefix.remove": 1},  # no quarantine: the block goes back at once
    "assign": {"ip.assign": 1},
    "unassign": {"ip.release": 1},
    "vm.request": {"cloud.vm.request": 1},
    "vm.approve": {"cloud.vm.approve": 1},
    "vm.reject": {"cloud.vm.reject": 1},
    "vm.provision": {"cloud.vm.provision": 1, "ip.assign": 1},
    "vm.decommission": {"cloud.vm.decommission": 1, "ip.release": 1},
    "asset import": {"xc.asset.add": ASSETS_PER_IMPORT},
    "dept import": {"dept.add": DEPTS_PER_IMPORT},
    "check": {},
}
REFUSALS = (OverLimit, PrefixExhausted)


# -- one worker ----------------------------------------------------------------


class Worker:
    def __init__(self, store: Store, index: int, tmp: Path):
        self.store = store
        self.index = index
        self.tmp = tmp
        self.rng = random.Random(index)
        self.counts: dict[str, Counter[str]] = defaultdict(Counter)
        self.failures: list[str] = []
        self.blocks: list[str] = []
        self.addresses: list[str] = []
        self.vms: list[str] = []
        self.serial = 0

    def attempt(self, kind: str, op: Any) -> Any:
        """Run one operation; count it as ok or refused, or keep its traceback."""
        try:
            out = op()
        except REFUSALS:
            self.counts[kind]["refused"] += 1
            return None
        except Exception:
            self.counts[kind]["failed"] += 1
            self.failures.append(f"{kind}: {traceback.format_exc()}")
            return None
        self.counts[kind]["ok"] += 1
        return out if out is not None else True

    def name(self, what: str) -> str:
        self.serial += 1
        return f"w{self.index}-{what}{self.serial}"

    def alloc(self) -> None:
        from ipam import space

        request = space.AllocRequest(source=POOL, size=self.rng.choice(SIZES), purpose="load")
        got = self.attempt("alloc", lambda: space.alloc(self.store, request))
        if got:
            self.blocks.append(got[0]["prefix"])

    def release(self) -> None:
        from ipam import space

        cidr = self.blocks.pop(self.rng.randrange(len(self.blocks)))
        self.attempt("release", lambda: space.release(self.store, cidr, quarantine_days=0))

    def assign(self) -> None:
        from ipam import addresses

        host = self.name("h")
        got = self.attempt("assign", lambda: addresses.next_free(self.store, HOSTS, host))
        if got:
            self.addresses.append(got[0]["address"])

    def unassign(self) -> None:
        from ipam import addresses

        ip = self.addresses.pop(self.rng.randrange(len(self.addresses)))
        self.attempt("unassign", lambda: addresses.release(self.store, ip))

    def vm(self) -> None:
        """A VM from request to delivery; a request the quota refuses is rejected."""
        from test_cloud_setup import FIN, POLICE

        from infra.cloud import vms

        vm, system = self.name("vm"), self.rng.choice((FIN, POLICE))
        if not self.attempt("vm.request", lambda: vms.request(self.store, vm, system, 2, 4, 20)):
            return
        if self.attempt("vm.approve", lambda: vms.approve(self.store, vm)):
            if self.attempt("vm.provision", lambda: vms.provision(self.store, vm)):
                self.vms.append(vm)
                return
        self.attempt("vm.reject", lambda: vms.reject(self.store, vm, "no room under the quota"))

    def decommission(self) -> None:
        from infra.cloud import vms

        vm = self.vms.pop(self.rng.randrange(len(self.vms)))
        self.attempt("vm.decommission", lambda: vms.decommission(self.store, vm))

    def import_assets(self) -> None:
        from infra.xc import assets

        path = self.tmp / f"assets-{self.index}.csv"
        rows = ["serial,kind,dept,phase,cost"]
        for _ in range(ASSETS_PER_IMPORT):
            rows.append(f"{self.name('SN').upper()},terminal,YC-CZ,1,4999")
        path.write_text("\n".join(rows) + "\n", encoding="utf-8")
        self.attempt("asset import", lambda: assets.import_file(self.store, path))

    def import_depts(self) -> None:
        from test_cloud_setup import COUNTY

        from infra.org import depts

        path = self.tmp / f"depts-{self.index}.csv"
        rows = ["code,name,org_code"]
        for _ in range(DEPTS_PER_IMPORT):
            code = self.name("D").upper()
            rows.append(f"{code},部门{code},{COUNTY}")
        path.write_text("\n".join(rows) + "\n", encoding="utf-8")
        self.attempt("dept import", lambda: depts.import_file(self.store, path))

    def check(self) -> None:
        """`ipam check` and `cloud check` while the others write: a read sees one
        moment of the database, so neither ever finds anything wrong."""
        from infra.cloud import held
        from ipam import views

        def run() -> None:
            found: list[Any] = [p for p in views.check(self.store) if p["severity"] == "error"]
            found += held.check(self.store)
            if found:
                raise AssertionError(f"a check amid the writes found {found[:3]}")

        self.attempt("check", run)

    def step(self) -> None:
        choices = [(self.alloc, 3), (self.assign, 3), (self.vm, 3)]
        choices += [(self.import_assets, 1), (self.import_depts, 1), (self.check, 1)]
        if self.blocks:
            choices.append((self.release, 3))
        if self.addresses:
            choices.append((self.unassign, 3))
        if self.vms:
            choices.append((self.decommission, 1))
        ops, weights = zip(*choices, strict=True)
        self.rng.choices(ops, weights)[0]()


def main() -> None:
    url, index, seconds, go, result = sys.argv[1:6]
    store = Store(url)
    worker = Worker(store, int(index), Path(result).parent)
    Path(result + ".ready").touch()
    deadline = time.monotonic() + 60
    while not Path(go).exists():
        if time.monotonic() > deadline:
            raise SystemExit("no start signal")
        time.sleep(0.002)
    start = time.monotonic()
    while time.monotonic() - start < float(seconds):
        worker.step()
    took = time.monotonic() - start
    store.close()
    counts = {kind: dict(c) for kind, c in sorted(worker.counts.items())}
    out = {"worker": int(index), "seconds": took, "counts": counts, "failures": worker.failures}
    Path(result).write_text(json.dumps(out, ensure_ascii=False), encoding="utf-8")
    if worker.failures:
        raise SystemExit(1)


# -- around the workers --------------------------------------------------------


def audit_actions(store: Store) -> Counter[str]:
    rows = store.read(lambda tx: tx.all("SELECT action, count(*) AS n FROM audit GROUP BY action"))
    return Counter({str(r["action"]): int(r["n"]) for r in rows})


def prepare(url: str) -> Counter[str]:
    """The small cloud of tests/test_cloud_setup.py, a pool to allocate from, a
    prefix to take addresses from and VM quotas for both departments; returns the
    audit log's rows by action."""
    from test_cloud_setup import build

    from infra.cloud import systems
    from ipam import space

    with Store(url) as store:
        build(store)
        space.add(store, POOL, status="container", pool=True)
        space.add(store, "192.168.0.0/16", pool=True)
        space.add(store, HOSTS)
        for dept, limit in QUOTAS.items():
            systems.set_quota(store, dept, {"vms": limit})
        return audit_actions(store)


def run(url: str, seconds: float, tmp: Path) -> list[dict[str, Any]]:
    """Eight workers for `seconds` against `url`; their results (a worker that
    failed or printed a traceback is reported in its result's failures)."""
    go = tmp / "go"
    go.unlink(missing_ok=True)
    env = {**os.environ, "GOVOPS_ACTOR": os.environ.get("GOVOPS_ACTOR", "load")}
    procs = []
    for i in range(PROCESSES):
        out = tmp / f"worker-{i}.json"
        out.unlink(missing_ok=True)
        args = [sys.executable, str(Path(__file__).resolve()), url, str(i), str(seconds), str(go)]
        procs.append(
            (
                out,
                subprocess.Popen(
                    [*args, str(out)],
                    cwd=ROOT,
                    env=env,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                ),
            )
        )
    deadline = time.monotonic() + 60
    while not all(Path(f"{out}.ready").exists() for out, _ in procs):  # imported, connected
        if time.monotonic() > deadline or any(p.poll() is not None for _, p in procs):
            break  # a worker that died says why below
        time.sleep(0.01)
    go.touch()
    results = []
    for out, p in procs:
        stdout, stderr = p.communicate(timeout=seconds + 300)
        result: dict[str, Any] = {"counts": {}, "failures": []}
        if out.exists():
            result = json.loads(out.read_text(encoding="utf-8"))
        if p.returncode != 0 or "Traceback" in stderr or stdout.strip():
            result["failures"].append(f"exit {p.returncode}: {stderr.strip()[-3000:]}{stdout}")
        results.append(result)
    return results


def totals(results: list[dict[str, Any]]) -> dict[str, Counter[str]]:
    """Operations by kind and outcome over all workers."""
    out: dict[str, Counter[str]] = defaultdict(Counter)
    for r in results:
        for kind, outcomes in r["counts"].items():
            out[kind].update(outcomes)
    return dict(sorted(out.items()))


def verify(url: str, results: list[dict[str, Any]], audit_before: Counter[str]) -> dict[str, str]:
    """The checks after a run, each "ok" or what is wrong: no worker failed,
    nothing overlaps, quotas and nodes hold (by the cloud's own totals and by a
    recount from the VM rows), one audit row per change, and the chain verifies."""
    from ipam_helpers import verify_space

    from infra import audit
    from infra.cloud import held, nodes, systems
    from ipam import views

    verdicts: dict[str, str] = {}
    failures = [f for r in results for f in r["failures"]]
    verdicts["workers"] = "ok" if not failures else f"{len(failures)} failed: {failures[0]}"
    with Store(url) as store:
        errors = [p for p in views.check(store) if p["severity"] == "error"]
        try:
            verify_space(store)
        except AssertionError as exc:
            errors.append({"verify_space": repr(exc)})
        verdicts["ipam check"] = "ok" if not errors else f"{errors[:3]}"
        over = [q["dept"] for q in systems.list_quotas(store) if q["vms_used"] > q["vms"]] + [
            n["name"] for n in nodes.list_nodes(store) if n["cores_free"] < 0
        ]
        held_rows = store.read(
            lambda tx: tx.all(
                "SELECT d.code, count(*) AS n FROM cloud_vm v"
                " JOIN cloud_system s ON s.id = v.system_id JOIN dept d ON d.id = s.dept_id"
                " WHERE v.status IN ('approved', 'active', 'stopped') GROUP BY d.code"
            )
        )
        over += [r["code"] for r in held_rows if int(r["n"]) > QUOTAS.get(r["code"], 0)]
        recount = held.check(store)
        verdicts["quotas"] = "ok" if not over and not recount else f"over: {over} {recount}"
        expected: Counter[str] = Counter()
        for kind, outcomes in totals(results).items():
            for action, n in AUDIT_ROWS[kind].items():
                expected[action] += n * outcomes.get("ok", 0)
        written = audit_actions(store)
        written.subtract(audit_before)
        gaps = {
            a: (written[a], expected[a])
            for a in set(written) | set(expected)
            if written[a] != expected[a]
        }
        verdicts["audit rows"] = "ok" if not gaps else f"written, expected: {gaps}"
        verdict = audit.verify(store)
        verdicts["audit verify"] = "ok" if verdict.ok else str(verdict)
    return verdicts


if __name__ == "__main__":
    main()
