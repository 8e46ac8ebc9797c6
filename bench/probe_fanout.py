"""The probe's SSH fan-out over 50 loopback hosts: parallel vs one after another,
vs plain OpenSSH `ssh` processes, and with 100 ms of round trip added.

Runs real sshd processes (tests/sshd.py: at most 16 addresses each, MaxStartups
raised) on 127.0.0.x and reads what `govops xc probe` reads (infra.xc.probe.STEPS).
Needs root and /usr/sbin/sshd. Prints figures only; the targets it is held to:

- 50 hosts in parallel (the default bound) ≤ 0.5 × the same 50 one after another;
- ≤ 1.2 × plain `ssh` processes running the same command with the same bound;
- with 50 ms added each way (a delaying TCP proxy in front of every sshd):
  50 in parallel ≤ 0.25 × the same 50 one after another.

All "hosts" here share this machine's CPUs, so what each session costs the
server is paid on the same CPUs as the client. bash reads ~/.bashrc for every
command sshd runs; where that file is heavy (here root's runs `pyenv init`, about
0.2 s of CPU per session) it swamps the client being measured, so the bench's
sshd sets SHLVL=1 for its sessions (bash then skips ~/.bashrc); `--shell-rc`
keeps it. The latency run shows what parallelism buys on a network.

    python bench/probe_fanout.py [--hosts 50] [--delay-ms 50]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import sshd as testsshd  # noqa: E402

from infra import ssh  # noqa: E402
from infra.xc import probe as xc_probe  # noqa: E402


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def fan_out(targets: list[ssh.Target], key: Path, known: Path, parallel: int) -> list[ssh.Result]:
    results = ssh.fan_out(
        targets,
        xc_probe.STEPS,
        auth=ssh.Auth(key_file=key, agent=False, default_keys=False),
        known_hosts=known,
        parallel=parallel,
        timeout=120,
    )
    bad = [r.reason for r in results if not r.ok]
    if bad:
        raise SystemExit(f"{len(bad)} hosts failed: {bad[:3]}")
    return results


def plain_ssh(
    targets: list[ssh.Target], key: Path, known: Path, parallel: int, *options: str
) -> None:
    """The same command through OpenSSH's client, `parallel` processes at a time."""
    boundary = "govops-bench"
    command = ssh.compose(xc_probe.STEPS, boundary)

    def one(t: ssh.Target) -> None:
        done = subprocess.run(
            [
                "ssh", "-q", "-i", str(key), "-p", str(t.port),
                "-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes", "-o", "IdentityAgent=none",
                "-o", f"UserKnownHostsFile={known}", "-o", "StrictHostKeyChecking=yes",
                "-o", "ConnectTimeout=60", "-F", "/dev/null", *options,
                f"{t.user}@{t.host}", command,
            ],
            capture_output=True,
            stdin=subprocess.DEVNULL,
        )  # fmt: skip
        outputs = ssh.parse(done.stdout, xc_probe.STEPS, boundary)
        if done.returncode != 0 or outputs["uname-m"].rc != 0:
            raise SystemExit(f"ssh {t.where}: exit {done.returncode}: {done.stderr[-300:]!r}")

    with ThreadPoolExecutor(parallel) as pool:
        list(pool.map(one, targets))


