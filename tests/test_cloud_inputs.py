"""Bad input to `govops cloud …` is one line, exit 1 (2 for usage errors), nothing written;
systems, quotas and settings as the department and IPAM see them; recording a running VM."""

from __future__ import annotations

import pytest
from conftest import Cli, one_line_error, usage_error
from test_cloud_setup import COUNTY, FIN, POLICE, build, running

from infra.cloud import nodes, systems, vms
from infra.errors import Conflict, InvalidInput, NotFound
from infra.org import depts
from ipam import addresses, space


@pytest.fixture
def cloud(store):
    """The small cloud of test_cloud_setup."""
    build(store)
    return store


def _written(store):
    """Everything a refused command must leave as it was."""
    return store.read(
        lambda tx: (
            tx.scalar("SELECT count(*) FROM audit"),
            tx.scalar("SELECT count(*) FROM vm_event"),
            tx.scalar("SELECT count(*) FROM cloud_vm"),
            tx.scalar("SELECT count(*) FROM cloud_node"),
            tx.scalar("SELECT count(*) FROM cloud_system"),
            tx.scalar("SELECT count(*) FROM prefix"),
            tx.scalar("SELECT count(*) FROM ip_address"),
        )
    )


NODE = ("cloud", "node", "add")
REQ = ("cloud", "vm", "request")
GOOD_REQ = ("--system", FIN, "--cores", "2", "--ram-gb", "4", "--disk-gb", "40")

