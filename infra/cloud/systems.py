"""Business systems (业务系统), department quotas and the cloud's settings.

A system belongs to a department (`govops dept …`) and has an MLPS level (等保
1 to 4) and a subnet: a prefix recorded in IPAM, from which its VMs take their
addresses. `subnet="auto"` allocates one from the cloud's subnet pool (the
settings `subnet-pool` and `subnet-size`), assigned to the department's org unit
when it has one, in the same transaction as the system.

A department's quota limits what its VMs hold (approved, active, stopped): VMs,
cores, RAM, disk; a limit left out (None) is no limit. Usage is what the VMs
hold, as the database keeps it per department (`held`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from infra.cloud import checks, held
from infra.cloud.checks import RESOURCES, UnknownSystem
from infra.errors import Conflict, InvalidInput, NotFound
from infra.inputs import unstorable
from infra.org import depts
from infra.store import Store, Tx
from ipam.addr import BITS, Block

DEFAULT_SUBNET_SIZE = 24
SETTINGS = {
    "subnet-pool": ("cloud.subnet_pool", ""),
    "subnet-size": ("cloud.subnet_size", str(DEFAULT_SUBNET_SIZE)),
}
"""Setting name -> (stored key, default). The pool is a CIDR recorded in IPAM (in
the system's VRF); the size a prefix length for each automatic subnet."""

QUOTA_KEYS = ("vms", "cores", "ram_gb", "disk_gb")
QUOTA_BOUNDS = {
    "vms": checks.MAX_QUOTA_VMS,
    "cores": checks.MAX_NODE_CORES,
    "ram_gb": checks.MAX_NODE_GB,
    "disk_gb": checks.MAX_NODE_GB,
}
_SELECT = (
    "SELECT s.id, s.name, s.dept_id, s.mlps_level, s.vrf_id, s.subnet, s.created_at,"
    " v.name AS vrf FROM cloud_system s JOIN vrf v ON v.id = s.vrf_id"
)


class System(NamedTuple):
    id: int
    name: str
    dept_id: int
    mlps_level: int | None
    vrf_id: int
    vrf: str
    subnet: str | None

    @classmethod
    def from_row(cls, r: Any) -> System:
        level = r["mlps_level"]
        return cls(
            int(r["id"]),
            r["name"],
            int(r["dept_id"]),
            int(level) if level is not None else None,
            int(r["vrf_id"]),
            r["vrf"],
            r["subnet"],
        )


def resolve(tx: Tx, name: str) -> System:
    """The system of that name."""
    if not isinstance(name, str) or not name.strip():
        raise InvalidInput("empty system name")
    row = None if unstorable(name) else tx.one(f"{_SELECT} WHERE s.name = ?", (name.strip(),))
    if row is None:
        raise UnknownSystem(f"no system named {checks.shown(name.strip())}")
    return System.from_row(row)


def get(tx: Tx, system_id: int) -> System:
    return System.from_row(tx.one(f"{_SELECT} WHERE s.id = ?", (system_id,)))


def describe(tx: Tx, s: System, dept: depts.Dept | None = None) -> dict[str, Any]:
    """The one shape of a system: command output and audit row."""
    dept = dept or depts.get(tx, s.dept_id)
    return {
        "name": s.name,
        "dept": dept.code or dept.name,
        "dept_name": dept.name,
        "org_path": dept.org_path,
        "mlps_level": s.mlps_level,
        "vrf": s.vrf,
        "subnet": s.subnet,
        "ports": ports_of(tx, s.id),
    }


def ports_of(tx: Tx, system_id: int) -> list[str]:
    """The ports the system serves ("443/tcp" …): what its VMs' firewall lets in."""
    text = tx.scalar("SELECT ports FROM cloud_system WHERE id = ?", (system_id,))
    return text.split(",") if text else []


def set_ports(store: Store, name: str, ports: str | list[str] | None) -> dict[str, Any]:
    """Declare the ports a system serves (replacing what was declared)."""
    wanted = checks.ports(ports)

    def run(tx: Tx) -> dict[str, Any]:
        checks.hold(tx)
        s = resolve(tx, name)
        before = describe(tx, s)
        tx.execute("UPDATE cloud_system SET ports = ? WHERE id = ?", (wanted, s.id))
        after = describe(tx, s)
        tx.audit("cloud.system.ports", "cloud_system", s.name, before, after)
        return after

    return store.write(run)


# -- settings ----------------------------------------------------------------


def _setting(tx: Tx, key: str) -> str:
    stored, default = SETTINGS[key]
    value = tx.scalar("SELECT value FROM setting WHERE key = ?", (stored,))
    return default if value is None else str(value)


def _subnet_size(text: str) -> int:
    from ipam.addr import parse_size

    plen = parse_size(text)
    if plen < 8:
        raise InvalidInput(f"subnet size /{plen} is larger than any system needs (/8 at most)")
    return plen


def _fits(pool: Block, plen: int) -> None:
    """Subnets of /plen can be cut from `pool`."""
    if plen > BITS[pool.family] or plen <= pool.plen:
        raise InvalidInput(
            f"subnet size /{plen} does not fit the subnet pool {pool}: a subnet of it is"
            f" /{pool.plen + 1} to /{BITS[pool.family]}"
        )


def settings(
    store: Store, key: str | None = None, value: str | None = None
) -> list[dict[str, str]]:
    """Show the cloud settings, or change one (checked) when a value is given."""
    if key is not None and key not in SETTINGS:
        raise InvalidInput(f"unknown setting {checks.shown(key)}: use {', '.join(SETTINGS)}")
    if value is not None:
        assert key is not None
        store.write(lambda tx: _set(tx, key, value))

    def run(tx: Tx) -> list[dict[str, str]]:
        keys = [key] if key else list(SETTINGS)
        return [{"setting": k, "value": _setting(tx, k)} for k in keys]

    return store.read(run)


def _set(tx: Tx, key: str, value: str) -> None:
    from ipam import space
    from ipam.addr import parse_block

    if key == "subnet-pool":
        block = parse_block(value)
        pool = space.exact(tx, space.vrf_id(tx, None), block)
        if pool is None:
            raise NotFound(f"{block} is not a prefix recorded in IPAM (VRF {space.DEFAULT_VRF})")
        _fits(block, _subnet_size(_setting(tx, "subnet-size")))
        text = str(block)
    else:
        plen = _subnet_size(value)
        pool_text = _setting(tx, "subnet-pool")
        if pool_text:
            _fits(parse_block(pool_text), plen)
        text = str(plen)
    stored = SETTINGS[key][0]
    old = tx.scalar("SELECT value FROM setting WHERE key = ?", (stored,))
    if old is None:
        tx.execute("INSERT INTO setting (key, value) VALUES (?, ?)", (stored, text))
    else:
        tx.execute("UPDATE setting SET value = ? WHERE key = ?", (text, stored))
    tx.audit("setting.set", "setting", stored, {"value": old}, {"value": text})


# -- systems -----------------------------------------------------------------


def _mlps(level: int | str | None) -> int | None:
    if level is None:
        return None
    return checks.amount(level, "MLPS level", 4)


def _given_subnet(tx: Tx, vid: int, cidr: str) -> str:
    """A prefix recorded in IPAM that can hold addresses, used by no other system."""
    from ipam import space
    from ipam.addr import parse_block

    block = parse_block(cidr)
    p = space.exact(tx, vid, block)
    if p is None:
        raise NotFound(
            f"subnet {block} is not a prefix recorded in IPAM (VRF {space.vrf_name(tx, vid)})"
        )
    if p.status != "allocated" or p.is_pool:
        what = "a pool" if p.is_pool else p.status
        raise Conflict(f"subnet {block} is {what}: a system's subnet is an allocated prefix")
    if space.children(tx, p.id):
        raise Conflict(f"subnet {block} is divided into prefixes; name one of them")
    return str(block)


def _auto_subnet(tx: Tx, vrf: str | None, name: str, dept: depts.Dept) -> str:
    from ipam import space

    pool = _setting(tx, "subnet-pool")
    if not pool:
        raise Conflict("no subnet pool is set for the cloud (the setting subnet-pool)")
    plen = _subnet_size(_setting(tx, "subnet-size"))
    request = space.AllocRequest(
        source=pool,
        size=f"/{plen}",
        assignee=(dept.org_code or dept.org_path) if dept.org_id is not None else None,
        purpose="cloud",
        description=f"cloud system {name}",
        vrf=vrf,
    )
    made = space.alloc_in(tx, request)
    return str(made[0]["prefix"])


def add(
    store: Store,
    name: str,
    dept_ref: str,
    mlps_level: int | str | None = None,
    subnet: str | None = None,
    vrf: str | None = None,
    ports: str | list[str] | None = None,
) -> dict[str, Any]:
    """Add a business system of a department, with its subnet (a CIDR recorded in
    IPAM, or "auto": a new block from the cloud's subnet pool) and the ports it
    serves."""
    name = checks.system_name(name)
    level = _mlps(mlps_level)
    return store.write(lambda tx: add_in(tx, name, dept_ref, level, subnet, vrf, ports))


def add_in(
    tx: Tx,
    name: str,
    dept_ref: str,
    mlps_level: int | str | None = None,
    subnet: str | None = None,
    vrf: str | None = None,
    ports: str | list[str] | None = None,
) -> dict[str, Any]:
    """`add` inside the caller's transaction (an import creating the systems it names)."""
    from ipam import space

    name = checks.system_name(name)
    level = _mlps(mlps_level)
    served = checks.ports(ports)
    auto = isinstance(subnet, str) and subnet.strip().lower() == "auto"
    checks.hold(tx)
    dept = depts.resolve(tx, dept_ref)
    vid = space.vrf_id(tx, vrf)
    if tx.scalar("SELECT id FROM cloud_system WHERE name = ?", (name,)) is not None:
        raise Conflict(f"system {checks.shown(name)} already exists")
    cidr: str | None = None
    if auto:
        cidr = _auto_subnet(tx, vrf, name, dept)
    elif subnet is not None:
        cidr = _given_subnet(tx, vid, subnet)
        other = tx.scalar(
            "SELECT name FROM cloud_system WHERE vrf_id = ? AND subnet = ?", (vid, cidr)
        )
        if other is not None:
            raise Conflict(f"subnet {cidr} is already the subnet of system {other}")
    sid = tx.insert(
        "INSERT INTO cloud_system (name, dept_id, mlps_level, vrf_id, subnet, ports, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (name, dept.id, level, vid, cidr, served, tx.now),
    )
    out = describe(tx, get(tx, sid), dept)
    tx.audit("cloud.system.add", "cloud_system", name, None, out)
    return out


def _held_by_system(tx: Tx) -> dict[int, dict[str, int]]:
    rows = tx.all(
        "SELECT system_id, count(*) AS vms, coalesce(sum(cores), 0) AS cores,"
        " coalesce(sum(ram_gb), 0) AS ram_gb, coalesce(sum(disk_gb), 0) AS disk_gb"
        " FROM cloud_vm WHERE status IN ('approved', 'active', 'stopped') GROUP BY system_id"
    )
    return {int(r["system_id"]): {k: int(r[k]) for k in ("vms", *RESOURCES)} for r in rows}


def list_systems(store: Store, dept_ref: str | None = None) -> list[dict[str, Any]]:
    """Every system (of one department) with the VMs and resources it holds, by name."""

    def run(tx: Tx) -> list[dict[str, Any]]:
        if dept_ref is not None:
            dept = depts.resolve(tx, dept_ref)
            rows = tx.all(f"{_SELECT} WHERE s.dept_id = ? ORDER BY s.name", (dept.id,))
        else:
            rows = tx.all(f"{_SELECT} ORDER BY s.name")
        held = _held_by_system(tx)
        cache: dict[int, depts.Dept] = {}
        out = []
        for r in rows:
            s = System.from_row(r)
            if s.dept_id not in cache:
                cache[s.dept_id] = depts.get(tx, s.dept_id)
            item = describe(tx, s, cache[s.dept_id])
            h = held.get(s.id, {"vms": 0, "cores": 0, "ram_gb": 0, "disk_gb": 0})
            item.update({f"{k}_held" if k != "vms" else "vms": v for k, v in h.items()})
            out.append(item)
        return out

    return store.read(run)


def show(store: Store, name: str) -> dict[str, Any]:
    """One system, with its VMs (every status) by name."""

    def run(tx: Tx) -> dict[str, Any]:
        s = resolve(tx, name)
        out = describe(tx, s)
        out["vm_names"] = [
            f"{r['name']} ({r['status']})"
            for r in tx.all(
                "SELECT name, status FROM cloud_vm WHERE system_id = ? ORDER BY name", (s.id,)
            )
        ]
        return out

    return store.read(run)


# -- quotas ------------------------------------------------------------------


def dept_usage(tx: Tx, dept_id: int) -> dict[str, int]:
    """VMs and resources a department's VMs hold: its row of the totals the database
    keeps (`held`), one indexed read whatever the number of VMs."""
    return held.of(tx, "dept", dept_id)


def quota_of(tx: Tx, dept_id: int) -> dict[str, int | None] | None:
    """A department's limits (None for a limit not set), or None without a quota."""
    row = tx.one(
        "SELECT vms, cores, ram_gb, disk_gb FROM cloud_quota WHERE dept_id = ?", (dept_id,)
    )
    if row is None:
        return None
    return {k: (int(row[k]) if row[k] is not None else None) for k in QUOTA_KEYS}


def check_limits(limits: Mapping[str, int | str | None]) -> dict[str, int | None]:
    """Quota limits, checked: keys from `QUOTA_KEYS`, each a whole number within
    `QUOTA_BOUNDS` or None (no limit)."""
    out: dict[str, int | None] = {}
    for key, value in limits.items():
        if key not in QUOTA_KEYS:
            raise InvalidInput(f"unknown quota {checks.shown(key)}: use {', '.join(QUOTA_KEYS)}")
        what = {"vms": "VM quota", "cores": "cores quota"}.get(key, f"{key[:-3]} quota (GB)")
        out[key] = None if value is None else checks.amount(value, what, QUOTA_BOUNDS[key], 0)
    return out


def _quota_record(dept: depts.Dept, limits: dict[str, int | None] | None) -> dict[str, Any]:
    return {"dept": dept.code or dept.name, **(limits or dict.fromkeys(QUOTA_KEYS))}


def set_quota(
    store: Store, dept_ref: str, limits: Mapping[str, int | str | None]
) -> dict[str, Any]:
    """Set some of a department's limits (the others stay; None lifts one). A limit
    below what the department already holds is kept: it refuses new holdings only."""
    checked = check_limits(limits)
    if not checked:
        raise InvalidInput("name at least one limit to set: vms, cores, ram_gb or disk_gb")

    def run(tx: Tx) -> dict[str, Any]:
        checks.hold(tx)
        dept = depts.resolve(tx, dept_ref)
        old = quota_of(tx, dept.id)
        new = {**(old or dict.fromkeys(QUOTA_KEYS)), **checked}
        if old is None:
            tx.execute(
                "INSERT INTO cloud_quota (dept_id, vms, cores, ram_gb, disk_gb, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (dept.id, *(new[k] for k in QUOTA_KEYS), tx.now),
            )
        else:
            tx.execute(
                "UPDATE cloud_quota SET vms = ?, cores = ?, ram_gb = ?, disk_gb = ?,"
                " updated_at = ? WHERE dept_id = ?",
                (*(new[k] for k in QUOTA_KEYS), tx.now, dept.id),
            )
        before = _quota_record(dept, old) if old is not None else None
        after = _quota_record(dept, new)
        tx.audit("cloud.quota.set", "cloud_quota", after["dept"], before, after)
        return _quota_row(dept, new, dept_usage(tx, dept.id))

    return store.write(run)


def _quota_row(
    dept: depts.Dept, limits: dict[str, int | None], used: dict[str, int]
) -> dict[str, Any]:
    row: dict[str, Any] = {"dept": dept.code or dept.name, "dept_name": dept.name}
    for k in QUOTA_KEYS:
        cap = limits[k]
        row[k] = cap
        row[f"{k}_used"] = used[k]
        row[f"{k}_free"] = None if cap is None else cap - used[k]
    return row


def list_quotas(store: Store) -> list[dict[str, Any]]:
    """Every department with a quota: each limit, what is used, what is free
    (`<key>`, `<key>_used`, `<key>_free` for vms, cores, ram_gb, disk_gb)."""

    def run(tx: Tx) -> list[dict[str, Any]]:
        out = []
        for r in tx.all("SELECT dept_id FROM cloud_quota"):
            dept = depts.get(tx, int(r["dept_id"]))
            limits = quota_of(tx, dept.id)
            assert limits is not None
            out.append((dept, _quota_row(dept, limits, dept_usage(tx, dept.id))))
        out.sort(key=lambda pair: (pair[0].org_path or "", pair[0].code or "", pair[0].name))
        return [row for _, row in out]

    return store.read(run)
