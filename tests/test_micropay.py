"""Micropay 1, 2 and 3 as protocols (spec §5.3–§5.6): honest runs, double spends, expiry, close and refund.

Toy group toy-64-20 (q ≈ 2^20, so statement hashes do not collide by accident) and assertion trees of
depth 6. Every test ends by checking that the ledger conserves value.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mpgames.scheme import micropay2, micropay3, schnorr
from mpgames.scheme.errors import ContextReusedError, DecodeError, RuleViolation
from mpgames.scheme.groups import Group, named_group
from mpgames.scheme.ledger import Ledger
from mpgames.scheme.micropay import Merchant, Payer, Schedule, Wallet
from mpgames.scheme.micropay1 import Mp1Merchant, open_channel
from mpgames.scheme.penalty import PenaltyBounds, SlotStrategy
from mpgames.scheme.randomness import SeededRandom
from mpgames.scheme.vouchers import Mp1State, Mp2State, Mp3State, RingVoucher, SchnorrVoucher
from mpgames.teaching.walkthrough import walkthrough

DEPTH = 6
SLOT, T_CONF = 10, 3
FUNDS = 100


@pytest.fixture(scope="module")
def group() -> Group:
    return named_group("toy-64-20")


@dataclass
class World:
    ledger: Ledger
    merchant: Merchant
    payer: Payer
    rng: SeededRandom

    @property
    def pos(self):
        return self.merchant.points_of_sale

    def open(self, deposit: int = 20, penalty: int = 8, slots: int = 2) -> Wallet:
        return self.payer.open_channel(
            self.merchant, deposit=deposit, penalty=penalty, slots=slots, depth=DEPTH
        )

    def tick(self, dt: int = SLOT):
        self.ledger.advance(dt)
        return self.merchant.synchronize()

    def conserved(self) -> bool:
        return self.ledger.total_value() == self.ledger.minted


def make_world(group: Group, seed: str, protocol=micropay3, *, n: int = 3, **options) -> World:
    rng = SeededRandom(seed)
    ledger = Ledger()
    merchant = protocol.setup(
        ledger, group, points_of_sale=n, schedule=Schedule(SLOT, T_CONF), rng=rng, **options
    )
    pk, sk = schnorr.keygen(group, rng)
    ledger.mint(pk, FUNDS)
    return World(ledger, merchant, Payer(ledger, sk, rng), rng)


def rejected(world: World, pos, payment, rule: str) -> None:
    """The point of sale refuses the payment with the named check and logs nothing."""
    before = len(pos.log)
    with pytest.raises(RuleViolation) as err:
        pos.accept(payment)
    assert err.value.rule == rule, err.value
    assert len(pos.log) == before


# -- Micropay 3 -------------------------------------------------------------------------------------


def test_honest_micropay3_channel_over_two_slots(group: Group) -> None:
    w = make_world(group, "honest", penalty_bounds=PenaltyBounds(2, 4))
    wallet = w.open(deposit=20, penalty=8, slots=2)
    first = wallet.voucher.state
    assert isinstance(first, Mp3State) and (first.index, first.paid, first.valid_until) == (0, 0, SLOT)
    wallet.pay(w.pos[0], 3)
    wallet.pay(w.pos[1], 4)
    assert w.tick().double_spends == ()
    # Slot 2: the voucher from slot 1 has expired, but it is the latest state B pushed (renewal).
    assert wallet.voucher.state.valid_until == SLOT <= w.ledger.now
    wallet.pay(w.pos[2], 2)
    wallet.pay(w.pos[0], 4)
    state = wallet.voucher.state
    assert (state.index, state.paid, state.valid_until) == (4, 13, 2 * SLOT)
    report = w.tick()
    assert report.double_spends == () and report.closed == (wallet.cid,)
    assert w.ledger.balance(w.merchant.public) == 13 == wallet.spent
    assert w.ledger.balance(w.payer.public) == FUNDS - 13
    assert w.merchant.channel_status(wallet.cid) == "closed"
    assert w.conserved()


def test_micropay3_vouchers_name_no_point_of_sale(group: Group) -> None:
    w = make_world(group, "anonymous")
    wallet = w.open()
    for i in range(3):
        voucher = wallet.pay(w.pos[i], 1)
        assert isinstance(voucher, RingVoucher)
        assert voucher.verify([pos.public for pos in w.pos])
        assert "pos" not in vars(voucher.state)


def test_double_spend_is_detected_key_extracted_penalized_and_blacklisted(group: Group) -> None:
    w = make_world(group, "double-spend")
    wallet, other = w.open(), w.open()
    wallet.pay(w.pos[0], 3)
    old = wallet.voucher
    wallet.pay(w.pos[1], 4)
    # The honest wallet refuses to show the old voucher again ...
    with pytest.raises(ContextReusedError):
        wallet.pay(w.pos[2], 4, voucher=old)
    # ... a cheating payer forces it: the point of sale cannot tell, it has never seen context k = 1.
    wallet.pay(w.pos[2], 4, voucher=old, force=True)
    assert w.ledger.balance(w.merchant.public) == 0
    report = w.tick()
    (spend,) = report.double_spends
    assert (spend.cid, spend.index, spend.points_of_sale) == (wallet.cid, 1, (1, 2))
    assert spend.attributed and spend.key is not None and spend.key.x == w.payer._sk.x
    assert spend.penalty_txid in {entry.txid for entry in w.ledger.log}
    assert w.ledger.balance(w.merchant.public) == 20 + 8
    assert w.merchant.channel_status(wallet.cid) == "penalized"
    assert all(w.payer.public in pos.blacklist for pos in w.pos)
    # The payer's next payments are refused: its other channel is blacklisted, this one is gone.
    with pytest.raises(RuleViolation) as err:
        other.pay(w.pos[0], 1)
    assert err.value.rule == "blacklisted"
    with pytest.raises(RuleViolation) as err:
        wallet.pay(w.pos[0], 1)
    assert err.value.rule == "escrow-unknown"
    with pytest.raises(RuleViolation) as err:
        w.open()
    assert err.value.rule == "blacklisted"
    assert w.tick().double_spends == ()  # reported once
    assert w.conserved()


def test_without_assertions_a_double_spend_cannot_be_attributed(group: Group) -> None:
    """The broken variant: the conflict is seen, but there is no key and no penalty."""
    w = make_world(group, "no-aa", accountable=False)
    wallet = w.open(deposit=20, penalty=8)
    assert wallet.terms.apk is None
    old = wallet.voucher
    wallet.pay(w.pos[0], 4)
    payment = wallet.build_payment(w.pos[1].nonce(), 4, voucher=old, force=True)
    assert payment.assertion is None
    w.pos[1].accept(payment)
    (spend,) = w.tick().double_spends
    assert not spend.attributed and spend.penalty_txid is None
    # B closes with the best update it holds: 4, although it handed out goods worth 8.
    assert w.ledger.balance(w.merchant.public) == 4
    assert w.payer.public in w.merchant.blacklist
    assert w.conserved()


def test_expired_voucher_is_rejected_unless_it_is_the_latest_state(group: Group) -> None:
    w = make_world(group, "expiry")
    wallet = w.open(slots=3)
    stale = wallet.pay(w.pos[0], 2)
    latest = wallet.pay(w.pos[1], 2)
    w.ledger.advance(SLOT)
    # Slot 2 before B synchronized: even the latest voucher is expired and unknown to the POS.
    payment = wallet.build_payment(w.pos[2].nonce(), 1)
    rejected(w, w.pos[2], payment, "voucher-expired")
    w.merchant.synchronize()
    # An old voucher (k = 1) at a POS that never saw k = 1: expired and not the latest state.
    rejected(
        w, w.pos[2], wallet.build_payment(w.pos[2].nonce(), 1, voucher=stale, force=True), "voucher-expired"
    )
    # The latest state is renewed. (The refused attempt never reached B, so resending k = 2 is safe.)
    assert latest.state.valid_until <= w.ledger.now
    w.pos[2].accept(wallet.build_payment(w.pos[2].nonce(), 1, voucher=latest, force=True))
    assert w.tick().double_spends == ()
    assert w.conserved()


def test_points_of_sale_check_in_order(group: Group) -> None:
    w = make_world(group, "checks")
    wallet = w.open(deposit=10, penalty=4)
    pos = w.pos[0]
    voucher = wallet.voucher

    def pay(**changes):
        return replace(wallet.build_payment(pos.nonce(), 2, voucher=voucher, force=True), **changes)

    rejected(w, pos, replace(pay(), nonce=bytes(16)), "nonce-unknown")
    rejected(w, pos, replace(pay(), nonce=[1, 2]), "malformed-payment")  # no nonce at all
    rejected(w, pos, pay(price=0), "tx-amount")
    forged = replace(voucher, state=replace(voucher.state, paid=1))
    rejected(w, pos, pay(voucher=forged), "voucher-signature")
    rejected(w, pos, pay(assertion=None), "assertion-invalid")
    other = wallet.build_payment(pos.nonce(), 3, voucher=voucher, force=True)
    rejected(w, pos, pay(assertion=other.assertion), "assertion-invalid")
    rejected(w, pos, pay(update=other.update), "tx-amount")
    rejected(w, pos, pay(update=replace(pay().update, payer_sig=other.update.payer_sig)), "tx-signature")
    rejected(
        w, pos, replace(wallet.build_payment(pos.nonce(), 11, voucher=voucher, force=True)), "over-deposit"
    )
    issued = pos.accept(pay())
    rejected(w, pos, pay(), "context-reused")
    w.ledger.advance(2 * SLOT)  # T − T_conf, before B's last synchronization closes the channel
    late = wallet.build_payment(w.pos[1].nonce(), 1, voucher=issued, force=True)
    rejected(w, w.pos[1], late, "channel-expiring")
    assert w.conserved()


def test_honest_wallet_refuses_an_overdraft_before_asserting(group: Group) -> None:
    w = make_world(group, "overdraft")
    wallet = w.open(deposit=5, penalty=1)
    with pytest.raises(RuleViolation) as err:
        wallet.pay(w.pos[0], 6)
    assert err.value.rule == "over-deposit"
    assert wallet.used_contexts == frozenset()
    wallet.pay(w.pos[0], 5)


def test_merchant_refuses_a_penalty_outside_the_bound(group: Group) -> None:
    w = make_world(group, "bound", penalty_bounds=PenaltyBounds(3, 4))  # [8, 12]
    with pytest.raises(RuleViolation) as err:
        w.open(deposit=20, penalty=7)
    assert err.value.rule == "penalty-bound"
    assert w.ledger.balance(w.payer.public) == FUNDS  # checked before anything was locked
    assert w.open(deposit=20, penalty=12).terms.penalty == 12


# -- close and refund --------------------------------------------------------------------------------


def test_refund_when_the_merchant_never_closes(group: Group) -> None:
    w = make_world(group, "refund")
    wallet = w.open(deposit=20, penalty=8, slots=1)
    assert w.tick().closed == ()  # nothing paid: nothing for B to close
    with pytest.raises(RuleViolation) as err:
        wallet.refund()
    assert err.value.rule == "timelock"
    w.ledger.advance(T_CONF)
    wallet.refund()
    assert w.ledger.balance(w.payer.public) == FUNDS
    assert w.conserved()


def test_after_the_merchant_closed_the_refund_fails(group: Group) -> None:
    w = make_world(group, "close")
    wallet = w.open(deposit=20, penalty=8, slots=1)
    wallet.pay(w.pos[0], 6)
    assert w.tick().closed == (wallet.cid,)
    w.ledger.advance(T_CONF)
    with pytest.raises(RuleViolation) as err:
        wallet.refund()
    assert err.value.rule == "output-spent"
    assert w.ledger.balance(w.payer.public) == FUNDS - 6
    assert w.conserved()


def test_a_refund_first_leaves_nothing_to_close(group: Group) -> None:
    w = make_world(group, "late-merchant")
    wallet = w.open(deposit=20, penalty=8, slots=1)
    wallet.pay(w.pos[0], 6)
    w.ledger.advance(SLOT + T_CONF)  # B missed its last synchronization
    wallet.refund()
    assert w.merchant.synchronize().closed == ()
    assert w.merchant.channel_status(wallet.cid) == "refunded"
    assert w.ledger.balance(w.payer.public) == FUNDS
    assert w.conserved()


# -- Micropay 2 --------------------------------------------------------------------------------------


def fork_attack(world: World, deposit: int, penalty: int, u2: int, forks: int) -> int:
    """δ = u2 with `forks` single-purchase forks (spec §5.6); the payer's profit after synchronization."""
    wallet = world.open(deposit=deposit, penalty=penalty)
    while wallet.voucher.state.paid < deposit - u2:
        wallet.pay(world.pos[0], u2)
    entry = wallet.voucher
    for i in range(forks):
        wallet.pay(world.pos[i], u2, voucher=entry, force=True)
    (spend,) = world.tick().double_spends
    assert spend.attributed
    assert world.conserved()
    return wallet.spent - (FUNDS - world.ledger.balance(world.payer.public))


