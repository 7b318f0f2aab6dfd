"""Adversaries against the discrete-logarithm game `dl` (harness §4).

* `dl.random-guess` (null): outputs a uniform x'; wins with probability 1/(q−1).
* `dl.bsgs` (reference): baby-step giant-step capped at `STEP_BUDGET` group steps. The cap covers a
  full run on the toy tier (20-bit q: about 2^11 steps), so the toy game is broken; on the standard
  tier it covers exponents below about STEP_BUDGET²/4 = 2^22 of a 256-bit q, so the attack falls
  back to a random guess and the game stays bounded: a generic attacker is only as strong as its
  budget (Shoup's O(B²/q) bound, mpgames.adversaries.dlog).
"""

from __future__ import annotations

from mpgames.adversaries.base import Adversary
from mpgames.adversaries.dlog import bsgs
from mpgames.games.dl import DlAdversary, DlView
from mpgames.scheme.groups import Group
from mpgames.scheme.randomness import RandomSource

# Group steps a generic attacker may spend per trial: a full BSGS on a 20-bit q needs about 2·2^10,
# and 2^12 steps stay within a few milliseconds on a 2048-bit group.
STEP_BUDGET = 2**12


def budgeted_log(group: Group, h: int, rng: RandomSource, max_steps: int = STEP_BUDGET) -> int:
    """log_g(h) by BSGS within `max_steps` steps, or a uniform guess when the budget runs out."""
    x = bsgs(group, h, max_steps=max_steps)
    return group.random_secret(rng) if x is None else x


def is_log(group: Group, x: int, h: int) -> bool:
    """Whether x is a valid key with g^x = h: how an attack checks a recovered key before using it."""
    return 0 < x < group.q and group.gexp(x) == h


def recovered_log(group: Group, h: int, rng: RandomSource) -> int | None:
    """log_g(h) by budgeted BSGS, checked against h; None when the budget ran out.

    The generic key recovery of the BSGS forgers. A search that runs out draws its guess from rng as
    `budgeted_log` does (and keeps it in the rare case that it is right), so the coins of whatever
    the attack does next are the same as before.
    """
    x = budgeted_log(group, h, rng)
    return x if is_log(group, x, h) else None


class RandomLogGuess(Adversary, DlAdversary):
    """Null adversary: guess x' uniformly."""

    id = "dl.random-guess"
    label = "random guess of x"
    targets = ("dl",)
    expect = "null"

    def attack(self, view: DlView, rng: RandomSource) -> int:
        return view.group.random_secret(rng)


class BabyStepGiantStep(Adversary, DlAdversary):
    """Reference attack: budgeted baby-step giant-step, a random guess when the budget runs out."""

    id = "dl.bsgs"
    label = f"baby-step giant-step, {STEP_BUDGET} steps"
    targets = ("dl",)
    expect = "breaks:subgroup"
    breaks_tiers = ("toy",)

    def attack(self, view: DlView, rng: RandomSource) -> int:
        return budgeted_log(view.group, view.h, rng)
