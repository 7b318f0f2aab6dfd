"""`mpgames check SUITE` and `mpgames demo`: play a suite file and hold it to its expectations (harness §8).

    mpgames check SUITE [--strict] [--junit FILE] [--json] [--out DIR] [--save-wins DIR] [--jobs N]
                        [--executor local|dask [--scheduler ADDRESS]] [--entry-seconds S] [--suite-seconds S]
    mpgames demo [--game GAME ...] [--max-trials N] [--seed S] [--jobs N] [--json] [--out DIR]

`check` loads and validates the suite (`mpgames.suites.files`; a malformed file is one line and exit
status 2), plays every entry with the suite's seed — so the same commit always gives the same
verdicts — and re-decides the verdicts with Holm's procedure at the suite's α. Each entry ends in
one of four states:

* passed: the verdict is the expected one;
* failed: the verdict is the other one;
* inconclusive: the interval straddles a threshold; reported, and a failure only with `--strict`;
* error: the entry did not run (a bug of the game or of the harness; the others still run), or
  its run was cut short: "timed out" (its trials kept hitting the time limit, or it reached its
  wall-clock cap) or interrupted. A cut-short entry is reported with the trials it played.

Wall-clock caps come from the suite file (`entry_seconds`, an entry's `seconds`, `suite_seconds`)
or, overriding it, from `--entry-seconds` and `--suite-seconds`. Once the suite's cap is reached,
the entries not yet played do not run ("suite time cap reached").

SIGINT or SIGTERM ends the check: the entry it cut short keeps the trials it completed, the later
ones did not run, every output is written and marked incomplete, and the exit status is 130 or 143.

A suite's `[fuzz]` table (docs/fuzz.md) runs the attack search on its games after the entries: a
win fails the check, and its plan and trace are printed.

Exit status 0 iff no entry failed or errored (nor, with `--strict`, came out inconclusive), no
search found a win, and calibration was shown: at least one entry came out broken as expected and
one bounded as expected, so that this very run demonstrates the harness can tell the two apart
(docs/suites.md). Otherwise 1.

`--junit FILE` writes JUnit XML (one testcase per entry, plus one for calibration), `--json` prints
the results with the check's verdict, `--out DIR` writes summary.md, results.json and manifest.json,
and `--save-wins DIR` writes a regression vector per won trial (`mpgames.vectors`). `demo` plays
src/mpgames/suites/default.toml the same way and prints the table.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import time
import traceback
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from mpgames.cli import fuzz as cli_fuzz
from mpgames.cli.terminal import adversary_prints_to_stderr
from mpgames.framework.engine import Engine, TrialLog
from mpgames.framework.errors import Interrupted, UsageError
from mpgames.framework.executors import LOCAL
from mpgames.measure.estimation import SEQUENCE, Estimate
from mpgames.measure.holm import holm
from mpgames.measure.records import Interruption, RunResult
from mpgames.measure.verdicts import Verdict
from mpgames.reports.output import check_writable, write_atomically
from mpgames.suites.demo import SuiteEntry
from mpgames.suites.files import FuzzSection, Suite, entry_record, load_default_suite, load_suite
from mpgames.vectors import MAX_SAVED_WINS
from mpgames.vectors import save_wins as save_run_wins

if TYPE_CHECKING:
    from mpgames.fuzz.search import SearchReport

Progress = Callable[[int, str], AbstractContextManager[Callable[[int], object] | None]]


class Report(Protocol):
    """The run command's reporting (table or JSON, run folder), which check and demo reuse."""

    def __call__(
        self,
        results: list[RunResult],
        args: argparse.Namespace,
        parameters: dict[str, Any],
        *,
        interruption: Interruption | None = None,
    ) -> None: ...


PASSED, FAILED, INCONCLUSIVE, ERROR = "passed", "failed", "inconclusive", "error"
SUITE_CAP_REACHED = "suite time cap reached"
CALIBRATION_FAILURE = "no entry came out broken as expected, or none bounded as expected"
# The outputs, as the errors about them name them.
JUNIT, RUN_FOLDER, VECTORS_FOLDER = "JUnit report", "run folder", "vectors folder"


