"""Read tables as people hand them over: CSV in UTF-8 (with or without BOM),
GB18030/GBK as Excel saves "CSV" on a Chinese Windows, UTF-16 text, or .xlsx."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from infra import inputs
from infra.errors import InvalidInput, RowErrors

_SCI = re.compile(r"^\d(\.\d+)?[eE]\+\d+$")

MAX_ROWS = 1_000_000
"""The most rows read from one file: the whole country's divisions are about 700,000."""
MAX_COLUMNS = 200
"""The most columns read in a row."""
MAX_XLSX_UNPACKED = inputs.MAX_INPUT_BYTES
"""The most a .xlsx may unpack to (its zip members' sizes, which zipfile enforces)."""

_BOMS = (
    # longest first: a UTF-32 little-endian BOM starts like a UTF-16 one
    (b"\xff\xfe\x00\x00", "utf-32", "UTF-32"),
    (b"\x00\x00\xfe\xff", "utf-32", "UTF-32"),
    (b"\xef\xbb\xbf", "utf-8-sig", "UTF-8"),
    (b"\xff\xfe", "utf-16", "UTF-16"),
    (b"\xfe\xff", "utf-16", "UTF-16"),
)


class UndecodableText(InvalidInput):
    """The bytes are not text in the encoding given, marked by a BOM, or guessed;
    its message ends by asking for the encoding, which a CLI may name its option for."""


@dataclass
class Table:
    header: list[str]
    rows: list[tuple[int, list[str]]]  # (line number in the file, cells)
    encoding: str


def _shown(text: str, limit: int = 40) -> str:
    return repr(text) if len(text) <= limit else f"{text[:limit]!r}…"


def _reason(exc: BaseException) -> str:
    """A library's error as a short part of one line."""
    lines = str(exc).strip().splitlines() or [type(exc).__name__]
    return _shown(lines[0], 120).strip("'\"")


def decode(data: bytes, encoding: str | None = None, what: str = "the file") -> tuple[str, str]:
    """Text and the encoding it was read with; detects BOMs, else UTF-8, else GB18030."""
    if encoding is not None:
        name = encoding.strip()
        try:
            return data.decode(name), name
        except (LookupError, ValueError) as exc:  # ValueError: a NUL in the name
            if not isinstance(exc, UnicodeError):
                raise InvalidInput(f"unknown encoding {_shown(encoding)}") from None
            at = f" at byte {exc.start}" if isinstance(exc, UnicodeDecodeError) else ""
            raise UndecodableText(
                f"{what} is not valid {name[:40]}{at}; give its encoding"
            ) from None
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            try:
                if codec == "utf-8-sig":  # counted from the file's start, BOM included
                    return data[len(bom) :].decode("utf-8"), codec
                return data.decode(codec), codec
            except UnicodeDecodeError as exc:
                # An editor that kept the BOM but saved GBK bytes, or a cut-off file.
                offset = exc.start + (len(bom) if codec == "utf-8-sig" else 0)
                raise UndecodableText(
                    f"{what} starts with a {label} byte-order mark but is not {label}"
                    f" at byte {offset}; save it again as {label} or give its encoding"
                ) from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as exc:
        raise UndecodableText(
            f"cannot tell the encoding of {what} (not UTF-8, not GB18030 at byte {exc.start});"
            " give its encoding"
        ) from None


