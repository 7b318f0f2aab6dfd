"""The default suite played by `mpgames demo` (harness §8 calibration: each run can pass and fail).

For every registered game and every adversary targeting it:

* a null adversary plays the default variant at every tier of the game: expected bounded;
* a reference attack plays the variant it breaks at every tier (expected broken where the attack
  applies, bounded where it does not, e.g. baby-step giant-step on the standard tier), and the
  default variant on the toy tier when that is a different one (expected bounded: the attack fails
  against the fix).

So the table shows, side by side, the harness certifying a break and certifying a bound.

Hidden-bit games are the exception in cost. Their advantage |2p − 1| doubles the spread of p, so a
zero-advantage adversary needs about 25,000 trials before its bound falls below the default
ε0 = 0.05. The demo bounds their advantage below `HIDDEN_BIT_EPS0` = 0.1 instead (ε1 and α
unchanged; the summary lists each threshold set used), which takes 3,200–6,400 trials, and plays
their bounded entries on the toy tier only: on the standard tier that would take minutes.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from games.base import AdversaryLike, Game
from reports.estimation import Kind, Thresholds

# Trials per entry at most. Sequential stopping ends a perfect attack at the first look (25 trials)
# and a null adversary where its bound first falls below eps0 = 0.05, at the 200-trial look.
DEMO_MAX_TRIALS = 200
# Hidden-bit entries: bounded below 0.1 by the 3,200- or 6,400-trial look (module docstring).
HIDDEN_BIT_EPS0 = 0.1
HIDDEN_BIT_MAX_TRIALS = 6400


@dataclass(frozen=True)
class SuiteEntry:
    """One run of a suite."""

    game: type[Game]
    variant: str
    adversary: type[AdversaryLike]
    tier: str
    max_trials: int = DEMO_MAX_TRIALS
    thresholds: Thresholds = dataclasses.field(default_factory=Thresholds)

    @property
    def expect(self) -> str | None:
        return self.adversary.expected_verdict(self.variant, self.tier)


def _candidates(game: type[Game], adversary: type[AdversaryLike]) -> list[tuple[str, str]]:
    """(variant, tier) pairs the adversary plays in the demo (module docstring)."""
    target = adversary.broken_variant()
    if target is None:
        return [(game.default_variant, tier) for tier in game.tiers()]
    pairs = [(target, tier) for tier in game.tiers()]
    if target != game.default_variant and "toy" in game.tiers():
        pairs.append((game.default_variant, "toy"))
    return pairs


def default_suite(
    games: Iterable[type[Game]],
    adversaries_for: Callable[[str], Sequence[type[AdversaryLike]]],
) -> tuple[SuiteEntry, ...]:
    """The demo entries for `games`, with their adversaries looked up by game id."""
    entries: list[SuiteEntry] = []
    for game in games:
        hidden_bit = game.kind is Kind.HIDDEN_BIT
        max_trials = HIDDEN_BIT_MAX_TRIALS if hidden_bit else DEMO_MAX_TRIALS
        thresholds = Thresholds(eps0=HIDDEN_BIT_EPS0) if hidden_bit else Thresholds()
        for adversary in adversaries_for(game.id):
            for variant, tier in _candidates(game, adversary):
                entry = SuiteEntry(game, variant, adversary, tier, max_trials, thresholds)
                if not (hidden_bit and tier != "toy" and entry.expect == "bounded"):
                    entries.append(entry)
    return tuple(entries)
