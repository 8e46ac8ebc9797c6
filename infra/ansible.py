"""Ansible runs through ansible-runner's Python API; results come from its events.

`run(spec)` writes one private data dir per run under `runs_dir()`, named by the
run's `ident`; starts the venv's own `ansible-playbook` (found beside
`sys.executable` first, so a venv whose bin/ is not on PATH still works); feeds
every event to the caller's `on_progress` as it arrives and returns a
`RunResult`: one `HostTask` per host per task (ok, changed, failed, skipped,
unreachable, with the module's result), the unreachable hosts with their
messages, and the play recap. The stdout text is never parsed.

What goes into a run's directory (`<runs>/<ident>/`):
  inventory/hosts.json    the spec's inventory (the `--list` shape), rewritten as
                          the YAML inventory plugin reads it; group_vars/ beside
                          it is a link to the installed inventory/group_vars/, so
                          the shipped group defaults apply
  env/extravars           the extra vars (JSON; a file, not argv: no length limit,
                          not shown by ps)
  env/settings            ansible-runner's own settings (how often it polls)
  artifacts/<ident>/      what ansible-runner writes: `command` (argv, cwd and the
                          whole environment the run got), stdout, stderr, rc,
                          status, and job_events/ (one JSON file per event, some
                          hundreds per host for a long playbook)
Only the last `GOVOPS_KEEP_RUNS` (default 20) run directories are kept.

Secrets: ansible-runner seeds the run's environment with all of ours and writes
it to artifacts/<ident>/command. The environment is cut down to an allow-list
(PATH, HOME, USER, LOGNAME, LANG, LANGUAGE, LC_*, TZ, TMPDIR, SSH_AUTH_SOCK) plus
the ANSIBLE_* settings below and ansible-runner's own callback settings, so
GOVOPS_DB and its password never reach the run nor its files; ANSIBLE_* from the
caller's environment are dropped too (site settings belong in ~/.ansible.cfg or
/etc/ansible/ansible.cfg). The private key is passed as a path
(ANSIBLE_PRIVATE_KEY_FILE), never as content (ansible-runner's `ssh_key` would
write it to env/ssh_key). Every string in the inventory's variables and in the
extra vars is marked unsafe: it is data and is never rendered as a template (a
department named "{{ lookup('pipe', …) }}" runs nothing on this machine).

An SSH password or a key passphrase (`spec.password`, `spec.passphrase`, one of
them: Ansible's ssh connection carries one secret) goes the way ansible-playbook
itself takes one: it is run with --ask-pass, and ansible-runner's `passwords`
(prompt regex -> answer, kept in memory, never written to env/passwords) types
it at the "SSH password:" prompt over its pty, echo off. Ansible then hands it
to ssh through its ssh_askpass mechanism (a shared-memory segment of mode 0600
read by its SSH_ASKPASS helper, removed after each ssh command; no sshpass), and
the helper answers only a prompt holding ANSIBLE_SSHPASS_PROMPT: "assword" for
the login, "passphrase for key" for the key (so a passphrase is never offered to
a host as a password). Never the environment, env/ files, extra vars, the
command line or the inventory; tests/test_secrets.py searches every file of the
run for it.

Host keys: ansible-runner turns host key checking off unless told otherwise;
here it is on, against `spec.known_hosts` (default: the user's known_hosts, the
same file infra.ssh uses). An unknown key is refused (the host is unreachable,
"Host key verification failed") unless `trust_new`, which records it
(StrictHostKeyChecking=accept-new); a changed key is always refused.

Connections: pipelining on, ControlPersist 60 s (ControlPath is Ansible's default
~/.ansible/cp/%C, short enough for the socket path limit), BatchMode unless a
password or passphrase was given (a key with a passphrase fails instead of
waiting for a prompt nobody sees), no retry files, facts gathered only as the
playbook says, interpreter discovery silent.

Progress: each host's total is the number of tasks the playbook names, counted
statically (plays, pre_tasks, roles found beside the playbook, tasks,
post_tasks, blocks and their `always`, import_tasks and import_playbook, one
for fact gathering unless the play turns it off; `rescue` and handlers are not
counted, `meta` tasks send no event; with tags, only the tasks they select).
It is a plan, not a promise: a play whose `hosts` leaves a host out, an
include_tasks, a rescue or a handler make the real count differ, so a host's
total grows when more tasks ran than counted, a host that is unreachable or
failed (and not ignored) finishes at once, as Ansible drops it from later
tasks, and the end of the run finishes every host. Counting events as the
tasks start instead would give a bar without a total.

Stopping: Ctrl-C, SIGTERM or `spec.timeout` kill every process of the run
(ansible-playbook, its workers and what they started; see _Stop), then a
signal is raised again for the caller (KeyboardInterrupt for Ctrl-C), and a
timeout returns the result so far with status "timeout". A command already
started on a remote host may still finish there.

ansible_runner is imported inside `run` (~0.1 s): every command is a process.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import secrets
import shlex
import shutil
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from fnmatch import translate as fnmatch_translate
from importlib.util import find_spec
from pathlib import Path
from types import FrameType
from typing import Any

import playbooks
from infra.config import default_db_url_sqlite_dir
from infra.errors import GovopsError, InvalidInput
from infra.ssh import Secret, default_known_hosts

PLAYBOOKS: Path = playbooks.DIR


def _group_vars() -> Path:
    # The `inventory` package sits later in the import order (it reads the hosts
    # from the database); its data directory is needed here, not its code, so it
    # is located without importing it.
    spec = find_spec("inventory")
    if spec is not None and spec.submodule_search_locations:
        return Path(next(iter(spec.submodule_search_locations))) / "group_vars"
    return PLAYBOOKS.parent / "inventory" / "group_vars"


GROUP_VARS: Path = _group_vars()

# Hosts worked on at once, unless the spec or GOVOPS_FORKS says otherwise. Each
# fork is a copy of ansible-playbook on this machine, which runs out of CPU
# before 50 SSH sessions run out of network (20 forks over 20 loopback hosts
# kept both CPUs of the test machine busy); and the intrusion-prevention and
# MaxStartups caution of infra.ssh.DEFAULT_PARALLEL applies to wider runs.
DEFAULT_FORKS = 50
MAX_FORKS = 500
DEFAULT_KEEP_RUNS = 20
# Seconds between ansible-runner's checks for a cancel or the time limit (its
# default of 5 makes Ctrl-C wait that long).
_POLL = 1

# What a run's environment keeps of ours; everything else is dropped.
_ENV_KEEP = frozenset(
    {"PATH", "HOME", "USER", "LOGNAME", "LANG", "LANGUAGE", "TZ", "TMPDIR", "SSH_AUTH_SOCK"}
)
# What ansible-runner itself sets for its event callback (kept).
_RUNNER_KEEP = frozenset(
    {
        "ANSIBLE_CALLBACK_PLUGINS",
        "ANSIBLE_STDOUT_CALLBACK",
        "ANSIBLE_RETRY_FILES_ENABLED",
        "AWX_ISOLATED_DATA_DIR",
        "RUNNER_OMIT_EVENTS",
        "RUNNER_ONLY_FAILED_EVENTS",
    }
)
_IDENT_RE = re.compile(r"\d{8}T\d{6}\.\d{6}Z-[a-z0-9-]{1,40}-[0-9a-f]{6}")
STATUSES = ("ok", "changed", "failed", "skipped", "unreachable")


class AnsibleError(GovopsError):
    """An Ansible run could not start or ended before any host was worked on."""


@dataclass(frozen=True)
class RunSpec:
    """One playbook run.

    `playbook` is relative to PLAYBOOKS ("drill/checks.yml") or an absolute path
    (tests, a site's own playbook). `inventory` is what a dynamic inventory's
    `--list` answers; a host with `ansible_connection: local` runs its modules
    with ansible-playbook's own Python unless it names an interpreter. `limit`
    is an Ansible host pattern. `forks` bounds the hosts worked on at once (None:
    GOVOPS_FORKS, else 50); fewer are used when fewer hosts are targeted.
    `timeout` (seconds) stops the whole run; its result then has status "timeout".
    """

    playbook: str
    inventory: Mapping[str, Any]
    limit: str | None = None
    check: bool = False
    tags: tuple[str, ...] = ()
    extravars: Mapping[str, Any] = field(default_factory=dict)
    forks: int | None = None
    private_key: Path | None = None
    known_hosts: Path | None = None
    trust_new: bool = False
    timeout: int | None = None
    # The SSH login password, or the private key's passphrase: one of them (see
    # the module docstring, Secrets). Given to ansible-playbook at its prompt.
    password: Secret | None = None
    passphrase: Secret | None = None


@dataclass
class HostTask:
    """What one task did on one host. `result` is the module's result (empty for
    a skipped task); `ignored` marks a failure the playbook ignores."""

    host: str
    task: str
    status: str  # ok | changed | failed | skipped | unreachable
    result: dict[str, Any]
    action: str = ""
    ignored: bool = False


@dataclass
class RunResult:
    """A finished run. `status` is ansible-runner's (successful, failed, or
    timeout; canceled only if the caller's own SIGINT/SIGTERM handler returns),
    `rc` ansible-playbook's exit status; `hosts` the hosts targeted
    (after the limit), in inventory order; `events` every host's task outcomes in
    the order they happened; `stats` the play recap by counter and host (ok,
    changed, failures, dark, skipped, …); `data_dir` the run's private data dir
    (pruned by later runs)."""

    ident: str
    status: str
    rc: int | None
    hosts: list[str]
    events: list[HostTask]
    unreachable: dict[str, str]
    stats: dict[str, dict[str, int]]
    forks: int
    data_dir: Path

    @property
    def ok(self) -> bool:
        return self.status == "successful"

    def by_host(self) -> dict[str, list[HostTask]]:
        """Each targeted host's task outcomes, in order (empty if none came)."""
        out: dict[str, list[HostTask]] = {h: [] for h in self.hosts}
        for e in self.events:
            out.setdefault(e.host, []).append(e)
        return out

    @property
    def failed(self) -> list[str]:
        """Hosts with a failed task the playbook does not ignore."""
        return list(
            dict.fromkeys(e.host for e in self.events if e.status == "failed" and not e.ignored)
        )


