"""The Xinchuang probe: prove over SSH what each asset's machine really is.

For every asset with a host, `probe()` reads over SSH (`infra.ssh.fan_out`, in
parallel, one deadline per host):

- `uname -m`, `/proc/cpuinfo`, `/etc/os-release`, `/etc/kylin-release`,
  `/etc/os-version`, `/etc/lsb-release` (a missing file is simply absent);
- the running processes (`ps -e -ww -o args=`, else `/proc/*/comm`) and the
  listening TCP ports (`ss -ltnH`, else the LISTEN rows of `/proc/net/tcp{,6}`),
  to spot the catalogue's databases and middleware;

classifies the files (`infra.xc.classify.classify`), judges the result against
what the ledger records (`infra.xc.probes.verdict`: `compliant` or `mismatch`,
with both sides named) or records `unreachable` with the one-line reason, and
stores evidence, classification and host key with `record_probe`, one
transaction per host as its answer arrives (an interrupted probe keeps what it
found). A host key accepted because the caller trusted new keys is audited on
its own row (`xc.probe.trust-host-key`), naming the key and the known_hosts file.
"""

from __future__ import annotations

import getpass
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from infra import ssh
from infra.errors import (
    HostKeyChanged,
    HostKeyUnknown,
    InvalidInput,
)
from infra.store import Store, Tx
from infra.xc import catalogue as cat
from infra.xc import probes
from infra.xc.classify import FILES, Classification, NothingToClassify, classify

# What each collected file's key is, and where it comes from on the host.
_READS: dict[str, str] = {
    "cpuinfo": "/proc/cpuinfo",
    "os-release": "/etc/os-release",
    "kylin-release": "/etc/kylin-release",
    "os-version": "/etc/os-version",
    "lsb-release": "/etc/lsb-release",
}
# The first line says which source answered, so the parser knows the format.
PROCESSES = (
    "if out=$(ps -e -ww -o args= 2>/dev/null); then echo '#ps'; printf '%s\\n' \"$out\";"
    " else echo '#proc'; cat /proc/[0-9]*/comm 2>/dev/null; fi"
)
LISTENING = (
    "if command -v ss >/dev/null 2>&1; then echo '#ss'; ss -ltnH;"
    " else echo '#proc'; awk '$4 == \"0A\"' /proc/net/tcp /proc/net/tcp6 2>/dev/null; fi"
)
STEPS: tuple[ssh.Step, ...] = (
    ssh.run("uname -m", "uname-m"),
    *(ssh.read(path, key) for key, path in _READS.items()),
    ssh.run(PROCESSES, "processes"),
    ssh.run(LISTENING, "listening"),
)
assert {s.key for s in STEPS} >= set(FILES)

# What the evidence keeps of each file: classification needs only the first
# processor of cpuinfo; a 1,024-core machine's whole file would not fit a row.
MAX_EVIDENCE_FILE = 64 * 1024
MAX_PORTS = 1000


@dataclass(frozen=True)
class ProbeRequest:
    """Which assets to probe, and how to reach them.

    Exactly one of `serials`, `dept` or `all_assets` chooses the assets (those
    with a host, not retired). `port` is the SSH port of every host (the ledger
    records hosts, not ports); `user` logs in where the asset names no SSH user
    (default: the local user, as ssh does).
    """

    serials: tuple[str, ...] = ()
    dept: str | None = None
    all_assets: bool = False
    port: int = 22
    user: str | None = None
    parallel: int = ssh.DEFAULT_PARALLEL
    timeout: float = ssh.DEFAULT_TIMEOUT
    known_hosts: str | None = None
    trust_new: bool = False
    key_file: str | None = None
    catalogue: str | None = None


@dataclass(frozen=True)
class Finding:
    """One host's judged answer, as recorded."""

    outcome: str
    reason: str | None
    evidence: dict[str, Any]
    classification: Classification | None
    host_key: str | None
    host_key_trust: str | None


# ---------------------------------------------------------------- parsing


def processes(text: str) -> list[str]:
    """Command lines (or bare names, from /proc) of the running processes."""
    lines = text.splitlines()
    if lines and lines[0] in ("#ps", "#proc"):
        lines = lines[1:]
    return [line.strip() for line in lines if line.strip()]


