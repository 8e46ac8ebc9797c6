"""Hostile plan files: each malformed, oversized or booby-trapped plan is one line
(exit 1) naming the key at fault, with nothing written, on both backends; property
tests over random documents and mangled YAML text."""

from __future__ import annotations

import datetime
import json
import math
import os
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import Cli, one_line_error
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_plan import PLAN, small_tree, write_tree

from infra.errors import GovopsError
from ipam import plan


def plan_text(drop: tuple[str, ...] = (), **at: Any) -> str:
    """The test plan as YAML, the value at each `section__key__…` path replaced."""
    doc = json.loads(json.dumps(PLAN))
    for path in drop:
        doc.pop(path)
    for path, value in at.items():
        *parents, last = path.split("__")
        node = doc
        for part in parents:
            node = node[part]
        node[last] = value
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)


GOOD = plan_text()
V4_NEEDS = "  needs:\n"
assert V4_NEEDS in GOOD


def nested(depth: int) -> str:
    return "root: " + "[" * depth + "]" * depth + "\n"


LAUGHS = "".join(
    f"l{i}: &l{i} [{', '.join([f'*l{i - 1}' if i else 'lol'] * 9)}]\n" for i in range(10)
)
MERGES = "m0: &m0 {a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7, h: 8, i: 9}\n" + "".join(
    f"m{i}: &m{i} {{<<: [{', '.join([f'*m{i - 1}'] * 9)}]}}\n" for i in range(1, 8)
)