@dataclass(frozen=True, slots=True)
class Progress:
    """One step of a run, for a progress display of hosts × tasks.

    `status` is "queued" (sent for every host before the run, with its planned
    total), a task's outcome (ok, changed, failed, skipped, unreachable), or
    "end" (the run is over for this host). `done` and `total` count this host's
    tasks; `finished` says the host will run nothing more (done == total then).
    """

    host: str
    task: str
    status: str
    done: int
    total: int
    finished: bool = False


ProgressCallback = Callable[[Progress], None]


# ---------------------------------------------------------------- where runs live


def runs_dir() -> Path:
    """Where run directories live: GOVOPS_RUNS, else <XDG data dir>/govops/runs."""
    env = os.environ.get("GOVOPS_RUNS")
    return Path(env) if env else Path(default_db_url_sqlite_dir()) / "runs"


def keep_runs() -> int:
    """How many run directories are kept: GOVOPS_KEEP_RUNS, default 20 (0: none,
    not even the last run's, once it has returned)."""
    return _env_int("GOVOPS_KEEP_RUNS", DEFAULT_KEEP_RUNS, 0, 100_000)


def _env_int(name: str, default: int, low: int, high: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise InvalidInput(f"{name}={raw[:40]!r}: not a whole number") from None
    if not low <= value <= high:
        raise InvalidInput(f"{name}={value}: out of range {low}..{high}")
    return value


def new_ident(playbook: str) -> str:
    """A run's name: UTC time to the microsecond (so names sort by age), the
    playbook's name, and a random suffix."""
    now = time.time()
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime(now)) + f".{int(now % 1 * 1e6):06d}Z"
    stem = re.sub(r"[^a-z0-9]+", "-", Path(playbook).stem.lower()).strip("-")[:40] or "run"
    return f"{stamp}-{stem}-{secrets.token_hex(3)}"


