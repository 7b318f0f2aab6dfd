"""Voucher unforgeability, game `mp.uf` (harness §3; scheme §5.7 Exp^uf, §5.4–§5.5 vouchers).

A voucher (the seed's cert) is a channel state (cid, T, T', d, k, b) signed on the payee side. If a
payer could make one, it could rewind its balance b or skip to an unused counter k, and no point of
sale would notice. Exp^uf is chosen-message unforgeability over the fixed ring R of B's n points of
sale: the adversary asks any B_i to sign states of its choice and must produce a valid voucher on a
state none of them signed. Variants:

* `micropay3` (default): AOS ring signatures on enc("MP/STATE", state) by the ring of all points of
  sale, verified with the Micropay 3 voucher check (`mpgames.scheme.micropay3.RingVouchers`). Unforgeable
  under the discrete-logarithm assumption in the random-oracle model; a random voucher verifies
  with probability about 1/q (1/1019 on the toy tier, which the tests measure).
* `micropay2`: RKS vouchers, a Schnorr signature by the point of sale B_j the state names, verified
  with B_j's key (`mpgames.scheme.micropay2.NamedVouchers`). Unforgeable too (Schnorr EUF-CMA); its weakness
  is privacy, not forgery (game `mp.ul`).
* `micropay3-unbound-balance` (broken, a deliberate binding bug): the ring signature covers only the
  channel terms (cid, T, T', d), not the counter k and the amount b. One voucher of a channel then
  vouches for every (k, b): a payer rewinds its balance to b = 0 on a fresh counter, so every point
  of sale accepts it and no assertion context ever repeats.

The three voucher schemes are declared and implemented in `mpgames.scheme.micropay2` and
`mpgames.scheme.micropay3`. What `mp.ul` shares with this game (the pick of each variant's voucher
scheme, the issuing oracle, a sample state, the format checks) is in `mpgames.games.channel_vouchers`.
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
    VoucherSigner,
    checked_voucher,
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
class MpUfView(View):
    """What the forger is given: the group, the variant's name, the ring R of B's points of sale, a
    sample channel state and O_cert(i, state)."""

    group: Group
    variant: str
    points_of_sale: tuple[PublicKey, ...]
    sample_state: ChannelState
    cert: Oracle[[int, ChannelState], Voucher]


class MpUfAdversary(Protocol):
    """A voucher forger: one stage, from the view to cert* = (state*, σ*)."""

    def attack(self, view: MpUfView, rng: RandomSource) -> Voucher: ...


class VoucherUnforgeability(Game):
    """
    ┌────────────────────────────────────────────────────────────────────┐
    │ UF: voucher unforgeability (the seed's Exp^uf, fixed ring,         │
    │     chosen-message)                                                │
    │                                                                    │
    │ Given:    the ring R = (pk_0, …, pk_{n−1}) of B's points of sale,  │
    │           a sample channel state, and O_cert(i, state): B_i's      │
    │           voucher on the state (a Micropay 2 B_i writes its name   │
    │           into it), at most budgets["cert"] queries; Q = the       │
    │           states it signed.                                        │
    │ Produce:  a voucher cert* = (state*, σ*).                          │
    │ Wins iff  σ* verifies for state* (ring R, or the named B_j) and    │
    │           state* ∉ Q.                                              │
    └────────────────────────────────────────────────────────────────────┘
    """

    id = "mp.uf"
    title = "Micropay voucher unforgeability"
    kind = Kind.WIN_LOSE
    notion = (
        "voucher unforgeability: with a signing oracle for every point of sale, produce a valid "
        "voucher on a channel state that no point of sale signed"
    )
    source = "scheme §5.7 (Exp^uf), §5.4–§5.5"
    variants = declared_variants(id, micropay3.MICROPAY3, micropay2.MICROPAY2, micropay3.UNBOUND_BALANCE)
    default_variant = MICROPAY3
    budgets = budget_table(cert=8)
    groups = RING_GROUPS
    adversary_type = MpUfAdversary

    def experiment(self, ctx: TrialContext, adversary: MpUfAdversary) -> bool:
        group, variant = ctx.group, ctx.variant.name
        # {(pk_i, sk_i)} ← Gen for i < n; R = (pk_0, …, pk_{n−1}): B's points of sale.
        keys, secret_keys = make_ring(group, POS_COUNT, ctx.rng)
        vouchers = voucher_signer(variant, keys)
        # O_cert(i, state) returns B_i's voucher; the states it signed form Q (the oracle's log).
        o_cert = ctx.oracle("cert", make_issuer(variant, vouchers, secret_keys, ctx.rng))
        # A^{O_cert}(R) outputs cert* = (state*, σ*); a sample channel state is public, as is any cid.
        sample = sample_state(variant, ctx.rng.randbytes(CID_LEN))
        view = MpUfView(group=group, variant=variant, points_of_sale=keys, sample_state=sample, cert=o_cert)
        forgery = ctx.play(adversary.attack, view, returns=Voucher)
        # It wins iff σ* verifies for state* and state* was never signed.
        return ctx.judge(self.is_forgery, variant, vouchers, o_cert, forgery)

    @staticmethod
    def is_forgery(
        variant: str, vouchers: VoucherSigner, o_cert: Oracle[[int, ChannelState], Voucher], output: Voucher
    ) -> bool:
        """Win: a voucher (state*, σ*) of the variant's format that verifies and whose state is not in Q."""
        voucher = checked_voucher(output, variant, MalformedOutput)
        # σ* verifies for state* (a scalar outside Z_q or a wrong response count is malformed) …
        valid = vouchers.verify(voucher)
        # … and no point of sale ever signed state* (Q: the states of the oracle's answers).
        fresh = all(query.answer.state != voucher.state for query in o_cert.log)
        return valid and fresh
