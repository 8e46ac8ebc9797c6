"""infra.ansible against real ansible-playbook (through ansible-runner), real OpenSSH
servers on loopback addresses (tests/sshd.py) and localhost with connection local.

Outcomes are read from the run's events and checked against what the playbook was
written to do; host keys are checked with OpenSSH's own ssh-keygen; the limit
resolver is checked against Ansible's own inventory manager.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from sshd import (
    Sshd,
    SshdPool,
    closed_port,
    fixture_client_key,  # noqa: F401
    fixture_sshd_pool,  # noqa: F401
    keygen,
)

from infra import ansible
from infra.clikit import AnsibleProgress
from infra.errors import GovopsError

ROOT = Path(__file__).resolve().parent.parent
# The loopback sshds are this machine: a login's shell may put a pyenv shim
# first on PATH, which interpreter discovery would pick and which then fails.
REMOTE_PY = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable


def local(**hostvars: Any) -> dict[str, Any]:
    return {"ansible_connection": "local", **hostvars}


def over_ssh(server: Sshd, host: str) -> dict[str, Any]:
    return {
        "ansible_host": host,
        "ansible_port": server.port,
        "ansible_python_interpreter": REMOTE_PY,
    }


def inventory(hostvars: dict[str, dict[str, Any]], **groups: list[str]) -> dict[str, Any]:
    """A `--list` answer: every host in `all`'s child `hosts_group` unless groups say."""
    groups = groups or {"everyone": list(hostvars)}
    body: dict[str, Any] = {g: {"hosts": hs} for g, hs in groups.items()}
    return {"_meta": {"hostvars": hostvars}, "all": {"children": list(groups)}, **body}


def write_playbook(tmp_path: Path, text: str, name: str = "play.yml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    return path


def known_hosts_for(path: Path, *servers: Sshd) -> Path:
    path.write_text("".join(line + "\n" for s in servers for line in s.known_hosts_lines()))
    return path


def command_artifact(result: ansible.RunResult) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        (result.data_dir / "artifacts" / result.ident / "command").read_text()
    )
    return data


def outcomes(result: ansible.RunResult) -> dict[str, list[tuple[str, str]]]:
    return {h: [(e.task, e.status) for e in es] for h, es in result.by_host().items()}


def one_line(exc: BaseException) -> str:
    text = str(exc)
    assert "\n" not in text and text.isprintable(), text
    assert "--" not in text, text
    return text


# ---------------------------------------------------------------- outcomes

OUTCOMES = """\
    - hosts: all
      gather_facts: false
      tasks:
        - name: steady
          ansible.builtin.command: "true"
          changed_when: false
        - name: change
          ansible.builtin.command: "true"
        - name: skip
          ansible.builtin.debug: {msg: never}
          when: false
        - name: fail on s2
          ansible.builtin.command: "false"
          when: inventory_hostname == 's2'
        - name: loop
          ansible.builtin.debug: {msg: "item {{ item }}"}
          loop: [1, 2]
        - name: last
          ansible.builtin.ping:
    """


