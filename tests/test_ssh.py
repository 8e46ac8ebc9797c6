"""infra.ssh against real OpenSSH servers on loopback addresses (tests/sshd.py).

Fingerprints and known_hosts entries are checked with OpenSSH's own ssh-keygen,
not with the code under test. Timings are bounded generously: a fan-out must end
within its timeout plus slack, never "fast".
"""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sshd import (
    Sshd,
    SshdPool,
    closed_port,
    fixture_client_key,  # noqa: F401
    fixture_sshd,  # noqa: F401
    fixture_sshd_pool,  # noqa: F401
    keygen,
    silent_listener,
)

from infra import ssh
from infra.errors import InvalidInput

OK_TIMEOUT = 60.0  # for hosts that answer: a loaded CI machine must not time them out
SLACK = 5.0


def ssh_keygen_fingerprint(pub: Path) -> str:
    """`SHA256:…` as OpenSSH prints it for a public key file."""
    out = subprocess.run(
        ["ssh-keygen", "-l", "-E", "sha256", "-f", str(pub)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return out.split()[1]


def known_hosts_for(path: Path, *servers: Sshd) -> Path:
    path.write_text("".join(line + "\n" for s in servers for line in s.known_hosts_lines()))
    return path


def targets(*servers: Sshd) -> list[ssh.Target]:
    return [ssh.Target(h, s.port, label=h) for s in servers for h in s.hosts]


def run(
    client_key: Path, known: Path, tgts: list[ssh.Target], steps: list[ssh.Step], **kw: object
) -> list[ssh.Result]:
    kw.setdefault("timeout", OK_TIMEOUT)
    return ssh.fan_out(
        tgts,
        steps,
        auth=ssh.Auth(key_file=client_key, agent=False, default_keys=False),
        known_hosts=known,
        **kw,  # type: ignore[arg-type]
    )


def test_files_and_commands_come_back(sshd: Sshd, client_key: Path, tmp_path: Path) -> None:
    known = known_hosts_for(tmp_path / "known_hosts", sshd)
    steps = [
        ssh.read("/etc/os-release"),
        ssh.run("uname -m", "arch"),
        ssh.read("/etc/no-such-release"),
        ssh.run("printf 'a\\nb'", "no-newline"),
        ssh.run("printf 'x\\n'; exit 3", "failing"),
        ssh.read("/etc/it's here", "quoted"),
    ]
    [result] = run(client_key, known, targets(sshd), steps)
    assert result.ok, result.reason
    assert result.status == "ok" and result.reason is None
    out = result.outputs
    assert out["/etc/os-release"].rc == 0
    assert out["/etc/os-release"].data == Path("/etc/os-release").read_bytes()
    assert out["arch"].text == os.uname().machine + "\n"
    assert out["/etc/no-such-release"].rc != 0 and out["/etc/no-such-release"].data == b""
    assert out["no-newline"] == ssh.Output(0, b"a\nb")
    assert out["failing"] == ssh.Output(3, b"x\n")
    assert out["quoted"].rc != 0
    assert result.host_key == ssh.HostKey(
        "ssh-ed25519", ssh_keygen_fingerprint(sshd.host_key.with_suffix(".pub"))
    )
    assert not result.trusted_new


def test_nothing_listening_is_refused(client_key: Path, tmp_path: Path) -> None:
    port = closed_port()
    [result] = run(client_key, tmp_path / "kh", [ssh.Target("127.0.0.8", port)], [ssh.run("true")])
    assert result.status == "refused"
    assert result.reason == f"[127.0.0.8]:{port}: connection refused"
    assert result.outputs == {}


def test_a_silent_listener_is_cut_off_at_the_timeout(
    sshd: Sshd, client_key: Path, tmp_path: Path
) -> None:
    known = known_hosts_for(tmp_path / "known_hosts", sshd)
    listener, port = silent_listener()
    with listener:
        timeout = 2.0
        silent = [ssh.Target("127.0.0.9", port, label=f"silent{i}") for i in range(3)]
        started = time.monotonic()
        results = ssh.fan_out(
            [*silent, *targets(sshd)],
            [ssh.run("uname -m")],
            auth=ssh.Auth(key_file=client_key, agent=False, default_keys=False),
            known_hosts=known,
            timeout=timeout,
            parallel=4,
        )
        elapsed = time.monotonic() - started
    assert [r.status for r in results[:3]] == ["timeout"] * 3
    for r in results[:3]:
        assert r.reason == f"[127.0.0.9]:{port}: timed out after 2 s waiting for the SSH banner"
        assert r.seconds < timeout + SLACK
    # All in parallel: the whole fan-out ends once, near the timeout.
    assert elapsed < timeout + SLACK, elapsed
    assert results[3].target == targets(sshd)[0]
    # The real host answers within the same 2 s budget unless the machine is very slow.
    assert results[3].status in ("ok", "timeout")


def test_a_command_that_hangs_is_cut_off(sshd: Sshd, client_key: Path, tmp_path: Path) -> None:
    known = known_hosts_for(tmp_path / "known_hosts", sshd)
    started = time.monotonic()
    [result] = run(client_key, known, targets(sshd), [ssh.run("sleep 60")], timeout=8.0)
    elapsed = time.monotonic() - started
    assert result.status == "timeout"
    assert result.reason is not None and result.reason.endswith("running the reads")
    assert elapsed < 8.0 + SLACK


def test_an_unknown_host_key_is_refused(sshd: Sshd, client_key: Path, tmp_path: Path) -> None:
    known = tmp_path / "known_hosts"
    known.write_text("")
    [result] = run(client_key, known, targets(sshd), [ssh.run("uname -m")])
    fp = ssh_keygen_fingerprint(sshd.host_key.with_suffix(".pub"))
    assert result.status == "host-key-unknown"
    assert result.reason == (
        f"[{sshd.hosts[0]}]:{sshd.port}: host key ssh-ed25519 {fp} not in {known}; refused"
    )
    assert result.outputs == {}
    assert known.read_text() == ""  # nothing recorded without trust_new


def test_a_changed_host_key_is_refused_loudly(sshd: Sshd, client_key: Path, tmp_path: Path) -> None:
    other = keygen(tmp_path / "other_host_key")
    kind, blob = other.with_suffix(".pub").read_text().split()[:2]
    known = tmp_path / "known_hosts"
    known.write_text(f"# a comment\n[{sshd.hosts[0]}]:{sshd.port} {kind} {blob}\n")
    [result] = run(client_key, known, targets(sshd), [ssh.run("uname -m")], trust_new=True)
    old = ssh_keygen_fingerprint(other.with_suffix(".pub"))
    new = ssh_keygen_fingerprint(sshd.host_key.with_suffix(".pub"))
    assert result.status == "host-key-changed"
    assert result.reason is not None
    assert "HOST KEY CHANGED" in result.reason
    assert f"{known}:2 holds ssh-ed25519 {old}" in result.reason
    assert f"the host offers ssh-ed25519 {new}" in result.reason
    assert result.outputs == {} and not result.trusted_new
    # trust_new never replaces a key: the file is as it was.
    assert known.read_text().count("\n") == 2


def test_a_known_key_of_another_type_is_a_changed_key(
    sshd: Sshd, client_key: Path, tmp_path: Path
) -> None:
    rsa = keygen(tmp_path / "rsa_host_key", "rsa")
    kind, blob = rsa.with_suffix(".pub").read_text().split()[:2]
    known = tmp_path / "known_hosts"
    known.write_text(f"[{sshd.hosts[0]}]:{sshd.port} {kind} {blob}\n")
    [result] = run(client_key, known, targets(sshd), [ssh.run("true")], trust_new=True)
    assert result.status == "host-key-changed"
    assert ssh_keygen_fingerprint(rsa.with_suffix(".pub")) in (result.reason or "")


def test_a_revoked_key_is_refused(sshd: Sshd, client_key: Path, tmp_path: Path) -> None:
    known = tmp_path / "known_hosts"
    lines = sshd.known_hosts_lines()
    known.write_text(f"@revoked * {sshd.host_key_line}\n" + "\n".join(lines) + "\n")
    [result] = run(client_key, known, targets(sshd), [ssh.run("true")])
    assert result.status == "host-key-changed"
    assert "REVOKED" in (result.reason or "") and f"{known}:1" in (result.reason or "")


def test_trust_new_records_the_key(sshd_pool: SshdPool, client_key: Path, tmp_path: Path) -> None:
    [server] = sshd_pool.start(2)
    known = tmp_path / "fresh" / "known_hosts"  # neither the file nor its directory exists
    results = run(client_key, known, targets(server), [ssh.run("uname -m")], trust_new=True)
    assert [r.status for r in results] == ["ok", "ok"]
    assert all(r.trusted_new for r in results)
    assert known.stat().st_mode & 0o777 == 0o600
    # OpenSSH itself finds each host's key in the file we wrote.
    for host in server.hosts:
        found = subprocess.run(
            ["ssh-keygen", "-F", f"[{host}]:{server.port}", "-f", str(known)],
            capture_output=True,
            text=True,
        )
        assert found.returncode == 0 and server.host_key_line in found.stdout, found.stdout
    # Now known: the next fan-out passes without trust_new and records nothing.
    before = known.read_text()
    again = run(client_key, known, targets(server), [ssh.run("uname -m")])
    assert [(r.status, r.trusted_new) for r in again] == [("ok", False), ("ok", False)]
    assert known.read_text() == before


def test_hashed_known_hosts_entries(sshd: Sshd, client_key: Path, tmp_path: Path) -> None:
    known = known_hosts_for(tmp_path / "known_hosts", sshd)
    subprocess.run(["ssh-keygen", "-H", "-f", str(known)], check=True, capture_output=True)
    assert known.read_text().startswith("|1|")
    [result] = run(client_key, known, targets(sshd), [ssh.run("true")])
    assert result.ok, result.reason


def test_a_wrong_key_fails_authentication(sshd: Sshd, tmp_path: Path) -> None:
    known = known_hosts_for(tmp_path / "known_hosts", sshd)
    wrong = keygen(tmp_path / "wrong_key")
    [result] = run(wrong, known, targets(sshd), [ssh.run("true")])
    assert result.status == "auth-failed"
    assert result.reason == (
        f"root@[{sshd.hosts[0]}]:{sshd.port}: authentication failed (tried key {wrong})"
    )


def test_a_password_never_shows(sshd: Sshd, tmp_path: Path) -> None:
    """The test sshd takes no passwords: the login fails, and the password appears
    in no message, repr or result."""
    known = known_hosts_for(tmp_path / "known_hosts", sshd)
    password = "s3cret-Pa55-" + os.urandom(4).hex()
    auth = ssh.Auth(agent=False, default_keys=False, password=ssh.Secret(password))
    [result] = ssh.fan_out(
        targets(sshd), [ssh.run("true")], auth=auth, known_hosts=known, timeout=OK_TIMEOUT
    )
    assert result.status == "auth-failed"
    assert result.reason is not None and "tried password" in result.reason
    for text in (result.reason, repr(result), repr(auth), str(auth.password)):
        assert password not in text
    with pytest.raises(TypeError):
        import pickle

        pickle.dumps(auth)


@pytest.fixture
def agent(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A real ssh-agent of our own, stopped afterwards."""
    sock = tmp_path / "agent.sock"
    proc = subprocess.Popen(
        ["ssh-agent", "-D", "-a", str(sock)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        for _ in range(200):
            if sock.exists():
                break
            time.sleep(0.02)
        monkeypatch.setenv("SSH_AUTH_SOCK", str(sock))
        yield sock
    finally:
        proc.kill()
        proc.wait()


def test_keys_from_the_agent_and_the_default_files(
    sshd: Sshd, client_key: Path, tmp_path: Path, agent: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    known = known_hosts_for(tmp_path / "known_hosts", sshd)
    home = tmp_path / "home"
    (home / ".ssh").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    step = [ssh.run("uname -m")]
    # Nothing to offer: the agent is empty, HOME has no keys.
    [none] = ssh.fan_out(targets(sshd), step, known_hosts=known, timeout=OK_TIMEOUT)
    assert none.status == "auth-failed"
    subprocess.run(["ssh-add", "-q", str(client_key)], check=True, capture_output=True)
    [by_agent] = ssh.fan_out(
        targets(sshd), step, auth=ssh.Auth(default_keys=False), known_hosts=known
    )
    assert by_agent.ok, by_agent.reason
    monkeypatch.delenv("SSH_AUTH_SOCK")
    for suffix in ("", ".pub"):
        (home / ".ssh" / f"id_ed25519{suffix}").write_bytes(
            Path(f"{client_key}{suffix}").read_bytes()
        )
    (home / ".ssh" / "id_ed25519").chmod(0o600)
    [by_default] = ssh.fan_out(targets(sshd), step, known_hosts=known, timeout=OK_TIMEOUT)
    assert by_default.ok, by_default.reason


def test_parallel_fan_out_gives_one_result_per_host(
    sshd_pool: SshdPool, client_key: Path, tmp_path: Path
) -> None:
    servers = sshd_pool.start(20)  # two sshd processes: 16 + 4 addresses
    known = known_hosts_for(tmp_path / "known_hosts", *servers)
    refused = ssh.Target("127.0.0.8", closed_port(), label="refused")
    tgts = targets(*servers)
    tgts.insert(7, refused)
    seen: list[str] = []
    results = run(
        client_key,
        known,
        tgts,
        [ssh.run("echo $SSH_CONNECTION", "conn"), ssh.run("uname -m")],
        parallel=16,
        on_result=lambda r: seen.append(r.target.label),
    )
    assert [r.target for r in results] == tgts
    assert sorted(seen) == sorted(t.label for t in tgts)
    assert results[7].status == "refused"
    for r in results[:7] + results[8:]:
        assert r.ok, r.reason
        # Each answer comes from the address asked: sshd reports its own side.
        assert r.outputs["conn"].text.split()[2] == r.target.host


def test_output_beyond_the_bound_is_cut_off(
    sshd: Sshd, client_key: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ssh, "MAX_OUTPUT", 1 << 20)
    known = known_hosts_for(tmp_path / "known_hosts", sshd)
    [result] = run(client_key, known, targets(sshd), [ssh.run("head -c 3000000 /dev/zero")])
    assert result.status == "unreachable"
    assert "more than 1 MiB" in (result.reason or "")


@pytest.mark.parametrize(
    "host", ["", "a b", "a,b", "a\nb", "[a]:22", "a\tb", "x" * 300, "a*", "#a"]
)
def test_hosts_that_cannot_be_filed_in_known_hosts_are_refused(host: str) -> None:
    with pytest.raises(InvalidInput):
        ssh.Target(host)


def test_bad_arguments_are_refused(tmp_path: Path) -> None:
    t = [ssh.Target("127.0.0.8", 22)]
    with pytest.raises(InvalidInput, match="parallelism"):
        ssh.fan_out(t, [ssh.run("true")], parallel=0, known_hosts=tmp_path / "kh")
    with pytest.raises(InvalidInput, match="timeout"):
        ssh.fan_out(t, [ssh.run("true")], timeout=0, known_hosts=tmp_path / "kh")
    with pytest.raises(InvalidInput, match="share one key"):
        ssh.fan_out(t, [ssh.run("true", "a"), ssh.run("false", "a")], known_hosts=tmp_path / "kh")
    with pytest.raises(InvalidInput, match="key .* cannot be used"):
        ssh.fan_out(
            t,
            [ssh.run("true")],
            auth=ssh.Auth(key_file=tmp_path / "missing"),
            known_hosts=tmp_path / "kh",
        )


def test_framing_survives_output_that_looks_like_a_boundary() -> None:
    steps = [ssh.run("a"), ssh.run("b")]
    boundary = "govops-x"
    data = b"govops-x 0\ngovops-x 1\nfake\n\ngovops-x 0 0\ngovops-x 1\n\n\ngovops-x 1 7\n"
    out = ssh.parse(data, steps, boundary)
    assert out["a"] == ssh.Output(0, b"govops-x 1\nfake\n")
    assert out["b"] == ssh.Output(7, b"\n")
    assert ssh.parse(b"govops-x 0\npartial", steps, boundary) == {
        "a": ssh.Output(None, b"partial"),
        "b": ssh.Output(None, b""),
    }
