"""Work over whole tables in memory."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for one piece of bulk work.

    Reading or planning a whole space (a province's 200,000 prefixes) makes
    hundreds of thousands of small objects, none in a cycle, and frees none of them
    until the work is done: the collector would only walk them again and again (a
    fifth to a third of `ipam check`, a plan or an import). The caller's setting,
    on or off, is restored however the work ends.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
