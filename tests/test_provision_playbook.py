"""playbooks/provision.yml run for real: ansible-playbook over SSH to sshd on loopback
(tests/sshd.py), host-key checking on, pipelining and ControlPersist as in production.

Every host's `provision_root` is a throwaway tree, so the file-level tasks really
write there while `provision_live` stays false: nothing on this machine (its sshd,
firewall, clock, users, hostname) is touched, and the tests check that too. A
Debian-like and a RedHat-like tree (told apart by their planted etc/os-release) run
side by side as two inventory hosts. The live-only steps are seen running in a
check-mode preview (`provision_live` true under --check). The repository's
inventory/group_vars sits beside each test inventory, so its defaults apply.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from sshd import Sshd, SshdPool, fixture_client_key  # noqa: F401

ROOT = Path(__file__).resolve().parent.parent
PLAYBOOK = ROOT / "playbooks" / "provision.yml"
GROUP_VARS = ROOT / "inventory" / "group_vars"
# The loopback sshds are this machine: root's shell profile puts pyenv shims first
# on PATH, and interpreter discovery would pick a shim for a Python not installed.
REMOTE_PY = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable

pytestmark = pytest.mark.slow

KEYS = [
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFq1wZb6Yq0rVt5mC2x8eQm1Jv3LkS9d0NoPaHuXyTzA alice@ops",
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB7nKq2dXo4sLr8ZyVw3Mc6eTgHf1JpQaUiOb5NxRkCe bob@ops",
]
# What the lead's runner passes per VM, and the site settings group_vars leaves unset.
RUN_VARS: dict[str, Any] = {
    "provision_hostname": "cz-web-01",
    "provision_ports": ["443/tcp", "8080/tcp", "8443-8445/tcp", "514/udp"],
    "provision_ntp_servers": ["10.20.0.1", "ntp2.zwww.example"],
    "provision_log_server": "10.20.0.9",
    "provision_ops_keys": KEYS,
}

DEBIAN_OS_RELEASE = """\
PRETTY_NAME="UnionTech OS Server 20"
NAME="UnionTech OS Server 20"
VERSION_ID="20"
ID=uos
"""
REDHAT_OS_RELEASE = """\
NAME="Kylin Linux Advanced Server"
VERSION="V10 (Lance)"
ID="kylin"
VERSION_ID="V10"
PRETTY_NAME="Kylin Linux Advanced Server V10 (Lance)"
"""
# Distribution-style sshd_config files, each with settings the baseline must
# override: an active line after the top, and a Match block that keeps its own.
DEBIAN_SSHD = """\
Include /etc/ssh/sshd_config.d/*.conf
#PermitRootLogin prohibit-password
PermitRootLogin yes
MaxAuthTries 6
KbdInteractiveAuthentication no
UsePAM yes
X11Forwarding yes
PrintMotd no
AcceptEnv LANG LC_*
Subsystem sftp /usr/lib/openssh/sftp-server
Match User backup
    PermitRootLogin no
    MaxAuthTries 2
"""
REDHAT_SSHD = """\
HostKey /etc/ssh/ssh_host_rsa_key
HostKey /etc/ssh/ssh_host_ecdsa_key
HostKey /etc/ssh/ssh_host_ed25519_key
SyslogFacility AUTHPRIV
PermitRootLogin yes
AuthorizedKeysFile .ssh/authorized_keys
PasswordAuthentication yes
PermitEmptyPasswords yes
ChallengeResponseAuthentication no
UsePAM yes
X11Forwarding yes
Subsystem sftp /usr/libexec/openssh/sftp-server
"""
LOGIN_DEFS = """\
MAIL_DIR /var/mail
#	PASS_MAX_DAYS	Maximum number of days a password may be used.
PASS_MAX_DAYS	99999
PASS_MIN_DAYS	0
PASS_WARN_AGE	7
UMASK 022
"""
DEBIAN_NFT = """\
#!/usr/sbin/nft -f

flush ruleset

table inet filter {
\tchain input {
\t\ttype filter hook input priority filter;
\t}
}
"""
REDHAT_NFT = """\
# Uncomment the include statement here to load the default config sample
# in /etc/nftables for nftables service.

#include "/etc/nftables/main.nft"
"""
STRAY_KEY = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQCstray unknown@somewhere"


def plant(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def debian_tree(root: Path) -> Path:
    plant(
        root,
        {
            "etc/os-release": DEBIAN_OS_RELEASE,
            "etc/ssh/sshd_config": DEBIAN_SSHD,
            "etc/login.defs": LOGIN_DEFS,
            "etc/hosts": "127.0.0.1 localhost\n127.0.1.1 uos-template\n",
            "etc/hostname": "uos-template\n",
            "etc/timezone": "Etc/UTC\n",
            "etc/nftables.conf": DEBIAN_NFT,
            "etc/security/pwquality.conf": "# minlen = 8\n",
            "home/ops/.ssh/authorized_keys": f"{KEYS[0]}\n{STRAY_KEY}\n",
        },
    )
    (root / "etc/localtime").symlink_to("/usr/share/zoneinfo/Etc/UTC")
    return root


def redhat_tree(root: Path) -> Path:
    plant(
        root,
        {
            "etc/os-release": REDHAT_OS_RELEASE,
            "etc/ssh/sshd_config": REDHAT_SSHD,
            "etc/login.defs": LOGIN_DEFS,
            "etc/hosts": "127.0.0.1 localhost localhost.localdomain\n::1 localhost\n",
            "etc/sysconfig/nftables.conf": REDHAT_NFT,
            # Some images carry a copy of the zone file rather than a link.
            "etc/localtime": "TZif2 copy of UTC\n",
        },
    )
    return root


def snapshot(root: Path) -> dict[str, str]:
    """Every entry under `root`: a file's sha256, a link's target, a directory's mode."""
    out = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if path.is_symlink():
            out[rel] = "-> " + os.readlink(path)
        elif path.is_dir():
            out[rel] = f"dir {path.stat().st_mode:o}"
        else:
            st = path.stat()
            out[rel] = (
                f"{hashlib.sha256(path.read_bytes()).hexdigest()} {st.st_mode:o} {st.st_mtime_ns}"
            )
    return out


def host_state() -> dict[str, Any]:
    """What the playbook must never change on this machine."""

    def digest(path: str) -> str:
        try:
            return hashlib.sha256(Path(path).read_bytes()).hexdigest()
        except OSError as exc:
            return f"unreadable: {exc.strerror}"

    tables = subprocess.run(["nft", "list", "tables"], capture_output=True, text=True)
    return {
        "hostname": socket.gethostname(),
        "etc/hostname": digest("/etc/hostname"),
        "passwd": digest("/etc/passwd"),
        "sshd_config": digest("/etc/ssh/sshd_config"),
        "localtime": os.path.realpath("/etc/localtime"),
        "nft tables": tables.stdout if tables.returncode == 0 else "n/a",
        "rsyslog.d": sorted(os.listdir("/etc/rsyslog.d"))
        if os.path.isdir("/etc/rsyslog.d")
        else [],
    }


@dataclass
class Played:
    """One ansible-playbook run: exit code, output, recap and each task's statuses."""

    rc: int
    output: str
    recap: dict[str, dict[str, int]]
    tasks: dict[tuple[str, str], set[str]]  # (task, host) -> {"ok", "changed", …}

    def status(self, task: str, host: str) -> set[str]:
        return self.tasks.get((task, host), set())


TASK_LINE = re.compile(r"^(?:TASK|RUNNING HANDLER) \[(.+?)\] \**$")
STATUS_LINE = re.compile(r"^(ok|changed|skipping|failed|fatal): \[([^\]]+)\]")
RECAP_LINE = re.compile(
    r"^(\S+)\s+: ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)"
    r"\s+skipped=(\d+)\s+rescued=(\d+)\s+ignored=(\d+)"
)
RECAP_KEYS = ("ok", "changed", "unreachable", "failed", "skipped", "rescued", "ignored")


def parse(rc: int, output: str) -> Played:
    tasks: dict[tuple[str, str], set[str]] = {}
    recap: dict[str, dict[str, int]] = {}
    task = ""
    for line in output.splitlines():
        if m := TASK_LINE.match(line):
            task = m.group(1)
        elif m := STATUS_LINE.match(line):
            status = "failed" if m.group(1) == "fatal" else m.group(1)
            tasks.setdefault((task, m.group(2)), set()).add(status)
        elif m := RECAP_LINE.match(line):
            recap[m.group(1)] = dict(zip(RECAP_KEYS, map(int, m.groups()[1:]), strict=True))
    return Played(rc, output, recap, tasks)


@dataclass
class Lab:
    """One sshd on several loopback addresses and what ansible-playbook needs to reach it."""

    server: Sshd
    key: Path
    known_hosts: Path
    work: Path

    def hostvars(self, i: int, root: Path, **more: Any) -> dict[str, Any]:
        return {
            "ansible_host": self.server.hosts[i],
            "ansible_port": self.server.port,
            "ansible_user": "root",
            "ansible_python_interpreter": REMOTE_PY,
            "provision_root": str(root),
            **more,
        }

    def play(
        self, name: str, hosts: dict[str, dict[str, Any]], *args: str, extra: Any = RUN_VARS
    ) -> Played:
        """ansible-playbook provision.yml over SSH against `hosts` (name -> host vars)."""
        inv = self.work / name
        inv.mkdir()
        (inv / "hosts.yml").write_text(yaml.safe_dump({"all": {"hosts": hosts}}))
        (inv / "group_vars").symlink_to(GROUP_VARS)
        extra_file = inv / "extra.json"
        extra_file.write_text(json.dumps(extra))
        env = {
            **os.environ,
            "ANSIBLE_PIPELINING": "True",
            "ANSIBLE_HOST_KEY_CHECKING": "True",
            "ANSIBLE_SSH_ARGS": (
                "-o ControlMaster=auto -o ControlPersist=30s -o BatchMode=yes"
                f" -o UserKnownHostsFile={self.known_hosts} -o StrictHostKeyChecking=yes"
            ),
            "ANSIBLE_SSH_CONTROL_PATH_DIR": str(self.work / "cp"),
            "ANSIBLE_LOCAL_TEMP": str(self.work / "tmp"),
            "ANSIBLE_RETRY_FILES_ENABLED": "False",
            "ANSIBLE_NOCOLOR": "True",
            "ANSIBLE_FORCE_COLOR": "False",
        }
        done = subprocess.run(
            [
                "ansible-playbook",
                "-i",
                str(inv / "hosts.yml"),
                "-e",
                f"ansible_ssh_private_key_file={self.key}",
                "-e",
                f"@{extra_file}",
                *args,
                str(PLAYBOOK),
            ],
            cwd=inv,
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
        )
        return parse(done.returncode, done.stdout + done.stderr)


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory, client_key: Path) -> Iterator[Lab]:
    work = tmp_path_factory.mktemp("provision")
    pool = SshdPool(work / "sshd", client_key)
    pool.root.mkdir()
    try:
        server = pool.start(6)[0]
        known = work / "known_hosts"
        known.write_text("".join(line + "\n" for line in server.known_hosts_lines()))
        yield Lab(server, client_key, known, work)
    finally:
        pool.stop()


@dataclass
class Baseline:
    """A real run and a second run over a Debian-like and a RedHat-like tree."""

    deb: Path
    rh: Path
    first: Played
    after_first: dict[str, dict[str, str]]
    second: Played
    after_second: dict[str, dict[str, str]]
    host_before: dict[str, Any]
    host_after: dict[str, Any]


@pytest.fixture(scope="module")
def baseline(lab: Lab) -> Baseline:
    before = host_state()
    deb = debian_tree(lab.work / "deb-root")
    rh = redhat_tree(lab.work / "rh-root")
    hosts = {"deb": lab.hostvars(0, deb), "rh": lab.hostvars(1, rh)}
    first = lab.play("first", hosts)
    after_first = {"deb": snapshot(deb), "rh": snapshot(rh)}
    second = lab.play("second", hosts)
    after_second = {"deb": snapshot(deb), "rh": snapshot(rh)}
    return Baseline(deb, rh, first, after_first, second, after_second, before, host_state())


def test_a_real_run_writes_the_baseline(baseline: Baseline) -> None:
    run = baseline.first
    assert run.rc == 0, run.output[-3000:]
    for host in ("deb", "rh"):
        assert run.recap[host]["failed"] == 0 and run.recap[host]["changed"] > 0
    root = baseline.deb
    assert (root / "etc/hostname").read_text() == "cz-web-01\n"
    hosts = (root / "etc/hosts").read_text().splitlines()
    assert hosts == ["127.0.0.1 localhost", "127.0.1.1 cz-web-01"]
    assert os.readlink(root / "etc/localtime") == "/usr/share/zoneinfo/Asia/Shanghai"
    # The approved keys exactly: the stray key is gone.
    assert (root / "home/ops/.ssh/authorized_keys").read_text() == "".join(k + "\n" for k in KEYS)
    assert (root / "home/ops/.ssh/authorized_keys").stat().st_mode & 0o777 == 0o600
    assert (root / "home/ops/.ssh").stat().st_mode & 0o777 == 0o700
    forward = (root / "etc/rsyslog.d/90-govops-forward.conf").read_text()
    assert 'type="omfwd" target="10.20.0.9" port="514" protocol="tcp"' in forward
    rules = (root / "etc/audit/rules.d/govops.rules").read_text().splitlines()
    for watched in ("/etc/passwd", "/etc/shadow", "/etc/ssh/sshd_config", "/etc/localtime"):
        assert any(r.startswith(f"-w {watched} -p wa") for r in rules), watched
    defs = (root / "etc/login.defs").read_text().splitlines()
    assert "PASS_MAX_DAYS\t90" in defs and "PASS_MAX_DAYS\t99999" not in defs
    assert "#\tPASS_MAX_DAYS\tMaximum number of days a password may be used." in defs
    assert "PASS_MIN_LEN\t8" in defs and "PASS_WARN_AGE\t7" in defs
    quality = (root / "etc/security/pwquality.conf").read_text().splitlines()
    assert "minlen = 8" in quality and "minclass = 3" in quality
    assert "TMOUT=600" in (root / "etc/profile.d/govops-timeout.sh").read_text().splitlines()


def test_this_machine_is_left_alone(baseline: Baseline) -> None:
    assert baseline.first.rc == 0, baseline.first.output[-3000:]
    assert baseline.host_after == baseline.host_before


def sshd_effective(config: Path, *match: str) -> dict[str, str]:
    """The settings OpenSSH itself derives from `config` (sshd -T), optionally for a
    connection described by `match` (user=…,host=…,addr=…)."""
    args = ["/usr/sbin/sshd", "-T", "-f", str(config)]
    if match:
        args += ["-C", ",".join(match)]
    done = subprocess.run(args, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return dict(line.split(" ", 1) for line in done.stdout.splitlines() if " " in line)


@pytest.mark.parametrize("host", ["deb", "rh"])
def test_sshd_is_hardened_for_sshd_itself(baseline: Baseline, host: str) -> None:
    assert baseline.first.rc == 0, baseline.first.output[-3000:]
    config = (baseline.deb if host == "deb" else baseline.rh) / "etc/ssh/sshd_config"
    text = config.read_text()
    assert text.startswith("# BEGIN GOVOPS BASELINE\n")
    seen = sshd_effective(config)
    assert seen["permitrootlogin"] == "without-password"  # sshd -T's name for prohibit-password
    assert seen["permitemptypasswords"] == "no"
    assert seen["maxauthtries"] == "3"
    assert seen["passwordauthentication"] == "no"
    assert seen["kbdinteractiveauthentication"] == "no"
    # The contradicting lines the distribution had are commented out, not left to
    # confuse a reader; settings inside a Match block are left alone.
    assert re.search(r"(?im)^\s*PermitRootLogin\s+yes", text) is None
    assert re.search(r"(?im)^\s*PermitEmptyPasswords\s+yes", text) is None
    assert re.search(r"(?im)^\s*PasswordAuthentication\s+yes", text) is None
    assert "\n#PermitRootLogin yes\n" in text
    if host == "deb":
        assert "Match User backup\n    PermitRootLogin no\n    MaxAuthTries 2\n" in text
        backup = sshd_effective(config, "user=backup", "host=h", "addr=192.0.2.1")
        assert backup["permitrootlogin"] == "no" and backup["maxauthtries"] == "2"


def declared(rules: str) -> tuple[list[str], list[str]]:
    tcp = re.search(r"tcp dport \{ ([^}]*) \} accept", rules)
    udp = re.search(r"udp dport \{ ([^}]*) \} accept", rules)
    return (
        tcp.group(1).split(", ") if tcp else [],
        udp.group(1).split(", ") if udp else [],
    )


def test_the_firewall_admits_management_and_the_declared_ports_only(baseline: Baseline) -> None:
    assert baseline.first.rc == 0, baseline.first.output[-3000:]
    for rules_file in (
        baseline.deb / "etc/nftables.d/govops.nft",
        baseline.rh / "etc/nftables/govops.nft",
    ):
        rules = rules_file.read_text()
        assert declared(rules) == (["22", "443", "8080", "8443-8445"], ["514"])
        assert "type filter hook input priority 0; policy drop;" in rules
        # established, loopback, ICMP, the TCP ports, the UDP ports: nothing else.
        assert len(re.findall(r"\baccept\b", rules)) == 5
        assert "table inet govops {" in rules
    # The kernel takes the table as written: loaded into a network namespace of its
    # own, never into this machine's firewall.
    probe = subprocess.run(
        ["unshare", "--net", "sh", "-c", f"nft -f {rules_file} && nft list table inet govops"],
        capture_output=True,
        text=True,
    )
    if probe.returncode != 0 and "unshare" in probe.stderr:
        reason = f"no network namespace here: {probe.stderr.strip()[:200]}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{reason} (CI=true: the firewall file must be loaded for real)")
        pytest.skip(reason)
    assert probe.returncode == 0, probe.stderr
    assert re.search(r"tcp dport \{ 22, 443, 8080, 8443-8445 \} accept", probe.stdout)
    assert re.search(r"udp dport 514 accept", probe.stdout)


def test_each_family_gets_its_own_paths(baseline: Baseline) -> None:
    run = baseline.first
    assert run.rc == 0, run.output[-3000:]
    deb, rh = baseline.deb, baseline.rh
    assert re.search(r'"msg": "apt: chrony rsyslog auditd nftables libpam-pwquality ', run.output)
    assert re.search(r'"msg": "dnf: chrony rsyslog audit nftables libpwquality ', run.output)
    # chrony: Debian keeps it in /etc/chrony/, RedHat in /etc/.
    for root, conf, drift in (
        (deb, "etc/chrony/chrony.conf", "/var/lib/chrony/chrony.drift"),
        (rh, "etc/chrony.conf", "/var/lib/chrony/drift"),
    ):
        lines = (root / conf).read_text().splitlines()
        assert [x for x in lines if x.startswith("server ")] == [
            "server 10.20.0.1 iburst",
            "server ntp2.zwww.example iburst",
        ]
        assert f"driftfile {drift}" in lines
    assert not (deb / "etc/chrony.conf").exists() and not (rh / "etc/chrony").exists()
    # The timezone: both link /etc/localtime (replacing RedHat's copy); only Debian
    # names it in /etc/timezone.
    assert os.readlink(rh / "etc/localtime") == "/usr/share/zoneinfo/Asia/Shanghai"
    assert (deb / "etc/timezone").read_text() == "Asia/Shanghai\n"
    assert not (rh / "etc/timezone").exists()
    # The firewall table is included where each family's nftables service reads.
    debian_main = (deb / "etc/nftables.conf").read_text()
    assert debian_main.startswith(DEBIAN_NFT) and debian_main.endswith(
        'include "/etc/nftables.d/govops.nft"\n'
    )
    redhat_main = (rh / "etc/sysconfig/nftables.conf").read_text()
    assert redhat_main == REDHAT_NFT + 'include "/etc/nftables/govops.nft"\n'
    assert (
        "-w /etc/chrony/chrony.conf -p wa" in (deb / "etc/audit/rules.d/govops.rules").read_text()
    )
    assert "-w /etc/chrony.conf -p wa" in (rh / "etc/audit/rules.d/govops.rules").read_text()
    # A fresh tree gets the files too: the RedHat one had no authorized_keys at all.
    assert (rh / "home/ops/.ssh/authorized_keys").read_text() == "".join(k + "\n" for k in KEYS)


def test_a_second_run_changes_nothing(baseline: Baseline) -> None:
    run = baseline.second
    assert run.rc == 0, run.output[-3000:]
    changed = sorted(t for (t, _), statuses in run.tasks.items() if "changed" in statuses)
    for host in ("deb", "rh"):
        assert run.recap[host]["changed"] == 0, changed
        assert run.recap[host]["failed"] == 0
    # Not even rewritten: every file keeps its content and modification time.
    assert baseline.after_second == baseline.after_first


def test_check_mode_writes_nothing_and_previews_the_live_steps(lab: Lab) -> None:
    before = host_state()
    fresh = plant(lab.work / "fresh-rh", {"etc/os-release": REDHAT_OS_RELEASE})
    # The preview host (live steps on, under --check) is of this machine's own
    # family, since the live steps consult this machine's package manager.
    preview = plant(lab.work / "preview", {"etc/os-release": Path("/etc/os-release").read_text()})
    trees = {p: snapshot(p) for p in (fresh, preview)}
    hosts = {
        "fresh": lab.hostvars(2, fresh),
        "preview": lab.hostvars(3, preview, provision_live=True),
    }
    run = lab.play("check", hosts, "--check")
    assert run.rc == 0, run.output[-3000:]
    assert {p: snapshot(p) for p in trees} == trees
    assert host_state() == before
    for host in hosts:
        assert run.recap[host]["failed"] == 0
        assert run.status("Harden sshd (block at the top of sshd_config)", host) == {"changed"}
        assert run.status("Let in exactly the approved keys (authorized_keys)", host) == {"changed"}
    assert run.status("Install the baseline packages (dnf)", "fresh") == {"skipping"}
    assert run.status("Install the baseline packages (apt)", "preview") - {"skipping"}
    for task in (
        "Set the running hostname",
        "Create the ops account",
        "Start and enable time sync, logging, audit, firewall and sshd",
        "Reload sshd",
    ):
        assert run.status(task, "fresh") == {"skipping"}, task
        assert run.status(task, "preview") - {"skipping"}, task
    assert run.status("Create the ops account", "preview") == {"changed"}
    assert run.status("Set the running hostname", "preview") == {"changed"}
    # No systemd here: the units cannot be looked up in check mode, which the play
    # reports and tolerates (ignored), rather than claiming they are fine.
    assert run.recap["preview"]["ignored"] >= 1
    assert run.recap["fresh"]["ignored"] == 0


def test_bad_inputs_are_refused_before_anything_is_written(lab: Lab) -> None:
    trees: dict[str, Path] = {}
    for name in ("port", "range", "name", "live", "family", "site"):
        text = "ID=arch\n" if name == "family" else DEBIAN_OS_RELEASE
        trees[name] = plant(lab.work / f"bad-{name}", {"etc/os-release": text})
    site = {k: RUN_VARS[k] for k in ("provision_ntp_servers", "provision_log_server")}
    good = {"provision_hostname": "cz-web-02", "provision_ports": ["443/tcp"], **site}
    hosts = {
        "port": lab.hostvars(0, trees["port"], **{**good, "provision_ports": ["443"]}),
        "range": lab.hostvars(1, trees["range"], **{**good, "provision_ports": ["70000/tcp"]}),
        "name": lab.hostvars(2, trees["name"], **{**good, "provision_hostname": "web_01!"}),
        "live": lab.hostvars(3, trees["live"], provision_live=True, **good),
        "family": lab.hostvars(4, trees["family"], **good),
        # The group_vars defaults alone: no NTP server, no log server.
        "site": lab.hostvars(5, trees["site"], provision_hostname="cz-web-03"),
    }
    before = {name: snapshot(root) for name, root in trees.items()}
    run = lab.play("bad", hosts, extra={})
    assert run.rc != 0
    for host in hosts:
        assert run.recap[host]["failed"] == 1, host
    assert run.status("Check the inputs", "port") == {"failed"}
    assert run.status("Check the inputs", "range") == {"failed"}
    assert run.status("Check the inputs", "name") == {"failed"}
    assert run.status("Check the inputs", "live") == {"failed"}
    assert "a real run gives it only" in run.output
    assert run.status("Check the site settings (inventory/group_vars/all.yml)", "site") == {
        "failed"
    }
    assert "provision_ntp_servers needs at" in run.output
    assert run.status("Stop unless the family is known", "family") == {"failed"}
    assert "names no known family in ID_LIKE or ID" in run.output
    assert {name: snapshot(root) for name, root in trees.items()} == before


def test_the_playbook_passes_syntax_check_and_uses_builtin_modules_only() -> None:
    done = subprocess.run(
        ["ansible-playbook", "--syntax-check", "-i", "localhost,", str(PLAYBOOK)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    play = yaml.safe_load(PLAYBOOK.read_text())[0]
    assert play["hosts"] == "all"
    keywords = {
        "name", "when", "register", "loop", "loop_control", "notify", "check_mode",
        "changed_when", "failed_when", "ignore_errors", "tags",
    }  # fmt: skip
    for task in play["tasks"] + play["handlers"]:
        modules = [k for k in task if k not in keywords]
        assert len(modules) == 1 and modules[0].startswith("ansible.builtin."), task["name"]
