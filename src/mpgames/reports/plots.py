"""PNG plots of runs (harness spec §9): advantage per adversary, the running estimate, the √q wall.

* `advantage_plot`: one row per run, the advantage with its interval, coloured by verdict, against the
  thresholds ε0 and ε1 the verdict was decided with;
* `running_plot`: the running estimate of each run against the number of trials, with the interval
  at doubling checkpoints (the confidence sequence holds at each), ending at the trial that decided
  the verdict;
* `wall_plot`: the success of budgeted generic attacks against the size of q, with exact intervals,
  next to the success the budget predicts: flat while the budget covers √q, then falling as B²/q.

matplotlib is an optional dependency (the `plots` extra). It is imported only when a plot is drawn,
with the non-interactive Agg backend, so reports work on a server without a display and without
matplotlib; `require_matplotlib()` lets a command fail before any trial runs, with the install hint.
"""

from __future__ import annotations

import importlib
import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mpgames.measure.estimation import advantage, clopper_pearson, estimate
from mpgames.measure.records import RunResult
from mpgames.measure.sequential import SequentialPlan
from mpgames.measure.verdicts import Verdict

INSTALL_HINT = "install the plots extra: pip install 'mpgames[plots]'"

# File names in a run folder.
ADVANTAGE_PNG, RUNNING_PNG, WALL_PNG = "advantage.png", "running.png", "wall.png"

THRESHOLD_COLOURS = ("tab:green", "tab:red")
THRESHOLD_NAMES = ("ε0: bounded iff the interval ends below", "ε1: broken iff the interval starts above")
VERDICT_COLOURS = {Verdict.BROKEN: "tab:red", Verdict.BOUNDED: "tab:green", Verdict.INCONCLUSIVE: "tab:gray"}
# Inches per row of the advantage plot, and its minimum height: labels stay legible for long suites.
ROW_HEIGHT, MIN_HEIGHT = 0.35, 2.5
# Horizontal offset between the series of the wall plot, in bits of q.
WALL_SHIFT = 0.15
# Inches per character of the longest row label, added to the width so the axes keep their room.
CHAR_WIDTH = 0.075
DPI = 120


class PlotsUnavailable(RuntimeError):
    """matplotlib is not installed; the message says how to install it."""


def require_matplotlib() -> None:
    """Raise `PlotsUnavailable` (with the install hint) unless matplotlib can be imported."""
    try:
        importlib.import_module("matplotlib")
    except ImportError:
        raise PlotsUnavailable(INSTALL_HINT) from None


def _pyplot() -> Any:
    require_matplotlib()
    matplotlib = importlib.import_module("matplotlib")
    matplotlib.use("Agg")
    return importlib.import_module("matplotlib.pyplot")


def _save(figure: Any, path: str | Path) -> Path:
    target = Path(path)
    figure.tight_layout()
    figure.savefig(target, dpi=DPI)
    _pyplot().close(figure)
    return target


def _label(result: RunResult) -> str:
    return f"{result.game} · {result.variant} · {result.adversary} ({result.tier})"


def _levels(results: Sequence[RunResult]) -> list[tuple[float, float]]:
    return [(r.estimate.thresholds.eps0, r.estimate.thresholds.eps1) for r in results]


def _threshold_lines(axes: Any, results: Sequence[RunResult], *, vertical: bool) -> None:
    """A dashed line at each distinct ε0 and ε1 of the runs."""
    draw = axes.axvline if vertical else axes.axhline
    levels = _levels(results)
    for k, (colour, name) in enumerate(zip(THRESHOLD_COLOURS, THRESHOLD_NAMES, strict=True)):
        for n, value in enumerate(sorted({level[k] for level in levels})):
            draw(value, color=colour, linestyle="--", linewidth=1, label=None if n else name)


def _threshold_ticks(axes: Any, results: Sequence[RunResult]) -> None:
    """A tick at each row's own ε0 and ε1 (when the runs do not share their thresholds)."""
    levels = _levels(results)
    for k, (colour, name) in enumerate(zip(THRESHOLD_COLOURS, THRESHOLD_NAMES, strict=True)):
        values = [level[k] for level in levels]
        axes.plot(values, range(len(values)), "|", color=colour, markersize=14, markeredgewidth=2, label=name)


def _check_results(results: Sequence[RunResult]) -> None:
    if not results:
        raise ValueError("nothing to plot: no run results")
    if not all(isinstance(r, RunResult) for r in results):
        raise ValueError("plots take RunResult records")


