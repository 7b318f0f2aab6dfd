"""Adversaries against the Micropay games `mp.uf`, `mp.ul`, `mp.ds` and `mp.profit` (harness §4).

Voucher unforgeability (`mp.uf`):
* `mp.uf-random-forgery` (null): a fresh state with a uniform signature; it verifies with
  probability about 1/q.
* `mp.uf-rewind` (reference): has B_0 sign the state of a channel spent up to its deposit, then
  presents that signature on the same channel rewound to b = 0 at the next counter. It verifies iff
  the voucher signature leaves out (k, b): `micropay3-unbound-balance`.

Unlinkability (`mp.ul`):
* `mp.ul-random-guess` (null): asks for the challenge voucher, guesses a point of sale uniformly.
* `mp.ul-read-signer` (reference): a Schnorr-signed (Micropay 2) voucher verifies under the signer's
  key, and under another point of sale's only by chance (about 1/q for each): the first key it
  verifies under is taken as the signer, which is wrong in about (n − 1)/(2q) of the trials on a toy
  group (mpgames.games.mp_ul). A ring-signed voucher has no single verifying key, and the attack
  falls back to a uniform guess.

Double-spending detection (`mp.ds`) and profit (`mp.profit`), the adversary being the payer:
* `mp.ds-honest` (null): pays at each point of sale in turn, each time with its newest voucher.
* `mp.ds-double-spend` (reference): shows its first voucher at two points of sale in one slot.
  Without assertions the pair gives no key; with them Extract returns its key and it loses.
* `mp.ds-leaf-collision` (reference, generic): a birthday search over its prices finds two
  statements whose leaf messages H_q("AA/S", st) collide modulo a toy q (about 2·√q hashes): both
  open one tree path, so one assertion makes both spends of a voucher pass and Extract finds no node
  opened twice. It breaks `micropay3` on the toy tier only; it is also the inner adversary of the
  reduction `ds-extract` (mpgames.reductions.detection).
* `mp.profit-honest` (null): spends its deposit in purchases of u2 over two slots.
* `mp.profit-forks` (reference, spec §5.6): pays honestly in the first slot down to δ = u2, then in
  the second slot spends the entry voucher at N points of sale, one purchase of u2 each. It buys
  (N − 1)·u2 more than it paid before the penalty, so it profits iff p < (N − 1)·u2.

The payers share `PayerDevice`: the payer's own Schnorr key, its accountable-assertion tree (a second
copy of the tree, as on a second device, to assert a context again) and its channel.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TypeVar

from mpgames.adversaries.assertions import FACTOR, SEARCH_LIMIT, leaf_collision
from mpgames.adversaries.base import Adversary
from mpgames.games.channel_vouchers import MICROPAY3, UNBOUND
from mpgames.games.mp_ds import NO_AA, MpDsAdversary, MpDsView
from mpgames.games.mp_profit import MpProfitAdversary, MpProfitView
from mpgames.games.mp_uf import MpUfAdversary, MpUfView
from mpgames.games.mp_ul import MpUlAdversary, MpUlView
from mpgames.games.payment_desk import PaymentView
from mpgames.scheme import schnorr
from mpgames.scheme.assertions import AUXSK_LEN, Asserter, Assertion
from mpgames.scheme.channel_tx import EscrowTerms, EscrowTx, UpdateTx
from mpgames.scheme.groups import Group
from mpgames.scheme.micropay import Payment
from mpgames.scheme.randomness import RandomSource
from mpgames.scheme.ring import RingSignature
from mpgames.scheme.schnorr import Signature
from mpgames.scheme.vouchers import Mp2State, Mp3State, RingVoucher, SchnorrVoucher, Voucher

# The counter of the spent-up state whose voucher the rewind attack asks for.
SPENT_INDEX = 5
# The price of each honest purchase in mp.ds, and the penalty the mp.ds payers lock.
DS_PRICE, DS_PENALTY = 2, 4
# A state with a counter k and a balance b: Micropay 2 or 3.
CountedState = TypeVar("CountedState", Mp2State, Mp3State)


def random_voucher(group: Group, state: Mp2State | Mp3State, ring_size: int, rng: RandomSource) -> Voucher:
    """The state with a uniform signature of the matching kind: Schnorr (e, s), or AOS (c_0, s_i)."""
    if isinstance(state, Mp2State):
        return SchnorrVoucher(state, Signature(group.random_scalar(rng), group.random_scalar(rng)))
    responses = tuple(group.random_scalar(rng) for _ in range(ring_size))
    return RingVoucher(state, RingSignature(group.random_scalar(rng), responses))


class RandomVoucherForgery(Adversary, MpUfAdversary):
    """Null adversary: sign nothing, output a uniform signature on a fresh state."""

    id = "mp.uf-random-forgery"
    label = "random signature on a fresh state"
    targets = ("mp.uf",)
    expect = "null"

    def attack(self, view: MpUfView, rng: RandomSource) -> Voucher:
        state = view.sample_state
        fresh = replace(state, index=state.index + 1, paid=state.deposit)
        return random_voucher(view.group, fresh, len(view.points_of_sale), rng)


def rewound(state: CountedState) -> CountedState:
    """The state at the next counter k + 1 with its balance rewound to b = 0."""
    return replace(state, index=state.index + 1, paid=0)


class BalanceRewind(Adversary, MpUfAdversary):
    """Reference attack: the voucher of a spent-up channel, presented for the channel rewound to b = 0."""

    id = "mp.uf-rewind"
    label = "rewind b to 0 on a signed voucher"
    targets = ("mp.uf",)
    expect = f"breaks:{UNBOUND}"

    def attack(self, view: MpUfView, rng: RandomSource) -> Voucher:
        state = view.sample_state
        spent = view.cert(0, replace(state, index=SPENT_INDEX, paid=state.deposit))
        # The same signature on the state B_0 signed (a Micropay 2 B_0 names itself in it), rewound.
        if isinstance(spent, RingVoucher):
            return replace(spent, state=rewound(spent.state))
        if isinstance(spent.state, Mp2State):
            return replace(spent, state=rewound(spent.state))
        raise TypeError(f"a {type(spent.state).__name__} has no counter k to move on")


class RandomSignerGuess(Adversary, MpUlAdversary):
    """Null adversary: ask for the challenge voucher, then guess its signer uniformly."""

    id = "mp.ul-random-guess"
    label = "random guess of the point of sale"
    targets = ("mp.ul",)
    expect = "null"

    def attack(self, view: MpUlView, rng: RandomSource) -> int:
        view.challenge(view.sample_state)
        return rng.randbelow(len(view.points_of_sale))


class ReadSigner(Adversary, MpUlAdversary):
    """Reference attack: the point of sale whose key verifies the challenge voucher's signature."""

    id = "mp.ul-read-signer"
    label = "verify the voucher under each point of sale's key"
    targets = ("mp.ul",)
    expect = "breaks:micropay2"

    def attack(self, view: MpUlView, rng: RandomSource) -> int:
        voucher = view.challenge(view.sample_state)
        keys = view.points_of_sale
        if isinstance(voucher, SchnorrVoucher):
            signers = [i for i, pk in enumerate(keys) if voucher.verify(pk)]
            if signers:
                return signers[0]
        return rng.randbelow(len(keys))


