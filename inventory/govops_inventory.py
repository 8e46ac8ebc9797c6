#!/usr/bin/env python3
"""Ansible dynamic inventory over the govops database.

    ansible-inventory -i "$(govops inventory path)" --list
    ansible-playbook -i "$(govops inventory path)" playbooks/ping.yml

Answers `--list` (every group, with every host's variables under
`_meta.hostvars`, so Ansible asks nothing more) and `--host NAME` (one host's
variables; `{}` for a name it does not hold), as Ansible's script inventory
plugin expects. The database is the one `govops` uses: `GOVOPS_DB`, else the
embedded default. Groups: kind_* (vm, server, terminal, host), dept_*, system_*,
tier_* (province … village), unit_<division code> (a unit's group holds its child
units' groups), os_*, cpu_*, arch_*, and each plain host's own groups.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

USAGE = "usage: govops_inventory.py --list | --host NAME"


def _importable() -> None:
    """Run as a file by Ansible, perhaps under another `python3` than the one govops
    is installed in: the directory that holds this package holds `infra` too."""
    try:
        import infra  # noqa: F401
    except ImportError:
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def answer(argv: list[str]) -> dict[str, object]:
    """The inventory (`--list`) or one host's variables (`--host NAME`)."""
    _importable()
    from infra import hosts
    from infra.errors import InvalidInput
    from infra.store import Store

    if argv == ["--list"]:
        with Store() as store:
            return hosts.inventory_of(store)
    if len(argv) == 2 and argv[0] == "--host":
        with Store() as store:
            return hosts.host_vars(store, argv[1])
    raise InvalidInput(USAGE)


def main(argv: list[str] | None = None) -> int:
    _importable()
    from infra.errors import GovopsError, one_line

    try:
        found = answer(sys.argv[1:] if argv is None else argv)
    except GovopsError as exc:
        print(f"govops-inventory: {one_line(str(exc))}", file=sys.stderr)
        return 1
    json.dump(found, sys.stdout, ensure_ascii=False, separators=(",", ":"))
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
