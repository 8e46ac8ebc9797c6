"""The ports a business system serves: declared on add or later, normalised, audited;
bad lists refused in one line with nothing written."""

from __future__ import annotations

import pytest
from conftest import Cli, one_line_error
from test_cloud_setup import FIN, POLICE, build

from infra.cloud import checks, systems
from infra.errors import InvalidInput
from infra.store import Store


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("443", "443/tcp"),
        ("8443/TCP, 443/tcp,53/udp,443", "53/udp,443/tcp,8443/tcp"),
        (["22/tcp", "22"], "22/tcp"),
        ("none", None),
        ("", None),
        (None, None),
    ],
)
def test_ports_are_normalised(given, kept):
    assert checks.ports(given) == kept


@pytest.mark.parametrize(
    "bad", ["0", "65536", "443/sctp", "http", "443/tcp,,80", "٤٤٣", "1-100", "443/tcp\n22"]
)
def test_bad_ports_are_refused(bad):
    with pytest.raises(InvalidInput, match="port"):
        checks.ports(bad)


def test_declared_on_add_and_replaced(store):
    build(store)
    out = systems.add(store, "政务服务网", "HY-GA", ports=["443/tcp", "8080"])
    assert out["ports"] == ["443/tcp", "8080/tcp"]
    assert systems.show(store, FIN)["ports"] == []
    after = systems.set_ports(store, FIN, "8443/tcp,443/tcp")
    assert after["ports"] == ["443/tcp", "8443/tcp"]
    row = store.read(
        lambda tx: tx.one(
            "SELECT before, after FROM audit WHERE action = ? ORDER BY id DESC",
            ("cloud.system.ports",),
        )
    )
    assert '"ports": []' in row["before"] and "8443/tcp" in row["after"]
    assert systems.set_ports(store, FIN, "none")["ports"] == []


def test_cli_set_ports(cli: Cli):
    with Store(cli.db) as store:
        build(store)
    assert cli.json("cloud", "system", "set-ports", POLICE, "443,22/tcp")["ports"] == [
        "22/tcp",
        "443/tcp",
    ]
    one_line_error(cli("cloud", "system", "set-ports", POLICE, "443/icmp"), "PORT/tcp|udp")
    assert cli.json("cloud", "system", "show", POLICE)["ports"] == ["22/tcp", "443/tcp"]
