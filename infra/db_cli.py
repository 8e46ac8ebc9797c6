"""`govops db …`: the database itself (what it holds)."""

import typer

from infra import clikit
from infra.clikit import Fmt, FormatOpt

db_app = typer.Typer(help="The database itself: what it holds.", no_args_is_help=True)


@db_app.command("info")
def db_info(fmt: FormatOpt = Fmt.table) -> None:
    """Backend, location, schema version, rows per table, the audit log's head digest.

    Example: govops db info
    """
    from infra import db

    found = db.info(clikit.store())
    if fmt is not Fmt.table:
        clikit.emit_data(found, fmt)
        return
    for key in ("backend", "location", "actor", "size_bytes", "audit_rows", "audit_head"):
        typer.echo(f"{key:<15} {found[key]}")
    version, latest = found["schema_version"], found["schema_latest"]
    typer.echo(f"{'schema':<15} {version} (this govops: {latest})")
    rows = [{"table": name, "rows": n} for name, n in found["rows"].items()]
    typer.echo(clikit.format_table(rows, ["table", "rows"], "rows per table"))
