"""The catalogue of domestic stacks: operating systems, databases, middleware.

The built-in list is `infra/xc/data/catalogue.yaml`; a user adds entries with a
YAML file of the same shape, named by `GOVOPS_XC_CATALOGUE` or passed in. That
file is checked strictly before anything uses it: every problem is reported with
its line (`CatalogueError.errors`), in one message.

An entry: `id` (lower-case ASCII, unique in its section with every alias),
`name`, `vendor`, `aliases`; an OS also names its `family` (one of the OS
families); a database or middleware its `processes` (names or command-line
fragments a probe looks for) and default `ports`.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from infra.errors import FileErrors, InvalidInput
from infra.xc.classify import OS_FAMILIES

ENV = "GOVOPS_XC_CATALOGUE"
BUILTIN = Path(__file__).parent / "data" / "catalogue.yaml"
SECTIONS = {"os": "os", "databases": "db", "middleware": "middleware"}
"""The file's sections and the kind each holds."""
KINDS = ("os", "db", "middleware")
MAX_FILE = 1 << 20
MAX_ENTRIES = 10_000

_ID = re.compile(r"[a-z0-9][a-z0-9._-]{0,31}")
_KEYS = {
    "os": {"id", "name", "vendor", "aliases", "family"},
    "db": {"id", "name", "vendor", "aliases", "processes", "ports"},
    "middleware": {"id", "name", "vendor", "aliases", "processes", "ports"},
}


class CatalogueError(FileErrors):
    """A catalogue file is not valid; `errors` holds (line, message) pairs."""


class UnknownStack(InvalidInput):
    """No catalogue entry of that kind has the id or alias."""


@dataclass(frozen=True)
class Entry:
    kind: str
    id: str
    name: str
    vendor: str | None = None
    family: str | None = None
    aliases: tuple[str, ...] = ()
    processes: tuple[str, ...] = ()
    ports: tuple[int, ...] = ()
    source: str = "builtin"
    line: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "id": self.id,
            "name": self.name,
            "vendor": self.vendor,
            "family": self.family,
            "aliases": list(self.aliases),
            "processes": list(self.processes),
            "ports": list(self.ports),
            "source": self.source,
        }


@dataclass
class Catalogue:
    entries: list[Entry] = field(default_factory=list)

    def of(self, kind: str) -> list[Entry]:
        return [e for e in self.entries if e.kind == kind]

    def find(self, kind: str, ref: str) -> Entry:
        """The entry of `kind` whose id or alias is `ref` (case-insensitive)."""
        word = ref.strip().lower()
        for entry in self.of(kind):
            if word == entry.id or word in (a.lower() for a in entry.aliases):
                return entry
        known = ", ".join(e.id for e in self.of(kind))
        what = {"os": "operating system", "db": "database", "middleware": "middleware"}[kind]
        shown = ref.strip()[:40]
        raise UnknownStack(f"unknown {what} {shown!r}: one of {known} (or an alias)")


def _line(node: Any) -> int:
    return int(node.start_mark.line) + 1


def _parse(text: str, source: str) -> Any:
    import yaml

    try:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = int(mark.line) + 1 if mark is not None else 1
        problem = getattr(exc, "problem", None) or "not valid YAML"
        raise CatalogueError(source, [(line, f"not valid YAML: {problem}")]) from None


def _scalar(node: Any) -> Any:
    """A scalar node's value as YAML's safe loader reads it (int, str, bool …)."""
    import yaml

    return yaml.SafeLoader(yaml.serialize(node)).get_single_data()


def _strings(node: Any, what: str, errors: list[tuple[int, str]], limit: int = 100) -> list[str]:
    import yaml

    if not isinstance(node, yaml.SequenceNode):
        errors.append((_line(node), f"{what} must be a list"))
        return []
    out = []
    for item in node.value:
        value = _scalar(item) if isinstance(item, yaml.ScalarNode) else None
        if not isinstance(value, str) or not value.strip() or len(value) > limit:
            errors.append((_line(item), f"{what}: each must be text of 1 to {limit} characters"))
        else:
            out.append(value.strip())
    return out


def _entries(root: Any, source: str) -> list[Entry]:
    import yaml

    errors: list[tuple[int, str]] = []
    if root is None:
        return []
    if not isinstance(root, yaml.MappingNode):
        raise CatalogueError(source, [(_line(root), "the file must be a mapping of sections")])
    found: list[Entry] = []
    for key_node, value_node in root.value:
        key = _scalar(key_node) if isinstance(key_node, yaml.ScalarNode) else None
        if key == "version":
            version = _scalar(value_node) if isinstance(value_node, yaml.ScalarNode) else None
            if version != 1 or isinstance(version, bool):
                errors.append((_line(value_node), "version must be 1"))
            continue
        if key not in SECTIONS:
            errors.append(
                (
                    _line(key_node),
                    f"unknown section {str(key)[:40]!r}: version, {', '.join(SECTIONS)}",
                )
            )
            continue
        kind = SECTIONS[key]
        if isinstance(value_node, yaml.ScalarNode) and _scalar(value_node) is None:
            continue
        if not isinstance(value_node, yaml.SequenceNode):
            errors.append((_line(value_node), f"{key} must be a list of entries"))
            continue
        for index, item in enumerate(value_node.value):
            where = f"{key}[{index}]"
            if not isinstance(item, yaml.MappingNode):
                errors.append((_line(item), f"{where} must be a mapping"))
                continue
            fields: dict[str, Any] = {}
            for k_node, v_node in item.value:
                k = _scalar(k_node) if isinstance(k_node, yaml.ScalarNode) else None
                if k not in _KEYS[kind]:
                    errors.append(
                        (
                            _line(k_node),
                            f"{where}: unknown field {str(k)[:40]!r}"
                            f" (fields: {', '.join(sorted(_KEYS[kind]))})",
                        )
                    )
                    continue
                fields[k] = v_node
            entry = _entry(kind, where, item, fields, source, errors)
            if entry is not None:
                found.append(entry)
            if len(found) > MAX_ENTRIES:
                errors.append((_line(item), f"more than {MAX_ENTRIES} entries"))
                break
    if errors:
        raise CatalogueError(source, sorted(errors))
    return found


