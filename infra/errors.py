"""The exceptions govops raises; the CLI turns each into one line and exit 1."""

from __future__ import annotations


def one_line(text: str) -> str:
    """`text` as one printable line: a control or layout character a user typed into
    a value the message quotes (a CR, a newline, an escape) is shown escaped."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


class GovopsError(Exception):
    """A refused or failed operation; its message is the one line the user sees."""


class InvalidInput(GovopsError):
    """A value given by the user is malformed or out of range."""


class NotFound(GovopsError):
    """The named object does not exist."""


class UnknownOrgUnit(NotFound):
    """No org unit matches the reference."""


class AmbiguousReference(GovopsError):
    """A name matches several objects; the message lists them."""


class Conflict(GovopsError):
    """The change contradicts what is already stored."""


class StoreError(GovopsError):
    """The database cannot be opened or used."""


def _lines(errors: list[tuple[int, str]], unit: str = "line") -> str:
    """The first 20 (line, message) pairs as one line, and how many more there are;
    `unit` names the numbers ("row" for a sheet's rows)."""
    listed = "; ".join(f"{unit} {ln}: {msg}" for ln, msg in errors[:20])
    more = f"; … and {len(errors) - 20} more" if len(errors) > 20 else ""
    return listed + more


class FileErrors(InvalidInput):
    """A file the program reads (a catalogue) is not valid; `errors` holds (line,
    message) pairs, all reported in one message."""

    def __init__(self, source: str, errors: list[tuple[int, str]]):
        self.source = source
        self.errors = errors
        n = len(errors)
        super().__init__(f"{source}: {n} error{'s' if n != 1 else ''}: {_lines(errors)}")


class RowErrors(GovopsError):
    """A file had bad rows; nothing was written. `errors` holds (line, message) pairs
    (`unit` "row" when they are a sheet's rows, `source` then naming the sheet)."""

    def __init__(self, source: str, errors: list[tuple[int, str]], unit: str = "line"):
        self.source = source
        self.errors = errors
        n = len(errors)
        listed = _lines(errors, unit)
        super().__init__(f"{source}: {n} bad row{'s' if n != 1 else ''}, nothing written: {listed}")


class HostUnreachable(GovopsError):
    """A host could not be reached, logged into or read; `kind` names the way it failed."""

    kind = "unreachable"


class ConnectionRefused(HostUnreachable):
    """Nothing listens on the host's SSH port (or a firewall rejects the connection)."""

    kind = "refused"


class HostTimeout(HostUnreachable):
    """The host did not finish within its time (connect, banner, key exchange, login or reads)."""

    kind = "timeout"


class ConnectionClosed(HostUnreachable):
    """The host closed the connection before the work was done."""

    kind = "closed"


class AuthFailed(HostUnreachable):
    """The host refused every key (and the password, if one was given)."""

    kind = "auth-failed"


class HostKeyRejected(HostUnreachable):
    """The host's key did not pass the known_hosts check; nothing was sent to it."""

    kind = "host-key"


class HostKeyUnknown(HostKeyRejected):
    """known_hosts holds no key for the host, and new keys were not to be trusted."""

    kind = "host-key-unknown"


class HostKeyChanged(HostKeyRejected):
    """The host offers a key other than the one known_hosts holds for it (or a revoked one)."""

    kind = "host-key-changed"
