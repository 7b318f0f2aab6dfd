"""The former sequential rule: fixed checkpoints with α split over them (harness spec §7 "Measurement").
Runs now stop on the confidence sequence (`mpgames.measure.confidence_sequence`), which holds at every
trial; this rule stays for comparison (`Engine.run(stopping="looks")`, the benchmark of
docs/benchmarks.md "Estimation") and for the checkpoints the engine deals its batches by.

Notes
=====

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
    depend on the outcomes. The guarantee holds at one plan's looks only: a rerun with a larger
    `max_trials` replays the same trials under a second plan, whose looks spend α again, so the
    two runs together may err with probability up to 2α. The confidence sequence has no such limit.

Constants.
    See the comments beside ``DEFAULT_ALPHA``, ``DEFAULT_EPS0`` and ``DEFAULT_EPS1``
    (`mpgames.measure.verdicts`), ``DEFAULT_FIRST`` and ``GROWTH``. With these values and
    ``max_trials = 1000`` (K = 7 looks at 25, 50, …, 800, 1000):

    - an attack that wins every trial is **broken** at the first look, n = 25: the lower end of p is
      (α/2K)^(1/25) ≈ 0.68 > ε1 (hidden-bit: 2·0.68 − 1 ≈ 0.37 > ε1);
    - an adversary that never wins is **bounded** at n = 200: 1 − (α/2K)^(1/200) ≈ 0.047 < ε0, while at
      n = 100 the bound is still ≈ 0.091.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from mpgames.measure.estimation import EXACT, Estimate, estimate
from mpgames.measure.verdicts import Kind, Thresholds
from mpgames.scheme.integers import checked_int

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


@dataclass(frozen=True)
class SequentialPlan:
    """Fixed checkpoints at which a run may stop; alpha is split evenly over them (module notes)."""

    checkpoints: tuple[int, ...]
    thresholds: Thresholds

    def __post_init__(self) -> None:
        points = self.checkpoints
        if not points:
            raise ValueError("a plan needs at least one checkpoint (a positive integer)")
        points = tuple(checked_int(c, "a checkpoint", minimum=1, error=ValueError) for c in points)
        object.__setattr__(self, "checkpoints", points)
        if any(a >= b for a, b in itertools.pairwise(points)):
            raise ValueError(f"checkpoints must be strictly increasing, got {points!r}")

    @classmethod
    def for_budget(
        cls, max_trials: int, thresholds: Thresholds, first: int = DEFAULT_FIRST
    ) -> SequentialPlan:
        """Looks at first, first·2, first·4, … below max_trials, then at max_trials."""
        max_trials = checked_int(max_trials, "max_trials", minimum=1, error=ValueError)
        first = checked_int(first, "first", minimum=1, error=ValueError)
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
        return estimate(
            kind, wins, trials, self.thresholds, n_choices=n_choices, looks=self.looks, method=EXACT
        )
