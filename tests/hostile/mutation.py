"""Class 4, objects changed after the challenger took them: hand over an object, keep a reference and
rewrite it (`object.__setattr__` on a frozen dataclass) after the challenger stored it — between two
oracle calls or between two stages — or hand over an object whose field is a property that answers
differently on each read.

Only a challenger that keeps and judges its own fresh copies is immune: each adversary below wins
(or, `UpdateVandal`, crashes the run) as long as some check or record keeps the adversary's object.

Loadable as a file plugin: `mpgames run GAME --adversary tests/hostile/mutation.py:ClassName`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields, replace
from typing import Any, TypeVar

from mpgames.adversaries.base import Adversary
from mpgames.framework.view import View
from mpgames.games.aa_extract import Equivocation
from mpgames.games.ch_cr import Collision
from mpgames.games.mc_type1 import distinct_keypair
from mpgames.games.sig_euf_cma import Forgery
from mpgames.scheme import schnorr
from mpgames.scheme.assertions import AUXSK_LEN, Asserter
from mpgames.scheme.channel_tx import EscrowTerms, EscrowTx, UpdateTx
from mpgames.scheme.microcoin import PayWordGen, get_variant
from mpgames.scheme.microcoin_tx import CommitTx
from mpgames.scheme.micropay import Payment
from mpgames.scheme.randomness import RandomSource
from mpgames.scheme.schnorr import SecretKey, Signature
from mpgames.scheme.vouchers import Voucher

T = TypeVar("T")


def rewrite(obj: object, **changes: object) -> None:
    """Change fields of a (frozen) object in place, after the challenger stored it."""
    for name, value in changes.items():
        object.__setattr__(obj, name, value)


def shifty(template: T, field: str, answer: Callable[[int], object]) -> T:
    """A copy of the dataclass `template`, made without its constructor, whose `field` is a property:
    its n-th read (n = 1, 2, …) answers `answer(n)`."""

    def read(self: Any) -> object:
        self.__dict__["reads"] = n = self.__dict__.get("reads", 0) + 1
        return answer(n)

    cls = type(f"Shifty{type(template).__name__}", (type(template),), {field: property(read)})
    obj = object.__new__(cls)
    for f in fields(template):  # type: ignore[arg-type]
        if f.name != field:
            object.__setattr__(obj, f.name, getattr(template, f.name))
    return obj


# -- micropay payers ---------------------------------------------------------------------------------


class Payer:
    """An honest payer of mp.ds / mp.profit (its own key and tree); `pay` returns the payment handed
    over, which the point of sale logs as it is."""

    def __init__(self, view: View, rng: RandomSource) -> None:
        self.view, self.rng = view, rng
        self.pk, self.sk = schnorr.keygen(view.group, rng)
        self.auxsk = rng.randbytes(AUXSK_LEN)

    def open(self) -> Voucher:
        view = self.view
        if "penalty" in view:  # mp.profit: the channel B offers
            deposit, penalty, close_by = view.deposit, view.penalty, view.close_by
        else:
            deposit, penalty, close_by = 12, 4, view.schedule.close_time(view.now, 1)
        apk = Asserter(self.sk, self.auxsk, view.depth).public
        terms = EscrowTerms(self.pk, view.merchant, deposit, penalty, close_by, view.schedule.t_conf, apk)
        escrow = EscrowTx.create(self.sk, terms, self.rng)
        self.cid = escrow.cid
        return view.open(escrow)

    def pay(self, pos: int, voucher: Voucher, price: int) -> tuple[Voucher, Payment]:
        """Pay at B_pos with `voucher` (asserting with a fresh copy of the tree: reusing a voucher is a
        double spend); the new voucher and the payment."""
        view, state = self.view, voucher.state
        nonce = view.nonce(pos)
        statement = view.vouchers.statement(self.cid, nonce, price)
        tau = Asserter(self.sk, self.auxsk, view.depth).assert_(state.index, statement)
        update = UpdateTx.create(self.sk, self.cid, state.paid + price, self.rng)
        payment = Payment(voucher, price, nonce, update, tau)
        return view.spend(pos, payment), payment


def price_of(view: View) -> int:
    return view.u2 if "u2" in view else 4


class UpdateRewriter(Adversary):
    """mp.profit: pays honestly, and after each accepted purchase rewrites the UpdateTx the point of
    sale logged to pay B nothing (re-signed by the payer, so it is valid): B closes with it."""

    id = "hostile.mutate.update-rewriter"
    label = "rewrite logged updates to b = 0"
    targets = ("mp.profit",)
    expect = "null"

    def attack(self, view: View, rng: RandomSource) -> None:
        payer = Payer(view, rng)
        voucher = payer.open()
        for pos in range(len(view.points_of_sale) - 1):
            voucher, payment = payer.pay(pos, voucher, price_of(view))
            update = payment.update
            rewrite(update, paid=0)
            rewrite(update, payer_sig=schnorr.sign(payer.sk, update.message(), rng))


class UpdateVandal(Adversary):
    """mp.profit: one honest purchase, then the logged UpdateTx's signature is replaced by garbage, so
    B's closing transaction fails on the ledger at the last synchronization."""

    id = "hostile.mutate.update-vandal"
    label = "garble the logged update's signature"
    targets = ("mp.profit",)
    expect = "null"

    def attack(self, view: View, rng: RandomSource) -> None:
        payer = Payer(view, rng)
        _voucher, payment = payer.pay(0, payer.open(), price_of(view))
        rewrite(payment.update, payer_sig=Signature(0, 0))


