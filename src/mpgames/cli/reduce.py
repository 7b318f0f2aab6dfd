"""`mpgames reduce`: reductions around their inner adversaries, as a tightness table (harness §5).

    mpgames reduce [REDUCTION] [--inner ADVERSARY] [--tier T] [--group G] [--max-trials N] [--seed S] [--json]

Without REDUCTION every reduction plays. Without --inner each plays the inner adversaries it is
demonstrated with (its reference attack first); --inner names one by id or as
path/to/file.py:ClassName (mpgames.reductions.registry). For each pair the inner game and the outer game
run the same number of trials on the same seed (mpgames.reductions.runner), and the table shows both
advantages with their intervals, the declared relation evaluated, whether it holds, and the costs.

Exit status 1 if a row's relation is violated (the measurements contradict what the reduction
declares: a bug in it or in its bound), else 0; bad input is one line on stderr and status 2.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from typing import TypeVar

from mpgames.cli.reduce_table import table
from mpgames.cli.terminal import adversary_prints_to_stderr, needs_ascii
from mpgames.framework.errors import UsageError
from mpgames.reductions.registry import all_reductions, get_reduction, inner_adversary
from mpgames.reductions.runner import DEFAULT_TRIALS, Relation, tightness, to_json

DEFAULT_SEED = "0"

# The parser class of the CLI's subparsers (`_SubParsersAction` is invariant in it).
ParserT = TypeVar("ParserT", bound=argparse.ArgumentParser)


def add_command(
    commands: argparse._SubParsersAction[ParserT],
    positive_int: Callable[[str], int],
    seed: Callable[[str], str],
) -> None:
    """The `reduce` subcommand; the CLI passes its own parsers for positive integers and seeds."""
    reduce = commands.add_parser("reduce", help="play reductions around inner adversaries: a tightness table")
    reduce.add_argument("reduction", nargs="?", help="reduction id, e.g. cr-dl (default: every reduction)")
    reduce.add_argument(
        "--inner", help="inner adversary id or path/to/file.py:ClassName (default: the reduction's own)"
    )
    reduce.add_argument("--tier", default="toy", help="toy or standard (default: toy)")
    reduce.add_argument("--group", help="named group of the tier (default: the inner game's group)")
    reduce.add_argument(
        "--max-trials", type=positive_int, default=DEFAULT_TRIALS, help="trials of each of the two runs"
    )
    reduce.add_argument(
        "--seed", type=seed, default=DEFAULT_SEED, help=f"run seed (default: {DEFAULT_SEED!r})"
    )
    reduce.add_argument("--json", action="store_true", help="machine-readable output")


def reduce(args: argparse.Namespace) -> int:
    """Play the requested pairs and print the table; 1 if a relation is violated."""
    if args.inner is not None and args.reduction is None:
        raise UsageError("--inner needs a REDUCTION, whose inner game the adversary must play")
    reductions = [get_reduction(args.reduction)] if args.reduction else list(all_reductions())
    if args.inner is not None:
        pairs = [(reductions[0], inner_adversary(reductions[0], args.inner))]
    else:
        pairs = [(reduction, inner) for reduction in reductions for inner in reduction.inner_adversaries]
    with adversary_prints_to_stderr():
        rows = [
            tightness(
                reduction, inner, args.tier, trials=args.max_trials, seed=args.seed, group_name=args.group
            )
            for reduction, inner in pairs
        ]
    if args.json:
        meta = {
            "command": "reduce",
            "seed": args.seed,
            "tier": args.tier,
            "group": args.group,
            "trials": args.max_trials,
        }
        print(json.dumps(to_json(rows, meta), indent=2, ensure_ascii=False))
    else:
        print(table(rows, ascii=needs_ascii()))
    return 1 if any(row.status is Relation.VIOLATED for row in rows) else 0