def test_micropay2_overspends_when_the_penalty_is_too_small(group: Group) -> None:
    """Seed critique of RKS: one voucher at N points of sale draws Σ b_i > d + p."""
    w = make_world(group, "mp2-overspend", micropay2, n=4)
    profit = fork_attack(w, deposit=12, penalty=2, u2=4, forks=4)
    assert w.ledger.balance(w.merchant.public) == 12 + 2
    assert profit == 10 == SlotStrategy(4, ((0, 4),) * 4).profit(2) > 0


def test_micropay2_vouchers_name_the_point_of_sale(group: Group) -> None:
    w = make_world(group, "mp2-names", micropay2)
    wallet = w.open()
    voucher = wallet.pay(w.pos[2], 1)
    assert isinstance(voucher, SchnorrVoucher) and isinstance(voucher.state, Mp2State)
    assert voucher.state.pos == 2 and voucher.verify(w.pos[2].public)


@pytest.mark.parametrize(("penalty", "profitable"), [(12, False), (16, False), (11, True)])
def test_micropay3_penalty_bound_deters_the_fork_attack(group: Group, penalty: int, profitable: bool) -> None:
    """N = 4, u2 = 4: (N − 1)·u2 = 12 ≤ p ≤ 16 makes the attack unprofitable; p = 11 does not."""
    w = make_world(group, f"mp3-profit-{penalty}", n=4)
    profit = fork_attack(w, deposit=12, penalty=penalty, u2=4, forks=4)
    assert profit == SlotStrategy(4, ((0, 4),) * 4).profit(penalty)
    assert (profit > 0) == profitable


