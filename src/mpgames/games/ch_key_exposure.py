"""Key exposure of chameleon hashes, game `ch.key-exposure` (harness §3; scheme §3.2, §4.2).

The trapdoor holder publishes a hash value and opens it to messages of the adversary's choice, as a
microcoin payer does when it spends (MC-0, scheme §4.2). Variants:

* `kr` (broken): Krawczyk–Rabin. Two openings (m0, r0), (m1, r1) of one value give
  x = (m0 − m1)/(r1 − r0) mod q, at every tier: the key-exposure problem.
* `adm`: Ateniese–de Medeiros. Each opening is essentially a Schnorr signature, so published
  collisions do not reveal x (MC-0′).

Both, as the trapdoor holder uses them (`TRAPDOOR_HASHES`: publish, then collide), are declared and
implemented in `mpgames.scheme.chameleon`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from mpgames.framework.base import Game, budget_table
from mpgames.framework.context import TrialContext
from mpgames.framework.oracles import Oracle
from mpgames.framework.view import View
from mpgames.games.variants import declared_variants
from mpgames.measure.verdicts import Kind
from mpgames.scheme import chameleon, schnorr
from mpgames.scheme.chameleon import ADM, KR, AdmOpening, PublishedHash
from mpgames.scheme.groups import Group
from mpgames.scheme.randomness import RandomSource
from mpgames.scheme.schnorr import PublicKey

# Length of the first message the trapdoor holder hashes (random, so trials differ).
MESSAGE_BYTES = 16


@dataclass(frozen=True)
class ChKeyExposureView(View):
    """What the key extractor is given: the group, the variant's name, pk, the published value
    with its opening, and the collision oracle."""

    group: Group
    variant: str
    pk: PublicKey
    published: PublishedHash
    collide: Oracle[[bytes], int | AdmOpening]


class ChKeyExposureAdversary(Protocol):
    """A key extractor: one stage, from the view to the trapdoor x'."""

    def attack(self, view: ChKeyExposureView, rng: RandomSource) -> int: ...


class ChameleonKeyExposure(Game):
    """
    ┌────────────────────────────────────────────────────────────────────┐
    │ Key exposure: recover the trapdoor from published collisions       │
    │                                                                    │
    │ Given:    pk = y = g^x, a hash value C with an opening to M0, and  │
    │           an oracle that opens C to any message M (the trapdoor    │
    │           holder's collisions), at most budgets["collide"] times.  │
    │ Produce:  x'.                                                      │
    │ Wins iff  g^x' = y.                                                │
    └────────────────────────────────────────────────────────────────────┘
    """

    id = "ch.key-exposure"
    title = "Chameleon-hash key exposure"
    kind = Kind.WIN_LOSE
    notion = "recovering the chameleon trapdoor from collisions its holder published"
    source = "scheme §3.2, §4.2"
    variants = declared_variants(id, KR, ADM)
    default_variant = ADM.name
    budgets = budget_table(collide=4)
    adversary_type = ChKeyExposureAdversary

    def experiment(self, ctx: TrialContext, adversary: ChKeyExposureAdversary) -> bool:
        group, scheme = ctx.group, chameleon.TRAPDOOR_HASHES[ctx.variant.name]
        # pk, sk = KeyGen(): the trapdoor is the signing key.
        pk, sk = schnorr.keygen(group, ctx.rng)
        ctx.trace("keygen", x=sk.x, y=pk.y)
        # The holder hashes a first message and publishes the value with its opening.
        first = scheme.publish(pk, ctx.rng.randbytes(MESSAGE_BYTES), ctx.rng)
        ctx.trace("published", digest=first.digest, message=first.message, opening=first.opening)

        def collide(message: bytes) -> int | AdmOpening:
            return scheme.collide(sk, first, message, ctx.rng)

        # The adversary sees pk, the published opening and the collision oracle, and outputs x'.
        opener = ctx.oracle("collide", collide)
        view = ChKeyExposureView(
            group=group, variant=ctx.variant.name, pk=pk, published=first, collide=opener
        )
        guess = ctx.play(adversary.attack, view, returns=int)
        # It wins iff x' is the trapdoor.
        return ctx.judge(self.recovered_key, pk, guess)

    @staticmethod
    def recovered_key(pk: PublicKey, guess: int) -> bool:
        """Win: x' is a well-formed key in [1, q−1] and g^x' = y."""
        x_guess = pk.group.check_secret(guess, "recovered trapdoor x'")
        return pk.group.gexp(x_guess) == pk.y
