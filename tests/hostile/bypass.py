"""Class 3, scheme objects made without their constructors: `object.__new__(Cls)` and
`object.__setattr__`, with fields the constructor refuses (0, 1, p − 1, p, p − y of order 2q,
elements of small order, 2^5000, negative numbers, values of the wrong type) or derived fields
that contradict the others.

A constructor's validation proves nothing about such an object: every check must validate what it
is handed again. Each adversary below wins, crashes the run, or gets a refused value accepted (it
then stops with `InvalidValueAccepted`, a lost trial counted under that name) as long as some check
trusts the type of what it gets.

Loadable as a file plugin: `mpgames run GAME --adversary tests/hostile/bypass.py:ClassName`.
"""

from __future__ import annotations

import functools
from dataclasses import fields
from typing import Any, TypeVar

from mpgames.adversaries.base import Adversary
from mpgames.framework.view import View
from mpgames.games.aa_extract import Equivocation
from mpgames.games.ring_uf import RingForgery
from mpgames.scheme import schnorr
from mpgames.scheme.assertions import AUXSK_LEN, Asserter, Assertion, AssertionLevel, AssertionPublicKey
from mpgames.scheme.channel_tx import ESCROW_NONCE_LEN, EscrowTerms, EscrowTx, UpdateTx
from mpgames.scheme.errors import SchemeError
from mpgames.scheme.groups import Group
from mpgames.scheme.microcoin import (
    SEED_LEN,
    Aux,
    ChainTerms,
    Link,
    PayWordCoin,
    PayWordGen,
    get_variant,
    link_randomness,
)
from mpgames.scheme.microcoin_tx import CommitTx
from mpgames.scheme.micropay import Payment
from mpgames.scheme.pebbling import PebbledChain
from mpgames.scheme.randomness import RandomSource
from mpgames.scheme.ring import RingSignature
from mpgames.scheme.schnorr import PublicKey, SecretKey, Signature
from mpgames.scheme.vouchers import RingVoucher, Voucher

T = TypeVar("T")
MESSAGE = b"hostile: pay 1000 coins to Mallory"
OVERSIZED = 2**5000


class InvalidValueAccepted(Exception):
    """The challenger accepted a value its own constructor refuses (the trial is lost under this name)."""


def forged(cls: type[T], **values: Any) -> T:
    """An instance of `cls` made without its constructor, holding exactly `values`."""
    obj = object.__new__(cls)
    for name, value in values.items():
        object.__setattr__(obj, name, value)
    return obj


def forged_like(template: T, **changes: Any) -> T:
    """A copy of the dataclass `template` made without its constructor, with `changes` applied."""
    values = {f.name: getattr(template, f.name) for f in fields(template)}  # type: ignore[arg-type]
    return forged(type(template), **{**values, **changes})


def raw_key(group: Group, y: int) -> PublicKey:
    return forged(PublicKey, group=group, y=y)


def degenerate_keys(group: Group, y: int) -> dict[str, int]:
    """Key values PublicKey refuses: 1, 0, p − 1 (order 2), p, p − y (order 2q), and an element of
    small order (some h^q ∉ {1, p − 1}, where (p − 1)/q has one)."""
    keys = {"1": 1, "0": 0, "p-1": group.p - 1, "p": group.p, "p-y": group.p - y}
    small = (pow(h, group.q, group.p) for h in range(2, 64))
    keys["small-order"] = next((z for z in small if z not in (1, group.p - 1)), group.p - 1)
    return keys


# -- keys of order 2q: y' = p − y = −y -------------------------------------------------------------


def sign_half_order(sk: SecretKey, key: PublicKey, message: bytes, rng: RandomSource) -> Signature:
    """σ under y' = −y: R' = g^s·y'^(q−e) = R·(−1)^(q−e), so σ verifies whenever e is odd (retry)."""
    oracle = functools.partial(schnorr.challenge, key)
    while True:
        sig = schnorr.sign(sk, message, rng, oracle=oracle)
        if sig.e % 2:
            return sig


def even_tree(sk: SecretKey, depth: int, contexts: tuple[int, ...], rng: RandomSource) -> bytes:
    """An auxsk whose internal openings on the paths of `contexts` are all even: under y' = −y the
    chameleon value of an opening r' is (−1)^r'·V, the true V iff r' is even."""
    while True:
        auxsk = rng.randbytes(AUXSK_LEN)
        paths = [Asserter(sk, auxsk, depth).assert_(ct, b"probe").levels[1:] for ct in contexts]
        if all(level.r % 2 == 0 for path in paths for level in path):
            return auxsk


