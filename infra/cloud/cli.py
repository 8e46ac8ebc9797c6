"""`govops cloud …`: parse, make one library call, render."""

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from infra import clikit, inputs
from infra.clikit import Fmt, FormatOpt

cloud_app = typer.Typer(
    help="The government cloud node (政务云): compute nodes, department quotas, business systems, VM lifecycle, usage and figures.",
    no_args_is_help=True,
)
node_app = typer.Typer(help="Compute nodes and their schedulable capacity.", no_args_is_help=True)
quota_app = typer.Typer(
    help="Department quotas: VMs, cores, RAM and disk their VMs may hold.", no_args_is_help=True
)
system_app = typer.Typer(
    help="Business systems (业务系统) of departments, each with its subnet in IPAM.",
    no_args_is_help=True,
)
vm_app = typer.Typer(
    help="VMs: request, approve or reject, provision, stop/start, resize, decommission.",
    no_args_is_help=True,
)
cloud_app.add_typer(node_app, name="node")
cloud_app.add_typer(quota_app, name="quota")
cloud_app.add_typer(system_app, name="system")
cloud_app.add_typer(vm_app, name="vm")

# Numbers are passed on as typed: the library checks them (ASCII digits, bounds) and
# refuses a bad one in one line.
VmArg = Annotated[str, typer.Argument(help="The VM's name (its hostname).")]
NodeArg = Annotated[str, typer.Argument(help="The node's name.")]
SystemArg = Annotated[str, typer.Argument(help="The system's name.")]
DeptOpt = Annotated[str, typer.Option("--dept", "-d", help="Department code or unique name.")]
ForceOpt = Annotated[
    bool, typer.Option("--force", help="Go past a quota, capacity or safety limit (audited).")
]
ReasonOpt = Annotated[
    str | None, typer.Option("--reason", "-r", help="Why (required with --force).")
]
CoresOpt = Annotated[str, typer.Option("--cores", help="Virtual cores.")]
RamOpt = Annotated[str, typer.Option("--ram-gb", help="RAM in GB.")]
DiskOpt = Annotated[str, typer.Option("--disk-gb", help="Disk in GB.")]

_FORCE_HINT = "--force --reason R overrides"


