"""A game of one's own, from docs/plugins.md: computational Diffie–Hellman, with a broken variant.

mpgames run docs/examples/plugins/cdh_game.py:ComputationalDiffieHellman --variant short-exponent
    --adversary docs/examples/plugins/cdh_attack.py:ExponentSearch
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from mpgames.framework.base import Game, Variant, variant_table
from mpgames.framework.context import TrialContext
from mpgames.framework.view import View
from mpgames.measure.verdicts import Kind
from mpgames.scheme.groups import Group
from mpgames.scheme.randomness import RandomSource

UNIFORM = Variant("uniform", broken=False, description="a and b uniform in [1, q−1]")
SHORT_EXPONENT = Variant(
    "short-exponent", broken=True, description="a is drawn from [1, 2^12]: a search of 4096 steps finds it"
)
# The bits of the broken variant's exponent a.
SHORT_BITS = 12


@dataclass(frozen=True)
class CdhView(View):
    """What the adversary is given: the group and A = g^a, B = g^b."""

    group: Group
    variant: str
    A: int
    B: int


class CdhAdversary(Protocol):
    """A CDH solver: one stage, from the view to an element C."""

    def attack(self, view: CdhView, rng: RandomSource) -> int: ...


class ComputationalDiffieHellman(Game):
    """
    ┌────────────────────────────────────────────────────────────────────┐
    │ CDH: computational Diffie–Hellman in the order-q subgroup          │
    │                                                                    │
    │ Given:    the group (p, q, g), A = g^a and B = g^b.                │
    │ Produce:  an element C.                                            │
    │ Wins iff  C = g^(ab).                                              │
    └────────────────────────────────────────────────────────────────────┘
    """

    id = "lab.cdh"
    title = "Computational Diffie–Hellman"
    kind = Kind.WIN_LOSE
    notion = "computing g^(ab) from g^a and g^b"
    source = "docs/plugins.md (an example game)"
    variants = variant_table(UNIFORM, SHORT_EXPONENT)
    default_variant = UNIFORM.name
    adversary_type = CdhAdversary

    def experiment(self, ctx: TrialContext, adversary: CdhAdversary) -> bool:
        group = ctx.group
        # Draw the exponents: a short one in the broken variant, b uniform.
        short = ctx.variant.name == SHORT_EXPONENT.name
        a = ctx.rng.randbelow(2**SHORT_BITS) + 1 if short else group.random_secret(ctx.rng)
        b = group.random_secret(ctx.rng)
        ctx.trace("keys", a=a, b=b)
        # The adversary sees A = g^a and B = g^b, and answers with C.
        view = CdhView(group=group, variant=ctx.variant.name, A=group.gexp(a), B=group.gexp(b))
        answer = ctx.play(adversary.attack, view, returns=int)
        # It wins iff C = g^(ab).
        return ctx.judge(self.is_shared_key, group, a * b % group.q, answer)

    @staticmethod
    def is_shared_key(group: Group, ab: int, answer: int) -> bool:
        """Win: C is an element of the group (anything else is a malformed output) and C = g^(ab)."""
        return group.check_element(answer, "CDH answer C") == group.gexp(ab)
