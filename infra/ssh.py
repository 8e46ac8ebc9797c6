"""SSH fan-out: the same reads and commands on many hosts at once, over paramiko.

`fan_out(targets, steps)` connects to every target from a bounded thread pool,
checks its host key against known_hosts before anything is sent, logs in with a
key (a key file, ssh-agent, the user's default keys) or a password the caller
passes, runs every step in one remote shell and returns one `Result` per target,
in the targets' order: its outputs, or the one-line reason it failed.

Time: every host has one deadline (`timeout` seconds from the moment its turn
starts) covering connect, banner, key exchange, login and the reads. paramiko's
own timeouts are set from what is left of it, and a watchdog in the caller's
thread closes the socket of any host past its deadline, so a listener that
accepts and never speaks costs `timeout`, never more, and never holds the rest.

Host keys: an unknown key is refused unless `trust_new`, which records it in the
known_hosts file and says so in the result (the caller audits it); a changed or
revoked key is always refused, with both fingerprints as OpenSSH prints them.

paramiko is imported inside the functions that use it: it costs ~0.2 s to import,
and every command is a process.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import os
import re
import secrets
import shlex
import socket
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from infra.errors import (
    AuthFailed,
    ConnectionClosed,
    ConnectionRefused,
    HostKeyChanged,
    HostKeyUnknown,
    HostTimeout,
    HostUnreachable,
    InvalidInput,
)

if TYPE_CHECKING:
    import paramiko

# Hosts worked on at once. bench/probe_fanout.py, 50 hosts: on loopback (all
# the sshds on this machine's 2 CPUs) 16 is ~4x faster than one at a time;
# behind 100 ms of round trip (a login is ~7 round trips) 16 takes 32 s down to
# 2.7 s, and 64 to 1.7 s. Going wider is left to the caller because many SSH
# logins at once from one source look like a scan to the extranet's intrusion
# prevention (and a drill is the worst time to be blocked), a jump host with
# sshd's default MaxStartups (10:30:100) starts dropping new connections past
# 10, and each host in flight holds a socket and two threads (ours and
# paramiko's transport).
DEFAULT_PARALLEL = 16
MAX_PARALLEL = 256
# One deadline per host, for everything from connect to the last byte read.
DEFAULT_TIMEOUT = 15.0
MAX_TIMEOUT = 3600.0
# What one host may send back, all steps together; more is cut off as an error.
MAX_OUTPUT = 16 * 1024 * 1024
# How often the watchdog looks at the deadlines (seconds).
_TICK = 0.05
# After closing a host's socket, how long to wait for its thread to notice before
# reporting the host as timed out anyway (a name lookup cannot be interrupted).
_GRACE = 1.0

_HOST_RE = re.compile(r"[A-Za-z0-9._:%-]+")
DEFAULT_KEY_NAMES = ("id_ed25519", "id_ecdsa", "id_rsa")


def default_known_hosts() -> Path:
    """The user's known_hosts, as OpenSSH reads it."""
    return Path.home() / ".ssh" / "known_hosts"


@dataclass(frozen=True)
class Target:
    """One host to reach. `label` is what the caller calls it (an asset serial)."""

    host: str
    port: int = 22
    user: str = "root"
    label: str = ""

    def __post_init__(self) -> None:
        # The host is written into known_hosts: no spaces, commas or newlines that
        # could add a name (or a line) for another host.
        if not _HOST_RE.fullmatch(self.host) or len(self.host) > 253:
            raise InvalidInput(f"host {self.host[:60]!r}: not a host name or address")
        if not 1 <= self.port <= 65535:
            raise InvalidInput(f"{self.host}: port {self.port} out of range 1..65535")
        if not self.user or not self.user.isprintable() or " " in self.user:
            raise InvalidInput(f"{self.host}: user {self.user[:40]!r}: not a login name")

    @property
    def known_hosts_name(self) -> str:
        """The name known_hosts files the host under: `host`, or `[host]:port`."""
        return self.host if self.port == 22 else f"[{self.host}]:{self.port}"

    @property
    def where(self) -> str:
        return self.known_hosts_name


@dataclass(frozen=True)
class Step:
    """One thing to run on every host; its output comes back under `key`."""

    key: str
    command: str


def read(path: str, key: str | None = None) -> Step:
    """A step reading a file; a missing file comes back with a non-zero `rc`."""
    return Step(key or path, f"cat -- {shlex.quote(path)}")


