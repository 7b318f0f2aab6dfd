"""Advantage estimation, confidence intervals and verdicts (harness spec §2 and §7).

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

    Verdicts compare the advantage interval with two thresholds ε0 ≤ ε1: **broken** iff its lower end is
    above ε1, **bounded** iff its upper end is below ε0, **inconclusive** otherwise. Each claim is wrong
    only if the interval misses the true advantage, so each has error probability at most α.
    The interval is two-sided (α/2 per end), so 0 wins of 1000 at 95 % reads "Adv < 0.0037", a little
    above the one-sided rule of thumb 3/n; wording rounds bounds outward to two significant digits.

Anytime validity (sequential stopping).
    The engine looks at the running count at fixed checkpoints c_1 < … < c_K, chosen before any trial
    from the budget alone (first look at ``DEFAULT_FIRST`` trials, then doubling, then ``max_trials``).
    Each look uses the interval at level 1 − α/K. By the union bound, the probability that *any* of the K
    intervals misses the true advantage is at most K · α/K = α, whatever the dependence between looks.
    On the complement event every interval is right simultaneously, so the verdict at whichever look the
    run stops — the stopping rule may depend on the data in any way — is right: the false-verdict
    probability of a whole run is at most α. This is Bonferroni over looks: conservative (a confidence
    sequence would be tighter), but its validity argument fits in two lines and the price is small: the
    trials a null adversary needs grow with ln(2K/α) instead of ln(2/α), about 25 % more at K = 7.
    Reported intervals carry the simultaneous level 1 − α. A look forced by a time limit before the next
    checkpoint spends that checkpoint's share, which stays valid as long as the interruption does not
    depend on the outcomes.

Planning (``--plan``).
    ``plan_trials`` returns the smallest budget N such that the last look of any budget N' ≥ N
    *separates* ε0 from ε1: whatever the win count, the advantage interval is narrower than ε1 − ε0, so it
    excludes ε0 or ε1 and the run rejects at least one of "Adv ≤ ε0" and "Adv ≥ ε1" at confidence 1 − α.
    The width test is sufficient, not necessary: the advantage map stretches the interval of p by at most
    its slope (1, or 2 for hidden-bit), and the widest Clopper–Pearson interval over all outcomes of n
    trials is the one at k = ⌊n/2⌋, whose width decreases with n at a fixed level; both facts are checked
    against brute force in the tests. Budgets with the same number of looks share that level. The next
    band of budgets starts at twice the trials with one look more: doubling n narrows the widest interval
    by about √2, the extra look widens it by √(ln(2(K+1)/α) / ln(2K/α)) < √2, so once the first budget of
    the following band passes the test, all later budgets do (also checked in the tests). We do not search
    for the smallest n at which every interval happens to exclude ε0 or ε1: because of the binomial
    lattice that property comes and goes as n grows (with ε0 = 0.15, ε1 = 0.45, α = 0.1, 34 trials
    separate where 35 and 36 do not), so such an answer would not survive running a few more trials. An
    adversary far from the thresholds is decided much earlier, which is what the sequential rule exploits.

Heuristics admitted.
    - Trials are assumed independent and identically distributed. The engine derives each trial's seed by
      hashing, which makes them independent for practical purposes, not provably.
    - An advantage strictly between ε0 and ε1 is reported as inconclusive however many trials run: the
      thresholds define what we claim, not the adversary's true advantage.
    - "Bounded" with ε0 = 0.05 is a smoke test at the resolution of a few hundred trials, not a proof of
      negligible advantage; the wording gives the bound actually reached so that nobody reads more into it.

Constants.
    See the comments beside ``DEFAULT_ALPHA``, ``DEFAULT_EPS0``, ``DEFAULT_EPS1``, ``DEFAULT_FIRST`` and
    ``GROWTH``. With these values and ``max_trials = 1000`` (K = 7 looks at 25, 50, …, 800, 1000):

    - an attack that wins every trial is **broken** at the first look, n = 25: the lower end of p is
      (α/2K)^(1/25) ≈ 0.68 > ε1 (hidden-bit: 2·0.68 − 1 ≈ 0.37 > ε1);
    - an adversary that never wins is **bounded** at n = 200: 1 − (α/2K)^(1/200) ≈ 0.047 < ε0, while at
      n = 100 the bound is still ≈ 0.091.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_EVEN, Decimal
from enum import StrEnum
from typing import Any

from scipy.stats import beta

# One run's false-verdict budget. A wrong verdict in CI is not a flake that goes away (seeds are fixed,
# so it would persist until the code changes), so we make it rare: 10⁻³ per run. It costs little:
# trials grow with ln(2K/α), about 2.6 times the trials of α = 0.05. Suites split their own budget.
DEFAULT_ALPHA = 1e-3

# "Bounded" claims Adv < ε0. 0.05 is the smallest round value a null adversary reaches within a few
# hundred trials (0 wins of n bounds Adv by about ln(2K/α)/n ≈ 9.5/n), which keeps a standard-tier entry
# of a CI suite within seconds. It also sits well above the inherent 1/q success of random guessing in
# the toy groups used for calibration (q = 1019 gives 0.001); the smallest toy groups (q = 11) are too
# small for a null adversary to come out bounded, as they should be.
DEFAULT_EPS0 = 0.05

# "Broken" claims Adv > ε1. A quarter above the baseline is far beyond any chance effect yet low enough
# that a perfect attack is certified at the first look for every kind (hidden-bit: ≈ 0.37 > 0.25 at
# n = 25), and the gap ε1 − ε0 = 0.2 keeps `plan_trials` moderate: 349 trials for win-lose, 1459 for
# hidden-bit (its advantage doubles the spread of p); ε1 = 0.1 would need 6008 and 24579. An attack whose
# advantage lies between ε0 and ε1 is reported inconclusive, with its interval, never as broken.
DEFAULT_EPS1 = 0.25

# First look. The null target (bounded below 0.05 at α = 10⁻³ within 200 trials, K = 7 looks for a
# budget of 1000) needs a checkpoint in [191, 200], where the bound 1 − (α/2K)^(1/n) first falls
# below 0.05; 25 · 2³ = 200 is one. A perfect attack is certified broken from n = 7 on for win-lose and
# n = 21 for hidden-bit (lower end of p above 0.625), so a first look at 25 also meets the target "broken
# within 30 trials"; guess-1-of-2, whose advantage is at most 1/2, needs the second look (50). A first
# look at 30 would miss the null target (next looks 120 and 240), 20 likewise (160 and 320).
DEFAULT_FIRST = 25

# Checkpoints double: the number of looks grows only as log2(max_trials / first), so Bonferroni costs
# ln(K), while a run overshoots the trials it needed by at most a factor of 2.
GROWTH = 2

# `plan_trials` gives up beyond this budget: the gap between ε0 and ε1 is then too narrow to be useful.
PLAN_LIMIT = 10**9


class Kind(StrEnum):
    """Experiment kinds of harness §2; the advantage follows from the kind, never from the game."""

    WIN_LOSE = "win-lose"
    GUESS_1_OF_N = "guess-1-of-n"
    HIDDEN_BIT = "hidden-bit"


class Verdict(StrEnum):
    """Harness §7: broken (lower end above ε1), bounded (upper end below ε0), inconclusive otherwise."""

    BROKEN = "broken"
    BOUNDED = "bounded"
    INCONCLUSIVE = "inconclusive"


def _check_probability_level(value: float, name: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value < 1:
        raise ValueError(f"{name} must be a number strictly between 0 and 1, got {value!r}")


def _check_count(value: int, name: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{name} must be a non-negative integer, got {value!r}")


@dataclass(frozen=True)
class Interval:
    """A closed interval [lower, upper] with the confidence it holds at (e.g. 0.999)."""

    lower: float
    upper: float
    confidence: float

    def __post_init__(self) -> None:
        if not self.lower <= self.upper:
            raise ValueError(f"interval lower end {self.lower!r} is above its upper end {self.upper!r}")
        _check_probability_level(self.confidence, "interval confidence")

    def as_dict(self) -> dict[str, float]:
        return {"lower": self.lower, "upper": self.upper, "confidence": self.confidence}


@dataclass(frozen=True)
class Thresholds:
    """What a run may claim: bounded iff Adv's upper end < eps0, broken iff its lower end > eps1."""

    eps0: float = DEFAULT_EPS0
    eps1: float = DEFAULT_EPS1
    alpha: float = DEFAULT_ALPHA

    def __post_init__(self) -> None:
        _check_probability_level(self.eps0, "eps0")
        _check_probability_level(self.eps1, "eps1")
        _check_probability_level(self.alpha, "alpha")
        if self.eps0 > self.eps1:
            raise ValueError(
                f"eps0 (bounded threshold, {self.eps0}) must not exceed eps1 (broken threshold, {self.eps1})"
            )

    def as_dict(self) -> dict[str, float]:
        return {"eps0": self.eps0, "eps1": self.eps1, "alpha": self.alpha}


