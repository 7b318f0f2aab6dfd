"""Stateful property test of Micropay 3 (spec §5.5–§5.7): random interleavings of payments at random
points of sale, voucher reuse, clock advances, synchronizations, closes and refunds.

Two payers share one merchant with three points of sale: an honest payer H and a cheater C who may
show any voucher it ever received (`force=True`). B synchronizes at every slot boundary (assumption 2
of §5.6) and also at random moments. The model here is independent of the implementation's own
bookkeeping; after every step it checks:

* every double spend is detected at the next synchronization, with the payer's key extracted, the
  penalty transaction on the ledger and the payer blacklisted; nothing else is ever reported;
* B never receives more than d + p from a channel;
* the honest payer is never refused, never reported, and never loses more than it spent;
* no payment is accepted on an expired voucher unless it is the latest state of the last synchronization;
* the ledger conserves value.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hypothesis import HealthCheck, event, note, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from mpgames.scheme import micropay3, schnorr
from mpgames.scheme.channel_tx import PenaltyTx, RefundTx, UpdateTx
from mpgames.scheme.errors import RuleViolation
from mpgames.scheme.groups import named_group
from mpgames.scheme.ledger import Ledger
from mpgames.scheme.micropay import Payer, Schedule, Wallet
from mpgames.scheme.randomness import SeededRandom
from mpgames.scheme.vouchers import Mp3State, RingVoucher

GROUP = named_group("toy-64-20")
DEPTH = 6
SLOT, T_CONF, SLOTS = 10, 3, 3
DEPOSIT, PENALTY, FUNDS = 20, 8, 100
POINTS_OF_SALE = 3


@dataclass
class Channel:
    """The model's view of one payer's channel."""

    wallet: Wallet
    sk: schnorr.SecretKey
    # Accepted payments: (k of the voucher shown, state issued).
    accepted: list[tuple[int, Mp3State]] = field(default_factory=list)
    # Double spends accepted since the last synchronization.
    pending: set[int] = field(default_factory=set)
    # Latest state as of the last synchronization (None: nothing synchronized yet).
    synced_latest: Mp3State | None = None

    @property
    def cid(self) -> bytes:
        return self.wallet.cid


class Micropay3Machine(RuleBasedStateMachine):
    @initialize(seed=st.integers(0, 2**16))
    def setup(self, seed: int) -> None:
        rng = SeededRandom(seed)
        self.ledger = Ledger()
        self.merchant = micropay3.setup(
            self.ledger, GROUP, points_of_sale=POINTS_OF_SALE, schedule=Schedule(SLOT, T_CONF), rng=rng
        )
        self.channels: dict[str, Channel] = {}
        for name in ("honest", "cheater"):
            pk, sk = schnorr.keygen(GROUP, rng)
            self.ledger.mint(pk, FUNDS)
            wallet = Payer(self.ledger, sk, rng).open_channel(
                self.merchant, deposit=DEPOSIT, penalty=PENALTY, slots=SLOTS, depth=DEPTH
            )
            self.channels[name] = Channel(wallet, sk)
        self.honest, self.cheater = self.channels["honest"], self.channels["cheater"]

    # -- helpers ----------------------------------------------------------------------------------

    def _open(self, channel: Channel) -> bool:
        return (
            self.merchant.channel_status(channel.cid) == "open"
            and self.ledger.now < channel.wallet.terms.close_by
        )

    def _record(self, channel: Channel, shown: Mp3State, issued: Mp3State) -> None:
        now = self.ledger.now
        # No expired voucher: fresh, or exactly the latest state of the last synchronization.
        assert now < shown.valid_until or shown == channel.synced_latest, (now, shown, channel.synced_latest)
        if now >= shown.valid_until:
            event("expired latest voucher renewed")
        if any(k == shown.index for k, _ in channel.accepted):
            channel.pending.add(shown.index)
        channel.accepted.append((shown.index, issued))

    def _synchronize(self, close: tuple[bytes, ...] = ()) -> None:
        report = self.merchant.synchronize(close=close)
        note(f"sync at {report.time}: {len(report.double_spends)} double spends, closed {len(report.closed)}")
        reported = {spend.cid: spend for spend in report.double_spends}
        for channel in self.channels.values():
            spend = reported.get(channel.cid)
            if channel.pending:
                # Detected at this synchronization, key extracted, penalty confirmed, payer blacklisted.
                assert spend is not None and spend.index in channel.pending
                assert spend.key is not None and spend.key.x == channel.sk.x
                assert spend.penalty_txid in {entry.txid for entry in self.ledger.log}
                assert all(channel.sk.public in pos.blacklist for pos in self.merchant.points_of_sale)
                channel.pending.clear()
                event("double spend detected and penalized")
            else:
                assert spend is None
            if channel.accepted:
                channel.synced_latest = max(channel.accepted, key=lambda accepted: accepted[0])[1]
            else:
                channel.synced_latest = channel.wallet.vouchers[0].state  # type: ignore[assignment]

    # -- rules ------------------------------------------------------------------------------------

    @rule(pos=st.integers(0, POINTS_OF_SALE - 1), price=st.integers(1, 4))
    def honest_payment(self, pos: int, price: int) -> None:
        channel = self.honest
        state = channel.wallet.voucher.state
        if not self._open(channel) or state.paid + price > DEPOSIT:
            return
        # An honest payer is never refused: any RuleViolation here fails the test.
        issued = channel.wallet.pay(self.merchant.points_of_sale[pos], price)
        self._record(channel, state, issued.state)  # type: ignore[arg-type]

    @rule(pos=st.integers(0, POINTS_OF_SALE - 1), price=st.integers(1, 4), pick=st.integers(0, 50))
    def cheater_payment(self, pos: int, price: int, pick: int) -> None:
        """Show any voucher C ever received, old ones included (a double spend if its k was spent)."""
        vouchers = self.cheater.wallet.vouchers
        self._cheat(vouchers[pick % len(vouchers)], pos, price)

    def _cheat(self, voucher: RingVoucher, pos: int, price: int) -> None:
        channel = self.cheater
        try:
            issued = channel.wallet.pay(self.merchant.points_of_sale[pos], price, voucher=voucher, force=True)
        except RuleViolation as err:
            event(f"cheater refused: {err.rule}")
            return
        self._record(channel, voucher.state, issued.state)  # type: ignore[arg-type]

    @rule(
        first=st.integers(0, POINTS_OF_SALE - 1),
        shift=st.integers(1, POINTS_OF_SALE - 1),
        price=st.integers(1, 4),
    )
    def cheater_fork(self, first: int, shift: int, price: int) -> None:
        """Show the current voucher at two different points of sale in a row."""
        voucher = self.cheater.wallet.voucher
        for pos in (first, (first + shift) % POINTS_OF_SALE):
            self._cheat(voucher, pos, price)

    @rule(dt=st.integers(1, SLOT))
    def advance(self, dt: int) -> None:
        """Let time pass; B synchronizes at every slot boundary on the way."""
        schedule = self.merchant.schedule
        while dt > 0:
            step = min(dt, schedule.slot_end(self.ledger.now) - self.ledger.now)
            self.ledger.advance(step)
            dt -= step
            if schedule.is_boundary(self.ledger.now):
                self._synchronize()

    @rule(close=st.sampled_from([None, "honest", "cheater"]))
    def synchronize(self, close: str | None) -> None:
        """An extra synchronization; B may close a channel early there (e.g. once d − b < u1)."""
        self._synchronize(close=() if close is None else (self.channels[close].cid,))

    @rule(which=st.sampled_from(["honest", "cheater"]))
    def refund(self, which: str) -> None:
        channel = self.channels[which]
        output = self.ledger.locked(channel.cid)
        if output.released or self.ledger.now < channel.wallet.terms.refund_time:
            return
        channel.wallet.refund()

    # -- invariants -------------------------------------------------------------------------------

    @invariant()
    def conserves_value(self) -> None:
        assert self.ledger.total_value() == self.ledger.minted

    @invariant()
    def merchant_gets_at_most_d_plus_p(self) -> None:
        for channel in self.channels.values():
            terms = channel.wallet.terms
            received = sum(
                entry.tx.payee_share(terms)
                for entry in self.ledger.log
                if isinstance(entry.tx, UpdateTx | PenaltyTx | RefundTx) and entry.tx.cid == channel.cid
            )
            assert received <= terms.amount

    @invariant()
    def honest_payer_loses_at_most_what_it_spent(self) -> None:
        channel = self.honest
        locked = self.ledger.locked(channel.cid)
        escrowed = 0 if locked.released else locked.amount
        loss = FUNDS - self.ledger.balance(channel.sk.public) - escrowed
        assert 0 <= loss <= channel.wallet.spent
        assert channel.sk.public not in self.merchant.blacklist
        assert self.merchant.channel_status(channel.cid) != "penalized"


Micropay3Machine.TestCase.settings = settings(
    max_examples=25,
    stateful_step_count=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestMicropay3 = Micropay3Machine.TestCase
