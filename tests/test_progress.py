"""Progress bars on long work: drawn on stderr when it is a terminal, nothing otherwise."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SCRIPT = """
import sys, time
from infra import clikit
with clikit.progress("import") as bar:
    bar.phase("prefixes", total=40)
    for _ in range(40):
        bar.advance()
        time.sleep(0.01)
print("done")
print("rich" in sys.modules, file=sys.stdout)
"""


def run_with_stderr(stderr: int) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TERM": "xterm", "COLUMNS": "100"}
    env.pop("NO_COLOR", None)
    return subprocess.run(
        [sys.executable, "-c", SCRIPT],
        stdout=subprocess.PIPE,
        stderr=stderr,
        env=env,
        timeout=60,
        check=True,
    )


def read_all(fd: int) -> bytes:
    out = b""
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # the child closed its end
            return out
        if not chunk:
            return out
        out += chunk


def test_a_bar_is_drawn_on_a_terminal() -> None:
    leader, follower = pty.openpty()
    try:
        done = run_with_stderr(follower)
        os.close(follower)
        follower = -1
        drawn = read_all(leader).decode("utf-8", "replace")
    finally:
        os.close(leader)
        if follower >= 0:
            os.close(follower)
    assert done.stdout.decode().split() == ["done", "True"]
    assert "import: prefixes" in drawn
    assert "40/40" in drawn or "/40" in drawn


def test_nothing_is_written_when_stderr_is_a_pipe() -> None:
    done = run_with_stderr(subprocess.PIPE)
    assert done.stderr == b""
    # Rich is not even imported when there is no terminal to draw on.
    assert done.stdout.decode().split() == ["done", "False"]
