"""Reading, verifying and anchoring the audit log's chain (rows are written by Tx.audit).

Each row carries the digest of the row before it (`prev_hash`) and its own
(`hash`): SHA-256 over its fields for rows chained without a key, HMAC-SHA256
with the key kept outside the database for keyed rows (`key_id` names the key).
Whoever can write the table can recompute a SHA-256 chain, not an HMAC one; and
no chain shows that its newest rows were cut off, which is what anchors are for:
the head digest, row id and time, appended to a file or syslog out of the
database writers' reach.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from infra.config import AuditKey, audit_keyring, key_lines
from infra.errors import GovopsError, InvalidInput
from infra.inputs import unstorable
from infra.store import GENESIS, ROTATE, Store, Tx, audit_hash, now_utc, rotated_to


def entries(
    store: Store, limit: int = 50, object_ref: str | None = None, action: str | None = None
) -> list[dict[str, Any]]:
    """The newest audit rows first, optionally for one object or action prefix."""

    def run(tx: Tx) -> list[dict[str, Any]]:
        if unstorable(object_ref or "") or unstorable(action or ""):
            return []  # no row holds a NUL or a lone surrogate, and no query can carry one
        where: list[str] = []
        params: list[object] = []
        if object_ref:
            where.append("object_ref = ?")
            params.append(object_ref)
        if action:
            where.append("substr(action, 1, ?) = ?")
            params += [len(action), action]
        sql = (
            "SELECT id, ts, actor, note, action, object_type, object_ref, before, after FROM audit"
        )
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY id DESC LIMIT ?"
        rows = tx.all(sql, [*params, limit])
        out = []
        for r in rows:
            d = dict(r)
            damaged = []
            for key in ("before", "after"):
                try:
                    d[key] = json.loads(d[key]) if d[key] else None
                except ValueError:  # edited behind govops' back: list it, flagged
                    damaged.append(key)
            if damaged:
                d["flag"] = f"{' and '.join(damaged)} not valid JSON: run govops audit verify"
            out.append(d)
        return out

    return store.read(run)


class AuditChainBroken(GovopsError):
    """The chain does not verify, so it is not anchored."""


@dataclass
class Anchor:
    """A head recorded outside the database: the chain had `rows` rows up to row
    `last_id`, whose digest was `head` (keyed with `key_id`), at `ts`."""

    ts: str | None
    rows: int | None
    last_id: int | None
    head: str
    key_id: str | None = None
    source: str = ""  # where it was read, for messages: "FILE line N" or "--expect-head"

    def as_dict(self) -> dict[str, Any]:
        return {
            "ts": self.ts,
            "rows": self.rows,
            "last_id": self.last_id,
            "head": self.head,
            "key_id": self.key_id,
        }


@dataclass
class Verdict:
    """What `verify` found. `cause` names the kind of failure for scripts: edited,
    removed, reordered, rewritten, other-key, key-removed, cut-off, key-needed."""

    ok: bool
    rows: int
    bad_id: int | None = None
    reason: str = ""
    head: str = GENESIS
    cause: str = ""
    last_id: int | None = None
    keyed: int = 0
    key_id: str | None = None
    anchors: int = 0
    anchor: dict[str, Any] | None = field(default=None)

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "rows": self.rows,
            "bad_id": self.bad_id,
            "reason": self.reason,
            "cause": self.cause,
            "head": self.head,
            "last_id": self.last_id,
            "keyed": self.keyed,
            "key_id": self.key_id,
            "anchors": self.anchors,
            "anchor": self.anchor,
        }

    def line(self) -> str:
        """The one line a person reads."""
        if self.ok:
            keyed = f"{self.keyed} keyed (key {self.key_id})" if self.keyed else "none keyed"
            text = f"audit chain intact: {self.rows} rows, {keyed}, head {self.head_ref}"
            if self.anchor:
                text += (
                    f"; {self.anchors} {'anchors hold' if self.anchors != 1 else 'anchor holds'},"
                    f" the newest of {self.anchor['ts']} at row {self.anchor['last_id']}"
                )
            return text
        if self.cause == "key-needed":
            return f"audit chain not verified: {self.reason}"
        if self.bad_id is not None:
            return f"audit chain broken at row {self.bad_id}: {self.reason}"
        return f"audit chain broken: {self.reason}"

    @property
    def head_ref(self) -> str:
        """The head as `--expect-head` takes it: row id and digest."""
        return f"{self.last_id or 0}:{self.head}"


_HEX = frozenset("0123456789abcdef")


def parse_head(text: str) -> Anchor:
    """`--expect-head`: DIGEST, or ID:DIGEST as `verify` prints it (the row id lets
    `verify` tell rows cut off from a chain rewritten)."""
    raw = text.strip().lower()
    rid, _, digest = raw.rpartition(":")
    if len(digest) != 64 or not set(digest) <= _HEX or (rid and not rid.isdigit()):
        raise InvalidInput(
            f"{text!r} is not a head: give the 64 hex digits verify prints, or ID:DIGEST"
        )
    last_id = int(rid) if rid else None
    return Anchor(None, None, last_id or None, digest, None, "--expect-head")


def read_anchors(path: str) -> list[Anchor]:
    """The anchors in `path`, oldest first: one JSON object a line, as `anchor`
    appends them; a line copied from syslog (text before the `{`) is read too."""
    try:
        with open(path, encoding="utf-8") as f:
            lines = f.read().splitlines()
    except OSError as exc:
        raise InvalidInput(f"{path}: cannot be read ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise InvalidInput(f"{path}: not a text file of anchors") from None
    out = []
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{path} line {n}"
        start = line.find("{")
        try:
            d = json.loads(line[start:]) if start >= 0 else None
        except ValueError:
            d = None
        if not _anchor_shape(d):
            raise InvalidInput(f"{where}: not an audit anchor (ts, rows, last_id, head, key_id)")
        assert isinstance(d, dict)
        out.append(Anchor(d["ts"], d["rows"], d["last_id"], d["head"], d["key_id"], where))
    if not out:
        raise InvalidInput(f"{path} holds no anchors")
    return out


def _anchor_shape(d: Any) -> bool:
    if not isinstance(d, dict) or not {"ts", "rows", "last_id", "head", "key_id"} <= d.keys():
        return False
    head = d["head"]
    ints = all(type(d[k]) is int and d[k] >= 0 for k in ("rows", "last_id"))
    return (
        isinstance(d["ts"], str)
        and ints
        and isinstance(head, str)
        and len(head) == 64
        and set(head) <= _HEX
        and (d["key_id"] is None or isinstance(d["key_id"], str))
    )


class _FromEnv:
    """The key configured in the environment (GOVOPS_AUDIT_KEY_FILE / GOVOPS_AUDIT_KEY)."""


FROM_ENV = _FromEnv()

_PAGE = 5_000  # audit rows verify reads at a time
_COLUMNS = (
    "id, ts, actor, note, action, object_type, object_ref, before, after, prev_hash, hash, key_id"
)


def _digest(r: Any, key: AuditKey | None = None) -> str:
    """A stored row's digest recomputed: plain SHA-256, or with `key` the HMAC."""
    return audit_hash(
        r["prev_hash"],
        r["ts"],
        r["actor"],
        r["action"],
        r["object_type"],
        r["object_ref"],
        r["before"],
        r["after"],
        r["note"],
        key,
    )


