"""Ansible inventory over the govops database (installed with the package)."""

from pathlib import Path

DIR = Path(__file__).parent
SCRIPT = DIR / "govops_inventory.py"
"""The executable dynamic inventory script (`ansible-inventory -i SCRIPT --list`)."""
