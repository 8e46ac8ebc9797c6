"""Values as users hand them to the Xinchuang ledger, checked at the edge: one line
saying what is wrong, before anything is written.

- money: yuan written in ASCII decimals with at most two places (`12800`,
  `12800.50`), stored as whole fen (1 yuan = 100 fen), never as a binary float;
  at most `MAX_YUAN` yuan; never negative;
- days: YYYY-MM-DD, China Standard Time, not in the future;
- a serial: 1 to `MAX_SERIAL` characters, no spaces or control characters;
- families, kinds, statuses: the words below, case-insensitive; the families also
  by their Chinese names (鲲鹏, 飞腾, 海光, 兆芯, 龙芯, 申威; 麒麟, 统信, 深度, 欧拉, 龙蜥).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation

from infra.errors import Conflict, InvalidInput, NotFound
from infra.xc.classify import CPU_FAMILIES, OS_FAMILIES

KINDS = ("terminal", "server")
PHASES = (1, 2)
ASSET_STATUSES = ("planned", "delivered", "installed", "accepted", "retired")
ASSET_PATH = ("planned", "delivered", "installed", "accepted")
"""The forward path of an asset; `retired` may follow any status."""
APP_STATUSES = ("not-started", "adapting", "adapted", "online")
COUNTED = ("installed", "accepted")
"""The statuses that count an asset as deployed in the report's figures."""

MAX_SERIAL = 64
MAX_TEXT = 200
MAX_NAME = 100
MAX_YUAN = 10**12
"""The largest sum of money taken (a trillion yuan), so every sum fits 64 bits."""

REPORT_TZ = timezone(timedelta(hours=8), "CST")

_CPU_ALIASES = {
    "鲲鹏": "kunpeng",
    "华为鲲鹏": "kunpeng",
    "飞腾": "phytium",
    "海光": "hygon",
    "兆芯": "zhaoxin",
    "龙芯": "loongson",
    "申威": "sunway",
    "其他": "other",
}
_OS_ALIASES = {
    "麒麟": "kylin",
    "银河麒麟": "kylin",
    "中标麒麟": "kylin",
    "neokylin": "kylin",
    "统信": "uos",
    "统信uos": "uos",
    "uniontech": "uos",
    "深度": "deepin",
    "欧拉": "openeuler",
    "龙蜥": "anolis",
    "其他": "other",
}


class UnknownAsset(NotFound):
    """No asset with that serial."""


class UnknownApp(NotFound):
    """No application system of that name."""


class IllegalMove(Conflict):
    """The status move is not allowed (backwards without force, or from retired)."""


def shown(text: str, limit: int = 40) -> str:
    return repr(text) if len(text) <= limit else f"{text[:limit]!r}…"


def _invisible(text: str) -> bool:
    return any(unicodedata.category(c) in ("Cc", "Cf", "Cs", "Zl", "Zp") for c in text)


def _word(value: object, what: str) -> str:
    if not isinstance(value, str):
        raise InvalidInput(f"{what} must be text")
    return unicodedata.normalize("NFKC", value).strip().lower()


def choice(value: object, what: str, allowed: tuple[str, ...]) -> str:
    word = _word(value, what)
    if word not in allowed:
        raise InvalidInput(
            f"unknown {what} {shown(str(value).strip())}: one of {', '.join(allowed)}"
        )
    return word


def kind(value: object) -> str:
    return choice(value, "kind", KINDS)


def asset_status(value: object) -> str:
    return choice(value, "asset status", ASSET_STATUSES)


def app_status(value: object) -> str:
    return choice(value, "application status", APP_STATUSES)


def cpu_family(value: object) -> str:
    word = _word(value, "CPU family")
    return choice(_CPU_ALIASES.get(word, word), "CPU family", CPU_FAMILIES)


def os_family(value: object) -> str:
    word = _word(value, "OS family")
    return choice(_OS_ALIASES.get(word, word), "OS family", OS_FAMILIES)


def phase(value: object) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and value in PHASES:
        return value
    text = _word(value, "phase") if isinstance(value, str) else str(value)
    if text in ("1", "2"):
        return int(text)
    raise InvalidInput(f"phase must be 1 or 2, got {shown(str(value).strip())}")


_MONEY = re.compile(r"[0-9]+(?:\.[0-9]{1,2})?")


def fen(value: object, what: str) -> int:
    """Yuan, as typed (ASCII decimals, at most two places), in whole fen."""
    if isinstance(value, bool):
        raise InvalidInput(f"{what} must be an amount in yuan")
    if isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, Decimal):
        amount = value
    elif isinstance(value, str):
        raw = value.strip()
        if raw.startswith("-"):
            raise InvalidInput(f"{what} must not be negative, got {shown(raw)}")
        if not _MONEY.fullmatch(raw):
            raise InvalidInput(
                f"{what} {shown(raw)} is not an amount in yuan (digits, at most two decimals)"
            )
        amount = Decimal(raw)
    else:
        raise InvalidInput(f"{what} must be an amount in yuan")
    try:
        cents = amount * 100
    except InvalidOperation:  # pragma: no cover - Decimal of digits cannot fail
        raise InvalidInput(f"{what} is not an amount") from None
    if not cents.is_finite() or cents != cents.to_integral_value():
        raise InvalidInput(f"{what} {amount} has more than two decimals")
    if cents < 0:
        raise InvalidInput(f"{what} must not be negative, got {amount}")
    if amount > MAX_YUAN:
        raise InvalidInput(f"{what} {amount} is more than {MAX_YUAN:,} yuan")
    return int(cents)


