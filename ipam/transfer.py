"""Export every prefix and address, and import them back (all rows or none).

The JSON form is {"format": "govops-ipam", "version": 1, "vrfs": [...],
"prefixes": [...], "addresses": [...]}; YAML is the same document; CSV is one
table with a `kind` column (`vrf`, `prefix` or `address`).
Export → import into an empty database → export gives identical output.

Both stream, so memory does not grow with the database: `write` writes rows as
keyset pages of them are read; `import_file` reads a JSON, YAML or CSV export a
row at a time (anything unusual is read whole by `load`, which explains it), and
and `ipam.importer` writes what they hold (a VRF and family that hold no prefix
yet in bulk).
"""

from __future__ import annotations

import csv
import functools
import io
import itertools
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, NamedTuple, TextIO

from infra.bulk import collector_paused
from infra.errors import GovopsError, InvalidInput, RowErrors
from infra.inputs import MAX_INPUT_BYTES, whole_number
from infra.org import units as orgs
from infra.progress import QUIET, Progress
from infra.store import Store, Tx
from infra.tabular import neutral, unneutral
from ipam import addresses, space
from ipam.addr import (
    Block,
    Undecided,
    addr_text,
    free_text,
    one_word,
    parse_address,
    parse_block,
    unblob,
)

PREFIX_FIELDS = list(space.PREFIX_FIELDS)


class UnknownFormat(Undecided, InvalidInput):
    """The file's format cannot be told from its name: it must be named."""

    choice = "format"


ADDRESS_FIELDS = ["vrf", "address", "prefix", "hostname", "description", "status"]
VRF_FIELDS = ["name", "rd", "description"]
CSV_FIELDS = ["kind", *dict.fromkeys(PREFIX_FIELDS + ADDRESS_FIELDS + ["name", "rd"])]


PAGE = 5000
"""Rows read per query while exporting (keyset pages: memory stays bounded)."""


class _Source:
    """The rows of an export, read from one transaction page by page.

    Prefixes come sorted by VRF name, family, address and length; addresses by VRF
    name, family and address: the order the export has always had.
    """

    def __init__(self, tx: Tx, vrf: str | None) -> None:
        if tx.dialect == "postgresql":
            # One snapshot for every page (READ COMMITTED would give each page its own).
            tx.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        self.tx = tx
        vrfs = tx.all("SELECT id, name, rd, description FROM vrf ORDER BY name")
        if vrf:
            vid = space.vrf_id(tx, vrf)
            vrfs = [v for v in vrfs if int(v["id"]) == vid]
        self.vrfs = [{k: v[k] for k in VRF_FIELDS} for v in vrfs]
        self.names = {int(v["id"]): str(v["name"]) for v in vrfs}
        self._order = sorted(self.names, key=lambda vid: self.names[vid])
        self._units: dict[int, orgs.OrgUnit] | None = None

    def counts(self) -> tuple[int, int]:
        """How many prefixes and addresses the export holds."""
        marks = ", ".join("?" for _ in self.names) or "NULL"
        ids = list(self.names)
        n = self.tx.scalar(f"SELECT count(*) FROM prefix WHERE vrf_id IN ({marks})", ids)
        m = self.tx.scalar(f"SELECT count(*) FROM ip_address WHERE vrf_id IN ({marks})", ids)
        return int(n), int(m)

    def _unit(self, org_id: int | None) -> orgs.OrgUnit | None:
        if org_id is None:
            return None
        if self._units is None:
            self._units = {
                int(r["id"]): orgs.OrgUnit.from_row(r)
                for r in self.tx.all("SELECT id, code, name, level, parent_id, path FROM org_unit")
            }
        return self._units.get(org_id)

    def _pages(self, sql: str, vid: int, keys: tuple[str, ...]) -> Iterator[Any]:
        """Every row of `sql` (a query on alias `x`) in the VRF, ordered by `keys`
        (unique in a VRF), a page at a time: each page starts after the last row of
        the one before, through the unique index, so no query reads the table whole."""
        order = ", ".join(f"x.{k}" for k in keys)
        rows = self.tx.all(f"{sql} WHERE x.vrf_id = ? ORDER BY {order} LIMIT ?", (vid, PAGE))
        after = _after(keys)
        while True:
            yield from rows
            if len(rows) < PAGE:
                return
            last = rows[-1]
            params: list[Any] = [vid]
            for i, k in enumerate(keys):
                params += [last[j] for j in keys[:i]] + [last[k]]
            rows = self.tx.all(
                f"{sql} WHERE x.vrf_id = ? AND ({after}) ORDER BY {order} LIMIT ?",
                (*params, PAGE),
            )

    def prefixes(self) -> Iterator[dict[str, Any]]:
        """Each prefix's record (`space.record`), in export order."""
        sql = (
            "SELECT x.id, x.vrf_id, x.family, x.net, x.plen, x.parent_id, x.status, x.is_pool,"
            " x.org_id, x.purpose, x.description, x.quarantine_until, q.cidr AS parent_cidr"
            " FROM prefix x LEFT JOIN prefix q ON q.id = x.parent_id"
        )
        for vid in self._order:
            name = self.names[vid]
            for r in self._pages(sql, vid, ("family", "net", "plen")):
                p = space.Prefix.from_row(r)
                yield space.record(name, p, r["parent_cidr"], self._unit(p.org_id))

    def addresses(self) -> Iterator[dict[str, Any]]:
        """Each address row, in export order."""
        sql = (
            "SELECT x.vrf_id, x.family, x.addr, x.hostname, x.description, x.status, p.cidr"
            " FROM ip_address x JOIN prefix p ON p.id = x.prefix_id"
        )
        for vid in self._order:
            name = self.names[vid]
            for r in self._pages(sql, vid, ("family", "addr")):
                family = int(r["family"])
                yield {
                    "vrf": name,
                    "address": addr_text(family, unblob(r["addr"])),
                    "prefix": r["cidr"],
                    "hostname": r["hostname"],
                    "description": r["description"],
                    "status": r["status"],
                }


