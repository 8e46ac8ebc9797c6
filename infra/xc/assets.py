"""Xinchuang assets: terminals and servers, their status history, their links to
the cloud ledger and IPAM, import and export.

Statuses run `planned → delivered → installed → accepted`; a forward move may skip
steps, `retired` may follow any status, and any move back (or out of `retired`)
needs force and a reason. Every move is a row of the history (`xc_asset_event`)
with the day it took effect: moves are dated in order, except that the first move
after an asset was recorded may be dated before that (assets are often recorded
after the fact), which dates its planning back to the same day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from infra import locks
from infra.errors import Conflict, GovopsError, InvalidInput, RowErrors
from infra.org import depts, units
from infra.store import Store, Tx
from infra.xc import probes, values
from infra.xc.values import UnknownAsset, shown

COLUMNS = (
    "serial",
    "kind",
    "dept",
    "model",
    "cpu",
    "os",
    "phase",
    "cost",
    "host",
    "ssh_user",
    "org",
    "status",
    "status_date",
)
"""An asset's fields, in order: listing, export and import columns alike."""

_SELECT = (
    "SELECT a.id, a.serial, a.kind, a.dept_id, coalesce(d.code, d.name) AS dept,"
    " d.name AS dept_name, a.model, a.cpu_family, a.os_family, a.phase, a.cost_fen,"
    " a.host, a.ssh_user, a.org_id, coalesce(o.code, o.path) AS org, a.status, a.status_day"
    " FROM xc_asset a JOIN dept d ON d.id = a.dept_id LEFT JOIN org_unit o ON o.id = a.org_id"
)


def _record(row: Any) -> dict[str, Any]:
    return {
        "serial": row["serial"],
        "kind": row["kind"],
        "dept": row["dept"],
        "model": row["model"],
        "cpu": row["cpu_family"],
        "os": row["os_family"],
        "phase": int(row["phase"]) if row["phase"] is not None else None,
        "cost": values.yuan(int(row["cost_fen"]) if row["cost_fen"] is not None else None),
        "host": row["host"],
        "ssh_user": row["ssh_user"],
        "org": row["org"],
        "status": row["status"],
        "status_date": row["status_day"],
    }


@dataclass(frozen=True)
class Fields:
    """An asset's checked fields, before departments and units are looked up."""

    serial: str
    kind: str
    dept: str
    model: str | None = None
    cpu: str | None = None
    os: str | None = None
    phase: int | None = None
    cost_fen: int | None = None
    host: str | None = None
    ssh_user: str | None = None
    org: str | None = None

    @classmethod
    def check(
        cls,
        serial: object,
        kind: object,
        dept: object,
        *,
        model: object = None,
        cpu: object = None,
        os: object = None,
        phase: object = None,
        cost: object = None,
        host: object = None,
        ssh_user: object = None,
        org: object = None,
    ) -> Fields:
        def given(value: object) -> bool:
            return value is not None and not (isinstance(value, str) and not value.strip())

        if not isinstance(dept, str) or not dept.strip():
            raise InvalidInput("department is empty")
        if given(org) and not isinstance(org, str):
            raise InvalidInput("org unit must be text")
        return cls(
            serial=values.serial(serial),
            kind=values.kind(kind),
            dept=dept.strip(),
            model=values.text(model, "model", values.MAX_NAME),
            cpu=values.cpu_family(cpu) if given(cpu) else None,
            os=values.os_family(os) if given(os) else None,
            phase=values.phase(phase) if given(phase) else None,
            cost_fen=values.fen(cost, "cost") if given(cost) else None,
            host=values.host(host),
            ssh_user=values.ssh_user(ssh_user),
            org=str(org).strip() if given(org) else None,
        )


def get(tx: Tx, serial: str) -> Any:
    ref = values.serial(serial)
    row = tx.one(f"{_SELECT} WHERE a.serial = ?", (ref,))
    if row is None:
        raise UnknownAsset(f"no asset with serial {shown(ref)}")
    return row


