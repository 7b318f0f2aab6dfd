"""Oracles: budgeted, phase-bound, logged access to challenger code (harness §3 "Shape of a game").

An `Oracle` wraps one function of the challenger (sign, open a hash, …). Each call

1. is refused with `PhaseError` unless the adversary is running a stage the oracle is open in;
2. is refused with `BudgetExceeded` once the budget is spent;
3. is bound to the function's signature: a wrong number or name of arguments is a `MalformedQuery`;
4. runs the function. A `SchemeError` (a malformed query: the oracle answers ⊥) reaches the
   adversary, which may catch it; any other exception is a bug of the challenger and is recorded
   as such, so that the run stops even if the adversary swallows it;
5. is appended to the query log with its answer, and to the trial's transcript.

Budget and phase violations are recorded on the trial as faults as well: the trial is lost even if
the adversary catches the exception and goes on.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, NoReturn, Protocol

from games.errors import BudgetExceeded, ChallengerBug, MalformedQuery, PhaseError
from scheme.errors import SchemeError


class OracleHost(Protocol):
    """What an oracle needs from the trial it belongs to (implemented by `TrialContext`)."""

    @property
    def current_phase(self) -> str | None: ...

    def record_fault(self, exc: BaseException) -> None: ...

    def record_bug(self, exc: BaseException) -> None: ...

    def trace(self, step: str, **data: object) -> None: ...


@dataclass(frozen=True)
class Query:
    """One logged oracle call: the arguments the adversary sent and the answer it got."""

    args: tuple[object, ...]
    answer: object


class Oracle:
    """A challenger function offered to the adversary under a budget, in given phases."""

    __slots__ = ("_fn", "_host", "_log", "_signature", "budget", "name", "phases")

    def __init__(
        self,
        name: str,
        fn: Callable[..., object],
        host: OracleHost,
        *,
        budget: int | None,
        phases: Iterable[str],
    ) -> None:
        if budget is not None and (not isinstance(budget, int) or budget < 0):
            raise ValueError(f"oracle {name!r}: the budget must be a non-negative integer or None")
        self.name = name
        self.budget = budget
        self.phases = frozenset(phases)
        self._fn = fn
        self._host = host
        self._log: list[Query] = []
        self._signature = inspect.signature(fn)

    @property
    def log(self) -> tuple[Query, ...]:
        """Every answered query, in order."""
        return tuple(self._log)

    @property
    def used(self) -> int:
        return len(self._log)

    @property
    def remaining(self) -> int | None:
        """Queries left, or None for an unlimited oracle."""
        return None if self.budget is None else self.budget - len(self._log)

    def queried(self, *args: object) -> bool:
        """True iff some logged query had exactly these arguments."""
        return any(query.args == args for query in self._log)

    def __call__(self, *args: Any) -> Any:
        # 1. Only inside the stages the game opened this oracle for.
        phase = self._host.current_phase
        if phase not in self.phases:
            self._refuse(PhaseError(f"oracle {self.name!r} is closed in phase {phase!r}"))
        # 2. Only within budget.
        if self.budget is not None and len(self._log) >= self.budget:
            self._refuse(BudgetExceeded(f"oracle {self.name!r} allows {self.budget} queries"))
        # 3. Only with the arguments the oracle takes.
        try:
            self._signature.bind(*args)
        except TypeError as exc:
            raise MalformedQuery(f"oracle {self.name!r}: {exc}") from None
        # 4. Run the challenger's code: ⊥ for a malformed query, a recorded bug for anything else.
        try:
            answer = self._fn(*args)
        except SchemeError:
            raise
        except Exception as exc:
            self._host.record_bug(exc)
            raise ChallengerBug(f"oracle {self.name!r} failed: {exc!r}") from exc
        # 5. Log the query and its answer.
        self._log.append(Query(tuple(args), answer))
        self._host.trace(f"query {self.name}", args=args, answer=answer)
        return answer

    def _refuse(self, exc: BaseException) -> NoReturn:
        self._host.record_fault(exc)
        raise exc

    def __repr__(self) -> str:
        limit = "unlimited" if self.budget is None else f"{self.used}/{self.budget} used"
        return f"Oracle({self.name}, {limit})"
