"""What the voucher games `mp.uf` and `mp.ul` share (harness §3; scheme §5.4–§5.5 vouchers): the
points of sale, the pick of each variant's voucher scheme (declared and implemented, the broken
unbound one included, in `mpgames.scheme.micropay2` and `mpgames.scheme.micropay3`), the issuing
oracle, a sample channel state to start from, and the format checks of states and vouchers."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Protocol

from mpgames.framework.errors import MalformedOutput, MalformedQuery
from mpgames.games.rings import member_index
from mpgames.scheme import micropay2, micropay3
from mpgames.scheme.micropay import Schedule
from mpgames.scheme.micropay2 import NamedVouchers
from mpgames.scheme.micropay3 import RingVouchers, UnboundRingVouchers
from mpgames.scheme.randomness import RandomSource
from mpgames.scheme.schnorr import PublicKey, SecretKey
from mpgames.scheme.vouchers import Mp1State, Mp2State, Mp3State, RingVoucher, SchnorrVoucher, Voucher

# The variant names, declared in the scheme.
MICROPAY2 = micropay2.MICROPAY2.name


MICROPAY3 = micropay3.MICROPAY3.name


UNBOUND = micropay3.UNBOUND_BALANCE.name


# B's points of sale: n = 3 already exercises the ring walk and a 1-of-n guess far from 1/2.
POS_COUNT = 3


# The sample channel in the view: deposit d, expiry T (= close time + T_conf) and voucher expiry T'
# of a channel opened at time 0 with slots of length T' and T_conf = 3. Any other state may be used.
SAMPLE_DEPOSIT, SAMPLE_VALID_UNTIL, SAMPLE_T_CONF = 20, 10, 3


SAMPLE_EXPIRY = 2 * SAMPLE_VALID_UNTIL + SAMPLE_T_CONF


ChannelState = Mp2State | Mp3State


# MalformedOutput (judging an output) or MalformedQuery (answering a query): which error a wrong
# format raises.
Refusal = type[MalformedOutput] | type[MalformedQuery]


class VoucherSigner(Protocol):
    """The part of a voucher scheme these games use: points of sale issue, anyone verifies."""

    def issue(self, sk: SecretKey, state: ChannelState, rng: RandomSource | None) -> Voucher: ...

    def verify(self, voucher: Voucher) -> bool: ...


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


def checked_state(state: Mp1State | ChannelState, variant: str, refusal: Refusal) -> ChannelState:
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
