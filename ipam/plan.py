"""Four-tier address planning: lay a whole city (or province) out at once, IPv4 and IPv6.

IPv4: every unit gets one block holding its own purpose subnets and all its
children's blocks with the plan's headroom, rounded to a power of two, so every
tier aggregates. IPv6: nibble-aligned levels (RIPE-690): the bits of a level
come from the largest fan-out below it plus headroom, rounded up to a multiple
of four, so a prefix reads as (province /) city / county / town / village. Each
unit has a site block for its own /64s; every purpose gets the same subnet ID
everywhere and is paired with its IPv4 subnet. Levels follow the tree's depth,
not the tier names, so a city without counties has its towns one level below it.

Headroom is one fraction for every tier or one per tier (`{town: 0.25, village:
0.5}`; a tier not named gets none). A tier's headroom is the spare room kept in
that tier's blocks: in IPv4 a unit's block holds its own subnets and its
children's blocks, and of `size` addresses keeps at least `headroom × size` free
(before rounding up to a power of two); in IPv6 a unit's block has a slot for its
own site and one per child, and at least that fraction of its slots free, the
nibble level below taking its bits from the widest such block. So the headroom
of a tier whose units have no children (villages) acts on IPv4 alone, and the
root's headroom is room kept spare in the pool itself (one number gives it to the
root's tier too). Headroom compounds: a county block at 0.25 holds town blocks
that already have theirs. `headroom_costs` says what each tier's headroom costs:
the pool needed with it and without it.

Planning is a pure computation over an in-memory copy of the pool's subtree
(the same buddy free-block rules as `ipam.space`); applying writes the result in
one transaction. Existing assignments are never moved: re-planning only fills
in what is missing, from each parent's spare space. Reads are in bulk (a few
queries whatever the number of units), so a re-apply costs about the same on
PostgreSQL as on SQLite.
"""

from __future__ import annotations

import codecs
import datetime
import math
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypedDict

from infra import inputs
from infra.bulk import collector_paused
from infra.errors import GovopsError, InvalidInput
from infra.org import units as orgs
from infra.progress import QUIET, Progress
from infra.store import Store, Tx
from ipam import space
from ipam.addr import (
    BITS,
    Block,
    blob,
    parse_address,
    parse_block,
    plen_for_hosts,
    remainder,
    unblob,
)

PLAN_KEYS = {"vrf", "root", "headroom", "ipv4", "ipv6"}
V4_KEYS = {"pool", "needs"}
V6_KEYS = {"pool", "site", "subnet", "needs"}
SITE = "site"

# Limits on plan files (README: Plan a whole city states them).
MAX_PLAN_BYTES = 2**20
"""A plan is a page of YAML; PyYAML reads well under 1 MB/s, so more would take minutes."""
MAX_DEPTH = 16
"""Nesting levels in a plan file; the format itself is five deep (ipv4.needs.village.office)."""
MAX_VALUES = 10_000
"""Values in a plan file, an alias counted as everything it stands for ("billion laughs")."""
MAX_HOSTS = 2**32 - 3
"""The most hosts one IPv4 subnet holds: all of IPv4 less network, gateway and broadcast."""
MAX_PURPOSES = 256
"""Purposes per tier (a /56 site has 255 /64s for them)."""
MAX_NAME = 64
"""Characters in a purpose or VRF name."""
MAX_REF = 500
"""Characters in the root unit's code, path or name."""
MAX_CODE = 10**12 - 1
"""The largest 12-digit division code, for a root written as a bare number."""
_BATCH = 5_000
"""Prefixes written per statement when applying, so progress moves while a province goes in."""


class PlanError(InvalidInput):
    """The plan file is malformed or cannot fit; the message says what would."""


class Overflow(TypedDict):
    """One block the plan could not place: whose, what size, in which parent."""

    org_code: str | None
    org_path: str
    family: int
    purpose: str | None
    plen: int
    parent: str
    largest_free: str | None


class PlanOverflow(GovopsError):
    """Parents without room for what the plan gives their units; nothing was applied."""

    def __init__(self, overflows: list[Overflow]):
        self.overflows = overflows
        units = len({o["org_path"] for o in overflows})
        shown = "; ".join(
            f"{o['org_path']} needs a /{o['plen']}"
            + (f" for {o['purpose']}" if o["purpose"] else "")
            + f" (IPv{o['family']}) in {o['parent']}"
            f" ({o['largest_free'] or 'no free block'} is the largest free)"
            for o in overflows[:10]
        )
        more = f"; … and {len(overflows) - 10} more" if len(overflows) > 10 else ""
        what = "unit does" if units == 1 else "units do"
        super().__init__(f"{units} {what} not fit, nothing applied: {shown}{more}")


# -- the plan file ---------------------------------------------------------


@dataclass
class Spec:
    vrf: str
    root: str
    headroom: float | dict[str, float]
    """One fraction for every tier, or one per tier (a tier not named: 0)."""
    v4_pool: Block | None = None
    v4_needs: dict[str, dict[str, int]] = field(default_factory=dict)
    v6_pool: Block | None = None
    v6_site: int = 56
    v6_subnet: int = 64
    v6_purposes: dict[str, list[str]] = field(default_factory=dict)

    def room(self, tier: str) -> float:
        """The fraction of each `tier` unit's block kept spare."""
        if isinstance(self.headroom, dict):
            return self.headroom.get(tier, 0.0)
        return self.headroom

    def headroom_text(self) -> str:
        """The headroom as a message shows it: `0.5`, or `{town: 0.25, village: 0.5}`."""
        if isinstance(self.headroom, dict):
            return "{" + ", ".join(f"{t}: {h!r}" for t, h in self.headroom.items()) + "}"
        return repr(self.headroom)


def load_spec(path: str | Path) -> Spec:
    """The plan in a YAML file (UTF-8, with or without BOM), checked throughout first."""
    path = inputs.file_name(path)
    try:
        missing = not path.exists() and not path.is_symlink()
    except OSError:  # a name too long: read_bytes says so
        missing = False
    if missing:
        raise PlanError(f"no such plan file: {path}")
    try:
        data = inputs.read_bytes(path, MAX_PLAN_BYTES)
    except InvalidInput as exc:
        raise PlanError(f"plan file {exc}") from None
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PlanError(
            f"{path}: not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start});"
            " save the plan as UTF-8"
        ) from None
    return parse_spec(_load_yaml(text, str(path)), str(path))


def _load_yaml(text: str, source: str) -> Any:
    """One YAML document, within the depth and size limits, duplicate keys refused."""
    import yaml

    loader = None
    try:
        loader = _loader_class()(text)  # reads the text: a NUL is refused here
        loader.source = source
        return loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        at = f" line {mark.line + 1}" if mark is not None else ""
        what = exc.problem or exc.context or "unreadable"
        raise PlanError(f"{source}{at}: not valid YAML ({_oneline(what)})") from None
    except yaml.YAMLError as exc:
        raise PlanError(f"{source}: not valid YAML ({_oneline(str(exc))})") from None
    except RecursionError:
        # Merge keys (<<) are flattened recursively by PyYAML; the depth limit below
        # bounds everything else.
        raise PlanError(f"{source}: nested too deeply to be a plan") from None
    finally:
        if loader is not None:
            loader.dispose()


