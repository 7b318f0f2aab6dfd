"""Exceptions of the game framework (harness §3 "Shape of a game", §10 "Errors and bad input").

Three families, kept apart so that a run can tell who is at fault:

* adversary faults: `BudgetExceeded`, `PhaseError`, `TrialTimeout` and the malformed-input errors
  `MalformedQuery` / `MalformedOutput` (both `SchemeError`s). Any of them, like any exception the
  adversary raises itself, makes the trial a loss that is counted by type; `AdversaryFault` carries
  it from the place it happened to the engine.
* `ChallengerBug`: the challenger itself failed. It is never turned into a lost trial: the run stops.
* `UsageError`: bad input on the command line (unknown id, adversary not targeting the game, …);
  the CLI prints its message as one line and exits with status 2.

Apart from these, `Interrupted` stops a whole command on SIGINT or SIGTERM: the engine ends its
workers and hands on what the run had played, the command writes its partial outputs.
"""

from __future__ import annotations

import signal

from mpgames.measure.records import RunResult
from mpgames.scheme.errors import SchemeError


class UsageError(Exception):
    """A request the user can fix: unknown game, variant, tier or adversary, or a bad number."""


class WorkerDied(UsageError):
    """A worker process ended without an answer (the adversary's code called `os._exit` or crashed
    the interpreter): the run cannot be completed, and its command fails (status 2)."""


class BudgetExceeded(Exception):
    """The adversary called an oracle more often than the game's budget allows."""


class PhaseError(Exception):
    """The adversary called an oracle outside the phase in which the game offers it."""


class TrialTimeout(BaseException):
    """The adversary ran past the per-trial time limit.

    A `BaseException`, so that an adversary's `except Exception` cannot swallow the timeout.
    """


class Interrupted(KeyboardInterrupt):
    """SIGINT or SIGTERM stopped the command (a plain `KeyboardInterrupt` counts as SIGINT: `of`).

    A `KeyboardInterrupt`, so that no `except Exception` (an adversary's, or the check's around one
    entry) mistakes it for a failure and carries on, and so that whatever treats Ctrl-C as the user's
    wish to stop (pytest, around the pytest plugin) treats SIGTERM alike. `Engine.run` sets `partial`
    to the record of the trials its run had completed (None if it had completed none).
    """

    def __init__(self, signal_number: int) -> None:
        super().__init__(signal_number)
        self.signal_number = signal_number
        self.partial: RunResult | None = None

    @classmethod
    def of(cls, exc: BaseException) -> Interrupted:
        """`exc` itself, or for a `KeyboardInterrupt` an `Interrupted` by SIGINT."""
        return exc if isinstance(exc, Interrupted) else cls(signal.SIGINT)

    @property
    def name(self) -> str:
        return signal.Signals(self.signal_number).name

    @property
    def status(self) -> int:
        """The exit status of a process ended by the signal: 128 + its number (130, 143)."""
        return 128 + self.signal_number


class MalformedQuery(SchemeError):
    """An oracle query of the wrong shape or type (the oracle answers ⊥ by raising this)."""


class MalformedOutput(SchemeError):
    """The adversary's output does not have the shape the game expects."""


# What the adversary's code may raise and lose its trial by: any exception, the time limit, and the
# exits an ordinary `except Exception` lets through (`sys.exit`, a generator closed under it). A
# KeyboardInterrupt (and so an `Interrupted`, SIGTERM's too) is the user's, and stops the run.
ADVERSARY_ERRORS: tuple[type[BaseException], ...] = (Exception, TrialTimeout, SystemExit, GeneratorExit)


class AdversaryFault(Exception):
    """Carries an adversary-side exception to the engine: the trial is faulted and counted by `kind`
    (a loss in a win-lose game, the challenger's uniform guess in a guessing game: engine.score_fault)."""

    def __init__(self, cause: BaseException) -> None:
        self.cause = cause
        # Its type's name only: the cause's message may be the adversary's code (its class's
        # `__str__`), read under a time limit where a fault is reported (mpgames.framework.faults).
        super().__init__(fault_kind(cause))

    @property
    def kind(self) -> str:
        return fault_kind(self.cause)


class AdversaryRaised(Exception):
    """An exception raised in an isolated adversary's process, known by its type's name, its message
    and the frames of the adversary's code its process reported (mpgames.framework.faults.Frame)."""

    def __init__(self, kind: str, detail: str, frames: tuple[object, ...] = ()) -> None:
        super().__init__(detail)
        self.kind = kind
        self.frames = frames


class ChallengerBug(Exception):
    """The challenger (game code or an oracle implementation) raised: a bug, never a lost trial."""


# The name a trial lost to the time limit is counted under (TrialOutcome.error, RunResult.lost).
TIMEOUT_KIND = "Timeout"


def fault_kind(exc: BaseException) -> str:
    """The name a lost trial is counted under: the exception type, `TIMEOUT_KIND` for the time limit."""
    if isinstance(exc, AdversaryRaised):
        return exc.kind
    return TIMEOUT_KIND if isinstance(exc, TrialTimeout) else type(exc).__name__
