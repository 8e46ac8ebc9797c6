"""Where the database lives and who is acting: read from the environment."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import NamedTuple

from infra.errors import StoreError


def default_db_url_sqlite_dir() -> str:
    """The directory of the embedded default database."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return str(Path(base) / "govops")


class DbLocation(NamedTuple):
    """Where the database is: `dialect` sqlite or postgresql, `target` the file path
    or the URL to connect to, `shown` the same with any password masked."""

    dialect: str
    target: str
    shown: str


_SCHEME = r"^([A-Za-z][A-Za-z0-9+.\-]*)://"  # compiled on first use (re caches it)
_PG_SCHEMES = ("postgresql", "postgres")


def _split_secret(url: str) -> tuple[str, str, str] | None:
    """(before, password, after) when `url` may carry a password in its user info.

    Conservative, since it also serves URLs that are malformed: the user info runs
    to the last '@', the password from the first ':' after the scheme, so an odd
    URL is masked more, never less.
    """
    scheme = re.match(_SCHEME, url)
    if scheme is None:
        return None
    start = scheme.end()
    at = url.rfind("@", start)
    if at == -1:
        return None
    colon = url.find(":", start, at)
    if colon == -1:
        return None
    return url[: colon + 1], url[colon + 1 : at], url[at:]


def mask(url: str) -> str:
    """`url` with the password of its user info replaced by ***."""
    parts = _split_secret(url)
    return url if parts is None else f"{parts[0]}***{parts[2]}"


def _password(url: str) -> str | None:
    parts = _split_secret(url)
    return parts[1] if parts and parts[1] else None


def masked_message(message: str, url: str) -> str:
    """A driver's message about `url` with the password masked wherever it appears.

    libpq quotes the token it choked on, which may be a piece of the user info:
    a quoted token other than a plain word (a parameter name) is replaced too.
    """
    text = message.strip().splitlines()[0] if message.strip() else ""
    text = text.replace(url, mask(url))
    secret = _password(url)
    if secret:
        from urllib.parse import unquote

        for form in {secret, unquote(secret)}:
            if form:
                text = text.replace(form, "***")
    return re.sub(r'"(?![A-Za-z0-9_.-]*")[^"]*"', '"…"', text)


def locate(url: str | None = None) -> DbLocation:
    """Check a `--db` / GOVOPS_DB value: a postgresql:// URL (any case) or a SQLite
    file whose directory exists. Only the default location's directory is created;
    another scheme, a missing directory or a path that is no file is refused, with
    any password masked in the message."""
    given = url if url is not None else os.environ.get("GOVOPS_DB") or None
    if given is None:
        home = Path(default_db_url_sqlite_dir())
        try:
            home.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create the directory {home}: {exc.strerror}") from None
        return _sqlite(str(home / "govops.db"))
    text = given.strip()
    if not text:
        raise StoreError(
            "the database location is empty: give a SQLite file or a postgresql:// URL"
        )
    scheme = re.match(_SCHEME, text)
    if scheme:
        name = scheme.group(1).lower()
        if name in _PG_SCHEMES:
            target = "postgresql://" + text[scheme.end() :]
            _check_pg_url(target)
            return DbLocation("postgresql", target, mask(target))
        if name == "sqlite":
            if _split_secret(text) is not None or "@" in text:
                raise StoreError(f"{mask(text)}: a sqlite:// location is a file path, with no user")
            path = text[scheme.end() :]
            path = path[1:] if path.startswith("/") else path
        else:
            raise StoreError(
                f"{mask(text)}: unknown database scheme {scheme.group(1)!r};"
                " use postgresql://… or a SQLite file path"
            )
    else:
        path = text
    if path == ":memory:":
        return DbLocation("sqlite", path, path)
    return _sqlite(path)


def _sqlite(path: str) -> DbLocation:
    try:
        p = Path(path).expanduser()
    except RuntimeError:  # ~someone with no such user
        raise StoreError(f"{path}: no such user's home directory") from None
    try:
        if "\x00" in path:
            raise ValueError("it holds a NUL byte")
        path.encode("utf-8")  # SQLite takes UTF-8 names: a lone surrogate is refused
        if p.exists() and not p.is_file():
            kind = "a directory" if p.is_dir() else "not a regular file (a device or pipe)"
            raise StoreError(f"{path} is {kind}, not a database file")
        if not p.parent.is_dir():
            raise StoreError(f"{path}: no directory {p.parent}; create it first")
    except (OSError, ValueError) as exc:  # a name too long, a NUL byte
        why = getattr(exc, "strerror", None) or exc
        raise StoreError(f"{path[:200]}: not a usable database file name ({why})") from None
    return DbLocation("sqlite", str(p), str(p))


def _check_pg_url(url: str) -> None:
    try:
        from psycopg import conninfo
    except ImportError:
        raise StoreError(
            "PostgreSQL support is not installed: pip install 'govops[postgres]'"
        ) from None
    try:
        conninfo.conninfo_to_dict(url)
    except Exception as exc:  # psycopg.ProgrammingError: libpq refused the URL
        raise StoreError(
            f"bad PostgreSQL URL {mask(url)}: {masked_message(str(exc), url)}"
        ) from None


