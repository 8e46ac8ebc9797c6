"""Bringing a running cloud onto the books from a file, and writing it back out.

The file (CSV or .xlsx) has one VM per row, with the `COLUMNS` (Chinese headers
and a few other spellings are accepted, see `HEADER_ALIASES`):

    name, dept, system, cores, ram_gb, disk_gb, address, status, provisioned_on, node

- `name` a VM name (hostname-like), new to the books; `dept` a department's code
  or unique name; `system` the business system's name; `node` a compute node's
  name (nodes are never created by an import: they need their capacity);
- `cores`, `ram_gb`, `disk_gb` whole numbers (`4.0`, as Excel writes them, reads
  as 4); `address` optional, an IPv4 or IPv6 address that IPAM has a prefix for;
- `status` `active` or `stopped` (运行/运行中/running, 停止/已停止/关机/shutoff);
- `provisioned_on` the day the VM was issued: a real Excel date, or text
  YYYY-MM-DD (also YYYY/M/D, as Excel on a Chinese Windows saves dates in CSV),
  from 2000-01-01 to today.

All or nothing: every row is checked before anything is written, and a file with
any bad row writes nothing, naming each bad row by its line (in a .xlsx, by its
sheet and row). Each VM is put on the
books with `vms.record_in` (its address recorded in IPAM under its name, the
history showing it provisioned on its day), so the report counts it as issued then.

With `create_missing`, a department the file names that does not exist is created
(the text as its name, without a code or org unit), and so is a system (of the
row's department, no MLPS level). A created system's subnet is the IPAM prefix
that holds all its VMs' addresses, when there is exactly one such prefix that can
be a system's subnet (an allocated prefix holding addresses, not a pool, not
divided, not already another system's subnet); else it has none, and its new VMs
are provisioned with a named address until one is set.

The export writes the VMs on the books (active and stopped), by name, with the
same columns (text a spreadsheet would take for a formula neutralised with a
leading quote, which the import takes off again), so an export imported into an
empty database (with the same nodes, departments and IPAM prefixes) exports the
same again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from infra import locks
from infra.cloud import checks, nodes, systems, vms
from infra.errors import GovopsError, InvalidInput, NotFound, RowErrors
from infra.org import depts
from infra.store import Store, Tx

COLUMNS = (
    "name",
    "dept",
    "system",
    "cores",
    "ram_gb",
    "disk_gb",
    "address",
    "status",
    "provisioned_on",
    "node",
)
"""The import and export columns, in order."""

REQUIRED = tuple(c for c in COLUMNS if c != "address")
"""Columns the header must name (`address` may be absent, or empty in a row)."""

HEADER_ALIASES = {
    **{c: c for c in COLUMNS},
    "vm": "name",
    "vm_name": "name",
    "hostname": "name",
    "名称": "name",
    "虚拟机名称": "name",
    "虚拟机": "name",
    "主机名": "name",
    "department": "dept",
    "部门": "dept",
    "所属部门": "dept",
    "部门名称": "dept",
    "business_system": "system",
    "业务系统": "system",
    "系统": "system",
    "系统名称": "system",
    "vcpu": "cores",
    "vcpus": "cores",
    "cpu": "cores",
    "cpu核数": "cores",
    "核数": "cores",
    "vcpu核数": "cores",
    "ram": "ram_gb",
    "memory_gb": "ram_gb",
    "内存": "ram_gb",
    "内存gb": "ram_gb",
    "内存(gb)": "ram_gb",
    "内存（gb）": "ram_gb",
    "disk": "disk_gb",
    "磁盘": "disk_gb",
    "磁盘gb": "disk_gb",
    "磁盘(gb)": "disk_gb",
    "磁盘（gb）": "disk_gb",
    "ip": "address",
    "ip_address": "address",
    "ip地址": "address",
    "地址": "address",
    "状态": "status",
    "provisioned": "provisioned_on",
    "provisioned_at": "provisioned_on",
    "provisioned_date": "provisioned_on",
    "发放日期": "provisioned_on",
    "开通日期": "provisioned_on",
    "上线日期": "provisioned_on",
    "节点": "node",
    "计算节点": "node",
    "宿主机": "node",
}
"""Header text (compared lower-cased) -> column."""

STATUS_ALIASES = {
    "active": "active",
    "running": "active",
    "运行": "active",
    "运行中": "active",
    "stopped": "stopped",
    "shutoff": "stopped",
    "停止": "stopped",
    "已停止": "stopped",
    "关机": "stopped",
    "已关机": "stopped",
}

FIRST_DAY = date(2000, 1, 1)
"""The earliest provisioned date taken: an earlier one is a typing or Excel error."""

_WHOLE = re.compile(r"[0-9]+(?:\.0*)?")
_DAY = re.compile(r"([0-9]{4})[-/]([0-9]{1,2})[-/]([0-9]{1,2})(?:[ T]([0-9:.]+))?")


# -- values ------------------------------------------------------------------


def whole(text: str, what: str, high: int) -> int:
    """A whole number as a sheet holds it: `4`, or `4.0` as Excel writes it."""
    raw = text.strip()
    if not _WHOLE.fullmatch(raw):
        raise InvalidInput(f"{what} {checks.shown(raw)} is not a whole number")
    return checks.amount(raw.split(".")[0], what, high)


def status(text: str) -> str:
    """`active` or `stopped`, or one of their spellings in `STATUS_ALIASES`."""
    raw = text.strip()
    found = STATUS_ALIASES.get(raw.lower())
    if found is None:
        raise InvalidInput(
            f"status {checks.shown(raw)} is not active or stopped"
            " (a running cloud's VMs are one or the other)"
        )
    return found


def provisioned_day(text: str, today: date) -> date:
    """A day: YYYY-MM-DD or YYYY/M/D, or an Excel date cell (read as `YYYY-MM-DD
    00:00:00`; a time of day is dropped), from `FIRST_DAY` to `today`."""
    raw = text.strip()
    m = _DAY.fullmatch(raw)
    if m is None:
        raise InvalidInput(f"provisioned date {checks.shown(raw)} is not a date written YYYY-MM-DD")
    try:
        day = date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        raise InvalidInput(
            f"provisioned date {checks.shown(raw)} is not a date (no such day)"
        ) from None
    if day > today:
        raise InvalidInput(f"provisioned date {day} is in the future")
    if day < FIRST_DAY:
        raise InvalidInput(f"provisioned date {day} is before {FIRST_DAY}")
    return day


def _address(text: str) -> tuple[int, int, str]:
    from ipam.addr import addr_text, parse_address

    family, value = parse_address(text.strip())
    return family, value, addr_text(family, value)


# -- import ------------------------------------------------------------------


@dataclass
class _Row:
    line: int
    name: str
    dept: str
    system: str
    cores: int
    ram_gb: int
    disk_gb: int
    address: tuple[int, int, str] | None
    status: str
    day: date
    node: str


@dataclass
class ImportResult:
    added: int = 0
    departments_created: list[str] = field(default_factory=list)
    systems_created: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "added": self.added,
            "departments_created": list(self.departments_created),
            "systems_created": list(self.systems_created),
        }


def _parse(path: Path, encoding: str | None) -> tuple[list[_Row], list[tuple[int, str]]]:
    from infra import tabular
    from infra.org.importer import locate_header

    table = tabular.read_table(path, encoding)
    try:
        header = locate_header(table, HEADER_ALIASES, REQUIRED, ",".join(COLUMNS))
    except InvalidInput as exc:
        raise InvalidInput(f"{path}: {exc}") from None

    def cell(cells: list[str], key: str) -> str:
        i = header.get(key)
        return cells[i].strip() if i is not None and i < len(cells) else ""

    today = checks.today()
    rows: list[_Row] = []
    errors: list[tuple[int, str]] = []
    for line, cells in table.rows:
        if not any(c.strip() for c in cells):
            continue
        try:
            dept = cell(cells, "dept")
            if not dept:
                raise InvalidInput("department is empty")
            node = cell(cells, "node")
            if not node:
                raise InvalidInput("node is empty")
            address = cell(cells, "address")
            rows.append(
                _Row(
                    line,
                    checks.host_name(cell(cells, "name"), "VM"),
                    dept,
                    checks.system_name(cell(cells, "system")),
                    whole(cell(cells, "cores"), "cores", checks.MAX_VM_CORES),
                    whole(cell(cells, "ram_gb"), "RAM (GB)", checks.MAX_GB),
                    whole(cell(cells, "disk_gb"), "disk (GB)", checks.MAX_GB),
                    _address(address) if address else None,
                    status(cell(cells, "status")),
                    provisioned_day(cell(cells, "provisioned_on"), today),
                    checks.host_name(node, "node"),
                )
            )
        except InvalidInput as exc:
            errors.append((line, str(exc)))
    return rows, errors


def import_file(
    store: Store, path: str | Path, encoding: str | None = None, create_missing: bool = False
) -> ImportResult:
    """Put the VMs of a CSV or .xlsx file on the books (see the module's docstring):
    all of them, or, when any row is bad, none, with every bad row named by line."""
    from infra import tabular

    path = Path(path)
    rows, errors = _parse(path, encoding)
    if not rows and not errors:
        raise InvalidInput(f"{path} holds no VMs")
    try:
        return store.write(lambda tx: _import(tx, str(path), rows, errors, create_missing))
    except RowErrors as exc:
        raise tabular.by_sheet(path, exc) from None


@dataclass
class _NewSystem:
    dept: str
    dept_id: int | None  # None: a department this import creates
    line: int
    leaves: set[tuple[int, str]] = field(default_factory=set)  # (vrf id, prefix)
    without_prefix: bool = False


def _import(
    tx: Tx,
    source: str,
    rows: list[_Row],
    parse_errors: list[tuple[int, str]],
    create_missing: bool,
) -> ImportResult:
    from ipam import space

    if create_missing:
        locks.hold(tx, locks.ORG)  # departments may be created; ORG is taken before CLOUD
    checks.hold(tx)
    errors = list(parse_errors)
    default_vrf = space.vrf_id(tx, None)
    first_name: dict[str, int] = {}
    first_address: dict[str, int] = {}
    new_depts: dict[str, int] = {}  # text -> first line
    new_systems: dict[str, _NewSystem] = {}
    dept_ids: dict[str, int | None] = {}
    known_nodes: set[str] = set()
    system_cache: dict[str, systems.System | None] = {}

    def dept_of(r: _Row) -> int | None:
        """The row's department id; None for one this import creates."""
        if r.dept in dept_ids:
            return dept_ids[r.dept]
        try:
            found: int | None = depts.resolve(tx, r.dept).id
        except depts.UnknownDept:
            if not create_missing:
                raise
            problem = depts.check_name(r.dept)
            if problem:
                raise InvalidInput(f"department {problem}") from None
            new_depts.setdefault(r.dept, r.line)
            found = None
        dept_ids[r.dept] = found
        return found

    def system_of(name: str) -> systems.System | None:
        if name not in system_cache:
            try:
                system_cache[name] = systems.resolve(tx, name)
            except checks.UnknownSystem:
                system_cache[name] = None
        return system_cache[name]

    good: list[_Row] = []
    for r in rows:
        try:
            if r.name in first_name:
                raise InvalidInput(f"VM {r.name} is also on line {first_name[r.name]}")
            first_name[r.name] = r.line
            on_books = tx.scalar("SELECT status FROM cloud_vm WHERE name = ?", (r.name,))
            if on_books is not None:
                raise InvalidInput(f"a VM named {r.name} is already on the books ({on_books})")
            if r.address is not None:
                text = r.address[2]
                if text in first_address:
                    raise InvalidInput(f"address {text} is also on line {first_address[text]}")
                first_address[text] = r.line
            if r.node not in known_nodes:
                nodes.resolve(tx, r.node)
                known_nodes.add(r.node)
            dept_id = dept_of(r)
            s = system_of(r.system)
            if s is None:
                if not create_missing:
                    raise checks.UnknownSystem(f"no system named {checks.shown(r.system)}")
                new = new_systems.setdefault(r.system, _NewSystem(r.dept, dept_id, r.line))
                if new.dept_id != dept_id or (dept_id is None and new.dept != r.dept):
                    raise InvalidInput(
                        f"system {checks.shown(r.system)} is of department"
                        f" {checks.shown(new.dept)} on line {new.line}, not {checks.shown(r.dept)}"
                    )
                vid = default_vrf
            else:
                if dept_id != s.dept_id:
                    owner = depts.get(tx, s.dept_id)
                    raise InvalidInput(
                        f"system {checks.shown(s.name)} belongs to department"
                        f" {checks.shown(owner.code or owner.name)}, not {checks.shown(r.dept)}"
                    )
                new, vid = None, s.vrf_id
            if r.address is not None:
                leaf = _check_address(tx, r, vid, s)
                if new is not None:
                    if leaf is None:
                        new.without_prefix = True
                    else:
                        new.leaves.add(leaf)
        except GovopsError as exc:
            errors.append((r.line, str(exc)))
            continue
        good.append(r)
    if errors:
        raise RowErrors(source, sorted(errors))

    result = ImportResult()
    for text in new_depts:
        created = depts.add_in(tx, text)
        result.departments_created.append(created.name)
    claimed: set[tuple[int, str]] = set()
    for name, new in new_systems.items():
        subnet = _subnet_for(tx, new, claimed)
        out = systems.add_in(tx, name, new.dept, subnet=subnet)
        result.systems_created.append({"name": out["name"], "dept": out["dept"], "subnet": subnet})
    for r in good:
        try:
            vms.record_in(
                tx,
                r.name,
                r.system,
                r.node,
                r.cores,
                r.ram_gb,
                r.disk_gb,
                r.day.isoformat(),
                status=r.status,
                address=r.address[2] if r.address else None,
            )
        except GovopsError as exc:  # a check above should have caught it; name the row
            errors.append((r.line, str(exc)))
            continue
        result.added += 1
    if errors:
        raise RowErrors(source, sorted(errors))
    return result


def _check_address(tx: Tx, r: _Row, vid: int, s: systems.System | None) -> tuple[int, str] | None:
    """Refuse an address another host holds, one outside the system's subnet or one
    IPAM has no prefix for; the prefix that would hold it (None: adopted as is)."""
    from ipam import addresses, space
    from ipam.addr import Block, blob, parse_block

    assert r.address is not None
    family, value, text = r.address
    owner = tx.one(
        "SELECT hostname FROM ip_address WHERE vrf_id = ? AND family = ? AND addr = ?",
        (vid, family, blob(value)),
    )
    if owner is not None and owner["hostname"] != r.name:
        raise InvalidInput(
            f"address {text} is in use by {owner['hostname'] or 'a host without a name'}"
        )
    host = Block(family, value, 32 if family == 4 else 128)
    if s is not None and s.subnet is not None and not parse_block(s.subnet).contains(host):
        raise InvalidInput(f"address {text} is outside {s.subnet}, the subnet of system {s.name}")
    chain = space.chain(tx, vid, host)
    if not chain:
        raise NotFound(
            f"no prefix in VRF {space.vrf_name(tx, vid)} holds {text}; record its subnet in IPAM"
        )
    leaf = chain[-1]
    if owner is None:
        addresses.check_host(tx, leaf, value)
    return vid, str(leaf.block)


def _subnet_for(tx: Tx, new: _NewSystem, claimed: set[tuple[int, str]]) -> str | None:
    """The one prefix that holds all of a new system's addresses, if it can be its
    subnet (allocated, not a pool, not divided, no other system's); else None."""
    from ipam import space
    from ipam.addr import parse_block

    if new.without_prefix or len(new.leaves) != 1:
        return None
    vid, cidr = next(iter(new.leaves))
    p = space.exact(tx, vid, parse_block(cidr))
    if p is None or p.status != "allocated" or p.is_pool or space.children(tx, p.id):
        return None
    taken = tx.scalar("SELECT id FROM cloud_system WHERE vrf_id = ? AND subnet = ?", (vid, cidr))
    if taken is not None or (vid, cidr) in claimed:
        return None
    claimed.add((vid, cidr))
    return cidr


# -- export ------------------------------------------------------------------


def export_rows(store: Store) -> list[dict[str, Any]]:
    """The VMs on the books (active and stopped) as import rows (`COLUMNS`), by name;
    `provisioned_on` is the day (China Standard Time) each was provisioned."""
    out = []
    for vm in vms.list_vms(store):
        if vm["status"] not in ("active", "stopped"):
            continue
        out.append(
            {
                "name": vm["name"],
                "dept": vm["dept"],
                "system": vm["system"],
                "cores": vm["cores"],
                "ram_gb": vm["ram_gb"],
                "disk_gb": vm["disk_gb"],
                "address": vm["address"],
                "status": vm["status"],
                "provisioned_on": _cst_day(vm["provisioned_at"]),
                "node": vm["node"],
            }
        )
    out.sort(key=lambda row: row["name"])
    return out


def _cst_day(stamp: str | None) -> str | None:
    if stamp is None:
        return None
    return datetime.fromisoformat(stamp).astimezone(checks.REPORT_TZ).date().isoformat()


def write_csv(rows: list[dict[str, Any]], out: Any) -> None:
    """The rows as CSV with the import's columns (`tabular.write_csv`)."""
    from infra import tabular

    tabular.write_csv(rows, COLUMNS, out)


def export_file(store: Store, path: str | Path, kind: str | None = None) -> int:
    """Write the VMs on the books to `path` as CSV or .xlsx (`tabular.export_rows`:
    numbers as numbers, days as ISO text). Returns the number of VMs written."""
    from infra import tabular

    return tabular.export_rows(path, kind, export_rows(store), COLUMNS, "cloud VMs")
