"""Micropay 1: a channel to a single payee (spec §5.3, seed §4.1).

A locks d (plus an optional penalty p, zero in the seed) with Esc(pk_esc, pk_B, t). B answers with
`cert = (state, σ)`, `state = (cid, pk_esc, d, b = 0)` (`Mp1State`), Schnorr-signed with B's
voucher key. To pay b1, A sends UpdateTx(cid, b + b1) signed with sk_esc and its current cert; B
checks, in the seed's order: the cert's signature and the channel, the update, that **the cert was
not used before**, b + b1 ≤ d, pk_esc ∉ BL and now < t; then it records the cert and returns the next
one (cid, pk_esc, d, b + b1).

The state names its channel [RECON]: the seed's state (pk_esc, d, b) names only the payer's key, so a
cert B issued on one channel of a payer passed B's checks on another channel of the same payer (an
old cert bought goods for nothing on a channel where it was never used, or lifted an update over the
smaller channel's deposit). B signs the channel id with the state and refuses a cert whose cid (or d)
is not that of the channel the update spends ("escrow-unknown"), as Micropay 2 does.

There is one payee, so reuse is caught at once: B rejects the payment ("voucher-reused"), closes the
channel with the best update it holds and blacklists pk_esc. B also closes at t; A refunds after
t + T_conf if B never closed. B sees A's whole purchase history, which is inherent to the design.

Simplification [RECON]: the seed's separate refund key pk_2 is the channel key pk_esc here, so the
escrow condition is exactly §5.2's spend_ok predicate.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from mpgames.scheme.channel_tx import EscrowTerms, UpdateTx, open_escrow, require_signature
from mpgames.scheme.errors import RuleViolation, SchemeError, VerificationError
from mpgames.scheme.ledger import Ledger
from mpgames.scheme.micropay.merchant import MerchantBooks
from mpgames.scheme.micropay.payer import ChannelWallet, lock_escrow
from mpgames.scheme.micropay.records import check_price
from mpgames.scheme.randomness import RandomSource, resolve
from mpgames.scheme.revalidate import NotCanonicalError, canonical
from mpgames.scheme.schnorr import PublicKey, SecretKey
from mpgames.scheme.vouchers import Mp1State, SchnorrVoucher, Voucher


def mp1_state(voucher: Voucher) -> Mp1State:
    """The Micropay 1 state a voucher carries (`SchemeError` otherwise)."""
    state = getattr(voucher, "state", None)
    if not isinstance(voucher, SchnorrVoucher) or not isinstance(state, Mp1State):
        raise SchemeError("not a Micropay 1 voucher")
    return state


@dataclass(frozen=True)
class Mp1Payment:
    """(tx, cert) of seed §4.1 step 3, with the price b1."""

    voucher: SchnorrVoucher
    price: int
    update: UpdateTx


@dataclass
class _Book:
    terms: EscrowTerms
    used: set[Mp1State] = field(default_factory=set)
    best: UpdateTx | None = None
    status: str = "open"  # open | closed


class Mp1Merchant(MerchantBooks[_Book]):
    """B: the escrow co-signing key, the voucher key, the used certs and the blacklist."""

    def __init__(
        self, ledger: Ledger, sk: SecretKey, voucher_sk: SecretKey, rng: RandomSource | None = None
    ) -> None:
        super().__init__()
        self._ledger = ledger
        self._sk = sk
        self._voucher_sk = voucher_sk
        self._rng = resolve(rng)
        self.public = sk.public
        self.voucher_key = voucher_sk.public
        self._books: dict[bytes, _Book] = {}

    def check_terms(self, terms: EscrowTerms) -> None:
        """B's conditions on a channel: it pays B, the payer is not blacklisted, no assertion key."""
        if terms.payee != self.public or terms.apk is not None:
            raise RuleViolation("escrow-terms", "the escrow is not a Micropay 1 channel to this merchant")
        if terms.payer in self._blacklist:
            raise RuleViolation("blacklisted", "the payer is on the blacklist")

    def accept_channel(self, cid: bytes) -> SchnorrVoucher:
        """Step 2: after confirmation, the first cert (pk_esc, d, 0)."""
        terms = open_escrow(self._ledger, cid)
        self.check_terms(terms)
        if cid in self._books:
            raise RuleViolation("duplicate-output", "the channel was already opened")
        self._books[cid] = _Book(terms)
        first = Mp1State(terms.payer, terms.deposit, 0, cid)
        return SchnorrVoucher.issue(self._voucher_sk, first, self._rng)

    def accept(self, payment: Mp1Payment) -> SchnorrVoucher:
        """Step 3: check the payment in the seed's order and return the next cert (RuleViolation otherwise).

        A reused cert is rejected *and* punished: B closes the channel with its best update and
        blacklists pk_esc. The checks run on a canonical copy of the payment (mpgames.scheme.revalidate),
        whoever built it ("malformed-payment" if there is none).
        """
        try:
            payment = canonical(payment, Mp1Payment, "the payment")
        except NotCanonicalError as err:
            raise RuleViolation("malformed-payment", str(err)) from err
        price = check_price(payment.price)
        # (tx*, cert*) valid: B's signature on the cert, ...
        try:
            state, valid = mp1_state(payment.voucher), payment.voucher.verify(self.voucher_key)
        except SchemeError as err:
            raise RuleViolation("voucher-signature", f"malformed voucher: {err}") from err
        if not valid:
            raise RuleViolation("voucher-signature", "the cert's signature does not verify")
        # ... the channel it names, ...
        update = payment.update
        if not isinstance(update, UpdateTx) or update.cid not in self._books:
            raise RuleViolation("escrow-unknown", "the update does not spend one of B's channels")
        book = self._books[update.cid]
        if book.status != "open" or book.terms.payer != state.channel_key:
            raise RuleViolation("escrow-unknown", "the channel is closed or belongs to another key")
        # Exactly the bound state: a subclass could sign one channel's bytes and name another's cid.
        if type(state) is not Mp1State or state.cid != update.cid or state.deposit != book.terms.deposit:
            raise RuleViolation("escrow-unknown", "the cert names another channel than the update spends")
        # ... and the update to b* + b1 signed with sk_esc.
        if update.paid != state.paid + price:
            raise RuleViolation("tx-amount", f"the update must pay b* + b1 = {state.paid + price}")
        require_signature(book.terms.payer, update.payer_sig, update.message(), "tx-signature")
        # cert* not used before; on reuse B closes and blacklists.
        if state in book.used:
            self._blacklist.add(book.terms.payer)
            self.close(update.cid)
            raise RuleViolation(
                "voucher-reused", "this cert was already spent: channel closed, payer blacklisted"
            )
        if state.paid + price > state.deposit:
            raise RuleViolation("over-deposit", f"b* + b1 = {state.paid + price} exceeds d = {state.deposit}")
        if book.terms.payer in self._blacklist:
            raise RuleViolation("blacklisted", "the payer is on the blacklist")
        if self._ledger.now >= book.terms.close_by:
            raise RuleViolation("channel-expiring", f"no payments from t = {book.terms.close_by} on")
        book.used.add(state)
        if book.best is None or update.paid > book.best.paid:
            book.best = update
        issued = Mp1State(state.channel_key, state.deposit, state.paid + price, update.cid)
        return SchnorrVoucher.issue(self._voucher_sk, issued, self._rng)

    def close(self, cid: bytes) -> bytes | None:
        """Step 4: co-sign and broadcast the best update; None if nothing was paid (A refunds)."""
        book = self._books[cid]
        if book.status != "open" or book.best is None:
            return None
        book.status = "closed"
        return self._ledger.submit(book.best.cosign(self._sk, self._rng))