def read_table(path: Path, encoding: str | None = None) -> Table:
    """Read a CSV/TSV or .xlsx file into a header and numbered rows.

    A data cell's neutralising quote (`neutral`) is taken off, so what govops
    exported comes back as it was.

    Only regular files are read (infra.inputs), at most MAX_ROWS rows of at most
    MAX_COLUMNS columns.
    """
    path = Path(path)
    if any(ord(c) < 32 or c in "\x7f\u2028\u2029" for c in str(path)):
        # a line break would split the one-line message that names the file
        raise InvalidInput(f"file name {_shown(str(path))} contains a control character")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(inputs.check_file(path))
    if suffix == ".xls":  # binary Excel 97-2003: would be misread as GB18030 text
        inputs.check_file(path)
        raise InvalidInput(f"{path}: the old .xls format cannot be read; save it as .xlsx or CSV")
    text, used = decode(inputs.read_bytes(path), encoding, str(path))
    first = text.split("\n", 1)[0]
    delimiter = "\t" if first.count("\t") > first.count(",") else ","

    def lines() -> Iterator[str]:
        # Checked before the csv module splits a line: a line of a billion commas
        # would otherwise become a billion cells in memory.
        for number, line in enumerate(io.StringIO(text, newline=""), start=1):
            if line.count(delimiter) >= MAX_COLUMNS:
                raise InvalidInput(f"{path}: line {number} has more than {MAX_COLUMNS} columns")
            yield line

    reader = csv.reader(lines(), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise InvalidInput(f"{path} is empty") from None
    except csv.Error as exc:
        raise InvalidInput(f"{path}: line 1: {_reason(exc)}") from None
    rows: list[tuple[int, list[str]]] = []
    try:
        for values in reader:
            if len(rows) == MAX_ROWS:
                raise InvalidInput(f"{path} has more than {MAX_ROWS:,} rows; at most {MAX_ROWS:,}")
            rows.append((reader.line_num, [unneutral(v) for v in values]))
    except csv.Error as exc:
        raise InvalidInput(f"{path}: line {reader.line_num}: {_reason(exc)}") from None
    header = [h.lstrip("\ufeff").strip() for h in header]
    return Table(header, rows, used)


@contextmanager
def open_xlsx(path: Path, read_only: bool = True) -> Iterator[Any]:
    """An openpyxl workbook (values, not formulas) of a .xlsx file that unpacks to at
    most MAX_XLSX_UNPACKED bytes, closed when the block ends; a broken file, or a
    sheet broken further in than the loader looks, is one line."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except Exception as exc:  # BadZipFile, or a truncated or mangled archive
        raise InvalidInput(f"{path}: not a readable .xlsx file ({_reason(exc)})") from None
    if unpacked > MAX_XLSX_UNPACKED:
        raise InvalidInput(
            f"{path} unpacks to {unpacked / 2**20:,.0f} MiB;"
            f" a .xlsx is read up to {MAX_XLSX_UNPACKED / 2**20:,.0f} MiB unpacked"
        )
    try:
        import openpyxl
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise InvalidInput("reading .xlsx needs openpyxl: pip install openpyxl") from exc
    # Opened here, not by openpyxl: a load that fails part way leaves its own archive
    # open; this one is closed whatever happens.
    with open(path, "rb") as handle:
        try:
            book = openpyxl.load_workbook(handle, read_only=read_only, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a broken file
            raise InvalidInput(f"{path}: not a readable .xlsx file ({_reason(exc)})") from None
        try:
            yield book
        except InvalidInput:
            raise
        except Exception as exc:  # a sheet broken further in than the loader looks
            raise InvalidInput(f"{path}: not a readable .xlsx file ({_reason(exc)})") from None
        finally:
            book.close()


def _read_xlsx(path: Path) -> Table:
    with open_xlsx(path) as book:
        return _sheet_rows(path, book)


def _sheet_rows(path: Path, book: Any) -> Table:
    if not book.worksheets:
        raise InvalidInput(f"{path} has no worksheet")
    sheet = book.worksheets[0]
    rows: list[tuple[int, list[str]]] = []
    header: list[str] | None = None
    # read_only streams the sheet; max_col keeps a sheet whose stated dimension runs to
    # column XFD from padding every row to 16,384 cells.
    cells_by_row = sheet.iter_rows(max_col=MAX_COLUMNS + 1, values_only=True)
    for line, values in enumerate(cells_by_row, start=1):
        if len(values) > MAX_COLUMNS and values[MAX_COLUMNS] is not None:
            raise InvalidInput(f"{path}: row {line} has more than {MAX_COLUMNS} columns")
        cells = [unneutral(cell_text(v)) for v in values[:MAX_COLUMNS]]
        while cells and not cells[-1]:
            cells.pop()
        if header is None:
            header = [c.strip() for c in cells]
        elif cells:
            if len(rows) == MAX_ROWS:
                raise InvalidInput(f"{path} has more than {MAX_ROWS:,} rows; at most {MAX_ROWS:,}")
            rows.append((line, cells))
    if header is None:
        raise InvalidInput(f"{path} is empty")
    return Table(header, rows, "xlsx")


def cell_text(value: object) -> str:
    """A cell's value as text, a whole float (a code Excel took for a number) without `.0`."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a code typed into Excel comes back as 441600000000.0
    return str(value)


# -- formula injection (OWASP "CSV injection") --------------------------------

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What a spreadsheet may take a text cell for a formula by (OWASP's CSV-injection rule)."""

_MARKED = re.compile(r"^'+[=+\-@\t\r]")


def neutral(value: Any) -> Any:
    """`value` as an exported CSV or xlsx cell: text that a spreadsheet would run as a
    formula gets a leading single quote; anything else (numbers, None, `::1`) is untouched.

    Text that already looks neutralised ('=…) gets one more quote, so that `unneutral`
    gives back exactly what was exported.
    """
    if isinstance(value, str) and (value[:1] in FORMULA_STARTS or _MARKED.match(value)):
        return "'" + value
    return value


def unneutral(text: str) -> str:
    """A cell read back from govops' own export: the quote `neutral` added taken off."""
    if _MARKED.match(text):
        return text[1:]
    return text


def neutral_row(values: Iterable[Any]) -> list[Any]:
    """A row of cells, each through `neutral`."""
    return [neutral(v) for v in values]


def excel_number(text: str) -> str:
    """Refuse a code that Excel turned into scientific notation (4.416E+11): digits are lost."""
    if _SCI.match(text.strip()):
        raise InvalidInput(
            f"code {_shown(text)} was saved by Excel in scientific notation and has lost digits;"
            " format the column as text and save again"
        )
    return text


def write_xlsx(
    path: str | Path, sheets: Iterable[tuple[str, list[str], Iterable[Iterable[Any]]]]
) -> Path:
    """Write sheets of (title, header, rows) to a .xlsx file, every cell through
    `neutral`, the header bold and frozen, each column as wide as its widest cell
    among the header and the first `MEASURED_ROWS` rows (`column_widths`); refuses an
    unwritable path in one line."""
    import itertools

    import openpyxl
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = openpyxl.Workbook(write_only=True)
    for title, header, rows in sheets:
        sheet = book.create_sheet(title)
        sheet.freeze_panes = "A2"
        rest = iter(rows)
        first = [neutral_row(row) for row in itertools.islice(rest, MEASURED_ROWS)]
        # a write-only sheet takes its columns' widths before its first row
        for i, width in enumerate(column_widths([header, *first]), start=1):
            sheet.column_dimensions[get_column_letter(i)].width = width
        bold = []
        for name in neutral_row(header):
            cell = WriteOnlyCell(sheet, value=name)
            cell.font = Font(bold=True)
            bold.append(cell)
        sheet.append(bold)
        for cells in first:
            sheet.append(cells)
        for row in rest:
            sheet.append(neutral_row(row))
    return save_xlsx(book, path)


MEASURED_ROWS = 1000
"""The rows `write_xlsx` measures for its columns' widths (the rest are streamed)."""


def column_widths(rows: Iterable[Iterable[Any]], least: int = 6, most: int = 60) -> list[int]:
    """Column widths, in Excel's character units, that fit each column's cells (a
    Chinese character takes two), from `least` to `most`."""
    widths: list[int] = []
    for row in rows:
        for i, value in enumerate(row):
            text = "" if value is None else str(value)
            wide = len(text) + sum(1 for c in text if unicodedata.east_asian_width(c) in "WF")
            if i == len(widths):
                widths.append(least)
            widths[i] = max(widths[i], min(wide + 2, most))
    return widths


def save_xlsx(book: Any, path: str | Path) -> Path:
    """Save an openpyxl workbook, an unwritable path refused in one line."""
    target = Path(path)
    try:
        book.save(target)
    except OSError as exc:  # a directory, a full disk, no permission
        raise InvalidInput(f"{target}: cannot be written ({exc.strerror or exc})") from None
    return target


def by_sheet(path: Path, exc: RowErrors) -> RowErrors:
    """`exc` as the bad rows of a .xlsx file's sheet (the one read: the first), named
    by sheet and row as the user sees them in Excel; a CSV's stay lines."""
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        return exc
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True)
    try:
        title = book.worksheets[0].title
    finally:
        book.close()
    return RowErrors(f"{path}, sheet {_shown(title)}", exc.errors, "row")


def write_csv(rows: Iterable[dict[str, Any]], columns: Iterable[str], out: Any) -> None:
    """The rows as CSV (a header of `columns`, CRLF lines) on a text stream; text that
    a spreadsheet would take for a formula is neutralised (`neutral`)."""
    cols = list(columns)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(cols)
    for row in rows:
        writer.writerow(neutral_row("" if row[c] is None else row[c] for c in cols))


def export_rows(
    path: str | Path,
    kind: str | None,
    rows: list[dict[str, Any]],
    columns: Iterable[str],
    sheet: str,
    cell: Any = None,
) -> int:
    """Write import rows to `path` as `kind` ("csv" or "xlsx"; default from the file's
    suffix, CSV unless .xlsx): CSV in UTF-8 with a byte-order mark, as Excel on a
    Chinese Windows reads it; .xlsx as a ledger (`write_xlsx`) with each cell as
    `cell(column, value)` makes it (default: as it is). Returns the rows written."""
    cols = list(columns)
    target = inputs.file_name(path)
    kind = kind or ("xlsx" if target.suffix.lower() == ".xlsx" else "csv")
    if kind not in ("csv", "xlsx"):
        raise InvalidInput(f"export format {_shown(kind)} is not csv or xlsx")
    try:
        if kind == "xlsx":
            made = cell or (lambda _column, value: value)
            cells = ([made(c, r[c]) for c in cols] for r in rows)
            write_xlsx(target, [(sheet, cols, cells)])
        else:
            with open(target, "w", encoding="utf-8-sig", newline="") as out:
                write_csv(rows, cols, out)
    except OSError as exc:
        raise InvalidInput(f"{target}: cannot be written ({exc.strerror or exc})") from None
    return len(rows)
