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


def parse_block(text: str, strict: bool = True) -> Block:
    """Parse a CIDR; host bits set are refused (with the network as a hint) unless not strict."""
    raw = text.strip()
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
    """(family, integer) of an address; a CIDR with /32 or /128 is accepted too."""
    raw = text.strip()
    try:
        if "/" in raw:
            iface = ipaddress.ip_interface(raw)
            addr: Address = iface.ip
        else:
            addr = ipaddress.ip_address(raw)
    except ValueError as exc:
        raise InvalidInput(f"{raw!r} is not a valid IP address") from exc
    return addr.version, int(addr)


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
