"""`govops ipam …`: parse, make one library call, render."""

import itertools
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from infra import clikit, inputs
from infra.clikit import Fmt, FormatOpt, LevelOpt

# -- govops ipam -----------------------------------------------------------

ipam_app = typer.Typer(
    help="Addresses of the e-government extranet: VRFs, pools, prefixes, addresses.",
    no_args_is_help=True,
)
vrf_app = typer.Typer(
    help="VRFs: separate address spaces (default: egov, 政务外网).", no_args_is_help=True
)
pool_app = typer.Typer(
    help="Pools: the top-level blocks everything is allocated from.", no_args_is_help=True
)
ip_app = typer.Typer(help="Single addresses inside prefixes.", no_args_is_help=True)
ipam_app.add_typer(vrf_app, name="vrf")
ipam_app.add_typer(pool_app, name="pool")
ipam_app.add_typer(ip_app, name="ip")

VrfOpt = Annotated[str | None, typer.Option("--vrf", help="VRF name [default: egov].")]
CidrArg = Annotated[str, typer.Argument(help="A prefix in CIDR form, e.g. 10.64.0.0/16.")]
DescOpt = Annotated[str | None, typer.Option("--description", "-D", help="Free text.")]
PurposeOpt = Annotated[
    str | None, typer.Option("--purpose", "-P", help="What the block is for: office, mgmt, video …")
]
StrictOpt = Annotated[
    bool,
    typer.Option(
        "--strict/--no-strict", help="Refuse host bits set (10.1.2.3/24) instead of normalising."
    ),
]


class _FlagHints:
    """Library refusals speak of things; where an option of this command is the way out,
    name it: `with _FlagHints(recursive="--recursive"): ...` (keys: `Undecided.choice`)."""

    def __init__(self, **flags: str) -> None:
        self.flags = flags

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: object, exc: BaseException | None, tb: object) -> None:
        from ipam.addr import Undecided

        if isinstance(exc, Undecided) and exc.choice in self.flags:
            raise type(exc)(f"{exc} ({self.flags[exc.choice]})") from exc


_NO_STRICT = "pass --no-strict to normalise"


