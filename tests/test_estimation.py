"""Tests for mpgames.measure.estimation (harness §2, §7): exact intervals, advantage maps, verdicts, mutation
tests of the verdict pipeline, the sequential targets, anytime validity and trial planning."""

from __future__ import annotations

import dataclasses
import functools
import math
import random
import re
from collections.abc import Callable
from decimal import Decimal
from typing import NamedTuple

import numpy as np
import pytest
from hypothesis import given, note
from hypothesis import strategies as st
from scipy.stats import binomtest

from mpgames.measure import estimation
from mpgames.measure.estimation import (
    EXACT,
    Estimate,
    advantage,
    advantage_interval,
    clopper_pearson,
    max_advantage,
)
from mpgames.measure.sequential import SequentialPlan
from mpgames.measure.verdicts import (
    DEFAULT_ALPHA,
    DEFAULT_EPS0,
    DEFAULT_EPS1,
    Interval,
    Kind,
    Thresholds,
    Verdict,
    decide_verdict,
)

# This file checks the exact method (Clopper–Pearson, per look) and the checkpoint rule;
# tests/test_confidence_sequence.py checks the confidence sequence, every run's default.
estimate = functools.partial(estimation.estimate, method=EXACT)

ALPHAS = (0.05, 1e-3, 1e-3 / 7)


def choices_for(kind: Kind) -> int | None:
    return 2 if kind is Kind.GUESS_1_OF_N else None


@st.composite
def counts(draw: st.DrawFn, min_trials: int = 0, max_trials: int = 400) -> tuple[int, int]:
    """A (wins, trials) pair with 0 <= wins <= trials."""
    trials = draw(st.integers(min_trials, max_trials))
    return draw(st.integers(0, trials)), trials


# --- Clopper–Pearson ----------------------------------------------------------------------------------


@given(counts(min_trials=1), st.sampled_from(ALPHAS))
def test_clopper_pearson_matches_scipy_exact_binomial_interval(wk: tuple[int, int], alpha: float) -> None:
    wins, n = wk
    reference = binomtest(wins, n).proportion_ci(confidence_level=1 - alpha, method="exact")
    got = clopper_pearson(wins, n, alpha)
    note(f"{wins}/{n} at alpha={alpha}: {got} vs {reference}")
    assert got.lower == pytest.approx(reference.low, rel=1e-9, abs=1e-12)
    assert got.upper == pytest.approx(reference.high, rel=1e-9, abs=1e-12)
    assert got.confidence == 1 - alpha


@pytest.mark.parametrize("n", [1, 2, 10, 148, 1000])
@pytest.mark.parametrize("alpha", ALPHAS)
def test_clopper_pearson_hand_known_extremes(n: int, alpha: float) -> None:
    none = clopper_pearson(0, n, alpha)
    assert none.lower == 0.0
    assert none.upper == pytest.approx(1 - (alpha / 2) ** (1 / n), rel=1e-10)
    every = clopper_pearson(n, n, alpha)
    assert every.lower == pytest.approx((alpha / 2) ** (1 / n), rel=1e-10)
    assert every.upper == 1.0


def test_clopper_pearson_without_trials_is_the_whole_range() -> None:
    assert clopper_pearson(0, 0, 0.05) == Interval(0.0, 1.0, 0.95)


def test_zero_of_a_thousand_is_about_three_per_thousand_not_zero() -> None:
    # The spec's "about 3/n": two-sided 95 % gives 1 − 0.025^(1/1000) = 0.00368.
    assert clopper_pearson(0, 1000, 0.05).upper == pytest.approx(0.0036820, rel=1e-4)


