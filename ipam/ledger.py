"""The IP ledger (IP地址台账) as a workbook, read back as one; and NetBox's bulk-import CSV.

The workbook: a summary sheet first; one sheet per county (the prefixes of the
default VRF assigned to the county or a unit under it: prefix, family, purpose,
unit, unit code, status, gateway, notes); one sheet for everything else (the
city's own blocks, pools, unassigned and quarantined blocks, other VRFs'
prefixes) with a VRF column; one sheet of addresses and one of VRFs. Reading
takes any sheet whose header names a prefix or address column (title rows above
it, blank lines, merged cells and a 序号 column are tolerated) into the same
document `transfer.import_doc` checks and writes, rows named by sheet and row.
The gateway column is derived (the first usable IPv4 address) and not read back.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

from infra import tabular
from infra.errors import InvalidInput
from infra.org import units as orgs
from infra.store import Store, Tx
from ipam import space, transfer
from ipam.addr import addr_text, gateway, parse_block

SUMMARY = "汇总"
OTHER = "其他地址段"
ADDRESSES = "IP地址"
VRFS = "VRF"

STATUS_ZH = {"allocated": "已分配", "reserved": "预留", "container": "地址块", "quarantine": "隔离"}
"""Prefix statuses as the ledger writes them; reading takes either word."""

_LABELS = {
    "vrf": "VRF",
    "prefix": "IP地址段",
    "family": "协议",
    "purpose": "用途",
    "unit": "使用单位",
    "unit_code": "单位代码",
    "status": "状态",
    "pool": "地址池",
    "quarantine_until": "隔离至",
    "gateway": "网关",
    "notes": "备注",
    "address": "IP地址",
    "hostname": "主机名",
    "rd": "RD",
}
COUNTY_COLUMNS = ["prefix", "family", "purpose", "unit", "unit_code", "status", "gateway", "notes"]
OTHER_COLUMNS = ["vrf", *COUNTY_COLUMNS[:6], "pool", "quarantine_until", "gateway", "notes"]
ADDRESS_COLUMNS = ["vrf", "address", "prefix", "hostname", "status", "notes"]
VRF_COLUMNS = ["vrf", "rd", "notes"]

_ALIASES = {
    "prefix": ("ip地址段", "地址段", "网段", "ip段", "前缀", "所属地址段", "prefix", "cidr"),
    "family": ("协议", "ip版本", "版本", "family"),
    "purpose": ("用途", "purpose"),
    "unit": ("使用单位", "单位", "单位名称", "unit", "org"),
    "unit_code": ("单位代码", "区划代码", "行政区划代码", "unit_code", "unit code", "code"),
    "status": ("状态", "status"),
    "gateway": ("网关", "gateway"),
    "notes": ("备注", "说明", "notes", "description"),
    "vrf": ("vrf",),
    "pool": ("地址池", "pool"),
    "quarantine_until": ("隔离至", "quarantine_until", "quarantine until"),
    "address": ("ip地址", "ip", "address"),
    "hostname": ("主机名", "hostname"),
    "rd": ("rd", "route distinguisher"),
}
_KEY = {alias: key for key, names in _ALIASES.items() for alias in names}
_IGNORED = ("序号", "no", "no.", "#")
_HEADER_SEARCH = 20
"""How many rows from a sheet's top are searched for its header row."""

_YES = {"是": True, "true": True, "yes": True, "1": True, "否": False, "false": False}
_YES.update({"no": False, "0": False})
_FAMILY = {"ipv4": "4", "ipv6": "6", "v4": "4", "v6": "6"}
_BAD_TITLE = re.compile(r"[\[\]:*?/\\]")


# -- export -----------------------------------------------------------------