class _SettingHint:
    """A setting stored out of range (by an older version) names the command that fixes it."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: object, exc: BaseException | None, tb: object) -> None:
        from ipam.space import BadSetting

        if isinstance(exc, BadSetting):
            raise BadSetting(f"{exc} (govops ipam settings {exc.key} VALUE)", exc.key) from exc


def _unit_refs(value: Any) -> Any:
    """--org/--for: an empty or blank reference names no unit (it must not mean 'none')."""
    values = value if isinstance(value, list) else [value]
    if any(v is not None and not v.strip() for v in values):
        raise typer.BadParameter("an empty unit reference names no unit")
    return value


def _whole(what: str, low: int, high: int | None = None) -> Any:
    """A parser for a whole-number option: ASCII digits within bounds (`high` None: the
    library's MAX_COUNT), so '²' or '٣' is a usage error rather than a number."""

    def parse(text: str) -> int:
        from infra.errors import InvalidInput
        from infra.inputs import whole_number

        top = high
        if top is None:
            from ipam.space import MAX_COUNT

            top = MAX_COUNT
        try:
            return whole_number(text, what, low, top)
        except InvalidInput as exc:
            raise typer.BadParameter(str(exc)) from None

    return parse


def _handed_out(rows: list[dict[str, Any]], fmt: Fmt, key: str = "prefix") -> None:
    """What was handed out: one per line for people (easy to paste), data otherwise."""
    if fmt is Fmt.table:
        for r in rows:
            typer.echo(r[key])
    else:
        clikit.emit_data(rows, fmt)


@vrf_app.command("add")
def vrf_add(
    name: Annotated[str, typer.Argument(help="One word, e.g. video or mgmt.")],
    rd: Annotated[
        str | None, typer.Option("--rd", help="Route distinguisher, e.g. 65000:10.")
    ] = None,
    description: DescOpt = None,
) -> None:
    """Add a VRF; prefixes in different VRFs may overlap.

    Example: govops ipam vrf add video --rd 65000:20 -D 视频专网
    """
    from ipam import space

    space.add_vrf(clikit.store(), name, rd, description)
    clikit.say(f"added VRF {name}")


@vrf_app.command("list")
def vrf_list(fmt: FormatOpt = Fmt.table) -> None:
    """List VRFs with how many prefixes each holds.

    Example: govops ipam vrf list
    """
    from ipam import space

    clikit.emit_rows(space.list_vrfs(clikit.store()), fmt)


@pool_app.command("add")
def pool_add(
    cidr: CidrArg,
    vrf: VrfOpt = None,
    description: DescOpt = None,
    org: Annotated[
        str | None,
        typer.Option(
            "--org", help="Unit that owns the pool (usually the city).", callback=_unit_refs
        ),
    ] = None,
    strict: StrictOpt = True,
    fmt: FormatOpt = Fmt.table,
) -> None:
    """Add a top-level pool to allocate from.

    Example: govops ipam pool add 10.64.0.0/12 --org 河源市 -D 政务外网IPv4
    """
    from ipam import space

    with _FlagHints(normalise=_NO_STRICT):
        made = space.add(
            clikit.store(), cidr, org, None, "container", vrf, description, strict, pool=True
        )
    _handed_out([made], fmt)


@pool_app.command("list")
def pool_list(vrf: VrfOpt = None, fmt: FormatOpt = Fmt.table) -> None:
    """List pools with their free space.

    Example: govops ipam pool list
    """
    from ipam import views

    clikit.emit_rows(views.pools(clikit.store(), vrf), fmt)


@ipam_app.command("add")
def ipam_add(
    cidr: CidrArg,
    org: Annotated[
        str | None,
        typer.Option("--org", help="Unit the block is assigned to.", callback=_unit_refs),
    ] = None,
    purpose: PurposeOpt = None,
    status: Annotated[
        str, typer.Option("--status", help="allocated, reserved or container.")
    ] = "allocated",
    vrf: VrfOpt = None,
    description: DescOpt = None,
    strict: StrictOpt = True,
    fmt: FormatOpt = Fmt.table,
) -> None:
    """Record a specific prefix under the smallest prefix that contains it.

    Example: govops ipam add 10.64.16.0/20 --org 源城区 --purpose office
    """
    from ipam import space

    with _FlagHints(normalise=_NO_STRICT):
        made = space.add(clikit.store(), cidr, org, purpose, status, vrf, description, strict)
    _handed_out([made], fmt)


@ipam_app.command("alloc")
def ipam_alloc(
    size: Annotated[
        str | None, typer.Option("--size", "-s", help="Prefix length, e.g. /26.")
    ] = None,
    hosts: Annotated[
        int | None,
        typer.Option(
            "--hosts",
            metavar="INTEGER",
            parser=_whole("hosts", 1, 2**64),
            help="Hosts to fit; picks the smallest block.",
        ),
    ] = None,
    from_cidr: Annotated[
        str | None, typer.Option("--from", help="Allocate inside this prefix.")
    ] = None,
    org: Annotated[
        list[str] | None,
        typer.Option(
            "--org",
            help="Once: allocate inside this unit's own block, for it. Twice: inside the first unit's block, for the second.",
            callback=_unit_refs,
        ),
    ] = None,
    for_unit: Annotated[
        str | None,
        typer.Option(
            "--for", help="Assign to this unit, from its parent unit's block.", callback=_unit_refs
        ),
    ] = None,
    purpose: PurposeOpt = None,
    description: DescOpt = None,
    family: Annotated[
        int | None, typer.Option("--family", help="4 or 6, when a unit has both.")
    ] = None,
    vrf: VrfOpt = None,
    count: Annotated[
        int,
        typer.Option(
            "--count",
            "-n",
            metavar="INTEGER",
            parser=_whole("count", 1),
            help="How many blocks (all or none; at most 20000 in one request).",
        ),
    ] = 1,
    status: Annotated[
        str, typer.Option("--status", help="allocated, reserved or container.")
    ] = "allocated",
    fmt: FormatOpt = Fmt.table,
) -> None:
    """Hand out the best-fitting free block(s): smallest that fits, lowest address first.

    Example: govops ipam alloc --org 河源市 --org 源城区 --size /16
    """
    from ipam import space

    try:
        request = space.AllocRequest.from_units(
            size=size,
            hosts=hosts,
            source=from_cidr,
            units=org if org is not None else [],
            assignee=for_unit,
            purpose=purpose,
            description=description,
            family=family,
            vrf=vrf,
            count=count,
            status=status,
        )
    except space.UnclearRequest as exc:
        # Which options must be given is a usage question (exit 2), answered before any work.
        raise typer.BadParameter(_ALLOC_USAGE.get(exc.reason, str(exc))) from exc
    except space.TooManyBlocks as exc:
        raise typer.BadParameter(str(exc), param_hint="'--count'") from exc
    with _FlagHints(source="--from CIDR", family="--family 4 or 6"), _SettingHint():
        made = space.alloc(clikit.store(), request)
    _handed_out(made, fmt)


_ALLOC_USAGE = {
    "amount": "give exactly one of --size or --hosts",
    "where": "say where to allocate from: --from CIDR, --org REF or --for REF",
    "units": "--org may be given at most twice (source, then assignee)",
    "assignee-and-units": "--for names the assignee; give --org once at most with it",
    "source-and-units": "with --from, give --org once (the assignee)",
    "assignee-twice": "with --from, name the assignee once: --org or --for",
}


@ipam_app.command("release")
def ipam_release(
    cidr: CidrArg,
    recursive: Annotated[
        bool, typer.Option("--recursive", "-r", help="Release its children too.")
    ] = False,
    quarantine_days: Annotated[
        int | None,
        typer.Option(
            "--quarantine-days",
            metavar="INTEGER",
            parser=_whole("quarantine days", 0, 3650),
            help="Days before reuse, 0 to 3650 [default: setting ipam.quarantine_days, 7].",
        ),
    ] = None,
    vrf: VrfOpt = None,
) -> None:
    """Release a block; it waits in quarantine before it can be handed out again.

    Example: govops ipam release 10.64.16.0/24 --quarantine-days 30
    """
    from ipam import space

    with _FlagHints(recursive="--recursive"), _SettingHint():
        out = space.release(clikit.store(), cidr, vrf, recursive, quarantine_days)
    until = out.get("quarantine_until")
    clikit.say(
        f"released {out['prefix']} ({out['released']} prefixes)"
        + (f", quarantined until {until}" if until else "")
    )


@ipam_app.command("reserve")
def ipam_reserve(
    cidr: CidrArg, vrf: VrfOpt = None, description: DescOpt = None, strict: StrictOpt = True
) -> None:
    """Reserve a block so allocation never hands it out.

    Example: govops ipam reserve 10.64.255.0/24 -D 预留核心互联
    """
    from ipam import space

    with _FlagHints(normalise=_NO_STRICT):
        out = space.reserve(clikit.store(), cidr, vrf, description, strict)
    clikit.say(f"reserved {out['prefix']}")


@ipam_app.command("settings")
def ipam_settings(
    key: Annotated[str | None, typer.Argument(help="quarantine-days or headroom.")] = None,
    value: Annotated[str | None, typer.Argument(help="New value.")] = None,
    fmt: FormatOpt = Fmt.table,
) -> None:
    """Show or change IPAM settings (quarantine days, --hosts headroom).

    Example: govops ipam settings quarantine-days 30
    """
    from ipam import space

    out = space.settings(clikit.store(), key, value)
    clikit.emit_rows(out, fmt)


@ip_app.command("next")
def ip_next(
    cidr: CidrArg,
    hostname: Annotated[str | None, typer.Option("--hostname", "-H", help="Host name.")] = None,
    description: DescOpt = None,
    count: Annotated[int, typer.Option("--count", "-n", min=1, help="How many addresses.")] = 1,
    vrf: VrfOpt = None,
    fmt: FormatOpt = Fmt.table,
) -> None:
    """Assign the next free address of a prefix (skips network, gateway, broadcast).

    Example: govops ipam ip next 10.64.16.0/24 --hostname zw-web-01
    """
    from ipam import addresses

    rows = addresses.next_free(clikit.store(), cidr, hostname, description, vrf, count)
    _handed_out(rows, fmt, "address")


@ip_app.command("assign")
def ip_assign(
    ip: Annotated[str, typer.Argument(help="The address, e.g. 10.64.16.20.")],
    hostname: Annotated[str | None, typer.Option("--hostname", "-H", help="Host name.")] = None,
    description: DescOpt = None,
    status: Annotated[str, typer.Option("--status", help="active, reserved or dhcp.")] = "active",
    vrf: VrfOpt = None,
) -> None:
    """Record a specific address.

    Example: govops ipam ip assign 10.64.16.1 --hostname gw-yuancheng
    """
    from ipam import addresses

    out = addresses.assign(clikit.store(), ip, hostname, description, vrf, status)
    clikit.say(f"assigned {out['address']} in {out['prefix']}")


@ip_app.command("release")
def ip_release(ip: Annotated[str, typer.Argument(help="The address.")], vrf: VrfOpt = None) -> None:
    """Release an address.

    Example: govops ipam ip release 10.64.16.20
    """
    from ipam import addresses

    out = addresses.release(clikit.store(), ip, vrf)
    clikit.say(f"released {out['address']}")


@ip_app.command("list")
def ip_list(cidr: CidrArg, vrf: VrfOpt = None, fmt: FormatOpt = Fmt.table) -> None:
    """List the addresses recorded inside a block.

    Example: govops ipam ip list 10.64.16.0/24
    """
    from ipam import addresses

    clikit.emit_rows(addresses.of_block(clikit.store(), cidr, vrf), fmt)


@ipam_app.command("find")
def ipam_find(
    query: Annotated[str, typer.Argument(help="An address or CIDR.")],
    vrf: Annotated[str | None, typer.Option("--vrf", help="Only this VRF [default: all].")] = None,
    fmt: FormatOpt = Fmt.table,
) -> None:
    """Whose address is this? The chain of prefixes that contain it, most specific last.

    Example: govops ipam find 10.64.16.20
    """
    from ipam import views

    rows = views.find(clikit.store(), query, vrf)
    if not rows:
        clikit.say(f"{query}: in no prefix")
        raise typer.Exit(1)
    clikit.emit_rows(
        rows,
        fmt,
        ["vrf", "prefix", "status", "org_path", "purpose", "hostname", "pair"]
        if fmt is Fmt.table
        else None,
    )


@ipam_app.command("tree")
def ipam_tree(
    cidr: Annotated[str | None, typer.Argument(help="Root prefix; all pools if omitted.")] = None,
    org: Annotated[
        str | None,
        typer.Option("--org", help="Start from this unit's blocks.", callback=_unit_refs),
    ] = None,
    depth: Annotated[
        int | None, typer.Option("--depth", "-d", min=0, help="Levels to show.")
    ] = None,
    vrf: VrfOpt = None,
    fmt: FormatOpt = Fmt.table,
) -> None:
    """Show prefixes as a tree with their units and purposes.

    Example: govops ipam tree --org 源城区 --depth 1
    """
    from ipam import views

    roots = views.tree(clikit.store(), cidr, org, depth, vrf)
    if fmt is Fmt.csv:
        clikit.emit_data(
            clikit.flatten_tree(roots),
            fmt,
            ["prefix", "status", "org_code", "org_path", "purpose", "depth"],
        )
    elif fmt is not Fmt.table:
        clikit.emit_data(roots, fmt)
    else:
        print_prefix_tree(roots)


def print_prefix_tree(roots: list[dict[str, Any]]) -> None:
    if not roots:
        clikit.say("(no prefixes)")
        return
    from rich.markup import escape

    def label(n: dict[str, Any]) -> str:
        extra = " ".join(x for x in (n["org_path"], n["purpose"]) if x)
        return f"[bold]{n['prefix']}[/bold] [dim]{n['status']}[/dim] {escape(extra)}"

    clikit.print_tree(roots, label)


@ipam_app.command("free")
def ipam_free(
    cidr: CidrArg,
    size: Annotated[
        str | None, typer.Option("--size", "-s", help="Count free blocks of exactly this length.")
    ] = None,
    vrf: VrfOpt = None,
    fmt: FormatOpt = Fmt.table,
) -> None:
    """Show the free space of a prefix as the largest aligned blocks.

    Example: govops ipam free 2001:db8:100::/48 --size /64
    """
    from ipam import views

    out = views.free(clikit.store(), cidr, size, vrf)
    if fmt is not Fmt.table:
        clikit.emit_data(out, fmt)
        return
    if size is not None:
        typer.echo(
            f"{out['count']} free /{out['size']} in {out['prefix']}; first: {out['first'] or '-'}"
        )
        return
    for block in out["free"]:
        typer.echo(block)
    clikit.say(f"{out['prefix']}: {out['free_percent']}% free in {len(out['free'])} blocks")
    for q in out["quarantine"]:
        clikit.say(f"  in quarantine: {q['prefix']} until {q['until']}")


@ipam_app.command("usage")
def ipam_usage(
    level: LevelOpt = None,
    org: Annotated[
        str | None,
        typer.Option("--org", help="Only this unit's subtree.", callback=_unit_refs),
    ] = None,
    vrf: VrfOpt = None,
    fmt: FormatOpt = Fmt.table,
) -> None:
    """Per unit: addresses assigned, used, free and percent, IPv4 and IPv6 (in /64s).

    Example: govops ipam usage --level county
    """
    from ipam import views

    found = views.usage_rows(clikit.store(), level.value if level else None, org, vrf)
    if fmt is not Fmt.table:
        _stream_rows(found, fmt)
        return
    rows = list(found)
    cols = [
        "code",
        "name",
        "v4_assigned",
        "v4_used",
        "v4_free",
        "v4_percent",
        "v6_assigned",
        "v6_used",
        "v6_percent",
    ]
    if rows and views.REGION in rows[0]:
        cols.insert(0, views.REGION)
    clikit.emit_rows(rows, fmt, cols)


def _stream_rows(rows: Iterator[dict[str, Any]], fmt: Fmt) -> None:
    """Rows of one shape written as they come, for json and csv the text `emit_data`
    gives for their list (YAML needs them all first)."""
    if fmt is Fmt.yaml:
        clikit.emit_data(list(rows), fmt)
        return
    import sys

    out = sys.stdout
    first = next(rows, None)
    if fmt is Fmt.csv:
        if first is not None:
            import csv

            from infra.tabular import neutral

            cols = list(first)
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow(cols)
            for row in itertools.chain([first], rows):
                # a name such as =HYPERLINK(…) must not run when the file opens in a spreadsheet
                writer.writerow([neutral("" if row[c] is None else row[c]) for c in cols])
    elif first is None:
        out.write("[]\n")
    else:
        import json

        out.write("[\n")
        for i, row in enumerate(itertools.chain([first], rows)):
            text = json.dumps(row, ensure_ascii=False, indent=2).replace("\n", "\n  ")
            out.write(f",\n  {text}" if i else f"  {text}")
        out.write("\n]\n")
    out.flush()


@ipam_app.command("check")
def ipam_check(
    vrf: VrfOpt = None,
    strict: Annotated[bool, typer.Option("--strict", help="Warnings fail too.")] = False,
    fmt: FormatOpt = Fmt.table,
) -> None:
    """Prove the address space sound: overlaps, strays, aggregation, orphans; exit 1 if not.

    Example: govops ipam check
    """
    from ipam import views

    with clikit.progress("check") as bar:
        problems = views.check(clikit.store(), vrf, bar)
    if fmt is Fmt.table:
        if problems:
            clikit.emit_rows(problems, fmt)
    else:
        clikit.emit_data(problems, fmt)
    tally = views.tally(problems, strict)
    failing = " (warnings fail under --strict)" if strict and tally.warnings else ""
    clikit.say(f"ipam check: {tally.errors} errors, {tally.warnings} warnings{failing}")
    if tally.failed:
        raise typer.Exit(1)


class ExportFmt(StrEnum):
    json = "json"
    yaml = "yaml"
    csv = "csv"
    xlsx = "xlsx"
    netbox_csv = "netbox-csv"


class ImportFmt(StrEnum):
    json = "json"
    yaml = "yaml"
    csv = "csv"
    xlsx = "xlsx"


class NetboxWhat(StrEnum):
    prefixes = "prefixes"
    addresses = "addresses"


@ipam_app.command("export")
def ipam_export(
    fmt: Annotated[
        ExportFmt,
        typer.Option("--format", "-f", help="json, yaml, csv, xlsx (the ledger) or netbox-csv."),
    ] = ExportFmt.json,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write [default: stdout].")
    ] = None,
    vrf: Annotated[str | None, typer.Option("--vrf", help="Only this VRF [default: all].")] = None,
    what: Annotated[
        NetboxWhat, typer.Option("--what", help="netbox-csv: prefixes or addresses.")
    ] = NetboxWhat.prefixes,
) -> None:
    """Write every prefix and address (json by default) for backup or another tool.

    Example: govops ipam export --format xlsx -o ipam-ledger.xlsx
    """
    import sys

    from infra import files
    from ipam import ledger, transfer

    if fmt is ExportFmt.xlsx:
        if output is None:
            raise typer.BadParameter("a workbook needs a file: give -o FILE.xlsx", param_hint="-o")
        counts = ledger.write_xlsx(clikit.store(), output, vrf)
        clikit.say(
            f"wrote {counts['prefixes']} prefixes and {counts['addresses']} addresses to {output}"
        )
        return
    if fmt is ExportFmt.netbox_csv:
        text = ledger.netbox_csv(clikit.store(), what.value, vrf)
        _write_out(text, output)
        if output is not None:
            clikit.say(f"wrote NetBox {what.value} to {output}")
        return
    with clikit.progress("export") as bar:
        if output is None:
            transfer.write(clikit.store(), sys.stdout, fmt.value, vrf, bar)
            return
        with files.written(output) as out:
            counts = transfer.write(clikit.store(), out, fmt.value, vrf, bar)
    clikit.say(
        f"wrote {counts['prefixes']} prefixes and {counts['addresses']} addresses to {output}"
    )


