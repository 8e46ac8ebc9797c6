"""`govops audit …`: read and verify the change log."""

from typing import Annotated

import typer

from infra import clikit
from infra.clikit import Fmt, FormatOpt

audit_app = typer.Typer(
    help="The hash-chained record of every change (等保三级 audit).", no_args_is_help=True
)


@audit_app.command("list")
def audit_list(
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="How many rows.")] = 50,
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
    clikit.emit_rows(
        rows, fmt, ["id", "ts", "actor", "action", "object_ref"] if fmt is Fmt.table else None
    )


@audit_app.command("verify")
def audit_verify(fmt: FormatOpt = Fmt.table) -> None:
    """Check the hash chain; exit 1 naming the first row that was edited or removed.

    Example: govops audit verify
    """
    from infra import audit

    verdict = audit.verify(clikit.store())
    if fmt is not Fmt.table:
        clikit.emit_data(verdict.as_dict(), fmt)
    if not verdict.ok:
        clikit.say(f"audit chain broken at row {verdict.bad_id}: {verdict.reason}")
        raise typer.Exit(1)
    if fmt is Fmt.table:
        clikit.say(f"audit chain intact: {verdict.rows} rows")


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
    """Build a demo database from the bundled sample city and show it.

    Example: govops demo
    """
    from infra import demo as demo_lib
    from ipam.cli import print_tree

    path = db or demo_lib.default_path()
    if not keep:
        demo_lib.reset(path)
    clikit.STATE["db"] = path
    report = demo_lib.build(clikit.store())
    clikit.say(f"demo database: {path}  (explore it with: export GOVOPS_DB={path})")
    print_tree(report["tree"])
    clikit.say(report["summary"])
