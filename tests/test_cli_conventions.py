"""What every command promises: help with an example, output formats, exit codes."""

from __future__ import annotations

import csv
import importlib
import io
import json
from importlib.metadata import version
from typing import Any

import pytest
import typer.main
import yaml
from conftest import one_line_error, usage_error

import govops
from infra.org import units as org

CITY = "441600000000"
COUNTY = "441602000000"


def _is_group(command: Any) -> bool:
    # Typer 0.28 builds on its own copy of click (typer._click): test by shape, not class
    return isinstance(getattr(command, "commands", None), dict)


def registered_commands() -> tuple[list[tuple[tuple[str, ...], Any]], list[tuple[str, ...]]]:
    """Every leaf command and every group, with the words that invoke them."""
    leaves: list[tuple[tuple[str, ...], Any]] = []
    groups: list[tuple[str, ...]] = []

    def walk(words: tuple[str, ...], command: Any) -> None:
        if _is_group(command):
            groups.append(words)
            for name, sub in command.commands.items():
                walk((*words, name), sub)
        else:
            leaves.append((words, command))

    # the root is lazy: it mounts govops.SUBAPPS on demand, so walk those
    for name, (module, attr) in sorted(govops.SUBAPPS.items()):
        sub_app = getattr(importlib.import_module(module), attr)
        command = typer.main.get_command(sub_app)
        if not _is_group(command) and sub_app.info.no_args_is_help:
            # govops mounts a declared group (no_args_is_help) as a group, even of one
            command = typer.main.get_group(sub_app)
        walk((name,), command)
    return leaves, groups


COMMANDS, GROUPS = registered_commands()


def _city(cli):
    from infra.store import Store

    with Store(cli.db) as store:
        org.add(store, "河源市", "city", code=CITY)
        org.add(store, "源城区", "county", CITY, COUNTY)
        org.add(store, "上城街道", "town", COUNTY, "441602001000")
    return cli


@pytest.fixture
def city(sqlite_cli):
    """A small tree on SQLite: these conventions do not depend on the backend."""
    return _city(sqlite_cli)


@pytest.fixture
def any_city(cli):
    """The same tree on SQLite and on PostgreSQL."""
    return _city(cli)


# -- help ------------------------------------------------------------------


def test_the_walk_finds_the_foundation_commands():
    words = {" ".join(w) for w, _ in COMMANDS}
    assert {
        "org import",
        "org add",
        "org list",
        "org show",
        "org tree",
        "org remove",
        "audit list",
        "audit verify",
        "demo",
    } <= words
    assert set(govops.SUBAPPS) <= {w[0] for w, _ in COMMANDS}


@pytest.mark.parametrize(("words", "command"), COMMANDS, ids=[" ".join(w) for w, _ in COMMANDS])
def test_every_command_has_help_and_an_example(sqlite_cli, words, command):
    doc = command.callback.__doc__ or ""
    first = doc.strip().splitlines()[0] if doc.strip() else ""
    assert first, f"{' '.join(words)} has no docstring"
    examples = [line.strip() for line in doc.splitlines() if line.strip().startswith("Example:")]
    assert examples, f"{' '.join(words)}: no 'Example:' line in its docstring"
    assert examples[0].removeprefix("Example:").strip().startswith("govops " + " ".join(words))

    result = sqlite_cli(*words, "--help")
    assert result.exit_code == 0, result.stderr
    assert first.rstrip(".") in " ".join(result.stdout.split())
    assert "Example:" in result.stdout
    for param in command.params:
        if param.param_type_name == "option" and not getattr(param, "hidden", False):
            assert param.help, f"{' '.join(words)} {param.opts[0]} has no help"


@pytest.mark.parametrize("group", GROUPS, ids=" ".join)
def test_every_group_has_help(sqlite_cli, group):
    result = sqlite_cli(*group, "--help")
    assert result.exit_code == 0, result.stderr
    assert "Commands" in result.stdout
    # no arguments shows the help too
    bare = sqlite_cli(*group)
    assert bare.exit_code in (0, 2)
    assert "Usage" in bare.stdout + bare.stderr


def test_root_help_lists_every_sub_app(sqlite_cli):
    result = sqlite_cli("--help")
    assert result.exit_code == 0
    for name in govops.SUBAPPS:
        assert name in result.stdout
    short = sqlite_cli("-h")
    assert short.exit_code == 0 and short.stdout == result.stdout


def test_version(sqlite_cli):
    result = sqlite_cli("--version")
    assert result.exit_code == 0
    assert result.stdout == f"govops {govops.__version__}\n"
    assert govops.__version__ == version("govops")


# -- output formats --------------------------------------------------------


LISTINGS = [
    ("org", "list"),
    ("org", "list", "--level", "town"),
    ("org", "tree"),
    ("org", "tree", "源城区"),
    ("audit", "list"),
]


def _flatten(nodes, depth=0):
    out = []
    for n in nodes:
        out.append({**{k: v for k, v in n.items() if k != "children"}, "depth": depth})
        out.extend(_flatten(n["children"], depth + 1))
    return out


@pytest.mark.parametrize("args", LISTINGS, ids=" ".join)
def test_listing_formats_agree(any_city, args):
    city = any_city
    data = city.json(*args)
    assert data, "the listing should not be empty here"

    as_yaml = city.ok(*args, "--format", "yaml")
    assert as_yaml.stderr == ""
    assert yaml.safe_load(as_yaml.stdout) == data

    as_csv = city.ok(*args, "-f", "csv")
    assert as_csv.stderr == ""
    table = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    flat = _flatten(data) if args[1] == "tree" else data
    assert len(table) == len(flat)
    for got, want in zip(table, flat, strict=True):
        for key, value in got.items():
            expected = want[key]
            if isinstance(expected, dict | list):
                expected = json.dumps(expected, ensure_ascii=False, sort_keys=True)
            assert value == ("" if expected is None else str(expected)), key

    as_table = city.ok(*args)
    assert as_table.stdout.strip()


