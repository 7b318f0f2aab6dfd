"""Class 1, lying comparisons: values of `int`/`bytes`/scheme-class subclasses whose `==`, `!=`, `>`
or `bytes()` lie, handed to the challenger as oracle arguments or in a stage's output.

Each adversary below wins its secure target(s) as long as the challenger compares, hashes or encodes
the adversary's own objects; once every value is converted into a fresh object of the challenger's
exact types before use, each of them loses every trial (the guessing ones fall back to chance). The
"honest content" of every lying value is a losing answer: a signature that does not verify, a
message that was signed, a random guess, so that the canonical copy loses too.

Loadable as a file plugin: `mpgames run GAME --adversary tests/hostile/lies.py:ClassName`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import fields, replace
from typing import Any, TypeVar

from mpgames.adversaries.base import Adversary
from mpgames.framework.view import View
from mpgames.games.aa_extract import Equivocation
from mpgames.games.ch_cr import Collision
from mpgames.games.mc_type1 import distinct_keypair
from mpgames.games.ring_uf import RingForgery
from mpgames.games.sig_euf_cma import Forgery
from mpgames.scheme import assertions, ring, schnorr
from mpgames.scheme.assertions import AUXSK_LEN, Asserter
from mpgames.scheme.channel_tx import ESCROW_NONCE_LEN, EscrowTerms, EscrowTx, UpdateTx
from mpgames.scheme.groups import Group
from mpgames.scheme.microcoin import (
    SEED_LEN,
    Aux,
    ChainTerms,
    Commit,
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
from mpgames.scheme.vouchers import RingVoucher, SchnorrVoucher, Voucher, state_message

T = TypeVar("T")
MESSAGE = b"hostile: pay 1000 coins to Mallory"

# -- the lying values ------------------------------------------------------------------------------


class AlwaysEqualInt(int):
    """An int equal to everything (and different from nothing)."""

    def __eq__(self, other: object) -> bool:
        return True

    def __ne__(self, other: object) -> bool:
        return False

    __hash__ = int.__hash__


class NeverEqualInt(int):
    """An int equal to nothing, not even to itself."""

    def __eq__(self, other: object) -> bool:
        return False

    def __ne__(self, other: object) -> bool:
        return True

    __hash__ = int.__hash__


class OnceEqualInt(int):
    """An int that says "equal" to the first comparison and answers honestly afterwards."""

    def __eq__(self, other: object) -> bool:
        first = not self.__dict__.get("asked", False)
        self.__dict__["asked"] = True
        return True if first else int(self) == other

    __hash__ = int.__hash__


class AboveAllInt(AlwaysEqualInt):
    """Equal to everything and greater than everything, honest otherwise (<=, >=, <)."""

    def __gt__(self, other: object) -> bool:
        return True


class NeverEqualBytes(bytes):
    """Bytes equal to nothing, not even to an identical byte string."""

    def __eq__(self, other: object) -> bool:
        return False

    def __ne__(self, other: object) -> bool:
        return True

    __hash__ = bytes.__hash__


class AliasBytes(bytes):
    """Holds one byte string (`==`, `len`, the buffer) but hands `bytes()`, and so every encoding, another."""

    alias: bytes

    def __new__(cls, content: bytes, alias: bytes) -> AliasBytes:
        value = super().__new__(cls, content)
        value.alias = alias
        return value

    def __bytes__(self) -> bytes:
        return self.alias


def forged_like(template: T, **changes: Any) -> T:
    """A copy of the dataclass `template` with `changes`, made without its constructor: whatever
    the constructor would check, the hostile field reaches the challenger as it is."""
    obj = object.__new__(type(template))
    for f in fields(template):  # type: ignore[arg-type]
        object.__setattr__(obj, f.name, changes.get(f.name, getattr(template, f.name)))
    return obj


def non_verifying(draw: Callable[[], Any], verifies: Callable[[Any], bool]) -> Any:
    """A random candidate that does not verify honestly (on toy rings 1/q of them do)."""
    candidate = draw()
    while verifies(candidate):
        candidate = draw()
    return candidate


# -- signatures, ring signatures and vouchers ------------------------------------------------------


class ForgedEquality(Adversary):
    """Lying `==` in verification: a random (e, s) or (c_0, s_i) whose e / c_0 equals every hash, so
    `H(R', y, m) == e` (Schnorr) or `c == c_0` (the ring closes) holds for a message never signed."""

    id = "hostile.lie.always-equal-challenge"
    label = "challenge scalar whose == is always True"
    targets = ("sig.euf-cma", "sig.euf-cma.rom", "ring.uf", "ring.uf.rom", "mp.uf")
    expect = "null"

    def attack(self, view: View, rng: RandomSource) -> object:
        group: Group = view.group
        if "pk" in view:
            sig = non_verifying(
                lambda: Signature(group.random_scalar(rng), group.random_scalar(rng)),
                lambda s: schnorr.verify(s, view.pk, MESSAGE),
            )
            return Forgery(MESSAGE, forged_like(sig, e=AlwaysEqualInt(sig.e)))
        if "ring" in view:
            return RingForgery(MESSAGE, lying_ring_signature(view.ring, MESSAGE, rng))
        keys, state = view.points_of_sale, replace(view.sample_state, paid=view.sample_state.deposit)
        if view.variant == "micropay2":  # a Schnorr voucher, verified under the key of the state's pos
            sig = non_verifying(
                lambda: Signature(group.random_scalar(rng), group.random_scalar(rng)),
                lambda s: SchnorrVoucher(state, s).verify(keys[state.pos]),
            )
            return SchnorrVoucher(state, forged_like(sig, e=AlwaysEqualInt(sig.e)))
        return RingVoucher(state, lying_ring_signature(keys, state_message(state), rng))


def lying_ring_signature(keys: tuple[PublicKey, ...], message: bytes, rng: RandomSource) -> RingSignature:
    """A random ring signature that does not close honestly, its c_0 equal to every hash."""
    group = keys[0].group
    sig = non_verifying(
        lambda: RingSignature(group.random_scalar(rng), tuple(group.random_scalar(rng) for _ in keys)),
        lambda s: ring.verify(keys, message, s),
    )
    return forged_like(sig, c0=AlwaysEqualInt(sig.c0))


class UnequalEcho(Adversary):
    """Lying `!=`/`==` in the freshness check: have m (or a state) signed, then hand the same m back as
    a byte string / state that equals nothing, so "m* was never queried" holds for a signed m."""

    id = "hostile.lie.never-equal-echo"
    label = "echo a signed message that equals nothing"
    targets = ("sig.euf-cma", "sig.euf-cma.rom", "ring.uf", "ring.uf.rom", "mp.uf")
    expect = "null"

    def attack(self, view: View, rng: RandomSource) -> object:
        if "sign" in view:
            return Forgery(NeverEqualBytes(MESSAGE), view.sign(MESSAGE))
        if "ring" in view:
            return RingForgery(NeverEqualBytes(MESSAGE), view.cert(0, MESSAGE))
        voucher = view.cert(0, view.sample_state)
        return replace(voucher, state=forged_like(voucher.state, cid=NeverEqualBytes(voucher.state.cid)))


class BytesAlias(Adversary):
    """Lying `bytes()`: query with a byte string whose content is a decoy but whose `bytes()` is m,
    so the oracle signs m while its log holds the decoy; then output m with that signature."""

    id = "hostile.lie.bytes-alias"
    label = "query a decoy whose bytes() is the target"
    targets = ("sig.euf-cma", "sig.euf-cma.rom", "ring.uf", "ring.uf.rom", "mp.uf")
    expect = "null"

    def attack(self, view: View, rng: RandomSource) -> object:
        decoy = AliasBytes(b"decoy: pay 1 coin to Alice", MESSAGE)
        if "sign" in view:
            return Forgery(MESSAGE, view.sign(decoy))
        if "ring" in view:
            return RingForgery(MESSAGE, view.cert(0, decoy))
        cid = view.sample_state.cid
        voucher = view.cert(0, forged_like(view.sample_state, cid=AliasBytes(rng.randbytes(len(cid)), cid)))
        return replace(voucher, state=forged_like(voucher.state, cid=cid))


# -- guesses -----------------------------------------------------------------------------------------


def random_guess(view: View, rng: RandomSource) -> int:
    """A uniform guess of the game's secret: the bit b, the signer i*, or the key ask."""
    if "exposed_keys" in view and "ring" in view:  # ring.anon
        view.challenge(MESSAGE, 0, 1)
        return rng.randbelow(2)
    if "points_of_sale" in view:  # mp.ul
        view.challenge(view.sample_state)
        return rng.randbelow(len(view.points_of_sale))
    return view.group.random_secret(rng)  # aa.secrecy


