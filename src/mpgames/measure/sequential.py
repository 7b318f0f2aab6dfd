"""Sequential stopping and trial planning (harness spec §7 "Measurement": anytime-valid sequential
stopping, and `--plan`).

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

from mpgames.measure.estimation import Estimate, check_reachable, clopper_pearson, estimate
from mpgames.measure.verdicts import Kind, Thresholds, check_choices, parse_kind
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

# `plan_trials` gives up beyond this budget: the gap between ε0 and ε1 is then too narrow to be useful.
PLAN_LIMIT = 10**9


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
    kind = parse_kind(kind)
    check_choices(kind, n_choices)
    check_reachable(kind, thresholds, n_choices)
    if thresholds.eps0 == thresholds.eps1:
        raise ValueError("eps0 == eps1 leaves no gap between the thresholds: no trial count separates them")
    first = checked_int(first, "first", minimum=1, error=ValueError)
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
