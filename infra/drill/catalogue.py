"""The drill's self-inspection checklist (攻防演练自查): what each check of
playbooks/drill/checks.yml verifies.

`infra/drill/data/checks.yaml` lists the checks in the playbook's order: `id` (the
task's tag), `title`, `mlps_ref` (the GB/T 22239-2019 level-3 clause the check gives
evidence for, such as "8.1.4.1 a)", or ""), `severity` (high, medium, low) and
`os_families` (RedHat, Debian). `load()` reads and checks the file, reporting every
problem with its line in one message; `select(ids)` picks checks by id.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from infra.errors import FileErrors, NotFound

BUILTIN = Path(__file__).parent / "data" / "checks.yaml"
SEVERITIES = ("high", "medium", "low")
OS_FAMILIES = ("RedHat", "Debian")
FIELDS = ("id", "title", "mlps_ref", "severity", "os_families")
MAX_FILE = 1 << 20

_ID = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
_ID_MAX = 40
# A clause of GB/T 22239-2019's level-3 general requirements (section 8.1).
_MLPS = re.compile(r"8\.1\.[1-9][0-9]?\.[1-9][0-9]? [a-k]\)")


class CatalogueError(FileErrors):
    """The check catalogue is not valid; `errors` holds (line, message) pairs."""


class UnknownCheck(NotFound):
    """No check of the catalogue has that id."""


@dataclass(frozen=True, slots=True)
class Check:
    id: str
    title: str
    mlps_ref: str
    severity: str
    os_families: tuple[str, ...]

    def record(self) -> dict[str, Any]:
        """The check as a row: os_families joined by commas, as a table or CSV cell."""
        return {
            "id": self.id,
            "title": self.title,
            "mlps_ref": self.mlps_ref,
            "severity": self.severity,
            "os_families": ",".join(self.os_families),
        }


def _line(node: Any) -> int:
    return int(node.start_mark.line) + 1


def _scalar(node: Any) -> Any:
    """A scalar node's value as YAML's safe loader reads it (str, int, bool, None …)."""
    import yaml

    if not isinstance(node, yaml.ScalarNode):
        return node
    value: Any = yaml.SafeLoader(yaml.serialize(node)).get_single_data()
    return value


def _text(node: Any, where: str, key: str, errors: list[tuple[int, str]], empty: bool) -> str:
    value = _scalar(node)
    if not isinstance(value, str) or "\n" in value or len(value) > 200:
        errors.append((_line(node), f"{where}: {key} must be one line of text"))
        return ""
    text = value.strip()
    if not text and not empty:
        errors.append((_line(node), f"{where}: {key} is empty"))
    return text


def _check(item: Any, where: str, errors: list[tuple[int, str]]) -> Check | None:
    import yaml

    if not isinstance(item, yaml.MappingNode):
        errors.append((_line(item), f"{where} must be a mapping of {', '.join(FIELDS)}"))
        return None
    before = len(errors)
    fields: dict[str, Any] = {}
    for key_node, value_node in item.value:
        key = _scalar(key_node)
        if key not in FIELDS:
            errors.append(
                (_line(key_node), f"{where}: unknown field {str(key)[:40]!r} ({', '.join(FIELDS)})")
            )
        elif key in fields:
            errors.append((_line(key_node), f"{where}: {key} given twice"))
        else:
            fields[key] = value_node
    for key in FIELDS:
        if key not in fields:
            errors.append((_line(item), f"{where}: {key} is missing"))
    if len(errors) > before:
        return None
    ident = _text(fields["id"], where, "id", errors, empty=False)
    if ident and (len(ident) > _ID_MAX or not _ID.fullmatch(ident)):
        errors.append(
            (
                _line(fields["id"]),
                f"{where}: id {ident[:60]!r} must be lower-case words joined by '-'"
                f" (at most {_ID_MAX} characters)",
            )
        )
    title = _text(fields["title"], where, "title", errors, empty=False)
    mlps = _text(fields["mlps_ref"], where, "mlps_ref", errors, empty=True)
    if mlps and not _MLPS.fullmatch(mlps):
        errors.append(
            (
                _line(fields["mlps_ref"]),
                f"{where}: mlps_ref {mlps[:40]!r} is not a level-3 clause such as '8.1.4.1 a)'"
                " (or empty)",
            )
        )
    severity = _text(fields["severity"], where, "severity", errors, empty=False)
    if severity and severity not in SEVERITIES:
        errors.append(
            (
                _line(fields["severity"]),
                f"{where}: severity {severity[:40]!r} is not one of {', '.join(SEVERITIES)}",
            )
        )
    families: list[str] = []
    node = fields["os_families"]
    if not isinstance(node, yaml.SequenceNode) or not node.value:
        errors.append(
            (_line(node), f"{where}: os_families must be a list of {', '.join(OS_FAMILIES)}")
        )
    else:
        for family_node in node.value:
            family = _scalar(family_node)
            if family not in OS_FAMILIES:
                errors.append(
                    (
                        _line(family_node),
                        f"{where}: os family {str(family)[:40]!r} is not one of {', '.join(OS_FAMILIES)}",
                    )
                )
            elif family in families:
                errors.append((_line(family_node), f"{where}: os family {family} given twice"))
            else:
                families.append(family)
    if len(errors) > before:
        return None
    return Check(ident, title, mlps, severity, tuple(families))


def _parse(text: str, source: str) -> list[Check]:
    import yaml

    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = int(mark.line) + 1 if mark is not None else 1
        problem = getattr(exc, "problem", None) or "not valid YAML"
        raise CatalogueError(source, [(line, f"not valid YAML: {problem}")]) from None
    if not isinstance(root, yaml.MappingNode):
        line = _line(root) if root is not None else 1
        raise CatalogueError(source, [(line, "the file must be a mapping: version, checks")])
    errors: list[tuple[int, str]] = []
    version: Any = None
    items: Any = None
    for key_node, value_node in root.value:
        key = _scalar(key_node)
        if key == "version":
            version = _scalar(value_node)
            if version != 1 or isinstance(version, bool):
                errors.append((_line(value_node), "version must be 1"))
        elif key == "checks":
            items = value_node
        else:
            errors.append((_line(key_node), f"unknown section {str(key)[:40]!r}: version, checks"))
    if version is None:
        errors.append((1, "version is missing"))
    if not isinstance(items, yaml.SequenceNode) or not items.value:
        line = _line(items) if items is not None else 1
        errors.append((line, "checks must be a list of at least one check"))
        raise CatalogueError(source, sorted(errors))
    found: list[Check] = []
    seen: dict[str, int] = {}
    for index, item in enumerate(items.value):
        check = _check(item, f"checks[{index}]", errors)
        if check is None:
            continue
        if check.id in seen:
            errors.append(
                (
                    _line(item),
                    f"checks[{index}]: id {check.id} already used on line {seen[check.id]}",
                )
            )
            continue
        seen[check.id] = _line(item)
        found.append(check)
    if errors:
        raise CatalogueError(source, sorted(errors))
    return found


def read(path: str | Path, source: str | None = None) -> list[Check]:
    """The checks of one catalogue file, checked (every problem with its line)."""
    from infra import inputs

    where = source or str(path)
    try:
        text = inputs.read_text(path, MAX_FILE, where)
    except FileErrors as exc:
        raise CatalogueError(exc.source, exc.errors) from None
    return _parse(text, where)


@functools.cache
def _builtin() -> tuple[Check, ...]:
    return tuple(read(BUILTIN, "builtin check catalogue"))


def load(path: str | Path | None = None) -> list[Check]:
    """The checks, in the playbook's order: the built-in catalogue, or the file at `path`."""
    return list(_builtin()) if path is None else read(path)


def select(ids: Iterable[str] | None = None, path: str | Path | None = None) -> list[Check]:
    """The checks named by `ids` (all of them for None or none given), in catalogue
    order, each once; an unknown id is refused."""
    checks = load(path)
    wanted = [i.strip() for i in ids or () if i.strip()]
    if not wanted:
        return checks
    known = {c.id for c in checks}
    unknown = list(dict.fromkeys(i for i in wanted if i not in known))
    if unknown:
        shown = ", ".join(repr(i[:40]) for i in unknown[:5])
        more = f" and {len(unknown) - 5} more" if len(unknown) > 5 else ""
        noun = "check" if len(unknown) == 1 else "checks"
        raise UnknownCheck(
            f"unknown {noun} {shown}{more}; known: {', '.join(c.id for c in checks)}"
        )
    chosen = set(wanted)
    return [c for c in checks if c.id in chosen]