class AgreeableGuess(Adversary):
    """Lying `==` in the win predicate: a uniform guess that equals every secret (b, i*, ask)."""

    id = "hostile.lie.always-equal-guess"
    label = "guess whose == is always True"
    targets = ("ring.anon", "mp.ul", "aa.secrecy")
    expect = "null"

    def attack(self, view: View, rng: RandomSource) -> int:
        return AlwaysEqualInt(random_guess(view, rng))


class FickleGuess(Adversary):
    """A comparison that changes between calls: a uniform guess that says "equal" to the first
    comparison only, which is the win predicate's `guess == secret`."""

    id = "hostile.lie.once-equal-guess"
    label = "guess equal on the first comparison only"
    targets = ("mp.ul", "aa.secrecy")
    expect = "null"

    def attack(self, view: View, rng: RandomSource) -> int:
        return OnceEqualInt(random_guess(view, rng))


class ReusedContext(Adversary):
    """Lying `==`/hash in the oracle's bookkeeping: asks Assert'(ct, st0) and Assert'(ct, st1) with two
    copies of ct that equal nothing, so the asserter's used-context set and the game's record Q each
    see two different contexts; two statements in one context then give the real key by Extract."""

    id = "hostile.lie.reused-context"
    label = "one context twice, under two unequal copies"
    targets = ("aa.secrecy",)
    expect = "null"

    def attack(self, view: View, rng: RandomSource) -> int:
        ct = rng.randbelow(view.apk.contexts)
        statements = (b"st0", b"st1")
        tau0, tau1 = (view.assert_(NeverEqualInt(ct), st) for st in statements)
        x = assertions.extract(view.apk, ct, *statements, tau0, tau1)
        return view.group.random_secret(rng) if x is None else x