def _plain_forms(r: Any) -> set[str]:
    """The digests someone without the key could compute for a row: SHA-256 over its
    fields, with or without the note and key id."""
    import hashlib

    fields = [r[c] for c in ("prev_hash", "ts", "actor", "action", "object_type", "object_ref")]
    fields += [r["before"], r["after"], r["note"], r["key_id"]]
    forms = {_digest(r)}
    for n in (8, 9, 10):
        payload = json.dumps(fields[:n], ensure_ascii=False).encode("utf-8")
        forms.add(hashlib.sha256(payload).hexdigest())
    return forms


def verify(
    store: Store,
    expect_head: str | Anchor | None = None,
    anchors: list[Anchor] | None = None,
    key: AuditKey | list[AuditKey] | _FromEnv | None = FROM_ENV,
) -> Verdict:
    """Walk the chain from the first row and name the first failure and its cause;
    then check each anchor (and `expect_head`) against it.

    With a key (by default the one configured), keyed rows are checked with it; without
    one, keyed rows can only be checked for links and for digests anyone could compute,
    so a chain holding keyed rows is not passed. `key` may be a key ring (oldest first):
    rows keyed with a retired key verify with it, and a key may change only right
    after a rotation row, keyed with the key before, that names the next. A chain cannot show that its newest
    rows were cut off: an anchor recorded outside the database can.
    """
    return store.read(lambda tx: verify_tx(tx, expect_head, anchors, key))


