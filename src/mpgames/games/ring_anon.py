"""Anonymity of AOS ring signatures against full key exposure, game `ring.anon` (harness §3; scheme §3.3).

Bender–Katz–Morselli define anonymity in increasing strength: basic, with adversarially chosen
keys, against attribution attacks, and against full key exposure, where the adversary holds every
member's key-generation coins. This game plays the strongest one over a fixed ring (R = S); the
seed's unlinkability experiment Exp^ul (scheme §5.7, game `mp.ul`) is its n-way version. BKM's
two stages (A picks (M, i0, i1); it sees σ and outputs b') are played as one stage with a
left-or-right oracle of budget 1: the adversary's state when it queries is its first stage's output.
BKM's signing oracle is left out: with every key exposed the adversary signs for itself.

Variants:

* `aos`: AOS as specified. Every s_i is uniform and c_0 is a hash output whoever signs, so the
  challenge signature is independent of b even given every secret key (perfect anonymity).
* `aos-deterministic` (broken): the signer draws all of its coins (α and the s_i) from a generator
  seeded with a PRF of its own key, the ring and the message, the way RFC 6979 derandomises Schnorr
  signatures. While the keys stay secret the coins look random and the signature still hides its
  signer; once the keys are exposed, re-signing M as i0 reproduces σ bit for bit iff i0 signed, so
  the adversary reads b off the signature. Derandomised ring signers lose anonymity under key exposure.

Both signers are declared and implemented in `mpgames.scheme.ring` (`signing_coins`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from mpgames.framework.base import Game, budget_table
from mpgames.framework.context import TrialContext
from mpgames.framework.errors import MalformedOutput
from mpgames.framework.oracles import Oracle
from mpgames.framework.view import View
from mpgames.games.rings import RING_GROUPS, RING_SIZE, make_ring, member_index
from mpgames.games.variants import declared_variants
from mpgames.measure.verdicts import Kind
from mpgames.scheme import ring
from mpgames.scheme.groups import Group
from mpgames.scheme.randomness import RandomSource
from mpgames.scheme.ring import AOS, DETERMINISTIC, RingSignature
from mpgames.scheme.schnorr import PublicKey


@dataclass(frozen=True)
class RingAnonView(View):
    """What the distinguisher is given: the ring R, every x_i, and O_LR(M, i0, i1), once."""

    group: Group
    variant: str
    ring: tuple[PublicKey, ...]
    exposed_keys: tuple[int, ...]
    challenge: Oracle[[bytes, int, int], RingSignature]


class RingAnonAdversary(Protocol):
    """A distinguisher: one stage, from the view to a guess b'."""

    def attack(self, view: RingAnonView, rng: RandomSource) -> int: ...


class RingAnonymity(Game):
    """
    ┌────────────────────────────────────────────────────────────────────┐
    │ ANON: anonymity of AOS ring signatures against full key exposure   │
    │       (Bender–Katz–Morselli, strongest variant; fixed ring R = S)  │
    │                                                                    │
    │ Given:    the ring R = (pk_0, …, pk_{n−1}), every secret key       │
    │           x_0, …, x_{n−1}, and one challenge query                 │
    │           O_LR(M, i0, i1) = Sign(sk_{i_b}, R, M) for a hidden      │
    │           bit b ←$ {0, 1} (budgets["challenge"] = 1).              │
    │ Produce:  a guess b'.                                              │
    │ Wins iff  b' = b.   Adv = |2·Pr[b' = b] − 1|.                      │
    └────────────────────────────────────────────────────────────────────┘
    """

    id = "ring.anon"
    title = "AOS ring-signature anonymity (full key exposure)"
    kind = Kind.HIDDEN_BIT
    notion = (
        "anonymity of AOS ring signatures against full key exposure: holding every member's secret "
        "key, tell which of two members signed a challenge message"
    )
    source = "scheme §3.3; Bender–Katz–Morselli anonymity against full key exposure"
    variants = declared_variants(id, AOS, DETERMINISTIC)
    default_variant = AOS.name
    budgets = budget_table(challenge=1)
    groups = RING_GROUPS
    adversary_type = RingAnonAdversary

    def experiment(self, ctx: TrialContext, adversary: RingAnonAdversary) -> bool:
        group, variant = ctx.group, ctx.variant.name
        # {(pk_i, sk_i)} ← Gen for i < n; R = (pk_0, …, pk_{n−1}).
        members, secret_keys = make_ring(group, RING_SIZE, ctx.rng)
        # b ←$ {0, 1}.
        b = ctx.rng.randbelow(2)
        ctx.trace("hidden bit", b=b)

        def challenge(message: bytes, i0: int, i1: int) -> RingSignature:
            candidates = (member_index(i0, RING_SIZE, "index i0"), member_index(i1, RING_SIZE, "index i1"))
            signer = secret_keys[candidates[b]]
            # Fresh coins (aos), or coins derived from the signer's key and M (aos-deterministic).
            coins = ring.signing_coins(variant, signer, members, message, ctx.rng)
            return ring.sign(signer, members, message, coins)

        # O_LR(M, i0, i1) returns σ ← Sign(sk_{i_b}, R, M), once.
        o_lr = ctx.oracle("challenge", challenge)
        # Full key exposure: A gets every x_i (Gen's only coins) besides R, and outputs b'.
        exposed = tuple(sk.x for sk in secret_keys)
        view = RingAnonView(group=group, variant=variant, ring=members, exposed_keys=exposed, challenge=o_lr)
        guess = ctx.play(adversary.attack, view, returns=int)
        # It wins iff b' = b.
        return ctx.judge(self.guessed_bit, b, guess)

    @staticmethod
    def guessed_bit(b: int, guess: int) -> bool:
        """Win: b' (an exact int from the boundary) is a bit and b' = b."""
        if guess not in (0, 1):
            raise MalformedOutput("the guess b' must be 0 or 1")
        return guess == b
