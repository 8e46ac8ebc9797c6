"""`govops audit …`: read and verify the change log; `govops demo`."""

from pathlib import Path
from typing import Annotated

import typer

from infra import clikit
from infra.clikit import Fmt, FormatOpt

MAX_LIMIT = 1_000_000  # rows one listing prints; more is a dump, not a listing

audit_app = typer.Typer(
    help="The hash-chained record of every change (等保三级 audit).", no_args_is_help=True
)


@audit_app.command("list")
def audit_list(
    limit: Annotated[
        int, typer.Option("--limit", "-n", min=1, max=MAX_LIMIT, help="How many rows.")
    ] = 50,
    object_ref: Annotated[
        str | None, typer.Option("--object", help="Only this object (code, CIDR …).")
    ] = None,
    action: Annotated[
        str | None, typer.Option("--action", help="Only actions starting with this, e.g. org.")
    ] = None,
    fmt: FormatOpt = Fmt.table,
) -> None:
    """Show the newest changes first.

    Example: govops audit list --action org. -n 20
    """
    from infra import audit

    rows = audit.entries(clikit.store(), limit, object_ref, action)
    cols = ["id", "ts", "actor", "note", "action", "object_ref"]
    if any("flag" in r for r in rows):
        cols.append("flag")
    clikit.emit_rows(rows, fmt, cols if fmt is Fmt.table else None)


@audit_app.command("verify")
def audit_verify(
    expect_head: Annotated[
        str | None,
        typer.Option(
            "--expect-head",
            help="A head recorded earlier (ID:DIGEST as verify prints it, or the digest):"
            " proves no rows were cut off or rewritten since.",
        ),
    ] = None,
    anchor_file: Annotated[
        str | None,
        typer.Option(
            "--anchor",
            help="A file of anchors written by `audit anchor --to`: every line is checked.",
        ),
    ] = None,
    fmt: FormatOpt = Fmt.table,
) -> None:
    """Check the chain (with the audit key when one is set); exit 1 naming the first failure and its cause.

    Example: govops audit verify --anchor /var/lib/govops/anchors.jsonl
    """
    from infra import audit
    from infra.errors import InvalidInput

    try:
        head = audit.parse_head(expect_head) if expect_head is not None else None
    except InvalidInput as exc:
        raise typer.BadParameter(str(exc), param_hint="--expect-head") from None
    anchors = audit.read_anchors(anchor_file) if anchor_file is not None else None
    verdict = audit.verify(clikit.store(), head, anchors)
    if fmt is not Fmt.table:
        clikit.emit_data(verdict.as_dict(), fmt)
    if not verdict.ok:
        clikit.say(verdict.line())
        raise typer.Exit(1)
    if fmt is Fmt.table:
        clikit.say(verdict.line())


@audit_app.command("anchor")
def audit_anchor(
    to: Annotated[
        str | None,
        typer.Option(
            "--to", help="Append the anchor line to this file (kept off the database host)."
        ),
    ] = None,
    syslog: Annotated[
        bool, typer.Option("--syslog", help="Send the anchor line to the local syslog (auth.info).")
    ] = False,
    syslog_socket: Annotated[
        str | None,
        typer.Option("--syslog-socket", help="The syslog socket (default /dev/log)."),
    ] = None,
    fmt: FormatOpt = Fmt.table,
) -> None:
    """Verify the chain, then record its head (time, rows, last row id, digest, key id) outside the database.

    Example: govops audit anchor --to /var/lib/govops/anchors.jsonl --syslog
    """
    from infra import audit

    syslog = syslog or syslog_socket is not None
    if not to and not syslog:
        raise typer.BadParameter("say where: --to FILE and/or --syslog", param_hint="--to")
    record = audit.anchor(clikit.store(), to, syslog, syslog_socket)
    where = " and ".join(([to] if to else []) + (["syslog"] if syslog else []))
    clikit.done(
        f"anchored {record['rows']} rows, head {record['last_id']}:{record['head']}, to {where}",
        record,
        fmt,
    )


key_app = typer.Typer(
    help="The audit key: an HMAC key kept outside the database that chains the log.",
    no_args_is_help=True,
)
audit_app.add_typer(key_app, name="key")


@key_app.command("new")
def audit_key_new(
    path: Annotated[
        str, typer.Argument(help="The key file to create (mode 0600; never overwritten).")
    ],
) -> None:
    """Create a random audit key (32 bytes, hex) in a new file readable by its owner only.

    Example: govops audit key new /etc/govops/audit.key
    """
    import os

    from infra import audit

    key_id = audit.new_key(path)
    clikit.say(
        f"wrote a new audit key to {path} (key id {key_id}); keep a copy off this host"
        f" and set GOVOPS_AUDIT_KEY_FILE={os.path.abspath(path)}"
    )


@key_app.command("id")
def audit_key_id(
    all_keys: Annotated[
        bool,
        typer.Option("--all", help="Every key id in the key ring, oldest first, current last."),
    ] = False,
) -> None:
    """Print the public id of the current audit key set in the environment (never the key).

    Example: govops audit key id --all
    """
    from infra.config import audit_keyring

    ring = audit_keyring()
    if not ring:
        from infra.errors import GovopsError

        raise GovopsError("no audit key is set: GOVOPS_AUDIT_KEY_FILE or GOVOPS_AUDIT_KEY")
    for key in ring if all_keys else ring[-1:]:
        typer.echo(key.id)