@pytest.mark.slow
def test_outcomes_per_host_and_task_come_from_events(
    sshd_pool: SshdPool, client_key: Path, tmp_path: Path
) -> None:
    server = sshd_pool.start(2)[0]
    h1, h2 = server.hosts
    hv = {
        "s1": over_ssh(server, h1),
        "s2": over_ssh(server, h2),
        "down": {"ansible_host": "127.0.0.8", "ansible_port": closed_port()},
        "lo": local(),
    }
    seen: list[ansible.Progress] = []
    result = ansible.run(
        ansible.RunSpec(
            str(write_playbook(tmp_path, OUTCOMES)),
            inventory(hv),
            private_key=client_key,
            known_hosts=known_hosts_for(tmp_path / "known_hosts", server),
        ),
        on_progress=seen.append,
    )
    survivor = [
        ("steady", "ok"),
        ("change", "changed"),
        ("skip", "skipped"),
        ("fail on s2", "skipped"),
        ("loop", "ok"),
        ("last", "ok"),
    ]
    got = outcomes(result)
    assert got["s1"] == survivor and got["lo"] == survivor
    # A failed host is dropped from the tasks after its failure.
    assert got["s2"] == [*survivor[:3], ("fail on s2", "failed")]
    # An unreachable host has one event, its first task, and is dropped.
    assert got["down"] == [("steady", "unreachable")]
    assert list(result.unreachable) == ["down"]
    assert "Connection refused" in result.unreachable["down"]
    assert "\n" not in result.unreachable["down"]
    assert result.hosts == ["s1", "s2", "down", "lo"]
    assert result.failed == ["s2"]
    assert result.status == "failed" and not result.ok
    assert result.stats["failures"] == {"s2": 1}
    assert result.stats["dark"] == {"down": 1}
    assert result.stats["changed"] == {"s1": 1, "s2": 1, "lo": 1}
    # The module's result rides along: a loop's items, a failed command's rc.
    loop = next(e for e in result.events if e.host == "s1" and e.task == "loop")
    assert [r["msg"] for r in loop.result["results"]] == ["item 1", "item 2"]
    failed = next(e for e in result.events if e.status == "failed")
    assert failed.result["rc"] == 1 and failed.action == "ansible.builtin.command"
    assert not failed.ignored

    # Progress: every host announced with the playbook's 6 tasks, each finished
    # with done == total; the unreachable and the failed hosts at once.
    assert {p.host: p.total for p in seen if p.status == "queued"} == dict.fromkeys(hv, 6)
    last = {p.host: p for p in seen}
    assert all(p.finished and p.done == p.total == 6 for p in last.values())
    first_down = next(p for p in seen if p.host == "down" and p.status != "queued")
    assert (first_down.status, first_down.done, first_down.finished) == ("unreachable", 6, True)
    s2_fail = next(p for p in seen if p.host == "s2" and p.status == "failed")
    assert (s2_fail.done, s2_fail.finished) == (6, True)
    s1_steps = [p.done for p in seen if p.host == "s1" and p.status not in ("queued", "end")]
    assert s1_steps == [1, 2, 3, 4, 5, 6]

    # The event handler keeps every event's file (a falsy return would drop it).
    files = list((result.data_dir / "artifacts" / result.ident / "job_events").glob("*.json"))
    kinds = [json.loads(f.read_text())["event"] for f in files]
    results = [k for k in kinds if k.startswith("runner_on_") and k != "runner_on_start"]
    assert len(results) == len(result.events)
    assert "playbook_on_stats" in kinds

    # The renderer the CLI passes as on_progress adds up the same run.
    progress = AnsibleProgress("test")
    with progress:
        for p in seen:
            progress(p)
    assert progress.tasks_done == progress.tasks_total == 4 * 6
    assert progress.finished == set(hv)
    assert progress.counts() == {"ok": 0, "changed": 2, "failed": 1, "unreachable": 1}


# ---------------------------------------------------------------- host keys


@pytest.mark.slow
def test_host_keys_unknown_refused_trusted_when_asked_changed_always_refused(
    sshd_pool: SshdPool, client_key: Path, tmp_path: Path
) -> None:
    server = sshd_pool.start(3)[0]
    fresh, moved, known = server.hosts
    impostor = keygen(tmp_path / "impostor")
    impostor_line = " ".join(impostor.with_suffix(".pub").read_text().split()[:2])
    kh = tmp_path / "known_hosts"
    kh.write_text(f"[{moved}]:{server.port} {impostor_line}\n{server.known_hosts_lines()[2]}\n")
    before = kh.read_bytes()
    hv = {"fresh": over_ssh(server, fresh), "moved": over_ssh(server, moved)}
    hv["known"] = over_ssh(server, known)
    inv = inventory(hv)

    def spec(trust_new: bool) -> ansible.RunSpec:
        return ansible.RunSpec(
            "ping.yml", inv, private_key=client_key, known_hosts=kh, trust_new=trust_new
        )

    strict = ansible.run(spec(False))
    assert set(strict.unreachable) == {"fresh", "moved"}
    assert "Host key verification failed" in strict.unreachable["fresh"]
    assert "No ED25519 host key is known" in strict.unreachable["fresh"]
    assert "REMOTE HOST IDENTIFICATION HAS CHANGED" in strict.unreachable["moved"]
    assert "Host key verification failed" in strict.unreachable["moved"]
    assert outcomes(strict)["known"] == [("Ping", "ok")]
    assert kh.read_bytes() == before  # nothing recorded without trust_new

    trusting = ansible.run(spec(True))
    assert list(trusting.unreachable) == ["moved"]  # a changed key: refused even so
    assert outcomes(trusting)["fresh"] == [("Ping", "ok")]

    def recorded(host: str) -> list[str]:
        out = subprocess.run(
            ["ssh-keygen", "-F", f"[{host}]:{server.port}", "-f", str(kh)],
            capture_output=True,
            text=True,
        ).stdout
        return [" ".join(ln.split()[1:3]) for ln in out.splitlines() if ln and ln[0] != "#"]

    assert recorded(fresh) == [server.host_key_line]
    assert recorded(moved) == [impostor_line]

    env = command_artifact(strict)["env"]
    assert env["ANSIBLE_HOST_KEY_CHECKING"] == "True"
    assert f"UserKnownHostsFile={kh}" in env["ANSIBLE_SSH_ARGS"]
    assert "StrictHostKeyChecking=yes" in env["ANSIBLE_SSH_ARGS"]
    assert (
        "StrictHostKeyChecking=accept-new" in command_artifact(trusting)["env"]["ANSIBLE_SSH_ARGS"]
    )


