"""Adversaries against the accountable-assertion games `aa.secrecy` and `aa.extract` (harness §4).

Secrecy (`aa.secrecy`):
* `aa.random-key` (null): a uniform guess of the key, no assertion asked.
* `aa.sibling-leak` (reference): asks for honest assertions of the sibling contexts 2j and 2j+1 and
  runs `scheme.assertions.sibling_leak`. On `rks-as-published` the two openings of the common parent
  give x; on the fixed tree there is no double opening and the attack falls back to a random guess.

Extractability (`aa.extract`), the adversary being the payer with a key of its own:
* `aa.honest-equivocator` (null): runs Gen with its own key, then asserts two statements in one
  context with two copies of its asserter state (the stateful Assert refuses a second assertion).
  Extract recovers its key, so it loses.
* `aa.unbound-equivocation` (reference): asserts once, as the no-leaf-binding scheme asserts (the
  leaf opened to the constant message), and presents that one τ for two different statements. On
  the fixed tree τ verifies for neither statement, so it loses there.
"""

from __future__ import annotations

from adversaries.base import Adversary
from games.aa_extract import UNBOUND_LEAF, Equivocation
from games.view import View
from scheme import assertions, schnorr
from scheme.assertions import AUXSK_LEN, Asserter, AssertionPublicKey
from scheme.groups import Group
from scheme.randomness import RandomSource
from scheme.schnorr import SecretKey

# Two different statements for one context: the same channel state paid twice.
STATEMENTS = (b"state 7: pay 1 coin to Bob", b"state 7: pay 1 coin to Carol")


class RandomKeyGuess(Adversary):
    """Null adversary: guess the assertion key uniformly."""

    id = "aa.random-key"
    label = "random guess of the assertion key"
    targets = ("aa.secrecy",)
    expect = "null"

    def attack(self, view: View, rng: RandomSource) -> int:
        return view.group.random_secret(rng)


class SiblingLeak(Adversary):
    """Reference attack: honest assertions of sibling contexts 2j, 2j+1, then `sibling_leak`."""

    id = "aa.sibling-leak"
    label = "sibling-context assertions, double opening of the parent"
    targets = ("aa.secrecy",)
    expect = "breaks:rks-as-published"

    def attack(self, view: View, rng: RandomSource) -> int:
        apk: AssertionPublicKey = view.apk
        left = 2 * rng.randbelow(apk.contexts // 2)
        (st_a, st_b), (ct_a, ct_b) = STATEMENTS, (left, left + 1)
        tau_a, tau_b = view.assert_(ct_a, st_a), view.assert_(ct_b, st_b)
        x = assertions.sibling_leak(apk, ct_a, st_a, tau_a, ct_b, st_b, tau_b)
        return view.group.random_secret(rng) if x is None else x


def _own_keys(group: Group, rng: RandomSource) -> tuple[SecretKey, bytes]:
    """The adversary's own Gen: a Schnorr key x (its ask) and a fresh PRF key auxsk."""
    _pk, sk = schnorr.keygen(group, rng)
    return sk, rng.randbytes(AUXSK_LEN)


class HonestEquivocator(Adversary):
    """Null adversary: a payer that asserts two statements in one context with its own key."""

    id = "aa.honest-equivocator"
    label = "assert two statements in one context (own key)"
    targets = ("aa.extract",)
    expect = "null"

    def attack(self, view: View, rng: RandomSource) -> Equivocation:
        keys = _own_keys(view.group, rng)
        # Two copies of the asserter's state: one copy refuses to assert a context twice.
        first, second = Asserter(*keys, view.depth), Asserter(*keys, view.depth)
        ct = rng.randbelow(first.public.contexts)
        st0, st1 = STATEMENTS
        return Equivocation(first.public, ct, st0, st1, first.assert_(ct, st0), second.assert_(ct, st1))


class UnboundEquivocation(Adversary):
    """Reference attack: one assertion with the leaf opened to the constant, shown for two statements."""

    id = "aa.unbound-equivocation"
    label = "one opening presented for two statements"
    targets = ("aa.extract",)
    expect = "breaks:no-leaf-binding"

    def attack(self, view: View, rng: RandomSource) -> Equivocation:
        asserter = Asserter(*_own_keys(view.group, rng), view.depth)
        ct = rng.randbelow(asserter.public.contexts)
        tau = asserter.assert_(ct, UNBOUND_LEAF)
        st0, st1 = STATEMENTS
        return Equivocation(asserter.public, ct, st0, st1, tau, tau)