def _kind(kind: Kind | str) -> Kind:
    try:
        return Kind(kind)
    except ValueError:
        known = [k.value for k in Kind]
        raise ValueError(f"unknown experiment kind {kind!r}; expected one of {known}") from None


def _check_choices(kind: Kind, n_choices: int | None) -> None:
    if kind is Kind.GUESS_1_OF_N:
        if isinstance(n_choices, bool) or not isinstance(n_choices, int) or n_choices < 2:
            raise ValueError(f"guess-1-of-n needs n_choices, an integer >= 2, got {n_choices!r}")
    elif n_choices is not None:
        raise ValueError(f"n_choices applies only to guess-1-of-n, not to {kind.value}")


def clopper_pearson(wins: int, n: int, alpha: float) -> Interval:
    """Exact two-sided interval for p from `wins` successes in `n` trials, coverage >= 1 − alpha.

    With no trials the interval is [0, 1]; with 0 wins the lower end is 0, with n wins the upper end is 1.
    """
    _check_count(wins, "wins")
    _check_count(n, "trials")
    if wins > n:
        raise ValueError(f"wins ({wins}) cannot exceed trials ({n})")
    _check_probability_level(alpha, "alpha")
    lower = 0.0 if wins == 0 else float(beta.ppf(alpha / 2, wins, n - wins + 1))
    upper = 1.0 if wins == n else float(beta.ppf(1 - alpha / 2, wins + 1, n - wins))
    return Interval(lower, upper, 1 - alpha)