@pytest.mark.parametrize(
    ("wins", "n", "alpha", "message"),
    [
        (5, 4, 0.05, "cannot exceed"),
        (-1, 4, 0.05, "wins"),
        (0, -3, 0.05, "trials"),
        (1.0, 4, 0.05, "wins"),
        (True, 4, 0.05, "wins"),
        (1, 4, 0.0, "alpha"),
        (1, 4, 1.0, "alpha"),
        (1, 4, math.nan, "alpha"),
    ],
)
def test_clopper_pearson_refuses_bad_input(wins: int, n: int, alpha: float, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        clopper_pearson(wins, n, alpha)


# --- advantage per kind -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "success", "n_choices", "expected"),
    [
        (Kind.WIN_LOSE, 0.0, None, 0.0),
        (Kind.WIN_LOSE, 0.3, None, 0.3),
        (Kind.GUESS_1_OF_N, 0.25, 4, 0.0),
        (Kind.GUESS_1_OF_N, 0.1, 4, -0.15),
        (Kind.GUESS_1_OF_N, 1.0, 3, 2 / 3),
        (Kind.HIDDEN_BIT, 0.5, None, 0.0),
        (Kind.HIDDEN_BIT, 0.2, None, 0.6),
        (Kind.HIDDEN_BIT, 0.9, None, 0.8),
        (Kind.HIDDEN_BIT, 0.0, None, 1.0),
        ("hidden-bit", 1.0, None, 1.0),
    ],
)
def test_advantage_per_kind(kind: Kind, success: float, n_choices: int | None, expected: float) -> None:
    assert advantage(kind, success, n_choices) == pytest.approx(expected)


def test_max_advantage_per_kind() -> None:
    assert max_advantage(Kind.WIN_LOSE) == 1.0
    assert max_advantage(Kind.HIDDEN_BIT) == 1.0
    assert max_advantage(Kind.GUESS_1_OF_N, 4) == 0.75


