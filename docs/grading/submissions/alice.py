"""Alice's problem set 3 (a correct submission): baby-step giant-step, and nonce-reuse key recovery.

Each class derives from its game's Protocol, so `mypy alice.py` checks it against the game's view
and output types before the grader runs it."""

from math import isqrt

from mpgames.adversaries.base import Adversary
from mpgames.games.dl import DlAdversary, DlView
from mpgames.games.sig_euf_cma import EufCmaAdversary, EufCmaView, Forgery
from mpgames.scheme import schnorr
from mpgames.scheme.randomness import RandomSource


class DiscreteLog(Adversary, DlAdversary):
    id = "alice.bsgs"
    label = "baby-step giant-step"
    targets = ("dl",)
    expect = "breaks:subgroup"

    def attack(self, view: DlView, rng: RandomSource) -> int:
        group, h = view.group, view.h
        m = isqrt(group.q) + 1
        baby: dict[int, int] = {}
        power = 1
        for j in range(m):  # g^j for j < m
            baby.setdefault(power, j)
            power = group.mul(power, group.g)
        stride = group.gexp(-m % group.q)  # g^(-m)
        gamma = h
        for i in range(m):  # h · g^(-im) = g^j  =>  x = im + j
            if gamma in baby:
                return (i * m + baby[gamma]) % group.q
            gamma = group.mul(gamma, stride)
        return 0


class NonceReuse(Adversary, EufCmaAdversary):
    id = "alice.nonce-reuse"
    label = "two signatures, one nonce: solve for x, then sign"
    targets = ("sig.euf-cma",)
    expect = "breaks:schnorr-nonce-reuse"

    def attack(self, view: EufCmaView, rng: RandomSource) -> Forgery:
        group, q = view.group, view.group.q
        first, second = view.sign(b"alice 1"), view.sign(b"alice 2")
        # s = k + e·x with the same k in both: x = (s1 - s2) / (e1 - e2) mod q
        x = (first.s - second.s) * pow(first.e - second.e, -1, q) % q
        message = b"alice owes nothing"
        return Forgery(message, schnorr.sign(schnorr.SecretKey(group, x), message, rng))
