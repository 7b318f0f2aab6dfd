"""The result record of one run (harness spec §7 and §9): what was played, the estimate, the cost.

A `RunResult` is immutable and JSON-ready through `as_dict` (versioned by `SCHEMA_VERSION`); `from_dict`
reads it back and recomputes the estimate from its counts, so a stored verdict cannot drift from the
numbers it stands on.

A run cut short before its verdict was decided and before its trial cap keeps the trials it played
and says why it stopped (`RunResult.stopped`): `TIMED_OUT` (its trials kept hitting the time limit,
or it reached its wall-clock cap) or `INTERRUPTED` (a signal). Such a record is never judged against
its expectation. An `Interruption` describes a command that a signal stopped between or in its runs.
"""

from __future__ import annotations

import dataclasses
import math
import signal
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from mpgames.measure.estimation import Estimate
from mpgames.measure.verdicts import Kind, Verdict
from mpgames.scheme.integers import checked_int

# Version of the JSON layout of results.json and manifest.json; bump on any incompatible change.
# Version 3 added `seeds`, the seed derivation of the run's trials; a version-2 record, which has
# none, is read as played with derivation 1 (mpgames.framework.seeds).
SCHEMA_VERSION = 3
_SEEDS_OF_VERSION_2 = 1
TRUSTED, ISOLATED = "trusted", "isolated"
TRUST_MODES = (TRUSTED, ISOLATED)

# What the verdict column shows for a run whose every trial faulted (RunResult.all_faulted).
ALL_FAULTED = "all trials faulted"
# Why a run stopped early (RunResult.stopped), as the verdict column shows it.
TIMED_OUT = "timed out"
INTERRUPTED = "interrupted"
STOPS = (TIMED_OUT, INTERRUPTED)

TIERS = ("toy", "standard")
EXPECTATIONS = (Verdict.BROKEN.value, Verdict.BOUNDED.value)


def _frozen_counts(counts: Mapping[str, float], what: str, *, integral: bool) -> Mapping[str, Any]:
    """A read-only, key-sorted copy of a name -> non-negative number mapping."""
    if not isinstance(counts, Mapping):
        raise ValueError(f"{what} must be a mapping of names to numbers, got {type(counts).__name__}")
    for name, value in counts.items():
        if not isinstance(name, str) or not name:
            raise ValueError(f"{what}: names must be non-empty strings, got {name!r}")
        _check_amount(value, f"{what}[{name!r}]", integral=integral)
    return MappingProxyType(dict(sorted(counts.items())))


def _check_amount(value: float, what: str, *, integral: bool = False) -> None:
    if integral:
        checked_int(value, what, minimum=0, error=ValueError)
    elif (
        isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or value < 0
    ):
        raise ValueError(f"{what} must be a finite non-negative number, got {value!r}")


def _frozen_faults(faults: Mapping[str, Any]) -> Mapping[str, Any]:
    """A read-only copy of fault type -> the report of its first trial: {"trial": index, "message":
    text, "at": "file.py:31 in attack" or "", "frames": [{"file", "line", "function"}, …]}."""
    if not isinstance(faults, Mapping):
        raise ValueError(f"faults must be a mapping of fault types to reports, got {type(faults).__name__}")
    frozen = {}
    for kind, report in faults.items():
        if not (isinstance(kind, str) and kind and isinstance(report, Mapping)):
            raise ValueError(f"faults: {kind!r} must map a fault type to its report")
        if set(report) != {"trial", "message", "at", "frames"}:
            raise ValueError(f"faults[{kind!r}] must have exactly trial, message, at and frames")
        checked_int(report["trial"], f"faults[{kind!r}].trial", minimum=0, error=ValueError)
        if not (isinstance(report["message"], str) and isinstance(report["at"], str)):
            raise ValueError(f"faults[{kind!r}]: message and at must be strings")
        frames = report["frames"]
        if not isinstance(frames, list | tuple) or not all(_is_frame(frame) for frame in frames):
            raise ValueError(f"faults[{kind!r}].frames must be a list of {{file, line, function}}")
        frozen[kind] = MappingProxyType(
            {**report, "frames": tuple(MappingProxyType(dict(f)) for f in frames)}
        )
    return MappingProxyType(dict(sorted(frozen.items())))


def _is_frame(frame: object) -> bool:
    return (
        isinstance(frame, Mapping)
        and set(frame) == {"file", "line", "function"}
        and isinstance(frame["file"], str)
        and type(frame["line"]) is int
        and isinstance(frame["function"], str)
    )


