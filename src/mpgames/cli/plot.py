"""Plots from the command line (harness §9): `--plots` of `run` and `demo`, and `mpgames plot-wall`.

    mpgames run GAME ... --out DIR --plots     DIR/advantage.png and DIR/running.png
    mpgames demo ... --out DIR --plots         DIR/advantage.png
    mpgames plot-wall --out DIR [--trials N] [--min-bits B] [--max-bits B] [--step S] [--seed S]
                                               DIR/wall.png and DIR/wall.json

`running.png` needs each trial's outcome, which a `RunResult` does not keep: `run` logs every
trial's win as it is played (a `TrialLog` on the engine's outcome hook) and hands the logs over.
The demo has too many entries for a readable running plot and draws only the advantages.

`plot-wall` measures the √q wall of generic attacks. The budgeted baby-step giant-step attacks of
`dl`, `ch.cr` and `sig.euf-cma` (`mpgames.adversaries.dl.STEP_BUDGET` group steps per trial) are played on
generated toy groups (`mpgames.scheme.groups.toy_group`) with q of `--min-bits` to `--max-bits` bits. They win
every trial while the budget covers √q, then their success falls as B²/(4q): the generic bound that
makes a 256-bit q safe. The trials are the engine's (`play_trial` of a spec holding the generated
group), seeded by the group's name.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from mpgames.adversaries.base import Adversary
from mpgames.adversaries.dl import STEP_BUDGET
from mpgames.adversaries.registry import get_adversary
from mpgames.adversaries.sig import BsgsForger
from mpgames.cli.terminal import needs_ascii
from mpgames.framework.base import Game
from mpgames.framework.engine import make_spec, play_trial
from mpgames.framework.errors import UsageError
from mpgames.games.registry import get_game
from mpgames.measure.records import SCHEMA_VERSION, RunResult
from mpgames.reports import plots
from mpgames.reports.output import check_writable, write_atomically
from mpgames.reports.tables import table_text
from mpgames.scheme.groups import toy_group

WALL_JSON = "wall.json"
# p of the generated groups: 64 bits, like the named toy groups, whatever q.
WALL_P_BITS = 64
WALL_TRIALS = 200
# The wall's intervals are for display, not for a verdict: the usual 95 %.
WALL_ALPHA = 0.05
WALL_MIN_BITS, WALL_MAX_BITS, WALL_STEP = 8, 32, 2
# q must stay below p by a margin for toy_group (p = k·q + 1 with k even and of several bits).
WALL_BITS_LIMIT = 48

# The parser class of the CLI's subparsers (`_SubParsersAction` is invariant in it).
ParserT = TypeVar("ParserT", bound=argparse.ArgumentParser)


def _wall_attacks() -> tuple[tuple[type[Game], type[Adversary]], ...]:
    return (
        (get_game("dl"), get_adversary("dl.bsgs")),
        (get_game("ch.cr"), get_adversary("ch.bsgs-collision")),
        (get_game("sig.euf-cma"), BsgsForger),
    )


# -- --plots of run and demo ----------------------------------------------------------------------


def add_plots_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--plots", action="store_true", help="also write PNG plots into --out (needs the plots extra)"
    )


def _require_matplotlib() -> None:
    try:
        plots.require_matplotlib()
    except plots.PlotsUnavailable as exc:
        raise UsageError(str(exc)) from None


def check_plots(args: argparse.Namespace) -> None:
    """Before any trial: `--plots` needs `--out` and matplotlib (`UsageError` otherwise)."""
    if not getattr(args, "plots", False):
        return
    if args.out is None:
        raise UsageError("--plots writes into the run folder: pass --out DIR as well")
    _require_matplotlib()


def write_plots(
    results: list[RunResult], args: argparse.Namespace, won: Sequence[Sequence[bool]] = ()
) -> None:
    """advantage.png into `args.out`; with `won`, each run's trials won in index order, also running.png."""
    if not getattr(args, "plots", False) or not results:
        return
    folder: Path = args.out
    written = [plots.advantage_plot(folder / plots.ADVANTAGE_PNG, results)]
    if won:
        runs = [plots.running_estimate(r, w) for r, w in zip(results, won, strict=True)]
        written.append(plots.running_plot(folder / plots.RUNNING_PNG, runs))
    print(f"wrote {', '.join(str(path) for path in written)}", file=sys.stderr)


