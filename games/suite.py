"""The default suite played by `mpgames demo` (harness §8 calibration: each run can pass and fail).

For every registered game and every adversary targeting it:

* a null adversary plays the default variant at every tier of the game: expected bounded;
* a reference attack plays the variant it breaks at every tier (expected broken where the attack
  applies, bounded where it does not, e.g. baby-step giant-step on the standard tier), and the
  default variant on the toy tier when that is a different one (expected bounded: the attack fails
  against the fix).

So the table shows, side by side, the harness certifying a break and certifying a bound.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from games.base import AdversaryLike, Game

# Trials per entry at most. Sequential stopping ends a perfect attack at the first look (25 trials)
# and a null adversary where its bound first falls below eps0 = 0.05, at the 200-trial look.
DEMO_MAX_TRIALS = 200


@dataclass(frozen=True)
class SuiteEntry:
    """One run of a suite."""

    game: type[Game]
    variant: str
    adversary: type[AdversaryLike]
    tier: str

    @property
    def expect(self) -> str | None:
        return self.adversary.expected_verdict(self.variant, self.tier)


def default_suite(
    games: Iterable[type[Game]],
    adversaries_for: Callable[[str], Sequence[type[AdversaryLike]]],
) -> tuple[SuiteEntry, ...]:
    """The demo entries for `games`, with their adversaries looked up by game id."""
    entries: list[SuiteEntry] = []
    for game in games:
        for adversary in adversaries_for(game.id):
            target = adversary.broken_variant()
            if target is None:
                entries += [SuiteEntry(game, game.default_variant, adversary, tier) for tier in game.tiers()]
                continue
            entries += [SuiteEntry(game, target, adversary, tier) for tier in game.tiers()]
            if target != game.default_variant and "toy" in game.tiers():
                entries.append(SuiteEntry(game, game.default_variant, adversary, "toy"))
    return tuple(entries)
