"""Micropay 2/3 records and parameters (spec §5.4 payment step 2, §5.5 "Payment at B_i" steps 2 and 4,
§5.6 timing): the channel state a voucher carries, the price and schedule checks, the voucher-scheme
interface a protocol plugs in, the payment and the points of sale's log entry."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Protocol

from mpgames.scheme.assertions import Assertion
from mpgames.scheme.channel_tx import UpdateTx
from mpgames.scheme.errors import RuleViolation, SchemeError
from mpgames.scheme.integers import checked_int
from mpgames.scheme.randomness import RandomSource
from mpgames.scheme.schnorr import SecretKey
from mpgames.scheme.vouchers import Mp2State, Mp3State, Voucher

ChannelState = Mp2State | Mp3State

# The error of a parameter out of range: RuleViolation "parameter-range" with the check's message.
_parameter_range = functools.partial(RuleViolation, "parameter-range")


def channel_state(voucher: Voucher) -> ChannelState:
    """The Micropay 2/3 state a voucher carries (`SchemeError` for a Micropay 1 voucher or a non-voucher)."""
    state = getattr(voucher, "state", None)
    if not isinstance(state, Mp2State | Mp3State):
        raise SchemeError("not a Micropay 2/3 voucher")
    return state


def check_price(price: object) -> int:
    """A purchase's price x: a positive integer (RuleViolation "tx-amount" otherwise)."""
    return checked_int(price, "a price", minimum=1, error=functools.partial(RuleViolation, "tx-amount"))


@dataclass(frozen=True)
class Schedule:
    """B's synchronization schedule: slots of length T̄ from `start`, and the margin T_conf."""

    slot: int
    t_conf: int
    start: int = 0

    def __post_init__(self) -> None:
        for name, minimum in (("slot", 1), ("t_conf", 0), ("start", 0)):
            checked_int(getattr(self, name), f"schedule {name}", minimum=minimum, error=_parameter_range)

    def slot_end(self, now: int) -> int:
        """The end of the slot containing `now`: the next synchronization, and a voucher's T'."""
        if now < self.start:
            raise RuleViolation("parameter-range", "the schedule has not started yet")
        return self.start + ((now - self.start) // self.slot + 1) * self.slot

    def close_time(self, now: int, slots: int) -> int:
        """t_0 + l·T̄ for a channel opened now: the last synchronization, §5.2's T."""
        slots = checked_int(slots, "the channel's number of slots l", minimum=1, error=_parameter_range)
        return self.slot_end(now) + (slots - 1) * self.slot

    def is_boundary(self, time: int) -> bool:
        return time >= self.start and (time - self.start) % self.slot == 0


class VoucherScheme(Protocol):
    """The voucher-specific part of a protocol (implemented by Micropay 2 and Micropay 3).

    `issue` and `expired` take any channel state, as the points of sale hold one; an implementation
    refuses a state of the other protocol with `SchemeError`."""

    @property
    def name(self) -> str:
        """The protocol's name."""
        ...

    @property
    def accountable(self) -> bool:
        """Whether payments assert their statement (spec §3.4), so that a double spend yields the key."""
        ...

    def statement(self, cid: bytes, nonce: bytes, price: int) -> bytes:
        """The statement st the payer asserts in context k for this purchase."""
        ...

    def state(
        self, *, cid: bytes, expiry: int, deposit: int, index: int, paid: int, pos: int, now: int
    ) -> ChannelState:
        """The state a point of sale `pos` issues at time `now`."""
        ...

    def issue(self, sk: SecretKey, state: ChannelState, rng: RandomSource | None) -> Voucher:
        """Sign a state with a point of sale's key."""
        ...

    def verify(self, voucher: Voucher) -> bool:
        """Does the voucher carry a valid signature? `SchemeError` if it is malformed or of the wrong kind."""
        ...

    def expired(self, state: ChannelState, now: int) -> bool:
        """Is the voucher past its expiry T' (never, for vouchers without one)?"""
        ...


@dataclass(frozen=True)
class Payment:
    """(tx, σ_A, τ, state, σ) of spec §5.5 step 2, with the price x and the nonce r it answers."""

    voucher: Voucher
    price: int
    nonce: bytes
    update: UpdateTx
    assertion: Assertion | None


@dataclass(frozen=True)
class PaymentRecord:
    """A point of sale's log entry for an accepted payment (and the state it issued)."""

    pos: int
    time: int
    cid: bytes
    index: int
    statement: bytes
    price: int
    update: UpdateTx
    assertion: Assertion | None
    issued: ChannelState