@pytest.mark.parametrize(
    ("kind", "success", "n_choices", "message"),
    [
        ("coin-toss", 0.5, None, "unknown experiment kind"),
        (Kind.WIN_LOSE, 1.5, None, r"in \[0, 1\]"),
        (Kind.WIN_LOSE, -0.1, None, r"in \[0, 1\]"),
        (Kind.WIN_LOSE, math.nan, None, r"in \[0, 1\]"),
        (Kind.GUESS_1_OF_N, 0.5, None, "n_choices"),
        (Kind.GUESS_1_OF_N, 0.5, 1, "n_choices"),
        (Kind.HIDDEN_BIT, 0.5, 2, "only to guess-1-of-n"),
    ],
)
def test_advantage_refuses_bad_input(kind: str, success: float, n_choices: int | None, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        advantage(kind, success, n_choices)


@pytest.mark.parametrize(
    ("success", "expected"),
    [
        (Interval(0.40, 0.70, 0.95), (0.0, 0.40)),  # contains 1/2: cannot exclude advantage 0
        (Interval(0.10, 0.30, 0.95), (0.40, 0.80)),  # below 1/2: images swap ends
        (Interval(0.60, 0.95, 0.95), (0.20, 0.90)),  # above 1/2: monotone
        (Interval(0.50, 0.50, 0.95), (0.0, 0.0)),
    ],
)
def test_hidden_bit_interval_mapping(success: Interval, expected: tuple[float, float]) -> None:
    got = advantage_interval(Kind.HIDDEN_BIT, success)
    assert (got.lower, got.upper) == pytest.approx(expected)
    assert got.confidence == success.confidence


def test_guess_interval_is_shifted_and_may_be_negative() -> None:
    got = advantage_interval(Kind.GUESS_1_OF_N, Interval(0.1, 0.4, 0.99), 4)
    assert (got.lower, got.upper) == pytest.approx((-0.15, 0.15))


@given(
    st.sampled_from(list(Kind)),
    st.floats(0, 1),
    st.floats(0, 1),
    st.floats(0, 1),
)
def test_advantage_interval_is_exactly_the_image(kind: Kind, a: float, b: float, t: float) -> None:
    """Every p in [l, u] maps inside the advantage interval, and both ends are reached by some p."""
    low, high = sorted((a, b))
    n_choices = choices_for(kind)
    image = advantage_interval(kind, Interval(low, high, 0.95), n_choices)
    inside = advantage(kind, low + t * (high - low), n_choices)
    note(f"{kind} [{low}, {high}] -> {image}; p-image {inside}")
    assert image.lower - 1e-12 <= inside <= image.upper + 1e-12
    candidates = [low, high] + ([0.5] if low <= 0.5 <= high else [])
    images = [advantage(kind, p, n_choices) for p in candidates]
    assert min(images) == pytest.approx(image.lower, abs=1e-12)
    assert max(images) == pytest.approx(image.upper, abs=1e-12)


# --- thresholds and verdicts --------------------------------------------------------------------------


def test_default_thresholds() -> None:
    assert Thresholds() == Thresholds(DEFAULT_EPS0, DEFAULT_EPS1, DEFAULT_ALPHA)
    assert (DEFAULT_EPS0, DEFAULT_EPS1, DEFAULT_ALPHA) == (0.05, 0.25, 1e-3)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"eps0": 0.3, "eps1": 0.2}, "must not exceed"),
        ({"eps0": 0.0}, "eps0"),
        ({"eps1": 1.0}, "eps1"),
        ({"alpha": 0.0}, "alpha"),
        ({"alpha": 1.5}, "alpha"),
        ({"alpha": math.nan}, "alpha"),
        ({"eps0": "0.1"}, "eps0"),
    ],
)
def test_thresholds_refuse_bad_values(kwargs: dict[str, float], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Thresholds(**kwargs)


def test_records_are_immutable() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        Thresholds().eps0 = 0.5  # type: ignore[misc]
    est = estimate(Kind.WIN_LOSE, 1, 10, Thresholds())
    with pytest.raises(dataclasses.FrozenInstanceError):
        est.verdict = Verdict.BROKEN  # type: ignore[misc]


@pytest.mark.parametrize(
    ("lower", "upper", "expected"),
    [
        (0.26, 0.90, Verdict.BROKEN),
        (0.25, 0.90, Verdict.INCONCLUSIVE),  # the lower end must be strictly above eps1
        (0.00, 0.049, Verdict.BOUNDED),
        (0.00, 0.05, Verdict.INCONCLUSIVE),  # the upper end must be strictly below eps0
        (0.06, 0.24, Verdict.INCONCLUSIVE),  # between the thresholds: no claim
        (0.00, 0.90, Verdict.INCONCLUSIVE),
    ],
)
def test_verdict_rule(lower: float, upper: float, expected: Verdict) -> None:
    assert decide_verdict(Interval(lower, upper, 0.999), Thresholds()) is expected


def test_estimate_refuses_bad_input() -> None:
    th = Thresholds()
    with pytest.raises(ValueError, match="cannot exceed"):
        estimate(Kind.WIN_LOSE, 11, 10, th)
    with pytest.raises(ValueError, match="looks"):
        estimate(Kind.WIN_LOSE, 1, 10, th, looks=0)
    with pytest.raises(ValueError, match="Thresholds"):
        estimate(Kind.WIN_LOSE, 1, 10, 0.05)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="n_choices"):
        estimate(Kind.GUESS_1_OF_N, 1, 10, th)
    with pytest.raises(ValueError, match="could never be reached"):
        estimate(Kind.GUESS_1_OF_N, 1, 10, Thresholds(eps1=0.6), n_choices=2)


def test_estimate_without_trials_is_inconclusive_and_says_so() -> None:
    est = estimate(Kind.WIN_LOSE, 0, 0, Thresholds())
    assert est.verdict is Verdict.INCONCLUSIVE
    assert est.describe() == "Adv not estimated (n=0)"


def test_estimate_reports_the_simultaneous_level_and_splits_alpha_over_looks() -> None:
    th = Thresholds(alpha=0.01)
    one, seven = estimate(Kind.WIN_LOSE, 3, 100, th), estimate(Kind.WIN_LOSE, 3, 100, th, looks=7)
    assert one.interval.confidence == seven.interval.confidence == 0.99
    assert one.interval.upper == clopper_pearson(3, 100, 0.01).upper
    assert seven.interval.upper == clopper_pearson(3, 100, 0.01 / 7).upper
    assert seven.interval.upper > one.interval.upper


