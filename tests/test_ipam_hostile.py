"""Property tests with hostile input: whatever text reaches the address parsers, and
whatever document reaches `ipam import`, the answer is a value or one refusal.

The parsers return a Block (or a number) or raise InvalidInput, nothing else. An
import document, random or a valid export with one thing changed, makes the library
raise only GovopsError; at the CLI it is taken (exit 0) or refused with exit 1 or 2,
one stderr line and the database unchanged (its export and its audit rows).
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import Cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ipam_helpers import CITY, COUNTY_A, TOWN_A1, make_orgs, snapshot

from infra.errors import GovopsError, InvalidInput
from infra.store import Store
from ipam import addresses, space, transfer
from ipam.addr import BITS, Block, parse_address, parse_block, parse_hosts, parse_size

PARSERS = settings(max_examples=300, deadline=None)
IMPORTS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

# -- the parsers -----------------------------------------------------------

# Characters near a CIDR: ASCII digits and separators, and look-alikes that
# `str.isdigit`, `int()` or `ipaddress` might take (Arabic-Indic, full-width, superscript).
NEAR = list("0123456789abcdefABCDEF.:/%") + list(" \t\n\x00٢٤٥０５²_+-") + ["eth0", "::", "/24"]
texts = st.one_of(
    st.lists(st.sampled_from(NEAR), max_size=25).map("".join),
    st.text(max_size=80),
    st.from_regex(r"\A\s?[0-9]{1,4}(\.[0-9]{1,4}){3}/[0-9]{1,3}\s?\Z"),
    st.from_regex(r"\A[0-9a-f:]{2,40}(%[a-z0-9]{1,5})?/[0-9]{1,3}\Z"),
)
json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=25,
)


def _plain(text: str) -> bool:
    """What the parsers may take: ASCII, no zone index, no space inside."""
    raw = text.strip()
    return raw.isascii() and "%" not in raw and not any(c.isspace() for c in raw)


@PARSERS
@given(texts, st.booleans())
def test_parse_block_gives_a_block_or_invalid_input(text, strict):
    try:
        block = parse_block(text, strict)
    except InvalidInput as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    assert _plain(text)
    assert parse_block(str(block)) == block


@PARSERS
@given(texts)
def test_parse_address_gives_an_address_or_invalid_input(text):
    try:
        family, value = parse_address(text)
    except InvalidInput as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    assert _plain(text)
    assert 0 <= value < 1 << BITS[family]


@PARSERS
@given(texts, st.sampled_from([4, 6, None]))
def test_parse_size_takes_ascii_digits_after_one_slash_only(text, family):
    try:
        plen = parse_size(text, family)
    except InvalidInput as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    raw = text.strip()
    digits = raw[1:] if raw.startswith("/") else raw
    assert digits.isascii() and digits.isdigit()
    assert 0 <= plen <= BITS[family or 6] and plen == int(digits)


@PARSERS
@given(st.one_of(json_values, texts))
def test_parsers_refuse_any_value_that_is_not_text_in_one_line(value):
    for parse in (parse_block, parse_address, parse_size, parse_hosts):
        try:
            parse(value)
        except InvalidInput as exc:
            assert "\n" not in str(exc)


@PARSERS
@given(st.sampled_from([4, 6]), st.data())
def test_valid_blocks_round_trip(family, data):
    plen = data.draw(st.integers(0, BITS[family]))
    first = data.draw(st.integers(0, (1 << plen) - 1)) << (BITS[family] - plen)
    block = Block(family, first, plen)
    assert parse_block(str(block)) == block
    assert parse_block(f" {block}\n") == block
    assert parse_size(f"/{plen}", family) == plen == parse_size(str(plen), family)
    assert parse_size(plen, family) == plen
    for bad in (f"//{plen}", f"/{plen}".replace("1", "١"), f"/ {plen}", f"/{plen}/"):
        if bad != f"/{plen}":
            with pytest.raises(InvalidInput):
                parse_size(bad, family)


def test_the_review_cases():
    """The inputs the hostile-input review found, by name."""
    for size in ("/٢٤", "//24", "/２４", "²⁴", "/24 ", "/ 24", "/+24", "/1_6", "/024x", "/33"):
        if size == "/24 ":
            assert parse_size(size, 4) == 24  # surrounding space is trimmed, as for a CIDR
            continue
        with pytest.raises(InvalidInput, match="is not a valid IPv4 prefix length"):
            parse_size(size, 4)
    with pytest.raises(InvalidInput, match="is not a valid IPv6 prefix length"):
        parse_size("/129", 6)
    with pytest.raises(
        InvalidInput,
        match=r"^fe80::%eth0/64: a zone index \(%eth0\) has no place in an address plan$",
    ):
        parse_block("fe80::%eth0/64")
    with pytest.raises(InvalidInput, match="zone index"):
        parse_address("fe80::1%25eth0")
    for text in ("10.0.0.0/٢٤", "١٠.0.0.0/8", "10.0.0.0 /8", "10.0.0.0/8\x00", "10.0.0.0/+8"):
        with pytest.raises(InvalidInput):
            parse_block(text)
    with pytest.raises(InvalidInput, match="got '٥٠'"):
        parse_hosts("٥٠")
    assert parse_hosts("50") == 50 == parse_hosts(50)


# -- import documents --------------------------------------------------------


@pytest.fixture(scope="module")
def world() -> Iterator[tuple[str, dict[str, Any]]]:
    """A SQLite database with a small tree, and its export (the base of the mutations)."""
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "world.db")
        with Store(db) as store:
            make_orgs(store)
            space.add(store, "10.64.0.0/12", org_ref=CITY, pool=True)
            space.add(store, "2001:db8::/32", pool=True)
            space.add(store, "10.64.0.0/16", org_ref=COUNTY_A, status="container")
            space.add(store, "10.64.1.0/24", org_ref=TOWN_A1, purpose="office", description="楼")
            space.add(store, "10.64.2.0/25", status="reserved")
            space.add(store, "2001:db8:0:1::/64")
            addresses.assign(store, "10.64.1.7", "web", "政务网站")
            addresses.assign(store, "2001:db8:0:1::9", "dns", status="reserved")
            space.release(store, "10.64.2.0/25", quarantine_days=3)
            doc = transfer.export(store)
        yield db, doc


def _mutate(doc: dict[str, Any], data: st.DataObject) -> dict[str, Any]:
    doc = json.loads(json.dumps(doc))
    section = data.draw(st.sampled_from(["vrfs", "prefixes", "addresses", "top"]))
    if section == "top":
        key = data.draw(st.sampled_from([*transfer._TOP_KEYS, "extra"]))
        doc[key] = data.draw(json_values)
        return doc
    rows = doc[section]
    i = data.draw(st.integers(0, len(rows)))
    if i == len(rows):
        rows.append(data.draw(json_values))
        return doc
    fields = {"vrfs": transfer.VRF_FIELDS, "prefixes": transfer.PREFIX_FIELDS}
    key = data.draw(st.sampled_from([*fields.get(section, transfer.ADDRESS_FIELDS), "extra"]))
    how = data.draw(st.sampled_from(["value", "text", "drop", "row"]))
    if how == "row":
        rows[i] = data.draw(json_values)
    elif how == "drop":
        rows[i].pop(key, None)
    else:
        rows[i][key] = data.draw(json_values if how == "value" else texts)
    return doc


@st.composite
def documents(draw: Any, base: dict[str, Any]) -> tuple[str, bytes]:
    """(suffix, file content): random structures, or the base export with one change."""
    kind = draw(st.sampled_from(["random", "sections", "mutated", "mutated", "csv"]))
    if kind == "csv":
        text = transfer.to_csv(base)
        table = list(csv.reader(io.StringIO(text)))
        row = draw(st.integers(0, len(table) - 1))
        col = draw(st.integers(0, len(table[0]) - 1))
        table[row][col] = draw(texts)
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(table)
        return "csv", out.getvalue().encode("utf-8", "surrogatepass")
    if kind == "random":
        doc = draw(json_values)
    elif kind == "sections":
        doc = draw(st.dictionaries(st.sampled_from(transfer._TOP_KEYS), json_values, min_size=1))
    else:
        doc = _mutate(base, draw(st.data()))
    if draw(st.booleans()):
        return "json", json.dumps(doc).encode()
    try:
        return "yaml", yaml.safe_dump(doc, allow_unicode=True).encode("utf-8", "surrogatepass")
    except yaml.YAMLError:
        return "json", json.dumps(doc).encode()


@IMPORTS
@given(st.data())
def test_import_raises_only_govops_errors(world, data):
    db, base = world
    suffix, content = data.draw(documents(base))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"doc.{suffix}"
        path.write_bytes(content)
        with Store(db) as store:
            try:
                doc, lines = transfer.load(path)
                transfer.import_doc(store, doc, str(path), lines)
            except GovopsError as exc:
                assert "\n" not in str(exc)


@IMPORTS
@given(st.data())
def test_import_at_the_cli_is_taken_or_refused_in_one_line(world, data):
    db, base = world
    suffix, content = data.draw(documents(base))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"doc.{suffix}"
        path.write_bytes(content)
        with Store(db) as store:
            before = snapshot(store)
            result = Cli(db)("ipam", "import", str(path))
            assert result.exit_code in (0, 1, 2), (result.exit_code, result.stderr)
            if result.exit_code == 0:
                return
            assert result.stdout == ""
            lines = result.stderr.splitlines()
            assert len(lines) == 1, result.stderr
            assert lines[0].startswith("govops: ") and "internal error" not in lines[0]
            assert snapshot(store) == before