@key_app.command("rotate")
def audit_key_rotate(
    new_file: Annotated[
        str, typer.Argument(help="A file holding the one new key (made by `audit key new`).")
    ],
    ring: Annotated[
        str | None,
        typer.Option(
            "--ring",
            help="Also write a new key ring file (0600) holding the current keys, then the new one.",
        ),
    ] = None,
) -> None:
    """Hand the audit chain over to a new key (a row keyed with the current key names it).

    Example: govops audit key rotate /etc/govops/audit-2027.key --ring /etc/govops/audit.ring
    """
    import os

    from infra import audit

    done = audit.rotate(clikit.store(), new_file, ring)
    old = done["from"] or "none (the chain was not keyed)"
    if ring:
        then = f"set GOVOPS_AUDIT_KEY_FILE={os.path.abspath(ring)} (old keys first, new last)"
    else:
        then = (
            f"append the key in {new_file} as the last line of the key file GOVOPS_AUDIT_KEY_FILE"
            " names (or point it at a key ring holding the old keys, then the new)"
        )
    clikit.say(f"audit chain handed over from key {old} to key {done['to']}; now {then}")


demo_app = typer.Typer()


@demo_app.command("demo")
def demo(
    db: Annotated[
        str | None,
        typer.Option(
            "--db", help="Database for the demo (default: $XDG_DATA_HOME/govops/demo.db)."
        ),
    ] = None,
    keep: Annotated[bool, typer.Option("--keep", help="Add to an existing demo database.")] = False,
) -> None:
    """Build a demo database from the bundled sample city, a small cloud and a Xinchuang ledger, and show them.

    Example: govops demo
    """
    from infra import demo as demo_lib
    from ipam.cli import print_prefix_tree

    path = db or demo_lib.default_path()
    if not keep:
        demo_lib.reset(path)
    clikit.STATE["db"] = path
    report = demo_lib.build(clikit.store())
    counts = report["counts"]
    plan = report["plan"]
    clikit.say(
        f"{report['city']}: {counts.get('county', 0)} counties, {counts.get('town', 0)} towns,"
        f" {counts.get('village', 0)} villages imported; plan applied: {plan['new']} prefixes,"
        f" {plan['pairs']} dual-stack pairs"
    )
    typer.echo(f"\n{report['county']}: its blocks and its towns' blocks")
    print_prefix_tree(report["county_tree"])
    typer.echo("")
    typer.echo(clikit.format_table(report["usage"], list(report["usage"][0]), "usage per tier"))
    typer.echo("")
    cols = ["code", "name", "villages", "ipv4", "ipv6", "both", "both_percent"]
    typer.echo(clikit.format_table(report["coverage"], cols, "four-tier coverage (villages)"))
    verdict = "passes" if not report["problems"] else f"FAILS: {len(report['problems'])} errors"
    clikit.say(f"\nipam check {verdict}")
    typer.echo("")
    vm_cols = ["name", "dept", "system", "status", "node", "cores", "ram_gb", "disk_gb", "address"]
    typer.echo(clikit.format_table(report["cloud_vms"], vm_cols, "cloud vm list"))
    typer.echo("")
    usage_cols = ["name", "arch", "vms"] + [
        f"{r}_{f}" for r in ("cores", "ram_gb", "disk_gb") for f in ("allocated", "free")
    ]
    typer.echo(clikit.format_table(report["cloud_usage"], usage_cols, "cloud usage"))
    typer.echo("\ncloud stats")
    clikit.emit_record(report["cloud_stats"], clikit.Fmt.table)
    typer.echo("")
    progress = report["xc_progress"]
    typer.echo(clikit.format_table(progress, list(progress[0]), "xc progress --by dept"))
    typer.echo("")
    budget_cols = ["phase", "budget", "committed", "spent", "remaining", "over_budget"]
    typer.echo(clikit.format_table(report["xc_budget"], budget_cols, "xc budget"))
    clikit.say("\ndrill: running the checklist against this machine (read-only) …")
    drilled = demo_lib.drill(clikit.store())
    if "drill_skipped" in drilled:
        clikit.say(f"drill skipped: {drilled['drill_skipped']}")
    else:
        from infra.drill.cli import print_report

        typer.echo("")
        print_report(drilled["drill_report"])
    from infra.config import locate
    from infra.report import html as report_html

    beside = locate(path)
    page = Path(beside.target).with_suffix(".html") if beside.dialect == "sqlite" else None
    written = report_html.write(clikit.store(), page or Path("govops-demo.html"))
    clikit.say(f"\nreport: {written}")
    clikit.say(
        f"\ndemo database: {path}\nexplore it: export GOVOPS_DB={path};"
        " govops ipam tree --org 上城街道; govops cloud vm show cz-app-01; govops xc progress;"
        " govops drill report --by dept"
    )