def advantage_plot(path: str | Path, results: Sequence[RunResult]) -> Path:
    """Advantage and interval of each run, one row each, coloured by verdict; written as PNG to `path`."""
    _check_results(results)
    plt = _pyplot()
    labels = [_label(r) for r in results]
    width = 7 + CHAR_WIDTH * max(map(len, labels))
    figure, axes = plt.subplots(figsize=(width, max(MIN_HEIGHT, 1.2 + ROW_HEIGHT * len(results))))
    rows = range(len(results))
    for row, result in zip(rows, results, strict=True):
        est = result.estimate
        low, high = est.interval.lower, est.interval.upper
        axes.errorbar(
            [est.advantage],
            [row],
            xerr=[[est.advantage - low], [high - est.advantage]],
            fmt="o",
            color=VERDICT_COLOURS[est.verdict],
            capsize=3,
        )
    if len(set(_levels(results))) == 1:
        _threshold_lines(axes, results, vertical=True)
    else:
        _threshold_ticks(axes, results)
    for verdict, colour in VERDICT_COLOURS.items():
        if any(r.estimate.verdict is verdict for r in results):
            axes.plot([], [], "o", color=colour, label=verdict.value)
    axes.set_yticks(list(rows), labels)
    axes.invert_yaxis()
    axes.set_xlim(min(0.0, *(r.estimate.interval.lower for r in results)) - 0.02, 1.02)
    confidences = sorted({f"{100 * r.estimate.interval.confidence:g}%" for r in results})
    axes.set_xlabel(f"advantage, point estimate and {' / '.join(confidences)} interval")
    axes.set_title(
        "Advantage per run" + (" (toy rows: demonstrations, not evidence)" if _has_toy(results) else "")
    )
    axes.grid(axis="x", alpha=0.3)
    axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small")
    return _save(figure, path)


def _has_toy(results: Sequence[RunResult]) -> bool:
    return any(r.tier == "toy" for r in results)


@dataclass(frozen=True)
class RunningEstimate:
    """The running estimate of one run: advantage after each trial, and the estimates at its looks."""

    result: RunResult
    advantages: tuple[float, ...]
    looks: tuple[tuple[int, float, float], ...]  # (trials, interval lower, interval upper)


def running_estimate(result: RunResult, won: Sequence[bool]) -> RunningEstimate:
    """Recompute a run's path from its per-trial outcomes (`won[i]`: trial i was won).

    The points shown are the checkpoints the engine dealt its batches by (25, 50, 100, … trials) and
    the run's last trial, each with the interval the run's method gives there: the confidence
    sequence (valid at every trial) or the exact interval at the run's per-look level.
    """
    est = result.estimate
    if len(won) != est.trials or sum(map(bool, won)) != est.wins:
        raise ValueError(
            f"{len(won)} outcomes with {sum(map(bool, won))} wins do not match the run's "
            f"{est.wins} wins of {est.trials} trials"
        )
    wins_after = list(itertools.accumulate(map(int, won)))
    advantages = tuple(advantage(est.kind, w / n, est.n_choices) for n, w in enumerate(wins_after, 1))
    looks = []
    for n in SequentialPlan.for_budget(est.trials, est.thresholds).checkpoints:
        at = estimate(
            est.kind,
            wins_after[n - 1],
            n,
            est.thresholds,
            n_choices=est.n_choices,
            looks=est.looks,
            method=est.method,
        )
        looks.append((n, at.interval.lower, at.interval.upper))
    return RunningEstimate(result, advantages, tuple(looks))


def running_plot(path: str | Path, runs: Sequence[RunningEstimate]) -> Path:
    """Running estimates against trials (log scale), intervals at the looks, thresholds; PNG to `path`."""
    _check_results([run.result for run in runs])
    plt = _pyplot()
    figure, axes = plt.subplots(figsize=(11, 5))
    colours = itertools.cycle(plt.rcParams["axes.prop_cycle"].by_key()["color"])
    for run, colour in zip(runs, colours, strict=False):
        trials = range(1, len(run.advantages) + 1)
        est = run.result.estimate
        axes.plot(
            trials,
            run.advantages,
            color=colour,
            linewidth=1.2,
            label=f"{run.result.adversary}: {est.verdict}",
        )
        points = [n for n, _, _ in run.looks]
        centre = [run.advantages[n - 1] for n in points]
        errors = [
            [c - low for c, (_, low, _) in zip(centre, run.looks, strict=True)],
            [high - c for c, (_, _, high) in zip(centre, run.looks, strict=True)],
        ]
        axes.errorbar(points, centre, yerr=errors, fmt="s", color=colour, capsize=4, markersize=4)
    _threshold_lines(axes, [run.result for run in runs], vertical=False)
    axes.set_xscale("log")
    axes.set_xlabel("trials (log scale); squares: the interval at doubling checkpoints and at the end")
    axes.set_ylabel("advantage (running estimate)")
    first = runs[0].result
    axes.set_title(f"Running estimate: {first.game} · {first.variant} ({first.tier})")
    lowest = min(min(run.advantages) for run in runs)
    axes.set_ylim(min(-0.05, lowest, *(low for run in runs for _, low, _ in run.looks)) - 0.03, 1.05)
    axes.grid(alpha=0.3, which="both")
    axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small")
    return _save(figure, path)