REFUSED = [
    # nodes: resources, ratios, names, architecture
    (*NODE, "n9", "--cores", "0", "--ram-gb", "64", "--disk-gb", "100"),
    (*NODE, "n9", "--cores", "-4", "--ram-gb", "64", "--disk-gb", "100"),
    (*NODE, "n9", "--cores", "lots", "--ram-gb", "64", "--disk-gb", "100"),
    (*NODE, "n9", "--cores", "²", "--ram-gb", "64", "--disk-gb", "100"),
    (*NODE, "n9", "--cores", "1_000", "--ram-gb", "64", "--disk-gb", "100"),
    (*NODE, "n9", "--cores", "8", "--ram-gb", "0", "--disk-gb", "100"),
    (*NODE, "n9", "--cores", "8", "--ram-gb", "64", "--disk-gb", "10000000000"),
    (*NODE, "n9", "--cores", "8", "--ram-gb", "64", "--disk-gb", "100", "--cpu-ratio", "0"),
    (*NODE, "n9", "--cores", "8", "--ram-gb", "64", "--disk-gb", "100", "--cpu-ratio", "-1"),
    (*NODE, "n9", "--cores", "8", "--ram-gb", "64", "--disk-gb", "100", "--cpu-ratio", "nan"),
    (*NODE, "n9", "--cores", "8", "--ram-gb", "64", "--disk-gb", "100", "--cpu-ratio", "inf"),
    (*NODE, "n9", "--cores", "8", "--ram-gb", "64", "--disk-gb", "100", "--cpu-ratio", "65"),
    (*NODE, "n9", "--cores", "8", "--ram-gb", "64", "--disk-gb", "100", "--disk-ratio", "1e3"),
    (*NODE, "n9", "--cores", "8", "--ram-gb", "64", "--disk-gb", "100", "--ram-ratio", "1.6"),
    (*NODE, "n9", "--cores", "8", "--ram-gb", "64", "--disk-gb", "100", "--reserved-cores", "8"),
    (*NODE, "n9", "--cores", "8", "--ram-gb", "64", "--disk-gb", "100", "--reserved-ram-gb", "99"),
    (*NODE, "n9", "--cores", "8", "--ram-gb", "64", "--disk-gb", "100", "--arch", "z80"),
    (*NODE, "n 9", "--cores", "8", "--ram-gb", "64", "--disk-gb", "100"),
    (*NODE, "节点", "--cores", "8", "--ram-gb", "64", "--disk-gb", "100"),
    (*NODE, "n\t9", "--cores", "8", "--ram-gb", "64", "--disk-gb", "100"),
    (*NODE, "", "--cores", "8", "--ram-gb", "64", "--disk-gb", "100"),
    (*NODE, "n" * 65, "--cores", "8", "--ram-gb", "64", "--disk-gb", "100"),
    (*NODE, "x1", "--cores", "8", "--ram-gb", "64", "--disk-gb", "100"),
    # VM requests
    (*REQ, "v-1", "--system", FIN, "--cores", "0", "--ram-gb", "4", "--disk-gb", "40"),
    (*REQ, "v-1", "--system", FIN, "--cores", "4097", "--ram-gb", "4", "--disk-gb", "40"),
    (*REQ, "v-1", "--system", FIN, "--cores", "2", "--ram-gb", "-4", "--disk-gb", "40"),
    (*REQ, "v-1", "--system", FIN, "--cores", "2", "--ram-gb", "4.5", "--disk-gb", "40"),
    (*REQ, "v-1", "--system", FIN, "--cores", "2", "--ram-gb", "4", "--disk-gb", "1000001"),
    (*REQ, "v-1", "--system", FIN, "--cores", "two", "--ram-gb", "4", "--disk-gb", "40"),
    (*REQ, "v 1", *GOOD_REQ),
    (*REQ, "v\x001", *GOOD_REQ),
    (*REQ, "v" * 65, *GOOD_REQ),
    (*REQ, "虚拟机", *GOOD_REQ),
    (*REQ, "v-1", "--system", "没有", "--cores", "2", "--ram-gb", "4", "--disk-gb", "40"),
    (*REQ, "v-1", *GOOD_REQ, "--node", "nowhere"),
    (*REQ, "v-1", *GOOD_REQ, "--arch", "pdp11"),
    (*REQ, "v-1", *GOOD_REQ, "--os", "line\nbreak"),
    (*REQ, "taken", *GOOD_REQ),
    # systems
    ("cloud", "system", "add", "s-1", "--dept", "没有这个部门"),
    ("cloud", "system", "add", "s-1", "--dept", "ZR", "--subnet", "10.99.0.0/24"),
    ("cloud", "system", "add", "s-1", "--dept", "ZR", "--subnet", "10.90.0.0/16"),
    ("cloud", "system", "add", "s-1", "--dept", "ZR", "--subnet", "10.90.1.0/24"),
    ("cloud", "system", "add", "s-1", "--dept", "ZR", "--subnet", "10.90.1.5/24"),
    ("cloud", "system", "add", "s-1", "--dept", "ZR", "--subnet", "banana"),
    ("cloud", "system", "add", "s-1", "--dept", "ZR", "--mlps-level", "0"),
    ("cloud", "system", "add", "s-1", "--dept", "ZR", "--mlps-level", "5"),
    ("cloud", "system", "add", "s-1", "--dept", "ZR", "--mlps-level", "three"),
    ("cloud", "system", "add", "", "--dept", "ZR"),
    ("cloud", "system", "add", "系" * 65, "--dept", "ZR"),
    ("cloud", "system", "add", "a\u2028b", "--dept", "ZR"),
    ("cloud", "system", "add", FIN, "--dept", "ZR"),
    ("cloud", "system", "add", "s-1", "--dept", "ZR", "--vrf", "nope"),
    # quotas and settings
    ("cloud", "quota", "set", "没有这个部门", "--vms", "3"),
    ("cloud", "quota", "set", "ZR", "--vms", "-1"),
    ("cloud", "quota", "set", "ZR", "--cores", "many"),
    ("cloud", "quota", "set", "ZR"),
    ("cloud", "settings", "subnet-pool", "10.99.0.0/16"),
    ("cloud", "settings", "subnet-size", "/99"),
    ("cloud", "settings", "subnet-size", "/4"),
    ("cloud", "settings", "colour", "blue"),
    # lookups
    ("cloud", "vm", "show", "nobody"),
    ("cloud", "vm", "approve", "nobody"),
    ("cloud", "node", "show", "nowhere"),
    ("cloud", "system", "show", "没有"),
    ("cloud", "vm", "list", "--dept", "没有这个部门"),
    ("cloud", "vm", "list", "--system", "没有"),
    ("cloud", "vm", "list", "--node", "nowhere"),
    ("cloud", "vm", "resize", "taken", "--cores", "0"),
    ("cloud", "vm", "resize", "taken"),
    ("cloud", "vm", "reject", "taken", "--reason", " "),
]


def test_refused_input_is_one_line_and_writes_nothing(cloud, db_url):
    cli = Cli(db_url)
    vms.request(cloud, "taken", FIN, 2, 4, 40)
    before = _written(cloud)
    for args in REFUSED:
        result = cli(*args)
        assert result.exit_code == 1, (args, result.stderr)
        one_line_error(result)
        assert _written(cloud) == before, args


