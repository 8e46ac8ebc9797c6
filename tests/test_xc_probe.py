"""`govops xc probe` against real sshd on loopback (tests/sshd.py), on SQLite and
PostgreSQL.

The machine probed is this one: its real files come back over SSH and are
classified. For a domestic machine the sshd runs in its own mount namespace with
a Kylin os-release and a Hygon (x86) or Kunpeng (ARM) cpuinfo bind-mounted over
the real ones; everything else it serves (uname, ps, ss) is this machine's own.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import Cli, one_line_error
from sshd import (
    Sshd,
    SshdPool,
    closed_port,
    fixture_client_key,  # noqa: F401
    fixture_sshd_pool,  # noqa: F401
    keygen,
)

from infra.xc import probe as xc_probe
from infra.xc.classify import classify

KYLIN_OS_RELEASE = """\
NAME="Kylin Linux Advanced Server"
VERSION="V10 (Lance)"
ID="kylin"
VERSION_ID="V10"
PRETTY_NAME="Kylin Linux Advanced Server V10 (Lance)"
ANSI_COLOR="0;31"
"""
HYGON_CPUINFO = """\
processor\t: 0
vendor_id\t: HygonGenuine
cpu family\t: 24
model\t\t: 2
model name\t: Hygon C86 7285 32-core Processor
stepping\t: 2
flags\t\t: fpu vme de pse tsc msr pae mce cx8 apic sep

processor\t: 1
vendor_id\t: HygonGenuine
cpu family\t: 24
model name\t: Hygon C86 7285 32-core Processor
"""
KUNPENG_CPUINFO = """\
processor\t: 0
BogoMIPS\t: 200.00
Features\t: fp asimd evtstrm aes pmull sha1 sha2 crc32 atomics fphp asimdhp cpuid
CPU implementer\t: 0x48
CPU architecture: 8
CPU variant\t: 0x1
CPU part\t: 0xd01
CPU revision\t: 0
"""
TIMEOUT = "60"  # for hosts that answer, on a loaded machine


def local_files() -> dict[str, str]:
    """This machine's files, read here directly (not over SSH)."""
    files = {"uname-m": os.uname().machine + "\n"}
    for key, path in (("cpuinfo", "/proc/cpuinfo"), ("os-release", "/etc/os-release")):
        files[key] = Path(path).read_text()
    for key in ("kylin-release", "os-version", "lsb-release"):
        p = Path("/etc") / key
        if p.exists():
            files[key] = p.read_text()
    return files


def local_families() -> tuple[str, str]:
    found = classify(local_files())
    assert found.cpu_family and found.os_family
    return found.cpu_family, found.os_family


def setup_ledger(cli: Cli, assets: list[tuple[str, str, str, str]], dept: str = "YC-CZ") -> None:
    """Assets (serial, host, cpu, os) of one department, SSH user root."""
    cli.ok("dept", "add", f"部门{dept}", "--code", dept)
    for serial, host, cpu, os_family in assets:
        cli.ok(
            "xc", "asset", "add", "--kind", "server", "--dept", dept, "--serial", serial,
            "--cpu", cpu, "--os", os_family, "--host", host, "--ssh-user", "root",
        )  # fmt: skip