# ---------------------------------------------------------------- what is passed


@pytest.mark.slow
def test_check_mode_reports_changed_and_writes_nothing(tmp_path: Path) -> None:
    dest = tmp_path / "out" / "file.txt"
    dest.parent.mkdir()
    play = write_playbook(
        tmp_path,
        """\
        - hosts: all
          gather_facts: false
          tasks:
            - name: write the file
              ansible.builtin.copy: {content: "hello\\n", dest: "{{ dest }}"}
        """,
    )
    inv = inventory({"lo": local()})
    dry = ansible.run(ansible.RunSpec(str(play), inv, check=True, extravars={"dest": str(dest)}))
    assert outcomes(dry)["lo"] == [("write the file", "changed")]
    assert not dest.exists()
    assert "--check" in command_artifact(dry)["command"]

    real = ansible.run(ansible.RunSpec(str(play), inv, extravars={"dest": str(dest)}))
    assert outcomes(real)["lo"] == [("write the file", "changed")]
    assert dest.read_text() == "hello\n"


def test_inventory_and_extra_vars_are_data_never_templates(tmp_path: Path) -> None:
    play = write_playbook(
        tmp_path,
        """\
        - hosts: all
          gather_facts: false
          tasks:
            - name: show
              ansible.builtin.debug:
                msg: "{{ dept }}|{{ team }}|{{ raw }}|{{ nested.list[1] }}|{{ count + 1 }}"
        """,
    )
    inv = inventory({"lo": local(dept="{{ 7 * 6 }}")})
    inv["everyone"]["vars"] = {"team": "{{ lookup('pipe', 'id') }}"}
    result = ansible.run(
        ansible.RunSpec(
            str(play),
            inv,
            extravars={"raw": "{{ 6 * 7 }}", "nested": {"list": ["a", "{{ 1 }}"]}, "count": 41},
        )
    )
    [event] = result.events
    assert event.result["msg"] == "{{ 7 * 6 }}|{{ lookup('pipe', 'id') }}|{{ 6 * 7 }}|{{ 1 }}|42"
    # The shipped group defaults apply beside the inventory (group_vars/all.yml).
    group_vars = result.data_dir / "inventory" / "group_vars"
    assert group_vars.resolve() == ansible.GROUP_VARS.resolve()


