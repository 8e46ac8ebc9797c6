"""`govops xc …`: parse, make one library call, render."""

from typing import Annotated, Any

import typer

from infra import clikit
from infra.clikit import Fmt, FormatOpt

xc_app = typer.Typer(
    help="The Xinchuang (信创) ledger: terminals and servers, application systems, phases and budget, progress, the catalogue of domestic stacks, classification of collected machine files.",
    no_args_is_help=True,
)

asset_app = typer.Typer(
    help="Terminals and servers: planned → delivered → installed → accepted, or retired.",
    no_args_is_help=True,
)
app_app = typer.Typer(
    help="Application systems and their adaptation: not-started → adapting → adapted → online.",
    no_args_is_help=True,
)
phase_app = typer.Typer(help="The two phases (一期, 二期) and their budgets.", no_args_is_help=True)
xc_app.add_typer(asset_app, name="asset")
xc_app.add_typer(app_app, name="app")
xc_app.add_typer(phase_app, name="phase")

# Values are passed on as typed: the library checks them and refuses a bad one in
# one line (exit 1), naming what it expected.
SerialArg = Annotated[str, typer.Argument(help="The asset's serial number.")]
AppArg = Annotated[str, typer.Argument(help="The application system's name.")]
DeptOpt = Annotated[str, typer.Option("--dept", "-d", help="Department code or unique name.")]
DeptFilter = Annotated[
    str | None, typer.Option("--dept", "-d", help="Only this department (code or name).")
]
PhaseFilter = Annotated[str | None, typer.Option("--phase", help="Only this phase (1 or 2).")]
DateOpt = Annotated[
    str | None,
    typer.Option("--date", help="The day it took effect, YYYY-MM-DD [default: today]."),
]
ForceOpt = Annotated[bool, typer.Option("--force", help="Allow a move back (audited).")]
ReasonOpt = Annotated[
    str | None, typer.Option("--reason", "-r", help="Why (required with --force).")
]
CatalogueOpt = Annotated[
    str | None,
    typer.Option(
        "--catalogue",
        envvar="GOVOPS_XC_CATALOGUE",
        show_envvar=True,
        help="A YAML file of catalogue entries extending the built-in one.",
    ),
]


