"""Plain host records and the one read model of every host: the inventory's groups
and variables, `--list` / `--host` through the script, `ansible-inventory` reading
the script and the exported static file, on both backends."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import Cli, one_line_error
from test_cloud_setup import CITY, COUNTY, FIN, POLICE, build, running

import inventory
from infra import hosts
from infra.errors import Conflict, GovopsError, InvalidInput
from infra.store import Store
from infra.xc import assets

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def fleet(store):
    return _fleet(store)


def _fleet(store):
    """Two active VMs, one stopped, one decommissioned; an installed Kylin server with a
    host, a planned terminal with one, an accepted terminal without; two plain hosts."""
    build(store)
    running(store, "fin-web-01", FIN, os="Kylin V10 SP3")
    running(store, "ga-db-01", POLICE, os="CentOS 7")
    running(store, "fin-old-01", FIN)
    from infra.cloud import vms

    vms.stop(store, "fin-old-01")
    running(store, "fin-gone-01", FIN)
    vms.decommission(store, "fin-gone-01")
    assets.add(
        store,
        assets.Fields.check(
            "KY-S-1", "server", "YC-CZ", cpu="kunpeng", os="kylin", host="10.9.0.7", ssh_user="ops"
        ),
    )
    assets.set_status(store, "KY-S-1", "installed")
    assets.add(store, assets.Fields.check("UOS-T-1", "terminal", "HY-GA", host="10.9.0.8"))
    assets.add(store, assets.Fields.check("UOS-T-2", "terminal", "HY-GA", os="uos"))
    assets.set_status(store, "UOS-T-2", "accepted")
    hosts.add(
        store,
        hosts.HostFields(
            "jump01", "10.10.0.5", port="2222", user="ops", groups=["jump", "bastion"], dept="HY-GA"
        ),
    )
    hosts.add(store, hosts.HostFields("fw-mgmt", "fw1.egov.example", os_family="openEuler"))
    return store


def test_inventory_holds_running_hosts_only(fleet):
    inv = hosts.inventory_of(fleet)
    meta = inv["_meta"]["hostvars"]
    assert sorted(meta) == ["KY-S-1", "fin-web-01", "fw-mgmt", "ga-db-01", "jump01"]
    assert inv["kind_vm"]["hosts"] == ["fin-web-01", "ga-db-01"]
    assert inv["kind_server"]["hosts"] == ["KY-S-1"]
    assert inv["kind_host"]["hosts"] == ["fw-mgmt", "jump01"]
    assert "kind_terminal" not in inv  # the planned one has not run yet, the other has no host


def test_host_variables(fleet):
    meta = hosts.inventory_of(fleet)["_meta"]["hostvars"]
    web = meta["fin-web-01"]
    assert web["ansible_host"].startswith("10.90.1.")
    assert web["department"] == "源城区财政局" and web["dept_code"] == "YC-CZ"
    assert web["system"] == FIN and web["org_path"] == "河源市/源城区"
    assert web["os_family"] == "kylin" and web["govops_kind"] == "vm"
    assert meta["ga-db-01"]["os_family"] == "centos"
    assert "ansible_user" not in web and "ansible_port" not in web
    server = meta["KY-S-1"]
    assert server["ansible_host"] == "10.9.0.7" and server["ansible_user"] == "ops"
    assert server["cpu_family"] == "kunpeng" and server["os_family"] == "kylin"
    jump = meta["jump01"]
    assert (jump["ansible_port"], jump["ansible_user"]) == (2222, "ops")
    assert meta["fw-mgmt"] == {
        "ansible_host": "fw1.egov.example",
        "govops_kind": "host",
        "os_family": "openeuler",
    }


def test_groups_by_department_system_tier_unit_os_cpu(fleet):
    inv = hosts.inventory_of(fleet)
    assert sorted(inv["dept_YC_CZ"]["hosts"]) == ["KY-S-1", "fin-web-01"]
    assert sorted(inv["dept_HY_GA"]["hosts"]) == ["ga-db-01", "jump01"]
    assert inv[f"system_{FIN}"]["hosts"] == ["fin-web-01"]
    assert inv["tier_county"]["hosts"] == ["KY-S-1", "fin-web-01"]
    assert sorted(inv["tier_city"]["hosts"]) == ["ga-db-01", "jump01"]
    assert inv[f"unit_{CITY}"]["children"] == [f"unit_{COUNTY}"]
    assert inv["os_kylin"]["hosts"] == ["KY-S-1", "fin-web-01"]
    assert inv["cpu_kunpeng"]["hosts"] == ["KY-S-1"]
    assert inv["jump"]["hosts"] == ["jump01"] and inv["bastion"]["hosts"] == ["jump01"]
    assert set(inv["all"]["children"]) == {k for k in inv if k not in ("_meta", "all")}


def test_a_name_two_kinds_share_is_qualified(fleet):
    # A VM made after a host record of the same name: both stay reachable.
    hosts.add(fleet, hosts.HostFields("ga-app-01", "10.10.0.9"))
    running(fleet, "ga-app-01", POLICE)
    meta = hosts.inventory_of(fleet)["_meta"]["hostvars"]
    assert meta["ga-app-01"]["govops_kind"] == "vm"
    assert meta["ga-app-01-host"]["ansible_host"] == "10.10.0.9"


@pytest.mark.parametrize(
    ("fields", "error", "fragment"),
    [
        ({"name": "", "address": "10.0.0.1"}, InvalidInput, "host name is empty"),
        ({"name": "a b", "address": "10.0.0.1"}, InvalidInput, "may hold only ASCII"),
        ({"name": "-x", "address": "10.0.0.1"}, InvalidInput, "may hold only ASCII"),
        ({"name": "x", "address": "10.0.0.256"}, InvalidInput, "neither an IP address"),
        ({"name": "x", "address": "fe80::1%eth0"}, InvalidInput, "neither an IP address"),
        ({"name": "x", "address": "a..b"}, InvalidInput, "neither an IP address"),
        ({"name": "x", "address": "1.2.3.4", "port": "0"}, InvalidInput, "SSH port"),
        ({"name": "x", "address": "1.2.3.4", "port": "٢٢"}, InvalidInput, "SSH port"),
        ({"name": "x", "address": "1.2.3.4", "user": "root;rm"}, InvalidInput, "not a user name"),
        ({"name": "x", "address": "1.2.3.4", "groups": ["all"]}, InvalidInput, "Ansible's own"),
        ({"name": "x", "address": "1.2.3.4", "groups": ["9lives"]}, InvalidInput, "group name"),
        ({"name": "x", "address": "1.2.3.4", "groups": ["a-b"]}, InvalidInput, "group name"),
        ({"name": "x", "address": "1.2.3.4", "dept": "NOPE"}, Exception, "no department"),
        ({"name": "fin-web-01", "address": "1.2.3.4"}, Conflict, "already a cloud VM"),
        ({"name": "KY-S-1", "address": "1.2.3.4"}, Conflict, "Xinchuang asset"),
        ({"name": "jump01", "address": "1.2.3.4"}, Conflict, "already a host record"),
    ],
)
def test_bad_host_records_are_refused_and_nothing_is_written(fleet, fields, error, fragment):
    before = (
        hosts.inventory_of(fleet),
        fleet.read(lambda tx: tx.scalar("SELECT count(*) FROM audit")),
    )
    with pytest.raises(error, match=None) as caught:
        hosts.add(fleet, hosts.HostFields(**fields))
    assert fragment in str(caught.value) and "\n" not in str(caught.value)
    after = (
        hosts.inventory_of(fleet),
        fleet.read(lambda tx: tx.scalar("SELECT count(*) FROM audit")),
    )
    assert before == after


def test_remove_and_audit(fleet):
    gone = hosts.remove(fleet, "jump01")
    assert gone["groups"] == ["bastion", "jump"]
    assert "jump01" not in hosts.inventory_of(fleet)["_meta"]["hostvars"]
    rows = fleet.read(
        lambda tx: tx.all(
            "SELECT action, object_ref FROM audit WHERE action LIKE ? ORDER BY id", ("host.%",)
        )
    )
    assert [(r["action"], r["object_ref"]) for r in rows][-1] == ("host.remove", "jump01")
    with pytest.raises(hosts.UnknownHost):
        hosts.remove(fleet, "jump01")


def test_department_lists_and_guards_its_hosts(fleet):
    from infra.org import depts

    shown = depts.show(fleet, "HY-GA")
    assert any("jump01" in label for label in shown["hosts"])
    with pytest.raises(Conflict, match="hosts"):
        depts.remove(fleet, "HY-GA")


def test_cli_host_commands(cli: Cli):
    cli.ok("org", "add", "河源市", "--level", "city", "--code", CITY)
    cli.ok("dept", "add", "河源市公安局", "--code", "HY-GA", "--org", CITY)
    out = cli.json("host", "add", "jump01", "--address", "10.10.0.5", "-g", "jump", "-d", "HY-GA")
    assert out["groups"] == ["jump"] and out["dept"] == "HY-GA"
    assert [h["name"] for h in cli.json("host", "list", "--group", "jump")] == ["jump01"]
    shown = cli.json("host", "show", "jump01")
    assert shown["groups"] == ["dept_HY_GA", "jump", "kind_host", "tier_city", f"unit_{CITY}"]
    one_line_error(cli("host", "add", "x", "--address", "1.2.3.4\n5"), "neither an IP")
    one_line_error(cli("host", "show", "nope"), "no host named")
    listed = json.loads(cli.ok("inventory", "list").stdout)
    assert listed["jump"]["hosts"] == ["jump01"]
    cli.ok("host", "remove", "jump01")
    assert cli.json("host", "list") == []


def _script(db: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GOVOPS_DB": db}
    return subprocess.run(
        [str(inventory.SCRIPT), *args], env=env, capture_output=True, text=True, timeout=60
    )


def test_the_script_answers_list_and_host(fleet, db_url):
    assert os.access(inventory.SCRIPT, os.X_OK)
    listed = _script(db_url, "--list")
    assert listed.returncode == 0, listed.stderr
    assert json.loads(listed.stdout) == hosts.inventory_of(fleet)
    one = _script(db_url, "--host", "jump01")
    assert json.loads(one.stdout) == hosts.inventory_of(fleet)["_meta"]["hostvars"]["jump01"]
    assert json.loads(_script(db_url, "--host", "nobody").stdout) == {}
    bad = _script(db_url, "--hosts")
    assert bad.returncode == 1 and bad.stderr.count("\n") == 1 and "usage" in bad.stderr


def _ansible_inventory(source: Path | str, db: str) -> dict:
    env = {**os.environ, "GOVOPS_DB": db, "ANSIBLE_INVENTORY_UNPARSED_FAILED": "true"}
    bin_dir = Path(sys.executable).parent
    done = subprocess.run(
        [str(bin_dir / "ansible-inventory"), "-i", str(source), "--list"],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "WARNING" not in done.stderr, done.stderr
    return json.loads(done.stdout)


def _membership(listed: dict) -> dict[str, tuple[list[str], list[str]]]:
    return {
        k: (sorted(v.get("hosts", [])), sorted(v.get("children", [])))
        for k, v in listed.items()
        if k not in ("_meta", "ungrouped")
    }


@pytest.mark.slow
def test_ansible_inventory_reads_the_script_and_the_export_unchanged(fleet, db_url, tmp_path):
    ours = hosts.inventory_of(fleet)
    import yaml

    defaults = yaml.safe_load((inventory.DIR / "group_vars" / "all.yml").read_text())
    through_script = _ansible_inventory(inventory.SCRIPT, db_url)
    assert _membership(through_script) == _membership(ours)
    for name, variables in ours["_meta"]["hostvars"].items():
        assert through_script["_meta"]["hostvars"][name] == {**defaults, **variables}
    exported = tmp_path / "hosts.yml"
    assert hosts.export_inventory(fleet, str(exported)) == 5
    through_file = _ansible_inventory(exported, db_url)
    assert _membership(through_file) == _membership(ours)
    for name, variables in ours["_meta"]["hostvars"].items():  # the defaults ride along
        assert through_file["_meta"]["hostvars"][name] == {**defaults, **variables}


def test_export_refuses_a_directory_and_writes_nothing_on_error(fleet, tmp_path):
    with pytest.raises(InvalidInput, match="directory"):
        hosts.export_inventory(fleet, str(tmp_path))
    with pytest.raises(InvalidInput, match="not a directory"):
        hosts.export_inventory(fleet, str(tmp_path / "missing" / "h.yml"))
    assert list(tmp_path.iterdir()) == [] or all(p.name != "h.yml" for p in tmp_path.iterdir())


@pytest.mark.parametrize(
    ("limit", "picked"),
    [
        (None, ["KY-S-1", "fin-web-01", "fw-mgmt", "ga-db-01", "jump01"]),
        ("all", ["KY-S-1", "fin-web-01", "fw-mgmt", "ga-db-01", "jump01"]),
        ("kind_vm", ["fin-web-01", "ga-db-01"]),
        ("jump01,fw-mgmt", ["fw-mgmt", "jump01"]),
        ("kind_vm:kind_host", ["fin-web-01", "fw-mgmt", "ga-db-01", "jump01"]),
        ("all:!kind_vm", ["KY-S-1", "fw-mgmt", "jump01"]),
        ("dept_HY_GA:&kind_vm", ["ga-db-01"]),
        (f"unit_{CITY}", ["KY-S-1", "fin-web-01", "ga-db-01", "jump01"]),
        (f"unit_{COUNTY}", ["KY-S-1", "fin-web-01"]),
        ("fin-*", ["fin-web-01"]),
        ("~^(ga|fw)-", ["fw-mgmt", "ga-db-01"]),
        ("!jump01", ["KY-S-1", "fin-web-01", "fw-mgmt", "ga-db-01"]),
    ],
)
def test_limits_pick_hosts_as_ansible_does(fleet, limit, picked):
    assert hosts.select(hosts.inventory_of(fleet), limit) == picked


@pytest.mark.parametrize("limit", ["nobody", "kind_vm:&kind_host", "", "a\nb", "~("])
def test_limits_that_pick_nothing_are_refused(fleet, limit):
    with pytest.raises(GovopsError):
        hosts.select(hosts.inventory_of(fleet), limit)


def test_narrowed_inventory_keeps_groups_and_drops_other_hosts(fleet):
    listed = hosts.inventory_of(fleet)
    small = hosts.narrowed(listed, ["jump01"])
    assert list(small["_meta"]["hostvars"]) == ["jump01"]
    assert small["jump"]["hosts"] == ["jump01"] and small["kind_vm"]["hosts"] == []
    assert small[f"unit_{CITY}"]["children"] == listed[f"unit_{CITY}"]["children"]


@pytest.mark.slow
@pytest.mark.parametrize(
    "limit", ["all:!kind_vm", "dept_HY_GA:&kind_vm", f"unit_{COUNTY}", "~^(ga|fw)-"]
)
def test_select_agrees_with_ansible(tmp_path, limit):
    db = str(tmp_path / "hosts.db")  # one backend: the patterns are read the same way on both
    with Store(db) as store:
        expected = hosts.select(hosts.inventory_of(_fleet(store)), limit)
    env = {**os.environ, "GOVOPS_DB": db}
    done = subprocess.run(
        [str(Path(sys.executable).parent / "ansible-playbook"), "-i", str(inventory.SCRIPT),
         "--list-hosts", "--limit", limit, str(ROOT / "playbooks" / "ping.yml")],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip().startswith("hosts ("))
    listed = []
    for line in lines[start + 1 :]:
        if not line.strip():
            break
        listed.append(line.strip())
    assert sorted(listed) == expected


def test_a_vm_carries_its_systems_declared_ports(fleet):
    from infra.cloud import systems

    systems.set_ports(fleet, FIN, "443/tcp,8443/tcp")
    meta = hosts.inventory_of(fleet)["_meta"]["hostvars"]
    assert meta["fin-web-01"]["system_ports"] == ["443/tcp", "8443/tcp"]
    assert "system_ports" not in meta["ga-db-01"]  # its system declares none