class DelayProxy:
    """A TCP proxy per backend adding `delay` seconds each way (latency, not a
    bandwidth limit: bytes keep their order and are forwarded `delay` after they
    arrive). Runs an asyncio loop in its own thread."""

    def __init__(self, backends: list[tuple[str, int]], delay: float):
        self.delay = delay
        self.backends = backends
        self.fronts: list[tuple[str, int]] = []
        self.loop = asyncio.new_event_loop()
        self._servers: list[asyncio.base_events.Server] = []
        ready = threading.Event()
        self.thread = threading.Thread(target=self._run, args=(ready,), daemon=True)
        self.thread.start()
        ready.wait()

    def _run(self, ready: threading.Event) -> None:
        asyncio.set_event_loop(self.loop)
        for host, port in self.backends:
            server = self.loop.run_until_complete(
                asyncio.start_server(self._handler(host, port), "127.0.0.1", 0)
            )
            self._servers.append(server)
            self.fronts.append(("127.0.0.1", server.sockets[0].getsockname()[1]))
        ready.set()
        self.loop.run_forever()

    def _handler(self, host: str, port: int) -> Callable[..., object]:
        async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            try:
                up_reader, up_writer = await asyncio.open_connection(host, port)
            except OSError:
                writer.close()
                return
            try:
                await asyncio.gather(self._pipe(reader, up_writer), self._pipe(up_reader, writer))
            except (asyncio.CancelledError, ConnectionError, OSError):
                pass  # the bench is over, or a side hung up

        return handle

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        queue: asyncio.Queue[tuple[float, bytes]] = asyncio.Queue()

        async def send() -> None:
            while True:
                due, data = await queue.get()
                wait = due - self.loop.time()
                if wait > 0:
                    await asyncio.sleep(wait)
                if not data:
                    break
                writer.write(data)
                await writer.drain()
            writer.close()

        sender = asyncio.create_task(send())
        try:
            while True:
                data = await reader.read(65536)
                queue.put_nowait((self.loop.time() + self.delay, data))
                if not data:
                    break
        except (ConnectionError, OSError):
            queue.put_nowait((self.loop.time(), b""))
        await sender

    def close(self) -> None:
        async def stop() -> None:
            for s in self._servers:
                s.close()
            tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for t in tasks:
                t.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            await asyncio.sleep(0)

        asyncio.run_coroutine_threadsafe(stop(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hosts", type=int, default=50)
    parser.add_argument("--delay-ms", type=float, default=50.0)
    parser.add_argument(
        "--shell-rc",
        action="store_true",
        help="let each session's bash read the login user's ~/.bashrc (skipped by default)",
    )
    args = parser.parse_args()
    testsshd.require_sshd()
    n = args.hosts
    bound = ssh.DEFAULT_PARALLEL
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        key = testsshd.keygen(root / "id_ed25519")
        pool = testsshd.SshdPool(root / "sshd", key)
        pool.root.mkdir()
        try:
            servers = pool.start(n, extra=() if args.shell_rc else ("SetEnv=SHLVL=1",))
            known = root / "known_hosts"
            known.write_text("".join(f"{x}\n" for s in servers for x in s.known_hosts_lines()))
            targets = [ssh.Target(h, s.port) for s in servers for h in s.hosts]
            print(
                f"{n} loopback hosts on {len(servers)} sshd processes; {os.cpu_count()} CPUs;"
                f" {len(xc_probe.STEPS)} reads per host; default bound {bound}"
            )
            fan_out(targets[:1], key, known, 1)  # warm-up: imports, first connection
            one = min(timed(lambda: fan_out(targets[:1], key, known, 1)) for _ in range(3))
            seq = timed(lambda: fan_out(targets, key, known, 1))
            par = timed(lambda: fan_out(targets, key, known, bound))
            floor_default = timed(lambda: plain_ssh(targets, key, known, bound))
            # The key exchange paramiko and this sshd agree on (paramiko has no
            # sntrup761, OpenSSH's default): the same cryptographic work.
            same_kex = ("-o", "KexAlgorithms=curve25519-sha256@libssh.org")
            floor = timed(lambda: plain_ssh(targets, key, known, bound, *same_kex))
            print(f"1 host alone:                     {one:7.3f} s")
            print(f"{n} hosts one after another:       {seq:7.3f} s")
            print(f"{n} hosts in parallel ({bound}):        {par:7.3f} s")
            print(
                f"{n} hosts, plain ssh ({bound} at once):  {floor_default:7.3f} s  (its default kex)"
            )
            print(
                f"{n} hosts, plain ssh ({bound} at once):  {floor:7.3f} s  (curve25519, as paramiko)"
            )
            print(f"parallel / sequential:            {par / seq:7.3f}   (target <= 0.5)")
            print(f"parallel / 1 host alone:          {par / one:7.3f}")
            print(
                f"parallel / plain ssh in parallel: {par / floor:7.3f}   (target <= 1.2; same kex)"
            )
            print(f"parallel / plain ssh, default:    {par / floor_default:7.3f}")

            delay = args.delay_ms / 1000
            proxy = DelayProxy([(t.host, t.port) for t in targets], delay)
            try:
                slow_known = root / "known_hosts_proxied"
                by_backend = {
                    (t.host, t.port): s for s in servers for t in targets if t.host in s.hosts
                }
                slow_known.write_text(
                    "".join(
                        f"[{fh}]:{fp} {by_backend[b].host_key_line}\n"
                        for (fh, fp), b in zip(proxy.fronts, proxy.backends, strict=True)
                    )
                )
                slow = [ssh.Target(h, p) for h, p in proxy.fronts]
                slow_one = timed(lambda: fan_out(slow[:1], key, slow_known, 1))
                slow_seq = timed(lambda: fan_out(slow, key, slow_known, 1))
                slow_par = timed(lambda: fan_out(slow, key, slow_known, bound))
                # What other bounds would give (why the default is what it is).
                others = {
                    b: timed(lambda b=b: fan_out(slow, key, slow_known, b)) for b in (4, 8, 32, 64)
                }
            finally:
                proxy.close()
            rtt = 2 * args.delay_ms
            print(f"with {rtt:g} ms round trip (delaying proxy):")
            print(f"1 host alone:                     {slow_one:7.3f} s")
            print(f"{n} hosts one after another:       {slow_seq:7.3f} s")
            print(f"{n} hosts in parallel ({bound}):        {slow_par:7.3f} s")
            print(
                f"parallel / sequential:            {slow_par / slow_seq:7.3f}   (target <= 0.25)"
            )
            for b, t in others.items():
                print(f"{n} hosts, bound {b:2d}:               {t:7.3f} s")
        finally:
            pool.stop()


if __name__ == "__main__":
    main()
