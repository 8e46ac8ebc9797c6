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
            help="A head digest recorded earlier: proves no rows were cut off since.",
        ),
    ] = None,
    fmt: FormatOpt = Fmt.table,
) -> None:
    """Check the hash chain; exit 1 naming the first row that was edited or removed.

    Example: govops audit verify
    """
    from infra import audit

    verdict = audit.verify(clikit.store(), expect_head)
    if fmt is not Fmt.table:
        clikit.emit_data(verdict.as_dict(), fmt)
    if not verdict.ok:
        clikit.say(f"audit chain broken at row {verdict.bad_id}: {verdict.reason}")
        raise typer.Exit(1)
    if fmt is Fmt.table:
        clikit.say(f"audit chain intact: {verdict.rows} rows, head {verdict.head}")


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
