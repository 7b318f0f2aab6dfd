"""Operation counting for the harness (harness §3: exponentiations and hash calls per trial).

The group and hash functions report each operation here. Counting is off unless a caller opens a
`metered()` block, so the scheme pays one context-variable read per operation and keeps no
module-level mutable state.
"""

from __future__ import annotations

from contextvars import ContextVar, Token
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


class metered:
    """Count the group exponentiations and hash calls made inside the block."""

    __slots__ = ("_counts", "_token")

    def __enter__(self) -> OpCounts:
        self._counts = OpCounts()
        self._token: Token[OpCounts | None] = _ACTIVE.set(self._counts)
        return self._counts

    def __exit__(self, *exc: object) -> None:
        _ACTIVE.reset(self._token)
