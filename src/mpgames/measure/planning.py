"""Trial planning for the confidence sequence (harness spec §7 "Measurement", `--plan`): how many trials
decide a run at Adv = 0 and at the largest advantage, and which advantages a budget leaves undecided.

Notes
=====

What a plan promises.
    - **Adv = 0** (a null adversary: success = the kind's baseline b). Its win count is random, so the
      plan gives the smallest n by which the run has stopped on "bounded" with probability at least
      1 − `PLAN_MISS`, computed exactly: the distribution of the win count is carried trial by trial
      and the mass of every count that decides "bounded" is removed as the engine would stop there.
      For win-lose, b = 0 and the count is 0: the n is exact.
    - **The largest advantage** (a perfect adversary: it wins every trial): the first n at which n
      wins of n decide "broken".
    - **The band at the cap**: at `max_trials` trials, with the win count an adversary of advantage
      a is expected to have, advantages up to `band[0]` come out bounded and from `band[1]` on broken;
      those in between stay inconclusive (an adversary of such advantage needs more trials, or
      thresholds nearer to it). A real run's count scatters around the expectation, so near the
      ends of the band it may fall either way.

    Each figure is found by running the rule the engine runs (`SequenceTest.verdict`) on the counts
    in question, so `--plan` and the engine cannot disagree; tests/test_planning.py checks every
    kind against engine runs.

The search for "bounded" counts.
    At a fixed n, the counts that decide "bounded" form one run of consecutive values: around n/2
    for hidden-bit, from 0 up for the other kinds, whose advantage p − b is smallest (and may be
    negative) for the fewest wins (checked against every count in the tests). Its ends are found
    by bisection: 2·log2(n) verdicts per trial count.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

from mpgames.measure.confidence_sequence import baseline, sequence_test
from mpgames.measure.estimation import advantage, check_reachable, max_advantage
from mpgames.measure.verdicts import Kind, Thresholds, Verdict, check_choices, parse_kind
from mpgames.scheme.integers import checked_int

# A null run's plan may leave this probability of not being decided by its budget.
PLAN_MISS = 0.01
# The plan gives up beyond this many trials: the gap is then too narrow for the budget to be useful.
PLAN_LIMIT = 50_000


def _verdict(kind: Kind, choices: int | None, wins: int, trials: int, thresholds: Thresholds) -> Verdict:
    return sequence_test(kind, choices, wins, trials, thresholds.alpha).verdict(kind, choices, thresholds)


def bounded_counts(
    kind: Kind, choices: int | None, trials: int, thresholds: Thresholds
) -> tuple[int, int] | None:
    """(lowest, highest) win count that decides "bounded" after `trials` trials; None if none does."""

    def bounded(wins: int) -> bool:
        return _verdict(kind, choices, wins, trials, thresholds) is Verdict.BOUNDED

    # The count most likely to be bounded: n/2 for hidden-bit (|2p − 1| is smallest there), else 0
    # (Adv = p − b is smallest for the fewest wins, and may be negative).
    centre = trials // 2 if kind is Kind.HIDDEN_BIT else 0
    if not bounded(centre):
        return None
    low, high = 0, centre  # the lowest bounded count lies in [low, high]
    while low < high:
        mid = (low + high) // 2
        low, high = (low, mid) if bounded(mid) else (mid + 1, high)
    lowest = low
    low, high = centre, trials  # the highest bounded count lies in [low, high]
    while low < high:
        mid = (low + high + 1) // 2
        low, high = (mid, high) if bounded(mid) else (low, mid - 1)
    return lowest, low


def null_stop_probabilities(kind: Kind, choices: int | None, thresholds: Thresholds) -> Iterator[float]:
    """Pr[a run at Adv = 0 has stopped on "bounded" by trial n], for n = 1, 2, … (module notes)."""
    p = baseline(kind, choices)
    mass = np.ones(1)  # Pr[win count = k and the run has not stopped], k = 0 … n
    stopped = 0.0
    for n in itertools.count(1):
        grown = np.zeros(n + 1)
        grown[:-1] += mass * (1 - p)
        grown[1:] += mass * p
        mass = grown
        counts = bounded_counts(kind, choices, n, thresholds)
        if counts is not None:
            low, high = counts
            stopped += float(mass[low : high + 1].sum())
            mass[low : high + 1] = 0.0
        yield stopped


def null_trials(
    kind: Kind, choices: int | None, thresholds: Thresholds, limit: int = PLAN_LIMIT
) -> int | None:
    """Smallest n by which a run at Adv = 0 has stopped on "bounded" with probability ≥ 1 − PLAN_MISS;
    None if that takes more than `limit` trials."""
    probabilities = null_stop_probabilities(kind, choices, thresholds)
    for n, stopped in enumerate(itertools.islice(probabilities, limit), 1):
        if stopped >= 1 - PLAN_MISS:
            return n
    return None


def top_trials(
    kind: Kind, choices: int | None, thresholds: Thresholds, limit: int = PLAN_LIMIT
) -> int | None:
    """The first n at which n wins of n decide "broken" (a perfect adversary); None beyond `limit`."""
    n = 1
    while _verdict(kind, choices, n, n, thresholds) is not Verdict.BROKEN:
        n *= 2
        if n > limit:
            return None
    low, high = n // 2 + 1, n
    while low < high:
        mid = (low + high) // 2
        low, high = (
            (low, mid) if _verdict(kind, choices, mid, mid, thresholds) is Verdict.BROKEN else (mid + 1, high)
        )
    return low


def _success(kind: Kind, choices: int | None, adv: float) -> float:
    """The success probability of an adversary of advantage `adv` (above the baseline)."""
    return baseline(kind, choices) + (adv / 2 if kind is Kind.HIDDEN_BIT else adv)


def inconclusive_band(
    kind: Kind, choices: int | None, thresholds: Thresholds, trials: int
) -> tuple[float, float]:
    """(a_low, a_high): at `trials` trials and the expected count, advantages up to a_low are decided
    "bounded" and from a_high on "broken" (to 3 decimals, by bisection); between them, inconclusive."""
    top = max_advantage(kind, choices)

    def verdict(adv: float) -> Verdict:
        wins = min(trials, round(trials * _success(kind, choices, adv)))
        return _verdict(kind, choices, wins, trials, thresholds)

    def edge(target: Verdict, below: bool) -> float:
        """The advantage where the verdict starts (below=False) or stops (below=True) being target."""
        low, high = 0.0, top
        for _ in range(40):
            mid = (low + high) / 2
            inside = verdict(mid) is target
            if below == inside:
                low = mid
            else:
                high = mid
        return low if below else high

    a_low = edge(Verdict.BOUNDED, below=True) if verdict(0.0) is Verdict.BOUNDED else 0.0
    a_high = edge(Verdict.BROKEN, below=False) if verdict(top) is Verdict.BROKEN else top
    return math.floor(a_low * 1000) / 1000, math.ceil(a_high * 1000) / 1000


@dataclass(frozen=True)
class Plan:
    """What `max_trials` trials decide for one experiment kind at the given thresholds (module notes)."""

    kind: Kind
    n_choices: int | None
    thresholds: Thresholds
    max_trials: int
    null_trials: int | None
    top_advantage: float
    top_trials: int | None
    band: tuple[float, float]

    @property
    def enough(self) -> bool:
        """Whether the budget decides both a null and a perfect adversary as planned."""
        needed = (self.null_trials, self.top_trials)
        return all(n is not None and n <= self.max_trials for n in needed)

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "n_choices": self.n_choices,
            "thresholds": self.thresholds.as_dict(),
            "max_trials": self.max_trials,
            "null_trials": self.null_trials,
            "null_decided_probability": 1 - PLAN_MISS,
            "top_advantage": self.top_advantage,
            "top_trials": self.top_trials,
            "inconclusive_band": list(self.band),
            "enough": self.enough,
        }


def plan(kind: Kind | str, thresholds: Thresholds, max_trials: int, n_choices: int | None = None) -> Plan:
    """The plan of a run of at most `max_trials` trials (module notes)."""
    kind = parse_kind(kind)
    choices = check_choices(kind, n_choices)
    check_reachable(kind, thresholds, choices)
    max_trials = checked_int(max_trials, "max_trials", minimum=1, error=ValueError)
    return Plan(
        kind,
        choices,
        thresholds,
        max_trials,
        null_trials(kind, choices, thresholds),
        advantage(kind, 1.0, choices),
        top_trials(kind, choices, thresholds),
        inconclusive_band(kind, choices, thresholds, max_trials),
    )
