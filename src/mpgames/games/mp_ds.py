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

Both are declared in `mpgames.scheme.micropay3` (`MICROPAY3`, `NO_AA`: `accountable=False`).

The win predicate is the spec's, judged on Q itself: it runs Extract on every equivocating pair
rather than asking B's synchronization (which runs the same Extract and is what `mp.profit` plays).
The challenger's side of the protocol (`PaymentDesk`: the ledger, the merchant and its points of
sale behind the oracles) is shared with `mp.profit`.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Protocol

from mpgames.framework.base import Game, budget_table
from mpgames.framework.context import TrialContext
from mpgames.games.channel_vouchers import MICROPAY3
from mpgames.games.payment_desk import (
    SCHEDULE,
    PaymentDesk,
    PaymentView,
)
from mpgames.games.variants import declared_variants
from mpgames.measure.verdicts import Kind
from mpgames.scheme import assertions, micropay3
from mpgames.scheme.channel_tx import EscrowTerms
from mpgames.scheme.ledger import Ledger
from mpgames.scheme.micropay import PaymentRecord
from mpgames.scheme.randomness import RandomSource

NO_AA = micropay3.NO_AA.name
# B's points of sale: two for a double spend, a third for an honest payer to move on to.
POS_COUNT = 3


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


@dataclass(frozen=True)
class MpDsView(PaymentView):
    """What the payer is given: the payment desk's public values and O_open, O_nonce, O_spend."""


class MpDsAdversary(Protocol):
    """A payer: one stage, shopping through the oracles; the game reads no output."""

    def attack(self, view: MpDsView, rng: RandomSource) -> None: ...


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
    variants = declared_variants(id, micropay3.MICROPAY3, micropay3.NO_AA)
    default_variant = MICROPAY3
    budgets = budget_table(open=2, nonce=16, spend=16)
    adversary_type = MpDsAdversary

    def experiment(self, ctx: TrialContext, adversary: MpDsAdversary) -> bool:
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
        view = MpDsView(
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
