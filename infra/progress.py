"""How long work reports how far it has got, without knowing who is watching.

A library function that may run for seconds to minutes (an import, a plan
apply, a check) takes a `Progress` and calls it as it goes:

    progress.phase("prefixes", total=len(rows))
    for row in rows:
        ...
        progress.advance()

`QUIET` does nothing; the CLI passes `clikit.progress()`, a bar on stderr when
stderr is a terminal (Rich, imported only then) and `QUIET` otherwise, so pipes
and scripts see nothing.
"""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    def phase(self, label: str, total: int | None = None) -> None:
        """A new stretch of work begins: `total` steps (None: unknown)."""

    def advance(self, steps: int = 1) -> None:
        """`steps` more of the current phase are done."""


class _Quiet:
    def phase(self, label: str, total: int | None = None) -> None:
        pass

    def advance(self, steps: int = 1) -> None:
        pass


QUIET: Progress = _Quiet()