USAGE = [
    (*NODE, "n9", "--ram-gb", "64", "--disk-gb", "100"),  # --cores missing
    (*REQ, "v-1", "--cores", "2", "--ram-gb", "4", "--disk-gb", "40"),  # --system missing
    ("cloud", "system", "add", "s-1"),  # --dept missing
    ("cloud", "vm", "list", "--status", "running"),
    ("cloud", "usage", "--by", "rack"),
    ("cloud", "vm", "reject", "taken"),  # --reason missing
    ("cloud", "vm", "frobnicate", "taken"),
    (*NODE, "-n9", "--cores", "8", "--ram-gb", "64", "--disk-gb", "100"),  # an option, not a name
]


@pytest.mark.parametrize("args", USAGE, ids=" ".join)
def test_usage_errors_exit_2(sqlite_cli, args):
    usage_error(sqlite_cli(*args))


def test_auto_subnets_come_from_the_pool_for_the_departments_unit(cloud, db_url):
    cli = Cli(db_url)
    # 警务云 of HY-GA (河源市) got the pool's first /24, assigned to the city
    found = cli.json("ipam", "find", "10.80.0.0/24")
    assert found[-1]["prefix"] == "10.80.0.0/24"
    assert found[-1]["org_code"] == "441600000000" and found[-1]["purpose"] == "cloud"
    # a county department's block is assigned to its county; a size from the setting
    cli.ok("cloud", "settings", "subnet-size", "/26")
    made = cli.json("cloud", "system", "add", "财政二期", "--dept", "YC-CZ", "--subnet", "auto")
    assert made["subnet"] == "10.80.1.0/26"
    assert cli.json("ipam", "find", "10.80.1.0/26")[-1]["org_code"] == COUNTY
    # a department without a unit gets a block assigned to nobody
    made = systems.add(cloud, "自然资源", "ZR", subnet="auto")
    assert made["subnet"] == "10.80.1.64/26"
    assert cli.json("ipam", "find", "10.80.1.64/26")[-1]["org_code"] is None
    settings = {r["setting"]: r["value"] for r in cli.json("cloud", "settings")}
    assert settings == {"subnet-pool": "10.80.0.0/16", "subnet-size": "26"}


def test_auto_subnet_without_a_pool_is_refused(store):
    depts.add(store, "自然资源局", "ZR")
    with pytest.raises(Conflict, match="no subnet pool is set"):
        systems.add(store, "s", "ZR", subnet="auto")
    assert systems.list_systems(store) == []


def test_a_full_pool_refuses_the_system(cloud):
    space.add(cloud, "10.70.0.0/25", pool=True)
    systems.settings(cloud, "subnet-size", "26")
    systems.settings(cloud, "subnet-pool", "10.70.0.0/25")
    systems.add(cloud, "s-1", "ZR", subnet="auto")
    systems.add(cloud, "s-2", "ZR", subnet="auto")
    with pytest.raises(space.PrefixExhausted):
        systems.add(cloud, "s-3", "ZR", subnet="auto")
    assert [s["subnet"] for s in systems.list_systems(cloud, "ZR")] == [
        "10.70.0.0/26",
        "10.70.0.64/26",
    ]
    with pytest.raises(InvalidInput, match="does not fit the subnet pool 10.70.0.0/25"):
        systems.settings(cloud, "subnet-size", "/24")


def test_a_subnet_serves_one_system(cloud):
    with pytest.raises(Conflict, match="already the subnet of system 财政一体化"):
        systems.add(cloud, "s-1", "ZR", subnet="10.90.1.0/24")
    with pytest.raises(NotFound, match="not a prefix recorded in IPAM"):
        systems.add(cloud, "s-1", "ZR", subnet="10.91.0.0/24")


def test_departments_list_their_systems_and_keep_them(cloud, db_url):
    cli = Cli(db_url)
    systems.set_quota(cloud, "ZR", {"vms": 3})
    shown = cli.json("dept", "show", "HY-GA")
    assert shown["cloud_systems"] == [POLICE]
    one_line_error(cli("dept", "remove", "HY-GA"), "1 cloud systems")
    one_line_error(cli("dept", "remove", "ZR"), "1 cloud quotas")
    assert cli.json("dept", "show", "ZR")["cloud_quota"] == [
        "vms 3, cores any, ram_gb any, disk_gb any"
    ]


