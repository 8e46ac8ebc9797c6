"""Address arithmetic on the standard library's `ipaddress` (fast to import).

Addresses are stored as 16-byte big-endian blobs, family in its own column:
IPv6 does not fit SQLite's 64-bit integers, and fixed-length blobs sort like
the numbers they hold.
"""

from __future__ import annotations

import ipaddress
from typing import NamedTuple

from infra.errors import GovopsError, InvalidInput

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address

BITS = {4: 32, 6: 128}


class Undecided(GovopsError):
    """A choice only the user can make is missing; `choice` names it.

    The message speaks of the thing; a command that offers a way to make the
    choice (an option) adds its name.
    """

    choice = ""


class HostBitsSet(Undecided, InvalidInput):
    """A CIDR with host bits set where a network was asked for (normalising is a choice)."""

    choice = "normalise"


def blob(value: int) -> bytes:
    return value.to_bytes(16, "big")


def unblob(data: bytes) -> int:
    return int.from_bytes(bytes(data), "big")


class Block(NamedTuple):
    """An aligned block: family, first address as an integer, prefix length."""

    family: int
    first: int
    plen: int

    @property
    def size(self) -> int:
        return 1 << (BITS[self.family] - self.plen)

    @property
    def last(self) -> int:
        return self.first + self.size - 1

    def contains(self, other: Block) -> bool:
        return (
            self.family == other.family
            and self.plen <= other.plen
            and self.first <= other.first
            and other.last <= self.last
        )

    def overlaps(self, other: Block) -> bool:
        return self.family == other.family and self.first <= other.last and other.first <= self.last

    def network(self) -> Network:
        if self.family == 4:
            return ipaddress.IPv4Network((self.first, self.plen))
        return ipaddress.IPv6Network((self.first, self.plen))

    def __str__(self) -> str:
        return cidr_text(self.family, self.first, self.plen)

    @classmethod
    def of(cls, net: Network) -> Block:
        return cls(net.version, int(net.network_address), net.prefixlen)


def cidr_text(family: int, first: int, plen: int) -> str:
    if family == 4:  # by hand: ipaddress's str() is the hot spot of planning a city
        return f"{first >> 24}.{(first >> 16) & 255}.{(first >> 8) & 255}.{first & 255}/{plen}"
    return f"{ipaddress.IPv6Address(first)}/{plen}"


def addr_text(family: int, value: int) -> str:
    return str(ipaddress.IPv4Address(value) if family == 4 else ipaddress.IPv6Address(value))


MAX_CIDR_CHARS = 64
"""Longer than any IPv6 CIDR (or IPv4 address/netmask) can be written."""

MAX_HOSTS = 2**32
"""The most hosts a request may name: more than any IPv4 block holds."""


def _address_text(text: object, what: str) -> str:
    """`text` stripped, if it can be an address or CIDR at all: plain ASCII, one
    word, no zone index; else one line saying why not."""
    if not isinstance(text, str):
        raise InvalidInput(f"{what} must be text, not {_kind(text)}")
    raw = text.strip()
    if len(raw) > MAX_CIDR_CHARS:
        raise InvalidInput(f"{raw[:20]!r}… is too long to be {what}")
    if "%" in raw and raw.isprintable():
        zone = raw[raw.index("%") :].split("/", 1)[0]
        raise InvalidInput(f"{raw}: a zone index ({zone}) has no place in an address plan")
    if not raw.isascii() or not raw.isprintable():
        raise InvalidInput(f"{raw!r} is not {what}: only ASCII digits, letters, '.', ':' and '/'")
    if any(c.isspace() for c in raw):
        raise InvalidInput(f"{raw!r} is not {what}: it has a space inside")
    return raw


def parse_size(text: object, family: int | None = None) -> int:
    """A prefix length as people write it: ASCII digits after at most one "/"
    (`/24`, `24`), within the family's range (0-128 when the family is not known).

    `str.isdigit` and `int()` take '٢٤' for 24; a prefix length written so is refused,
    as it is inside a CIDR.
    """
    high = BITS[family] if family is not None else 128
    kind = f"a valid IPv{family} prefix length" if family is not None else "a valid prefix length"
    if isinstance(text, bool) or not isinstance(text, (str, int)):
        raise InvalidInput(f"size {_kind(text)} is not {kind} (e.g. /24)")
    if isinstance(text, int):
        raw = str(text)
    else:
        raw = text.strip()
        raw = raw[1:] if raw.startswith("/") else raw
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 3 or int(raw) > high:
        shown = text.strip() if isinstance(text, str) else str(text)
        if len(shown) > 20 or not shown.isprintable():
            shown = repr(shown[:20]) + ("…" if len(shown) > 20 else "")
        raise InvalidInput(f"size {shown} is not {kind} (0 to {high}, e.g. /24)")
    return int(raw)


def parse_hosts(text: object) -> int:
    """A number of hosts: ASCII digits, 1 to `MAX_HOSTS`."""
    if isinstance(text, bool) or not isinstance(text, (str, int)):
        raise InvalidInput(f"the number of hosts must be a whole number, not {_kind(text)}")
    from infra.inputs import whole_number

    return whole_number(text, "the number of hosts", 1, MAX_HOSTS)


