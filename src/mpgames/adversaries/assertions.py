"""Adversaries against the accountable-assertion games `aa.secrecy` and `aa.extract` (harness §4).

Secrecy (`aa.secrecy`):
* `aa.random-key` (null): a uniform guess of the key, no assertion asked.
* `aa.sibling-leak` (reference): asks for honest assertions of the sibling contexts 2j and 2j+1 and
  runs `mpgames.scheme.assertions.sibling_leak`. On `rks-as-published` the two openings of the common parent
  give x; on the fixed tree there is no double opening and the attack falls back to a random guess.

Extractability (`aa.extract`), the adversary being the payer with a key of its own:
* `aa.honest-equivocator` (null): runs Gen with its own key, then asserts two statements in one
  context with two copies of its asserter state (the stateful Assert refuses a second assertion).
  Extract recovers its key, so it loses.
* `aa.unbound-equivocation` (reference): asserts once, as the no-leaf-binding scheme asserts (the
  leaf opened to the constant message), and presents that one τ for two different statements. On
  the fixed tree τ verifies for neither statement, so it loses there.
* `aa.leaf-collision` (reference, generic): a birthday search for two statements st0 ≠ st1 whose leaf
  messages H_q("AA/S", st) collide modulo q, then one assertion of st0, presented for both. It breaks
  the fixed tree on the toy tier only (extractability holds "unless H_q collided", and on a 20-bit q
  it does); `leaf_collision` is the search, shared with `mp.ds-leaf-collision`
  (mpgames.adversaries.micropay).
"""

from __future__ import annotations

import math
from collections.abc import Callable

from mpgames.adversaries.base import Adversary
from mpgames.games.aa_extract import AaExtractAdversary, AaExtractView, Equivocation
from mpgames.games.aa_secrecy import AaSecrecyAdversary, AaSecrecyView
from mpgames.scheme import assertions, schnorr
from mpgames.scheme.assertions import AUXSK_LEN, FIXED, UNBOUND_LEAF, Asserter
from mpgames.scheme.groups import Group
from mpgames.scheme.hashing import Tag, hash_to_scalar
from mpgames.scheme.randomness import RandomSource
from mpgames.scheme.schnorr import SecretKey

# Two different statements for one context: the same channel state paid twice.
STATEMENTS = (b"state 7: pay 1 coin to Bob", b"state 7: pay 1 coin to Carol")


class RandomKeyGuess(Adversary, AaSecrecyAdversary):
    """Null adversary: guess the assertion key uniformly."""

    id = "aa.random-key"
    label = "random guess of the assertion key"
    targets = ("aa.secrecy",)
    expect = "null"

    def attack(self, view: AaSecrecyView, rng: RandomSource) -> int:
        return view.group.random_secret(rng)


