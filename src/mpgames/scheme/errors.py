"""Typed errors of the scheme layer (spec §2.2: every external value is validated).

Every rejection of externally supplied data raises a subclass of `SchemeError`, so callers (the
games, the CLI) can tell bad input from a bug and turn it into one clear line.
"""

from __future__ import annotations


class SchemeError(ValueError):
    """Base class: a value or a request that the scheme refuses."""


class InvalidGroupError(SchemeError):
    """Group parameters fail validation, or are too weak for the requested tier."""


class InvalidElementError(SchemeError):
    """An integer is not an element of the order-q subgroup."""


class InvalidScalarError(SchemeError):
    """A scalar lies outside Z_q (or a secret key outside [1, q-1])."""


class DecodeError(SchemeError):
    """A byte string does not decode to a well-formed object (length, field count, range)."""


class VerificationError(SchemeError):
    """A signature, assertion, coin or voucher does not verify."""


class ContextReusedError(SchemeError):
    """An accountable assertion was requested twice for the same context (it would leak the key)."""


class RuleViolation(SchemeError):
    """A ledger or protocol rule rejected a request; `rule` names it. No state was changed."""

    def __init__(self, rule: str, detail: str = "") -> None:
        self.rule = rule
        self.detail = detail
        super().__init__(f"{rule}: {detail}" if detail else rule)
