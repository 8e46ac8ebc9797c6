"""The catalogue of domestic stacks: the built-in file, a user's extension (by
option and by environment), and strict checks of that file, every problem with
its line."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_xc_setup import build

from infra.store import Store
from infra.xc import apps, catalogue
from infra.xc.catalogue import CatalogueError, UnknownStack
from infra.xc.classify import OS_FAMILIES
from tests.conftest import Cli, one_line_error

SITE = """\
version: 1
databases:
  - id: xugu
    name: 虚谷数据库 XuguDB
    vendor: 成都虚谷伟业
    aliases: [虚谷]
    processes: [xugu]
    ports: [5138]
middleware:
  - id: tongweb-site
    name: TongWeb (our build)
    processes: [tongweb]
"""


def test_builtin_catalogue() -> None:
    cat = catalogue.load()
    ids = {kind: {e.id for e in cat.of(kind)} for kind in catalogue.KINDS}
    assert {"dm", "kingbase", "opengauss", "gaussdb", "oceanbase", "tidb"} <= ids["db"]
    assert {"tongweb", "bes", "apusic", "inforsuite"} <= ids["middleware"]
    assert {e.family for e in cat.of("os")} == set(OS_FAMILIES) - {"other"}
    for e in cat.of("db") + cat.of("middleware"):
        assert e.processes and e.ports, e.id
    assert cat.find("db", "达梦").id == "dm"
    assert cat.find("os", "中标麒麟").family == "kylin"
    assert cat.find("middleware", "TONGWEB").id == "tongweb"
    with pytest.raises(UnknownStack, match="unknown database 'oracle'"):
        cat.find("db", "oracle")


def test_extension_by_path_and_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = tmp_path / "site.yaml"
    site.write_text(SITE, encoding="utf-8")
    cat = catalogue.load(site)
    assert cat.find("db", "虚谷").ports == (5138,)
    assert cat.find("db", "虚谷").source == str(site)
    with pytest.raises(UnknownStack):
        catalogue.load().find("db", "xugu")
    monkeypatch.setenv(catalogue.ENV, str(site))
    assert catalogue.load().find("middleware", "tongweb-site").processes == ("tongweb",)


BAD = """\
version: 2
databases:
  - id: Foo
    name: x
    ports: [0, 70000, abc]
  - name: no id
    processes: [p]
  - id: bare
    name: neither processes nor ports
os:
  - id: redflag
    name: 红旗
    family: redhat
    colour: red
bogus: 1
"""


def test_a_bad_file_names_every_problem_by_line(tmp_path: Path) -> None:
    f = tmp_path / "bad.yaml"
    f.write_text(BAD, encoding="utf-8")
    with pytest.raises(CatalogueError) as err:
        catalogue.load(f)
    lines = [line for line, _ in err.value.errors]
    assert lines == [1, 3, 5, 5, 5, 6, 8, 13, 14, 15]
    assert "\n" not in str(err.value)
    for fragment in (
        "line 1: version must be 1",
        "line 3: databases[0]: id 'Foo' must be lower-case",
        "line 5: databases[0]: a port must be a whole number 1 to 65535",
        "line 6: databases[1]: id is missing",
        "line 8: databases[2]: give processes or ports",
        "line 13: os[0]: family 'redhat' is not one of",
        "line 14: os[0]: unknown field 'colour'",
        "line 15: unknown section 'bogus'",
    ):
        assert fragment in str(err.value)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("databases:\n  - id: dm\n    name: again\n    ports: [1]\n", "'dm' is already used by dm"),
        (
            "databases:\n  - id: mine\n    name: m\n    aliases: [达梦]\n    ports: [1]\n",
            "'达梦' is already used by dm",
        ),
        ("databases: [1, 2\n", "not valid YAML"),
        ("- a list\n", "must be a mapping of sections"),
        ("databases: {id: x}\n", "databases must be a list"),
        ("os:\n  - id: x\n    name: y\n", "family is missing"),
    ],
)
def test_bad_extensions(tmp_path: Path, text: str, fragment: str) -> None:
    f = tmp_path / "c.yaml"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogueError, match=fragment):
        catalogue.load(f)


def test_an_empty_extension_adds_nothing(tmp_path: Path) -> None:
    f = tmp_path / "empty.yaml"
    f.write_text("# nothing yet\n", encoding="utf-8")
    assert len(catalogue.load(f).entries) == len(catalogue.load().entries)


def test_apps_use_the_extension(store: Store, tmp_path: Path) -> None:
    build(store)
    site = tmp_path / "site.yaml"
    site.write_text(SITE, encoding="utf-8")
    out = apps.add(store, "财务系统", "YC-CZ", db="虚谷", catalogue_path=site)
    assert out["db"] == "xugu"
    with pytest.raises(UnknownStack):
        apps.add(store, "其他系统", "YC-CZ", db="虚谷")


def test_catalogue_cli(sqlite_cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rows = sqlite_cli.json("xc", "catalogue", "--kind", "db")
    assert {r["kind"] for r in rows} == {"db"} and "dm" in {r["id"] for r in rows}
    site = tmp_path / "site.yaml"
    site.write_text(SITE, encoding="utf-8")
    rows = sqlite_cli.json("xc", "catalogue", "--catalogue", str(site))
    assert "xugu" in {r["id"] for r in rows}
    monkeypatch.setenv("GOVOPS_XC_CATALOGUE", str(site))
    assert "xugu" in {r["id"] for r in sqlite_cli.json("xc", "catalogue", "--kind", "db")}
    bad = tmp_path / "bad.yaml"
    bad.write_text(BAD, encoding="utf-8")
    one_line_error(sqlite_cli("xc", "catalogue", "--catalogue", str(bad)), "10 errors", "line 15")
    one_line_error(sqlite_cli("xc", "catalogue", "--kind", "os2"), "unknown catalogue kind")
    one_line_error(
        sqlite_cli("xc", "catalogue", "--catalogue", str(tmp_path / "none.yaml")), "no such file"
    )