# (id, plan file text, fragments the one line must hold)
CASES: list[tuple[str, str, tuple[str, ...]]] = [
    ("empty-file", "", ("the plan is empty",)),
    ("only-a-comment", "# nothing\n", ("the plan is empty",)),
    ("list-at-top", "- root\n- ipv4\n", ("expected a mapping of plan settings", "got a list")),
    ("scalar-at-top", "42\n", ("expected a mapping of plan settings", "got 42")),
    ("int-key-beside-names", GOOD + "5: five\n", ("keys are names, got 5",)),
    ("unknown-key", GOOD + "colour: red\n", ("unknown key colour", "the keys are headroom")),
    ("needs-int", plan_text(ipv4__needs=5), ("ipv4.needs: expected a mapping of tier", "got 5")),
    ("needs-bool", plan_text(ipv4__needs=True), ("ipv4.needs: expected a mapping", "got true")),
    ("needs-list", plan_text(ipv4__needs=["village"]), ("ipv4.needs:", "got a list")),
    ("tier-int", plan_text(ipv4__needs__village=5), ("ipv4.needs.village: expected a mapping of purpose to hosts, got 5",)),
    ("tier-null", plan_text(ipv4__needs__village=None), ("ipv4.needs.village:", "got null")),
    ("tier-key-null", plan_text(ipv4__needs={None: {"office": 28}}), ("ipv4.needs: keys are names, got null",)),
    ("purpose-key-null", plan_text(ipv4__needs__village={None: 28}), ("ipv4.needs.village: expected a purpose name, got null",)),
    ("purpose-key-int", plan_text(ipv4__needs__village={1: 28}), ("ipv4.needs.village:", "got 1")),
    ("purpose-key-bool", plan_text(ipv4__needs__village={True: 28}), ("ipv4.needs.village:", "got true")),
    ("purpose-key-float", plan_text(ipv4__needs__village={2.5: 28}), ("ipv4.needs.village:", "got 2.5")),
    ("purpose-site", plan_text(ipv4__needs__village={"site": 28}), ("ipv4.needs.village: 'site' is reserved",)),
    ("purpose-newline", plan_text(ipv4__needs__village={"a\nb": 28}), ("ipv4.needs.village:", "control characters")),
    ("purpose-empty", plan_text(ipv4__needs__village={"": 28}), ("ipv4.needs.village: a purpose name is empty",)),
    ("purpose-too-long", plan_text(ipv4__needs__village={"o" * 5000: 28}), ("ipv4.needs.village:", "longer than 64")),
    ("purposes-too-many", plan_text(ipv4__needs__village={f"p{i}": 1 for i in range(300)}), ("ipv4.needs.village: 300 purposes", "at most 256")),
    ("hosts-float", plan_text(ipv4__needs__village={"office": 2.5}), ("ipv4.needs.village.office: hosts must be a positive whole number, got 2.5",)),
    ("hosts-string", plan_text(ipv4__needs__village={"office": "28"}), ("ipv4.needs.village.office:", "got '28'")),
    ("hosts-unicode-digits", plan_text(ipv4__needs__village={"office": "٢٨"}), ("ipv4.needs.village.office:", "got '٢٨'")),
    ("hosts-bool", plan_text(ipv4__needs__village={"office": True}), ("ipv4.needs.village.office:", "got true")),
    ("hosts-zero", plan_text(ipv4__needs__village={"office": 0}), ("ipv4.needs.village.office:", "positive", "got 0")),
    ("hosts-negative", plan_text(ipv4__needs__village={"office": -5}), ("ipv4.needs.village.office:", "got -5")),
    ("hosts-infinite", GOOD.replace("office: 28", "office: 1.0e+400"), ("ipv4.needs.village.office:", "got inf")),
    ("hosts-1e400-is-text", GOOD.replace("office: 28", "office: 1e400"), ("ipv4.needs.village.office:", "got '1e400'")),
    ("hosts-past-ipv4", plan_text(ipv4__needs__village={"office": 2**32}), ("ipv4.needs.village.office: 4294967296 hosts do not fit in any IPv4 subnet", "4,294,967,293")),
    ("hosts-5000-digits", GOOD.replace("office: 28", "office: " + "9" * 5000), ("line", "ipv4.needs.village.office: a number of 5000 digits is out of range")),
    ("headroom-nan", plan_text(headroom=math.nan), ("headroom", "got nan")),
    ("headroom-inf", plan_text(headroom=math.inf), ("headroom", "got inf")),
    ("headroom-bool", plan_text(headroom=True), ("headroom", "got true")),
    ("headroom-text", plan_text(headroom="0.5"), ("headroom", "got '0.5'")),
    ("headroom-negative", plan_text(headroom=-0.1), ("headroom", "0 <= headroom < 1", "got -0.1")),
    ("headroom-one", plan_text(headroom=1), ("headroom", "got 1")),
    ("pool-int", plan_text(ipv4__pool=167772160), ("ipv4.pool: expected a CIDR", "got 167772160")),
    ("pool-list", plan_text(ipv4__pool=["10.64.0.0/12"]), ("ipv4.pool: expected a CIDR", "got a list")),
    ("pool-null", plan_text(ipv6__pool=None), ("ipv6.pool: expected a CIDR", "got null")),
    ("pool-very-long", plan_text(ipv4__pool="1" * 100_000), ("ipv4.pool:", "is not a CIDR")),
    ("site-unicode-digit", plan_text(ipv6__site="²"), ("ipv6.site: '²' is not an IPv6 prefix length",)),
    ("site-fullwidth", plan_text(ipv6__site="５６"), ("ipv6.site:", "is not an IPv6 prefix length")),
    ("site-float", plan_text(ipv6__site=56.5), ("ipv6.site: 56.5 is not an IPv6 prefix length",)),
    ("site-bool", plan_text(ipv6__site=True), ("ipv6.site: true is not an IPv6 prefix length",)),
    ("site-zero", plan_text(ipv6__site=0), ("ipv6.site: 0 is not", "(1 to 128)")),
    ("subnet-huge", plan_text(ipv6__subnet=10**40), ("ipv6.subnet:", "is not an IPv6 prefix length")),
    ("root-null", plan_text(root=None), ("root: expected a unit's code, path or name, got null",)),
    ("root-list", plan_text(root=[1, 2]), ("root:", "got a list")),
    ("root-blank", plan_text(root="  "), ("root:", "got '  '")),
    ("root-negative", plan_text(root=-5), ("root: -5 is not a division code",)),
    ("root-too-long", plan_text(root="村" * 100_000), ("root:", "at most 500 characters")),
    ("root-date", plan_text(root=datetime.date(2024, 1, 1)), ("root:", "got a date (2024-01-01)")),
    ("root-impossible-date", GOOD.replace("'441900000000'", "2024-13-45"), ("root: 2024-13-45 is not a valid timestamp",)),
    ("root-binary", plan_text(root=b"\x00\x01"), ("root:", "got binary data")),
    ("vrf-int", plan_text(vrf=5), ("vrf: expected a VRF name, got 5",)),
    ("vrf-empty", plan_text(vrf=""), ("vrf: a VRF name is empty",)),
    ("vrf-two-words", plan_text(vrf="e gov"), ("vrf: a VRF name is one word",)),
    ("ipv4-int", plan_text(ipv4=5), ("ipv4: expected a mapping with pool and needs, got 5",)),
    ("ipv6-list", plan_text(ipv6=["pool"]), ("ipv6: expected a mapping", "got a list")),
    ("v6-needs-int", plan_text(ipv6__needs=5), ("ipv6.needs: expected a mapping of tier", "got 5")),
    ("v6-needs-empty-list", plan_text(ipv6__needs={"village": []}), ("ipv6.needs.village: give a list of purposes", "got an empty list")),
    ("v6-needs-twice", plan_text(ipv6__needs={"village": ["office", "office"]}), ("ipv6.needs.village: office is listed twice",)),
    ("v6-needs-int-item", plan_text(ipv6__needs={"village": ["office", 7]}), ("ipv6.needs.village[1]: expected a purpose name, got 7",)),
    ("v6-needs-site", plan_text(ipv6__needs={"village": ["site"]}), ("ipv6.needs.village[0]: 'site' is reserved",)),
    ("only-a-tier-without-units", plan_text(ipv4__needs={"province": {"core": 10}}), ("ipv4.needs: names only tiers (province)", "nothing to plan")),
    ("duplicate-top-key", GOOD + "headroom: 0.2\n", ("line", "headroom: given twice (first on line")),
    ("duplicate-tier", GOOD.replace(V4_NEEDS, V4_NEEDS + "    village: {video: 1}\n"), ("ipv4.needs.village: given twice",)),
    ("duplicate-purpose", GOOD.replace("office: 28", "office: 28\n      office: 30"), ("ipv4.needs.village.office: given twice",)),
    ("nested-20", nested(20), ("root[0][0]", "nested too deeply")),
    ("nested-20000", nested(20_000), ("nested too deeply",)),
    ("nested-50000-mappings", "root: " + "{a: " * 50_000 + "1" + "}" * 50_000 + "\n", ("root.a.a", "nested too deeply")),
    ("billion-laughs", LAUGHS + GOOD, ("more than 10,000 values",)),
    ("merge-key-bomb", MERGES + GOOD, ("more than 10,000 values",)),
    ("alias-of-itself", "root: &r [*r]\n", ("root: *r refers to itself",)),
    ("merge-of-itself", GOOD + "x: &x {<<: *x}\n", ("x: *x refers to itself",)),
    ("flat-list-of-200k", "root: [" + ", ".join(["1"] * 200_000) + "]\n", ("root[", "more than 10,000 values")),
    ("two-documents", GOOD + "---\n" + GOOD, ("not valid YAML", "another document")),
    ("nul-character", GOOD + "\x00\n", ("not valid YAML", "#x0000")),
    ("python-object-tag", GOOD + "x: !!python/object/apply:os.system [true]\n", ("not valid YAML", "constructor")),
    ("unhashable-key", "? [a, b]\n: 1\n", ("not valid YAML", "unhashable key")),
    ("tab-indent", "root: x\n\tipv4: 1\n", ("line 2: not valid YAML",)),
]  # fmt: skip