def test_limit_tags_and_forks_are_passed(tmp_path: Path) -> None:
    play = write_playbook(
        tmp_path,
        """\
        - hosts: all
          gather_facts: false
          tasks:
            - {name: one, ansible.builtin.debug: {msg: one}, tags: [one]}
            - {name: two, ansible.builtin.debug: {msg: two}, tags: [two]}
            - {name: both, ansible.builtin.debug: {msg: both}, tags: [always]}
        """,
    )
    hv = {name: local() for name in ("a1", "a2", "a3", "b1")}
    inv = inventory(hv, ga=["a1", "a2", "a3"], gb=["b1"])
    seen: list[ansible.Progress] = []
    result = ansible.run(
        ansible.RunSpec(str(play), inv, limit="ga:!a2", tags=("one",)), on_progress=seen.append
    )
    assert result.hosts == ["a1", "a3"]
    assert outcomes(result) == {h: [("one", "ok"), ("both", "ok")] for h in ("a1", "a3")}
    assert result.forks == 2  # sized to the hosts targeted
    assert {p.host: p.total for p in seen if p.status == "queued"} == {"a1": 2, "a3": 2}
    argv = command_artifact(result)["command"]
    assert argv[argv.index("--limit") + 1] == "ga:!a2"
    assert argv[argv.index("--tags") + 1] == "one"
    assert argv[argv.index("--forks") + 1] == "2"


def test_forks_are_sized_to_the_hosts_and_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    assert ansible.size_forks(3) == 3
    assert ansible.size_forks(1000) == ansible.DEFAULT_FORKS == 50
    assert ansible.size_forks(1000, 8) == 8
    assert ansible.size_forks(2, 8) == 2
    monkeypatch.setenv("GOVOPS_FORKS", "5")
    assert ansible.size_forks(1000) == 5
    assert ansible.size_forks(1000, 7) == 7  # the spec's own bound wins
    for bad in (0, ansible.MAX_FORKS + 1):
        with pytest.raises(GovopsError) as exc:
            ansible.size_forks(10, bad)
        one_line(exc.value)
    monkeypatch.setenv("GOVOPS_FORKS", "many")
    with pytest.raises(GovopsError, match="GOVOPS_FORKS"):
        ansible.size_forks(10)


# ---------------------------------------------------------------- the limit resolver

PATTERNS = [
    "all",
    "*",
    "ga",
    "ga:gb",
    "ga,gb",
    " ga , gb ",
    "ga:!a2",
    "ga:&gd",
    "gc",
    "!ga",
    "&gc",
    "a*",
    "*1",
    "~b.*",
    "~a[13]",
    "all:!~^a",
    "g?",
    "ungrouped",
    "u*",
    "c1",  # both a host and a group: a plain term names the host
    "all:!c1",  # after ! or &, the group
    "all:&c1",
    "ga[0]",
    "ga[-1]",
    "ga[1:]",
    "ga[0:1]",
    "ga[5]",
    "gc[2]",  # a group's hosts, then its children's, level by level
    "gc[1:2]",
    "gc[1:0]",
    "all:!gc",
    "a1,b1,nosuch",
    "a1:b1",
    "nosuch",
    "127.0.0.1",
]


def test_limit_patterns_select_what_ansible_selects(tmp_path: Path) -> None:
    from ansible.errors import AnsibleError
    from ansible.inventory.manager import InventoryManager
    from ansible.parsing.dataloader import DataLoader

    hv: dict[str, dict[str, Any]] = {n: {} for n in ("a1", "a2", "a3", "b1", "b2", "c1", "u1")}
    listed = inventory(hv, ga=["a1", "a2", "a3"], gb=["b1", "b2"], gd=["a3", "c1"], c1=["a1"])
    listed["gc"] = {"children": ["gb", "gd"]}
    listed["all"]["hosts"] = ["u1"]
    ours = ansible.Inventory.read(listed)
    path = tmp_path / "hosts.json"
    path.write_text(json.dumps(ours.as_yaml_plugin()))
    theirs = InventoryManager(loader=DataLoader(), sources=[str(path)])
    assert sorted(theirs.hosts) == sorted(ours.hosts)
    for pattern in PATTERNS:
        theirs.subset(pattern)
        try:
            expected = sorted(h.name for h in theirs.get_hosts("all"))
        except AnsibleError:  # a subscript past the end
            expected = []
        theirs.subset(None)
        assert sorted(ours.select(pattern)) == expected, pattern


def test_inventory_is_read_as_ansible_reads_a_script() -> None:
    listed = {
        "_meta": {"hostvars": {"x": {"v": 1}, "orphan": {"v": 2}}},
        "all": {"children": ["g"]},
        "g": {"hosts": ["x"], "vars": {"gv": "s"}},
    }
    inv = ansible.Inventory.read(listed)
    assert inv.hosts == ["x"]  # a host only in _meta belongs to no group: not a host
    assert inv.as_yaml_plugin()["g"] == {
        "hosts": {"x": {"v": 1}},
        "vars": {"gv": {"__ansible_unsafe": "s"}},
    }