def _after(keys: tuple[str, ...]) -> str:
    """Rows after a given one in `keys` order: (a > ?) OR (a = ? AND b > ?) OR …"""
    terms = []
    for i, k in enumerate(keys):
        equal = [f"x.{j} = ?" for j in keys[:i]]
        terms.append(" AND ".join([*equal, f"x.{k} > ?"]))
    return " OR ".join(f"({t})" for t in terms)


def export(store: Store, vrf: str | None = None) -> dict[str, Any]:
    """The whole export as one document (for a small database: `write` streams it)."""

    def run(tx: Tx) -> dict[str, Any]:
        source = _Source(tx, vrf)
        return {
            "format": "govops-ipam",
            "version": 1,
            "vrfs": source.vrfs,
            "prefixes": list(source.prefixes()),
            "addresses": list(source.addresses()),
        }

    return store.read(run)


EXPORT_FORMATS = ("json", "yaml", "csv")


def write(
    store: Store,
    out: TextIO,
    fmt: str = "json",
    vrf: str | None = None,
    progress: Progress = QUIET,
) -> dict[str, int]:
    """Write the export to `out` as its rows are read; returns how many prefixes and
    addresses went out. Memory stays bounded whatever the database holds; the text
    is what `export` gives, dumped by `json.dumps(indent=2)`, `to_csv` or YAML's
    safe dumper (libyaml's when present)."""
    if fmt not in EXPORT_FORMATS:
        raise UnknownFormat(f"unknown export format {_shown(fmt)}; use json, yaml or csv")

    def run(tx: Tx) -> dict[str, int]:
        source = _Source(tx, vrf)
        n_prefixes, n_addresses = source.counts()
        progress.phase("prefixes", total=n_prefixes)
        prefixes = _counted(source.prefixes(), progress)
        if fmt == "csv":
            _write_csv(out, source, prefixes, progress, n_addresses)
        elif fmt == "json":
            _write_json(out, source, prefixes, progress, n_addresses)
        else:
            _write_yaml(out, source, prefixes, progress, n_addresses)
        return {"prefixes": n_prefixes, "addresses": n_addresses}

    return store.read(run)


def _counted(rows: Iterator[dict[str, Any]], progress: Progress) -> Iterator[dict[str, Any]]:
    n = 0
    for row in rows:
        yield row
        n += 1
        if n == PAGE:
            progress.advance(n)
            n = 0
    progress.advance(n)