# --- wording ------------------------------------------------------------------------------------------

BARE_ZERO = re.compile(r"(?<![\d.])-?0(?![\d.])")


@pytest.mark.parametrize(
    ("kind", "wins", "trials", "alpha", "n_choices", "wording"),
    [
        (Kind.WIN_LOSE, 0, 1000, 0.05, None, "Adv < 0.0037 at 95% (n=1000)"),
        (Kind.WIN_LOSE, 0, 200, 1e-3, None, "Adv < 0.038 at 99.9% (n=200)"),
        (Kind.WIN_LOSE, 30, 30, 1e-3, None, "Adv ≥ 0.77 at 99.9% (n=30)"),
        (Kind.WIN_LOSE, 400, 1000, 0.05, None, "Adv = 0.40 in [0.36, 0.44] at 95% (n=1000)"),
        (Kind.HIDDEN_BIT, 0, 100, 0.05, None, "Adv ≥ 0.92 at 95% (n=100)"),
        (Kind.GUESS_1_OF_N, 0, 1000, 0.05, 3, "Adv: below chance at 95% (n=1000)"),
        (Kind.GUESS_1_OF_N, 320, 1000, 0.05, 3, "Adv < 0.017 at 95% (n=1000)"),
    ],
)
def test_wording(
    kind: Kind, wins: int, trials: int, alpha: float, n_choices: int | None, wording: str
) -> None:
    assert estimate(kind, wins, trials, Thresholds(alpha=alpha), n_choices=n_choices).describe() == wording


NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:E[-+]?\d+)?")


@given(st.sampled_from(list(Kind)), counts(min_trials=1, max_trials=2000), st.sampled_from(ALPHAS))
def test_wording_never_bare_zero_and_rounds_outward(kind: Kind, wk: tuple[int, int], alpha: float) -> None:
    wins, trials = wk
    est = estimate(kind, wins, trials, Thresholds(alpha=alpha), n_choices=choices_for(kind))
    text = est.describe()
    note(text)
    assert not BARE_ZERO.search(text.removesuffix(f"(n={trials})"))
    numbers = [Decimal(x) for x in NUMBER.findall(text.split(" at ")[0])]
    low, high = Decimal(repr(est.interval.lower)), Decimal(repr(est.interval.upper))
    if text.startswith("Adv: below chance"):  # the whole interval below 0, and no number printed
        assert high <= 0 and not numbers
    elif text.startswith("Adv <") or text.startswith("Adv ≤"):
        assert numbers[0] >= high
    elif text.startswith("Adv ≥"):
        assert numbers[0] <= low
    else:
        assert numbers[1] <= low and numbers[2] >= high


# --- mutation tests: the oracle cases are sharp enough to catch a wrong pipeline ----------------------


class Case(NamedTuple):
    kind: Kind
    wins: int
    trials: int
    looks: int
    n_choices: int | None
    expected: Verdict


TH = Thresholds()  # eps0 = 0.05, eps1 = 0.25, alpha = 1e-3

