"""Whether double spending pays against the penalty, game `mp.profit` (harness §3; scheme §5.6).

Detection is not enough: B takes the escrow d + p only after the next synchronization, and until then
each point of sale accepts a voucher it has not seen. The penalty bound of §5.6 says how large p must
be. Its model: each purchase takes Ť, points of sale work T̂ per slot T̄, so one payer makes at most
N = ⌊T̂/Ť⌋ purchases per slot, each of price at most u2; a payer entering a slot with capacity
δ = d − b_prev and forking its voucher draws V ≤ min(N·u2, f·δ), loses d + p, and so profits
V − δ − p, at best (N − 1)·u2 − p, at δ = u2 with N single-purchase forks. Cheating is unprofitable
iff p ≥ (N − 1)·u2; the seed caps p at F = N·u2.

This game measures the protocol, not the formula: the adversary is the payer with its own keys, it
opens a real Micropay 3 channel on the simulated ledger and pays through B_i's checks; the clock
advances Ť per purchase, points of sale refuse purchases outside working hours, B synchronizes at
every slot boundary (merge the logs, Extract, PenaltyTx, blacklist, renewal states) and closes at
the channel's last synchronization. Then the game counts what the payer got (the prices of all
accepted purchases) against what B collected on the ledger. Profit = goods − collected; an honest
payer's is 0.

Parameters: Ť = 1, T̂ = 4, T̄ = 5 (N = 4), u1 = 1, u2 = 4, d = 12, l = 2 slots, n = N = 4 points of
sale (one per fork), so (N − 1)·u2 = 12 and F = 16. Variants, by the penalty B asks:

* `penalty-in-bound` (default): p = (N − 1)·u2 = 12, the lower end of [F − u2, F] and the most
  tempting value inside it; B checks p against the bound. The best strategy breaks even (profit 0).
* `penalty-too-small` (broken): p = (N − 1)·u2 − 1 = 11, which B accepts: the fork strategy gains 1.

Both are declared in `mpgames.scheme.penalty` (`penalty_variants`, `asked_penalty`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from mpgames.framework.base import Game, budget_table
from mpgames.framework.context import TrialContext
from mpgames.framework.oracles import Oracle
from mpgames.games.payment_desk import DeskPublic, PaymentDesk, PaymentView, checked_payment
from mpgames.games.variants import declared_variants
from mpgames.measure.verdicts import Kind
from mpgames.scheme.channel_tx import EscrowTerms
from mpgames.scheme.errors import RuleViolation
from mpgames.scheme.groups import Group
from mpgames.scheme.micropay import Payment, Schedule, check_price
from mpgames.scheme.penalty import (
    PENALTY_IN_BOUND,
    PenaltyBounds,
    asked_penalty,
    penalty_bounds,
    penalty_variants,
    purchases_per_slot,
)
from mpgames.scheme.randomness import RandomSource
from mpgames.scheme.vouchers import Voucher

# Ť, T̂ ≤ T̄: one purchase takes a time unit, points of sale work 4 of the 5 units of a slot.
PURCHASE_TIME, WORK_TIME, SLOT = 1, 4, 5
# T_conf and l: the channel lives two slots (one to bring δ down honestly, one to cheat in).
T_CONF, SLOTS = 2, 2
# Prices [u1, u2] and the deposit d = 3·u2, so δ = u2 is reachable by honest purchases of u2.
U1, U2 = 1, 4
DEPOSIT = 3 * U2
# N = ⌊T̂/Ť⌋ purchases per slot and the bound [(N − 1)·u2, N·u2] = [12, 16].
PURCHASES = purchases_per_slot(WORK_TIME, PURCHASE_TIME, SLOT)
BOUNDS = penalty_bounds(WORK_TIME, PURCHASE_TIME, SLOT, U2)
# One point of sale per fork: each of them refuses a context it has seen.
POS_COUNT = PURCHASES
SCHEDULE = Schedule(SLOT, T_CONF)
# The channel's last synchronization (§5.2's T), where B closes it: t_0 + l·T̄.
CLOSE_BY = SCHEDULE.close_time(SCHEDULE.start, SLOTS)


class ProfitPublic(DeskPublic):
    """What every payer knows in mp.profit (`ProfitDesk.public`): B's keys, the channel B offers, the
    prices and the timing."""

    deposit: int
    penalty: int
    close_by: int
    u1: int
    u2: int
    purchase_time: int
    work_time: int
    purchases_per_slot: int


@dataclass(frozen=True)
class MpProfitView(PaymentView):
    """What the payer is given: the payment desk's public values and O_open, O_nonce, O_spend, the
    channel B offers (d, p, T), the prices [u1, u2], the timing (Ť, T̂, N) and O_wait()."""

    deposit: int
    penalty: int
    close_by: int
    u1: int
    u2: int
    purchase_time: int
    work_time: int
    purchases_per_slot: int
    wait: Oracle[[], int]


class MpProfitAdversary(Protocol):
    """A payer on B's clock: one stage, shopping through the oracles; the game reads no output."""

    def attack(self, view: MpProfitView, rng: RandomSource) -> None: ...


