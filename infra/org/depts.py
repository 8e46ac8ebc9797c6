"""Departments (部门): the bureaus that own systems, VMs and assets.

A department has a name (not necessarily unique: every county has its 财政局), an
optional code (free text, unique, e.g. a unified social credit code) and optionally
the org unit it belongs to: city bureaus to the city, county bureaus to their
county. It is named by code or by a unique name. What other domains hang on a
department is read from the `attachment` registry (infra/org/links.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from infra import locks
from infra.errors import AmbiguousReference, Conflict, InvalidInput, NotFound, RowErrors
from infra.org import links, units
from infra.org.units import shown
from infra.store import Store, Tx

MAX_NAME = 100
MAX_CODE = 32

_SELECT = (
    "SELECT d.id, d.code, d.name, d.org_id, o.code AS org_code, o.path AS org_path"
    " FROM dept d LEFT JOIN org_unit o ON o.id = d.org_id"
)


def _sorted(rows: list[Any]) -> list[Dept]:
    """By unit, then code, then name; in Python, so both backends agree (NULLs, collation)."""
    found = [Dept.from_row(r) for r in rows]
    return sorted(found, key=lambda d: (d.org_path or "", d.code or "", d.name))


class UnknownDept(NotFound):
    """No department matches the reference."""


class Dept(NamedTuple):
    id: int
    code: str | None
    name: str
    org_id: int | None
    org_code: str | None
    org_path: str | None

    @classmethod
    def from_row(cls, row: Any) -> Dept:
        org_id = row["org_id"]
        return cls(
            int(row["id"]),
            row["code"],
            row["name"],
            int(org_id) if org_id is not None else None,
            row["org_code"],
            row["org_path"],
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "org_code": self.org_code,
            "org_path": self.org_path,
        }

    def label(self) -> str:
        where = f" of {self.org_path}" if self.org_path else ""
        return f"{self.name} ({self.code}){where}" if self.code else f"{self.name}{where}"


# -- values ----------------------------------------------------------------


def check_name(name: str) -> str | None:
    """Why `name` (already stripped) cannot name a department, or None when it can.

    Unlike an org unit's, a department's name is kept as typed (full-width brackets
    and all): it is not a path part, and siblings may share it when they have codes."""
    if not name:
        return "name is empty"
    if len(name) > MAX_NAME:
        return f"name {shown(name)} is {len(name)} characters long; at most {MAX_NAME}"
    if units.bad_character(name):
        return f"name {shown(name)} contains a control character or line break"
    return None


def check_code(code: str) -> str | None:
    """Why `code` (already stripped) cannot be a department code, or None when it can."""
    if not code:
        return "code is empty"
    if len(code) > MAX_CODE:
        return f"code {shown(code)} is {len(code)} characters long; at most {MAX_CODE}"
    if units.bad_character(code) or any(c.isspace() for c in code):
        return f"code {shown(code)} contains a space or control character"
    return None


def _valid_name(name: str) -> str:
    name = name.strip()
    problem = check_name(name)
    if problem:
        raise InvalidInput(f"department {problem}")
    return name


def _valid_code(code: str) -> str:
    code = code.strip()
    problem = check_code(code)
    if problem:
        raise InvalidInput(f"department {problem}")
    return code


# -- lookups ---------------------------------------------------------------


def resolve(tx: Tx, ref: str) -> Dept:
    """Find the department named by its code or a unique name, as typed or in its
    plain (NFKC) form."""
    typed = ref.strip()
    ref = units.check_reference(ref, "department")
    row = tx.one(f"{_SELECT} WHERE d.code IN (?, ?) ORDER BY d.id", (ref, typed))
    if row is not None:
        return Dept.from_row(row)
    rows = tx.all(f"{_SELECT} WHERE d.name IN (?, ?)", (ref, typed))
    if not rows:
        raise UnknownDept(f"no department with code or name {shown(ref)}")
    if len(rows) > 1:
        found = _sorted(rows)
        listing = ", ".join(d.label() for d in found[:10])
        more = f" and {len(found) - 10} more" if len(found) > 10 else ""
        raise AmbiguousReference(
            f"name {shown(ref)} matches {len(found)} departments: {listing}{more}; use the code"
        )
    return Dept.from_row(rows[0])


def get(tx: Tx, dept_id: int) -> Dept:
    row = tx.one(f"{_SELECT} WHERE d.id = ?", (dept_id,))
    if row is None:
        raise UnknownDept(f"no department with id {dept_id}")
    return Dept.from_row(row)


def _code_taken(tx: Tx, code: str) -> None:
    row = tx.one(f"{_SELECT} WHERE d.code = ?", (code,))
    if row is not None:
        raise Conflict(f"code {code} is already used by {Dept.from_row(row).label()}")


def _name_must_stay_reachable(tx: Tx, name: str, code: str | None, dept_id: int = 0) -> None:
    """A department without a code is named by its name alone, so that must be unique."""
    if code is None:
        others = tx.all(f"{_SELECT} WHERE d.name = ? AND d.id <> ?", (name, dept_id))
        if others:
            raise Conflict(
                f"{shown(name)} is already the name of {_sorted(others)[0].label()};"
                " a department without a code needs a unique name (give it a code)"
            )
    else:
        # a code-less department of that name would lose its only name
        other = tx.one(
            f"{_SELECT} WHERE d.name = ? AND d.code IS NULL AND d.id <> ?", (name, dept_id)
        )
        if other is not None:
            raise Conflict(
                f"{shown(name)} is already the name of {Dept.from_row(other).label()}, which has"
                " no code and is named by it; give that one a code first"
            )


# -- the public operations -------------------------------------------------


def list_depts(store: Store, org_ref: str | None = None) -> list[dict[str, Any]]:
    """Every department, or those of one org unit."""

    def run(tx: Tx) -> list[dict[str, Any]]:
        if org_ref is not None:
            unit = units.resolve(tx, org_ref)
            rows = tx.all(f"{_SELECT} WHERE d.org_id = ?", (unit.id,))
        else:
            rows = tx.all(_SELECT)
        return [d.as_dict() for d in _sorted(rows)]

    return store.read(run)


def show(store: Store, ref: str) -> dict[str, Any]:
    """One department, its org unit, and what hangs on it."""

    def run(tx: Tx) -> dict[str, Any]:
        dept = resolve(tx, ref)
        info = dept.as_dict()
        info.update(links.listed(tx, "dept", dept.id))
        return info

    return store.read(run)


def add(store: Store, name: str, code: str | None = None, org_ref: str | None = None) -> Dept:
    """Add one department, under the org unit `org_ref` when given."""
    return store.write(lambda tx: add_in(tx, name, code, org_ref))


def add_in(tx: Tx, name: str, code: str | None = None, org_ref: str | None = None) -> Dept:
    """`add` inside the caller's transaction (an import that creates departments)."""
    name = _valid_name(name)
    code = _valid_code(code) if code is not None else None
    locks.hold(tx, locks.ORG)
    unit = units.resolve(tx, org_ref) if org_ref is not None else None
    if code is not None:
        _code_taken(tx, code)
    _name_must_stay_reachable(tx, name, code)
    return _insert(tx, name, code, unit)