# -- Micropay 1 --------------------------------------------------------------------------------------


@pytest.fixture
def mp1(group: Group):
    rng = SeededRandom("mp1")
    ledger = Ledger()
    merchant = Mp1Merchant(ledger, schnorr.keygen(group, rng)[1], schnorr.keygen(group, rng)[1], rng)
    pk, sk = schnorr.keygen(group, rng)
    ledger.mint(pk, FUNDS)
    return ledger, merchant, sk, rng


def test_micropay1_honest_run_and_close(mp1) -> None:
    ledger, merchant, sk, rng = mp1
    wallet = open_channel(ledger, sk, merchant, deposit=20, close_by=10, t_conf=T_CONF, rng=rng)
    assert wallet.voucher.state == Mp1State(sk.public, 20, 0, wallet.cid)
    for price in (3, 4, 5):
        wallet.pay(merchant, price)
    assert wallet.voucher.state.paid == 12
    with pytest.raises(RuleViolation) as err:
        wallet.pay(merchant, 9)
    assert err.value.rule == "over-deposit"
    merchant.close(wallet.cid)
    assert ledger.balance(merchant.public) == 12 and ledger.balance(sk.public) == FUNDS - 12
    assert ledger.total_value() == ledger.minted


def test_micropay1_voucher_reuse_is_detected(mp1) -> None:
    ledger, merchant, sk, rng = mp1
    wallet = open_channel(ledger, sk, merchant, deposit=20, close_by=10, t_conf=T_CONF, rng=rng)
    old = wallet.voucher
    wallet.pay(merchant, 5)
    with pytest.raises(RuleViolation) as err:
        wallet.pay(merchant, 5, voucher=old)
    assert err.value.rule == "voucher-reused"  # the wallet itself refuses
    with pytest.raises(RuleViolation) as err:
        wallet.pay(merchant, 5, voucher=old, force=True)
    assert err.value.rule == "voucher-reused"  # B catches it, closes and blacklists
    assert merchant.channel_status(wallet.cid) == "closed"
    assert sk.public in merchant.blacklist
    assert ledger.balance(merchant.public) == 5
    with pytest.raises(RuleViolation) as err:
        open_channel(ledger, sk, merchant, deposit=5, close_by=10, t_conf=T_CONF, rng=rng)
    assert err.value.rule == "blacklisted"
    assert ledger.total_value() == ledger.minted