def context_of(voucher: Voucher) -> int:
    """The context k of the voucher's state, the leaf its payment is asserted in: the states of
    Micropay 2 and 3 have one, a Micropay 1 state has none."""
    state = voucher.state
    if not isinstance(state, Mp2State | Mp3State):
        raise TypeError(f"a {type(state).__name__} names no context k")
    return state.index


class PayerDevice:
    """The payer's side in mp.ds and mp.profit: its own key and tree, one channel, payments built from
    the scheme's primitives and sent through the game's oracles."""

    def __init__(self, view: PaymentView, rng: RandomSource) -> None:
        self._view = view
        self._rng = rng
        self.public, self._sk = schnorr.keygen(view.group, rng)
        self._auxsk = rng.randbytes(AUXSK_LEN)
        accountable = view.vouchers.accountable
        self._asserter = Asserter(self._sk, self._auxsk, view.depth) if accountable else None
        self.cid = b""

    def open(self, deposit: int, penalty: int, close_by: int) -> Voucher:
        """Lock d + p for B with the payer's tree key and get the first voucher."""
        view = self._view
        apk = None if self._asserter is None else self._asserter.public
        terms = EscrowTerms(self.public, view.merchant, deposit, penalty, close_by, view.schedule.t_conf, apk)
        escrow = EscrowTx.create(self._sk, terms, self._rng)
        self.cid = escrow.cid
        return view.open(escrow)

    def pay(self, pos: int, voucher: Voucher, price: int) -> Voucher:
        """Buy at B_pos with `voucher`: assert st = enc(cid, r, x) in its context k, sign
        UpdateTx(cid, b + x). A context asserted before is asserted again with a second copy of the
        tree: that is a double spend."""
        view = self._view
        nonce = view.nonce(pos)
        state = voucher.state
        assertion = None
        if self._asserter is not None:
            k = context_of(voucher)
            fresh = k not in self._asserter.used_contexts
            asserter = self._asserter if fresh else Asserter(self._sk, self._auxsk, view.depth)
            assertion = asserter.assert_(k, view.vouchers.statement(self.cid, nonce, price))
        update = UpdateTx.create(self._sk, self.cid, state.paid + price, self._rng)
        return view.spend(pos, Payment(voucher, price, nonce, update, assertion))


