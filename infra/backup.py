"""Moving a whole database: `govops db backup`, `db restore`, `db copy` between
SQLite and PostgreSQL."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple

from infra import files, inputs
from infra.config import DbLocation
from infra.db import quoted, tables
from infra.errors import Conflict, InvalidInput, StoreError
from infra.migrations import LATEST, apply_through, current_version
from infra.store import GENESIS, Store, Tx, now_utc

# -- backup, restore and copy ---------------------------------------------------
#
# Every table is carried generically, read from the catalog: its name, its columns
# (a PostgreSQL generated column such as prefix.block is computed, never written)
# and what kind each holds (int, real, text, blob, bool), so values convert between
# backends by kind. Tables load parents first: tables in the order their foreign
# keys ask, and a table that refers to itself (org_unit, prefix) by walking that
# reference from its roots, since a parent can have a higher id than its child.
# A table a trigger writes (cloud_held, from cloud_vm) is not written: the triggers
# rebuild it from the rows they watch and the result is checked against the source.
# Every table is then checked: its row count and an order-free digest of its
# canonical values (1, 1.0 and '1' alike in a numeric column; bytes as hex) equal
# the source's, in the transaction that loads it, so a load that differs is not kept.

SKIPPED = frozenset({"schema_migrations"})
"""Tables never carried: each database keeps its own migration ledger."""

DUMP_FORMAT = "govops-dump"
DUMP_VERSION = 1
SQLITE_MAGIC = b"SQLite format 3\x00"
GZIP_MAGIC = b"\x1f\x8b"
# What SQLite may leave beside a database file it wrote (a backup's temporary file).
SQLITE_LEFTOVERS = ("-journal", "-wal", "-shm")
_PAGE = 2000


class Column(NamedTuple):
    name: str
    kind: str  # int, real, text, blob or bool


class TableSpec(NamedTuple):
    name: str
    columns: tuple[Column, ...]
    rows: int


def _kind_sqlite(declared: str) -> str:
    """The kind of a SQLite column from its declared type (SQLite's affinity rules)."""
    t = declared.upper()
    if "BOOL" in t:
        return "bool"
    if "INT" in t:
        return "int"
    if any(s in t for s in ("CHAR", "CLOB", "TEXT")):
        return "text"
    if not t or "BLOB" in t:
        return "blob"
    return "real"


_PG_KINDS = {
    "smallint": "int",
    "integer": "int",
    "bigint": "int",
    "real": "real",
    "double precision": "real",
    "numeric": "real",
    "boolean": "bool",
    "bytea": "blob",
}


def columns(tx: Tx, table: str) -> tuple[Column, ...]:
    """The columns of `table` that hold written values, in table order (a generated
    column is left out: the database computes it)."""
    if tx.dialect == "sqlite":
        rows = tx.all(f"PRAGMA table_xinfo({quoted(table)})")
        # hidden: 0 a plain column, 1 a virtual table's hidden one, 2/3 generated
        return tuple(Column(r["name"], _kind_sqlite(r["type"] or "")) for r in rows if not r[6])
    rows = tx.all(
        "SELECT a.attname, format_type(a.atttypid, NULL) AS data_type"
        " FROM pg_catalog.pg_attribute a"
        " WHERE a.attrelid = to_regclass(quote_ident(?)) AND a.attnum > 0"
        " AND NOT a.attisdropped AND a.attgenerated = '' ORDER BY a.attnum",
        (table,),
    )
    return tuple(Column(r["attname"], _PG_KINDS.get(r["data_type"], "text")) for r in rows)


def _primary_key(tx: Tx, table: str) -> list[str]:
    if tx.dialect == "sqlite":
        rows = tx.all(f"PRAGMA table_info({quoted(table)})")
        return [r["name"] for r in sorted(rows, key=lambda r: r["pk"]) if r["pk"]]
    rows = tx.all(
        "SELECT a.attname FROM pg_index i"
        " JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)"
        " WHERE i.indrelid = to_regclass(quote_ident(?)) AND i.indisprimary"
        " ORDER BY array_position(i.indkey::int2[], a.attnum)",
        (table,),
    )
    return [r["attname"] for r in rows]


def _foreign_keys(tx: Tx, table: str) -> list[tuple[str, str, str]]:
    """(column, referenced table, referenced column) for each single-column foreign key."""
    if tx.dialect == "sqlite":
        rows = tx.all(f"PRAGMA foreign_key_list({quoted(table)})")
        out = []
        for r in rows:
            ref_col = r["to"]
            if ref_col is None:  # refers to the primary key by omission
                ref_col = (_primary_key(tx, r["table"]) or ["rowid"])[0]
            out.append((r["from"], r["table"], ref_col))
        return out
    rows = tx.all(
        "SELECT a.attname AS col, rc.relname AS ref_table, ra.attname AS ref_col"
        " FROM pg_constraint c"
        " JOIN pg_class rc ON rc.oid = c.confrelid"
        " JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]"
        " JOIN pg_attribute ra ON ra.attrelid = c.confrelid AND ra.attnum = c.confkey[1]"
        " WHERE c.contype = 'f' AND c.conrelid = to_regclass(quote_ident(?))",
        (table,),
    )
    return [(r["col"], r["ref_table"], r["ref_col"]) for r in rows]


def _trigger_written(tx: Tx) -> set[str]:
    """The tables that triggers (or the functions they call) write."""
    import re

    if tx.dialect == "sqlite":
        texts = [r[0] or "" for r in tx.all("SELECT sql FROM sqlite_master WHERE type = 'trigger'")]
    else:
        texts = [
            r["prosrc"] or ""
            for r in tx.all(
                "SELECT p.prosrc FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace"
                " WHERE n.nspname = current_schema()"
            )
        ]
    found: set[str] = set()
    for text in texts:
        found.update(
            m.group(1).lower()
            for m in re.finditer(
                r'\b(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', text, re.I
            )
        )
    return found


class Layout(NamedTuple):
    """How a database's tables load: in `order` (parents first), each table's columns,
    the self-reference to walk for those that have one, and the tables triggers keep."""

    order: list[str]
    columns: dict[str, tuple[Column, ...]]
    self_ref: dict[str, tuple[str, str]]
    derived: set[str]
    keys: dict[str, list[str]]


def layout(tx: Tx) -> Layout:
    names = [t for t in tables(tx) if t not in SKIPPED]
    cols = {t: columns(tx, t) for t in names}
    deps: dict[str, set[str]] = {}
    self_ref: dict[str, tuple[str, str]] = {}
    for t in names:
        deps[t] = set()
        for col, ref_table, ref_col in _foreign_keys(tx, t):
            if ref_table == t:
                if t in self_ref and self_ref[t] != (col, ref_col):
                    raise StoreError(f"table {t} refers to itself twice; cannot order its rows")
                self_ref[t] = (col, ref_col)
            elif ref_table in cols:
                deps[t].add(ref_table)
    derived = _trigger_written(tx) & set(names)
    order: list[str] = []
    placed: set[str] = set()
    pending = sorted(names)
    while pending:
        ready = [t for t in pending if deps[t] <= placed]
        if not ready:
            raise StoreError(f"tables refer to each other in a cycle: {', '.join(pending)}")
        order.extend(ready)
        placed.update(ready)
        pending = [t for t in pending if t not in placed]
    # triggers' tables last: emptied after the rows they follow, checked after they load
    order = [t for t in order if t not in derived] + [t for t in order if t in derived]
    keys = {t: _primary_key(tx, t) for t in names}
    return Layout(order, cols, self_ref, derived, keys)


def _select(lay: Layout, table: str) -> str:
    """The query reading `table`'s rows in load order: parents before children."""
    cols = lay.columns[table]
    listed = ", ".join(f"t.{quoted(c.name)}" for c in cols)
    q = quoted(table)
    if table in lay.self_ref:
        col, ref = (quoted(c) for c in lay.self_ref[table])
        return (
            f"WITH RECURSIVE walk (k, depth) AS ("
            f" SELECT {ref}, 0 FROM {q} WHERE {col} IS NULL"
            f" UNION ALL SELECT c.{ref}, w.depth + 1 FROM {q} c JOIN walk w ON c.{col} = w.k)"
            f" SELECT {listed} FROM {q} t JOIN walk ON t.{ref} = walk.k"
            f" ORDER BY walk.depth, t.{ref}"
        )
    key = lay.keys.get(table)
    order = f" ORDER BY {', '.join(f't.{quoted(k)}' for k in key)}" if key else ""
    return f"SELECT {listed} FROM {q} t{order}"


def _stream(tx: Tx, sql: str) -> Iterator[tuple[Any, ...]]:
    """The rows of `sql` as tuples, a page at a time (a server-side cursor on PostgreSQL)."""
    if tx.dialect == "sqlite":
        for row in tx.execute(sql):
            yield tuple(row)
        return
    import uuid

    from psycopg.rows import tuple_row

    conn = tx._conn  # the transaction's own connection: a named cursor lives in it
    with conn.cursor(name=f"govops_{uuid.uuid4().hex[:12]}", row_factory=tuple_row) as cur:
        cur.itersize = _PAGE
        cur.execute(sql)
        yield from cur


# -- canonical values, digests and conversion -------------------------------------


def _canon(kind: str, value: Any) -> Any:
    """A value as both backends agree on it: numbers as numbers in a numeric column
    (1, 1.0 and '1' alike), bytes as hex, booleans as 0/1."""
    if value is None:
        return None
    if kind == "blob":
        if isinstance(value, str):
            value = value.encode("utf-8")
        return "x:" + bytes(value).hex()
    if isinstance(value, bool):
        value = int(value)
    if kind != "text" and isinstance(value, str):
        try:
            value = int(value)
        except ValueError:
            try:
                value = float(value)
            except ValueError:
                return value
    if not isinstance(value, int | float | str):
        value = str(value) if kind == "text" else float(value)  # Decimal, dates
    if isinstance(value, float):
        value = int(value) if value.is_integer() and abs(value) < 2**63 else repr(value)
    if kind == "text":
        return str(value)
    return value


def _canon_fn(kind: str) -> Callable[[Any], Any]:
    """`_canon` for one kind, with the values each backend returns taken first."""
    if kind == "text":
        return lambda v: v if type(v) is str or v is None else _canon("text", v)
    if kind == "int":
        return lambda v: v if type(v) is int or v is None else _canon("int", v)
    return lambda v: _canon(kind, v)


class Digest:
    """An order-free digest of a table's rows: the sum of each row's SHA-256 (mod
    2^256) over its canonical values as compact JSON, and the count, so two backends
    reading in different orders agree."""

    def __init__(self, kinds: Sequence[str]):
        import hashlib
        import json

        self.kinds = list(kinds)
        self._fns = [_canon_fn(k) for k in self.kinds]
        self._encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
        self._sha = hashlib.sha256
        self.rows = 0
        self._sum = 0

    def add(self, row: Sequence[Any]) -> None:
        text = self._encode([f(v) for f, v in zip(self._fns, row, strict=True)])
        self._sum += int.from_bytes(self._sha(text.encode()).digest())
        self.rows += 1

    @property
    def hex(self) -> str:
        return f"{self._sum % (1 << 256):064x}"


def table_digest(tx: Tx, lay: Layout, table: str) -> Digest:
    kinds = [c.kind for c in lay.columns[table]]
    d = Digest(kinds)
    listed = ", ".join(quoted(c.name) for c in lay.columns[table])
    for row in _stream(tx, f"SELECT {listed} FROM {quoted(table)}"):
        d.add(row)
    return d


def _coerce(value: Any, kind: str, dialect: str) -> Any:
    """`value` as a column of `kind` on `dialect` takes it; ValueError if it cannot."""
    if value is None:
        return None
    if kind == "blob":
        if isinstance(value, bytes | bytearray | memoryview):
            return bytes(value)
        if isinstance(value, str):
            return value.encode("utf-8")
        raise ValueError
    if kind == "int":
        if isinstance(value, float) and not value.is_integer():
            raise ValueError
        return int(value)
    if kind == "real":
        return float(value)
    if kind == "bool":
        flag = (
            bool(int(value)) if not isinstance(value, str) else value.lower() in ("1", "t", "true")
        )
        return flag if dialect == "postgresql" else int(flag)
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).decode("utf-8")
    if isinstance(value, float):
        return repr(value)
    return str(value)


