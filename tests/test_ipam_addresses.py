"""Single addresses: ip next / assign / release / list, library and CLI, both backends."""

from __future__ import annotations

import pytest
from conftest import one_line_error
from ipam_helpers import rows, snapshot

from infra.errors import Conflict, InvalidInput, NotFound
from ipam import addresses, space
from ipam.space import PrefixExhausted


def nxt(store, cidr: str, count: int = 1, **kw) -> list[str]:
    return [r["address"] for r in addresses.next_free(store, cidr, count=count, **kw)]


@pytest.fixture
def nets(store):
    space.add(store, "10.0.0.0/16", status="container", pool=True)
    space.add(store, "2001:db8::/48", status="container", pool=True)
    space.add(store, "10.0.1.0/24", purpose="office")
    space.add(store, "10.0.2.0/29")
    space.add(store, "2001:db8:0:1::/64")
    return store


def test_next_skips_network_gateway_and_broadcast(nets):
    assert nxt(nets, "10.0.1.0/24") == ["10.0.1.2"]
    assert nxt(nets, "10.0.1.0/24", 3, hostname="web") == ["10.0.1.3", "10.0.1.4", "10.0.1.5"]
    # A /29 has .1 (gateway) to .6: five addresses for hosts, then none.
    assert nxt(nets, "10.0.2.0/29", 5) == [f"10.0.2.{i}" for i in range(2, 7)]
    before = snapshot(nets)
    with pytest.raises(PrefixExhausted, match="10.0.2.0/29 has no free address left"):
        nxt(nets, "10.0.2.0/29")
    assert snapshot(nets) == before


def test_next_is_all_or_none(nets):
    nxt(nets, "10.0.2.0/29", 3)
    before = snapshot(nets)
    with pytest.raises(PrefixExhausted):
        nxt(nets, "10.0.2.0/29", 3)
    assert snapshot(nets) == before
    assert nxt(nets, "10.0.2.0/29", 2) == ["10.0.2.5", "10.0.2.6"]


def test_next_fills_holes_lowest_first(nets):
    nxt(nets, "10.0.1.0/24", 3)  # .2 .3 .4
    addresses.assign(nets, "10.0.1.6", "printer")
    addresses.release(nets, "10.0.1.3")
    assert nxt(nets, "10.0.1.0/24", 3) == ["10.0.1.3", "10.0.1.5", "10.0.1.7"]


def test_ipv6_first_address_is_1(nets):
    # ::0 is the subnet-router anycast address (RFC 4291).
    assert nxt(nets, "2001:db8:0:1::/64", 2) == ["2001:db8:0:1::1", "2001:db8:0:1::2"]


def test_point_to_point_blocks_use_every_address(nets):
    space.add(nets, "10.0.3.0/31")  # RFC 3021
    space.add(nets, "10.0.3.4/32")
    space.add(nets, "2001:db8:0:2::/127")  # RFC 6164: no subnet-router anycast on a /127
    space.add(nets, "2001:db8:0:3::5/128")
    space.add(nets, "10.0.3.8/30")
    assert nxt(nets, "10.0.3.0/31", 2) == ["10.0.3.0", "10.0.3.1"]
    assert nxt(nets, "10.0.3.4/32") == ["10.0.3.4"]
    assert nxt(nets, "2001:db8:0:2::/127", 2) == ["2001:db8:0:2::", "2001:db8:0:2::1"]
    assert nxt(nets, "2001:db8:0:3::5/128") == ["2001:db8:0:3::5"]
    assert nxt(nets, "10.0.3.8/30") == ["10.0.3.10"]  # .9 is the gateway
    with pytest.raises(PrefixExhausted):
        nxt(nets, "10.0.3.8/30")


