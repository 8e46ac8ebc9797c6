"""Files written whole or not at all."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from infra.errors import InvalidInput
from infra.inputs import file_name, is_directory


@contextmanager
def written(path: str | Path) -> Iterator[TextIO]:
    """A UTF-8 text file that appears at `path` whole once the block ends, or not at
    all (see `beside`)."""
    with beside(path) as tmp, open(tmp, "w", encoding="utf-8") as out:
        yield out


@contextmanager
def beside(path: str | Path, mode: int = 0o644, leftovers: tuple[str, ...] = ()) -> Iterator[Path]:
    """A temporary file beside `path` to fill, which becomes `path` once the block
    ends (flushed to disk, given `mode`, renamed over it) or is removed, with any
    `leftovers` (suffixes of files its writer made beside it, e.g. SQLite's
    "-journal"): a failed export, report or backup leaves neither a half file nor a
    stray temporary one. A directory in the way, a missing directory, no permission
    or a full disk is one line (InvalidInput).
    """
    target = file_name(path)
    if is_directory(target):
        raise InvalidInput(f"{target}: cannot be written (it is a directory)")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:  # no such directory, no permission
        raise InvalidInput(f"{target}: cannot be written ({exc.strerror or exc})") from None
    os.close(fd)
    try:
        yield Path(tmp)
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except OSError as exc:  # a full disk
        raise InvalidInput(f"{target}: cannot be written ({exc.strerror or exc})") from None
    finally:
        for name in (tmp, *(tmp + suffix for suffix in leftovers)):
            Path(name).unlink(missing_ok=True)