_LOADER: type[Any] | None = None


def _loader_class() -> type[Any]:
    """PyYAML's safe loader, counting as it composes: nesting, values (an alias counts as
    all it stands for), duplicate keys, with the path of the offending key."""
    global _LOADER
    if _LOADER is not None:
        return _LOADER
    import yaml
    from yaml.events import AliasEvent
    from yaml.nodes import MappingNode, Node, ScalarNode

    merge = "tag:yaml.org,2002:merge"

    class Loader(yaml.SafeLoader):
        source = "plan"

        def __init__(self, stream: str) -> None:
            super().__init__(stream)
            self.path: list[str] = []
            self.values = 0
            self.sizes: dict[str, int] = {}
            self.open: set[str] = set()
            self.where: dict[int, str] = {}

        def at(self, node_or_mark: Any) -> str:
            mark = getattr(node_or_mark, "start_mark", node_or_mark)
            where = _path(self.path)
            return f"{self.source} line {mark.line + 1}: " + (f"{where}: " if where else "")

        def count(self, n: int, mark: Any) -> None:
            self.values += n
            if self.values > MAX_VALUES:
                raise PlanError(
                    f"{self.at(mark)}more than {MAX_VALUES:,} values (aliases counted as what"
                    " they stand for); a plan is a page of YAML"
                )

        def compose_node(self, parent: Node | None, index: Any) -> Node:
            event: Any = self.peek_event()  # type: ignore[no-untyped-call]
            if self.check_event(AliasEvent):
                if event.anchor in self.open:
                    raise PlanError(f"{self.at(event)}*{event.anchor} refers to itself")
                self.count(self.sizes.get(event.anchor, 1), event.start_mark)
                alias = super().compose_node(parent, index)
                assert alias is not None
                return alias
            if isinstance(index, ScalarNode):
                self.path.append(index.value)
            elif isinstance(index, int):
                self.path.append(f"[{index}]")
            else:
                self.path.append("" if parent is None else "(a key)")
            try:
                if len(self.path) > MAX_DEPTH + 1:  # +1: the document itself
                    raise PlanError(
                        f"{self.at(event)}nested too deeply (a plan file is at most"
                        f" {MAX_DEPTH} levels deep)"
                    )
                before = self.values
                self.count(1, event.start_mark)
                anchor = event.anchor
                if anchor is not None:
                    self.open.add(anchor)
                node = super().compose_node(parent, index)
                assert node is not None
                if anchor is not None:
                    self.open.discard(anchor)
                    self.sizes[anchor] = self.values - before
                self.where[id(node)] = _path(self.path)
                if isinstance(node, MappingNode):
                    seen: dict[tuple[str, str], int] = {}
                    for key, _ in node.value:
                        if not isinstance(key, ScalarNode) or key.tag == merge:
                            continue
                        ident, line = (key.tag, key.value), key.start_mark.line + 1
                        if ident in seen:
                            raise PlanError(
                                f"{self.source} line {line}: {_path([*self.path, key.value])}:"
                                f" given twice (first on line {seen[ident]})"
                            )
                        seen[ident] = line
                return node
            finally:
                self.path.pop()

        def construct_object(self, node: Node, deep: bool = False) -> Any:
            try:
                return super().construct_object(node, deep)
            except (ValueError, OverflowError) as exc:
                # YAML reads it, Python cannot hold it: a 5,000-digit integer, 2024-13-45.
                where = self.where.get(id(node), "")
                value = node.value if isinstance(node.value, str) else ""
                if str(node.tag).endswith(":int"):
                    what = f"a number of {len(value)} digits is out of range"
                else:
                    kind = str(node.tag).rsplit(":", 1)[-1]
                    what = f"{_short(value)} is not a valid {kind} ({_oneline(str(exc))})"
                raise PlanError(
                    f"{self.source} line {node.start_mark.line + 1}: "
                    + (f"{where}: " if where else "")
                    + what
                ) from None

    _LOADER = Loader
    return Loader


def _path(parts: list[str]) -> str:
    """`ipv4.needs.village`, `ipv6.needs.town[1]` from the keys and indexes on the way."""
    out = ""
    for part in parts:
        if not part:
            continue
        shown = part if part.startswith("[") else _short(part)
        out += shown if shown.startswith("[") or not out else f".{shown}"
    return out


def _oneline(text: str) -> str:
    first = text.strip().splitlines()[0] if text.strip() else ""
    return first if len(first) <= 200 else first[:200] + "…"


def _short(text: str) -> str:
    """A name from the user, as a message shows it: itself, or cut and quoted."""
    if len(text) <= 40 and text.isprintable():
        return text
    cut = text[:40]
    return repr(cut) + ("…" if len(text) > 40 else "")