class ProfitDesk(PaymentDesk):
    """The payment desk on the clock of §5.6: B offers one kind of channel (d, p, T), a purchase takes
    Ť and only in working hours at a price in [u1, u2], and B synchronizes at every slot boundary."""

    def __init__(
        self, group: Group, rng: RandomSource, *, penalty: int, bounds: PenaltyBounds | None
    ) -> None:
        super().__init__(
            group, rng, accountable=True, schedule=SCHEDULE, points_of_sale=POS_COUNT, penalty_bounds=bounds
        )
        self.penalty = penalty

    def public(self) -> ProfitPublic:
        """Besides B's keys: the channel B offers, the prices and the timing."""
        return {
            **super().public(),
            "deposit": DEPOSIT,
            "penalty": self.penalty,
            "close_by": CLOSE_BY,
            "u1": U1,
            "u2": U2,
            "purchase_time": PURCHASE_TIME,
            "work_time": WORK_TIME,
            "purchases_per_slot": PURCHASES,
        }

    def check_terms(self, terms: EscrowTerms) -> None:
        super().check_terms(terms)
        if (terms.deposit, terms.penalty, terms.close_by) != (DEPOSIT, self.penalty, CLOSE_BY):
            raise RuleViolation(
                "escrow-terms", f"B offers channels of d = {DEPOSIT}, p = {self.penalty}, T = {CLOSE_BY} only"
            )

    def spend(self, i: int, payment: Payment) -> Voucher:
        """A purchase at B_i: in working hours only, at a price in [u1, u2]; answering it takes Ť."""
        payment = checked_payment(payment)
        if (self.ledger.now - SCHEDULE.start) % SLOT >= WORK_TIME:
            raise RuleViolation("pos-closed", f"points of sale work the first T̂ = {WORK_TIME} of each slot")
        if not U1 <= check_price(payment.price) <= U2:
            raise RuleViolation("tx-amount", f"prices lie in [u1, u2] = [{U1}, {U2}]")
        try:
            return super().spend(i, payment)
        finally:
            self.run_clock(self.ledger.now + PURCHASE_TIME)

    def next_slot(self) -> int:
        """Idle until the end of the slot (B synchronizes then); the new time."""
        self.run_clock(SCHEDULE.slot_end(self.ledger.now))
        return self.ledger.now

    def run_clock(self, until: int) -> None:
        """Advance the ledger's clock to `until`; B synchronizes at every slot boundary on the way."""
        while self.ledger.now < until:
            self.ledger.advance(min(until, SCHEDULE.slot_end(self.ledger.now)) - self.ledger.now)
            if SCHEDULE.is_boundary(self.ledger.now):
                self.merchant.synchronize()

    def goods(self) -> int:
        """The value of everything the payer bought: the prices of all accepted purchases."""
        return sum(record.price for record in self.accepted())

    def collected(self) -> int:
        """What B took from the payer's escrows on the ledger (closing updates, penalties)."""
        return self.ledger.balance(self.merchant.public)


class DoubleSpendProfit(Game):
    """
    ┌────────────────────────────────────────────────────────────────────┐
    │ PROFIT: a double spender ends with more than an honest payer       │
    │         (penalty bound, scheme §5.6)                               │
    │                                                                    │
    │ Given:    B's keys and ring R, the channel B offers (d, p, T), the │
    │           prices [u1, u2] and timing (Ť, T̂, T̄: N purchases per     │
    │           slot), and O_open(escrow) (once), O_nonce(i),            │
    │           O_spend(i, payment) (B_i's checks; takes Ť) and          │
    │           O_wait() (idle to the next synchronization).             │
    │ Then:     the channel runs to its last synchronization T: B        │
    │           closes it, or extracts x_A and takes d + p.              │
    │ Wins iff  goods bought − value B collected > 0 (an honest payer    │
    │           gets exactly 0): V − δ − p > 0 for a double spender.     │
    └────────────────────────────────────────────────────────────────────┘
    """

    id = "mp.profit"
    title = "Micropay double-spending profit against the penalty"
    kind = Kind.WIN_LOSE
    notion = (
        "deterrence: as the payer, buy more goods than the merchant collects, detection and penalty "
        "included, with N purchases per slot of price at most u2"
    )
    source = "scheme §5.6 (penalty bound), §5.5"
    variants = declared_variants(id, *penalty_variants(BOUNDS))
    default_variant = PENALTY_IN_BOUND
    budgets = budget_table(open=1, nonce=16, spend=16, wait=2)
    adversary_type = MpProfitAdversary

    def experiment(self, ctx: TrialContext, adversary: MpProfitAdversary) -> bool:
        variant = ctx.variant.name
        # B sets up n points of sale and offers channels with the variant's penalty (checked in the bound).
        penalty, bounds = asked_penalty(variant, BOUNDS)
        desk = ProfitDesk(ctx.group, ctx.rng, penalty=penalty, bounds=bounds)
        # A opens its channel and shops on B's clock: Ť per purchase, T̂ per slot, a sync per slot.
        o_open = ctx.oracle("open", desk.open)
        o_nonce = ctx.oracle("nonce", desk.nonce)
        o_spend = ctx.oracle("spend", desk.spend)
        o_wait = ctx.oracle("wait", desk.next_slot)
        view = MpProfitView(
            group=ctx.group,
            variant=variant,
            **desk.public(),
            open=o_open,
            nonce=o_nonce,
            spend=o_spend,
            wait=o_wait,
        )
        ctx.play(adversary.attack, view, returns=None)
        # The channel runs to its last synchronization: B closes it, or takes d + p from a double spender.
        desk.run_clock(max(desk.ledger.now, CLOSE_BY))
        goods, collected = desk.goods(), desk.collected()
        ctx.trace("settlement", goods=goods, collected=collected, profit=goods - collected)
        # It wins iff its goods are worth more than what B collected.
        return ctx.judge(self.double_spend_pays, goods, collected)

    @staticmethod
    def double_spend_pays(goods: int, collected: int) -> bool:
        """Win: the payer's profit, goods − collected (= b_prev + V − (d + p) = V − δ − p once B has
        penalized a double spend), is positive."""
        return goods - collected > 0
