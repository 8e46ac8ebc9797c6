"""`govops org …` and `govops dept …`: parse, make one library call, render."""

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from infra import clikit, inputs
from infra.clikit import Fmt, FormatOpt, Level, LevelOpt

org_app = typer.Typer(
    help="The four-tier org hierarchy: city → county → town → village, optionally under a province.",
    no_args_is_help=True,
)
dept_app = typer.Typer(
    help="Departments (部门): the bureaus of the city and its counties that own systems and VMs.",
    no_args_is_help=True,
)


RefArg = Annotated[str, typer.Argument(help="Division code, path (河源市/源城区) or unique name.")]
_T = TypeVar("_T")
EncodingOpt = Annotated[
    str | None, typer.Option(help="File encoding; detected if omitted (UTF-8, BOM, GB18030).")
]


@org_app.command("import")
def org_import(
    file: Annotated[
        Path,
        typer.Argument(parser=inputs.file_name, help="CSV (code,name,level,parent_code) or .xlsx."),
    ],
    encoding: EncodingOpt = None,
    fmt: FormatOpt = Fmt.table,
) -> None:
    """Import a division tree (a province row optional); a file with any bad row writes nothing.

    Example: govops org import divisions.csv
    """
    from infra.org import importer

    result = _naming_encoding_option(lambda: importer.import_file(clikit.store(), file, encoding))
    for warning in result.warnings:
        clikit.say(f"govops: warning: {warning}")
    if fmt is Fmt.table:
        clikit.say(
            f"imported {file}: {result.added} added, {result.renamed} renamed,"
            f" {result.unchanged} unchanged"
        )
    else:
        clikit.emit_data(result.as_dict(), fmt)


def _naming_encoding_option(call: Callable[[], _T]) -> _T:
    """Run an import; a file whose encoding is unknown is told which option gives it."""
    from infra import tabular

    try:
        return call()
    except tabular.UndecodableText as exc:
        raise tabular.UndecodableText(f"{exc} with --encoding") from None


@org_app.command("add")
def org_add(
    name: Annotated[str, typer.Argument(help="Chinese name, e.g. 上城街道.")],
    level: Annotated[Level, typer.Option("--level", "-l", help="Tier of the new unit.")],
    parent: Annotated[
        str | None, typer.Option("--parent", "-p", help="Parent unit (code, path or name).")
    ] = None,
    code: Annotated[
        str | None, typer.Option("--code", "-c", help="12-digit statistical division code.")
    ] = None,
    fmt: FormatOpt = Fmt.table,
) -> None:
    """Add one org unit under its parent.

    Example: govops org add 新城村 --level village --parent 441602001000 --code 441602001999
    """
    from infra.org import units

    unit = units.add(clikit.store(), name, level.value, parent, code)
    if fmt is Fmt.table:
        clikit.say(f"added {unit.level} {unit.label()}")
    else:
        clikit.emit_data(unit.as_dict(), fmt)


@org_app.command("list")
def org_list(
    level: LevelOpt = None,
    under: Annotated[str | None, typer.Option("--under", help="Only this unit's subtree.")] = None,
    fmt: FormatOpt = Fmt.table,
) -> None:
    """List org units, tier by tier, in division-code order.

    Example: govops org list --level county
    """
    from infra.org import units

    rows = units.list_units(clikit.store(), level.value if level else None, under)
    clikit.emit_rows(rows, fmt, ["code", "name", "level", "path"] if fmt is Fmt.table else None)


@org_app.command("show")
def org_show(ref: RefArg, fmt: FormatOpt = Fmt.table) -> None:
    """Show one org unit and what lies under it.

    Example: govops org show 441602000000
    """
    from infra.org import units

    clikit.emit_record(units.show(clikit.store(), ref), fmt)


