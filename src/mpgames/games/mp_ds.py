"""Double-spending detection, game `mp.ds` (harness §3; scheme §5.7 Exp^ds, §5.5, §3.4).

Micropay 3's points of sale do not talk to each other between synchronizations, so a payer can show
one voucher (one counter k) at two of them. What makes that pay is accountability: in context k the
payer asserts st = enc(cid, r, x) with its accountable-assertion tree, whose key is its escrow key,
so two accepted spends in one context (cid, k) with different statements hand B the payer's key x_A
through Extract, and with it the PenaltyTx. Exp^ds asks whether a payer can double-spend without
handing over x_A. The adversary is the payer: it picks its own keys and apk (adversarial keys, as
in RKS Def. 3), locks an escrow on the simulated ledger (genesis funding: the ledger credits it
with d + p) and pays at B's points of sale through oracles that run B_i's checks of §5.5 step 3.

Variants:

* `micropay3` (default): payments carry assertions, checked against the apk the escrow commits to.
  A double spend opens some tree node twice and Extract returns x_A.
* `micropay3-no-aa` (broken): payments carry no assertion (the escrow commits to none). The points
  of sale still accept each spend, since none of them has seen the context, and B notices the
  conflict at synchronization, but there is nothing to extract: no key, no penalty.

The win predicate is the spec's, judged on Q itself: it runs Extract on every equivocating pair
rather than asking B's synchronization (which runs the same Extract and is what `mp.profit` plays).
The challenger's side of the protocol (`PaymentDesk`: the ledger, the merchant and its points of
sale behind the oracles) is shared with `mp.profit`.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable, Iterator

from mpgames.framework.base import AdversaryLike, Game, Variant, budget_table, variant_table
from mpgames.framework.context import TrialContext
from mpgames.framework.errors import MalformedQuery
from mpgames.games.aa_extract import DEPTH  # the depth of the assertion trees B accepts
from mpgames.games.mp_uf import MICROPAY3, checked_voucher
from mpgames.games.ring_uf import member_index
from mpgames.measure.estimation import Kind
from mpgames.scheme import assertions, micropay3
from mpgames.scheme.assertions import FIXED
from mpgames.scheme.channel_tx import EscrowTerms, EscrowTx
from mpgames.scheme.errors import RuleViolation
from mpgames.scheme.groups import Group
from mpgames.scheme.ledger import Ledger
from mpgames.scheme.micropay import Payment, PaymentRecord, PointOfSale, Schedule
from mpgames.scheme.penalty import PenaltyBounds
from mpgames.scheme.randomness import RandomSource
from mpgames.scheme.vouchers import Voucher

NO_AA = "micropay3-no-aa"
# B's points of sale: two for a double spend, a third for an honest payer to move on to.
POS_COUNT = 3
# B's synchronization schedule in mp.ds: slots of 10 time units, T_conf = 3. Time never moves in
# mp.ds (every spend happens in the first slot); mp.profit runs its own clock.
SCHEDULE = Schedule(slot=10, t_conf=3)


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

    def public(self) -> dict[str, object]:
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


def equivocations(spends: Iterable[PaymentRecord]) -> Iterator[tuple[PaymentRecord, PaymentRecord]]:
    """Every pair of spends in one context (cid, k) with different statements."""
    by_context: dict[tuple[bytes, int], list[PaymentRecord]] = defaultdict(list)
    for spend in spends:
        by_context[spend.cid, spend.index].append(spend)
    for group in by_context.values():
        for first, second in itertools.combinations(group, 2):
            if first.statement != second.statement:
                yield first, second


def extracts_payer_key(terms: EscrowTerms, first: PaymentRecord, second: PaymentRecord) -> bool:
    """Does Extract(apk, k, st, st', τ, τ') return the x with g^x = pk_A? ⊥ without assertions."""
    apk = terms.apk
    if apk is None or first.assertion is None or second.assertion is None:
        return False
    x = assertions.extract(
        apk, first.index, first.statement, second.statement, first.assertion, second.assertion
    )
    return x is not None and apk.group.gexp(x) == terms.payer.y


class DoubleSpendDetection(Game):
    """
    ┌────────────────────────────────────────────────────────────────────┐
    │ DS: double-spending detection (the seed's Exp^ds: extractability   │
    │     applied to payments; adversarial payer keys)                   │
    │                                                                    │
    │ Given:    B's keys and ring R, the schedule, the tree depth D, and │
    │           O_open(escrow) (A's own keys and apk; at most            │
    │           budgets["open"]), O_nonce(i) = B_i's fresh r, and        │
    │           O_spend(i, payment) running B_i's checks (§5.5 step 3);  │
    │           Q = the spends accepted.                                 │
    │ Produce:  nothing: it plays the payer.                             │
    │ Wins iff  Q holds two spends in one context (cid, k) with          │
    │           different statements st ≠ st', and                       │
    │           Extract(apk, k, st, st', τ, τ') is not the x with        │
    │           g^x = pk_A of cid's escrow.                              │
    └────────────────────────────────────────────────────────────────────┘
    """

    id = "mp.ds"
    title = "Micropay double-spending detection"
    kind = Kind.WIN_LOSE
    notion = (
        "double-spending detection: as the payer, with keys of its own, get two spends of one voucher "
        "(one context) accepted without the pair revealing the escrow key"
    )
    source = "scheme §5.7 (Exp^ds), §5.5, §3.4"
    variants = variant_table(
        Variant(
            MICROPAY3, False, "payments assert st = enc(cid, r, x) in context k: a double spend gives x_A"
        ),
        Variant(
            NO_AA,
            True,
            "payments carry no accountable assertion: a double spend is noticed but gives no key",
        ),
    )
    default_variant = MICROPAY3
    budgets = budget_table(open=2, nonce=16, spend=16)

    def experiment(self, ctx: TrialContext, adversary: AdversaryLike) -> bool:
        variant = ctx.variant.name
        # B sets up the ledger, its co-signing key and the ring R of its n points of sale.
        desk = PaymentDesk(
            ctx.group, ctx.rng, accountable=variant != NO_AA, schedule=SCHEDULE, points_of_sale=POS_COUNT
        )
        # O_open confirms A's escrow; O_nonce(i) and O_spend(i, ·) are B_i's side of a payment.
        o_open = ctx.oracle("open", desk.open)
        o_nonce = ctx.oracle("nonce", desk.nonce)
        o_spend = ctx.oracle("spend", desk.spend)
        # A, the payer with keys and apk of its own choosing, shops at the points of sale.
        view = ctx.view(
            group=ctx.group, variant=variant, **desk.public(), open=o_open, nonce=o_nonce, spend=o_spend
        )
        ctx.play(adversary.attack, view, returns=None)
        # It wins iff two accepted spends equivocate in a context and Extract misses A's key.
        return ctx.judge(self.escapes_extraction, desk.ledger, desk.accepted())

    @staticmethod
    def escapes_extraction(ledger: Ledger, spends: tuple[PaymentRecord, ...]) -> bool:
        """Win: some pair in Q shares (cid, k) with st ≠ st' (a double spend) and Extract on it does
        not return the escrow key of cid (⊥, or an x with g^x ≠ pk_A)."""
        for first, second in equivocations(spends):
            # Two accepted spends in one context (cid, k) with different statements …
            terms = ledger.locked(first.cid).terms
            # … from which Extract does not return the escrow key of cid.
            if not extracts_payer_key(terms, first, second):
                return True
        return False
