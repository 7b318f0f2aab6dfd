"""Shape checks on what the adversary hands in (harness §10: every external value is validated).

Win predicates and oracles call these before touching an adversary-supplied value, so that a value
of the wrong type is a typed, counted loss (`MalformedOutput`, `MalformedQuery`) rather than a
`TypeError` deep in the scheme that would look like a bug of the challenger.
"""

from __future__ import annotations

from typing import TypeVar

from games.errors import MalformedOutput, MalformedQuery

T = TypeVar("T")


def expect_output(value: object, cls: type[T], what: str) -> T:
    """`value` if it is a `cls` (bool never passes for int), else `MalformedOutput`."""
    if not _is(value, cls):
        raise MalformedOutput(f"{what} must be a {cls.__name__}, got {type(value).__name__}")
    return value  # type: ignore[return-value]


def expect_query(value: object, cls: type[T], what: str) -> T:
    """`value` if it is a `cls`, else `MalformedQuery` (the oracle answers ⊥)."""
    if not _is(value, cls):
        raise MalformedQuery(f"{what} must be a {cls.__name__}, got {type(value).__name__}")
    return value  # type: ignore[return-value]


def _is(value: object, cls: type) -> bool:
    return isinstance(value, cls) and not (isinstance(value, bool) and cls is not bool)