def test_micropay1_refund_and_expiry(mp1) -> None:
    ledger, merchant, sk, rng = mp1
    wallet = open_channel(ledger, sk, merchant, deposit=20, close_by=10, t_conf=T_CONF, rng=rng)
    ledger.advance(10)
    with pytest.raises(RuleViolation) as err:
        wallet.pay(merchant, 1)
    assert err.value.rule == "channel-expiring"
    assert merchant.close(wallet.cid) is None  # nothing paid
    ledger.advance(T_CONF)
    wallet.refund()
    assert ledger.balance(sk.public) == FUNDS
    assert ledger.total_value() == ledger.minted


def test_micropay1_rejects_a_forged_cert(mp1) -> None:
    ledger, merchant, sk, rng = mp1
    wallet = open_channel(ledger, sk, merchant, deposit=20, close_by=10, t_conf=T_CONF, rng=rng)
    forged = SchnorrVoucher.issue(sk, Mp1State(sk.public, 20, 0, wallet.cid), rng)  # signed by A, not B
    with pytest.raises(RuleViolation) as err:
        wallet.pay(merchant, 1, voucher=forged)
    assert err.value.rule == "voucher-signature"


# -- encodings ----------------------------------------------------------------------------------------


def test_voucher_encodings_round_trip_and_reject_truncation(group: Group, mp1) -> None:
    w = make_world(group, "codec")
    wallet = w.open()
    ring_voucher = wallet.pay(w.pos[1], 2)
    data = ring_voucher.to_bytes(group)
    assert RingVoucher.from_bytes(group, data, 3) == ring_voucher
    w2 = make_world(group, "codec-2", micropay2)
    named = w2.open().pay(w2.pos[0], 2)
    assert SchnorrVoucher.from_bytes(group, named.to_bytes(group), Mp2State) == named
    ledger, merchant, sk, rng = mp1
    cert = open_channel(ledger, sk, merchant, deposit=20, close_by=10, t_conf=T_CONF, rng=rng).voucher
    assert SchnorrVoucher.from_bytes(group, cert.to_bytes(group), Mp1State) == cert
    for cut in (1, len(data) // 2, len(data) - 1):
        with pytest.raises(DecodeError):
            RingVoucher.from_bytes(group, data[:cut], 3)
    with pytest.raises(DecodeError):
        RingVoucher.from_bytes(group, data + b"\x00", 3)
    with pytest.raises(DecodeError):
        RingVoucher.from_bytes(group, data, 2)  # wrong ring size
    with pytest.raises(DecodeError):
        SchnorrVoucher.from_bytes(group, named.to_bytes(group), Mp3State)  # wrong state type


def test_state_decoding_validates_fields(group: Group) -> None:
    state = Mp3State(bytes(32), 23, 10, 20, 1, 5)
    assert Mp3State.from_bytes(group, state.to_bytes()) == state
    overpaid = state.to_bytes().replace((5).to_bytes(8, "big"), (21).to_bytes(8, "big"))
    with pytest.raises(DecodeError, match="exceeds the deposit"):
        Mp3State.from_bytes(group, overpaid)
    bad_key = Mp1State(schnorr.keygen(group, SeededRandom(1))[0], 5, 1, bytes(32)).to_bytes()
    # enc: the 13-byte tag field, the 36-byte cid field, then the key's length prefix and value.
    tampered = bad_key.replace(bad_key[53:61], b"\xff" * 8)  # inside the channel key: not an element
    with pytest.raises(DecodeError):
        Mp1State.from_bytes(group, tampered)


def test_an_early_close_first_merges_the_logs(group: Group) -> None:
    """B closes early only at a synchronization, so a double spend hidden in a log is still punished."""
    w = make_world(group, "early-close")
    wallet = w.open(slots=3)
    entry = wallet.voucher
    wallet.pay(w.pos[0], 2)
    wallet.pay(w.pos[1], 2, voucher=entry, force=True)
    report = w.merchant.synchronize(close=[wallet.cid])
    assert report.closed == () and len(report.double_spends) == 1
    assert w.merchant.channel_status(wallet.cid) == "penalized"
    honest = make_world(group, "early-close-honest")
    other = honest.open(slots=3)
    other.pay(honest.pos[0], 5)
    assert honest.merchant.synchronize(close=[other.cid]).closed == (other.cid,)
    assert honest.ledger.balance(honest.merchant.public) == 5
    with pytest.raises(RuleViolation):
        honest.merchant.synchronize(close=[bytes(32)])
    assert w.conserved() and honest.conserved()


@pytest.mark.slow
def test_walkthrough_narrates_the_extraction_and_the_blacklist() -> None:
    lines: list[str] = []
    walkthrough(lines.append, seed=1)
    text = "\n".join(lines)
    assert "rfc5114-2048-256 (tier standard)" in lines[0]
    assert "AA.Extract recovers the payer's key x; g^x == pk_A: True" in text
    assert "penalty transaction" in text and "confirmed on the ledger" in text
    assert "blacklisted" in text and "is refused: blacklisted." in text
    assert "Dave redeems coin 7: he receives 7" in text
    assert lines[-1] == "Ledger: total value 300 = minted 300."
    again: list[str] = []
    walkthrough(again.append, seed=1)
    assert again == lines  # seeded: the same transcript every time


counts = st.integers(0, 2**64 - 1)


@given(cid=st.binary(min_size=32, max_size=32), fields=st.lists(counts, min_size=4, max_size=4), paid=counts)
def test_channel_states_round_trip(group: Group, cid: bytes, fields: list[int], paid: int) -> None:
    expiry, valid_until, deposit, index = fields
    paid = min(paid, deposit)
    mp3 = Mp3State(cid, expiry, valid_until, deposit, index, paid)
    assert Mp3State.from_bytes(group, mp3.to_bytes()) == mp3
    mp2 = Mp2State(cid, expiry, deposit, index, paid, valid_until)
    assert Mp2State.from_bytes(group, mp2.to_bytes()) == mp2
    with pytest.raises(DecodeError):
        Mp3State.from_bytes(group, mp3.to_bytes()[:-1])