# -- sources: a live database (in one snapshot) or a dump file ---------------------


class Source:
    """Rows to load, table by table in `specs` order (parents first)."""

    shown: str
    backend: str
    schema_version: int
    specs: list[TableSpec]
    audit_head: str

    def rows(self, table: str) -> Iterator[tuple[Any, ...]]:
        raise NotImplementedError

    def finish(self) -> None:
        """Called after the last table: a dump checks its trailer."""


def snapshot(tx: Tx) -> None:
    """Make this read transaction one consistent snapshot (PostgreSQL: REPEATABLE READ;
    a SQLite read transaction already is one). The transaction's first statement."""
    if tx.dialect == "postgresql":
        tx.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")


class LiveSource(Source):
    """A database read in the transaction `tx` (see `snapshot`)."""

    def __init__(self, tx: Tx, shown: str):
        self.tx = tx
        self.shown = shown
        self.backend = tx.dialect
        self.layout = layout(tx)
        self.schema_version = current_version(tx)
        self.specs = [
            TableSpec(
                t, self.layout.columns[t], int(tx.scalar(f"SELECT count(*) FROM {quoted(t)}"))
            )
            for t in self.layout.order
        ]
        self.audit_head = tx.scalar("SELECT hash FROM audit ORDER BY id DESC LIMIT 1") or GENESIS

    def rows(self, table: str) -> Iterator[tuple[Any, ...]]:
        expected = next(s.rows for s in self.specs if s.name == table)
        n = 0
        for row in _stream(self.tx, _select(self.layout, table)):
            n += 1
            yield row
        if n != expected:
            col = self.layout.self_ref.get(table, ("",))[0]
            raise StoreError(
                f"{self.shown}: table {table}: {expected - n} of its {expected} rows cannot be"
                f" reached from a root through {col} (a cycle or a missing parent)"
            )