def parse_block(text: str, strict: bool = True) -> Block:
    """Parse a CIDR; host bits set are refused (with the network as a hint) unless not strict.

    ASCII only, no zone index, no space inside, the length in ASCII digits (or a netmask).
    """
    raw = _address_text(text, "a CIDR")
    if "/" not in raw:
        raise InvalidInput(f"{raw!r} is not a CIDR (expected address/length, e.g. 10.1.0.0/16)")
    try:
        net = ipaddress.ip_network(raw, strict=False)
    except ValueError as exc:
        raise InvalidInput(f"{raw!r} is not a valid CIDR: {exc}") from exc
    addr_part = raw.split("/", 1)[0]
    if strict and int(ipaddress.ip_address(addr_part)) != int(net.network_address):
        raise HostBitsSet(f"{raw} has host bits set; did you mean {net}?")
    return Block.of(net)


def parse_address(text: str) -> tuple[int, int]:
    """(family, integer) of an address; the address part of a CIDR is accepted too."""
    raw = _address_text(text, "an IP address")
    try:
        if "/" in raw:
            iface = ipaddress.ip_interface(raw)
            addr: Address = iface.ip
        else:
            addr = ipaddress.ip_address(raw)
    except ValueError as exc:
        raise InvalidInput(f"{raw!r} is not a valid IP address") from exc
    return addr.version, int(addr)


# -- text fields -----------------------------------------------------------

MAX_TEXT = 200
"""The longest purpose, description, hostname, route distinguisher or org reference."""

MAX_NAME = 64
"""The longest VRF name."""

_INVISIBLE = frozenset("Cc Cf Cs Zl Zp".split())
"""Control and format characters, lone surrogates, line and paragraph separators:
they break a table, a CSV cell or a log line, and some databases refuse them."""


def free_text(value: object, what: str, limit: int = MAX_TEXT) -> str | None:
    """`value` if it is None or a one-line text of at most `limit` characters
    without control characters; else one line saying why not."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidInput(f"{what} must be text, not {_kind(value)}")
    if len(value) > limit:
        raise InvalidInput(f"{what} {value[:20]!r}… is longer than {limit} characters")
    import unicodedata

    for c in value:
        if unicodedata.category(c) in _INVISIBLE:
            raise InvalidInput(f"{what} {value[:40]!r} holds a control character ({c!r})")
    return value


def one_word(value: object, what: str, limit: int = MAX_NAME) -> str:
    """A non-empty name without spaces (a VRF's), within `limit` characters."""
    text = free_text(value, what, limit)
    if not text or any(c.isspace() for c in text):
        raise InvalidInput(f"{what} {value!r} must be one word")
    return text


def _kind(value: object) -> str:
    names = {dict: "an object", list: "a list", bool: "true/false", type(None): "null"}
    return names.get(type(value), type(value).__name__)


def plen_for_hosts(family: int, hosts: int, headroom: float = 0.0) -> int:
    """Smallest prefix length whose block holds `hosts` plus headroom.

    IPv4 also needs the network, broadcast and gateway addresses; an IPv6
    subnet for hosts is a /64 (SLAAC), whatever the count.
    """
    if hosts < 1:
        raise InvalidInput("the number of hosts must be at least 1")
    want = hosts + int(-(-hosts * headroom // 1))  # ceil without float surprises
    if family == 6:
        plen = 64
        while plen > 0 and (1 << (128 - plen)) < want + 1:
            plen -= 1
        return plen
    need = want + 3
    plen = 32
    while plen > 0 and (1 << (32 - plen)) < need:
        plen -= 1
    if (1 << (32 - plen)) < need:
        raise InvalidInput(f"{hosts} hosts do not fit in any IPv4 block")
    return plen


def remainder(free: Block, target: Block) -> list[Block]:
    """What is left of the aligned block `free` once `target` (inside it) is taken:
    one buddy per level between them, the buddy-allocator split."""
    bits = BITS[free.family]
    first = free.first
    left = []
    for plen in range(free.plen + 1, target.plen + 1):
        half = 1 << (bits - plen)
        if target.first >= first + half:
            left.append(Block(free.family, first, plen))
            first += half
        else:
            left.append(Block(free.family, first + half, plen))
    return left


def aligned_blocks(first: int, last: int, family: int) -> list[Block]:
    """The largest aligned CIDRs covering [first, last], in address order."""
    out = []
    bits = BITS[family]
    while first <= last:
        size_bits = (first & -first).bit_length() - 1 if first else bits
        while size_bits > 0 and first + (1 << size_bits) - 1 > last:
            size_bits -= 1
        out.append(Block(family, first, bits - size_bits))
        first += 1 << size_bits
    return out


class Hosts(NamedTuple):
    """The host range of a prefix that `ip next` may hand out."""

    first: int
    last: int


def usable_range(block: Block) -> Hosts:
    """IPv4: skip network, gateway (first usable) and broadcast; /31 and /32 per RFC 3021.
    IPv6: skip the subnet-router anycast address (RFC 4291), except on a /127
    point-to-point link, where both addresses are used (RFC 6164)."""
    if block.family == 4:
        if block.plen >= 31:
            return Hosts(block.first, block.last)
        return Hosts(block.first + 2, block.last - 1)
    if block.plen >= 127:
        return Hosts(block.first, block.last)
    return Hosts(block.first + 1, block.last)


def gateway(block: Block) -> int | None:
    if block.family == 4 and block.plen < 31:
        return block.first + 1
    return None
