"""`mpgames fuzz GAME` (docs/fuzz.md): search for a plan that wins a game, from its typed boundary alone.

    mpgames fuzz GAME [--variant V] [--tier T] [--budget N] [--time S] [--seed S] [--json]
                      [--save-wins DIR]

It draws up to `--budget` plans (mpgames.fuzz.search), or for `--time` seconds, and prints what it
searched and, for a win, the shrunk plan, its confirmation on fresh trials and the trace of its
first trial; `--save-wins DIR` writes that trial as a win vector, which `mpgames replay --vector`
plays again. Exit status 0 when nothing was found, 1 when a win was, 2 for bad input.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from mpgames.cli.progress import progress
from mpgames.framework.base import Game
from mpgames.framework.engine import make_spec
from mpgames.fuzz.adversary import plan_adversary
from mpgames.fuzz.plan import plan_lines
from mpgames.games.registry import get_game
from mpgames.measure.records import SCHEMA_VERSION
from mpgames.vectors import WinVector, write_vectors

if TYPE_CHECKING:
    from mpgames.fuzz.search import SearchReport

DEFAULT_BUDGET = 500
DEFAULT_SEED = "fuzz"


def add_command(
    commands: argparse._SubParsersAction,
    positive_int: Callable[[str], int],
    positive_float: Callable[[str], float],
    seed: Callable[[str], str],
) -> None:
    fuzz = commands.add_parser("fuzz", help="search for an attack that wins a game (docs/fuzz.md)")
    fuzz.add_argument("game", help="game id (see `mpgames list`)")
    fuzz.add_argument("--variant", help="scheme variant (default: the game's default variant)")
    fuzz.add_argument("--tier", default="toy", help="toy or standard (default: toy)")
    fuzz.add_argument(
        "--budget", type=positive_int, default=DEFAULT_BUDGET, help=f"plans at most ({DEFAULT_BUDGET})"
    )
    fuzz.add_argument("--time", type=positive_float, help="seconds at most (default: no limit)")
    fuzz.add_argument(
        "--seed", type=seed, default=DEFAULT_SEED, help=f"search and run seed (default: {DEFAULT_SEED!r})"
    )
    fuzz.add_argument("--json", action="store_true", help="machine-readable output")
    fuzz.add_argument("--save-wins", type=Path, help="write a win's first trial as a JSON vector here")


def fuzz(args: argparse.Namespace) -> int:
    # Hypothesis is imported here: the other commands start without it.
    from mpgames.fuzz.search import search

    game = get_game(args.game)
    # One line and status 2 for a variant or a tier the game does not have, before the search.
    game.variant(args.variant)
    game.group(args.tier)
    with progress(args.budget, f"fuzz {game.id}", unit="plan") as bar:
        report = search(
            game, args.variant, args.tier, budget=args.budget, seconds=args.time, seed=args.seed, on_plan=bar
        )
    print(
        json.dumps({"schema_version": SCHEMA_VERSION, **record(report)}, indent=2)
        if args.json
        else text(report)
    )
    if args.save_wins is not None and report.finding is not None:
        written = save_finding(game, report, args.save_wins)
        print(f"wrote {len(written)} vector(s) to {args.save_wins}", file=sys.stderr)
    return 0 if report.finding is None else 1


def save_finding(game: type[Game], report: SearchReport, folder: Path) -> list[Path]:
    """The win vector of the finding's first trial, as the search played it (none if that trial was
    lost, as a hidden-bit plan that wins by always losing loses it, or the challenger failed)."""
    first = None if report.finding is None else report.finding.first
    if report.finding is None or first is None or not first.won:
        return []
    adversary = plan_adversary(game, report.finding.plan)
    spec = make_spec(game, report.variant, adversary, report.tier, seed=report.seed, tracing=True)
    return write_vectors(folder, [WinVector.of(spec, first)])


def record(report: SearchReport) -> dict[str, object]:
    """The report as JSON-ready data."""
    finding = report.finding
    return {
        "game": report.game,
        "variant": report.variant,
        "tier": report.tier,
        "seed": report.seed,
        "plans": report.plans,
        "trials": report.trials,
        "expressions": report.kinds,
        "seconds": round(report.seconds, 3),
        "stopped": report.stopped,
        "finding": None
        if finding is None
        else {
            "plan": plan_lines(finding.plan),
            "confirmed": finding.confirmed,
            "of": finding.of,
            "trace": list(finding.trace),
            "bug": finding.bug,
        },
    }


def text(report: SearchReport) -> str:
    """The report for a person: what was searched, and the win if one was found."""
    kinds = ", ".join(f"{kind} {count}" for kind, count in report.kinds.items()) or "none"
    lines = [
        f"{report.game} variant={report.variant} tier={report.tier} seed={report.seed!r}",
        f"searched {report.plans} plans in {report.trials} trials, {report.seconds:.1f} s "
        f"(stopped: {report.stopped})",
        f"expressions tried: {kinds}",
    ]
    if report.finding is None:
        lines.append("no win found (a search that finds nothing is not a proof of security)")
        return "\n".join(lines)
    finding = report.finding
    if finding.bug is not None:
        return "\n".join(
            [
                *lines,
                f"CHALLENGER BUG: a plan that makes the harness fail (report it): {finding.bug}",
                *(f"  {line}" for line in plan_lines(finding.plan)),
            ]
        )
    lines += [
        f"WIN: a plan that wins, confirmed in {finding.confirmed} of {finding.of} fresh trials:",
        *(f"  {line}" for line in plan_lines(finding.plan)),
        "its first trial:",
        *(f"  {number:2}. {line}" for number, line in enumerate(finding.trace, 1)),
    ]
    return "\n".join(lines)
