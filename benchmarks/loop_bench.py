"""Trial-loop benchmark (issue "Long runs: constant memory and a lean trial loop", item 3). Run on
demand: `python -m benchmarks.loop_bench` (about 30 seconds).

Measures, side by side in interleaved rounds (`benchmarks.timing.compare`), microseconds per trial
of the engine's `--jobs 1` loop (`Engine(1).play`, the loop every worker plays too) on the toy `dl`
game against `dl.random-guess`, and of the game's own work written out directly: two uniform
scalars drawn from one generator, two exponentiations, the range check of the answer. The
difference is the loop's overhead per trial (target: at most 15 µs). Where the tree has the former
seed derivation (v1: two Mersenne Twisters a trial), the same loop with it is measured alongside.

`--against TREE` measures another checkout too (e.g. `git worktree add /tmp/before <commit>`):
the two trees in fresh processes, alternating, three rounds each, with the medians and the ratio of
their overheads. Only `Engine`, `make_spec` and `SeededRandom` are used, so that any tree since
the engine has them can be measured. `--json FILE` also writes the figures as JSON.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import statistics
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from tabulate import tabulate

from benchmarks.timing import compare
from mpgames.adversaries.dl import RandomLogGuess
from mpgames.framework import seeds
from mpgames.framework.engine import Engine, TrialSpec, make_spec
from mpgames.games.dl import DiscreteLog
from mpgames.scheme.groups import Group
from mpgames.scheme.randomness import RandomSource, SeededRandom

TARGET_US = 15.0
# Trials per timed call: enough that a call's own cost vanishes next to them.
CHUNK = 200
ROUNDS = 3
LOOP, LOOP_V1, GAME = "engine loop (--jobs 1)", "engine loop, seeds v1", "the game's own work"


def game_work(group: Group, rng: RandomSource) -> bool:
    """One `dl` trial without the harness: the challenger's and the adversary's computations."""
    h = group.gexp(group.random_secret(rng))
    guess = group.check_scalar(group.random_secret(rng), "x'")
    return group.gexp(guess) == h


def _chunks(engine: Engine, spec: TrialSpec) -> Callable[[], object]:
    """A call that plays the next CHUNK trials of `spec`."""
    starts = itertools.count(0, CHUNK)
    return lambda: engine.play(spec, (start := next(starts)), start + CHUNK)


def measure() -> dict[str, float]:
    """Microseconds per trial of each candidate, in this process's tree."""
    spec = make_spec(DiscreteLog, "subgroup", RandomLogGuess, "toy", seed="loop-bench")
    group = spec.resolved_group()
    rng = SeededRandom(b"loop-bench")
    with Engine(1) as engine:
        candidates = {
            LOOP: _chunks(engine, spec),
            GAME: lambda: [game_work(group, rng) for _ in range(CHUNK)],
        }
        former = getattr(seeds, "SEEDS_V1", None)
        if former is not None:
            v1 = make_spec(DiscreteLog, "subgroup", RandomLogGuess, "toy", seed="loop-bench", seeds=former)
            candidates[LOOP_V1] = _chunks(engine, v1)
        seconds = compare(candidates, rounds=15, target=0.05)
    return {name: value / CHUNK * 1e6 for name, value in seconds.items()}


def _measure_in(tree: Path | None) -> dict[str, float]:
    """`measure()` in a fresh process, of `tree`'s src/ (this tree's if None)."""
    env = dict(os.environ)
    if tree is not None:
        env["PYTHONPATH"] = str(tree / "src")
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.loop_bench", "--measure"],
        capture_output=True,
        text=True,
        check=True,
        env=env,
        cwd=Path(__file__).resolve().parent.parent,
    )
    figures: dict[str, float] = json.loads(done.stdout)
    return figures


def _overhead(figures: dict[str, float]) -> float:
    return figures[LOOP] - figures[GAME]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    parser.add_argument("--against", type=Path, metavar="TREE", help="also measure the checkout at TREE")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)  # one tree, JSON out
    args = parser.parse_args(argv)
    if args.measure:
        print(json.dumps(measure()))
        return 0
    if args.against is None:
        micro = measure()
        rows = [("loop overhead per trial", _overhead(micro))]
        document: dict[str, object] = {"microseconds_per_trial": micro}
    else:
        runs: dict[str, list[dict[str, float]]] = {"this tree": [], str(args.against): []}
        for _ in range(ROUNDS):
            runs["this tree"].append(_measure_in(None))
            runs[str(args.against)].append(_measure_in(args.against))
        micro = {
            f"{name} ({tree})": statistics.median(run[name] for run in results)
            for tree, results in runs.items()
            for name in (LOOP, GAME)
        }
        overheads = {
            tree: statistics.median(_overhead(run) for run in results) for tree, results in runs.items()
        }
        rows = [(f"loop overhead per trial ({tree})", value) for tree, value in overheads.items()]
        document = {"microseconds_per_trial": micro, "overhead_us": overheads, "rounds": runs}
    print(
        tabulate(
            [(name, f"{value:.1f} µs") for name, value in micro.items()], headers=("per trial", "median")
        )
    )
    print()
    table = [
        (label, f"{value:.1f} µs", f"<= {TARGET_US:.0f} µs", "met" if value <= TARGET_US else "MISSED")
        for label, value in rows
    ]
    if args.against is not None:
        now, before = overheads.values()
        table.append(("overhead, this tree / the other", f"{now / before:.2f}×", "", ""))
    print(tabulate(table, headers=("figure", "measured", "target", "")))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(document, fh, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