def verify_tx(
    tx: Tx,
    expect_head: str | Anchor | None = None,
    anchors: list[Anchor] | None = None,
    key: AuditKey | list[AuditKey] | _FromEnv | None = FROM_ENV,
) -> Verdict:
    """`verify` inside a transaction already open: a restore checks the chain it
    wrote before it commits."""
    if isinstance(key, _FromEnv):
        ring = audit_keyring()
    elif isinstance(key, AuditKey):
        ring = [key]
    else:
        ring = list(key or [])
    checks = list(anchors or [])
    if isinstance(expect_head, str):
        checks.append(parse_head(expect_head))
    elif expect_head is not None:
        checks.append(expect_head)
    return _Walk(tx, ring).run(checks)


class _Walk:
    def __init__(self, tx: Tx, ring: list[AuditKey]):
        self.tx = tx
        self.keys = {k.id: k for k in ring}
        self.key = ring[-1] if ring else None  # the current key, for messages
        self.count = 0
        self.keyed = 0
        self.chain_key: str | None = None  # the key id the chain is keyed with now
        self.handed: tuple[int, str] | None = None  # the row before rotated to this key
        self._ring_in_chain: bool | None = None
        self.head = GENESIS
        self.last_id: int | None = None

    def verdict(
        self, ok: bool, bad_id: int | None = None, reason: str = "", cause: str = ""
    ) -> Verdict:
        return Verdict(
            ok,
            self.count,
            bad_id,
            reason,
            self.head,
            cause,
            self.last_id,
            self.keyed,
            self.chain_key,
        )

    def run(self, checks: list[Anchor]) -> Verdict:
        prev_checked = False  # the row before was proved by the key, not only by a hash
        for r in self._rows():
            self.count += 1
            if r["prev_hash"] != self.head:
                return self._link_broken(r, prev_checked)
            failure = self._row(r)
            if failure:
                return failure
            prev_checked = bool(self.keys) and r["key_id"] is not None
            to = rotated_to(r["action"], r["after"])
            self.handed = (r["id"], to) if to else None
            self.head, self.last_id = r["hash"], r["id"]
        checked = 0
        newest: Anchor | None = None
        for anchor in checks:
            failure = self._anchor(anchor)
            if failure:
                return failure
            if anchor.ts is not None:
                checked += 1
                if newest is None or (anchor.last_id or 0) >= (newest.last_id or 0):
                    newest = anchor
        if self.keyed and not self.keys:
            return self.verdict(
                False,
                None,
                f"{self.keyed} rows are keyed (key {self.chain_key}): give the key to verify"
                " them (GOVOPS_AUDIT_KEY_FILE or GOVOPS_AUDIT_KEY)",
                "key-needed",
            )
        done = self.verdict(True)
        done.anchors = checked
        done.anchor = newest.as_dict() if newest else None
        return done

    def _rows(self) -> Iterator[Any]:
        """Every row in id order, a page at a time: psycopg would fetch the whole log
        into memory for one statement (246 MB at 287,000 rows)."""
        after: int | None = None
        while True:
            if after is None:
                page = self.tx.all(f"SELECT {_COLUMNS} FROM audit ORDER BY id LIMIT ?", (_PAGE,))
            else:
                page = self.tx.all(
                    f"SELECT {_COLUMNS} FROM audit WHERE id > ? ORDER BY id LIMIT ?",
                    (after, _PAGE),
                )
            yield from page
            if len(page) < _PAGE:
                return
            after = page[-1]["id"]

    def _link_broken(self, r: Any, prev_checked: bool) -> Verdict:
        """The row does not point at the row before it: find what it points at."""
        found = self.tx.scalar(
            "SELECT id FROM audit WHERE hash = ? ORDER BY id LIMIT 1", (r["prev_hash"],)
        )
        if found is not None and found != r["id"]:
            return self.verdict(
                False, r["id"], f"rows were reordered: it follows row {found}", "reordered"
            )
        if prev_checked:  # the row before is proved by the key: one between was removed
            return self.verdict(False, r["id"], "a row before it was removed", "removed")
        return self.verdict(
            False,
            r["id"],
            "a row before it was removed (or the one before it edited and rehashed)",
            "removed",
        )

    def _row(self, r: Any) -> Verdict | None:
        rid, kid = r["id"], r["key_id"]
        if kid is None:
            if self.handed and self.chain_key is None:
                return self._not_handed(rid, "it is not keyed")
            if self.chain_key is None and _digest(r) == r["hash"]:
                return None  # a row chained without a key, before any keyed row
            for k in self.keys.values():
                if _digest(r, k) == r["hash"]:
                    return self.verdict(
                        False,
                        rid,
                        f"its key_id was removed (it is keyed with key {k.id})",
                        "key-removed",
                    )
            if self.chain_key is not None:
                return self.verdict(
                    False,
                    rid,
                    f"it is not keyed although the rows before it are: the chain was"
                    f" rewritten by someone without the key from row {rid}",
                    "rewritten",
                )
            return self.verdict(False, rid, "its content was edited", "edited")
        self.keyed += 1
        if self.handed and kid != self.handed[1]:
            return self._not_handed(rid, f"it is chained with key {kid}")
        if self.handed or self.chain_key is None:
            self.chain_key = kid  # the first keyed row, or the one a rotation names
        if kid != self.chain_key:
            return self.verdict(
                False,
                rid,
                f"it is chained with another key ({kid}) than the rows before it"
                f" ({self.chain_key}), and no key rotation row hands it over",
                "other-key",
            )
        key = self.keys.get(kid)
        if self.keys and key is None:
            if self._ring_used():
                return self.verdict(
                    False,
                    rid,
                    f"row {rid} on is keyed with key {kid}, which is not in the key ring"
                    f" given: add key {kid} to GOVOPS_AUDIT_KEY_FILE to verify them",
                    "key-needed",
                )
            assert self.key is not None
            return self.verdict(
                False,
                rid,
                f"it is chained with another key ({kid}), not the key given ({self.key.id})",
                "other-key",
            )
        if key is not None and _digest(r, key) == r["hash"]:
            return None
        if r["hash"] in _plain_forms(r):  # what anyone can compute: telling, even keyless
            return self.verdict(
                False,
                rid,
                f"its digest is a plain hash, not the key's: the chain was rewritten by"
                f" someone without the key from row {rid}",
                "rewritten",
            )
        if key is None:
            return None  # only the key can tell more; verify says so at the end
        # The digest is not the key's. Edited content leaves the stored digest, so the
        # next row (if the key proves it) still follows; a rewrite changes both.
        nxt = self.tx.one(f"SELECT {_COLUMNS} FROM audit WHERE id > ? ORDER BY id LIMIT 1", (rid,))
        nkey = self.keys.get(nxt["key_id"]) if nxt is not None else None
        if (
            nxt is not None
            and nkey is not None
            and nxt["prev_hash"] == r["hash"]
            and _digest(nxt, nkey) != nxt["hash"]
        ):
            return self.verdict(
                False,
                rid,
                f"its digest and the next row's are not the key's: the chain was rewritten"
                f" by someone without the key from row {rid}",
                "rewritten",
            )
        return self.verdict(False, rid, "its content was edited", "edited")

    def _not_handed(self, rid: int, what: str) -> Verdict:
        assert self.handed is not None
        at, to = self.handed
        return self.verdict(
            False,
            rid,
            f"{what}, but row {at} handed the chain over to key {to}",
            "other-key",
        )

    def _ring_used(self) -> bool:
        """Whether any key of the ring given chains a row of this log, or is named by a
        rotation: then a key missing from the ring is a retired or newer key of the
        same chain, not an intruder's."""
        if self._ring_in_chain is None:
            ids = sorted(self.keys)
            marks = ", ".join("?" * len(ids))
            self._ring_in_chain = (
                self.tx.scalar(
                    f"SELECT count(*) FROM audit WHERE key_id IN ({marks})"
                    f" OR (action = ? AND object_ref IN ({marks}))",
                    [*ids, ROTATE, *ids],
                )
                > 0
            )
        return self._ring_in_chain

    def _anchor(self, a: Anchor) -> Verdict | None:
        """Check one recorded head against the chain just walked (which held together).

        When the key proved the chain (it has keyed rows, and every row up to the
        newest keyed one is covered by an HMAC), no one without the key can have
        rewritten it: an anchored head that is gone went with rows cut off, and any
        rows in its place were written since. Otherwise a head that is gone while
        rows after it remain means the chain was rewritten.
        """
        if a.head == GENESIS and not a.last_id:
            return None  # anchored while empty
        at = f"the head anchored at {a.ts} ({a.source})" if a.ts else "the recorded head"
        proved = bool(self.keys) and self.keyed > 0
        if a.last_id is None:  # a digest alone, from --expect-head
            if self.tx.scalar("SELECT id FROM audit WHERE hash = ?", (a.head,)) is not None:
                return None
            if proved:
                return self.verdict(False, None, f"rows were cut off: {at} is gone", "cut-off")
            return self.verdict(
                False,
                None,
                f"{at} is gone: rows were cut off or the chain rewritten"
                " (give ID:DIGEST, as verify prints it, to tell which)",
                "cut-off",
            )
        row = self.tx.one("SELECT hash, key_id FROM audit WHERE id = ?", (a.last_id,))
        if row is not None and row["hash"] == a.head:
            return None
        later = self.tx.scalar("SELECT count(*) FROM audit WHERE id > ?", (a.last_id,))
        if row is None and not later:
            ends = f"row {self.last_id}" if self.last_id else "no row (it is empty)"
            return self.verdict(
                False,
                None,
                f"rows were cut off: the chain ends at {ends}, {at} is row {a.last_id}",
                "cut-off",
            )
        if a.key_id is not None and row is not None and row["key_id"] is None:
            return self.verdict(
                False,
                a.last_id,
                f"it was keyed (key {a.key_id}) when anchored at {a.ts} and is not now:"
                " the chain was rewritten by someone without the key",
                "rewritten",
            )
        if proved:
            return self.verdict(
                False,
                None,
                f"rows were cut off: {at} (row {a.last_id}) is gone and rows written"
                " since follow the cut",
                "cut-off",
            )
        unsure = " (give the key to tell it from rows cut off and written on)" if self.keyed else ""
        if row is None:
            return self.verdict(
                False,
                a.last_id,
                f"it is gone but rows after it remain: the chain was rewritten before {at}{unsure}",
                "rewritten",
            )
        return self.verdict(
            False,
            a.last_id,
            f"its digest is not {at}: the chain was rewritten at or before it{unsure}",
            "rewritten",
        )