def sheets(store: Store, vrf: str | None = None) -> list[tuple[str, list[str], list[list[Any]]]]:
    """The ledger's sheets as (title, column keys, rows), the summary first.

    The rows come from `transfer.export`, so the workbook holds what every other
    export holds, laid out by county.
    """
    doc = transfer.export(store, vrf)
    counties = store.read(_counties)
    by_county: dict[str, list[list[Any]]] = {}
    titles: dict[str, str] = {}
    other: list[list[Any]] = []
    for p in doc["prefixes"]:
        county = counties.get(p["org_code"]) if p["org_code"] else None
        on_county = (
            county is not None
            and p["vrf"] == space.DEFAULT_VRF
            and not p["pool"]
            and p["status"] != "quarantine"
        )
        block = parse_block(p["prefix"])
        gw = gateway(block)
        cells = {
            **p,
            "family": f"IPv{p['family']}",
            "unit": _unit_name(p["org_path"]),
            "unit_code": p["org_code"],
            "status": STATUS_ZH.get(p["status"], p["status"]),
            "pool": "是" if p["pool"] else None,
            "gateway": addr_text(4, gw) if gw is not None else None,
            "notes": p["description"],
        }
        if on_county and county is not None:
            code, name = county
            titles.setdefault(code, name)
            by_county.setdefault(code, []).append([cells[k] for k in COUNTY_COLUMNS])
        else:
            other.append([cells[k] for k in OTHER_COLUMNS])
    out: list[tuple[str, list[str], list[list[Any]]]] = []
    used = {SUMMARY, OTHER, ADDRESSES, VRFS}
    summary: list[list[Any]] = []
    for code in sorted(by_county):
        title = _title(titles[code], code, used)
        rows = by_county[code]
        out.append((title, COUNTY_COLUMNS, rows))
        summary.append([title, code, *_tally(rows, 1)])
    out.append((OTHER, OTHER_COLUMNS, other))
    summary.append([OTHER, None, *_tally(other, 2)])
    addrs = [
        [a["vrf"], a["address"], a["prefix"], a["hostname"], a["status"], a["description"]]
        for a in doc["addresses"]
    ]
    out.append((ADDRESSES, ADDRESS_COLUMNS, addrs))
    out.append((VRFS, VRF_COLUMNS, [[v["name"], v["rd"], v["description"]] for v in doc["vrfs"]]))
    totals = [sum(r[i] for r in summary) for i in range(2, 5)]
    summary.append(["合计", None, *totals])
    head = ["sheet", "unit_code", "v4_blocks", "v6_blocks", "blocks"]
    return [(SUMMARY, head, summary), *out]


_SUMMARY_LABELS = {
    "sheet": "工作表",
    "v4_blocks": "IPv4地址段数",
    "v6_blocks": "IPv6地址段数",
    "blocks": "地址段合计",
}


def _tally(rows: list[list[Any]], family_at: int) -> list[int]:
    """IPv4 blocks, IPv6 blocks and all blocks on a sheet."""
    v4 = sum(1 for r in rows if r[family_at] == "IPv4")
    v6 = sum(1 for r in rows if r[family_at] == "IPv6")
    return [v4, v6, len(rows)]


def _counties(tx: Tx) -> dict[str, tuple[str, str]]:
    """Each unit's code → its county's (code, name), for units at or below a county."""
    units = {
        int(r["id"]): orgs.OrgUnit.from_row(r)
        for r in tx.all("SELECT id, code, name, level, parent_id, path FROM org_unit")
    }
    out: dict[str, tuple[str, str]] = {}
    for unit in units.values():
        at: orgs.OrgUnit | None = unit
        while at is not None and at.level != "county":
            at = units.get(at.parent_id) if at.parent_id is not None else None
        if at is not None and unit.code and at.code:
            out[unit.code] = (at.code, at.name)
    return out


def _unit_name(path: str | None) -> str | None:
    return path.rsplit("/", 1)[-1] if path else None


def _title(name: str, code: str, used: set[str]) -> str:
    """A sheet title Excel accepts (31 characters, none of []:*?/\\), unique in the book."""
    title = _BAD_TITLE.sub("_", name)[:31] or code
    if title in used:
        title = f"{title[:18]} {code}"[:31]
    used.add(title)
    return title