def _event(
    tx: Tx,
    asset_id: int,
    day: date,
    old: str | None,
    new: str,
    forced: bool = False,
    reason: str | None = None,
) -> None:
    tx.execute(
        "INSERT INTO xc_asset_event (asset_id, day, ts, actor, from_status, to_status,"
        " forced, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (asset_id, day.isoformat(), tx.now, tx.actor, old, new, int(forced), reason),
    )


def add_in(tx: Tx, f: Fields, day: date | None = None) -> dict[str, Any]:
    """Record an asset (status planned, on `day`, default today) in the caller's
    transaction."""
    locks.hold(tx, locks.XC)
    when = day or values.today()
    dept = depts.resolve(tx, f.dept)
    unit = units.resolve(tx, f.org) if f.org is not None else None
    clash = tx.one(f"{_SELECT} WHERE a.serial = ?", (f.serial,))
    if clash is not None:
        raise Conflict(
            f"serial {f.serial} is already recorded ({clash['kind']} of {clash['dept_name']})"
        )
    asset_id = tx.insert(
        "INSERT INTO xc_asset (serial, kind, dept_id, model, cpu_family, os_family, phase,"
        " cost_fen, host, ssh_user, org_id, status, status_day, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'planned', ?, ?, ?)",
        (
            f.serial,
            f.kind,
            dept.id,
            f.model,
            f.cpu,
            f.os,
            f.phase,
            f.cost_fen,
            f.host,
            f.ssh_user,
            unit.id if unit else None,
            when.isoformat(),
            tx.now,
            tx.now,
        ),
    )
    _event(tx, asset_id, when, None, "planned")
    out = _record(get(tx, f.serial))
    tx.audit("xc.asset.add", "xc_asset", f.serial, None, out)
    return out


def add(store: Store, f: Fields, day: str | date | None = None) -> dict[str, Any]:
    """Record one asset; its status starts as planned."""
    when = values.day(day, "date") if day is not None else None
    return store.write(lambda tx: add_in(tx, f, when))


def move_in(
    tx: Tx,
    serial: str,
    status: str,
    day: date | None = None,
    force: bool = False,
    reason: str | None = None,
) -> dict[str, Any]:
    """Move an asset to `status` on `day` (default today), in the caller's transaction."""
    locks.hold(tx, locks.XC)
    new = values.asset_status(status)
    why = values.text(reason, "reason")
    if force and why is None:
        raise InvalidInput("forcing a status move needs a reason")
    when = day or values.today()
    row = get(tx, serial)
    old = row["status"]
    backwards = values.moved(values.ASSET_PATH, "retired", old, new, force)
    check_day(tx, "xc_asset_event", "asset_id", int(row["id"]), when, "asset")
    before = _record(row)
    tx.execute(
        "UPDATE xc_asset SET status = ?, status_day = ?, updated_at = ? WHERE id = ?",
        (new, when.isoformat(), tx.now, int(row["id"])),
    )
    _event(tx, int(row["id"]), when, old, new, backwards, why)
    after = _record(get(tx, serial))
    tx.audit("xc.asset.status", "xc_asset", row["serial"], before, {**after, "reason": why})
    return after


def check_day(tx: Tx, table: str, column: str, row_id: int, when: date, what: str) -> None:
    """Moves are dated in order; the first move may predate the record's creation,
    which then dates the creation back to the same day."""
    events = tx.all(
        f"SELECT id, day, from_status FROM {table} WHERE {column} = ? ORDER BY day DESC, id DESC",
        (row_id,),
    )
    last = events[0]
    if when.isoformat() >= last["day"]:
        return
    if len(events) == 1 and last["from_status"] is None:
        tx.execute(f"UPDATE {table} SET day = ? WHERE id = ?", (when.isoformat(), last["id"]))
        return
    raise InvalidInput(
        f"date {when} is before the {what}'s last status change ({last['day']});"
        " moves are dated in order"
    )


