"""Adversaries against the AOS ring-signature games `ring.uf` and `ring.anon` (harness §4).

Unforgeability (`ring.uf`):
* `ring.random-forgery` (null): uniform (c_0, s_0, …, s_{n−1}) on a fresh message; it verifies with
  probability about 1/q (1/1019 on the toy tier).
* `ring.bsgs-forgery` (reference): budgeted baby-step giant-step recovers the key of a ring member
  from its public key (toy tier only), then signs a fresh message for the ring. On the standard tier
  the step budget runs out and the attack falls back to a random forgery.

Anonymity with full key exposure (`ring.anon`):
* `ring.random-guess` (null): asks for a challenge signature and guesses b at random.
* `ring.recompute-coins` (reference): re-signs the challenge message as member i0 with the coins the
  deterministic signer would derive from i0's exposed key and compares with σ: equal iff i0 signed.
  Against AOS's fresh coins the re-signed σ never matches, so the attack always answers 1 and is
  right half of the time.
"""

from __future__ import annotations

from mpgames.adversaries.base import Adversary
from mpgames.adversaries.dl import recovered_log
from mpgames.games.ring_anon import RingAnonAdversary, RingAnonView
from mpgames.games.ring_uf import RingForgery, RingUfAdversary, RingUfView
from mpgames.scheme import ring
from mpgames.scheme.groups import Group
from mpgames.scheme.randomness import RandomSource
from mpgames.scheme.ring import RingSignature, derived_coins
from mpgames.scheme.schnorr import PublicKey, SecretKey

# The message the forgers sign (never asked of the signing oracle) and the challenge message.
TARGET = b"voucher: pay 1000 coins to Mallory"
CHALLENGE = b"voucher: 1 coin at point of sale"
# The challenge pair: the two ring members the anonymity adversaries ask about.
PAIR = (0, 1)


def random_forgery(group: Group, members: tuple[PublicKey, ...], rng: RandomSource) -> RingForgery:
    """A fresh message with a uniform σ = (c_0, s_0, …, s_{n−1})."""
    responses = tuple(group.random_scalar(rng) for _ in members)
    return RingForgery(TARGET, RingSignature(group.random_scalar(rng), responses))


class RandomRingForgery(Adversary, RingUfAdversary):
    """Null adversary: sign nothing, output a uniform ring signature on a fresh message."""

    id = "ring.random-forgery"
    label = "random (c_0, s_i) on a fresh message"
    targets = ("ring.uf",)
    expect = "null"

    def attack(self, view: RingUfView, rng: RandomSource) -> RingForgery:
        return random_forgery(view.group, view.ring, rng)


class BsgsRingForgery(Adversary, RingUfAdversary):
    """Reference attack: recover a member's key by budgeted BSGS, then sign a fresh message as it."""

    id = "ring.bsgs-forgery"
    label = "BSGS key recovery of one member, then sign"
    targets = ("ring.uf",)
    expect = "breaks:aos"
    breaks_tiers = ("toy",)

    def attack(self, view: RingUfView, rng: RandomSource) -> RingForgery:
        group, members = view.group, view.ring
        x = recovered_log(group, members[0].y, rng)
        # The budget may run out (standard tier): sign only with a key that matches the member.
        if x is None:
            return random_forgery(group, members, rng)
        return RingForgery(TARGET, ring.sign(SecretKey(group, x), members, TARGET, rng))


class RandomBitGuess(Adversary, RingAnonAdversary):
    """Null adversary: ask for the challenge signature, then guess b uniformly."""

    id = "ring.random-guess"
    label = "random guess of the signer"
    targets = ("ring.anon",)
    expect = "null"

    def attack(self, view: RingAnonView, rng: RandomSource) -> int:
        view.challenge(CHALLENGE, *PAIR)
        return rng.randbelow(2)


class CoinRecomputation(Adversary, RingAnonAdversary):
    """Reference attack: with i0's exposed key, recompute the signature a deterministic i0 would give."""

    id = "ring.recompute-coins"
    label = "re-sign as i0 with derived coins, compare"
    targets = ("ring.anon",)
    expect = "breaks:aos-deterministic"

    def attack(self, view: RingAnonView, rng: RandomSource) -> int:
        group, members = view.group, view.ring
        i0, _ = PAIR
        sigma = view.challenge(CHALLENGE, *PAIR)
        signer = SecretKey(group, view.exposed_keys[i0])
        again = ring.sign(signer, members, CHALLENGE, derived_coins(signer, members, CHALLENGE))
        return 0 if again == sigma else 1