class SiblingLeak(Adversary, AaSecrecyAdversary):
    """Reference attack: honest assertions of sibling contexts 2j, 2j+1, then `sibling_leak`."""

    id = "aa.sibling-leak"
    label = "sibling-context assertions, double opening of the parent"
    targets = ("aa.secrecy",)
    expect = "breaks:rks-as-published"

    def attack(self, view: AaSecrecyView, rng: RandomSource) -> int:
        apk = view.apk
        left = 2 * rng.randbelow(apk.contexts // 2)
        (st_a, st_b), (ct_a, ct_b) = STATEMENTS, (left, left + 1)
        tau_a, tau_b = view.assert_(ct_a, st_a), view.assert_(ct_b, st_b)
        x = assertions.sibling_leak(apk, ct_a, st_a, tau_a, ct_b, st_b, tau_b)
        return view.group.random_secret(rng) if x is None else x


def _own_keys(group: Group, rng: RandomSource) -> tuple[SecretKey, bytes]:
    """The adversary's own Gen: a Schnorr key x (its ask) and a fresh PRF key auxsk."""
    _pk, sk = schnorr.keygen(group, rng)
    return sk, rng.randbytes(AUXSK_LEN)


class HonestEquivocator(Adversary, AaExtractAdversary):
    """Null adversary: a payer that asserts two statements in one context with its own key."""

    id = "aa.honest-equivocator"
    label = "assert two statements in one context (own key)"
    targets = ("aa.extract",)
    expect = "null"

    def attack(self, view: AaExtractView, rng: RandomSource) -> Equivocation:
        keys = _own_keys(view.group, rng)
        # Two copies of the asserter's state: one copy refuses to assert a context twice.
        first, second = Asserter(*keys, view.depth), Asserter(*keys, view.depth)
        ct = rng.randbelow(first.public.contexts)
        st0, st1 = STATEMENTS
        return Equivocation(first.public, ct, st0, st1, first.assert_(ct, st0), second.assert_(ct, st1))


class UnboundEquivocation(Adversary, AaExtractAdversary):
    """Reference attack: one assertion with the leaf opened to the constant, shown for two statements."""

    id = "aa.unbound-equivocation"
    label = "one opening presented for two statements"
    targets = ("aa.extract",)
    expect = "breaks:no-leaf-binding"

    def attack(self, view: AaExtractView, rng: RandomSource) -> Equivocation:
        asserter = Asserter(*_own_keys(view.group, rng), view.depth)
        ct = rng.randbelow(asserter.public.contexts)
        tau = asserter.assert_(ct, UNBOUND_LEAF)
        st0, st1 = STATEMENTS
        return Equivocation(asserter.public, ct, st0, st1, tau, tau)


# -- the generic attack: a birthday collision of the leaf messages ------------------------------------

# Table size cap of the birthday search: √q for a toy q (about 2^10 for toy-64-20), and this many
# entries where √q is out of reach (a standard q: the search then fails, as it should).
SEARCH_LIMIT = 2**11
# Lookups per table entry: the chance that none of FACTOR·√q lookups hits a √q-entry table is about
# e^−FACTOR = 0.25%.
FACTOR = 6
# The two statement families of `aa.leaf-collision`: "state 7: pay x coins to Bob" and "… to Carol".
PAYEES = (b"Bob", b"Carol")


def leaf_message(q: int, statement: bytes) -> int:
    """m = H_q("AA/S", st): the message an assertion opens its leaf to (scheme §3.4)."""
    return hash_to_scalar(q, Tag.AA_S, statement)


def leaf_collision(
    q: int, statement: Callable[[bytes, int], bytes], families: tuple[bytes, bytes]
) -> tuple[int, int] | None:
    """Counters (x0, x1) with H_q("AA/S", st(f0, x0)) = H_q("AA/S", st(f1, x1)): a table of
    min(√q, SEARCH_LIMIT) counters in family f0, then up to FACTOR times as many counters of family f1
    looked up in it; None if none collide. `statement` must keep the two families apart (st(f0, ·) ≠
    st(f1, ·)), so that a hit is two different statements."""
    first, second = families
    width = min(math.isqrt(q) + 1, SEARCH_LIMIT)
    table = {leaf_message(q, statement(first, x)): x for x in range(1, width + 1)}
    for x1 in range(1, FACTOR * width + 1):
        x0 = table.get(leaf_message(q, statement(second, x1)))
        if x0 is not None:
            return x0, x1
    return None


def payment_statement(payee: bytes, coins: int) -> bytes:
    """The statement "state 7: pay `coins` coins to `payee`" (one context, many possible payments)."""
    return b"state 7: pay %d coins to %s" % (coins, payee)


class LeafCollisionEquivocation(Adversary, AaExtractAdversary):
    """Reference attack (generic, toy tier): two statements with colliding leaf messages, one assertion.

    A birthday search (`leaf_collision`, about 2·√q hashes of H_q) finds st0 ≠ st1 with
    H_q("AA/S", st0) = H_q("AA/S", st1). Both then open the same tree path: the one assertion τ of st0,
    under a key of its own (a depth-D key of the fixed layout, as the game demands), verifies for st1
    too, and Extract, shown τ twice, finds no node opened to two messages and returns ⊥.

    Tiers: it plays both, with the same budget. On the toy tier (a 20-bit q) the search succeeds
    with probability about 1 − e^−6. On the standard tier it still runs, capped at SEARCH_LIMIT table
    entries and FACTOR·SEARCH_LIMIT lookups (about 14,000 hashes, some 40 ms), and against a 256-bit
    q it finds nothing (success about 2^−230): it then presents τ for two statements whose leaf
    messages differ, which does not verify, and loses. Against `no-leaf-binding`, whose leaves carry
    a constant, its τ verifies for neither statement: that variant is `aa.unbound-equivocation`'s.
    """

    id = "aa.leaf-collision"
    label = "birthday collision of H_q(st) on a toy q, one τ for two statements"
    targets = ("aa.extract",)
    expect = f"breaks:{FIXED}"
    breaks_tiers = ("toy",)

    def attack(self, view: AaExtractView, rng: RandomSource) -> Equivocation:
        asserter = Asserter(*_own_keys(view.group, rng), view.depth)
        ct = rng.randbelow(asserter.public.contexts)
        counters = leaf_collision(view.group.q, payment_statement, PAYEES)
        x0, x1 = (1, 1) if counters is None else counters  # no collision: two unrelated statements
        st0, st1 = payment_statement(PAYEES[0], x0), payment_statement(PAYEES[1], x1)
        tau = asserter.assert_(ct, st0)
        return Equivocation(asserter.public, ct, st0, st1, tau, tau)