class AssertionSwapper(Adversary):
    """Double spend (the first voucher at every point of sale), then rotate the logged assertions
    between the payments: no pair verifies any more when Extract looks at it."""

    id = "hostile.mutate.assertion-swapper"
    label = "double spend, then swap the logged assertions"
    targets = ("mp.ds", "mp.profit")
    expect = "null"

    def attack(self, view: View, rng: RandomSource) -> None:
        payer = Payer(view, rng)
        first = payer.open()
        taus = [payer.pay(pos, first, price_of(view))[1].assertion for pos in range(len(view.points_of_sale))]
        levels = [tau.levels for tau in taus]
        for i, tau in enumerate(taus):
            rewrite(tau, levels=levels[(i + 1) % len(taus)])


# -- microcoins ----------------------------------------------------------------------------------------


class _HonestCommit(Adversary):
    """Type I skeleton: commits n = 8 coins of value 5 honestly and links them."""

    def commit(self, view: View, rng: RandomSource) -> None:
        sk, variant = SecretKey(view.group, view.x), get_variant(view.variant)
        self.gen = PayWordGen(sk, view.payee, 40, 8, view.now + 50, variant=variant, rng=rng)
        view.commit(CommitTx(self.gen.commit, self.gen.signature))
        self.gen.chain()
        self.aux = self.gen.link()


class RecordedCommitRewriter(_HonestCommit):
    """Between the stages, rewrites the COMMIT the ledger recorded (its own object) to b = 1, then pays
    c_n honestly: the predicate reads "accepted 40 > b" and the redemption fails."""

    id = "hostile.mutate.recorded-commit-rewriter"
    label = "rewrite the recorded COMMIT to b = 1"
    targets = ("mc.type1",)
    expect = "null"

    def pay(self, view: View, rng: RandomSource) -> None:
        rewrite(self.gen.commit, b=1)
        view.accept(self.aux)
        view.pay(self.gen.coin(8))


class AcceptedCoinRewriter(_HonestCommit):
    """Pays c_n honestly, then rewrites the accepted coin (the payee keeps the object) to index n + 1."""

    id = "hostile.mutate.accepted-coin-rewriter"
    label = "rewrite the accepted coin to index n + 1"
    targets = ("mc.type1",)
    expect = "null"

    def pay(self, view: View, rng: RandomSource) -> None:
        view.accept(self.aux)
        coin = self.gen.coin(8)
        view.pay(coin)
        rewrite(coin, index=9)


class ShiftyCoin(Adversary):
    """Type II: the coin c_l it was paid, with an index that reads l* in the challenger's two index
    checks (j = l*, j_last < j ≤ n) and l in the hashing that follows (reads 2 and 3; read 1 renders)."""

    id = "hostile.mutate.shifty-coin"
    label = "coin whose index changes between reads"
    targets = ("mc.type2",)
    expect = "null"

    def query(self, view: View, rng: RandomSource) -> None:
        payee, _ = distinct_keypair(view.group, rng, view.pk)
        view.setup(4, 4, payee)
        self.paid = view.coin()

    def forge(self, view: View, rng: RandomSource) -> object:
        held, target = self.paid.index, view.challenge
        return shifty(self.paid, "index", lambda n: target if n in (2, 3) else held)