@dataclass(frozen=True)
class EntryRun:
    """One entry of a checked suite: its result, or the error that kept it from running."""

    number: int  # position in the suite file's selection, from 1
    entry: SuiteEntry
    result: RunResult | None
    error: str | None = None  # why it did not run, or was cut short
    detail: str = ""  # the traceback of an entry that did not run
    vectors: tuple[str, ...] = ()  # files written by --save-wins

    @property
    def cut_short(self) -> bool:
        """Whether the entry ran but stopped early ("timed out", interrupted): an error, with its trials."""
        return self.result is not None and self.result.stopped is not None

    @property
    def all_faulted(self) -> bool:
        """Whether the adversary faulted in every trial it played: an error, never a pass."""
        return self.result is not None and self.result.all_faulted

    @property
    def status(self) -> str:
        if self.result is None or self.cut_short or self.all_faulted:
            return ERROR
        met = self.result.expectation_met
        return INCONCLUSIVE if met is None else PASSED if met else FAILED

    @property
    def name(self) -> str:
        e = self.entry
        return f"{e.game.id} {e.variant} {e.adversary.id} {e.place}"

    def record(self) -> dict[str, Any]:
        level = None if self.result is None else self.result.estimate.thresholds.alpha
        return {
            "entry": self.number,
            **entry_record(self.entry),
            "status": self.status,
            "level": level,
            "error": self.error,
            "vectors": list(self.vectors),
        }


@dataclass(frozen=True)
class CheckReport:
    """A checked suite: every entry's run and the check's verdict."""

    suite: Suite
    runs: tuple[EntryRun, ...]
    strict: bool
    interruption: Interruption | None = None
    fuzz: tuple[SearchReport, ...] = ()

    def fuzz_wins(self) -> list[SearchReport]:
        return [search for search in self.fuzz if search.finding is not None]

    def count(self, status: str) -> int:
        return sum(run.status == status for run in self.runs)

    def calibrated(self, expect: str) -> bool:
        """Whether some entry expected `expect` and came out so."""
        return any(run.status == PASSED and run.entry.expect == expect for run in self.runs)

    @property
    def calibration_shown(self) -> bool:
        return self.calibrated(Verdict.BROKEN) and self.calibrated(Verdict.BOUNDED)

    def failing(self) -> list[EntryRun]:
        """The entries that fail the check: failed, did not run, and inconclusive when strict."""
        bad = (FAILED, ERROR, INCONCLUSIVE) if self.strict else (FAILED, ERROR)
        return [run for run in self.runs if run.status in bad]

    @property
    def passed(self) -> bool:
        return (
            self.interruption is None
            and self.calibration_shown
            and not self.failing()
            and not self.fuzz_wins()
        )

    @property
    def status(self) -> int:
        """The exit status: 0 if the check passed, 1 if not, 130 or 143 if a signal ended it."""
        if self.interruption is not None:
            return self.interruption.status
        return 0 if self.passed else 1

    @property
    def results(self) -> list[RunResult]:
        return [run.result for run in self.runs if run.result is not None]

    def parameters(self) -> dict[str, Any]:
        """The suite, every entry's status and level, and the verdict: for the manifest and --json."""
        return {
            **self.suite.parameters(),
            "strict": self.strict,
            "passed": self.passed,
            "calibration_shown": self.calibration_shown,
            "entries": [run.record() for run in self.runs],
            "fuzz": [cli_fuzz.record(search) for search in self.fuzz],
        }

    def summary(self) -> str:
        counts = ", ".join(f"{self.count(s)} {s}" for s in (PASSED, FAILED, INCONCLUSIVE))
        cut = sum(run.cut_short for run in self.runs)
        faulted = sum(run.all_faulted and not run.cut_short for run in self.runs)
        counts += f", {self.count(ERROR) - cut - faulted} did not run" + (f", {cut} cut short" if cut else "")
        counts += f", {faulted} faulted in every trial" if faulted else ""
        if self.interruption is not None:
            verdict, why = "INCOMPLETE", f" ({self.interruption.describe()})"
        elif self.calibration_shown:
            verdict, why = "PASS" if self.passed else "FAIL", ""
        else:
            verdict, why = "FAIL", " (calibration not shown: no entry passed as broken, or none as bounded)"
        budget = f"α = {self.suite.alpha} over {len(self.runs)} entries (Holm)"
        if self.fuzz:
            plans = sum(search.plans for search in self.fuzz)
            budget += f"; fuzz: {len(self.fuzz)} games, {plans} plans, {len(self.fuzz_wins())} win(s)"
        return f"{self.suite.name}: {counts}; {budget}: {verdict}{why}"