def yuan(fen_amount: int | None) -> str | None:
    """Whole fen as yuan text with two decimals ('-12.50' for a negative sum)."""
    if fen_amount is None:
        return None
    sign = "-" if fen_amount < 0 else ""
    whole, part = divmod(abs(fen_amount), 100)
    return f"{sign}{whole}.{part:02d}"


_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def today() -> date:
    """Today in China Standard Time."""
    return datetime.now(REPORT_TZ).date()


def day(value: object, what: str, *, past: bool = True) -> date:
    """A calendar day written YYYY-MM-DD; with `past`, not after today (CST)."""
    if isinstance(value, datetime):
        raise InvalidInput(f"{what} must be a day, not a time")
    if isinstance(value, date):
        found = value
    elif isinstance(value, str):
        raw = value.strip()
        if not _DATE.fullmatch(raw):
            raise InvalidInput(f"{what} {shown(raw)} is not a date written YYYY-MM-DD")
        try:
            found = date.fromisoformat(raw)
        except ValueError:
            raise InvalidInput(f"{what} {raw} is not a date (no such day)") from None
    else:
        raise InvalidInput(f"{what} must be a date written YYYY-MM-DD")
    if past and found > today():
        raise InvalidInput(f"{what} {found} is in the future")
    return found


def serial(value: object) -> str:
    if not isinstance(value, str):
        raise InvalidInput("serial must be text")
    text = value.strip()
    if not text:
        raise InvalidInput("serial is empty")
    if len(text) > MAX_SERIAL:
        raise InvalidInput(
            f"serial {shown(text)} is {len(text)} characters long; at most {MAX_SERIAL}"
        )
    if _invisible(text) or any(c.isspace() for c in text):
        raise InvalidInput(f"serial {shown(text)} contains a space or control character")
    return text


def name(value: object, what: str) -> str:
    """A one-line name (Chinese welcome), 1 to `MAX_NAME` characters."""
    if not isinstance(value, str):
        raise InvalidInput(f"{what} must be text")
    text = value.strip()
    if not text:
        raise InvalidInput(f"{what} is empty")
    if len(text) > MAX_NAME:
        raise InvalidInput(
            f"{what} {shown(text)} is {len(text)} characters long; at most {MAX_NAME}"
        )
    if _invisible(text):
        raise InvalidInput(f"{what} {shown(text)} contains a control character or line break")
    return text


def text(value: object, what: str, limit: int = MAX_TEXT) -> str | None:
    """Optional one-line text; empty means none."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidInput(f"{what} must be text")
    found = value.strip()
    if not found:
        return None
    if len(found) > limit:
        raise InvalidInput(f"{what} {shown(found)} is longer than {limit} characters")
    if _invisible(found):
        raise InvalidInput(f"{what} {shown(found)} contains a control character or line break")
    return found


_HOST = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]*")
_USER = re.compile(r"[A-Za-z_][A-Za-z0-9._-]*\$?")


def host(value: object) -> str | None:
    """A host name or an IPv4/IPv6 address (optional)."""
    found = text(value, "host", 253)
    if found is None:
        return None
    if ":" in found and "%" not in found:
        import ipaddress

        try:  # an IPv6 address may start with ':' (::1, ::ffff:10.0.0.1)
            ipaddress.IPv6Address(found)
        except ValueError:
            raise InvalidInput(f"host {shown(found)} is not an IPv6 address") from None
        return found
    if not _HOST.fullmatch(found):
        raise InvalidInput(f"host {shown(found)} is neither a host name nor an IP address")
    return found


def ssh_user(value: object) -> str | None:
    found = text(value, "SSH user", 32)
    if found is None:
        return None
    if not _USER.fullmatch(found):
        raise InvalidInput(f"SSH user {shown(found)} is not a user name")
    return found


def moved(path: tuple[str, ...], terminal: str | None, old: str, new: str, force: bool) -> bool:
    """Whether moving from `old` to `new` goes backwards (and so needs force).

    Forward along `path` may skip steps; `terminal` (retired) may follow any status
    and leaves only with force. Raises `IllegalMove` for a backward move without
    force and for a move to the same status."""
    if old == new:
        raise IllegalMove(f"the status is already {old}")
    if new == terminal:
        return False
    if old == terminal:
        backwards = True
    else:
        backwards = path.index(new) < path.index(old)
    if backwards and not force:
        raise IllegalMove(f"moving back from {old} to {new} needs force and a reason")
    return backwards
