"""The `mpgames` command line (harness §3 explain, §6 replay, §7 --plan, §9 reports, §10 bad input).

    mpgames list [--json]
    mpgames run GAME [--variant V] [--adversary A] [--tier T] [--group G] [--max-trials N] [--seed S]
                     [--jobs N] [--executor E [--scheduler ADDRESS]] [--time-limit SEC]
                     [--eps0 E --eps1 E --alpha A] [--fixed N] [--plan] [--json] [--out DIR [--plots]]
                     [--save-wins DIR]
    mpgames explain GAME [--latex [--box-only | --experiment-only]]
    mpgames replay GAME --adversary A --trial I [--variant V] [--tier T] [--group G] [--seed S]
                        [--trace] [--json]
    mpgames replay --vector FILE [--json]      (a saved win: status 0 if it replays the same, else 1)
    mpgames demo [--game GAME ...] [--max-trials N] [--seed S] [--jobs N] [--json] [--out DIR [--plots]]
    mpgames check SUITE [--strict] [--junit FILE] [--json] [--out DIR] [--save-wins DIR] [--jobs N]
                        [--entry-seconds S] [--suite-seconds S]
    (run, demo and check: --executor dask [--scheduler ADDRESS] plays on a Dask cluster, docs/executors.md)
    mpgames plot-wall --out DIR [--trials N] [--min-bits B] [--max-bits B] [--step S] [--seed S]
    mpgames reduce [REDUCTION] [--inner ADVERSARY] [--tier T] [--max-trials N] [--seed S] [--json]
    mpgames grade ASSIGNMENT SUBMISSION... [--out DIR] [--json] [--jobs N] [--gradescope FILE]

Bad input (an unknown id, a bad number, an adversary that does not target the game, an unwritable
output folder) gives one line on stderr and exit status 2, never a traceback.

SIGINT (Ctrl-C) and SIGTERM stop `run`, `check`, `demo` and `grade` cleanly: the worker processes end, the
outputs (table, --json, --junit, --out) are written for what was played and marked incomplete, and
the exit status is 130 or 143, as for a process the signal ended. Elsewhere the command stops with
one line on stderr and the same status.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn

import mpgames
from mpgames.adversaries.registry import adversaries_for, resolve
from mpgames.cli import check as cli_check
from mpgames.cli import fuzz as cli_fuzz
from mpgames.cli import grade as cli_grade
from mpgames.cli import listing as cli_listing
from mpgames.cli import plot as cli_plot
from mpgames.cli import reduce as cli_reduce
from mpgames.cli import replay as cli_replay
from mpgames.cli import terminal
from mpgames.cli.explain import explain
from mpgames.cli.progress import progress
from mpgames.framework.base import Game
from mpgames.framework.engine import DEFAULT_TIME_LIMIT, FIXED, Engine, TrialLog
from mpgames.framework.errors import Interrupted, UsageError
from mpgames.framework.executors import EXECUTORS, LOCAL
from mpgames.framework.faults import FaultReport, Frame
from mpgames.framework.seeds import MAX_TRIAL, SEED_DERIVATIONS, SEEDS
from mpgames.games.registry import get_game
from mpgames.measure.estimation import SEQUENCE, check_reachable
from mpgames.measure.planning import PLAN_LIMIT, PLAN_MISS, plan
from mpgames.measure.records import SCHEMA_VERSION, Interruption, RunResult
from mpgames.measure.verdicts import DEFAULT_ALPHA, DEFAULT_EPS0, DEFAULT_EPS1, Thresholds
from mpgames.reports import render
from mpgames.scheme.errors import InvalidGroupError
from mpgames.scheme.groups import named_group
from mpgames.suites.demo import SuiteEntry
from mpgames.teaching import slides
from mpgames.teaching.pseudocode import PseudocodeError
from mpgames.teaching.walkthrough import GROUP as WALKTHROUGH_GROUP
from mpgames.teaching.walkthrough import walkthrough
from mpgames.vectors import parse_run_key

USAGE_ERROR = 2
DEFAULT_SEED = "0"
DEFAULT_MAX_TRIALS = 1000


class _Parser(argparse.ArgumentParser):
    """argparse with one-line errors (exit status 2, like argparse, without the usage dump)."""

    def error(self, message: str) -> NoReturn:
        self.exit(USAGE_ERROR, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _number(convert: Callable[[str], Any], check: Callable[[Any], bool], wanted: str) -> Callable[[str], Any]:
    def parse(text: str) -> Any:
        try:
            value = convert(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not {wanted}") from None
        if not check(value):
            raise argparse.ArgumentTypeError(f"{text!r} is not {wanted}")
        return value

    return parse


_positive_int = _number(int, lambda v: v > 0, "a positive integer")
_index = _number(int, lambda v: 0 <= v <= MAX_TRIAL, f"a trial index (0 to {MAX_TRIAL})")
_derivation = _number(int, lambda v: v in SEED_DERIVATIONS, f"one of {', '.join(map(str, SEED_DERIVATIONS))}")
_positive_float = _number(float, lambda v: 0 < v < float("inf"), "a positive number of seconds")
_probability = _number(float, lambda v: 0 < v < 1, "a number strictly between 0 and 1")


def _seed(text: str) -> str:
    """A run seed: non-empty text that encodes as UTF-8 (a seed path's field, mpgames.framework.seeds)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise argparse.ArgumentTypeError(f"{text!r} is not UTF-8 text") from None
    if not text:
        raise argparse.ArgumentTypeError("a seed must not be empty")
    return text


def _run_key(text: str) -> bytes:
    try:
        return parse_run_key(text)
    except UsageError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="mpgames", description="Security games for the micropayment scheme.")
    parser.add_argument("--version", action="version", version=f"mpgames {mpgames.__version__}")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    listing = commands.add_parser("list", help="games, variants, tiers and adversaries")
    listing.add_argument("--json", action="store_true", help="machine-readable output")
    listing.add_argument(
        "--game",
        action="append",
        default=[],
        help="also list this plugin game: path/file.py:Class or an entry point (repeatable)",
    )

    def trust_options(p: argparse.ArgumentParser) -> None:
        mode = p.add_mutually_exclusive_group()
        mode.add_argument(
            "--isolated",
            action="store_true",
            help="run built-in adversaries in processes of their own too (docs/isolation.md)",
        )
        mode.add_argument(
            "--trusted",
            action="store_true",
            help="run a file or entry-point adversary in this process (default: isolated)",
        )

    def trial_options(p: argparse.ArgumentParser, game_nargs: str | None = None) -> None:
        p.add_argument("game", nargs=game_nargs, help="game id (see `mpgames list`)")
        p.add_argument("--variant", help="scheme variant (default: the game's default variant)")
        p.add_argument("--tier", help="toy or standard (default: the tier of --group, else toy)")
        p.add_argument("--group", help="named group (default: the game's group for the tier)")
        p.add_argument(
            "--seed", type=_seed, default=DEFAULT_SEED, help=f"run seed (default: {DEFAULT_SEED!r})"
        )
        p.add_argument(
            "--time-limit",
            type=_positive_float,
            default=DEFAULT_TIME_LIMIT,
            help="adversary seconds per trial",
        )
        p.add_argument("--json", action="store_true", help="machine-readable output")
        traceback_option(p)
        trust_options(p)
        p.add_argument(
            "--run-key",
            type=_run_key,
            help="the challenger's coins from this key (64 hex digits; to reproduce an isolated run)",
        )

    def traceback_option(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--traceback",
            action="store_true",
            help="show the adversary's own frames where its trials faulted (the first of each fault type)",
        )

    def executor_options(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--jobs", type=_positive_int, help="workers (default: all cores, at most the CPU quota)"
        )
        p.add_argument(
            "--executor",
            choices=EXECUTORS,
            default=LOCAL,
            help="where trials are played: forked processes here, or a Dask cluster (docs/executors.md)",
        )
        p.add_argument(
            "--scheduler",
            metavar="ADDRESS",
            help="with --executor dask: the cluster's scheduler (default: a local cluster of --jobs workers)",
        )

    run = commands.add_parser("run", help="play a game and estimate the advantage")
    trial_options(run)
    run.add_argument("--adversary", help="adversary id (default: the null and every reference adversary)")
    budget = run.add_mutually_exclusive_group()
    budget.add_argument("--max-trials", type=_positive_int, default=DEFAULT_MAX_TRIALS, help="trial cap")
    budget.add_argument(
        "--fixed",
        type=_positive_int,
        metavar="N",
        help="play exactly N trials, no early stop, and report the exact (Clopper-Pearson) interval",
    )
    executor_options(run)
    run.add_argument("--eps0", type=_probability, default=DEFAULT_EPS0, help="bounded iff Adv < eps0")
    run.add_argument("--eps1", type=_probability, default=DEFAULT_EPS1, help="broken iff Adv > eps1")
    run.add_argument("--alpha", type=_probability, default=DEFAULT_ALPHA, help="false-verdict budget")
    run.add_argument("--plan", action="store_true", help="print the trials needed, do not run")
    run.add_argument("--out", type=Path, help="write summary.md, results.json and manifest.json here")
    run.add_argument("--save-wins", type=Path, help="write each won trial as a JSON vector here")
    cli_plot.add_plots_option(run)

    explaining = commands.add_parser("explain", help="the game as pseudocode, from its own code")
    explaining.add_argument("game", help="game id")
    explaining.add_argument(
        "--latex", action="store_true", help="the box and the experiment as LaTeX (mpgames.teaching.slides)"
    )
    part = explaining.add_mutually_exclusive_group()
    part.add_argument("--box-only", action="store_true", help="with --latex: only the boxed header")
    part.add_argument("--experiment-only", action="store_true", help="with --latex: only the experiment")

    replay = commands.add_parser("replay", help="replay one trial of a run")
    trial_options(replay, "?")
    replay.add_argument("--adversary", help="adversary id (required without --vector)")
    replay.add_argument("--trial", type=_index, help="trial index (required without --vector)")
    replay.add_argument("--vector", type=Path, help="replay a saved win vector instead (docs/suites.md)")
    replay.add_argument("--trace", action="store_true", help="print the transcript step by step")
    replay.add_argument(
        "--seeds",
        type=_derivation,
        help=f"seed derivation of the run (default: {SEEDS}; a result's `seeds`, docs/games-framework.md)",
    )
    replay.add_argument(
        "--submission",
        action="store_true",
        help="play FILE:Class as `mpgames grade` plays a submission (with the grade's --seed and "
        "--run-key: its trials replay)",
    )

    demo = commands.add_parser("demo", help="every game against its null and reference adversaries")
    demo.add_argument("--game", action="append", help="only this game (repeatable; default: every game)")
    demo.add_argument(
        "--max-trials",
        type=_positive_int,
        help="trial cap of every entry (default: per game, from its kind; see docs/suites.md)",
    )
    demo.add_argument(
        "--seed", type=_seed, help="suite seed (default: the seed of src/mpgames/suites/default.toml)"
    )
    executor_options(demo)
    demo.add_argument("--json", action="store_true", help="machine-readable output")
    traceback_option(demo)
    demo.add_argument("--out", type=Path, help="write summary.md, results.json and manifest.json here")
    cli_plot.add_plots_option(demo)
    cli_plot.add_wall_command(commands, _positive_int, _probability, _seed)
    check = commands.add_parser("check", help="play a suite file and check its expectations (CI mode)")
    check.add_argument("suite", type=Path, help="suite file (TOML, see docs/suites.md)")
    check.add_argument("--strict", action="store_true", help="an inconclusive entry fails the check")
    check.add_argument("--junit", type=Path, help="write JUnit XML here")
    executor_options(check)
    check.add_argument("--json", action="store_true", help="machine-readable output")
    traceback_option(check)
    check.add_argument("--out", type=Path, help="write summary.md, results.json and manifest.json here")
    check.add_argument("--save-wins", type=Path, help="write each won trial as a JSON vector here")
    check.add_argument(
        "--isolated",
        action="store_true",
        help="run built-in adversaries in processes of their own too (docs/isolation.md)",
    )
    check.add_argument(
        "--entry-seconds", type=_positive_float, help="wall-clock cap of every entry (overrides the file's)"
    )
    check.add_argument("--game", action="append", help="only the entries of this game (repeatable)")
    check.add_argument(
        "--entry",
        type=_positive_int,
        action="append",
        metavar="N",
        help="only entry N of the file, counted from 1 (repeatable; α is split over the entries kept)",
    )
    check.add_argument("--seed", type=_seed, help="suite seed (overrides the file's)")
    check.add_argument(
        "--max-trials",
        type=_positive_int,
        help="cap on every entry's trials (lowers the file's, never raises)",
    )
    check.add_argument(
        "--time-limit", type=_positive_float, help="adversary seconds per trial (overrides the file's)"
    )
    check.add_argument(
        "--suite-seconds",
        type=_positive_float,
        help="wall-clock cap of the check (overrides the file's)",
    )
    walk = commands.add_parser("walkthrough", help="a narrated Micropay 3 and microcoin scenario")
    walk.add_argument("--seed", type=int, default=1, help="scenario seed")
    walk.add_argument("--group", default=WALKTHROUGH_GROUP, help=f"named group ({WALKTHROUGH_GROUP})")
    cli_reduce.add_command(commands, _positive_int, _seed)
    cli_grade.add_command(commands, _positive_int)
    cli_fuzz.add_command(commands, _positive_int, _positive_float, _seed)
    return parser


