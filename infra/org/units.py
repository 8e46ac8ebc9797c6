"""The four-tier org hierarchy: city → county → town → village, optionally under a province.

A unit has a Chinese name, a level, a parent and, where known, its 12-digit
statistical division code (统计用区划代码). On the command line a unit is named
by code, by path (`河源市/源城区/上城街道`) or by a unique name. A province, when
there is one, is the root of a province-wide tree; a city-only tree has cities at
the top, as before.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, NamedTuple

from infra import locks
from infra.errors import (
    AmbiguousReference,
    Conflict,
    InvalidInput,
    UnknownOrgUnit,
)
from infra.store import Store, Tx

LEVELS = ("province", "city", "county", "town", "village")
RANK = {level: i for i, level in enumerate(LEVELS)}
TOP_LEVELS = ("province", "city")  # the levels that may stand without a parent
LEVEL_ALIASES = {
    "province": "province",
    "省": "province",
    "自治区": "province",  # 广西壮族自治区 … hold cities as a province does
    # A 直辖市 (北京, 上海, 天津, 重庆) runs its extranet as a city: its districts are the
    # counties, and it may carry its province-level code (110000000000) as a city.
    "直辖市": "city",
    "自治州": "city",
    "地区": "city",
    "盟": "city",
    "县级市": "county",
    "自治县": "county",
    "旗": "county",
    "市": "city",
    "地级市": "city",
    "county": "county",
    "district": "county",
    "县": "county",
    "区": "county",
    "县级": "county",
    "town": "town",
    "street": "town",
    "township": "town",
    "镇": "town",
    "乡": "town",
    "街道": "town",
    "乡镇": "town",
    "village": "village",
    "community": "village",
    "村": "village",
    "社区": "village",
    "村居": "village",
    "city": "city",
    "prefecture": "city",
}
MAX_NAME = 100  # the longest real village committee names are about 30 characters
MAX_DEPTH = len(LEVELS) - 1  # no tree is deeper than its tiers
_SHOWN = 40  # at most this much of a user's text is quoted back in a message
# Control (Cc), format (Cf: zero-width and bidi marks), surrogate (Cs: undecodable
# bytes) and line/paragraph separators: none belongs in a name or a reference.
_BAD_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
_CODE_RE = r"^\d{12}$"  # compiled on first use (re caches it): start-up counts
_FULL_WIDTH = str.maketrans("０１２３４５６７８９", "0123456789")

_COLUMNS = "id, code, name, level, parent_id, path"
_ROOTS = "SELECT count(*) FROM org_unit WHERE parent_id IS NULL"


class OrgUnit(NamedTuple):
    id: int
    code: str | None
    name: str
    level: str
    parent_id: int | None
    path: str

    @classmethod
    def from_row(cls, row: Any) -> OrgUnit:
        return cls(
            int(row["id"]),
            row["code"],
            row["name"],
            row["level"],
            row["parent_id"],
            row["path"],
        )

    def as_dict(self, parent_code: str | None = None) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "level": self.level,
            "parent_code": parent_code,
            "path": self.path,
        }

    def label(self) -> str:
        return f"{self.path} ({self.code})" if self.code else self.path


# -- text --------------------------------------------------------------------


def clean_name(text: str) -> str:
    """A name as it is stored and compared: NFKC-normalised (full-width letters, digits
    and punctuation and the ideographic space as their plain forms), surrounding
    whitespace stripped. `上城街道`, ` 上城街道 ` and its full-width twin are one name."""
    if text.isascii():  # NFKC leaves ASCII as it is; codes and paths skip the import
        return text.strip()
    import unicodedata

    return unicodedata.normalize("NFKC", text).strip()


def shown(text: str, limit: int = _SHOWN) -> str:
    """`text` quoted for a message, cut at `limit` characters, so that a message stays
    one short line whatever it quotes."""
    if len(text) <= limit:
        return repr(text)
    return f"{text[:limit]!r}… ({len(text)} characters)"


def bad_character(text: str) -> bool:
    """Whether `text` holds a control, format or surrogate character or a line break."""
    if text.isprintable():  # the common case, at C speed
        return False
    import unicodedata

    return any(not c.isprintable() and unicodedata.category(c) in _BAD_CATEGORIES for c in text)


def check_reference(ref: str, what: str) -> str:
    """`ref` stripped and normalised, or one line saying why it names nothing."""
    ref = ref.strip()  # surrounding tabs and line breaks are whitespace, not content
    if bad_character(ref):
        raise InvalidInput(f"{what} reference {shown(ref)} contains a control character")
    ref = clean_name(ref)
    if not ref:
        raise InvalidInput(f"empty {what} reference")
    return ref


# -- codes and levels ------------------------------------------------------


def infer_level(code: str) -> str:
    """The tier a 12-digit division code denotes."""
    if code[2:] == "0" * 10:
        return "province"
    if code[4:] == "0" * 8:
        return "city"
    if code[6:] == "0" * 6:
        return "county"
    if code[9:] == "000":
        return "town"
    return "village"


def code_stem(code: str, level: str) -> str:
    """The digits of `code` that every descendant's code starts with."""
    if level == "province":
        return code[:2]
    if level == "city":
        return code[:2] if code[2:4] == "00" else code[:4]
    return {"county": code[:6], "town": code[:9], "village": code}[level]


