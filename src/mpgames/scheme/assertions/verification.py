"""Verify and Extract of the binary tree (spec §3.4 Verify, Extract) and the sibling leak of the tree as
published ("Why the fix"): one recomputation of the per-level openings (m, r', C) serves all three."""

from __future__ import annotations

from dataclasses import dataclass

from mpgames.scheme.assertions.common import check_context, check_statement
from mpgames.scheme.assertions.tree import (
    Assertion,
    AssertionLevel,
    AssertionPublicKey,
    _checked_entries,
)
from mpgames.scheme.chameleon import ch, extract_key
from mpgames.scheme.errors import DecodeError, InvalidGroupError, SchemeError
from mpgames.scheme.groups import check_group
from mpgames.scheme.revalidate import canonical


@dataclass(frozen=True, slots=True)
class _Opening:
    """Node (ℓ, j) opened to message m with randomness r', giving the chameleon value C."""

    level: int
    index: int
    message: int
    randomness: int
    value: int


def _checked_levels(apk: AssertionPublicKey, tau: Assertion) -> tuple[AssertionLevel, ...]:
    """τ's levels, checked again: same group as apk, D levels, every value valid, sibling kinds as
    the variant prescribes."""
    if not isinstance(tau, Assertion):
        raise DecodeError("expected an Assertion")
    if check_group(tau.group, "assertion group") != apk.group:
        raise InvalidGroupError("the assertion and the public key use different groups")
    levels = _checked_entries(apk.group, tau.levels)
    if len(levels) != apk.depth:
        raise DecodeError(f"the assertion has {len(levels)} levels, the public key {apk.depth}")
    tree = apk._tree
    for level, step in zip(range(apk.depth, 0, -1), levels, strict=True):
        if isinstance(step.sibling, bytes) != tree.hashes_sibling(level):
            raise DecodeError(f"sibling entry at level {level} does not match the {apk.variant} layout")
    return levels


def _walk(apk: AssertionPublicKey, ct: int, st: bytes, tau: Assertion) -> tuple[list[_Opening], int]:
    """The per-level recomputation: the opening (m, r', C) of each path node, leaf first, and the
    digest that reaches the root. `apk` is a checked key; checks the rest; costs 2D exponentiations."""
    ct, st = check_context(ct, apk.depth), check_statement(st)
    levels = _checked_levels(apk, tau)
    tree = apk._tree
    m, j = tree.statement_message(st), ct
    openings = []
    for level, step in zip(range(apk.depth, 0, -1), levels, strict=True):
        value = ch(apk.pk, m, step.r)
        openings.append(_Opening(level, j, m, step.r, value))
        m, j = tree.parent_digest(level, j, tree.path_entry(level, j, value, step.r), step.sibling), j >> 1
    return openings, m


def _accepted_openings(apk: AssertionPublicKey, ct: int, st: bytes, tau: Assertion) -> list[_Opening] | None:
    """The openings of τ if it verifies, else None."""
    openings, digest = _walk(apk, ct, st, tau)
    return openings if digest == apk.root else None


def verify(apk: AssertionPublicKey, ct: int, st: bytes, tau: Assertion) -> bool:
    """Verify(apk, ct, st, τ): recompute the path and accept iff it ends at z (2D exponentiations).

    Raises a `SchemeError` subclass for malformed input (context out of range, wrong layout or group).
    """
    apk = canonical(apk, AssertionPublicKey, "the assertion public key")
    return _accepted_openings(apk, ct, st, tau) is not None


AssertedStatement = tuple[int, bytes, Assertion]


def _key_from_double_opening(
    apk: AssertionPublicKey, first: AssertedStatement, second: AssertedStatement
) -> int | None:
    """x from the first node, leaf up, that two verifying assertions open to different messages."""
    apk = canonical(apk, AssertionPublicKey, "the assertion public key")
    a, b = _accepted_openings(apk, *first), _accepted_openings(apk, *second)
    if a is None or b is None:
        return None
    group = apk.group
    by_node = {(o.level, o.index): o for o in a}
    for o1 in b:
        o0 = by_node.get((o1.level, o1.index))
        if o0 is None or o0.value != o1.value or o0.message == o1.message:
            continue
        x = extract_key(group, o0.message, o0.randomness, o1.message, o1.randomness)
        # Equal values with different messages determine x; the check guards against a bad apk.
        if group.gexp(x) == apk.pk.y:
            return x
    return None


def extract(
    apk: AssertionPublicKey, ct: int, st0: bytes, st1: bytes, tau0: Assertion, tau1: Assertion
) -> int | None:
    """Extract(apk, ct, st0, st1, τ0, τ1): the key x with g^x = y, or None (⊥).

    ⊥ when the statements are equal or an assertion does not verify; otherwise some node on the path
    is opened to two messages (spec §3.4), unless H_q, G or Dg collided.
    """
    st0, st1 = check_statement(st0), check_statement(st1)
    key = _key_from_double_opening(apk, (ct, st0, tau0), (ct, st1, tau1))
    return key if st0 != st1 else None


def sibling_leak(
    apk: AssertionPublicKey,
    ct_a: int,
    st_a: bytes,
    tau_a: Assertion,
    ct_b: int,
    st_b: bytes,
    tau_b: Assertion,
) -> int | None:
    """The key from two honest assertions in *different* contexts, if they open a node twice.

    Succeeds on `rks-as-published` for sibling contexts (2j, 2j+1); returns None on the fixed tree,
    where no node is ever opened twice across contexts. The same context is `extract`'s job.
    """
    apk = canonical(apk, AssertionPublicKey, "the assertion public key")
    if check_context(ct_a, apk.depth) == check_context(ct_b, apk.depth):
        raise SchemeError("both assertions are in the same context; use extract")
    return _key_from_double_opening(apk, (ct_a, st_a, tau_a), (ct_b, st_b, tau_b))