def _what(value: Any) -> str:
    """What a value is, for a message: a scalar as written, never a whole container."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        if value.bit_length() > 96:
            return f"a number of about {int(value.bit_length() * 0.30103) + 1} digits"
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str):
        return repr(value) if len(value) <= 40 else repr(value[:40]) + "…"
    if isinstance(value, dict):
        return "a mapping" if value else "an empty mapping"
    if isinstance(value, list | tuple):
        return "a list" if value else "an empty list"
    if isinstance(value, set | frozenset):
        return "a set"
    if isinstance(value, bytes | bytearray):
        return "binary data"
    if isinstance(value, datetime.date):
        return f"a date ({value.isoformat()})"
    return f"a {type(value).__name__}"


def _mapping(value: Any, where: str, expected: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise PlanError(f"{where}: expected {expected}, got {_what(value)}")
    for key in value:
        if not isinstance(key, str):
            raise PlanError(
                f"{where}: keys are names, got {_what(key)} (quote it if it is meant as text)"
            )
    mapping: dict[str, Any] = value
    return mapping


def _keys(value: Any, allowed: set[str], where: str, expected: str) -> dict[str, Any]:
    section = _mapping(value, where, expected)
    unknown = sorted(set(section) - allowed)
    if unknown:
        hint = f"; the keys are {', '.join(sorted(allowed))}"
        if where == "ipv4" and set(unknown) & {"site", "subnet"}:
            hint = " (site and subnet are IPv6 settings: IPv4 subnets are sized by needs)"
        shown = ", ".join(_short(k) for k in unknown[:5])
        more = f" and {len(unknown) - 5} more" if len(unknown) > 5 else ""
        raise PlanError(f"{where}: unknown key {shown}{more}{hint}")
    return section


def _name(value: Any, where: str, what: str) -> str:
    """A purpose or VRF name: text, one printable line, at most MAX_NAME characters."""
    if not isinstance(value, str):
        raise PlanError(f"{where}: expected {what}, got {_what(value)}")
    if not value.strip():
        raise PlanError(f"{where}: {what} is empty")
    if len(value) > MAX_NAME:
        raise PlanError(f"{where}: {what} {_what(value)} is longer than {MAX_NAME} characters")
    if not value.isprintable():
        raise PlanError(f"{where}: {what} {_what(value)} has control characters")
    return value


def _tier(tier: str, where: str) -> str:
    if tier not in orgs.LEVELS:
        shown = repr(tier) if len(tier) <= 40 else repr(tier[:40]) + "…"
        raise PlanError(f"{where}: no tier {shown}; the tiers are {', '.join(orgs.LEVELS)}")
    return tier


def _purpose(value: Any, where: str) -> str:
    name = _name(value, where, "a purpose name")
    if name == SITE:
        raise PlanError(f"{where}: 'site' is reserved for IPv6 site blocks")
    return name


def _hosts(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise PlanError(f"{where}: hosts must be a positive whole number, got {_what(value)}")
    if value > MAX_HOSTS:
        raise PlanError(
            f"{where}: {_what(value)} hosts do not fit in any IPv4 subnet (at most {MAX_HOSTS:,})"
        )
    return value


def _tier_needs(raw: Any, where: str) -> dict[str, dict[str, int]]:
    if raw is None:
        return {}
    needs = _mapping(raw, where, "a mapping of tier to purposes, e.g. village: {office: 28}")
    out: dict[str, dict[str, int]] = {}
    for tier, purposes in needs.items():
        at = f"{where}.{_tier(tier, where)}"
        if not isinstance(purposes, dict):
            raise PlanError(f"{at}: expected a mapping of purpose to hosts, got {_what(purposes)}")
        if not purposes:
            raise PlanError(f"{at}: give purpose: hosts pairs, e.g. {{office: 28}}")
        if len(purposes) > MAX_PURPOSES:
            raise PlanError(f"{at}: {len(purposes)} purposes; a tier has at most {MAX_PURPOSES}")
        out[tier] = {}
        for purpose, hosts in purposes.items():
            name = _purpose(purpose, at)
            out[tier][name] = _hosts(hosts, f"{at}.{name}")
    return out


def _v6_purposes(raw: Any) -> dict[str, list[str]]:
    where = "ipv6.needs"
    needs = _mapping(raw, where, "a mapping of tier to purposes, e.g. village: [office, video]")
    out: dict[str, list[str]] = {}
    for tier, purposes in needs.items():
        at = f"{where}.{_tier(tier, where)}"
        if isinstance(purposes, dict):  # ipv4's purpose: hosts pairs, copied over
            purposes = list(_mapping(purposes, at, "a list of purposes"))
        if not isinstance(purposes, list) or not purposes:
            raise PlanError(
                f"{at}: give a list of purposes, e.g. [office, video], got {_what(purposes)}"
            )
        if len(purposes) > MAX_PURPOSES:
            raise PlanError(f"{at}: {len(purposes)} purposes; a tier has at most {MAX_PURPOSES}")
        names: list[str] = []
        for i, purpose in enumerate(purposes):
            name = _purpose(purpose, f"{at}[{i}]")
            if name in names:
                raise PlanError(f"{at}: {name} is listed twice")
            names.append(name)
        out[tier] = names
    return out


def _headroom(value: Any) -> float | dict[str, float]:
    """One fraction for every tier, or a mapping of tier to fraction (in tier order)."""
    if not isinstance(value, dict):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise PlanError(
                "headroom is the fraction of each block kept spare, a number 0 <= headroom < 1"
                f" or one per tier (e.g. {{town: 0.25, village: 0.5}}); got {_what(value)}"
            )
        return _fraction(value, "headroom is the fraction of each block kept spare")
    section = _mapping(value, "headroom", "a mapping of tier to fraction")
    rooms = {_tier(tier, "headroom"): room for tier, room in section.items()}
    return {
        tier: _fraction(
            rooms[tier], f"headroom.{tier}: the fraction of each {tier} block kept spare"
        )
        for tier in orgs.LEVELS
        if tier in rooms
    }


def _fraction(value: Any, what: str) -> float:
    # NaN fails both comparisons, so it is refused with the infinities.
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value < 1:
        raise PlanError(f"{what}, a number 0 <= headroom < 1; got {_what(value)}")
    return float(value)


def _root(value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        if not 0 < value <= MAX_CODE:
            raise PlanError(f"root: {_what(value)} is not a division code (12 digits)")
        return str(value)
    if not isinstance(value, str) or not value.strip():
        raise PlanError(f"root: expected a unit's code, path or name, got {_what(value)}")
    if len(value) > MAX_REF or not value.isprintable():
        raise PlanError(
            f"root: {_what(value)} is not a unit's code, path or name"
            f" (one line, at most {MAX_REF} characters)"
        )
    return value


def _vrf(value: Any) -> str:
    if value is None:
        return space.DEFAULT_VRF
    name = _name(value, "vrf", "a VRF name")
    if any(c.isspace() for c in name):
        raise PlanError(f"vrf: a VRF name is one word, got {_what(name)}")
    return name


def parse_spec(doc: Any, source: str = "plan") -> Spec:
    """The plan a loaded YAML document states, every key and value checked first (type,
    range; the message names the key's path), so nothing later meets a surprise."""
    if doc is None:
        raise PlanError(f"{source}: the plan is empty; give root and an ipv4 or ipv6 section")
    doc = _keys(doc, PLAN_KEYS, source, "a mapping of plan settings (root, ipv4, ipv6 …)")
    if "root" not in doc:
        raise PlanError(f"{source}: say which unit the plan covers: root: <code, path or name>")
    spec = Spec(
        vrf=_vrf(doc.get("vrf")),
        root=_root(doc["root"]),
        headroom=_headroom(doc.get("headroom", 0.0)),
    )
    if doc.get("ipv4") is None and doc.get("ipv6") is None:
        raise PlanError(f"{source}: nothing to plan; give an ipv4 and/or ipv6 section")
    if doc.get("ipv4") is not None:
        v4 = _keys(doc["ipv4"], V4_KEYS, "ipv4", "a mapping with pool and needs")
        spec.v4_pool = _pool(v4, 4, "ipv4")
        spec.v4_needs = _tier_needs(v4.get("needs"), "ipv4.needs")
        if not spec.v4_needs:
            raise PlanError("ipv4.needs: say what each tier needs, e.g. village: {office: 28}")
    if doc.get("ipv6") is not None:
        v6 = _keys(doc["ipv6"], V6_KEYS, "ipv6", "a mapping with pool, site, subnet and needs")
        spec.v6_pool = _pool(v6, 6, "ipv6")
        spec.v6_site = _length(v6.get("site", 56), "ipv6.site")
        spec.v6_subnet = _length(v6.get("subnet", 64), "ipv6.subnet")
        if "needs" in v6:
            spec.v6_purposes = _v6_purposes(v6["needs"])
        else:
            spec.v6_purposes = {tier: list(p) for tier, p in spec.v4_needs.items()}
        if not spec.v6_purposes:
            raise PlanError("ipv6: say which purposes get /64s (ipv6.needs) or give ipv4.needs")
        if not spec.v6_pool.plen < spec.v6_site < spec.v6_subnet <= 128:
            raise PlanError(
                f"ipv6: need pool /{spec.v6_pool.plen} < site /{spec.v6_site} < subnet"
                f" /{spec.v6_subnet}"
            )
        purposes = subnet_ids(spec)
        room = 1 << (spec.v6_subnet - spec.v6_site)
        if max(purposes.values()) >= room:
            longest = spec.v6_subnet - max(purposes.values()).bit_length()
            raise PlanError(
                f"ipv6: a /{spec.v6_site} site holds {room} /{spec.v6_subnet}s but the plan has"
                f" {len(purposes)} purposes; use site: {longest} or shorter"
            )
    return spec


def _pool(section: dict[str, Any], family: int, where: str) -> Block:
    if "pool" not in section:
        raise PlanError(f"{where}: give the pool, e.g. pool: 10.64.0.0/12")
    raw = section["pool"]
    if not isinstance(raw, str):
        raise PlanError(f"{where}.pool: expected a CIDR, e.g. 10.64.0.0/12, got {_what(raw)}")
    text = raw.strip()
    if len(text) > 64 or not text.isprintable():
        raise PlanError(f"{where}.pool: {_what(raw)} is not a CIDR")
    try:
        # Not strict: host bits are checked below, so the message names the pool to write.
        block = parse_block(text, strict=False)
        _, address = parse_address(text)
    except InvalidInput as exc:
        raise PlanError(f"{where}.pool: {exc}") from exc
    if address != block.first:
        raise PlanError(f"{where}.pool: {text} has host bits set; did you mean {block}?")
    if block.family != family:
        raise PlanError(f"{where}.pool {block} is not an IPv{family} prefix")
    return block


def _length(value: Any, where: str) -> int:
    text = value[1:] if isinstance(value, str) and value.startswith("/") else value
    if isinstance(text, bool) or not isinstance(text, int | str):
        raise PlanError(f"{where}: {_what(value)} is not an IPv6 prefix length")
    try:
        return inputs.whole_number(text, where, 1, 128)
    except InvalidInput:
        raise PlanError(
            f"{where}: {_what(value)} is not an IPv6 prefix length (1 to 128)"
        ) from None


def subnet_ids(spec: Spec) -> dict[str, int]:
    """Each purpose's /64 number inside a site, the same at every tier (from 1; 0 is left
    for the site's own infrastructure)."""
    ids: dict[str, int] = {}
    for tier in orgs.LEVELS:
        for purpose in spec.v6_purposes.get(tier, []):
            ids.setdefault(purpose, len(ids) + 1)
    return ids


# -- the in-memory space ---------------------------------------------------


class _Node:
    __slots__ = (
        "id",
        "block",
        "parent",
        "org_id",
        "purpose",
        "status",
        "new",
        "free",
        "dirty",
        "_text",
    )

    def __init__(
        self,
        pid: int | None,
        block: Block,
        parent: _Node | None,
        org_id: int | None,
        purpose: str | None,
        status: str,
        new: bool,
    ):
        self.id = pid
        self.block = block
        self.parent = parent
        self.org_id = org_id
        self.purpose = purpose
        self.status = status
        self.new = new
        self.free: dict[int, set[int]] | None = None
        self.dirty = False
        self._text: str | None = None

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = str(self.block)
        return self._text


class _Space:
    """The prefixes under one pool, loaded once, with their free-block index.

    Reads are few and whole, whatever the size: the prefixes in one query, and the
    free blocks, when first needed, in one query for every unit block and one for
    every site (a no-op re-apply of a province is then a handful of round trips,
    not one per block).
    """

    def __init__(self, tx: Tx, vid: int, pool: Block):
        self.tx = tx
        self.vid = vid
        self.family = pool.family
        self.range = (vid, pool.family, blob(pool.first), blob(pool.last))
        self.nodes: list[_Node] = []
        self.by_org: dict[int, list[_Node]] = defaultdict(list)
        self._stored_free: dict[str | None, dict[int, list[tuple[int, Any]]]] = {}
        rows = tx.all(
            "SELECT id, net, plen, cidr, parent_id, org_id, purpose, status FROM prefix"
            " WHERE vrf_id = ? AND family = ? AND net >= ? AND net <= ? ORDER BY net, plen",
            self.range,
        )
        by_id: dict[int, _Node] = {}
        for r in rows:
            block = Block(pool.family, unblob(r["net"]), int(r["plen"]))
            if not pool.contains(block):
                continue
            parent = by_id.get(r["parent_id"]) if r["parent_id"] is not None else None
            pid = int(r["id"])
            node = _Node(pid, block, parent, r["org_id"], r["purpose"], r["status"], False)
            node._text = r["cidr"]
            by_id[pid] = node
            self.nodes.append(node)
            if node.org_id is not None and node.status != "quarantine":
                self.by_org[node.org_id].append(node)
        self.pool = next((n for n in self.nodes if n.block == pool), None)

    def _stored(self, node: _Node) -> list[tuple[int, Any]]:
        """(plen, net blob) of each free block stored for `node`.

        The planner splits only unit blocks (no purpose) and sites: the first such
        node asked about reads all of its kind in the space at once. Any other node
        is read alone.
        """
        if node.purpose not in (None, SITE):
            rows = self.tx.all(
                "SELECT plen, net FROM free_block WHERE container_id = ?", (node.id,)
            )
            return [(int(r["plen"]), r["net"]) for r in rows]
        kind = node.purpose
        if kind not in self._stored_free:
            which = "p.purpose IS NULL" if kind is None else "p.purpose = ?"
            found: dict[int, list[tuple[int, Any]]] = defaultdict(list)
            for r in self.tx.all(
                "SELECT f.container_id, f.plen, f.net FROM free_block f"
                " JOIN prefix p ON p.id = f.container_id WHERE p.vrf_id = ? AND p.family = ?"
                f" AND p.net >= ? AND p.net <= ? AND {which}",
                self.range if kind is None else (*self.range, kind),
            ):
                found[int(r["container_id"])].append((int(r["plen"]), r["net"]))
            self._stored_free[kind] = found
        return self._stored_free[kind].get(node.id or 0, [])

    def _free(self, node: _Node) -> dict[int, set[int]]:
        if node.free is None:
            node.free = defaultdict(set)
            if node.id is not None and not node.new:
                for plen, net in self._stored(node):
                    node.free[plen].add(unblob(net))
            else:
                node.free[node.block.plen].add(node.block.first)
        return node.free

    def largest_free(self, node: _Node) -> Block | None:
        free = self._free(node)
        sizes = [p for p, nets in free.items() if nets]
        if not sizes:
            return None
        plen = min(sizes)
        return Block(self.family, min(free[plen]), plen)

    def take(self, node: _Node, plen: int) -> Block | None:
        """Best fit: the smallest free block holding a /plen, lowest address first."""
        free = self._free(node)
        fits = [p for p, nets in free.items() if nets and p <= plen]
        if not fits:
            return None
        best = max(fits)
        first = min(free[best])
        self._split(node, Block(self.family, first, best), Block(self.family, first, plen))
        return Block(self.family, first, plen)

    def carve(self, node: _Node, target: Block) -> bool:
        """Take exactly `target` if it is wholly free."""
        free = self._free(node)
        bits = BITS[self.family]
        for plen in range(node.block.plen, target.plen + 1):
            first = target.first & ~((1 << (bits - plen)) - 1)
            if first in free.get(plen, ()):
                self._split(node, Block(self.family, first, plen), target)
                return True
        return False

    def _split(self, node: _Node, free_block: Block, target: Block) -> None:
        free = self._free(node)
        free[free_block.plen].discard(free_block.first)
        for block in remainder(free_block, target):
            free[block.plen].add(block.first)
        node.dirty = True

    def add(
        self,
        parent: _Node | None,
        block: Block,
        org_id: int | None,
        purpose: str | None,
        status: str,
    ) -> _Node:
        node = _Node(None, block, parent, org_id, purpose, status, True)
        self.nodes.append(node)
        if org_id is not None:
            self.by_org[org_id].append(node)
        return node


# -- planning --------------------------------------------------------------


@dataclass
class _Unit:
    id: int
    code: str | None
    name: str
    level: str
    path: str
    depth: int
    parent_id: int | None
    children: list[_Unit] = field(default_factory=list)

    def org_unit(self) -> orgs.OrgUnit:
        return orgs.OrgUnit(self.id, self.code, self.name, self.level, self.parent_id, self.path)


def _units(tx: Tx, root: orgs.OrgUnit) -> tuple[_Unit, list[_Unit], dict[int, _Unit]]:
    rows = orgs.subtree(tx, root)
    units = {
        r["id"]: _Unit(
            r["id"], r["code"], r["name"], r["level"], r["path"], r["depth"], r["parent_id"]
        )
        for r in rows
    }
    for r in rows:
        if r["parent_id"] in units and r["id"] != root.id:
            units[r["parent_id"]].children.append(units[r["id"]])
    for u in units.values():
        u.children.sort(key=lambda c: (c.code or "~", c.name))
    top = units[root.id]
    order: list[_Unit] = []
    queue = [top]
    while queue:  # breadth-first: parents are placed before their children
        order.extend(queue)
        queue = [c for u in queue for c in u.children]
    parent_of = {c.id: u for u in order for c in u.children}
    return top, order, parent_of


@dataclass
class Result:
    """What a plan does: tiers, every planned prefix, the new ones, overflows."""

    tiers: list[dict[str, Any]] = field(default_factory=list)
    prefixes: list[dict[str, Any]] = field(default_factory=list)
    overflows: list[Overflow] = field(default_factory=list)
    fits: list[dict[str, Any]] = field(default_factory=list)
    headroom: list[dict[str, Any]] = field(default_factory=list)
    pairs: list[tuple[_Node, _Node]] = field(default_factory=list)
    units: dict[int, _Unit] = field(default_factory=dict, repr=False)
    v4: _Space | None = None
    v6: _Space | None = None
    applied: bool = False

    @property
    def spaces(self) -> list[_Space]:
        return [sp for sp in (self.v4, self.v6) if sp is not None]

    @property
    def changes(self) -> list[dict[str, Any]]:
        return [p for p in self.prefixes if p["new"]]

    def summary(self) -> dict[str, Any]:
        return {
            "applied": self.applied,
            "planned": len(self.prefixes),
            "new": len(self.changes),
            "kept": len(self.prefixes) - len(self.changes),
            "pairs": len(self.pairs),
            "fits": self.fits,
            "tiers": self.tiers,
            "headroom": self.headroom,
            "overflows": self.overflows,
        }


def _pow2_plen(family: int, size: int) -> int:
    """Prefix length of the smallest aligned block holding `size` addresses (below 0:
    larger than the family)."""
    bits = BITS[family]
    return bits - max(0, (size - 1).bit_length())


def _v4_sizes(
    spec: Spec,
    order: list[_Unit],
    existing: dict[int, _Node],
    room: Callable[[str], float] | None = None,
    demand: dict[int, int] | None = None,
) -> dict[int, int]:
    """Prefix length each unit's block needs, bottom-up (existing blocks keep theirs).

    `room` gives each tier's headroom (default: the plan's). With a `room` of its
    own the sizes are a what-if and a block larger than IPv4 has a length below 0;
    otherwise such a block is refused. `demand`, if given, gets each sized unit's
    addresses before rounding to a block.
    """
    what_if = room is not None
    room = room or spec.room
    own = {
        tier: [1 << (32 - plen_for_hosts(4, h)) for h in purposes.values()]
        for tier, purposes in spec.v4_needs.items()
    }
    plens: dict[int, int] = {}
    for u in reversed(order):
        if u.id in existing:
            plens[u.id] = existing[u.id].block.plen
            continue
        parts = own.get(u.level, []) + [
            1 << (32 - plens[c.id]) for c in u.children if c.id in plens
        ]
        used = sum(parts)
        if used == 0:
            continue
        size = math.ceil(used / (1 - room(u.level)))
        if demand is not None:
            demand[u.id] = size
        if size > 1 << 32 and not what_if:  # no /-n: say what does not fit, and where
            raise PlanError(
                f"ipv4: the plan needs 2**{(size - 1).bit_length()} addresses for {u.path}"
                f" (with headroom {spec.headroom_text()}); no IPv4 pool is that large"
            )
        plen = _pow2_plen(4, size)
        if 1 << (32 - plen) <= max(parts):
            # One part fills the block (one purpose and no children, no headroom): the
            # unit's block must hold it, not be it, or the two would be one prefix.
            plen -= 1
        plens[u.id] = plen
    return plens


def _outer(nodes: list[_Node], inside: _Node | None) -> _Node | None:
    """A unit's aggregate: its outermost plan block (no purpose) inside `inside`."""
    found = [
        n
        for n in nodes
        if n.purpose is None
        and (inside is None or (inside.block.contains(n.block) and n is not inside))
    ]
    return min(found, key=lambda n: (n.block.plen, n.block.first)) if found else None


def _plan_v4(
    spec: Spec,
    sp: _Space,
    top: _Unit,
    order: list[_Unit],
    parent_of: dict[int, _Unit],
    result: Result,
    progress: Progress = QUIET,
) -> None:
    assert spec.v4_pool is not None
    pool = sp.pool
    existing: dict[int, _Node] = {}
    if pool is not None and pool.org_id == top.id:
        existing[top.id] = pool
    for u in order[1:]:
        found = _outer(sp.by_org.get(u.id, []), None)
        if found is not None:
            existing[u.id] = found
    plens = _v4_sizes(spec, order, existing)
    need = plens.get(top.id)
    if need is None:
        raise PlanError(
            f"ipv4.needs: names only tiers ({', '.join(spec.v4_needs)}) with no unit in"
            f" {top.path}; nothing to plan"
        )
    if need is not None and need < spec.v4_pool.plen:
        raise PlanError(
            f"IPv4 pool {spec.v4_pool} is too small: the plan needs a /{need}"
            f" (with headroom {spec.headroom_text()}); the smallest pool that holds it is a"
            f" /{need}"
        )
    result.fits.append(
        {
            "family": 4,
            "pool": str(spec.v4_pool),
            "needs": f"/{need}" if need is not None else None,
            "spare_percent": round(100 * (1 - (1 << (32 - need)) / spec.v4_pool.size), 1)
            if need is not None
            else 100.0,
        }
    )
    blocks: dict[int, _Node] = {}
    if pool is None:
        pool = sp.add(None, spec.v4_pool, top.id, None, "container")
        sp.pool = pool
    blocks[top.id] = pool
    for u in order:
        progress.advance()
        block = blocks.get(u.id)
        if block is None:
            if u.id not in plens:
                continue
            parent_block = blocks.get(parent_of[u.id].id) if u is not top else None
            if parent_block is None:
                continue
            block = existing.get(u.id)
            if block is None:
                got = sp.take(parent_block, plens[u.id])
                if got is None:
                    _overflow(result, sp, u, parent_block, plens[u.id])
                    continue
                block = sp.add(parent_block, got, u.id, None, "container")
            blocks[u.id] = block
        mine = [n for n in sp.by_org.get(u.id, []) if n.parent is block]
        for purpose, hosts in spec.v4_needs.get(u.level, {}).items():
            plen = plen_for_hosts(4, hosts)
            have = [n for n in mine if n.purpose == purpose]
            if any(n.block.plen <= plen for n in have):
                continue
            got = sp.take(block, plen)
            if got is None:
                _overflow(result, sp, u, block, plen, purpose)
                continue
            sp.add(block, got, u.id, purpose, "allocated")


def _overflow(
    result: Result, sp: _Space, u: _Unit, parent: _Node, plen: int, purpose: str | None = None
) -> None:
    largest = sp.largest_free(parent)
    result.overflows.append(
        {
            "org_code": u.code,
            "org_path": u.path,
            "family": sp.family,
            "purpose": purpose,
            "plen": plen,
            "parent": str(parent.block),
            "largest_free": str(largest) if largest else None,
        }
    )


def _v6_bits(top: _Unit, order: list[_Unit], room: Callable[[str], float]) -> list[int]:
    """Bits of each depth's nibble level below the root (depth 1 first).

    A level holds, in each block one level up, a slot for that unit's own site and
    one per child, with that unit's tier's headroom spare; its bits are the widest
    such block's, rounded up to a nibble. A unit without children widens nothing.
    """
    slots: dict[int, int] = {}
    for u in order:
        if u.children:
            depth = u.depth - top.depth + 1
            need = math.ceil((len(u.children) + 1) / (1 - room(u.level)))
            slots[depth] = max(slots.get(depth, 0), need)
    return [
        4 * math.ceil(max(1, (slots[depth] - 1).bit_length()) / 4)
        for depth in range(1, len(slots) + 1)
    ]


def _v6_levels(spec: Spec, top: _Unit, order: list[_Unit], sp: _Space) -> list[int]:
    """Prefix length of each depth's blocks: nibble-aligned, from fan-out plus headroom."""
    assert spec.v6_pool is not None
    lengths = [spec.v6_pool.plen]
    at: dict[int, list[_Unit]] = defaultdict(list)
    for u in order:
        at[u.depth - top.depth].append(u)
    for depth, bits in enumerate(_v6_bits(top, order, spec.room), 1):
        seen = [
            n.block.plen for u in at[depth] for n in [_outer(sp.by_org.get(u.id, []), None)] if n
        ]
        if seen:  # re-planning keeps the lengths already in use
            lengths.append(min(seen))
            continue
        lengths.append(lengths[-1] + bits)
    return lengths


def _plan_v6(
    spec: Spec,
    sp: _Space,
    top: _Unit,
    order: list[_Unit],
    parent_of: dict[int, _Unit],
    result: Result,
    progress: Progress = QUIET,
) -> None:
    assert spec.v6_pool is not None
    levels = _v6_levels(spec, top, order, sp)
    deepest = levels[-1]
    if deepest > spec.v6_site:
        below = deepest - spec.v6_pool.plen
        smallest = spec.v6_site - below
        if smallest < 0:  # no /-n: say what does not fit
            raise PlanError(
                f"ipv6: the plan's nibble levels need {below} bits in front of its"
                f" /{spec.v6_site} sites, which leave {spec.v6_site} (with headroom"
                f" {spec.headroom_text()}); no IPv6 pool is that large"
            )
        longer = f" or site: {deepest} or longer" if deepest < spec.v6_subnet else ""
        raise PlanError(
            f"IPv6 pool {spec.v6_pool} leaves no room for /{spec.v6_site} sites: the nibble levels"
            f" {'/'.join(str(n) for n in levels)} reach /{deepest}; use a /{smallest} pool" + longer
        )
    result.fits.append(
        {
            "family": 6,
            "pool": str(spec.v6_pool),
            "levels": [f"/{n}" for n in levels],
            "site": f"/{spec.v6_site}",
            "spare_bits": spec.v6_site - deepest,
        }
    )
    ids = subnet_ids(spec)
    pool = sp.pool
    if pool is None:
        pool = sp.add(None, spec.v6_pool, top.id, None, "container")
        sp.pool = pool
    blocks: dict[int, _Node] = {top.id: pool}
    for u in order:
        progress.advance()
        agg = blocks.get(u.id)
        depth = u.depth - top.depth
        if agg is None:
            parent = blocks.get(parent_of[u.id].id)
            if parent is None:
                continue
            agg = _outer(sp.by_org.get(u.id, []), parent)
            if agg is None:
                got = sp.take(parent, levels[depth])
                if got is None:
                    _overflow(result, sp, u, parent, levels[depth])
                    continue
                agg = sp.add(parent, got, u.id, None, "container")
            blocks[u.id] = agg
        site: _Node | None = agg
        if agg.block.plen != spec.v6_site:
            site = next(
                (n for n in sp.by_org.get(u.id, []) if n.purpose == SITE and n.parent is agg), None
            )
            if site is None:
                got = sp.take(agg, spec.v6_site)  # lowest: slot 0 of the level below
                if got is None:
                    _overflow(result, sp, u, agg, spec.v6_site, SITE)
                    continue
                site = sp.add(agg, got, u.id, SITE, "container")
        assert site is not None
        have = {n.purpose: n for n in sp.by_org.get(u.id, []) if n.parent is site}
        v4_mine = {}
        if result.v4 is not None:
            v4_mine = {n.purpose: n for n in result.v4.by_org.get(u.id, []) if n.purpose}
        for purpose in spec.v6_purposes.get(u.level, []):
            subnet = have.get(purpose)
            if subnet is None:
                target = Block(
                    6, site.block.first + (ids[purpose] << (128 - spec.v6_subnet)), spec.v6_subnet
                )
                if not sp.carve(site, target):
                    _overflow(result, sp, u, site, spec.v6_subnet, purpose)
                    continue
                subnet = sp.add(site, target, u.id, purpose, "allocated")
            if purpose in v4_mine:
                result.pairs.append((v4_mine[purpose], subnet))


def compute(tx: Tx, spec: Spec, progress: Progress = QUIET) -> Result:
    """Plan against the database as it is (read only); overflows are listed, not raised."""
    with collector_paused():
        return _compute(tx, spec, progress)


def _compute(tx: Tx, spec: Spec, progress: Progress) -> Result:
    vid = space.vrf_id(tx, spec.vrf)
    root = orgs.resolve(tx, spec.root)
    top, order, parent_of = _units(tx, root)
    result = Result()
    if spec.v4_pool is not None:
        result.v4 = _Space(tx, vid, spec.v4_pool)
        _check_pool(tx, result.v4, spec.v4_pool, root)
        progress.phase("IPv4", total=len(order))
        _plan_v4(spec, result.v4, top, order, parent_of, result, progress)
    if spec.v6_pool is not None:
        result.v6 = _Space(tx, vid, spec.v6_pool)
        _check_pool(tx, result.v6, spec.v6_pool, root)
        progress.phase("IPv6", total=len(order))
        _plan_v6(spec, result.v6, top, order, parent_of, result, progress)
    units = result.units = {u.id: u for u in order}
    planned: list[tuple[Block, _Node, _Unit]] = []
    for sp in result.spaces:
        for n in sp.nodes:
            unit = units.get(n.org_id) if n.org_id is not None else None
            if unit is None:
                continue
            planned.append((n.block, n, unit))
    planned.sort(key=lambda item: (item[0].family, item[0].first, item[0].plen))
    for _, n, unit in planned:
        result.prefixes.append(
            {
                "prefix": n.text,
                "family": n.block.family,
                "status": n.status,
                "org_code": unit.code,
                "org_path": unit.path,
                "org_level": unit.level,
                "purpose": n.purpose,
                "new": n.new,
            }
        )
    result.tiers = _tiers(result, order)
    result.headroom = headroom_costs(spec, top, order)
    return result


def headroom_costs(spec: Spec, top: _Unit, order: list[_Unit]) -> list[dict[str, Any]]:
    """What each tier's headroom costs: per family and tier, the pool the plan needs
    with every tier's headroom (`needs`) and with that tier's alone left out (`without`).

    For IPv4 also the addresses the root's block must hold before it is rounded to
    a power of two (`needs_addresses`, `without_addresses`): a headroom may cost
    real space and still round to the same pool. Sized from the tree and the needs
    alone, as for a first plan (blocks already stored keep their sizes when
    applied, whatever the headroom), so the figures read the same before and
    after an apply.
    """
    tiers = [t for t in orgs.LEVELS if any(u.level == t for u in order)]
    out: list[dict[str, Any]] = []

    def without(tier: str) -> Callable[[str], float]:
        return lambda t: 0.0 if t == tier else spec.room(t)

    if spec.v4_pool is not None:

        def v4(room: Callable[[str], float]) -> tuple[str, int | None]:
            demand: dict[int, int] = {}
            plen = _v4_sizes(spec, order, {}, room, demand).get(top.id)
            return ("none" if plen is None else _shown_length(4, plen)), demand.get(top.id)

        needs = v4(spec.room)
        for tier in tiers:
            less = v4(without(tier)) if spec.room(tier) else needs
            out.append(_cost(4, tier, spec.room(tier), needs, less))
    if spec.v6_pool is not None:
        site = spec.v6_site

        def v6(room: Callable[[str], float]) -> tuple[str, int | None]:
            return _shown_length(6, site - sum(_v6_bits(top, order, room))), None

        needs6 = v6(spec.room)
        for tier in tiers:
            less6 = v6(without(tier)) if spec.room(tier) else needs6
            out.append(_cost(6, tier, spec.room(tier), needs6, less6))
    return out


def _cost(
    family: int,
    tier: str,
    room: float,
    needs: tuple[str, int | None],
    less: tuple[str, int | None],
) -> dict[str, Any]:
    return {
        "family": family,
        "tier": tier,
        "headroom": room,
        "needs": needs[0],
        "without": less[0],
        "needs_addresses": needs[1],
        "without_addresses": less[1],
    }


def _shown_length(family: int, plen: int) -> str:
    """`/12`, or for a block larger than the family `2**40 addresses` (never `/-8`)."""
    return f"/{plen}" if plen >= 0 else f"2**{BITS[family] - plen} addresses"


def _check_pool(tx: Tx, sp: _Space, pool: Block, root: orgs.OrgUnit) -> None:
    if root.parent_id is not None:
        try:  # the root's block must aggregate into its parent unit's, like any other
            space.check_aggregation(tx, sp.vid, pool, root)
        except GovopsError as exc:
            raise PlanError(
                f"pool {exc}; plan from the parent unit or record its block first"
            ) from exc
    if sp.pool is None:
        holder = space.chain(tx, sp.vid, pool)
        if holder:
            raise PlanError(
                f"pool {pool} lies inside {holder[-1].block} but is not stored itself;"
                f" record it first, as a block of {root.label()}"
            )
        clash = tx.scalar(
            "SELECT cidr FROM prefix WHERE vrf_id = ? AND family = ? AND parent_id IS NULL"
            " AND net >= ? AND net <= ? LIMIT 1",
            (sp.vid, pool.family, blob(pool.first), blob(pool.last)),
        )
        if clash:
            raise PlanError(f"pool {pool} overlaps {clash}, which is already stored")
        return
    if sp.pool.org_id not in (None, root.id):
        owner = orgs.get(tx, sp.pool.org_id)
        raise PlanError(f"pool {pool} belongs to {owner.label()}, not {root.label()}")
    if sp.pool.status == "quarantine":
        raise PlanError(f"pool {pool} is in quarantine")


def _tiers(result: Result, order: list[_Unit]) -> list[dict[str, Any]]:
    levels = {u.id: u.level for u in order}
    counts = Counter(levels.values())
    out = []
    for sp in result.spaces:
        per: dict[str, list[_Node]] = defaultdict(list)
        # A block's free space is what its children leave (the free-block index holds
        # exactly that), so the spare room needs no read of the index.
        used: dict[int, int] = defaultdict(int)
        for n in sp.nodes:
            if n.org_id in levels and n.purpose is None:
                per[levels[n.org_id]].append(n)
            if n.parent is not None:
                used[id(n.parent)] += n.block.size
        for level in orgs.LEVELS:
            blocks = per.get(level)
            if not blocks:
                continue
            plens = sorted({n.block.plen for n in blocks})
            total = sum(n.block.size for n in blocks)
            free_total = total - sum(used[id(n)] for n in blocks)
            out.append(
                {
                    "family": sp.family,
                    "tier": level,
                    "units": counts[level],
                    "blocks": len(blocks),
                    "lengths": ", ".join(f"/{p}" for p in plens),
                    "spare_percent": round(100 * free_total / total, 1) if total else None,
                }
            )
    return out


# -- applying --------------------------------------------------------------


def run(store: Store, spec: Spec, apply: bool = False, progress: Progress = QUIET) -> Result:
    """Dry run (default) or apply the plan in one transaction, all or nothing.

    A plan that leaves units without room raises PlanOverflow, dry run or not.
    `progress` hears of each family planned unit by unit, then of the prefixes written.
    """
    if not apply:
        result = store.read(lambda tx: compute(tx, spec, progress))
        if result.overflows:
            raise PlanOverflow(result.overflows)
        return result

    def write(tx: Tx) -> Result:
        if tx.dialect == "postgresql":
            vid = space.vrf_id(tx, spec.vrf)
            for pool in (spec.v4_pool, spec.v6_pool):
                if pool is not None:
                    space.lock_space(tx, vid, pool.family)
        result = compute(tx, spec, progress)
        if result.overflows:
            raise PlanOverflow(result.overflows)
        _write(tx, space.vrf_id(tx, spec.vrf), result, progress)
        result.applied = True
        return result

    return store.write(write)


def _write(tx: Tx, vid: int, result: Result, progress: Progress = QUIET) -> None:
    vrf = space.vrf_name(tx, vid)
    new_total = sum(1 for sp in result.spaces for n in sp.nodes if n.new)
    progress.phase("writing", total=new_total)
    for sp in result.spaces:
        nodes = sp.nodes
        new = [n for n in nodes if n.new]
        for node, pid in zip(new, space.new_ids(tx, "prefix", len(new)), strict=True):
            node.id = pid
        # Stored blocks the plan split: their free-block index is rewritten whole.
        old = [n for n in nodes if n.dirty and not n.new]
        tx.executemany("DELETE FROM free_block WHERE container_id = ?", [(n.id,) for n in old])
        _write_free(tx, sp, old)
        for at in range(0, len(new), _BATCH):
            batch = new[at : at + _BATCH]
            rows = []
            for n in batch:
                parent = n.parent.id if n.parent is not None else None
                rows.append(
                    (
                        n.id,
                        vid,
                        n.block.family,
                        blob(n.block.first),
                        n.block.plen,
                        n.text,
                        parent,
                        n.status,
                        int(n.parent is None),
                        n.org_id,
                        n.purpose,
                        None,
                        None,
                        tx.now,
                    )
                )
            space.insert_rows(tx, "prefix", space.PREFIX_COLUMNS, rows)
            _write_free(tx, sp, batch)
            for n in batch:
                unit = result.units[n.org_id].org_unit() if n.org_id in result.units else None
                tx.audit("prefix.add", "prefix", n.text, None, _record(vrf, vid, n, unit))
            progress.advance(len(batch))
    have: set[int] = set()
    if result.pairs and result.v4 is not None:
        have = {
            int(r["v4_id"])
            for r in tx.all(
                "SELECT x.v4_id FROM prefix_pair x JOIN prefix a ON a.id = x.v4_id"
                " WHERE a.vrf_id = ? AND a.family = ? AND a.net >= ? AND a.net <= ?",
                result.v4.range,
            )
        }
    pairs = [(a.id, b.id) for a, b in result.pairs if a.id not in have]
    tx.executemany("INSERT INTO prefix_pair (v4_id, v6_id) VALUES (?, ?)", pairs)
    for a, b in result.pairs:
        if a.id in have:
            continue
        tx.audit("prefix.pair", "prefix", str(a.block), None, {"v4": a.text, "v6": b.text})


def _write_free(tx: Tx, sp: _Space, nodes: list[_Node]) -> None:
    """Store the free-block index of `nodes` as planned."""
    rows: list[tuple[Any, ...]] = []
    for n in nodes:
        for plen, nets in sp._free(n).items():
            rows.extend((n.id, plen, blob(net)) for net in nets)
    space.insert_rows(tx, "free_block", space.FREE_COLUMNS, rows)


def _record(vrf: str, vid: int, n: _Node, unit: orgs.OrgUnit | None) -> dict[str, Any]:
    """The prefix record (`space.record`) of a node `_write` has just stored."""
    assert n.id is not None
    parent = n.parent
    stored = space.Prefix(
        n.id,
        vid,
        n.block,
        parent.id if parent is not None else None,
        n.status,
        parent is None,  # the plan's top nodes are its pools
        n.org_id,
        n.purpose,
        None,
        None,
    )
    return space.record(vrf, stored, parent.text if parent is not None else None, unit)


# -- questions about plans --------------------------------------------------


def pairs(store: Store, org_ref: str | None = None, vrf: str | None = None) -> list[dict[str, Any]]:
    """Dual-stack pairs: each IPv4 purpose subnet beside its IPv6 /64."""

    def run(tx: Tx) -> list[dict[str, Any]]:
        vid = space.vrf_id(tx, vrf)
        params: list[Any] = [vid]
        sub = where = ""
        if org_ref:
            # The subtree in the query itself: a province's units as parameters would
            # pass SQLite's and PostgreSQL's limits on them.
            unit = orgs.resolve(tx, org_ref)
            sub = (
                "WITH RECURSIVE sub(id, depth) AS (SELECT id, 0 FROM org_unit WHERE id = ?"
                " UNION ALL SELECT o.id, sub.depth + 1 FROM org_unit o"
                " JOIN sub ON o.parent_id = sub.id WHERE sub.depth < ?) "
            )
            where = " AND a.org_id IN (SELECT id FROM sub)"
            params = [unit.id, orgs.MAX_DEPTH, vid]
        rows = tx.all(
            sub + "SELECT a.cidr AS v4, b.cidr AS v6, a.purpose, o.code, o.path FROM prefix_pair x"
            " JOIN prefix a ON a.id = x.v4_id JOIN prefix b ON b.id = x.v6_id"
            " LEFT JOIN org_unit o ON o.id = a.org_id WHERE a.vrf_id = ?"
            + where
            + " ORDER BY o.path, a.purpose",
            params,
        )
        return [
            {
                "org_code": r["code"],
                "org_path": r["path"],
                "purpose": r["purpose"],
                "ipv4": r["v4"],
                "ipv6": r["v6"],
            }
            for r in rows
        ]

    return store.read(run)