def snapshot(cli: Cli) -> tuple[str, int, str]:
    """What a refused plan must leave alone: every prefix, and the audit chain."""
    audit = cli.json("audit", "verify")
    return cli.ok("ipam", "export", "--format", "json").stdout, audit["rows"], audit["head"]


@pytest.fixture
def city(cli: Cli, tmp_path: Path) -> Cli:
    cli.ok("org", "import", str(write_tree(tmp_path / "tree.csv", small_tree())))
    return cli


def refused(cli: Cli, path: Path, *fragments: str) -> str:
    """Dry run and --apply each refuse `path` with the same one line; nothing is written."""
    before = snapshot(cli)
    line = one_line_error(cli("ipam", "plan", str(path), "--apply"), *fragments)
    assert one_line_error(cli("ipam", "plan", str(path))) == line
    assert snapshot(cli) == before
    return line


def test_the_base_of_the_cases_is_a_good_plan(city: Cli, tmp_path: Path) -> None:
    path = tmp_path / "good.yaml"
    path.write_text(GOOD, encoding="utf-8")
    assert city.json("ipam", "plan", str(path))["new"] > 0


@pytest.mark.parametrize(("text", "fragments"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_a_malformed_plan_is_one_line_and_writes_nothing(
    city: Cli, tmp_path: Path, text: str, fragments: tuple[str, ...]
) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    line = refused(city, path, *fragments)
    assert len(line) < 400, line  # a value is shown cut short, never whole


@pytest.mark.parametrize(
    ("data", "fragments"),
    [
        (b"root: \xff\xfe\n", ("not UTF-8 text (byte 0xff at offset 6)",)),
        (GOOD.encode("utf-16"), ("not UTF-8 text (byte 0xff at offset 0)",)),
        (b"#" * (2**20 + 1), ("is 1 MiB", "at most 1 MiB")),
    ],
    ids=["latin-1", "utf-16", "over-1-MiB"],
)
def test_a_plan_file_that_is_not_utf8_text_of_a_page_is_refused(
    city: Cli, tmp_path: Path, data: bytes, fragments: tuple[str, ...]
) -> None:
    path = tmp_path / "plan.yaml"
    path.write_bytes(data)
    refused(city, path, *fragments)


@pytest.mark.parametrize(
    ("make", "fragments"),
    [
        (lambda tmp: tmp, ("is a directory, not a file",)),
        (lambda tmp: Path("/dev/zero"), ("/dev/zero is not a regular file",)),
        (lambda tmp: Path("/dev/urandom"), ("/dev/urandom is not a regular file",)),
        (lambda tmp: (os.mkfifo(tmp / "fifo"), tmp / "fifo")[1], ("is not a regular file",)),
        (lambda tmp: (os.symlink("/dev/zero", tmp / "z.yaml"), tmp / "z.yaml")[1], ("z.yaml is not a regular file",)),
        (lambda tmp: tmp / "missing.yaml", ("no such plan file",)),
    ],
    ids=["directory", "dev-zero", "dev-urandom", "fifo", "link-to-dev-zero", "missing"],
)  # fmt: skip
def test_a_plan_path_that_is_not_a_regular_file_is_refused_at_once(
    city: Cli, tmp_path: Path, make: Any, fragments: tuple[str, ...]
) -> None:
    refused(city, make(tmp_path), *fragments)


def test_bom_crlf_anchors_and_a_slashed_site_plan_like_the_plain_file(
    city: Cli, tmp_path: Path
) -> None:
    plain = tmp_path / "plain.yaml"
    plain.write_text(GOOD, encoding="utf-8")
    dressed = tmp_path / "dressed.yaml"
    text = GOOD.replace("site: 56", "site: /56").replace("\n", "\r\n")
    dressed.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    anchored = tmp_path / "anchored.yaml"
    doc = yaml.safe_load(GOOD)
    doc["ipv4"]["needs"]["village"] = doc["ipv4"]["needs"]["town"]  # dumped as an alias
    anchored.write_text(yaml.safe_dump(doc), encoding="utf-8")
    assert "*id" in anchored.read_text(encoding="utf-8")
    expected = city.json("ipam", "plan", str(plain))
    assert city.json("ipam", "plan", str(dressed)) == expected
    assert city.json("ipam", "plan", str(anchored))["new"] > 0


# -- properties -------------------------------------------------------------

PROPERTIES = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
NAMES = [*plan.PLAN_KEYS, *plan.V6_KEYS, "province", "city", "county", "town", "village"]
NAMES += ["office", "video", "site", "egov", "10.64.0.0/12", "2001:db8::/32", "/56", "²", ""]
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 300),
    st.integers(-(2**80), 2**80),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.sampled_from(NAMES),
    st.binary(max_size=4),
    st.dates(),
)
KEYS = st.one_of(
    st.sampled_from(NAMES),
    st.none(),
    st.booleans(),
    st.integers(-5, 2**40),
    st.floats(allow_nan=False),
    st.text(max_size=8),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(KEYS, inner, max_size=4)),
    max_leaves=12,
)


