"""A broken variant of a built-in game, from docs/plugins.md: Schnorr signatures with short nonces.

mpgames run docs/examples/plugins/short_nonce.py:ShortNonceEufCma --variant short-nonce
    --adversary docs/examples/plugins/short_nonce_attack.py:NonceSearch
"""

from __future__ import annotations

from collections.abc import Callable

from mpgames.framework.base import Variant
from mpgames.framework.context import TrialContext
from mpgames.games.sig_euf_cma import SchnorrEufCma
from mpgames.games.variants import extended_variants
from mpgames.scheme import schnorr
from mpgames.scheme.schnorr import SecretKey, Signature

SHORT_NONCE = Variant(
    "short-nonce",
    broken=True,
    description="each nonce is drawn from [1, 2^12]: one signature and a search of 4096 steps give x",
)
# The bits of a nonce of the broken signer.
NONCE_BITS = 12


class ShortNonceEufCma(SchnorrEufCma):
    """
    ┌────────────────────────────────────────────────────────────────────┐
    │ EUF-CMA for Schnorr signatures, with a short-nonce signer          │
    │                                                                    │
    │ Given:    the public key pk and a signing oracle Sign(sk, ·),      │
    │           at most q_S = budgets["sign"] queries.                   │
    │ Produce:  a forgery (m*, σ*).                                      │
    │ Wins iff  σ* verifies on m* under pk and m* was never queried.     │
    └────────────────────────────────────────────────────────────────────┘
    """

    id = "sig.euf-cma+short-nonce"
    title = "Schnorr EUF-CMA with a short-nonce variant"
    source = "docs/plugins.md (an assignment's variant of sig.euf-cma)"
    variant_of = SchnorrEufCma.id
    variants = extended_variants(SchnorrEufCma, SHORT_NONCE)

    def signer(self, ctx: TrialContext, sk: SecretKey) -> Callable[[bytes], Signature]:
        """The short-nonce signer for its variant; the game's own signers for the others."""
        if ctx.variant.name != SHORT_NONCE.name:
            return super().signer(ctx, sk)

        def sign_message(message: bytes) -> Signature:
            nonce = ctx.rng.randbelow(2**NONCE_BITS) + 1
            return schnorr.sign(sk, message, ctx.rng, nonce=nonce)

        return sign_message
