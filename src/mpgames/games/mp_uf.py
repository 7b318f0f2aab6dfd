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

Shared with `mp.ul`: the points of sale (`make_ring`), the voucher scheme of each variant
(`voucher_signer`), the issuing oracle (`make_issuer`), a sample channel state to start from
(`sample_state`) and the shape checks of states and vouchers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Protocol

from mpgames.framework.base import AdversaryLike, Game, Variant, budget_table, variant_table
from mpgames.framework.context import TrialContext
from mpgames.framework.errors import MalformedOutput, MalformedQuery
from mpgames.framework.oracles import Oracle
from mpgames.games.ring_uf import RING_GROUPS, make_ring, member_index
from mpgames.measure.estimation import Kind
from mpgames.scheme import ring
from mpgames.scheme.encoding import enc
from mpgames.scheme.errors import SchemeError
from mpgames.scheme.hashing import Tag
from mpgames.scheme.micropay import Schedule
from mpgames.scheme.micropay2 import NamedVouchers
from mpgames.scheme.micropay3 import RingVouchers
from mpgames.scheme.randomness import RandomSource
from mpgames.scheme.schnorr import PublicKey, SecretKey
from mpgames.scheme.vouchers import CID_LEN, Mp2State, Mp3State, RingVoucher, SchnorrVoucher, Voucher

MICROPAY2 = "micropay2"
MICROPAY3 = "micropay3"
UNBOUND = "micropay3-unbound-balance"
# B's points of sale: n = 3 already exercises the ring walk and a 1-of-n guess far from 1/2.
POS_COUNT = 3
# The sample channel in the view: deposit d, expiry T (= close time + T_conf) and voucher expiry T'
# of a channel opened at time 0 with slots of length T' and T_conf = 3. Any other state may be used.
SAMPLE_DEPOSIT, SAMPLE_VALID_UNTIL, SAMPLE_T_CONF = 20, 10, 3
SAMPLE_EXPIRY = 2 * SAMPLE_VALID_UNTIL + SAMPLE_T_CONF
# Label of the unbound variant's signed message, inside the voucher tag.
UNBOUND_LABEL = b"terms only"

ChannelState = Mp2State | Mp3State
# MalformedOutput (judging an output) or MalformedQuery (answering a query): which error a wrong
# format raises.
Refusal = type[MalformedOutput] | type[MalformedQuery]


class VoucherSigner(Protocol):
    """The part of a voucher scheme these games use: points of sale issue, anyone verifies."""

    def issue(self, sk: SecretKey, state: ChannelState, rng: RandomSource | None) -> Voucher: ...

    def verify(self, voucher: Voucher) -> bool: ...


def unbound_message(state: Mp3State) -> bytes:
    """What the broken variant signs: the channel terms (cid, T, T', d), without k and b."""
    return enc(Tag.MP_STATE, UNBOUND_LABEL, state.cid, state.expiry, state.valid_until, state.deposit)


@dataclass(frozen=True)
class UnboundRingVouchers:
    """Broken Micropay 3 vouchers: an AOS ring signature on the channel terms only."""

    ring: tuple[PublicKey, ...]

    def issue(self, sk: SecretKey, state: ChannelState, rng: RandomSource | None) -> RingVoucher:
        if not isinstance(state, Mp3State):
            raise SchemeError("a Micropay 3 voucher signs a Micropay 3 state")
        return RingVoucher(state, ring.sign(sk, self.ring, unbound_message(state), rng))

    def verify(self, voucher: Voucher) -> bool:
        if not isinstance(voucher, RingVoucher) or not isinstance(voucher.state, Mp3State):
            raise SchemeError("a Micropay 3 voucher is a ring-signed Micropay 3 state")
        return ring.verify(self.ring, unbound_message(voucher.state), voucher.signature)


def voucher_signer(variant: str, keys: Sequence[PublicKey]) -> VoucherSigner:
    """The voucher scheme of `variant` over the points of sale's keys (index i is `keys[i]`)."""
    if variant == MICROPAY2:
        return NamedVouchers(tuple(keys))
    if variant == UNBOUND:
        return UnboundRingVouchers(tuple(keys))
    return RingVouchers(tuple(keys), Schedule(SAMPLE_VALID_UNTIL, SAMPLE_T_CONF))