ORACLE = {
    # 0 wins: 1 − 0.0005^(1/n) crosses eps0 between n = 148 (0.05006) and n = 149 (0.04973).
    "null-148": Case(Kind.WIN_LOSE, 0, 148, 1, None, Verdict.INCONCLUSIVE),
    "null-149": Case(Kind.WIN_LOSE, 0, 149, 1, None, Verdict.BOUNDED),
    # Same with alpha split over 7 looks: 1 − (0.001/14)^(1/n) crosses eps0 between 186 and 187.
    "null-186-of-7-looks": Case(Kind.WIN_LOSE, 0, 186, 7, None, Verdict.INCONCLUSIVE),
    "null-187-of-7-looks": Case(Kind.WIN_LOSE, 0, 187, 7, None, Verdict.BOUNDED),
    # k of 40: the lower end crosses eps1 between k = 20 (0.2476) and k = 21 (0.2683).
    "attack-20-of-40": Case(Kind.WIN_LOSE, 20, 40, 1, None, Verdict.INCONCLUSIVE),
    "attack-21-of-40": Case(Kind.WIN_LOSE, 21, 40, 1, None, Verdict.BROKEN),
    # 6 of 6: 0.0005^(1/6) = 0.2817 > eps1, while 5 of 5 gives 0.2187.
    "perfect-5": Case(Kind.WIN_LOSE, 5, 5, 1, None, Verdict.INCONCLUSIVE),
    "perfect-6": Case(Kind.WIN_LOSE, 6, 6, 1, None, Verdict.BROKEN),
    # 150 of 1000: Adv in [0.11, 0.20], strictly between the thresholds.
    "between-thresholds": Case(Kind.WIN_LOSE, 150, 1000, 1, None, Verdict.INCONCLUSIVE),
    # Hidden bit: always wrong is a perfect distinguisher; half right on 10 trials says nothing.
    "hidden-always-wrong": Case(Kind.HIDDEN_BIT, 0, 100, 1, None, Verdict.BROKEN),
    "hidden-half-of-10": Case(Kind.HIDDEN_BIT, 5, 10, 1, None, Verdict.INCONCLUSIVE),
    # Guess 1 of 2 right 480 times of 1000: at the baseline, Adv < 0.033.
    "guess-baseline": Case(Kind.GUESS_1_OF_N, 480, 1000, 1, 2, Verdict.BOUNDED),
}

IntervalFn = Callable[[int, int, float], Interval]
MapFn = Callable[[Kind, Interval, "int | None"], Interval]
RuleFn = Callable[[Interval, Thresholds], Verdict]


def pipeline(
    case: Case,
    *,
    interval: IntervalFn = clopper_pearson,
    mapping: MapFn = advantage_interval,
    rule: RuleFn = decide_verdict,
    split_looks: bool = True,
) -> Verdict:
    """The verdict pipeline of `estimate`, with one stage replaceable by a mutant."""
    alpha = TH.alpha / case.looks if split_looks else TH.alpha
    success = interval(case.wins, case.trials, alpha)
    return rule(mapping(case.kind, success, case.n_choices), TH)


def swapped_thresholds(adv: Interval, th: Thresholds) -> Verdict:
    if adv.lower > th.eps0:
        return Verdict.BROKEN
    if adv.upper < th.eps1:
        return Verdict.BOUNDED
    return Verdict.INCONCLUSIVE


def hidden_bit_signed(kind: Kind, success: Interval, n_choices: int | None) -> Interval:
    if kind is not Kind.HIDDEN_BIT:
        return advantage_interval(kind, success, n_choices)
    return Interval(2 * success.lower - 1, 2 * success.upper - 1, success.confidence)


def hidden_bit_endpoints_only(kind: Kind, success: Interval, n_choices: int | None) -> Interval:
    if kind is not Kind.HIDDEN_BIT:
        return advantage_interval(kind, success, n_choices)
    ends = sorted(abs(2 * p - 1) for p in (success.lower, success.upper))
    return Interval(ends[0], ends[1], success.confidence)


def guess_without_baseline(kind: Kind, success: Interval, n_choices: int | None) -> Interval:
    if kind is not Kind.GUESS_1_OF_N:
        return advantage_interval(kind, success, n_choices)
    return success


