"""`govops drill …`: the attack-defence drill (攻防演练) from the terminal: the
checklist, runs, results, reports, diffs, the red team's findings and emergency
blocks. Parse, make one library call, render."""

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from infra import clikit, inputs
from infra.clikit import Fmt, FormatOpt

drill_app = typer.Typer(
    help="The attack-defence drill (攻防演练): checklist runs over every host, reports, diffs, findings, emergency blocks.",
    no_args_is_help=True,
)
finding_app = typer.Typer(
    help="What the red team found during a drill, tracked to closure.", no_args_is_help=True
)
drill_app.add_typer(finding_app, name="finding")

RunArg = Annotated[str, typer.Argument(help="A drill run's id or name.")]
LimitOpt = Annotated[
    str | None,
    typer.Option("--limit", "-l", help="Only these hosts: a group, host or Ansible pattern."),
]
KeyOpt = Annotated[
    Path | None,
    typer.Option(
        "--private-key",
        parser=inputs.file_name,
        metavar="<path>",
        help="SSH private key file for the hosts.",
    ),
]
KnownOpt = Annotated[
    Path | None,
    typer.Option(
        "--known-hosts",
        parser=inputs.file_name,
        metavar="<path>",
        help="known_hosts file [default: ~/.ssh/known_hosts].",
    ),
]
TrustOpt = Annotated[
    bool,
    typer.Option("--trust-new", help="Accept and record the key of a host never seen before."),
]


AskPassOpt = Annotated[
    bool, typer.Option("--ask-pass", help="Prompt for the hosts' SSH password (never stored).")
]
AskPassphraseOpt = Annotated[
    bool,
    typer.Option(
        "--ask-passphrase", help="Prompt for the private key's passphrase (never stored)."
    ),
]


