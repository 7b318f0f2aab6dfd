"""An attack on the short-nonce variant, from docs/plugins.md: one signature, a search for its nonce k,
then x = (s − k)/e and a signature of a fresh message."""

from __future__ import annotations

from mpgames.adversaries.base import Adversary
from mpgames.games.sig_euf_cma import EufCmaAdversary, EufCmaView, Forgery
from mpgames.scheme import schnorr
from mpgames.scheme.randomness import RandomSource
from mpgames.scheme.schnorr import SecretKey

# How many nonces it tries: all those of the broken signer.
TRIES = 2**12


class NonceSearch(Adversary, EufCmaAdversary):
    """Have m0 signed, find k with g^k = R = g^s·y^(−e) among 1…4096, solve s = k + e·x for x."""

    id = "lab.nonce-search"
    label = "search of a 12-bit nonce, then the key"
    targets = ("sig.euf-cma+short-nonce",)
    expect = "breaks:short-nonce"

    def attack(self, view: EufCmaView, rng: RandomSource) -> Forgery:
        group, y = view.group, view.pk.y
        signature = view.sign(b"m0")
        commitment = group.mul(group.gexp(signature.s), group.exp(y, group.q - signature.e))  # R = g^k
        power = 1
        for k in range(1, TRIES + 1):
            power = group.mul(power, group.g)  # power = g^k
            if power == commitment and signature.e != 0:
                x = (signature.s - k) * group.inv_scalar(signature.e) % group.q
                return Forgery(b"m1", schnorr.sign(SecretKey(group, x), b"m1", rng))
        return Forgery(b"m1", signature)  # no nonce found: a signature of another message, a loss