def sample_state(variant: str, cid: bytes) -> ChannelState:
    """The first state (k = 0, b = 0) of a channel with id `cid`, in the variant's state format."""
    if variant == MICROPAY2:
        return Mp2State(cid, SAMPLE_EXPIRY, SAMPLE_DEPOSIT, 0, 0, 0)
    return Mp3State(cid, SAMPLE_EXPIRY, SAMPLE_VALID_UNTIL, SAMPLE_DEPOSIT, 0, 0)


def checked_state(state: ChannelState, variant: str, refusal: Refusal) -> ChannelState:
    """`state` (converted at the boundary) if it has the variant's format (Micropay 2 or 3), else
    `refusal`."""
    expected = Mp2State if variant == MICROPAY2 else Mp3State
    if type(state) is not expected:
        raise refusal(f"the voucher state must be a {expected.__name__}")
    return state


def checked_voucher(voucher: Voucher, variant: str, refusal: Refusal) -> Voucher:
    """`voucher` (converted at the boundary) if it is a voucher of the variant (a Schnorr voucher
    for Micropay 2, a ring voucher otherwise) on a state of the variant's format, else `refusal`."""
    expected = SchnorrVoucher if variant == MICROPAY2 else RingVoucher
    if type(voucher) is not expected:
        raise refusal(f"the voucher must be a {expected.__name__}")
    checked_state(voucher.state, variant, refusal)
    return voucher


def as_issued_by(state: ChannelState, index: int) -> ChannelState:
    """The state B_index issues: a Micropay 2 point of sale writes its own name into it."""
    return replace(state, pos=index) if isinstance(state, Mp2State) else state


def make_issuer(
    variant: str, vouchers: VoucherSigner, secret_keys: Sequence[SecretKey], rng: RandomSource
) -> Callable[[int, ChannelState], Voucher]:
    """B_i's signing service: (i, state) ↦ the voucher B_i issues on the state; `MalformedQuery` for
    an index outside [0, n) or a state of the wrong format."""

    def issue(i: int, state: ChannelState) -> Voucher:
        signer = member_index(i, len(secret_keys), "point of sale i")
        issued = as_issued_by(checked_state(state, variant, MalformedQuery), signer)
        return vouchers.issue(secret_keys[signer], issued, rng)

    return issue


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
    variants = variant_table(
        Variant(MICROPAY3, False, "AOS ring signature by the points of sale on the whole state"),
        Variant(MICROPAY2, False, "Schnorr signature on the whole state by the point of sale it names"),
        Variant(
            UNBOUND,
            True,
            "the ring signature covers (cid, T, T', d) only: one voucher vouches for every counter k "
            "and amount b, so the payer rewinds its balance",
        ),
    )
    default_variant = MICROPAY3
    budgets = budget_table(cert=8)
    groups = RING_GROUPS

    def experiment(self, ctx: TrialContext, adversary: AdversaryLike) -> bool:
        group, variant = ctx.group, ctx.variant.name
        # {(pk_i, sk_i)} ← Gen for i < n; R = (pk_0, …, pk_{n−1}): B's points of sale.
        keys, secret_keys = make_ring(group, POS_COUNT, ctx.rng)
        vouchers = voucher_signer(variant, keys)
        # O_cert(i, state) returns B_i's voucher; the states it signed form Q (the oracle's log).
        o_cert = ctx.oracle("cert", make_issuer(variant, vouchers, secret_keys, ctx.rng))
        # A^{O_cert}(R) outputs cert* = (state*, σ*); a sample channel state is public, as is any cid.
        sample = sample_state(variant, ctx.rng.randbytes(CID_LEN))
        view = ctx.view(group=group, variant=variant, points_of_sale=keys, sample_state=sample, cert=o_cert)
        forgery = ctx.play(adversary.attack, view, returns=Voucher)
        # It wins iff σ* verifies for state* and state* was never signed.
        return ctx.judge(self.is_forgery, variant, vouchers, o_cert, forgery)

    @staticmethod
    def is_forgery(variant: str, vouchers: VoucherSigner, o_cert: Oracle, output: Voucher) -> bool:
        """Win: a voucher (state*, σ*) of the variant's format that verifies and whose state is not in Q."""
        voucher = checked_voucher(output, variant, MalformedOutput)
        # σ* verifies for state* (a scalar outside Z_q or a wrong response count is malformed) …
        valid = vouchers.verify(voucher)
        # … and no point of sale ever signed state* (Q: the states of the oracle's answers).
        fresh = all(query.answer.state != voucher.state for query in o_cert.log)
        return valid and fresh
