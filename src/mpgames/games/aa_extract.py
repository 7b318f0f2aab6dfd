"""Extractability of accountable assertions, game `aa.extract` (harness §3; scheme §3.4, S3 Def. 3).

Extractability is what makes a double-spending payer pay: two valid assertions of different
statements in one context must give anyone its key. The adversary plays the payer and may choose
its own public key (adversarial keys): the challenger has no secret, only Verify and Extract.
Variants:

* `fixed`: the binary chameleon-hash tree of scheme §3.4 (leaf fix included). The leaf is opened to
  H_q("AA/S", st), so two statements in one context open some node of the path to two messages and
  Extract recovers x, unless H_q, G or Dg collided.
* `no-leaf-binding` (broken, a deliberate binding bug): Assert and Verify open the leaf to a
  constant message instead of the statement, so an assertion proves that the context was used but
  not what was said. One opening then serves every statement: both assertions verify, no node is
  opened twice, and Extract (which binds the same constant, so it sees one statement) returns ⊥. No
  extractor could do better, since the two transcripts carry no more about x than one assertion.

Both are declared in `mpgames.scheme.assertions` (`variants`, with the leaf substitution
`leaf_statement`).

Not a variant here: `rks-as-published`. Its leak is across sibling contexts (a secrecy failure,
game `aa.secrecy`); within one context it stays extractable.

The public key must be a depth-`DEPTH` key of the fixed tree layout over the game's group: its key y
and root z are the adversary's choice, its cost to the verifier is fixed by the game, as a payee
fixes the tree depth it accepts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from mpgames.framework.base import Game
from mpgames.framework.context import TrialContext
from mpgames.framework.errors import MalformedOutput
from mpgames.framework.view import View
from mpgames.games.payment_desk import DEPTH
from mpgames.games.variants import declared_variants
from mpgames.measure.verdicts import Kind
from mpgames.scheme import assertions
from mpgames.scheme.assertions import FIXED, FIXED_TREE, Assertion, AssertionPublicKey, leaf_statement
from mpgames.scheme.groups import Group
from mpgames.scheme.randomness import RandomSource


@dataclass(frozen=True)
class Equivocation:
    """The adversary's output (apk, ct, st0, st1, τ0, τ1)."""

    apk: AssertionPublicKey
    ct: int
    st0: bytes
    st1: bytes
    tau0: Assertion
    tau1: Assertion


@dataclass(frozen=True)
class AaExtractView(View):
    """What the equivocating payer is given: the group, the variant's name and the tree depth D."""

    group: Group
    variant: str
    depth: int


class AaExtractAdversary(Protocol):
    """An equivocating payer: one stage, from the view to (apk, ct, st0, st1, τ0, τ1)."""

    def attack(self, view: AaExtractView, rng: RandomSource) -> Equivocation: ...


class AssertionExtractability(Game):
    """
    ┌────────────────────────────────────────────────────────────────────┐
    │ Ext: extractability of accountable assertions (RKS, S3 Def. 3),    │
    │      with adversarially chosen keys                                │
    │                                                                    │
    │ Given:    the group and the tree depth D; no oracle, no secret.    │
    │ Produce:  (apk, ct, st0, st1, τ0, τ1), apk of its own choosing.    │
    │ Wins iff  Verify(apk, ct, st_b, τ_b) = 1 for b = 0, 1, st0 ≠ st1,  │
    │           and Extract(apk, ct, st0, st1, τ0, τ1) ≠ ask, the unique │
    │           key of apk (the x with g^x = y).                         │
    └────────────────────────────────────────────────────────────────────┘
    """

    id = "aa.extract"
    title = "Accountable-assertion extractability"
    kind = Kind.WIN_LOSE
    notion = (
        "extractability of accountable assertions with adversarial keys: assert two different "
        "statements in one context so that both verify and Extract still misses the key"
    )
    source = "scheme §3.4; Ruffing–Kate–Schröder (S3) Def. 3"
    variants = declared_variants(id, FIXED_TREE, assertions.NO_LEAF_BINDING)
    default_variant = FIXED
    adversary_type = AaExtractAdversary

    def experiment(self, ctx: TrialContext, adversary: AaExtractAdversary) -> bool:
        group = ctx.group
        # No keys for the challenger: A picks apk itself and outputs (apk, ct, st0, st1, τ0, τ1).
        view = AaExtractView(group=group, variant=ctx.variant.name, depth=DEPTH)
        output = ctx.play(adversary.attack, view, returns=Equivocation)
        # It wins iff both assertions verify, the statements differ, and Extract misses the key.
        return ctx.judge(self.escapes_extraction, group, ctx.variant.name, output)

    @staticmethod
    def escapes_extraction(group: Group, variant: str, eq: Equivocation) -> bool:
        """Win: an equivocation (converted at the boundary) that verifies twice, on different
        statements, with Extract returning ⊥ or a scalar that is not the key of apk."""
        apk = eq.apk
        if (apk.group, apk.depth, apk.variant) != (group, DEPTH, FIXED):
            raise MalformedOutput(f"apk must be a depth-{DEPTH} {FIXED}-layout key over {group.label}")
        ct, st0, st1, tau0, tau1 = eq.ct, eq.st0, eq.st1, eq.tau0, eq.tau1
        leaf0, leaf1 = leaf_statement(variant, st0), leaf_statement(variant, st1)
        # Verify(apk, ct, st_b, τ_b) = 1 for b = 0, 1 (a malformed τ or ct is a loss) …
        both_verify = assertions.verify(apk, ct, leaf0, tau0) and assertions.verify(apk, ct, leaf1, tau1)
        # … st0 ≠ st1 …
        distinct = st0 != st1
        # … and Extract does not return ask (⊥, or a scalar x with g^x ≠ y).
        return (
            both_verify
            and distinct
            and _misses_key(apk, assertions.extract(apk, ct, leaf0, leaf1, tau0, tau1))
        )


def _misses_key(apk: AssertionPublicKey, extracted: int | None) -> bool:
    return extracted is None or apk.group.gexp(extracted) != apk.pk.y
