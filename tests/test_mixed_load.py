"""Eight processes mixing every kind of write against one database, on SQLite and
PostgreSQL, for a few seconds (bench/load.py runs the same for 30 s and prints the
rates): no operation ends in a lock, busy, serialisation or deadlock error or a
traceback; nothing overlaps; the quotas hold; every successful operation left its
audit rows; the chain verifies."""

from __future__ import annotations

from pathlib import Path

import load_worker
import pytest
from conftest import Cli

SECONDS = 5.0


@pytest.mark.slow
def test_eight_processes_of_mixed_writes(db_url: str, tmp_path: Path) -> None:
    audit_before = load_worker.prepare(db_url)
    results = load_worker.run(db_url, SECONDS, tmp_path)
    verdicts = load_worker.verify(db_url, results, audit_before)
    wrong = {check: verdict for check, verdict in verdicts.items() if verdict != "ok"}
    assert wrong == {}, "\n".join(f"{check}: {verdict}" for check, verdict in wrong.items())
    done = load_worker.totals(results)
    # Every kind of operation ran, and the quota refused some approvals.
    assert set(done) == set(load_worker.AUDIT_ROWS), done
    assert all(outcomes["ok"] > 0 for outcomes in done.values()), done
    assert done["vm.approve"]["refused"] > 0, done
    # The same checks through the commands a person would run.
    cli = Cli(db_url)
    for args in (("ipam", "check"), ("cloud", "check"), ("audit", "verify")):
        result = cli(*args)
        assert result.exit_code == 0, (args, result.stdout, result.stderr)
