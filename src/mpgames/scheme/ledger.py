"""The ledger model: clock, balances, locked outputs and rule-checked transactions (spec §4.3, §5.2).

The ledger is an append-only log with a clock `now`, a spendable balance per public key and a set
of locked outputs (a microcoin commitment, a channel escrow). Ledger integrity is assumed (seed
Def. 6.6): every transaction is checked against its rules before anything changes.

A transaction type implements `check(ledger)`, which raises `RuleViolation` naming the broken rule
and must not change state, and `apply(ledger)`, which performs the effect through `debit`, `lock`,
`release` and `credit`. `submit` runs both and restores the previous state if `apply` fails, so a
rejected transaction never changes the ledger. The ledger runs only the rules of the transaction
types registered with `@transaction_type`, never a subclass's: `submit` refuses any other type
("unknown-transaction") and checks a canonical copy of the transaction (`mpgames.scheme.revalidate`),
built field by field by the type's own constructors, so an object that skipped them or holds
lying values is refused ("malformed-transaction") before any rule runs. Total value is conserved:
`total_value()` equals everything ever minted.

The transaction types themselves live with their protocols: `mpgames.scheme.microcoin_tx` (commit, redeem,
refund of §4.3) and `mpgames.scheme.channel_tx` (escrow, update, penalty, refund of §5.2).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol, TypeVar

from mpgames.scheme.errors import RuleViolation
from mpgames.scheme.hashing import hash256
from mpgames.scheme.integers import checked_int
from mpgames.scheme.revalidate import NotCanonicalError, canonical
from mpgames.scheme.schnorr import PublicKey

TAG_TXID = b"LEDGER/TXID"

TxT = TypeVar("TxT")
# The exact transaction types the ledger runs (registered where they are defined).
_TRANSACTION_TYPES: set[type] = set()


def transaction_type(cls: type[TxT]) -> type[TxT]:
    """Class decorator: register a (dataclass) transaction type whose rules the ledger runs."""
    _TRANSACTION_TYPES.add(cls)
    return cls


class Transaction(Protocol):
    """A rule-checked ledger transaction."""

    kind: ClassVar[str]

    def encode(self) -> bytes:
        """Canonical bytes, hashed into the transaction id."""
        ...

    def check(self, ledger: Ledger) -> None:
        """Raise `RuleViolation` if the transaction may not be applied now; change nothing."""
        ...

    def apply(self, ledger: Ledger) -> None:
        """Perform the effect (only called after `check` passed)."""
        ...


@dataclass
class LockedOutput:
    """Value locked under an id until a transaction releases it; `terms` holds the lock's conditions."""

    output_id: bytes
    owner: PublicKey
    amount: int
    terms: Any
    created: int
    released: bool = False


@dataclass(frozen=True)
class LogEntry:
    time: int
    txid: bytes
    tx: Transaction


@dataclass
class Ledger:
    """A simulated blockchain ledger with a discrete clock."""

    now: int = 0
    _balances: dict[PublicKey, int] = field(default_factory=dict)
    _locked: dict[bytes, LockedOutput] = field(default_factory=dict)
    _log: list[LogEntry] = field(default_factory=list)
    _minted: int = 0

    # -- clock -----------------------------------------------------------------------------------
    def advance(self, dt: int) -> None:
        """Move the clock forward by dt >= 0 time units."""
        if not isinstance(dt, int) or dt < 0:
            raise RuleViolation("clock-monotone", "time only moves forward")
        self.now += dt

    # -- queries ---------------------------------------------------------------------------------
    def balance(self, pk: PublicKey) -> int:
        return self._balances.get(pk, 0)

    def locked(self, output_id: bytes) -> LockedOutput:
        """The locked output with this id; `RuleViolation("unknown-output")` if there is none."""
        try:
            return self._locked[output_id]
        except KeyError:
            raise RuleViolation("unknown-output", f"no locked output {output_id.hex()[:16]}") from None

    def has_output(self, output_id: bytes) -> bool:
        return output_id in self._locked

    @property
    def log(self) -> tuple[LogEntry, ...]:
        return tuple(self._log)

    def total_value(self) -> int:
        """Spendable balances plus unreleased locked value."""
        return sum(self._balances.values()) + sum(o.amount for o in self._locked.values() if not o.released)

    @property
    def minted(self) -> int:
        return self._minted

    def balances(self) -> Mapping[PublicKey, int]:
        return dict(self._balances)

    # -- genesis ---------------------------------------------------------------------------------
    def mint(self, pk: PublicKey, amount: int) -> None:
        """Create value out of nothing (genesis funding of a simulation)."""
        amount = _check_amount(amount)
        self._balances[pk] = self.balance(pk) + amount
        self._minted += amount

    # -- effects (used by Transaction.apply) -----------------------------------------------------
    def debit(self, pk: PublicKey, amount: int) -> None:
        amount = _check_amount(amount)
        if self.balance(pk) < amount:
            raise RuleViolation("insufficient-balance", f"needs {amount}, has {self.balance(pk)}")
        self._balances[pk] = self.balance(pk) - amount

    def credit(self, pk: PublicKey, amount: int) -> None:
        amount = _check_amount(amount)
        self._balances[pk] = self.balance(pk) + amount

    def lock(self, output_id: bytes, owner: PublicKey, amount: int, terms: Any) -> None:
        """Move `amount` from the owner's balance into a new locked output."""
        if output_id in self._locked:
            raise RuleViolation("duplicate-output", "an output with this id already exists")
        self.debit(owner, amount)
        self._locked[output_id] = LockedOutput(output_id, owner, amount, terms, self.now)

    def release(self, output_id: bytes, payouts: Iterable[tuple[PublicKey, int]]) -> None:
        """Spend a locked output entirely to the given payouts (which must add up to its amount)."""
        output = self.locked(output_id)
        if output.released:
            raise RuleViolation("output-spent", "the locked output was already spent")
        payouts = list(payouts)
        if sum(amount for _, amount in payouts) != output.amount:
            raise RuleViolation("value-conservation", "payouts must add up to the locked amount")
        output.released = True
        for pk, amount in payouts:
            if amount:
                self.credit(pk, amount)

    # -- submission ------------------------------------------------------------------------------
    def submit(self, tx: Transaction) -> bytes:
        """Check and apply a canonical copy of a transaction of a registered type; return its id.
        On rejection nothing changes."""
        kind = type(tx)
        if kind not in _TRANSACTION_TYPES:
            raise RuleViolation("unknown-transaction", f"the ledger runs no {kind.__name__} transactions")
        try:
            tx = canonical(tx, kind, "the transaction")
        except NotCanonicalError as err:
            raise RuleViolation("malformed-transaction", str(err)) from err
        tx.check(self)
        balances, locked = dict(self._balances), dict(self._locked)
        released = {output_id: o.released for output_id, o in locked.items()}
        try:
            tx.apply(self)
        except BaseException:
            self._balances, self._locked = balances, locked
            for output_id, flag in released.items():
                locked[output_id].released = flag
            raise
        txid = hash256(TAG_TXID, tx.kind, self.now, len(self._log), tx.encode())
        self._log.append(LogEntry(self.now, txid, tx))
        return txid


def _check_amount(amount: int) -> int:
    return checked_int(
        amount, "an amount", minimum=0, error=lambda message: RuleViolation("amount-range", message)
    )