def os_user() -> str:
    """The operating-system account this process runs as (its effective uid), read
    from the system's account database, not from LOGNAME or USER, which anyone sets."""
    import pwd

    try:
        return pwd.getpwuid(os.geteuid()).pw_name
    except KeyError:  # no passwd entry (containers): still record something honest
        return f"uid:{os.geteuid()}"


MAX_NOTE = 200
"""The longest `GOVOPS_ACTOR` note kept (characters)."""


def actor_note() -> str | None:
    """`GOVOPS_ACTOR`, on one line and at most `MAX_NOTE` characters, or None.

    Only a note beside the real actor (the database login, or the OS account on
    SQLite): anyone can set an environment variable, so it never stands for who
    acted.
    """
    text = " ".join(os.environ.get("GOVOPS_ACTOR", "").split())
    return text[:MAX_NOTE] or None


class AuditKeyError(StoreError):
    """The audit key is unusable (unsafe file, empty, short) or not the chain's key."""


MIN_AUDIT_KEY = 32
"""The shortest audit key accepted (characters): the key id is public, so a short
key could be found from it by trying candidates offline."""


class AuditKey:
    """The HMAC key of the audit chain, kept outside the database, and its public
    id (first 16 hex digits of HMAC(key, "govops audit key id")), stored with each
    keyed row. The secret itself is held only inside the HMAC state, never shown."""

    __slots__ = ("_mac", "id")

    def __init__(self, secret: bytes):
        import hashlib
        import hmac

        self._mac = hmac.new(secret, digestmod=hashlib.sha256)
        self.id = hmac.new(secret, b"govops audit key id", hashlib.sha256).hexdigest()[:16]

    def digest(self, payload: bytes) -> str:
        mac = self._mac.copy()
        mac.update(payload)
        return mac.hexdigest()

    def __repr__(self) -> str:
        return f"AuditKey(id={self.id})"


def audit_key() -> AuditKey | None:
    """The current audit key (the one rows are written with): the last of the key
    ring `audit_keyring` reads; None when no key is set."""
    ring = audit_keyring()
    return ring[-1] if ring else None


def audit_keyring() -> list[AuditKey]:
    """The audit keys, oldest first, from the file GOVOPS_AUDIT_KEY_FILE names
    (readable by its owner only) or from GOVOPS_AUDIT_KEY itself; empty when neither
    is set. The file holds one key a line (blank lines and `#` comments ignored):
    the last is the current key, the earlier ones retired keys kept to verify the
    rows they chained. GOVOPS_AUDIT_KEY is one key. Each key is at least
    `MIN_AUDIT_KEY` characters; no value is ever in a message."""
    path = os.environ.get("GOVOPS_AUDIT_KEY_FILE")
    value = os.environ.get("GOVOPS_AUDIT_KEY")
    if path is not None and value is not None:
        raise AuditKeyError("set GOVOPS_AUDIT_KEY_FILE or GOVOPS_AUDIT_KEY, not both")
    if path is not None:
        if not path.strip():
            raise AuditKeyError("GOVOPS_AUDIT_KEY_FILE is set but empty: name the key file")
        return read_audit_keys(path)
    if value is None:
        return []
    where, text = "GOVOPS_AUDIT_KEY", value.strip()
    if not text:
        raise AuditKeyError(f"{where} is empty")
    if not text.isprintable():
        raise AuditKeyError(f"{where} must hold the key on one line")
    return [_checked_key(text, where)]


def read_audit_keys(path: str) -> list[AuditKey]:
    """The keys in a key file, oldest first (see `audit_keyring`)."""
    where = f"audit key file {path}"
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError as exc:
        raise AuditKeyError(f"{where}: {exc.strerror}") from None
    try:
        import stat

        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise AuditKeyError(f"{where} is not a regular file")
        if st.st_mode & 0o077:
            raise AuditKeyError(
                f"{where} is open to group or others (mode {st.st_mode & 0o777:o}):"
                f" chmod 600 {path}"
            )
        data = os.read(fd, 65536)
    finally:
        os.close(fd)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise AuditKeyError(f"{where} does not hold text") from None
    keys: list[AuditKey] = []
    for n, line in key_lines(text):
        if not line.isprintable():
            raise AuditKeyError(f"{where} line {n} must hold one key")
        key = _checked_key(line, f"{where} line {n}")
        if any(k.id == key.id for k in keys):
            raise AuditKeyError(f"{where} line {n} repeats key {key.id}")
        keys.append(key)
    if not keys:
        raise AuditKeyError(f"{where} is empty")
    return keys


def key_lines(text: str) -> list[tuple[int, str]]:
    """(line number, key) for each key line of a key file's text: blank lines and
    `#` comments are skipped, the rest stripped."""
    out = []
    for n, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if line and not line.startswith("#"):
            out.append((n, line))
    return out


def _checked_key(text: str, where: str) -> AuditKey:
    if len(text) < MIN_AUDIT_KEY:
        raise AuditKeyError(
            f"the key in {where} is shorter than {MIN_AUDIT_KEY} characters:"
            " make one with govops audit key new FILE"
        )
    return AuditKey(text.encode("utf-8"))
