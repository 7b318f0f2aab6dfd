"""EUF-CMA for Schnorr signatures, game `sig.euf-cma` (harness §3; scheme §3.1).

Variants: `schnorr`, the signer of scheme §3.1 with a fresh nonce per signature, and
`schnorr-nonce-reuse`, a broken signer that uses one nonce for every signature, so that two
answers of the signing oracle give the key: x = (s1 − s2)/(e1 − e2) mod q. Both are declared and
implemented in `mpgames.scheme.schnorr` (`variant_signer`), which the game calls in `signer`: the
method a variant game overrides to add a signer (docs/plugins.md).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar, Protocol

from mpgames.framework.base import Game, budget_table
from mpgames.framework.context import TrialContext
from mpgames.framework.oracles import Oracle
from mpgames.framework.view import View
from mpgames.games.variants import declared_variants
from mpgames.measure.verdicts import Kind
from mpgames.scheme import schnorr
from mpgames.scheme.groups import Group
from mpgames.scheme.randomness import RandomSource
from mpgames.scheme.schnorr import (
    FRESH_NONCES,
    NONCE_REUSE,
    ChallengeOracle,
    PublicKey,
    SecretKey,
    Signature,
)


@dataclass(frozen=True)
class Forgery:
    """The adversary's output (m*, σ*)."""

    message: bytes
    signature: Signature


@dataclass(frozen=True)
class EufCmaView(View):
    """What the forger is given: the group, the variant's name, pk and the signing oracle."""

    group: Group
    variant: str
    pk: PublicKey
    sign: Oracle[[bytes], Signature]


class EufCmaAdversary(Protocol):
    """A forger: one stage, from the view to (m*, σ*)."""

    def attack(self, view: EufCmaView, rng: RandomSource) -> Forgery: ...


class SchnorrEufCma(Game):
    """
    ┌────────────────────────────────────────────────────────────────────┐
    │ EUF-CMA: existential unforgeability under chosen-message attack    │
    │                                                                    │
    │ Given:    the public key pk and a signing oracle Sign(sk, ·),      │
    │           at most q_S = budgets["sign"] queries.                   │
    │ Produce:  a forgery (m*, σ*).                                      │
    │ Wins iff  σ* verifies on m* under pk and m* was never queried.     │
    └────────────────────────────────────────────────────────────────────┘
    """

    id = "sig.euf-cma"
    title = "Schnorr EUF-CMA"
    kind = Kind.WIN_LOSE
    notion = "existential unforgeability of Schnorr signatures under chosen-message attack"
    source = "scheme §3.1"
    variants = declared_variants(id, FRESH_NONCES, NONCE_REUSE)
    default_variant = FRESH_NONCES.name
    budgets = budget_table(sign=16)
    adversary_type: ClassVar[type] = EufCmaAdversary

    def experiment(self, ctx: TrialContext, adversary: EufCmaAdversary) -> bool:
        group = ctx.group
        # pk, sk = KeyGen()
        pk, sk = schnorr.keygen(group, ctx.rng)
        ctx.trace("keygen", x=sk.x, y=pk.y)
        # The variant's signer: the broken one fixes its nonce now, the honest one draws one per signature.
        sign = self.signer(ctx, sk)
        # The adversary gets pk and the signing oracle, and outputs (m*, σ*).
        signing = ctx.oracle("sign", sign)
        view = self.view(ctx, pk, signing)
        forgery = ctx.play(adversary.attack, view, returns=Forgery)
        # It wins iff σ* is a valid signature on a message it never had signed.
        return ctx.judge(self.is_forgery, pk, signing, forgery)

    def signer(self, ctx: TrialContext, sk: SecretKey) -> Callable[[bytes], Signature]:
        """Sign(sk, ·) of the trial's variant, with the challenger's coins (`schnorr.variant_signer`).
        A variant game (docs/plugins.md) overrides it to add a signer of its own."""
        return schnorr.variant_signer(ctx.variant.name, sk, ctx.rng)

    def view(self, ctx: TrialContext, pk: PublicKey, signing: Oracle[[bytes], Signature]) -> EufCmaView:
        """The forger's view, without a hash oracle: it hashes for itself. The random-oracle version
        of the game (mpgames.games.rom) adds H, whose queries a forking reduction answers."""
        return EufCmaView(group=ctx.group, variant=ctx.variant.name, pk=pk, sign=signing)

    @staticmethod
    def is_forgery(
        pk: PublicKey,
        signing: Oracle[[bytes], Signature],
        forgery: Forgery,
        oracle: ChallengeOracle | None = None,
    ) -> bool:
        """Win: (m*, σ*), already converted at the boundary, such that σ* verifies on m* and m* is fresh.

        `oracle` is the hash to verify with: the real one in the game, a reduction's own when it
        judges the forgery of an adversary it runs in the random-oracle model (reductions/).
        """
        message, signature = forgery.message, forgery.signature
        # σ* verifies on m* under pk (e, s out of Z_q is malformed: InvalidScalarError) …
        valid = schnorr.verify(signature, pk, message, oracle=oracle)
        # … and m* was never a query to the signing oracle.
        fresh = not signing.queried(message)
        return valid and fresh