MUTANTS: dict[str, tuple[dict[str, object], str]] = {
    # mutant name: (replaced stage, the oracle case that must catch it)
    "n+1 trials": ({"interval": lambda k, n, a: clopper_pearson(k, n + 1, a)}, "null-148"),
    "n+1 trials (broken side)": ({"interval": lambda k, n, a: clopper_pearson(k, n + 1, a)}, "perfect-6"),
    "wins-1": ({"interval": lambda k, n, a: clopper_pearson(max(k - 1, 0), n, a)}, "attack-21-of-40"),
    "wins-1 (perfect)": ({"interval": lambda k, n, a: clopper_pearson(max(k - 1, 0), n, a)}, "perfect-6"),
    "wins+1": ({"interval": lambda k, n, a: clopper_pearson(min(k + 1, n), n, a)}, "null-149"),
    "alpha not halved": ({"interval": lambda k, n, a: clopper_pearson(k, n, 2 * a)}, "null-148"),
    "alpha not split over looks": ({"split_looks": False}, "null-186-of-7-looks"),
    "swapped eps0/eps1": ({"rule": swapped_thresholds}, "between-thresholds"),
    "hidden-bit without |.|": ({"mapping": hidden_bit_signed}, "hidden-always-wrong"),
    "hidden-bit ignoring 1/2": ({"mapping": hidden_bit_endpoints_only}, "hidden-half-of-10"),
    "guess without 1/n baseline": ({"mapping": guess_without_baseline}, "guess-baseline"),
}


@pytest.mark.parametrize("name", list(ORACLE))
def test_oracle_cases_hold_for_estimate(name: str) -> None:
    case = ORACLE[name]
    est = estimate(case.kind, case.wins, case.trials, TH, n_choices=case.n_choices, looks=case.looks)
    assert est.verdict is case.expected
    assert pipeline(case) is case.expected  # the test pipeline is the module's, stage by stage


@pytest.mark.parametrize("name", list(MUTANTS))
def test_mutant_is_caught_by_an_oracle_case(name: str) -> None:
    mutation, catcher = MUTANTS[name]
    case = ORACLE[catcher]
    mutated = pipeline(case, **mutation)  # type: ignore[arg-type]
    assert mutated is not case.expected, f"{name} survives: {catcher} still gives {mutated}"


# --- sequential stopping ------------------------------------------------------------------------------


def run_sequential(
    plan: SequentialPlan, kind: Kind, outcomes: list[bool], n_choices: int | None = None
) -> Estimate:
    """Look at each checkpoint in turn and stop at the first decided verdict, as the engine does."""
    for checkpoint in plan.checkpoints:
        est = plan.decide(kind, sum(outcomes[:checkpoint]), checkpoint, n_choices)
        if est.verdict is not Verdict.INCONCLUSIVE:
            break
    return est


def test_checkpoints_double_from_25_up_to_the_budget() -> None:
    assert SequentialPlan.for_budget(1000, TH).checkpoints == (25, 50, 100, 200, 400, 800, 1000)
    assert SequentialPlan.for_budget(800, TH).checkpoints == (25, 50, 100, 200, 400, 800)
    assert SequentialPlan.for_budget(10, TH).checkpoints == (10,)
    assert SequentialPlan.for_budget(1000, TH, first=100).looks == 5


@pytest.mark.parametrize("max_trials", [1000, 10**6])
def test_target_perfect_attack_is_broken_within_30_trials(max_trials: int) -> None:
    plan = SequentialPlan.for_budget(max_trials, Thresholds())
    est = run_sequential(plan, Kind.WIN_LOSE, [True] * max_trials)
    assert est.verdict is Verdict.BROKEN
    assert est.trials <= 30
    assert est.looks == plan.looks


def test_target_null_adversary_is_bounded_below_005_within_200_trials() -> None:
    plan = SequentialPlan.for_budget(1000, Thresholds(eps0=0.05, alpha=1e-3))
    est = run_sequential(plan, Kind.WIN_LOSE, [False] * 1000)
    assert est.verdict is Verdict.BOUNDED
    assert est.trials <= 200
    assert est.describe() == "Adv < 0.047 at 99.9% (n=200)"


def test_perfect_attacks_of_every_kind_are_broken_by_the_second_look() -> None:
    plan = SequentialPlan.for_budget(1000, TH)
    for kind in Kind:
        est = run_sequential(plan, kind, [True] * 1000, choices_for(kind))
        assert est.verdict is Verdict.BROKEN
        assert est.trials <= 50


