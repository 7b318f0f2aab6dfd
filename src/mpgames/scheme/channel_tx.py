"""Payment-channel transactions on the ledger: escrow, update, penalty and refund (spec §5.2).

The escrow locks d + p of the payer A under the condition Esc(pk_A, pk_B, T) of RKS (§3.1–3.2):

    spend_ok(tx) = (Vrfy(pk_A, tx, σ_A) ∧ Vrfy(pk_B, tx, σ_B)) ∨ (now ≥ T + T_conf ∧ Vrfy(pk_A, tx, σ_A))

* `EscrowTx`: A locks d + p; the channel id `cid` is the id of the locked output.
* `UpdateTx(cid, b)`: b to B, d + p − b to A; first branch (σ_A and σ_B). A signs it when paying,
  B co-signs it only to close.
* `PenaltyTx(cid)`: all d + p to B; first branch, σ_A made with the key B extracted from a double spend.
* `RefundTx(cid)`: all d + p back to A; second branch (σ_A alone, from T + T_conf on).

As in Bitcoin, the two-signature branch has no deadline: the first spend to reach the ledger wins and
every later one fails with "output-spent". Times: `EscrowTerms.close_by` is §5.2's T, the last
synchronization, at which B closes; `EscrowTerms.refund_time` = T + T_conf is the T of §5.5/§5.6
(T = l·T̄ + T_conf), the value vouchers carry. A Micropay 2/3 escrow also commits to the payer's
accountable-assertion key apk, so every point of sale verifies assertions against the same tree.

Every check raises `RuleViolation` naming its rule and changes nothing (the ledger restores its state
if an effect fails).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, replace
from typing import ClassVar

from mpgames.scheme import schnorr
from mpgames.scheme.assertions import AssertionPublicKey
from mpgames.scheme.encoding import U64_MAX, enc
from mpgames.scheme.errors import RuleViolation, SchemeError
from mpgames.scheme.hashing import Tag, hash256
from mpgames.scheme.integers import checked_int
from mpgames.scheme.ledger import Ledger, transaction_type
from mpgames.scheme.randomness import RandomSource, resolve
from mpgames.scheme.schnorr import PublicKey, SecretKey, Signature, check_public_key

# Domain tag of channel ids (id of the escrow output), next to the ledger's own LEDGER/TXID.
TAG_CID = b"MP/CID"
# Bytes of the escrow nonce that keeps two otherwise equal escrows apart.
ESCROW_NONCE_LEN = 16


def _count(value: object, name: str, *, minimum: int = 0) -> int:
    """An exact-int amount or time in [minimum, 2^64) (RuleViolation "escrow-terms" otherwise)."""
    if type(value) is not int or not minimum <= value <= U64_MAX:
        raise RuleViolation("escrow-terms", f"{name} must be an integer in [{minimum}, 2^64)")
    return value


def _scalar_field(s: int) -> bytes:
    """Minimal big-endian bytes of a non-negative integer: a canonical field for transaction ids."""
    return s.to_bytes(max(1, (s.bit_length() + 7) // 8), "big")


def _signature_field(sig: Signature | None) -> tuple[bytes, ...]:
    return () if sig is None else (_scalar_field(sig.e), _scalar_field(sig.s))


def require_signature(pk: PublicKey, sig: Signature | None, message: bytes, rule: str) -> None:
    """Raise `RuleViolation(rule)` unless σ is a valid Schnorr signature of the message under pk."""
    if sig is None:
        raise RuleViolation(rule, "signature missing")
    if not isinstance(sig, Signature):
        raise RuleViolation(rule, "not a Schnorr signature")
    try:
        valid = schnorr.verify(sig, pk, message)
    except SchemeError as err:
        raise RuleViolation(rule, f"malformed signature: {err}") from err
    if not valid:
        raise RuleViolation(rule, "signature does not verify")


@dataclass(frozen=True)
class EscrowTerms:
    """Esc(pk_A, pk_B, T): who may spend the d + p locked for a channel, and when."""

    payer: PublicKey
    payee: PublicKey
    deposit: int
    penalty: int
    close_by: int
    t_conf: int
    apk: AssertionPublicKey | None = None

    def __post_init__(self) -> None:
        try:
            object.__setattr__(self, "payer", check_public_key(self.payer, what="the payer key"))
            object.__setattr__(self, "payee", check_public_key(self.payee, what="the payee key"))
        except SchemeError as err:
            raise RuleViolation("escrow-terms", str(err)) from err
        if self.payer.group != self.payee.group:
            raise RuleViolation("escrow-terms", "payer and payee keys belong to different groups")
        if self.payer == self.payee:
            raise RuleViolation("escrow-terms", "payer and payee must differ")
        _count(self.deposit, "deposit d", minimum=1)
        _count(self.penalty, "penalty p")
        _count(self.close_by, "close time T")
        _count(self.t_conf, "confirmation margin T_conf")
        apk = self.apk
        if apk is not None and (not isinstance(apk, AssertionPublicKey) or apk.pk != self.payer):
            raise RuleViolation("escrow-terms", "the assertion key must be the payer's escrow key")

    @property
    def amount(self) -> int:
        """d + p: the value locked."""
        return self.deposit + self.penalty

    @property
    def refund_time(self) -> int:
        """T + T_conf: from then on the payer alone may take the escrow back."""
        return self.close_by + self.t_conf

    def encode(self) -> bytes:
        apk = b"" if self.apk is None else self.apk.to_bytes()
        return enc(
            self.payer.to_bytes(),
            self.payee.to_bytes(),
            self.deposit,
            self.penalty,
            self.close_by,
            self.t_conf,
            apk,
        )


@transaction_type
@dataclass(frozen=True)
class EscrowTx:
    """A locks d + p under the escrow terms; signed by A (it spends A's balance)."""

    kind: ClassVar[str] = "escrow"

    terms: EscrowTerms
    nonce: bytes
    payer_sig: Signature

    @staticmethod
    def message(terms: EscrowTerms, nonce: bytes) -> bytes:
        return enc(Tag.MP_TX, "escrow", terms.encode(), nonce)

    @classmethod
    def create(cls, sk: SecretKey, terms: EscrowTerms, rng: RandomSource | None = None) -> EscrowTx:
        """A's signed escrow transaction with a fresh nonce."""
        if sk.public != terms.payer:
            raise RuleViolation("signature-payer", "the escrow must be signed with the payer's key")
        nonce = resolve(rng).randbytes(ESCROW_NONCE_LEN)
        return cls(terms, nonce, schnorr.sign(sk, cls.message(terms, nonce), rng))

    @property
    def cid(self) -> bytes:
        """The channel id: the id of the locked output."""
        return hash256(TAG_CID, self.terms.encode(), self.nonce)

    def encode(self) -> bytes:
        return enc(self.message(self.terms, self.nonce), *_signature_field(self.payer_sig))

    def check(self, ledger: Ledger) -> None:
        if not isinstance(self.nonce, bytes) or len(self.nonce) != ESCROW_NONCE_LEN:
            raise RuleViolation("escrow-terms", f"the nonce must be {ESCROW_NONCE_LEN} bytes")
        require_signature(
            self.terms.payer, self.payer_sig, self.message(self.terms, self.nonce), "signature-payer"
        )
        if self.terms.close_by <= ledger.now:
            raise RuleViolation("escrow-terms", "the close time T must lie in the future")
        if ledger.has_output(self.cid):
            raise RuleViolation("duplicate-output", "this escrow is already on the ledger")
        if ledger.balance(self.terms.payer) < self.terms.amount:
            raise RuleViolation("insufficient-balance", f"the escrow needs {self.terms.amount}")

    def apply(self, ledger: Ledger) -> None:
        ledger.lock(self.cid, self.terms.payer, self.terms.amount, self.terms)


def open_escrow(ledger: Ledger, cid: bytes) -> EscrowTerms:
    """The terms of the unspent channel escrow `cid` (RuleViolation "escrow-unknown" / "output-spent")."""
    if not isinstance(cid, bytes) or not ledger.has_output(cid):
        raise RuleViolation("escrow-unknown", "no escrow with this channel id on the ledger")
    output = ledger.locked(cid)
    if not isinstance(output.terms, EscrowTerms):
        raise RuleViolation("escrow-unknown", "the output is not a channel escrow")
    if output.released:
        raise RuleViolation("output-spent", "the channel escrow was already spent")
    return output.terms


def _spend_message(kind: str, *body: bytes | int) -> bytes:
    """What the signers of a channel spend sign: enc("MP/TX", kind, body)."""
    return enc(Tag.MP_TX, kind, *body)


@dataclass(frozen=True)
class _ChannelSpend(ABC):
    """A spend of the whole escrow: shared check of the spend_ok predicate and the payout."""

    kind: ClassVar[str]
    # True: branch 1 (σ_A ∧ σ_B, any time); False: branch 2 (σ_A alone, from T + T_conf).
    cooperative: ClassVar[bool]

    cid: bytes

    @abstractmethod
    def body(self) -> tuple[bytes | int, ...]:
        """The fields the signers sign, after the kind."""

    @abstractmethod
    def payee_share(self, terms: EscrowTerms) -> int:
        """How much of d + p goes to B (the rest goes back to A)."""

    @abstractmethod
    def signatures(self) -> tuple[Signature | None, Signature | None]:
        """(σ_A, σ_B); σ_B is None on the refund branch."""

    def message(self) -> bytes:
        return _spend_message(self.kind, *self.body())

    def encode(self) -> bytes:
        payer_sig, payee_sig = self.signatures()
        return enc(self.message(), _signature_field(payer_sig), _signature_field(payee_sig))

    def check(self, ledger: Ledger) -> None:
        terms = open_escrow(ledger, self.cid)
        checked_int(
            self.payee_share(terms),
            "the payee's share",
            minimum=0,
            maximum=terms.amount,
            error=lambda message: RuleViolation("tx-amount", message),
        )
        payer_sig, payee_sig = self.signatures()
        require_signature(terms.payer, payer_sig, self.message(), "signature-payer")
        if self.cooperative:
            require_signature(terms.payee, payee_sig, self.message(), "signature-payee")
        elif ledger.now < terms.refund_time:
            raise RuleViolation("timelock", f"refund only from T + T_conf = {terms.refund_time}")

    def apply(self, ledger: Ledger) -> None:
        terms = open_escrow(ledger, self.cid)
        share = self.payee_share(terms)
        ledger.release(self.cid, [(terms.payee, share), (terms.payer, terms.amount - share)])


@transaction_type
@dataclass(frozen=True)
class UpdateTx(_ChannelSpend):
    """UpdateTx(cid, b): b to B, d + p − b to A. A signs when paying; B co-signs to close."""

    kind: ClassVar[str] = "update"
    cooperative: ClassVar[bool] = True

    paid: int
    payer_sig: Signature | None = None
    payee_sig: Signature | None = None

    def body(self) -> tuple[bytes | int, ...]:
        return (self.cid, self.paid)

    def payee_share(self, terms: EscrowTerms) -> int:
        return self.paid

    def signatures(self) -> tuple[Signature | None, Signature | None]:
        return self.payer_sig, self.payee_sig

    @classmethod
    def create(cls, sk_payer: SecretKey, cid: bytes, paid: int, rng: RandomSource | None = None) -> UpdateTx:
        """A's half: the update to a cumulative payment of `paid`, signed with sk_A."""
        unsigned = cls(cid, paid)
        return replace(unsigned, payer_sig=schnorr.sign(sk_payer, unsigned.message(), rng))

    def cosign(self, sk_payee: SecretKey, rng: RandomSource | None = None) -> UpdateTx:
        """B's half, added only when B closes the channel with this update."""
        return replace(self, payee_sig=schnorr.sign(sk_payee, self.message(), rng))


@transaction_type
@dataclass(frozen=True)
class PenaltyTx(_ChannelSpend):
    """PenaltyTx(cid): all d + p to B, signed with the payer key extracted from a double spend and sk_B."""

    kind: ClassVar[str] = "penalty"
    cooperative: ClassVar[bool] = True

    payer_sig: Signature
    payee_sig: Signature

    def body(self) -> tuple[bytes | int, ...]:
        return (self.cid,)

    def payee_share(self, terms: EscrowTerms) -> int:
        return terms.amount

    def signatures(self) -> tuple[Signature | None, Signature | None]:
        return self.payer_sig, self.payee_sig

    @classmethod
    def create(
        cls, extracted: SecretKey, sk_payee: SecretKey, cid: bytes, rng: RandomSource | None = None
    ) -> PenaltyTx:
        message = _spend_message(cls.kind, cid)
        return cls(cid, schnorr.sign(extracted, message, rng), schnorr.sign(sk_payee, message, rng))


@transaction_type
@dataclass(frozen=True)
class RefundTx(_ChannelSpend):
    """RefundTx(cid): all d + p back to A, σ_A alone, valid from T + T_conf."""

    kind: ClassVar[str] = "refund"
    cooperative: ClassVar[bool] = False

    payer_sig: Signature

    def body(self) -> tuple[bytes | int, ...]:
        return (self.cid,)

    def payee_share(self, terms: EscrowTerms) -> int:
        return 0

    def signatures(self) -> tuple[Signature | None, Signature | None]:
        return self.payer_sig, None

    @classmethod
    def create(cls, sk_payer: SecretKey, cid: bytes, rng: RandomSource | None = None) -> RefundTx:
        return cls(cid, schnorr.sign(sk_payer, _spend_message(cls.kind, cid), rng))
