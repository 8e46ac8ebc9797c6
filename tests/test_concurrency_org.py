"""Several govops processes writing org units into one database at the same time."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLE

from infra import audit
from infra.org import units as org
from infra.store import Store

CITY = "441600000000"
HEADER = ["code", "name", "level", "parent_code"]
# codes 441630…441659 are free in the sample: room for 30 extra counties
EXTRA_COUNTIES = [(f"4416{n}000000", f"新区{n}") for n in range(30, 60)]


def sample_rows() -> list[dict[str, str]]:
    with SAMPLE.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def county_files(tmp_path: Path, parts: int = 3) -> list[Path]:
    """The sample split by county into `parts` files, each with the city row too."""
    rows = sample_rows()
    counties = [r["code"][:6] for r in rows if r["level"] == "county"]
    files = []
    for i in range(parts):
        mine = set(counties[i::parts])
        path = tmp_path / f"part{i}.csv"
        with path.open("w", encoding="utf-8", newline="") as f:
            writer = csv.DictWriter(f, HEADER)
            writer.writeheader()
            writer.writerows(r for r in rows if r["code"] == CITY or r["code"][:6] in mine)
        files.append(path)
    return files


def govops(db: str, *args: str) -> subprocess.Popen:
    """Start `python -m govops --db DB …` as its own OS process."""
    env = {**os.environ, "GOVOPS_ACTOR": "pytest", "NO_COLOR": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "govops", "--db", db, *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def adder(db: str, units: list[tuple[str, str]]) -> subprocess.Popen:
    """One process adding `units` under the city one by one, each in its own connection
    and transaction as separate commands would, spread out to overlap the imports."""
    script = (
        "import sys, time\n"
        "from infra.store import Store\n"
        "from infra.org import units as org\n"
        f"db, units = {db!r}, {units!r}\n"
        "for code, name in units:\n"
        "    with Store(db) as store:\n"
        "        org.add(store, name, 'county', '441600000000', code)\n"
        "    time.sleep(0.02)\n"
    )
    env = {**os.environ, "GOVOPS_ACTOR": "pytest"}
    return subprocess.Popen(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(procs: list[subprocess.Popen], timeout: float = 60) -> None:
    for p in procs:
        out, err = p.communicate(timeout=timeout)
        assert p.returncode == 0, (p.args[-6:], p.returncode, err)
        assert out == "", out
        assert "locked" not in err and "Traceback" not in err, err


def levels(store: Store) -> dict[str, int]:
    counts: dict[str, int] = {}
    for u in org.list_units(store):
        counts[u["level"]] = counts.get(u["level"], 0) + 1
    return counts


def check_everything_arrived(db: str, extra: int) -> None:
    expected = {r["code"]: r["name"] for r in sample_rows()}
    expected.update(dict(EXTRA_COUNTIES[:extra]))
    with Store(db) as store:
        units = org.list_units(store)
        assert {u["code"]: u["name"] for u in units} == expected
        assert levels(store) == {"city": 1, "county": 6 + extra, "town": 101, "village": 1452}
        verdict = audit.verify(store)
        assert verdict.ok, verdict
        # exactly one audit row per unit: nothing was written twice, nothing lost
        assert verdict.rows == len(expected)
        assert len(audit.entries(store, limit=10_000, action="org.add")) == len(expected)


def _import_while_adding(db: str, tmp_path: Path, adds: int) -> None:
    with Store(db) as store:
        org.add(store, "河源市", "city", code=CITY)
    files = county_files(tmp_path)
    adding = adder(db, EXTRA_COUNTIES[:adds])
    # meanwhile, the sample's counties are imported by three govops processes
    importing = [govops(db, "org", "import", str(f)) for f in files]
    # and one unit is added through the CLI as well
    code, name = EXTRA_COUNTIES[adds]
    cli_add = govops(db, "org", "add", name, "--level", "county", "--parent", CITY, "--code", code)
    finish([adding, *importing, cli_add])
    check_everything_arrived(db, adds + 1)


def _parallel_county_imports(db: str, tmp_path: Path) -> None:
    # no database yet: every process also races to create it and run the migrations,
    # and every file holds the city row, which only one of them may add
    procs = [govops(db, "org", "import", str(f)) for f in county_files(tmp_path, 4)]
    finish(procs)
    check_everything_arrived(db, 0)


@pytest.mark.slow
def test_sqlite_import_while_another_process_adds(tmp_path):
    _import_while_adding(str(tmp_path / "shared.db"), tmp_path, 29)


@pytest.mark.slow
def test_sqlite_parallel_imports_of_different_counties(tmp_path):
    _parallel_county_imports(str(tmp_path / "fresh.db"), tmp_path)


@pytest.mark.slow
@pytest.mark.pg
def test_postgres_import_while_another_process_adds(pg_url, tmp_path):
    _import_while_adding(pg_url, tmp_path, 29)


@pytest.mark.slow
@pytest.mark.pg
def test_postgres_parallel_imports_of_different_counties(pg_url, tmp_path):
    _parallel_county_imports(pg_url, tmp_path)


def test_library_adds_from_threads(db_url):
    """Threads with their own Store each: the same retry discipline as processes."""
    import threading

    with Store(db_url) as store:
        org.add(store, "河源市", "city", code=CITY)
    errors: list[BaseException] = []

    def work(chunk: list[tuple[str, str]]) -> None:
        try:
            with Store(db_url) as s:
                for code, name in chunk:
                    org.add(s, name, "county", CITY, code)
        except BaseException as exc:  # reported below
            errors.append(exc)

    chunks = [EXTRA_COUNTIES[i::4] for i in range(4)]
    threads = [threading.Thread(target=work, args=(c,)) for c in chunks]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with Store(db_url) as store:
        assert levels(store) == {"city": 1, "county": 30}
        assert audit.verify(store).rows == 31


def test_the_same_department_file_imported_at_once(db_url, tmp_path):
    """Four importers of one file: each department is added once, by one of them."""
    import threading

    from infra.org import depts

    with Store(db_url) as store:
        org.add(store, "河源市", "city", code=CITY)
    path = tmp_path / "depts.csv"
    lines = ["code,name,org_code", *(f"HY-{n:03d},河源市第{n}局,{CITY}" for n in range(40))]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    results: list[depts.DeptImportResult] = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            with Store(db_url) as s:
                results.append(depts.import_file(s, path))
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(r.added for r in results) == [0, 0, 0, 40]
    assert all(r.unchanged == 40 for r in results if r.added == 0)
    with Store(db_url) as store:
        assert len(depts.list_depts(store, CITY)) == 40
        verdict = audit.verify(store)
        assert verdict.ok and verdict.rows == 41