def one_slot_close(view: PaymentView) -> int:
    """The close time of a channel living one slot from now (mp.ds)."""
    return view.schedule.close_time(view.now, 1)


class HonestPayer(Adversary, MpDsAdversary):
    """Null adversary: open a channel, pay once at each point of sale with the newest voucher."""

    id = "mp.ds-honest"
    label = "honest payer"
    targets = ("mp.ds",)
    expect = "null"

    def attack(self, view: MpDsView, rng: RandomSource) -> None:
        device = PayerDevice(view, rng)
        voucher = device.open(DS_PRICE * len(view.points_of_sale), DS_PENALTY, one_slot_close(view))
        for pos in range(len(view.points_of_sale)):
            voucher = device.pay(pos, voucher, DS_PRICE)


class TwoPosDoubleSpend(Adversary, MpDsAdversary):
    """Reference attack: the first voucher spent at B_0 and at B_1 in the same slot."""

    id = "mp.ds-double-spend"
    label = "one voucher at two points of sale in one slot"
    targets = ("mp.ds",)
    expect = "breaks:micropay3-no-aa"

    def attack(self, view: MpDsView, rng: RandomSource) -> None:
        device = PayerDevice(view, rng)
        voucher = device.open(2 * DS_PRICE, DS_PENALTY, one_slot_close(view))
        device.pay(0, voucher, DS_PRICE)
        device.pay(1, voucher, DS_PRICE)


class _SplitPayer(PayerDevice):
    """The payer device with a purchase split in two: the nonces first, the spends once prices are set."""

    def assertion(self, index: int, statement: bytes) -> Assertion | None:
        """τ for st in context k (None where payments carry no assertion)."""
        return None if self._asserter is None else self._asserter.assert_(index, statement)

    def spend(
        self, pos: int, voucher: Voucher, price: int, nonce: bytes, assertion: Assertion | None
    ) -> Voucher:
        """Pay `price` at B_pos with `voucher`, answering its nonce with the given assertion."""
        update = UpdateTx.create(self._sk, self.cid, voucher.state.paid + price, self._rng)
        return self._view.spend(pos, Payment(voucher, price, nonce, update, assertion))


# The birthday search of `mp.ds-leaf-collision` picks prices up to FACTOR·SEARCH_LIMIT; the deposit
# covers the largest.
LEAF_COLLISION_DEPOSIT = FACTOR * SEARCH_LIMIT


