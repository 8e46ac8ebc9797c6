"""Importing a division tree from CSV or .xlsx: validated whole, written in one go."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from infra import locks, tabular
from infra.errors import InvalidInput, RowErrors
from infra.org.units import (
    _COLUMNS,
    OrgUnit,
    check_placement,
    get,
    infer_level,
    insert_unit,
    normalize_code,
    normalize_level,
    rename_unit,
    towns_need_county,
)
from infra.store import Store, Tx

_HEADER_ALIASES = {
    "code": "code",
    "区划代码": "code",
    "统计用区划代码": "code",
    "代码": "code",
    "name": "name",
    "名称": "name",
    "name_zh": "name",
    "level": "level",
    "级别": "level",
    "层级": "level",
    "parent_code": "parent_code",
    "parent": "parent_code",
    "上级代码": "parent_code",
    "上级区划代码": "parent_code",
}


@dataclass
class ImportResult:
    added: int = 0
    renamed: int = 0
    unchanged: int = 0
    units: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, int]:
        return {"added": self.added, "renamed": self.renamed, "unchanged": self.unchanged}


@dataclass
class _Row:
    line: int
    code: str | None
    name: str
    level: str | None
    parent_code: str | None


def _header(cells: list[str]) -> dict[str, int]:
    header: dict[str, int] = {}
    for i, col in enumerate(cells):
        key = _HEADER_ALIASES.get(col.strip().lstrip("\ufeff").lower())
        if key and key not in header:
            header[key] = i
    return header


def _parse_rows(
    path: Path, encoding: str | None
) -> tuple[list[_Row], list[tuple[int, str]], set[str]]:
    """Rows that parsed, (line, message) for those that did not, and the codes of the latter."""
    table = tabular.read_table(path, encoding)
    header = _header(table.header)
    missing = [c for c in ("code", "name", "parent_code") if c not in header]
    # A sheet often opens with a title row (河源市行政区划代码表) above the header.
    for skip, (_, values) in enumerate(table.rows[:5]):
        if not missing:
            break
        found = _header(values)
        if all(c in found for c in ("code", "name", "parent_code")):
            header, missing = found, []
            table.rows = table.rows[skip + 1 :]
    if missing:
        raise InvalidInput(
            f"{path}: header must have code,name,level,parent_code; missing {', '.join(missing)}"
        )
    rows: list[_Row] = []
    errors: list[tuple[int, str]] = []
    bad_codes: set[str] = set()  # their children are not reported again as orphans

    def cell(values: list[str], key: str) -> str:
        i = header.get(key)
        return values[i].strip() if i is not None and i < len(values) else ""

    for line, values in table.rows:
        if not any(v.strip() for v in values):
            continue
        code = None
        try:
            code_text = cell(values, "code")
            code = normalize_code(tabular.excel_number(code_text)) if code_text else None
            ptext = cell(values, "parent_code")
            pcode = normalize_code(tabular.excel_number(ptext)) if ptext else None
            ltext = cell(values, "level")
            level = normalize_level(ltext) if ltext else None
        except InvalidInput as exc:
            errors.append((line, str(exc)))
            if code is not None:
                bad_codes.add(code)
            continue
        if level is None:
            if code is None:
                errors.append((line, "no level and no code to infer it from"))
                continue
            level = infer_level(code)
            if level is None:
                errors.append((line, f"code {code} is a province code; give the level"))
                bad_codes.add(code)
                continue
        rows.append(_Row(line, code, cell(values, "name"), level, pcode))
    return rows, errors, bad_codes


def import_file(store: Store, path: str | Path, encoding: str | None = None) -> ImportResult:
    """Import a division tree (CSV or .xlsx); any bad row means nothing is written."""
    path = Path(path)
    rows, errors, bad_codes = _parse_rows(path, encoding)
    # With unreadable rows nothing will be written, but the other rows are still
    # checked so that one run reports every bad line; a read needs no write lock.
    run = store.read if errors else store.write
    return run(lambda tx: _import_rows(tx, str(path), rows, errors, bad_codes))


def _import_rows(
    tx: Tx,
    source: str,
    rows: list[_Row],
    parse_errors: list[tuple[int, str]] | None = None,
    bad_codes: set[str] | None = None,
) -> ImportResult:
    locks.hold(tx, locks.ORG)
    errors: list[tuple[int, str]] = list(parse_errors or [])
    bad_codes = bad_codes or set()
    by_code: dict[str, _Row] = {}
    for r in rows:
        if r.code is None:
            continue
        if r.code in by_code:
            errors.append(
                (r.line, f"duplicate code {r.code} (first on line {by_code[r.code].line})")
            )
        else:
            by_code[r.code] = r
    existing = {
        row["code"]: OrgUnit.from_row(row)
        for row in tx.all(f"SELECT {_COLUMNS} FROM org_unit WHERE code IS NOT NULL")
    }
    # Cities that have (or will have) counties: their towns belong under a county.
    with_counties = {r.parent_code for r in rows if r.level == "county" and r.parent_code}
    with_counties |= {
        row["code"]
        for row in tx.all(
            "SELECT DISTINCT p.code FROM org_unit c JOIN org_unit p ON p.id = c.parent_id"
            " WHERE c.level = 'county' AND p.code IS NOT NULL"
        )
    }

    # Order rows so that each comes after its parent in the file.
    depth: dict[int, int] = {}

    def depth_of(r: _Row, seen: frozenset[int] = frozenset()) -> int:
        if r.line in depth:
            return depth[r.line]
        parent = by_code.get(r.parent_code) if r.parent_code else None
        if parent is None or parent is r:
            d = 0
        elif r.line in seen:
            raise _Cycle(r.line)
        else:
            d = depth_of(parent, seen | {r.line}) + 1
        depth[r.line] = d
        return d

    ordered: list[_Row] = []
    for r in rows:
        try:
            depth_of(r)
            ordered.append(r)
        except _Cycle:
            errors.append((r.line, f"parent chain of {r.code} loops back on itself"))
    ordered.sort(key=lambda r: depth[r.line])

    result = ImportResult()
    planned: dict[str, OrgUnit] = dict(existing)
    pending: list[tuple[_Row, OrgUnit | None, str]] = []  # (row, parent, action)
    next_id = -1
    for r in ordered:
        assert r.level is not None
        parent: OrgUnit | None = None
        if r.parent_code:
            if r.parent_code == r.code:
                errors.append((r.line, f"code {r.code} names itself as its parent"))
                continue
            parent = planned.get(r.parent_code)
            if parent is None and (r.parent_code in by_code or r.parent_code in bad_codes):
                continue  # the parent row itself was bad; it is reported already
            if parent is None and r.level != "city":
                errors.append(
                    (r.line, f"parent code {r.parent_code} is neither in the file nor stored")
                )
                continue
        elif r.level != "city":
            errors.append((r.line, f"a {r.level} needs a parent_code"))
            continue
        problem = check_placement(r.name, r.level, r.code, parent)
        if problem is None and parent is not None and parent.level == "city":
            if r.level == "town" and parent.code in with_counties:
                problem = towns_need_county(r.name, parent)
        if problem:
            errors.append((r.line, problem))
            continue
        old = existing.get(r.code) if r.code else None
        if old is not None:
            if old.parent_id != (parent.id if parent else None):
                errors.append(
                    (r.line, f"code {r.code} is already stored under another parent: {old.path}")
                )
                continue
            if old.level != r.level:
                errors.append((r.line, f"code {r.code} is stored as a {old.level}, not {r.level}"))
                continue
            action = "rename" if old.name != r.name else "same"
            pending.append((r, parent, action))
            path = f"{parent.path}/{r.name}" if parent else r.name
            planned[old.code or ""] = OrgUnit(old.id, r.code, r.name, r.level, old.parent_id, path)
            continue
        pending.append((r, parent, "add"))
        path = f"{parent.path}/{r.name}" if parent else r.name
        placeholder = OrgUnit(next_id, r.code, r.name, r.level, parent.id if parent else None, path)
        next_id -= 1
        if r.code:
            planned[r.code] = placeholder
    if errors:
        errors.sort()
        raise RowErrors(source, errors)

    # Write in tree order; placeholder ids are replaced by real ones as parents land.
    real: dict[str, OrgUnit] = dict(existing)
    renamed = False
    for r, parent, action in pending:
        if parent is not None and parent.code is not None:
            parent = real[parent.code]
            if renamed:  # a rename above it changed its path
                parent = get(tx, parent.id)
        if action == "add":
            if r.code is None:
                pid = parent.id if parent else None
                dup = tx.scalar(
                    "SELECT id FROM org_unit WHERE name = ? AND code IS NULL AND parent_id "
                    + ("= ?" if pid is not None else "IS NULL"),
                    (r.name, pid) if pid is not None else (r.name,),
                )
                if dup is not None:
                    result.unchanged += 1
                    continue
            unit = insert_unit(tx, r.name, r.level or "", r.code, parent)
            result.added += 1
        elif action == "rename":
            old = existing[r.code or ""]
            unit = rename_unit(tx, old, r.name, parent)
            result.renamed += 1
            renamed = True
        else:
            unit = existing[r.code or ""]
            result.unchanged += 1
        if unit.code:
            real[unit.code] = unit
    return result


class _Cycle(Exception):
    def __init__(self, line: int):
        self.line = line
