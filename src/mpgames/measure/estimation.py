"""Advantage estimation: exact intervals, the advantage maps and the estimate of one run (harness spec §2
"Experiment kinds and advantage" and §7 "Measurement": estimates, intervals, honest wording).

Notes
=====

Method.
    A run plays ``n`` independent trials of one game against one adversary and counts the ``k`` trials
    it won (a trial the adversary lost by raising or by exceeding a budget counts as a loss). ``k`` is
    Binomial(n, p) with p = Pr[win]. We bound p with the exact Clopper–Pearson interval (the inversion of
    two one-sided binomial tests, computed with ``scipy.stats.beta``): its coverage is at least the
    nominal level for every p and every n, which a normal or Wilson approximation does not guarantee
    near 0 and 1, exactly where security claims live. The advantage is a fixed function of p set by the
    experiment kind (harness §2), and its interval is the image of the interval of p:

    - win-lose:      Adv = p                 (identity);
    - guess-1-of-n:  Adv = p − 1/n           (a shift; it may be negative);
    - hidden-bit:    Adv = |2p − 1|          (not monotone: if the interval of p contains 1/2 the lower
      end of the advantage is 0; otherwise it is the image of the end nearer to 1/2).

    The verdict compares the advantage interval with the thresholds (`mpgames.measure.verdicts`).

    Two methods give the interval of p (`Estimate.method`):

    - ``sequence`` (the default of every run that may stop early): the beta-binomial mixture
      confidence sequence of `mpgames.measure.confidence_sequence`, valid at every trial at once. In
      a few lines: for the true p, the mixture likelihood ratio M_n(p) is a martingale that starts
      at 1, so by Ville's inequality it ever reaches 1/α with probability at most α; the interval
      is every p0 with M_n(p0) < 1/α, so it misses the true p at *some* n with probability at most
      α. Hence the interval at whatever trial a run stops — decided, timed out, interrupted, or
      rerun with a larger budget — is right with probability 1 − α.
    - ``exact``: Clopper–Pearson at α/looks, the inversion of two one-sided binomial tests (computed
      with ``scipy.stats.beta``), whose coverage is at least the nominal level for every p and n. A
      run of a fixed number of trials (`--fixed N`) has one look; the former sequential rule
      (`mpgames.measure.sequential`: α split over the K checkpoints of one plan) is ``exact`` with
      K looks, kept for comparison. Its interval is two-sided (α/2 per end), so 0 wins of 1000 at
      95 % reads "Adv < 0.0037", a little above the one-sided rule of thumb 3/n.

    Wording rounds bounds outward to two significant digits; `estimate` reports the level 1 − α.

Heuristics admitted.
    - Trials are assumed independent and identically distributed. The engine derives each trial's seed by
      hashing, which makes them independent for practical purposes, not provably.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_EVEN, Decimal
from typing import Any

from mpgames.measure.confidence_sequence import sequence_test
from mpgames.measure.verdicts import (
    Interval,
    Kind,
    Thresholds,
    Verdict,
    check_choices,
    check_probability_level,
    decide_verdict,
    parse_kind,
)
from mpgames.scheme.integers import checked_int

# The interval methods (module notes).
SEQUENCE, EXACT = "sequence", "exact"
METHODS = (SEQUENCE, EXACT)


def _check_count(value: int, name: str) -> int:
    return checked_int(value, name, minimum=0, error=ValueError)


def clopper_pearson(wins: int, n: int, alpha: float) -> Interval:
    """Exact two-sided interval for p from `wins` successes in `n` trials, coverage >= 1 − alpha.

    With no trials the interval is [0, 1]; with 0 wins the lower end is 0, with n wins the upper end is 1.
    """
    wins = _check_count(wins, "wins")
    n = _check_count(n, "trials")
    if wins > n:
        raise ValueError(f"wins ({wins}) cannot exceed trials ({n})")
    check_probability_level(alpha, "alpha")
    # Imported here, not at the top: an isolated adversary's process imports this module (through
    # the framework's errors) but never computes an interval, and scipy.stats would cost it a second
    # to start and ~90 MB to every fork of it (docs/benchmarks.md).
    from scipy.stats import beta

    lower = 0.0 if wins == 0 else float(beta.ppf(alpha / 2, wins, n - wins + 1))
    upper = 1.0 if wins == n else float(beta.ppf(1 - alpha / 2, wins + 1, n - wins))
    return Interval(lower, upper, 1 - alpha)


def advantage(kind: Kind | str, success: float, n_choices: int | None = None) -> float:
    """Advantage for a success probability (harness §2): p, p − 1/n or |2p − 1|."""
    kind = parse_kind(kind)
    choices = check_choices(kind, n_choices)
    if isinstance(success, bool) or not isinstance(success, int | float) or not 0 <= success <= 1:
        raise ValueError(f"success probability must be a number in [0, 1], got {success!r}")
    if kind is Kind.WIN_LOSE:
        return float(success)
    if choices is not None:  # guess-1-of-n, the one kind with choices
        return success - 1 / choices
    return abs(2 * success - 1)


def advantage_interval(
    kind: Kind | str, success_interval: Interval, n_choices: int | None = None
) -> Interval:
    """Image of an interval of p under the kind's advantage map, same confidence."""
    kind = parse_kind(kind)
    low = advantage(kind, success_interval.lower, n_choices)
    high = advantage(kind, success_interval.upper, n_choices)
    if kind is Kind.HIDDEN_BIT:
        # |2p − 1| dips to 0 at p = 1/2: an interval of p containing 1/2 cannot exclude advantage 0.
        straddles_half = success_interval.lower <= 0.5 <= success_interval.upper
        low, high = (0.0 if straddles_half else min(low, high)), max(low, high)
    return Interval(low, high, success_interval.confidence)


