"""The default suite played by `mpgames demo` (harness §8 calibration: each run can pass and fail).

For every registered game and every adversary targeting it:

* a null adversary plays the default variant at every tier of the game: expected bounded;
* a reference attack plays the variant it breaks at every tier (expected broken where the attack
  applies, bounded where it does not, e.g. baby-step giant-step on the standard tier), the further
  variants it breaks (`Adversary.also_breaks`) at the tiers where it breaks them (expected broken),
  and the default variant on the toy tier when that is none of these (expected bounded: the attack
  fails against the fix).

A generic attack on small groups may break the default, recommended variant itself: `dl.bsgs`,
`mp.ds-leaf-collision` or `aa.leaf-collision` claim `breaks:<default variant>` on the toy tier only.
Their toy entry of the default variant is then an expected break, next to the null adversary's
bounded entry of the same variant and tier, and their standard-tier entry an expected bound: the
table shows what the best registered attack achieves on each tier, and that the toy tier is no
security evidence.

So the table shows, side by side, the harness certifying a break and certifying a bound.

Trial budgets follow from the game's kind. A null adversary sits at the baseline success 1/n
(guess-1-of-n) or 1/2 (hidden-bit), so its advantage is bounded only once the interval of p is
narrow around that baseline: a win-lose game needs 148 trials, a guess-1-of-3 game about 3,800, a
hidden-bit game about 18,000 (its advantage |2p − 1| doubles the spread of p; `mpgames run GAME
--plan`). `demo_budget` picks,
per game, the smallest budget at which a zero-advantage adversary that runs two standard deviations
above its baseline still comes out bounded: first at the default ε0 = 0.05 within
`STRICT_BUDGET_LIMIT` trials, otherwise at `RELAXED_EPS0` = 0.1 (ε1 and α unchanged; the summary lists
every threshold set used). Bounded entries whose budget exceeds `STANDARD_TIER_BUDGET` are played on
the toy tier only: on the standard tier they would take minutes.

The calibration depends on the false-alarm level α of each entry: a suite file splits its own α over
its entries, so `mpgames.suites.files` calls `demo_budget` at that level for every entry that sets no
budget of its own. `default_suite` picks the entries of `src/mpgames/suites/default.toml`, which is generated
from it (`python -m mpgames.suites.files`).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from mpgames.framework.base import AdversaryLike, Game
from mpgames.measure.estimation import estimate
from mpgames.measure.records import place
from mpgames.measure.verdicts import DEFAULT_ALPHA, Kind, Thresholds, Verdict

# Budgets tried, smallest first (sequential stopping ends most entries much earlier). The smallest
# is more than twice the 148 trials that bound a win-lose null adversary, so that one chance win on a
# toy group still leaves a decided verdict (bound ≈ 0.036 at n = 400).
BUDGETS = (400, 800, 1600, 3200, 6400)
DEMO_MAX_TRIALS = BUDGETS[0]
STRICT_BUDGET_LIMIT = 3200
RELAXED_EPS0 = 0.1
# Bounded entries above this budget skip the standard tier (2048-bit trials cost milliseconds each).
STANDARD_TIER_BUDGET = 400
# "Unlucky" null adversary: this many standard deviations above its baseline success.
UNLUCKY_SIGMAS = 2


def _bounded_when_unlucky(kind: Kind, n_choices: int | None, budget: int, thresholds: Thresholds) -> bool:
    baseline = 0.5 if kind is Kind.HIDDEN_BIT else 1 / n_choices if n_choices else 0.0
    spread = math.sqrt(budget * baseline * (1 - baseline))
    wins = min(budget, math.ceil(baseline * budget + UNLUCKY_SIGMAS * spread))
    return estimate(kind, wins, budget, thresholds, n_choices=n_choices).verdict is Verdict.BOUNDED


def demo_budget(
    kind: Kind, n_choices: int | None = None, alpha: float = DEFAULT_ALPHA
) -> tuple[int, Thresholds]:
    """(trial cap, thresholds) of a game's entries at false-alarm level `alpha` (module docstring)."""
    for thresholds, limit in (
        (Thresholds(alpha=alpha), STRICT_BUDGET_LIMIT),
        (Thresholds(eps0=RELAXED_EPS0, alpha=alpha), BUDGETS[-1]),
    ):
        for budget in BUDGETS:
            if budget <= limit and _bounded_when_unlucky(kind, n_choices, budget, thresholds):
                return budget, thresholds
    return BUDGETS[-1], Thresholds(eps0=RELAXED_EPS0, alpha=alpha)  # undecided entries are reported as such


@dataclass(frozen=True)
class SuiteEntry:
    """One run of a suite."""

    game: type[Game]
    variant: str
    adversary: type[AdversaryLike]
    tier: str
    max_trials: int = DEMO_MAX_TRIALS
    thresholds: Thresholds = dataclasses.field(default_factory=Thresholds)
    seconds: float | None = None  # wall-clock cap of the run (suite files: `seconds`, `entry_seconds`)
    group: str | None = None  # a named group of the tier (None: the game's group for the tier)
    # A suite file's expectation, which stands where the adversary claims nothing (a variant that a
    # variant game added after the adversary was declared, `Adversary.expected_verdict`).
    stated: str | None = None

    @property
    def place(self) -> str:
        """Where the entry plays: its tier, and its group when it names one (`records.place`)."""
        return place(self.tier, self.group)

    @property
    def expect(self) -> str | None:
        """The adversary's claim for this variant and tier, else the suite's (`stated`)."""
        claimed = self.adversary.expected_verdict(self.variant, self.tier)
        return self.stated if claimed is None else claimed


def _candidates(game: type[Game], adversary: type[AdversaryLike]) -> list[tuple[str, str]]:
    """(variant, tier) pairs the adversary plays in the demo (module docstring)."""
    target = adversary.broken_variant()
    if target is None:
        return [(game.default_variant, tier) for tier in game.tiers()]
    pairs = [(target, tier) for tier in game.tiers()]
    also: tuple[str, ...] = getattr(adversary, "also_breaks", ())
    breaks_tiers: tuple[str, ...] = getattr(adversary, "breaks_tiers", ())
    pairs += [(variant, tier) for variant in also for tier in game.tiers() if tier in breaks_tiers]
    if game.default_variant not in (target, *also) and "toy" in game.tiers():
        pairs.append((game.default_variant, "toy"))
    return pairs


def default_suite(
    games: Iterable[type[Game]],
    adversaries_for: Callable[[str], Sequence[type[AdversaryLike]]],
) -> tuple[SuiteEntry, ...]:
    """The demo entries for `games`, with their adversaries looked up by game id."""
    entries: list[SuiteEntry] = []
    for game in games:
        max_trials, thresholds = demo_budget(game.kind, game.n_choices)
        costly = max_trials > STANDARD_TIER_BUDGET
        for adversary in adversaries_for(game.id):
            for variant, tier in _candidates(game, adversary):
                entry = SuiteEntry(game, variant, adversary, tier, max_trials, thresholds)
                if not (costly and tier != "toy" and entry.expect == "bounded"):
                    entries.append(entry)
    return tuple(entries)
