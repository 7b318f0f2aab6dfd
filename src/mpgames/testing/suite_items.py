"""A suite file's entries as pytest items (harness §8; docs/pytest-plugin.md, "Suites as pytest items").

`SuiteFile` is the collector of one suite file: it reads the file with the suite parser of
`mpgames check` (a malformed file is pytest's collection error with the parser's one line) and
yields one `EntryItem` per entry, named `GAME/VARIANT/ADVERSARY/PLACE`, then one `CalibrationItem`.

The family is the entries of the file that remain selected after pytest's own selection (`-k`,
`-m`, `--lf`, node ids): read from `session.items` when the first item of the file runs in this
process, then played once and decided exactly as `mpgames check FILE --entry N …` decides those
entries (`mpgames.cli.check.play_suite`: every entry at α/(2m), then Holm over 2m hypotheses, m the
family's size). Each item reports its own entry with the check's statuses: passed, failed,
inconclusive (skipped, or failed with `--mpgames-strict`), error (failed). The calibration item
passes iff the family shows calibration as the check requires.

This module is imported by the plugin only when a suite file is collected.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any

import pytest

from mpgames.cli.check import (
    CALIBRATION_FAILURE,
    ERROR,
    INCONCLUSIVE,
    PASSED,
    CheckReport,
    EntryRun,
    outcome,
    play_suite,
)
from mpgames.framework.errors import UsageError
from mpgames.suites.demo import SuiteEntry
from mpgames.suites.files import Suite, load_suite

# The prefix of the items' `user_properties` (so of JUnit's <property> names).
PROPERTY = "mpgames"


def entry_id(entry: SuiteEntry) -> str:
    """An entry's item name: unique in a suite file (the parser refuses repeats), readable by `-k`."""
    return f"{entry.game.id}/{entry.variant}/{entry.adversary.id}/{entry.place}"


def _quiet(total: int, label: str) -> AbstractContextManager[Callable[[int], object] | None]:
    """No progress bar: pytest's own output reports the items."""
    return nullcontext(None)


class SuiteFile(pytest.File):
    """A suite file given to pytest; its entries are the items, played as one family."""

    suite: Suite
    _report: CheckReport | None = None
    _numbers: list[int]  # the family: numbers in the file, from 1, of the entries pytest kept

    def collect(self) -> Iterator[pytest.Item]:
        try:
            self.suite = load_suite(self.path)
        except UsageError as exc:  # the parser's one line (SuiteError), or an adversary plugin's
            raise self.CollectError(str(exc)) from None
        for number, entry in enumerate(self.suite.entries, 1):
            yield EntryItem.from_parent(self, name=entry_id(entry), number=number, entry=entry)
        yield CalibrationItem.from_parent(self, name="calibration")

    def report(self) -> CheckReport:
        """The family's check report, played the first time an item asks (module docstring)."""
        if self._report is None:
            kept = self.session.items
            self._numbers = sorted({i.number for i in kept if isinstance(i, EntryItem) and i.parent is self})
            self._report = self._play(self._numbers)
        return self._report

    def run_of(self, number: int) -> tuple[EntryRun, CheckReport]:
        """Entry `number`'s run (it is in the family, since its item runs) and the family's report."""
        report = self.report()
        return report.runs[self._numbers.index(number)], report

    def _play(self, numbers: list[int]) -> CheckReport:
        config = self.config
        strict = bool(config.getoption("mpgames_strict"))
        if not numbers:  # only the calibration item is selected: an empty family shows nothing
            return CheckReport(self.suite, (), strict)
        suite = load_suite(self.path, numbers=numbers, calibrated=False)
        seed = config.getoption("mpgames_seed")
        if seed is not None:  # as `mpgames check --seed`
            suite = dataclasses.replace(suite, seed=str(seed))
        runs, interruption = play_suite(suite, jobs=config.getoption("mpgames_jobs"), progress=_quiet)
        if interruption is not None:  # Ctrl-C: pytest ends the session, as it does for a test
            raise KeyboardInterrupt
        return CheckReport(suite, runs, strict)


def _family(report: CheckReport) -> list[tuple[str, object]]:
    suite = report.suite
    return [
        (f"{PROPERTY} suite", suite.name),
        (f"{PROPERTY} seed", suite.seed),
        (f"{PROPERTY} alpha", repr(suite.alpha)),
        (f"{PROPERTY} family", str(len(report.runs))),
        (f"{PROPERTY} strict", str(report.strict).lower()),
    ]


class _SuiteItem(pytest.Item):
    """An item of a suite file."""

    @property
    def suite_file(self) -> SuiteFile:
        assert isinstance(self.parent, SuiteFile)
        return self.parent

    def describe(self) -> str:
        return self.name

    def reportinfo(self) -> tuple[Path, int | None, str]:
        # The headline of a failure. Not a suffix of the node id: pytest would show its dots as "::".
        return self.path, None, f"suite {self.suite_file.suite.name}: {self.describe()}"


class EntryItem(_SuiteItem):
    """One entry of a suite file: passes iff the check would count it passed."""

    def __init__(self, *, number: int, entry: SuiteEntry, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.number = number
        self.entry = entry

    def describe(self) -> str:
        return f"entry {self.number} ({self.name})"

    def runtest(self) -> None:
        run, report = self.suite_file.run_of(self.number)
        self.user_properties += [*_family(report), *_properties(run, self.number)]
        if run.status == PASSED:
            return
        message = _message(run, report)
        if run.status == INCONCLUSIVE and not report.strict:
            pytest.skip(message)
        pytest.fail(message, pytrace=False)


class CalibrationItem(_SuiteItem):
    """The suite's calibration: some entry of the family passed as broken and one as bounded."""

    def runtest(self) -> None:
        report = self.suite_file.report()
        self.user_properties += _family(report)
        if not report.calibration_shown:
            pytest.fail(f"{report.suite.name}: calibration not shown: {CALIBRATION_FAILURE}", pytrace=False)


def _properties(run: EntryRun, number: int) -> list[tuple[str, object]]:
    """The entry's record as `mpgames check --json` prints it (with its number in the file rather
    than in the family), its verdict and wording."""
    record = {**run.record(), "entry": number, "vectors": None}
    result = run.result
    if result is not None:
        record |= {"verdict": result.verdict, "estimate": result.estimate.describe()}
        record |= {"trials": result.estimate.trials, "wins": result.estimate.wins}
    return [(f"{PROPERTY} {key}", str(value)) for key, value in record.items() if value is not None]


def _message(run: EntryRun, report: CheckReport) -> str:
    """One paragraph: the entry, what it expected, what it got, and the family's budget."""
    suite = report.suite
    family = f"suite {suite.name!r} (α = {suite.alpha} over {len(report.runs)} entries, Holm)"
    got = None if run.result is None else outcome(run.result)
    said = f"expected {run.entry.expect}" + ("" if got is None else f", got {got}")
    why = "" if run.status != ERROR or run.error is None else f"; {run.error}"
    level = "" if run.result is None else f"level {run.result.estimate.thresholds.alpha:.3g} in "
    detail = f"\n{run.detail}" if run.detail else ""
    return f"{run.name}: {run.status}: {said}{why}; {level}{family}{detail}"
