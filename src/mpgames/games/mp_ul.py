"""Unlinkability among points of sale, game `mp.ul` (harness §3; scheme §5.7 Exp^ul, §5.4–§5.5).

A point of sale that sees a payer's voucher should not learn which point of sale issued it, or B's
points of sale could piece together where the payer shopped (the seed's privacy critique of RKS).
Exp^ul is the n-way version of BKM ring anonymity, played here in its strong form, which the spec
recommends: **the adversary holds every point of sale's secret key** (full key exposure is part of
the notion, not a leak of the game), besides the ring R and a signing oracle O_cert(i, state) for its
own purchase history with known signers. It submits a state, a uniformly chosen B_{i*} issues the
voucher on it, and the adversary names i*. Adv = Pr[i = i*] − 1/n. The spec's optional O_link
(the signer of any challenger voucher but the challenge) is left out: every other voucher comes from
O_cert, whose signer the adversary chose.

Variants:

* `micropay3` (default): the state names no point of sale and the voucher is an AOS ring signature,
  whose responses are uniform and whose c_0 is a hash output whoever signs: the voucher is
  independent of i* even given every key, so Adv = 0.
* `micropay2` (broken): the state names B_{i*} and carries its Schnorr signature, which verifies
  under pk_{i*} and, with probability about 1/q for each other key, under that key too: reading the
  signer gives Adv = 1 − 1/n less what the ambiguous signatures cost (about (n − 1)/(2q) of the
  trials: 0.1 % on toy-2039, q = 1019, where 2,000 trials measure Adv = 0.665).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from mpgames.framework.base import Game, budget_table
from mpgames.framework.context import TrialContext
from mpgames.framework.errors import MalformedOutput
from mpgames.framework.oracles import Oracle
from mpgames.framework.view import View
from mpgames.games.channel_vouchers import (
    MICROPAY3,
    POS_COUNT,
    ChannelState,
    make_issuer,
    sample_state,
    voucher_signer,
)
from mpgames.games.rings import RING_GROUPS, make_ring
from mpgames.games.variants import declared_variants
from mpgames.measure.verdicts import Kind
from mpgames.scheme import micropay2, micropay3
from mpgames.scheme.groups import Group
from mpgames.scheme.randomness import RandomSource
from mpgames.scheme.schnorr import PublicKey
from mpgames.scheme.vouchers import CID_LEN, Voucher


@dataclass(frozen=True)
class MpUlView(View):
    """What the distinguisher is given: the ring R of B's points of sale, every x_i, a sample channel
    state, O_cert(i, state) and O_ch(state*), once."""

    group: Group
    variant: str
    points_of_sale: tuple[PublicKey, ...]
    exposed_keys: tuple[int, ...]
    sample_state: ChannelState
    cert: Oracle[[int, ChannelState], Voucher]
    challenge: Oracle[[ChannelState], Voucher]


class MpUlAdversary(Protocol):
    """A distinguisher: one stage, from the view to a guess i of the point of sale."""

    def attack(self, view: MpUlView, rng: RandomSource) -> int: ...


class VoucherUnlinkability(Game):
    """
    ┌────────────────────────────────────────────────────────────────────┐
    │ UL: unlinkability among points of sale (the seed's Exp^ul, strong  │
    │     version: full key exposure)                                    │
    │                                                                    │
    │ Given:    the ring R = (pk_0, …, pk_{n−1}) of B's points of sale,  │
    │           EVERY secret key x_0, …, x_{n−1}, a sample channel       │
    │           state, O_cert(i, state) (at most budgets["cert"]         │
    │           queries) and one challenge query O_ch(state*): B_{i*}'s  │
    │           voucher on state*, for a hidden i* ←$ [n].               │
    │ Produce:  a guess i ∈ [n].                                         │
    │ Wins iff  i = i*.   Adv = Pr[i = i*] − 1/n.                        │
    └────────────────────────────────────────────────────────────────────┘
    """

    id = "mp.ul"
    title = "Micropay unlinkability among points of sale"
    kind = Kind.GUESS_1_OF_N
    n_choices = POS_COUNT
    notion = (
        "unlinkability among points of sale with full key exposure: holding every point of sale's "
        "key, tell which of the n points of sale issued a challenge voucher"
    )
    source = "scheme §5.7 (Exp^ul, strong version), §5.4–§5.5"
    variants = declared_variants(id, micropay3.MICROPAY3, micropay2.MICROPAY2)
    default_variant = MICROPAY3
    budgets = budget_table(cert=8, challenge=1)
    groups = RING_GROUPS
    adversary_type = MpUlAdversary

    def experiment(self, ctx: TrialContext, adversary: MpUlAdversary) -> bool:
        group, variant = ctx.group, ctx.variant.name
        # {(pk_i, sk_i)} ← Gen for i < n; R = (pk_0, …, pk_{n−1}): B's points of sale.
        keys, secret_keys = make_ring(group, POS_COUNT, ctx.rng)
        issue = make_issuer(variant, voucher_signer(variant, keys), secret_keys, ctx.rng)
        # i* ←$ [n]: the point of sale that will issue the challenge voucher.
        hidden = ctx.rng.randbelow(POS_COUNT)
        ctx.trace("hidden signer", i_star=hidden)

        def challenge(state: ChannelState) -> Voucher:
            return issue(hidden, state)

        # O_cert(i, state): A's purchase history, signer known; O_ch(state*) = B_{i*}'s voucher, once.
        o_cert = ctx.oracle("cert", issue)
        o_challenge = ctx.oracle("challenge", challenge)
        # Full key exposure: A gets every x_i besides R, and outputs its guess i.
        view = MpUlView(
            group=group,
            variant=variant,
            points_of_sale=keys,
            exposed_keys=tuple(sk.x for sk in secret_keys),
            sample_state=sample_state(variant, ctx.rng.randbytes(CID_LEN)),
            cert=o_cert,
            challenge=o_challenge,
        )
        guess = ctx.play(adversary.attack, view, returns=int)
        # It wins iff i = i*.
        return ctx.judge(self.named_signer, hidden, guess)

    @staticmethod
    def named_signer(hidden: int, guess: int) -> bool:
        """Win: the guess (an exact int from the boundary) is an index in [0, n) and it is i*."""
        if not 0 <= guess < POS_COUNT:
            raise MalformedOutput(f"the guess i must be a point-of-sale index in [0, {POS_COUNT})")
        return guess == hidden