def run(command: str, key: str | None = None) -> Step:
    """A step running a shell command; its stdout comes back, stderr is dropped."""
    return Step(key or command, command)


@dataclass(frozen=True)
class Output:
    """What one step printed, and its exit status (None: it did not finish)."""

    rc: int | None
    data: bytes

    @property
    def ok(self) -> bool:
        return self.rc == 0

    @property
    def text(self) -> str:
        return self.data.decode("utf-8", "replace")


class Secret:
    """A password or a key's passphrase: its repr and str never show it, and it
    does not pickle (nor copy: copy and deepcopy go through the same hook)."""

    __slots__ = ("_value",)

    def __init__(self, value: str):
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('***')"

    __str__ = __repr__

    def __reduce__(self) -> Any:
        raise TypeError("a Secret is not pickled")


@dataclass(frozen=True)
class Auth:
    """How to log in: tried in this order, each only if given or enabled.

    A key file; the keys ssh-agent holds (if SSH_AUTH_SOCK is set); the user's
    default keys (~/.ssh/id_ed25519, id_ecdsa, id_rsa, unencrypted ones, only when
    no key file is given); the password, only if the caller passes one. The
    password is sent only after the host key passed the known_hosts check.
    """

    key_file: Path | None = None
    agent: bool = True
    default_keys: bool = True
    password: Secret | None = None
    # Decrypts the key file (or the default keys) here; it is never sent anywhere.
    passphrase: Secret | None = None


@dataclass(frozen=True)
class HostKey:
    """A host key as OpenSSH shows it: its type and SHA256 fingerprint."""

    kind: str
    fingerprint: str

    def __str__(self) -> str:
        return f"{self.kind} {self.fingerprint}"


@dataclass(frozen=True)
class Result:
    """One host's outcome: outputs by step key, or the error that stopped it."""

    target: Target
    outputs: dict[str, Output] = field(default_factory=dict)
    error: HostUnreachable | None = None
    host_key: HostKey | None = None
    # The host's key was unknown and has been recorded in known_hosts (trust_new).
    trusted_new: bool = False
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def status(self) -> str:
        """`ok`, or the kind of failure (`refused`, `timeout`, `auth-failed`, …)."""
        return "ok" if self.error is None else self.error.kind

    @property
    def reason(self) -> str | None:
        return None if self.error is None else str(self.error)


def fingerprint(key: paramiko.PKey) -> HostKey:
    digest = base64.b64encode(hashlib.sha256(key.asbytes()).digest()).decode().rstrip("=")
    return HostKey(key.get_name(), f"SHA256:{digest}")


# ---------------------------------------------------------------- known_hosts


@dataclass(frozen=True)
class _Known:
    line: int
    names: tuple[str, ...]
    key: paramiko.PKey
    revoked: bool