def _insert(tx: Tx, name: str, code: str | None, unit: units.OrgUnit | None) -> Dept:
    dept_id = tx.insert(
        "INSERT INTO dept (code, name, org_id, created_at) VALUES (?, ?, ?, ?)",
        (code, name, unit.id if unit else None, tx.now),
    )
    dept = Dept(
        dept_id,
        code,
        name,
        unit.id if unit else None,
        unit.code if unit else None,
        unit.path if unit else None,
    )
    tx.audit("dept.add", "dept", code or name, None, dept.as_dict())
    return dept


def rename(store: Store, ref: str, new_name: str) -> Dept:
    """Give a department a new name; its code and unit stay."""
    new_name = _valid_name(new_name)

    def run(tx: Tx) -> Dept:
        locks.hold(tx, locks.ORG)
        return _rename(tx, resolve(tx, ref), new_name)

    return store.write(run)


def _rename(tx: Tx, old: Dept, new_name: str) -> Dept:
    if new_name == old.name:
        return old
    _name_must_stay_reachable(tx, new_name, old.code, old.id)
    tx.execute("UPDATE dept SET name = ? WHERE id = ?", (new_name, old.id))
    new = old._replace(name=new_name)
    tx.audit("dept.rename", "dept", old.code or old.name, old.as_dict(), new.as_dict())
    return new


def move(store: Store, ref: str, org_ref: str | None) -> Dept:
    """Put a department under another org unit (None: under none)."""

    def run(tx: Tx) -> Dept:
        locks.hold(tx, locks.ORG)
        old = resolve(tx, ref)
        unit = units.resolve(tx, org_ref) if org_ref is not None else None
        if (unit.id if unit else None) == old.org_id:
            return old
        tx.execute("UPDATE dept SET org_id = ? WHERE id = ?", (unit.id if unit else None, old.id))
        new = old._replace(
            org_id=unit.id if unit else None,
            org_code=unit.code if unit else None,
            org_path=unit.path if unit else None,
        )
        tx.audit("dept.move", "dept", old.code or old.name, old.as_dict(), new.as_dict())
        return new

    return store.write(run)


def remove(store: Store, ref: str) -> Dept:
    """Remove a department that nothing refers to."""

    def run(tx: Tx) -> Dept:
        locks.hold(tx, locks.ORG)
        dept = resolve(tx, ref)
        held = links.holding(tx, "dept", dept.id)
        if held:
            raise Conflict(f"{dept.label()} still has {links.say(held)} assigned")
        tx.execute("DELETE FROM dept WHERE id = ?", (dept.id,))
        tx.audit("dept.remove", "dept", dept.code or dept.name, dept.as_dict(), None)
        return dept

    return store.write(run)


