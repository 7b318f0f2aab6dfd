"""A first adversary, from docs/tutorial.md: exhaustive search for a discrete logarithm.

mpgames run dl --adversary docs/examples/my_adversary.py:ExhaustiveSearch --group toy-2039
"""

from __future__ import annotations

from mpgames.adversaries.base import Adversary
from mpgames.games.dl import DlAdversary, DlView
from mpgames.scheme.randomness import RandomSource


class ExhaustiveSearch(Adversary, DlAdversary):
    """Try x' = 1, 2, 3, … for at most TRIES group steps; guess at random if none matches h."""

    id = "student.exhaustive-search"
    label = "exhaustive search of x, 4096 tries"
    targets = ("dl",)
    expect = "breaks:subgroup"  # the claim the harness will check
    breaks_tiers = ("toy",)

    # As many group steps as the built-in baby-step giant-step attack `dl.bsgs` may spend.
    TRIES = 4096

    def attack(self, view: DlView, rng: RandomSource) -> int:
        group, h = view.group, view.h
        power = 1
        for x in range(1, min(self.TRIES, group.q)):
            power = group.mul(power, group.g)  # power = g^x
            if power == h:
                return x
        return group.random_secret(rng)
