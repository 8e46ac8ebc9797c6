"""Every host govops can reach, in one read model: active cloud VMs with their
address, Xinchuang servers and terminals that have a host, and plain host records.

Plain host records are for machines that are neither (jump hosts, an appliance's
management Linux). The read model gives each host one inventory name, its
connection details, what it belongs to, and the Ansible groups it is in.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from infra import files, inputs, locks
from infra.errors import Conflict, InvalidInput, NotFound
from infra.migrations import run_script
from infra.org import depts, units
from infra.store import Store, Tx

KINDS = ("vm", "server", "terminal", "host")
"""What a host is: a cloud VM, a Xinchuang server or terminal, a plain host record."""

XC_REACHABLE = ("installed", "accepted")
"""The Xinchuang statuses at which an asset runs an OS a playbook can reach."""

CONNECTIONS = ("ssh", "local")
MAX_GROUPS = 32
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,62}")
_USER = re.compile(r"[A-Za-z_][A-Za-z0-9._-]{0,31}")
_DNS = re.compile(
    r"(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*"
)
_GROUP = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")
_RESERVED_GROUPS = frozenset({"all", "ungrouped"})
_NOT_WORD = re.compile(r"\W")


class UnknownHost(NotFound):
    """No host record has that name."""


class Host(NamedTuple):
    """One reachable host as the inventory sees it."""

    name: str
    kind: str
    address: str
    port: int | None = None
    user: str | None = None
    connection: str = "ssh"
    department: str | None = None
    dept_code: str | None = None
    system: str | None = None
    org_id: int | None = None
    org_path: str | None = None
    os_family: str | None = None
    cpu_family: str | None = None
    cpu_arch: str | None = None
    groups: tuple[str, ...] = ()
    python: str | None = None
    ports: tuple[str, ...] = ()


def host_tables(tx: Tx) -> None:
    run_script(
        tx,
        """
        CREATE TABLE host (
            id {pk},
            name TEXT NOT NULL UNIQUE,
            address TEXT NOT NULL,
            port INTEGER CHECK (port BETWEEN 1 AND 65535),
            ssh_user TEXT,
            connection TEXT NOT NULL DEFAULT 'ssh' CHECK (connection IN ('ssh', 'local')),
            dept_id {id} REFERENCES dept (id),
            org_id {id} REFERENCES org_unit (id),
            os_family TEXT,
            cpu_family TEXT,
            python TEXT,
            created_at TEXT NOT NULL
        );
        CREATE INDEX host_dept ON host (dept_id);
        CREATE TABLE host_group (
            host_id {id} NOT NULL REFERENCES host (id),
            name TEXT NOT NULL,
            PRIMARY KEY (host_id, name)
        )
        """,
    )
    from infra.org.schema import register

    register(
        tx,
        "dept",
        "hosts",
        "host",
        "dept_id",
        label_sql="t.name || ' (' || t.address || ')'",
        order_sql="t.name",
        field="hosts",
    )
    register(
        tx,
        "org_unit",
        "hosts",
        "host",
        "org_id",
        label_sql="t.name || ' (' || t.address || ')'",
        order_sql="t.name",
        field="hosts",
    )


# -- values --------------------------------------------------------------------


def _shown(text: str) -> str:
    return units.shown(text)


def host_name(value: object) -> str:
    """An inventory name: ASCII letters, digits, '.', '-', '_', starting with a
    letter or digit, at most 63 characters (what Ansible's limit patterns and every
    ssh client take without quoting)."""
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput("host name is empty")
    name = value.strip()
    if not _NAME.fullmatch(name):
        raise InvalidInput(
            f"host name {_shown(name)} may hold only ASCII letters, digits, '.', '-' and '_'"
            " (starting with a letter or digit, at most 63 characters)"
        )
    return name


def address(value: object) -> str:
    """An IPv4 or IPv6 address (written in its compressed form) or a DNS name."""
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput("host address is empty")
    text = value.strip()
    try:
        if "%" not in text:  # a zone index names this machine's link, not the host's
            return str(ipaddress.ip_address(text))
    except ValueError:
        pass
    if _DNS.fullmatch(text) and not text.replace(".", "").isdigit():
        return text.lower()
    raise InvalidInput(f"host address {_shown(text)} is neither an IP address nor a DNS name")


def port(value: object) -> int | None:
    if value is None:
        return None
    from infra.inputs import whole_number

    if not isinstance(value, str | int):
        raise InvalidInput("SSH port must be a whole number")
    return whole_number(value, "SSH port", 1, 65535)


def ssh_user(value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not _USER.fullmatch(value.strip()):
        raise InvalidInput(f"SSH user {_shown(str(value))} is not a user name")
    return value.strip()


def group_name(value: object) -> str:
    """An Ansible group name: an identifier (ASCII letters, digits, '_'; not starting
    with a digit), not `all` or `ungrouped`."""
    if not isinstance(value, str) or not _GROUP.fullmatch(value.strip()):
        raise InvalidInput(
            f"group {_shown(str(value))} is not a valid Ansible group name"
            " (letters, digits and '_', not starting with a digit, at most 64)"
        )
    name = value.strip()
    if name in _RESERVED_GROUPS:
        raise InvalidInput(f"group {name!r} is Ansible's own; choose another name")
    return name


def _python(value: object) -> str | None:
    """The target's Python (an absolute path), for hosts where Ansible's discovery
    finds the wrong one (Kylin's /usr/libexec/platform-python, a shim on PATH)."""
    if value is None:
        return None
    if not isinstance(value, str) or not re.fullmatch(r"/[A-Za-z0-9._/+-]{1,254}", value.strip()):
        raise InvalidInput(f"Python {_shown(str(value))} must be an absolute path")
    return value.strip()


def _family(value: object, what: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not re.fullmatch(r"[a-z0-9_]{1,32}", value.strip().lower()):
        raise InvalidInput(f"{what} {_shown(str(value))} must be one word (a-z, 0-9, '_')")
    return value.strip().lower()


# -- plain host records --------------------------------------------------------


@dataclass
class HostFields:
    """What `host add` takes; checked by `check()`."""

    name: str
    address: str
    port: int | str | None = None
    user: str | None = None
    groups: list[str] = field(default_factory=list)
    dept: str | None = None
    org: str | None = None
    os_family: str | None = None
    cpu_family: str | None = None
    connection: str = "ssh"
    python: str | None = None

    def check(self) -> HostFields:
        groups = sorted({group_name(g) for g in self.groups})
        if len(groups) > MAX_GROUPS:
            raise InvalidInput(f"a host is in at most {MAX_GROUPS} groups, not {len(groups)}")
        if self.connection not in CONNECTIONS:
            raise InvalidInput(
                f"connection {_shown(str(self.connection))} is not one of {', '.join(CONNECTIONS)}"
            )
        return HostFields(
            name=host_name(self.name),
            address=address(self.address),
            port=port(self.port),
            user=ssh_user(self.user),
            groups=groups,
            dept=self.dept,
            org=self.org,
            os_family=_family(self.os_family, "OS family"),
            cpu_family=_family(self.cpu_family, "CPU family"),
            connection=self.connection,
            python=_python(self.python),
        )


_HOST_SELECT = (
    "SELECT h.id, h.name, h.address, h.port, h.ssh_user, h.connection, h.os_family,"
    " h.cpu_family, h.python, h.created_at, d.name AS dept_name, d.code AS dept_code,"
    " coalesce(h.org_id, d.org_id) AS org_id, coalesce(o.path, od.path) AS org_path"
    " FROM host h LEFT JOIN dept d ON d.id = h.dept_id"
    " LEFT JOIN org_unit o ON o.id = h.org_id LEFT JOIN org_unit od ON od.id = d.org_id"
)


def _groups_of(tx: Tx, host_ids: list[int]) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    if not host_ids:
        return out
    for r in tx.all("SELECT host_id, name FROM host_group ORDER BY host_id, name"):
        out.setdefault(int(r["host_id"]), []).append(r["name"])
    return out


def _record(row: Any, groups: list[str]) -> dict[str, Any]:
    return {
        "name": row["name"],
        "address": row["address"],
        "port": int(row["port"]) if row["port"] is not None else None,
        "user": row["ssh_user"],
        "connection": row["connection"],
        "groups": groups,
        "dept": row["dept_code"] or row["dept_name"],
        "org": row["org_path"],
        "os_family": row["os_family"],
        "cpu_family": row["cpu_family"],
        "python": row["python"],
    }


def _taken(tx: Tx, name: str) -> str | None:
    """What else answers to `name` in the inventory, if anything."""
    if tx.one("SELECT 1 FROM host WHERE name = ?", (name,)) is not None:
        return "a host record"
    if tx.one("SELECT 1 FROM cloud_vm WHERE name = ?", (name,)) is not None:
        return "a cloud VM"
    if tx.one("SELECT 1 FROM xc_asset WHERE serial = ?", (name,)) is not None:
        return "a Xinchuang asset's serial"
    return None


def add_in(tx: Tx, f: HostFields) -> dict[str, Any]:
    """Record a plain host in the caller's transaction."""
    locks.hold(tx, locks.HOSTS)
    f = f.check()
    clash = _taken(tx, f.name)
    if clash is not None:
        raise Conflict(f"host name {f.name!r} is already {clash}")
    dept = depts.resolve(tx, f.dept) if f.dept is not None else None
    unit = units.resolve(tx, f.org) if f.org is not None else None
    host_id = tx.insert(
        "INSERT INTO host (name, address, port, ssh_user, connection, dept_id, org_id,"
        " os_family, cpu_family, python, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            f.name,
            f.address,
            f.port,
            f.user,
            f.connection,
            dept.id if dept else None,
            unit.id if unit else None,
            f.os_family,
            f.cpu_family,
            f.python,
            tx.now,
        ),
    )
    tx.executemany(
        "INSERT INTO host_group (host_id, name) VALUES (?, ?)", [(host_id, g) for g in f.groups]
    )
    out = _one(tx, f.name)
    tx.audit("host.add", "host", f.name, None, out)
    return out


def add(store: Store, f: HostFields) -> dict[str, Any]:
    """Record a plain host (a jump host, an appliance's management Linux)."""
    return store.write(lambda tx: add_in(tx, f))


def _one(tx: Tx, name: str) -> dict[str, Any]:
    row = tx.one(f"{_HOST_SELECT} WHERE h.name = ?", (name,))
    if row is None:
        raise UnknownHost(f"no host record named {_shown(name)}")
    groups = [
        r["name"]
        for r in tx.all("SELECT name FROM host_group WHERE host_id = ? ORDER BY name", (row["id"],))
    ]
    return _record(row, groups)


def list_hosts(store: Store, group: str | None = None) -> list[dict[str, Any]]:
    """Plain host records (in one group), by name."""

    def run(tx: Tx) -> list[dict[str, Any]]:
        if group is None:
            rows = tx.all(f"{_HOST_SELECT} ORDER BY h.name")
        else:
            rows = tx.all(
                f"{_HOST_SELECT} WHERE h.id IN (SELECT host_id FROM host_group WHERE name = ?)"
                " ORDER BY h.name",
                (group_name(group),),
            )
        groups = _groups_of(tx, [int(r["id"]) for r in rows])
        return [_record(r, groups.get(int(r["id"]), [])) for r in rows]

    return store.read(run)


def show(store: Store, name: str) -> dict[str, Any]:
    """One host by its inventory name, whatever its kind: its record, inventory
    groups and variables."""

    def run(tx: Tx) -> dict[str, Any]:
        wanted = name.strip() if isinstance(name, str) else name
        for h in collect(tx):
            if h.name == wanted:
                out = {"name": h.name, "kind": h.kind, **hostvars(h)}
                found = _units(tx, [h.org_id] if h.org_id is not None else [])
                by_id = {i: (level, group) for i, (_, level, group) in found.items()}
                out["groups"] = sorted(groups_of(h, by_id))
                return out
        raise UnknownHost(f"no host named {_shown(str(name))} in the inventory")

    return store.read(run)


def remove(store: Store, name: str) -> dict[str, Any]:
    """Forget a plain host record."""

    def run(tx: Tx) -> dict[str, Any]:
        locks.hold(tx, locks.HOSTS)
        before = _one(tx, host_name(name))
        host_id = tx.scalar("SELECT id FROM host WHERE name = ?", (before["name"],))
        tx.execute("DELETE FROM host_group WHERE host_id = ?", (host_id,))
        tx.execute("DELETE FROM host WHERE id = ?", (host_id,))
        tx.audit("host.remove", "host", before["name"], before, None)
        return before

    return store.write(run)


# -- the read model ------------------------------------------------------------

_OS_WORDS = (
    ("kylin", ("kylin", "麒麟")),
    ("uos", ("uos", "统信", "uniontech")),
    ("deepin", ("deepin", "深度")),
    ("openeuler", ("openeuler", "欧拉")),
    ("anolis", ("anolis", "龙蜥")),
    ("opencloudos", ("opencloudos",)),
)


def os_family_of(os_text: str | None) -> str | None:
    """The OS family named in a VM's free-text OS ("Kylin V10 SP3" -> kylin); other
    systems by their first word, lower-cased ("CentOS 7" -> centos)."""
    if not os_text:
        return None
    low = os_text.lower()
    for family, words in _OS_WORDS:
        if any(w in low for w in words):
            return family
    first = re.split(r"[^a-z0-9_]", low, maxsplit=1)[0]
    return first or None


def _owned(r: Any, name: str, kind: str, address: str, **more: Any) -> Host:
    """A host with what its row says of its department and unit."""
    return Host(
        name=name,
        kind=kind,
        address=address,
        department=r["dept_name"],
        dept_code=r["dept_code"],
        org_id=r["org_id"],
        org_path=r["org_path"],
        **more,
    )


def collect(tx: Tx) -> list[Host]:
    """Every host: active VMs with an address, Xinchuang servers and terminals that
    have a host and run (installed, accepted), and plain host records. A name that
    two kinds share is qualified by its kind ("web01-host") in the later kind, in
    the order VM, server/terminal, host."""
    found = [
        _owned(
            r,
            r["name"],
            "vm",
            r["address"],
            system=r["system"],
            os_family=os_family_of(r["os"]),
            cpu_arch=r["arch"],
            ports=tuple(r["ports"].split(",")) if r["ports"] else (),
        )
        for r in tx.all(
            "SELECT v.name, v.address, v.os, v.arch, s.name AS system, s.ports,"
            " d.name AS dept_name, d.code AS dept_code, d.org_id, o.path AS org_path"
            " FROM cloud_vm v JOIN cloud_system s ON s.id = v.system_id"
            " JOIN dept d ON d.id = s.dept_id LEFT JOIN org_unit o ON o.id = d.org_id"
            " WHERE v.status = 'active' AND v.address IS NOT NULL ORDER BY v.name"
        )
    ]
    marks = ", ".join("?" for _ in XC_REACHABLE)
    found += [
        _owned(
            r,
            r["serial"],
            r["kind"],
            r["host"],
            user=r["ssh_user"],
            os_family=r["os_family"],
            cpu_family=r["cpu_family"],
        )
        for r in tx.all(
            "SELECT a.serial, a.kind, a.host, a.ssh_user, a.os_family, a.cpu_family,"
            " d.name AS dept_name, d.code AS dept_code, coalesce(a.org_id, d.org_id) AS org_id,"
            " coalesce(o.path, od.path) AS org_path"
            " FROM xc_asset a JOIN dept d ON d.id = a.dept_id"
            " LEFT JOIN org_unit o ON o.id = a.org_id LEFT JOIN org_unit od ON od.id = d.org_id"
            f" WHERE a.host IS NOT NULL AND a.status IN ({marks}) ORDER BY a.serial",
            XC_REACHABLE,
        )
    ]
    rows = tx.all(f"{_HOST_SELECT} ORDER BY h.name")
    groups = _groups_of(tx, [int(r["id"]) for r in rows])
    found += [
        _owned(
            r,
            r["name"],
            "host",
            r["address"],
            port=int(r["port"]) if r["port"] is not None else None,
            user=r["ssh_user"],
            connection=r["connection"],
            os_family=r["os_family"],
            cpu_family=r["cpu_family"],
            groups=tuple(groups.get(int(r["id"]), [])),
            python=r["python"],
        )
        for r in rows
    ]
    return _unique(found)


def _unique(found: list[Host]) -> list[Host]:
    seen: set[str] = set()
    out = []
    for h in found:
        name = h.name
        if name in seen:
            name = f"{h.name}-{h.kind}"
            n = 2
            while name in seen:
                name, n = f"{h.name}-{h.kind}{n}", n + 1
            h = h._replace(name=name)
        seen.add(name)
        out.append(h)
    return out


def hostvars(h: Host) -> dict[str, Any]:
    """The variables Ansible gets for one host (only those that are known)."""
    out: dict[str, Any] = {"ansible_host": h.address}
    if h.port is not None:
        out["ansible_port"] = h.port
    if h.user is not None:
        out["ansible_user"] = h.user
    if h.connection == "local":
        out["ansible_connection"] = "local"
    if h.python is not None:
        out["ansible_python_interpreter"] = h.python
    out["govops_kind"] = h.kind
    for key, value in (
        ("department", h.department),
        ("dept_code", h.dept_code),
        ("system", h.system),
        ("org_path", h.org_path),
        ("os_family", h.os_family),
        ("cpu_family", h.cpu_family),
        ("cpu_arch", h.cpu_arch),
    ):
        if value is not None:
            out[key] = value
    if h.ports:
        # What the VM's system declares it serves: its firewall and the drill's
        # listening-ports check allow these besides the site's own list.
        out["system_ports"] = list(h.ports)
    return out


def group_word(text: str) -> str:
    """`text` as part of a group name: every character that is not a word character
    becomes '_' (Chinese names stay as they are: Ansible takes Unicode letters)."""
    return _NOT_WORD.sub("_", text)


def groups_of(h: Host, units_by_id: dict[int, tuple[str, str]] | None = None) -> list[str]:
    """The groups `h` is in directly: kind_*, dept_*, system_*, tier_*, unit_*, os_*,
    cpu_*, arch_* and a plain host's own groups."""
    out = [f"kind_{h.kind}"]
    if h.department is not None:
        out.append(f"dept_{group_word(h.dept_code or h.department)}")
    if h.system is not None:
        out.append(f"system_{group_word(h.system)}")
    if h.org_id is not None and units_by_id is not None and h.org_id in units_by_id:
        level, unit_group = units_by_id[h.org_id]
        out.append(f"tier_{level}")
        out.append(unit_group)
    if h.os_family is not None:
        out.append(f"os_{group_word(h.os_family)}")
    if h.cpu_family is not None:
        out.append(f"cpu_{group_word(h.cpu_family)}")
    if h.cpu_arch is not None:
        out.append(f"arch_{group_word(h.cpu_arch)}")
    out.extend(h.groups)
    return out


def _units(tx: Tx, ids: Iterable[int]) -> dict[int, tuple[int | None, str, str]]:
    """id -> (parent id, level, group name) for the units named and every ancestor."""
    wanted = sorted(set(ids))
    out: dict[int, tuple[int | None, str, str]] = {}
    while wanted:
        marks = ", ".join("?" for _ in wanted)
        rows = tx.all(
            f"SELECT id, parent_id, level, code FROM org_unit WHERE id IN ({marks})", wanted
        )
        wanted = []
        for r in rows:
            parent = int(r["parent_id"]) if r["parent_id"] is not None else None
            out[int(r["id"])] = (parent, r["level"], f"unit_{r['code'] or r['id']}")
            if parent is not None and parent not in out:
                wanted.append(parent)
        wanted = sorted(set(wanted))
    return out


def inventory(tx: Tx) -> dict[str, Any]:
    """The whole inventory in the shape `ansible-inventory --list` prints and a
    dynamic inventory script answers to `--list`: groups with their hosts and
    children, every host's variables under `_meta.hostvars`. A unit's group holds its
    child units' groups, so a county's group reaches every host below it."""
    found = collect(tx)
    unit_rows = _units(tx, (h.org_id for h in found if h.org_id is not None))
    units_by_id = {i: (level, group) for i, (_, level, group) in unit_rows.items()}
    groups: dict[str, dict[str, Any]] = {}
    meta: dict[str, dict[str, Any]] = {}
    for h in found:
        meta[h.name] = hostvars(h)
        for g in groups_of(h, units_by_id):
            groups.setdefault(g, {"hosts": []})["hosts"].append(h.name)
    for parent, _level, group in unit_rows.values():
        groups.setdefault(group, {})
        if parent is not None:
            children = groups.setdefault(unit_rows[parent][2], {}).setdefault("children", [])
            children.append(group)
    for entry in groups.values():
        for members in entry.values():
            members.sort()
    out: dict[str, Any] = {"_meta": {"hostvars": meta}}
    out["all"] = {"children": ["ungrouped", *sorted(groups)]}
    out["ungrouped"] = {"hosts": []}
    out.update(sorted(groups.items()))
    return out


def inventory_of(store: Store) -> dict[str, Any]:
    return store.read(inventory)


def host_vars(store: Store, name: str) -> dict[str, Any]:
    """One host's variables (`--host NAME`); an empty mapping for a name the
    inventory does not hold, as Ansible expects of a dynamic inventory."""

    def run(tx: Tx) -> dict[str, Any]:
        for h in collect(tx):
            if h.name == name:
                return hostvars(h)
        return {}

    return store.read(run)


def static_inventory(listed: dict[str, Any]) -> dict[str, Any]:
    """The `--list` answer as a YAML inventory: every host's variables under
    `all.hosts`, each group with its hosts and child groups."""
    meta = listed["_meta"]["hostvars"]
    children: dict[str, Any] = {}
    for name, entry in listed.items():
        if name in ("_meta", "all", "ungrouped"):
            continue
        group: dict[str, Any] = {}
        if entry.get("hosts"):
            group["hosts"] = dict.fromkeys(entry["hosts"])
        if entry.get("children"):
            group["children"] = dict.fromkeys(entry["children"])
        children[name] = group
    return {"all": {"hosts": dict(meta), "children": children}}


def export_inventory(store: Store, path: str) -> int:
    """Write the inventory as a static YAML file (for machines without database
    access); returns how many hosts it holds. Written whole or not at all."""
    from pathlib import Path

    import yaml

    target = Path(path).expanduser()
    if inputs.is_directory(target):
        raise InvalidInput(f"{path} is a directory; name the file to write")
    if not inputs.is_directory(target.parent):
        raise InvalidInput(f"{target.parent} is not a directory")
    data = static_inventory(inventory_of(store))
    import inventory as shipped

    # The shipped group_vars ride along as `all`'s vars: the file works on its own.
    defaults = yaml.safe_load((shipped.DIR / "group_vars" / "all.yml").read_text())
    if isinstance(defaults, dict):
        data["all"]["vars"] = defaults
    text = "# govops static inventory: ansible-inventory -i THIS_FILE --list\n" + yaml.safe_dump(
        data, allow_unicode=True, sort_keys=False, default_flow_style=False
    )
    with files.written(target) as out:
        out.write(text)
    return len(data["all"]["hosts"])


# -- limits ------------------------------------------------------------------------


def select(listed: dict[str, Any], limit: str | None) -> list[str]:
    """The hosts a limit picks, sorted, read as Ansible reads one (`ansible.Inventory`):
    hosts and groups (with their child groups), `all`, wildcards, `~regex`,
    subscripts, `&` and `!`. A limit that picks nothing is refused: a run over no
    hosts proves nothing."""
    from infra.ansible import Inventory

    if limit is not None and (
        not isinstance(limit, str) or not limit.strip() or units.bad_character(limit)
    ):
        raise InvalidInput(f"limit {_shown(str(limit))} is empty or holds a control character")
    chosen = Inventory.read(listed).select(limit)
    if not chosen:
        what = f"limit {_shown(limit)}" if limit is not None else "the inventory"
        raise InvalidInput(f"{what} matches no host")
    return sorted(chosen)


def narrowed(listed: dict[str, Any], names: Iterable[str]) -> dict[str, Any]:
    """The inventory holding only `names` (their groups, their variables): what a run
    is handed, so Ansible targets exactly the hosts the run recorded."""
    keep = set(names)
    out: dict[str, Any] = {
        "_meta": {"hostvars": {h: v for h, v in listed["_meta"]["hostvars"].items() if h in keep}}
    }
    for group, entry in listed.items():
        if group == "_meta":
            continue
        copy = dict(entry)
        if "hosts" in copy:
            copy["hosts"] = [h for h in copy["hosts"] if h in keep]
        out[group] = copy
    return out
