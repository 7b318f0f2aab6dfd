"""`ds-extract`: a payer that double-spends undetected breaks assertion extractability (harness §5;
scheme §5.7 Exp^ds, §3.4).

Proof sketch. `mp.ds` and `aa.extract` both let the adversary choose its own keys, so B embeds
nothing: it plays merchant B of `mp.ds` honestly (ledger, co-signing key, ring of points of sale,
B_i's checks of §5.5) for A. A wins iff two spends it got accepted in one context (cid, k) carry
statements st ≠ st' and Extract(apk, k, st, st', τ, τ') misses the escrow key of cid. Every accepted
spend passed B_i's check that τ verifies for st in context k under the apk of cid's escrow, so that
pair is itself an aa.extract win: both assertions verify, the statements differ, Extract misses the
key. B outputs it: Adv_ext(B) ≥ Adv_ds(A), at the cost of A's run.

Both games use one tree depth D (mpgames.games.aa_extract), so B runs mp.ds unchanged: its points of sale
accept the trees aa.extract accepts.
"""

from __future__ import annotations

from mpgames.adversaries.assertions import HonestEquivocator
from mpgames.adversaries.micropay import HonestPayer, LeafCollisionDoubleSpend
from mpgames.games.aa_extract import AaExtractView, AssertionExtractability, Equivocation
from mpgames.games.mp_ds import (
    MICROPAY3,
    POS_COUNT,
    DoubleSpendDetection,
    MpDsView,
    equivocations,
    extracts_payer_key,
)
from mpgames.games.payment_desk import SCHEDULE, PaymentDesk
from mpgames.reductions.base import SEED_LEN, BoundParameters, Reduction
from mpgames.scheme.assertions import FIXED
from mpgames.scheme.randomness import RandomSource


class DetectionToExtract(Reduction[AaExtractView]):
    """B: play merchant B honestly; an undetected double spend is the equivocation it outputs."""

    name = "ds-extract"
    relation = "Adv_ext ≥ Adv_ds"
    inner_game = DoubleSpendDetection
    inner_variant = MICROPAY3
    outer_game = AssertionExtractability
    outer_variant = FIXED
    fallback = HonestEquivocator
    inner_adversaries = (LeafCollisionDoubleSpend, HonestPayer)

    @classmethod
    def bound(cls, eps: float, parameters: BoundParameters) -> float:
        return eps

    def reduce(self, view: AaExtractView, rng: RandomSource) -> Equivocation | None:
        group = view.group
        sim = self.simulation(group, rng.randbytes(SEED_LEN))
        desk = PaymentDesk(group, sim.rng, accountable=True, schedule=SCHEDULE, points_of_sale=POS_COUNT)
        o_open = sim.oracle("open", desk.open)
        o_nonce = sim.oracle("nonce", desk.nonce)
        o_spend = sim.oracle("spend", desk.spend)
        public = desk.public()
        view_a = MpDsView(
            group=group, variant=sim.variant.name, **public, open=o_open, nonce=o_nonce, spend=o_spend
        )
        sim.play("attack", view_a, returns=None)
        # A's win, as mp.ds judges it: an equivocating pair in Q that Extract does not open.
        for first, second in equivocations(desk.accepted()):
            terms = desk.ledger.locked(first.cid).terms
            first_tau, second_tau = first.assertion, second.assertion
            # An accountable point of sale accepts no payment without its assertion: both are present.
            if terms.apk is None or first_tau is None or second_tau is None:
                continue
            if not extracts_payer_key(terms, first, second):
                return Equivocation(
                    terms.apk, first.index, first.statement, second.statement, first_tau, second_tau
                )
        return None