class DumpSource(Source):
    """A govops dump: gzip'd JSON lines, a header, each table's rows, a trailer."""

    def __init__(self, path: str | Path):
        import gzip

        self.path = str(path)
        self.shown = self.path
        self._line = 0
        try:
            self._file = gzip.open(self.path, "rt", encoding="utf-8", newline="\n")
        except OSError as exc:
            raise InvalidInput(f"{self.path}: cannot be read ({exc.strerror or exc})") from None
        self._digests: dict[str, str] = {}
        self.read: dict[str, Digest] = {}
        """The digest of each table's rows as read (the loader need not take its own)."""
        try:
            head = self._json()
        except BaseException:
            self.close()
            raise
        try:
            if not isinstance(head, dict) or head.get("format") != DUMP_FORMAT:
                raise ValueError("not a govops dump")
            if head.get("version") != DUMP_VERSION:
                raise ValueError(
                    f"dump format version {head.get('version')!r} is not {DUMP_VERSION}"
                )
            self.schema_version = _whole(head["schema_version"])
            self.backend = str(head["backend"])
            self.audit_head = str(head.get("audit_head") or GENESIS)
            self.created = str(head.get("created", ""))
            self.specs = []
            for t in head["tables"]:
                cols = tuple(Column(str(c["name"]), str(c["type"])) for c in t["columns"])
                if any(c.kind not in _KINDS for c in cols):
                    raise ValueError(f"table {t['name']!r}: a column of unknown type")
                self.specs.append(TableSpec(str(t["name"]), cols, _whole(t["rows"])))
        except (KeyError, TypeError, ValueError) as exc:
            self.close()
            what = exc.args[0] if isinstance(exc, ValueError) and exc.args else f"no {exc}"
            raise InvalidInput(f"{self.path}: a malformed dump header ({what})") from None

    def close(self) -> None:
        self._file.close()

    def _bad(self, why: str) -> InvalidInput:
        return InvalidInput(f"{self.path}: line {self._line}: {why}; nothing restored")

    def _json(self) -> Any:
        import json
        import zlib

        try:
            line = self._file.readline()
        except EOFError:
            raise InvalidInput(f"{self.path}: the dump is cut short; nothing restored") from None
        except (OSError, zlib.error, UnicodeDecodeError) as exc:
            raise InvalidInput(
                f"{self.path}: not a readable govops dump ({exc}); nothing restored"
            ) from None
        self._line += 1
        if not line:
            raise InvalidInput(f"{self.path}: the dump is cut short; nothing restored")
        try:
            return json.loads(line)
        except ValueError:
            raise self._bad("not valid JSON") from None

    def rows(self, table: str) -> Iterator[tuple[Any, ...]]:
        import base64
        import binascii

        spec = next(s for s in self.specs if s.name == table)
        kinds = [c.kind for c in spec.columns]
        digest = Digest(kinds)
        for _ in range(spec.rows):
            raw = self._json()
            if not isinstance(raw, list) or len(raw) != len(kinds):
                raise self._bad(f"not a row of {table}'s {len(kinds)} columns")
            row: list[Any] = []
            value: Any
            for kind, value in zip(kinds, raw, strict=True):
                if value is not None and not isinstance(value, _KINDS[kind]):
                    raise self._bad(f"a {table} value of the wrong type ({kind} expected)")
                if kind == "blob" and value is not None:
                    try:
                        value = base64.b64decode(str(value), validate=True)
                    except binascii.Error:
                        raise self._bad(f"a {table} value is not base64") from None
                elif kind in ("int", "real") and isinstance(value, bool):
                    raise self._bad(f"a {table} value of the wrong type ({kind} expected)")
                row.append(value)
            digest.add(row)
            yield tuple(row)
        self._digests[table] = digest.hex
        self.read[table] = digest

    def finish(self) -> None:
        tail = self._json()
        if not isinstance(tail, dict) or tail.get("end") != DUMP_FORMAT:
            raise self._bad("more rows than the header announces, or no trailer")
        if tail.get("digests") != self._digests:
            raise self._bad("the rows do not match the digests the dump was written with")
        if self._file.read(1):
            raise self._bad("data after the trailer")


