"""Games `aa.secrecy` and `aa.extract` (harness §3, scheme §3.4): verdicts computed by the engine for the
null adversaries and the reference attacks on both variants of each game, and the clauses of each win
predicate (one statement per context, distinct statements, the key of an adversarial apk)."""

from __future__ import annotations

import pytest

from mpgames.adversaries.assertions import (
    STATEMENTS,
    HonestEquivocator,
    LeafCollisionEquivocation,
    RandomKeyGuess,
    SiblingLeak,
    UnboundEquivocation,
)
from mpgames.adversaries.base import Adversary
from mpgames.adversaries.registry import adversaries_for
from mpgames.framework.engine import Engine, make_spec, play_trial
from mpgames.framework.errors import MalformedOutput
from mpgames.framework.outcome import TrialOutcome
from mpgames.framework.view import View
from mpgames.games.aa_extract import AssertionExtractability, Equivocation
from mpgames.games.aa_secrecy import AssertionSecrecy
from mpgames.games.payment_desk import DEPTH
from mpgames.games.registry import get_game
from mpgames.measure.verdicts import Verdict
from mpgames.scheme import assertions, schnorr
from mpgames.scheme.assertions import FIXED, RKS_AS_PUBLISHED, Asserter
from mpgames.scheme.errors import ContextReusedError
from mpgames.scheme.groups import named_group
from mpgames.scheme.randomness import RandomSource, SeededRandom

NO_LEAF_BINDING = assertions.NO_LEAF_BINDING.name

SEED = "test-games-aa"
TOY = AssertionSecrecy.group("toy")
STD = pytest.mark.slow


def verdict(game: type, variant: str, adversary: type, tier: str, max_trials: int = 1000) -> Verdict:
    with Engine(jobs=1) as engine:
        result = engine.run(game, variant, adversary, tier, max_trials=max_trials, seed=SEED)
    assert not result.lost, result.lost
    return result.estimate.verdict


def play(game: type, adversary: type, variant: str, index: int = 0) -> TrialOutcome:
    return play_trial(make_spec(game, variant, adversary, "toy", seed=SEED), index)


def test_registered_with_their_adversaries() -> None:
    assert get_game("aa.secrecy") is AssertionSecrecy
    assert get_game("aa.extract") is AssertionExtractability
    assert adversaries_for("aa.secrecy") == (RandomKeyGuess, SiblingLeak)
    extract = (HonestEquivocator, UnboundEquivocation, LeafCollisionEquivocation)
    assert adversaries_for("aa.extract") == extract


# -- aa.secrecy ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("variant", "adversary", "tier", "expected"),
    [
        (FIXED, RandomKeyGuess, "toy", Verdict.BOUNDED),
        (RKS_AS_PUBLISHED, RandomKeyGuess, "toy", Verdict.BOUNDED),
        (FIXED, SiblingLeak, "toy", Verdict.BOUNDED),
        (RKS_AS_PUBLISHED, SiblingLeak, "toy", Verdict.BROKEN),
        pytest.param(FIXED, RandomKeyGuess, "standard", Verdict.BOUNDED, marks=STD),
        pytest.param(RKS_AS_PUBLISHED, SiblingLeak, "standard", Verdict.BROKEN, marks=STD),
    ],
)
def test_secrecy_verdicts(variant: str, adversary: type, tier: str, expected: Verdict) -> None:
    assert verdict(AssertionSecrecy, variant, adversary, tier) is expected
    assert adversary.expected_verdict(variant, tier) == expected.value


class _Equivocate(Adversary):
    """Asserts two statements in one context; the second is refused (⊥), which it swallows."""

    id = "test.aa-equivocate"
    label = "two statements in context 5"
    targets = ("aa.secrecy",)
    expect = "null"

    def attack(self, view: View, rng: RandomSource) -> int:
        view.assert_(5, STATEMENTS[0])
        try:
            view.assert_(5, STATEMENTS[1])
        except ContextReusedError:
            return 1
        return 2


def test_the_stateful_asserter_refuses_a_second_statement_in_a_context() -> None:
    outcome = play(AssertionSecrecy, _Equivocate, FIXED)
    assert outcome.output == "1" and outcome.query_count("assert_") == 1 and not outcome.won


def test_secrecy_win_needs_the_key_and_one_statement_per_context() -> None:
    ask = 77
    one_each = {4: {b"a"}, 5: {b"b"}}
    assert AssertionSecrecy.recovered_key(TOY, ask, one_each, ask)
    assert not AssertionSecrecy.recovered_key(TOY, ask, one_each, ask + 1)
    # Knowing the key after asking a context two ways is extraction, not a break of secrecy.
    assert not AssertionSecrecy.recovered_key(TOY, ask, {**one_each, 5: {b"b", b"c"}}, ask)