class KnownHosts:
    """One known_hosts file: looked up by many threads, appended to under a lock.

    Parsed with paramiko's HostKeyEntry (plain and hashed `|1|` names,
    `[host]:port`); `@revoked` lines refuse their key for every host;
    `@cert-authority` lines are skipped (paramiko does not verify host
    certificates); unreadable lines are skipped, as OpenSSH does.
    """

    def __init__(self, path: Path | str | None = None, trust_new: bool = False):
        self.path = Path(path) if path is not None else default_known_hosts()
        self.trust_new = trust_new
        self._lock = threading.Lock()
        self._entries: list[_Known] = []
        self._load()

    def _load(self) -> None:
        from paramiko.hostkeys import HostKeyEntry, InvalidHostKey

        try:
            text = self.path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return
        except OSError as exc:
            raise InvalidInput(f"known_hosts {self.path}: {exc.strerror or exc}") from None
        except ValueError:  # a NUL byte or a lone surrogate: no file is called that
            raise InvalidInput(f"known_hosts {str(self.path)[:200]!r} is not a file name") from None
        for n, raw in enumerate(text.splitlines(), 1):
            fields = raw.split()
            if not fields or fields[0].startswith("#"):
                continue
            revoked = False
            if fields[0].startswith("@"):
                if fields[0] != "@revoked":
                    continue
                revoked = True
                fields = fields[1:]
            try:
                entry = HostKeyEntry.from_line(" ".join(fields[:3]), n)
            except (InvalidHostKey, ValueError, TypeError):
                continue
            if entry is None or entry.key is None:
                continue
            self._entries.append(_Known(n, tuple(entry.hostnames), entry.key, revoked))

    @staticmethod
    def _matches(name: str, pattern: str) -> bool:
        from paramiko import HostKeys

        if pattern.startswith("|1|"):
            return secrets.compare_digest(HostKeys.hash_host(name, pattern), pattern)
        return pattern == name

    def lookup(self, name: str) -> list[_Known]:
        """The (not revoked) entries filed under `name`, in file order."""
        with self._lock:
            entries = list(self._entries)
        return [
            e for e in entries if not e.revoked and any(self._matches(name, p) for p in e.names)
        ]

    def key_types(self, name: str) -> list[str]:
        return list(dict.fromkeys(e.key.get_name() for e in self.lookup(name)))

    def check(self, target: Target, key: paramiko.PKey) -> bool:
        """Pass the host's key, or raise. True when the key was new and recorded."""
        name = target.known_hosts_name
        offered = fingerprint(key)
        blob = key.asbytes()
        with self._lock:
            revoked = [e for e in self._entries if e.revoked and e.key.asbytes() == blob]
        if revoked:
            raise HostKeyChanged(
                f"{name}: HOST KEY REVOKED: the host offers {offered}, marked @revoked"
                f" in {self.path}:{revoked[0].line}; refused"
            )
        known = self.lookup(name)
        if any(e.key.asbytes() == blob for e in known):
            return False
        if known:
            same_type = [e for e in known if e.key.get_name() == key.get_name()] or known
            old = same_type[0]
            raise HostKeyChanged(
                f"{name}: HOST KEY CHANGED: {self.path}:{old.line} holds {fingerprint(old.key)},"
                f" the host offers {offered}; refused (someone may be intercepting the"
                " connection, or the host was reinstalled: check, then correct known_hosts)"
            )
        if not self.trust_new:
            raise HostKeyUnknown(f"{name}: host key {offered} not in {self.path}; refused")
        self._record(name, key)
        return True

    def _record(self, name: str, key: paramiko.PKey) -> None:
        line = f"{name} {key.get_name()} {key.get_base64()}\n"
        from paramiko.hostkeys import HostKeyEntry

        entry = HostKeyEntry([name], key)
        with self._lock:
            if any(
                not e.revoked and name in e.names and e.key.asbytes() == key.asbytes()
                for e in self._entries
            ):
                return  # the same host twice in one fan-out
            self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                size = os.fstat(fd).st_size
                if size and os.pread(fd, 1, size - 1) != b"\n":
                    line = "\n" + line
                os.write(fd, line.encode())
            finally:
                os.close(fd)
            self._entries.append(_Known(-1, tuple(entry.hostnames), key, False))


# ---------------------------------------------------------------- one host


def compose(steps: Sequence[Step], boundary: str) -> str:
    """The one remote command running every step: each step's stdout framed by
    lines holding `boundary` (random per fan-out), its exit status after it.

    One command per host: one channel and one round trip for all the steps.
    """
    lines = []
    for i, step in enumerate(steps):
        lines.append(f"printf '%s %d\\n' {boundary} {i}")
        lines.append(f"( {step.command}\n) </dev/null 2>/dev/null")
        lines.append(f"printf '\\n%s %d %d\\n' {boundary} {i} \"$?\"")
    return "exec sh -c " + shlex.quote("\n".join(lines))


def parse(data: bytes, steps: Sequence[Step], boundary: str) -> dict[str, Output]:
    """Split what `compose`'s command printed back into one Output per step, in
    order (each step's frame is looked for after the previous one's end)."""
    out: dict[str, Output] = {}
    b = boundary.encode()
    pos = 0
    for i, step in enumerate(steps):
        head = b + b" %d\n" % i
        start = data.find(head, pos)
        if start < 0:
            out[step.key] = Output(None, b"")
            continue
        body = start + len(head)
        end = re.compile(rb"\n" + re.escape(b) + rb" %d (\d+)\n" % i).search(data, body)
        if end is None:
            out[step.key] = Output(None, data[body:])
            pos = len(data)
        else:
            out[step.key] = Output(int(end.group(1)), data[body : end.start()])
            pos = end.end()
    return out