def write_xlsx(store: Store, path: Path, vrf: str | None = None) -> dict[str, int]:
    """Write the ledger workbook to `path`; returns the counts written."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    parts = sheets(store, vrf)
    book = Workbook()
    first = book.active
    counts = {"prefixes": 0, "addresses": 0}
    for title, keys, rows in parts:
        sheet = book.create_sheet(title)
        labels = [_LABELS.get(k) or _SUMMARY_LABELS.get(k) or k for k in keys]
        heading = "IP地址台账" if title == SUMMARY else f"IP地址台账 — {title}"
        sheet.append([heading])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(keys))
        sheet.cell(1, 1).font = Font(bold=True, size=14)
        sheet.cell(1, 1).alignment = Alignment(horizontal="center")
        sheet.append(tabular.neutral_row(labels))
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append(tabular.neutral_row(row))
        sheet.freeze_panes = "A3"
        for i, key in enumerate(keys, start=1):
            wide = key in ("prefix", "address", "notes", "unit", "purpose", "quarantine_until")
            sheet.column_dimensions[sheet.cell(2, i).column_letter].width = 28 if wide else 12
        if title == ADDRESSES:
            counts["addresses"] = len(rows)
        elif keys in (COUNTY_COLUMNS, OTHER_COLUMNS):
            counts["prefixes"] += len(rows)
    if first is not None:
        book.remove(first)
    tabular.save_xlsx(book, path)
    return counts


# -- import -----------------------------------------------------------------


def load(path: Path) -> tuple[dict[str, Any], dict[int, transfer.Where]]:
    """Read a ledger workbook into an export document and row → where (by `id`) for
    `transfer.import_doc`; a sheet without a prefix or address header is passed over."""
    from infra.inputs import check_file

    with tabular.open_xlsx(check_file(path), read_only=False) as book:
        return _from_book(book, path)


def _grid(sheet: Any) -> list[list[str]]:
    """The sheet's cells as text; a merged range spanning rows gives its value to
    every cell it covers (a unit written once beside its blocks)."""
    if sheet.max_row > tabular.MAX_ROWS:
        raise InvalidInput(f"sheet {sheet.title!r} has more than {tabular.MAX_ROWS:,} rows")
    grid = [
        [tabular.unneutral(tabular.cell_text(v)) for v in values]
        # max_col: a full (not read-only) sheet would make every cell up to it
        for values in sheet.iter_rows(
            max_col=min(sheet.max_column, tabular.MAX_COLUMNS), values_only=True
        )
    ]
    for merged in sheet.merged_cells.ranges:
        if merged.min_row == merged.max_row:
            continue
        first = grid[merged.min_row - 1] if merged.min_row <= len(grid) else []
        top = first[merged.min_col - 1] if merged.min_col <= len(first) else ""
        for r in range(merged.min_row, min(merged.max_row, len(grid)) + 1):
            row = grid[r - 1]
            for c in range(merged.min_col, min(merged.max_col, len(row)) + 1):
                row[c - 1] = top
    return grid


def _header(grid: list[list[str]]) -> tuple[int, dict[str, int], list[str]] | None:
    """The header row's index, column key → index, and the unknown columns' names."""
    for i, row in enumerate(grid[:_HEADER_SEARCH]):
        names = [re.sub(r"\s+", " ", c).strip().lower() for c in row]
        keys = [_KEY.get(n) or _KEY.get(n.replace(" ", "_")) for n in names]
        if "prefix" in keys or "address" in keys or {"vrf", "rd"} <= set(keys):
            columns: dict[str, int] = {}
            unknown = []
            for j, (name, key) in enumerate(zip(names, keys, strict=True)):
                if key is not None:
                    columns.setdefault(key, j)
                elif name and name not in _IGNORED:
                    unknown.append(row[j].strip())
            return i, columns, unknown
    return None


def _from_book(book: Any, path: Path) -> tuple[dict[str, Any], dict[int, transfer.Where]]:
    doc: dict[str, Any] = {"vrfs": [], "prefixes": [], "addresses": []}
    where: dict[int, transfer.Where] = {}
    found = False
    for number, sheet in enumerate(book.worksheets):
        if sheet.title == SUMMARY:
            continue
        grid = _grid(sheet)
        head = _header(grid)
        if head is None:
            continue
        at, columns, unknown = head
        if unknown:
            raise InvalidInput(
                f"{path}: sheet {sheet.title!r} has an unknown column {unknown[0]!r};"
                f" a ledger's columns are {', '.join(_LABELS.values())}"
            )
        found = True
        kind = (
            "addresses" if "address" in columns else "prefixes" if "prefix" in columns else "vrfs"
        )
        for index in range(at + 1, len(grid)):
            cells = grid[index]
            values = {k: cells[j].strip() if j < len(cells) else "" for k, j in columns.items()}
            filled = [c for c in cells if c.strip()]
            if not filled:
                continue  # a blank line
            main = {"addresses": "address", "prefixes": "prefix", "vrfs": "vrf"}[kind]
            if len(set(filled)) == 1 and not values.get(main):
                continue  # a title or footer line across the sheet
            row = _row(kind, values)
            doc[kind].append(row)
            where[id(row)] = (number * 10**7 + index + 1, f"sheet {sheet.title!r} row {index + 1}")
    if not found:
        raise InvalidInput(f"{path}: no sheet has a header naming an IP地址段 (prefix) column")
    return doc, where


def _row(kind: str, v: dict[str, str]) -> dict[str, Any]:
    """A ledger row as an export row, its words turned into the export's values; what
    the words do not name is passed on as written, for the import's checks to refuse."""

    def get(key: str) -> str | None:
        return v.get(key) or None

    if kind == "vrfs":
        return {"name": get("vrf"), "rd": get("rd"), "description": get("notes")}
    if kind == "addresses":
        status = get("status")
        return {
            "vrf": get("vrf"),
            "address": get("address"),
            "prefix": get("prefix"),
            "hostname": get("hostname"),
            "description": get("notes"),
            "status": status,
        }
    status = get("status")
    zh = {word: key for key, word in STATUS_ZH.items()}
    family = get("family")
    pool = get("pool")
    code = get("unit_code")
    row: dict[str, Any] = {
        "vrf": get("vrf"),
        "prefix": get("prefix"),
        "family": _FAMILY.get(family.lower(), family) if family else None,
        "status": zh.get(status, status) if status else None,
        "pool": _YES.get(pool.lower(), pool) if pool else False,
        "org_code": tabular.excel_number(code) if code else None,
        "org_path": get("unit"),  # beside a code, checked against the code's unit
        "purpose": get("purpose"),
        "description": get("notes"),
        "quarantine_until": get("quarantine_until"),
    }
    return row


