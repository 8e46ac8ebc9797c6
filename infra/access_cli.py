"""`govops access …`: who may change what on the shared PostgreSQL database."""

from enum import StrEnum
from typing import Annotated

import typer

from infra import clikit
from infra.clikit import Fmt, FormatOpt

access_app = typer.Typer(
    help="Scoped access on PostgreSQL: logins granted viewer, operator or admin on an org"
    " unit's subtree, enforced by the database itself (on SQLite the file's permissions"
    " are the boundary).",
    no_args_is_help=True,
)


class Role(StrEnum):
    viewer = "viewer"
    operator = "operator"
    admin = "admin"


LoginArg = Annotated[
    str, typer.Argument(help="A PostgreSQL login role the database administrator created.")
]


@access_app.command("init")
def access_init(fmt: FormatOpt = Fmt.table) -> None:
    """Create the group roles, privileges, policies and guards; a second run changes nothing.

    Example: govops access init

    Run it as the owner of the tables, with CREATEROLE, or as a superuser.
    """
    from infra import access

    result = access.init(clikit.store())
    counts = ", ".join(
        f"{len(result.get(kind, []))} {kind}"
        for kind in ("scoped", "root-only", "append-only", "read-only")
    )
    created = ", ".join(result["roles_created"]) or "none (they exist)"
    clikit.done(
        f"access ready in schema {result['schema']}, owner {result['owner']}: tables {counts};"
        f" group roles created: {created}",
        result,
        fmt,
    )


@access_app.command("grant")
def access_grant(
    login: LoginArg,
    unit: Annotated[str, typer.Option("--unit", "-u", help="Division code, path or unique name.")],
    role: Annotated[Role, typer.Option("--role", "-r", help="viewer, operator or admin.")],
    fmt: FormatOpt = Fmt.table,
) -> None:
    """Grant a login a role on a unit and everything below it (replaces its role there).

    Example: govops access grant li_wei --unit 441602 --role operator
    """
    from infra import access
    from infra.org import units

    record = access.grant(clikit.store(), login, unit, role.value, units.resolve)
    verb = "granted" if record["changed"] else "already granted"
    clikit.done(f"{verb} {login} {record['role']} on {record['path']}", record, fmt)


@access_app.command("revoke")
def access_revoke(
    login: LoginArg,
    unit: Annotated[
        str | None,
        typer.Option("--unit", "-u", help="Only the grant on this unit [default: all]."),
    ] = None,
    fmt: FormatOpt = Fmt.table,
) -> None:
    """Remove a login's grants (all, or on one unit).

    Example: govops access revoke li_wei --unit 441602
    """
    from infra import access
    from infra.org import units

    gone = access.revoke(clikit.store(), login, unit, units.resolve)
    if fmt is Fmt.table:
        for r in gone:
            clikit.say(f"revoked {login} {r['role']} on {r['path']}")
    else:
        clikit.emit_rows(gone, fmt)


@access_app.command("list")
def access_list(
    login: Annotated[str | None, typer.Option("--login", help="Only this login's grants.")] = None,
    fmt: FormatOpt = Fmt.table,
) -> None:
    """The grants: login, role, and the unit's code, name and path.

    Example: govops access list --login li_wei -f json
    """
    from infra import access

    rows = access.listing(clikit.store(), login)
    clikit.emit_rows(
        rows,
        fmt,
        ["login", "role", "unit", "name", "path", "granted_at", "granted_by"],
        "access grants",
    )
