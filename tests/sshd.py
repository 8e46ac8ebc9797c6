"""Real OpenSSH servers on loopback addresses for the SSH tests (and the bench).

`SshdPool.start(n)` starts sshd processes on 127.0.0.x addresses (at most 16 per
process, each with its own free port and throwaway host key) that let the
client key `ClientKey` in as the current user. Everything is killed by `stop()`,
including the per-connection children sshd forks (they call setsid, so they are
found by parent pid, not by process group).

Without an sshd binary the tests skip locally and fail under CI=true.
"""

from __future__ import annotations

import os
import shlex
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

SSHD = shutil.which("sshd") or "/usr/sbin/sshd"
PER_PROCESS = 16  # sshd listens on at most 16 addresses
FIRST_HOST = 11  # 127.0.0.11 …


def no_sshd(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: SSH tests must run)")
    pytest.skip(reason)


def require_sshd() -> None:
    if not os.access(SSHD, os.X_OK):
        no_sshd(f"no OpenSSH server at {SSHD} (apt-get install openssh-server)")
    if shutil.which("ssh-keygen") is None:
        no_sshd("no ssh-keygen (apt-get install openssh-client)")


_overlay_state: dict[str, str] = {}


def require_overlay() -> None:
    """Bind mounts in a private mount namespace (root, CAP_SYS_ADMIN) work here."""
    if "error" not in _overlay_state and "ok" not in _overlay_state:
        done = subprocess.run(
            ["unshare", "--mount", "--propagation", "private", "true"], capture_output=True
        )
        if done.returncode == 0:
            _overlay_state["ok"] = "yes"
        else:
            _overlay_state["error"] = (
                f"cannot make a mount namespace (unshare --mount): {done.stderr.decode()[:200]}"
            )
    if "error" in _overlay_state:
        no_sshd(_overlay_state["error"])


def keygen(path: Path, kind: str = "ed25519") -> Path:
    """A fresh key pair at `path` (and `path.pub`), no passphrase."""
    subprocess.run(
        ["ssh-keygen", "-q", "-t", kind, "-N", "", "-C", "govops-test", "-f", str(path)],
        check=True,
        capture_output=True,
    )
    return path


def loopback(i: int) -> str:
    """The i-th test address: 127.0.0.11, …, 127.0.0.250, 127.0.1.11, …"""
    return f"127.0.{i // 240}.{FIRST_HOST + i % 240}"


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


def wait_listening(
    host: str, port: int, proc: subprocess.Popen[bytes] | None, limit: float = 10.0
) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"sshd exited with {proc.returncode}")
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.02)
    raise RuntimeError(f"nothing listens on {host}:{port} after {limit} s")


@dataclass
class Sshd:
    """One sshd process listening on `hosts`, all on `port`, with one host key."""

    hosts: list[str]
    port: int
    host_key: Path
    proc: subprocess.Popen[bytes]
    log: Path

    @property
    def host_key_line(self) -> str:
        """`type base64` of the host's public key, as known_hosts holds it."""
        kind, blob = self.host_key.with_suffix(".pub").read_text().split()[:2]
        return f"{kind} {blob}"

    def known_hosts_lines(self) -> list[str]:
        return [f"[{h}]:{self.port} {self.host_key_line}" for h in self.hosts]