class _ForceHint:
    """Limits speak of the figures; this command's way past them is named here."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: object, exc: BaseException | None, tb: object) -> None:
        from infra.cloud.checks import NeedsForce, OverLimit

        if isinstance(exc, OverLimit | NeedsForce):
            raise type(exc)(f"{exc} ({_FORCE_HINT})") from exc


_done = clikit.done


# -- nodes -------------------------------------------------------------------

_NODE_COLUMNS = [
    "name",
    "arch",
    "vms",
    "cores_schedulable",
    "cores_allocated",
    "cores_free",
    "ram_gb_schedulable",
    "ram_gb_allocated",
    "ram_gb_free",
    "disk_gb_schedulable",
    "disk_gb_allocated",
    "disk_gb_free",
]


@node_app.command("add")
def node_add(
    name: NodeArg,
    cores: Annotated[str, typer.Option("--cores", help="Physical cores (threads).")],
    ram_gb: Annotated[str, typer.Option("--ram-gb", help="Physical RAM in GB.")],
    disk_gb: Annotated[str, typer.Option("--disk-gb", help="Disk for guests in GB.")],
    cpu_ratio: Annotated[
        str | None, typer.Option("--cpu-ratio", help="CPU allocation ratio [default: 4.0].")
    ] = None,
    ram_ratio: Annotated[
        str | None,
        typer.Option(
            "--ram-ratio", help="RAM allocation ratio [default: 1.0; above 1.5: --force]."
        ),
    ] = None,
    disk_ratio: Annotated[
        str | None, typer.Option("--disk-ratio", help="Disk allocation ratio [default: 1.0].")
    ] = None,
    reserved_cores: Annotated[
        str, typer.Option("--reserved-cores", help="Cores kept for the host.")
    ] = "0",
    reserved_ram_gb: Annotated[
        str, typer.Option("--reserved-ram-gb", help="RAM in GB kept for the host.")
    ] = "0",
    arch: Annotated[
        str, typer.Option("--arch", help="x86_64, aarch64, loongarch64, mips64el, sw_64 …")
    ] = "x86_64",
    force: ForceOpt = False,
    reason: ReasonOpt = None,
    fmt: FormatOpt = Fmt.table,
) -> None:
    """Add a compute node; schedulable = (physical − reserved) × ratio per resource.

    Example: govops cloud node add cn-01 --cores 64 --ram-gb 512 --disk-gb 4000 --arch aarch64
    """
    from infra.cloud import nodes

    with _ForceHint():
        out = nodes.add(
            clikit.store(),
            name,
            cores,
            ram_gb,
            disk_gb,
            arch=arch,
            cpu_ratio=cpu_ratio,
            ram_ratio=ram_ratio,
            disk_ratio=disk_ratio,
            reserved_cores=reserved_cores,
            reserved_ram_gb=reserved_ram_gb,
            force=force,
            reason=reason,
        )
    _done(
        f"added node {out['name']} ({out['arch']}): {out['cores_schedulable']} cores,"
        f" {out['ram_gb_schedulable']} GB RAM, {out['disk_gb_schedulable']} GB disk schedulable",
        out,
        fmt,
    )


@node_app.command("list")
def node_list(fmt: FormatOpt = Fmt.table) -> None:
    """List nodes with their schedulable, allocated and free capacity.

    Example: govops cloud node list --format json
    """
    from infra.cloud import nodes

    rows = nodes.list_nodes(clikit.store())
    clikit.emit_rows(rows, fmt, _NODE_COLUMNS if fmt is Fmt.table else None)


@node_app.command("show")
def node_show(name: NodeArg, fmt: FormatOpt = Fmt.table) -> None:
    """Show one node: capacity per resource and the VMs that hold it.

    Example: govops cloud node show cn-01
    """
    from infra.cloud import nodes

    clikit.emit_record(nodes.show(clikit.store(), name), fmt)


# -- quotas ------------------------------------------------------------------

_LimitOpt = "A whole number, or 'none' for no limit."


def _limit(value: str | None) -> str | None:
    return None if value is None or value.strip().lower() == "none" else value


@quota_app.command("set")
def quota_set(
    dept: Annotated[str, typer.Argument(help="Department code or unique name.")],
    vms: Annotated[str | None, typer.Option("--vms", help=f"VMs. {_LimitOpt}")] = None,
    cores: Annotated[str | None, typer.Option("--cores", help=f"Cores. {_LimitOpt}")] = None,
    ram_gb: Annotated[str | None, typer.Option("--ram-gb", help=f"RAM GB. {_LimitOpt}")] = None,
    disk_gb: Annotated[str | None, typer.Option("--disk-gb", help=f"Disk GB. {_LimitOpt}")] = None,
    fmt: FormatOpt = Fmt.table,
) -> None:
    """Set a department's limits; the ones not named stay as they were.

    Example: govops cloud quota set YC-CZ --vms 20 --cores 80 --ram-gb 320 --disk-gb 4000
    """
    from infra.cloud import systems

    given = {"vms": vms, "cores": cores, "ram_gb": ram_gb, "disk_gb": disk_gb}
    limits = {k: _limit(v) for k, v in given.items() if v is not None}
    out = systems.set_quota(clikit.store(), dept, limits)
    shown = ", ".join(f"{k} {out[k] if out[k] is not None else 'any'}" for k in given)
    _done(f"quota of {out['dept']}: {shown}", out, fmt)


@quota_app.command("list")
def quota_list(fmt: FormatOpt = Fmt.table) -> None:
    """List department quotas with what is used and free.

    Example: govops cloud quota list
    """
    from infra.cloud import systems

    rows = systems.list_quotas(clikit.store())
    cols = ["dept", "dept_name"]
    for k in ("vms", "cores", "ram_gb", "disk_gb"):
        cols += [k, f"{k}_used"]
    clikit.emit_rows(rows, fmt, cols if fmt is Fmt.table else None)


# -- systems -----------------------------------------------------------------


@system_app.command("add")
def system_add(
    name: Annotated[str, typer.Argument(help="The system's name, e.g. 不动产登记.")],
    dept: DeptOpt,
    mlps_level: Annotated[
        str | None, typer.Option("--mlps-level", help="MLPS (等保) level, 1 to 4.")
    ] = None,
    subnet: Annotated[
        str | None,
        typer.Option("--subnet", help="A prefix recorded in IPAM, or 'auto' (from subnet-pool)."),
    ] = None,
    vrf: Annotated[str | None, typer.Option("--vrf", help="VRF [default: egov].")] = None,
    port: Annotated[
        list[str] | None,
        typer.Option("--port", "-p", help="A port it serves, e.g. 443/tcp (repeatable)."),
    ] = None,
    fmt: FormatOpt = Fmt.table,
) -> None:
    """Add a department's business system with the subnet its VMs take addresses from.

    Example: govops cloud system add 不动产登记 --dept YC-ZRZY --mlps-level 3 --subnet auto --port 443/tcp
    """
    from infra.cloud import systems

    out = systems.add(clikit.store(), name, dept, mlps_level, subnet, vrf, port)
    _done(f"added system {out['name']} of {out['dept']}, subnet {out['subnet'] or '-'}", out, fmt)


@system_app.command("list")
def system_list(
    dept: Annotated[
        str | None, typer.Option("--dept", "-d", help="Only this department's systems.")
    ] = None,
    fmt: FormatOpt = Fmt.table,
) -> None:
    """List business systems with the VMs and resources they hold.

    Example: govops cloud system list --dept YC-ZRZY
    """
    from infra.cloud import systems

    rows = systems.list_systems(clikit.store(), dept)
    cols = ["name", "dept", "mlps_level", "subnet", "vms", "cores_held", "ram_gb_held"]
    clikit.emit_rows(rows, fmt, cols if fmt is Fmt.table else None)


@system_app.command("show")
def system_show(name: SystemArg, fmt: FormatOpt = Fmt.table) -> None:
    """Show one business system and its VMs.

    Example: govops cloud system show 不动产登记
    """
    from infra.cloud import systems

    clikit.emit_record(systems.show(clikit.store(), name), fmt)


@system_app.command("set-ports")
def system_set_ports(
    name: SystemArg,
    ports: Annotated[
        str,
        typer.Argument(
            help="Comma-separated ports such as 443/tcp,53/udp (tcp when unsaid), or 'none'."
        ),
    ],
    fmt: FormatOpt = Fmt.table,
) -> None:
    """Declare the ports a system serves: what its VMs' host firewall lets in when provisioned.

    Example: govops cloud system set-ports 不动产登记 443/tcp,8443/tcp
    """
    from infra.cloud import systems

    out = systems.set_ports(clikit.store(), name, ports)
    _done(f"{out['name']} serves {', '.join(out['ports']) or 'no ports'}", out, fmt)


@cloud_app.command("settings")
def cloud_settings(
    key: Annotated[str | None, typer.Argument(help="subnet-pool or subnet-size.")] = None,
    value: Annotated[str | None, typer.Argument(help="New value.")] = None,
    fmt: FormatOpt = Fmt.table,
) -> None:
    """Show or change the cloud settings (the pool and size of automatic subnets).

    Example: govops cloud settings subnet-pool 10.80.0.0/16
    """
    from infra.cloud import systems

    clikit.emit_rows(systems.settings(clikit.store(), key, value), fmt)


# -- VMs ---------------------------------------------------------------------

_VM_COLUMNS = [
    "name",
    "dept",
    "system",
    "status",
    "node",
    "cores",
    "ram_gb",
    "disk_gb",
    "address",
]


@vm_app.command("request")
def vm_request(
    name: VmArg,
    system: Annotated[str, typer.Option("--system", "-s", help="The business system.")],
    cores: CoresOpt,
    ram_gb: RamOpt,
    disk_gb: DiskOpt,
    os: Annotated[
        str | None, typer.Option("--os", help="Operating system, e.g. openEuler 22.03.")
    ] = None,
    arch: Annotated[
        str | None, typer.Option("--arch", help="CPU architecture [default: any node's].")
    ] = None,
    node: Annotated[
        str | None, typer.Option("--node", help="Place it on this node when approved.")
    ] = None,
    fmt: FormatOpt = Fmt.table,
) -> None:
    """Request a VM for a system; a request holds no capacity until approved.

    Example: govops cloud vm request bdc-web-01 --system 不动产登记 --cores 4 --ram-gb 16 --disk-gb 200
    """
    from infra.cloud import vms

    out = vms.request(clikit.store(), name, system, cores, ram_gb, disk_gb, os, arch, node)
    _done(f"requested {out['name']} for {out['system']}", out, fmt)


@vm_app.command("approve")
def vm_approve(
    name: VmArg, force: ForceOpt = False, reason: ReasonOpt = None, fmt: FormatOpt = Fmt.table
) -> None:
    """Approve a request: place it on a node, within quota and capacity.

    Example: govops cloud vm approve bdc-web-01
    """
    from infra.cloud import vms

    with _ForceHint():
        out = vms.approve(clikit.store(), name, force, reason)
    _done(f"approved {out['name']} on node {out['node']}", out, fmt)


@vm_app.command("reject")
def vm_reject(
    name: VmArg,
    reason: Annotated[str, typer.Option("--reason", "-r", help="Why it is rejected.")],
    fmt: FormatOpt = Fmt.table,
) -> None:
    """Reject a request (or withdraw an approval before provisioning).

    Example: govops cloud vm reject bdc-web-01 --reason "no MLPS filing yet"
    """
    from infra.cloud import vms

    out = vms.reject(clikit.store(), name, reason)
    _done(f"rejected {out['name']}", out, fmt)


@vm_app.command("provision")
def vm_provision(
    name: VmArg,
    ip: Annotated[
        str | None, typer.Option("--ip", help="This address [default: next free of the subnet].")
    ] = None,
    force: ForceOpt = False,
    reason: ReasonOpt = None,
    run_playbook: Annotated[
        bool,
        typer.Option("--run-playbook", help="Then bring it to the baseline (govops provision VM)."),
    ] = False,
    private_key: Annotated[
        Path | None,
        typer.Option(
            "--private-key",
            parser=inputs.file_name,
            metavar="<path>",
            help="SSH key for --run-playbook.",
        ),
    ] = None,
    known_hosts: Annotated[
        Path | None,
        typer.Option(
            "--known-hosts",
            parser=inputs.file_name,
            metavar="<path>",
            help="known_hosts for --run-playbook.",
        ),
    ] = None,
    trust_new: Annotated[
        bool, typer.Option("--trust-new", help="Accept a new VM's host key (--run-playbook).")
    ] = False,
    fmt: FormatOpt = Fmt.table,
) -> None:
    """Provision an approved VM: take its address in IPAM, make it active.

    Example: govops cloud vm provision bdc-web-01 --run-playbook --trust-new
    """
    from infra.cloud import vms

    with _ForceHint():
        out = vms.provision(clikit.store(), name, ip, force, reason)
    if fmt is Fmt.table:
        typer.echo(out["address"])
    if run_playbook:
        from infra import provision as baseline
        from inventory.cli import provision_summary

        with clikit.AnsibleProgress("baseline") as progress:
            out["baseline"] = baseline.provision(
                clikit.store(),
                out["name"],
                private_key=private_key,
                known_hosts=known_hosts,
                trust_new=trust_new,
                on_progress=progress,
            )
        if fmt is Fmt.table:
            clikit.say(provision_summary(out["baseline"]))
    if fmt is not Fmt.table:
        clikit.emit_data(out, fmt)


@vm_app.command("stop")
def vm_stop(name: VmArg, reason: ReasonOpt = None, fmt: FormatOpt = Fmt.table) -> None:
    """Stop an active VM; it keeps its address and capacity.

    Example: govops cloud vm stop bdc-web-01
    """
    from infra.cloud import vms

    out = vms.stop(clikit.store(), name, reason)
    _done(f"stopped {out['name']}", out, fmt)


@vm_app.command("start")
def vm_start(name: VmArg, reason: ReasonOpt = None, fmt: FormatOpt = Fmt.table) -> None:
    """Start a stopped VM.

    Example: govops cloud vm start bdc-web-01
    """
    from infra.cloud import vms

    out = vms.start(clikit.store(), name, reason)
    _done(f"started {out['name']}", out, fmt)


@vm_app.command("resize")
def vm_resize(
    name: VmArg,
    cores: Annotated[str | None, typer.Option("--cores", help="New virtual cores.")] = None,
    ram_gb: Annotated[str | None, typer.Option("--ram-gb", help="New RAM in GB.")] = None,
    disk_gb: Annotated[str | None, typer.Option("--disk-gb", help="New disk in GB.")] = None,
    force: ForceOpt = False,
    reason: ReasonOpt = None,
    fmt: FormatOpt = Fmt.table,
) -> None:
    """Resize a VM; growing one that holds capacity is checked like an approval.

    Example: govops cloud vm resize bdc-web-01 --cores 8 --ram-gb 32
    """
    from infra.cloud import vms

    with _ForceHint():
        out = vms.resize(clikit.store(), name, cores, ram_gb, disk_gb, force, reason)
    _done(
        f"{out['name']}: {out['cores']} cores, {out['ram_gb']} GB RAM, {out['disk_gb']} GB disk",
        out,
        fmt,
    )


@vm_app.command("decommission")
def vm_decommission(name: VmArg, reason: ReasonOpt = None, fmt: FormatOpt = Fmt.table) -> None:
    """Decommission a VM: release its address and capacity.

    Example: govops cloud vm decommission bdc-web-01 --reason "moved to the new platform"
    """
    from infra.cloud import vms

    out = vms.decommission(clikit.store(), name, reason)
    _done(f"decommissioned {out['name']}", out, fmt)


class Status(StrEnum):
    requested = "requested"
    approved = "approved"
    rejected = "rejected"
    active = "active"
    stopped = "stopped"
    decommissioned = "decommissioned"


@vm_app.command("list")
def vm_list(
    dept: Annotated[
        str | None, typer.Option("--dept", "-d", help="Only this department's.")
    ] = None,
    system: Annotated[
        str | None, typer.Option("--system", "-s", help="Only this system's.")
    ] = None,
    status: Annotated[
        Status | None, typer.Option("--status", help="Only VMs in this status.")
    ] = None,
    node: Annotated[str | None, typer.Option("--node", help="Only VMs on this node.")] = None,
    fmt: FormatOpt = Fmt.table,
) -> None:
    """List VMs, by name.

    Example: govops cloud vm list --dept YC-ZRZY --status active
    """
    from infra.cloud import vms

    rows = vms.list_vms(clikit.store(), dept, system, status.value if status else None, node)
    clikit.emit_rows(rows, fmt, _VM_COLUMNS if fmt is Fmt.table else None)


@vm_app.command("show")
def vm_show(name: VmArg, fmt: FormatOpt = Fmt.table) -> None:
    """Show one VM and its history: who changed what, when.

    Example: govops cloud vm show bdc-web-01
    """
    from infra.cloud import vms

    out = vms.show(clikit.store(), name)
    if fmt is not Fmt.table:
        clikit.emit_data(out, fmt)
        return
    events = out.pop("history")
    clikit.emit_record(out, fmt)
    typer.echo("")
    clikit.emit_rows(
        events,
        fmt,
        ["ts", "actor", "action", "from_status", "to_status", "cores", "ram_gb", "disk_gb",
         "node", "address", "forced", "reason"],
    )  # fmt: skip


@vm_app.command("import")
def vm_import(
    file: Annotated[
        str, typer.Argument(help="CSV or .xlsx: name, dept, system, cores, ram_gb, disk_gb, …")
    ],
    create_missing: Annotated[
        bool,
        typer.Option("--create-missing", help="Create the departments and systems the file names."),
    ] = False,
    encoding: Annotated[
        str | None, typer.Option("--encoding", help="The CSV's encoding [default: detected].")
    ] = None,
    fmt: FormatOpt = Fmt.table,
) -> None:
    """Bring running VMs onto the books from CSV or .xlsx; a file with any bad row writes nothing.

    Example: govops cloud vm import vms.xlsx --create-missing
    """
    from infra.cloud import bulk

    out = bulk.import_file(clikit.store(), file, encoding, create_missing).as_dict()
    made = out["departments_created"], out["systems_created"]
    _done(
        f"added {out['added']} VMs; created {len(made[0])} departments, {len(made[1])} systems",
        out,
        fmt,
    )


@vm_app.command("export")
def vm_export(
    output: clikit.OutputOpt = None,
    kind: clikit.ExportFormatOpt = None,
) -> None:
    """Write the VMs on the books (active, stopped) with the import's columns, as CSV or .xlsx.

    Example: govops cloud vm export -o vms.xlsx
    """
    from infra.cloud import bulk

    clikit.export_ledger(
        output,
        kind,
        lambda out: bulk.write_csv(bulk.export_rows(clikit.store()), out),
        lambda path, fmt: bulk.export_file(clikit.store(), path, fmt),
        "VMs",
    )


# -- views -------------------------------------------------------------------


class By(StrEnum):
    cloud = "cloud"
    node = "node"
    dept = "dept"
    system = "system"


_USAGE_COLUMNS = {
    "node": _NODE_COLUMNS[:3]
    + [f"{r}_{f}" for r in ("cores", "ram_gb", "disk_gb") for f in ("allocated", "free", "overcommit")],
    "cloud": ["nodes", "vms"]
    + [f"{r}_{f}" for r in ("cores", "ram_gb", "disk_gb") for f in ("physical", "schedulable", "allocated", "free", "overcommit")],
    "dept": ["dept", "dept_name", "vms", "vms_quota", "cores_allocated", "cores_quota",
             "ram_gb_allocated", "ram_gb_quota", "disk_gb_allocated", "disk_gb_quota"],
    "system": ["system", "dept", "vms", "cores_allocated", "ram_gb_allocated", "disk_gb_allocated"],
}  # fmt: skip


@cloud_app.command("usage")
def cloud_usage(
    by: Annotated[
        By, typer.Option("--by", help="Group by node, dept, system, or cloud (totals).")
    ] = By.node,
    fmt: FormatOpt = Fmt.table,
) -> None:
    """Physical, schedulable, allocated and free capacity, and the overcommit in use.

    Example: govops cloud usage --by dept
    """
    from infra.cloud import usage

    rows = usage.usage(clikit.store(), by.value)
    clikit.emit_rows(rows, fmt, _USAGE_COLUMNS[by.value] if fmt is Fmt.table else None)


@cloud_app.command("stats")
def cloud_stats(
    since: clikit.SinceOpt = None,
    until: clikit.UntilOpt = None,
    fmt: FormatOpt = Fmt.table,
) -> None:
    """The report's figures for a period: VMs issued and active, departments, resources.

    Example: govops cloud stats --since 2025-01-01 --until 2025-12-31 --format json
    """
    from infra.cloud import stats

    clikit.emit_record(stats.stats(clikit.store(), since, until), fmt)


@cloud_app.command("check")
def cloud_check() -> None:
    """Recount what each node, department and system holds from the VMs and compare with the totals.

    Example: govops cloud check
    """
    from infra.cloud import held

    differences = held.check(clikit.store())
    for line in differences:
        typer.echo(line)
    if differences:
        raise typer.Exit(1)
    clikit.say("cloud totals agree with the VMs")