def normalize_level(text: str) -> str:
    level = LEVEL_ALIASES.get(text.strip().lower())
    if level is None:
        raise InvalidInput(f"unknown level {shown(text)}: use one of {', '.join(LEVELS)}")
    return level


def normalize_code(text: str) -> str:
    """Accept a 12-digit code, or its 2- (province), 4- (city), 6- (county) or 9-digit
    (town) short form."""
    digits = text.strip()
    digits = digits.translate(_FULL_WIDTH)  # ４４１６０２ as a Chinese IME types it
    if not (digits.isascii() and digits.isdigit()):
        raise InvalidInput(f"division code {shown(text)} is not a number")
    if len(digits) in (2, 4, 6, 9):
        digits = digits.ljust(12, "0")
    if not re.match(_CODE_RE, digits):
        raise InvalidInput(f"division code {shown(text)} must have 12 digits (or 2, 4, 6 or 9)")
    return digits


def check_placement(name: str, level: str, code: str | None, parent: OrgUnit | None) -> str | None:
    """Why a unit cannot sit where it is asked to, or None when it can.

    `name` is taken as `clean_name` left it."""
    if not name:
        return "name is empty"
    if len(name) > MAX_NAME:
        return f"name {shown(name)} is {len(name)} characters long; at most {MAX_NAME}"
    if "/" in name:
        return f"name {shown(name)} contains '/', which separates path parts"
    if bad_character(name):
        return f"name {shown(name)} contains a control character or line break"
    if code is not None:
        inferred = infer_level(code)
        # a 直辖市 is kept as a city that carries its province-level code (110000000000)
        if inferred != level and not (level == "city" and inferred == "province"):
            return f"code {code} is a {inferred} code, not a {level} code"
    if parent is None:
        if level not in TOP_LEVELS:
            return f"a {level} needs a parent (only a province or a city stands at the top)"
        return None
    if level == "province":
        return f"a province stands at the top, not under {parent.label()}"
    allowed = RANK[parent.level] == RANK[level] - 1 or (
        # prefecture-level cities without counties (东莞, 中山, 儋州, 嘉峪关) hold towns directly
        parent.level == "city" and level == "town"
    )
    if not allowed:
        return f"a {level} cannot sit under a {parent.level} ({parent.label()})"
    if code is not None and parent.code is not None:
        stem = code_stem(parent.code, parent.level)
        if not code.startswith(stem):
            return f"code {code} does not start with its parent's {stem} ({parent.label()})"
    return None


# -- lookups ---------------------------------------------------------------


def get(tx: Tx, unit_id: int) -> OrgUnit:
    row = tx.one(f"SELECT {_COLUMNS} FROM org_unit WHERE id = ?", (unit_id,))
    if row is None:
        raise UnknownOrgUnit(f"no org unit with id {unit_id}")
    return OrgUnit.from_row(row)


