"""The payer A (spec §5.4 setup steps 1–2 and payment steps 2, 5; §5.5 setup steps 2, 4 and
"Payment at B_i" steps 2, 5): the escrow, a wallet per channel with its assertion tree, and the
refund (§5.2). The wallet also serves a cheating payer (`force=True`)."""

from __future__ import annotations

from typing import Generic, TypeVar

from mpgames.scheme.assertions import AUXSK_LEN, DEFAULT_DEPTH, Asserter
from mpgames.scheme.channel_tx import EscrowTerms, EscrowTx, RefundTx, UpdateTx
from mpgames.scheme.errors import ContextReusedError, RuleViolation, SchemeError, VerificationError
from mpgames.scheme.ledger import Ledger
from mpgames.scheme.micropay.merchant import Merchant
from mpgames.scheme.micropay.point_of_sale import PointOfSale
from mpgames.scheme.micropay.records import Payment, VoucherScheme, channel_state, check_price
from mpgames.scheme.randomness import RandomSource, resolve
from mpgames.scheme.schnorr import SecretKey
from mpgames.scheme.vouchers import Voucher


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


# The kind of voucher a wallet holds: Micropay 1 wallets hold Schnorr vouchers only.
VoucherT = TypeVar("VoucherT", bound=Voucher)


class ChannelWallet(Generic[VoucherT]):
    """What every payer wallet holds for one channel: keys, terms, the current voucher, every voucher
    received and the value of everything bought (`spent`); and the refund."""

    def __init__(
        self,
        ledger: Ledger,
        sk: SecretKey,
        cid: bytes,
        terms: EscrowTerms,
        voucher: VoucherT,
        rng: RandomSource,
    ) -> None:
        self.cid = cid
        self.terms = terms
        self.voucher = voucher
        self.vouchers: list[VoucherT] = [voucher]
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

    def _keep(self, issued: VoucherT, price: int) -> None:
        """Make a checked new voucher the current one and count the purchase."""
        self.voucher = issued
        self.vouchers.append(issued)
        self.spent += price


def lock_escrow(ledger: Ledger, sk: SecretKey, terms: EscrowTerms, rng: RandomSource | None = None) -> bytes:
    """Setup: A posts the escrow of d + p; returns the channel id."""
    escrow = EscrowTx.create(sk, terms, rng)
    ledger.submit(escrow)
    return escrow.cid


class Wallet(ChannelWallet[Voucher]):
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
