"""playbooks/drill/block.yml on the real kernel firewall, inside network namespaces.

Each scenario makes a target namespace (where the playbook runs, the way
`govops drill block` runs it on a host: local connection, as root) and an attacker
namespace, joined by a veth pair. A TCP listener in the target and connects from
the attacker's addresses show what the firewall really drops. The root namespace's
firewall is never touched. Needs root, `ip netns`, nft and iptables: skipped
without them, failed under CI=true.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
PLAYBOOK = ROOT / "playbooks" / "drill" / "block.yml"
PORT = 8022
TARGET4, TARGET6 = "192.0.2.1", "2001:db8::1"
BAD4, GOOD4, BAD6, GOOD6 = "192.0.2.66", "192.0.2.77", "2001:db8::66", "2001:db8::77"
ATTACKERS = [BAD4, GOOD4, BAD6, GOOD6]
# Two attackers seen in the probes, and an overlapping network and address that an
# interval set would refuse together.
BLOCK = [BAD4, BAD6, "198.51.100.0/24", "198.51.100.7"]
MAC_TARGET, MAC_ATTACKER = "02:00:00:00:00:01", "02:00:00:00:00:02"

LISTEN = r"""
import selectors, socket, sys
port = int(sys.argv[1])
sel = selectors.DefaultSelector()
for family, host in ((socket.AF_INET, sys.argv[2]), (socket.AF_INET6, sys.argv[3])):
    s = socket.socket(family)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((host, port))
    s.listen(64)
    sel.register(s, selectors.EVENT_READ)
print("ready", flush=True)
while True:
    for key, _ in sel.select():
        conn, _ = key.fileobj.accept()
        conn.close()
"""

PROBE = r"""
import concurrent.futures, json, socket, sys
port, timeout, pairs = int(sys.argv[1]), float(sys.argv[2]), json.loads(sys.argv[3])
def probe(pair):
    src, dst = pair
    with socket.socket(socket.AF_INET6 if ":" in src else socket.AF_INET) as s:
        s.settimeout(timeout)
        s.bind((src, 0))
        try:
            s.connect((dst, port))
            return "open"
        except TimeoutError:
            return "dropped"
        except OSError as e:
            return f"error: {e}"
with concurrent.futures.ThreadPoolExecutor(len(pairs)) as pool:
    print(json.dumps(dict(zip([p[0] for p in pairs], pool.map(probe, pairs)))))
"""


def _no_netns(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: the firewall tests must run)")
    pytest.skip(reason)


def _require(*tools: str) -> None:
    if os.geteuid() != 0:
        _no_netns("the drill block tests change a firewall: they need root")
    for tool in ("ip", *tools):
        if shutil.which(tool) is None:
            _no_netns(f"no {tool} (apt-get install iproute2 nftables iptables)")


def _ansible_playbook() -> str:
    beside = Path(sys.executable).parent / "ansible-playbook"
    found = str(beside) if beside.exists() else shutil.which("ansible-playbook")
    if found is None:
        pytest.fail("no ansible-playbook (pip install -e .)")
    return found


def _run(
    *argv: str, check: bool = True, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(argv, input=stdin, capture_output=True, text=True, timeout=60)
    if check and done.returncode != 0:
        raise AssertionError(f"{' '.join(argv)}: {done.stderr.strip()}")
    return done


@dataclass
class Play:
    """One ansible-playbook run: its exit code, output and the block task's report."""

    rc: int
    changed: bool
    report: dict[str, Any]
    output: str


@dataclass
class Pair:
    target: str
    attacker: str
    home: Path

    def sh(
        self, *argv: str, check: bool = True, stdin: str | None = None
    ) -> subprocess.CompletedProcess[str]:
        """Run a command in the target namespace."""
        return _run("ip", "netns", "exec", self.target, *argv, check=check, stdin=stdin)

    def probe(self) -> dict[str, str]:
        """open or dropped, for a connect from each attacker address to the target."""
        pairs = [[a, TARGET6 if ":" in a else TARGET4] for a in ATTACKERS]
        done = _run(
            "ip", "netns", "exec", self.attacker, sys.executable, "-c", PROBE,
            str(PORT), "1.0", json.dumps(pairs),
        )  # fmt: skip
        result: dict[str, str] = json.loads(done.stdout)
        return result

    def play(
        self,
        addresses: list[str],
        *,
        undo: bool = False,
        backend: str | None = None,
        check_mode: bool = False,
    ) -> Play:
        """ansible-playbook block.yml in the target namespace, as govops runs it."""
        extra: dict[str, Any] = {
            "block_addresses": addresses,
            "ansible_python_interpreter": sys.executable,
        }
        if undo:
            extra["block_undo"] = True
        if backend is not None:
            extra["block_backend"] = backend
        env = {
            **os.environ,
            "ANSIBLE_HOME": str(self.home),
            "ANSIBLE_LOCAL_TEMP": str(self.home / "tmp"),
            "ANSIBLE_REMOTE_TEMP": str(self.home / "remote-tmp"),
            "ANSIBLE_NOCOLOR": "1",
            "ANSIBLE_CALLBACK_RESULT_FORMAT": "json",
            "ANSIBLE_CALLBACK_FORMAT_PRETTY": "false",
        }
        argv = [
            "ip", "netns", "exec", self.target, _ansible_playbook(), "-v",
            "-i", "localhost,", "-c", "local", str(PLAYBOOK), "-e", json.dumps(extra),
        ]  # fmt: skip
        if check_mode:
            argv.append("--check")
        done = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=120)
        output = done.stdout + done.stderr
        results = re.findall(
            r"^(ok|changed|fatal): \[localhost\](?:: FAILED!)? => (\{.*\})$", done.stdout, re.M
        )
        report: dict[str, Any] = {}
        changed = False
        if results:
            status, raw = results[-1]
            last = json.loads(raw)
            changed = status == "changed"
            lines = last.get("stdout_lines") or [""]
            if lines[-1].startswith("{"):
                report = json.loads(lines[-1])
        return Play(done.returncode, changed, report, output)


