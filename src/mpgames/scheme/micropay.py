"""Payment channels with unsynchronized points of sale: the core shared by Micropay 2 and 3 (spec §5.4–§5.5).

Parties and their state:
* the payer A (`Payer`, one `Wallet` per channel): its escrow key, an accountable-assertion tree per
  channel, its current voucher and the contexts (voucher counters k) it has asserted in;
* the points of sale B_1..B_n (`PointOfSale`): a local log, the blacklist X and the latest states S
  that B pushed at the last synchronization; each checks a payment in the spec's order and raises
  `RuleViolation` naming the failed check;
* the merchant B (`Merchant`): opens channels (first voucher), synchronizes once per slot T̄ (merge the
  logs, group by (cid, k), extract the payer's key from conflicting statements, broadcast the
  PenaltyTx, blacklist, push (X, S)) and closes channels with the best UpdateTx.

What differs between the two protocols is the voucher (`VoucherScheme`): Micropay 2 signs states that
name the point of sale with its Schnorr key and asserts st = r; Micropay 3 ring-signs states with an
expiry T' and asserts st = enc(cid, r, x) (`mpgames.scheme.micropay2`, `mpgames.scheme.micropay3`).

A cheating payer uses the same wallet: `Wallet.pay(pos, price, voucher=old, force=True)` (or
`build_payment`) presents an old voucher again. An honest wallet refuses a used context; forcing it
asserts with a clone of the wallet's tree (the same secrets on a second device), which is exactly an
equivocation that synchronization turns into the payer's key.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Generic, Protocol, TypeVar

from mpgames.scheme import assertions, schnorr
from mpgames.scheme.assertions import AUXSK_LEN, DEFAULT_DEPTH, Asserter, Assertion
from mpgames.scheme.channel_tx import (
    EscrowTerms,
    EscrowTx,
    PenaltyTx,
    RefundTx,
    UpdateTx,
    open_escrow,
    require_signature,
)
from mpgames.scheme.errors import ContextReusedError, RuleViolation, SchemeError, VerificationError
from mpgames.scheme.groups import Group
from mpgames.scheme.ledger import Ledger
from mpgames.scheme.penalty import PenaltyBounds
from mpgames.scheme.randomness import RandomSource, resolve
from mpgames.scheme.revalidate import NotCanonicalError, canonical
from mpgames.scheme.schnorr import PublicKey, SecretKey
from mpgames.scheme.vouchers import Mp2State, Mp3State, Voucher

# Bytes of a point of sale's nonce r (spec §5.5: r ←$ {0,1}^128).
NONCE_LEN = 16

ChannelState = Mp2State | Mp3State


def channel_state(voucher: Voucher) -> ChannelState:
    """The Micropay 2/3 state a voucher carries (`SchemeError` for a Micropay 1 voucher or a non-voucher)."""
    state = getattr(voucher, "state", None)
    if not isinstance(state, Mp2State | Mp3State):
        raise SchemeError("not a Micropay 2/3 voucher")
    return state


def check_price(price: object) -> int:
    """A purchase's price x: a positive integer (RuleViolation "tx-amount" otherwise)."""
    if not isinstance(price, int) or isinstance(price, bool) or price < 1:
        raise RuleViolation("tx-amount", "a price must be a positive integer")
    return price


