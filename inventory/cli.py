"""`govops host …` and `govops inventory …`: parse, make one library call, render."""

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from infra import clikit, inputs
from infra.clikit import Fmt, FormatOpt

host_app = typer.Typer(
    help="Plain host records: machines that are neither cloud VMs nor Xinchuang assets (jump hosts, appliances' management Linux).",
    no_args_is_help=True,
)
inventory_app = typer.Typer(
    help="The Ansible inventory over the database: every VM, asset and host, grouped.",
    no_args_is_help=True,
)

HostArg = Annotated[str, typer.Argument(help="The host's inventory name.")]


@host_app.command("add")
def host_add(
    name: HostArg,
    address: Annotated[str, typer.Option("--address", "-a", help="IP address or DNS name.")],
    port: Annotated[str | None, typer.Option("--port", help="SSH port [default: 22].")] = None,
    user: Annotated[str | None, typer.Option("--user", "-u", help="SSH user.")] = None,
    group: Annotated[
        list[str] | None,
        typer.Option("--group", "-g", help="An Ansible group the host is in (repeatable)."),
    ] = None,
    dept: Annotated[
        str | None, typer.Option("--dept", "-d", help="Owning department (code or unique name).")
    ] = None,
    org: Annotated[str | None, typer.Option("--org", help="Org unit it serves.")] = None,
    os_family: Annotated[
        str | None, typer.Option("--os", help="OS family, e.g. kylin, uos, openeuler.")
    ] = None,
    cpu_family: Annotated[
        str | None, typer.Option("--cpu", help="CPU family, e.g. kunpeng, hygon.")
    ] = None,
    python: Annotated[
        str | None,
        typer.Option(
            "--python", help="The host's Python path, when discovery finds the wrong one."
        ),
    ] = None,
    local: Annotated[
        bool,
        typer.Option("--local", help="Run its tasks on this machine, without SSH (localhost)."),
    ] = False,
    fmt: FormatOpt = Fmt.table,
) -> None:
    """Record a plain host for the inventory.

    Example: govops host add jump01 --address 10.10.0.5 --user ops --group jump --dept HY-GA
    """
    from infra import hosts

    fields = hosts.HostFields(
        name=name,
        address=address,
        port=port,
        user=user,
        groups=list(group or []),
        dept=dept,
        org=org,
        os_family=os_family,
        cpu_family=cpu_family,
        connection="local" if local else "ssh",
        python=python,
    )
    out = hosts.add(clikit.store(), fields)
    clikit.done(f"added host {out['name']} ({out['address']})", out, fmt)


@host_app.command("list")
def host_list(
    group: Annotated[str | None, typer.Option("--group", "-g", help="Only this group.")] = None,
    fmt: FormatOpt = Fmt.table,
) -> None:
    """List plain host records.

    Example: govops host list --group jump
    """
    from infra import hosts

    rows = hosts.list_hosts(clikit.store(), group)
    cols = ["name", "address", "port", "user", "groups", "dept", "os_family"]
    clikit.emit_rows(rows, fmt, cols if fmt is Fmt.table else None)


@host_app.command("show")
def host_show(name: HostArg, fmt: FormatOpt = Fmt.table) -> None:
    """Show any host in the inventory (VM, asset or plain host): its variables and groups.

    Example: govops host show jump01
    """
    from infra import hosts

    clikit.emit_record(hosts.show(clikit.store(), name), fmt)


@host_app.command("remove")
def host_remove(name: HostArg, fmt: FormatOpt = Fmt.table) -> None:
    """Forget a plain host record.

    Example: govops host remove jump01
    """
    from infra import hosts

    out = hosts.remove(clikit.store(), name)
    clikit.done(f"removed host {out['name']}", out, fmt)


@inventory_app.command("path")
def inventory_path() -> None:
    """Print the installed dynamic inventory script's path (for ansible -i).

    Example: govops inventory path   # ansible-inventory -i "$(govops inventory path)" --graph
    """
    import inventory

    typer.echo(str(inventory.executable_script()))


class _InvFmt(StrEnum):
    json = "json"
    yaml = "yaml"


@inventory_app.command("list")
def inventory_list(
    fmt: Annotated[
        _InvFmt, typer.Option("--format", "-f", help="json (as --list answers) or yaml.")
    ] = _InvFmt.json,
) -> None:
    """Print the whole inventory, as the script answers `--list`.

    Example: govops inventory list --format yaml
    """
    from infra import hosts

    data = hosts.inventory_of(clikit.store())
    if fmt is _InvFmt.yaml:
        clikit.emit_data(hosts.static_inventory(data), Fmt.yaml)
    else:
        clikit.emit_data(data, Fmt.json)


@inventory_app.command("export")
def inventory_export(
    output: Annotated[str, typer.Option("--output", "-o", help="The YAML file to write.")],
) -> None:
    """Write a static YAML inventory, for machines without database access.

    Example: govops inventory export -o hosts.yml && ansible-inventory -i hosts.yml --list
    """
    from infra import hosts

    count = hosts.export_inventory(clikit.store(), output)
    clikit.say(f"wrote {count} hosts to {output}")


provision_app = typer.Typer(help="Bring a delivered VM to the baseline (playbooks/provision.yml).")


def provision_summary(out: dict[str, object]) -> str:
    """One line for the terminal about a provisioning run."""
    mode = "check run" if out["check"] else "run"
    return (
        f"baseline {mode} on {out['vm']}: ok {out['ok']}, changed {out['changed']},"
        f" failed {out['failed']}, skipped {out['skipped']}"
    )


@provision_app.command("provision")
def provision(
    vm: Annotated[str, typer.Argument(help="The VM's name.")],
    check: Annotated[
        bool, typer.Option("--check", help="Check mode: report what would change, change nothing.")
    ] = False,
    private_key: Annotated[
        Path | None,
        typer.Option(
            "--private-key",
            parser=inputs.file_name,
            metavar="<path>",
            help="SSH private key file.",
        ),
    ] = None,
    known_hosts: Annotated[
        Path | None,
        typer.Option(
            "--known-hosts",
            parser=inputs.file_name,
            metavar="<path>",
            help="known_hosts file [default: ~/.ssh/known_hosts].",
        ),
    ] = None,
    trust_new: Annotated[
        bool, typer.Option("--trust-new", help="Accept and record a new host's key.")
    ] = False,
    ask_pass: Annotated[
        bool, typer.Option("--ask-pass", help="Prompt for the VM's SSH password (never stored).")
    ] = False,
    ask_passphrase: Annotated[
        bool,
        typer.Option(
            "--ask-passphrase", help="Prompt for the private key's passphrase (never stored)."
        ),
    ] = False,
    fmt: FormatOpt = Fmt.table,
) -> None:
    """Bring a VM to the baseline: hostname, timezone, time sync, ops account, sshd, audit, logs, firewall.

    Example: govops provision bdc-web-01 --check --private-key ~/.ssh/ops
    """
    from infra import provision as baseline

    password, passphrase = clikit.ansible_secret(ask_pass, ask_passphrase)
    with clikit.AnsibleProgress("baseline") as progress:
        out = baseline.provision(
            clikit.store(),
            vm,
            check_mode=check,
            private_key=private_key,
            known_hosts=known_hosts,
            trust_new=trust_new,
            password=password,
            passphrase=passphrase,
            on_progress=progress,
        )
    if fmt is Fmt.table:
        clikit.say(provision_summary(out))
    else:
        clikit.emit_data(out, fmt)