def prune(keep: int | None = None, root: Path | None = None) -> list[Path]:
    """Remove all but the newest `keep` run directories (default: keep_runs());
    a run still going (its directory locked) is left alone. Returns what went."""
    keep = keep_runs() if keep is None else keep
    root = runs_dir() if root is None else root
    try:
        names = sorted(p.name for p in root.iterdir() if _IDENT_RE.fullmatch(p.name))
    except FileNotFoundError:
        return []
    removed = []
    for name in names[: max(0, len(names) - keep)]:
        path = root / name
        try:
            fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
        except OSError:
            continue
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                continue  # in use by a run in another process
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
        finally:
            os.close(fd)
    return removed


# ---------------------------------------------------------------- ansible-playbook


def ansible_playbook() -> Path:
    """The ansible-playbook to run: the one installed beside this Python (a venv's
    bin/, even when that is not on PATH), else the first on PATH."""
    if sys.executable:
        beside = Path(sys.executable).parent / "ansible-playbook"
        if beside.is_file() and os.access(beside, os.X_OK):
            return beside
    found = shutil.which("ansible-playbook")
    if found:
        return Path(found)
    raise AnsibleError(
        "ansible-playbook not found beside this Python nor on PATH: install ansible-core"
    )


def size_forks(hosts: int, requested: int | None = None) -> int:
    """Forks for a run over `hosts` hosts: no more than the hosts, nor than the
    bound (`requested`, else GOVOPS_FORKS, else DEFAULT_FORKS)."""
    if requested is None:
        bound = _env_int("GOVOPS_FORKS", DEFAULT_FORKS, 1, MAX_FORKS)
    elif not 1 <= requested <= MAX_FORKS:
        raise InvalidInput(f"forks {requested} out of range 1..{MAX_FORKS}")
    else:
        bound = requested
    return max(1, min(hosts, bound))


def playbook_path(playbook: str) -> Path:
    """The playbook file: absolute, or relative to PLAYBOOKS."""
    if not playbook or "\x00" in playbook:
        raise AnsibleError("no playbook named")
    path = Path(playbook)
    if not path.is_absolute():
        path = PLAYBOOKS / path
    if not path.is_file():
        raise AnsibleError(f"no playbook {playbook!r} (looked for {path})")
    return path


# ---------------------------------------------------------------- inventory