class _MoveHint:
    """A refused move back names this command's way past it."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: object, exc: BaseException | None, tb: object) -> None:
        from infra.xc.values import IllegalMove

        if isinstance(exc, IllegalMove) and "needs force" in str(exc):
            raise IllegalMove(f"{exc} (--force --reason R)") from exc


def _done(message: str, record: dict[str, Any], fmt: Fmt) -> None:
    if fmt is Fmt.table:
        clikit.say(message)
    else:
        clikit.emit_data(record, fmt)


# -- assets ------------------------------------------------------------------

_PROBE_COLUMNS = ["probed_at", "outcome", "reason", "host_key", "host_key_trust"]

_ASSET_COLUMNS = [
    "serial",
    "kind",
    "dept",
    "model",
    "cpu",
    "os",
    "phase",
    "cost",
    "host",
    "status",
    "status_date",
]


@asset_app.command("add")
def asset_add(
    kind: Annotated[str, typer.Option("--kind", help="terminal or server.")],
    dept: DeptOpt,
    serial: Annotated[str, typer.Option("--serial", help="Serial number (unique).")],
    model: Annotated[str | None, typer.Option("--model", help="Model.")] = None,
    cpu: Annotated[
        str | None,
        typer.Option(
            "--cpu", help="CPU family: kunpeng, phytium, hygon, zhaoxin, loongson, sunway, other."
        ),
    ] = None,
    os: Annotated[
        str | None,
        typer.Option(
            "--os", help="OS family: kylin, uos, deepin, openeuler, anolis, opencloudos, other."
        ),
    ] = None,
    phase: Annotated[str | None, typer.Option("--phase", help="Phase 1 or 2.")] = None,
    cost: Annotated[
        str | None, typer.Option("--cost", help="Cost in yuan (at most two decimals).")
    ] = None,
    host: Annotated[
        str | None, typer.Option("--host", help="Host name or IP address to reach it at.")
    ] = None,
    ssh_user: Annotated[str | None, typer.Option("--ssh-user", help="SSH user.")] = None,
    org: Annotated[
        str | None, typer.Option("--org", help="Org unit where it stands (code, path or name).")
    ] = None,
    date: Annotated[
        str | None, typer.Option("--date", help="The day it was planned [default: today].")
    ] = None,
    fmt: FormatOpt = Fmt.table,
) -> None:
    """Record a terminal or server; its status starts as planned.

    Example: govops xc asset add --kind server --dept YC-CZ --serial SN-0001 --cpu kunpeng --os kylin --phase 1 --cost 86000 --host 10.64.0.21
    """
    from infra.xc import assets

    fields = assets.Fields.check(
        serial,
        kind,
        dept,
        model=model,
        cpu=cpu,
        os=os,
        phase=phase,
        cost=cost,
        host=host,
        ssh_user=ssh_user,
        org=org,
    )
    out = assets.add(clikit.store(), fields, date)
    _done(f"recorded {out['kind']} {out['serial']} of {out['dept']} (planned)", out, fmt)


@asset_app.command("set-status")
def asset_set_status(
    serial: SerialArg,
    status: Annotated[
        str, typer.Argument(help="planned, delivered, installed, accepted or retired.")
    ],
    date: DateOpt = None,
    force: ForceOpt = False,
    reason: ReasonOpt = None,
    fmt: FormatOpt = Fmt.table,
) -> None:
    """Move an asset to another status; forward moves may skip steps, a move back needs --force.

    Example: govops xc asset set-status SN-0001 installed --date 2025-03-18
    """
    from infra.xc import assets

    with _MoveHint():
        out = assets.set_status(clikit.store(), serial, status, date, force, reason)
    _done(f"{out['serial']} is {out['status']} since {out['status_date']}", out, fmt)


@asset_app.command("list")
def asset_list(
    dept: DeptFilter = None,
    phase: PhaseFilter = None,
    kind: Annotated[str | None, typer.Option("--kind", help="Only terminals or servers.")] = None,
    status: Annotated[str | None, typer.Option("--status", help="Only this status.")] = None,
    fmt: FormatOpt = Fmt.table,
) -> None:
    """List assets, filtered by department, phase, kind and status.

    Example: govops xc asset list --phase 1 --kind terminal --status installed
    """
    from infra.xc import assets

    rows = assets.list_assets(clikit.store(), dept, phase, kind, status)
    clikit.emit_rows(rows, fmt, _ASSET_COLUMNS if fmt is Fmt.table else None)


@asset_app.command("show")
def asset_show(serial: SerialArg, fmt: FormatOpt = Fmt.table) -> None:
    """Show one asset: its status history, probe results, and its VM and IPAM address.

    Example: govops xc asset show SN-0001
    """
    from infra.xc import assets

    out = assets.show(clikit.store(), serial)
    if fmt is not Fmt.table:
        clikit.emit_data(out, fmt)
        return
    flat = {k: v for k, v in out.items() if k not in ("history", "probes", "cloud_vm", "ipam")}
    vm = out["cloud_vm"]
    flat["cloud_vm"] = f"{vm['name']} ({vm['system']}, {vm['status']})" if vm else None
    flat["ipam"] = [
        f"{a['address']} in {a['prefix'] or '-'} ({a['vrf']}{', ' + a['org'] if a['org'] else ''})"
        for a in out["ipam"]
    ]
    clikit.emit_record(flat, fmt)
    clikit.emit_rows(
        [
            {"date": h["date"], "from": h["from"], "to": h["to"], "reason": h["reason"]}
            for h in out["history"]
        ],
        fmt,
        title="history",
    )
    if out["probes"]:
        clikit.emit_rows(out["probes"], fmt, _PROBE_COLUMNS, title="probes")


@asset_app.command("import")
def asset_import(
    file: Annotated[str, typer.Argument(help="CSV or .xlsx with the export's columns.")],
    encoding: Annotated[
        str | None, typer.Option("--encoding", help="The CSV's encoding [default: detected].")
    ] = None,
    fmt: FormatOpt = Fmt.table,
) -> None:
    """Import assets from CSV or .xlsx; a file with any bad row writes nothing.

    Example: govops xc asset import assets.xlsx
    """
    from infra.xc import assets

    result = assets.import_file(clikit.store(), file, encoding).as_dict()
    _done(f"added {result['added']} assets, {result['unchanged']} unchanged", result, fmt)


@asset_app.command("export")
def asset_export(
    output: clikit.OutputOpt = None,
    kind: clikit.ExportFormatOpt = None,
) -> None:
    """Write every asset with the import's columns, as CSV or .xlsx.

    Example: govops xc asset export --format xlsx -o assets.xlsx
    """
    from infra.xc import assets

    clikit.export_ledger(
        output,
        kind,
        lambda out: assets.write_csv(assets.export_rows(clikit.store()), out),
        lambda path, fmt: assets.export_file(clikit.store(), path, fmt),
        "assets",
    )


# -- application systems -----------------------------------------------------

_APP_COLUMNS = ["name", "dept", "phase", "os", "db", "middleware", "status", "status_date"]


@app_app.command("add")
def app_add(
    name: AppArg,
    dept: DeptOpt,
    phase: Annotated[str | None, typer.Option("--phase", help="Phase 1 or 2.")] = None,
    os: Annotated[str | None, typer.Option("--os", help="Catalogue OS (id or alias).")] = None,
    db: Annotated[
        str | None, typer.Option("--db", help="Catalogue database (id or alias).")
    ] = None,
    middleware: Annotated[
        str | None, typer.Option("--middleware", help="Catalogue middleware (id or alias).")
    ] = None,
    date: Annotated[
        str | None, typer.Option("--date", help="The day it was recorded [default: today].")
    ] = None,
    catalogue: CatalogueOpt = None,
    fmt: FormatOpt = Fmt.table,
) -> None:
    """Record an application system to adapt; its status starts as not-started.

    Example: govops xc app add 不动产登记系统 --dept YC-ZRZY --phase 1 --os kylin --db dm --middleware tongweb
    """
    from infra.xc import apps

    out = apps.add(
        clikit.store(),
        name,
        dept,
        phase=phase,
        os=os,
        db=db,
        middleware=middleware,
        day=date,
        catalogue_path=catalogue,
    )
    _done(f"recorded application system {out['name']} of {out['dept']}", out, fmt)


@app_app.command("set-status")
def app_set_status(
    name: AppArg,
    status: Annotated[str, typer.Argument(help="not-started, adapting, adapted or online.")],
    date: DateOpt = None,
    force: ForceOpt = False,
    reason: ReasonOpt = None,
    fmt: FormatOpt = Fmt.table,
) -> None:
    """Move an application system to another status; a move back needs --force.

    Example: govops xc app set-status 不动产登记系统 online --date 2025-06-30
    """
    from infra.xc import apps

    with _MoveHint():
        out = apps.set_status(clikit.store(), name, status, date, force, reason)
    _done(f"{out['name']} is {out['status']} since {out['status_date']}", out, fmt)


@app_app.command("list")
def app_list(
    dept: DeptFilter = None,
    phase: PhaseFilter = None,
    status: Annotated[str | None, typer.Option("--status", help="Only this status.")] = None,
    fmt: FormatOpt = Fmt.table,
) -> None:
    """List application systems, filtered by department, phase and status.

    Example: govops xc app list --status adapting --format json
    """
    from infra.xc import apps

    rows = apps.list_apps(clikit.store(), dept, phase, status)
    clikit.emit_rows(rows, fmt, _APP_COLUMNS if fmt is Fmt.table else None)


@app_app.command("show")
def app_show(name: AppArg, fmt: FormatOpt = Fmt.table) -> None:
    """Show one application system with its status history.

    Example: govops xc app show 不动产登记系统
    """
    from infra.xc import apps

    out = apps.show(clikit.store(), name)
    if fmt is not Fmt.table:
        clikit.emit_data(out, fmt)
        return
    clikit.emit_record({k: v for k, v in out.items() if k != "history"}, fmt)
    clikit.emit_rows(
        [
            {"date": h["date"], "from": h["from"], "to": h["to"], "reason": h["reason"]}
            for h in out["history"]
        ],
        fmt,
        title="history",
    )


# -- phases, budget, progress, figures ---------------------------------------


@phase_app.command("set")
def phase_set(
    phase: Annotated[str, typer.Argument(help="1 or 2.")],
    budget: Annotated[str, typer.Option("--budget", help="Budget in yuan (at most two decimals).")],
    start: Annotated[str | None, typer.Option("--start", help="First day, YYYY-MM-DD.")] = None,
    end: Annotated[str | None, typer.Option("--end", help="Last day, YYYY-MM-DD.")] = None,
    fmt: FormatOpt = Fmt.table,
) -> None:
    """Set a phase's budget and, optionally, its first and last day.

    Example: govops xc phase set 1 --budget 12000000 --start 2025-01-01 --end 2025-12-31
    """
    from infra.xc import budget as ledger

    out = ledger.set_phase(clikit.store(), phase, budget, start, end)
    _done(f"phase {out['phase']}: budget {out['budget']} yuan", out, fmt)


@xc_app.command("budget")
def budget_show(fmt: FormatOpt = Fmt.table) -> None:
    """Show per phase the budget, committed, spent and remaining yuan (an overrun is negative).

    Example: govops xc budget --format json
    """
    from infra.xc import budget as ledger

    rows = ledger.budget(clikit.store())
    columns = ["phase", "budget", "committed", "spent", "remaining", "over_budget", "uncosted"]
    clikit.emit_rows(rows, fmt, columns if fmt is Fmt.table else None)


@xc_app.command("progress")
def progress_show(
    by: Annotated[str | None, typer.Option("--by", help="Group by dept, phase or kind.")] = None,
    fmt: FormatOpt = Fmt.table,
) -> None:
    """Count assets per status, with the percentage accepted.

    Example: govops xc progress --by dept
    """
    from infra.xc import budget as ledger

    clikit.emit_rows(ledger.progress(clikit.store(), by), fmt)


@xc_app.command("stats")
def stats_show(
    since: clikit.SinceOpt = None,
    until: clikit.UntilOpt = None,
    fmt: FormatOpt = Fmt.json,
) -> None:
    """Print the figures for the bureau's report (terminals and servers installed, apps online, budget).

    Example: govops xc stats --since 2025-01-01 --until 2025-12-31 --format json
    """
    from infra.xc import stats

    out = stats.stats(clikit.store(), since, until)
    clikit.emit_record(out, fmt)


@xc_app.command("catalogue")
def catalogue_list(
    kind: Annotated[
        str | None, typer.Option("--kind", help="Only os, db or middleware entries.")
    ] = None,
    catalogue: CatalogueOpt = None,
    fmt: FormatOpt = Fmt.table,
) -> None:
    """List the catalogue of domestic OSes, databases and middleware, with probe ports.

    Example: govops xc catalogue --kind db --catalogue site-catalogue.yaml
    """
    from infra.xc import catalogue as cat

    rows = cat.listing(catalogue, kind)
    columns = ["kind", "id", "name", "family", "processes", "ports", "source"]
    clikit.emit_rows(rows, fmt, columns if fmt is Fmt.table else None)


_CLASSIFY_COLUMNS = [
    "path",
    "arch",
    "cpu_family",
    "cpu_vendor",
    "cpu_model",
    "os_family",
    "os_name",
    "os_version",
    "domestic_cpu",
    "domestic_os",
]


@xc_app.command("classify")
def classify_dirs(
    dirs: Annotated[
        list[str],
        typer.Argument(
            help="Directories of files collected from a machine: uname-m, cpuinfo,"
            " os-release, kylin-release, os-version, lsb-release."
        ),
    ],
    fmt: FormatOpt = Fmt.table,
) -> None:
    """Tell the CPU and OS family of machines from files collected from them.

    Example: govops xc classify ./collected/host-01 ./collected/host-02 --format json
    """
    from infra.xc import classify

    rows = classify.classify_dirs(dirs)
    clikit.emit_rows(rows, fmt, _CLASSIFY_COLUMNS if fmt is Fmt.table else None)


# ============================================================================
# xc probe: the SSH probe's command (infra/xc/probe.py) is defined below this
# line, by the probe's own author; the ledger's commands all stand above it.
# ============================================================================

_PROBE_RUN_COLUMNS = [
    "serial",
    "host",
    "outcome",
    "cpu_family",
    "os_family",
    "ledger_cpu",
    "ledger_os",
    "stacks",
    "reason",
]
_PROBE_REPORT_COLUMNS = ["serial", "probed_at", "outcome", "reason", "host_key", "host_key_trust"]


@xc_app.command("probe")
def probe(
    serials: Annotated[
        list[str] | None, typer.Argument(help="Serials of the assets to probe.")
    ] = None,
    dept: Annotated[
        str | None, typer.Option("--dept", "-d", help="Every asset of this department.")
    ] = None,
    all_assets: Annotated[bool, typer.Option("--all", help="Every asset with a host.")] = False,
    report: Annotated[
        bool, typer.Option("--report", help="List each asset's latest result; probe nothing.")
    ] = False,
    parallel: Annotated[
        int, typer.Option("--parallel", min=1, max=256, help="Hosts probed at once.")
    ] = 16,
    timeout: Annotated[
        float,
        typer.Option("--timeout", min=0.5, max=3600, help="Seconds each host may take, all in."),
    ] = 15.0,
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="SSH port.")] = 22,
    user: Annotated[
        str | None,
        typer.Option(
            "--user", "-u", help="Login where the asset names no SSH user (default: you)."
        ),
    ] = None,
    key: Annotated[
        str | None, typer.Option("--key", "-i", help="Private key file (else agent, ~/.ssh/id_*).")
    ] = None,
    ask_password: Annotated[
        bool, typer.Option("--ask-password", help="Prompt for a password (never stored).")
    ] = False,
    ask_passphrase: Annotated[
        bool,
        typer.Option(
            "--ask-passphrase", help="Prompt for the key file's passphrase (never stored)."
        ),
    ] = False,
    known_hosts: Annotated[
        str | None,
        typer.Option("--known-hosts", help="known_hosts file (default: ~/.ssh/known_hosts)."),
    ] = None,
    trust_new: Annotated[
        bool,
        typer.Option(
            "--trust-new",
            help="Accept and record unknown host keys (audited); changed keys stay refused.",
        ),
    ] = False,
    catalogue: Annotated[
        str | None,
        typer.Option(
            "--catalogue",
            envvar="GOVOPS_XC_CATALOGUE",
            help="A YAML file of catalogue entries extending the built-in one.",
        ),
    ] = None,
    fmt: FormatOpt = Fmt.table,
) -> None:
    """Probe assets' hosts over SSH: CPU, OS, databases and middleware, against the ledger.

    Example: govops xc probe --dept YC-CZ --parallel 32 --timeout 10 --trust-new
    """
    import getpass

    from infra import ssh
    from infra.xc import probe as xc_probe

    if report:
        rows = xc_probe.report(clikit.store(), serials or (), dept)
        clikit.emit_rows(rows, fmt, _PROBE_REPORT_COLUMNS if fmt is Fmt.table else None)
        return
    request = xc_probe.ProbeRequest(
        serials=tuple(serials or ()),
        dept=dept,
        all_assets=all_assets,
        port=port,
        user=user,
        parallel=parallel,
        timeout=timeout,
        known_hosts=known_hosts,
        trust_new=trust_new,
        key_file=key,
        catalogue=catalogue,
    )
    with _ProbeProgress() as progress:
        rows = xc_probe.probe(
            clikit.store(),
            request,
            # Read straight into a Secret: the password is no local of this frame.
            password=ssh.Secret(getpass.getpass("SSH password: ")) if ask_password else None,
            passphrase=ssh.Secret(getpass.getpass("Key passphrase: ")) if ask_passphrase else None,
            on_start=progress.start,
            on_host=progress.advance,
        )
    counts = {
        o: sum(r["outcome"] == o for r in rows) for o in ("compliant", "mismatch", "unreachable")
    }
    trusted = sum(r["host_key_trust"] == "trusted-new" for r in rows)
    clikit.say(
        f"probed {len(rows)}: {counts['compliant']} compliant, {counts['mismatch']} mismatch,"
        f" {counts['unreachable']} unreachable"
        + (
            f"; {trusted} new host key{'s' if trusted != 1 else ''} trusted and recorded"
            if trusted
            else ""
        )
    )
    clikit.emit_rows(rows, fmt, _PROBE_RUN_COLUMNS if fmt is Fmt.table else None)


class _ProbeProgress:
    """A Rich progress bar on stderr, advanced as each host is recorded; only on a
    terminal (a log or a pipe gets the summary line alone)."""

    def __init__(self) -> None:
        self._bar: Any = None
        self._task: Any = None

    def __enter__(self) -> "_ProbeProgress":
        return self

    def start(self, total: int) -> None:
        from rich.console import Console

        console = Console(stderr=True)
        if not console.is_terminal or total == 0:
            return
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        self._bar = Progress(
            TextColumn("probing"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.description}"),
            console=console,
            transient=True,
        )
        self._task = self._bar.add_task("", total=total)
        self._bar.start()

    def advance(self, row: dict[str, Any]) -> None:
        if self._bar is not None:
            self._bar.update(self._task, advance=1, description=f"{row['serial']} {row['outcome']}")

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()