# -- run and demo -----------------------------------------------------------------------------------


def _thresholds(args: argparse.Namespace, game: type[Game]) -> Thresholds:
    """The run's thresholds, which must be consistent and decidable for the game's kind."""
    try:
        thresholds = Thresholds(args.eps0, args.eps1, args.alpha)
        check_reachable(game.kind, thresholds, game.n_choices)
        return thresholds
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def _play(
    entries: Sequence[SuiteEntry], args: argparse.Namespace, logs: Sequence[TrialLog]
) -> tuple[list[RunResult], Interruption | None]:
    """The entries' results, and the `Interruption` if a signal ended the play (the run it cut short
    is the last result, with the trials it completed)."""
    cli_plot.check_plots(args)
    group = getattr(args, "group", None)
    time_limit = getattr(args, "time_limit", DEFAULT_TIME_LIMIT)
    results: list[RunResult] = []
    with (
        terminal.adversary_prints_to_stderr(),
        Engine(args.jobs, executor=args.executor, scheduler=args.scheduler) as engine,
    ):
        for entry, log in zip(entries, logs, strict=True):
            try:
                results.append(
                    cli_check.run_entry(
                        engine,
                        entry,
                        progress,
                        log,
                        seed=args.seed,
                        time_limit=time_limit,
                        group=group,
                        isolated=getattr(args, "isolated", False),
                        run_key=getattr(args, "run_key", None),
                        stopping=FIXED if getattr(args, "fixed", None) is not None else SEQUENCE,
                    )
                )
            except KeyboardInterrupt as exc:
                stop = Interrupted.of(exc)
                interruption = Interruption(stop.name, len(results), len(entries))
                return results + ([] if stop.partial is None else [stop.partial]), interruption
    return results, None