def anchor_record(verdict: Verdict) -> dict[str, Any]:
    """The line `anchor` appends: when, how many rows, up to which row, its digest
    and the key that chained it (its id; never the key)."""
    return {
        "ts": now_utc(),
        "rows": verdict.rows,
        "last_id": verdict.last_id or 0,
        "head": verdict.head,
        "key_id": verdict.key_id if verdict.keyed else None,
    }


def anchor(
    store: Store,
    to: str | None = None,
    syslog: bool = False,
    syslog_socket: str | None = None,
) -> dict[str, Any]:
    """Verify the chain (against the anchors already in `to`), then append its head
    to `to` and/or send it to syslog. A broken chain is not anchored."""
    earlier = read_anchors(to) if to and os.path.isfile(to) and os.path.getsize(to) else None
    verdict = verify(store, anchors=earlier)
    if not verdict.ok:
        raise AuditChainBroken(f"nothing anchored: {verdict.line()}")
    record = anchor_record(verdict)
    line = json.dumps(record, ensure_ascii=False, sort_keys=False)
    if to:
        _append_line(to, line)
    if syslog:
        _send_syslog(line, syslog_socket)
    return record


def _append_line(path: str, line: str) -> None:
    """Append one line and flush it to disk (O_APPEND: never over what is there)."""
    existed = os.path.exists(path)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(fd, (line + "\n").encode("utf-8"))
            os.fsync(fd)
        finally:
            os.close(fd)
        if not existed:  # a new file: its directory entry must reach the disk too
            dfd = os.open(os.path.dirname(os.path.abspath(path)), os.O_RDONLY)
            try:
                os.fsync(dfd)
            finally:
                os.close(dfd)
    except OSError as exc:
        raise InvalidInput(f"{path}: cannot append the anchor ({exc.strerror or exc})") from None


