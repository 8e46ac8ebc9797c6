"""Ansible inventory over the govops database (installed with the package)."""

from pathlib import Path

DIR = Path(__file__).parent