def max_advantage(kind: Kind | str, n_choices: int | None = None) -> float:
    """The largest advantage the kind allows (1, or 1 − 1/n for guess-1-of-n)."""
    return advantage(kind, 1.0, n_choices)


def check_reachable(kind: Kind, thresholds: Thresholds, n_choices: int | None) -> None:
    """ValueError if eps1 is not below the kind's largest advantage: 'broken' could never be decided."""
    top = max_advantage(kind, n_choices)
    if thresholds.eps1 >= top:
        raise ValueError(
            f"eps1 = {thresholds.eps1} is not below the largest possible advantage {top:.4g} of {kind.value}"
            f"{f' with n = {n_choices}' if n_choices else ''}: the verdict 'broken' could never be reached"
        )


def _rounded(x: float, rounding: str) -> Decimal:
    """x to two significant digits, rounded in the given direction (outward for bounds)."""
    value = Decimal(repr(x))
    if value == 0:
        return value
    decimals = max(0, 1 - value.adjusted())
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=rounding)


def _percent(confidence: float) -> str:
    return f"{round(100 * confidence, 6):g}%"


@dataclass(frozen=True)
class Estimate:
    """One run's measurement: counts, point estimates, the advantage interval and the verdict.

    `interval` is the interval of the advantage at level 1 − alpha, by `method` (module notes):
    the confidence sequence, valid at every trial, or exact Clopper–Pearson at alpha/looks per look
    (`looks` is 1 but for the former checkpoint rule of `mpgames.measure.sequential`).
    """

    kind: Kind
    wins: int
    trials: int
    n_choices: int | None
    success: float
    advantage: float
    interval: Interval
    verdict: Verdict
    thresholds: Thresholds
    looks: int
    method: str = SEQUENCE
    # Set on a suite's entries by Holm (`mpgames.measure.holm`): the suite's α, whose 1 − α is what
    # the printed level states — every verdict of the suite right at once — where the interval's own
    # level depends on the other entries.
    suite_alpha: float | None = None

    def describe(self) -> str:
        """Honest one-line wording: a bound when the interval touches an end, never a bare 0."""
        if self.trials == 0:
            return "Adv not estimated (n=0)"
        if self.suite_alpha is None:
            where = f"at {_percent(self.interval.confidence)} (n={self.trials})"
        else:
            where = f"at {_percent(1 - self.suite_alpha)} suite-wide (n={self.trials})"
        low, high = self.interval.lower, self.interval.upper
        if high <= 0:  # a guessing game's Pr[win] − 1/n, all below 0: no negative bound is printed
            return f"Adv: below chance {where}"
        if low <= 0:
            bound = _rounded(high, ROUND_CEILING)
            return f"Adv {'<' if bound > Decimal(repr(high)) else '≤'} {bound} {where}"
        if high >= max_advantage(self.kind, self.n_choices):
            return f"Adv ≥ {_rounded(low, ROUND_FLOOR)} {where}"
        point = _rounded(self.advantage, ROUND_HALF_EVEN)
        return f"Adv = {point} in [{_rounded(low, ROUND_FLOOR)}, {_rounded(high, ROUND_CEILING)}] {where}"

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: the inputs (kind, counts, thresholds, method, looks) and all derived from them."""
        return {
            "kind": self.kind.value,
            "wins": self.wins,
            "trials": self.trials,
            "n_choices": self.n_choices,
            "success": self.success,
            "advantage": self.advantage,
            "interval": self.interval.as_dict(),
            "verdict": self.verdict.value,
            "thresholds": self.thresholds.as_dict(),
            "looks": self.looks,
            "method": self.method,
            "suite_alpha": self.suite_alpha,
            "describe": self.describe(),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Estimate:
        """Rebuild from `as_dict` output by recomputing from the inputs; a stale verdict is refused."""
        try:
            rebuilt = estimate(
                data["kind"],
                data["wins"],
                data["trials"],
                Thresholds(**data["thresholds"]),
                n_choices=data["n_choices"],
                looks=data["looks"],
                # Records written before the confidence sequence existed are exact.
                method=data.get("method", EXACT),
            )
            recorded = data["verdict"]
        except (KeyError, TypeError) as exc:
            raise ValueError(f"malformed estimate record: {exc!r}") from None
        if recorded != rebuilt.verdict.value:
            raise ValueError(
                f"estimate record says {recorded!r} but its counts give {rebuilt.verdict.value!r}"
            )
        suite_alpha = data.get("suite_alpha")
        if suite_alpha is not None:
            check_probability_level(suite_alpha, "suite_alpha")
        return dataclasses.replace(rebuilt, suite_alpha=suite_alpha)


def estimate(
    kind: Kind | str,
    wins: int,
    trials: int,
    thresholds: Thresholds,
    *,
    n_choices: int | None = None,
    looks: int = 1,
    method: str = SEQUENCE,
) -> Estimate:
    """Estimate the advantage from `wins` of `trials` and decide the verdict.

    `method` "sequence": the confidence sequence at level 1 − alpha (valid whenever the run stopped);
    "exact": Clopper–Pearson at alpha/looks, reported at the simultaneous level 1 − alpha that holds
    across the `looks` looks of the checkpoint rule (`mpgames.measure.sequential`).
    """
    kind = parse_kind(kind)
    check_choices(kind, n_choices)
    if not isinstance(thresholds, Thresholds):
        raise ValueError(f"thresholds must be a Thresholds record, got {type(thresholds).__name__}")
    check_reachable(kind, thresholds, n_choices)
    looks = checked_int(looks, "looks", minimum=1, error=ValueError)
    if method not in METHODS:
        raise ValueError(f"unknown interval method {method!r}; expected one of {list(METHODS)}")
    if method == SEQUENCE:
        if looks != 1:
            raise ValueError("the confidence sequence takes no looks: it holds at every trial")
        wins = _check_count(wins, "wins")
        trials = _check_count(trials, "trials")
        if wins > trials:
            raise ValueError(f"wins ({wins}) cannot exceed trials ({trials})")
        test = sequence_test(kind, n_choices, wins, trials, thresholds.alpha)
        success_interval = test.interval()
        verdict = test.verdict(kind, n_choices, thresholds)
    else:
        per_look = clopper_pearson(wins, trials, thresholds.alpha / looks)
        success_interval = Interval(per_look.lower, per_look.upper, 1 - thresholds.alpha)
    adv_interval = advantage_interval(kind, success_interval, n_choices)
    if method == EXACT:
        verdict = decide_verdict(adv_interval, thresholds) if trials else Verdict.INCONCLUSIVE
    success = wins / trials if trials else 0.0
    return Estimate(
        kind=kind,
        wins=wins,
        trials=trials,
        n_choices=n_choices,
        success=success,
        advantage=advantage(kind, success, n_choices),
        interval=adv_interval,
        verdict=verdict,
        thresholds=thresholds,
        looks=looks,
        method=method,
    )