def play_suite(
    suite: Suite,
    *,
    jobs: int | None,
    progress: Progress,
    save_wins: Path | None = None,
    isolated: bool = False,
    executor: str = LOCAL,
    scheduler: str | None = None,
) -> tuple[tuple[EntryRun, ...], Interruption | None]:
    """Play every entry at the suite's first level within the suite's caps, then re-decide the
    verdicts with Holm; with the `Interruption` if a signal ended the play (module docstring).

    A file or entry-point adversary always runs isolated; `isolated` isolates the built-in ones too."""
    runs: list[EntryRun] = []
    suite_deadline = _deadline(suite.suite_seconds)
    with adversary_prints_to_stderr(), Engine(jobs, executor=executor, scheduler=scheduler) as engine:
        for number, entry in enumerate(suite.entries, 1):
            if suite_deadline is not None and time.monotonic() >= suite_deadline:
                runs.append(EntryRun(number, entry, None, SUITE_CAP_REACHED))
                continue
            deadline = _earliest(_deadline(entry.seconds), suite_deadline)
            try:
                runs.append(
                    _play_entry(engine, suite, number, entry, deadline, progress, save_wins, isolated)
                )
            except KeyboardInterrupt as exc:
                stop = Interrupted.of(exc)
                runs += _not_played(suite, number, stop)
                return _holm(runs, suite.alpha), Interruption(stop.name, number - 1, len(suite.entries))
    return _holm(runs, suite.alpha), None


def _deadline(seconds: float | None) -> float | None:
    """The `time.monotonic()` instant `seconds` from now (None: no cap)."""
    return None if seconds is None else time.monotonic() + seconds


def _earliest(*deadlines: float | None) -> float | None:
    return min((d for d in deadlines if d is not None), default=None)


def _play_entry(
    engine: Engine,
    suite: Suite,
    number: int,
    entry: SuiteEntry,
    deadline: float | None,
    progress: Progress,
    save_wins: Path | None,
    isolated: bool,
) -> EntryRun:
    """One entry's run, or the error that kept it from running (a bug stops this entry, not the suite)."""
    log = saving_log(save_wins)
    try:
        result = run_entry(
            engine,
            entry,
            progress,
            log,
            seed=suite.seed,
            time_limit=suite.time_limit,
            deadline=deadline,
            isolated=isolated,
        )
    except Exception as exc:
        run = EntryRun(number, entry, None, f"{type(exc).__name__}: {exc}", traceback.format_exc())
        print(f"entry {number} ({run.name}) did not run: {run.error}", file=sys.stderr)
        return run
    vectors = () if save_wins is None else _save(save_wins, [(entry, result, log)], suite.time_limit)
    if result.stopped is not None:
        error: str | None = _cut_short(result, entry)
    elif result.all_faulted:
        error = f"every one of its {result.estimate.trials} trials faulted ({_faults(result)})"
    else:
        error = None
    return EntryRun(number, entry, result, error, vectors=tuple(map(str, vectors)))


def _faults(result: RunResult) -> str:
    return "; ".join(
        f"{kind} {result.lost[kind]}, first in trial {report['trial']}"
        + (f" at {report['at']}" if report["at"] else "")
        for kind, report in result.faults.items()
    )


def run_entry(
    engine: Engine,
    entry: SuiteEntry,
    progress: Progress,
    log: TrialLog,
    *,
    seed: str,
    time_limit: float | None,
    group: str | None = None,
    deadline: float | None = None,
    isolated: bool = False,
    run_key: bytes | None = None,
    stopping: str = SEQUENCE,
) -> RunResult:
    """The run of one entry (game, variant, adversary, tier, budget) under a progress bar, its
    outcomes going to `log`: what `run`, `check` and `demo` play for each entry. `stopping` is the
    engine's rule (`Engine.run`): "fixed" for `run --fixed N`."""
    label = f"{entry.game.id} {entry.variant} {entry.adversary.id} {entry.place}"
    with progress(entry.max_trials, label) as bar:
        result = engine.run(
            entry.game,
            entry.variant,
            entry.adversary,
            entry.tier,
            max_trials=entry.max_trials,
            seed=seed,
            thresholds=entry.thresholds,
            time_limit=time_limit,
            group=entry.group if group is None else group,
            progress=bar,
            tracing=log.tracing,
            on_outcome=log,
            deadline=deadline,
            isolated=isolated,
            run_key=run_key,
            stopping=stopping,
        )
    # The record judges the entry's expectation: the suite's, where the adversary claims nothing.
    return result if result.expect == entry.expect else dataclasses.replace(result, expect=entry.expect)


