"""`cr-dl`: a chameleon-hash collision finder gives a discrete logarithm (harness §5; scheme §3.2).

Proof sketch. B gets h = g^x and hands A the hash key pk = y = h, which is distributed exactly as
in `ch.cr` (a uniform non-identity subgroup element). Whenever A outputs a collision,
g^m0 · h^r0 = g^m1 · h^r1 with m0 ≠ m1, so r0 ≠ r1 and x = (m0 − m1)/(r1 − r0) mod q. B wins
whenever A does:  Adv_dl(B) ≥ Adv_cr(A), with B's time that of A plus one inversion.
"""

from __future__ import annotations

from mpgames.adversaries.chameleon import BsgsCollision, RandomCollision
from mpgames.adversaries.dl import RandomLogGuess
from mpgames.games.ch_cr import ChameleonCollision, ChCrView, Collision
from mpgames.games.dl import DiscreteLog, DlView
from mpgames.reductions.base import SEED_LEN, BoundParameters, Reduction
from mpgames.scheme import chameleon
from mpgames.scheme.randomness import RandomSource
from mpgames.scheme.schnorr import PublicKey


class CollisionToDl(Reduction[DlView]):
    """B: embed h as the hash key of ch.cr, answer x from A's collision."""

    name = "cr-dl"
    relation = "Adv_dl ≥ Adv_cr"
    inner_game = ChameleonCollision
    inner_variant = "kr"
    outer_game = DiscreteLog
    outer_variant = "subgroup"
    fallback = RandomLogGuess
    inner_adversaries = (BsgsCollision, RandomCollision)

    @classmethod
    def bound(cls, eps: float, parameters: BoundParameters) -> float:
        return eps

    def reduce(self, view: DlView, rng: RandomSource) -> int | None:
        group = view.group
        sim = self.simulation(group, rng.randbytes(SEED_LEN))
        # The hash key of the inner game is the DL challenge.
        pk = PublicKey(group, view.h)
        view_a = ChCrView(group=group, variant=sim.variant.name, pk=pk)
        collision = sim.play("attack", view_a, returns=Collision)
        # A collision under y = h, judged by the game's own predicate, opens h's logarithm.
        if not sim.judge(ChameleonCollision.is_collision, pk, collision):
            return None
        return chameleon.extract_key(group, collision.m0, collision.r0, collision.m1, collision.r1)
