"""docs/cli.md matches the app, and every command documents itself: help text,
then a runnable example (the sqlite-utils habit)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _gen_cli() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_cli", ROOT / "docs" / "gen_cli.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["gen_cli"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


gen_cli = _gen_cli()
ENTRIES = list(gen_cli.walk())
COMMANDS = {e.path: e for e in ENTRIES if not e.is_group}
GROUPS = {e.path: e for e in ENTRIES if e.is_group}


def test_the_walk_reaches_the_lazy_sub_apps() -> None:
    # The sub-apps are mounted lazily: a walk that did not build them would see
    # only the root and pass every check below vacuously.
    assert {"govops org show", "govops ipam find", "govops audit verify"} <= COMMANDS.keys()
    assert len(COMMANDS) > 20


def test_cli_reference_is_current() -> None:
    target = ROOT / "docs" / "cli.md"
    assert target.is_file(), "docs/cli.md is missing: run python docs/gen_cli.py"
    assert target.read_text(encoding="utf-8") == gen_cli.render(), (
        "docs/cli.md differs from the commands: run python docs/gen_cli.py"
    )


def test_reference_has_no_terminal_escapes() -> None:
    assert "\x1b" not in gen_cli.render()


@pytest.mark.parametrize("path", sorted(GROUPS))
def test_group_has_help(path: str) -> None:
    assert gen_cli.help_text(GROUPS[path]), f"{path} has no help text"


@pytest.mark.parametrize("path", sorted(COMMANDS))
def test_command_has_help_and_example(path: str) -> None:
    text = gen_cli.help_text(COMMANDS[path])
    assert text, f"{path} has no help text"
    paragraphs = [p.strip() for p in text.split("\n\n")]
    assert len(paragraphs) >= 2 and paragraphs[1].startswith("Example: govops"), (
        f"{path}: the docstring's second paragraph should be a runnable 'Example: govops …'"
    )
