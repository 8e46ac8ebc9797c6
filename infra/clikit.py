"""What every govops sub-app shares: options declared once, the store, rendering.

Rendering is the CLI's job: tables (Rich, CJK-width aware) for people,
json/csv/yaml for scripts, on stdout; messages go to stderr. Rich and PyYAML
are imported only when a command renders with them.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import DEFAULT_MARKUP_MODE, TyperGroup
from typer.models import TyperInfo

if TYPE_CHECKING:
    from infra.ansible import Progress
    from infra.ssh import Secret


class Fmt(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    yaml = "yaml"


class Level(StrEnum):
    """The org tiers, as options name them (the org spine's LEVELS)."""

    province = "province"
    city = "city"
    county = "county"
    town = "town"
    village = "village"


LevelOpt = Annotated[Level | None, typer.Option("--level", "-l", help="Only units of this tier.")]

FormatOpt = Annotated[
    Fmt,
    typer.Option("--format", "-f", help="Output: table for people; json, csv, yaml for scripts."),
]

SinceOpt = Annotated[str | None, typer.Option("--since", help="First day, YYYY-MM-DD.")]
UntilOpt = Annotated[
    str | None, typer.Option("--until", help="Last day, YYYY-MM-DD [default: today].")
]


class ExportFormat(StrEnum):
    csv = "csv"
    xlsx = "xlsx"


OutputOpt = Annotated[
    str | None, typer.Option("--output", "-o", help="File to write [default: CSV on stdout].")
]
ExportFormatOpt = Annotated[
    ExportFormat | None,
    typer.Option("--format", help="csv or xlsx [default: from the file's suffix]."),
]

STATE: dict[str, Any] = {"db": None, "debug": False, "store": None}


def store() -> Any:
    """The Store for this invocation (opened once, closed when the command ends)."""
    if STATE["store"] is None:
        from infra.store import Store

        STATE["store"] = Store(STATE["db"])
    return STATE["store"]


def close_store() -> None:
    if STATE["store"] is not None:
        STATE["store"].close()
        STATE["store"] = None


def say(message: str) -> None:
    """A message for the person at the terminal: stderr, so stdout stays clean."""
    typer.echo(message, err=True)


def ansible_secret(ask_pass: bool, ask_passphrase: bool) -> tuple[Secret | None, Secret | None]:
    """The SSH password or key passphrase for an Ansible run (`--ask-pass`,
    `--ask-passphrase`), typed at a prompt straight into a Secret (never a plain local),
    before any progress display takes the terminal. One of the two: Ansible's ssh
    connection carries one secret."""
    import getpass

    from infra.ssh import Secret

    if ask_pass and ask_passphrase:
        raise typer.BadParameter(
            "--ask-pass or --ask-passphrase, not both: Ansible's ssh connection takes one secret"
        )
    password = Secret(getpass.getpass("SSH password: ")) if ask_pass else None
    passphrase = Secret(getpass.getpass("Key passphrase: ")) if ask_passphrase else None
    return password, passphrase


def done(message: str, record: dict[str, Any], fmt: Fmt) -> None:
    """A change made: one line for people (stderr), or the record as data for scripts."""
    if fmt is Fmt.table:
        say(message)
    else:
        emit_data(record, fmt)


def export_ledger(
    output: str | None,
    kind: ExportFormat | None,
    to_stdout: Callable[[Any], None],
    to_file: Callable[[str, str | None], int],
    noun: str,
) -> None:
    """A ledger export: CSV on stdout without a file (an .xlsx needs one), else the
    file in the format asked or its suffix says, and one line saying how many."""
    if output is None:
        if kind is ExportFormat.xlsx:
            raise typer.BadParameter("an .xlsx export needs a file: -o FILE", param_hint="--format")
        to_stdout(sys.stdout)
        return
    n = to_file(output, kind.value if kind else None)
    say(f"wrote {n} {noun} to {output}")


def _plain(value: Any) -> Any:
    if isinstance(value, dict | list):
        import json

        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return "" if value is None else value


def emit_rows(
    rows: Sequence[dict[str, Any]],
    fmt: Fmt,
    columns: Sequence[str] | None = None,
    title: str | None = None,
) -> None:
    """Render a listing: a table, or every field of every row for json/csv/yaml."""
    if fmt is not Fmt.table:
        emit_data(list(rows), fmt, columns)
        return
    cols = list(columns or (rows[0].keys() if rows else []))
    if not rows:
        say("(nothing to show)")
        return
    typer.echo(format_table(rows, cols, title))


def width(text: str) -> int:
    """Terminal cells `text` takes: CJK characters take two."""
    if text.isascii():
        return len(text)
    from unicodedata import combining, east_asian_width

    return sum(0 if combining(c) else 2 if east_asian_width(c) in ("W", "F") else 1 for c in text)


def format_table(
    rows: Sequence[dict[str, Any]], cols: Sequence[str], title: str | None = None
) -> str:
    """A plain aligned table (CJK-width aware). Rich is not imported on this path:
    it costs more start-up than the lookups it would print."""
    cells = [[str(_plain(r.get(c))) for c in cols] for r in rows]
    numeric = [
        all(isinstance(r.get(c), int | float) for r in rows if r.get(c) is not None) for c in cols
    ]
    widths = [max([width(c), *(width(row[i]) for row in cells)]) for i, c in enumerate(cols)]

    def line(values: Sequence[str]) -> str:
        parts = []
        for i, v in enumerate(values):
            pad = " " * (widths[i] - width(v))
            parts.append(pad + v if numeric[i] else v + pad)
        return "  ".join(parts).rstrip()

    out = [title] if title else []
    out.append(line(list(cols)))
    out.append("  ".join("─" * w for w in widths))
    out.extend(line(row) for row in cells)
    return "\n".join(out)


def emit_data(data: Any, fmt: Fmt, columns: Sequence[str] | None = None) -> None:
    """Render data for scripts; json is the documented, stable form."""
    out = sys.stdout
    if fmt is Fmt.json or fmt is Fmt.table:
        import json

        out.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    elif fmt is Fmt.yaml:
        import yaml

        out.write(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    elif fmt is Fmt.csv:
        import csv

        from infra.tabular import neutral

        rows = data if isinstance(data, list) else [data]
        cols = list(columns or _union_keys(rows))
        if not cols:
            return  # an empty listing: no rows and no fields to name
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(cols)
        for r in rows:
            # a name such as =HYPERLINK(…) must not run when the file opens in a spreadsheet
            writer.writerow([neutral(_plain(r.get(c))) for c in cols])
    out.flush()


def emit_record(record: dict[str, Any], fmt: Fmt) -> None:
    """Render one object: `key  value` lines for people, else as data."""
    if fmt is not Fmt.table:
        emit_data(record, fmt)
        return
    width = max((len(k) for k in record), default=0)
    lines = []
    for key, value in record.items():
        if isinstance(value, dict):
            value = ", ".join(f"{k} {v}" for k, v in value.items()) or "-"
        elif isinstance(value, list):
            value = ", ".join(map(str, value)) or "-"
        lines.append(f"{key.ljust(width)}  {'-' if value is None else value}")
    typer.echo("\n".join(lines))


def _union_keys(rows: Iterable[dict[str, Any]]) -> list[str]:
    seen: dict[str, None] = {}
    for r in rows:
        for k in r:
            seen.setdefault(k, None)
    return list(seen)


class LazyGroup(TyperGroup):
    """A command group that builds a sub-command only when it is invoked.

    Typer builds every command's parameters when the app starts; with dozens of
    commands that costs more than a lookup itself, and every command is a process.
    """

    def __init__(self, app: typer.Typer, **kwargs: Any):
        super().__init__(**kwargs)
        self._app = app

    def _entries(self) -> dict[str, Any]:
        import typer.main as tm

        entries: dict[str, Any] = {}
        for info in self._app.registered_commands:
            if info.callback is not None:
                entries[info.name or tm.get_command_name(info.callback.__name__)] = info
        for group in self._app.registered_groups:
            if group.name:
                entries[group.name] = group
        return entries

    def list_commands(self, ctx: Any) -> list[str]:
        return sorted({*self.commands, *self._entries()})

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name not in self.commands:
            info = self._entries().get(cmd_name)
            if info is not None:
                self.commands[cmd_name] = _build(info, cmd_name)
        return super().get_command(ctx, cmd_name)


def _build(info: Any, name: str) -> Any:
    import typer.main as tm

    if isinstance(info, TyperInfo):
        assert info.typer_instance is not None
        return lazy_group(info.typer_instance, name)
    return tm.get_command_from_info(
        info, pretty_exceptions_short=True, rich_markup_mode=DEFAULT_MARKUP_MODE
    )


def lazy_group(app: typer.Typer, name: str) -> LazyGroup:
    """The click group for a Typer sub-app, with its commands built on demand."""
    import typer.main as tm

    solved = tm.solve_typer_info_defaults(TyperInfo(app))
    return LazyGroup(
        app,
        name=name,
        commands={},
        help=solved.help,
        no_args_is_help=solved.no_args_is_help,
        context_settings=solved.context_settings,
        rich_markup_mode=DEFAULT_MARKUP_MODE,
    )


def flatten_tree(nodes: Sequence[dict[str, Any]], depth: int = 0) -> list[dict[str, Any]]:
    """Nested nodes (each with `children`) as flat rows with their `depth`, in tree order."""
    out: list[dict[str, Any]] = []
    for n in nodes:
        out.append({**{k: v for k, v in n.items() if k != "children"}, "depth": depth})
        out.extend(flatten_tree(n["children"], depth + 1))
    return out


def console() -> Any:
    """A Rich console for trees; with NO_COLOR set it writes no escape codes at all
    (Rich alone would drop colours but keep bold and dim)."""
    import os

    from rich.console import Console

    if os.environ.get("NO_COLOR"):
        return Console(color_system=None, force_terminal=False, highlight=False)
    return Console()


def print_tree(roots: Sequence[dict[str, Any]], label: Any) -> None:
    """Nested nodes (each with `children`) as a Rich tree; `label(node)` gives markup."""
    from rich.tree import Tree

    out = console()
    for root in roots:
        top = Tree(label(root))
        stack = [(top, root)]
        while stack:
            branch, node = stack.pop()
            for child in node["children"]:
                stack.append((branch.add(label(child)), child))
        out.print(top)


class _Bar:
    """`infra.progress.Progress` drawn as one Rich bar on stderr."""

    def __init__(self, title: str) -> None:
        import os

        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        plain = bool(os.environ.get("NO_COLOR"))
        console = Console(stderr=True, color_system=None if plain else "auto", highlight=False)
        self.title = title
        self._bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        )
        self._row: Any = None

    def phase(self, label: str, total: int | None = None) -> None:
        if self._row is not None:
            self._bar.remove_task(self._row)
        self._row = self._bar.add_task(f"{self.title}: {label}", total=total)

    def advance(self, steps: int = 1) -> None:
        if self._row is not None:
            self._bar.advance(self._row, steps)


@contextmanager
def progress(title: str) -> Iterator[Any]:
    """A `infra.progress.Progress` for long work: a bar on stderr while it runs when
    stderr is a terminal (Rich imported only then), nothing at all otherwise.

        with clikit.progress("import") as bar:
            transfer.import_file(store, path, progress=bar)
    """
    from infra.progress import QUIET

    if not sys.stderr.isatty():
        yield QUIET
        return
    bar = _Bar(title)
    bar._bar.start()
    try:
        yield bar
    finally:
        bar._bar.stop()


class AnsibleProgress:
    """An Ansible run drawn on stderr while it goes: one bar for the tasks of all
    hosts (hosts × tasks), one for the hosts finished, with how many came out ok,
    changed, failed or unreachable. Pass it as `on_progress` to infra.ansible.run:

        with AnsibleProgress("drill checks") as progress:
            result = ansible.run(spec, on_progress=progress)

    Nothing is drawn when stderr is not a terminal. Rich is imported on entry.
    """

    # The worse outcome wins for a host's summary.
    _RANK = {
        "queued": 0,
        "end": 0,
        "skipped": 1,
        "ok": 2,
        "changed": 3,
        "failed": 4,
        "unreachable": 5,
    }

    def __init__(self, title: str = "ansible", console: Any = None) -> None:
        self.title = title
        self.console = console
        self.tasks_done = 0
        self.tasks_total = 0
        self.hosts: dict[str, tuple[int, int]] = {}  # host -> (done, total)
        self.finished: set[str] = set()
        self.outcome: dict[str, str] = {}
        self._bar: Any = None
        self._task_row: Any = None
        self._host_row: Any = None

    def __enter__(self) -> AnsibleProgress:
        import os

        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        if self.console is None:
            plain = bool(os.environ.get("NO_COLOR"))
            self.console = Console(
                stderr=True, color_system=None if plain else "auto", highlight=False
            )
        self._bar = Progress(
            TextColumn("{task.description:<8}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("{task.fields[detail]}"),
            console=self.console,
            disable=not self.console.is_terminal,
        )
        self._task_row = self._bar.add_task(self.title, total=None, detail="")
        self._host_row = self._bar.add_task("hosts", total=None, detail="")
        self._bar.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._refresh("")
        self._bar.stop()

    def __call__(self, p: Progress) -> None:
        done, total = self.hosts.get(p.host, (0, 0))
        self.tasks_done += p.done - done
        self.tasks_total += p.total - total
        self.hosts[p.host] = (p.done, p.total)
        if p.finished:
            self.finished.add(p.host)
        rank = self._RANK.get(p.status, 0)
        if rank > self._RANK.get(self.outcome.get(p.host, "queued"), 0):
            self.outcome[p.host] = p.status
        if self._bar is not None:
            self._refresh(p.task)

    def counts(self) -> dict[str, int]:
        """Hosts by their worst outcome so far (ok, changed, failed, unreachable)."""
        out = dict.fromkeys(("ok", "changed", "failed", "unreachable"), 0)
        for status in self.outcome.values():
            if status in out:
                out[status] += 1
            elif status == "skipped":
                out["ok"] += 1
        return out

    def _refresh(self, task: str) -> None:
        summary = " · ".join(f"{k} {v}" for k, v in self.counts().items() if v)
        name = task if len(task) <= 40 else task[:39] + "…"
        self._bar.update(
            self._task_row, completed=self.tasks_done, total=self.tasks_total or None, detail=name
        )
        self._bar.update(
            self._host_row,
            completed=len(self.finished),
            total=len(self.hosts) or None,
            detail=summary,
        )