@dataclass(frozen=True)
class Inventory:
    """The `--list` answer, read: groups with their hosts, children and vars, and
    each host's vars. Hosts are those some group lists (as Ansible's script
    plugin reads them); `hosts` keeps their first-seen order."""

    groups: dict[str, dict[str, Any]]
    hostvars: dict[str, dict[str, Any]]
    hosts: list[str]

    @classmethod
    def read(cls, data: Mapping[str, Any]) -> Inventory:
        if not isinstance(data, Mapping):
            raise AnsibleError("inventory: not a mapping of groups")
        meta = data.get("_meta") or {}
        hostvars_in = meta.get("hostvars") if isinstance(meta, Mapping) else None
        if hostvars_in is not None and not isinstance(hostvars_in, Mapping):
            raise AnsibleError("inventory: _meta.hostvars is not a mapping")
        groups: dict[str, dict[str, Any]] = {}
        seen: dict[str, None] = {}
        for name, body in data.items():
            if name == "_meta":
                continue
            if not isinstance(body, Mapping):
                raise AnsibleError(f"inventory: group {str(name)[:60]!r} is not a mapping")
            hosts = body.get("hosts") or []
            children = body.get("children") or []
            gvars = body.get("vars") or {}
            if not isinstance(hosts, list) or not all(isinstance(h, str) for h in hosts):
                raise AnsibleError(f"inventory: group {name!r}: hosts is not a list of names")
            if not isinstance(children, list) or not all(isinstance(c, str) for c in children):
                raise AnsibleError(f"inventory: group {name!r}: children is not a list of names")
            if not isinstance(gvars, Mapping):
                raise AnsibleError(f"inventory: group {name!r}: vars is not a mapping")
            groups[str(name)] = {"hosts": hosts, "children": children, "vars": dict(gvars)}
            for h in hosts:
                seen.setdefault(h, None)
        for g in list(groups.values()):
            for child in g["children"]:
                groups.setdefault(child, {"hosts": [], "children": [], "vars": {}})
        hostvars: dict[str, dict[str, Any]] = {}
        for h in seen:
            given = (hostvars_in or {}).get(h) or {}
            if not isinstance(given, Mapping):
                raise AnsibleError(f"inventory: the vars of host {h[:60]!r} are not a mapping")
            hostvars[h] = dict(given)
        return cls(groups, hostvars, list(seen))

    def members(self, group: str) -> list[str]:
        """Hosts of a group and of its descendants, in Ansible's order: the
        group's own, then its children's, level by level."""
        if group == "all":
            return list(self.hosts)
        if group == "ungrouped":  # as Ansible makes it: hosts in no other group
            grouped = {h for g, b in self.groups.items() if g not in _BUILTIN for h in b["hosts"]}
            return [h for h in self.hosts if h not in grouped]
        out: dict[str, None] = {}
        level, seen = [group], {group}
        while level:
            below: list[str] = []
            for g in level:
                body = self.groups.get(g)
                if body is None:
                    continue
                out.update(dict.fromkeys(body["hosts"]))
                below += [c for c in body["children"] if c not in seen]
                seen.update(body["children"])
            level = below
        return list(out)

    def select(self, limit: str | None) -> list[str]:
        """The hosts a limit pattern selects, read as Ansible's inventory manager
        reads it: terms split on commas (or colons); `!` excludes and `&`
        intersects, after the plain terms (which default to all); a term names a
        host or a group (a group wins, except for a plain term), or is `all`, a
        shell wildcard or a `~regex` over group and host names, with an optional
        `[i]` or `[i:j]` subscript. Returned in inventory order."""
        if limit is None or not limit.strip():
            return list(self.hosts)
        terms = _split_pattern(limit)
        plain = [t for t in terms if t[0] not in "!&"] or ["all"]
        chosen: dict[str, None] = {}
        for term in plain:
            chosen.update(dict.fromkeys([term] if term in self.hostvars else self._term(term)))
        for term in terms:
            if term[0] == "&":
                keep = set(self._term(term[1:]))
                chosen = {h: None for h in chosen if h in keep}
        for term in terms:
            if term[0] == "!":
                drop = set(self._term(term[1:]))
                chosen = {h: None for h in chosen if h not in drop}
        return [h for h in self.hosts if h in chosen]

    def _term(self, term: str) -> list[str]:
        if not term:
            return []
        if term.startswith("@"):
            raise AnsibleError(f"limit {term!r}: limit files are not supported")
        if term[0] == "~":
            try:
                rx = re.compile(term[1:])
            except re.error as exc:
                raise AnsibleError(f"limit {term!r}: bad regular expression ({exc})") from None
            return self._matching(rx, True)
        sub = _SUBSCRIPT.match(term)
        expr = sub.group(1) if sub else term
        hosts = self._matching(re.compile(fnmatch_translate(expr)), any(c in expr for c in ".?*["))
        if not sub or not hosts:
            return hosts
        idx, start, _sep, end = sub.group(2, 3, 4, 5)
        if idx is not None:  # [i]: one host (none when out of range)
            i = int(idx)
            return [hosts[i]] if -len(hosts) <= i < len(hosts) else []
        last = int(end) if end else -1  # [i:] runs to the end
        if not last:
            return [hosts[int(start)]] if int(start) < len(hosts) else []
        return hosts[int(start) : (len(hosts) if last == -1 else last + 1)]

    def _matching(self, rx: re.Pattern[str], hosts_too: bool) -> list[str]:
        out: dict[str, None] = {}
        names = dict.fromkeys([*self.groups, *_BUILTIN])
        groups = [g for g in names if rx.match(g)]
        for g in groups:
            out.update(dict.fromkeys(self.members(g)))
        if not groups or hosts_too:
            out.update(dict.fromkeys(h for h in self.hosts if rx.match(h)))
        return list(out)

    def as_yaml_plugin(self) -> dict[str, Any]:
        """The same inventory in the shape Ansible's YAML plugin reads (it reads
        .json files too), every string in the variables marked unsafe."""
        out: dict[str, Any] = {}
        placed: set[str] = set()
        for name, g in self.groups.items():
            body: dict[str, Any] = {}
            hosts: dict[str, Any] = {}
            for h in g["hosts"]:
                hosts[h] = None if h in placed else _host_vars(self.hostvars.get(h) or {})
                placed.add(h)
            if hosts:
                body["hosts"] = hosts
            if g["children"]:
                body["children"] = dict.fromkeys(g["children"])
            if g["vars"]:
                body["vars"] = _unsafe(g["vars"])
            out[name] = body or None
        return out


def _host_vars(hostvars: dict[str, Any]) -> dict[str, Any] | None:
    out = _unsafe(hostvars)
    if hostvars.get("ansible_connection") == "local" and "ansible_python_interpreter" not in out:
        # As for Ansible's implicit localhost: the controller's own Python, not
        # whatever `python3` discovery meets first on PATH (a pyenv shim, say).
        out["ansible_python_interpreter"] = "{{ ansible_playbook_python }}"
    return out or None