SYSLOG_SOCKET = "/dev/log"


def _send_syslog(line: str, socket_path: str | None) -> None:
    """One message to the local syslog (facility auth, priority info, tag govops-audit)."""
    import logging
    from logging.handlers import SysLogHandler

    class Strict(SysLogHandler):
        def handleError(self, record: logging.LogRecord) -> None:
            raise  # the send's own error, for one clear line (logging would print it)

    address = socket_path or SYSLOG_SOCKET
    try:
        handler = Strict(address=address, facility=SysLogHandler.LOG_AUTH)
    except OSError as exc:
        raise GovopsError(f"cannot send to syslog at {address}: {exc.strerror or exc}") from None
    handler.ident = "govops-audit: "
    handler.append_nul = False
    try:
        record = logging.LogRecord("govops.audit", logging.INFO, "", 0, line, None, None)
        handler.emit(record)
    except OSError as exc:
        raise GovopsError(f"cannot send to syslog at {address}: {exc.strerror or exc}") from None
    finally:
        handler.close()


def new_key(path: str) -> str:
    """Write a new random audit key (32 bytes, as hex) to `path`, readable by its
    owner only; an existing file is never overwritten. Returns the key's public id."""
    import secrets

    secret = secrets.token_hex(32)
    try:
        _new_owner_only(path, secret + "\n")
    except FileExistsError:
        raise GovopsError(
            f"{path} exists: an audit key is never overwritten (the rows it keyed need it)"
        ) from None
    except OSError as exc:
        raise InvalidInput(f"{path}: cannot be written ({exc.strerror or exc})") from None
    return AuditKey(secret.encode("ascii")).id


