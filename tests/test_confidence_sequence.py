"""The confidence sequence of `mpgames.measure.confidence_sequence`, checked exactly: a dynamic
programme over every (trials, wins) path computes the probability that the interval *ever* misses the
true success probability within a budget (what makes it valid for any stopping rule, interruption or
rerun), and the probability that the engine's rule — stop at the first decided verdict — ends on a
wrong verdict. Both stay at most α over a grid of true advantages for every kind. The same programme
finds the violation of a rule that is not anytime-valid (Clopper–Pearson at α, looked at after every
trial), so it can fail. The log-mixture it uses is written here again, vectorized, from the formula."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.special import betaln, xlog1py, xlogy
from scipy.stats import beta

from mpgames.measure.confidence_sequence import SequenceTest, baseline, log_mixture
from mpgames.measure.estimation import estimate
from mpgames.measure.verdicts import Kind, Thresholds, Verdict

KINDS = {
    "win-lose": (Kind.WIN_LOSE, None),
    "guess-1-of-2": (Kind.GUESS_1_OF_N, 2),
    "hidden-bit": (Kind.HIDDEN_BIT, None),
}


def reference_log_mixture(k: np.ndarray, n: int, base: float) -> np.ndarray:
    """ln(½·b^k(1−b)^(n−k) + ½·B(k+½, n−k+½)/B(½, ½)), for every k at once."""
    jeffreys = betaln(k + 0.5, n - k + 0.5) - betaln(0.5, 0.5)
    with np.errstate(divide="ignore"):
        point = xlogy(k, base) + xlog1py(n - k, -base)
    return np.logaddexp(jeffreys, point) + math.log(0.5)


def misses(k: np.ndarray, n: int, p: float, base: float, alpha: float) -> np.ndarray:
    """Whether the interval after k of n wins leaves out p (M_n(p) ≥ 1/α), for every k at once."""
    with np.errstate(divide="ignore"):
        log_ratio = reference_log_mixture(k, n, base) - xlogy(k, p) - xlog1py(n - k, -p)
    return log_ratio >= -math.log(alpha)


def evolve(mass: np.ndarray, p: float) -> np.ndarray:
    """The distribution of wins after one more trial with success probability p."""
    out = np.zeros(len(mass) + 1)
    out[:-1] += mass * (1 - p)
    out[1:] += mass * p
    return out


def ever_misses(p: float, budget: int, excluded) -> float:
    """Pr[∃ n ≤ budget: excluded(k_n, n)], k_n ~ Binomial(n, p): mass leaves on its first miss."""
    mass, lost = np.ones(1), 0.0
    for n in range(1, budget + 1):
        mass = evolve(mass, p)
        out = excluded(np.arange(n + 1), n)
        lost += mass[out].sum()
        mass[out] = 0.0
    return lost


def grid(kind: Kind, choices: int | None) -> list[float]:
    """True success probabilities: the baseline, just inside and outside the thresholds, the top."""
    b = baseline(kind, choices)
    advantages = [0.0, 0.01, 0.05, 0.1, 0.25, 0.3, 0.5]
    top = 1.0 if kind is not Kind.HIDDEN_BIT else 0.5
    return sorted({min(1.0, b + a / (2 if kind is Kind.HIDDEN_BIT else 1)) for a in advantages if a <= top})


@pytest.mark.parametrize("name", KINDS)
@pytest.mark.parametrize("alpha", [0.05, 1e-3])
def test_the_sequence_ever_misses_the_truth_with_probability_at_most_alpha(name, alpha):
    kind, choices = KINDS[name]
    base = baseline(kind, choices)
    for p in grid(kind, choices):
        if p in (0.0, 1.0):
            continue  # deterministic outcomes: the interval keeps p (checked below)
        missed = ever_misses(p, 1500, lambda k, n, p=p: misses(k, n, p, base, alpha))
        assert missed <= alpha, (name, p, missed)


def test_the_same_programme_finds_the_violation_of_peeking_at_an_exact_interval():
    """The opposite: Clopper–Pearson at level α is right at each fixed n, but looked at after every
    trial it misses p = 0.3 far more often than α: the programme can see a rule that is not valid."""
    alpha, p = 0.05, 0.3

    def cp_misses(k: np.ndarray, n: int) -> np.ndarray:
        low = np.where(k > 0, beta.ppf(alpha / 2, np.maximum(k, 1), n - k + 1), 0.0)
        high = np.where(k < n, beta.ppf(1 - alpha / 2, k + 1, np.maximum(n - k, 1)), 1.0)
        return (p < low) | (p > high)

    assert ever_misses(p, 1500, cp_misses) > 4 * alpha


def verdict_grid(kind: Kind, choices: int | None, n: int, thresholds: Thresholds) -> list[Verdict]:
    return [
        SequenceTest(k, n, baseline(kind, choices), thresholds.alpha).verdict(kind, choices, thresholds)
        for k in range(n + 1)
    ]


def wrong(verdict: Verdict, advantage: float, thresholds: Thresholds) -> bool:
    if verdict is Verdict.BROKEN:
        return advantage <= thresholds.eps1
    if verdict is Verdict.BOUNDED:
        return advantage >= thresholds.eps0
    return False


@pytest.mark.parametrize("name", KINDS)
def test_stopping_at_the_first_decided_verdict_is_wrong_with_probability_at_most_alpha(name):
    """The engine's rule, exactly: the probability that its first decided verdict is wrong, for
    true advantages at and around both thresholds (the worst cases), within 400 trials."""
    kind, choices = KINDS[name]
    thresholds = Thresholds(alpha=0.05)
    budget = 400
    verdicts = [verdict_grid(kind, choices, n, thresholds) for n in range(budget + 1)]
    b = baseline(kind, choices)
    scale = 2 if kind is Kind.HIDDEN_BIT else 1
    for advantage in (0.0, 0.04, 0.05, 0.06, 0.2, 0.25, 0.26, 0.3):
        p = min(1.0, b + advantage / scale)
        mass, wrong_mass = np.ones(1), 0.0
        for n in range(1, budget + 1):
            mass = evolve(mass, p)
            decided = np.array([v is not Verdict.INCONCLUSIVE for v in verdicts[n]])
            bad = np.array([wrong(v, advantage, thresholds) for v in verdicts[n]])
            wrong_mass += mass[decided & bad].sum()
            mass[decided] = 0.0
        assert wrong_mass <= thresholds.alpha, (name, advantage, wrong_mass)


@given(n=st.integers(min_value=0, max_value=3000), data=st.data(), base=st.sampled_from([0.0, 0.5, 1 / 3]))
def test_the_log_mixture_is_the_formula(n, data, base):
    k = data.draw(st.integers(min_value=0, max_value=n))
    expected = float(reference_log_mixture(np.array([k]), n, base)[0])
    assert log_mixture(k, n, base) == pytest.approx(expected, rel=1e-9, abs=1e-9)


@given(n=st.integers(min_value=1, max_value=2000), data=st.data(), name=st.sampled_from(list(KINDS)))
def test_the_interval_ends_are_where_the_mixture_crosses_one_over_alpha_and_agree_with_the_verdict(
    n, data, name
):
    kind, choices = KINDS[name]
    k = data.draw(st.integers(min_value=0, max_value=n))
    thresholds = Thresholds(alpha=1e-3)
    test = SequenceTest(k, n, baseline(kind, choices), thresholds.alpha)
    interval = test.interval()
    assert interval.lower <= k / n <= interval.upper
    for end in (interval.lower, interval.upper):
        if 0 < end < 1:
            assert abs(test.excess(end)) < 1e-6
    # Just outside each end is excluded, just inside is not.
    if interval.upper < 1 - 1e-9:
        assert test.excess(interval.upper + 1e-9) > 0 and test.excess(interval.upper - 1e-9) <= 1e-6
    if interval.lower > 1e-9:
        assert test.excess(interval.lower - 1e-9) > 0
    est = estimate(kind, k, n, thresholds, n_choices=choices)
    lower, upper = est.interval.lower, est.interval.upper
    margin = 1e-9
    if est.verdict is Verdict.BROKEN:
        assert lower > thresholds.eps1 - margin
    elif est.verdict is Verdict.BOUNDED:
        assert upper < thresholds.eps0 + margin
    else:
        assert lower <= thresholds.eps1 + margin and upper >= thresholds.eps0 - margin


def test_deterministic_outcomes_keep_the_truth_and_decide_quickly():
    """p = 0 (a null win-lose adversary) and p = 1 (a perfect one): the interval keeps p at every n,
    and the verdicts come at 148 and 7 trials (the figures of docs/benchmarks.md)."""
    thresholds = Thresholds()
    null = [SequenceTest(0, n, 0.0, thresholds.alpha) for n in range(1, 400)]
    assert all(t.interval().lower == 0.0 for t in null)
    first_bounded = next(
        t.trials for t in null if t.verdict(Kind.WIN_LOSE, None, thresholds) is Verdict.BOUNDED
    )
    perfect = [SequenceTest(n, n, 0.0, thresholds.alpha) for n in range(1, 60)]
    assert all(t.interval().upper == 1.0 for t in perfect)
    first_broken = next(
        t.trials for t in perfect if t.verdict(Kind.WIN_LOSE, None, thresholds) is Verdict.BROKEN
    )
    # Independently: 0 wins of n exclude eps0 once ½(1 − eps0)^−n (1 + B-part) > 1/α.
    assert first_bounded == min(
        n
        for n in range(1, 400)
        if reference_log_mixture(np.array([0]), n, 0.0)[0] - n * math.log(0.95) > math.log(1000)
    )
    assert (first_bounded, first_broken) == (148, 7)
