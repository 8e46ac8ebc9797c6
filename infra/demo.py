"""The demo: a database of its own, built from the bundled sample city and plan."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from infra import config
from infra.store import Store, is_postgres_url


def default_path() -> str:
    """`$XDG_DATA_HOME/govops/demo.db`: beside, never in place of, the real database
    (its directory is made, as the default database's is)."""
    home = Path(config.default_db_url_sqlite_dir())
    home.mkdir(parents=True, exist_ok=True)
    return str(home / "demo.db")


def reset(path: str) -> None:
    """Start the demo from nothing (SQLite files only; never a server database)."""
    if is_postgres_url(path):
        return
    for suffix in ("", "-wal", "-shm"):
        try:
            os.remove(path + suffix)
        except FileNotFoundError:
            pass


def build(store: Store, county: str = "源城区") -> dict[str, Any]:
    """Import the sample city, apply the bundled plan, and gather what the demo shows."""
    from infra.org import importer as org_import
    from infra.org import units as org
    from ipam import SAMPLE_DIVISIONS, SAMPLE_PLAN, plan, views

    imported = org_import.import_file(store, SAMPLE_DIVISIONS)
    result = plan.run(store, plan.load_spec(SAMPLE_PLAN), apply=True)
    city = org.tree(store, None, depth=0)[0]
    counts = org.show(store, city["code"])["descendants"]
    return {
        "imported": imported.as_dict(),
        "city": city["name"],
        "counts": counts,
        "plan": result.summary(),
        "county": county,
        "county_tree": views.tree(store, org_ref=county, depth=1),
        "usage": views.usage_by_tier(store),
        "coverage": plan.coverage(store),
        "problems": [p for p in views.check(store) if p["severity"] == "error"],
    }
