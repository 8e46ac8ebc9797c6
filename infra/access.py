"""Scoped access on the shared backend (filled in by its own change)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from infra.store import Tx


def access_tables(tx: Tx) -> None:
    """Placeholder until scoped access lands."""