class LeafCollisionDoubleSpend(Adversary, MpDsAdversary):
    """Reference attack (generic, toy tier): one voucher at B_0 and B_1 with statements whose leaf
    messages collide.

    It asks B_0 and B_1 for their nonces r0, r1, then searches prices x0, x1 with
    H_q("AA/S", st(r0, x0)) = H_q("AA/S", st(r1, x1)) (`leaf_collision`: a table of √q prices at r0,
    up to 6·√q lookups at r1). The two statements differ (their nonces do) but open one tree path, so
    the one assertion τ of st(r0, x0) in context k passes both points of sale's checks, and Extract,
    shown τ twice, returns ⊥.

    Tiers: it plays both, with the same budget. On the toy tier (a 20-bit q) the search succeeds with
    probability about 1 − e^−6. On the standard tier it still runs, capped at 2^11 table entries and
    6·2^11 lookups (about 14,000 hashes), and against a 256-bit q finds nothing: it then makes one
    honest purchase at B_0 and loses. Against `micropay3-no-aa`, whose payments carry no assertion,
    any double spend wins, and so does this one where its search succeeds, on the toy tier
    (`also_breaks`; `expect` names `micropay3`, the variant the birthday search is about, and
    `mp.ds-double-spend` is the attack of `micropay3-no-aa`).
    """

    id = "mp.ds-leaf-collision"
    label = "birthday collision of H_q(st) on a toy q, one assertion for two spends"
    targets = ("mp.ds",)
    expect = f"breaks:{MICROPAY3}"
    breaks_tiers = ("toy",)
    also_breaks = (NO_AA,)  # any double spend wins without assertions

    def attack(self, view: MpDsView, rng: RandomSource) -> None:
        device = _SplitPayer(view, rng)
        voucher = device.open(LEAF_COLLISION_DEPOSIT, DS_PENALTY, one_slot_close(view))
        k, nonces = context_of(voucher), (view.nonce(0), view.nonce(1))

        def statement(nonce: bytes, price: int) -> bytes:
            return view.vouchers.statement(device.cid, nonce, price)

        prices = leaf_collision(view.group.q, statement, nonces)
        if prices is None:  # no collision within the search: one honest purchase
            device.spend(0, voucher, DS_PRICE, nonces[0], device.assertion(k, statement(nonces[0], DS_PRICE)))
            return
        # Both statements open the same leaf message: one assertion verifies for both.
        tau = device.assertion(k, statement(nonces[0], prices[0]))
        for pos in (0, 1):
            device.spend(pos, voucher, prices[pos], nonces[pos], tau)


def spend_down_to(device: PayerDevice, view: MpProfitView, voucher: Voucher, capacity: int) -> Voucher:
    """Honest purchases of u2 at points of sale 0, 1, … as long as `capacity` stays unspent; the newest
    voucher."""
    pos = 0
    while voucher.state.deposit - voucher.state.paid - view.u2 >= capacity:
        voucher = device.pay(pos, voucher, view.u2)
        pos += 1
    return voucher


class HonestShopper(Adversary, MpProfitAdversary):
    """Null adversary: spend the deposit in purchases of u2, part in each of the two slots."""

    id = "mp.profit-honest"
    label = "honest payer over two slots"
    targets = ("mp.profit",)
    expect = "null"

    def attack(self, view: MpProfitView, rng: RandomSource) -> None:
        device = PayerDevice(view, rng)
        voucher = device.open(view.deposit, view.penalty, view.close_by)
        voucher = spend_down_to(device, view, voucher, view.u2)
        view.wait()
        # The voucher of the last slot is renewed: it is the latest state B pushed.
        spend_down_to(device, view, voucher, 0)


class SlotForks(Adversary, MpProfitAdversary):
    """Reference attack (spec §5.6): δ = u2 on entering a slot, then N single-purchase forks of u2."""

    id = "mp.profit-forks"
    label = "delta = u2, then N forks of the entry voucher in one slot"
    targets = ("mp.profit",)
    expect = "breaks:penalty-too-small"

    def attack(self, view: MpProfitView, rng: RandomSource) -> None:
        device = PayerDevice(view, rng)
        voucher = device.open(view.deposit, view.penalty, view.close_by)
        entry = spend_down_to(device, view, voucher, view.u2)
        view.wait()
        forks = min(view.purchases_per_slot, len(view.points_of_sale))
        for pos in range(forks):
            device.pay(pos, entry, view.u2)
