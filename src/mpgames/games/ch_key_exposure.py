"""Key exposure of chameleon hashes, game `ch.key-exposure` (harness §3; scheme §3.2, §4.2).

The trapdoor holder publishes a hash value and opens it to messages of the adversary's choice, as a
microcoin payer does when it spends (MC-0, scheme §4.2). Variants:

* `kr` (broken): Krawczyk–Rabin. Two openings (m0, r0), (m1, r1) of one value give
  x = (m0 − m1)/(r1 − r0) mod q, at every tier: the key-exposure problem.
* `adm`: Ateniese–de Medeiros. Each opening is essentially a Schnorr signature, so published
  collisions do not reveal x (MC-0′).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Protocol

from mpgames.framework.base import AdversaryLike, Game, Variant, budget_table, variant_table
from mpgames.framework.context import TrialContext
from mpgames.measure.verdicts import Kind
from mpgames.scheme import chameleon, schnorr
from mpgames.scheme.chameleon import AdmOpening
from mpgames.scheme.randomness import RandomSource
from mpgames.scheme.schnorr import PublicKey, SecretKey

# Length of the first message the trapdoor holder hashes (random, so trials differ).
MESSAGE_BYTES = 16


@dataclass(frozen=True)
class PublishedHash:
    """A hash value C with its first opening: C = Ch(μ(M0); r0) for KR, or ADM's (r, s)."""

    digest: int
    message: bytes
    opening: int | AdmOpening


class _KrHash:
    """Krawczyk–Rabin as the trapdoor holder uses it: hash, then open to a new message."""

    @staticmethod
    def publish(pk: PublicKey, message: bytes, rng: RandomSource) -> PublishedHash:
        r0 = pk.group.random_scalar(rng)
        return PublishedHash(chameleon.hash_message(pk, message, r0), message, r0)

    @staticmethod
    def collide(sk: SecretKey, first: PublishedHash, message: bytes, rng: RandomSource) -> int:
        group = sk.group
        m0 = chameleon.message_scalar(group, first.message)
        if not isinstance(first.opening, int):
            raise TypeError("a Krawczyk–Rabin opening is a scalar")
        return chameleon.collision(sk, m0, first.opening, chameleon.message_scalar(group, message))


class _AdmHash:
    """Ateniese–de Medeiros as the trapdoor holder uses it."""

    @staticmethod
    def publish(pk: PublicKey, message: bytes, rng: RandomSource) -> PublishedHash:
        opening = chameleon.adm_random_opening(pk.group, rng)
        return PublishedHash(chameleon.adm_hash(pk, message, opening), message, opening)

    @staticmethod
    def collide(sk: SecretKey, first: PublishedHash, message: bytes, rng: RandomSource) -> AdmOpening:
        return chameleon.adm_collision(sk, first.digest, message, rng)


class _ChameleonHash(Protocol):
    """What the game does with a chameleon hash: publish a first value, collide it with the trapdoor."""

    @staticmethod
    def publish(pk: PublicKey, message: bytes, rng: RandomSource) -> PublishedHash: ...

    @staticmethod
    def collide(
        sk: SecretKey, first: PublishedHash, message: bytes, rng: RandomSource
    ) -> int | AdmOpening: ...


_HASHES: Mapping[str, type[_ChameleonHash]] = MappingProxyType({"kr": _KrHash, "adm": _AdmHash})


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
    variants = variant_table(
        Variant("kr", True, "Krawczyk–Rabin: any two openings of one value reveal x (MC-0)"),
        Variant("adm", False, "Ateniese–de Medeiros: openings are Schnorr-like and hide x (MC-0′)"),
    )
    default_variant = "adm"
    budgets = budget_table(collide=4)

    def experiment(self, ctx: TrialContext, adversary: AdversaryLike) -> bool:
        group, scheme = ctx.group, _HASHES[ctx.variant.name]
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
        view = ctx.view(group=group, variant=ctx.variant.name, pk=pk, published=first, collide=opener)
        guess = ctx.play(adversary.attack, view, returns=int)
        # It wins iff x' is the trapdoor.
        return ctx.judge(self.recovered_key, pk, guess)

    @staticmethod
    def recovered_key(pk: PublicKey, guess: int) -> bool:
        """Win: x' is a well-formed key in [1, q−1] and g^x' = y."""
        x_guess = pk.group.check_secret(guess, "recovered trapdoor x'")
        return pk.group.gexp(x_guess) == pk.y
