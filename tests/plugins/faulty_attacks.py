"""One-file adversaries that fault, for tests/test_faults.py: `tests/plugins/faulty_attacks.py:Name`.

The line numbers the tests expect are found by the markers at the end of the lines that raise.
"""

from __future__ import annotations

from mpgames.adversaries.base import Adversary
from mpgames.games.dl import DlAdversary, DlView
from mpgames.scheme.randomness import RandomSource


def _helper(view: DlView) -> int:
    return view.group.check_scalar(-1, "my guess")  # raises here: the scheme refuses the scalar


class RaisesInAHelper(Adversary, DlAdversary):
    """Every trial faults: the helper hands the scheme a negative scalar."""

    id = "student.raises-in-a-helper"
    label = "calls the scheme with a bad scalar"
    targets = ("dl",)
    expect = "null"

    def attack(self, view: DlView, rng: RandomSource) -> int:
        return _helper(view)  # calls the helper


class SometimesRaises(Adversary, DlAdversary):
    """Faults in about half of its trials (ValueError), guesses in the others."""

    id = "student.sometimes-raises"
    label = "guesses, or raises"
    targets = ("dl",)
    expect = "null"

    def attack(self, view: DlView, rng: RandomSource) -> int:
        if rng.randbelow(2):
            raise ValueError("no idea")  # raises half the time
        return view.group.random_secret(rng)


class _Stubborn(Exception):
    def __str__(self) -> str:
        while True:  # the message never comes
            pass


class UnprintableFault(Adversary, DlAdversary):
    """Raises an exception whose message loops forever: read under a time limit, it cannot hold up
    the run."""

    id = "student.unprintable-fault"
    label = "an exception that never prints"
    targets = ("dl",)
    expect = "null"

    def attack(self, view: DlView, rng: RandomSource) -> int:
        raise _Stubborn
