"""The bounded-integer check (mpgames.scheme.integers): exact ints in range pass as exact ints,
everything else raises the caller's error."""

from __future__ import annotations

import pytest

from mpgames.scheme.errors import SchemeError
from mpgames.scheme.integers import checked_int


class LyingInt(int):
    def __ge__(self, other: object) -> bool:
        return True

    def __le__(self, other: object) -> bool:
        return True


def test_an_int_in_range_comes_back_as_an_exact_int() -> None:
    value = checked_int(LyingInt(5), "n", minimum=1, maximum=9)
    assert value == 5 and type(value) is int


@pytest.mark.parametrize(
    ("value", "minimum", "maximum", "message"),
    [
        (True, None, None, "n must be an integer, got a bool"),
        (1.0, 0, None, "n must be a non-negative integer, got a float"),
        (0, 1, None, "n must be a positive integer, got 0"),
        (LyingInt(-3), 0, None, "n must be a non-negative integer, got -3"),
        (10, 2, None, None),
        (10, 2, 9, "n must be an integer in [2, 9], got 10"),
        (1, 2, None, "n must be an integer of at least 2, got 1"),
        (5, None, 4, "n must be an integer of at most 4, got 5"),
    ],
)
def test_out_of_range_or_not_an_int_is_refused(value, minimum, maximum, message) -> None:  # type: ignore[no-untyped-def]
    if message is None:
        assert checked_int(value, "n", minimum=minimum, maximum=maximum) == value
        return
    with pytest.raises(SchemeError) as caught:
        checked_int(value, "n", minimum=minimum, maximum=maximum)
    assert str(caught.value) == message


def test_the_caller_chooses_the_error() -> None:
    with pytest.raises(ValueError, match="count must be a positive integer"):
        checked_int(0, "count", minimum=1, error=ValueError)