# -- chameleon hash and assertions -------------------------------------------------------------------


class SelfDistinctCollision(Adversary):
    """Lying `!=` in "m0 ≠ m1": one opening (m, r) presented twice, the first m unequal to itself."""

    id = "hostile.lie.self-distinct-collision"
    label = "one opening twice, m0 != m1 by a lie"
    targets = ("ch.cr",)
    expect = "null"

    def attack(self, view: View, rng: RandomSource) -> Collision:
        m, r = view.group.random_scalar(rng), view.group.random_scalar(rng)
        return Collision(NeverEqualInt(m), r, m, r)


class UnequalStatements(Adversary):
    """Lying `!=` in "st0 ≠ st1": one honest assertion presented for a statement and for itself, the
    first copy unequal to the second; Extract sees one statement and returns ⊥."""

    id = "hostile.lie.unequal-statements"
    label = "one assertion, st0 != st1 by a lie"
    targets = ("aa.extract",)
    expect = "null"

    def attack(self, view: View, rng: RandomSource) -> Equivocation:
        _pk, sk = schnorr.keygen(view.group, rng)
        asserter = Asserter(sk, rng.randbytes(AUXSK_LEN), view.depth)
        tau = asserter.assert_(0, MESSAGE)
        return Equivocation(asserter.public, 0, NeverEqualBytes(MESSAGE), MESSAGE, tau, tau)


