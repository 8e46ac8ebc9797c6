"""govops: the command line for a city's e-government infrastructure.

This module only mounts each package's sub-app and handles the global options;
the work is done in `ipam/` and `infra/`.
"""

import sys
from typing import Annotated, Any, NoReturn

import typer
import typer.main
from typer.core import TyperGroup
from typer.exceptions import TyperException

from infra import clikit
from infra.errors import GovopsError, one_line

__version__ = "0.1.0"
PIPE_CLOSED = 1  # as Click exits when the reader of its help goes away


# Sub-apps are built only when invoked: every command is a process, and building
# the whole command tree on each start costs more than the lookup itself.
SUBAPPS: dict[str, tuple[str, str]] = {
    "org": ("infra.org.cli", "org_app"),
    "dept": ("infra.org.cli", "dept_app"),
    "ipam": ("ipam.cli", "ipam_app"),
    "cloud": ("infra.cloud.cli", "cloud_app"),
    "xc": ("infra.xc.cli", "xc_app"),
    "host": ("inventory.cli", "host_app"),
    "inventory": ("inventory.cli", "inventory_app"),
    "provision": ("inventory.cli", "provision_app"),
    "drill": ("infra.drill.cli", "drill_app"),
    "audit": ("infra.cli", "audit_app"),
    "db": ("infra.db_cli", "db_app"),
    "access": ("infra.access_cli", "access_app"),
    "demo": ("infra.cli", "demo_app"),
    "report": ("infra.report.cli", "report_app"),
}


class _Root(TyperGroup):
    """Mounts sub-apps lazily; turns a refused operation into one line and exit 1."""

    def list_commands(self, ctx: Any) -> list[str]:
        return sorted({*super().list_commands(ctx), *SUBAPPS})

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name not in self.commands and cmd_name in SUBAPPS:
            import importlib

            module, attr = SUBAPPS[cmd_name]
            sub = getattr(importlib.import_module(module), attr)
            # A sub-app of one command is that command (`govops demo`), unless it is a
            # group by declaration (no_args_is_help), waiting for more commands.
            single = len(sub.registered_commands) == 1 and not sub.registered_groups
            if single and not sub.info.no_args_is_help:
                command = typer.main.get_command(sub)
                command.name = cmd_name
            else:
                command = clikit.lazy_group(sub, cmd_name)
            self.commands[cmd_name] = command
        return super().get_command(ctx, cmd_name)

    def main(self, *args: Any, **kwargs: Any) -> Any:
        """A usage error is one line too (`govops: …`, exit 2), not a boxed block."""
        standalone = kwargs.pop("standalone_mode", True)
        kwargs["standalone_mode"] = False
        try:
            rv = super().main(*args, **kwargs)
        except typer.Abort:
            if not standalone:
                raise
            typer.echo("govops: aborted", err=True)
            sys.exit(1)
        except TyperException as exc:  # Typer's own Click: usage errors, bad parameters
            if not standalone:
                raise
            show = getattr(exc, "show", None)
            if type(exc).__name__ == "NoArgsIsHelpError" and callable(show):
                show()  # a bare group: its help, as asked
            else:
                typer.echo(f"govops: {one_line(_usage_line(exc))}", err=True)
            sys.exit(int(getattr(exc, "exit_code", 2)))
        if not standalone:
            return rv
        sys.exit(rv if isinstance(rv, int) else 0)

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except (TyperException, typer.Exit, typer.Abort):
            raise
        except BrokenPipeError:
            _pipe_closed()
        except GovopsError as exc:
            if clikit.STATE["debug"]:
                raise
            typer.echo(f"govops: {one_line(str(exc))}", err=True)
            raise typer.Exit(1) from None
        except Exception as exc:
            if clikit.STATE["debug"]:
                raise
            first = one_line(str(exc).splitlines()[0]) if str(exc) else ""
            typer.echo(
                f"govops: internal error: {type(exc).__name__}: {first} (rerun with --debug)",
                err=True,
            )
            raise typer.Exit(1) from None
        finally:
            clikit.close_store()


def _pipe_closed() -> NoReturn:
    """The reader of our output went away (`govops org list | head`): stop quietly, no
    "internal error", with the status Click gives the same case for help. Output still
    buffered goes nowhere instead of failing again at exit."""
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
    sys.exit(PIPE_CLOSED)


def _usage_line(exc: TyperException) -> str:
    format_message = getattr(exc, "format_message", None)
    text = format_message() if callable(format_message) else str(exc)
    message = " ".join(str(text).split())
    ctx = getattr(exc, "ctx", None)
    path = getattr(ctx, "command_path", None)
    return f"{message} (see '{path} --help')" if path else message


app = typer.Typer(
    cls=_Root,
    help="govops: the four-tier org tree (optionally under a province) and its departments, IPAM and address plans of a city's e-government extranet, the government cloud node (nodes, quotas, systems, VMs), the Xinchuang (信创) ledger of domestic terminals, servers and application systems, with a verifiable audit trail.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    pretty_exceptions_show_locals=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"govops {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            envvar="GOVOPS_DB",
            help="SQLite file or postgresql:// URL (default: $XDG_DATA_HOME/govops/govops.db).",
            show_envvar=True,
        ),
    ] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks.")] = False,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    clikit.close_store()
    clikit.STATE.update(db=db, debug=debug)


def main() -> None:
    try:
        app(prog_name="govops")
    except BrokenPipeError:  # while printing help or a usage line
        _pipe_closed()


if __name__ == "__main__":
    main()