def _report(
    results: list[RunResult],
    args: argparse.Namespace,
    parameters: dict[str, Any],
    logs: Sequence[TrialLog] = (),
    *,
    interruption: Interruption | None = None,
) -> None:
    if args.out is not None:
        run_manifest = render.manifest(args.seed, parameters, interruption)
        with cli_check.writing(args.out, cli_check.RUN_FOLDER):
            render.write_run_folder(args.out, results, run_manifest, interruption)
        print(f"wrote {args.out}", file=sys.stderr)
        cli_plot.write_plots(results, args, [log.won for log in logs][: len(results)])
    if args.json:
        meta = {"command": args.command, "seed": args.seed, **parameters}
        print(render.to_json(results, meta, interruption))
    else:
        print(render.table(results, interruption=interruption, ascii=terminal.needs_ascii()))
        if args.traceback:
            print(fault_tracebacks(results))


def fault_tracebacks(results: Sequence[RunResult]) -> str:
    """`--traceback`: for each run, the first fault of each type with the adversary's own frames."""
    sections = []
    for result in results:
        for kind, report in result.faults.items():
            frames = tuple(Frame(f["file"], f["line"], f["function"]) for f in report["frames"])
            lines = FaultReport(kind, report["message"], frames).traceback_lines()
            sections.append(
                f"{result.adversary} against {result.game} {result.variant}, trial {report['trial']}:\n"
                + "\n".join(lines)
            )
    return "\n\n".join(sections) if sections else "no trial faulted"


