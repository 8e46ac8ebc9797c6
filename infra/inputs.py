"""Input as users hand it over, refused at the edge with one line when it is not
what it claims to be: files (regular files only, bounded size, read in chunks) and
whole numbers (ASCII digits only, within stated bounds).

The bounds are documented in the README (Input limits).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from infra.errors import FileErrors, InvalidInput

MAX_INPUT_BYTES = 2**30
"""The largest input file read (1 GiB): a province's whole export is about 70 MB."""

_CHUNK = 1 << 20


def read_bytes(path: str | Path, limit: int = MAX_INPUT_BYTES) -> bytes:
    """The bytes of a regular file of at most `limit` bytes.

    Directories, devices (/dev/zero, /dev/urandom), FIFOs and sockets are refused
    before anything is read; the file is read in bounded chunks, so one that grows
    while it is read is refused at the limit instead of filling memory.
    """
    p = Path(path)
    try:
        fd = os.open(p, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise InvalidInput(f"no such file: {p}") from None
    except IsADirectoryError:
        raise InvalidInput(f"{p} is a directory, not a file") from None
    except PermissionError:
        raise InvalidInput(f"{p}: permission denied") from None
    except OSError as exc:
        raise InvalidInput(f"{p}: cannot be opened ({exc.strerror or exc})") from None
    except ValueError:  # an embedded NUL: no file is called that
        raise InvalidInput(f"{str(p)!r} is not a file name (it holds a NUL byte)") from None
    try:
        _regular_within(p, os.fstat(fd), limit)
        chunks: list[bytes] = []
        total = 0
        while True:
            try:
                chunk = os.read(fd, _CHUNK)
            except OSError as exc:
                raise InvalidInput(f"{p}: cannot be read ({exc.strerror or exc})") from None
            if not chunk:
                break
            total += len(chunk)
            if total > limit:
                raise InvalidInput(f"{p} grew past {_size(limit)} while being read")
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def read_text(path: str | Path, limit: int, source: str) -> str:
    """A UTF-8 text file (a BOM allowed) of at most `limit` bytes; not UTF-8 is a
    `FileErrors` naming `source` and the byte where decoding failed."""
    data = read_bytes(path, limit)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileErrors(source, [(1, f"not UTF-8 at byte {exc.start}")]) from None


def check_file(path: str | Path, limit: int = MAX_INPUT_BYTES) -> Path:
    """`path` if it is a readable regular file within the limit (for readers that
    open the file themselves, such as openpyxl)."""
    p = Path(path)
    try:
        info = p.stat()
    except FileNotFoundError:
        raise InvalidInput(f"no such file: {p}") from None
    except OSError as exc:
        raise InvalidInput(f"{p}: cannot be opened ({exc.strerror or exc})") from None
    except ValueError:  # an embedded NUL: no file is called that
        raise InvalidInput(f"{str(p)!r} is not a file name (it holds a NUL byte)") from None
    _regular_within(p, info, limit)
    if not os.access(p, os.R_OK):
        raise InvalidInput(f"{p}: permission denied")
    return p


def _regular_within(p: Path, info: os.stat_result, limit: int) -> None:
    """Refuse what a stat says is no regular file, or one over `limit` bytes."""
    if stat.S_ISDIR(info.st_mode):
        raise InvalidInput(f"{p} is a directory, not a file")
    if not stat.S_ISREG(info.st_mode):
        raise InvalidInput(f"{p} is not a regular file (a device, pipe or socket)")
    if info.st_size > limit:
        raise InvalidInput(f"{p} is {_size(info.st_size)}; input files are at most {_size(limit)}")


def file_name(text: str | Path) -> Path:
    """`text` as a path, refused when no file can be called that: it holds a NUL byte
    or a character the file system cannot encode (a lone surrogate). Checked before
    anything asks the file system, which would fail on it with no message of ours."""
    p = Path(text)
    try:
        os.fsencode(p)
    except UnicodeEncodeError:
        raise InvalidInput(
            f"{str(p)[:200]!r} is not a file name (it holds a character no file name can)"
        ) from None
    if "\x00" in str(p):
        raise InvalidInput(f"{str(p)[:200]!r} is not a file name (it holds a NUL byte)")
    return p


def is_directory(path: str | Path) -> bool:
    """Whether `path` names a directory; a name no file can have (a NUL, a lone
    surrogate, a name too long for the file system) is one line, not an error of
    the file system's."""
    p = file_name(path)
    try:
        return p.is_dir()
    except OSError as exc:  # ENAMETOOLONG: Path.is_dir answers only "no such file"
        raise InvalidInput(f"{str(p)[:200]}: not a usable file name ({exc.strerror})") from None


def unstorable(text: str) -> bool:
    """Whether `text` holds what no stored name does and a query cannot carry: a NUL
    (PostgreSQL refuses it) or a lone surrogate (neither backend can encode it)."""
    return "\x00" in text or any("\ud800" <= c <= "\udfff" for c in text)


def _size(n: int) -> str:
    for unit, scale in (("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if n >= scale:
            return f"{n / scale:.1f} {unit}".replace(".0 ", " ")
    return f"{n} bytes"


def whole_number(text: str | int, what: str, low: int, high: int) -> int:
    """An integer written in ASCII digits within [low, high], or one line saying why not.

    `str.isdigit` accepts '²' and Arabic-Indic digits, and `int()` accepts '٢٤' and
    '1_000'; a ledger takes neither.
    """
    if isinstance(text, bool):
        raise InvalidInput(f"{what} must be a whole number, got {text!r}")
    if isinstance(text, int):
        value = text
    else:
        raw = text.strip()
        digits = raw[1:] if raw[:1] in "+-" else raw
        if not digits or not (digits.isascii() and digits.isdigit()):
            raise InvalidInput(f"{what} must be a whole number, got {text!r}")
        if len(digits) > 30:
            raise InvalidInput(f"{what} {raw[:20]}… is out of range ({low} to {high})")
        value = int(raw)
    if not low <= value <= high:
        raise InvalidInput(f"{what} {value} is out of range ({low} to {high})")
    return value