def test_assign_records_in_the_most_specific_prefix(nets):
    space.add(nets, "10.0.1.128/25", purpose="video")
    out = addresses.assign(nets, "10.0.1.200", "cam-01", "东门", status="reserved")
    assert out == {
        "vrf": "egov",
        "address": "10.0.1.200",
        "prefix": "10.0.1.128/25",
        "hostname": "cam-01",
        "description": "东门",
        "status": "reserved",
    }
    assert addresses.assign(nets, "10.0.2.1", "gw")["prefix"] == "10.0.2.0/29"
    assert addresses.assign(nets, "2001:db8:0:1::53/128")["address"] == "2001:db8:0:1::53"
    before = snapshot(nets)
    for ip, error, message in [
        ("10.0.1.200", Conflict, r"already assigned \(cam-01\)"),
        ("10.0.2.0", InvalidInput, "network address of 10.0.2.0/29"),
        ("10.0.2.7", InvalidInput, "broadcast address of 10.0.2.0/29"),
        ("10.0.1.1", Conflict, "10.0.1.0/24 is divided into 1 prefixes"),
        ("10.0.1.255", InvalidInput, "broadcast address of 10.0.1.128/25"),
        ("10.9.0.1", NotFound, "no prefix in VRF egov holds 10.9.0.1"),
        ("10.0.5.1", Conflict, "10.0.0.0/16 is a pool"),
        ("10.0.1.300", InvalidInput, "not a valid IP address"),
    ]:
        with pytest.raises(error, match=message):
            addresses.assign(nets, ip)
    with pytest.raises(InvalidInput, match="status 'gone'"):
        addresses.assign(nets, "10.0.1.9", status="gone")
    assert snapshot(nets) == before
    # A block divided into prefixes hands out addresses only through them.
    space.add(nets, "10.0.4.0/24", status="container")
    space.add(nets, "10.0.4.0/26")
    with pytest.raises(Conflict, match="10.0.4.0/24 is a container"):
        nxt(nets, "10.0.4.0/24")
    with pytest.raises(Conflict, match="divided into 1 prefixes"):
        nxt(nets, "10.0.1.0/24")
    with pytest.raises(Conflict, match="10.0.4.0/24 is a container"):
        addresses.assign(nets, "10.0.4.100")


def test_addresses_follow_a_new_sub_prefix(nets):
    addresses.assign(nets, "10.0.1.130", "a")
    addresses.assign(nets, "10.0.1.10", "b")
    space.add(nets, "10.0.1.128/26")
    listed = {r["address"]: r["prefix"] for r in addresses.of_block(nets, "10.0.1.0/24")}
    assert listed == {"10.0.1.10": "10.0.1.0/24", "10.0.1.130": "10.0.1.128/26"}


def test_same_address_in_two_vrfs(nets):
    space.add_vrf(nets, "video")
    space.add(nets, "10.0.0.0/16", status="container", vrf="video", pool=True)
    space.add(nets, "10.0.1.0/24", vrf="video")
    addresses.assign(nets, "10.0.1.50", "egov-host")
    addresses.assign(nets, "10.0.1.50", "video-host", vrf="video")
    assert [r["hostname"] for r in addresses.of_block(nets, "10.0.1.0/24", vrf="video")] == [
        "video-host"
    ]
    addresses.release(nets, "10.0.1.50", vrf="video")
    assert [r["hostname"] for r in addresses.of_block(nets, "10.0.1.0/24")] == ["egov-host"]
    assert addresses.of_block(nets, "10.0.1.0/24", vrf="video") == []


def test_release_and_list(nets):
    nxt(nets, "10.0.1.0/24", 3, hostname="h")
    nxt(nets, "10.0.2.0/29", 1)
    got = addresses.release(nets, "10.0.1.3")
    assert (got["address"], got["hostname"]) == ("10.0.1.3", "h")
    with pytest.raises(NotFound, match="10.0.1.3 is not assigned in VRF egov"):
        addresses.release(nets, "10.0.1.3")
    listed = addresses.of_block(nets, "10.0.0.0/22")
    assert [r["address"] for r in listed] == ["10.0.1.2", "10.0.1.4", "10.0.2.2"]
    assert [r["prefix"] for r in listed] == ["10.0.1.0/24", "10.0.1.0/24", "10.0.2.0/29"]
    assert len(rows(nets, "SELECT * FROM ip_address")) == 3


# -- the CLI ---------------------------------------------------------------