# -- vouchers, collisions, assertions --------------------------------------------------------------------


class SignedStateRewriter(Adversary):
    """mp.uf: has B_0 sign a state object of its own, then rewrites that object (which the oracle's
    log keeps as the signed state) and presents the signature on the original values."""

    id = "hostile.mutate.signed-state-rewriter"
    label = "rewrite the state the log holds after signing"
    targets = ("mp.uf",)
    expect = "null"

    def attack(self, view: View, rng: RandomSource) -> object:
        state = replace(view.sample_state)
        voucher = view.cert(0, state)
        signed = replace(voucher.state)
        rewrite(state, paid=state.deposit, index=state.index + 1)
        return replace(voucher, state=signed)


class ShiftyVoucher(Adversary):
    """mp.uf: a voucher on a signed state S whose `state` alternates between S' (odd reads) and S
    (even reads): verification reads S, the freshness check reads S'."""

    id = "hostile.mutate.shifty-voucher"
    label = "voucher whose state alternates between reads"
    targets = ("mp.uf",)
    expect = "null"

    def attack(self, view: View, rng: RandomSource) -> object:
        voucher = view.cert(0, view.sample_state)
        signed, other = voucher.state, replace(voucher.state, paid=voucher.state.deposit)
        return shifty(voucher, "state", lambda n: signed if n % 2 == 0 else other)


class ShiftyCollision(Adversary):
    """ch.cr: one opening (m, r) twice, m0 alternating between m (odd reads) and m + 1 (even reads):
    "m0 ≠ m1" reads m + 1, the hash reads m."""

    id = "hostile.mutate.shifty-collision"
    label = "collision whose m0 alternates between reads"
    targets = ("ch.cr",)
    expect = "null"

    def attack(self, view: View, rng: RandomSource) -> Collision:
        group = view.group
        m, r = group.random_scalar(rng), group.random_scalar(rng)
        return shifty(Collision(m, r, m, r), "m0", lambda n: m if n % 2 else (m + 1) % group.q)


class ShiftyAssertion(Adversary):
    """aa.extract: two honest assertions of two statements in one context; τ0's levels are honest for
    its rendering and verification (reads 1–4) and τ1's afterwards, when Extract replays τ0."""

    id = "hostile.mutate.shifty-assertion"
    label = "assertion whose levels change after verification"
    targets = ("aa.extract",)
    expect = "null"

    def attack(self, view: View, rng: RandomSource) -> Equivocation:
        _pk, sk = schnorr.keygen(view.group, rng)
        auxsk = rng.randbytes(AUXSK_LEN)
        first, second = Asserter(sk, auxsk, view.depth), Asserter(sk, auxsk, view.depth)
        tau0, tau1 = first.assert_(0, b"st0"), second.assert_(0, b"st1")
        shifting = shifty(tau0, "levels", lambda n: tau0.levels if n <= 4 else tau1.levels)
        return Equivocation(first.public, 0, b"st0", b"st1", shifting, tau1)


class ViewKeyRewriter(Adversary):
    """The challenger's own public values: rewrite the key in the view to g^a for an a of its own
    (`object.__setattr__` on the frozen key), then sign with a. A challenger that judges with the
    object it handed out verifies the forgery under the adversary's key."""

    id = "hostile.mutate.view-key-rewriter"
    label = "rewrite the view's public key, then sign with a key of its own"
    targets = ("sig.euf-cma", "sig.euf-cma.rom")
    expect = "null"

    def attack(self, view: View, rng: RandomSource) -> object:
        own = SecretKey(view.group, view.group.random_secret(rng))
        rewrite(view.pk, y=own.public.y)
        return Forgery(b"never signed", schnorr.sign(own, b"never signed", rng))


class AnswerRewriter(Adversary):
    """Oracle answers the challenger logs: rewrite the state of the voucher O_cert returned (the
    object the log holds as "signed") and present the voucher on the original state as fresh."""

    id = "hostile.mutate.answer-rewriter"
    label = "rewrite the logged answer after receiving it"
    targets = ("mp.uf",)
    expect = "null"

    def attack(self, view: View, rng: RandomSource) -> object:
        voucher = view.cert(0, view.sample_state)
        signed = replace(voucher, state=replace(voucher.state))
        rewrite(voucher, state=replace(voucher.state, paid=voucher.state.deposit))
        return signed
