"""A run's running counts (harness §7 "Measurement", §9 reports): what its record needs of its trials —
trials, wins, timeouts, faults by type, operation and query totals — kept as counters, so that a run
holds constant memory however many trials it plays. Outputs that need more of each trial (the wins for
a running plot, traced wins for vectors) ask for it through the engine's `on_outcome` hook. Of the
faults it keeps the first report of each type (`first_faults`, at most `MAX_FAULT_KINDS` types):
what a table, the JSON and `--traceback` show the adversary's author."""

from __future__ import annotations

from collections.abc import Iterable

from mpgames.framework.errors import TIMEOUT_KIND
from mpgames.framework.faults import FaultReport
from mpgames.framework.outcome import TrialOutcome

# Fault types whose first report a run keeps (an adversary may raise a new class in every trial).
MAX_FAULT_KINDS = 16


class Tally:
    """Counters over the trials of one run, in the order they were counted."""

    __slots__ = ("exponentiations", "first_faults", "hashes", "lost", "queries", "trials", "wins")

    def __init__(self) -> None:
        self.trials = self.wins = self.exponentiations = self.hashes = 0
        self.lost: dict[str, int] = {}
        self.queries: dict[str, int] = {}
        # fault type -> (index of its first trial, its report)
        self.first_faults: dict[str, tuple[int, FaultReport]] = {}

    @classmethod
    def of(cls, outcomes: Iterable[TrialOutcome]) -> Tally:
        tally = cls()
        for outcome in outcomes:
            tally.add(outcome)
        return tally

    def add(self, outcome: TrialOutcome) -> None:
        self.trials += 1
        self.wins += outcome.won
        self.exponentiations += outcome.exponentiations
        self.hashes += outcome.hashes
        if outcome.error is not None:
            self.lost[outcome.error] = self.lost.get(outcome.error, 0) + 1
            report = outcome.fault
            kept = self.first_faults
            if report is not None and report.kind not in kept and len(kept) < MAX_FAULT_KINDS:
                kept[report.kind] = (outcome.index, report)
        for name, used in outcome.queries:
            self.queries[name] = self.queries.get(name, 0) + used

    @property
    def timeouts(self) -> int:
        """Trials lost to the time limit."""
        return self.lost.get(TIMEOUT_KIND, 0)

    def mean_queries(self) -> dict[str, float]:
        return {name: total / self.trials for name, total in self.queries.items()}
