"""The one check for a bounded integer parameter (spec §2.2: exact types, ranges): every "an integer,
not a bool, at least N" rule of the package goes through `checked_int`.

An `int` subclass is accepted for its true value and returned as an exact `int` (`int.__int__` reads
the stored value, never an override), so a caller keeps an object whose comparisons cannot lie.
"""

from __future__ import annotations

from collections.abc import Callable

from mpgames.scheme.errors import SchemeError


def checked_int(
    value: object,
    what: str,
    *,
    minimum: int | None = None,
    maximum: int | None = None,
    error: Callable[[str], Exception] = SchemeError,
) -> int:
    """`value` as an exact `int` in [minimum, maximum] (either bound may be open); otherwise raise
    `error(message)`, a message naming `what`, the range and the value's type."""
    if isinstance(value, int) and not isinstance(value, bool):
        exact = int.__int__(value)
        if (minimum is None or exact >= minimum) and (maximum is None or exact <= maximum):
            return exact
        shown = repr(exact)
    else:
        shown = f"a {type(value).__name__}"
    raise error(f"{what} must be {describe_range(minimum, maximum)}, got {shown}")


def describe_range(minimum: int | None, maximum: int | None) -> str:
    """ "an integer", "a positive integer", "an integer in [a, b]", … as the messages say it."""
    if minimum is None:
        return "an integer" if maximum is None else f"an integer of at most {maximum}"
    if maximum is None:
        named = {0: "a non-negative integer", 1: "a positive integer"}
        return named.get(minimum, f"an integer of at least {minimum}")
    return f"an integer in [{minimum}, {maximum}]"
