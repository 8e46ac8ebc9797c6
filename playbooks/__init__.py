"""Ansible playbooks shipped with govops (installed with the package)."""

from pathlib import Path

DIR = Path(__file__).parent
