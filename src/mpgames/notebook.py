"""The notebook API (harness §9 reports; docs/notebook.ipynb): `mpgames.run`, `mpgames.check` and
`mpgames.explain` return objects that Jupyter displays inline.

* `run(game, adversary=None, ...)` plays as `mpgames run` plays (the same engine, seeds, stopping and
  verdicts; `adversary` an id, a `file.py:Class`, or a class defined in the notebook, which plays
  trusted) and returns a `RunReport`: its `results` (`RunResult`s), the table as `mpgames run`
  prints it, each run's interval drawn against its thresholds, and, folded, the transcript of one
  trial of each run (the first won one, else trial 0), replayed with tracing, with every value in
  full beneath it (the typed JSON of `replay --json`), and the first fault of each type with the
  adversary's own frames.
* `check(suite, ...)` plays a suite file as `mpgames check` plays it and returns a `CheckReport`
  with its entries' statuses and the check's verdict (`passed`).
* `explain(game)` returns the game's pseudocode (`mpgames explain`).

Each object shows itself as HTML (`_repr_html_`), Markdown (`_repr_markdown_`) and text (`repr`).
Everything shown is escaped: adversary outputs and fault messages are the adversary's text.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from mpgames.adversaries.base import Adversary
from mpgames.adversaries.registry import adversaries_for, resolve
from mpgames.cli import check as cli_check
from mpgames.cli.explain import explain as explain_text
from mpgames.cli.progress import progress
from mpgames.framework.engine import DEFAULT_TIME_LIMIT, FIXED, Engine, TrialLog, play_trial
from mpgames.framework.errors import UsageError
from mpgames.framework.outcome import TrialOutcome
from mpgames.games.registry import get_game
from mpgames.measure.estimation import SEQUENCE
from mpgames.measure.records import RunResult
from mpgames.measure.verdicts import Thresholds
from mpgames.reports import render
from mpgames.suites.demo import SuiteEntry
from mpgames.suites.files import load_suite
from mpgames.vectors import traced_spec

DEFAULT_MAX_TRIALS = 1000
# The width of an interval's drawing, in pixels.
_WIDTH, _HEIGHT = 360, 28


@dataclass(frozen=True)
class RunReport:
    """What `run` played: one result per adversary, and a traced trial of each."""

    results: tuple[RunResult, ...]
    trials: tuple[TrialOutcome, ...]

    def table(self, fmt: str = "github") -> str:
        return render.table(list(self.results), fmt)

    def __repr__(self) -> str:
        return self.table("simple")

    def _repr_markdown_(self) -> str:
        return self.table()

    def _repr_html_(self) -> str:
        parts = [render.table(list(self.results), "html").split("\n\n")[0]]
        for result, trial in zip(self.results, self.trials, strict=True):
            parts.append(
                f"<p><b>{html.escape(result.adversary)}</b>: {html.escape(result.estimate.describe())}, "
                f"verdict <b>{html.escape(result.verdict)}</b></p>"
            )
            parts.append(interval_svg(result))
            parts.append(_trace_html(result, trial))
        notes = render.table(list(self.results)).split("\n\n")[1:]
        parts += [f"<p>{html.escape(note)}</p>".replace("\n", "<br>") for note in notes]
        return "\n".join(parts)


@dataclass(frozen=True)
class CheckReport:
    """What `check` played: each entry's status, the check's verdict and the results' table."""

    report: cli_check.CheckReport

    @property
    def passed(self) -> bool:
        return self.report.passed

    @property
    def results(self) -> tuple[RunResult, ...]:
        return tuple(run.result for run in self.report.runs if run.result is not None)

    def statuses(self) -> dict[str, str]:
        """Entry name -> passed, failed, inconclusive or error."""
        return {f"{run.number}: {run.name}": run.status for run in self.report.runs}

    def __repr__(self) -> str:
        return f"{render.table(list(self.results), 'simple')}\n\n{self.report.summary()}"

    def _repr_markdown_(self) -> str:
        return f"{render.table(list(self.results))}\n\n**{self.report.summary()}**"

    def _repr_html_(self) -> str:
        table = render.table(list(self.results), "html").split("\n\n")[0]
        rows = "".join(
            f"<tr><td>{html.escape(name)}</td><td>{html.escape(status)}</td></tr>"
            for name, status in self.statuses().items()
        )
        return f"{table}\n<table><tr><th>entry</th><th>status</th></tr>{rows}</table>\n" + (
            f"<p><b>{html.escape(self.report.summary())}</b></p>"
        )


@dataclass(frozen=True)
class Explanation:
    """A game's pseudocode, as `mpgames explain` prints it."""

    text: str

    def __repr__(self) -> str:
        return self.text

    def _repr_markdown_(self) -> str:
        return f"```text\n{self.text}\n```"

    def _repr_html_(self) -> str:
        return f"<pre>{html.escape(self.text)}</pre>"