@org_app.command("tree")
def org_tree(
    ref: Annotated[
        str | None, typer.Argument(help="Root unit; every top unit (city or province) if omitted.")
    ] = None,
    depth: Annotated[
        int | None, typer.Option("--depth", "-d", min=0, help="Levels below the root to show.")
    ] = None,
    fmt: FormatOpt = Fmt.table,
) -> None:
    """Show the hierarchy as a tree (json: nested objects with `children`).

    Example: govops org tree 源城区 --depth 1
    """
    from infra.org import units

    roots = units.tree(clikit.store(), ref, depth)
    if fmt is Fmt.csv:
        clikit.emit_data(
            clikit.flatten_tree(roots), fmt, ["code", "name", "level", "depth", "path"]
        )
    elif fmt is not Fmt.table:
        clikit.emit_data(roots, fmt)
    else:
        print_tree(roots)


def print_tree(roots: list[dict[str, Any]], extra: Any = None) -> None:
    """Print nested nodes as a Rich tree; `extra(node)` may add text to a label."""
    if not roots:
        clikit.say("(no org units)")
        return
    if extra is None:
        text = plain_tree(roots)
        if text is not None:
            import sys

            sys.stdout.write(text)
            sys.stdout.flush()
            return
    from rich.markup import escape

    def label(n: dict[str, Any]) -> str:
        text = f"{escape(n['name'])} [dim]{n['code'] or ''} {n['level']}[/dim]"
        if extra is not None:
            text += extra(n)
        return text

    clikit.print_tree(roots, label)


_GUIDES = ("    ", "│   ", "├── ", "└── ")  # Rich's Tree: space, continue, fork, end


def plain_tree(roots: list[dict[str, Any]]) -> str | None:
    """The text `print_tree` writes through Rich, where it is plain text: stdout not a
    terminal (nor forced to act as one) and UTF-8, and every label printable, free of
    emoji codes and short enough that Rich cannot wrap it. None anywhere else.

    Importing Rich costs a fifth of an `org tree` of one city; a pipe or a file gets
    the same text without it.
    """
    import os
    import sys

    out = sys.stdout
    if os.name == "nt" or "FORCE_COLOR" in os.environ or "TTY_COMPATIBLE" in os.environ:
        return None
    try:
        if out.isatty() or not (out.encoding or "utf-8").lower().startswith("utf"):
            return None
    except (AttributeError, ValueError):
        return None
    width = _rich_width()
    if width is None:
        return None
    lines: list[str] = []
    # (node, the guides of the levels above, its own guide), depth first, in order.
    stack = [(root, "", "") for root in reversed(roots)]
    while stack:
        node, prefix, guide = stack.pop()
        label = f"{node['name']} {node['code'] or ''} {node['level']}"
        # At most two cells a character, as Rich counts them: what fits here fits there.
        cells = len(prefix) + len(guide) + len(label) + sum(not c.isascii() for c in label)
        if cells > width or ":" in label or not label.isprintable():
            return None
        lines.append(prefix + guide + label)
        kids = node["children"]
        below = prefix + (_GUIDES[0] if guide == _GUIDES[3] else _GUIDES[1] if guide else "")
        for i in reversed(range(len(kids))):
            stack.append((kids[i], below, _GUIDES[3] if i == len(kids) - 1 else _GUIDES[2]))
    return "\n".join(lines) + "\n"


def _rich_width() -> int | None:
    """The width Rich gives a console that is not a terminal: the first standard
    stream's terminal width, COLUMNS over it, else 80 (None when COLUMNS is odd)."""
    import os

    width = None
    for fd in (0, 1, 2):
        try:
            width = os.get_terminal_size(fd).columns
        except (AttributeError, ValueError, OSError):
            continue
        break
    columns = os.environ.get("COLUMNS")
    if columns is not None:
        if not columns.isdigit() or int(columns) < 8:
            return None
        width = int(columns)
    return width or 80


@org_app.command("remove")
def org_remove(ref: RefArg) -> None:
    """Remove an org unit that has no children and nothing assigned.

    Example: govops org remove 441602001999
    """
    from infra.org import units

    unit = units.remove(clikit.store(), ref)
    clikit.say(f"removed {unit.level} {unit.label()}")


# -- departments -------------------------------------------------------------

