"""Importing a division tree from CSV or .xlsx: validated whole, written in one go.

Files are taken as the statistics bureau and the provinces publish them: a province
row above the cities is optional, and a city's parent code naming a province that
is not stored is ignored. A bad row is reported once, at its cause: rows hanging
below it are not reported again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from infra import locks, tabular
from infra.errors import InvalidInput, RowErrors
from infra.org.units import (
    _COLUMNS,
    TOP_LEVELS,
    OrgUnit,
    check_placement,
    clean_name,
    get,
    infer_level,
    insert_unit,
    normalize_code,
    normalize_level,
    rename_unit,
    shown,
    sibling_clash,
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
    warnings: list[str] = field(default_factory=list)  # what was read other than as written

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "added": self.added,
            "renamed": self.renamed,
            "unchanged": self.unchanged,
        }
        if self.warnings:
            out["warnings"] = list(self.warnings)
        return out


@dataclass
class _Row:
    line: int
    code: str | None
    name: str
    level: str | None
    parent_code: str | None


def _header(cells: list[str], aliases: dict[str, str]) -> dict[str, int]:
    header: dict[str, int] = {}
    for i, col in enumerate(cells):
        key = aliases.get(col.strip().lstrip("\ufeff").lower())
        if key and key not in header:
            header[key] = i
    return header


def locate_header(
    table: tabular.Table, aliases: dict[str, str], required: tuple[str, ...], shape: str
) -> dict[str, int]:
    """Column index per field; drops title rows above the header from `table.rows`.

    A sheet often opens with a title row (河源市行政区划代码表) above the header.
    """
    header = _header(table.header, aliases)
    missing = [c for c in required if c not in header]
    for skip, (_, values) in enumerate(table.rows[:5]):
        if not missing:
            break
        found = _header(values, aliases)
        if all(c in found for c in required):
            header, missing = found, []
            table.rows = table.rows[skip + 1 :]
    if missing:
        raise InvalidInput(f"header must have {shape}; missing {', '.join(missing)}")
    return header


def _parse_rows(
    path: Path, encoding: str | None
) -> tuple[list[_Row], list[tuple[int, str]], set[str]]:
    """Rows that parsed, (line, message) for those that did not, and the codes of the latter."""
    table = tabular.read_table(path, encoding)
    try:
        header = locate_header(
            table, _HEADER_ALIASES, ("code", "name", "parent_code"), "code,name,level,parent_code"
        )
    except InvalidInput as exc:
        raise InvalidInput(f"{path}: {exc}") from None
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
            # published lists write 0 (or 000000000000) as a province's parent
            pcode = normalize_code(tabular.excel_number(ptext)) if ptext.strip("0") else None
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
        rows.append(_Row(line, code, clean_name(cell(values, "name")), level, pcode))
    return rows, errors, bad_codes


def import_file(store: Store, path: str | Path, encoding: str | None = None) -> ImportResult:
    """Import a division tree (CSV or .xlsx); any bad row means nothing is written."""
    path = Path(path)
    rows, errors, bad_codes = _parse_rows(path, encoding)
    # With unreadable rows nothing will be written, but the other rows are still
    # checked so that one run reports every bad line; a read needs no write lock.
    run = store.read if errors else store.write
    return run(lambda tx: _import_rows(tx, str(path), rows, errors, bad_codes))


def _fold_pseudo_counties(rows: list[_Row]) -> tuple[list[_Row], str | None]:
    """Drop the county row many published lists give 东莞 and 中山: the city's own code,
    its parent itself. Such a city has no counties; its towns hang on it directly.

    Returns the rows to import and the one warning line saying what was folded.
    """
    cities = {r.code for r in rows if r.level == "city" and r.code and r.parent_code != r.code}
    kept: list[_Row] = []
    folded: list[_Row] = []
    for r in rows:
        code = r.code
        pseudo = (
            code is not None
            and r.parent_code == code
            and r.level in ("city", "county")
            and infer_level(code) == "city"
        )
        if code is None or not pseudo:
            kept.append(r)
            continue
        folded.append(r)
        if code not in cities:  # no city row: this row is the city
            kept.append(_Row(r.line, code, r.name, "city", None))
            cities.add(code)
    if not folded:
        return rows, None
    lines = ", ".join(str(r.line) for r in folded)
    named = " and ".join(f"{r.name} ({r.code})" for r in folded)
    if len(folded) == 1:
        text = (
            f"line {lines}: {named} is listed as its own county;"
            " folded into the city, whose towns hang on it directly"
        )
    else:
        text = (
            f"lines {lines}: {named} are listed as their own counties;"
            " folded into their cities, whose towns hang on them directly"
        )
    return kept, text


def _depths(
    rows: list[_Row], by_code: dict[str, _Row]
) -> tuple[dict[int, int], list[tuple[int, str]]]:
    """Each row's depth in the file's tree (by line), and one error per parent loop.

    Rows on a loop are reported once, at the loop's first line; rows hanging below a
    loop get no depth and no error of their own.
    """
    depth: dict[int, int] = {}
    doomed: set[int] = set()
    errors: list[tuple[int, str]] = []
    for start in rows:
        path: list[_Row] = []
        on_path: dict[int, int] = {}
        r: _Row | None = start
        while r is not None and r.line not in depth and r.line not in doomed:
            if r.line in on_path:
                errors.append(_loop_error(path[on_path[r.line] :]))
                break
            on_path[r.line] = len(path)
            path.append(r)
            parent = by_code.get(r.parent_code) if r.parent_code else None
            r = None if parent is None or parent is r else parent
        if r is not None and r.line not in depth:  # a loop, found now or before
            doomed.update(x.line for x in path)
            continue
        d = depth[r.line] + 1 if r is not None else 0
        for x in reversed(path):
            depth[x.line] = d
            d += 1
    return depth, errors


_LOOP_SHOWN = 6  # a loop longer than this is shown by its ends


def _loop_error(loop: list[_Row]) -> tuple[int, str]:
    """One error for a parent loop, at its first line; a long loop is shortened so the
    message stays one short line."""
    start = min(range(len(loop)), key=lambda i: loop[i].line)
    loop = loop[start:] + loop[:start]  # from the first line, still in parent order
    lines = sorted(x.line for x in loop)
    if len(loop) <= _LOOP_SHOWN:
        chain = " → ".join(str(x.code) for x in [*loop, loop[0]])
        where = ", ".join(map(str, lines))
        return loop[0].line, f"parent codes loop: {chain} (lines {where})"
    head = " → ".join(str(x.code) for x in loop[:3])
    tail = " → ".join(str(x.code) for x in [*loop[-2:], loop[0]])
    where = f"{', '.join(map(str, lines[:3]))} … {lines[-1]}"
    return (
        loop[0].line,
        f"parent codes loop of {len(loop)} rows: {head} → … → {tail} (lines {where})",
    )


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
    result = ImportResult()
    rows, warning = _fold_pseudo_counties(rows)
    if warning:
        result.warnings.append(warning)
    by_code: dict[str, _Row] = {}
    unique: list[_Row] = []
    for r in rows:
        if r.code is not None and r.code in by_code:
            # reported here only; the row goes no further, so it adds no second error
            errors.append(
                (r.line, f"duplicate code {r.code} (first on line {by_code[r.code].line})")
            )
            continue
        if r.code is not None:
            by_code[r.code] = r
        unique.append(r)
    rows = unique
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
    depth, loop_errors = _depths(rows, by_code)
    errors.extend(loop_errors)
    ordered = sorted((r for r in rows if r.line in depth), key=lambda r: depth[r.line])

    planned: dict[str, OrgUnit] = dict(existing)
    pending: list[tuple[_Row, OrgUnit | None, str, OrgUnit | None]] = []  # row, parent, action, old
    next_id = -1
    for r in ordered:
        assert r.level is not None
        parent: OrgUnit | None = None
        old = existing.get(r.code) if r.code else None
        if r.parent_code:
            if r.parent_code == r.code:
                errors.append((r.line, f"code {r.code} names itself as its parent"))
                continue
            parent = planned.get(r.parent_code)
            if parent is None and (r.parent_code in by_code or r.parent_code in bad_codes):
                continue  # the parent row itself was bad; it is reported already
            if parent is None and r.level not in TOP_LEVELS:
                errors.append(
                    (r.line, f"parent code {r.parent_code} is neither in the file nor stored")
                )
                continue
        elif r.level not in TOP_LEVELS:
            errors.append((r.line, f"a {r.level} needs a parent_code"))
            continue
        if parent is None and old is not None and old.parent_id is not None:
            # A city file names no province (or one not stored): the city stays where it is.
            parent = get(tx, old.parent_id)
            if parent.code is not None:
                parent = planned.get(parent.code, parent)
        problem = check_placement(r.name, r.level, r.code, parent)
        if problem is None and parent is not None and parent.level == "city":
            if r.level == "town" and parent.code in with_counties:
                problem = towns_need_county(r.name, parent)
        if problem:
            errors.append((r.line, problem))
            continue
        if old is not None:
            if old.parent_id != (parent.id if parent else None):
                if old.parent_id is None and parent is not None:
                    where = f"at the top level ({old.path})"
                    errors.append(
                        (r.line, f"code {r.code} is stored {where}, not under {parent.label()}")
                    )
                else:
                    errors.append(
                        (
                            r.line,
                            f"code {r.code} is already stored under another parent: {old.path}",
                        )
                    )
                continue
            if old.level != r.level:
                errors.append((r.line, f"code {r.code} is stored as a {old.level}, not {r.level}"))
                continue
            action = "rename" if old.name != r.name else "same"
            pending.append((r, parent, action, old))
            path = f"{parent.path}/{r.name}" if parent else r.name
            planned[old.code or ""] = OrgUnit(old.id, r.code, r.name, r.level, old.parent_id, path)
            continue
        pending.append((r, parent, "add", None))
        path = f"{parent.path}/{r.name}" if parent else r.name
        placeholder = OrgUnit(next_id, r.code, r.name, r.level, parent.id if parent else None, path)
        next_id -= 1
        if r.code:
            planned[r.code] = placeholder
    pending = _check_sibling_names(tx, pending, errors)
    if errors:
        errors.sort()
        raise RowErrors(source, errors)

    # Write in tree order; placeholder ids are replaced by real ones as parents land.
    real: dict[str, OrgUnit] = dict(existing)
    renamed = False
    for r, parent, action, old in pending:
        if parent is not None and parent.code is not None:
            parent = real[parent.code]
            if renamed:  # a rename above it changed its path
                parent = get(tx, parent.id)
        if action == "add":
            unit = insert_unit(tx, r.name, r.level or "", r.code, parent)
            result.added += 1
        elif action == "rename":
            assert old is not None
            unit = rename_unit(tx, old, r.name, parent)
            result.renamed += 1
            renamed = True
        else:
            assert old is not None
            unit = old
            result.unchanged += 1
        if unit.code:
            real[unit.code] = unit
    return result


def _check_sibling_names(
    tx: Tx,
    pending: list[tuple[_Row, OrgUnit | None, str, OrgUnit | None]],
    errors: list[tuple[int, str]],
) -> list[tuple[_Row, OrgUnit | None, str, OrgUnit | None]]:
    """Refuse rows that would give two units under one parent the same name (and so
    one path), against the stored units and against each other, as the tree will be
    once the file is in (so two siblings may swap names). A row without a code that
    names a stored unit without a code is that unit: it stays unchanged.

    Returns `pending` without the refused rows; each refusal is added to `errors`.
    """
    touched = {old.id for _, _, _, old in pending if old is not None}
    stored: dict[tuple[int | None, str], OrgUnit] = {}
    for row in tx.all(f"SELECT {_COLUMNS} FROM org_unit"):
        unit = OrgUnit.from_row(row)
        if unit.id not in touched:
            stored.setdefault((unit.parent_id, clean_name(unit.name)), unit)
    in_file: dict[tuple[int | None, str], int] = {}
    kept: list[tuple[_Row, OrgUnit | None, str, OrgUnit | None]] = []
    for r, parent, action, old in pending:
        key = (parent.id if parent else None, r.name)
        where = parent.path if parent else "the top level"
        if key in in_file:
            errors.append(
                (
                    r.line,
                    f"{shown(r.name)} appears twice under {where} (first on line"
                    f" {in_file[key]}); units under one parent need different names",
                )
            )
            continue
        in_file[key] = r.line
        twin = stored.get(key)
        if twin is not None:
            if action == "add" and r.code is None and twin.code is None:
                kept.append((r, parent, "same", twin))  # imported before: found by name
                continue
            errors.append((r.line, sibling_clash(r.name, parent, twin)))
            continue
        kept.append((r, parent, action, old))
    return kept
