"""Where the database lives and who is acting: read from the environment."""

from __future__ import annotations

import os
from pathlib import Path


def default_db_url() -> str:
    """`GOVOPS_DB` if set, else `$XDG_DATA_HOME/govops/govops.db`."""
    env = os.environ.get("GOVOPS_DB")
    if env:
        return env
    return str(Path(default_db_url_sqlite_dir()) / "govops.db")


def default_db_url_sqlite_dir() -> str:
    """The directory of the embedded default database."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return str(Path(base) / "govops")


def actor() -> str:
    """Who is making a change, for the audit log: `GOVOPS_ACTOR` or the OS user."""
    env = os.environ.get("GOVOPS_ACTOR")
    if env:
        return env
    import getpass

    try:
        return getpass.getuser()
    except Exception:  # no passwd entry (containers): still record something honest
        return f"uid:{os.getuid()}"
