"""Micropay 2: the RKS asynchronous payment channel (spec §5.4; Ruffing–Kate–Schröder CCS 2015, §7.1).

The voucher state (cid, T, d, k, b, B_j) names the point of sale B_j that issued it and carries B_j's
Schnorr signature, so the next point of sale learns where the payer shopped before (the seed's
privacy critique). Vouchers do not expire, and the payer asserts the bare nonce st = r in context k.
The penalty is not tied to anything: a payer who shows one voucher at many points of sale before the
next synchronization can draw Σ b_i > d + p when p is small (the seed's critique, answered by §5.6).

`MICROPAY2` declares it as a variant of the voucher games (`mpgames.scheme.variants`): it loses
unlinkability (`mp.ul`), since a voucher names its signer.
"""

from __future__ import annotations

from dataclasses import dataclass

from mpgames.scheme.errors import SchemeError
from mpgames.scheme.groups import Group
from mpgames.scheme.ledger import Ledger
from mpgames.scheme.micropay.merchant import Merchant, setup_merchant
from mpgames.scheme.micropay.records import ChannelState, Schedule
from mpgames.scheme.penalty import PenaltyBounds
from mpgames.scheme.randomness import RandomSource
from mpgames.scheme.revalidate import canonical
from mpgames.scheme.schnorr import PublicKey, SecretKey
from mpgames.scheme.variants import ConstructionVariant
from mpgames.scheme.vouchers import Mp2State, SchnorrVoucher, Voucher

MICROPAY2 = ConstructionVariant(
    "micropay2",
    broken=True,
    description="Schnorr signature on the whole state by the point of sale it names",
    breaks=("mp.ul",),
    described=(
        (
            "mp.ul",
            "states name the point of sale and carry its Schnorr signature: read the signer off the voucher",
        ),
    ),
)


def _mp2_state(state: object) -> Mp2State:
    """The state, if it is a Micropay 2 state (`SchemeError` otherwise)."""
    if not isinstance(state, Mp2State):
        raise SchemeError("a Micropay 2 voucher is a Schnorr-signed Micropay 2 state")
    return state


@dataclass(frozen=True)
class NamedVouchers:
    """Micropay 2 vouchers: the directory of point-of-sale keys pk_Bj, indexed by j."""

    directory: tuple[PublicKey, ...]
    accountable = True
    name = "micropay2"

    def statement(self, cid: bytes, nonce: bytes, price: int) -> bytes:
        """st = r (RKS): the nonce alone."""
        return nonce

    def state(
        self, *, cid: bytes, expiry: int, deposit: int, index: int, paid: int, pos: int, now: int
    ) -> Mp2State:
        return Mp2State(cid, expiry, deposit, index, paid, pos)

    def issue(self, sk: SecretKey, state: ChannelState, rng: RandomSource | None) -> SchnorrVoucher:
        return SchnorrVoucher.issue(sk, _mp2_state(state), rng)

    def verify(self, voucher: Voucher) -> bool:
        """Verify with the key of the point of sale the state names (unknown index: invalid), on a
        canonical copy of the voucher (mpgames.scheme.revalidate), whoever built it."""
        voucher = canonical(voucher, SchnorrVoucher, "the voucher")
        pos = _mp2_state(voucher.state).pos
        if pos >= len(self.directory):
            return False
        return voucher.verify(self.directory[pos])

    def expired(self, state: ChannelState, now: int) -> bool:
        return False


def setup(
    ledger: Ledger,
    group: Group,
    *,
    points_of_sale: int,
    schedule: Schedule,
    penalty_bounds: PenaltyBounds | None = None,
    rng: RandomSource | None = None,
) -> Merchant:
    """A Micropay 2 merchant with n points of sale, each signing with its own Schnorr key."""
    return setup_merchant(
        ledger, group, points_of_sale, schedule, NamedVouchers, penalty_bounds=penalty_bounds, rng=rng
    )