def _run(args: argparse.Namespace) -> int:
    game = get_game(args.game)
    thresholds = _thresholds(args, game)
    variant = game.variant(args.variant).name
    tier = cli_replay.tier_of(args)
    game.group(tier, args.group)  # validate the tier and group before anything runs
    if args.plan:
        return _plan(game, thresholds, args)
    chosen = (
        [resolve(args.adversary, game.id, trusted=args.trusted)]
        if args.adversary
        else list(adversaries_for(game.id))
    )
    if not chosen:
        raise UsageError(f"no adversary targets {game.id}")
    if args.fixed is not None:
        args.max_trials = args.fixed
    entries = [
        SuiteEntry(game, variant, adversary, tier, args.max_trials, thresholds) for adversary in chosen
    ]
    cli_check.check_outputs(args)
    logs = [cli_check.saving_log(args.save_wins) for _ in entries]
    results, interruption = _play(entries, args, logs)
    if args.save_wins is not None:
        cli_check.save_wins(args.save_wins, zip(entries, results, logs, strict=False), args.time_limit)
    parameters = {
        "game": game.id,
        "variant": variant,
        "adversaries": [a.id for a in chosen],
        "tier": tier,
        "group": args.group,
        "max_trials": args.max_trials,
        "time_limit": args.time_limit,
        "thresholds": thresholds.as_dict(),
    }
    _report(results, args, parameters, logs, interruption=interruption)
    return 0 if interruption is None else interruption.status