def test_quota_set_keeps_the_limits_not_named(cloud):
    systems.set_quota(cloud, "YC-CZ", {"vms": 5, "cores": 20})
    out = systems.set_quota(cloud, "YC-CZ", {"ram_gb": "64"})
    assert (out["vms"], out["cores"], out["ram_gb"], out["disk_gb"]) == (5, 20, 64, None)
    out = systems.set_quota(cloud, "YC-CZ", {"cores": None})
    assert out["cores"] is None and out["vms"] == 5
    with pytest.raises(InvalidInput, match="unknown quota"):
        systems.set_quota(cloud, "YC-CZ", {"gpus": 1})


def test_lists_and_shows(cloud, db_url):
    cli = Cli(db_url)
    running(cloud, "show-1", cores=4, arch="x86_64")
    node = cli.json("cloud", "node", "show", "x1")
    assert node["vm_names"] == ["show-1"] and node["cores_allocated"] == 4
    listed = {n["name"]: n for n in cli.json("cloud", "node", "list")}
    assert set(listed) == {"a1", "x1"} and listed["x1"]["vms"] == 1
    system = cli.json("cloud", "system", "show", FIN)
    assert system["vm_names"] == ["show-1 (active)"] and system["mlps_level"] == 3
    rows = cli.json("cloud", "system", "list", "--dept", "YC-CZ")
    assert [(r["name"], r["vms"], r["cores_held"]) for r in rows] == [(FIN, 1, 4)]
    for args in (("cloud", "node", "list"), ("cloud", "system", "list"), ("cloud", "usage")):
        assert cli.ok(*args).stdout.strip(), args


def test_record_a_running_vm(cloud):
    out = cloud.write(
        lambda tx: vms.record_in(
            tx, "old-01", FIN, "x1", 4, 16, 200, "2024-05-01", address="10.90.1.30", os="Kylin V10"
        )
    )
    assert out["status"] == "active" and out["address"] == "10.90.1.30" and out["node"] == "x1"
    assert out["provisioned_at"].startswith("2024-04-30T16:00")  # midnight in Beijing
    hist = vms.show(cloud, "old-01")["history"]
    assert [(e["action"], e["reason"]) for e in hist] == [("provision", "recorded")]
    assert addresses.of_block(cloud, "10.90.1.30/32")[0]["hostname"] == "old-01"
    # an address IPAM already holds under the VM's name is adopted, not refused
    addresses.assign(cloud, "10.90.1.31", "old-02")
    out = cloud.write(
        lambda tx: vms.record_in(
            tx, "old-02", FIN, "x1", 1, 1, 10, "2024-05-02", status="stopped", address="10.90.1.31"
        )
    )
    assert out["status"] == "stopped"
    # and the VM then lives the ordinary life
    vms.start(cloud, "old-02")
    vms.decommission(cloud, "old-02")
    assert addresses.of_block(cloud, "10.90.1.31/32") == []
    with pytest.raises(InvalidInput, match="in the future"):
        cloud.write(lambda tx: vms.record_in(tx, "new-01", FIN, "x1", 1, 1, 10, "2999-01-01"))
    with pytest.raises(InvalidInput, match="active or stopped"):
        cloud.write(
            lambda tx: vms.record_in(tx, "new-01", FIN, "x1", 1, 1, 10, "2024-01-01", status="x")
        )
    with pytest.raises(Conflict, match="already assigned"):
        cloud.write(
            lambda tx: vms.record_in(
                tx, "new-01", FIN, "x1", 1, 1, 10, "2024-01-01", address="10.90.1.30"
            )
        )
    assert [v["name"] for v in vms.list_vms(cloud)] == ["old-01", "old-02"]


def test_node_ratios_and_arch_aliases(cloud):
    out = nodes.add(cloud, "k1", 64, 256, 4000, arch="ARM64", cpu_ratio="8", disk_ratio=".5")
    assert out["arch"] == "aarch64" and out["cores_schedulable"] == 512
    assert out["disk_gb_schedulable"] == 2000
    assert nodes.add(cloud, "l1", 32, 64, 100, arch="loong64")["arch"] == "loongarch64"