_KINDS: dict[str, type | tuple[type, ...]] = {
    "int": int,
    "real": (int, float),
    "text": str,
    "blob": str,
    "bool": bool,
}


def _whole(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError(f"{value!r} is not a count")
    return value


def write_dump(source: Source, out: BinaryIO) -> dict[str, Any]:
    """Write `source` as a govops dump to `out`; what was written, per table."""
    import base64
    import gzip
    import io
    import json

    created = now_utc()
    header = {
        "format": DUMP_FORMAT,
        "version": DUMP_VERSION,
        "schema_version": source.schema_version,
        "backend": source.backend,
        "created": created,
        "audit_head": source.audit_head,
        "tables": [
            {"name": s.name, "columns": [{"name": c.name, "type": c.kind} for c in s.columns],
             "rows": s.rows}
            for s in source.specs
        ],
    }  # fmt: skip
    digests: dict[str, str] = {}
    with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=6, mtime=0) as gz:
        text = io.TextIOWrapper(gz, encoding="utf-8", newline="\n", write_through=False)
        dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=str).encode
        text.write(dumps(header) + "\n")
        for spec in source.specs:
            kinds = [c.kind for c in spec.columns]
            blobs = [i for i, k in enumerate(kinds) if k == "blob"]
            digest = Digest(kinds)
            for row in source.rows(spec.name):
                digest.add(row)
                if blobs:
                    cells = list(row)
                    for i in blobs:
                        if cells[i] is not None:
                            v = cells[i]
                            v = v.encode("utf-8") if isinstance(v, str) else bytes(v)
                            cells[i] = base64.b64encode(v).decode("ascii")
                    row = tuple(cells)
                text.write(dumps(row) + "\n")
            digests[spec.name] = digest.hex
        text.write(dumps({"end": DUMP_FORMAT, "digests": digests}) + "\n")
        text.flush()
        text.detach()
    return {"tables": {s.name: s.rows for s in source.specs}, "created": created}


# -- loading into a database --------------------------------------------------------

REGISTRY = ("attachment",)
"""Tables only migrations write: the registry of what hangs on a unit holds SQL
fragments `org show` runs, so a loaded database must hold exactly what this govops's
migrations wrote there, never a backup's own."""

_SEED: dict[str, Any] = {}


