"""Micropay 3: ring-signed vouchers with an expiry, and a penalty inside the bound (spec §5.5).

The voucher state (cid, T, T', d, k, b) names no point of sale and is AOS-ring-signed by the ring of all
points of sale, so B_i verifies it without learning which B_j issued the previous voucher. Each
voucher expires at the end of the slot T' in which it was issued; an expired voucher is accepted only
if it is the latest state S[cid] that B distributed at the last synchronization (renewal for l > 1).
The payer asserts st = enc(cid, r, x) in context k, so a voucher shown twice yields the payer's key.

Variants the games compare (`mpgames.scheme.variants`): `MICROPAY3`, the above; `NO_AA`
(`accountable=False`), broken for the mp.ds game: payments carry no assertion, so a double spend is
still noticed at synchronization but cannot be attributed (no key, no penalty); and `UNBOUND_BALANCE`
(`UnboundRingVouchers`), a deliberate binding bug for the mp.uf game: the ring signature covers only
the channel terms (cid, T, T', d), so one voucher vouches for every counter k and amount b.
"""

from __future__ import annotations

from dataclasses import dataclass

from mpgames.scheme import ring
from mpgames.scheme.encoding import enc
from mpgames.scheme.errors import SchemeError
from mpgames.scheme.groups import Group
from mpgames.scheme.hashing import Tag
from mpgames.scheme.ledger import Ledger
from mpgames.scheme.micropay.merchant import Merchant, setup_merchant
from mpgames.scheme.micropay.records import ChannelState, Schedule
from mpgames.scheme.penalty import PenaltyBounds
from mpgames.scheme.randomness import RandomSource
from mpgames.scheme.revalidate import canonical
from mpgames.scheme.ring import canonical_ring
from mpgames.scheme.schnorr import PublicKey, SecretKey
from mpgames.scheme.variants import ConstructionVariant
from mpgames.scheme.vouchers import Mp3State, RingVoucher, Voucher

MICROPAY3 = ConstructionVariant(
    "micropay3",
    broken=False,
    description="AOS ring signature by the points of sale on the whole state",
    described=(
        ("mp.ul", "AOS ring-signed states that name no point of sale (perfect anonymity)"),
        ("mp.ds", "payments assert st = enc(cid, r, x) in context k: a double spend gives x_A"),
    ),
)
UNBOUND_BALANCE = ConstructionVariant(
    "micropay3-unbound-balance",
    broken=True,
    description="the ring signature covers (cid, T, T', d) only: one voucher vouches for every counter k "
    "and amount b, so the payer rewinds its balance",
    breaks=("mp.uf",),
)
NO_AA = ConstructionVariant(
    "micropay3-no-aa",
    broken=True,
    description="payments carry no accountable assertion: a double spend is noticed but gives no key",
    breaks=("mp.ds",),
)
# Label of the unbound variant's signed message, inside the voucher tag.
UNBOUND_LABEL = b"terms only"


def _mp3_state(state: object) -> Mp3State:
    """The state, if it is a Micropay 3 state (`SchemeError` otherwise)."""
    if not isinstance(state, Mp3State):
        raise SchemeError("a Micropay 3 voucher is a ring-signed Micropay 3 state")
    return state


@dataclass(frozen=True)
class RingVouchers:
    """Micropay 3 vouchers: ring R of the points of sale, expiry at the end of the slot."""

    ring: tuple[PublicKey, ...]
    schedule: Schedule
    accountable: bool = True
    name = MICROPAY3.name

    def __post_init__(self) -> None:
        object.__setattr__(self, "ring", canonical_ring(self.ring))

    def statement(self, cid: bytes, nonce: bytes, price: int) -> bytes:
        """st = enc(cid, r, x): binds the assertion to this channel, nonce and price."""
        return enc(cid, nonce, price)

    def state(
        self, *, cid: bytes, expiry: int, deposit: int, index: int, paid: int, pos: int, now: int
    ) -> Mp3State:
        return Mp3State(cid, expiry, self.schedule.slot_end(now), deposit, index, paid)

    def issue(self, sk: SecretKey, state: ChannelState, rng: RandomSource | None) -> RingVoucher:
        return RingVoucher.issue(sk, self.ring, _mp3_state(state), rng)

    def verify(self, voucher: Voucher) -> bool:
        """Verify the ring signature on a canonical copy of the voucher (mpgames.scheme.revalidate)."""
        voucher = canonical(voucher, RingVoucher, "the voucher")
        _mp3_state(voucher.state)
        return voucher.verify(self.ring)

    def expired(self, state: ChannelState, now: int) -> bool:
        return now >= _mp3_state(state).valid_until


def unbound_message(state: Mp3State) -> bytes:
    """What the broken `UNBOUND_BALANCE` variant signs: the channel terms (cid, T, T', d), without k and b."""
    return enc(Tag.MP_STATE, UNBOUND_LABEL, state.cid, state.expiry, state.valid_until, state.deposit)


@dataclass(frozen=True)
class UnboundRingVouchers:
    """Broken Micropay 3 vouchers (`UNBOUND_BALANCE`): an AOS ring signature on the channel terms only."""

    ring: tuple[PublicKey, ...]

    def issue(self, sk: SecretKey, state: ChannelState, rng: RandomSource | None) -> RingVoucher:
        if not isinstance(state, Mp3State):
            raise SchemeError("a Micropay 3 voucher signs a Micropay 3 state")
        return RingVoucher(state, ring.sign(sk, self.ring, unbound_message(state), rng))

    def verify(self, voucher: Voucher) -> bool:
        if not isinstance(voucher, RingVoucher) or not isinstance(voucher.state, Mp3State):
            raise SchemeError("a Micropay 3 voucher is a ring-signed Micropay 3 state")
        return ring.verify(self.ring, unbound_message(voucher.state), voucher.signature)


def setup(
    ledger: Ledger,
    group: Group,
    *,
    points_of_sale: int,
    schedule: Schedule,
    penalty_bounds: PenaltyBounds | None = None,
    accountable: bool = True,
    rng: RandomSource | None = None,
) -> Merchant:
    """A Micropay 3 merchant with n points of sale forming the voucher ring."""
    return setup_merchant(
        ledger,
        group,
        points_of_sale,
        schedule,
        lambda keys: RingVouchers(keys, schedule, accountable),
        penalty_bounds=penalty_bounds,
        rng=rng,
    )
