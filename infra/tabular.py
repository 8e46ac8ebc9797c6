"""Read tables as people hand them over: CSV in UTF-8 (with or without BOM),
GB18030/GBK as Excel saves "CSV" on a Chinese Windows, UTF-16 text, or .xlsx."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from infra.errors import InvalidInput

_SCI = re.compile(r"^\d(\.\d+)?[eE]\+\d+$")


@dataclass
class Table:
    header: list[str]
    rows: list[tuple[int, list[str]]]  # (line number in the file, cells)
    encoding: str


def decode(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """Text and the encoding it was read with; detects BOMs, else UTF-8, else GB18030."""
    if encoding:
        try:
            return data.decode(encoding), encoding
        except LookupError as exc:
            raise InvalidInput(f"unknown encoding {encoding!r}") from exc
        except UnicodeDecodeError as exc:
            raise InvalidInput(f"file is not valid {encoding} (byte {exc.start})") from exc
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as exc:
        raise InvalidInput(
            f"cannot tell the file's encoding (not UTF-8, not GB18030 at byte {exc.start});"
            " pass --encoding"
        ) from exc


def read_table(path: Path, encoding: str | None = None) -> Table:
    """Read a CSV/TSV or .xlsx file into a header and numbered rows."""
    if not path.exists():
        raise InvalidInput(f"no such file: {path}")
    if path.is_dir():
        raise InvalidInput(f"{path} is a directory, not a file")
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    if path.suffix.lower() == ".xls":  # binary Excel 97-2003: would be misread as GB18030 text
        raise InvalidInput(f"{path}: the old .xls format cannot be read; save it as .xlsx or CSV")
    text, used = decode(path.read_bytes(), encoding)
    first = text.split("\n", 1)[0]
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise InvalidInput(f"{path} is empty") from None
    except csv.Error as exc:
        raise InvalidInput(f"{path}: line 1: {exc}") from exc
    rows = []
    try:
        for values in reader:
            rows.append((reader.line_num, values))
    except csv.Error as exc:
        raise InvalidInput(f"{path}: line {reader.line_num}: {exc}") from exc
    header = [h.lstrip("\ufeff").strip() for h in header]
    return Table(header, rows, used)


def _read_xlsx(path: Path) -> Table:
    try:
        import openpyxl
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise InvalidInput("reading .xlsx needs openpyxl: pip install openpyxl") from exc
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise InvalidInput(f"{path}: not a readable .xlsx file ({exc})") from exc
    sheet = book.worksheets[0]
    rows = []
    header: list[str] | None = None
    for line, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        cells = [_cell_text(v) for v in values]
        if header is None:
            header = [c.strip() for c in cells]
        else:
            rows.append((line, cells))
    book.close()
    if header is None:
        raise InvalidInput(f"{path} is empty")
    return Table(header, rows, "xlsx")


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a code typed into Excel comes back as 441600000000.0
    return str(value)


def excel_number(text: str) -> str:
    """Refuse a code that Excel turned into scientific notation (4.416E+11): digits are lost."""
    if _SCI.match(text.strip()):
        raise InvalidInput(
            f"code {text!r} was saved by Excel in scientific notation and has lost digits;"
            " format the column as text and save again"
        )
    return text