class _Attempt:
    """One host's turn: its deadline, and what the watchdog closes when it passes."""

    def __init__(self, target: Target, timeout: float):
        self.target = target
        self.timeout = timeout
        self.deadline = float("inf")
        self.started = 0.0
        self.stage = "waiting for its turn"
        self.aborted = False
        self._lock = threading.Lock()
        self._sock: socket.socket | None = None
        self._transport: paramiko.Transport | None = None

    def start(self) -> None:
        self.started = time.monotonic()
        self.deadline = self.started + self.timeout

    def left(self) -> float:
        left = self.deadline - time.monotonic()
        if left <= 0 or self.aborted:
            raise self.timed_out()
        return left

    def overran(self) -> bool:
        return self.aborted or time.monotonic() >= self.deadline

    def timed_out(self) -> HostTimeout:
        stage = self.stage
        transport = self._transport
        if stage == "waiting for the SSH banner" and transport and transport.remote_version:
            stage = "in the key exchange"
        return HostTimeout(f"{self.target.where}: timed out after {self.timeout:g} s {stage}")

    def hold(
        self, sock: socket.socket | None = None, transport: paramiko.Transport | None = None
    ) -> None:
        with self._lock:
            if sock is not None:
                self._sock = sock
            if transport is not None:
                self._transport = transport
            aborted = self.aborted
        if aborted:
            self.abort()

    def abort(self) -> None:
        """Close the host's connection from another thread; its calls then fail."""
        with self._lock:
            self.aborted = True
        self.close()

    def close(self) -> None:
        with self._lock:
            sock, transport = self._sock, self._transport
        if transport is not None:
            transport.close()
        if sock is not None:
            try:
                sock.close()
            except OSError:
                pass


@dataclass(frozen=True)
class _Plan:
    steps: tuple[Step, ...]
    boundary: str
    command: str
    auth: Auth
    keys: tuple[tuple[str, paramiko.PKey], ...]  # (where it came from, key), loaded once
    known: KnownHosts


def _connect(a: _Attempt) -> socket.socket:
    a.stage = "connecting"
    t = a.target
    try:
        sock = socket.create_connection((t.host, t.port), timeout=a.left())
    except ConnectionRefusedError:
        raise ConnectionRefused(f"{t.where}: connection refused") from None
    except TimeoutError:
        raise a.timed_out() from None
    except socket.gaierror as exc:
        raise HostUnreachable(f"{t.where}: name does not resolve ({exc.strerror})") from None
    except OSError as exc:
        if a.aborted:
            raise a.timed_out() from None
        raise HostUnreachable(f"{t.where}: {exc.strerror or exc}") from None
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    a.hold(sock=sock)
    return sock


def _handshake(a: _Attempt, plan: _Plan, sock: socket.socket) -> paramiko.Transport:
    import paramiko

    a.stage = "waiting for the SSH banner"
    transport = paramiko.Transport(sock)
    a.hold(transport=transport)
    # paramiko's own timeouts are a backstop: the watchdog closes the connection at
    # the deadline and names the stage that overran.
    left = a.left() + _GRACE
    transport.banner_timeout = left
    transport.handshake_timeout = left
    transport.auth_timeout = left
    transport.channel_timeout = left
    # Ask for the key type known_hosts holds, so a host with several keys offers
    # the one that can be checked (as OpenSSH does).
    known = plan.known.key_types(a.target.known_hosts_name)
    if known:
        opts = transport.get_security_options()
        wanted = []
        for kind in known:
            wanted += ["rsa-sha2-512", "rsa-sha2-256"] if kind == "ssh-rsa" else [kind]
        first = [k for k in wanted if k in opts.key_types]
        opts.key_types = tuple(first + [k for k in opts.key_types if k not in first])
    transport.start_client(timeout=left)
    return transport


def _authenticate(a: _Attempt, plan: _Plan, transport: paramiko.Transport) -> None:
    import paramiko

    a.stage = "logging in"
    user = a.target.user
    tried: list[str] = []
    keys = list(plan.keys)
    agent = None
    if plan.auth.agent and os.environ.get("SSH_AUTH_SOCK"):
        try:
            agent = paramiko.Agent()
            keys[1 if plan.auth.key_file else 0 : 0] = [("ssh-agent", k) for k in agent.get_keys()]
        except paramiko.SSHException:
            agent = None
    try:
        for where, key in keys:
            a.left()
            tried.append(where)
            try:
                transport.auth_publickey(user, key)
            except paramiko.AuthenticationException:
                continue
            if transport.is_authenticated():
                return
    finally:
        if agent is not None:
            agent.close()
    if plan.auth.password is not None:
        a.left()
        tried.append("password")
        try:
            transport.auth_password(user, plan.auth.password.reveal())
        except paramiko.AuthenticationException:
            pass
        if transport.is_authenticated():
            return
    a.left()
    what = ", ".join(dict.fromkeys(tried)) or "nothing (no key file, agent or default key)"
    raise AuthFailed(f"{user}@{a.target.where}: authentication failed (tried {what})")