@pytest.mark.parametrize(
    ("p", "expected"),
    [
        (0.0, Verdict.BOUNDED),
        (0.01, Verdict.BOUNDED),
        (0.15, Verdict.INCONCLUSIVE),  # strictly between the thresholds: no claim either way
        (0.6, Verdict.BROKEN),
        (1.0, Verdict.BROKEN),
    ],
)
def test_seeded_adversaries_reach_each_verdict(p: float, expected: Verdict) -> None:
    rng = random.Random(f"bernoulli-{p}")
    outcomes = [rng.random() < p for _ in range(1000)]
    assert run_sequential(SequentialPlan.for_budget(1000, TH), Kind.WIN_LOSE, outcomes).verdict is expected


def test_decide_only_at_checkpoints_unless_final() -> None:
    plan = SequentialPlan.for_budget(1000, TH)
    with pytest.raises(ValueError, match="not a checkpoint"):
        plan.decide(Kind.WIN_LOSE, 0, 120)
    cut_short = plan.decide(Kind.WIN_LOSE, 0, 120, final=True)
    assert cut_short.looks == 7
    with pytest.raises(ValueError, match="not a checkpoint"):
        plan.decide(Kind.WIN_LOSE, 0, 1001, final=True)


@pytest.mark.parametrize(
    ("checkpoints", "message"),
    [((), "positive"), ((0, 10), "positive"), ((10, 10), "increasing"), ((20, 10), "increasing")],
)
def test_plan_refuses_bad_checkpoints(checkpoints: tuple[int, ...], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        SequentialPlan(checkpoints, TH)
    with pytest.raises(ValueError, match="max_trials"):
        SequentialPlan.for_budget(0, TH)


def false_verdict_rate(looks_used: Callable[[SequentialPlan], int]) -> float:
    """Fraction of 4000 runs at true Adv = eps0 = eps1 = 0.3 that stop on a (necessarily false) verdict."""
    th = Thresholds(eps0=0.3, eps1=0.3, alpha=0.1)
    plan = SequentialPlan.for_budget(200, th)
    decided = {
        c: np.array(
            [
                estimate(Kind.WIN_LOSE, k, c, th, looks=looks_used(plan)).verdict is not Verdict.INCONCLUSIVE
                for k in range(c + 1)
            ]
        )
        for c in plan.checkpoints
    }
    wins = np.cumsum(np.random.default_rng(2024).random((4000, 200)) < 0.3, axis=1)
    stopped = np.zeros(4000, dtype=bool)
    for c in plan.checkpoints:
        stopped |= decided[c][wins[:, c - 1]]
    return float(stopped.mean())


def test_anytime_validity_holds_and_naive_peeking_breaks_it() -> None:
    """At every look the rule may stop; the chance of ever stopping on a false verdict stays below alpha.

    Without the split over looks, peeking at the four checkpoints raises it above alpha (about 0.22)."""
    assert false_verdict_rate(lambda plan: plan.looks) <= 0.1
    assert false_verdict_rate(lambda plan: 1) > 0.15


# --- planning -----------------------------------------------------------------------------------------


# --- records ------------------------------------------------------------------------------------------


@given(st.sampled_from(list(Kind)), counts(max_trials=300), st.integers(1, 9))
def test_estimate_dict_round_trip(kind: Kind, wk: tuple[int, int], looks: int) -> None:
    est = estimate(kind, *wk, Thresholds(alpha=0.01), n_choices=choices_for(kind), looks=looks)
    assert Estimate.from_dict(est.as_dict()) == est


def test_estimate_from_dict_refuses_stale_or_malformed_records() -> None:
    record = estimate(Kind.WIN_LOSE, 0, 1000, TH).as_dict()
    with pytest.raises(ValueError, match="says 'broken'"):
        Estimate.from_dict({**record, "verdict": "broken"})
    with pytest.raises(ValueError, match="malformed"):
        Estimate.from_dict({k: v for k, v in record.items() if k != "wins"})
    with pytest.raises(ValueError, match="cannot exceed"):
        Estimate.from_dict({**record, "wins": 1001})
