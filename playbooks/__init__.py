"""Ansible playbooks shipped with govops (installed with the package)."""

from pathlib import Path

DIR = Path(__file__).parent


def path(name: str) -> Path:
    """The installed path of a bundled playbook, e.g. path("ping.yml")."""
    found = DIR / name
    if not found.is_file():
        raise FileNotFoundError(f"no bundled playbook {name!r} in {DIR}")
    return found