@pytest.fixture(name="pair")
def fixture_pair(tmp_path: Path) -> Iterator[Pair]:
    """Target and attacker namespaces on one veth link, a listener in the target."""
    _require()
    tag = uuid.uuid4().hex[:8]
    target, attacker = f"gvb-{tag}", f"gva-{tag}"
    made: list[str] = []
    listener: subprocess.Popen[str] | None = None
    try:
        for ns in (target, attacker):
            done = _run("ip", "netns", "add", ns, check=False)
            if done.returncode != 0:
                _no_netns(f"cannot make a network namespace: {done.stderr.strip()}")
            made.append(ns)
        _run(
            "ip", "-n", target, "link", "add", "veth0", "address", MAC_TARGET, "type", "veth",
            "peer", "name", "veth0", "address", MAC_ATTACKER, "netns", attacker,
        )  # fmt: skip
        for ns, addresses in ((target, [TARGET4, TARGET6]), (attacker, ATTACKERS)):
            for address in addresses:
                if ":" in address:
                    _run("ip", "-n", ns, "addr", "add", f"{address}/64", "dev", "veth0", "nodad")
                else:
                    _run("ip", "-n", ns, "addr", "add", f"{address}/24", "dev", "veth0")
            _run("ip", "-n", ns, "link", "set", "lo", "up")
            _run("ip", "-n", ns, "link", "set", "veth0", "up")
        # Fixed neighbours: a blocked address must not be the source of the neighbour
        # solicitation an unblocked one's connect depends on.
        _run(
            "ip", "-n", attacker, "neigh", "replace", TARGET6, "lladdr", MAC_TARGET,
            "dev", "veth0", "nud", "permanent",
        )  # fmt: skip
        for address in (BAD6, GOOD6):
            _run(
                "ip", "-n", target, "neigh", "replace", address, "lladdr", MAC_ATTACKER,
                "dev", "veth0", "nud", "permanent",
            )  # fmt: skip
        listener = subprocess.Popen(
            [
                "ip",
                "netns",
                "exec",
                target,
                sys.executable,
                "-c",
                LISTEN,
                str(PORT),
                TARGET4,
                TARGET6,
            ],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert listener.stdout is not None
        assert listener.stdout.readline().strip() == "ready"
        yield Pair(target, attacker, tmp_path / "ansible")
    finally:
        if listener is not None:
            listener.kill()
            listener.wait()
            if listener.stdout is not None:
                listener.stdout.close()
        for ns in made:
            _run("ip", "netns", "del", ns, check=False)


def _ruleset(pair: Pair, backend: str) -> str:
    """Everything in the target's firewall that the backend shows."""
    if backend == "nft":
        return pair.sh("nft", "list", "ruleset").stdout
    return pair.sh("iptables", "-S").stdout + pair.sh("ip6tables", "-S").stdout


def _ours(pair: Pair, backend: str) -> str:
    """govops' own part of the target's firewall ('' when there is none)."""
    if backend == "nft":
        return pair.sh("nft", "list", "table", "inet", "govops_drill", check=False).stdout
    return "".join(
        pair.sh(tool, "-S", "GOVOPS-DRILL", check=False).stdout
        for tool in ("iptables", "ip6tables")
    )


def _unrelated(pair: Pair, backend: str) -> None:
    """Someone else's rules, accepting the very attacker a block must still stop."""
    if backend == "nft":
        pair.sh(
            "nft",
            "-f",
            "/dev/stdin",
            stdin="table inet keepme {\n"
            "  set friends { type ipv4_addr; elements = { 192.0.2.66 }; }\n"
            "  chain input { type filter hook input priority 0; policy accept;\n"
            "    ip saddr @friends accept; ip6 saddr 2001:db8::66 accept; }\n"
            "}\n",
        )
    else:
        pair.sh("iptables", "-A", "INPUT", "-s", BAD4, "-p", "tcp", "-j", "ACCEPT")
        pair.sh("iptables", "-N", "KEEPME")
        pair.sh("iptables", "-A", "KEEPME", "-s", "198.51.100.9", "-j", "ACCEPT")
        pair.sh("ip6tables", "-A", "INPUT", "-s", BAD6, "-p", "tcp", "-j", "ACCEPT")


ALL_OPEN = dict.fromkeys(ATTACKERS, "open")
BAD_DROPPED = {BAD4: "dropped", GOOD4: "open", BAD6: "dropped", GOOD6: "open"}


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["nft", "iptables"])
def test_block_drops_the_attackers_and_undo_lets_them_back(pair: Pair, backend: str) -> None:
    _require("nft", "iptables", "ip6tables")
    # nft: the default (auto) must pick it; iptables: as on a host without nft.
    chosen = None if backend == "nft" else "iptables"
    _unrelated(pair, backend)
    before = _ruleset(pair, backend)
    assert pair.probe() == ALL_OPEN

    first = pair.play(BLOCK, backend=chosen)
    assert first.rc == 0, first.output
    assert first.changed
    assert first.report == {
        "backend": backend,
        "action": "block",
        "check": False,
        "changed": True,
        "added": BLOCK,
        "removed": [],
        "present": [],
        "absent": [],
    }
    assert pair.probe() == BAD_DROPPED
    blocked = _ruleset(pair, backend)

    again = pair.play(BLOCK, backend=chosen)
    assert again.rc == 0, again.output
    assert not again.changed
    assert again.report["present"] == BLOCK
    assert again.report["added"] == [] and again.report["changed"] is False

    # Check mode says what it would add and adds nothing.
    dry = pair.play([*BLOCK, "203.0.113.5"], backend=chosen, check_mode=True)
    assert dry.rc == 0, dry.output
    assert dry.changed
    assert dry.report["check"] is True
    assert dry.report["added"] == ["203.0.113.5"] and dry.report["present"] == BLOCK
    # Counters aside, the firewall is as the block left it.
    assert _strip_counters(_ruleset(pair, backend)) == _strip_counters(blocked)

    # Undo a part; what was never blocked is reported absent and does not fail.
    part = pair.play([BAD4, BAD6, "198.51.100.7", "203.0.113.5"], undo=True, backend=chosen)
    assert part.rc == 0, part.output
    assert part.changed
    assert part.report["removed"] == [BAD4, BAD6, "198.51.100.7"]
    assert part.report["absent"] == ["203.0.113.5"]
    assert pair.probe() == ALL_OPEN
    ours = _ours(pair, backend)
    assert "198.51.100.0/24" in ours and "198.51.100.7" not in ours and "192.0.2.66" not in ours

    # Undo the last block: govops' table (or chains and jumps) go; the rest is as it was.
    last = pair.play(["198.51.100.0/24"], undo=True, backend=chosen)
    assert last.rc == 0, last.output
    assert last.changed and last.report["removed"] == ["198.51.100.0/24"]
    assert _ours(pair, backend) == ""
    assert _ruleset(pair, backend) == before

    none = pair.play(["198.51.100.0/24"], undo=True, backend=chosen)
    assert none.rc == 0, none.output
    assert not none.changed
    assert none.report["absent"] == ["198.51.100.0/24"] and none.report["removed"] == []
    assert _ruleset(pair, backend) == before
    assert pair.probe() == ALL_OPEN
    if backend == "iptables":
        # The fallback left nftables alone.
        assert pair.sh("nft", "list", "table", "inet", "govops_drill", check=False).returncode != 0


def _strip_counters(text: str) -> str:
    return re.sub(r"counter packets \d+ bytes \d+", "counter", text)


@pytest.mark.slow
def test_block_refuses_what_is_not_an_address(pair: Pair) -> None:
    _require("nft")
    # A shell word, a host name (nft and iptables would resolve it), everyone.
    odd = ["192.0.2.66; reboot", "cafe", "0.0.0.0/0", "::/0"]
    bad = pair.play([BAD4, *odd])
    assert bad.rc != 0
    assert f"IPv4/IPv6 addresses or CIDRs ({', '.join(odd)})" in bad.output
    assert bad.report == {}
    assert _ours(pair, "nft") == ""
    assert pair.probe() == ALL_OPEN


def test_block_playbook_passes_syntax_check() -> None:
    done = subprocess.run(
        [_ansible_playbook(), "--syntax-check", "-i", "localhost,", str(PLAYBOOK)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