def probe(cli: Cli, client_key: Path, known: Path, port: int, *args: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = cli.json(
        "xc", "probe", *args, "--port", str(port), "--key", str(client_key),
        "--known-hosts", str(known), "--timeout", TIMEOUT,
    )  # fmt: skip
    return rows


def known_hosts_for(path: Path, *servers: Sshd) -> Path:
    path.write_text("".join(line + "\n" for s in servers for line in s.known_hosts_lines()))
    return path


def report(cli: Cli, *args: str) -> dict[str, dict[str, Any]]:
    return {r["serial"]: r for r in cli.json("xc", "probe", "--report", *args)}


@pytest.fixture
def domestic(tmp_path: Path) -> dict[str, Path]:
    """Files that make this machine a Kylin server on a domestic CPU of its own
    architecture (Hygon on x86_64, Kunpeng on aarch64)."""
    arch = os.uname().machine
    if arch not in ("x86_64", "aarch64"):
        pytest.skip(f"no domestic cpuinfo sample for {arch}")
    osr = tmp_path / "kylin-os-release"
    osr.write_text(KYLIN_OS_RELEASE)
    cpu = tmp_path / "domestic-cpuinfo"
    cpu.write_text(HYGON_CPUINFO if arch == "x86_64" else KUNPENG_CPUINFO)
    return {"/etc/os-release": osr, "/proc/cpuinfo": cpu}


@pytest.fixture
def dmserver() -> Iterator[None]:
    """A process whose command line names DM's server, as the catalogue knows it."""
    proc = subprocess.Popen(["bash", "-c", "exec -a /opt/dmdbms/bin/dmserver sleep 600"])
    try:
        yield
    finally:
        proc.kill()
        proc.wait()


def test_this_machine_is_read_and_judged(
    cli: Cli, sshd_pool: SshdPool, client_key: Path, tmp_path: Path, dmserver: None
) -> None:
    [server] = sshd_pool.start(2)
    real_cpu, real_os = local_families()
    wrong_cpu = "kunpeng" if real_cpu != "kunpeng" else "phytium"
    setup_ledger(
        cli,
        [
            ("SN-KP", server.hosts[0], wrong_cpu, "kylin"),
            ("SN-REAL", server.hosts[1], real_cpu, real_os),
        ],
    )
    known = known_hosts_for(tmp_path / "known_hosts", server)
    rows = {r["serial"]: r for r in probe(cli, client_key, known, server.port, "--all")}
    assert set(rows) == {"SN-KP", "SN-REAL"}
    kp = rows["SN-KP"]
    # What was found and what the ledger says, side by side.
    assert (kp["cpu_family"], kp["os_family"]) == (real_cpu, real_os)
    assert (kp["ledger_cpu"], kp["ledger_os"]) == (wrong_cpu, "kylin")
    assert kp["outcome"] == "mismatch" and kp["reason"]
    assert kp["host_key_trust"] == "known"
    assert "dm" in kp["stacks"]
    # This machine is not domestic unless it is: the verdict follows what it is.
    real = rows["SN-REAL"]
    domestic_here = classify(local_files()).domestic
    assert real["outcome"] == ("compliant" if domestic_here else "mismatch")

    stored = report(cli)
    assert set(stored) == {"SN-KP", "SN-REAL"}
    evidence = stored["SN-KP"]["evidence"]
    assert evidence["files"]["os-release"] == Path("/etc/os-release").read_text()
    assert evidence["files"]["uname-m"] == os.uname().machine + "\n"
    local_cpus = sum(
        line.startswith("processor") for line in Path("/proc/cpuinfo").read_text().splitlines()
    )
    assert evidence["processors"] == local_cpus
    dm = next(s for s in evidence["stacks"] if s["id"] == "dm")
    assert dm["processes"] == ["dmserver"]
    assert stored["SN-KP"]["classification"]["cpu_family"] == real_cpu
    assert stored["SN-KP"]["host_key"].startswith("ssh-ed25519 SHA256:")


def test_a_domestic_machine_matching_the_ledger_is_compliant(
    cli: Cli,
    sshd_pool: SshdPool,
    client_key: Path,
    tmp_path: Path,
    domestic: dict[str, Path],
) -> None:
    [server] = sshd_pool.start(3, overlay=domestic)
    cpu = "hygon" if os.uname().machine == "x86_64" else "kunpeng"
    other_cpu = "phytium"
    setup_ledger(
        cli,
        [
            ("SN-OK", server.hosts[0], cpu, "kylin"),
            ("SN-CPU", server.hosts[1], other_cpu, "kylin"),
            ("SN-OS", server.hosts[2], cpu, "uos"),
        ],
    )
    known = known_hosts_for(tmp_path / "known_hosts", server)
    rows = {r["serial"]: r for r in probe(cli, client_key, known, server.port, "--dept", "YC-CZ")}
    assert rows["SN-OK"]["outcome"] == "compliant", rows["SN-OK"]
    assert rows["SN-OK"]["reason"] is None
    assert (rows["SN-OK"]["cpu_family"], rows["SN-OK"]["os_family"]) == (cpu, "kylin")
    assert rows["SN-CPU"]["outcome"] == "mismatch"
    assert rows["SN-CPU"]["reason"] == f"the CPU is {cpu}, the ledger says {other_cpu}"
    assert rows["SN-OS"]["outcome"] == "mismatch"
    assert rows["SN-OS"]["reason"] == "the OS is kylin, the ledger says uos"
    assert report(cli)["SN-OK"]["classification"]["os_name"] == (
        "Kylin Linux Advanced Server V10 (Lance)"
    )


def test_nothing_listening_is_unreachable(cli: Cli, client_key: Path, tmp_path: Path) -> None:
    setup_ledger(cli, [("SN-DOWN", "127.0.0.8", "kunpeng", "kylin")])
    port = closed_port("127.0.0.8")
    [row] = probe(cli, client_key, tmp_path / "known_hosts", port, "SN-DOWN")
    assert row["outcome"] == "unreachable"
    assert row["reason"] == f"[127.0.0.8]:{port}: connection refused"
    assert report(cli)["SN-DOWN"]["outcome"] == "unreachable"


def test_unknown_key_refused_then_trusted_and_audited(
    cli: Cli, sshd_pool: SshdPool, client_key: Path, tmp_path: Path
) -> None:
    [server] = sshd_pool.start(1)
    setup_ledger(cli, [("SN-NEW", server.hosts[0], "kunpeng", "kylin")])
    known = tmp_path / "known_hosts"
    [refused] = probe(cli, client_key, known, server.port, "SN-NEW")
    assert refused["outcome"] == "unreachable"
    assert "not in" in refused["reason"] and refused["host_key_trust"] == "refused-unknown"
    assert not known.exists()

    [trusted] = probe(cli, client_key, known, server.port, "SN-NEW", "--trust-new")
    assert trusted["outcome"] == "mismatch"  # reached: this machine is no Kunpeng/Kylin pair
    assert trusted["host_key_trust"] == "trusted-new"
    assert server.host_key_line in known.read_text()
    [audit] = cli.json("audit", "list", "--action", "xc.probe.trust-host-key")
    assert audit["object_ref"] == f"[{server.hosts[0]}]:{server.port}"
    assert audit["after"]["serial"] == "SN-NEW"
    assert audit["after"]["known_hosts"] == str(known)
    assert audit["after"]["host_key"] == trusted["host_key"]

    [again] = probe(cli, client_key, known, server.port, "SN-NEW")
    assert again["host_key_trust"] == "known"
    assert len(cli.json("audit", "list", "--action", "xc.probe.trust-host-key")) == 1


def test_changed_key_refused_even_with_trust_new(
    cli: Cli, sshd_pool: SshdPool, client_key: Path, tmp_path: Path
) -> None:
    [server] = sshd_pool.start(1)
    setup_ledger(cli, [("SN-MITM", server.hosts[0], "kunpeng", "kylin")])
    other = keygen(tmp_path / "old_host_key")
    kind, blob = other.with_suffix(".pub").read_text().split()[:2]
    known = tmp_path / "known_hosts"
    known.write_text(f"[{server.hosts[0]}]:{server.port} {kind} {blob}\n")
    [row] = probe(cli, client_key, known, server.port, "SN-MITM", "--trust-new")
    assert row["outcome"] == "unreachable"
    assert "HOST KEY CHANGED" in row["reason"]
    assert row["host_key_trust"] == "refused-changed"
    assert known.read_text().count("\n") == 1
    assert cli.json("audit", "list", "--action", "xc.probe.trust-host-key") == []


def test_which_assets_must_be_said(cli: Cli) -> None:
    setup_ledger(cli, [("SN-1", "127.0.0.8", "kunpeng", "kylin")])
    one_line_error(cli("xc", "probe"), "say which assets to probe")
    one_line_error(cli("xc", "probe", "SN-1", "--all"), "say which assets to probe")
    one_line_error(cli("xc", "probe", "SN-NONE"), "SN-NONE")
    assert cli("xc", "probe", "--all", "--parallel", "0").exit_code == 2


@pytest.mark.parametrize(
    ("text", "ports"),
    [
        ("#ss\nLISTEN 0 128 0.0.0.0:22 0.0.0.0:*\nLISTEN 0 4096 [::]:5236 [::]:*\n", [22, 5236]),
        (
            "#proc\n   0: 00000000:0016 00000000:0000 0A 00000000:00000000 00:00000000 0\n"
            "   1: 0100007F:1470 00000000:0000 0A 0\n"
            "   2: 0100007F:D3A2 0100007F:0016 01 0\n",
            [22, 5232],
        ),
        ("", []),
        ("#ss\ngarbage\n", []),
    ],
)
def test_listening_ports_from_ss_and_proc(text: str, ports: list[int]) -> None:
    assert xc_probe.listening_ports(text) == ports
