"""A Micropay 2/3 point of sale B_i (spec §5.4 payment steps 1, 3–4; §5.5 "Payment at B_i" steps 1,
3–4): it checks a payment in the spec's order against its local log, the blacklist X and the latest
states S, then issues and logs the next voucher."""

from __future__ import annotations

from mpgames.scheme import assertions
from mpgames.scheme.assertions import Assertion
from mpgames.scheme.channel_tx import EscrowTerms, UpdateTx, open_escrow, require_signature
from mpgames.scheme.errors import RuleViolation, SchemeError
from mpgames.scheme.ledger import Ledger
from mpgames.scheme.micropay.records import (
    ChannelState,
    Payment,
    PaymentRecord,
    VoucherScheme,
    channel_state,
    check_price,
)
from mpgames.scheme.randomness import RandomSource, resolve
from mpgames.scheme.revalidate import NotCanonicalError, canonical
from mpgames.scheme.schnorr import PublicKey, SecretKey
from mpgames.scheme.vouchers import Voucher

# Bytes of a point of sale's nonce r (spec §5.5: r ←$ {0,1}^128).
NONCE_LEN = 16


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
