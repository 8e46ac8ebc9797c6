"""One Store over SQLite (embedded default) or PostgreSQL (shared).

Every write runs inside `Store.write(fn)`: one transaction, its audit rows in the
same transaction, retried as a whole when another process holds the lock
(SQLite) or the server reports a serialisation failure or deadlock (PostgreSQL).
psycopg is imported only when the URL asks for PostgreSQL.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import cached_property
from typing import Any, TypeVar

from infra import config, locks
from infra.errors import StoreError

T = TypeVar("T")

# Retry budget for a write that lost a race: ~10 s in all, with jitter so that
# processes that collided once do not collide again in lock-step.
_RETRIES = 40
_BUSY_TIMEOUT_MS = 30_000
GENESIS = "0" * 64


def now_utc() -> str:
    from datetime import UTC, datetime

    return datetime.now(UTC).isoformat(timespec="microseconds")


def is_postgres_url(url: str) -> bool:
    return url[:13].lower().startswith(("postgresql://", "postgres://"))


class Tx:
    """A transaction: run SQL (written with `?` placeholders) and record audit rows."""

    def __init__(self, store: Store, conn: Any):
        self.store = store
        self.dialect = store.dialect
        self._conn = conn
        self._pg = store.dialect == "postgresql"
        self._audit: list[tuple[str, str, str, str, str | None, str | None]] = []

    @cached_property
    def now(self) -> str:
        """The transaction's timestamp (UTC), the same for every row it writes."""
        return now_utc()

    @cached_property
    def actor(self) -> str:
        """Who is acting, as the system knows it: on PostgreSQL the database login
        (`session_user`, which no client setting changes), on SQLite the OS account of
        this process (the file's permissions are the boundary there)."""
        if self._pg:
            return str(self.scalar("SELECT session_user"))
        return config.os_user()

    @cached_property
    def actor_note(self) -> str | None:
        """What the person says of themselves (`GOVOPS_ACTOR`), kept beside the actor."""
        return config.actor_note()

    @cached_property
    def audit_key(self) -> config.AuditKey | None:
        """The key this transaction's audit rows are chained with, read once (a bulk
        change flushes its rows many times); a key configured but unusable refuses
        the write."""
        return config.audit_key()

    def _sql(self, sql: str) -> str:
        return sql.replace("?", "%s") if self._pg else sql

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self._conn.execute(self._sql(sql), tuple(params))

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        if self._pg:
            with self._conn.cursor() as cur:
                cur.executemany(self._sql(sql), [tuple(r) for r in rows])
        else:
            self._conn.executemany(sql, rows)

    def one(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self.execute(sql, params).fetchone()

    def all(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        return list(self.execute(sql, params).fetchall())

    def scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        row = self.execute(sql, params).fetchone()
        if row is None:
            return None
        return row[next(iter(row.keys()))] if self._pg else row[0]

    def insert(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run an INSERT and return the new row's id."""
        row = self.execute(sql + " RETURNING id", params).fetchone()
        return int(row["id"])

    def audit(
        self,
        action: str,
        object_type: str,
        object_ref: str,
        before: dict[str, Any] | None,
        after: dict[str, Any] | None,
    ) -> None:
        """Record a change; written with the change, in the same transaction."""
        enc = _json_or_none
        self._audit.append((action, object_type, object_ref, "", enc(before), enc(after)))

    def flush_audit(self) -> None:
        """Write the audit rows recorded so far, now, in this transaction (the commit
        writes the rest). A bulk change calls it between batches so its rows do not
        wait in memory; on PostgreSQL the audit lock is then held until the commit."""
        if not self._audit:
            return
        key = self.audit_key
        locks.hold(self, locks.AUDIT)
        last = self.one("SELECT hash, key_id, action, after FROM audit ORDER BY id DESC LIMIT 1")
        prev = last["hash"] if last else GENESIS
        # Once the chain is keyed, a row without the key (or with another) would let
        # anyone append or rewrite: refused, the whole transaction with it. A key
        # rotation row (written with the old key) hands the chain to the key it names.
        handed = rotated_to(last["action"], last["after"]) if last else None
        wanted = handed or (last["key_id"] if last else None)
        if wanted is not None and (key is None or key.id != wanted):
            given = "no audit key is set" if key is None else f"this key is {key.id}"
            how = "was handed over to" if handed else "is keyed with"
            raise config.AuditKeyError(
                f"the audit chain {how} key {wanted} and {given}: set"
                " GOVOPS_AUDIT_KEY_FILE (or GOVOPS_AUDIT_KEY) to that key; nothing written"
            )
        key_id = key.id if key else None
        rows = []
        actor, note = self.actor, self.actor_note
        for action, otype, oref, _, before, after in self._audit:
            digest = audit_hash(
                prev, self.now, actor, action, otype, oref, before, after, note, key
            )
            rows.append(
                (self.now, actor, note, action, otype, oref, before, after, prev, digest, key_id)
            )
            prev = digest
        columns = (
            "ts, actor, note, action, object_type, object_ref, before, after, prev_hash, hash,"
            " key_id"
        )
        if self._pg and len(rows) > 100:
            # A bulk change (20,000 blocks in one request) writes as many audit rows:
            # COPY sends them in one stream instead of one statement each.
            with self._conn.cursor() as cur, cur.copy(f"COPY audit ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            self.executemany(
                f"INSERT INTO audit ({columns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows
            )
        self._audit.clear()


ROTATE = "audit.key.rotate"
"""The action of the audit row that hands the chain from one key to the next."""


def rotated_to(action: str, after: str | None) -> str | None:
    """The key id a key rotation row hands the chain to (None for any other row)."""
    if action != ROTATE or not after:
        return None
    import json

    try:
        to = json.loads(after).get("to")
    except (ValueError, AttributeError):
        return None
    return to if isinstance(to, str) and to else None


def _json_or_none(value: dict[str, Any] | None) -> str | None:
    if value is None:
        return None
    import json

    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def audit_hash(
    prev: str,
    ts: str,
    actor: str,
    action: str,
    object_type: str,
    object_ref: str,
    before: str | None,
    after: str | None,
    note: str | None = None,
    key: config.AuditKey | None = None,
) -> str:
    """The chained digest of one audit row: any edit to a row or its order changes it.

    A row without a note (all rows written before notes were kept) hashes as it
    always did, so an upgraded chain still verifies. With a key the digest is
    HMAC-SHA256 over the same fields plus the note and the key's id, so that only
    the key's holder can compute it and the row's key_id cannot be stripped or
    swapped unnoticed.
    """
    import hashlib
    import json

    fields = [prev, ts, actor, action, object_type, object_ref, before, after]
    if key is not None:
        fields += [note, key.id]
        return key.digest(json.dumps(fields, ensure_ascii=False).encode("utf-8"))
    if note is not None:
        fields.append(note)
    payload = json.dumps(fields, ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


class Store:
    """The database, SQLite or PostgreSQL, with migrations applied on first use."""

    def __init__(self, url: str | None = None):
        where = config.locate(url)
        self.url = where.target
        self.shown = where.shown  # for messages: the password masked
        self.dialect = where.dialect
        self._conn: Any = None
        self._connect()
        from infra.migrations import migrate

        try:
            migrate(self)
        except BaseException:
            self.close()  # a refused migration (a login may not change the schema)
            raise

    # -- connections -------------------------------------------------------

    def _connect(self) -> None:
        if self.dialect == "postgresql":
            self._conn = _pg_connect(self.url)
            return
        path = self.url
        try:
            conn = sqlite3.connect(
                path,
                isolation_level=None,  # we issue BEGIN ourselves
                timeout=_BUSY_TIMEOUT_MS / 1000,
                check_same_thread=False,
            )
            conn.row_factory = sqlite3.Row
            conn.execute(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA foreign_keys = ON")
            self._set_wal(conn)
            conn.execute("PRAGMA synchronous = NORMAL")
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot open {path}: {exc}") from exc
        self._conn = conn

    @staticmethod
    def _set_wal(conn: sqlite3.Connection) -> None:
        # Switching to WAL needs an exclusive moment; another process creating the
        # same file can hold it, so retry rather than fail.
        for attempt in range(_RETRIES):
            try:
                conn.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError as exc:
                if not _sqlite_busy(exc) or attempt == _RETRIES - 1:
                    raise
                _backoff(attempt)

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- transactions ------------------------------------------------------

    def write(self, fn: Callable[[Tx], T]) -> T:
        """Run `fn(tx)` in one write transaction, retried whole if it lost a race."""
        for attempt in range(_RETRIES):
            try:
                with self._transaction(write=True) as tx:
                    result = fn(tx)
                    tx.flush_audit()
                return result
            except Exception as exc:
                if attempt < _RETRIES - 1 and self._retryable(exc):
                    _backoff(attempt)
                    continue
                raise
        raise AssertionError("unreachable")

    def read(self, fn: Callable[[Tx], T]) -> T:
        """Run `fn(tx)` in a read-only transaction (a consistent snapshot)."""
        with self._transaction(write=False) as tx:
            return fn(tx)

    @contextmanager
    def _transaction(self, write: bool) -> Iterator[Tx]:
        conn = self._conn
        if self.dialect == "postgresql":
            import psycopg.errors as pgerr

            try:
                with conn.transaction():
                    if not write:
                        # One snapshot for the whole read, as SQLite gives: under READ
                        # COMMITTED each statement sees what committed since the one
                        # before, so a check reading the prefixes, then the free blocks,
                        # amid allocations would report a gap that is not there.
                        conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                    yield Tx(self, conn)
            except (pgerr.InsufficientPrivilege, pgerr.InvalidSchemaName) as exc:
                # A login outside its grants (infra/access.py): the database refused the
                # statement and the transaction is rolled back; one line, not a traceback.
                first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
                who = conn.info.user
                if who and who not in first:
                    first = f"{first} (login {who})"
                raise StoreError(f"refused by the database: {first}; nothing written") from None
            return
        conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
        try:
            yield Tx(self, conn)
            # A COMMIT can fail too (busy, a deferred constraint) and then leaves the
            # transaction open: roll it back as well, or the next BEGIN fails.
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    def _retryable(self, exc: BaseException) -> bool:
        if self.dialect == "sqlite":
            return isinstance(exc, sqlite3.OperationalError) and _sqlite_busy(exc)
        import psycopg.errors as pgerr

        # DuplicateTable: two processes migrating a new database at once. The one that
        # waited on the migration lock can still hold a cached "no such table" answer
        # from before the wait (to_regclass takes no lock, so it does not refresh the
        # catalog cache); a new transaction starts with a fresh view and finds the
        # schema already migrated.
        return isinstance(
            exc, pgerr.SerializationFailure | pgerr.DeadlockDetected | pgerr.DuplicateTable
        )


def _sqlite_busy(exc: sqlite3.OperationalError) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text


def _backoff(attempt: int) -> None:
    import random

    time.sleep(min(0.5, 0.005 * (2 ** min(attempt, 7))) * (0.5 + random.random()))


def _pg_connect(url: str) -> Any:
    try:
        import psycopg
        from psycopg.rows import dict_row
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise StoreError(
            "PostgreSQL support is not installed: pip install 'govops[postgres]'"
        ) from exc
    try:
        conn = psycopg.connect(url, autocommit=True, row_factory=dict_row, connect_timeout=10)
    except psycopg.Error as exc:  # OperationalError, or ProgrammingError for a bad option
        first = config.masked_message(str(exc), url) or type(exc).__name__
        raise StoreError(f"cannot connect to PostgreSQL at {config.mask(url)}: {first}") from None
    return conn