def _write_out(text: str, output: Path | None) -> None:
    if output is None:
        typer.echo(text, nl=False)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:  # a directory, a full disk, no permission
        from infra.errors import InvalidInput

        raise InvalidInput(f"{output}: cannot be written ({exc.strerror or exc})") from None


@ipam_app.command("import")
def ipam_import(
    file: Annotated[
        Path,
        typer.Argument(
            parser=inputs.file_name,
            help="A file written by `govops ipam export`, or a ledger .xlsx.",
        ),
    ],
    fmt: Annotated[
        ImportFmt | None,
        typer.Option("--format", "-f", help="json, yaml, csv or xlsx [default: by suffix]."),
    ] = None,
) -> None:
    """Read an export or an xlsx ledger back; a file with any bad row writes nothing.

    Example: govops ipam import ipam.json
    """
    from ipam import transfer

    with _FlagHints(format="or --format"), clikit.progress("import") as bar:
        counts = transfer.import_file(clikit.store(), file, fmt.value if fmt else None, bar)
    clikit.say(
        f"imported {file}: {counts['prefixes']} prefixes, {counts['addresses']} addresses,"
        f" {counts['vrfs']} VRFs added; {counts['unchanged']} unchanged"
    )


@ipam_app.command("plan")
def ipam_plan(
    plan_file: Annotated[
        Path,
        typer.Argument(parser=inputs.file_name, help="Plan YAML (see README: Plan a whole city)."),
    ],
    apply: Annotated[
        bool, typer.Option("--apply", help="Commit the plan (one transaction, all or nothing).")
    ] = False,
    fmt: FormatOpt = Fmt.table,
) -> None:
    """Lay out a whole city (IPv4 and nibble-aligned IPv6); a dry run unless --apply.

    Example: govops ipam plan ipam/data/heyuan-plan.yaml --apply
    """
    from ipam import plan

    spec = plan.load_spec(plan_file)
    with clikit.progress("plan") as bar:
        result = plan.run(clikit.store(), spec, apply=apply, progress=bar)
    if fmt is not Fmt.table:
        clikit.emit_data({**result.summary(), "prefixes": result.prefixes}, fmt)
    else:
        for fit in result.fits:
            if fit["family"] == 4:
                clikit.say(
                    f"IPv4 pool {fit['pool']}: fits (the plan needs a {fit['needs']} with its headroom)"
                )
            else:
                clikit.say(
                    f"IPv6 pool {fit['pool']}: levels {' '.join(fit['levels'])}, sites {fit['site']},"
                    f" {fit['spare_bits']} spare bits"
                )
        clikit.emit_rows(result.tiers, fmt, title="per tier")
        typer.echo("")
        clikit.emit_rows(
            result.headroom,
            fmt,
            ["family", "tier", "headroom", "needs", "without"]
            + ["needs_addresses", "without_addresses"],
            title="what each tier's headroom costs (the pool needed with it and without it)",
        )
        changes = result.changes
        if changes:
            typer.echo("")
            shown = changes[:40]
            clikit.emit_rows(
                shown,
                fmt,
                ["prefix", "org_path", "purpose", "status"],
                title=f"{len(changes)} new prefixes",
            )
            if len(changes) > len(shown):
                typer.echo(f"… and {len(changes) - len(shown)} more (--format json lists all)")
    verb = "applied" if result.applied else "dry run (nothing written; --apply commits)"
    clikit.say(
        f"plan {verb}: {len(result.changes)} new prefixes, {len(result.prefixes) - len(result.changes)} kept, {len(result.pairs)} dual-stack pairs"
    )