def _write_csv(
    out: TextIO,
    source: _Source,
    prefixes: Iterator[dict[str, Any]],
    progress: Progress,
    n_addresses: int,
) -> None:
    writer = csv.DictWriter(out, CSV_FIELDS, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    sections: list[tuple[str, Iterable[dict[str, Any]]]] = [("vrf", source.vrfs)]
    sections.append(("prefix", prefixes))
    for kind, rows in sections:
        writer.writerows(_csv_rows(kind, rows))
    progress.phase("addresses", total=n_addresses)
    writer.writerows(_csv_rows("address", _counted(source.addresses(), progress)))


def _csv_rows(kind: str, rows: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for row in rows:
        yield {"kind": kind, **{k: neutral(_cell(v)) for k, v in row.items()}}


def to_csv(doc: dict[str, Any]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, CSV_FIELDS, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    for kind, key in (("vrf", "vrfs"), ("prefix", "prefixes"), ("address", "addresses")):
        writer.writerows(_csv_rows(kind, doc[key]))
    return out.getvalue()


def _write_json(
    out: TextIO,
    source: _Source,
    prefixes: Iterator[dict[str, Any]],
    progress: Progress,
    n_addresses: int,
) -> None:
    """`json.dumps(export(), ensure_ascii=False, indent=2)` and a newline, written a
    row at a time."""
    out.write('{\n  "format": "govops-ipam",\n  "version": 1,\n')
    _json_list(out, "vrfs", iter(source.vrfs), ",")
    _json_list(out, "prefixes", prefixes, ",")
    progress.phase("addresses", total=n_addresses)
    _json_list(out, "addresses", _counted(source.addresses(), progress), "")
    out.write("}\n")


def _json_list(out: TextIO, key: str, rows: Iterator[dict[str, Any]], comma: str) -> None:
    first = next(rows, None)
    if first is None:
        out.write(f'  "{key}": []{comma}\n')
        return
    out.write(f'  "{key}": [\n')
    out.write(_json_row(first))
    for row in rows:
        out.write(",\n")
        out.write(_json_row(row))
    out.write(f"\n  ]{comma}\n")


def _json_row(row: dict[str, Any]) -> str:
    """A flat row as `json.dumps(indent=2)` writes it four spaces in."""
    if not row:
        return "    {}"
    keys = _JSON_KEYS
    fields = ",\n".join(
        (keys.get(k) or keys.setdefault(k, f"      {_json_text(k)}: ")) + _json_value(v)
        for k, v in row.items()
    )
    return f"    {{\n{fields}\n    }}"


_JSON_KEYS: dict[str, str] = {}
"""Each key as a row writes it, indented, quoted and followed by its colon."""

_json_text = json.encoder.encode_basestring  # the C one when present, as json.dumps uses


def _json_value(value: Any) -> str:
    if isinstance(value, str):
        return str(_json_text(value))
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if type(value) is int:
        return str(value)
    return json.dumps(value, ensure_ascii=False)


def _write_yaml(
    out: TextIO,
    source: _Source,
    prefixes: Iterator[dict[str, Any]],
    progress: Progress,
    n_addresses: int,
) -> None:
    """`yaml.safe_dump(export(), allow_unicode=True, sort_keys=False)`, a page of rows
    at a time: a block sequence dumped alone reads the same as inside the mapping."""
    out.write("format: govops-ipam\nversion: 1\n")
    _yaml_list(out, "vrfs", iter(source.vrfs))
    _yaml_list(out, "prefixes", prefixes)
    progress.phase("addresses", total=n_addresses)
    _yaml_list(out, "addresses", _counted(source.addresses(), progress))


def _yaml_list(out: TextIO, key: str, rows: Iterator[dict[str, Any]]) -> None:
    page = list(itertools.islice(rows, PAGE))
    if not page:
        out.write(f"{key}: []\n")
        return
    out.write(f"{key}:\n")
    while page:
        out.write(dump_yaml(page))
        page = list(itertools.islice(rows, PAGE))


def dump_yaml(data: Any) -> str:
    """YAML's safe dump, through libyaml's emitter when PyYAML has it (about ten
    times faster than the pure-Python one, the same text)."""
    import yaml

    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return str(yaml.dump(data, Dumper=dumper, allow_unicode=True, sort_keys=False))


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


# -- import ----------------------------------------------------------------

MAX_DEPTH = 16
"""The deepest nesting a document may have: an export nests three levels deep."""

MAX_KEPT = 1000
"""Bad rows kept in detail (all are counted); the message lists the first 20."""

EARLIEST = "2000-01-01T00:00:00+00:00"
LATEST = "2100-01-01T00:00:00+00:00"
"""The range a quarantine end (`quarantine_until`) must lie in."""

_TOP_KEYS = ("format", "version", "vrfs", "prefixes", "addresses")
_SECTIONS = ("vrfs", "prefixes", "addresses")


class BadRows(RowErrors):
    """Rows of an export that cannot go in; nothing was written. Each error names its
    row: `line N` of a CSV file, `sheet 'S' row N` of a workbook, `prefixes[i]`
    (counted from 0) of a JSON or YAML one."""

    def __init__(self, source: str, found: list[tuple[tuple[int, int], str, str]], total: int):
        found = sorted(found)
        self.source = source
        self.errors = [(n + 1, f"{where}: {msg}") for n, (_, where, msg) in enumerate(found)]
        listed = "; ".join(msg for _, msg in self.errors[:20])
        more = f"; … and {total - 20} more" if total > 20 else ""
        message = f"{source}: {total} bad row{'s' if total != 1 else ''}, nothing written: "
        GovopsError.__init__(self, _one_line(message + listed + more))


def _one_line(text: str) -> str:
    """`text` with anything that would break the one stderr line escaped."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def _shown(value: object) -> str:
    """A value from the file as a message shows it: short, on one line, never a whole tree."""
    if isinstance(value, str):
        return repr(value[:40]) + ("…" if len(value) > 40 else "")
    if isinstance(value, bool) or value is None:
        return {True: "true", False: "false", None: "null"}[value]
    if isinstance(value, int):
        return str(value) if abs(value) < 10**20 else "a very large number"
    if isinstance(value, float):
        return repr(value)
    return _kind(value)


def _a(kind: str) -> str:
    return f"an {kind}" if kind[0] in "aeiou" else f"a {kind}"


def _kind(value: object) -> str:
    names = {dict: "an object", list: "a list", bool: "true/false", type(None): "null"}
    return names.get(type(value), type(value).__name__)


Where = int | tuple[int, str]
"""Where a row came from: a CSV line, or (an order, a label such as "sheet '和平县' row 4")."""


def load(path: Path, fmt: str | None = None) -> tuple[dict[str, Any], dict[int, Where]]:
    """Read an export file; returns the document and, for CSV and xlsx, row → where (by `id`).

    Only a regular file of at most `infra.inputs.MAX_INPUT_BYTES` is read; YAML
    aliases and nesting deeper than `MAX_DEPTH` are refused (an export has neither).
    """
    kind = (fmt or path.suffix.lstrip(".")).lower()
    if kind in ("xlsx", "xlsm"):
        from ipam import ledger

        return ledger.load(path)
    if kind not in ("json", "yaml", "yml", "csv"):
        raise UnknownFormat(
            f"{path}: unknown format {_shown(kind)}; use .json, .yaml, .csv or .xlsx"
        )
    from infra.inputs import read_bytes
    from infra.tabular import decode

    data = read_bytes(path)
    try:
        text, _ = decode(data)
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{path}: not valid text ({exc.reason} at byte {exc.start})") from None
    if kind == "csv":
        return _from_csv(text, path)
    try:
        doc = _parse_json(text, path) if kind == "json" else _parse_yaml(text, path)
    except RecursionError:
        raise InvalidInput(f"{path}: nested too deeply to be an export") from None
    if _depth(doc) > MAX_DEPTH:
        raise InvalidInput(f"{path}: nested more than {MAX_DEPTH} levels deep; an export has 3")
    return _checked(doc, path), {}


def _parse_json(text: str, path: Path) -> Any:
    def no_constant(name: str) -> Any:
        raise InvalidInput(f"{path}: not valid JSON ({name} is not a JSON number)")

    try:
        return json.loads(text, parse_constant=no_constant)
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"{path}: not valid JSON ({exc})") from None
    except ValueError as exc:  # an integer of thousands of digits
        raise InvalidInput(f"{path}: not valid JSON ({str(exc).splitlines()[0]})") from None


def _parse_yaml(text: str, path: Path) -> Any:
    import yaml

    class Loader(yaml.SafeLoader):
        """The safe loader, refusing aliases (one `&a` expanded a billion times is
        a billion laughs) and nesting deeper than `MAX_DEPTH`, before building anything."""

        depth = 0

        def compose_node(self, parent: Any, index: Any) -> Any:
            if self.check_event(yaml.AliasEvent):
                mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
                raise yaml.composer.ComposerError(
                    None, None, "aliases (*name) have no place in an export", mark
                )
            self.depth += 1
            if self.depth > MAX_DEPTH:
                mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
                raise yaml.composer.ComposerError(
                    None, None, f"nested more than {MAX_DEPTH} levels deep", mark
                )
            try:
                return super().compose_node(parent, index)
            finally:
                self.depth -= 1

    try:
        return yaml.load(text, Loader=Loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        # The problem and its place, which PyYAML puts on later lines.
        problem = getattr(exc, "problem", None)
        mark = getattr(exc, "problem_mark", None)
        if problem and mark is not None:
            first = f"{problem}, line {mark.line + 1}"
        raise InvalidInput(f"{path}: not valid YAML ({_one_line(first)})") from None
    except ValueError as exc:  # an integer of thousands of digits
        raise InvalidInput(f"{path}: not valid YAML ({str(exc).splitlines()[0]})") from None


def _depth(doc: Any) -> int:
    """How deep `doc` nests (iteratively: the document may be anything)."""
    deepest = 0
    stack = [(doc, 1)]
    while stack:
        node, level = stack.pop()
        deepest = max(deepest, level)
        if level > MAX_DEPTH:
            break
        if isinstance(node, dict):
            stack.extend((v, level + 1) for v in node.values())
        elif isinstance(node, list):
            stack.extend((v, level + 1) for v in node)
    return deepest


def _checked(doc: Any, path: Path) -> dict[str, Any]:
    if not isinstance(doc, dict) or not any(k in doc for k in _SECTIONS):
        raise InvalidInput(f"{path}: not a govops ipam export (no prefixes, addresses or vrfs)")
    unknown = [k for k in doc if k not in _TOP_KEYS]
    if unknown:
        raise InvalidInput(
            f"{path}: unknown key {_shown(unknown[0])}; an export has {', '.join(_TOP_KEYS)}"
        )
    if "format" in doc and doc["format"] != "govops-ipam":
        raise InvalidInput(f"{path}: format must be 'govops-ipam', not {_shown(doc['format'])}")
    if "version" in doc and (type(doc["version"]) is not int or doc["version"] != 1):
        raise InvalidInput(
            f"{path}: version must be 1 (the only one there is), not {_shown(doc['version'])}"
        )
    for key in _SECTIONS:
        doc.setdefault(key, [])
        if not isinstance(doc[key], list):
            raise InvalidInput(f"{path}: `{key}` must be a list")
    return doc


_CSV_KINDS = {"vrf": VRF_FIELDS, "prefix": PREFIX_FIELDS, "address": ADDRESS_FIELDS}


def _from_csv(text: str, path: Path) -> tuple[dict[str, Any], dict[int, Where]]:
    doc: dict[str, Any] = {"vrfs": [], "prefixes": [], "addresses": []}
    lines: dict[int, Where] = {}
    for section, values, line in _csv_records(io.StringIO(text, newline=""), path):
        lines[id(values)] = line
        doc[_SECTIONS[section]].append(values)
    return doc, lines


def _csv_records(stream: Iterable[str], path: Path) -> Iterator[tuple[int, dict[str, Any], int]]:
    """Each row of an export's CSV as (section, the row's values, its line); rows of the
    wrong shape are gathered, and raised together at the end as `BadRows`."""
    reader = csv.DictReader(stream)
    try:
        header = reader.fieldnames
    except csv.Error as exc:
        raise InvalidInput(f"{path}: line 1: {exc}") from None
    if not header or "kind" not in header:
        raise InvalidInput(f"{path}: CSV needs a `kind` column, as the CSV export writes")
    unknown = [h for h in header if h not in CSV_FIELDS]
    if unknown:
        raise InvalidInput(
            f"{path}: unknown column {_shown(unknown[0])}; the export's columns are"
            f" {', '.join(CSV_FIELDS)}"
        )
    bad: list[tuple[tuple[int, int], str, str]] = []
    total = 0
    section = {"vrf": 0, "prefix": 1, "address": 2}
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise InvalidInput(f"{path}: line {reader.line_num}: {exc}") from None
        line = reader.line_num
        kind = row.pop("kind", None)
        problem = None
        if kind not in _CSV_KINDS:
            problem = f"kind {_shown(kind)} is not vrf, prefix or address"
        elif None in row:
            problem = f"{len(row[None])} more cells than the header has"
        else:
            fields = _CSV_KINDS[kind]
            stray = [k for k, v in row.items() if v and k not in fields]
            if stray:
                problem = f"{_a(kind)} row has no {stray[0]} column; leave it empty"
        if problem is not None:
            total += 1
            if len(bad) < MAX_KEPT:
                bad.append(((line, 0), f"line {line}", problem))
            continue
        values: dict[str, Any] = {
            k: (unneutral(v) if isinstance(v, str) and v != "" else v or None)
            for k, v in row.items()
            if k
        }
        values = {k: v for k, v in values.items() if k in _CSV_KINDS[str(kind)]}
        if kind == "prefix":
            pool = (values.get("pool") or "false").lower()
            if pool in ("true", "false"):
                values["pool"] = pool == "true"
        yield section[str(kind)], values, line
    if bad:
        raise BadRows(str(path), bad, total)


# -- rows, checked before anything is written --------------------------------


class VrfRow(NamedTuple):
    name: str
    rd: str | None
    description: str | None


class PrefixRow(NamedTuple):
    vrf: str
    block: Block
    status: str
    pool: bool
    parent: Block | None
    org_code: str | None
    org_path: str | None
    purpose: str | None
    description: str | None
    quarantine_until: str | None


class AddressRow(NamedTuple):
    vrf: str
    family: int
    value: int
    prefix: Block | None
    hostname: str | None
    description: str | None
    status: str


def _fields(row: Any, allowed: list[str], kind: str, required: str) -> dict[str, Any]:
    if not isinstance(row, dict):
        raise InvalidInput(f"{_a(kind)} row must be an object, not {_kind(row)}")
    for key in row:
        if key not in allowed:
            raise InvalidInput(
                f"unknown field {_shown(key)}; {_a(kind)} row has {', '.join(allowed)}"
            )
    if row.get(required) is None:
        raise InvalidInput(f"missing field {required!r}")
    return row


def _vrf(value: Any) -> str:
    if value is None or value == "":
        return space.DEFAULT_VRF
    return one_word(value, "VRF name")


def check_vrf(row: Any) -> VrfRow:
    """A VRF row of an export, its fields checked as `ipam vrf add` checks them."""
    row = _fields(row, VRF_FIELDS, "vrf", "name")
    return VrfRow(
        one_word(row["name"], "VRF name"),
        free_text(row.get("rd"), "route distinguisher"),
        free_text(row.get("description"), "description"),
    )


def check_prefix(row: Any) -> PrefixRow:
    """A prefix row of an export, its fields checked as the commands check them."""
    row = _fields(row, PREFIX_FIELDS, "prefix", "prefix")
    block = parse_block(row["prefix"])
    family = row.get("family")
    if family is not None:
        if isinstance(family, bool) or not isinstance(family, (int, str)):
            raise InvalidInput(f"family must be 4 or 6, not {_shown(family)}")
        if whole_number(family, "family", 4, 6) != block.family:
            raise InvalidInput(f"family {_shown(family).strip(chr(39))} does not match {block}")
    status = row.get("status")
    status = "allocated" if status is None or status == "" else status
    if not isinstance(status, str):
        raise InvalidInput(f"status must be text, not {_kind(status)}")
    if status not in space.STATUSES:
        raise InvalidInput(f"status {_shown(status)}: use one of {', '.join(space.STATUSES)}")
    pool = row.get("pool", False)
    if not isinstance(pool, bool):
        raise InvalidInput(f"pool must be true or false, not {_shown(pool)}")
    parent = row.get("parent")
    until = check_until(row.get("quarantine_until"))
    if (status == "quarantine") != (until is not None):
        raise InvalidInput(
            "a prefix in quarantine needs quarantine_until"
            if until is None
            else f"quarantine_until belongs to a prefix in quarantine, not to one {status}"
        )
    free_text(row.get("org_level"), "org_level")
    return PrefixRow(
        _vrf(row.get("vrf")),
        block,
        status,
        pool,
        None
        if parent is None
        else _parent_block(parent)
        if type(parent) is str
        else parse_block(parent),
        free_text(row.get("org_code"), "org_code"),
        free_text(row.get("org_path"), "org_path"),
        free_text(row.get("purpose"), "purpose"),
        free_text(row.get("description"), "description"),
        until,
    )


@functools.lru_cache(maxsize=1024)
def _parent_block(text: str) -> Block:
    """`parse_block` of a parent's CIDR: an export names each parent once per child,
    children together."""
    return parse_block(text)


def check_until(value: Any) -> str | None:
    """A quarantine end: an ISO-8601 timestamp with its UTC offset between `EARLIEST`
    and `LATEST`, in the form the store writes (UTC, microseconds), so that it
    compares with the store's clock; None stays None."""
    from datetime import UTC, datetime

    if value is None:
        return None
    if isinstance(value, datetime):  # YAML reads an unquoted timestamp as one
        when = value
    elif isinstance(value, str) and len(value) <= 40:
        try:
            when = datetime.fromisoformat(value.strip())
        except ValueError:
            raise InvalidInput(
                f"quarantine_until {_shown(value)} is not an ISO-8601 timestamp"
                " (e.g. 2025-01-31T08:00:00+08:00)"
            ) from None
    else:
        raise InvalidInput(f"quarantine_until must be an ISO-8601 timestamp, not {_shown(value)}")
    if when.tzinfo is None or when.utcoffset() is None:
        raise InvalidInput(
            f"quarantine_until {_shown(str(value))} needs its UTC offset (e.g. +08:00)"
        )
    when = when.astimezone(UTC)
    if not datetime.fromisoformat(EARLIEST) <= when <= datetime.fromisoformat(LATEST):
        raise InvalidInput(
            f"quarantine_until {when.date()} lies outside {EARLIEST[:10]} to {LATEST[:10]}"
        )
    return when.isoformat(timespec="microseconds")


def check_address(row: Any) -> AddressRow:
    """An address row of an export, its fields checked as `ipam ip assign` checks them."""
    row = _fields(row, ADDRESS_FIELDS, "address", "address")
    family, value = parse_address(row["address"])
    prefix = row.get("prefix")
    hostname, description = addresses.check_labels(row.get("hostname"), row.get("description"))
    status = row.get("status")
    return AddressRow(
        _vrf(row.get("vrf")),
        family,
        value,
        parse_block(prefix) if prefix is not None else None,
        hostname,
        description,
        addresses.check_status(status) if status is not None else "active",
    )


def _about(row: Any, key: str, exc: GovopsError) -> str:
    """The message, naming the row's prefix or address first unless it already does."""
    value = row.get(key) if isinstance(row, dict) else None
    message = str(exc)
    if isinstance(value, str) and len(value) <= 64 and value.isprintable():
        if value.strip() not in message:
            return f"{value}: {message}"
    return message


Row = tuple[int, int, Any, "Where | None"]
"""A row of a document as read: (section, index in it, the row, where it came from)."""


class RowErrorLog:
    """Bad rows: all counted, the first `MAX_KEPT` kept with their place."""

    def __init__(self) -> None:
        self.found: list[tuple[tuple[int, int], str, str]] = []
        self.total = 0

    def add(self, section: int, i: int, where: Where | None, message: str) -> None:
        self.total += 1
        if len(self.found) >= MAX_KEPT:
            return
        if isinstance(where, int):
            self.found.append(((where, 0), f"line {where}", message))
        elif where is not None:
            self.found.append(((where[0], 0), where[1], message))
        else:
            self.found.append(((section, i), f"{_SECTIONS[section]}[{i}]", message))


PrefixItem = tuple[tuple[str, int, int, int], int, "Where | None", PrefixRow]
AddressItem = tuple[int, "Where | None", AddressRow]


class Checked:
    """The rows that passed their own checks, compact, ready for the database."""

    def __init__(self) -> None:
        self.vrfs: dict[str, VrfRow] = {}
        self.prefixes: list[PrefixItem] = []
        self.addrs: list[AddressItem] = []
        self._shared: dict[Any, Any] = {}

    def share(self, values: tuple[Any, ...]) -> tuple[Any, ...]:
        """The same text once in memory for every row that repeats it (VRF, status,
        unit, purpose, parent): a province's rows repeat most of theirs."""
        shared = self._shared
        return tuple(shared.setdefault(v, v) if isinstance(v, str | Block) else v for v in values)


def _check_rows(rows: Iterable[Row], errors: RowErrorLog, progress: Progress) -> Checked:
    """Every row checked on its own (shape, types, values); bad ones go to `errors`."""
    out = Checked()
    n = 0
    for section, i, row, where in rows:
        n += 1
        if n == PAGE:
            progress.advance(n)
            n = 0
        if section == 0:
            try:
                v = check_vrf(row)
            except GovopsError as exc:
                errors.add(0, i, where, str(exc))
                continue
            if out.vrfs.setdefault(v.name, v) != v:
                errors.add(0, i, where, f"VRF {v.name} is listed twice, with different attributes")
        elif section == 1:
            try:
                p = PrefixRow(*out.share(check_prefix(row)))
            except GovopsError as exc:
                errors.add(1, i, where, _about(row, "prefix", exc))
                continue
            out.prefixes.append(((p.vrf, p.block.family, p.block.first, p.block.plen), i, where, p))
        else:
            try:
                out.addrs.append((i, where, check_address(row)))
            except GovopsError as exc:
                errors.add(2, i, where, _about(row, "address", exc))
    progress.advance(n)
    return out


def _doc_rows(doc: dict[str, Any], lines: dict[int, Where]) -> Iterator[Row]:
    for section, key in enumerate(_SECTIONS):
        for i, row in enumerate(doc[key]):
            yield section, i, row, lines.get(id(row))


def import_doc(
    store: Store,
    doc: dict[str, Any],
    source: str,
    lines: dict[int, Where],
    progress: Progress = QUIET,
) -> dict[str, int]:
    """Write a whole export document in one transaction; any bad row writes nothing.

    Every row is checked first (its shape, the types and values of its fields); only
    rows that pass reach the database, where the tree's rules check them further.
    """
    total = sum(len(doc[key]) for key in _SECTIONS)
    return _import(store, _doc_rows(doc, lines), source, total, progress)


def _import(
    store: Store, rows: Iterable[Row], source: str, total: int | None, progress: Progress
) -> dict[str, int]:
    with collector_paused():
        errors = RowErrorLog()
        progress.phase("checking rows", total=total)
        checked = _check_rows(rows, errors, progress)
        # Parents before children, whatever the file's order.
        checked.prefixes.sort(key=lambda item: item[0])
        for name in [p.vrf for *_, p in checked.prefixes] + [a.vrf for *_, a in checked.addrs]:
            checked.vrfs.setdefault(name, VrfRow(name, None, None))
        if errors.total > MAX_KEPT:  # beyond any use of checking the rest against the database
            raise BadRows(source, errors.found, errors.total)
        from ipam import importer

        return store.write(lambda tx: importer.write(tx, checked, errors, source, progress))


# -- reading a JSON export a row at a time -------------------------------------


class _Fallback(Exception):
    """The row-at-a-time reader met something the whole-document reader must explain
    (a syntax error, a NaN, deep nesting, an unknown key, another encoding…)."""


class _NoConstant(Exception):
    pass


def _no_constant(name: str) -> Any:
    raise _NoConstant(name)


_JSON_SPACE = " \t\n\r"


class _JsonRows:
    """The rows of a JSON export as `load` would give them, read a row at a time, so
    that a province's file never sits in memory whole (the text and its document
    took 465 MB for 70 MB of JSON). Each value is parsed by the standard library's
    decoder, as `json.loads` parses it; whatever is not a plain export (and any
    error) raises `_Fallback`, and the caller reads the file whole to say what it is.
    """

    CHUNK = 1 << 20

    def __init__(self, path: Path) -> None:
        import codecs

        self.path = path
        self.decoder = json.JSONDecoder(parse_constant=_no_constant)
        self.text = codecs.getincrementaldecoder("utf-8")("strict")
        self.buf = ""
        self.pos = 0
        self.eof = False
        self.read = 0
        self.file = _open_regular(path)

    def close(self) -> None:
        self.file.close()

    def _more(self, size: int) -> None:
        data = self.file.read(max(size, 4) if self.read == 0 else size)
        if self.read == 0 and data[:3] == b"\xef\xbb\xbf":
            data = data[3:]  # a UTF-8 BOM, as `load` allows
        elif self.read == 0 and data[:2] in (b"\xff\xfe", b"\xfe\xff"):
            raise _Fallback  # UTF-16 or UTF-32: the whole-file reader decodes those
        self.read += len(data)
        if self.read > MAX_INPUT_BYTES:
            raise _Fallback
        try:
            text = self.text.decode(data, final=not data)
        except UnicodeDecodeError:
            raise _Fallback from None
        self.buf = self.buf[self.pos :] + text
        self.pos = 0
        self.eof = not data

    def peek(self) -> str:
        """The next character that is not white space ("" at the end)."""
        while True:
            buf, pos = self.buf, self.pos
            while pos < len(buf) and buf[pos] in _JSON_SPACE:
                pos += 1
            self.pos = pos
            if pos < len(buf):
                return buf[pos]
            if self.eof:
                return ""
            self._more(self.CHUNK)

    def take(self, char: str) -> None:
        if self.peek() != char:
            raise _Fallback
        self.pos += 1

    def value(self) -> Any:
        """The next JSON value, parsed by the standard decoder."""
        self.peek()
        size = self.CHUNK
        while True:
            try:
                found, end = self.decoder.raw_decode(self.buf, self.pos)
            except json.JSONDecodeError:
                if self.eof:
                    raise _Fallback from None
                self._more(size)  # the value goes on past what is read so far
                size *= 2
                continue
            except (ValueError, RecursionError, _NoConstant):
                raise _Fallback from None
            if end >= len(self.buf) and not self.eof:
                self._more(size)  # a number or word may go on in the next chunk
                continue
            self.pos = end
            return found

    def rows(self) -> Iterator[Row]:
        seen: set[str] = set()
        self.take("{")
        if self.peek() == "}":
            raise _Fallback  # no section at all
        while True:
            if self.peek() != '"':
                raise _Fallback
            key = self.value()
            if key in seen or key not in _TOP_KEYS:
                raise _Fallback
            seen.add(key)
            self.take(":")
            if key in _SECTIONS:
                yield from self._section(_SECTIONS.index(key))
            else:
                found = self.value()
                if key == "format" and found != "govops-ipam":
                    raise _Fallback
                if key == "version" and (type(found) is not int or found != 1):
                    raise _Fallback
            if self.peek() == ",":
                self.pos += 1
                continue
            self.take("}")
            break
        if self.peek() != "" or not seen & set(_SECTIONS):
            raise _Fallback

    def _section(self, section: int) -> Iterator[Row]:
        self.take("[")
        if self.peek() == "]":
            self.pos += 1
            return
        i = 0
        while True:
            row = self.value()
            nested = isinstance(row, dict | list) and any(
                isinstance(v, dict | list) for v in (row.values() if isinstance(row, dict) else row)
            )
            if nested and _depth(row) + 2 > MAX_DEPTH:
                raise _Fallback
            yield section, i, row, None
            i += 1
            if self.peek() == ",":
                self.pos += 1
                continue
            self.take("]")
            return


# -- reading a YAML export a row at a time ---------------------------------------

_YAML_SCALARS = {
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "bool", "null", "float", "timestamp")
}


class _YamlRows:
    """The rows of a YAML export as `load` would give them, from libyaml's parser a
    row at a time: building the document whole took 64 s and 2.4 GB even with
    libyaml's loader for a province. Each scalar is resolved and constructed by
    PyYAML's safe loader; anchors, aliases, explicit tags, nested rows, several
    documents and any error raise `_Fallback` for the guarded whole-file reader."""

    def __init__(self, path: Path) -> None:
        import yaml

        if not hasattr(yaml, "CSafeLoader"):
            raise _Fallback  # no libyaml: the pure-Python reader is the one there is
        self.file = _open_regular(path)
        self.loader = yaml.CSafeLoader(self.file)
        self.yaml = yaml

    def close(self) -> None:
        self.file.close()
        self.loader.dispose()

    def _event(self) -> Any:
        try:
            event = self.loader.get_event()
        except (self.yaml.YAMLError, _Fallback):
            raise _Fallback from None
        if getattr(event, "anchor", None) is not None or isinstance(event, self.yaml.AliasEvent):
            raise _Fallback
        if isinstance(event, self.yaml.CollectionStartEvent) and event.tag is not None:
            raise _Fallback  # `!!python/object [x]`, `!!set {a}`: the safe loader refuses or builds those
        return event

    def _scalar(self, event: Any) -> Any:
        yaml = self.yaml
        if not isinstance(event, yaml.ScalarEvent) or event.tag not in (None, "!"):
            raise _Fallback
        tag = self.loader.resolve(yaml.ScalarNode, event.value, event.implicit)  # type: ignore[no-untyped-call]
        if tag not in _YAML_SCALARS:
            raise _Fallback
        node = yaml.ScalarNode(tag, event.value, style=event.style)
        try:
            return self.loader.yaml_constructors[tag](self.loader, node)
        except (yaml.YAMLError, ValueError):
            raise _Fallback from None

    def rows(self) -> Iterator[Row]:
        yaml = self.yaml
        for kind in (yaml.StreamStartEvent, yaml.DocumentStartEvent, yaml.MappingStartEvent):
            if not isinstance(self._event(), kind):
                raise _Fallback
        seen: set[str] = set()
        while True:
            event = self._event()
            if isinstance(event, yaml.MappingEndEvent):
                break
            key = self._scalar(event)
            if not isinstance(key, str) or key in seen or key not in _TOP_KEYS:
                raise _Fallback
            seen.add(key)
            if key in _SECTIONS:
                yield from self._section(_SECTIONS.index(key))
                continue
            found = self._scalar(self._event())
            if key == "format" and found != "govops-ipam":
                raise _Fallback
            if key == "version" and (type(found) is not int or found != 1):
                raise _Fallback
        for kind in (yaml.DocumentEndEvent, yaml.StreamEndEvent):
            if not isinstance(self._event(), kind):
                raise _Fallback
        if not seen & set(_SECTIONS):
            raise _Fallback

    def _section(self, section: int) -> Iterator[Row]:
        yaml = self.yaml
        if not isinstance(self._event(), yaml.SequenceStartEvent):
            raise _Fallback
        i = 0
        while True:
            event = self._event()
            if isinstance(event, yaml.SequenceEndEvent):
                return
            if isinstance(event, yaml.MappingStartEvent):
                row: Any = {}
                while True:
                    event = self._event()
                    if isinstance(event, yaml.MappingEndEvent):
                        break
                    key = self._scalar(event)
                    if not isinstance(key, str):
                        raise _Fallback
                    row[key] = self._scalar(self._event())
            else:
                row = self._scalar(event)
            yield section, i, row, None
            i += 1


class _CsvRows:
    """The rows of a CSV export as `load` would give them, read a line at a time
    (UTF-8, a BOM allowed; another encoding falls back to the whole-file reader)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.file = io.TextIOWrapper(_open_regular(path), encoding="utf-8-sig", newline="")

    def close(self) -> None:
        self.file.close()

    def rows(self) -> Iterator[Row]:
        counts = [0, 0, 0]
        try:
            for section, values, line in _csv_records(self.file, self.path):
                yield section, counts[section], values, line
                counts[section] += 1
        except UnicodeDecodeError:
            raise _Fallback from None


def _open_regular(path: Path) -> Any:
    """`path` opened for reading in binary if it is a regular file within the limit."""
    import os
    import stat

    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except (OSError, ValueError):
        raise _Fallback from None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_INPUT_BYTES:
        os.close(fd)
        raise _Fallback
    return os.fdopen(fd, "rb")


def import_file(
    store: Store, path: Path, fmt: str | None = None, progress: Progress = QUIET
) -> dict[str, int]:
    """`load` then `import_doc`, but a JSON, YAML or CSV export is read a row at a
    time: memory holds the checked rows, never the whole document."""
    kind = (fmt or path.suffix.lstrip(".")).lower()
    readers: dict[str, type[_JsonRows | _YamlRows | _CsvRows]] = {
        "json": _JsonRows,
        "yaml": _YamlRows,
        "yml": _YamlRows,
        "csv": _CsvRows,
    }
    if kind in readers:
        try:
            reader = readers[kind](path)
        except _Fallback:
            pass
        else:
            try:
                return _import(store, reader.rows(), str(path), None, progress)
            except _Fallback:
                pass
            finally:
                reader.close()
    doc, lines = load(path, fmt)
    return import_doc(store, doc, str(path), lines, progress)
