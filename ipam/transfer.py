"""Export every prefix and address, and import them back (all rows or none).

The JSON form is {"format": "govops-ipam", "version": 1, "vrfs": [...],
"prefixes": [...], "addresses": [...]}; YAML is the same document; CSV is one
table with a `kind` column (`vrf`, `prefix` or `address`).
Export → import into an empty database → export gives identical output.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from infra.errors import GovopsError, InvalidInput, RowErrors
from infra.org import units as orgs
from infra.store import Store, Tx
from ipam import addresses, space
from ipam.addr import (
    BITS,
    Block,
    Undecided,
    addr_text,
    blob,
    parse_address,
    parse_block,
    unblob,
)

PREFIX_FIELDS = list(space.PREFIX_FIELDS)


class UnknownFormat(Undecided, InvalidInput):
    """The file's format cannot be told from its name: it must be named."""

    choice = "format"


ADDRESS_FIELDS = ["vrf", "address", "prefix", "hostname", "description", "status"]
VRF_FIELDS = ["name", "rd", "description"]
CSV_FIELDS = ["kind", *dict.fromkeys(PREFIX_FIELDS + ADDRESS_FIELDS + ["name", "rd"])]


def export(store: Store, vrf: str | None = None) -> dict[str, Any]:
    def run(tx: Tx) -> dict[str, Any]:
        vrfs = tx.all("SELECT id, name, rd, description FROM vrf ORDER BY name")
        if vrf:
            vid = space.vrf_id(tx, vrf)
            vrfs = [v for v in vrfs if int(v["id"]) == vid]
        names = {int(v["id"]): v["name"] for v in vrfs}
        units = {
            int(r["id"]): orgs.OrgUnit.from_row(r)
            for r in tx.all("SELECT id, code, name, level, parent_id, path FROM org_unit")
        }
        rows = tx.all(
            "SELECT p.id, p.vrf_id, p.family, p.net, p.plen, p.parent_id, p.status, p.is_pool,"
            " p.org_id, p.purpose, p.description, p.quarantine_until, q.cidr AS parent_cidr"
            " FROM prefix p LEFT JOIN prefix q ON q.id = p.parent_id"
        )
        prefixes = []
        for r in rows:
            if int(r["vrf_id"]) not in names:
                continue
            p = space.Prefix.from_row(r)
            unit = units.get(p.org_id) if p.org_id is not None else None
            key = (names[p.vrf_id], p.block.family, p.block.first, p.block.plen)
            prefixes.append((key, space.record(names[p.vrf_id], p, r["parent_cidr"], unit)))
        prefixes.sort(key=lambda item: item[0])
        arows = tx.all(
            "SELECT a.vrf_id, a.family, a.addr, a.hostname, a.description, a.status, p.cidr"
            " FROM ip_address a JOIN prefix p ON p.id = a.prefix_id"
        )
        addrs = []
        for r in arows:
            if int(r["vrf_id"]) not in names:
                continue
            value = unblob(r["addr"])
            addrs.append(
                (
                    (names[int(r["vrf_id"])], int(r["family"]), value),
                    {
                        "vrf": names[int(r["vrf_id"])],
                        "address": addr_text(int(r["family"]), value),
                        "prefix": r["cidr"],
                        "hostname": r["hostname"],
                        "description": r["description"],
                        "status": r["status"],
                    },
                )
            )
        addrs.sort(key=lambda item: item[0])
        return {
            "format": "govops-ipam",
            "version": 1,
            "vrfs": [{k: v[k] for k in VRF_FIELDS} for v in vrfs],
            "prefixes": [p for _, p in prefixes],
            "addresses": [a for _, a in addrs],
        }

    return store.read(run)