def advantage(kind: Kind | str, success: float, n_choices: int | None = None) -> float:
    """Advantage for a success probability (harness §2): p, p − 1/n or |2p − 1|."""
    kind = _kind(kind)
    _check_choices(kind, n_choices)
    if isinstance(success, bool) or not isinstance(success, int | float) or not 0 <= success <= 1:
        raise ValueError(f"success probability must be a number in [0, 1], got {success!r}")
    if kind is Kind.WIN_LOSE:
        return float(success)
    if kind is Kind.GUESS_1_OF_N:
        return success - 1 / n_choices
    return abs(2 * success - 1)


def advantage_interval(
    kind: Kind | str, success_interval: Interval, n_choices: int | None = None
) -> Interval:
    """Image of an interval of p under the kind's advantage map, same confidence."""
    kind = _kind(kind)
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


def decide_verdict(adv: Interval, thresholds: Thresholds) -> Verdict:
    """Harness §7: broken iff adv.lower > eps1; bounded iff adv.upper < eps0; inconclusive otherwise."""
    if adv.lower > thresholds.eps1:
        return Verdict.BROKEN
    if adv.upper < thresholds.eps0:
        return Verdict.BOUNDED
    return Verdict.INCONCLUSIVE


def _check_reachable(kind: Kind, thresholds: Thresholds, n_choices: int | None) -> None:
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

    `interval` is the interval of the advantage at the run's simultaneous level 1 − alpha (computed at
    alpha/looks per look, see the module notes); `looks` is the number of looks alpha was split over.
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

    def describe(self) -> str:
        """Honest one-line wording: a bound when the interval touches an end, never a bare 0."""
        if self.trials == 0:
            return "Adv not estimated (n=0)"
        where = f"at {_percent(self.interval.confidence)} (n={self.trials})"
        low, high = self.interval.lower, self.interval.upper
        if low <= 0:
            bound = _rounded(high, ROUND_CEILING)
            return f"Adv {'<' if bound > Decimal(repr(high)) else '≤'} {bound} {where}"
        if high >= max_advantage(self.kind, self.n_choices):
            return f"Adv ≥ {_rounded(low, ROUND_FLOOR)} {where}"
        point = _rounded(self.advantage, ROUND_HALF_EVEN)
        return f"Adv = {point} in [{_rounded(low, ROUND_FLOOR)}, {_rounded(high, ROUND_CEILING)}] {where}"

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: the inputs (kind, counts, thresholds, looks) and everything derived from them."""
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
            )
            recorded = data["verdict"]
        except (KeyError, TypeError) as exc:
            raise ValueError(f"malformed estimate record: {exc!r}") from None
        if recorded != rebuilt.verdict.value:
            raise ValueError(
                f"estimate record says {recorded!r} but its counts give {rebuilt.verdict.value!r}"
            )
        return rebuilt


def estimate(
    kind: Kind | str,
    wins: int,
    trials: int,
    thresholds: Thresholds,
    *,
    n_choices: int | None = None,
    looks: int = 1,
) -> Estimate:
    """Estimate the advantage from `wins` of `trials` and decide the verdict.

    The interval is Clopper–Pearson at alpha/looks, reported at the simultaneous level 1 − alpha that
    holds across all `looks` looks of a sequential run (module notes).
    """
    kind = _kind(kind)
    _check_choices(kind, n_choices)
    if not isinstance(thresholds, Thresholds):
        raise ValueError(f"thresholds must be a Thresholds record, got {type(thresholds).__name__}")
    _check_reachable(kind, thresholds, n_choices)
    if isinstance(looks, bool) or not isinstance(looks, int) or looks < 1:
        raise ValueError(f"looks must be a positive integer, got {looks!r}")
    per_look = clopper_pearson(wins, trials, thresholds.alpha / looks)
    success_interval = Interval(per_look.lower, per_look.upper, 1 - thresholds.alpha)
    adv_interval = advantage_interval(kind, success_interval, n_choices)
    success = wins / trials if trials else 0.0
    return Estimate(
        kind=kind,
        wins=wins,
        trials=trials,
        n_choices=n_choices,
        success=success,
        advantage=advantage(kind, success, n_choices),
        interval=adv_interval,
        verdict=decide_verdict(adv_interval, thresholds) if trials else Verdict.INCONCLUSIVE,
        thresholds=thresholds,
        looks=looks,
    )


@dataclass(frozen=True)
class SequentialPlan:
    """Fixed checkpoints at which a run may stop; alpha is split evenly over them (module notes)."""

    checkpoints: tuple[int, ...]
    thresholds: Thresholds

    def __post_init__(self) -> None:
        points = self.checkpoints
        if not points or any(isinstance(c, bool) or not isinstance(c, int) or c < 1 for c in points):
            raise ValueError(f"checkpoints must be positive integers, got {points!r}")
        if any(a >= b for a, b in itertools.pairwise(points)):
            raise ValueError(f"checkpoints must be strictly increasing, got {points!r}")

    @classmethod
    def for_budget(
        cls, max_trials: int, thresholds: Thresholds, first: int = DEFAULT_FIRST
    ) -> SequentialPlan:
        """Looks at first, first·2, first·4, … below max_trials, then at max_trials."""
        for value, name in ((max_trials, "max_trials"), (first, "first")):
            _check_count(value, name)
            if value == 0:
                raise ValueError(f"{name} must be at least 1")
        points = []
        look = first
        while look < max_trials:
            points.append(look)
            look *= GROWTH
        points.append(max_trials)
        return cls(tuple(points), thresholds)

    @property
    def max_trials(self) -> int:
        return self.checkpoints[-1]

    @property
    def looks(self) -> int:
        return len(self.checkpoints)

    def decide(
        self, kind: Kind | str, wins: int, trials: int, n_choices: int | None = None, *, final: bool = False
    ) -> Estimate:
        """Estimate at a checkpoint; a verdict other than inconclusive means stop.

        `final=True` allows one last look between checkpoints when a run is cut short (time limit,
        interruption): it spends the share of the next checkpoint, so no look may follow it.
        """
        if trials not in self.checkpoints and not (final and 0 <= trials <= self.max_trials):
            raise ValueError(
                f"{trials} trials is not a checkpoint of this plan {self.checkpoints}; "
                "pass final=True for a last look cut short by a time limit"
            )
        return estimate(kind, wins, trials, self.thresholds, n_choices=n_choices, looks=self.looks)


# Largest slope of each advantage map (its Lipschitz constant): the advantage interval is at most this
# many times as wide as the interval of p it comes from.
_SLOPE = {Kind.WIN_LOSE: 1, Kind.GUESS_1_OF_N: 1, Kind.HIDDEN_BIT: 2}


def worst_width(n: int, alpha: float) -> float:
    """Width of the widest Clopper–Pearson interval over all outcomes of n trials: the one at k = ⌊n/2⌋."""
    widest = clopper_pearson(n // 2, n, alpha)
    return widest.upper - widest.lower


def plan_trials(
    kind: Kind | str, thresholds: Thresholds, n_choices: int | None = None, *, first: int = DEFAULT_FIRST
) -> int:
    """Smallest budget from which every last look tells eps0 from eps1 at alpha (module notes).

    A budget fits when slope · worst_width(budget, alpha/looks) < eps1 − eps0. Budgets with the same
    number of looks share the per-look level, so fitting is monotone among them; we find the first band
    of budgets (first·2^(j−1), first·2^j] whose top fits and such that the next band, which has one look
    more, fits from its start, then the smallest fitting budget inside it by bisection.
    """
    kind = _kind(kind)
    _check_choices(kind, n_choices)
    _check_reachable(kind, thresholds, n_choices)
    if thresholds.eps0 == thresholds.eps1:
        raise ValueError("eps0 == eps1 leaves no gap between the thresholds: no trial count separates them")
    _check_count(first, "first")
    gap = thresholds.eps1 - thresholds.eps0

    def fits(budget: int) -> bool:
        looks = SequentialPlan.for_budget(budget, thresholds, first).looks
        return _SLOPE[kind] * worst_width(budget, thresholds.alpha / looks) < gap

    band_low, band_top = 0, first
    while not (fits(band_top) and fits(band_top + 1)):
        if band_top >= PLAN_LIMIT:
            raise ValueError(
                f"telling eps0 = {thresholds.eps0} from eps1 = {thresholds.eps1} at alpha = "
                f"{thresholds.alpha} needs more than {PLAN_LIMIT} trials; widen the gap"
            )
        band_low, band_top = band_top, band_top * GROWTH
    low, high = band_low + 1, band_top
    while low < high:
        mid = (low + high) // 2
        if fits(mid):
            high = mid
        else:
            low = mid + 1
    return low