def _plan(game: type[Game], thresholds: Thresholds, args: argparse.Namespace) -> int:
    """What the run's budget decides for its game's kind (`mpgames.measure.planning`)."""
    budget = args.max_trials if args.fixed is None else args.fixed
    try:
        planned = plan(game.kind, thresholds, budget, game.n_choices)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if args.json:
        print(json.dumps({"schema_version": SCHEMA_VERSION, "game": game.id, **planned.as_dict()}, indent=2))
        return 0
    choices = f", n = {game.n_choices}" if game.n_choices else ""

    def decided(verdict: str, n: int | None, at: str) -> str:
        if n is None:
            return f"not decided {verdict} within {PLAN_LIMIT} trials, the plan's limit"
        return f"decided {verdict} {at} {n} trials"

    print(
        f"{game.id} ({game.kind.value}{choices}), bounded if Adv < {thresholds.eps0}, broken if Adv > "
        f"{thresholds.eps1}, alpha = {thresholds.alpha}:"
    )
    print(
        f"  Adv = 0 (a null adversary): {decided('bounded', planned.null_trials, 'within')}"
        + ("" if planned.null_trials is None else f" with probability at least {1 - PLAN_MISS:.0%}")
    )
    print(
        f"  Adv = {planned.top_advantage:.3g} (an adversary that always wins): "
        f"{decided('broken', planned.top_trials, 'at')}"
    )
    low, high = planned.band
    spread = f"between {low} and {high}" if low > 0 else f"below {high}"
    print(f"  at {budget} trials, advantages {spread} stay inconclusive (at their expected win counts)")
    needed = (planned.null_trials, planned.top_trials)
    if planned.enough:
        print(f"--max-trials {budget} is enough for both; runs far from the thresholds stop earlier.")
    elif None in needed:
        print(
            "No budget within the plan's limit decides both: widen the gap of eps0 and eps1, or raise alpha."
        )
    else:
        print(
            f"--max-trials {budget} is not enough for both; pass --max-trials {max(n for n in needed if n)}."
        )
    return 0


