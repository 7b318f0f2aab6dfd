"""Secrecy of accountable assertions, game `aa.secrecy` (harness §3; scheme §3.4, S3 Def. 4).

The payer's assertion key ask is its escrow key x: whoever learns it takes the deposit. Secrecy
says that honest assertions, at most one per context, do not reveal it. Variants:

* `fixed`: the binary chameleon-hash tree with the leaf fix of scheme §3.4. Every leaf entry is
  G(ℓ, j, V) of the chameleon value only, so honest assertions of distinct contexts never open a
  node to two messages.
* `rks-as-published` (broken): the layout of RKS and accas, where the asserted leaf's entry
  G(Ch(S(st); r'), r') depends on the statement. Honest assertions of the sibling contexts 2j and
  2j+1 then open their common parent to two different digests, and `mpgames.scheme.assertions.sibling_leak`
  computes x from the two openings.

The tree has depth `DEPTH` = 8 (256 contexts): the leak sits at the lowest internal level whatever
the depth, and an assertion costs 2D exponentiations, so a shallow tree keeps trials fast.
"""

from __future__ import annotations

from collections.abc import Mapping, Set
from dataclasses import dataclass
from typing import Protocol

from mpgames.framework.base import Game, budget_table
from mpgames.framework.context import TrialContext
from mpgames.framework.oracles import Oracle
from mpgames.framework.view import View
from mpgames.games.variants import declared_variants
from mpgames.measure.verdicts import Kind
from mpgames.scheme import assertions, schnorr
from mpgames.scheme.assertions import (
    FIXED,
    FIXED_TREE,
    RKS_TREE,
    Assertion,
    AssertionPublicKey,
    check_context,
    check_variant,
)
from mpgames.scheme.groups import Group
from mpgames.scheme.randomness import RandomSource

# Tree depth D: 2^8 contexts, 16 exponentiations per assertion.
DEPTH = 8


@dataclass(frozen=True)
class AaSecrecyView(View):
    """What the key recoverer is given: the group, the variant's name, apk and Assert'(ct, st)."""

    group: Group
    variant: str
    apk: AssertionPublicKey
    assert_: Oracle[[int, bytes], Assertion]


class AaSecrecyAdversary(Protocol):
    """A key recoverer: one stage, from the view to ask*."""

    def attack(self, view: AaSecrecyView, rng: RandomSource) -> int: ...


class AssertionSecrecy(Game):
    """
    ┌────────────────────────────────────────────────────────────────────┐
    │ Sec: secrecy of accountable assertions (RKS, S3 Def. 4)            │
    │                                                                    │
    │ Given:    apk and an oracle Assert'(ct, st) that records (ct, st)  │
    │           in Q and returns Assert(ask, auxsk, ct, st), at most     │
    │           budgets["assert_"] queries.                              │
    │ Produce:  ask*.                                                    │
    │ Wins iff  ask* = ask and Q holds no (ct, st0), (ct, st1) with      │
    │           st0 ≠ st1 (no context asserted two ways).                │
    └────────────────────────────────────────────────────────────────────┘
    """

    id = "aa.secrecy"
    title = "Accountable-assertion secrecy"
    kind = Kind.WIN_LOSE
    notion = (
        "secrecy of accountable assertions: from honest assertions, at most one statement per context, "
        "recover the assertion key (the payer's escrow key)"
    )
    source = "scheme §3.4; Ruffing–Kate–Schröder (S3) Def. 4"
    variants = declared_variants(id, FIXED_TREE, RKS_TREE)
    default_variant = FIXED
    budgets = budget_table(assert_=4)
    adversary_type = AaSecrecyAdversary

    def experiment(self, ctx: TrialContext, adversary: AaSecrecyAdversary) -> bool:
        group = ctx.group
        # (apk, ask, auxsk) ← Gen: ask is the payer's Schnorr key x, auxsk a fresh PRF key.
        _pk, ask = schnorr.keygen(group, ctx.rng)
        apk, asserter = assertions.generate(ask, DEPTH, ctx.rng, variant=check_variant(ctx.variant.name))
        asked: dict[int, set[bytes]] = {}

        def assert_(ct: int, st: bytes) -> Assertion:
            ct = check_context(ct, DEPTH)
            asked.setdefault(ct, set()).add(st)
            return asserter.assert_(ct, st)

        # Assert'(ct, st) records (ct, st) in Q, even when the stateful Assert refuses it (⊥), and
        # returns Assert(ask, auxsk, ct, st).
        o_assert = ctx.oracle("assert_", assert_)
        # A^{Assert'}(apk) outputs ask*.
        view = AaSecrecyView(group=group, variant=ctx.variant.name, apk=apk, assert_=o_assert)
        guess = ctx.play(adversary.attack, view, returns=int)
        # It wins iff ask* = ask and no context was asserted with two different statements.
        return ctx.judge(self.recovered_key, group, ask.x, asked, guess)

    @staticmethod
    def recovered_key(group: Group, ask: int, asked: Mapping[int, Set[bytes]], output: int) -> bool:
        """Win: ask* (an exact int from the boundary) is a well-formed key, ask* = ask, and Q has at
        most one statement per context."""
        guess = group.check_secret(output, "the recovered key ask*")
        # ask* = ask (the key is unique for apk) …
        correct = guess == ask
        # … and no context of Q carries two different statements (that would be extraction, not a break).
        one_statement_each = all(len(statements) == 1 for statements in asked.values())
        return correct and one_statement_each