# ---------------------------------------------------------------- secrets


def test_no_secret_reaches_the_run_or_its_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GOVOPS_DB", "postgresql://u:s3cret@127.0.0.1/x")
    monkeypatch.setenv("SECRET", "s3cret-too")
    monkeypatch.setenv("ANSIBLE_GOVOPS_TEST", "s3cret-three")  # ANSIBLE_* of ours: dropped
    monkeypatch.setenv("LC_TIME", "C.UTF-8")
    key = keygen(tmp_path / "id_ed25519") if shutil.which("ssh-keygen") else None
    play = write_playbook(
        tmp_path,
        """\
        - hosts: all
          gather_facts: false
          tasks:
            - name: environment
              ansible.builtin.command: env
        """,
    )
    result = ansible.run(ansible.RunSpec(str(play), inventory({"lo": local()}), private_key=key))
    [event] = result.events
    shown = event.result["stdout"]
    assert "GOVOPS_DB" not in shown and "s3cret" not in shown and "SECRET" not in shown
    assert "ANSIBLE_GOVOPS_TEST" not in shown
    assert "\nPATH=" in "\n" + shown and "LC_TIME=C.UTF-8" in shown

    looked = 0
    for dirpath, _dirs, files in os.walk(result.data_dir):  # symlinks are not followed
        for name in files:
            data = (Path(dirpath) / name).read_bytes()
            assert b"s3cret" not in data, Path(dirpath) / name
            if key is not None:
                assert key.read_bytes().split(b"\n")[1] not in data, Path(dirpath) / name
            looked += 1
    assert looked > 5
    assert not (result.data_dir / "env" / "ssh_key").exists()

    env = command_artifact(result)["env"]
    allowed = {"PATH", "HOME", "USER", "LOGNAME", "LANG", "LANGUAGE", "TZ", "TMPDIR"}
    allowed |= {"SSH_AUTH_SOCK", "AWX_ISOLATED_DATA_DIR", "RUNNER_OMIT_EVENTS"}
    allowed |= {"RUNNER_ONLY_FAILED_EVENTS"}
    extra = {k for k in env if k not in allowed and not k.startswith(("ANSIBLE_", "LC_"))}
    assert not extra
    assert "ANSIBLE_GOVOPS_TEST" not in env
    if key is not None:
        assert env["ANSIBLE_PRIVATE_KEY_FILE"] == str(key)
    assert env["ANSIBLE_PIPELINING"] == "True"
    assert env["ANSIBLE_RETRY_FILES_ENABLED"] == "False"
    assert env["ANSIBLE_NOCOLOR"] == "True"
    assert env["ANSIBLE_LOCALHOST_WARNING"] == "False"
    assert env["ANSIBLE_PYTHON_INTERPRETER"] == "auto_silent"
    assert "ControlMaster=auto" in env["ANSIBLE_SSH_ARGS"]
    assert "ControlPersist=60s" in env["ANSIBLE_SSH_ARGS"]
    assert "ANSIBLE_GATHERING" not in env  # facts: as the playbook says


# ---------------------------------------------------------------- finding ansible-playbook

PATH_SCRIPT = """\
import json, sys
from infra import ansible
spec = ansible.RunSpec("ping.yml", {"_meta": {"hostvars": {"lo": {"ansible_connection": "local"}}},
                                    "all": {"hosts": ["lo"]}})
r = ansible.run(spec)
cmd = json.loads((r.data_dir / "artifacts" / r.ident / "command").read_text())["command"]
print(json.dumps({"status": r.status, "events": [(e.host, e.status) for e in r.events],
                  "binary": cmd[0]}))
"""