@st.composite
def plan_docs(draw: st.DrawFn) -> Any:
    """The test plan with one to three keys (at any depth) replaced or added, or a
    document of random shape altogether."""
    if draw(st.integers(0, 4)) == 0:
        return draw(VALUES)
    doc: Any = json.loads(json.dumps(PLAN))
    for _ in range(draw(st.integers(1, 3))):
        node = doc
        while True:
            keys = sorted(node, key=repr)
            key = draw(st.sampled_from(keys)) if keys else None
            if key is not None and isinstance(node[key], dict) and draw(st.booleans()):
                node = node[key]
                continue
            node[draw(st.one_of(st.just(key), KEYS) if keys else KEYS)] = draw(VALUES)
            break
    return doc


def check_spec(spec: plan.Spec) -> None:
    """What a Spec guarantees to the planner, whatever document it came from."""
    assert isinstance(spec.root, str) and spec.root.strip()
    assert isinstance(spec.vrf, str) and spec.vrf
    rooms = spec.headroom if isinstance(spec.headroom, dict) else {"any": spec.headroom}
    assert all(isinstance(h, float) and 0 <= h < 1 for h in rooms.values())
    if isinstance(spec.headroom, dict):
        assert set(spec.headroom) <= set(plan.orgs.LEVELS)
    assert spec.v4_pool is not None or spec.v6_pool is not None
    if spec.v4_pool is not None:
        assert spec.v4_pool.family == 4 and spec.v4_needs
    for purposes in spec.v4_needs.values():
        for name, hosts in purposes.items():
            assert isinstance(name, str) and name != plan.SITE and name.isprintable()
            assert type(hosts) is int and 1 <= hosts <= plan.MAX_HOSTS
    if spec.v6_pool is not None:
        assert spec.v6_pool.family == 6
        assert spec.v6_pool.plen < spec.v6_site < spec.v6_subnet <= 128
        assert all(isinstance(p, str) for ps in spec.v6_purposes.values() for p in ps)


