"""`govops db …`: the database itself (what it holds; backup, restore, copy)."""

from enum import StrEnum
from typing import Annotated, Any

import typer

from infra import clikit
from infra.clikit import Fmt, FormatOpt

db_app = typer.Typer(
    help="The database itself: what it holds; backup, restore, copy.", no_args_is_help=True
)


class BackupFormat(StrEnum):
    sqlite = "sqlite"
    dump = "dump"


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


@db_app.command("backup")
def db_backup(
    file: Annotated[str, typer.Argument(help="The backup file to write (replaced whole).")],
    kind: Annotated[
        BackupFormat | None,
        typer.Option(
            "--as",
            help="sqlite: a SQLite database file; dump: a govops dump (gzip'd JSON lines)"
            " [default: sqlite on SQLite, dump on PostgreSQL].",
        ),
    ] = None,
    fmt: FormatOpt = Fmt.table,
) -> None:
    """Write the whole database to FILE, consistent while others write.

    Example: govops db backup /srv/backup/govops-2026-11-27.db

    On SQLite, SQLite's online backup API copies the database at one moment; on
    PostgreSQL (or with --as dump) every table is read in one snapshot into a govops
    dump. The file appears whole or not at all, readable by its owner alone.
    """
    from infra import backup

    found = backup.backup(clikit.store(), file, kind.value if kind else None)
    rows = sum(found["tables"].values())
    clikit.done(
        f"backed up {found['source']} to {found['file']} ({found['format']}, schema"
        f" {found['schema_version']}, {rows} rows in {len(found['tables'])} tables,"
        f" audit head {found['audit_head']})",
        found,
        fmt,
    )


ForceOpt = Annotated[
    bool,
    typer.Option("--force", help="Replace everything the target holds (else it must be empty)."),
]


def _report(found: dict[str, Any], verb: str, fmt: Fmt) -> None:
    if fmt is not Fmt.table:
        clikit.emit_data(found, fmt)
        return
    typer.echo(
        clikit.format_table(found["tables"], ["table", "rows", "how", "digest", "check"], "tables")
    )
    audit = found["audit"]
    typer.echo(f"audit verify: ok ({audit['rows']} rows, head {audit['head']})")
    clikit.say(
        f"{verb} {found['rows']} rows in {len(found['tables'])} tables from {found['source']}"
        f" into {found['target']} (schema {found['schema_version']}); every table's rows"
        f" and digest equal; audit head {found['audit_head']}"
    )


@db_app.command("restore")
def db_restore(
    file: Annotated[str, typer.Argument(help="A backup: a SQLite file or a govops dump.")],
    force: ForceOpt = False,
    fmt: FormatOpt = Fmt.table,
) -> None:
    """Load a backup into the database (--db / GOVOPS_DB), all of it or nothing.

    Example: govops db restore /srv/backup/govops-2026-11-27.db --force

    The database must be empty unless --force, which replaces what it holds in the
    same transaction. A backup of an older schema is migrated forward first; one of
    a newer schema is refused. Every table is checked against the backup (rows and
    digest) and the audit chain walked (with the audit key when one is set) before the
    transaction commits.
    """
    from infra import backup

    _report(backup.restore(clikit.store(), file, force), "restored", fmt)


@db_app.command("copy")
def db_copy(
    src: Annotated[str, typer.Argument(help="The database to copy: a SQLite file or URL.")],
    dst: Annotated[str, typer.Argument(help="The database to fill: a SQLite file or URL.")],
    force: ForceOpt = False,
    fmt: FormatOpt = Fmt.table,
) -> None:
    """Copy every table of SRC into DST (SQLite to PostgreSQL and back), then check.

    Example: govops db copy ~/.local/share/govops/govops.db postgresql://govops@db.example/govops

    SRC is read in one snapshot, DST written in one transaction; every table's rows
    and content digest are compared, and DST's audit chain is walked (with the audit
    key when one is set), before it commits. DST must be empty unless --force. Exit 1,
    nothing copied, if a check fails.
    """
    from infra import backup

    _report(backup.copy(src, dst, force), "copied", fmt)