@pytest.mark.slow
def test_the_venvs_own_ansible_playbook_runs_when_its_bin_is_not_on_path(tmp_path: Path) -> None:
    plain = "/usr/bin:/bin"
    if shutil.which("ansible-playbook", path=plain):
        pytest.skip("an ansible-playbook on /usr/bin:/bin would hide what is tested")
    env = {
        "PATH": plain,
        "HOME": os.environ["HOME"],
        "LANG": "C.UTF-8",
        "XDG_DATA_HOME": str(tmp_path / "xdg"),
    }
    done = subprocess.run(
        [sys.executable, "-c", PATH_SCRIPT], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["status"] == "successful" and out["events"] == [["lo", "ok"]]
    assert out["binary"] == str(Path(sys.executable).parent / "ansible-playbook")


def test_no_ansible_playbook_anywhere_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "executable", str(tmp_path / "bin" / "python"))
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(ansible.AnsibleError) as exc:
        ansible.run(ansible.RunSpec("ping.yml", inventory({"lo": local()})))
    assert "ansible-playbook not found" in one_line(exc.value)
    assert not ansible.runs_dir().exists()  # refused before any run directory


# ---------------------------------------------------------------- refusals


@pytest.mark.parametrize(
    ("spec", "words"),
    [
        ({"playbook": "no/such.yml"}, "no playbook"),
        ({"playbook": ""}, "no playbook"),
        ({"inventory": {}}, "no hosts"),
        ({"inventory": {"g": {"hosts": "lo"}}}, "not a list"),
        ({"inventory": ["lo"]}, "not a mapping"),
        ({"limit": "nosuch"}, "matches no host"),
        ({"limit": "@hosts.txt"}, "limit files"),
        ({"private_key": Path("/no/such/key")}, "private key"),
        ({"forks": 0}, "forks 0"),
        ({"tags": "one"}, "tags"),
        ({"timeout": 0}, "timeout"),
    ],
)
def test_a_run_that_cannot_start_is_refused_in_one_line(spec: dict[str, Any], words: str) -> None:
    args: dict[str, Any] = {"playbook": "ping.yml", "inventory": inventory({"lo": local()})}
    args.update(spec)
    with pytest.raises(GovopsError) as exc:
        ansible.run(ansible.RunSpec(**args))
    assert words in one_line(exc.value)
    assert not ansible.runs_dir().exists()


def test_a_playbook_ansible_cannot_parse_is_one_line(tmp_path: Path) -> None:
    play = write_playbook(tmp_path, "- hosts: all\n  tasks: [\n")
    with pytest.raises(ansible.AnsibleError) as exc:
        ansible.run(ansible.RunSpec(str(play), inventory({"lo": local()})))
    text = one_line(exc.value)
    assert "play.yml" in text and "YAML" in text


def test_bad_environment_settings_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOVOPS_KEEP_RUNS", "-1")
    with pytest.raises(GovopsError) as exc:
        ansible.keep_runs()
    assert "GOVOPS_KEEP_RUNS" in one_line(exc.value)


# ---------------------------------------------------------------- runs and pruning


