"""The anytime-valid interval of a run's success probability: a beta-binomial mixture confidence
sequence (harness spec §7 "Measurement"; Robbins 1970, Howard et al. 2021), checked after every trial.

Notes
=====

Why it is valid at every trial, whatever the stopping rule.
    Fix a candidate success probability p0 and a prior π on [0, 1]. After n trials with k wins let

        M_n(p0) = ∫ θ^k (1 − θ)^(n−k) dπ(θ)  /  ( p0^k (1 − p0)^(n−k) ).

    If the true probability is p0, M_n is a product of likelihood ratios averaged over π: a
    nonnegative martingale with M_0 = 1. Ville's inequality bounds the chance that it *ever* reaches
    1/α by α. So the sets C_n = {p0 : M_n(p0) < 1/α} all contain the true p, at every n at once,
    with probability at least 1 − α. A run may look after every trial, stop when it likes, be cut
    short by a time limit, or be rerun later with a larger `--max-trials` (the same trials, continued):
    the interval at the moment it stops is still right with probability 1 − α, because the
    guarantee is about all n together. (The former rule, α split over fixed looks, held only at the
    looks of one plan.) C_n is an interval: −log of the denominator is convex in p0 and smallest at
    k/n, where M_n ≤ 1, so C_n is the stretch around k/n where log M_n(p0) < log(1/α); its ends are
    found by `scipy.optimize.brentq`.

The prior.
    Half of π is a point mass at the kind's baseline b (0 for win-lose, 1/n for guess-1-of-n, 1/2 for
    hidden-bit: the success of an adversary with no advantage), half is Jeffreys' Beta(1/2, 1/2). The
    point mass makes a null adversary's interval close on b quickly (0 wins of n excludes p0 once
    (1 − p0)^−n > 2/α, about ln(2/α)/n); the Beta half keeps the sequence open to any p.

Verdicts without the interval.
    "The upper end is below x" holds iff k/n < x and log M_n(x) > log(1/α) (convexity), so the
    engine decides after each trial with two evaluations of log M_n (`SequenceTest.decided`), and
    finds the ends only for the estimate it reports.
"""

from __future__ import annotations

import math

from mpgames.measure.verdicts import Interval, Kind, Thresholds, Verdict

_LOG_HALF = math.log(0.5)
_JEFFREYS = 0.5
_LOG_BETA_JEFFREYS = 2 * math.lgamma(_JEFFREYS) - math.lgamma(2 * _JEFFREYS)  # ln B(1/2, 1/2) = ln π
_TINY = math.nextafter(0.0, 1.0)
_NEAR_ONE = math.nextafter(1.0, 0.0)


def baseline(kind: Kind, n_choices: int | None) -> float:
    """The success probability of an adversary with no advantage."""
    if kind is Kind.HIDDEN_BIT:
        return 0.5
    if kind is Kind.GUESS_1_OF_N:
        assert n_choices is not None
        return 1 / n_choices
    return 0.0


def _xlogy(x: int, y: float) -> float:
    """x·ln(y), with 0·ln(0) = 0 and x·ln(0) = −∞ for x > 0."""
    if x == 0:
        return 0.0
    return x * math.log(y) if y > 0 else -math.inf


def log_mixture(wins: int, trials: int, base: float) -> float:
    """ln ∫ θ^k (1 − θ)^(n−k) dπ(θ) for the prior ½·δ_base + ½·Beta(1/2, 1/2) (module notes)."""
    losses = trials - wins
    jeffreys = (
        math.lgamma(wins + _JEFFREYS)
        + math.lgamma(losses + _JEFFREYS)
        - math.lgamma(trials + 2 * _JEFFREYS)
        - _LOG_BETA_JEFFREYS
    )
    point = _xlogy(wins, base) + _xlogy(losses, 1 - base)
    high, low = max(jeffreys, point), min(jeffreys, point)
    if low == -math.inf:
        return _LOG_HALF + high
    return _LOG_HALF + high + math.log1p(math.exp(low - high))


class SequenceTest:
    """The confidence sequence at level 1 − alpha after `wins` of `trials`, for a prior whose point mass
    sits at `base`: its interval, and its verdict (module notes)."""

    __slots__ = ("_critical", "_log_mixture", "alpha", "base", "trials", "wins")

    def __init__(self, wins: int, trials: int, base: float, alpha: float) -> None:
        self.wins, self.trials, self.base, self.alpha = wins, trials, base, alpha
        self._log_mixture = log_mixture(wins, trials, base)
        self._critical = -math.log(alpha)

    def excess(self, p0: float) -> float:
        """ln M_n(p0) − ln(1/α): positive iff p0 lies outside the interval."""
        denominator = _xlogy(self.wins, p0) + _xlogy(self.trials - self.wins, 1 - p0)
        return self._log_mixture - denominator - self._critical

    def upper_below(self, x: float) -> bool:
        """Whether the interval's upper end is below x."""
        if x > 1:
            return True
        if x <= 0 or self.wins >= x * self.trials:
            return False
        return self.excess(x) > 0

    def lower_above(self, x: float) -> bool:
        """Whether the interval's lower end is above x."""
        if x < 0:
            return True
        if x >= 1 or self.wins <= x * self.trials:
            return False
        return self.excess(x) > 0

    def interval(self) -> Interval:
        """[lower, upper] = the ends of C_n (module notes), at confidence 1 − alpha."""
        from scipy.optimize import brentq

        k, n = self.wins, self.trials
        if n == 0:
            return Interval(0.0, 1.0, 1 - self.alpha)
        centre = k / n
        lower = 0.0 if k == 0 else float(brentq(self.excess, _TINY, centre, xtol=1e-15))
        upper = 1.0 if k == n else float(brentq(self.excess, centre, _NEAR_ONE, xtol=1e-15))
        return Interval(min(lower, centre), max(upper, centre), 1 - self.alpha)

    def verdict(self, kind: Kind, n_choices: int | None, thresholds: Thresholds) -> Verdict:
        """The verdict of `decide_verdict` on the advantage interval, from its ends' positions alone."""
        if self.trials == 0:
            return Verdict.INCONCLUSIVE
        eps0, eps1 = thresholds.eps0, thresholds.eps1
        if kind is Kind.HIDDEN_BIT:
            if self.lower_above((1 + eps1) / 2) or self.upper_below((1 - eps1) / 2):
                return Verdict.BROKEN
            if self.lower_above((1 - eps0) / 2) and self.upper_below((1 + eps0) / 2):
                return Verdict.BOUNDED
            return Verdict.INCONCLUSIVE
        shift = baseline(kind, n_choices)
        if self.lower_above(eps1 + shift):
            return Verdict.BROKEN
        if self.upper_below(eps0 + shift):
            return Verdict.BOUNDED
        return Verdict.INCONCLUSIVE


def sequence_test(kind: Kind, n_choices: int | None, wins: int, trials: int, alpha: float) -> SequenceTest:
    return SequenceTest(wins, trials, baseline(kind, n_choices), alpha)