def set_status(
    store: Store,
    serial: str,
    status: str,
    day: str | date | None = None,
    force: bool = False,
    reason: str | None = None,
) -> dict[str, Any]:
    """Move an asset to another status (see the module's docstring for the rules)."""
    when = values.day(day, "date") if day is not None else None
    return store.write(lambda tx: move_in(tx, serial, status, when, force, reason))


def list_assets(
    store: Store,
    dept: str | None = None,
    phase: str | int | None = None,
    kind: str | None = None,
    status: str | None = None,
) -> list[dict[str, Any]]:
    """Assets, filtered by department, phase, kind and status; by serial."""
    where: list[str] = []
    params: list[Any] = []
    if phase is not None:
        where.append("a.phase = ?")
        params.append(values.phase(phase))
    if kind is not None:
        where.append("a.kind = ?")
        params.append(values.kind(kind))
    if status is not None:
        where.append("a.status = ?")
        params.append(values.asset_status(status))

    def run(tx: Tx) -> list[dict[str, Any]]:
        conditions, args = list(where), list(params)
        if dept is not None:
            conditions.append("a.dept_id = ?")
            args.append(depts.resolve(tx, dept).id)
        clause = f" WHERE {' AND '.join(conditions)}" if conditions else ""
        rows = tx.all(f"{_SELECT}{clause} ORDER BY a.serial", args)
        return [_record(r) for r in rows]

    return store.read(run)


def history(tx: Tx, asset_id: int) -> list[dict[str, Any]]:
    rows = tx.all(
        "SELECT day, ts, actor, from_status, to_status, forced, reason FROM xc_asset_event"
        " WHERE asset_id = ? ORDER BY day, id",
        (asset_id,),
    )
    return [
        {
            "date": r["day"],
            "from": r["from_status"],
            "to": r["to_status"],
            "forced": bool(r["forced"]),
            "reason": r["reason"],
            "actor": r["actor"],
            "recorded_at": r["ts"],
        }
        for r in rows
    ]


def show(store: Store, serial: str) -> dict[str, Any]:
    """One asset with its department, status history, probe results and what its
    host is in the cloud ledger and in IPAM."""

    def run(tx: Tx) -> dict[str, Any]:
        row = get(tx, serial)
        out = _record(row)
        out["dept_name"] = row["dept_name"]
        out["history"] = history(tx, int(row["id"]))
        out["probes"] = probes.probes_of(tx, row["serial"])
        out.update(host_links(tx, row["host"]))
        return out

    return store.read(run)


# -- links to the cloud ledger and IPAM --------------------------------------


def host_links(tx: Tx, host: str | None) -> dict[str, Any]:
    """`cloud_vm`: the VM whose name or address is `host` (None when none is);
    `ipam`: per VRF, the address (the host itself, the VM's, or one whose IPAM
    hostname is `host`) with its most specific prefix and that prefix's unit."""
    out: dict[str, Any] = {"cloud_vm": None, "ipam": []}
    if host is None:
        return out
    import ipaddress

    from infra.cloud import vms

    addresses: list[str] = []
    try:
        addresses.append(str(ipaddress.ip_address(host)))
    except ValueError:
        pass
    found = tx.one(
        "SELECT name FROM cloud_vm WHERE name = ? OR address = ?"
        " ORDER BY CASE WHEN name = ? THEN 0 ELSE 1 END, id LIMIT 1",
        (host, addresses[0] if addresses else host, host),
    )
    if found is not None:
        vm = vms.resolve(tx, found["name"]).record()
        out["cloud_vm"] = {
            k: vm.get(k) for k in ("name", "system", "dept", "status", "address", "vrf")
        }
        if vm.get("address") and vm["address"] not in addresses:
            addresses.append(str(vm["address"]))
    for r in tx.all(
        "SELECT family, addr FROM ip_address WHERE hostname = ? ORDER BY family, addr", (host,)
    ):
        from ipam.addr import addr_text, unblob

        text = addr_text(int(r["family"]), unblob(r["addr"]))
        if text not in addresses:
            addresses.append(text)
    for text in addresses:
        out["ipam"].extend(_ipam_address(tx, text))
    return out