def test_runs_live_under_the_data_dir_unless_govops_runs_says(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert ansible.runs_dir() == tmp_path / "xdg" / "govops" / "runs"
    monkeypatch.setenv("GOVOPS_RUNS", str(tmp_path / "elsewhere"))
    assert ansible.runs_dir() == tmp_path / "elsewhere"
    assert ansible.keep_runs() == ansible.DEFAULT_KEEP_RUNS == 20


def test_old_runs_are_pruned_but_not_one_in_use(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GOVOPS_KEEP_RUNS", "2")
    root = ansible.runs_dir()
    root.mkdir(parents=True)
    old = ["20200101T000000.000001Z-ping-aaaaaa", "20200101T000000.000002Z-ping-bbbbbb"]
    old.append("20200101T000000.000003Z-ping-cccccc")
    for name in old:
        (root / name / "artifacts").mkdir(parents=True)
    (root / "notes").mkdir()  # not a run: never touched
    busy = os.open(root / old[0], os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(busy, fcntl.LOCK_SH)  # a run still going in another process
        result = ansible.run(ansible.RunSpec("ping.yml", inventory({"lo": local()})))
    finally:
        os.close(busy)
    assert result.ok and result.data_dir.parent == root and result.data_dir.name == result.ident
    left = sorted(p.name for p in root.iterdir())
    assert left == [old[0], old[2], result.ident, "notes"]
    # Once it is no longer in use, the next prune takes it.
    assert ansible.prune() == [root / old[0]]


def test_idents_sort_by_age_and_name_the_playbook() -> None:
    a = ansible.new_ident("drill/checks.yml")
    b = ansible.new_ident("drill/checks.yml")
    assert a < b and "-checks-" in a and a != b


# ---------------------------------------------------------------- the plan for progress


def test_tasks_are_counted_as_the_playbook_names_them(tmp_path: Path) -> None:
    (tmp_path / "more.yml").write_text(
        "- {name: m1, ansible.builtin.debug: {}}\n- {name: m2, ansible.builtin.debug: {}, tags: [x]}\n"
    )
    (tmp_path / "roles" / "r" / "tasks").mkdir(parents=True)
    (tmp_path / "roles" / "r" / "tasks" / "main.yml").write_text("- ansible.builtin.debug: {}\n")
    play = write_playbook(
        tmp_path,
        """\
        - hosts: all
          roles: [r]
          tasks:
            - ansible.builtin.debug: {}
            - block:
                - ansible.builtin.debug: {}
              rescue:
                - ansible.builtin.debug: {}
              always:
                - ansible.builtin.debug: {}
              tags: [x]
            - ansible.builtin.import_tasks: more.yml
            - ansible.builtin.meta: flush_handlers
            - {ansible.builtin.debug: {}, tags: [never]}
          handlers:
            - {name: h, ansible.builtin.debug: {}}
        - hosts: all
          gather_facts: no
          tasks:
            - ansible.builtin.debug: {}
        """,
    )
    # facts 1 + role 1 + task 1 + block 1 + always 1 + imported 2, then 1.
    assert ansible.count_tasks(play) == 8
    # With tags: facts (always), the block and its always, m2.
    assert ansible.count_tasks(play, ("x",)) == 4
    assert ansible.count_tasks(ansible.PLAYBOOKS / "ping.yml") == 1
    broken = write_playbook(tmp_path, "- hosts: [\n", "broken.yml")
    assert ansible.count_tasks(broken) == 0


# ---------------------------------------------------------------- stopping a run

NAP = """\
    - hosts: all
      gather_facts: false
      tasks:
        - name: nap
          ansible.builtin.command: sleep {seconds}
    """


def still_running(marker: str) -> list[str]:
    """Command lines of live processes that mention `marker`."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            try:
                cmd = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                continue
            if marker in cmd and "pytest" not in cmd:
                found.append(cmd)
    return found


@pytest.mark.slow
def test_a_run_past_its_timeout_is_stopped(tmp_path: Path) -> None:
    seconds = "41.0417"
    play = write_playbook(tmp_path, NAP.format(seconds=seconds))
    result = ansible.run(ansible.RunSpec(str(play), inventory({"lo": local()}), timeout=2))
    assert result.status == "timeout" and not result.ok
    assert result.events == []
    assert not still_running(f"sleep {seconds}")


CANCEL_SCRIPT = """\
import json, sys
from infra import ansible
spec = ansible.RunSpec(sys.argv[1], {"_meta": {"hostvars": {"lo": {"ansible_connection": "local"}}},
                                     "all": {"hosts": ["lo"]}})
def seen(p):
    print(p.status, flush=True)
try:
    r = ansible.run(spec, on_progress=seen)
    print(json.dumps({"status": r.status}), flush=True)
except KeyboardInterrupt:
    print(json.dumps({"status": "interrupted"}), flush=True)
"""


@pytest.mark.slow
def test_ctrl_c_stops_ansible_playbook_then_interrupts(tmp_path: Path) -> None:
    import signal
    import time

    seconds = "43.0431"
    play = write_playbook(tmp_path, NAP.format(seconds=seconds))
    proc = subprocess.Popen(
        [sys.executable, "-c", CANCEL_SCRIPT, str(play)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "XDG_DATA_HOME": str(tmp_path / "xdg")},
    )
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "queued"
        deadline = time.monotonic() + 30
        while not still_running(f"sleep {seconds}") and time.monotonic() < deadline:
            time.sleep(0.05)
        proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=15)
    finally:
        proc.kill()
    assert proc.returncode == 0
    # The caller still gets its KeyboardInterrupt, once nothing of the run is left.
    assert json.loads(out.splitlines()[-1]) == {"status": "interrupted"}
    assert not still_running(f"sleep {seconds}")
