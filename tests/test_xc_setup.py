"""The small world the Xinchuang tests stand on.

Org: 河源市 (city) → 源城区 (county). Departments: YC-CZ (源城区财政局, of 源城区),
HY-GA (河源市公安局, of 河源市), 自然资源局 (no code, no unit).
"""

from __future__ import annotations

from typing import Any

from infra.org import depts
from infra.org import units as org
from infra.store import Store
from infra.xc import assets

CITY = "441600000000"
COUNTY = "441602000000"


def build(store: Store) -> None:
    org.add(store, "河源市", "city", code=CITY)
    org.add(store, "源城区", "county", CITY, COUNTY)
    depts.add(store, "源城区财政局", "YC-CZ", COUNTY)
    depts.add(store, "河源市公安局", "HY-GA", CITY)
    depts.add(store, "自然资源局")


def asset(
    store: Store, serial: str, kind: str = "terminal", dept: str = "YC-CZ", **kw: Any
) -> dict[str, Any]:
    day = kw.pop("day", None)
    return assets.add(store, assets.Fields.check(serial, kind, dept, **kw), day)


def counts(store: Store) -> dict[str, int]:
    """Rows in every Xinchuang table and the audit log: 'nothing written' is these unchanged."""
    tables = (
        "xc_asset",
        "xc_asset_event",
        "xc_app",
        "xc_app_event",
        "xc_phase",
        "xc_probe",
        "audit",
    )
    return store.read(lambda tx: {t: int(tx.scalar(f"SELECT count(*) FROM {t}")) for t in tables})


def test_the_setup_is_what_the_tests_assume(store: Store) -> None:
    from infra.org import depts as d

    build(store)
    found = {x["name"]: x for x in d.list_depts(store)}
    assert found["源城区财政局"]["code"] == "YC-CZ"
    assert found["源城区财政局"]["org_code"] == COUNTY
    assert found["河源市公安局"]["org_code"] == CITY
    assert found["自然资源局"]["code"] is None
    assert counts(store)["xc_asset"] == 0
    asset(store, "S-1")
    assert counts(store)["xc_asset"] == 1 and counts(store)["xc_asset_event"] == 1