def _entry(
    kind: str,
    where: str,
    item: Any,
    fields: dict[str, Any],
    source: str,
    errors: list[tuple[int, str]],
) -> Entry | None:
    import yaml

    before = len(errors)

    def text(key: str, required: bool, limit: int = 100) -> str | None:
        node = fields.get(key)
        if node is None:
            if required:
                errors.append((_line(item), f"{where}: {key} is missing"))
            return None
        value = _scalar(node) if isinstance(node, yaml.ScalarNode) else None
        if not isinstance(value, str) or not value.strip() or len(value.strip()) > limit:
            errors.append((_line(node), f"{where}: {key} must be text of 1 to {limit} characters"))
            return None
        return value.strip()

    ident = text("id", True, 32)
    if ident is not None and not _ID.fullmatch(ident):
        errors.append(
            (
                _line(fields["id"]),
                f"{where}: id {ident!r} must be lower-case ASCII letters, digits, '.', '_', '-'",
            )
        )
    name = text("name", True)
    vendor = text("vendor", False)
    aliases = (
        _strings(fields["aliases"], f"{where}: aliases", errors) if "aliases" in fields else []
    )
    family = None
    processes: list[str] = []
    ports: list[int] = []
    if kind == "os":
        family = text("family", True, 32)
        if family is not None and family not in OS_FAMILIES:
            errors.append(
                (
                    _line(fields["family"]),
                    f"{where}: family {family!r} is not one of {', '.join(OS_FAMILIES)}",
                )
            )
    else:
        if "processes" in fields:
            processes = _strings(fields["processes"], f"{where}: processes", errors, 64)
        node = fields.get("ports")
        if node is not None:
            if not isinstance(node, yaml.SequenceNode):
                errors.append((_line(node), f"{where}: ports must be a list"))
            else:
                for port_node in node.value:
                    value = _scalar(port_node) if isinstance(port_node, yaml.ScalarNode) else None
                    if (
                        isinstance(value, bool)
                        or not isinstance(value, int)
                        or not 1 <= value <= 65535
                    ):
                        errors.append(
                            (_line(port_node), f"{where}: a port must be a whole number 1 to 65535")
                        )
                    else:
                        ports.append(value)
        if "processes" not in fields and "ports" not in fields:
            errors.append(
                (_line(item), f"{where}: give processes or ports for a probe to look for")
            )
    if len(errors) > before or ident is None or name is None:
        return None
    return Entry(
        kind=kind,
        id=ident,
        name=name,
        vendor=vendor,
        family=family,
        aliases=tuple(aliases),
        processes=tuple(processes),
        ports=tuple(ports),
        source=source,
        line=_line(item),
    )


def read(path: str | Path, source: str | None = None) -> list[Entry]:
    """The entries of one catalogue file, checked (every problem with its line)."""
    from infra import inputs

    where = source or str(path)
    try:
        text = inputs.read_text(path, MAX_FILE, where)
    except FileErrors as exc:
        raise CatalogueError(exc.source, exc.errors) from None
    return _entries(_parse(text, where), where)


def _merge(base: list[Entry], extra: list[Entry], source: str) -> list[Entry]:
    """`base` and `extra`, refusing an id or alias of `extra` that `base` (or an
    earlier entry of `extra`) already uses in the same kind."""
    taken: dict[tuple[str, str], str] = {}
    for e in base:
        for word in (e.id, *(a.lower() for a in e.aliases)):
            taken[(e.kind, word)] = e.id
    errors: list[tuple[int, str]] = []
    for e in extra:
        for word in (e.id, *(a.lower() for a in e.aliases)):
            owner = taken.get((e.kind, word))
            if owner is not None:
                errors.append((e.line, f"{e.kind} {e.id}: {word!r} is already used by {owner}"))
            taken[(e.kind, word)] = e.id
    if errors:
        raise CatalogueError(source, errors)
    return base + extra


def load(path: str | Path | None = None) -> Catalogue:
    """The built-in catalogue, extended by `path` (default: `$GOVOPS_XC_CATALOGUE`)."""
    entries = read(BUILTIN, "builtin")
    extra = path if path is not None else (os.environ.get(ENV) or None)
    if extra is not None:
        entries = _merge(entries, read(extra), str(extra))
    return Catalogue(entries)


def listing(path: str | Path | None = None, kind: str | None = None) -> list[dict[str, Any]]:
    """The catalogue's entries (of one kind) as rows."""
    if kind is not None and kind not in KINDS:
        raise InvalidInput(f"unknown catalogue kind {kind[:40]!r}: one of {', '.join(KINDS)}")
    cat = load(path)
    return [e.as_dict() for e in cat.entries if kind is None or e.kind == kind]