# -- microcoins ----------------------------------------------------------------------------------------

# Type I coin sets: n coins of value v.
N, V = 8, 5


def commit_coins(view: View, rng: RandomSource) -> PayWordGen:
    """Commit n coins of value v to the game's payee through O_commit; the payer's generator."""
    sk, variant = SecretKey(view.group, view.x), get_variant(view.variant)
    gen = PayWordGen(sk, view.payee, N * V, N, view.now + 50, variant=variant, rng=rng)
    view.commit(CommitTx(gen.commit, gen.signature))
    return gen


class OverIndexedCoin(Adversary):
    """Lying `>` in "j > n": an honest coin c_n whose index says it is greater than everything, so
    Transact (j_last < j) accepts it and the predicate (j > n as recorded) counts an overspend."""

    id = "hostile.lie.over-indexed-coin"
    label = "coin c_n whose index claims to exceed n"
    targets = ("mc.type1",)
    expect = "null"

    def commit(self, view: View, rng: RandomSource) -> None:
        self.gen = commit_coins(view, rng)
        self.gen.chain()
        self.aux = self.gen.link()

    def pay(self, view: View, rng: RandomSource) -> None:
        view.accept(self.aux)
        coin = self.gen.coin(N)
        view.pay(forged_like(coin, index=AboveAllInt(N)))


class TwinCommit(Commit):
    """A COMMIT equal to every COMMIT, whose cid is the recorded one whatever it says."""

    def __eq__(self, other: object) -> bool:
        return True

    def __ne__(self, other: object) -> bool:
        return False

    __hash__ = object.__hash__

    @property
    def cid(self) -> bytes:  # type: ignore[override]
        return self.__dict__["recorded"]


class LyingCommitAux(Adversary):
    """Lying `!=` in AcceptLink ("the ledger records this COMMIT"): an Aux whose COMMIT claims 2n coins
    and equals the recorded one (n coins); the payee accepts coin 2n, beyond the recorded n."""

    id = "hostile.lie.twin-commit"
    label = "Aux with a COMMIT that equals the recorded one"
    targets = ("mc.type1",)
    expect = "null"

    def commit(self, view: View, rng: RandomSource) -> None:
        self.sk = SecretKey(view.group, view.x)
        self.gen = commit_coins(view, rng)

    def pay(self, view: View, rng: RandomSource) -> None:
        gen, claimed, chain_hash = self.gen, ChainTerms(2 * N, V), self.gen.commit.variant.chain_hash
        twin = object.__new__(TwinCommit)
        for f in fields(Commit):
            object.__setattr__(twin, f.name, getattr(gen.commit, f.name))
        for name, value in (("b", 2 * N * V), ("terms", claimed), ("recorded", gen.cid)):
            object.__setattr__(twin, name, value)
        top = chain_hash.seed_word(gen.cid, rng.randbytes(SEED_LEN))
        chain = PebbledChain(functools.partial(chain_hash.step, gen.cid), claimed.n, top)
        link = Link(chain.anchor, link_randomness(self.sk, gen.root_opening, gen.cid, claimed, chain.anchor))
        view.accept(forged_like(Aux(gen.commit, gen.signature, link), commit=twin, terms=claimed))
        view.pay(PayWordCoin(gen.cid, claimed.n, chain.word(claimed.n)))


class ChameleonIndexCoin(Adversary):
    """Lying `==`/`>` in Type II: the coin c_l it was paid, its index equal to l* and above l, so the
    payee's Transact accepts it (no hashing needed) as the unpaid coin l*."""

    id = "hostile.lie.chameleon-index-coin"
    label = "paid coin c_l whose index equals l*"
    targets = ("mc.type2",)
    expect = "null"

    def query(self, view: View, rng: RandomSource) -> None:
        payee, _ = distinct_keypair(view.group, rng, view.pk)
        view.setup(4, 4, payee)
        self.paid = view.coin()

    def forge(self, view: View, rng: RandomSource) -> object:
        return forged_like(self.paid, index=AboveAllInt(self.paid.index))


