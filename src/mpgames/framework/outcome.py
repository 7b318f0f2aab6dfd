"""The immutable record of one trial (harness §3 "Shape of a game", §6 transcripts).

A `TrialOutcome` says whether the trial is scored as won, summarises the adversary's output, counts
the queries per oracle, the exponentiations and hash calls (challenger and adversary together, from
`mpgames.scheme.metering`), the wall time, and, for a trial in which the adversary faulted (it raised, timed
out, overran a budget, or handed in a malformed output), the fault's type name (`error`) and its
report (`fault`: message and the adversary's own frames, mpgames.framework.faults).

A fault carries no information (harness §6a, `mpgames.framework.engine.score_fault`): a faulted trial is a
loss in a win-lose game, but in a hidden-bit or guess-1-of-n game it is scored as the challenger's uniform
guess, so `won` may be True with `error` set. Such a trial is still counted in the run's `lost`.
Outcomes are plain frozen data so that worker processes can return them and runs with any number of
jobs compare equal.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from mpgames.framework.faults import FaultReport


@dataclass(frozen=True)
class TraceEntry:
    """One step of a transcript: its name and its data, rendered as text for people (`data`, what a
    win vector's digest covers) and as typed JSON for machines (`values`, mpgames.framework.summary;
    empty for a step read back from a vector file, which keeps only the text)."""

    step: str
    data: tuple[tuple[str, str], ...] = ()
    values: tuple[tuple[str, Any], ...] = ()

    def as_dict(self) -> dict[str, object]:
        """JSON-ready: the step and its typed values (its text where it has no typed ones)."""
        return {"step": self.step, "data": dict(self.values or self.data)}

    def format(self) -> str:
        fields = ", ".join(f"{key}={value}" for key, value in self.data)
        return f"{self.step}: {fields}" if fields else self.step


@dataclass(frozen=True)
class TrialOutcome:
    """What one trial produced."""

    index: int
    won: bool  # the trial's score; for a faulted trial, as the game's kind scores a fault
    output: str  # summary of the adversary's (last) output; "" if it produced none
    queries: tuple[tuple[str, int], ...]  # (oracle name, queries answered), in creation order
    exponentiations: int
    hashes: int
    seconds: float
    error: str | None = None  # fault type name of a faulted trial, e.g. "BudgetExceeded"
    transcript: tuple[TraceEntry, ...] = ()
    # A faulted trial's report for the adversary's author: type, message, its own frames.
    fault: FaultReport | None = None

    @property
    def lost_by_fault(self) -> bool:
        """True iff the adversary faulted (counted in `lost`); in a guessing game `won` may still be True."""
        return self.error is not None

    def query_count(self, oracle: str) -> int:
        return dict(self.queries).get(oracle, 0)

    def as_dict(self) -> dict[str, object]:
        """JSON-ready (docs/schemas/replay.schema.json): queries and each step's data as objects."""
        return {
            "index": self.index,
            "won": self.won,
            "output": self.output,
            "queries": dict(self.queries),
            "exponentiations": self.exponentiations,
            "hashes": self.hashes,
            "seconds": self.seconds,
            "error": self.error,
            "fault": None if self.fault is None else self.fault.as_dict(),
            "transcript": [entry.as_dict() for entry in self.transcript],
        }

    def comparable(self) -> TrialOutcome:
        """The outcome without its wall time: what must be identical across runs and job counts."""
        return dataclasses.replace(self, seconds=0.0)
