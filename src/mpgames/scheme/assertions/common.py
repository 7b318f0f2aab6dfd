"""What the binary tree and AA-2 share (spec §3.4 Syntax; Assert step 1 and the range checks of
Verify step 1): the key, context and statement checks, the used-context registry U, the ordering of
siblings and the asserter's public state."""

from __future__ import annotations

from typing import Generic, Protocol, TypeVar

from mpgames.scheme.errors import ContextReusedError, SchemeError
from mpgames.scheme.groups import Group
from mpgames.scheme.integers import checked_int
from mpgames.scheme.schnorr import SecretKey

# auxsk: a 256-bit PRF key (spec §3.4 Gen step 2).
AUXSK_LEN = 32

T = TypeVar("T")
TauT_co = TypeVar("TauT_co", covariant=True)


def check_depth(depth: object, maximum: int) -> int:
    """depth as an exact int in [1, maximum]."""
    return checked_int(depth, "depth", minimum=1, maximum=maximum)


def check_assertion_keys(sk: object, auxsk: object) -> tuple[SecretKey, bytes]:
    """ask must be a `SecretKey` and auxsk a 32-byte PRF key."""
    if not isinstance(sk, SecretKey):
        raise SchemeError("the assertion key must be a SecretKey")
    if type(auxsk) is not bytes or len(auxsk) != AUXSK_LEN:
        raise SchemeError(f"auxsk must be {AUXSK_LEN} bytes")
    return sk, auxsk


def check_context(ct: object, depth: int) -> int:
    """ct as a context of a depth-`depth` tree: an exact int in [0, 2^depth)."""
    return checked_int(ct, "context", minimum=0, maximum=(1 << depth) - 1)


def check_statement(st: object) -> bytes:
    """Statements are arbitrary byte strings (exactly `bytes`: a subclass could lie when compared)."""
    if type(st) is not bytes:
        raise SchemeError("statement must be bytes")
    return st


def in_order(index: int, own: T, sibling: T) -> tuple[T, T]:
    """(left, right) children: the node at `index` is the left one iff index is even."""
    return (own, sibling) if index % 2 == 0 else (sibling, own)


class ContextRegistry:
    """The asserter's state U: the contexts already asserted (spec §3.4 Assert step 1).

    Asserting twice in one context hands out the key, so a context is claimed before anything is
    computed and never released.
    """

    def __init__(self, depth: int) -> None:
        self._depth = depth
        self._used: set[int] = set()

    @property
    def used(self) -> frozenset[int]:
        return frozenset(self._used)

    def claim(self, ct: int) -> int:
        """Record ct as used; raise `ContextReusedError` if it already was."""
        ct = check_context(ct, self._depth)
        if ct in self._used:
            raise ContextReusedError(f"context {ct} was already asserted; asserting again would leak the key")
        self._used.add(ct)
        return ct


class StatefulAsserter(Protocol[TauT_co]):
    """The payer's side of an accountable-assertion scheme (binary tree or AA-2)."""

    @property
    def used_contexts(self) -> frozenset[int]: ...

    def assert_(self, ct: int, st: bytes) -> TauT_co: ...


class _AssertionPublic(Protocol):
    @property
    def group(self) -> Group: ...

    @property
    def depth(self) -> int: ...


ApkT = TypeVar("ApkT", bound=_AssertionPublic)


class AsserterState(Generic[ApkT]):
    """What every asserter holds besides its secrets: its public key and the used contexts U.

    Subclasses set `_public` and `_used` in their constructor; `_describe` adds fields to the repr,
    which never shows a key.
    """

    _public: ApkT
    _used: ContextRegistry

    def _describe(self) -> str:
        return ""

    def __repr__(self) -> str:
        apk = self._public
        return (
            f"{type(self).__name__}(group={apk.group.label}, depth={apk.depth}, {self._describe()}"
            f"used={len(self._used.used)}, keys=<hidden>)"
        )

    @property
    def public(self) -> ApkT:
        return self._public

    @property
    def used_contexts(self) -> frozenset[int]:
        """A read-only snapshot of U."""
        return self._used.used
