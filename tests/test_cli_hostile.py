"""Any text where a number, a size, a CIDR, a day count or a reference belongs:
the command either does its job or refuses in one line (exit 1 or 2), and a
refused command leaves the database as it was."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from conftest import Cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from infra.store import Store
from ipam import space

POOL = "10.0.0.0/16"

_TEXT = st.one_of(
    st.text(max_size=12),
    st.sampled_from(
        [
            "0",
            "-1",
            "1",
            "20001",
            "3651",
            "99999999999999999999",
            "²",
            "٢٤",
            "/24",
            "//24",
            "/33",
            "24 ",
            "1_0",
            "1e3",
            "nan",
            "",
            " ",
            "10.0.0.0/33",
            "fe80::%eth0/64",
            "10.0.0.0/24",
            "10.0.0.1/24",
            "::/0",
            "河源市",
            "\x00",
            "a\nb",
        ]
    ),  # fmt: skip
)

_COMMANDS = st.sampled_from(
    [
        ("ipam", "alloc", "--from", POOL, "--size", "{}"),
        ("ipam", "alloc", "--from", POOL, "--size", "/29", "--count", "{}"),
        ("ipam", "alloc", "--from", POOL, "--hosts", "{}"),
        ("ipam", "alloc", "--from", "{}", "--size", "/29"),
        ("ipam", "add", "{}"),
        ("ipam", "reserve", "{}"),
        ("ipam", "release", "10.0.1.0/24", "--quarantine-days", "{}"),
        ("ipam", "settings", "quarantine-days", "{}"),
        ("ipam", "settings", "headroom", "{}"),
        ("ipam", "find", "{}"),
        ("ipam", "free", POOL, "--size", "{}"),
        ("ipam", "ip", "next", "10.0.1.0/24", "--count", "{}"),
        ("ipam", "ip", "assign", "{}"),
        ("org", "show", "{}"),
        ("org", "tree", "{}", "--depth", "1"),
        ("audit", "list", "-n", "{}"),
    ]
)


def _state(db: str) -> tuple[list[tuple[object, ...]], ...]:
    conn = sqlite3.connect(db)
    try:
        return tuple(
            sorted(conn.execute(f"SELECT * FROM {t}").fetchall())
            for t in ("prefix", "free_block", "ip_address", "setting", "org_unit", "audit")
        )
    finally:
        conn.close()


@pytest.fixture(scope="module")
def seed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("seed") / "seed.db"
    with Store(str(db)) as store:
        space.add(store, POOL, status="container", pool=True)
        space.alloc(store, space.AllocRequest(source=POOL, size="/24"))
        space.alloc(store, space.AllocRequest(source=POOL, size="/24"))
    return db


@pytest.mark.slow
@settings(max_examples=250, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(command=_COMMANDS, value=_TEXT)
def test_any_value_is_done_or_refused_in_one_line(seed, tmp_path_factory, command, value):
    db = str(tmp_path_factory.mktemp("run") / "govops.db")
    shutil.copy(seed, db)
    before = _state(db)
    args = [a.replace("{}", value) if a == "{}" else a for a in command]
    result = Cli(db)(*args)
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr, (
        args,
        result.stderr,
    )
    if result.exit_code == 0:
        return
    assert result.exit_code in (1, 2), (args, result.exit_code, result.stderr)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, (args, result.stderr)
    # a refusal says govops:; `ipam find` answering "in no prefix" is an answer, not one
    assert lines[0].startswith("govops: ") or args[:2] == ["ipam", "find"], (args, lines)
    assert _state(db) == before, args