def even_assertion(sk: SecretKey, auxsk: bytes, depth: int, ct: int, statement: bytes) -> Assertion | None:
    """The assertion of `statement` in context ct if its leaf opening is even too (else None)."""
    tau = Asserter(sk, auxsk, depth).assert_(ct, statement)
    return tau if tau.levels[0].r % 2 == 0 else None


class HalfOrderAssertionKey(Adversary):
    """aa.extract with apk.pk = p − y (order 2q): two assertions with even openings verify under it,
    Extract finds x with g^x = y, and "g^x ≠ y'" reads as a missed key."""

    id = "hostile.bypass.half-order-assertion-key"
    label = "assertion key p - y, even openings"
    targets = ("aa.extract",)
    expect = "null"

    def attack(self, view: View, rng: RandomSource) -> Equivocation:
        pk, sk = schnorr.keygen(view.group, rng)
        auxsk = even_tree(sk, view.depth, (0,), rng)
        root = Asserter(sk, auxsk, view.depth).public.root
        apk = forged(
            AssertionPublicKey,
            pk=raw_key(view.group, view.group.p - pk.y),
            root=root,
            depth=view.depth,
            variant="fixed",
        )
        found: list[tuple[bytes, Assertion]] = []
        for i in range(64):
            statement = b"statement %d" % i
            tau = even_assertion(sk, auxsk, view.depth, 0, statement)
            if tau is not None:
                found.append((statement, tau))
            if len(found) == 2:
                break
        (st0, tau0), (st1, tau1) = found
        return Equivocation(apk, 0, st0, st1, tau0, tau1)


class HalfOrderPayer:
    """A payer of mp.ds / mp.profit whose escrow (and assertion) key is y' = p − y."""

    def __init__(self, view: View, rng: RandomSource) -> None:
        self.view, self.rng = view, rng
        pk, self.sk = schnorr.keygen(view.group, rng)
        self.key = raw_key(view.group, view.group.p - pk.y)
        self.auxsk = even_tree(self.sk, view.depth, (0,), rng)
        root = Asserter(self.sk, self.auxsk, view.depth).public.root
        self.apk = forged(AssertionPublicKey, pk=self.key, root=root, depth=view.depth, variant="fixed")

    def open(self, deposit: int, penalty: int, close_by: int) -> Voucher:
        view, t_conf = self.view, self.view.schedule.t_conf
        honest = EscrowTerms(self.sk.public, view.merchant, deposit, penalty, close_by, t_conf)
        terms = forged_like(honest, payer=self.key, apk=self.apk)
        nonce = self.rng.randbytes(ESCROW_NONCE_LEN)
        signature = sign_half_order(self.sk, self.key, EscrowTx.message(terms, nonce), self.rng)
        escrow = EscrowTx(terms, nonce, signature)
        self.cid = escrow.cid
        return view.open(escrow)

    def pay(self, pos: int, voucher: Voucher, prices: range) -> int:
        """Spend `voucher` at B_pos for the first price whose assertion has an even leaf opening."""
        view, state = self.view, voucher.state
        while True:
            nonce = view.nonce(pos)
            for price in prices:
                statement = view.vouchers.statement(self.cid, nonce, price)
                tau = even_assertion(self.sk, self.auxsk, view.depth, state.index, statement)
                if tau is not None:
                    unsigned = UpdateTx(self.cid, state.paid + price)
                    signature = sign_half_order(self.sk, self.key, unsigned.message(), self.rng)
                    update = UpdateTx(self.cid, unsigned.paid, signature)
                    view.spend(pos, Payment(voucher, price, nonce, update, tau))
                    return price


class HalfOrderEscrowKey(Adversary):
    """The review's attack: escrow locked under y' = p − y, signatures with odd e and assertions with
    even openings verify, the first voucher is spent at every point of sale, and Extract recovers an
    x with g^x = y ≠ y': no key, no penalty (mp.profit: profit = the forks minus one price)."""

    id = "hostile.bypass.half-order-escrow-key"
    label = "escrow key p - y, double spend"
    targets = ("mp.ds", "mp.profit")
    expect = "null"

    def attack(self, view: View, rng: RandomSource) -> None:
        payer = HalfOrderPayer(view, rng)
        if "penalty" in view:
            voucher = payer.open(view.deposit, view.penalty, view.close_by)
            prices = range(view.u2, view.u1 - 1, -1)
        else:
            voucher, prices = payer.open(8, 4, view.schedule.close_time(view.now, 1)), range(2, 0, -1)
        for pos in range(len(view.points_of_sale)):
            payer.pay(pos, voucher, prices)


# -- degenerate and oversized keys -------------------------------------------------------------------


