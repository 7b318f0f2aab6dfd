"""Estimation benchmark: the confidence sequence against the former checkpoint rule, side by side on the
same trials (issue "Scale-out on Dask, and anytime-valid estimation", item 4). Run on demand:
`python -m benchmarks.estimation_bench` (about five minutes on two cores).

* Total trials of the demo suite: every entry of `src/mpgames/suites/default.toml` (same game,
  variant, adversary, tier, budget, thresholds and seed) played to its verdict by each rule at that
  rule's own first suite level — α/(2m) for the confidence sequence (Holm over both directions),
  α/m for the checkpoint rule as it was (target: new ≤ 0.8× old); and, reported beside them, the
  confidence sequence at α/m, which isolates the rule from the Holm correction. Trials are the same trials: a
  trial's outcome depends on the seed and its index only, so the rules differ only in where they stop.
* Trials to a verdict, per kind, for a null adversary and for one that wins every trial, at the
  defaults (α = 10⁻³, ε0 = 0.05, ε1 = 0.25), one seeded run per rule.

`--json FILE` also writes the figures as JSON.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import time

from tabulate import tabulate

from mpgames.adversaries.registry import get_adversary
from mpgames.framework.engine import LOOKS, Engine
from mpgames.games.registry import get_game
from mpgames.measure.estimation import SEQUENCE
from mpgames.measure.holm import first_level
from mpgames.measure.verdicts import Thresholds
from mpgames.suites.files import load_default_suite

# (kind, game, variant, null adversary, adversary that always wins) per experiment kind, toy tier.
KINDS = (
    ("win-lose", "dl", None, "dl.random-guess", "dl.bsgs"),
    ("guess-1-of-3", "mp.ul", "micropay2", "mp.ul-random-guess", "mp.ul-read-signer"),
    ("hidden-bit", "ring.anon", "aos-deterministic", "ring.random-guess", "ring.recompute-coins"),
)
# The confidence sequence at the checkpoint rule's level α/m: the difference the rule alone makes.
SAME_LEVEL = "sequence at α/m"
# Caps for the per-kind runs: far above what either rule needs at the defaults.
KIND_CAP = 40_000


def demo_trials(engine: Engine) -> dict[str, dict[str, float]]:
    """Trials and seconds of the whole demo suite under each rule, entry by entry on the same seeds."""
    suite = load_default_suite()
    m = len(suite.entries)
    rules = (
        (SEQUENCE, SEQUENCE, first_level(suite.alpha, m)),
        (LOOKS, LOOKS, suite.alpha / m),
        (SAME_LEVEL, SEQUENCE, suite.alpha / m),
    )
    totals = {name: {"trials": 0.0, "seconds": 0.0} for name, _, _ in rules}
    for entry in suite.entries:
        for name, rule, level in rules:
            started = time.perf_counter()
            result = engine.run(
                entry.game,
                entry.variant,
                entry.adversary,
                entry.tier,
                max_trials=entry.max_trials,
                seed=suite.seed,
                thresholds=dataclasses.replace(entry.thresholds, alpha=level),
                time_limit=suite.time_limit,
                group=entry.group,
                stopping=rule,
            )
            totals[name]["trials"] += result.estimate.trials
            totals[name]["seconds"] += time.perf_counter() - started
    return totals


def kind_trials(engine: Engine) -> list[tuple[str, str, int, int]]:
    """(kind, adversary, trials with the sequence, trials with the checkpoints) per kind."""
    rows = []
    for kind, game_id, variant, null, attack in KINDS:
        game = get_game(game_id)
        for adversary_id, played_variant in ((null, None), (attack, variant)):
            trials = []
            for rule in (SEQUENCE, LOOKS):
                result = engine.run(
                    game,
                    played_variant,
                    get_adversary(adversary_id),
                    "toy",
                    max_trials=KIND_CAP,
                    seed="bench-estimation",
                    thresholds=Thresholds(),
                    stopping=rule,
                )
                trials.append(result.estimate.trials)
            rows.append((kind, adversary_id, trials[0], trials[1]))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    args = parser.parse_args(argv)
    with Engine() as engine:
        demo = demo_trials(engine)
        kinds = kind_trials(engine)
    ratio = demo[SEQUENCE]["trials"] / demo[LOOKS]["trials"]
    print(
        tabulate(
            [(rule, int(row["trials"]), f"{row['seconds']:.1f}") for rule, row in demo.items()],
            headers=("demo suite, rule", "trials", "seconds"),
        )
    )
    print(
        f"\nconfidence sequence / checkpoints: {ratio:.2f}x the trials (target <= 0.8x): "
        f"{'met' if ratio <= 0.8 else 'MISSED'}\n"
    )
    print(tabulate(kinds, headers=("kind", "adversary", "sequence", "checkpoints")))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump({"demo": demo, "ratio": ratio, "kinds": kinds}, fh, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
