"""What each node, department and system holds, kept by the database's triggers: after any
sequence of lifecycle actions (refused, forced, imported, or SQL by hand) the totals
equal a recount from the VMs; the migration fills them from the VMs there are;
`govops cloud check` names any difference."""

from __future__ import annotations

import random

import pytest
from conftest import Cli
from test_cloud_setup import FIN, POLICE, build

from infra.cloud import held, nodes, schema, systems, usage, vms
from infra.cloud.checks import RESOURCES, OverLimit
from infra.errors import GovopsError
from infra.store import Store, Tx


@pytest.fixture
def cloud(store):
    """The small cloud of test_cloud_setup."""
    build(store)
    return store


def _recounted(store: Store) -> list[str]:
    return store.read(held.recount)


def _counted_by_hand(store: Store) -> dict[str, dict[int, dict[str, int]]]:
    """What each node, department and system holds, summed in Python from every VM."""
    out: dict[str, dict[int, dict[str, int]]] = {"node": {}, "dept": {}, "system": {}}

    def run(tx: Tx) -> None:
        for r in tx.all(
            "SELECT v.node_id, s.dept_id, v.system_id, v.status, v.cores, v.ram_gb, v.disk_gb"
            " FROM cloud_vm v JOIN cloud_system s ON s.id = v.system_id"
        ):
            if r["status"] not in ("approved", "active", "stopped"):
                continue
            for scope, key in (
                ("node", r["node_id"]),
                ("dept", r["dept_id"]),
                ("system", r["system_id"]),
            ):
                got = out[scope].setdefault(int(key), held.zero())
                got["vms"] += 1
                for k in ("cores", "ram_gb", "disk_gb"):
                    got[k] += int(r[k])

    store.read(run)
    return out


def _kept(store: Store) -> dict[str, dict[int, dict[str, int]]]:
    def run(tx: Tx) -> dict[str, dict[int, dict[str, int]]]:
        return {
            scope: {i: f for i, f in held.every(tx, scope).items() if f != held.zero()}
            for scope in held.SCOPES
        }

    return store.read(run)


def test_totals_equal_the_recount_after_a_long_random_life(cloud):
    rng = random.Random(20240601)
    systems.set_quota(cloud, "YC-CZ", {"vms": 12, "cores": 40})
    systems.set_quota(cloud, "HY-GA", {"ram_gb": 160})
    names: list[str] = []
    done: dict[str, int] = {}
    for step in range(400):
        action = rng.choice(
            ["request", "request", "approve", "approve", "provision", "stop", "start",
             "resize", "decommission", "reject", "record"]
        )  # fmt: skip
        force = rng.random() < 0.25
        reason = "by the test" if force else None
        system = rng.choice([FIN, POLICE])
        try:
            if action == "request":
                name = f"r-{step}"
                vms.request(cloud, name, system, rng.randint(1, 8), rng.randint(1, 32), 20,
                            arch=rng.choice([None, "x86_64", "aarch64"]))  # fmt: skip
                names.append(name)
            elif action == "record":
                name = f"i-{step}"
                status = rng.choice(["active", "stopped"])
                node = rng.choice(["x1", "a1"])
                cloud.write(
                    lambda tx, n=name, s=system, st=status, nd=node: vms.record_in(
                        tx, n, s, nd, rng.randint(1, 8), rng.randint(1, 32), 30,
                        "2024-03-01", status=st,
                    )
                )  # fmt: skip
                names.append(name)
            elif not names:
                continue
            else:
                name = rng.choice(names)
                if action == "approve":
                    vms.approve(cloud, name, force=force, reason=reason)
                elif action == "provision":
                    vms.provision(cloud, name, force=force, reason=reason)
                elif action == "reject":
                    vms.reject(cloud, name, "not needed")
                elif action == "resize":
                    vms.resize(cloud, name, cores=rng.randint(1, 12),
                               ram_gb=rng.randint(1, 40), disk_gb=rng.randint(20, 60),
                               force=force, reason=reason)  # fmt: skip
                else:
                    getattr(vms, action)(cloud, name)
            done[action] = done.get(action, 0) + 1
        except GovopsError as err:  # refused: an illegal move, a limit, a full subnet
            done[f"refused {type(err).__name__}"] = done.get(f"refused {type(err).__name__}", 0) + 1
        if step % 50 == 0:
            assert _recounted(cloud) == [], step
    assert _recounted(cloud) == []
    assert _kept(cloud) == {
        scope: {i: f for i, f in found.items() if f != held.zero()}
        for scope, found in _counted_by_hand(cloud).items()
    }
    # the sequence went through every kind of action, and through refusals
    for action in ("request", "record", "approve", "provision", "stop", "start", "resize",
                   "decommission", "reject"):  # fmt: skip
        assert done.get(action, 0) > 0, (action, done)
    assert done.get(f"refused {OverLimit.__name__}", 0) > 0, done
    assert sum(f["vms"] for f in _kept(cloud)["node"].values()) > 5
    assert len(_kept(cloud)["system"]) == 2  # both systems hold VMs at the end
    # the usage report by system reads the same totals
    by_system = {r["system"]: r for r in usage.usage(cloud, "system")}
    kept = _kept(cloud)["system"]
    for name in (FIN, POLICE):
        system_id = cloud.read(lambda tx, n=name: systems.resolve(tx, n).id)
        row = by_system[name]
        assert {"vms": row["vms"], **{k: row[f"{k}_allocated"] for k in RESOURCES}} == kept[
            system_id
        ]