def to_csv(doc: dict[str, Any]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, CSV_FIELDS, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    for kind, key in (("vrf", "vrfs"), ("prefix", "prefixes"), ("address", "addresses")):
        for row in doc[key]:
            writer.writerow({"kind": kind, **{k: _cell(v) for k, v in row.items()}})
    return out.getvalue()


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


# -- import ----------------------------------------------------------------


def load(path: Path, fmt: str | None = None) -> tuple[dict[str, Any], dict[int, int]]:
    """Read an export file; returns the document and, for CSV, row index → line."""
    if not path.exists():
        raise InvalidInput(f"no such file: {path}")
    kind = (fmt or path.suffix.lstrip(".")).lower()
    data = path.read_bytes()
    from infra.tabular import decode

    text, _ = decode(data)
    if kind == "json":
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InvalidInput(f"{path}: not valid JSON ({exc})") from exc
        return _checked(doc, path), {}
    if kind in ("yaml", "yml"):
        import yaml

        try:
            doc = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise InvalidInput(f"{path}: not valid YAML ({str(exc).splitlines()[0]})") from exc
        return _checked(doc, path), {}
    if kind == "csv":
        return _from_csv(text, path)
    raise UnknownFormat(f"{path}: unknown format {kind!r}; use .json, .yaml or .csv")


def _checked(doc: Any, path: Path) -> dict[str, Any]:
    if not isinstance(doc, dict) or not any(k in doc for k in ("prefixes", "addresses", "vrfs")):
        raise InvalidInput(f"{path}: not a govops ipam export (no prefixes, addresses or vrfs)")
    for key in ("vrfs", "prefixes", "addresses"):
        doc.setdefault(key, [])
        if not isinstance(doc[key], list):
            raise InvalidInput(f"{path}: `{key}` must be a list")
    return doc


def _from_csv(text: str, path: Path) -> tuple[dict[str, Any], dict[int, int]]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if not reader.fieldnames or "kind" not in reader.fieldnames:
        raise InvalidInput(f"{path}: CSV needs a `kind` column, as the CSV export writes")
    doc: dict[str, Any] = {"vrfs": [], "prefixes": [], "addresses": []}
    lines: dict[int, int] = {}
    bad: list[tuple[int, str]] = []
    for row in reader:
        values = {k: (v if v != "" else None) for k, v in row.items() if k}
        kind = values.pop("kind", None)
        if kind == "vrf":
            doc["vrfs"].append(values)
        elif kind == "prefix":
            values["pool"] = str(values.get("pool") or "").lower() in ("true", "1", "yes")
            lines[id(values)] = reader.line_num
            doc["prefixes"].append(values)
        elif kind == "address":
            lines[id(values)] = reader.line_num
            doc["addresses"].append(values)
        else:
            bad.append((reader.line_num, f"kind {kind!r} is not vrf, prefix or address"))
    if bad:
        raise RowErrors(str(path), bad)
    return doc, lines


def import_doc(
    store: Store, doc: dict[str, Any], source: str, lines: dict[int, int]
) -> dict[str, int]:
    """Write a whole export document in one transaction; any bad row writes nothing."""

    def where(i: int, row: Any) -> int:
        return lines.get(id(row), i + 1)

    def run(tx: Tx) -> dict[str, int]:
        errors: list[tuple[int, str]] = []
        counts = {"vrfs": 0, "prefixes": 0, "addresses": 0, "unchanged": 0}
        known = {r["name"] for r in tx.all("SELECT name FROM vrf")}
        wanted = {v.get("name"): v for v in doc["vrfs"] if isinstance(v, dict)}
        for row in doc["prefixes"] + doc["addresses"]:
            if isinstance(row, dict) and row.get("vrf") and row["vrf"] not in wanted:
                wanted[row["vrf"]] = {"name": row["vrf"]}
        for name, v in wanted.items():
            if name and name not in known:
                tx.insert(
                    "INSERT INTO vrf (name, rd, description, created_at) VALUES (?, ?, ?, ?)",
                    (name, v.get("rd"), v.get("description"), tx.now),
                )
                tx.audit("vrf.add", "vrf", name, None, {k: v.get(k) for k in VRF_FIELDS})
                counts["vrfs"] += 1
        parsed = []
        for i, row in enumerate(doc["prefixes"]):
            try:
                parsed.append((_prefix_key(row), i, row))
            except (GovopsError, KeyError, TypeError, ValueError) as exc:
                errors.append((where(i, row), _reason(exc)))
        parsed.sort(key=lambda item: item[0])
        for _, i, row in parsed:
            try:
                if _import_prefix(tx, row):
                    counts["prefixes"] += 1
                else:
                    counts["unchanged"] += 1
            except GovopsError as exc:
                errors.append((where(i, row), f"{row.get('prefix')}: {exc}"))
        for i, row in enumerate(doc["addresses"]):
            try:
                if _import_address(tx, row):
                    counts["addresses"] += 1
                else:
                    counts["unchanged"] += 1
            except (GovopsError, KeyError, TypeError, ValueError) as exc:
                errors.append((where(i, row), f"{row.get('address')}: {_reason(exc)}"))
        if errors:
            raise RowErrors(source, sorted(errors))
        return counts

    return store.write(run)


def _reason(exc: BaseException) -> str:
    if isinstance(exc, KeyError):
        return f"missing field {exc.args[0]!r}"
    return str(exc)


def _prefix_key(row: Any) -> tuple[str, int, int, int]:
    if not isinstance(row, dict):
        raise InvalidInput("a prefix row must be an object")
    block = parse_block(str(row["prefix"]))
    family = row.get("family")
    if family not in (None, "") and int(family) != block.family:
        raise InvalidInput(f"family {family} does not match {block}")
    return (str(row.get("vrf") or space.DEFAULT_VRF), block.family, block.first, block.plen)


def _import_prefix(tx: Tx, row: dict[str, Any]) -> bool:
    block = parse_block(str(row["prefix"]))
    vid = space.vrf_id(tx, row.get("vrf"))
    status = row.get("status") or "allocated"
    unit = None
    if row.get("org_code"):
        unit = orgs.resolve(tx, str(row["org_code"]))
    elif row.get("org_path"):
        unit = orgs.resolve(tx, str(row["org_path"]))
    pool = row.get("pool") in (True, "true", 1, "1")
    existing = space.exact(tx, vid, block)
    if existing is not None:
        same = (
            existing.status == status
            and existing.is_pool == pool
            and existing.org_id == (unit.id if unit else None)
            and existing.purpose == row.get("purpose")
        )
        if same:
            return False
        raise InvalidInput("already stored with different attributes")
    made = space.place(
        tx,
        vid,
        block,
        status,
        unit,
        row.get("purpose"),
        row.get("description"),
        pool,
        row.get("quarantine_until"),
    )
    want_parent = row.get("parent")
    if want_parent:
        got = tx.scalar("SELECT cidr FROM prefix WHERE id = ?", (made.parent_id,))
        if got != str(parse_block(str(want_parent))):
            raise InvalidInput(f"parent would be {got or 'none'}, not {want_parent}")
    return True


def _import_address(tx: Tx, row: dict[str, Any]) -> bool:
    family, value = parse_address(str(row["address"]))
    vid = space.vrf_id(tx, row.get("vrf"))
    found = space.chain(tx, vid, Block(family, value, BITS[family]))
    if not found:
        raise InvalidInput("no prefix holds it")
    holder = found[-1]
    existing = tx.one(
        "SELECT hostname FROM ip_address WHERE vrf_id = ? AND family = ? AND addr = ?",
        (vid, family, blob(value)),
    )
    if existing is not None:
        if existing["hostname"] == row.get("hostname"):
            return False
        raise InvalidInput("already assigned with another hostname")
    if row.get("prefix") and str(parse_block(str(row["prefix"]))) != str(holder.block):
        raise InvalidInput(f"lies in {holder.block}, not {row['prefix']}")
    addresses.record(
        tx,
        vid,
        holder,
        value,
        row.get("hostname"),
        row.get("description"),
        row.get("status") or "active",
    )
    return True