def _seed() -> dict[str, Any]:
    """A new database, read once: rows per table (what migrations write: the default
    VRF, the registry), and the registry's rows by column."""
    if not _SEED:
        with Store(":memory:") as fresh:

            def read(tx: Tx) -> dict[str, Any]:
                counts = {
                    t: int(tx.scalar(f"SELECT count(*) FROM {quoted(t)}")) for t in tables(tx)
                }
                registry = {t: [dict(r) for r in tx.all(f"SELECT * FROM {t}")] for t in REGISTRY}
                return {"counts": counts, "registry": registry}

            _SEED.update(fresh.read(read))
    return _SEED


def _seed_counts() -> dict[str, int]:
    counts: dict[str, int] = _seed()["counts"]
    return counts


def _check_registry(tx: Tx, lay: Layout, shown: str) -> None:
    """Refuse a load whose registry differs from what this govops's migrations write."""
    for table in REGISTRY:
        if table not in lay.columns:
            continue
        cols = lay.columns[table]
        want = Digest([c.kind for c in cols])
        for row in _seed()["registry"][table]:
            want.add([row.get(c.name) for c in cols])
        got = table_digest(tx, lay, table)
        if (got.rows, got.hex) != (want.rows, want.hex):
            raise InvalidInput(
                f"{shown}: its {table} table is not the one this govops's migrations write"
                " (it holds SQL that govops runs); nothing restored"
            )


def holds_data(tx: Tx) -> str | None:
    """The first table holding more than a new database does, or None (empty)."""
    seed = _seed_counts()
    for t in tables(tx):
        if t in SKIPPED:
            continue
        if tx.scalar(f"SELECT count(*) FROM {quoted(t)}") > seed.get(t, 0):
            return t
    return None