def _cut_short(result: RunResult, entry: SuiteEntry) -> str:
    return f"{result.stopped} after {result.estimate.trials} of {entry.max_trials} trials"


def _not_played(suite: Suite, number: int, stop: Interrupted) -> list[EntryRun]:
    """The entry a signal cut short (with its completed trials, if any) and the entries after it."""
    cut = suite.entries[number - 1]
    why = f"interrupted by {stop.name}"
    done = "" if stop.partial is None else f" after {stop.partial.estimate.trials} of {cut.max_trials} trials"
    first = EntryRun(number, cut, stop.partial, why + done)
    rest = [EntryRun(n, e, None, f"not run: {why}") for n, e in enumerate(suite.entries[number:], number + 1)]
    return [first, *rest]


def _holm(runs: list[EntryRun], alpha: float) -> tuple[EntryRun, ...]:
    """The runs with their verdicts re-decided by Holm; an entry that did not run, or was cut short,
    is left as it is and keeps its share of α."""
    decided = holm([_finished_estimate(run) for run in runs], alpha)
    return tuple(
        run
        if run.result is None or e is None  # holm keeps None exactly for the entries given as None
        else dataclasses.replace(run, result=dataclasses.replace(run.result, estimate=e))
        for run, e in zip(runs, decided, strict=True)
    )


def outcome(result: RunResult) -> str:
    """`verdict: wording` of an entry's run (`Estimate.describe`), as its reports say it."""
    return f"{result.verdict}: {result.estimate.describe()}"


def _finished_estimate(run: EntryRun) -> Estimate | None:
    return None if run.result is None or run.status == ERROR else run.result.estimate


# -- JUnit XML ------------------------------------------------------------------------------------------


def junit_xml(report: CheckReport) -> str:
    """JUnit XML: one testcase per entry (failure: the expectation does not hold; error: the entry did
    not run or was cut short), one for calibration; properties say whether the check ran to its end."""
    suite = report.suite
    strict_failures = report.count(INCONCLUSIVE) if report.strict else 0
    failures = (
        report.count(FAILED) + strict_failures + (not report.calibration_shown) + len(report.fuzz_wins())
    )
    seconds = sum(result.seconds for result in report.results)
    attributes = {
        "name": suite.name,
        "tests": str(len(report.runs) + 1 + len(report.fuzz)),
        "failures": str(failures),
        "errors": str(report.count(ERROR)),
        "skipped": str(0 if report.strict else report.count(INCONCLUSIVE)),
        "time": f"{seconds:.3f}",
    }
    root = ET.Element("testsuites", attributes)
    testsuite = ET.SubElement(root, "testsuite", attributes)
    properties = ET.SubElement(testsuite, "properties")
    for name, value in (
        ("file", suite.source),
        ("seed", suite.seed),
        ("alpha", repr(suite.alpha)),
        ("correction", "holm"),
        ("strict", str(report.strict).lower()),
        ("complete", str(report.interruption is None).lower()),
        *(() if report.interruption is None else (("interrupted", report.interruption.signal_name),)),
    ):
        ET.SubElement(properties, "property", {"name": name, "value": value})
    for run in report.runs:
        _testcase(testsuite, suite.name, run, report.strict)
    calibration = ET.SubElement(testsuite, "testcase", {"classname": suite.name, "name": "calibration"})
    if not report.calibration_shown:
        ET.SubElement(
            calibration,
            "failure",
            {
                "message": CALIBRATION_FAILURE,
                "type": "calibration",
            },
        )
    for search in report.fuzz:
        _fuzz_testcase(testsuite, suite.name, search)
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def _fuzz_testcase(parent: ET.Element, suite_name: str, search: SearchReport) -> None:
    case = ET.SubElement(
        parent,
        "testcase",
        {
            "classname": f"{suite_name}.{search.game}",
            "name": f"fuzz {search.variant} ({search.tier}), {search.plans} plans",
            "time": f"{search.seconds:.3f}",
        },
    )
    if search.finding is not None:
        ET.SubElement(case, "failure", {"message": "the attack search found a win", "type": "fuzz"})
    ET.SubElement(case, "system-out").text = cli_fuzz.text(search)


