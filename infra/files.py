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
    all: written beside it, flushed to disk and renamed over it, so a failed export or
    report leaves neither a half file nor a stray temporary one. A directory in the
    way, a missing directory, no permission or a full disk is one line (InvalidInput).
    """
    target = file_name(path)
    if is_directory(target):
        raise InvalidInput(f"{target}: cannot be written (it is a directory)")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:  # no such directory, no permission
        raise InvalidInput(f"{target}: cannot be written ({exc.strerror or exc})") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except OSError as exc:  # a full disk
        raise InvalidInput(f"{target}: cannot be written ({exc.strerror or exc})") from None
    finally:
        Path(tmp).unlink(missing_ok=True)