@dataclass
class SshdPool:
    """sshd processes started for one test (or one bench run), stopped together."""

    root: Path
    client_key: Path
    servers: list[Sshd] = field(default_factory=list)
    _next: int = 0

    def start(
        self,
        n: int,
        *,
        host_key: Path | None = None,
        extra: tuple[str, ...] = (),
        overlay: dict[str, Path] | None = None,
    ) -> list[Sshd]:
        """Start sshd processes serving `n` new loopback addresses in all.

        `overlay` (path on this machine -> file) runs sshd in its own mount
        namespace with each file bind-mounted over its path: its sessions see,
        say, a Kylin os-release and a Hygon cpuinfo, everything else real."""
        started = []
        while n > 0:
            count = min(n, PER_PROCESS)
            hosts = [loopback(self._next + i) for i in range(count)]
            self._next += count
            started.append(self._spawn(hosts, host_key, extra, overlay or {}))
            n -= count
        return started

    def _spawn(
        self,
        hosts: list[str],
        host_key: Path | None,
        extra: tuple[str, ...],
        overlay: dict[str, Path],
    ) -> Sshd:
        Path("/run/sshd").mkdir(parents=True, exist_ok=True)
        tag = f"sshd{len(self.servers)}"
        if host_key is None:
            host_key = keygen(self.root / f"{tag}_host_ed25519")
        authorized = self.root / "authorized_keys"
        if not authorized.exists():
            authorized.write_text(self.client_key.with_suffix(".pub").read_text())
        last_error = ""
        for _attempt in range(5):
            port = free_port(hosts[0])
            log = self.root / f"{tag}.log"
            # sshd keeps the first value it is given for an option: the caller's
            # `extra` come first, so they override the defaults below.
            args = [
                SSHD, "-D", "-e", "-f", "/dev/null",
                *[f"-o{o}" for o in extra],
                "-h", str(host_key), "-p", str(port),
                *[f"-oListenAddress={h}" for h in hosts],
                f"-oAuthorizedKeysFile={authorized}",
                "-oStrictModes=no", "-oUsePAM=no", "-oPermitRootLogin=yes",
                "-oPasswordAuthentication=no", "-oKbdInteractiveAuthentication=no",
                "-oMaxStartups=100:30:200", "-oMaxSessions=100",
                f"-oPidFile={self.root / (tag + '.pid')}",
                "-oLogLevel=ERROR",
            ]  # fmt: skip
            if overlay:
                require_overlay()
                mounts = " && ".join(
                    f"mount --bind {shlex.quote(str(src))} {shlex.quote(dst)}"
                    for dst, src in overlay.items()
                )
                args = ["unshare", "--mount", "--propagation", "private",
                        "sh", "-c", f'{mounts} && exec "$@"', "sh", *args]  # fmt: skip
            with log.open("wb") as err:
                proc = subprocess.Popen(
                    args, stdin=subprocess.DEVNULL, stdout=err, stderr=err, start_new_session=True
                )
            try:
                for h in hosts:
                    wait_listening(h, port, proc)
            except RuntimeError as exc:
                _kill_tree(proc)
                last_error = f"{exc}: {log.read_text(errors='replace')[-500:]}"
                continue  # the port was taken between choosing and binding it
            server = Sshd(hosts, port, host_key, proc, log)
            self.servers.append(server)
            return server
        raise RuntimeError(f"sshd did not start: {last_error}")

    def stop(self) -> None:
        for server in self.servers:
            _kill_tree(server.proc)
        self.servers.clear()


def _children(pid: int) -> list[int]:
    """Every live descendant of `pid`, found through /proc."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        parents.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


def _kill_tree(proc: subprocess.Popen[bytes]) -> None:
    """Kill sshd and every process it forked: the deepest first, while their parents
    live to reap them, then the listener itself (ours to reap)."""
    if proc.poll() is None:
        children = _children(proc.pid)
        for pid in reversed(children):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + 2
        while time.monotonic() < deadline and any(Path(f"/proc/{p}").exists() for p in children):
            time.sleep(0.02)
        proc.kill()
    proc.wait(timeout=10)


def silent_listener(host: str = "127.0.0.9") -> tuple[socket.socket, int]:
    """A TCP port that accepts connections (the kernel completes the handshake
    from the backlog) and never sends a byte: the SSH banner never comes."""
    s = socket.socket()
    s.bind((host, 0))
    s.listen(64)
    return s, int(s.getsockname()[1])


def closed_port(host: str = "127.0.0.8") -> int:
    """A port nothing listens on (connections are refused)."""
    return free_port(host)


# Test modules import these (`from sshd import fixture_sshd_pool, …`); the names
# differ from the fixtures' so a test's parameter does not shadow the import.
@pytest.fixture(scope="session", name="client_key")
def fixture_client_key(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The key the test sshd servers let in."""
    require_sshd()
    return keygen(tmp_path_factory.mktemp("client") / "id_ed25519")


@pytest.fixture(name="sshd_pool")
def fixture_sshd_pool(tmp_path: Path, client_key: Path) -> Iterator[SshdPool]:
    pool = SshdPool(tmp_path / "sshd", client_key)
    pool.root.mkdir()
    try:
        yield pool
    finally:
        pool.stop()


@pytest.fixture(name="sshd")
def fixture_sshd(sshd_pool: SshdPool) -> Sshd:
    """One sshd on one loopback address."""
    return sshd_pool.start(1)[0]