def _testcase(parent: ET.Element, suite_name: str, run: EntryRun, strict: bool) -> None:
    e = run.entry
    case = ET.SubElement(
        parent,
        "testcase",
        {
            "classname": f"{suite_name}.{e.game.id}",
            "name": f"{e.adversary.id} vs {e.variant} ({e.place}) expect {e.expect}",
            "time": f"{0.0 if run.result is None else run.result.seconds:.3f}",
        },
    )
    if run.status == ERROR:
        kind = "error" if run.result is None else run.result.stopped or "error"
        ET.SubElement(case, "error", {"message": run.error or "", "type": kind}).text = run.detail
    if run.result is None:
        return
    message = f"expected {e.expect}, got {(described := outcome(run.result))}"
    if run.status == FAILED:
        ET.SubElement(case, "failure", {"message": message, "type": "expectation"})
    elif run.status == INCONCLUSIVE and strict:
        ET.SubElement(case, "failure", {"message": message, "type": "inconclusive"})
    elif run.status == INCONCLUSIVE:
        ET.SubElement(case, "skipped", {"message": message})
    ET.SubElement(case, "system-out").text = f"{described}; trials: {run.result.estimate.trials}"


@contextmanager
def writing(path: Path, what: str) -> Iterator[None]:
    """An OSError while writing the output `path` becomes the command's one-line `UsageError`."""
    try:
        yield
    except OSError as exc:
        raise UsageError(f"cannot write the {what} {path}: {exc.strerror or exc}") from None


def check_outputs(args: argparse.Namespace) -> None:
    """Before anything is played: a `UsageError` for an output of the command (`--junit`, `--out`,
    `--save-wins`) that could not be written, rather than at the end of the run (nothing is left behind)."""
    junit: Path | None = getattr(args, "junit", None)
    if junit is not None:
        with writing(junit, JUNIT):
            check_writable(junit)
    outputs = ((getattr(args, "out", None), RUN_FOLDER), (getattr(args, "save_wins", None), VECTORS_FOLDER))
    for folder, what in outputs:
        if folder is not None:
            with writing(folder, what):
                check_writable(folder, folder=True)


def _write(path: Path, text: str, what: str) -> None:
    with writing(path, what):
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, text)


# -- the commands -------------------------------------------------------------------------------------


def _conclude(report: CheckReport, args: argparse.Namespace, show: Report, extra: dict[str, Any]) -> None:
    """Print or write the results (the run command's reporting), with the check's verdict."""
    show(
        report.results,
        argparse.Namespace(**{**vars(args), "seed": report.suite.seed}),
        {**extra, **report.parameters()},
        interruption=report.interruption,
    )


def _overridden(suite: Suite, args: argparse.Namespace) -> Suite:
    """The suite with what the command line overrides: `--seed`, `--time-limit`, `--max-trials`
    (a cap on every entry's), `--entry-seconds` (every entry's cap) and `--suite-seconds`."""
    if args.seed is not None:
        suite = dataclasses.replace(suite, seed=args.seed)
    if args.time_limit is not None:
        suite = dataclasses.replace(suite, time_limit=args.time_limit)
    if args.max_trials is not None:
        entries = tuple(
            dataclasses.replace(entry, max_trials=min(entry.max_trials, args.max_trials))
            for entry in suite.entries
        )
        suite = dataclasses.replace(suite, entries=entries)
    if args.entry_seconds is not None:
        entries = tuple(dataclasses.replace(entry, seconds=args.entry_seconds) for entry in suite.entries)
        suite = dataclasses.replace(suite, entries=entries, entry_seconds=args.entry_seconds)
    if args.suite_seconds is not None:
        suite = dataclasses.replace(suite, suite_seconds=args.suite_seconds)
    return suite


