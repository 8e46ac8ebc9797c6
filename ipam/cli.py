"""`govops org …` and `govops ipam …`: parse, make one library call, render."""

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from infra import clikit
from infra.clikit import Fmt, FormatOpt

org_app = typer.Typer(
    help="The four-tier org hierarchy: city → county → town → village.", no_args_is_help=True
)


class Level(StrEnum):
    city = "city"
    county = "county"
    town = "town"
    village = "village"


RefArg = Annotated[str, typer.Argument(help="Division code, path (河源市/源城区) or unique name.")]
LevelOpt = Annotated[Level | None, typer.Option("--level", "-l", help="Only units of this tier.")]


@org_app.command("import")
def org_import(
    file: Annotated[Path, typer.Argument(help="CSV (code,name,level,parent_code) or .xlsx.")],
    encoding: Annotated[
        str | None, typer.Option(help="File encoding; detected if omitted (UTF-8, BOM, GB18030).")
    ] = None,
    fmt: FormatOpt = Fmt.table,
) -> None:
    """Import a division tree; a file with any bad row writes nothing.

    Example: govops org import divisions.csv
    """
    from ipam import org_import

    result = org_import.import_file(clikit.store(), file, encoding)
    if fmt is Fmt.table:
        clikit.say(
            f"imported {file}: {result.added} added, {result.renamed} renamed,"
            f" {result.unchanged} unchanged"
        )
    else:
        clikit.emit_data(result.as_dict(), fmt)


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
    from ipam import org

    unit = org.add(clikit.store(), name, level.value, parent, code)
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
    from ipam import org

    rows = org.list_units(clikit.store(), level.value if level else None, under)
    clikit.emit_rows(rows, fmt, ["code", "name", "level", "path"] if fmt is Fmt.table else None)


@org_app.command("show")
def org_show(ref: RefArg, fmt: FormatOpt = Fmt.table) -> None:
    """Show one org unit and what lies under it.

    Example: govops org show 441602000000
    """
    from ipam import org

    clikit.emit_record(org.show(clikit.store(), ref), fmt)


@org_app.command("tree")
def org_tree(
    ref: Annotated[str | None, typer.Argument(help="Root unit; every city if omitted.")] = None,
    depth: Annotated[
        int | None, typer.Option("--depth", "-d", min=0, help="Levels below the root to show.")
    ] = None,
    fmt: FormatOpt = Fmt.table,
) -> None:
    """Show the hierarchy as a tree (json: nested objects with `children`).

    Example: govops org tree 源城区 --depth 1
    """
    from ipam import org

    roots = org.tree(clikit.store(), ref, depth)
    if fmt is Fmt.csv:
        clikit.emit_data(_flatten(roots), fmt, ["code", "name", "level", "depth", "path"])
    elif fmt is not Fmt.table:
        clikit.emit_data(roots, fmt)
    else:
        print_tree(roots)


def _flatten(nodes: list[dict[str, Any]], depth: int = 0) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for n in nodes:
        out.append({**{k: v for k, v in n.items() if k != "children"}, "depth": depth})
        out.extend(_flatten(n["children"], depth + 1))
    return out


def print_tree(roots: list[dict[str, Any]], extra: Any = None) -> None:
    """Print nested nodes as a Rich tree; `extra(node)` may add text to a label."""
    if not roots:
        clikit.say("(no org units)")
        return
    from rich.console import Console
    from rich.markup import escape
    from rich.tree import Tree

    def label(n: dict[str, Any]) -> str:
        text = f"{escape(n['name'])} [dim]{n['code'] or ''} {n['level']}[/dim]"
        if extra is not None:
            text += extra(n)
        return text

    console = Console()
    for root in roots:
        top = Tree(label(root))
        stack = [(top, root)]
        while stack:
            branch, node = stack.pop()
            for child in node["children"]:
                stack.append((branch.add(label(child)), child))
        console.print(top)


@org_app.command("remove")
def org_remove(ref: RefArg) -> None:
    """Remove an org unit that has no children and nothing assigned.

    Example: govops org remove 441602001999
    """
    from ipam import org

    unit = org.remove(clikit.store(), ref)
    clikit.say(f"removed {unit.level} {unit.label()}")
