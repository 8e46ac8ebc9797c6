"""`govops report …`: the work report's figures and the HTML report. Parse, make one
library call, render."""

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from infra import clikit, inputs
from infra.clikit import Fmt

report_app = typer.Typer(
    help="What the bureau hands on: the work report's figures, the HTML report.",
    no_args_is_help=True,
)


class Lang(StrEnum):
    zh = "zh"
    en = "en"


class ReportFmt(StrEnum):
    md = "md"
    json = "json"
    table = "table"


@report_app.command("indicators")
def report_indicators(
    since: clikit.SinceOpt = None,
    until: clikit.UntilOpt = None,
    lang: Annotated[Lang, typer.Option("--lang", help="Language of lines and definitions.")] = (
        Lang.en
    ),
    fmt: Annotated[
        ReportFmt,
        typer.Option(
            "--format", "-f", help="md (the report's lines and definitions), json, table."
        ),
    ] = ReportFmt.md,
) -> None:
    """Every key figure of the work report for a period, each with its definition.

    Example: govops report indicators --since 2026-01-01 --until 2026-12-31 --lang zh
    """
    from infra.report import indicators

    got = indicators.compute(clikit.store(), since, until, lang.value)
    if fmt is ReportFmt.json:
        clikit.emit_data(got, Fmt.json)
    elif fmt is ReportFmt.table:
        typer.echo(clikit.format_table(got["figures"], ["key", "value", "unit", "line"]))
    else:
        typer.echo(_markdown(got, lang))


def _markdown(got: dict[str, Any], lang: Lang) -> str:
    zh = lang is Lang.zh
    since = got["since"] or ("有记录以来" if zh else "the first record")
    title = "工作报告指标" if zh else "Work report figures"
    head = ("指标", "数值", "单位", "定义") if zh else ("Figure", "Value", "Unit", "Definition")
    out = [f"# {title} ({since} – {got['until']})", ""]
    out.extend(f"- {s}" for s in got["sentences"])
    out += ["", "| " + " | ".join(head) + " |", "|---|---:|---|---|"]
    for f in got["figures"]:
        value = "-" if f["value"] is None else f["value"]
        cells = [f"`{f['key']}`", str(value), f["unit"], f["definition"].replace("|", "\\|")]
        out.append("| " + " | ".join(cells) + " |")
    return "\n".join(out)


@report_app.command("html")
def report_html(
    out: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            parser=inputs.file_name,
            metavar="<path>",
            help="The HTML file to write.",
        ),
    ],
    since: clikit.SinceOpt = None,
    until: clikit.UntilOpt = None,
    lang: Annotated[Lang, typer.Option("--lang", help="Language of the report.")] = Lang.zh,
) -> None:
    """One self-contained HTML file: the figures and their charts, readable offline.

    Example: govops report html -o report.html --lang zh
    """
    import importlib

    # Written beside this module by the HTML report; looked up when the command runs.
    html = importlib.import_module("infra.report.html")
    path = html.write(clikit.store(), out, since, until, lang.value)
    clikit.say(f"wrote {path}")