def _insert(tx: Tx, table: str, cols: Sequence[Column], rows: Iterable[Sequence[Any]]) -> None:
    listed = ", ".join(quoted(c.name) for c in cols)
    if tx.dialect == "sqlite":
        marks = ", ".join("?" for _ in cols)
        tx.executemany(f"INSERT INTO {quoted(table)} ({listed}) VALUES ({marks})", rows)
        return
    conn = tx._conn  # COPY streams the rows in one statement
    with conn.cursor() as cur, cur.copy(f"COPY {quoted(table)} ({listed}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _reset_sequences(tx: Tx) -> None:
    """Each serial column's sequence continues after the largest id loaded."""
    found = tx.all(
        "SELECT table_name, column_name,"
        " pg_get_serial_sequence(quote_ident(table_name), column_name) AS seq"
        " FROM information_schema.columns WHERE table_schema = current_schema()"
        " AND (column_default LIKE 'nextval(%%' OR is_identity = 'YES')"
    )
    for r in found:
        if not r["seq"]:
            continue
        q, col = quoted(r["table_name"]), quoted(r["column_name"])
        tx.execute(
            f"SELECT setval(?, coalesce((SELECT max({col}) FROM {q}), 1),"
            f" (SELECT max({col}) FROM {q}) IS NOT NULL)",
            (r["seq"],),
        )


def load(
    tx: Tx, source: Source, force: bool, target_shown: str, registry: bool = True
) -> dict[str, Any]:
    """Replace what `tx`'s database holds with `source`'s rows and check them; all in
    `tx`, so a refusal or a failed check keeps nothing. Refused when the database
    holds data (more than a new database holds) unless `force`."""
    if tx.dialect == "postgresql":
        # every table to itself first: nobody writes meanwhile, and a login that may
        # not replace them is refused here (permission denied), before anything else
        tx.execute("SET LOCAL lock_timeout = '30s'")
        every = ", ".join(quoted(t) for t in tables(tx))
        tx.execute(f"LOCK TABLE {every} IN ACCESS EXCLUSIVE MODE")
    version = current_version(tx)
    if source.schema_version != version:
        raise StoreError(
            f"{source.shown} has schema version {source.schema_version},"
            f" {target_shown} has {version}"
        )
    lay = layout(tx)
    _same_tables(source, lay, target_shown)
    if not force:
        busy = holds_data(tx)
        if busy is not None:
            raise Conflict(
                f"{target_shown} is not empty (table {busy} holds rows);"
                " --force replaces everything it holds"
            )
    _empty(tx, lay)
    digests: dict[str, Digest] = {}
    for spec in source.specs:
        cols = {c.name: c for c in lay.columns[spec.name]}
        target_cols = [cols[c.name] for c in spec.columns]
        kinds = [c.kind for c in target_cols]
        # a dump digests its rows as it reads them, in the same kinds: that one serves
        reuse = isinstance(source, DumpSource) and kinds == [c.kind for c in spec.columns]
        digest = Digest(kinds)
        rows = _checked(
            source.rows(spec.name), None if reuse else digest, spec.name, target_cols, tx.dialect
        )
        if spec.name in lay.derived:
            for _ in rows:
                pass  # the triggers have written it from the rows they follow
        else:
            _insert(tx, spec.name, target_cols, rows)
        digests[spec.name] = (
            source.read[spec.name] if isinstance(source, DumpSource) and reuse else digest
        )
    source.finish()
    if tx.dialect == "postgresql":
        _reset_sequences(tx)
        tx.execute("SET CONSTRAINTS ALL IMMEDIATE")
    else:
        broken = tx.all("PRAGMA foreign_key_check")
        if broken:
            r = broken[0]
            raise StoreError(
                f"{source.shown}: {len(broken)} rows refer to rows that are not there"
                f" (first: {r[0]} row {r[1]} -> {r[2]}); nothing restored"
            )
    if registry:  # (not in a scratch database at an older version, checked when read)
        _check_registry(tx, lay, source.shown)
    checks = []
    for spec in source.specs:
        got = table_digest(tx, lay, spec.name)
        want = digests[spec.name]
        if (got.rows, got.hex) != (want.rows, want.hex):
            how = "rebuilt by its triggers" if spec.name in lay.derived else "loaded"
            raise StoreError(
                f"table {spec.name} as {how} differs from {source.shown}"
                f" ({got.rows} rows against {want.rows}); nothing restored"
            )
        checks.append(
            {
                "table": spec.name,
                "rows": got.rows,
                "digest": got.hex[:16],
                "how": "triggers" if spec.name in lay.derived else "copied",
                "check": "equal",
            }
        )
    return {
        "source": source.shown,
        "target": target_shown,
        "schema_version": version,
        "tables": checks,
        "rows": sum(c["rows"] for c in checks),
        "audit_head": tx.scalar("SELECT hash FROM audit ORDER BY id DESC LIMIT 1") or GENESIS,
    }


_AS_IS = {"text": str, "int": int, "blob": bytes, "real": float}


def _checked(
    rows: Iterator[tuple[Any, ...]],
    digest: Digest | None,
    table: str,
    cols: Sequence[Column],
    dialect: str,
) -> Iterator[tuple[Any, ...]]:
    """The rows converted to the target's column kinds (digested first, as read)."""
    kinds = [(c.kind, _AS_IS.get(c.kind)) for c in cols]
    for row in rows:
        if digest is not None:
            digest.add(row)
        try:
            yield tuple(
                v if v is None or type(v) is plain else _coerce(v, kind, dialect)
                for (kind, plain), v in zip(kinds, row, strict=True)
            )
        except (TypeError, ValueError):
            for col, value in zip(cols, row, strict=True):
                try:
                    _coerce(value, col.kind, dialect)
                except (TypeError, ValueError):
                    raise InvalidInput(
                        f"{table}.{col.name}: {str(value)[:40]!r} is not a {col.kind} value;"
                        " nothing restored"
                    ) from None
            raise


def _same_tables(source: Source, lay: Layout, target_shown: str) -> None:
    have = set(lay.order)
    got = {s.name for s in source.specs}
    if have != got:
        parts = []
        if got - have:
            parts.append(f"tables {target_shown} lacks: {', '.join(sorted(got - have))}")
        if have - got:
            parts.append(f"tables {source.shown} lacks: {', '.join(sorted(have - got))}")
        raise StoreError(f"the two schemas differ ({'; '.join(parts)})")
    for spec in source.specs:
        mine = {c.name for c in lay.columns[spec.name]}
        theirs = {c.name for c in spec.columns}
        if mine != theirs:
            diff = sorted(mine ^ theirs)
            raise StoreError(f"table {spec.name}'s columns differ: {', '.join(diff)}")


def _empty(tx: Tx, lay: Layout) -> None:
    """Delete every carried table's rows (in the open transaction)."""
    if tx.dialect == "postgresql":
        # One statement for all: foreign keys among them need no order, and no row
        # trigger runs (cloud_held is emptied with the rest, not adjusted).
        tx.execute(f"TRUNCATE {', '.join(quoted(t) for t in lay.order)}")
        return
    tx.execute("PRAGMA defer_foreign_keys = ON")
    base = [t for t in lay.order if t not in lay.derived]
    for t in [*reversed(base), *[t for t in lay.order if t in lay.derived]]:
        tx.execute(f"DELETE FROM {quoted(t)}")


# -- backup, restore, copy -------------------------------------------------------


class _Opened(Store):
    """A Store over a SQLite connection opened here, without migrating it (a backup
    file read as it is, or a scratch database built up to an older version)."""

    def __init__(self, path: str, read_only: bool):
        import sqlite3
        from urllib.parse import quote

        self.url = path
        self.shown = path
        self.dialect = "sqlite"
        if not read_only:
            self._conn = None
            self._connect()
            return
        try:
            conn = sqlite3.connect(
                f"file:{quote(os.path.abspath(path))}?mode=ro", uri=True, isolation_level=None
            )
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA query_only = ON")
        except sqlite3.DatabaseError as exc:
            raise InvalidInput(f"{path}: cannot be opened ({exc})") from None
        self._conn = conn


def backup(store: Store, file: str | Path, fmt: str | None = None) -> dict[str, Any]:
    """Write the database to `file`: on SQLite by default a SQLite database made with
    SQLite's online backup API (one consistent copy while others write), else (`fmt`
    "dump", PostgreSQL's default) a govops dump read in one snapshot. `fmt` "sqlite"
    on PostgreSQL loads a new SQLite file. What was written, with its audit head."""
    path = _named(file)
    fmt = fmt or ("sqlite" if store.dialect == "sqlite" else "dump")
    _not_itself(store, path)
    if path.exists() and not path.is_file() and not path.is_dir():
        raise InvalidInput(f"{path} is not a regular file (a device or pipe); not replaced")
    with _db_errors(store.shown), files.beside(path, 0o600, SQLITE_LEFTOVERS) as tmp:
        if fmt == "dump":

            def dump(tx: Tx) -> dict[str, Any]:
                snapshot(tx)
                source = LiveSource(tx, store.shown)
                with open(tmp, "wb") as out:
                    written = write_dump(source, out)
                return {"schema_version": source.schema_version, "audit_head": source.audit_head,
                        **written}  # fmt: skip

            found = store.read(dump)
        elif store.dialect == "sqlite":
            found = _sqlite_backup(store.url, tmp)
        else:
            with Store(str(tmp)) as into:

                def fill(tx: Tx) -> dict[str, Any]:
                    snapshot(tx)
                    return into.write(
                        lambda itx: load(itx, LiveSource(tx, store.shown), True, str(path))
                    )

                loaded = store.read(fill)
            _single_file(tmp)
            found = {
                "schema_version": loaded["schema_version"],
                "audit_head": loaded["audit_head"],
                "tables": {c["table"]: c["rows"] for c in loaded["tables"]},
            }
    return {"source": store.shown, "file": str(path), "format": fmt, **found}


def _single_file(path: Path) -> None:
    """A SQLite file standing alone: no WAL beside it, checked whole."""
    import sqlite3

    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode = DELETE")
        verdict = conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()
    if verdict != "ok":
        raise StoreError(f"the backup did not check whole: {verdict}")


def _sqlite_backup(src_path: str, tmp: Path) -> dict[str, Any]:
    import sqlite3

    src = sqlite3.connect(src_path, timeout=30)
    try:
        dst = sqlite3.connect(tmp)
        try:
            # pages=-1 (the default): every page in one step, under one read lock, so
            # the copy is the database at one moment; in WAL writers go on meanwhile.
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    _single_file(tmp)
    with _Opened(str(tmp), read_only=True) as copy:

        def summary(tx: Tx) -> dict[str, Any]:
            return {
                "schema_version": current_version(tx),
                "audit_head": tx.scalar("SELECT hash FROM audit ORDER BY id DESC LIMIT 1")
                or GENESIS,
                "tables": {
                    t: int(tx.scalar(f"SELECT count(*) FROM {quoted(t)}"))
                    for t in tables(tx)
                    if t not in SKIPPED
                },
            }

        return copy.read(summary)


def _named(file: str | Path) -> Path:
    """The file named, refused when the name is empty."""
    if not str(file).strip():
        raise InvalidInput("no file named: give the backup file's path")
    path = inputs.file_name(file)
    try:
        str(path).encode("utf-8")  # SQLite takes UTF-8 names: a lone surrogate is refused
        path.exists()
    except (OSError, UnicodeEncodeError) as exc:  # or a name too long for the file system
        why = getattr(exc, "strerror", None) or "not UTF-8"
        raise InvalidInput(f"{str(path)[:200]!r}: not a usable file name ({why})") from None
    return path


def _kind_of_file(path: Path) -> str:
    import stat

    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise InvalidInput(f"{path}: no such file") from None
    except (OSError, ValueError) as exc:
        raise InvalidInput(
            f"{path}: cannot be read ({getattr(exc, 'strerror', None) or exc})"
        ) from None
    if not stat.S_ISREG(mode):
        what = "a directory" if stat.S_ISDIR(mode) else "not a regular file"
        raise InvalidInput(f"{path} is {what}, not a backup")
    try:
        with open(path, "rb") as f:
            magic = f.read(16)
    except FileNotFoundError:
        raise InvalidInput(f"{path}: no such file") from None
    except OSError as exc:
        raise InvalidInput(f"{path}: cannot be read ({exc.strerror or exc})") from None
    if magic == SQLITE_MAGIC:
        return "sqlite"
    if magic[:2] == GZIP_MAGIC:
        return "dump"
    raise InvalidInput(f"{path}: not a govops backup (neither a SQLite database nor a govops dump)")


Use = Callable[[Source], dict[str, Any]]


def _dump(path: Path) -> DumpSource:
    return DumpSource(path)


def _version_of(store: Store, path: Path) -> int:
    version = int(store.read(current_version))
    if version == 0:
        raise InvalidInput(
            f"{path}: a SQLite database, but not a govops one (no schema_migrations)"
        )
    return version


@contextmanager
def _backup_reader(path: Path) -> Iterator[Callable[[Use], dict[str, Any]]]:
    """A reader of the backup at `path`, at this govops's schema version: `reader(use)`
    opens the backup afresh and calls `use(source)` while it is open. A backup of an
    older version is first loaded into a scratch SQLite database, which is migrated
    forward like any database, and read from there."""
    import tempfile

    kind = _kind_of_file(path)
    with _file_errors(path):
        if kind == "sqlite":
            with _Opened(str(path), read_only=True) as probe:
                version = _version_of(probe, path)
                # SQLite keeps no checksums: its own structural check, before any row
                verdict = probe.read(lambda tx: tx.scalar("PRAGMA quick_check"))
                if verdict != "ok":
                    raise InvalidInput(
                        f"{path}: the SQLite file is damaged ({verdict}); nothing restored"
                    )
        else:
            d = _dump(path)
            d.close()
            version = d.schema_version
    if version > LATEST:
        raise StoreError(
            f"{path} has schema version {version}, newer than this govops knows ({LATEST}):"
            " upgrade govops"
        )

    def read_sqlite(where: str, shown: str) -> Callable[[Use], dict[str, Any]]:
        def reader(use: Use) -> dict[str, Any]:
            with _file_errors(path), _Opened(where, read_only=True) as s:
                return s.read(lambda tx: use(LiveSource(tx, shown)))

        return reader

    if version == LATEST:
        if kind == "sqlite":
            yield read_sqlite(str(path), str(path))
            return

        def read_dump(use: Use) -> dict[str, Any]:
            d = _dump(path)
            try:
                return use(d)
            finally:
                d.close()

        yield read_dump
        return
    with tempfile.TemporaryDirectory(prefix="govops-restore-") as scratch_dir:
        scratch = os.path.join(scratch_dir, "upgrade.db")
        with _file_errors(path):
            if kind == "sqlite":
                _sqlite_backup(str(path), Path(scratch))
            else:
                with _Opened(scratch, read_only=False) as at:
                    at.write(lambda tx: apply_through(tx, version))

                    def fill(tx: Tx) -> dict[str, Any]:
                        d = _dump(path)
                        try:
                            return load(tx, d, True, f"a version {version} scratch database", False)
                        finally:
                            d.close()

                    at.write(fill)
            Store(scratch).close()  # migrated forward here
        yield read_sqlite(scratch, f"{path} (schema {version}, migrated to {LATEST})")


@contextmanager
def _file_errors(path: Path) -> Iterator[None]:
    """A backup file SQLite cannot read (corrupt, cut short) is one line."""
    import sqlite3

    try:
        yield
    except sqlite3.DatabaseError as exc:
        raise InvalidInput(
            f"{path}: not a readable SQLite database ({exc}); nothing restored"
        ) from None


@contextmanager
def _db_errors(shown: str) -> Iterator[None]:
    """What the database refuses is one line: a login without rights on the tables
    (permission denied), a constraint a loaded row breaks, a lock not granted."""
    import sqlite3

    try:
        yield
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{shown}: {exc}") from None
    except Exception as exc:
        if type(exc).__module__.startswith("psycopg"):
            from infra import config

            first = config.masked_message(str(exc), shown) or type(exc).__name__
            raise StoreError(f"{config.mask(shown)}: {first}") from None
        raise


def restore(store: Store, file: str | Path, force: bool = False) -> dict[str, Any]:
    """Replace what `store` holds with the backup in `file` (a SQLite backup or a
    govops dump), in one transaction, checked table by table before it commits.
    Refused when the database holds data, unless `force`."""
    path = _named(file)
    _not_itself(store, path)
    with _backup_reader(path) as reader, _db_errors(store.shown):
        return store.write(
            lambda tx: reader(lambda src: _load_checked(tx, src, force, store.shown))
        )


def copy(src_url: str, dst_url: str, force: bool = False) -> dict[str, Any]:
    """Copy every table of the database at `src_url` into the one at `dst_url`, read
    in one snapshot and written in one transaction checked table by table; then the
    target's audit chain is walked. Refused when the target holds data, unless `force`."""
    from infra import config

    src_at, dst_at = config.locate(src_url), config.locate(dst_url)
    if src_at.dialect == "sqlite" and not os.path.isfile(src_at.target):
        # opening it would create an empty database and copy that
        raise InvalidInput(f"{src_at.shown}: no such database file")
    if _same_place(src_at, dst_at):
        raise InvalidInput(f"{src_at.shown} and {dst_at.shown} are the same database")
    with Store(src_url) as src, Store(dst_url) as dst:
        with _db_errors(src.shown):

            def run(stx: Tx) -> dict[str, Any]:
                snapshot(stx)
                source = LiveSource(stx, src.shown)
                with _db_errors(dst.shown):
                    return dst.write(lambda dtx: _load_checked(dtx, source, force, dst.shown))

            return src.read(run)


def _load_checked(tx: Tx, source: Any, force: bool, target: str) -> dict[str, Any]:
    """`load`, then the audit chain walked in the same transaction (with the audit key
    when one is set): a chain that does not verify, or keyed rows without the key,
    roll the whole restore back."""
    from infra import audit

    report = load(tx, source, force, target)
    verdict = audit.verify_tx(tx, expect_head=report["audit_head"])
    if not verdict.ok:
        raise InvalidInput(f"{target}: {verdict.line()}; nothing was written")
    report["audit"] = verdict.as_dict()
    return report


def _not_itself(store: Store, path: Path) -> None:
    """A backup written over the database it copies, or restored from the database it
    replaces, would lose it: refused."""
    if store.dialect == "sqlite" and _same_place(
        DbLocation("sqlite", store.url, store.shown), DbLocation("sqlite", str(path), str(path))
    ):
        raise InvalidInput(f"{path} is the database itself ({store.shown})")


def _same_place(a: DbLocation, b: DbLocation) -> bool:
    if a.dialect != b.dialect:
        return False
    if a.dialect == "postgresql":
        return a.target == b.target
    try:
        return os.path.samefile(a.target, b.target)
    except OSError:
        return os.path.abspath(a.target) == os.path.abspath(b.target)