def _execute(a: _Attempt, plan: _Plan, transport: paramiko.Transport) -> dict[str, Output]:
    a.stage = "running the reads"
    chan = transport.open_session(timeout=a.left())
    try:
        chan.settimeout(a.left())
        chan.exec_command(plan.command)
        chan.shutdown_write()
        chunks: list[bytes] = []
        size = 0
        while True:
            chan.settimeout(a.left())
            try:
                data = chan.recv(65536)
            except TimeoutError:
                raise a.timed_out() from None
            if not data:
                break
            size += len(data)
            if size > MAX_OUTPUT:
                raise HostUnreachable(
                    f"{a.target.where}: sent more than {MAX_OUTPUT // 2**20} MiB; cut off"
                )
            chunks.append(data)
        if a.aborted:
            raise a.timed_out()
    finally:
        chan.close()
    return parse(b"".join(chunks), plan.steps, plan.boundary)


def _one(a: _Attempt, plan: _Plan) -> Result:
    """One host, start to finish; every failure becomes the result's error."""
    import paramiko

    a.start()
    host_key = None
    trusted = False
    transport = None
    try:
        sock = _connect(a)
        transport = _handshake(a, plan, sock)
        key = transport.get_remote_server_key()
        host_key = fingerprint(key)
        trusted = plan.known.check(a.target, key)
        _authenticate(a, plan, transport)
        outputs = _execute(a, plan, transport)
        return _result(a, outputs=outputs, host_key=host_key, trusted_new=trusted)
    except HostUnreachable as exc:
        error: HostUnreachable = a.timed_out() if a.overran() else exc
    except (paramiko.SSHException, EOFError, OSError) as exc:
        error = a.timed_out() if a.overran() else _closed(a, exc)
    except Exception as exc:  # a bug must cost one host, not the fan-out
        error = HostUnreachable(f"{a.target.where}: {type(exc).__name__}: {_first_line(exc)}")
    finally:
        a.close()
    return _result(a, error=error, host_key=host_key, trusted_new=trusted)


def _closed(a: _Attempt, exc: BaseException) -> HostUnreachable:
    if isinstance(exc, EOFError) or "closed" in str(exc).lower() or not str(exc):
        return ConnectionClosed(f"{a.target.where}: connection closed by the host {a.stage}")
    if "banner" in str(exc).lower():
        # paramiko's own banner timeout (the watchdog would have said so otherwise)
        return HostTimeout(f"{a.target.where}: no SSH banner ({_first_line(exc)})")
    return HostUnreachable(f"{a.target.where}: {a.stage}: {_first_line(exc)}")


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return (text.splitlines()[0] if text else type(exc).__name__)[:200]


def _result(a: _Attempt, **kw: Any) -> Result:
    return Result(a.target, seconds=round(time.monotonic() - a.started, 3), **kw)


# ---------------------------------------------------------------- the fan-out


def load_keys(auth: Auth) -> tuple[tuple[str, paramiko.PKey], ...]:
    """The keys to offer, loaded once per fan-out: the key file (an error if it
    cannot be used), then the default keys that load without a passphrase (or
    with `auth.passphrase`). The passphrase goes to paramiko alone: no message
    here quotes it, and paramiko's errors are not chained."""
    import paramiko

    keys: list[tuple[str, paramiko.PKey]] = []
    # paramiko 5 hands it to cryptography, which wants bytes (paramiko's hint says
    # str, and a str fails with TypeError); an empty one is none.
    passphrase: Any = (auth.passphrase.reveal().encode() or None) if auth.passphrase else None
    if auth.key_file is not None:
        path = Path(auth.key_file).expanduser()
        try:
            keys.append((f"key {path}", paramiko.PKey.from_path(path, passphrase)))
        except (paramiko.PasswordRequiredException, TypeError):
            # paramiko 5 raises TypeError for an encrypted key given no passphrase.
            raise InvalidInput(
                f"key {path} is encrypted: give its passphrase, or load it into ssh-agent"
                " (ssh-add) instead"
            ) from None
        except (OSError, paramiko.SSHException, ValueError) as exc:
            # With a passphrase, paramiko's reason for a wrong one varies by key
            # format ("bad decrypt", "Invalid key", a padding error): say what it means.
            why = "wrong passphrase, or not a key" if passphrase else _first_line(exc)
            raise InvalidInput(f"key {path}: cannot be used ({why})") from None
    elif auth.default_keys:
        home = Path.home() / ".ssh"
        for name in DEFAULT_KEY_NAMES:
            path = home / name
            if not path.is_file():
                continue
            try:
                keys.append((f"key {path}", paramiko.PKey.from_path(path, passphrase)))
            except (OSError, paramiko.SSHException, ValueError, TypeError):
                continue  # encrypted or unreadable: the agent may hold it
    return tuple(keys)