def forgeable_signature(key: PublicKey, message: bytes, rng: RandomSource) -> Signature:
    """A signature that verifies under y ∈ {0, p} (R' = 0), y = 1 (R' = g^s) or y = p − 1 (R' = ±g^s):
    no secret needed."""
    group = key.group
    while True:
        s = group.random_scalar(rng)
        commitment = 0 if key.y % group.p == 0 else group.gexp(s)
        e = schnorr.challenge(key, commitment, message)
        if key.y != group.p - 1 or (group.q - e) % 2 == 0:
            return Signature(e, s)


class InvalidEscrowKey(Adversary):
    """Offers escrows locked under y = 1, 0, p − 1, p, with signatures anyone can make under them."""

    id = "hostile.bypass.invalid-escrow-key"
    label = "escrow under y = 1, 0, p-1, p"
    targets = ("mp.ds", "mp.profit")
    expect = "null"

    def attack(self, view: View, rng: RandomSource) -> None:
        group, profit = view.group, "penalty" in view
        deposit, penalty = (view.deposit, view.penalty) if profit else (8, 4)
        close_by = view.close_by if profit else view.schedule.close_time(view.now, 1)
        for name, y in {"1": 1, "0": 0, "p-1": group.p - 1, "p": group.p}.items():
            key = raw_key(group, y)
            apk = forged(AssertionPublicKey, pk=key, root=1, depth=view.depth, variant="fixed")
            terms = forged(
                EscrowTerms,
                payer=key,
                payee=view.merchant,
                deposit=deposit,
                penalty=penalty,
                close_by=close_by,
                t_conf=view.schedule.t_conf,
                apk=apk,
            )
            nonce = rng.randbytes(ESCROW_NONCE_LEN)
            escrow = EscrowTx(terms, nonce, forgeable_signature(key, EscrowTx.message(terms, nonce), rng))
            try:
                view.open(escrow)
            except SchemeError:
                continue
            raise InvalidValueAccepted(f"an escrow under y = {name}")


class InvalidPayeeKey(Adversary):
    """Type II set-up with payee keys y_R = 0, 1, p − 1, p, p − y, small order (mc.type2 accepts them
    all: it checks the key's group only)."""

    id = "hostile.bypass.invalid-payee-key"
    label = "coin set for y_R = 0, 1, p-1, p, p-y, small order"
    targets = ("mc.type2",)
    expect = "null"

    def query(self, view: View, rng: RandomSource) -> None:
        for name, y in degenerate_keys(view.group, view.pk.y).items():
            try:
                view.setup(4, 4, raw_key(view.group, y))
            except SchemeError:
                continue
            raise InvalidValueAccepted(f"payee key y_R = {name}")

    def forge(self, view: View, rng: RandomSource) -> None:
        return None


class OversizedPayeeKey(Adversary):
    """Type II set-up with y_R = 2^5000, then −1: encoding the COMMIT overflows inside O_setup."""

    id = "hostile.bypass.oversized-payee-key"
    label = "coin set for y_R = 2^5000, -1"
    targets = ("mc.type2",)
    expect = "null"

    def query(self, view: View, rng: RandomSource) -> None:
        for y in (OVERSIZED, -1):
            try:
                view.setup(4, 4, raw_key(view.group, y))
            except SchemeError:
                continue
            raise InvalidValueAccepted(f"payee key y_R = {y}")

    def forge(self, view: View, rng: RandomSource) -> None:
        return None


# -- assertions, states, COMMITs, Aux and ring signatures with refused fields -------------------------


def bad_sibling(rng: RandomSource) -> object:
    """A sibling entry no Assertion accepts: oversized, negative, or a str."""
    return (OVERSIZED, -5, "0x1f")[rng.randbelow(3)]


def with_bad_sibling(tau: Assertion, rng: RandomSource) -> Assertion:
    """τ made without its constructor, the sibling at its top (internal) level replaced."""
    top = AssertionLevel(tau.levels[-1].r, bad_sibling(rng))
    return forged(Assertion, group=tau.group, levels=(*tau.levels[:-1], top))