def test_changes_made_in_sql_by_hand_are_kept_too(cloud):
    for i in range(3):
        vms.request(cloud, f"h-{i}", FIN, 2, 4, 50)
        vms.approve(cloud, f"h-{i}")
    other = cloud.read(lambda tx: systems.resolve(tx, POLICE).id)
    node_a1 = cloud.read(lambda tx: nodes.resolve(tx, "a1").id)

    def by_hand(tx: Tx) -> None:
        tx.execute("UPDATE cloud_vm SET system_id = ?, cores = 3 WHERE name = 'h-0'", (other,))
        tx.execute("UPDATE cloud_vm SET node_id = ? WHERE name = 'h-1'", (node_a1,))
        vm_id = tx.scalar("SELECT id FROM cloud_vm WHERE name = 'h-2'")
        tx.execute("DELETE FROM vm_event WHERE vm_id = ?", (vm_id,))
        tx.execute("DELETE FROM cloud_vm WHERE id = ?", (vm_id,))

    fin = cloud.read(lambda tx: systems.resolve(tx, FIN).id)
    before = cloud.read(lambda tx: held.of(tx, "system", other))
    fin_before = cloud.read(lambda tx: held.of(tx, "system", fin))

    cloud.write(by_hand)
    assert _recounted(cloud) == []
    # h-0 moved away and h-2 deleted: FIN keeps h-1 (2 cores, 4 GB, 50 GB) only
    fin_now = cloud.read(lambda tx: held.of(tx, "system", fin))
    assert fin_now == {k: fin_before[k] - v for k, v in {"vms": 2, "cores": 4, "ram_gb": 8,
                                                         "disk_gb": 100}.items()}  # fmt: skip
    moved = cloud.read(lambda tx: held.of(tx, "system", other))
    assert moved == {k: before[k] + v for k, v in {"vms": 1, "cores": 3, "ram_gb": 4,
                                                     "disk_gb": 50}.items()}  # fmt: skip
    assert _kept(cloud) == {
        scope: {i: f for i, f in found.items() if f != held.zero()}
        for scope, found in _counted_by_hand(cloud).items()
    }
    police = cloud.read(lambda tx: systems.dept_usage(tx, systems.resolve(tx, POLICE).dept_id))
    assert police == {"vms": 1, "cores": 3, "ram_gb": 4, "disk_gb": 50}
    assert cloud.read(lambda tx: nodes.allocated(tx, node_a1))["vms"] == 1
    # a VM leaving its holding status is taken away from its system too
    cloud.write(lambda tx: tx.execute("UPDATE cloud_vm SET status = 'decommissioned'"
                                      " WHERE name = 'h-0'"))  # fmt: skip
    assert cloud.read(lambda tx: held.of(tx, "system", other)) == before
    assert _recounted(cloud) == []


def _drop_totals(tx: Tx) -> None:
    if tx.dialect == "postgresql":
        tx.execute("DROP FUNCTION cloud_held_change() CASCADE")
        tx.execute("DROP FUNCTION cloud_held_add(TEXT, BIGINT, INTEGER, BIGINT, BIGINT, BIGINT)")
    else:
        for event in ("insert", "update", "delete"):
            tx.execute(f"DROP TRIGGER cloud_vm_held_{event}")
    tx.execute("DROP TABLE cloud_held")


def test_the_migration_fills_the_totals_from_the_vms(cloud):
    for i in range(4):
        vms.request(cloud, f"m-{i}", FIN if i % 2 else POLICE, 1 + i, 2, 20)
        vms.approve(cloud, f"m-{i}")
    vms.provision(cloud, "m-1")
    vms.reject(cloud, "m-2", "not needed")
    before = _kept(cloud)
    cloud.write(_drop_totals)
    cloud.write(schema.held_totals)
    assert _kept(cloud) == before
    assert _recounted(cloud) == []
    vms.request(cloud, "m-9", FIN, 1, 1, 10)
    vms.approve(cloud, "m-9")  # the triggers are back
    assert _recounted(cloud) == []


def test_cloud_check_names_each_difference(cloud, db_url):
    cli = Cli(db_url)
    vms.request(cloud, "c-1", FIN, 2, 8, 100)
    vms.approve(cloud, "c-1")
    result = cli.ok("cloud", "check")
    assert result.stdout == "" and "cloud totals agree with the VMs" in result.stderr
    cloud.write(lambda tx: tx.execute("UPDATE cloud_held SET cores = cores + 1"))
    result = cli("cloud", "check")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines == [
        "node x1: the totals say vms 1, cores 3, ram_gb 8, disk_gb 100;"
        " the VMs hold vms 1, cores 2, ram_gb 8, disk_gb 100",
        "department YC-CZ: the totals say vms 1, cores 3, ram_gb 8, disk_gb 100;"
        " the VMs hold vms 1, cores 2, ram_gb 8, disk_gb 100",
        f"system {FIN}: the totals say vms 1, cores 3, ram_gb 8, disk_gb 100;"
        " the VMs hold vms 1, cores 2, ram_gb 8, disk_gb 100",
    ]