def _check_args(steps: Sequence[Step], parallel: int, timeout: float) -> None:
    if not steps:
        raise InvalidInput("nothing to run: no steps")
    keys = [s.key for s in steps]
    if len(set(keys)) != len(keys):
        raise InvalidInput("two steps share one key")
    if not 1 <= parallel <= MAX_PARALLEL:
        raise InvalidInput(f"parallelism {parallel} out of range 1..{MAX_PARALLEL}")
    if not 0 < timeout <= MAX_TIMEOUT:
        raise InvalidInput(f"timeout {timeout:g} s out of range (0, {MAX_TIMEOUT:g}]")


def fan_out(
    targets: Sequence[Target],
    steps: Sequence[Step],
    *,
    auth: Auth | None = None,
    known_hosts: KnownHosts | Path | str | None = None,
    trust_new: bool = False,
    parallel: int = DEFAULT_PARALLEL,
    timeout: float = DEFAULT_TIMEOUT,
    on_result: Callable[[Result], None] | None = None,
) -> list[Result]:
    """Run `steps` on every target, `parallel` hosts at a time; one Result per
    target, in order. `on_result` is called in the caller's thread as each host
    finishes (progress). No host takes longer than `timeout` seconds from its start.
    """
    _check_args(steps, parallel, timeout)
    _quiet_paramiko()
    known = (
        known_hosts
        if isinstance(known_hosts, KnownHosts)
        else KnownHosts(known_hosts, trust_new=trust_new)
    )
    auth = auth or Auth()
    boundary = "govops-" + secrets.token_hex(16)
    plan = _Plan(tuple(steps), boundary, compose(steps, boundary), auth, load_keys(auth), known)
    attempts = [_Attempt(t, timeout) for t in targets]
    results: list[Result | None] = [None] * len(attempts)
    pool = ThreadPoolExecutor(
        max_workers=min(parallel, max(1, len(attempts))), thread_name_prefix="govops-ssh"
    )
    try:
        running: dict[Future[Result], int] = {
            pool.submit(_one, a, plan): i for i, a in enumerate(attempts)
        }
        while running:
            done, _ = wait(running, timeout=_TICK, return_when=FIRST_COMPLETED)
            for fut in done:
                i = running.pop(fut)
                _finish(results, i, fut.result(), on_result)
            now = time.monotonic()
            for fut, i in list(running.items()):
                a = attempts[i]
                if now > a.deadline:
                    a.abort()
                if now > a.deadline + _GRACE:
                    # Its thread is stuck where a closed socket cannot reach it (a
                    # name lookup): report the host and stop waiting for it.
                    del running[fut]
                    _finish(results, i, _result(a, error=a.timed_out()), on_result)
    except BaseException:
        for a in attempts:
            a.abort()
        raise
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
    return [r for r in results if r is not None]


def _finish(
    results: list[Result | None], i: int, result: Result, on_result: Callable[[Result], None] | None
) -> None:
    results[i] = result
    if on_result is not None:
        on_result(result)


def _quiet_paramiko() -> None:
    """paramiko logs each failed connection with a traceback at ERROR; without a
    handler Python prints those to stderr. The results carry the reasons instead."""
    logger = logging.getLogger("paramiko")
    if not logger.handlers:
        logger.addHandler(logging.NullHandler())
        logger.propagate = False


__all__ = [
    "DEFAULT_PARALLEL",
    "DEFAULT_TIMEOUT",
    "Auth",
    "HostKey",
    "KnownHosts",
    "Output",
    "Result",
    "Secret",
    "Step",
    "Target",
    "fan_out",
    "read",
    "run",
]