class ReportFmt(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    md = "md"


class By(StrEnum):
    host = "host"
    check = "check"
    dept = "dept"


class FailOn(StrEnum):
    never = "never"
    fail = "fail"


def _progress(title: str) -> Any:
    return clikit.AnsibleProgress(title)


@drill_app.command("checks")
def drill_checks(fmt: FormatOpt = Fmt.table) -> None:
    """List the checklist: id, title, GB/T 22239-2019 clause, severity, OS families.

    Example: govops drill checks --format csv
    """
    from infra.drill import catalogue

    rows = [c.record() for c in catalogue.load()]
    clikit.emit_rows(rows, fmt, ["id", "title", "mlps_ref", "severity", "os_families"])


@drill_app.command("run")
def drill_run(
    name: Annotated[str, typer.Option("--name", "-n", help="The run's name, e.g. 2026-pre-drill.")],
    limit: LimitOpt = None,
    checks: Annotated[
        str | None, typer.Option("--checks", help="Only these check ids, comma-separated.")
    ] = None,
    check: Annotated[
        bool, typer.Option("--check", help="Ansible check mode (the probes still run).")
    ] = False,
    private_key: KeyOpt = None,
    known_hosts: KnownOpt = None,
    trust_new: TrustOpt = False,
    ask_pass: AskPassOpt = False,
    ask_passphrase: AskPassphraseOpt = False,
    forks: Annotated[
        int | None, typer.Option("--forks", help="Hosts worked on at once [default: sized].")
    ] = None,
    fail_on: Annotated[
        FailOn, typer.Option("--fail-on", help="'fail': exit 1 when any check failed.")
    ] = FailOn.never,
    fmt: FormatOpt = Fmt.table,
) -> None:
    """Run the checklist over every host (or a limit) and store each host's results.

    Example: govops drill run --name 2026-pre --limit dept_HY_GA --private-key ~/.ssh/ops
    """
    from infra.drill import runs

    password, passphrase = clikit.ansible_secret(ask_pass, ask_passphrase)
    request = runs.DrillRequest(
        name=name,
        limit=limit,
        checks=checks,
        check_mode=check,
        private_key=private_key,
        known_hosts=known_hosts,
        trust_new=trust_new,
        forks=forks,
        password=password,
        passphrase=passphrase,
    )
    with _progress("checks") as progress:
        out = runs.run(clikit.store(), request, on_progress=progress)
    if fmt is Fmt.table:
        counts = ", ".join(f"{k} {v}" for k, v in out["results"].items() if v)
        clikit.say(
            f"drill run {out['id']} {out['name']!r}: {out['hosts']} hosts"
            f" ({out['unreachable']} unreachable); {counts or 'no results'}"
        )
    else:
        clikit.emit_data(out, fmt)
    if fail_on is FailOn.fail and out["results"].get("fail"):
        raise typer.Exit(1)


@drill_app.command("list")
def drill_list(fmt: FormatOpt = Fmt.table) -> None:
    """List drill runs, newest first.

    Example: govops drill list
    """
    from infra.drill import runs

    rows = runs.list_runs(clikit.store())
    cols = ["id", "name", "status", "started_at", "hosts", "unreachable", "pass", "fail"]
    clikit.emit_rows(rows, fmt, cols if fmt is Fmt.table else None)


@drill_app.command("results")
def drill_results(run: RunArg, fmt: FormatOpt = Fmt.table) -> None:
    """Every host's result for every check of one run (unreachable hosts included).

    Example: govops drill results 2026-pre --format json
    """
    from infra.drill import report

    rows = report.results(clikit.store(), run)
    cols = ["host", "check", "severity", "status", "expected", "actual"]
    clikit.emit_rows(rows, fmt, cols if fmt is Fmt.table else None)


@drill_app.command("report")
def drill_report(
    run: Annotated[
        str | None, typer.Argument(help="A run's id or name [default: the latest completed].")
    ] = None,
    by: Annotated[By, typer.Option("--by", help="Main breakdown.")] = By.host,
    fmt: Annotated[
        ReportFmt, typer.Option("--format", "-f", help="table, json, csv (main rows) or md.")
    ] = ReportFmt.table,
) -> None:
    """Pass rates per department and per check, failing hosts with evidence, a weighted score, findings.

    Example: govops drill report 2026-pre --by dept --format md > report.md
    """
    from infra.drill import report

    rep = report.report(clikit.store(), run, by.value)
    if fmt is ReportFmt.md:
        typer.echo(report.to_markdown(rep))
    elif fmt is ReportFmt.json:
        clikit.emit_data(rep, Fmt.json)
    elif fmt is ReportFmt.csv:
        clikit.emit_data(rep["rows"], Fmt.csv)
    else:
        print_report(rep)


@drill_app.command("stats")
def drill_stats(
    since: clikit.SinceOpt = None,
    until: clikit.UntilOpt = None,
    fmt: FormatOpt = Fmt.table,
) -> None:
    """The report's figures for a period: drills held, hosts inspected, pass rate, findings.

    Example: govops drill stats --since 2026-01-01 --until 2026-12-31 --format json
    """
    from infra.drill import stats

    clikit.emit_record(stats.stats(clikit.store(), since, until), fmt)


def print_report(rep: dict[str, Any]) -> None:
    """A drill report for people: the header, the main breakdown, the failing results."""
    head, hosts, summary = rep["run"], rep["hosts"], rep["summary"]
    score = "-" if summary["score"] is None else f"{summary['score']:.1f}"
    rate = "-" if summary["rate"] is None else f"{summary['rate']:.1f}%"
    typer.echo(
        f"drill run {head['id']} {head['name']!r} ({head['status']}, {head['started_at']})\n"
        f"hosts {hosts['targeted']}, reachable {hosts['reachable']},"
        f" unreachable {hosts['unreachable']}, failing {hosts['failing']}\n"
        f"pass rate {rate}, weighted score {score}"
    )
    findings = rep["findings"]
    typer.echo(f"findings open {findings['open_total']}, closed {findings['closed_total']}\n")
    typer.echo(clikit.format_table(rep["rows"], _cols(rep["by"]), f"by {rep['by']}"))
    if rep["failing"]:
        typer.echo("")
        cols = ["host", "check", "severity", "actual", "evidence"]
        rows = [{c: _cell(r.get(c)) for c in cols} for r in rep["failing"]]
        typer.echo(clikit.format_table(rows, cols, "failing (whole text: --format json or md)"))


def _cell(value: object, width: int = 60) -> str:
    """A value as one short table cell: lines joined, long text cut."""
    text = " | ".join(str("" if value is None else value).split("\n"))
    return text if len(text) <= width else text[: width - 1] + "…"


def _cols(by: str) -> list[str]:
    first = {
        "host": ["host", "department"],
        "check": ["check", "severity"],
        "dept": ["department", "hosts"],
    }
    return [*first[by], "pass", "fail", "manual", "error", "n/a", "unreachable", "rate", "score"]


@drill_app.command("diff")
def drill_diff(a: RunArg, b: RunArg, fmt: FormatOpt = Fmt.table) -> None:
    """Compare two runs: fixed, newly failing, still failing, hosts added or gone.

    Example: govops drill diff 2026-pre 2026-post
    """
    from infra.drill import report

    out = report.diff(clikit.store(), a, b)
    if fmt is not Fmt.table:
        clikit.emit_data(out, fmt)
        return
    cols = ["host", "check", "severity", "a", "b", "evidence"]
    for key in ("fixed", "newly_failing", "still_failing", "unreachable", "unverified"):
        rows = out.get(key, [])
        typer.echo(f"{key.replace('_', ' ')}: {len(rows)}")
        if rows:
            cells = [{c: _cell(r.get(c)) for c in cols} for r in rows]
            typer.echo(clikit.format_table(cells, cols) + "\n")
    for key in ("hosts_added", "hosts_gone", "hosts_unreachable"):
        names = ", ".join(h["host"] for h in out.get(key, []))
        typer.echo(f"{key.replace('_', ' ')}: {names or '-'}")


@finding_app.command("add")
def finding_add(
    drill: Annotated[str, typer.Option("--drill", help="The run (id or name) it belongs to.")],
    title: Annotated[str, typer.Option("--title", "-t", help="What was found.")],
    severity: Annotated[
        str, typer.Option("--severity", "-s", help="critical, high, medium, low or info.")
    ],
    host: Annotated[str | None, typer.Option("--host", help="The host it was found on.")] = None,
    by: Annotated[str | None, typer.Option("--by", help="The red team that found it.")] = None,
    fmt: FormatOpt = Fmt.table,
) -> None:
    """Record a red-team finding against a drill.

    Example: govops drill finding add --drill 2026-pre --title "弱口令 on OA" --severity high --host oa-web-01 --by 红队A
    """
    from infra.drill import findings

    out = findings.add(clikit.store(), drill, title, severity, host, by)
    clikit.done(f"finding {out['id']} opened ({out['severity']})", out, fmt)


@finding_app.command("close")
def finding_close(
    finding_id: Annotated[str, typer.Argument(help="The finding's id.")],
    fix: Annotated[str, typer.Option("--fix", help="What was done about it.")],
    fmt: FormatOpt = Fmt.table,
) -> None:
    """Close a finding with what fixed it.

    Example: govops drill finding close 3 --fix "password changed, lockout enabled"
    """
    from infra.drill import findings

    out = findings.close(clikit.store(), finding_id, fix)
    clikit.done(f"finding {out['id']} closed", out, fmt)


@finding_app.command("list")
def finding_list(
    drill: Annotated[str | None, typer.Option("--drill", help="Only this run's.")] = None,
    status: Annotated[str | None, typer.Option("--status", help="open or closed.")] = None,
    fmt: FormatOpt = Fmt.table,
) -> None:
    """List findings, oldest first.

    Example: govops drill finding list --drill 2026-pre --status open
    """
    from infra.drill import findings

    rows = findings.list_findings(clikit.store(), drill, status)
    cols = ["id", "run", "severity", "status", "host", "title", "reported_by"]
    clikit.emit_rows(rows, fmt, cols if fmt is Fmt.table else None)


@drill_app.command("block")
def drill_block(
    addresses: Annotated[list[str], typer.Argument(help="Attacker addresses or networks.")],
    reason: Annotated[str, typer.Option("--reason", "-r", help="Why (recorded).")],
    undo: Annotated[bool, typer.Option("--undo", help="Lift the block instead.")] = False,
    limit: LimitOpt = None,
    check: Annotated[bool, typer.Option("--check", help="Show what would change.")] = False,
    private_key: KeyOpt = None,
    known_hosts: KnownOpt = None,
    trust_new: TrustOpt = False,
    ask_pass: AskPassOpt = False,
    ask_passphrase: AskPassphraseOpt = False,
    fmt: FormatOpt = Fmt.table,
) -> None:
    """Drop attacker addresses on every host (nftables, else iptables), in a table of govops' own.

    Example: govops drill block 203.0.113.7 198.51.100.0/24 --reason "红队扫描 finding 4"
    """
    from infra.drill import blocks

    password, passphrase = clikit.ansible_secret(ask_pass, ask_passphrase)
    with _progress("block") as progress:
        out = blocks.block(
            clikit.store(),
            addresses,
            reason,
            undo=undo,
            limit=limit,
            private_key=private_key,
            known_hosts=known_hosts,
            trust_new=trust_new,
            check_mode=check,
            on_progress=progress,
            password=password,
            passphrase=passphrase,
        )
    if fmt is Fmt.table:
        counts = ", ".join(f"{k} {v}" for k, v in sorted(out["outcomes"].items()))
        clikit.say(f"{out['action']} {out['id']} of {', '.join(out['addresses'])}: {counts}")
    else:
        clikit.emit_data(out, fmt)
    if out["outcomes"].get("failed") or out["outcomes"].get("unreachable"):
        raise typer.Exit(1)


@drill_app.command("blocks")
def drill_blocks(fmt: FormatOpt = Fmt.table) -> None:
    """List blocks and unblocks: who, when, why, and on how many hosts each took.

    Example: govops drill blocks --format json
    """
    from infra.drill import blocks

    rows = blocks.list_blocks(clikit.store())
    if fmt is Fmt.table:
        flat = [
            {**{k: r[k] for k in ("id", "action", "at", "actor", "reason")},
             "addresses": ", ".join(r["addresses"]),
             "hosts": ", ".join(f"{k} {v}" for k, v in sorted(r["outcomes"].items()))}
            for r in rows
        ]  # fmt: skip
        clikit.emit_rows(flat, fmt, ["id", "action", "addresses", "at", "actor", "hosts", "reason"])
    else:
        clikit.emit_data(rows, fmt)
