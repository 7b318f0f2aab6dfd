"""Operation counting for the harness (harness §3: exponentiations and hash calls per trial).

The group and hash functions report each operation here. Counting is off unless a caller opens a
`metered()` block, so the scheme pays one context-variable read per operation and keeps no
module-level mutable state.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass
class OpCounts:
    """Running totals inside one `metered()` block."""

    exponentiations: int = 0
    hashes: int = 0


_ACTIVE: ContextVar[OpCounts | None] = ContextVar("mpgames_op_counts", default=None)


def count_exponentiation(n: int = 1) -> None:
    counts = _ACTIVE.get()
    if counts is not None:
        counts.exponentiations += n


def count_hash(n: int = 1) -> None:
    counts = _ACTIVE.get()
    if counts is not None:
        counts.hashes += n


@contextmanager
def metered() -> Iterator[OpCounts]:
    """Count the group exponentiations and hash calls made inside the block."""
    counts = OpCounts()
    token = _ACTIVE.set(counts)
    try:
        yield counts
    finally:
        _ACTIVE.reset(token)
