"""Bringing a delivered VM to the baseline with `playbooks/provision.yml`: hostname
from its record, timezone, time sync, the ops account, sshd hardening, audit and
log forwarding, and a host firewall letting in only its system's declared ports.

The VM must be active with an address (as `cloud vm provision` leaves it). Each
run is recorded in the audit log with what it changed; a run that changed
nothing on an already provisioned VM is the proof the baseline holds.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from infra import hosts
from infra.errors import GovopsError, InvalidInput
from infra.ssh import Secret
from infra.store import Store, Tx

PLAYBOOK = "provision.yml"


class ProvisionFailed(GovopsError):
    """The baseline was not reached on the VM (unreachable, or a task failed)."""


def _target(tx: Tx, vm_name: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The VM's inventory (it alone) and the playbook's variables from its record."""
    from infra.cloud import systems, vms

    vm = vms.resolve(tx, vm_name)
    record = vm.record()
    if record["status"] != "active" or not record.get("address"):
        raise InvalidInput(
            f"VM {record['name']} is {record['status']}"
            f"{'' if record.get('address') else ' without an address'}: only an active VM"
            " with its address can be provisioned"
        )
    listed = hosts.inventory(tx)
    if record["name"] not in listed["_meta"]["hostvars"]:
        raise InvalidInput(f"VM {record['name']} is not in the inventory")
    system = systems.resolve(tx, record["system"])
    extravars = {
        # A VM's name may hold '_', which no hostname does.
        "provision_hostname": record["name"].replace("_", "-"),
        "provision_ports": systems.ports_of(tx, system.id),
    }
    return hosts.narrowed(listed, [record["name"]]), extravars


def provision(
    store: Store,
    vm_name: str,
    *,
    check_mode: bool = False,
    extravars: Mapping[str, Any] | None = None,
    private_key: Path | None = None,
    known_hosts: Path | None = None,
    trust_new: bool = False,
    password: Secret | None = None,
    passphrase: Secret | None = None,
    on_progress: Callable[..., None] | None = None,
) -> dict[str, Any]:
    """Run the baseline playbook on one VM; returns per-task counts (ok, changed,
    failed, skipped), the tasks that changed, and whether it was a check run.
    Raises `ProvisionFailed` (after recording the run) when it did not complete.
    An SSH password or key passphrase goes to ansible-playbook's own prompt
    (infra.ansible, Secrets), never into the run's files or the audit log."""
    from infra import ansible

    listed, variables = store.read(lambda tx: _target(tx, vm_name))
    name = next(iter(listed["_meta"]["hostvars"]))
    spec = ansible.RunSpec(
        playbook=PLAYBOOK,
        inventory=listed,
        check=check_mode,
        extravars={**variables, **(extravars or {})},
        private_key=private_key,
        known_hosts=known_hosts,
        trust_new=trust_new,
        password=password,
        passphrase=passphrase,
    )
    outcome = ansible.run(spec, on_progress=on_progress)
    counts = {"ok": 0, "changed": 0, "failed": 0, "skipped": 0}
    changed, failed = [], []
    for event in outcome.events:
        if event.host != name or event.status not in counts:
            continue
        counts[event.status] += 1
        if event.status == "changed":
            changed.append(event.task)
        elif event.status == "failed":
            msg = (event.result or {}).get("msg") or ""
            failed.append(f"{event.task}: {str(msg).strip()[:200]}")
    out: dict[str, Any] = {
        "vm": name,
        "check": check_mode,
        **counts,
        "unreachable": name in outcome.unreachable,
        "changed_tasks": changed,
        "failed_tasks": failed,
        "ports": variables["provision_ports"],
        "ident": outcome.ident,
    }

    def record(tx: Tx) -> None:
        tx.audit("cloud.vm.baseline", "cloud_vm", name, None, out)

    store.write(record)
    if out["unreachable"]:
        raise ProvisionFailed(f"VM {name} could not be reached: {outcome.unreachable[name]}")
    if failed:
        raise ProvisionFailed(f"VM {name}: {len(failed)} task(s) failed, first: {failed[0]}")
    return out