def resolve(tx: Tx, ref: str) -> OrgUnit:
    """Find the unit named by a division code, a path or a unique name.

    Names and paths are compared as `clean_name` stores them; a name stored by an
    older version as typed is found too.
    """
    typed = ref.strip()
    ref = check_reference(ref, "org unit")
    if ref.isdigit():
        code = normalize_code(ref)
        row = tx.one(f"SELECT {_COLUMNS} FROM org_unit WHERE code = ?", (code,))
        if row is None:
            raise UnknownOrgUnit(f"no org unit with code {code}")
        return OrgUnit.from_row(row)
    if "/" in ref:
        key = "path"
        wanted = "/".join(clean_name(part) for part in ref.strip("/").split("/"))
        as_typed = "/".join(part.strip() for part in typed.strip("/").split("/"))
        hint = "use the code"
    else:
        key, wanted, as_typed = "name", ref, typed
        hint = "use the code or full path"
    if not wanted:
        raise InvalidInput("empty org unit reference")
    what = f"{key} {shown(wanted)}"
    rows = tx.all(
        f"SELECT {_COLUMNS} FROM org_unit WHERE {key} IN (?, ?)",
        (wanted, as_typed),
    )
    if not rows:
        raise UnknownOrgUnit(f"no org unit with {what}")
    if len(rows) > 1:
        # Same-named siblings (stored by an older version) share a path: each is still
        # reachable by its code, so the message lists the codes.
        # coded ones first, in code order, on both backends (their NULLs sort apart)
        units = sorted(
            (OrgUnit.from_row(r) for r in rows), key=lambda u: (u.code is None, u.code, u.id)
        )
        listing = ", ".join(f"{u.path} ({u.code or 'no code'})" for u in units[:10])
        more = f" and {len(units) - 10} more" if len(units) > 10 else ""
        raise AmbiguousReference(f"{what} matches {len(units)} org units: {listing}{more}; {hint}")
    return OrgUnit.from_row(rows[0])


def same_named_sibling(
    tx: Tx, name: str, parent: OrgUnit | None, but: int | None = None
) -> OrgUnit | None:
    """A unit other than `but` under `parent` (the top level for None) whose name is
    `name` once cleaned: two such would share one path."""
    if parent is None:
        rows = tx.all(f"SELECT {_COLUMNS} FROM org_unit WHERE parent_id IS NULL")
    else:
        rows = tx.all(f"SELECT {_COLUMNS} FROM org_unit WHERE parent_id = ?", (parent.id,))
    for row in rows:
        unit = OrgUnit.from_row(row)
        if unit.id != but and clean_name(unit.name) == name:
            return unit
    return None


def sibling_clash(name: str, parent: OrgUnit | None, other: OrgUnit) -> str:
    where = parent.path if parent else "the top level"
    return (
        f"{shown(name)} already exists under {where}: {other.label()};"
        " units under one parent need different names"
    )


def has_counties(tx: Tx, unit: OrgUnit) -> bool:
    """Whether a unit has county children (then towns belong under those, not under it)."""
    q = "SELECT count(*) FROM org_unit WHERE parent_id = ? AND level = 'county'"
    return bool(tx.scalar(q, (unit.id,)))


def towns_need_county(name: str, parent: OrgUnit) -> str:
    return (
        f"{parent.label()} has counties: put town {shown(name)} under its county"
        " (only a city without counties, like 东莞, holds towns directly)"
    )


def parent_code(tx: Tx, unit: OrgUnit) -> str | None:
    if unit.parent_id is None:
        return None
    code: str | None = tx.scalar("SELECT code FROM org_unit WHERE id = ?", (unit.parent_id,))
    return code


def subtree_sql(root: OrgUnit | None, depth: int | None = None) -> tuple[str, tuple[Any, ...]]:
    """A `WITH RECURSIVE sub(id, depth) AS (…)` clause naming the units under `root`
    (inclusive; every unit for None) with their depth, and its parameters: put it
    before a query that joins `sub` to answer for a whole subtree in one statement."""
    # The tiers bound the depth; the bound also ends the walk should rows ever loop.
    limit = MAX_DEPTH if depth is None else min(depth, MAX_DEPTH)
    if root is None:
        seed = "SELECT id, 0 FROM org_unit WHERE parent_id IS NULL"
        params: tuple[Any, ...] = (limit,)
    else:
        seed = "SELECT id, 0 FROM org_unit WHERE id = ?"
        params = (root.id, limit)
    sql = f"""
        WITH RECURSIVE sub(id, depth) AS (
            {seed}
            UNION ALL
            SELECT o.id, sub.depth + 1 FROM org_unit o JOIN sub ON o.parent_id = sub.id
            WHERE sub.depth < ?
        )"""
    return sql, params


