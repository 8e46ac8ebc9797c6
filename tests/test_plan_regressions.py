"""Planner regressions found in passing."""

from __future__ import annotations

import yaml
from conftest import SAMPLE
from ipam_helpers import rows

from ipam import views


def test_a_unit_with_one_purpose_and_no_children_applies(cli, store, tmp_path):
    cli.ok("org", "import", str(SAMPLE))
    spec = {
        "root": "河源市",
        "headroom": 0,
        "ipv4": {"pool": "10.64.0.0/10", "needs": {"county": {"office": 100}}},
    }
    path = tmp_path / "plan.yaml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    cli.ok("ipam", "pool", "add", "10.64.0.0/10", "--org", "河源市")
    result = cli("ipam", "plan", str(path), "--apply")
    assert result.exit_code == 0, result.stderr
    assert "internal error" not in result.stderr
    # Each county: its block, and inside it (not as it) its office subnet.
    offices = rows(
        store,
        "SELECT p.cidr, q.purpose AS parent_purpose, q.org_id = p.org_id AS same_unit"
        " FROM prefix p JOIN prefix q ON q.id = p.parent_id WHERE p.purpose = 'office'",
    )
    counties = rows(store, "SELECT id FROM org_unit WHERE level = 'county'")
    assert len(offices) == len(counties) > 0
    assert all(o["parent_purpose"] is None and o["same_unit"] for o in offices)
    assert [p for p in views.check(store) if p["severity"] == "error"] == []


def test_a_unit_whose_one_child_fills_it_still_holds_it(cli, store, tmp_path):
    cli.ok("org", "add", "测试市", "--level", "city", "--code", "449900000000")
    cli.ok("org", "add", "测试县", "--level", "county", "--parent", "449900", "--code", "449901")
    cli.ok("org", "add", "测试镇", "--level", "town", "--parent", "449901", "--code", "449901001")
    cli.ok(
        "org", "add", "测试村", "--level", "village", "--parent", "449901001",
        "--code", "449901001001",
    )  # fmt: skip
    spec = {
        "root": "测试市",
        "headroom": 0,
        "ipv4": {"pool": "10.99.0.0/16", "needs": {"village": {"office": 28}}},
    }
    path = tmp_path / "plan.yaml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    cli.ok("ipam", "pool", "add", "10.99.0.0/16", "--org", "测试市")
    cli.ok("ipam", "plan", str(path), "--apply")
    blocks = {
        r["level"]: r["plen"]
        for r in rows(
            store,
            "SELECT o.level, p.plen FROM prefix p JOIN org_unit o ON o.id = p.org_id"
            " WHERE p.purpose IS NULL AND p.is_pool = 0",
        )
    }
    # village /27 around its /27 office subnet would be the same prefix: each tier one bit up
    assert blocks == {"village": 26, "town": 25, "county": 24}
    assert [p for p in views.check(store) if p["severity"] == "error"] == []
