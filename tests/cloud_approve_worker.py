"""One admin process for tests/test_cloud_concurrency.py.

Usage: python tests/cloud_approve_worker.py URL VM GO_FILE
Opens its own Store, waits until GO_FILE exists (so all admins approve together),
approves VM, and prints {"vm": …, "outcome": "approved" | "refused", "message": …}
as one JSON object. A refusal other than a quota or capacity one fails the process.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from infra.cloud import vms  # noqa: E402
from infra.cloud.checks import OverLimit  # noqa: E402
from infra.store import Store  # noqa: E402


def main() -> None:
    url, name, go = sys.argv[1:4]
    store = Store(url)
    deadline = time.monotonic() + 60
    while not Path(go).exists():
        if time.monotonic() > deadline:
            raise SystemExit("no start signal")
        time.sleep(0.002)
    try:
        out = vms.approve(store, name)
        result = {"vm": name, "outcome": "approved", "message": out["node"]}
    except OverLimit as exc:
        result = {"vm": name, "outcome": "refused", "message": str(exc)}
    finally:
        store.close()
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