# -- plot-wall ------------------------------------------------------------------------------------


def add_wall_command(
    commands: argparse._SubParsersAction[ParserT],
    positive_int: Callable[[str], int],
    probability: Callable[[str], float],
    seed: Callable[[str], str],
) -> None:
    """The `plot-wall` subcommand; the CLI passes its own argument parsers for numbers and seeds."""
    wall = commands.add_parser("plot-wall", help="success of budgeted generic attacks against the size of q")
    wall.add_argument("--out", type=Path, required=True, help="write wall.png and wall.json here")
    wall.add_argument("--trials", type=positive_int, default=WALL_TRIALS, help="trials per game and size")
    wall.add_argument("--min-bits", type=positive_int, default=WALL_MIN_BITS, help="smallest q, in bits")
    wall.add_argument("--max-bits", type=positive_int, default=WALL_MAX_BITS, help="largest q, in bits")
    wall.add_argument("--step", type=positive_int, default=WALL_STEP, help="bits between sizes")
    wall.add_argument("--seed", type=seed, default="0", help="run seed")
    wall.add_argument(
        "--alpha",
        type=probability,
        default=WALL_ALPHA,
        help=f"1 − confidence of the intervals ({WALL_ALPHA})",
    )


def predicted_success(q: int, steps: int) -> float:
    """Success of `budgeted_log` on a uniform x in [1, q−1] (mpgames.adversaries.dlog budget rule).

    BSGS with b = min(⌈√q⌉, ⌊B/2⌋) baby steps and the rest giant steps finds every x below b·giants;
    otherwise the attack guesses, right with probability 1/(q−1).
    """
    baby = min(math.isqrt(q - 1) + 1, steps // 2)
    giant = min(steps - baby, -(-q // baby))
    covered = (min(baby * giant, q) - 1) / (q - 1)
    return covered + (1 - covered) / (q - 1)


def measure_wall(bits: range, trials: int, seed: str) -> list[plots.WallPoint]:
    """Wins of each wall attack on a generated toy group of every size in `bits`."""
    points = []
    for q_bits in bits:
        group = toy_group(q_bits, WALL_P_BITS)
        for game, adversary in _wall_attacks():
            spec = make_spec(game, None, adversary, group.tier, seed=seed, group=group)
            wins = sum(play_trial(spec, i).won for i in range(trials))
            predicted = predicted_success(group.q, STEP_BUDGET)
            points.append(plots.WallPoint(game.id, adversary.id, group.q, wins, trials, predicted))
    return points


def plot_wall(args: argparse.Namespace) -> int:
    """`mpgames plot-wall`: measure, print the table, write wall.png and wall.json."""
    if not args.min_bits <= args.max_bits <= WALL_BITS_LIMIT or args.min_bits < 4:
        raise UsageError(f"need 4 <= --min-bits <= --max-bits <= {WALL_BITS_LIMIT}")
    _require_matplotlib()
    try:
        check_writable(args.out, folder=True)  # before the measurement, not after it
    except OSError as exc:
        raise UsageError(f"cannot write to {args.out}: {exc.strerror or exc}") from None
    points = measure_wall(range(args.min_bits, args.max_bits + 1, args.step), args.trials, args.seed)
    record = {
        "schema_version": SCHEMA_VERSION,
        "steps": STEP_BUDGET,
        "p_bits": WALL_P_BITS,
        "seed": args.seed,
        "alpha": args.alpha,
        "points": [{**vars(p), "q_bits": round(p.q_bits, 3)} for p in points],
    }
    try:
        args.out.mkdir(parents=True, exist_ok=True)
        write_atomically(args.out / WALL_JSON, json.dumps(record, indent=2) + "\n")
        png = plots.wall_plot(args.out / plots.WALL_PNG, points, STEP_BUDGET, args.alpha)
    except OSError as exc:
        raise UsageError(f"cannot write to {args.out}: {exc.strerror or exc}") from None
    rows = [
        (p.game, p.adversary, f"{p.q_bits:.1f}", f"{p.wins}/{p.trials}", f"{p.predicted:.3g}") for p in points
    ]
    headers = ["game", "adversary", "log2 q", "wins", "predicted"]
    print(table_text(rows, headers, ascii=needs_ascii(), disable_numparse=True))
    print(f"wrote {png} and {args.out / WALL_JSON}", file=sys.stderr)
    return 0