def _ipam_address(tx: Tx, text: str) -> list[dict[str, Any]]:
    from ipam import space
    from ipam.addr import BITS, Block, blob, parse_address

    family, value = parse_address(text)
    block = Block(family, value, BITS[family])
    found = []
    for v in tx.all("SELECT id, name FROM vrf ORDER BY name"):
        vid = int(v["id"])
        chain = space.chain(tx, vid, block)
        addr = tx.one(
            "SELECT hostname, status FROM ip_address WHERE vrf_id = ? AND family = ? AND addr = ?",
            (vid, family, blob(value)),
        )
        if not chain and addr is None:
            continue
        prefix = chain[-1] if chain else None
        unit = units.get(tx, prefix.org_id) if prefix and prefix.org_id is not None else None
        found.append(
            {
                "vrf": v["name"],
                "address": text,
                "hostname": addr["hostname"] if addr else None,
                "address_status": addr["status"] if addr else None,
                "prefix": str(prefix.block) if prefix else None,
                "purpose": prefix.purpose if prefix else None,
                "org": unit.path if unit else None,
            }
        )
    return found


# -- import and export -------------------------------------------------------

_HEADER_ALIASES = {
    "serial": "serial",
    "序列号": "serial",
    "资产编号": "serial",
    "kind": "kind",
    "类型": "kind",
    "dept": "dept",
    "department": "dept",
    "部门": "dept",
    "model": "model",
    "型号": "model",
    "cpu": "cpu",
    "cpu_family": "cpu",
    "os": "os",
    "os_family": "os",
    "操作系统": "os",
    "phase": "phase",
    "批次": "phase",
    "期次": "phase",
    "cost": "cost",
    "金额": "cost",
    "价格": "cost",
    "host": "host",
    "主机": "host",
    "ssh_user": "ssh_user",
    "org": "org",
    "区划": "org",
    "status": "status",
    "状态": "status",
    "status_date": "status_date",
    "状态日期": "status_date",
}


@dataclass
class ImportResult:
    added: int = 0
    unchanged: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"added": self.added, "unchanged": self.unchanged}


@dataclass
class _Row:
    line: int
    fields: Fields
    status: str | None
    day: date | None


def import_file(store: Store, path: str | Path, encoding: str | None = None) -> ImportResult:
    """Import assets from CSV or .xlsx (the `COLUMNS`; serial, kind and dept required).

    All or nothing: any bad row writes nothing, and every bad row is named by its
    line (in a .xlsx, by its sheet and row). A new serial is added with the given status (default planned) on its
    status date (default today); a serial already recorded with the same fields is
    left as it is; one recorded differently is a bad row (an import moves nothing).
    """
    from infra import tabular
    from infra.org.importer import locate_header

    path = Path(path)
    table = tabular.read_table(path, encoding)
    try:
        header = locate_header(
            table, _HEADER_ALIASES, ("serial", "kind", "dept"), ",".join(COLUMNS)
        )
    except InvalidInput as exc:
        raise InvalidInput(f"{path}: {exc}") from None

    def cell(cells: list[str], key: str) -> str | None:
        i = header.get(key)
        value = cells[i].strip() if i is not None and i < len(cells) else ""
        return value or None

    rows: list[_Row] = []
    errors: list[tuple[int, str]] = []
    for line, cells in table.rows:
        if not any(c.strip() for c in cells):
            continue
        try:
            f = Fields.check(
                cell(cells, "serial") or "",
                cell(cells, "kind") or "",
                cell(cells, "dept") or "",
                model=cell(cells, "model"),
                cpu=cell(cells, "cpu"),
                os=cell(cells, "os"),
                phase=cell(cells, "phase"),
                cost=cell(cells, "cost"),
                host=cell(cells, "host"),
                ssh_user=cell(cells, "ssh_user"),
                org=cell(cells, "org"),
            )
            status = cell(cells, "status")
            status = values.asset_status(status) if status is not None else None
            raw_day = cell(cells, "status_date")
            day = values.day(raw_day, "status date") if raw_day is not None else None
        except InvalidInput as exc:
            errors.append((line, str(exc)))
            continue
        rows.append(_Row(line, f, status, day))
    run = store.read if errors else store.write
    try:
        return run(lambda tx: _import_rows(tx, str(path), rows, errors))
    except RowErrors as exc:
        raise tabular.by_sheet(path, exc) from None


