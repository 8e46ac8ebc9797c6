"""One writer process for tests/test_ipam_concurrency.py.

Usage: python tests/ipam_alloc_worker.py URL PARENT SIZE N GO_FILE
Opens its own Store, waits until GO_FILE exists (so all writers start together),
then allocates N blocks of SIZE from PARENT, each call its own transaction, and
prints the CIDRs it got as one JSON list.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from infra.store import Store  # noqa: E402
from ipam import space  # noqa: E402


def main() -> None:
    url, parent, size, n, go = sys.argv[1:6]
    store = Store(url)
    deadline = time.monotonic() + 60
    while not Path(go).exists():
        if time.monotonic() > deadline:
            raise SystemExit("no start signal")
        time.sleep(0.002)
    got: list[str] = []
    for _ in range(int(n)):
        got.extend(
            r["prefix"] for r in space.alloc(store, space.AllocRequest(source=parent, size=size))
        )
    store.close()
    print(json.dumps(got))


if __name__ == "__main__":
    main()