_BUILTIN = ("all", "ungrouped")
# A term with a subscript: `name[3]`, `name[-1]`, `name[1:]`, `name[0:2]`.
_SUBSCRIPT = re.compile(r"^(.+)\[(?:(-?[0-9]+)|([0-9]+)([:-])([0-9]*))\]$")


def _split_pattern(pattern: str) -> list[str]:
    """Ansible's split: on commas; without one, a single address (IPv4, IPv6,
    host:port) stays whole, anything else splits on colons outside brackets."""
    if "," in pattern:
        parts = pattern.split(",")
    elif _is_address(pattern.strip()):
        parts = [pattern]
    else:
        parts = re.findall(r"(?:[^\s:\[\]]|\[[^\]]*\])+", pattern)
    return [p.strip() for p in parts if p.strip()]


def _is_address(text: str) -> bool:
    import ipaddress

    bare = text[1:-1] if text.startswith("[") and text.endswith("]") else text
    try:
        ipaddress.ip_address(bare)
        return True
    except ValueError:
        pass
    return bool(re.fullmatch(r"(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+):[0-9]+", text))


def _unsafe(value: Any) -> Any:
    """`value` with every string wrapped so Ansible never renders it as a template."""
    if isinstance(value, str):
        return {"__ansible_unsafe": value}
    if isinstance(value, Mapping):
        return {str(k): _unsafe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_unsafe(v) for v in value]
    return value


# ---------------------------------------------------------------- counting tasks


def count_tasks(playbook: Path, tags: Sequence[str] = ()) -> int:
    """The tasks each host is expected to run (see the module docstring for what
    is counted); 0 when the playbook cannot be read here (Ansible will say why)."""
    try:
        return _count_playbook(playbook, frozenset(tags), 0)
    except Exception:  # a plan for a progress bar: never the reason a run fails
        return 0


def _load_yaml(path: Path) -> Any:
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class Loader(base):  # type: ignore[valid-type, misc]
        pass

    # Ansible's tags (!unsafe, !vault) read as plain values.
    Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
    with path.open(encoding="utf-8") as f:
        return yaml.load(f, Loader=Loader)  # a SafeLoader: no object construction


def _count_playbook(path: Path, wanted: frozenset[str], depth: int) -> int:
    if depth > 20:
        return 0
    plays = _load_yaml(path) or []
    total = 0
    for play in plays if isinstance(plays, list) else []:
        if not isinstance(play, dict):
            continue
        imported = _first(play, "import_playbook", "ansible.builtin.import_playbook")
        if isinstance(imported, str):
            if "{{" not in imported:
                total += _count_playbook(path.parent / imported, wanted, depth + 1)
            continue
        tags = _tags(play.get("tags"))
        if _truthy(play.get("gather_facts", True)):
            total += 1  # fact gathering is tagged `always`
        for section in ("pre_tasks", "tasks", "post_tasks"):
            total += _count_list(play.get(section), tags, wanted, path.parent, depth)
        for role in play.get("roles") or []:
            if isinstance(role, dict):
                name, rtags = role.get("role") or role.get("name"), tags | _tags(role.get("tags"))
            else:
                name, rtags = role, tags
            if not isinstance(name, str):
                continue
            for main in ("main.yml", "main.yaml"):
                tasks = path.parent / "roles" / name / "tasks" / main
                if tasks.is_file():
                    total += _count_list(_load_yaml(tasks), rtags, wanted, tasks.parent, depth)
                    break
    return total


_IMPORT_TASKS = ("import_tasks", "ansible.builtin.import_tasks")
_META = ("meta", "ansible.builtin.meta")


def _count_list(
    tasks: Any, inherited: set[str], wanted: frozenset[str], base: Path, depth: int
) -> int:
    if not isinstance(tasks, list) or depth > 20:
        return 0
    n = 0
    for t in tasks:
        if not isinstance(t, dict):
            continue
        tags = inherited | _tags(t.get("tags"))
        if "block" in t:
            for part in ("block", "always"):
                n += _count_list(t.get(part), tags, wanted, base, depth + 1)
            continue
        imported = _first(t, *_IMPORT_TASKS)
        if isinstance(imported, dict):
            imported = imported.get("file")
        if isinstance(imported, str):
            if "{{" not in imported:
                target = base / imported
                n += _count_list(_load_yaml(target), tags, wanted, target.parent, depth + 1)
            continue
        if _first(t, *_META) is not None:
            continue
        n += _selected(tags, wanted)
    return n


def _first(d: dict[str, Any], *keys: str) -> Any:
    for k in keys:
        if k in d:
            return d[k]
    return None


def _tags(value: Any) -> set[str]:
    if isinstance(value, str):
        return {t.strip() for t in value.split(",") if t.strip()}
    if isinstance(value, list):
        return {str(t) for t in value}
    return set()


def _selected(tags: set[str], wanted: frozenset[str]) -> int:
    if "always" in tags:
        return 1
    if not wanted or "all" in wanted:
        return 0 if "never" in tags else 1
    if "tagged" in wanted and tags:
        return 1
    if "untagged" in wanted and not tags:
        return 1
    return 1 if tags & wanted else 0


