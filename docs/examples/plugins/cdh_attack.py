"""An attack on the example game lab.cdh, from docs/plugins.md: search the short exponent a."""

from __future__ import annotations

from cdh_game import SHORT_BITS, CdhAdversary, CdhView

from mpgames.adversaries.base import Adversary
from mpgames.scheme.randomness import RandomSource


class ExponentSearch(Adversary, CdhAdversary):
    """Try a' = 1, 2, …, 2^12 until g^a' = A, then answer B^a'; a random element if none matches."""

    id = "lab.exponent-search"
    label = "search of a in [1, 2^12], then B^a"
    targets = ("lab.cdh",)
    expect = "breaks:short-exponent"

    def attack(self, view: CdhView, rng: RandomSource) -> int:
        group = view.group
        power = 1
        for a in range(1, 2**SHORT_BITS + 1):
            power = group.mul(power, group.g)  # power = g^a
            if power == view.A:
                return group.exp(view.B, a)
        return group.gexp(group.random_secret(rng))