@dataclass(frozen=True)
class WallPoint:
    """One game at one group size: wins of a budgeted generic attack, and the success its budget predicts."""

    game: str
    adversary: str
    q: int
    wins: int
    trials: int
    predicted: float

    def __post_init__(self) -> None:
        if not 0 <= self.wins <= self.trials or self.trials < 1 or self.q < 2 or not 0 <= self.predicted <= 1:
            raise ValueError(f"invalid wall point {self!r}")

    @property
    def q_bits(self) -> float:
        return math.log2(self.q)


def wall_plot(path: str | Path, points: Sequence[WallPoint], steps: int, alpha: float) -> Path:
    """Success against log2 q per game, with `1 − alpha` intervals and the predicted curve; PNG to `path`.

    A point with no wins is drawn as a downward triangle at its upper bound: the success is below it.
    """
    if not points:
        raise ValueError("nothing to plot: no wall points")
    plt = _pyplot()
    figure, axes = plt.subplots(figsize=(9, 5.5))
    colours = itertools.cycle(plt.rcParams["axes.prop_cycle"].by_key()["color"])
    games = list(dict.fromkeys(p.game for p in points))
    lowest = []  # the smallest success drawn, to fit the log axis
    for number, (game, colour) in enumerate(zip(games, colours, strict=False)):
        # Series share their x values: shift each a little so that the intervals stay apart.
        shift = WALL_SHIFT * (number - (len(games) - 1) / 2)
        mine = [p for p in points if p.game == game]
        hit = [p for p in mine if p.wins]
        intervals = [clopper_pearson(p.wins, p.trials, alpha) for p in hit]
        rates = [p.wins / p.trials for p in hit]
        errors = [
            [r - i.lower for r, i in zip(rates, intervals, strict=True)],
            [i.upper - r for r, i in zip(rates, intervals, strict=True)],
        ]
        label = f"{game} ({mine[0].adversary})"
        xs = [p.q_bits + shift for p in hit]
        axes.errorbar(xs, rates, yerr=errors, fmt="o-", color=colour, capsize=3, markersize=4, label=label)
        missed = [p for p in mine if not p.wins]
        bounds = [clopper_pearson(0, p.trials, alpha).upper for p in missed]
        axes.plot([p.q_bits + shift for p in missed], bounds, "v", color=colour, markersize=8)
        lowest += rates + bounds
    ordered = sorted({(p.q, p.predicted) for p in points})
    axes.plot(
        [math.log2(q) for q, _ in ordered],
        [pred for _, pred in ordered],
        "k:",
        linewidth=1.5,
        label=f"predicted for {steps} steps",
    )
    # The wall: q beyond which √q exceeds half the budget, so baby-step giant-step no longer completes.
    wall_bits = 2 * math.log2(steps / 2)
    axes.axvline(
        wall_bits,
        color="tab:gray",
        linestyle="--",
        linewidth=1,
        label=f"√q = {steps // 2} (log2 q = {wall_bits:g})",
    )
    if any(not p.wins for p in points):
        axes.plot([], [], "v", color="black", label=f"no win: the {100 * (1 - alpha):g}% upper bound")
    axes.set_yscale("log")
    axes.set_ylim(min(*lowest, *(pred for _, pred in ordered)) / 4, 1.5)
    axes.set_xlabel("log2 q (bits of the subgroup order)")
    axes.set_ylabel(f"success probability (log scale), {100 * (1 - alpha):g}% intervals")
    axes.set_title(f"The √q wall: generic attacks with {steps} group steps per trial (toy groups)")
    axes.grid(alpha=0.3, which="both")
    axes.legend(loc="lower left", fontsize="small")
    return _save(figure, path)