# -- import ----------------------------------------------------------------

_HEADER_ALIASES = {
    "code": "code",
    "dept_code": "code",
    "编码": "code",
    "代码": "code",
    "部门编码": "code",
    "部门代码": "code",
    "name": "name",
    "dept": "name",
    "名称": "name",
    "部门名称": "name",
    "部门": "name",
    "org_code": "org_code",
    "org": "org_code",
    "所属单位代码": "org_code",
    "区划代码": "org_code",
    "所属区划代码": "org_code",
}


@dataclass
class DeptImportResult:
    added: int = 0
    renamed: int = 0
    unchanged: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"added": self.added, "renamed": self.renamed, "unchanged": self.unchanged}


@dataclass
class _Row:
    line: int
    code: str
    name: str
    org_code: str | None


def import_file(store: Store, path: str | Path, encoding: str | None = None) -> DeptImportResult:
    """Import departments (code,name,org_code) from CSV or .xlsx; any bad row writes nothing.

    Keyed by code: a code already stored with another name is a rename; the same
    file imported twice changes nothing.
    """
    from infra import tabular
    from infra.org.importer import locate_header

    path = Path(path)
    table = tabular.read_table(path, encoding)
    try:
        header = locate_header(
            table, _HEADER_ALIASES, ("code", "name", "org_code"), "code,name,org_code"
        )
    except InvalidInput as exc:
        raise InvalidInput(f"{path}: {exc}") from None

    def cell(values: list[str], key: str) -> str:
        i = header[key]
        return values[i].strip() if i < len(values) else ""

    rows: list[_Row] = []
    errors: list[tuple[int, str]] = []
    for line, values in table.rows:
        if not any(v.strip() for v in values):
            continue
        code, name = cell(values, "code"), cell(values, "name")
        problem = check_code(code) or check_name(name)
        org_code = None
        if problem is None and cell(values, "org_code"):
            try:
                org_code = units.normalize_code(tabular.excel_number(cell(values, "org_code")))
            except InvalidInput as exc:
                problem = str(exc)
        if problem:
            errors.append((line, problem))
        else:
            rows.append(_Row(line, code, name, org_code))
    # A file with unreadable rows writes nothing, but its other rows are still checked.
    run = store.read if errors else store.write
    return run(lambda tx: _import_rows(tx, str(path), rows, errors))


def _import_rows(
    tx: Tx, source: str, rows: list[_Row], errors: list[tuple[int, str]]
) -> DeptImportResult:
    locks.hold(tx, locks.ORG)
    errors = list(errors)
    stored = {r["code"]: Dept.from_row(r) for r in tx.all(f"{_SELECT} WHERE d.code IS NOT NULL")}
    codeless = {r["name"] for r in tx.all("SELECT name FROM dept WHERE code IS NULL")}
    unit_by_code: dict[str, units.OrgUnit | None] = {}
    first_line: dict[str, int] = {}
    plan: list[tuple[_Row, units.OrgUnit | None, Dept | None]] = []
    for r in rows:
        if r.code in first_line:
            errors.append((r.line, f"duplicate code {r.code} (first on line {first_line[r.code]})"))
            continue
        first_line[r.code] = r.line
        unit = None
        if r.org_code is not None:
            if r.org_code not in unit_by_code:
                row = tx.one(f"SELECT {units._COLUMNS} FROM org_unit WHERE code = ?", (r.org_code,))
                unit_by_code[r.org_code] = units.OrgUnit.from_row(row) if row else None
            unit = unit_by_code[r.org_code]
            if unit is None:
                errors.append((r.line, f"no org unit with code {r.org_code}"))
                continue
        if r.name in codeless:
            errors.append(
                (
                    r.line,
                    f"{shown(r.name)} is already the name of a department without a code,"
                    " which is named by it; give that one a code first",
                )
            )
            continue
        old = stored.get(r.code)
        if old is not None and old.org_id != (unit.id if unit else None):
            where = old.org_path or "no org unit"
            given = unit.label() if unit else "none"
            errors.append(
                (
                    r.line,
                    f"code {r.code} belongs to {where}, the file gives {given};"
                    " an import does not move departments",
                )
            )
            continue
        plan.append((r, unit, old))
    if errors:
        errors.sort()
        raise RowErrors(source, errors)

    result = DeptImportResult()
    for r, unit, old in plan:
        if old is None:
            _insert(tx, r.name, r.code, unit)
            result.added += 1
        elif old.name != r.name:
            _rename(tx, old, r.name)
            result.renamed += 1
        else:
            result.unchanged += 1
    return result
