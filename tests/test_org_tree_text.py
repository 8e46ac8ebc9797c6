"""`org tree` to a pipe or a file is written without importing Rich, and must be the
very text Rich writes there; wherever Rich might write something else (a label it
could wrap, an emoji code, a forced terminal) Rich writes it."""

from __future__ import annotations

import json
from typing import Any

import pytest
from conftest import SAMPLE

from infra.org import cli as org_cli


def node(name: str, code: str | None, level: str, *children: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "code": code, "level": level, "path": name, "children": list(children)}


def rich_text(roots: list[dict[str, Any]], capsys: pytest.CaptureFixture[str]) -> str:
    """What Rich writes for the same labels (an `extra` that adds nothing takes Rich's way)."""
    capsys.readouterr()
    org_cli.print_tree(roots, extra=lambda n: "")
    return capsys.readouterr().out


def printed(roots: list[dict[str, Any]], capsys: pytest.CaptureFixture[str]) -> str:
    capsys.readouterr()
    org_cli.print_tree(roots)
    return capsys.readouterr().out


TRICKY = [
    node(
        "测试市",
        "440100000000",
        "city",
        node(
            "[东区] 街道",
            None,
            "county",
            node("一村", "440101001001", "village"),
            node("[b]二[/b]村", None, "village"),
        ),
        node("西区", "440102000000", "county", node("三镇", "440102001000", "town")),
        node("北区", "440103000000", "county"),
    ),
    node("另一市", None, "city"),
]


def test_plain_text_is_rich_text(capsys):
    text = org_cli.plain_tree(TRICKY)
    assert text is not None
    assert text == rich_text(TRICKY, capsys)
    assert text.splitlines()[:3] == [
        "测试市 440100000000 city",
        "├── [东区] 街道  county",
        "│   ├── 一村 440101001001 village",
    ]
    assert printed(TRICKY, capsys) == text


@pytest.mark.parametrize(
    ("roots", "env"),
    [
        # Rich turns :smile: into an emoji
        ([node("笑:smile:村", None, "village")], {}),
        # 40 columns: Rich wraps the long label
        (
            [node("测" * 30, "440100000000", "city", node("村" * 5, None, "village"))],
            {"COLUMNS": "40"},
        ),
        # Rich styles a pipe it is told is a terminal
        (TRICKY, {"FORCE_COLOR": "1"}),
    ],
)
def test_where_rich_may_differ_rich_writes(roots, env, capsys, monkeypatch):
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    assert org_cli.plain_tree(roots) is None
    assert printed(roots, capsys) == rich_text(roots, capsys)


def test_a_label_that_just_fits_is_plain(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "40")
    roots = [node("a" * 20, "440100000000", "city", node("b" * 11, None, "town"))]
    # "└── " + 11 + 2 + 4 = 21 cells; the root 20 + 1 + 12 + 1 + 4 = 38
    assert org_cli.plain_tree(roots) == rich_text(roots, capsys)


def test_org_tree_of_the_sample_city(cli, capsys):
    cli.ok("org", "import", str(SAMPLE))
    got = cli.ok("org", "tree").stdout
    roots = cli.json("org", "tree")
    assert got == rich_text(roots, capsys)
    assert got.count("\n") == len(json.dumps(roots).split('"level"')) - 1
    one = cli.ok("org", "tree", "源城区", "--depth", "1").stdout.splitlines()
    assert one[0].startswith("源城区 ") and one[1].startswith("├── ")