DeptArg = Annotated[str, typer.Argument(help="Department code or unique name.")]
_DEPT_COLUMNS = ["code", "name", "org_path"]


@dept_app.command("add")
def dept_add(
    name: Annotated[str, typer.Argument(help="Department name, e.g. 源城区财政局.")],
    code: Annotated[
        str | None, typer.Option("--code", "-c", help="Unique code, up to 32 characters.")
    ] = None,
    org: Annotated[
        str | None, typer.Option("--org", "-o", help="Org unit it belongs to (code, path or name).")
    ] = None,
    fmt: FormatOpt = Fmt.table,
) -> None:
    """Add a department, under the org unit it belongs to.

    Example: govops dept add 源城区财政局 --code YC-CZ --org 源城区
    """
    from infra.org import depts

    dept = depts.add(clikit.store(), name, code, org)
    if fmt is Fmt.table:
        clikit.say(f"added department {dept.label()}")
    else:
        clikit.emit_data(dept.as_dict(), fmt)


@dept_app.command("list")
def dept_list(
    org: Annotated[
        str | None, typer.Option("--org", "-o", help="Only the departments of this org unit.")
    ] = None,
    fmt: FormatOpt = Fmt.table,
) -> None:
    """List departments by org unit and code.

    Example: govops dept list --org 源城区
    """
    from infra.org import depts

    rows = depts.list_depts(clikit.store(), org)
    clikit.emit_rows(rows, fmt, _DEPT_COLUMNS if fmt is Fmt.table else None)


@dept_app.command("show")
def dept_show(ref: DeptArg, fmt: FormatOpt = Fmt.table) -> None:
    """Show one department, its org unit and what hangs on it.

    Example: govops dept show YC-CZ
    """
    from infra.org import depts

    clikit.emit_record(depts.show(clikit.store(), ref), fmt)


@dept_app.command("rename")
def dept_rename(
    ref: DeptArg,
    new_name: Annotated[str, typer.Argument(help="The new name.")],
    fmt: FormatOpt = Fmt.table,
) -> None:
    """Give a department a new name; its code and org unit stay.

    Example: govops dept rename YC-CZ 源城区财政局（国资办）
    """
    from infra.org import depts

    dept = depts.rename(clikit.store(), ref, new_name)
    if fmt is Fmt.table:
        clikit.say(f"renamed department to {dept.label()}")
    else:
        clikit.emit_data(dept.as_dict(), fmt)


@dept_app.command("move")
def dept_move(
    ref: DeptArg,
    org: Annotated[str, typer.Argument(help="The org unit it now belongs to.")],
    fmt: FormatOpt = Fmt.table,
) -> None:
    """Put a department under another org unit.

    Example: govops dept move YC-CZ 河源市
    """
    from infra.org import depts

    dept = depts.move(clikit.store(), ref, org)
    if fmt is Fmt.table:
        clikit.say(f"moved department {dept.label()}")
    else:
        clikit.emit_data(dept.as_dict(), fmt)


@dept_app.command("remove")
def dept_remove(ref: DeptArg) -> None:
    """Remove a department that nothing refers to.

    Example: govops dept remove YC-CZ
    """
    from infra.org import depts

    dept = depts.remove(clikit.store(), ref)
    clikit.say(f"removed department {dept.label()}")


@dept_app.command("import")
def dept_import(
    file: Annotated[
        Path, typer.Argument(parser=inputs.file_name, help="CSV (code,name,org_code) or .xlsx.")
    ],
    encoding: EncodingOpt = None,
    fmt: FormatOpt = Fmt.table,
) -> None:
    """Import departments; a file with any bad row writes nothing.

    Example: govops dept import departments.csv
    """
    from infra.org import depts

    result = _naming_encoding_option(lambda: depts.import_file(clikit.store(), file, encoding))
    if fmt is Fmt.table:
        clikit.say(
            f"imported {file}: {result.added} added, {result.renamed} renamed,"
            f" {result.unchanged} unchanged"
        )
    else:
        clikit.emit_data(result.as_dict(), fmt)