class BadSiblingAssertion(Adversary):
    """An honest assertion whose top-level sibling entry is 2^5000, −5 or a str: hashing it into the
    parent's digest overflows (aa.extract: in the predicate; mp.ds: inside a point of sale's check)."""

    id = "hostile.bypass.bad-sibling-assertion"
    label = "assertion with an oversized / negative / str sibling"
    targets = ("aa.extract", "mp.ds")
    expect = "null"

    def attack(self, view: View, rng: RandomSource) -> object:
        pk, sk = schnorr.keygen(view.group, rng)
        auxsk = rng.randbytes(AUXSK_LEN)
        asserter = Asserter(sk, auxsk, view.depth)
        if "open" not in view:  # aa.extract
            tau0, tau1 = asserter.assert_(0, b"st0"), Asserter(sk, auxsk, view.depth).assert_(0, b"st1")
            return Equivocation(asserter.public, 0, b"st0", b"st1", with_bad_sibling(tau0, rng), tau1)
        close_by = view.schedule.close_time(view.now, 1)
        terms = EscrowTerms(pk, view.merchant, 8, 4, close_by, view.schedule.t_conf, asserter.public)
        escrow = EscrowTx.create(sk, terms, rng)
        voucher = view.open(escrow)
        nonce = view.nonce(0)
        tau = asserter.assert_(0, view.vouchers.statement(escrow.cid, nonce, 1))
        update = UpdateTx.create(sk, escrow.cid, 1, rng)
        view.spend(0, Payment(voucher, 1, nonce, update, with_bad_sibling(tau, rng)))
        return None


class BadFieldState(Adversary):
    """O_cert on a channel state made without its constructor, its expiry T a float: encoding the
    state to sign it raises inside the oracle."""

    id = "hostile.bypass.bad-field-state"
    label = "state to sign with a float expiry"
    targets = ("mp.uf", "mp.ul")
    expect = "null"

    def attack(self, view: View, rng: RandomSource) -> object:
        view.cert(0, forged_like(view.sample_state, expiry=2.5))
        return None


class BadFieldCommit(Adversary):
    """O_commit with a COMMIT made without its constructor, its nonce None: encoding it to check σ_U
    raises inside the ledger's rules."""

    id = "hostile.bypass.bad-field-commit"
    label = "COMMIT with nonce None"
    targets = ("mc.type1",)
    expect = "null"

    def commit(self, view: View, rng: RandomSource) -> None:
        sk = SecretKey(view.group, view.x)
        gen = PayWordGen(sk, view.payee, 40, 8, view.now + 50, variant=get_variant(view.variant), rng=rng)
        view.commit(CommitTx(forged_like(gen.commit, nonce=None), gen.signature))

    def pay(self, view: View, rng: RandomSource) -> None:
        return None


class ForgedAuxTerms(Adversary):
    """An Aux whose derived (n, v) says 2n coins while its COMMIT binds n: the payee's channel reads n
    from Aux.terms and accepts coin 2n, beyond the n recorded on the ledger."""

    id = "hostile.bypass.forged-aux-terms"
    label = "Aux.terms = (2n, v) for a COMMIT of n coins"
    targets = ("mc.type1",)
    expect = "null"

    def commit(self, view: View, rng: RandomSource) -> None:
        self.sk = SecretKey(view.group, view.x)
        variant = get_variant(view.variant)
        self.gen = PayWordGen(self.sk, view.payee, 40, 8, view.now + 50, variant=variant, rng=rng)
        view.commit(CommitTx(self.gen.commit, self.gen.signature))

    def pay(self, view: View, rng: RandomSource) -> None:
        gen, commit = self.gen, self.gen.commit
        chain_hash, longer = commit.variant.chain_hash, 2 * commit.terms.n
        top = chain_hash.seed_word(gen.cid, rng.randbytes(SEED_LEN))
        chain = PebbledChain(functools.partial(chain_hash.step, gen.cid), longer, top)
        r = link_randomness(self.sk, gen.root_opening, gen.cid, commit.terms, chain.anchor)
        aux = Aux(commit, gen.signature, Link(chain.anchor, r))
        object.__setattr__(aux, "terms", ChainTerms(longer, commit.terms.v))
        view.accept(aux)
        view.pay(PayWordCoin(gen.cid, longer, chain.word(longer)))


class LengthLyingRing(Adversary):
    """A ring signature made without its constructor whose responses are a tuple subclass with five
    entries and `len()` = the ring size: the count check passes and `zip(strict=True)` raises."""

    id = "hostile.bypass.length-lying-ring"
    label = "ring signature with a lying len()"
    targets = ("ring.uf", "ring.uf.rom", "mp.uf")
    expect = "null"

    def attack(self, view: View, rng: RandomSource) -> object:
        keys = view.get("ring") or view.points_of_sale

        class Responses(tuple):  # type: ignore[type-arg]
            def __len__(self) -> int:
                return len(keys)

        group = view.group
        s = Responses(group.random_scalar(rng) for _ in range(len(keys) + 1))
        sig = forged(RingSignature, c0=group.random_scalar(rng), s=s)
        if "ring" in view:
            return RingForgery(MESSAGE, sig)
        return RingVoucher(view.sample_state, sig)
