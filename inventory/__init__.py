"""Ansible inventory over the govops database (installed with the package)."""

from pathlib import Path

DIR = Path(__file__).parent
SCRIPT = DIR / "govops_inventory.py"
"""The executable dynamic inventory script (`ansible-inventory -i SCRIPT --list`)."""


def executable_script(script: Path = SCRIPT) -> Path:
    """The script, made executable if it is not (a wheel does not keep a file's mode,
    and Ansible runs an inventory script only when it may execute it)."""
    import os
    import stat

    if not os.access(script, os.X_OK):
        mode = script.stat().st_mode
        # Execute for whoever may read it, as `chmod +x` would.
        wanted = mode | ((mode & 0o444) >> 2)
        try:
            script.chmod(stat.S_IMODE(wanted))
        except OSError as exc:
            from infra.errors import GovopsError

            raise GovopsError(
                f"{script} is not executable and cannot be made so ({exc.strerror});"
                f" run: chmod +x {script}"
            ) from None
    return script