class Mp1Wallet(ChannelWallet[SchnorrVoucher]):
    """A's side of a Micropay 1 channel; it refuses to show a used cert unless forced (a cheat)."""

    def __init__(
        self,
        ledger: Ledger,
        sk: SecretKey,
        cid: bytes,
        terms: EscrowTerms,
        merchant_key: PublicKey,
        voucher: SchnorrVoucher,
        rng: RandomSource,
    ) -> None:
        super().__init__(ledger, sk, cid, terms, voucher, rng)
        self._merchant_key = merchant_key
        self._shown: set[Mp1State] = set()

    def build_payment(
        self, price: int, *, voucher: SchnorrVoucher | None = None, force: bool = False
    ) -> Mp1Payment:
        """UpdateTx(cid, b + b1) with the cert; `force=True` shows a cert already spent (a double spend)."""
        cert = self.voucher if voucher is None else voucher
        state, price = mp1_state(cert), check_price(price)
        if not force:
            if state in self._shown:
                raise RuleViolation("voucher-reused", "this cert was already spent")
            if state.paid + price > state.deposit:
                raise RuleViolation("over-deposit", "the channel cannot pay this much")
        self._shown.add(state)
        return Mp1Payment(cert, price, self._update(state.paid + price))

    def pay(
        self, merchant: Mp1Merchant, price: int, *, voucher: SchnorrVoucher | None = None, force: bool = False
    ) -> SchnorrVoucher:
        """Pay `price`; check the cert B returns and keep it."""
        payment = self.build_payment(price, voucher=voucher, force=force)
        issued = merchant.accept(payment)
        before, after = mp1_state(payment.voucher), mp1_state(issued)
        if (
            not issued.verify(self._merchant_key)
            or after.paid != before.paid + payment.price
            or getattr(after, "cid", None) != self.cid
        ):
            raise VerificationError("B returned a cert that does not record this payment on this channel")
        self._keep(issued, payment.price)
        return issued


def open_channel(
    ledger: Ledger,
    sk: SecretKey,
    merchant: Mp1Merchant,
    *,
    deposit: int,
    close_by: int,
    t_conf: int,
    penalty: int = 0,
    rng: RandomSource | None = None,
) -> Mp1Wallet:
    """Steps 1–2: lock d (+ p) for B until t = `close_by`, and receive the first cert."""
    rng = resolve(rng)
    terms = EscrowTerms(sk.public, merchant.public, deposit, penalty, close_by, t_conf)
    merchant.check_terms(terms)
    cid = lock_escrow(ledger, sk, terms, rng)
    voucher = merchant.accept_channel(cid)
    return Mp1Wallet(ledger, sk, cid, terms, merchant.voucher_key, voucher, rng)