def run(
    game: str,
    adversary: str | type[Adversary] | None = None,
    *,
    variant: str | None = None,
    tier: str = "toy",
    group: str | None = None,
    max_trials: int = DEFAULT_MAX_TRIALS,
    fixed: int | None = None,
    eps0: float | None = None,
    eps1: float | None = None,
    alpha: float | None = None,
    seed: str = "0",
    time_limit: float | None = DEFAULT_TIME_LIMIT,
    jobs: int = 1,
) -> RunReport:
    """Play `game` against `adversary` (default: its null and every reference adversary), as
    `mpgames run` does; see the module docstring."""
    game_cls = get_game(game)
    chosen = {"eps0": eps0, "eps1": eps1, "alpha": alpha}
    try:
        thresholds = Thresholds(**{name: value for name, value in chosen.items() if value is not None})
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    adversaries = _adversaries(game_cls.id, adversary)
    budget = max_trials if fixed is None else fixed
    entries = [
        SuiteEntry(game_cls, game_cls.variant(variant).name, a, tier, budget, thresholds) for a in adversaries
    ]
    results, trials = [], []
    with Engine(jobs) as engine:
        for entry in entries:
            log = TrialLog(keep=1)
            result = cli_check.run_entry(
                engine,
                entry,
                progress,
                log,
                seed=seed,
                time_limit=time_limit,
                group=group,
                stopping=SEQUENCE if fixed is None else FIXED,
            )
            results.append(result)
            trials.append(log.wins[0] if log.wins else _trial_zero(entry, result, time_limit))
    return RunReport(tuple(results), tuple(trials))


def check(
    suite: str | Path,
    *,
    games: Iterable[str] | None = None,
    entries: Iterable[int] | None = None,
    strict: bool = False,
    jobs: int = 1,
) -> CheckReport:
    """Play the suite file `suite` (only the entries of `games`, or at the positions `entries`) as
    `mpgames check` does."""
    loaded = load_suite(
        suite, None if games is None else list(games), None if entries is None else list(entries)
    )
    runs, interruption = cli_check.play_suite(loaded, jobs=jobs, progress=progress)
    return CheckReport(cli_check.CheckReport(loaded, runs, strict, interruption))


def explain(game: str) -> Explanation:
    """The pseudocode of `game`, as `mpgames explain GAME` prints it."""
    return Explanation(explain_text(get_game(game)))


def interval_svg(result: RunResult) -> str:
    """The advantage interval of a run on [0, 1], with ε0 and ε1 marked: bounded when it ends left
    of ε0, broken when it starts right of ε1."""
    estimate = result.estimate

    def x(value: float) -> float:
        return round(10 + max(0.0, min(1.0, value)) * (_WIDTH - 20), 1)

    low, high = x(estimate.interval.lower), x(estimate.interval.upper)
    th = estimate.thresholds
    marks = "".join(
        f'<line x1="{x(v)}" y1="2" x2="{x(v)}" y2="{_HEIGHT - 2}" stroke="{colour}" stroke-dasharray="3,2"/>'
        f'<text x="{x(v) + 2}" y="10" font-size="9" fill="{colour}">{name}</text>'
        for v, name, colour in ((th.eps0, "ε0", "green"), (th.eps1, "ε1", "red"))
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_WIDTH}" height="{_HEIGHT}" role="img">'
        f"<title>{html.escape(estimate.describe())}</title>"
        f'<line x1="10" y1="{_HEIGHT - 6}" x2="{_WIDTH - 10}" y2="{_HEIGHT - 6}" stroke="grey"/>'
        f"{marks}"
        f'<rect x="{low}" y="12" width="{max(1.0, high - low)}" height="8" fill="steelblue"/>'
        "</svg>"
    )


def _adversaries(game_id: str, adversary: str | type[Adversary] | None) -> Sequence[type[Adversary]]:
    if adversary is None:
        found = adversaries_for(game_id)
        if not found:
            raise UsageError(f"no adversary targets {game_id}")
        return found
    if isinstance(adversary, str):
        return [resolve(adversary, game_id)]
    if not (isinstance(adversary, type) and issubclass(adversary, Adversary)):
        raise UsageError(f"adversary must be an id, a file.py:Class or an Adversary class, not {adversary!r}")
    if not get_game(game_id).targeted_by(adversary.targets):
        raise UsageError(f"adversary {adversary.id} does not target {game_id}")
    return [adversary]


def _trial_zero(entry: SuiteEntry, result: RunResult, time_limit: float | None) -> TrialOutcome:
    """Trial 0 of the run, replayed with tracing (a run that kept no won trial)."""
    return play_trial(traced_spec(entry.game, entry.adversary, result, time_limit=time_limit), 0)


def _trace_html(result: RunResult, trial: TrialOutcome) -> str:
    outcome = "won" if trial.won else "lost"
    steps = "\n".join(f"{number:2}. {entry.format()}" for number, entry in enumerate(trial.transcript, 1))
    fault = "" if trial.fault is None else "\n\n" + "\n".join(trial.fault.traceback_lines())
    values = json.dumps([entry.as_dict() for entry in trial.transcript], indent=1, ensure_ascii=False)
    return (
        f"<details><summary>trial {trial.index} of {html.escape(result.adversary)} ({outcome}): "
        f"its transcript</summary><pre>{html.escape(steps + fault)}</pre>"
        f"<details><summary>every value in full (JSON)</summary><pre>{html.escape(values)}</pre></details>"
        "</details>"
    )
