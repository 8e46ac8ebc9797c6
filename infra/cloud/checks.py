"""Values as users hand them to the cloud, refused at the edge with one line; the
cloud's errors; the cloud lock.

Bounds (documented here, enforced for library callers and the CLI alike):

- a VM: 1 to `MAX_VM_CORES` cores, 1 to `MAX_GB` GB of RAM and of disk;
- a node: 1 to `MAX_NODE_CORES` cores, 1 to `MAX_NODE_GB` GB of RAM and of disk;
  allocation ratios finite, 0 < r ≤ `MAX_RATIO`;
- a quota: 0 to `MAX_QUOTA_VMS` VMs, 0 to `MAX_NODE_CORES` cores, 0 to
  `MAX_NODE_GB` GB (None: no limit);
- names: VM and node names hostname-like (ASCII letters, digits, '-', '.', '_',
  at most `MAX_NAME` characters, starting with a letter or digit); a system's name
  any one-line text of at most `MAX_NAME` characters.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, date, datetime, timedelta, timezone
from typing import TYPE_CHECKING

from infra import locks
from infra.errors import Conflict, InvalidInput, NotFound
from infra.inputs import whole_number

if TYPE_CHECKING:
    from infra.store import Tx

MAX_NAME = 64
MAX_VM_CORES = 4096
MAX_GB = 10**6
MAX_NODE_CORES = 10**6
MAX_NODE_GB = 10**9
MAX_QUOTA_VMS = 10**6
MAX_RATIO = 64.0
MAX_TEXT = 200
"""The longest reason, OS name or other free text."""

RAM_RATIO_FORCE = 1.5
"""A RAM allocation ratio above this swaps under load: it takes a forced, reasoned
decision (OpenStack's own default is 1.0; 1.5 is the usual ceiling)."""

DEFAULT_RATIOS = {"cpu": 4.0, "ram": 1.0, "disk": 1.0}
"""OpenStack's initial allocation ratios (nova: initial_cpu_allocation_ratio …)."""

ARCHES = ("x86_64", "aarch64", "loongarch64", "mips64el", "sw_64", "riscv64", "ppc64le")
"""CPU architectures of the nodes: x86 (Hygon, Zhaoxin, Intel, AMD), ARM (Kunpeng,
Phytium), LoongArch (Loongson), MIPS (older Loongson), Sunway, RISC-V, POWER."""

_ARCH_ALIASES = {
    "amd64": "x86_64",
    "x64": "x86_64",
    "x86-64": "x86_64",
    "arm64": "aarch64",
    "loong64": "loongarch64",
    "loongarch": "loongarch64",
    "sw64": "sw_64",
    "mips64": "mips64el",
}

STATUSES = ("requested", "approved", "rejected", "active", "stopped", "decommissioned")
HOLDING = ("approved", "active", "stopped")
"""The statuses that hold node capacity and count against the department's quota."""

RESOURCES = ("cores", "ram_gb", "disk_gb")

REPORT_TZ = timezone(timedelta(hours=8), "CST")
"""The bureau's days are China Standard Time days: a VM provisioned at 01:00 on
1 January (CST) belongs to the new year, though its UTC timestamp is 31 December."""


# -- errors ------------------------------------------------------------------


class UnknownNode(NotFound):
    """No node of that name."""


class UnknownSystem(NotFound):
    """No business system of that name."""


class UnknownVm(NotFound):
    """No VM of that name."""


class IllegalTransition(Conflict):
    """The VM's current status does not allow the change; the message names the status."""


class OverLimit(Conflict):
    """The change would exceed a quota or a node's schedulable capacity; the message
    gives the figures. Forcing it (with a reason) is the caller's choice."""


class NeedsForce(Conflict):
    """A setting outside the safe range (a RAM ratio above 1.5): forcing it, with a
    reason, is the caller's choice."""


class NoNode(Conflict):
    """No node can take the VM at all (none of its architecture)."""


# -- the lock ----------------------------------------------------------------


def hold(tx: Tx) -> None:
    """Serialise the cloud's check-and-write (PostgreSQL; SQLite writes are serial)."""
    locks.hold(tx, locks.CLOUD)


# -- names and text ----------------------------------------------------------

_HOSTLIKE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def shown(text: str, limit: int = 40) -> str:
    return repr(text) if len(text) <= limit else f"{text[:limit]!r}…"


def host_name(value: object, what: str) -> str:
    """A VM's or node's name: hostname-like ASCII (letters, digits, '-', '.', '_'),
    starting with a letter or digit, 1 to `MAX_NAME` characters."""
    if not isinstance(value, str):
        raise InvalidInput(f"{what} name must be text")
    name = value.strip()
    if not name:
        raise InvalidInput(f"{what} name is empty")
    if len(name) > MAX_NAME:
        raise InvalidInput(
            f"{what} name {shown(name)} is {len(name)} characters long; at most {MAX_NAME}"
        )
    if not _HOSTLIKE.fullmatch(name):
        raise InvalidInput(
            f"{what} name {shown(name)} may hold only ASCII letters, digits, '-', '.' and '_'"
            " (starting with a letter or digit)"
        )
    return name


def _invisible(text: str) -> bool:
    import unicodedata

    return any(unicodedata.category(c) in ("Cc", "Cf", "Cs", "Zl", "Zp") for c in text)


def system_name(value: object) -> str:
    """A business system's name: one line of text (Chinese welcome), 1 to `MAX_NAME`
    characters, no control characters; surrounding spaces dropped."""
    if not isinstance(value, str):
        raise InvalidInput("system name must be text")
    name = value.strip()
    if not name:
        raise InvalidInput("system name is empty")
    if len(name) > MAX_NAME:
        raise InvalidInput(
            f"system name {shown(name)} is {len(name)} characters long; at most {MAX_NAME}"
        )
    if _invisible(name):
        raise InvalidInput(f"system name {shown(name)} holds a control character or line break")
    return name


MAX_PORTS = 64
_PORT = re.compile(r"([0-9]{1,5})(?:/(tcp|udp))?")


def ports(value: object) -> str | None:
    """The ports a system serves, as "443/tcp,8443/tcp" (sorted, no repeats): from
    a list or a comma-separated text of PORT or PORT/tcp|udp (tcp when unsaid);
    empty or "none" means none."""
    if value is None:
        return None
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, list | tuple):
        raise InvalidInput("ports must be a list such as 443/tcp,8443/tcp")
    found: set[tuple[int, str]] = set()
    for item in items:
        text = item.strip().lower() if isinstance(item, str) else ""
        if text in ("", "none") and len(items) == 1:
            return None
        match = _PORT.fullmatch(text)
        if match is None or not 1 <= int(match[1]) <= 65535:
            raise InvalidInput(
                f"port {shown(str(item))} is not PORT or PORT/tcp|udp with PORT 1 to 65535"
            )
        found.add((int(match[1]), match[2] or "tcp"))
    if len(found) > MAX_PORTS:
        raise InvalidInput(f"a system serves at most {MAX_PORTS} ports, not {len(found)}")
    return ",".join(f"{number}/{proto}" for number, proto in sorted(found))


