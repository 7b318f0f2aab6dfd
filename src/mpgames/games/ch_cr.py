"""Collision resistance of the Krawczyk–Rabin chameleon hash, game `ch.cr` (harness §3; scheme §3.2).

Ch(m; r) = g^m · y^r. A collision without the trapdoor gives x = (m0 − m1)/(r1 − r0), so finding
one is exactly as hard as the discrete logarithm of y: easy on the toy tier (baby-step giant-step),
out of reach on the standard tier.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from mpgames.framework.base import Game
from mpgames.framework.context import TrialContext
from mpgames.framework.view import View
from mpgames.games.variants import declared_variants
from mpgames.measure.verdicts import Kind
from mpgames.scheme import chameleon, schnorr
from mpgames.scheme.groups import Group
from mpgames.scheme.randomness import RandomSource
from mpgames.scheme.schnorr import PublicKey


@dataclass(frozen=True)
class Collision:
    """The adversary's output: two openings (m0, r0) ≠ (m1, r1) of one hash value."""

    m0: int
    r0: int
    m1: int
    r1: int


@dataclass(frozen=True)
class ChCrView(View):
    """What the collision finder is given: the group, the variant's name and the hash key pk."""

    group: Group
    variant: str
    pk: PublicKey


class ChCrAdversary(Protocol):
    """A collision finder: one stage, from the view to two openings."""

    def attack(self, view: ChCrView, rng: RandomSource) -> Collision: ...


class ChameleonCollision(Game):
    """
    ┌────────────────────────────────────────────────────────────────────┐
    │ CR: collision resistance of the chameleon hash, without trapdoor   │
    │                                                                    │
    │ Given:    the hash key pk = y = g^x (x stays with the challenger). │
    │ Produce:  (m0, r0, m1, r1), scalars of Z_q.                        │
    │ Wins iff  m0 ≠ m1 and Ch(m0; r0) = Ch(m1; r1).                     │
    └────────────────────────────────────────────────────────────────────┘
    """

    id = "ch.cr"
    title = "Chameleon-hash collision resistance"
    kind = Kind.WIN_LOSE
    notion = "finding a Krawczyk–Rabin chameleon-hash collision without the trapdoor"
    source = "scheme §3.2"
    variants = declared_variants(id, chameleon.KR)
    default_variant = chameleon.KR.name
    adversary_type = ChCrAdversary

    def experiment(self, ctx: TrialContext, adversary: ChCrAdversary) -> bool:
        group = ctx.group
        # The hash key: pk = y = g^x; the trapdoor x stays with the challenger (and the transcript).
        pk, trapdoor = schnorr.keygen(group, ctx.rng)
        ctx.trace("keygen", x=trapdoor.x, y=pk.y)
        # The adversary sees only the public key, and outputs two openings.
        view = ChCrView(group=group, variant=ctx.variant.name, pk=pk)
        output = ctx.play(adversary.attack, view, returns=Collision)
        # It wins iff they open one hash value to two different messages.
        return ctx.judge(self.is_collision, pk, output)

    @staticmethod
    def is_collision(pk: PublicKey, collision: Collision) -> bool:
        """Win: m0 ≠ m1 (as scalars) and Ch(m0; r0) = Ch(m1; r1); a value outside Z_q is malformed."""
        # Two different messages …
        different = collision.m0 != collision.m1
        # … with the same hash value (`ch` rejects scalars outside Z_q).
        hash0 = chameleon.ch(pk, collision.m0, collision.r0)
        same_hash = hash0 == chameleon.ch(pk, collision.m1, collision.r1)
        return different and same_hash