def _new_owner_only(path: str, text: str) -> None:
    """Create `path` (never over an existing file: FileExistsError) readable by its
    owner alone, holding `text`, flushed to disk."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.fchmod(fd, 0o600)  # whatever the umask
        os.write(fd, text.encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)


def rotate(store: Store, new_file: str, ring: str | None = None) -> dict[str, Any]:
    """Hand the chain over to the key in `new_file`: one row `audit.key.rotate`,
    keyed with the current key (so only its holder can hand over), naming the new
    key's id; from then on only the new key writes. With `ring`, also write a key
    ring file (0600, never overwritten) holding the keys configured, then the new one.
    Returns the old and new key ids (never a key)."""
    from infra.config import AuditKeyError, read_audit_keys

    current = audit_keyring()
    new = read_audit_keys(new_file)
    if len(new) != 1:
        raise InvalidInput(
            f"{new_file} holds {len(new)} keys: give one new key (govops audit key new FILE)"
        )
    key = new[0]
    if any(k.id == key.id for k in current):
        raise AuditKeyError(
            f"key {key.id} is already in the key ring: rotate to a new key"
            " (govops audit key new FILE)"
        )
    if ring is not None and not current:
        raise InvalidInput("--ring needs the current key set: there is no key to keep")
    old = current[-1].id if current else None
    if ring is not None and os.path.exists(ring):
        raise GovopsError(f"{ring} exists: a key ring is never overwritten")

    def run(tx: Tx) -> None:
        tx.audit(ROTATE, "audit", key.id, None, {"from": old, "to": key.id})
        tx.flush_audit()  # refused here, nothing written, unless the chain takes `old`

    store.write(run)
    if ring is not None:
        _write_ring(ring, [*_configured_key_lines(), *_key_lines(new_file)], key.id)
    return {"from": old, "to": key.id, "ring": ring}


def _key_lines(path: str) -> list[str]:
    """The key lines of a key file (already checked by read_audit_keys)."""
    with open(path, encoding="utf-8") as f:
        return [line for _, line in key_lines(f.read())]


def _configured_key_lines() -> list[str]:
    path = os.environ.get("GOVOPS_AUDIT_KEY_FILE")
    if path is not None:
        return _key_lines(path)
    return [os.environ.get("GOVOPS_AUDIT_KEY", "").strip()]


def _write_ring(path: str, lines: list[str], new_id: str) -> None:
    """A new key ring file, owner-only; the rotation is already committed, so a
    failure here says what to do by hand."""
    head = "# govops audit key ring: retired keys first, the current key last\n"
    try:
        _new_owner_only(path, head + "\n".join(lines) + "\n")
    except OSError as exc:
        raise GovopsError(
            f"the chain is handed over to key {new_id}, but {path} cannot be written"
            f" ({exc.strerror or exc}): append the new key to the key file by hand"
        ) from None
