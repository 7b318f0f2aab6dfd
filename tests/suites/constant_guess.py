"""A one-file adversary for tests/suites/plugin.toml: a suite names it by a path relative to itself."""

from __future__ import annotations

from mpgames.adversaries.base import Adversary
from mpgames.framework.view import View
from mpgames.scheme.randomness import RandomSource


class ConstantGuess(Adversary):
    """Null adversary: always answers x' = 1, right only when the challenge is g itself."""

    id = "test.constant-guess"
    label = "always x' = 1"
    targets = ("dl",)
    expect = "null"

    def attack(self, view: View, rng: RandomSource) -> int:
        return 1
