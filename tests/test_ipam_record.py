"""One prefix record: whichever path makes a prefix, its `prefix.add` audit row has
the same fields with the same meaning as the prefix's export row."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from ipam_helpers import CITY, make_orgs

from infra import audit
from ipam import space, transfer


def added(store, prefix: str) -> dict:
    rows = audit.entries(store, limit=1000, object_ref=prefix, action="prefix.add")
    assert len(rows) == 1, rows
    return rows[0]["after"]


def test_every_path_writes_the_same_prefix_record(cli, store, tmp_path: Path):
    make_orgs(store)
    plan = {
        "vrf": "egov",
        "root": CITY,
        "headroom": 0,
        "ipv4": {
            "pool": "10.64.0.0/12",
            "needs": {"county": {"office": 100, "mgmt": 20}, "town": {"office": 50, "mgmt": 10}},
        },
    }
    plan_file = tmp_path / "plan.yaml"
    plan_file.write_text(yaml.safe_dump(plan, allow_unicode=True), encoding="utf-8")
    cli.ok("ipam", "plan", str(plan_file), "--apply")
    cli.ok("ipam", "pool", "add", "172.16.0.0/16", "--org", "河源市", "-D", "城域网")
    cli.ok("ipam", "add", "172.16.1.0/24", "--org", "源城区", "-P", "office", "-D", "办公")
    cli.ok(
        "ipam", "alloc", "--from", "172.16.0.0/16", "--for", "紫金县", "-s", "/25", "-P", "video"
    )
    doc = {
        "vrfs": [{"name": "video", "rd": "65000:20", "description": None}],
        "prefixes": [
            {
                "vrf": "video",
                "prefix": "192.168.0.0/16",
                "pool": True,
                "status": "container",
                "org_code": CITY,
                "description": "视频专网",
            }
        ],
    }
    doc_file = tmp_path / "more.json"
    doc_file.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    cli.ok("ipam", "import", str(doc_file))

    exported = {(p["vrf"], p["prefix"]): p for p in transfer.export(store)["prefixes"]}
    county_block = next(
        p["prefix"]
        for p in exported.values()
        if p["org_path"] == "河源市/源城区" and p["purpose"] is None and p["vrf"] == "egov"
    )
    made = {
        "plan pool": ("egov", "10.64.0.0/12"),
        "plan block": ("egov", county_block),
        "pool add": ("egov", "172.16.0.0/16"),
        "add": ("egov", "172.16.1.0/24"),
        "alloc": ("egov", "172.16.0.0/25"),
        "import": ("video", "192.168.0.0/16"),
    }
    records = {how: added(store, prefix) for how, (_, prefix) in made.items()}
    for how, record in records.items():
        # Same keys …
        assert list(record) == sorted(space.PREFIX_FIELDS), how
        # … and the same meaning: what the prefix is, as the export shows it.
        assert record == exported[made[how]], how
    assert records["plan pool"]["pool"] is True and records["plan block"]["pool"] is False
    assert records["alloc"]["org_level"] == "county"
    assert records["add"]["description"] == "办公"
    assert records["import"]["org_path"] == "河源市"
