"""Trial-loop benchmark (issue "Long runs: constant memory and a lean trial loop", item 3). Run on
demand: `python -m benchmarks.loop_bench` (about 20 seconds).

Measures, side by side in interleaved rounds (`benchmarks.timing.compare`), microseconds per trial
of the engine's trial loop (`play_trials`, trusted, as `--jobs 1` and every worker play it) on the
toy `dl` game against `dl.random-guess`, and of the game's own work written out directly: two
uniform scalars drawn from one generator, two exponentiations, the range check of the answer.
The difference is the loop's overhead per trial (target: at most 15 µs). The same loop with the
former seed derivation (v1: two Mersenne Twisters a trial) is measured alongside.

`--json FILE` also writes the figures as JSON.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from collections.abc import Callable

from tabulate import tabulate

from benchmarks.timing import compare
from mpgames.adversaries.dl import RandomLogGuess
from mpgames.framework.engine import TrialSpec, make_spec, play_trials
from mpgames.framework.seeds import SEEDS_V1
from mpgames.games.dl import DiscreteLog
from mpgames.scheme.groups import Group
from mpgames.scheme.randomness import HashStream, RandomSource

TARGET_US = 15.0
LOOP, LOOP_V1, GAME = "engine loop (play_trials)", "engine loop, seeds v1", "the game's own work"


def game_work(group: Group, rng: RandomSource) -> bool:
    """One `dl` trial without the harness: the challenger's and the adversary's computations."""
    h = group.gexp(group.random_secret(rng))
    guess = group.check_scalar(group.random_secret(rng), "x'")
    return group.gexp(guess) == h


def next_trial(spec: TrialSpec) -> Callable[[], object]:
    """A call that plays the next trial of an endless loop over `spec`."""
    trials = play_trials(spec, 0, 1 << 62)
    return lambda: next(trials)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    args = parser.parse_args(argv)
    spec = make_spec(DiscreteLog, "subgroup", RandomLogGuess, "toy", seed="loop-bench")
    group = spec.resolved_group()
    rng = HashStream(bytes(32), b"bench")
    seconds = compare(
        {
            LOOP: next_trial(spec),
            LOOP_V1: next_trial(dataclasses.replace(spec, seeds=SEEDS_V1)),
            GAME: lambda: game_work(group, rng),
        },
        rounds=15,
        target=0.05,
    )
    micro = {name: value * 1e6 for name, value in seconds.items()}
    overhead = micro[LOOP] - micro[GAME]
    print(
        tabulate(
            [(name, f"{value:.1f} µs") for name, value in micro.items()], headers=("per trial", "median")
        )
    )
    print()
    met = overhead <= TARGET_US
    print(
        tabulate(
            [
                (
                    "loop overhead per trial",
                    f"{overhead:.1f} µs",
                    f"<= {TARGET_US:.0f} µs",
                    "met" if met else "MISSED",
                )
            ],
            headers=("figure", "measured", "target", ""),
        )
    )
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump({"microseconds_per_trial": micro, "overhead_us": overhead, "met": met}, fh, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