@dataclass(frozen=True)
class RunResult:
    """One (game, variant, adversary, tier) run.

    `lost` counts the trials in which the adversary faulted (exception type name -> count); they are
    included in `estimate.trials`, as trials not won in a win-lose game and as the challenger's
    uniform guess in a guessing game (harness §6a). The means are per trial; `mean_queries` is per
    oracle. `stopped` is None for a run that ended at a decided verdict or at its trial cap, else
    one of `STOPS` (module notes).
    """

    game: str
    variant: str
    adversary: str
    tier: str
    group: str
    expect: str | None
    estimate: Estimate
    lost: Mapping[str, int]
    seed: str
    seconds: float
    mean_exponentiations: float
    mean_hashes: float
    mean_queries: Mapping[str, float]
    # How the adversary ran (harness §6a): "trusted", in the challenger's process with coins from
    # the public seed, or "isolated", in a process of its own against coins from a secret run key,
    # which is published here (hex) once the run is over.
    trust: str = TRUSTED
    run_key: str | None = None
    stopped: str | None = None
    # True iff the run asked for a group other than the game's group for its tier (`--group`, a
    # suite entry's `group`): the table then names it beside the tier.
    group_chosen: bool = False
    # The seed derivation its trials were played with (mpgames.framework.seeds): what
    # `mpgames replay --seeds` takes to play one of them again.
    seeds: int = 2
    # The first report of each fault type, for the adversary's author (mpgames.framework.faults).
    faults: Mapping[str, Any] = dataclasses.field(default_factory=dict)

    def __post_init__(self) -> None:
        for name in ("game", "variant", "adversary", "group", "seed"):
            value = getattr(self, name)
            if not isinstance(value, str) or not value:
                raise ValueError(f"{name} must be a non-empty string, got {value!r}")
        if self.tier not in TIERS:
            raise ValueError(f"tier must be one of {TIERS}, got {self.tier!r}")
        if self.expect is not None and self.expect not in EXPECTATIONS:
            raise ValueError(f"expect must be one of {EXPECTATIONS} or None, got {self.expect!r}")
        if self.stopped is not None and self.stopped not in STOPS:
            raise ValueError(f"stopped must be one of {STOPS} or None, got {self.stopped!r}")
        if not isinstance(self.estimate, Estimate):
            raise ValueError(f"estimate must be an Estimate, got {type(self.estimate).__name__}")
        object.__setattr__(self, "expect", None if self.expect is None else str(self.expect))
        object.__setattr__(self, "lost", _frozen_counts(self.lost, "lost", integral=True))
        object.__setattr__(
            self, "mean_queries", _frozen_counts(self.mean_queries, "mean_queries", integral=False)
        )
        # A fault is a loss in a win-lose game; in a guessing game it is scored as a uniform guess
        # (harness §6a), so a faulted trial may count as won there.
        if self.estimate.kind is Kind.WIN_LOSE:
            not_won = self.estimate.trials - self.estimate.wins
            if self.lost_total > not_won:
                raise ValueError(f"{self.lost_total} faulted trials exceed the {not_won} trials not won")
        elif self.lost_total > self.estimate.trials:
            raise ValueError(f"{self.lost_total} faulted trials exceed the {self.estimate.trials} trials")
        for name in ("seconds", "mean_exponentiations", "mean_hashes"):
            _check_amount(getattr(self, name), name)
        if self.trust not in TRUST_MODES:
            raise ValueError(f"trust must be one of {TRUST_MODES}, got {self.trust!r}")
        if self.run_key is not None and not _is_hex_key(self.run_key):
            raise ValueError("run_key must be 64 hexadecimal digits or None")
        if type(self.group_chosen) is not bool:
            raise ValueError(f"group_chosen must be a bool, got {type(self.group_chosen).__name__}")
        object.__setattr__(self, "seeds", checked_int(self.seeds, "seeds", minimum=1, error=ValueError))
        object.__setattr__(self, "faults", _frozen_faults(self.faults))
        if not set(self.faults) <= set(self.lost):
            raise ValueError("faults names a fault type that lost no trial")

    @property
    def place(self) -> str:
        """The tier, and the group when the run chose one (`place`)."""
        return place(self.tier, self.group if self.group_chosen else None)

    @property
    def lost_total(self) -> int:
        return sum(self.lost.values())

    @property
    def all_faulted(self) -> bool:
        """True iff it played trials and the adversary faulted in every one: its estimate measures
        the fault scoring (a loss, or the challenger's guess), not the adversary."""
        return self.estimate.trials > 0 and self.lost_total == self.estimate.trials

    @property
    def expectation_met(self) -> bool | None:
        """True/False when a decided verdict matches/contradicts `expect`.

        None when there is nothing to judge: no expectation, a run that stopped early, a run whose
        every trial faulted, or an inconclusive verdict (which a suite reports, and fails on only
        in strict mode).
        """
        if (
            self.expect is None
            or self.stopped is not None
            or self.all_faulted
            or self.estimate.verdict is Verdict.INCONCLUSIVE
        ):
            return None
        return self.estimate.verdict.value == self.expect

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready, with `schema_version` and the derived fields a reader wants next to the counts."""
        return {
            "schema_version": SCHEMA_VERSION,
            "game": self.game,
            "variant": self.variant,
            "adversary": self.adversary,
            "tier": self.tier,
            "group": self.group,
            "group_chosen": self.group_chosen,
            "expect": self.expect,
            "expectation_met": self.expectation_met,
            "estimate": self.estimate.as_dict(),
            "lost": dict(self.lost),
            "lost_total": self.lost_total,
            "all_faulted": self.all_faulted,
            "faults": {
                kind: {**report, "frames": [dict(frame) for frame in report["frames"]]}
                for kind, report in self.faults.items()
            },
            "seed": self.seed,
            "seeds": self.seeds,
            "seconds": self.seconds,
            "mean_exponentiations": self.mean_exponentiations,
            "mean_hashes": self.mean_hashes,
            "mean_queries": dict(self.mean_queries),
            "trust": self.trust,
            "run_key": self.run_key,
            "stopped": self.stopped,
        }

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle as the record `as_dict` gives (its read-only mappings do not pickle themselves)."""
        return RunResult.from_dict, (self.as_dict(),)

    @property
    def verdict(self) -> str:
        """What the verdict column shows: why the run stopped early, ALL_FAULTED when every trial
        faulted, else the estimate's verdict."""
        return self.stopped or (ALL_FAULTED if self.all_faulted else self.estimate.verdict.value)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RunResult:
        """Read back `as_dict` output of this schema version or the one before; the estimate is
        recomputed."""
        if not isinstance(data, Mapping):
            raise ValueError(f"a run result must be a JSON object, got {type(data).__name__}")
        version = data.get("schema_version")
        if version == SCHEMA_VERSION - 1 and "seeds" not in data:
            data = {**data, "seeds": _SEEDS_OF_VERSION_2}
        elif version != SCHEMA_VERSION:
            raise ValueError(
                f"run result has schema version {version!r}; this reader knows {SCHEMA_VERSION - 1} "
                f"and {SCHEMA_VERSION}"
            )
        fields = dataclasses.fields(cls)
        missing = [
            f.name
            for f in fields
            if f.name not in data
            and f.default is dataclasses.MISSING
            and f.default_factory is dataclasses.MISSING
        ]
        if missing:
            raise ValueError(f"run result lacks {', '.join(missing)}")
        values = {f.name: data[f.name] for f in fields if f.name in data}
        return cls(**{**values, "estimate": Estimate.from_dict(values["estimate"])})


def place(tier: str, group: str | None) -> str:
    """Where a run or a suite entry plays, as tables and names show it: the tier, and a group other
    than the game's own beside it ("standard (secp256k1)")."""
    return tier if group is None else f"{tier} ({group})"


def _is_hex_key(text: object) -> bool:
    return type(text) is str and len(text) == 64 and all(c in "0123456789abcdef" for c in text)


@dataclass(frozen=True)
class Interruption:
    """A command stopped by a signal: its name, and how many of its runs had ended before it came."""

    signal_name: str  # "SIGINT" or "SIGTERM"
    finished: int
    runs: int

    def __post_init__(self) -> None:
        if self.signal_name not in signal.Signals.__members__:
            raise ValueError(f"signal_name must name a signal such as 'SIGINT', got {self.signal_name!r}")
        checked_int(self.runs, "runs", minimum=1, error=ValueError)
        checked_int(self.finished, "finished", minimum=0, maximum=self.runs, error=ValueError)

    @property
    def status(self) -> int:
        """The exit status of a command ended by the signal: 128 + its number (130, 143)."""
        return 128 + signal.Signals[self.signal_name]

    def describe(self) -> str:
        return f"interrupted by {self.signal_name} after {self.finished} of {self.runs} entries"