# -- micropay payers ---------------------------------------------------------------------------------


class Payer:
    """A payer of mp.ds / mp.profit built from scheme primitives; its escrow key is y wrapped in
    `wrap` (NeverEqualInt: a y that equals nothing, so Extract's check g^x == y fails)."""

    def __init__(self, view: View, rng: RandomSource, wrap: Callable[[int], int] = int) -> None:
        self.view, self.rng = view, rng
        _pk, self.sk = schnorr.keygen(view.group, rng)
        self.pk = forged_like(self.sk.public, y=wrap(self.sk.public.y))
        self.auxsk = rng.randbytes(AUXSK_LEN)
        self.tree = Asserter(self.sk, self.auxsk, view.depth).public
        self.apk = forged_like(self.tree, pk=self.pk)

    def open(self, deposit: int, penalty: int, close_by: int) -> Voucher:
        view, t_conf = self.view, self.view.schedule.t_conf
        honest = EscrowTerms(self.sk.public, view.merchant, deposit, penalty, close_by, t_conf, self.tree)
        terms = forged_like(honest, payer=self.pk, apk=self.apk)
        nonce = self.rng.randbytes(ESCROW_NONCE_LEN)
        # The bytes σ_A signs are the same for the honest and the hostile terms.
        escrow = EscrowTx(terms, nonce, schnorr.sign(self.sk, EscrowTx.message(honest, nonce), self.rng))
        self.cid = escrow.cid
        return view.open(escrow)

    def pay(self, pos: int, voucher: Voucher, price: int) -> Voucher:
        """Pay at B_pos with `voucher`, asserting with a fresh copy of the tree (a double spend if reused)."""
        view, state = self.view, voucher.state
        nonce = view.nonce(pos)
        statement = view.vouchers.statement(self.cid, nonce, price)
        tau = Asserter(self.sk, self.auxsk, view.depth).assert_(int(state.index), statement)
        update = UpdateTx.create(self.sk, self.cid, int(state.paid) + price, self.rng)
        return view.spend(pos, Payment(voucher, price, nonce, update, tau))


class UnequalPayerKey(Adversary):
    """Lying `==` on the payer's key: the first voucher spent at every point of sale; Extract returns
    x, but "g^x = pk_A" compares with a y that equals nothing, so no key and no penalty."""

    id = "hostile.lie.never-equal-payer-key"
    label = "double spend under a key that equals nothing"
    targets = ("mp.ds", "mp.profit")
    expect = "null"

    def attack(self, view: View, rng: RandomSource) -> None:
        payer = Payer(view, rng, NeverEqualInt)
        if "penalty" in view:  # mp.profit: B's channel, N forks of u2 in the first slot
            voucher, price = payer.open(view.deposit, view.penalty, view.close_by), view.u2
        else:
            voucher, price = payer.open(8, 4, view.schedule.close_time(view.now, 1)), 2
        for pos in range(len(view.points_of_sale)):
            payer.pay(pos, voucher, price)


class UnequalCounter(Adversary):
    """Lying `==` on the voucher counter k: the first voucher is spent at every point of sale, each
    time as a copy whose k equals nothing, so B's synchronization files the spends under different
    contexts (a dict keyed by k), finds no conflict, extracts nothing and penalizes nobody."""

    id = "hostile.lie.never-equal-counter"
    label = "forks whose counters equal nothing"
    targets = ("mp.profit",)
    expect = "null"

    def attack(self, view: View, rng: RandomSource) -> None:
        payer = Payer(view, rng)
        voucher = payer.open(view.deposit, view.penalty, view.close_by)
        for pos in range(len(view.points_of_sale)):
            state = forged_like(voucher.state, index=NeverEqualInt(voucher.state.index))
            payer.pay(pos, replace(voucher, state=state), view.u2)