# -- aa.extract ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("variant", "adversary", "tier", "expected"),
    [
        (FIXED, HonestEquivocator, "toy", Verdict.BOUNDED),
        (NO_LEAF_BINDING, HonestEquivocator, "toy", Verdict.BOUNDED),
        (FIXED, UnboundEquivocation, "toy", Verdict.BOUNDED),
        (NO_LEAF_BINDING, UnboundEquivocation, "toy", Verdict.BROKEN),
        pytest.param(NO_LEAF_BINDING, UnboundEquivocation, "standard", Verdict.BROKEN, marks=STD),
    ],
)
def test_extractability_verdicts(variant: str, adversary: type, tier: str, expected: Verdict) -> None:
    assert verdict(AssertionExtractability, variant, adversary, tier) is expected
    assert adversary.expected_verdict(variant, tier) == expected.value


def _equivocation(group_name: str = "toy-64-20", depth: int = DEPTH, ct: int = 9) -> Equivocation:
    """An honest payer's equivocation: two statements in context ct, asserted with two state copies."""
    group = named_group(group_name)
    _pk, sk = schnorr.keygen(group, SeededRandom("payer"))
    copies = [Asserter(sk, bytes(32), depth) for _ in STATEMENTS]
    taus = [copy.assert_(ct, st) for copy, st in zip(copies, STATEMENTS, strict=True)]
    return Equivocation(copies[0].public, ct, *STATEMENTS, *taus)


def test_extraction_clause_decides_the_honest_equivocation() -> None:
    eq = _equivocation()
    # Both assertions verify and the statements differ …
    assert all(
        assertions.verify(eq.apk, eq.ct, st, tau) for st, tau in ((eq.st0, eq.tau0), (eq.st1, eq.tau1))
    )
    # … so only Extract stands between the payer and a win: it returns the key, and the payer loses.
    assert assertions.extract(eq.apk, eq.ct, eq.st0, eq.st1, eq.tau0, eq.tau1) is not None
    assert not AssertionExtractability.escapes_extraction(TOY, FIXED, eq)


def test_equal_statements_are_no_equivocation() -> None:
    """One assertion shown twice for its own statement verifies twice and extracts nothing, yet loses."""
    eq = _equivocation()
    same = Equivocation(eq.apk, eq.ct, eq.st0, eq.st0, eq.tau0, eq.tau0)
    assert assertions.extract(same.apk, same.ct, same.st0, same.st1, same.tau0, same.tau1) is None
    assert not AssertionExtractability.escapes_extraction(TOY, FIXED, same)


@pytest.mark.parametrize(
    "eq", [_equivocation("toy-2039"), _equivocation(depth=DEPTH - 1)], ids=["other-group", "other-depth"]
)
def test_a_key_outside_the_games_parameters_is_malformed(eq: Equivocation) -> None:
    with pytest.raises(MalformedOutput):
        AssertionExtractability.escapes_extraction(TOY, FIXED, eq)


class _ForeignKey(Adversary):
    """Equivocates honestly, but under a key of another group."""

    id = "test.aa-foreign-key"
    label = "apk over another group"
    targets = ("aa.extract",)
    expect = "null"

    def attack(self, view: View, rng: RandomSource) -> Equivocation:
        return _equivocation("toy-2039")


def test_a_malformed_output_is_a_counted_loss() -> None:
    outcome = play(AssertionExtractability, _ForeignKey, FIXED)
    assert not outcome.won and outcome.error == "MalformedOutput"


class _ViewKeys(Adversary):
    """Hands in the names in its view: a malformed output, so the trial is lost, names recorded."""

    id = "test.aa-view"
    label = "report the view"
    targets = ("aa.secrecy", "aa.extract")
    expect = "null"

    def attack(self, view: View, rng: RandomSource) -> tuple[str, ...]:
        return tuple(sorted(view.names()))


@pytest.mark.parametrize(
    ("game", "names"),
    [
        (AssertionSecrecy, "('apk', 'assert_', 'group', 'variant')"),
        (AssertionExtractability, "('depth', 'group', 'variant')"),
    ],
)
def test_view_holds_public_values_and_oracles_only(game: type, names: str) -> None:
    """No assertion key, PRF key or asserter reaches the adversary."""
    outcome = play(game, _ViewKeys, game.default_variant)
    assert outcome.output == names and outcome.lost_by_fault and not outcome.won