def listening_ports(text: str) -> list[int]:
    """The TCP ports something listens on, from `ss -ltnH` or /proc/net/tcp rows."""
    lines = text.splitlines()
    source = lines[0] if lines and lines[0].startswith("#") else "#ss"
    ports: set[int] = set()
    for line in lines[1:] if lines and lines[0].startswith("#") else lines:
        fields = line.split()
        try:
            if source == "#proc":
                # sl local_address rem_address st …: local is HEXADDR:HEXPORT
                if len(fields) > 3 and fields[3] == "0A":
                    ports.add(int(fields[1].rsplit(":", 1)[1], 16))
            elif len(fields) >= 4:
                # State Recv-Q Send-Q Local:Port Peer:Port
                ports.add(int(fields[3].rsplit(":", 1)[1]))
        except (IndexError, ValueError):
            continue
    return sorted(p for p in ports if 0 < p < 65536)[:MAX_PORTS]


def stacks(
    catalogue: cat.Catalogue, procs: Sequence[str], ports: Sequence[int]
) -> list[dict[str, Any]]:
    """The catalogue's databases and middleware seen running: an entry counts when
    one of its `processes` appears in a command line (a name, or a fragment of a
    Java command line); its default ports found listening are listed beside it.
    A port alone proves nothing (8080 is everyone's), so it never counts."""
    found = []
    listening = set(ports)
    for kind in ("db", "middleware"):
        for entry in catalogue.of(kind):
            seen = sorted({p for p in entry.processes for line in procs if p and p in line})
            if seen:
                found.append(
                    {
                        "kind": kind,
                        "id": entry.id,
                        "name": entry.name,
                        "processes": seen,
                        "ports": [p for p in entry.ports if p in listening],
                    }
                )
    return found


def _evidence_text(key: str, text: str) -> str:
    if key == "cpuinfo":
        # The first processor's block: what classification reads.
        text = text.split("\n\n", 1)[0] + "\n"
    return text[:MAX_EVIDENCE_FILE]


def judge(asset: Mapping[str, Any], result: ssh.Result, catalogue: cat.Catalogue) -> Finding:
    """What one host's answer means for its asset (pure: no I/O)."""
    key = str(result.host_key) if result.host_key else None
    if not result.ok:
        error = result.error
        trust = (
            "refused-changed"
            if isinstance(error, HostKeyChanged)
            else "refused-unknown"
            if isinstance(error, HostKeyUnknown)
            else ("trusted-new" if result.trusted_new else ("known" if key else None))
        )
        why = (result.reason or "unreachable")[: probes.MAX_REASON]
        failed = {"host": result.target.where, "status": result.status}
        return Finding("unreachable", why, failed, None, key, trust)

    trust = "trusted-new" if result.trusted_new else "known"
    files = {k: o.text for k, o in result.outputs.items() if k in FILES and o.ok and o.data}
    procs = processes(result.outputs["processes"].text) if "processes" in result.outputs else []
    ports = (
        listening_ports(result.outputs["listening"].text) if "listening" in result.outputs else []
    )
    cpuinfo = files.get("cpuinfo", "")
    evidence: dict[str, Any] = {
        "host": result.target.where,
        "files": {k: _evidence_text(k, v) for k, v in sorted(files.items())},
        "missing": [k for k in FILES if k not in files],
        "processors": cpuinfo.count("\nprocessor") + cpuinfo.startswith("processor"),
        "stacks": stacks(catalogue, procs, ports),
        "listening": ports,
        "seconds": result.seconds,
    }
    try:
        found = classify(files)
    except NothingToClassify:
        nothing = f"none of {', '.join(FILES)} could be read"
        return Finding("mismatch", nothing, evidence, None, key, trust)
    outcome, reason = probes.verdict(found, asset.get("cpu_family"), asset.get("os_family"))
    return Finding(outcome, reason, evidence, found, key, trust)


# ---------------------------------------------------------------- the probe


