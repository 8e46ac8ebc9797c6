"""`govops provision` and `cloud vm provision --run-playbook` through the library and
the CLI: the VM's record gives the hostname and its system's declared ports, the
baseline is laid for real over SSH into a throwaway root (`provision_root`; live
steps stay off), a second run changes nothing, each run is audited; a VM that is
not active, or cannot be reached, is one line and exit 1."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from conftest import Cli, one_line_error
from sshd import (
    Sshd,
    fixture_client_key,  # noqa: F401
    fixture_sshd,  # noqa: F401
    fixture_sshd_pool,  # noqa: F401
)
from test_provision_playbook import KEYS, debian_tree

from infra import provision
from infra.cloud import nodes, systems, vms
from infra.org import depts
from infra.org import units as org
from infra.store import Store
from ipam import space

REMOTE_PY = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable
SITE = {
    "provision_ntp_servers": ["10.20.0.1"],
    "provision_log_server": "10.20.0.9",
    "provision_ops_keys": KEYS,
}


def small_cloud(store: Store, address: str) -> None:
    """One system serving 443/tcp and 8443/tcp, its VM web_01 active at `address`."""
    org.add(store, "河源市", "city", code="441600000000")
    depts.add(store, "河源市政务服务数据管理局", "HY-ZSJ", "441600000000")
    space.add(store, "127.0.0.0/24")
    nodes.add(store, "n1", 16, 64, 1000)
    systems.add(store, "政务网站", "HY-ZSJ", 3, "127.0.0.0/24", ports="443/tcp,8443/tcp")
    vms.request(store, "web_01", "政务网站", 2, 4, 50)
    vms.approve(store, "web_01")
    vms.provision(store, "web_01", address)


@pytest.mark.slow
def test_a_vm_is_brought_to_the_baseline_from_its_record(
    sshd: Sshd, client_key: Path, tmp_path: Path
):
    known = tmp_path / "known_hosts"
    known.write_text("".join(line + "\n" for line in sshd.known_hosts_lines()))
    root = debian_tree(tmp_path / "root")
    reach = {"ansible_port": sshd.port, "ansible_user": "root",
             "ansible_python_interpreter": REMOTE_PY, "provision_root": str(root)}  # fmt: skip
    with Store(str(tmp_path / "govops.db")) as store:
        small_cloud(store, sshd.hosts[0])

        def run(check: bool = False) -> dict:
            return provision.provision(
                store, "web_01", check_mode=check, extravars={**SITE, **reach},
                private_key=client_key, known_hosts=known,
            )  # fmt: skip

        preview = run(check=True)
        assert preview["check"] and preview["failed"] == 0 and preview["changed"] > 0
        assert (root / "etc" / "hostname").read_text() == "uos-template\n"  # nothing written

        first = run()
        assert first["failed"] == 0 and first["changed"] > 0 and not first["unreachable"]
        assert first["ports"] == ["443/tcp", "8443/tcp"]
        assert (root / "etc" / "hostname").read_text().strip() == "web-01"
        rules = (root / "etc" / "nftables.d" / "govops.nft").read_text()
        assert "443" in rules and "8443" in rules and "22" in rules
        assert (root / "home" / "ops" / ".ssh" / "authorized_keys").read_text().split("\n")[
            : len(KEYS)
        ] == KEYS

        second = run()
        assert second["changed"] == 0 and second["failed"] == 0, second["changed_tasks"]
        audited = store.read(
            lambda tx: tx.all(
                "SELECT after FROM audit WHERE action = ? ORDER BY id", ("cloud.vm.baseline",)
            )
        )
        assert len(audited) == 3 and '"changed": 0' in audited[-1]["after"]


def test_only_an_active_vm_with_an_address_is_provisioned(cli: Cli):
    with Store(cli.db) as store:
        small_cloud(store, "127.0.0.30")
        vms.request(store, "web-02", "政务网站", 2, 4, 50)
    one_line_error(cli("provision", "web-02"), "only an active VM")
    one_line_error(cli("provision", "nope"), "no VM named")


def test_run_playbook_after_provision_fails_in_one_line_and_keeps_the_vm(
    sqlite_cli: Cli, tmp_path: Path
):
    with Store(sqlite_cli.db) as store:
        small_cloud(store, "127.0.0.30")
        vms.request(store, "web-02", "政务网站", 2, 4, 50)
        vms.approve(store, "web-02")
    done = sqlite_cli("cloud", "vm", "provision", "web-02", "--ip", "127.0.0.31",
                      "--run-playbook", "--known-hosts", str(tmp_path / "kh"))  # fmt: skip
    # The address was taken (stdout says it), then the baseline failed: one line, exit 1.
    assert done.exit_code == 1 and done.stdout == "127.0.0.31\n"
    errors = [line for line in done.stderr.splitlines() if line.startswith("govops:")]
    assert len(errors) == 1 and "web-02" in errors[0] and "Traceback" not in done.stderr
    assert sqlite_cli.json("cloud", "vm", "show", "web-02")["status"] == "active"