@pytest.mark.parametrize(
    "args",
    [
        ("org", "show", COUNTY),
        ("org", "add", "新江街道", "--level", "town", "--parent", COUNTY),
        ("audit", "verify"),
    ],
    ids=" ".join,
)
def test_single_record_formats(city, args):
    as_json = city(*args, "--format", "json")
    assert as_json.exit_code == 0, as_json.stderr
    data = json.loads(as_json.stdout)
    assert isinstance(data, dict) and data
    if args[1] == "add":
        return  # adding twice is refused; json was the point
    as_yaml = city.ok(*args, "--format", "yaml")
    assert yaml.safe_load(as_yaml.stdout) == data


def test_json_keeps_chinese_readable(city):
    result = city.ok("org", "show", COUNTY, "--format", "json")
    assert "源城区" in result.stdout
    assert "\\u" not in result.stdout


# -- exit codes and streams ------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("org", "list", "--level", "hamlet"),
        ("org", "add", "某地", "--level", "hamlet"),
        ("org", "add", "某地"),  # --level is required
        ("org", "show"),  # missing REF
        ("org", "import"),  # missing FILE
        ("org", "remove"),
        ("org", "tree", "--depth", "-1"),
        ("org", "tree", "--depth", "one"),
        ("org", "list", "--format", "xml"),
        ("audit", "list", "-n", "0"),
        ("org", "list", "--no-such-option"),
        ("org", "no-such-command"),
        ("no-such-group",),
    ],
    ids=" ".join,
)
def test_usage_error_exits_2(sqlite_cli, args):
    usage_error(sqlite_cli(*args))


def test_usage_error_names_the_command_to_ask(sqlite_cli):
    line = usage_error(sqlite_cli("org", "tree", "--depth", "one"), "'one' is not a valid")
    assert line.endswith("(see 'root org tree --help')")
    usage_error(sqlite_cli("org", "no-such-command"), "No such command 'no-such-command'")


def test_a_bare_group_still_shows_its_help(sqlite_cli):
    result = sqlite_cli("org")
    assert result.exit_code == 2 and "Commands" in result.stderr + result.stdout


REFUSED = [
    ("org", "show", "没有这个地方"),
    ("org", "show", "12345"),
    ("org", "add", "河源", "--level", "city", "--code", CITY),
    ("org", "add", "某村", "--level", "village", "--parent", COUNTY),
    ("org", "remove", CITY),
    ("org", "tree", "没有这个地方", "--format", "json"),
    ("org", "list", "--under", "没有这个地方", "--format", "csv"),
    ("org", "import", "/no/such/file.csv"),
]


def test_refused_operation_exits_1_with_one_line(any_city):
    city = any_city
    before = city.json("org", "list")
    for args in REFUSED:
        one_line_error(city(*args))
        assert city.json("org", "list") == before, args


def test_debug_shows_the_exception(city):
    from infra.errors import UnknownOrgUnit

    result = city("--debug", "org", "show", "没有这个地方")
    assert result.exit_code == 1
    assert isinstance(result.exception, UnknownOrgUnit)


def test_unopenable_database_is_one_line(tmp_path):
    from conftest import Cli

    blocker = tmp_path / "file"
    blocker.write_text("x")
    line = one_line_error(Cli(str(blocker / "sub" / "db.sqlite"))("org", "list"))
    assert "no directory" in line and "create it first" in line


@pytest.mark.parametrize(
    "db", ["mysql://root:topsecret@db/x", "/dev/null", "postgresql://u:topsecret@h/d?nope=1"]
)
def test_bad_database_location_is_one_line(tmp_path, monkeypatch, db):
    from conftest import Cli

    monkeypatch.chdir(tmp_path)
    line = one_line_error(Cli(db)("org", "list"))
    assert "topsecret" not in line and "internal error" not in line
    assert list(tmp_path.iterdir()) == []


def test_messages_go_to_stderr(sqlite_cli):
    cli = sqlite_cli
    empty = cli.ok("org", "tree")
    assert empty.stdout == ""
    assert empty.stderr.strip()
    added = cli.ok("org", "add", "河源市", "--level", "city", "--code", CITY)
    assert added.stdout == ""
    assert "added city" in added.stderr


def test_no_color_table_has_no_escape_codes(city, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    for args in (("org", "list"), ("org", "tree"), ("org", "show", COUNTY), ("audit", "list")):
        result = city.ok(*args)
        assert result.stdout.strip()
        assert "\x1b" not in result.stdout + result.stderr, args


def test_no_color_on_a_terminal_has_no_escape_codes(city, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("FORCE_COLOR", "1")  # stands in for a terminal under CliRunner
    for args in (("org", "list"), ("org", "tree")):
        result = city.ok(*args)
        assert "\x1b" not in result.stdout, args


def test_a_reader_that_goes_away_is_no_error(sqlite_cli):
    """`govops org list -f csv | head -c 1`: the pipe closes under a listing larger than
    its buffer; govops stops quietly (exit 1, as Click does for help), no "internal
    error", no traceback."""
    import subprocess
    import sys

    from conftest import SAMPLE

    sqlite_cli.ok("org", "import", str(SAMPLE))
    args = [sys.executable, "-m", "govops", "--db", sqlite_cli.db, "org", "list", "-f", "csv"]
    with subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        assert proc.stdout.read(1)
        proc.stdout.close()
        err = proc.stderr.read().decode()
        assert proc.wait(timeout=60) == govops.PIPE_CLOSED
    assert err == ""