def free_text(value: object, what: str, limit: int = MAX_TEXT) -> str | None:
    """Optional one-line text (a reason, an OS name); empty means none."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidInput(f"{what} must be text")
    text = value.strip()
    if not text:
        return None
    if len(text) > limit:
        raise InvalidInput(f"{what} {shown(text)} is longer than {limit} characters")
    if _invisible(text):
        raise InvalidInput(f"{what} {shown(text)} holds a control character or line break")
    return text


def reason_for(force: bool, reason: object, what: str) -> str | None:
    """The reason of a forced change: forcing needs one; without force it is kept
    as a note (None when not given)."""
    text = free_text(reason, "reason")
    if force and text is None:
        raise InvalidInput(f"forcing {what} needs a reason")
    return text


def arch(value: object) -> str:
    """A CPU architecture from `ARCHES` (amd64, arm64, loong64 … accepted as aliases)."""
    if not isinstance(value, str):
        raise InvalidInput("architecture must be text")
    raw = value.strip().lower()
    found = _ARCH_ALIASES.get(raw, raw)
    if found not in ARCHES:
        raise InvalidInput(f"architecture {shown(value.strip())} is not one of {', '.join(ARCHES)}")
    return found


# -- numbers -----------------------------------------------------------------


def amount(value: str | int, what: str, high: int, low: int = 1) -> int:
    """A whole number of `what` in [low, high] (ASCII digits only when text)."""
    return whole_number(value, what, low, high)


_DECIMAL = re.compile(r"[0-9]+(?:\.[0-9]+)?|\.[0-9]+")


def ratio(value: str | float, what: str) -> float:
    """An allocation ratio: finite, 0 < r ≤ `MAX_RATIO` (text in plain ASCII decimals)."""
    wrong = f"{what} allocation ratio must be a number above 0 and at most {MAX_RATIO:g}"
    if isinstance(value, str):
        if not _DECIMAL.fullmatch(value.strip()):
            raise InvalidInput(f"{wrong}; got {shown(value.strip())}")
        value = float(value)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidInput(f"{wrong}; got {value!r}")
    if not (math.isfinite(value) and 0 < value <= MAX_RATIO):
        raise InvalidInput(f"{wrong}; got {value!r}")
    return float(value)


# -- dates -------------------------------------------------------------------

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def day(value: str | date, what: str) -> date:
    """A calendar day written YYYY-MM-DD (ASCII digits, a real date)."""
    if isinstance(value, datetime):
        raise InvalidInput(f"{what} must be a day, not a time")
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise InvalidInput(f"{what} must be a date written YYYY-MM-DD")
    raw = value.strip()
    if not _DATE.fullmatch(raw):
        raise InvalidInput(f"{what} {shown(raw)} is not a date written YYYY-MM-DD")
    try:
        found = date.fromisoformat(raw)
    except ValueError:
        raise InvalidInput(f"{what} {raw} is not a date (no such day)") from None
    # A day's first instant in UTC and the day after it must exist too.
    if not date(1, 1, 2) <= found <= date(9999, 12, 30):
        raise InvalidInput(f"{what} {raw} is out of range (0001-01-02 to 9999-12-30)")
    return found


def today() -> date:
    """Today in the bureau's time zone."""
    return datetime.now(REPORT_TZ).date()


