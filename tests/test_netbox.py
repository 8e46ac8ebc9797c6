"""NetBox bulk-import CSV: NetBox's own column names, statuses mapped to NetBox's,
org unit → tenant, purpose → role; on both backends."""

from __future__ import annotations

import csv
import io

from test_ipam_transfer import build

from ipam import ledger


def table(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_prefix_columns_and_statuses(cli, store):
    build(cli, store)
    text = cli.ok("ipam", "export", "--format", "netbox-csv").stdout
    assert text.splitlines()[0] == ("prefix,vrf,status,tenant,role,is_pool,description,comments")
    rows = table(text)
    assert len(rows) == 15
    by = {(r["vrf"], r["prefix"]): r for r in rows}
    assert by[("egov", "10.64.0.0/12")]["status"] == "container"  # a pool
    assert by[("egov", "10.64.0.0/12")]["is_pool"] == "true"
    assert by[("egov", "10.64.0.0/12")]["tenant"] == "河源市"
    assert by[("egov", "10.64.0.0/16")]["status"] == "active"  # allocated to a county
    assert by[("egov", "10.64.0.0/16")]["tenant"] == "源城区"
    office = by[("egov", "10.64.0.0/24")]
    assert (office["status"], office["tenant"], office["role"]) == ("active", "上城街道", "office")
    assert office["description"] == 'A, "B" 楼'
    assert by[("egov", "10.79.255.0/24")]["status"] == "reserved"
    held = by[("egov", "10.65.0.0/20")]
    assert held["status"] == "deprecated"
    assert held["comments"].startswith("quarantined until ")
    assert by[("video", "10.64.1.0/24")]["role"] == "camera"
    assert by[("video", "10.64.1.0/24")]["tenant"] == ""
    assert {r["status"] for r in rows} <= {"active", "container", "reserved", "deprecated"}
    assert set(ledger.NETBOX_PREFIX_STATUS) == {"allocated", "container", "reserved", "quarantine"}


def test_address_columns(cli, store, tmp_path):
    build(cli, store)
    path = tmp_path / "ips.csv"
    cli.ok("ipam", "export", "-f", "netbox-csv", "--what", "addresses", "-o", str(path))
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == "address,vrf,status,tenant,dns_name,description"
    rows = table(text)
    assert [r["address"] for r in rows] == [
        "10.64.0.1/24",
        "10.64.0.2/24",
        "10.64.0.3/24",
        "2001:db8::1/64",
        "10.64.1.9/24",
    ]
    web = rows[1]
    assert (web["vrf"], web["status"], web["tenant"], web["dns_name"]) == (
        "egov",
        "active",
        "上城街道",
        "zw-web",
    )
    assert web["description"] == "政务网站"
    assert rows[4]["vrf"] == "video" and rows[4]["dns_name"] == "cam-9"


def test_tenant_names_are_unique(store):
    from ipam_helpers import make_orgs

    make_orgs(store)
    tenants = store.read(ledger._tenants)
    assert len(set(tenants.values())) == len(tenants)


def test_bad_what_is_a_usage_error(cli):
    assert cli("ipam", "export", "-f", "netbox-csv", "--what", "vlans").exit_code == 2
