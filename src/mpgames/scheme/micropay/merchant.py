"""The Micropay 2/3 merchant B (spec §5.4 setup step 3 and synchronization; §5.5 setup step 5,
"Synchronization" and "Close"): opens channels, merges the points of sale's logs once per slot T̄,
punishes a double spend with the extracted key and closes with the best update. Also the books a
Micropay 1 merchant (§5.3) keeps the same way."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Generic, Protocol, TypeVar

from mpgames.scheme import assertions, schnorr
from mpgames.scheme.channel_tx import EscrowTerms, PenaltyTx, UpdateTx, open_escrow
from mpgames.scheme.errors import RuleViolation
from mpgames.scheme.groups import Group
from mpgames.scheme.integers import checked_int
from mpgames.scheme.ledger import Ledger
from mpgames.scheme.micropay.point_of_sale import PointOfSale
from mpgames.scheme.micropay.records import (
    ChannelState,
    PaymentRecord,
    Schedule,
    VoucherScheme,
    _parameter_range,
)
from mpgames.scheme.penalty import PenaltyBounds
from mpgames.scheme.randomness import RandomSource, resolve
from mpgames.scheme.schnorr import PublicKey, SecretKey
from mpgames.scheme.vouchers import Voucher


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
    count = checked_int(points_of_sale, "the number of points of sale", minimum=1, error=_parameter_range)
    rng = resolve(rng)
    _, sk = schnorr.keygen(group, rng)
    pos_keys = [schnorr.keygen(group, rng)[1] for _ in range(count)]
    scheme = make_scheme(tuple(key.public for key in pos_keys))
    return Merchant(ledger, sk, pos_keys, scheme, schedule, penalty_bounds=penalty_bounds, rng=rng)