@dataclass(frozen=True)
class Schedule:
    """B's synchronization schedule: slots of length T̄ from `start`, and the margin T_conf."""

    slot: int
    t_conf: int
    start: int = 0

    def __post_init__(self) -> None:
        for name, minimum in (("slot", 1), ("t_conf", 0), ("start", 0)):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
                raise RuleViolation("parameter-range", f"schedule {name} must be an integer >= {minimum}")

    def slot_end(self, now: int) -> int:
        """The end of the slot containing `now`: the next synchronization, and a voucher's T'."""
        if now < self.start:
            raise RuleViolation("parameter-range", "the schedule has not started yet")
        return self.start + ((now - self.start) // self.slot + 1) * self.slot

    def close_time(self, now: int, slots: int) -> int:
        """t_0 + l·T̄ for a channel opened now: the last synchronization, §5.2's T."""
        if not isinstance(slots, int) or isinstance(slots, bool) or slots < 1:
            raise RuleViolation("parameter-range", "a channel lives for l >= 1 slots")
        return self.slot_end(now) + (slots - 1) * self.slot

    def is_boundary(self, time: int) -> bool:
        return time >= self.start and (time - self.start) % self.slot == 0


class VoucherScheme(Protocol):
    """The voucher-specific part of a protocol (implemented by Micropay 2 and Micropay 3)."""

    name: str
    accountable: bool

    def statement(self, cid: bytes, nonce: bytes, price: int) -> bytes:
        """The statement st the payer asserts in context k for this purchase."""
        ...

    def state(
        self, *, cid: bytes, expiry: int, deposit: int, index: int, paid: int, pos: int, now: int
    ) -> ChannelState:
        """The state a point of sale `pos` issues at time `now`."""
        ...

    def issue(self, sk: SecretKey, state: ChannelState, rng: RandomSource | None) -> Voucher:
        """Sign a state with a point of sale's key."""
        ...

    def verify(self, voucher: Voucher) -> bool:
        """Does the voucher carry a valid signature? `SchemeError` if it is malformed or of the wrong kind."""
        ...

    def expired(self, state: ChannelState, now: int) -> bool:
        """Is the voucher past its expiry T' (never, for vouchers without one)?"""
        ...


@dataclass(frozen=True)
class Payment:
    """(tx, σ_A, τ, state, σ) of spec §5.5 step 2, with the price x and the nonce r it answers."""

    voucher: Voucher
    price: int
    nonce: bytes
    update: UpdateTx
    assertion: Assertion | None


@dataclass(frozen=True)
class PaymentRecord:
    """A point of sale's log entry for an accepted payment (and the state it issued)."""

    pos: int
    time: int
    cid: bytes
    index: int
    statement: bytes
    price: int
    update: UpdateTx
    assertion: Assertion | None
    issued: ChannelState


class PointOfSale:
    """B_i: checks payments against its local log, the blacklist X and the latest states S."""

    def __init__(
        self,
        index: int,
        sk: SecretKey,
        scheme: VoucherScheme,
        ledger: Ledger,
        merchant: PublicKey,
        rng: RandomSource | None = None,
    ) -> None:
        self.index = index
        self.public = sk.public
        self._sk = sk
        self._scheme = scheme
        self._ledger = ledger
        self._merchant = merchant
        self._rng = resolve(rng)
        self._log: list[PaymentRecord] = []
        self._nonces: set[bytes] = set()
        self._blacklist: frozenset[PublicKey] = frozenset()
        self._latest: dict[bytes, ChannelState] = {}

    def __repr__(self) -> str:
        return f"PointOfSale({self.index}, log={len(self._log)}, blacklist={len(self._blacklist)})"

    @property
    def log(self) -> tuple[PaymentRecord, ...]:
        return tuple(self._log)

    @property
    def blacklist(self) -> frozenset[PublicKey]:
        return self._blacklist

    def nonce(self) -> bytes:
        """Step 1: a fresh nonce r for the next purchase."""
        r = self._rng.randbytes(NONCE_LEN)
        self._nonces.add(r)
        return r

    def receive(self, blacklist: frozenset[PublicKey], latest: dict[bytes, ChannelState]) -> None:
        """B's push at synchronization: the blacklist X and the latest state S[cid] of every channel."""
        self._blacklist = frozenset(blacklist)
        self._latest = dict(latest)

    def issue(self, state: ChannelState) -> Voucher:
        return self._scheme.issue(self._sk, state, self._rng)

    def accept(self, payment: Payment) -> Voucher:
        """Steps 3–4: check the payment in the spec's order, then issue, log and return the next voucher.

        Each failed check raises `RuleViolation` naming it; a rejected payment changes nothing. The
        checks run on a canonical copy of the payment (mpgames.scheme.revalidate), whoever built it
        ("malformed-payment" if there is none).
        """
        scheme, now = self._scheme, self._ledger.now
        try:
            payment = canonical(payment, Payment, "the payment")
        except NotCanonicalError as err:
            raise RuleViolation("malformed-payment", str(err)) from err
        if payment.nonce not in self._nonces:
            raise RuleViolation("nonce-unknown", "the payment does not answer a nonce of this point of sale")
        price = check_price(payment.price)
        state = self._verified_state(payment.voucher)
        terms = self._escrow(state)
        statement = scheme.statement(state.cid, payment.nonce, price)
        # 3. The assertion of st in context k verifies under the apk committed with the escrow.
        if scheme.accountable:
            _check_assertion(terms, state.index, statement, payment.assertion)
        # 4. The update spends cid, pays exactly b* + x to B and carries a valid σ_A.
        update = payment.update
        if not isinstance(update, UpdateTx) or update.cid != state.cid or update.paid != state.paid + price:
            raise RuleViolation(
                "tx-amount", f"the update must pay b* + x = {state.paid + price} on this channel"
            )
        require_signature(terms.payer, update.payer_sig, update.message(), "tx-signature")
        # 5. b* + x ≤ d*.
        if state.paid + price > state.deposit:
            raise RuleViolation("over-deposit", f"b* + x = {state.paid + price} exceeds d = {state.deposit}")
        # 6. pk_A ∉ X.
        if terms.payer in self._blacklist:
            raise RuleViolation("blacklisted", "the payer is on the blacklist")
        # 7. (cid, k*) is not in the local log.
        if any(r.cid == state.cid and r.index == state.index for r in self._log):
            raise RuleViolation("context-reused", f"voucher counter k = {state.index} was already spent here")
        # 8. now < T* − T_conf: leave B time to close.
        if now >= state.expiry - terms.t_conf:
            raise RuleViolation("channel-expiring", f"no payments from T − T_conf = {terms.close_by} on")
        # 9. The voucher is fresh, or it is the latest state B distributed (renewal rule).
        if scheme.expired(state, now) and self._latest.get(state.cid) != state:
            raise RuleViolation("voucher-expired", "the voucher expired and is not the latest state")
        issued = scheme.state(
            cid=state.cid,
            expiry=state.expiry,
            deposit=state.deposit,
            index=state.index + 1,
            paid=state.paid + price,
            pos=self.index,
            now=now,
        )
        voucher = self.issue(issued)
        self._nonces.discard(payment.nonce)
        self._log.append(
            PaymentRecord(
                self.index, now, state.cid, state.index, statement, price, update, payment.assertion, issued
            )
        )
        return voucher

    def _verified_state(self, voucher: Voucher) -> ChannelState:
        """1. The voucher's signature verifies (a malformed voucher fails this check too)."""
        try:
            valid = self._scheme.verify(voucher)
        except SchemeError as err:
            raise RuleViolation("voucher-signature", f"malformed voucher: {err}") from err
        if not valid:
            raise RuleViolation("voucher-signature", "the voucher's signature does not verify")
        return channel_state(voucher)

    def _escrow(self, state: ChannelState) -> EscrowTerms:
        """2. state*.cid is an open escrow of d* + p towards this merchant, with the state's T."""
        try:
            terms = open_escrow(self._ledger, state.cid)
        except RuleViolation as err:
            raise RuleViolation("escrow-unknown", err.detail) from err
        if (
            terms.payee != self._merchant
            or terms.deposit != state.deposit
            or terms.refund_time != state.expiry
        ):
            raise RuleViolation("escrow-unknown", "the escrow does not match the voucher's channel")
        if self._scheme.accountable and terms.apk is None:
            raise RuleViolation("escrow-unknown", "the escrow commits to no assertion key")
        return terms


def _check_assertion(terms: EscrowTerms, index: int, statement: bytes, tau: Assertion | None) -> None:
    if terms.apk is None or tau is None:
        raise RuleViolation("assertion-invalid", "the payment carries no assertion")
    try:
        valid = assertions.verify(terms.apk, index, statement, tau)
    except SchemeError as err:
        raise RuleViolation("assertion-invalid", f"malformed assertion: {err}") from err
    if not valid:
        raise RuleViolation("assertion-invalid", "the assertion does not verify")


# -- merchant ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DoubleSpend:
    """Two accepted payments in one context (cid, k) with different statements, found at synchronization."""

    cid: bytes
    index: int
    payer: PublicKey
    points_of_sale: tuple[int, ...]
    key: SecretKey | None
    penalty_txid: bytes | None

    @property
    def attributed(self) -> bool:
        """True iff the payer's key was extracted (and checked against pk_A)."""
        return self.key is not None


@dataclass(frozen=True)
class SyncReport:
    """What one synchronization found and did."""

    time: int
    double_spends: tuple[DoubleSpend, ...]
    closed: tuple[bytes, ...]


@dataclass
class _Book:
    """B's view of one channel."""

    terms: EscrowTerms
    latest: ChannelState
    best: PaymentRecord | None = None
    status: str = "open"  # open | closed (by an update) | penalized | refunded (by A, first)
    records: list[PaymentRecord] = field(default_factory=list)


def _first_conflict(records: Sequence[PaymentRecord]) -> tuple[PaymentRecord, PaymentRecord] | None:
    """Two records of the lowest context (cid, k) that holds different statements, if any."""
    by_context: dict[int, dict[bytes, PaymentRecord]] = defaultdict(dict)
    for record in records:
        by_context[record.index].setdefault(record.statement, record)
    for index in sorted(by_context):
        statements = list(by_context[index].values())
        if len(statements) > 1:
            return statements[0], statements[1]
    return None


class _Booked(Protocol):
    status: str


BookT = TypeVar("BookT", bound=_Booked)


class MerchantBooks(Generic[BookT]):
    """B's books, one per channel (each with a `status`), and its blacklist of payers.

    Shared by the Micropay 1 merchant and the Micropay 2/3 merchant; each keeps its own kind of book.
    """

    _books: dict[bytes, BookT]

    def __init__(self) -> None:
        self._blacklist: set[PublicKey] = set()

    @property
    def blacklist(self) -> frozenset[PublicKey]:
        return frozenset(self._blacklist)

    def channel_status(self, cid: bytes) -> str:
        """open, closed, penalized or refunded."""
        return self._books[cid].status


class Merchant(MerchantBooks[_Book]):
    """B: the co-signing key, its points of sale, the blacklist and the synchronization."""

    def __init__(
        self,
        ledger: Ledger,
        sk: SecretKey,
        pos_keys: Sequence[SecretKey],
        scheme: VoucherScheme,
        schedule: Schedule,
        *,
        penalty_bounds: PenaltyBounds | None = None,
        rng: RandomSource | None = None,
    ) -> None:
        if not pos_keys:
            raise RuleViolation("parameter-range", "a merchant needs at least one point of sale")
        super().__init__()
        self._ledger = ledger
        self._sk = sk
        self._rng = resolve(rng)
        self.public = sk.public
        self.scheme = scheme
        self.schedule = schedule
        self.penalty_bounds = penalty_bounds
        self.points_of_sale = tuple(
            PointOfSale(i, key, scheme, ledger, self.public, self._rng) for i, key in enumerate(pos_keys)
        )
        self._books: dict[bytes, _Book] = {}

    def check_terms(self, terms: EscrowTerms) -> None:
        """The merchant's conditions on a channel, public so that a payer can check before locking money."""
        if terms.payee != self.public:
            raise RuleViolation("escrow-terms", "the escrow does not pay this merchant")
        if terms.payer in self._blacklist:
            raise RuleViolation("blacklisted", "the payer is on the blacklist")
        if terms.t_conf != self.schedule.t_conf or not self.schedule.is_boundary(terms.close_by):
            raise RuleViolation("escrow-terms", "T must be a synchronization time and T_conf the merchant's")
        if self.scheme.accountable != (terms.apk is not None):
            raise RuleViolation(
                "escrow-terms", "the escrow must commit to an assertion key iff payments assert"
            )
        if self.penalty_bounds is not None:
            self.penalty_bounds.check(terms.penalty)

    def accept_channel(self, cid: bytes) -> Voucher:
        """Setup step 5: check the confirmed escrow and issue the first voucher (k = 0, b = 0)."""
        terms = open_escrow(self._ledger, cid)
        self.check_terms(terms)
        if cid in self._books:
            raise RuleViolation("duplicate-output", "the channel was already opened")
        state = self.scheme.state(
            cid=cid,
            expiry=terms.refund_time,
            deposit=terms.deposit,
            index=0,
            paid=0,
            pos=0,
            now=self._ledger.now,
        )
        self._books[cid] = _Book(terms, state)
        return self.points_of_sale[0].issue(state)

    def synchronize(self, *, close: Sequence[bytes] = ()) -> SyncReport:
        """Merge the logs, punish double spends, close expiring channels (and those in `close`, e.g.
        spent up to d − b < u1) and push (X, S) to every POS.

        B closes only here, after merging the logs, so that it never closes a channel with a double
        spend still hidden in some point of sale's log.
        """
        now = self._ledger.now
        unknown = [cid for cid in close if cid not in self._books]
        if unknown:
            raise RuleViolation("escrow-unknown", "asked to close a channel the merchant never opened")
        was_closed = {cid for cid, book in self._books.items() if book.status == "closed"}
        merged: dict[bytes, list[PaymentRecord]] = defaultdict(list)
        for pos in self.points_of_sale:
            for record in pos.log:
                merged[record.cid].append(record)
        double_spends = []
        for cid, book in self._books.items():
            if book.status != "open" or not merged[cid]:
                continue
            book.records = merged[cid]
            book.best = max(book.records, key=lambda r: r.update.paid)
            conflict = _first_conflict(book.records)
            if conflict is not None:
                double_spends.append(self._punish(cid, conflict))
            else:
                book.latest = max(book.records, key=lambda r: r.index).issued
        for cid, book in self._books.items():
            if book.status == "open" and (now >= book.terms.close_by or cid in close):
                self._close(cid)
        closed = tuple(
            cid for cid, book in self._books.items() if book.status == "closed" and cid not in was_closed
        )
        latest = {cid: book.latest for cid, book in self._books.items() if book.status == "open"}
        for pos in self.points_of_sale:
            pos.receive(self.blacklist, latest)
        return SyncReport(now, tuple(double_spends), closed)

    def _punish(self, cid: bytes, conflict: tuple[PaymentRecord, PaymentRecord]) -> DoubleSpend:
        """Extract x_A from two conflicting assertions, take d + p with the PenaltyTx, blacklist A.

        Without assertions (or if extraction failed) the double spend cannot be attributed: B can
        only blacklist A and close with the best update it holds.
        """
        book = self._books[cid]
        first, second = conflict
        index = first.index
        key = None
        apk = book.terms.apk
        if apk is not None and first.assertion is not None and second.assertion is not None:
            x = assertions.extract(
                apk, index, first.statement, second.statement, first.assertion, second.assertion
            )
            if x is not None and apk.group.gexp(x) == book.terms.payer.y:
                key = SecretKey(apk.group, x)
        self._blacklist.add(book.terms.payer)
        penalty = None
        if key is not None:
            penalty = self._settle(cid, PenaltyTx.create(key, self._sk, cid, self._rng), "penalized")
        else:
            self._close(cid)
        pos = tuple(sorted({r.pos for r in book.records if r.index == index}))
        return DoubleSpend(cid, index, book.terms.payer, pos, key, penalty)

    def _close(self, cid: bytes) -> None:
        """Co-sign the best UpdateTx and broadcast it; nothing to do if no payment was made (A refunds)."""
        book = self._books[cid]
        if book.best is not None:
            self._settle(cid, book.best.update.cosign(self._sk, self._rng), "closed")

    def _settle(self, cid: bytes, tx: UpdateTx | PenaltyTx, status: str) -> bytes | None:
        """Broadcast a spend of the escrow and record the channel's new status; None (status
        "refunded") if the escrow was spent already, i.e. A refunded first."""
        book = self._books[cid]
        try:
            txid = self._ledger.submit(tx)
        except RuleViolation:
            if self._ledger.has_output(cid) and not self._ledger.locked(cid).released:
                raise
            book.status = "refunded"
            return None
        book.status = status
        return txid


def setup_merchant(
    ledger: Ledger,
    group: Group,
    points_of_sale: int,
    schedule: Schedule,
    make_scheme: Callable[[tuple[PublicKey, ...]], VoucherScheme],
    *,
    penalty_bounds: PenaltyBounds | None = None,
    rng: RandomSource | None = None,
) -> Merchant:
    """B with a fresh co-signing key and n points of sale; `make_scheme` gets their public keys."""
    if not isinstance(points_of_sale, int) or isinstance(points_of_sale, bool) or points_of_sale < 1:
        raise RuleViolation("parameter-range", "a merchant needs at least one point of sale")
    rng = resolve(rng)
    _, sk = schnorr.keygen(group, rng)
    pos_keys = [schnorr.keygen(group, rng)[1] for _ in range(points_of_sale)]
    scheme = make_scheme(tuple(key.public for key in pos_keys))
    return Merchant(ledger, sk, pos_keys, scheme, schedule, penalty_bounds=penalty_bounds, rng=rng)


# -- payer ------------------------------------------------------------------------------------------


class Payer:
    """A: one escrow key; a `Wallet` per channel."""

    def __init__(self, ledger: Ledger, sk: SecretKey, rng: RandomSource | None = None) -> None:
        self._ledger = ledger
        self._sk = sk
        self._rng = resolve(rng)
        self.public = sk.public

    def open_channel(
        self, merchant: Merchant, *, deposit: int, penalty: int, slots: int, depth: int = DEFAULT_DEPTH
    ) -> Wallet:
        """Setup steps 2–5: a fresh assertion tree, the escrow of d + p on the ledger, the first voucher."""
        schedule, now = merchant.schedule, self._ledger.now
        auxsk = self._rng.randbytes(AUXSK_LEN)
        asserter = Asserter(self._sk, auxsk, depth) if merchant.scheme.accountable else None
        terms = EscrowTerms(
            self.public,
            merchant.public,
            deposit,
            penalty,
            schedule.close_time(now, slots),
            schedule.t_conf,
            None if asserter is None else asserter.public,
        )
        merchant.check_terms(terms)
        cid = lock_escrow(self._ledger, self._sk, terms, self._rng)
        voucher = merchant.accept_channel(cid)
        return Wallet(
            self._ledger, self._sk, cid, terms, merchant.scheme, asserter, auxsk, voucher, self._rng
        )


class ChannelWallet:
    """What every payer wallet holds for one channel: keys, terms, the current voucher, every voucher
    received and the value of everything bought (`spent`); and the refund."""

    def __init__(
        self,
        ledger: Ledger,
        sk: SecretKey,
        cid: bytes,
        terms: EscrowTerms,
        voucher: Voucher,
        rng: RandomSource,
    ) -> None:
        self.cid = cid
        self.terms = terms
        self.voucher = voucher
        self.vouchers: list[Voucher] = [voucher]
        self.spent = 0
        self._ledger = ledger
        self._sk = sk
        self._rng = rng

    def __repr__(self) -> str:
        return f"{type(self).__name__}(cid={self.cid.hex()[:12]}, spent={self.spent}, keys=<hidden>)"

    def refund(self) -> bytes:
        """Take the whole escrow back once T + T_conf has passed and B never closed."""
        return self._ledger.submit(RefundTx.create(self._sk, self.cid, self._rng))

    def _update(self, paid: int) -> UpdateTx:
        """A's half of UpdateTx(cid, b)."""
        return UpdateTx.create(self._sk, self.cid, paid, self._rng)

    def _keep(self, issued: Voucher, price: int) -> None:
        """Make a checked new voucher the current one and count the purchase."""
        self.voucher = issued
        self.vouchers.append(issued)
        self.spent += price


def lock_escrow(ledger: Ledger, sk: SecretKey, terms: EscrowTerms, rng: RandomSource | None = None) -> bytes:
    """Setup: A posts the escrow of d + p; returns the channel id."""
    escrow = EscrowTx.create(sk, terms, rng)
    ledger.submit(escrow)
    return escrow.cid


class Wallet(ChannelWallet):
    """A Micropay 2/3 wallet: adds the channel's assertion tree and the contexts asserted in."""

    def __init__(
        self,
        ledger: Ledger,
        sk: SecretKey,
        cid: bytes,
        terms: EscrowTerms,
        scheme: VoucherScheme,
        asserter: Asserter | None,
        auxsk: bytes,
        voucher: Voucher,
        rng: RandomSource,
    ) -> None:
        super().__init__(ledger, sk, cid, terms, voucher, rng)
        self._scheme = scheme
        self._asserter = asserter
        self._auxsk = auxsk
        self._used: set[int] = set()

    @property
    def used_contexts(self) -> frozenset[int]:
        return frozenset(self._used)

    def build_payment(
        self, nonce: bytes, price: int, *, voucher: Voucher | None = None, force: bool = False
    ) -> Payment:
        """Step 2: assert the statement in context k, sign UpdateTx(cid, b + x) and package the payment.

        The honest wallet refuses a used context (`ContextReusedError`) and an overdraft; `force=True`
        skips both and asserts with a clone of the tree if needed: a double spend. A context counts as
        used once asserted, even if the point of sale then refuses the payment; a refused payment is
        never logged, so resending that voucher with `force=True` is not a double spend in B's eyes.
        """
        voucher = self.voucher if voucher is None else voucher
        state = channel_state(voucher)
        price = check_price(price)
        if not force:
            if state.index in self._used:
                raise ContextReusedError(
                    f"context {state.index} was already asserted; paying again double-spends"
                )
            if state.paid + price > state.deposit:
                raise RuleViolation("over-deposit", "the channel cannot pay this much")
        statement = self._scheme.statement(self.cid, nonce, price)
        assertion = None
        if self._asserter is not None:
            reused = state.index in self._used
            asserter = self._clone() if reused else self._asserter
            assertion = asserter.assert_(state.index, statement)
        self._used.add(state.index)
        return Payment(voucher, price, nonce, self._update(state.paid + price), assertion)

    def pay(
        self, pos: PointOfSale, price: int, *, voucher: Voucher | None = None, force: bool = False
    ) -> Voucher:
        """A purchase at `pos`: get its nonce, pay, check and keep the voucher it issues."""
        payment = self.build_payment(pos.nonce(), price, voucher=voucher, force=force)
        issued = pos.accept(payment)
        self._receive(payment, issued)
        return issued

    def _receive(self, payment: Payment, issued: Voucher) -> None:
        """Step 5: check the new voucher (signature, k + 1, b + x) and make it the current one."""
        before, after = channel_state(payment.voucher), channel_state(issued)
        if not self._scheme.verify(issued):
            raise VerificationError("the point of sale issued a voucher that does not verify")
        if (after.cid, after.index, after.paid) != (
            before.cid,
            before.index + 1,
            before.paid + payment.price,
        ):
            raise VerificationError("the issued voucher does not record this payment")
        self._keep(issued, payment.price)

    def _clone(self) -> Asserter:
        """The same tree on a second device: it has not asserted anything yet (a cheater's tool)."""
        apk = self.terms.apk
        if apk is None:
            raise SchemeError("this channel has no assertion tree")
        return Asserter(self._sk, self._auxsk, apk.depth, variant=apk.variant)