def _chosen(tx: Tx, request: ProbeRequest) -> list[dict[str, Any]]:
    ways = sum([bool(request.serials), request.dept is not None, request.all_assets])
    if ways != 1:
        raise InvalidInput("say which assets to probe: serials, one department, or all")
    if request.dept is not None:
        from infra.org import depts

        dept = depts.resolve(tx, request.dept)
        rows = tx.all("SELECT serial FROM xc_asset WHERE dept_id = ?", (dept.id,))
        return probes.targets(tx, [r["serial"] for r in rows])
    return probes.targets(tx, list(request.serials) if request.serials else None)


def probe(
    store: Store,
    request: ProbeRequest,
    *,
    password: ssh.Secret | None = None,
    passphrase: ssh.Secret | None = None,
    on_start: Callable[[int], None] | None = None,
    on_host: Callable[[dict[str, Any]], None] | None = None,
) -> list[dict[str, Any]]:
    """Probe the chosen assets' hosts and record each one's result; returns one
    row per asset (serial order): serial, host, outcome, reason, what was found
    and what the ledger says, stacks seen, host key and how it was trusted.

    `on_start(n)` is told how many hosts will be probed; `on_host(row)` is called
    as each is recorded (in the caller's thread). The password, if any, is tried
    only after a host's key passed the known_hosts check, and never stored; the
    passphrase, if any, decrypts the key file here and is never sent nor stored.
    """
    assets = store.read(lambda tx: _chosen(tx, request))
    catalogue = cat.load(request.catalogue)
    known = ssh.KnownHosts(request.known_hosts, trust_new=request.trust_new)
    default_user = request.user or getpass.getuser()
    targets = [
        ssh.Target(a["host"], request.port, a["ssh_user"] or default_user, a["serial"])
        for a in assets
    ]
    by_serial = {a["serial"]: a for a in assets}
    rows: list[dict[str, Any]] = []
    if on_start is not None:
        on_start(len(targets))

    def record(result: ssh.Result) -> None:
        asset = by_serial[result.target.label]
        finding = judge(asset, result, catalogue)

        def write(tx: Tx) -> dict[str, Any]:
            if result.trusted_new and result.host_key is not None:
                tx.audit(
                    "xc.probe.trust-host-key",
                    "host",
                    result.target.known_hosts_name,
                    None,
                    {
                        "serial": asset["serial"],
                        "host_key": str(result.host_key),
                        "known_hosts": str(known.path),
                    },
                )
            return probes.record_probe(
                tx,
                asset["serial"],
                finding.outcome,
                reason=finding.reason,
                evidence=finding.evidence,
                classification=finding.classification,
                host_key=finding.host_key,
                host_key_trust=finding.host_key_trust,
            )

        store.write(write)
        found = finding.classification
        row = {
            "serial": asset["serial"],
            "host": asset["host"],
            "outcome": finding.outcome,
            "reason": finding.reason,
            "cpu_family": found.cpu_family if found else None,
            "os_family": found.os_family if found else None,
            "ledger_cpu": asset["cpu_family"],
            "ledger_os": asset["os_family"],
            "stacks": [s["id"] for s in finding.evidence.get("stacks", [])],
            "host_key": finding.host_key,
            "host_key_trust": finding.host_key_trust,
            "seconds": result.seconds,
        }
        rows.append(row)
        if on_host is not None:
            on_host(row)

    if targets:
        key_file = Path(request.key_file) if request.key_file else None
        ssh.fan_out(
            targets,
            STEPS,
            auth=ssh.Auth(key_file=key_file, password=password, passphrase=passphrase),
            known_hosts=known,
            parallel=request.parallel,
            timeout=request.timeout,
            on_result=record,
        )
    return sorted(rows, key=lambda r: str(r["serial"]))


def report(
    store: Store, serials: Sequence[str] = (), dept: str | None = None
) -> list[dict[str, Any]]:
    """Each asset's latest probe result (of `serials`, of one department, or all)."""

    def read(tx: Tx) -> list[dict[str, Any]]:
        chosen: list[str] | None = list(serials) if serials else None
        if dept is not None:
            from infra.org import depts

            found = depts.resolve(tx, dept)
            rows = tx.all("SELECT serial FROM xc_asset WHERE dept_id = ?", (found.id,))
            chosen = [r["serial"] for r in rows if chosen is None or r["serial"] in chosen]
        return probes.latest_probes(tx, chosen)

    return store.read(read)