def _truthy(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() not in ("no", "false", "n", "0", "off", "")
    return bool(value)


# ---------------------------------------------------------------- events


class _Collector:
    """Turns ansible-runner's events into HostTasks and Progress, in the caller's
    thread, as they arrive. Cheap per event: a run has thousands."""

    def __init__(self, hosts: list[str], total: int, on_progress: ProgressCallback | None):
        self.events: list[HostTask] = []
        self.unreachable: dict[str, str] = {}
        self.stats: dict[str, dict[str, int]] = {}
        self.on_progress = on_progress
        self.done = dict.fromkeys(hosts, 0)
        self.total = dict.fromkeys(hosts, total)
        self.finished: set[str] = set()
        self.started = False  # some host's task came back

    def __call__(self, event: dict[str, Any]) -> bool:
        kind = event.get("event")
        if kind in _RESULT_EVENTS:
            self._result(_RESULT_EVENTS[kind], event.get("event_data") or {})
        elif kind == "playbook_on_stats":
            data = event.get("event_data") or {}
            self.stats = {
                k: dict(v) for k, v in data.items() if k != "artifact_data" and isinstance(v, dict)
            }
        return True  # falsy would drop the event's file from the artefacts

    def _result(self, status: str, data: dict[str, Any]) -> None:
        host = str(data.get("host") or "")
        res = data.get("res")
        res = res if isinstance(res, dict) else {}
        if status == "ok" and res.get("changed"):
            status = "changed"
        ignored = bool(data.get("ignore_errors"))
        task = str(data.get("task") or "")
        self.events.append(
            HostTask(host, task, status, res, str(data.get("task_action") or ""), ignored)
        )
        self.started = True
        if status == "unreachable":
            self.unreachable.setdefault(host, _one_line(str(res.get("msg") or "unreachable")))
        done = self.done.get(host, 0) + 1
        total = self.total.get(host, 0)
        if host in self.finished or done > total:
            total = done
        elif status == "unreachable" or (status == "failed" and not ignored):
            done = total  # Ansible drops the host from the tasks that follow
            self.finished.add(host)
        self.done[host], self.total[host] = done, total
        if self.on_progress is not None:
            self.on_progress(Progress(host, task, status, done, total, host in self.finished))

    def announce(self) -> None:
        if self.on_progress is not None:
            for host, total in self.total.items():
                self.on_progress(Progress(host, "", "queued", 0, total))

    def close(self) -> None:
        """The run is over: every host still open is finished."""
        for host in self.done:
            if host in self.finished:
                continue
            self.finished.add(host)
            total = max(self.total[host], self.done[host])
            self.done[host] = self.total[host] = total
            if self.on_progress is not None:
                self.on_progress(Progress(host, "", "end", total, total, True))


_RESULT_EVENTS = {
    "runner_on_ok": "ok",
    "runner_on_failed": "failed",
    "runner_on_skipped": "skipped",
    "runner_on_unreachable": "unreachable",
    "runner_on_async_ok": "ok",
    "runner_on_async_failed": "failed",
}


def _one_line(text: str, limit: int = 500) -> str:
    """One line of a message that may span many: ssh's do, and for a changed
    host key its warning banner is cut down to what identifies the key."""
    lines = [ln.strip() for ln in text.replace("\r", "\n").split("\n")]
    kept = [ln for ln in lines if ln and set(ln) != {"@"}]
    if any("REMOTE HOST IDENTIFICATION HAS CHANGED" in ln for ln in kept):
        head = kept[0].split("@", 1)[0].strip()
        wanted = ("SHA256:", "Offending", "has changed", "Host key verification failed")
        kept = [head + " REMOTE HOST IDENTIFICATION HAS CHANGED:"] + [
            ln for ln in kept if any(w in ln for w in wanted)
        ]
    out = re.sub(r"\s+", " ", " ".join(kept)).strip()
    return out if len(out) <= limit else out[: limit - 1] + "…"


# ---------------------------------------------------------------- the run


def _environment(spec: RunSpec, known_hosts: Path, binary: Path) -> dict[str, str]:
    """The ANSIBLE_* settings every run gets (see the module docstring)."""
    ssh_args = [
        "-C",
        "-o", "ControlMaster=auto",
        "-o", "ControlPersist=60s",
        # ssh expands %-tokens in this path: a literal % is written %%.
        "-o", "UserKnownHostsFile=" + str(known_hosts).replace("%", "%%"),
        "-o", "StrictHostKeyChecking=" + ("accept-new" if spec.trust_new else "yes"),
        # With a secret ssh must ask Ansible's askpass helper for it; BatchMode
        # would forbid that. Without one, nothing may wait for a prompt.
        "-o", "BatchMode=" + ("no" if _secret(spec) else "yes"),
    ]  # fmt: skip
    env = {
        "ANSIBLE_HOST_KEY_CHECKING": "True",
        "ANSIBLE_SSH_ARGS": shlex.join(ssh_args),
        "ANSIBLE_PIPELINING": "True",
        "ANSIBLE_RETRY_FILES_ENABLED": "False",
        "ANSIBLE_NOCOLOR": "True",
        "ANSIBLE_LOCALHOST_WARNING": "False",
        "ANSIBLE_PYTHON_INTERPRETER": "auto_silent",
        "ANSIBLE_INVENTORY_ENABLED": "yaml",
        # The venv's bin/ first: ansible-playbook's helpers (ansible-connection)
        # come from the same install.
        "PATH": os.pathsep.join(
            dict.fromkeys([str(binary.parent), *os.environ.get("PATH", "").split(os.pathsep)])
        ).strip(os.pathsep),
    }
    if spec.private_key is not None:
        env["ANSIBLE_PRIVATE_KEY_FILE"] = str(Path(spec.private_key).expanduser().absolute())
    if _secret(spec) is not None:
        # Not secrets: how the secret reaches ssh. ssh_askpass (ansible-core's
        # default since 2.19; no sshpass) hands it to ssh through SSH_ASKPASS, and
        # only for a prompt holding this text: the password prompt, or the key's.
        env["ANSIBLE_SSH_PASSWORD_MECHANISM"] = "ssh_askpass"
        env["ANSIBLE_SSHPASS_PROMPT"] = "assword" if spec.password else "passphrase for key"
    return env


def _secret(spec: RunSpec) -> Secret | None:
    return spec.password or spec.passphrase


# What ansible-playbook --ask-pass prints, as ansible-runner's `passwords` reads it
# (a regular expression, multi-line mode).
_ASK_PASS = r"^SSH password:\s*?$"


def _scrub(env: Mapping[str, str], ours: Mapping[str, str]) -> dict[str, str]:
    return {
        k: v
        for k, v in env.items()
        if k in ours or k in _RUNNER_KEEP or k in _ENV_KEEP or k.startswith("LC_")
    }


def _check_spec(spec: RunSpec) -> None:
    if isinstance(spec.tags, str):
        raise InvalidInput("tags: a sequence of names, not one string")
    for tag in spec.tags:
        if not tag or "," in tag or not tag.isprintable():
            raise InvalidInput(f"tag {tag[:40]!r}: not a tag name")
    if spec.timeout is not None and not 1 <= spec.timeout <= 7 * 86400:
        raise InvalidInput(f"timeout {spec.timeout} s out of range 1..{7 * 86400}")
    if spec.private_key is not None:
        key = Path(spec.private_key).expanduser()
        if not key.is_file() or not os.access(key, os.R_OK):
            raise AnsibleError(f"private key {key}: not a readable file")
    if not isinstance(spec.extravars, Mapping):
        raise InvalidInput("extra vars: not a mapping")
    for what in (spec.password, spec.passphrase):
        if what is not None and not isinstance(what, Secret):
            raise InvalidInput("a password or passphrase is passed as a Secret")
    if spec.password is not None and spec.passphrase is not None:
        raise InvalidInput(
            "an SSH password and a key passphrase together: Ansible's ssh connection takes"
            " one secret; give one (or load the key into ssh-agent and give the password)"
        )


@contextmanager
def _cancel_on_signals() -> Iterator[Callable[[], bool]]:
    """While the run goes, Ctrl-C and SIGTERM only ask it to stop (see _Stop);
    once it has stopped, the handlers are restored and the signal is raised again,
    so the caller gets its KeyboardInterrupt (or its own handler runs) with no
    Ansible process left behind."""
    got: list[int] = []
    if threading.current_thread() is not threading.main_thread():
        yield lambda: False  # only the main thread can take signals
        return

    def handler(signum: int, frame: FrameType | None) -> None:
        got.append(signum)

    old = {s: signal.signal(s, handler) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield lambda: bool(got)
    finally:
        for s, h in old.items():
            signal.signal(s, h)
    if got:
        signal.raise_signal(got[0])


class _Stop:
    """ansible-runner's cancel callback: asked about once a second whether to stop.

    On Ctrl-C, SIGTERM or the run's time limit it kills the run's processes
    itself before saying yes: ansible-runner kills only ansible-playbook's process
    group, and Ansible's workers each start a session of their own, so their
    modules (a local command, the ssh client of a remote one) would outlive the
    run. A command already started on a remote host may still finish there."""

    def __init__(self, interrupted: Callable[[], bool], timeout: int | None, marker: str):
        self.interrupted = interrupted
        self.deadline = None if timeout is None else time.monotonic() + timeout
        self.marker = marker.encode()
        self.timed_out = False

    def __call__(self) -> bool:
        if self.deadline is not None and time.monotonic() > self.deadline:
            self.timed_out = True
        if not (self.timed_out or self.interrupted()):
            return False
        _kill_tree(self.marker)
        return True


def _kill_tree(marker: bytes) -> None:
    """SIGKILL every process whose command line holds `marker` (ansible-playbook
    and its forked workers share it) and everything they started, deepest first."""
    parents: dict[int, list[int]] = {}
    roots = []
    me = os.getpid()
    for entry in Path("/proc").iterdir() if Path("/proc").is_dir() else []:
        if not entry.name.isdigit() or int(entry.name) == me:
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        pid, ppid = int(entry.name), int(stat.rsplit(")", 1)[1].split()[1])
        parents.setdefault(ppid, []).append(pid)
        if marker in cmdline:
            roots.append(pid)
    order: list[int] = []
    todo = list(roots)
    while todo:
        pid = todo.pop()
        if pid not in order:
            order.append(pid)
            todo.extend(parents.get(pid, []))
    for pid in reversed(order):
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass


def _write_json(path: Path, data: Any) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False)


def _first_error(artifacts: Path) -> str:
    """The first error line ansible-playbook printed (it printed no events)."""
    for name in ("stdout", "stderr"):
        try:
            text = (artifacts / name).read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        text = re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", text)
        lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
        for i, ln in enumerate(lines):
            if "ERROR" in ln:
                msg = re.sub(r"^\[?ERROR\]?!?:?\s*", "", ln)
                if not msg and i + 1 < len(lines):
                    msg = lines[i + 1]
                return _one_line(msg, 300)
        if lines:
            return _one_line(lines[-1], 300)
    return "no output"


def run(spec: RunSpec, *, on_progress: ProgressCallback | None = None) -> RunResult:
    """Run a playbook over the spec's inventory; results from the run's events.

    Raises AnsibleError (or InvalidInput) when the run cannot start: no playbook,
    no ansible-playbook, no host to run on, a playbook Ansible cannot parse.
    A run that starts returns, whatever happened on the hosts.
    """
    _check_spec(spec)
    path = playbook_path(spec.playbook)
    inv = Inventory.read(spec.inventory)
    if not inv.hosts:
        raise AnsibleError("no hosts in the inventory")
    hosts = inv.select(spec.limit)
    if not hosts:
        raise AnsibleError(f"limit {spec.limit!r} matches no host in the inventory")
    forks = size_forks(len(hosts), spec.forks)
    keep = keep_runs()
    binary = ansible_playbook()
    known = Path(spec.known_hosts or default_known_hosts()).expanduser().absolute()
    if spec.trust_new and not known.parent.exists():
        known.parent.mkdir(mode=0o700, parents=True, exist_ok=True)

    root = runs_dir()
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    ident = new_ident(path.name)
    pdd = root / ident
    pdd.mkdir(mode=0o700)
    lock = os.open(pdd, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(lock, fcntl.LOCK_SH)
        return _run(spec, path, inv, hosts, forks, binary, known, ident, pdd, on_progress)
    finally:
        os.close(lock)
        prune(keep, root)


def _run(
    spec: RunSpec,
    path: Path,
    inv: Inventory,
    hosts: list[str],
    forks: int,
    binary: Path,
    known: Path,
    ident: str,
    pdd: Path,
    on_progress: ProgressCallback | None,
) -> RunResult:
    from ansible_runner.config.runner import RunnerConfig
    from ansible_runner.exceptions import AnsibleRunnerException
    from ansible_runner.runner import Runner
    from ansible_runner.utils import get_callback_dir

    (pdd / "inventory").mkdir(mode=0o700)
    (pdd / "env").mkdir(mode=0o700)
    inventory_file = pdd / "inventory" / "hosts.json"
    _write_json(inventory_file, inv.as_yaml_plugin())
    if GROUP_VARS.is_dir():
        (pdd / "inventory" / "group_vars").symlink_to(GROUP_VARS, target_is_directory=True)
    if spec.extravars:
        _write_json(pdd / "env" / "extravars", _unsafe(dict(spec.extravars)))
    _write_json(pdd / "env" / "settings", {"pexpect_timeout": _POLL})

    ours = _environment(spec, known, binary)
    cmdline = [str(path)]
    if spec.check:
        cmdline.append("--check")
    secret = _secret(spec)
    if secret is not None:
        cmdline.append("--ask-pass")  # answered by ansible-runner (`passwords`)
    collector = _Collector(hosts, count_tasks(path, spec.tags), on_progress)
    try:
        rc_config = RunnerConfig(
            private_data_dir=str(pdd),
            ident=ident,
            binary=str(binary),
            cmdline=shlex.join(cmdline),
            inventory=str(inventory_file),
            limit=spec.limit or None,
            tags=",".join(spec.tags) or None,
            forks=forks,
            envvars=ours,
            quiet=True,
            fact_cache_type="memory",
            # Kept in memory: RunnerConfig writes no env/passwords (only the
            # interface's run() dumps its arguments to env/ files).
            passwords={_ASK_PASS: secret.reveal()} if secret is not None else None,
        )
        rc_config.prepare()
    except AnsibleRunnerException as exc:
        raise AnsibleError(f"ansible-runner: {_one_line(str(exc), 300)}") from None
    # ansible-runner started from a copy of our whole environment: keep only what
    # the run needs (this is also what lands in artifacts/<ident>/command).
    rc_config.env = _scrub(rc_config.env, ours)
    rc_config.env["ANSIBLE_CALLBACK_PLUGINS"] = get_callback_dir()

    with _cancel_on_signals() as interrupted:
        stop = _Stop(interrupted, spec.timeout, str(inventory_file))
        collector.announce()
        runner = Runner(config=rc_config, event_handler=collector, cancel_callback=stop)
        try:
            status, rc = runner.run()
        finally:
            rc_config.passwords = None
            rc_config.expect_passwords = {}
    if stop.timed_out:
        status = "timeout"
    collector.close()
    if not collector.started and rc != 0 and status not in ("canceled", "timeout"):
        artifacts = Path(rc_config.artifact_dir)
        raise AnsibleError(f"{path.name}: ansible-playbook exit {rc}: {_first_error(artifacts)}")
    return RunResult(
        ident=ident,
        status=str(status),
        rc=rc,
        hosts=hosts,
        events=collector.events,
        unreachable=collector.unreachable,
        stats=collector.stats,
        forks=forks,
        data_dir=pdd,
    )


__all__ = [
    "DEFAULT_FORKS",
    "DEFAULT_KEEP_RUNS",
    "GROUP_VARS",
    "PLAYBOOKS",
    "AnsibleError",
    "HostTask",
    "Inventory",
    "Progress",
    "ProgressCallback",
    "RunResult",
    "RunSpec",
    "STATUSES",
    "ansible_playbook",
    "count_tasks",
    "keep_runs",
    "new_ident",
    "playbook_path",
    "prune",
    "run",
    "runs_dir",
    "size_forks",
]