def _demo(args: argparse.Namespace) -> int:
    cli_plot.check_plots(args)
    return cli_check.demo(args, progress, _report)


def _check(args: argparse.Namespace) -> int:
    return cli_check.check(args, progress, _report)


def _walkthrough(args: argparse.Namespace) -> int:
    try:
        named_group(args.group)
    except InvalidGroupError as exc:
        raise UsageError(str(exc)) from None
    walkthrough(seed=args.seed, group=args.group)
    return 0


# -- explain and replay -----------------------------------------------------------------------------


def _explain(args: argparse.Namespace) -> int:
    part = "box" if args.box_only else "experiment" if args.experiment_only else "all"
    if part != "all" and not args.latex:
        raise UsageError(f"--{part}-only selects a part of the LaTeX: add --latex")
    game = get_game(args.game)
    try:
        print(slides.latex(game, part) if args.latex else explain(game))
    except PseudocodeError as exc:
        raise UsageError(str(exc)) from None
    return 0


def _fuzz(args: argparse.Namespace) -> int:
    cli_check.check_outputs(args)  # --save-wins is tried before the search, not after it
    return cli_fuzz.fuzz(args)


_COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "list": cli_listing.list_command,
    "run": _run,
    "explain": _explain,
    "replay": cli_replay.replay,
    "demo": _demo,
    "check": _check,
    "walkthrough": _walkthrough,
    "plot-wall": cli_plot.plot_wall,
    "reduce": cli_reduce.reduce,
    "grade": cli_grade.grade,
    "fuzz": _fuzz,
}


@contextmanager
def _signals_interrupt() -> Iterator[None]:
    """While a command runs, SIGINT and SIGTERM raise `Interrupted` in this process (the main thread).

    A worker process forked from it keeps these handlers until the pool's initializer replaces them;
    a signal in between is treated as the initializer has it (SIGINT ignored, SIGTERM the end of the
    worker), never raised there.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    owner = os.getpid()

    def interrupt(signum: int, frame: object) -> None:
        if os.getpid() == owner:
            raise Interrupted(signum)
        if signum == signal.SIGTERM:
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)

    previous = {signum: signal.signal(signum, interrupt) for signum in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `mpgames` console script; returns the exit status."""
    terminal.fall_back_to_ascii()
    args = _build_parser().parse_args(argv)
    try:
        with _signals_interrupt():
            return _COMMANDS[args.command](args)
    except UsageError as exc:
        print(f"mpgames {args.command}: error: {exc}", file=sys.stderr)
        return USAGE_ERROR
    except SystemExit as exc:
        # The commands return their status and never exit: an exit from inside one came from code
        # the run loaded (an adversary file's top level, an attribute it computes), and its status
        # must not pass for the run's own (a `sys.exit(0)` would otherwise read as success in CI).
        print(
            f"mpgames {args.command}: error: loaded code called sys.exit({exc.code!r}); the run is void",
            file=sys.stderr,
        )
        return USAGE_ERROR
    except KeyboardInterrupt as exc:
        stop = Interrupted.of(exc)
        print(f"mpgames {args.command}: interrupted by {stop.name}", file=sys.stderr)
        return stop.status
    except BrokenPipeError:
        # The reader of stdout went away (`mpgames list | head`): stop quietly, as a Unix filter does.
        # Point stdout at /dev/null so that the interpreter's final flush does not fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141


if __name__ == "__main__":
    sys.exit(main())