def check(args: argparse.Namespace, progress: Progress, show: Report) -> int:
    """`mpgames check SUITE` (module docstring)."""
    suite = _overridden(load_suite(args.suite, args.game, args.entry), args)
    check_outputs(args)
    runs, interruption = play_suite(
        suite,
        jobs=args.jobs,
        progress=progress,
        save_wins=args.save_wins,
        isolated=args.isolated,
        executor=args.executor,
        scheduler=args.scheduler,
    )
    searches: tuple[SearchReport, ...] = ()
    if suite.fuzz is not None and interruption is None:
        searches, interruption = _fuzz(suite.fuzz, len(runs))
    report = CheckReport(suite, runs, args.strict, interruption, searches)
    if args.save_wins is not None:
        saved = sum(len(run.vectors) for run in report.runs)
        print(f"wrote {saved} vector(s) to {args.save_wins}", file=sys.stderr)
    if args.junit is not None:
        _write(args.junit, junit_xml(report), JUNIT)
    _conclude(report, args, show, {})
    for run in report.failing():
        why = "" if run.error is None else f": {run.error}"
        print(
            f"{run.status}: entry {run.number} ({run.name}), expected {run.entry.expect}{why}",
            file=sys.stderr,
        )
    print(report.summary(), file=sys.stderr)
    return report.status


def _fuzz(section: FuzzSection, entries: int) -> tuple[tuple[SearchReport, ...], Interruption | None]:
    """The suite's attack searches, one game after another; a line on stderr for each (its plan and
    trace when it found a win)."""
    from mpgames.fuzz.search import search  # Hypothesis, for the checks that search only

    done: list[SearchReport] = []
    for game in section.games:
        try:
            found = search(game, None, section.tier, budget=section.budget, seed=section.seed)
        except KeyboardInterrupt as exc:
            return tuple(done), Interruption(Interrupted.of(exc).name, entries, entries)
        done.append(found)
        outcome = "no win" if found.finding is None else "WIN"
        print(
            f"fuzz {found.game} ({found.variant}, {found.tier}): {found.plans} plans, {outcome}",
            file=sys.stderr,
        )
        if found.finding is not None:
            print(cli_fuzz.text(found), file=sys.stderr)
    return tuple(done), None


def demo(args: argparse.Namespace, progress: Progress, show: Report) -> int:
    """`mpgames demo`: src/mpgames/suites/default.toml, optionally narrowed to some games, with its table."""
    suite = load_default_suite(args.game)
    if args.max_trials is not None:
        entries = tuple(dataclasses.replace(entry, max_trials=args.max_trials) for entry in suite.entries)
        suite = dataclasses.replace(suite, entries=entries)
    if args.seed is not None:
        suite = dataclasses.replace(suite, seed=args.seed)
    check_outputs(args)
    runs, interruption = play_suite(
        suite, jobs=args.jobs, progress=progress, executor=args.executor, scheduler=args.scheduler
    )
    report = CheckReport(suite, runs, strict=False, interruption=interruption)
    _conclude(report, args, show, {"max_trials": args.max_trials})
    met = report.count(PASSED)
    print(f"{met} of {len(report.runs)} expectations met.", file=sys.stderr)
    return report.status


def saving_log(save_wins: Path | None) -> TrialLog:
    """The outcome hook of one run: with `--save-wins`, its first won trials, traced."""
    return TrialLog(keep=0 if save_wins is None else MAX_SAVED_WINS)


def _save(
    directory: Path, runs: Iterable[tuple[SuiteEntry, RunResult, TrialLog]], time_limit: float | None
) -> list[Path]:
    return [
        path
        for entry, result, log in runs
        for path in save_run_wins(
            directory, entry.game, entry.adversary, result, log.wins, time_limit=time_limit
        )
    ]


def save_wins(
    directory: Path, runs: Iterable[tuple[SuiteEntry, RunResult, TrialLog]], time_limit: float | None
) -> list[Path]:
    """`--save-wins DIR` of `mpgames run`: the vectors of every run's first won trials (from its log)."""
    written = _save(directory, runs, time_limit)
    print(f"wrote {len(written)} vector(s) to {directory}", file=sys.stderr)
    return written