def subtree(tx: Tx, root: OrgUnit | None, depth: int | None = None) -> list[dict[str, Any]]:
    """Units under `root` (inclusive), or every unit, in tree order, with their depth."""
    cte, params = subtree_sql(root, depth)
    rows = tx.all(
        f"""{cte}
        SELECT o.id, o.code, o.name, o.level, o.parent_id, o.path, sub.depth,
               p.code AS parent_code
        FROM sub JOIN org_unit o ON o.id = sub.id
        LEFT JOIN org_unit p ON p.id = o.parent_id
        """,
        params,
    )
    return [dict(r) for r in rows]


def _sort_key(node: dict[str, Any]) -> tuple[str, str]:
    return (node["code"] or "~", node["name"])


def build_tree(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Nest flat subtree rows: each node gets `children`, siblings ordered by code."""
    nodes: dict[int, dict[str, Any]] = {}
    for r in rows:
        nodes[r["id"]] = {
            "code": r["code"],
            "name": r["name"],
            "level": r["level"],
            "path": r["path"],
            "children": [],
            "_parent": r["parent_id"],
        }
    roots: list[dict[str, Any]] = []
    for node in nodes.values():
        parent = nodes.get(node.pop("_parent"))
        (parent["children"] if parent else roots).append(node)
    stack = list(roots)
    while stack:
        node = stack.pop()
        node["children"].sort(key=_sort_key)
        stack.extend(node["children"])
    roots.sort(key=_sort_key)
    return roots


# -- the public operations -------------------------------------------------


def list_units(
    store: Store, level: str | None = None, under: str | None = None
) -> list[dict[str, Any]]:
    def run(tx: Tx) -> list[dict[str, Any]]:
        root = resolve(tx, under) if under is not None else None
        rows = subtree(tx, root)
        if level:
            rows = [r for r in rows if r["level"] == level]
        rows.sort(key=lambda r: (RANK[r["level"]], r["code"] or "~", r["path"]))
        return [
            {
                "code": r["code"],
                "name": r["name"],
                "level": r["level"],
                "parent_code": r["parent_code"],
                "path": r["path"],
            }
            for r in rows
        ]

    return store.read(run)


def show(store: Store, ref: str) -> dict[str, Any]:
    """One unit with its parent and how many units of each level lie under it."""

    def run(tx: Tx) -> dict[str, Any]:
        unit = resolve(tx, ref)
        # Counted in the database: a province's 28,000 units need not cross over.
        below = "SELECT o.level, sum(CASE WHEN o.parent_id = ? THEN 1 ELSE 0 END) AS children,"
        below += " count(*) AS n"
        if unit.parent_id is None and tx.scalar(_ROOTS) == 1:
            # The only top unit: everything else lies under it (a unit's parent is set
            # once, before it, so the tree has no loops), and the level index counts it.
            query = f"{below} FROM org_unit o WHERE o.id != ? GROUP BY o.level"
            params: tuple[Any, ...] = (unit.id, unit.id)
        else:
            cte, params = subtree_sql(unit)
            query = f"{cte} {below} FROM sub JOIN org_unit o ON o.id = sub.id"
            query += " WHERE sub.depth > 0 GROUP BY o.level"
            params = (*params, unit.id)
        counted = tx.all(query, params)
        counts = dict.fromkeys(LEVELS[RANK[unit.level] + 1 :], 0)
        found = {r["level"]: r for r in counted}
        for level in sorted(found, key=lambda lv: RANK.get(lv, len(LEVELS))):
            counts[level] = counts.get(level, 0) + int(found[level]["n"])
        info = unit.as_dict(parent_code(tx, unit))
        info["children"] = sum(int(r["children"]) for r in counted)
        info["descendants"] = counts
        # What every domain hangs on it (its address blocks, its departments …), so
        # "what does 源城区 have?" is one command.
        from infra.org import links

        info.update(links.listed(tx, "org_unit", unit.id))
        return info

    return store.read(run)


def tree(store: Store, ref: str | None = None, depth: int | None = None) -> list[dict[str, Any]]:
    def run(tx: Tx) -> list[dict[str, Any]]:
        root = resolve(tx, ref) if ref is not None else None
        return build_tree(subtree(tx, root, depth))

    return store.read(run)


def insert_unit(tx: Tx, name: str, level: str, code: str | None, parent: OrgUnit | None) -> OrgUnit:
    path = f"{parent.path}/{name}" if parent else name
    parent_id = parent.id if parent else None
    unit_id = tx.insert(
        "INSERT INTO org_unit (code, name, level, parent_id, path, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (code, name, level, parent_id, path, tx.now),
    )
    unit = OrgUnit(unit_id, code, name, level, parent_id, path)
    tx.audit(
        "org.add", "org_unit", code or path, None, unit.as_dict(parent.code if parent else None)
    )
    return unit


def add(
    store: Store, name: str, level: str, parent_ref: str | None = None, code: str | None = None
) -> OrgUnit:
    """Add one unit under `parent_ref` (None for a top unit: a province or a city)."""
    name = clean_name(name)
    level = normalize_level(level)
    code = normalize_code(code) if code is not None else None

    def run(tx: Tx) -> OrgUnit:
        locks.hold(tx, locks.ORG)
        parent = resolve(tx, parent_ref) if parent_ref is not None else None
        problem = check_placement(name, level, code, parent)
        if problem:
            raise InvalidInput(problem)
        if parent is not None and parent.level == "city" and level == "town":
            if has_counties(tx, parent):
                raise InvalidInput(towns_need_county(name, parent))
        if code is not None:
            clash = tx.one(f"SELECT {_COLUMNS} FROM org_unit WHERE code = ?", (code,))
            if clash is not None:
                raise Conflict(f"code {code} is already used by {OrgUnit.from_row(clash).path}")
        twin = same_named_sibling(tx, name, parent)
        if twin is not None:
            raise Conflict(sibling_clash(name, parent, twin))
        return insert_unit(tx, name, level, code, parent)

    return store.write(run)


def remove(store: Store, ref: str) -> OrgUnit:
    """Remove a unit that has no children and nothing assigned to it."""

    def run(tx: Tx) -> OrgUnit:
        locks.hold(tx, locks.ORG)
        unit = resolve(tx, ref)
        children = tx.scalar("SELECT count(*) FROM org_unit WHERE parent_id = ?", (unit.id,))
        if children:
            raise Conflict(f"{unit.label()} has {children} child units; remove them first")
        from infra.org import links

        held = links.holding(tx, "org_unit", unit.id)
        if held:
            raise Conflict(f"{unit.label()} still has {links.say(held)} assigned")
        tx.execute("DELETE FROM org_unit WHERE id = ?", (unit.id,))
        before = unit.as_dict(parent_code(tx, unit))
        tx.audit("org.remove", "org_unit", unit.code or unit.path, before, None)
        return unit

    return store.write(run)


def rename_unit(tx: Tx, old: OrgUnit, name: str, parent: OrgUnit | None) -> OrgUnit:
    # Read both again: an ancestor renamed earlier in this transaction changed their paths.
    old = get(tx, old.id)
    parent = get(tx, old.parent_id) if old.parent_id is not None else None
    new_path = f"{parent.path}/{name}" if parent else name
    tx.execute("UPDATE org_unit SET name = ?, path = ? WHERE id = ?", (name, new_path, old.id))
    prefix = old.path + "/"
    tx.execute(
        "UPDATE org_unit SET path = ? || substr(path, ?) WHERE substr(path, 1, ?) = ?",
        (new_path + "/", len(prefix) + 1, len(prefix), prefix),
    )
    unit = OrgUnit(old.id, old.code, name, old.level, old.parent_id, new_path)
    pcode = parent.code if parent else None
    tx.audit(
        "org.rename", "org_unit", old.code or old.path, old.as_dict(pcode), unit.as_dict(pcode)
    )
    return unit