# -- NetBox -------------------------------------------------------------------

NETBOX_PREFIX_STATUS = {
    "allocated": "active",
    "container": "container",
    "reserved": "reserved",
    "quarantine": "deprecated",
}
"""govops prefix status → NetBox prefix status (a pool is a NetBox container too)."""

NETBOX_ADDRESS_STATUS = {"active": "active", "reserved": "reserved", "dhcp": "dhcp"}
"""govops address status → NetBox IP address status."""

NETBOX_PREFIX_COLUMNS = [
    "prefix",
    "vrf",
    "status",
    "tenant",
    "role",
    "is_pool",
    "description",
    "comments",
]
NETBOX_ADDRESS_COLUMNS = ["address", "vrf", "status", "tenant", "dns_name", "description"]


def netbox_csv(store: Store, what: str = "prefixes", vrf: str | None = None) -> str:
    """NetBox's bulk-import CSV of the prefixes or the addresses (see README: NetBox)."""
    if what not in ("prefixes", "addresses"):
        raise InvalidInput(f"NetBox export is of prefixes or addresses, not {what!r}")
    doc = transfer.export(store, vrf)
    tenants = store.read(_tenants)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    if what == "prefixes":
        writer.writerow(NETBOX_PREFIX_COLUMNS)
        for p in doc["prefixes"]:
            status = "container" if p["pool"] else NETBOX_PREFIX_STATUS[p["status"]]
            until = p["quarantine_until"]
            row = [
                p["prefix"],
                p["vrf"],
                status,
                tenants.get(p["org_code"]) if p["org_code"] else None,
                p["purpose"],
                "true" if p["pool"] else "false",
                p["description"],
                f"quarantined until {until}" if until else None,
            ]
            writer.writerow(tabular.neutral_row("" if c is None else c for c in row))
    else:
        writer.writerow(NETBOX_ADDRESS_COLUMNS)
        owner = {(p["vrf"], p["prefix"]): p["org_code"] for p in doc["prefixes"]}
        for a in doc["addresses"]:
            code = owner.get((a["vrf"], a["prefix"]))
            row = [
                f"{a['address']}/{a['prefix'].rsplit('/', 1)[1]}",
                a["vrf"],
                NETBOX_ADDRESS_STATUS.get(a["status"], a["status"]),
                tenants.get(code) if code else None,
                a["hostname"],
                a["description"],
            ]
            writer.writerow(tabular.neutral_row("" if c is None else c for c in row))
    return out.getvalue()


def _tenants(tx: Tx) -> dict[str, str]:
    """Each unit's code → its NetBox tenant name: the unit's name, or `name (code)`
    where two units share a name (a NetBox tenant's name is unique)."""
    rows = tx.all("SELECT code, name FROM org_unit")
    seen: dict[str, int] = {}
    for r in rows:
        seen[r["name"]] = seen.get(r["name"], 0) + 1
    return {
        r["code"]: r["name"] if seen[r["name"]] == 1 else f"{r['name']} ({r['code']})" for r in rows
    }
