"""The discrete-logarithm game `dl` (harness §3; the assumption behind scheme §3.1–§3.4).

The assumption every construction of the scheme rests on, played as a game so that generic
attacks can be measured and reductions (harness §5) have a target. Toy tier: a 20-bit q, which
baby-step giant-step solves in about 2^11 group steps; standard tier: RFC 5114 §2.3.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from mpgames.framework.base import Game
from mpgames.framework.context import TrialContext
from mpgames.framework.view import View
from mpgames.games.variants import declared_variants
from mpgames.measure.verdicts import Kind
from mpgames.scheme.groups import SUBGROUP_DL, Group
from mpgames.scheme.randomness import RandomSource


@dataclass(frozen=True)
class DlView(View):
    """What the solver is given: the group (p, q, g) and h = g^x."""

    group: Group
    h: int


class DlAdversary(Protocol):
    """A discrete-log solver: one stage, from the view to x'."""

    def attack(self, view: DlView, rng: RandomSource) -> int: ...


class DiscreteLog(Game):
    """
    ┌────────────────────────────────────────────────────────────────────┐
    │ DL: discrete logarithm in the order-q subgroup of Z_p^*            │
    │                                                                    │
    │ Given:    the group (p, q, g) and h = g^x for a secret x ←$ [1,q−1]│
    │ Produce:  x' with g^x' = h.                                        │
    │ Adv = Pr[g^x' = h].                                                │
    └────────────────────────────────────────────────────────────────────┘
    """

    id = "dl"
    title = "Discrete logarithm"
    kind = Kind.WIN_LOSE
    notion = "computing discrete logarithms in the order-q subgroup (the scheme's base assumption)"
    source = "harness §3 (assumption game); scheme §2.1"
    variants = declared_variants(id, SUBGROUP_DL)
    default_variant = SUBGROUP_DL.name
    adversary_type = DlAdversary

    def experiment(self, ctx: TrialContext, adversary: DlAdversary) -> bool:
        group = ctx.group
        # Draw the secret exponent and publish h = g^x.
        x = group.random_secret(ctx.rng)
        h = group.gexp(x)
        ctx.trace("challenge", x=x, h=h)
        # The adversary sees the group and h, and answers with x'.
        guess = ctx.play(adversary.attack, DlView(group=group, h=h), returns=int)
        # It wins iff g^x' = h.
        return ctx.judge(self.found_log, group, h, guess)

    @staticmethod
    def found_log(group: Group, h: int, guess: int) -> bool:
        """Win: x' is a scalar in Z_q (out of range is a malformed output) and g^x' = h."""
        x_guess = group.check_scalar(guess, "discrete-log answer x'")
        return group.gexp(x_guess) == h