@ipam_app.command("coverage")
def ipam_coverage(
    org: Annotated[
        str | None,
        typer.Option("--org", help="Only this unit's subtree.", callback=_unit_refs),
    ] = None,
    depth: Annotated[
        int, typer.Option("--depth", "-d", min=1, max=2, help="1: per county; 2: per town too.")
    ] = 1,
    vrf: VrfOpt = None,
    fmt: FormatOpt = Fmt.table,
) -> None:
    """Four-tier coverage: villages with an IPv4 block, an IPv6 block, and both.

    Example: govops ipam coverage --depth 2
    """
    from ipam import views

    rows = views.coverage(clikit.store(), org, depth, vrf)
    cols = None
    if fmt is Fmt.table:
        cols = ["code", "name", "villages", "ipv4", "ipv6", "both", "both_percent"]
    clikit.emit_rows(rows, fmt, cols)


@ipam_app.command("pairs")
def ipam_pairs(
    org: Annotated[
        str | None,
        typer.Option("--org", help="Only this unit's subtree.", callback=_unit_refs),
    ] = None,
    vrf: VrfOpt = None,
    fmt: FormatOpt = Fmt.table,
) -> None:
    """Dual-stack pairs: each IPv4 purpose subnet beside its IPv6 /64.

    Example: govops ipam pairs --org 上城街道
    """
    from ipam import plan

    clikit.emit_rows(plan.pairs(clikit.store(), org, vrf), fmt)