@PROPERTIES
@given(plan_docs())
def test_parse_spec_returns_a_spec_or_refuses(doc: Any) -> None:
    try:
        spec = plan.parse_spec(doc, "p.yaml")
    except GovopsError as exc:
        assert "\n" not in str(exc) and len(str(exc)) < 400, str(exc)
        return
    check_spec(spec)


YAML_NOISE = st.text(
    alphabet="{}[]:,&*!|>-#'\"\n\t %@`?<.0123456789aeiouxyz~\x00\u00a0²", max_size=6
)


@st.composite
def plan_files(draw: st.DrawFn) -> str:
    """A plan file as a user might mangle it: a random document dumped, or the good
    plan's text with bits of YAML syntax spliced in."""
    if draw(st.booleans()):
        return yaml.safe_dump(draw(plan_docs()), allow_unicode=True)
    text = GOOD
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(text)))
        cut = draw(st.integers(0, 3))
        text = text[:at] + draw(YAML_NOISE) + text[at + cut :]
    return text


@pytest.mark.slow
@PROPERTIES
@given(plan_files())
def test_any_plan_file_is_planned_or_refused_in_one_line(
    sqlite_cli: Cli, tmp_path: Path, text: str
) -> None:
    if not Path(sqlite_cli.db).exists():
        sqlite_cli.ok("org", "import", str(write_tree(tmp_path / "tree.csv", small_tree())))
    path = tmp_path / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    before = snapshot(sqlite_cli)
    result = sqlite_cli("ipam", "plan", str(path), "--apply")
    if result.exit_code == 0:  # a plan after all: the same file parses on its own
        check_spec(plan.load_spec(path))
        return
    assert result.exit_code in (1, 2), (result.exit_code, result.stderr)
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and "internal error" not in lines[0], result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert snapshot(sqlite_cli) == before
