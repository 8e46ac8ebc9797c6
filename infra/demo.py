"""The demo: a database of its own, built from the bundled sample city."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from infra import config
from infra.store import Store, is_postgres_url


def default_path() -> str:
    """`$XDG_DATA_HOME/govops/demo.db`: beside, never in place of, the real database."""
    return str(Path(config.default_db_url_sqlite_dir()) / "demo.db")


def reset(path: str) -> None:
    """Start the demo from nothing (SQLite files only; never a server database)."""
    if is_postgres_url(path):
        return
    for suffix in ("", "-wal", "-shm"):
        try:
            os.remove(path + suffix)
        except FileNotFoundError:
            pass


def build(store: Store) -> dict[str, Any]:
    """Import the sample city and return what the demo shows."""
    from ipam import SAMPLE_DIVISIONS, org, org_import

    result = org_import.import_file(store, SAMPLE_DIVISIONS)
    roots = org.tree(store, None, depth=2)
    city = roots[0] if roots else None
    counts = org.show(store, city["code"]) if city else {"descendants": {}}
    d = counts["descendants"]
    summary = (
        f"sample city imported ({result.added} units added): "
        f"{d.get('county', 0)} counties, {d.get('town', 0)} towns, {d.get('village', 0)} villages"
    )
    return {"tree": roots, "summary": summary}
