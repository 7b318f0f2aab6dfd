"""Adversaries against Schnorr EUF-CMA, game `sig.euf-cma` (harness §4).

* `sig.random-forgery` (null): a fresh message with uniform (e, s); verifies with probability 1/q.
* `sig.nonce-reuse` (reference): asks for two signatures, solves x = (s1 − s2)/(e1 − e2) and signs a
  fresh message with it. Against the nonce-reusing signer the recovered x is the key; against the
  honest signer it is not (the attack checks g^x = y) and the adversary falls back to a random
  forgery.
* `sig.bsgs-forgery` (generic, toy tier only): the key by budgeted baby-step giant-step, then a real
  signature; `mpgames plot-wall` measures it against the size of q.
"""

from __future__ import annotations

from mpgames.adversaries.base import Adversary
from mpgames.adversaries.dl import STEP_BUDGET, is_log, recovered_log
from mpgames.games.sig_euf_cma import EufCmaAdversary, EufCmaView, Forgery
from mpgames.scheme import schnorr
from mpgames.scheme.errors import SchemeError
from mpgames.scheme.groups import Group
from mpgames.scheme.randomness import RandomSource
from mpgames.scheme.schnorr import SecretKey, Signature

# The messages the attack has signed, and the one it forges (never queried).
QUERIES = (b"pay 1 coin to Alice", b"pay 1 coin to Bob")
TARGET = b"pay 1000 coins to Mallory"


def random_forgery(group: Group, rng: RandomSource) -> Forgery:
    """A fresh message with a uniform signature (e, s)."""
    return Forgery(TARGET, Signature(group.random_scalar(rng), group.random_scalar(rng)))


class RandomForgery(Adversary, EufCmaAdversary):
    """Null adversary: sign nothing, output uniform (e, s) on a fresh message."""

    id = "sig.random-forgery"
    label = "random (e, s) on a fresh message"
    targets = ("sig.euf-cma",)
    expect = "null"

    def attack(self, view: EufCmaView, rng: RandomSource) -> Forgery:
        return random_forgery(view.group, rng)


class NonceReuseForger(Adversary, EufCmaAdversary):
    """Reference attack: key recovery from two signatures that share a nonce, then a real signature."""

    id = "sig.nonce-reuse"
    label = "nonce-reuse key recovery, then sign"
    targets = ("sig.euf-cma",)
    expect = "breaks:schnorr-nonce-reuse"

    def attack(self, view: EufCmaView, rng: RandomSource) -> Forgery:
        group, pk = view.group, view.pk
        first, second = (view.sign(message) for message in QUERIES)
        try:
            x = schnorr.recover_key_from_nonce_reuse(group, first, second)
        except SchemeError:  # equal challenges: nothing to solve
            return random_forgery(group, rng)
        # The algebra gives the key only if the nonce was shared: check it against pk.
        if not is_log(group, x, pk.y):
            return random_forgery(group, rng)
        return Forgery(TARGET, schnorr.sign(SecretKey(group, x), TARGET, rng))


class BsgsForger(Adversary, EufCmaAdversary):
    """Generic attack: the signing key by budgeted BSGS, then a real signature on a fresh message.

    It breaks every signer on the toy tier, whatever the nonces, and finds nothing on the standard
    tier; `mpgames plot-wall` measures its success against the size of q.
    """

    id = "sig.bsgs-forgery"
    label = f"BSGS key recovery, {STEP_BUDGET} steps, then sign"
    targets = ("sig.euf-cma",)
    expect = "breaks:schnorr"
    breaks_tiers = ("toy",)
    also_breaks = ("schnorr-nonce-reuse",)  # the key by BSGS, whatever the nonces

    def attack(self, view: EufCmaView, rng: RandomSource) -> Forgery:
        group, pk = view.group, view.pk
        x = recovered_log(group, pk.y, rng)
        if x is None:  # the budget ran out: a random forgery
            return random_forgery(group, rng)
        return Forgery(TARGET, schnorr.sign(SecretKey(group, x), TARGET, rng))
