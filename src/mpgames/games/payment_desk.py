"""The merchant's side of the payment games `mp.ds` and `mp.profit` (harness §3; scheme §5.6–§5.8):
a ledger, the merchant B with its points of sale, the oracles open, nonce and spend over them, the
assertion tree depth B accepts, and what the payer's views of both games hold in common."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypedDict

from mpgames.framework.errors import MalformedQuery
from mpgames.framework.oracles import Oracle
from mpgames.framework.view import View
from mpgames.games.channel_vouchers import MICROPAY3, checked_voucher
from mpgames.games.rings import member_index
from mpgames.scheme import micropay3
from mpgames.scheme.assertions import FIXED
from mpgames.scheme.channel_tx import EscrowTerms, EscrowTx
from mpgames.scheme.errors import RuleViolation
from mpgames.scheme.groups import Group
from mpgames.scheme.ledger import Ledger
from mpgames.scheme.micropay import Payment, PaymentRecord, PointOfSale, Schedule, VoucherScheme
from mpgames.scheme.penalty import PenaltyBounds
from mpgames.scheme.randomness import RandomSource
from mpgames.scheme.schnorr import PublicKey
from mpgames.scheme.vouchers import Voucher

# Tree depth D of the public keys the game accepts, 2D exponentiations per Verify: the depth of the
# trees merchant B accepts in mp.ds (2^6 contexts cover ⌊d/u1⌋ payments of the games' channels), so
# that the ds-extract reduction plays mp.ds unchanged.
DEPTH = 6


# B's synchronization schedule in mp.ds: slots of 10 time units, T_conf = 3. Time never moves in
# mp.ds (every spend happens in the first slot); mp.profit runs its own clock.
SCHEDULE = Schedule(slot=10, t_conf=3)


class DeskPublic(TypedDict):
    """What every payer knows of B (`PaymentDesk.public`): the public fields of the payment games' views."""

    merchant: PublicKey
    points_of_sale: tuple[PublicKey, ...]
    vouchers: VoucherScheme
    schedule: Schedule
    depth: int
    now: int


@dataclass(frozen=True)
class PaymentView(View):
    """What the payer of a payment game is given: B's keys, ring R and voucher scheme, the schedule,
    the tree depth D, the time, and O_open(escrow), O_nonce(i) and O_spend(i, payment)."""

    group: Group
    variant: str
    merchant: PublicKey
    points_of_sale: tuple[PublicKey, ...]
    vouchers: VoucherScheme
    schedule: Schedule
    depth: int
    now: int
    open: Oracle[[EscrowTx], Voucher]
    nonce: Oracle[[int], bytes]
    spend: Oracle[[int, Payment], Voucher]


def checked_payment(payment: Payment) -> Payment:
    """`payment` (converted at the boundary) if it carries a Micropay 3 voucher, else
    `MalformedQuery`; B_i's checks validate the values themselves."""
    checked_voucher(payment.voucher, MICROPAY3, MalformedQuery)
    return payment


class PaymentDesk:
    """The challenger's side of the payment games: a ledger, the merchant B with n points of sale
    (Micropay 3, with or without assertions) and the oracles open, nonce and spend over them."""

    # Holds B's keys: a `View` refuses it.
    is_challenger_object = True

    def __init__(
        self,
        group: Group,
        rng: RandomSource,
        *,
        accountable: bool,
        schedule: Schedule,
        points_of_sale: int,
        penalty_bounds: PenaltyBounds | None = None,
    ) -> None:
        self.ledger = Ledger(now=schedule.start)
        self.merchant = micropay3.setup(
            self.ledger,
            group,
            points_of_sale=points_of_sale,
            schedule=schedule,
            penalty_bounds=penalty_bounds,
            accountable=accountable,
            rng=rng,
        )

    def public(self) -> DeskPublic:
        """What every payer knows: B's keys, the voucher scheme (ring R), the schedule, the tree depth
        B accepts, and the time."""
        merchant = self.merchant
        return {
            "merchant": merchant.public,
            "points_of_sale": tuple(pos.public for pos in merchant.points_of_sale),
            "vouchers": merchant.scheme,
            "schedule": merchant.schedule,
            "depth": DEPTH,
            "now": self.ledger.now,
        }

    def check_terms(self, terms: EscrowTerms) -> None:
        """The tree B accepts: the fixed layout of depth `DEPTH` (a payee fixes what it verifies)."""
        apk = terms.apk
        if apk is not None and (apk.depth, apk.variant) != (DEPTH, FIXED):
            raise RuleViolation("escrow-terms", f"B accepts assertion trees of depth {DEPTH}, {FIXED} layout")

    def open(self, escrow: EscrowTx) -> Voucher:
        """Setup steps 4–5: confirm A's escrow on the ledger and return B's first voucher."""
        terms = escrow.terms
        self.check_terms(terms)
        self.merchant.check_terms(terms)
        # Genesis funding: A owns the d + p it locks (money is not what these games measure).
        self.ledger.mint(terms.payer, terms.amount)
        self.ledger.submit(escrow)
        return self.merchant.accept_channel(escrow.cid)

    def nonce(self, i: int) -> bytes:
        """Payment step 1: B_i's fresh nonce r."""
        return self._pos(i).nonce()

    def spend(self, i: int, payment: Payment) -> Voucher:
        """Payment steps 3–4: B_i's checks in order; on accept it logs the spend and issues a voucher."""
        return self._pos(i).accept(checked_payment(payment))

    def accepted(self) -> tuple[PaymentRecord, ...]:
        """Q: every spend a point of sale accepted, from all their logs."""
        return tuple(record for pos in self.merchant.points_of_sale for record in pos.log)

    def _pos(self, i: int) -> PointOfSale:
        points_of_sale = self.merchant.points_of_sale
        return points_of_sale[member_index(i, len(points_of_sale), "point of sale i")]
