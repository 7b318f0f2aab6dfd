"""Bob's problem set 3 (a wrong submission): a guess for the log, and a forgery on a signed message."""

from mpgames.adversaries.base import Adversary
from mpgames.games.sig_euf_cma import Forgery


class DiscreteLog(Adversary):
    id = "bob.guess"
    label = "guesses x"
    targets = ("dl",)
    expect = "breaks:subgroup"  # a claim: it changes nothing in grading

    def attack(self, view, rng):
        return view.group.random_secret(rng)


class NonceReuse(Adversary):
    id = "bob.replay"
    label = "returns a signature the oracle gave it"
    targets = ("sig.euf-cma",)
    expect = "breaks:schnorr-nonce-reuse"

    def attack(self, view, rng):
        message = b"bob"
        return Forgery(message, view.sign(message))  # not a forgery: the message was signed