def test_cli_ip_commands(cli, store):
    cli.ok("ipam", "pool", "add", "10.64.0.0/16")
    cli.ok("ipam", "pool", "add", "2001:db8::/48")
    cli.ok("ipam", "add", "10.64.16.0/24")
    cli.ok("ipam", "add", "2001:db8:0:10::/64")
    first = cli.ok("ipam", "ip", "next", "10.64.16.0/24", "--hostname", "zw-web-01")
    assert first.stdout == "10.64.16.2\n"
    got = cli.json("ipam", "ip", "next", "10.64.16.0/24", "-n", "2", "-H", "zw-web")
    assert [r["address"] for r in got] == ["10.64.16.3", "10.64.16.4"]
    assert cli.ok("ipam", "ip", "next", "2001:db8:0:10::/64").stdout == "2001:db8:0:10::1\n"
    result = cli.ok("ipam", "ip", "assign", "10.64.16.1", "--hostname", "gw-yuancheng")
    assert result.stdout == "" and "assigned 10.64.16.1 in 10.64.16.0/24" in result.stderr
    listed = cli.json("ipam", "ip", "list", "10.64.16.0/24")
    assert [(r["address"], r["hostname"]) for r in listed] == [
        ("10.64.16.1", "gw-yuancheng"),
        ("10.64.16.2", "zw-web-01"),
        ("10.64.16.3", "zw-web"),
        ("10.64.16.4", "zw-web"),
    ]
    released = cli.ok("ipam", "ip", "release", "10.64.16.3")
    assert "released 10.64.16.3" in released.stderr
    assert [r["address"] for r in addresses.of_block(store, "10.64.16.0/24")] == [
        "10.64.16.1",
        "10.64.16.2",
        "10.64.16.4",
    ]
    before = snapshot(store)
    one_line_error(cli("ipam", "ip", "assign", "10.64.16.2"), "already assigned (zw-web-01)")
    one_line_error(cli("ipam", "ip", "assign", "10.64.16.255"), "broadcast address")
    one_line_error(cli("ipam", "ip", "assign", "10.64.16.256"), "not a valid IP address")
    one_line_error(cli("ipam", "ip", "release", "10.64.16.3"), "not assigned")
    one_line_error(cli("ipam", "ip", "next", "10.64.0.0/16"), "is a pool")
    one_line_error(cli("ipam", "ip", "next", "10.64.17.0/24"), "no prefix 10.64.17.0/24")
    one_line_error(cli("ipam", "ip", "next", "10.64.16.0/24", "--vrf", "nosuch"), "no VRF")
    assert snapshot(store) == before
    assert cli("ipam", "ip", "next", "10.64.16.0/24", "-n", "0").exit_code == 2
    assert cli("ipam", "ip", "next", "10.64.16.0/24", "-n", "x").exit_code == 2
    assert cli("ipam", "ip", "assign").exit_code == 2


def test_hostnames_and_descriptions_are_one_bounded_line(nets):
    """What `ip assign` and `ip next` take is what an import takes: text of at most
    200 characters, no control characters."""
    before = snapshot(nets)
    for hostname, description, message in [
        ("web\nevil", None, r"hostname 'web\\nevil' holds a control character"),
        ("h" * 201, None, "hostname 'h{20}'… is longer than 200 characters"),
        ("web", "a\u2028b", r"description 'a\\u2028b' holds a control character"),
        ("web", "\x1b[2J", "description .* holds a control character"),
        (7, None, "hostname must be text, not int"),
    ]:
        with pytest.raises(InvalidInput, match=message):
            addresses.assign(nets, "10.0.1.9", hostname, description)
        with pytest.raises(InvalidInput, match=message):
            addresses.next_free(nets, "10.0.1.0/24", hostname, description)
    with pytest.raises(InvalidInput, match="status 'bogus'"):
        addresses.check_status("bogus")
    assert snapshot(nets) == before
    assert addresses.assign(nets, "10.0.1.9", "政" * 200)["hostname"] == "政" * 200


def test_scoped_and_non_ascii_addresses_are_refused(cli, store):
    cli.ok("ipam", "pool", "add", "10.64.0.0/16")
    cli.ok("ipam", "pool", "add", "fe80::/10")
    cli.ok("ipam", "add", "10.64.16.0/24")
    before = snapshot(store)
    for ip, fragment in [
        ("fe80::1%eth0", "fe80::1%eth0: a zone index (%eth0) has no place in an address plan"),
        ("10.64.16.٥", "'10.64.16.٥' is not an IP address: only ASCII"),
        ("10.64. 16.5", "'10.64. 16.5' is not an IP address: it has a space inside"),
        ("1" * 100, "is too long to be an IP address"),
    ]:
        one_line_error(cli("ipam", "ip", "assign", ip), fragment)
    assert snapshot(store) == before