def _import_rows(
    tx: Tx, source: str, rows: list[_Row], errors: list[tuple[int, str]]
) -> ImportResult:
    locks.hold(tx, locks.XC)
    errors = list(errors)
    first: dict[str, int] = {}
    plan: list[tuple[_Row, bool]] = []
    for r in rows:
        f = r.fields
        if f.serial in first:
            errors.append(
                (r.line, f"duplicate serial {f.serial} (first on line {first[f.serial]})")
            )
            continue
        first[f.serial] = r.line
        try:
            dept = depts.resolve(tx, f.dept)
            unit = units.resolve(tx, f.org) if f.org is not None else None
        except GovopsError as exc:  # unknown or ambiguous department or unit
            errors.append((r.line, str(exc)))
            continue
        stored = tx.one(
            "SELECT kind, dept_id, model, cpu_family, os_family, phase, cost_fen, host,"
            " ssh_user, org_id, status, status_day FROM xc_asset WHERE serial = ?",
            (f.serial,),
        )
        if stored is None:
            plan.append((r, True))
            continue
        given = {
            "kind": f.kind,
            "dept": dept.id,
            "model": f.model,
            "cpu": f.cpu,
            "os": f.os,
            "phase": f.phase,
            "cost": f.cost_fen,
            "host": f.host,
            "ssh_user": f.ssh_user,
            "org": unit.id if unit else None,
        }
        have = {
            "kind": stored["kind"],
            "dept": int(stored["dept_id"]),
            "model": stored["model"],
            "cpu": stored["cpu_family"],
            "os": stored["os_family"],
            "phase": stored["phase"],
            "cost": stored["cost_fen"],
            "host": stored["host"],
            "ssh_user": stored["ssh_user"],
            "org": stored["org_id"],
        }
        if r.status is not None:
            given["status"], have["status"] = r.status, stored["status"]
        if r.day is not None:
            given["status_date"], have["status_date"] = r.day.isoformat(), stored["status_day"]
        differ = [k for k in given if given[k] != have[k]]
        if differ:
            errors.append(
                (
                    r.line,
                    f"serial {f.serial} is already recorded with another {', '.join(differ)};"
                    " an import adds assets and changes none",
                )
            )
            continue
        plan.append((r, False))
    if errors:
        errors.sort()
        raise RowErrors(source, errors)
    result = ImportResult()
    for r, new in plan:
        if not new:
            result.unchanged += 1
            continue
        day = r.day or values.today()
        add_in(tx, r.fields, day)
        if r.status is not None and r.status != "planned":
            move_in(tx, r.fields.serial, r.status, day, force=False)
        result.added += 1
    return result


def export_rows(store: Store) -> list[dict[str, Any]]:
    """Every asset as an import row (the `COLUMNS`), by serial."""
    return list_assets(store)


def write_csv(rows: list[dict[str, Any]], out: Any) -> None:
    """The rows as CSV with the import's columns (`tabular.write_csv`)."""
    from infra import tabular

    tabular.write_csv(rows, COLUMNS, out)


def export_file(store: Store, path: str | Path, kind: str | None = None) -> int:
    """Write every asset to `path` as CSV or .xlsx (`tabular.export_rows`: phase and
    cost as numbers, the status date as ISO text). Returns the number written."""
    from infra import tabular

    return tabular.export_rows(path, kind, export_rows(store), COLUMNS, "xc assets", _sheet_value)


def _sheet_value(column: str, value: Any) -> Any:
    """A cell as a sheet holds it: the cost a number of yuan (exact to the fen: at most
    `values.MAX_YUAN`, fifteen digits), the phase a number, anything else text."""
    if value is None:
        return None
    if column == "cost":
        return Decimal(value)
    if column == "phase":
        return int(value)
    return str(value)