def day_start(d: date) -> str:
    """The stored (UTC) form of the first instant of day `d` in the bureau's zone:
    timestamps compare as text in this form."""
    first = datetime(d.year, d.month, d.day, tzinfo=REPORT_TZ)
    return stamp(first)


def stamp(moment: datetime) -> str:
    """A timestamp in the store's form (UTC, microseconds), as `Tx.now` writes it."""
    if moment.tzinfo is None:
        raise InvalidInput("a timestamp needs a time zone")
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def moment(value: str | date | datetime, what: str) -> str:
    """A past moment in the store's form: a day (YYYY-MM-DD, its start in the bureau's
    zone), or an ISO timestamp with a zone (one without is taken in the bureau's zone)."""
    if isinstance(value, datetime):
        return stamp(value if value.tzinfo else value.replace(tzinfo=REPORT_TZ))
    if isinstance(value, date) or (isinstance(value, str) and _DATE.fullmatch(value.strip())):
        return day_start(day(value, what))
    if not isinstance(value, str):
        raise InvalidInput(f"{what} must be a date or a timestamp")
    raw = value.strip()
    if len(raw) > 40 or not raw.isascii():
        raise InvalidInput(f"{what} {shown(raw)} is not a date or timestamp")
    try:
        parsed = datetime.fromisoformat(raw)
    except ValueError:
        raise InvalidInput(f"{what} {shown(raw)} is not a date or timestamp") from None
    return stamp(parsed if parsed.tzinfo else parsed.replace(tzinfo=REPORT_TZ))
