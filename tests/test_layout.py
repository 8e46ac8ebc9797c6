"""The layout DESIGN.md fixes, enforced: imports run one way, libraries stay free of
the CLI, and every PostgreSQL advisory lock is taken through infra/locks.py.

A new package slots in by adding one line to LAYERS.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Imports run from earlier to later layers only (a module may import its own layer
# or any earlier one). Each entry names dotted modules: "pkg" covers pkg and
# everything under it, "pkg.*" covers pkg's __init__ and the modules directly in
# pkg (not its subpackages, which need their own entry). The most specific entry
# wins; CLI modules are matched first.
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("platform", ("infra.*",)),
    ("org", ("infra.org",)),
    ("ipam", ("ipam",)),
    ("ssh/ansible", ("infra.ssh", "infra.ansible")),
    ("cloud", ("infra.cloud",)),
    ("xc", ("infra.xc",)),
    ("hosts/inventory/drill", ("infra.hosts", "inventory", "infra.drill", "infra.provision")),
    ("report/demo", ("infra.report", "infra.demo")),
]
CLI_LAYER = "CLI"
# The CLI modules: every package's cli.py, the platform's own command modules
# (`govops db`, `govops access`), the CLI platform, and the root app.
# Only these may import a CLI framework.
CLI_MODULES = ("govops", "infra.clikit", "infra.db_cli", "infra.access_cli")
CLI_LEAF = "cli"
CLI_FRAMEWORKS = ("typer", "rich", "click")

# Where the modules live (relative to the repository root).
SCANNED = ("infra", "ipam", "inventory", "playbooks", "govops.py")
FIRST_PARTY = ("infra", "ipam", "inventory", "playbooks", "govops")
# playbooks/ is package data with a path helper: it stands beside the platform.
EXTRA: dict[str, str] = {"playbooks": "platform"}

ORDER = [name for name, _ in LAYERS] + [CLI_LAYER]


def _module_files() -> dict[str, Path]:
    """Dotted module name -> file, for every first-party module."""
    found: dict[str, Path] = {}
    for entry in SCANNED:
        path = ROOT / entry
        files = [path] if path.is_file() else sorted(path.rglob("*.py"))
        for f in files:
            parts = list(f.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = f
    return found


MODULES = _module_files()
PACKAGES = {name for name, f in MODULES.items() if f.name == "__init__.py"}


def _covers(pattern: str, module: str) -> int:
    """How specifically `pattern` covers `module` (0: not at all)."""
    if pattern.endswith(".*"):
        pkg = pattern[:-2]
        rest = module.removeprefix(pkg + ".")
        if module == pkg or (rest != module and "." not in rest and module not in PACKAGES):
            return pkg.count(".") + 1
        return 0
    if module == pattern or module.startswith(pattern + "."):
        return pattern.count(".") + 2  # an explicit name beats a wildcard on its parent
    return 0


def layer_of(module: str) -> str | None:
    if module in CLI_MODULES or module.rsplit(".", 1)[-1] == CLI_LEAF:
        return CLI_LAYER
    top = module.split(".", 1)[0]
    if top in EXTRA:
        return EXTRA[top]
    best: tuple[int, str | None] = (0, None)
    for name, patterns in LAYERS:
        for pattern in patterns:
            score = _covers(pattern, module)
            if score > best[0]:
                best = (score, name)
    return best[1]


def _imports(module: str, tree: ast.AST) -> list[tuple[int, str, str]]:
    """(line, imported module, source text) for every import, at any depth
    (module level, inside functions, under TYPE_CHECKING)."""
    package = module if module in PACKAGES else module.rpartition(".")[0]
    out: list[tuple[int, str, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                out.append((node.lineno, alias.name, f"import {alias.name}"))
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, *([base] if base else [])])
            for alias in node.names:
                # `from infra import locks` imports the module infra.locks.
                sub = f"{base}.{alias.name}"
                target = sub if sub in MODULES else base
                text = f"from {'.' * node.level}{node.module or ''} import {alias.name}"
                out.append((node.lineno, target, text))
    return out


def _violations() -> list[str]:
    problems: list[str] = []
    for module, path in sorted(MODULES.items()):
        where = path.relative_to(ROOT)
        mine = layer_of(module)
        if mine is None:
            problems.append(f"{where}: module {module} has no layer: add it to LAYERS")
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), str(where))
        for line, target, text in _imports(module, tree):
            top = target.split(".", 1)[0]
            if top in CLI_FRAMEWORKS and mine != CLI_LAYER:
                problems.append(
                    f"{where}:{line}: {text}: a library module ({mine}) imports the CLI"
                    f" framework {top}; move the code into a cli.py"
                )
            if top not in FIRST_PARTY:
                continue
            theirs = layer_of(target)
            if theirs is None:
                problems.append(f"{where}:{line}: {text}: {target} has no layer: add it to LAYERS")
            elif ORDER.index(theirs) > ORDER.index(mine):
                problems.append(
                    f"{where}:{line}: {text}: {mine} imports the later layer {theirs}"
                    f" ({' → '.join(ORDER)})"
                )
    return problems


def test_every_module_is_scanned() -> None:
    # The walk must see the packages it guards, or it passes by seeing nothing.
    assert {"infra.store", "infra.org.units", "ipam.space", "govops"} <= MODULES.keys()


@pytest.mark.parametrize(
    ("module", "layer"),
    [
        ("infra", "platform"),
        ("infra.store", "platform"),
        ("infra.clikit", CLI_LAYER),
        ("infra.cli", CLI_LAYER),
        ("infra.org.units", "org"),
        ("infra.org.cli", CLI_LAYER),
        ("ipam.space", "ipam"),
        ("infra.ssh", "ssh/ansible"),
        ("infra.cloud.vms", "cloud"),
        ("infra.xc", "xc"),
        ("infra.hosts", "hosts/inventory/drill"),
        ("inventory.govops_inventory", "hosts/inventory/drill"),
        ("infra.drill.runs", "hosts/inventory/drill"),
        ("infra.report.figures", "report/demo"),
        ("infra.demo", "report/demo"),
        ("govops", CLI_LAYER),
    ],
)
def test_layer_table(module: str, layer: str) -> None:
    assert layer_of(module) == layer


def test_imports_run_one_way() -> None:
    problems = _violations()
    assert not problems, "imports against DESIGN.md's layer order:\n" + "\n".join(problems)


# Built from parts so this file does not name the function it looks for.
_ADVISORY = "pg_" + "advisory"
_LOCK_OWNERS = {Path("infra/locks.py"), Path("tests/conftest.py")}
_SKIP_DIRS = {"build", "dist", "__pycache__", "node_modules", "venv"}


def _python_files() -> list[Path]:
    out = []
    for f in sorted(ROOT.rglob("*.py")):
        rel = f.relative_to(ROOT)
        if any(p.startswith(".") or p in _SKIP_DIRS or p.endswith(".egg-info") for p in rel.parts):
            continue
        out.append(rel)
    return out


def test_advisory_locks_go_through_the_registry() -> None:
    """Lock keys are a contract between processes: one registry names them all."""
    problems = []
    for rel in _python_files():
        for n, text in enumerate((ROOT / rel).read_text(encoding="utf-8").splitlines(), 1):
            if _ADVISORY not in text:
                continue
            if rel not in _LOCK_OWNERS:
                problems.append(f"{rel}:{n}: {text.strip()}  (take it with infra.locks.hold)")
            elif rel == Path("tests/conftest.py") and "locks." not in text:
                problems.append(f"{rel}:{n}: {text.strip()}  (use a key from infra.locks)")
    assert not problems, "advisory locks outside infra/locks.py:\n" + "\n".join(problems)
