"""Oracles: budgeted, phase-bound, logged access to challenger code (harness §3 "Shape of a game").

An `Oracle` wraps one function of the challenger (sign, open a hash, …). Each call

1. is refused with `PhaseError` unless the adversary is running a stage the oracle is open in;
2. is refused with `BudgetExceeded` once the budget is spent;
3. is bound to the function's signature: a wrong number or name of arguments is a `MalformedQuery`;
   each argument is then converted to the type the function declares for it (mpgames.framework.checks: a fresh
   object of the challenger's own exact types, every `Group` the trial's group), and only that copy
   reaches the function, the log and the transcript; an argument that cannot be converted is a
   `MalformedQuery`. A function whose parameters do not all declare a convertible type is refused
   when the oracle is made (`ChallengerBug`), so a game cannot forget the conversion;
4. runs the function. A `SchemeError` (a malformed query: the oracle answers ⊥) reaches the
   adversary, which may catch it; any other exception is a bug of the challenger and is recorded
   as such, so that the run stops even if the adversary swallows it;
5. is appended to the query log with its answer, and to the trial's transcript; the adversary
   receives a deep copy of the answer, so rewriting what it received (`object.__setattr__` on a
   frozen answer) cannot change what the log, and the win predicate reading it, holds.

Budget and phase violations are recorded on the trial as faults as well: the trial is lost even if
the adversary catches the exception and goes on.
"""

from __future__ import annotations

import copy
import inspect
import typing
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Generic, NoReturn, ParamSpec, Protocol, TypeVar

from mpgames.framework.checks import expect_query
from mpgames.framework.errors import BudgetExceeded, ChallengerBug, MalformedQuery, PhaseError
from mpgames.scheme.errors import SchemeError
from mpgames.scheme.groups import Group
from mpgames.scheme.revalidate import check_declared


class OracleHost(Protocol):
    """What an oracle needs from the trial it belongs to (implemented by `TrialContext`)."""

    @property
    def current_phase(self) -> str | None: ...

    @property
    def group(self) -> Group: ...

    def record_fault(self, exc: BaseException) -> None: ...

    def record_bug(self, exc: BaseException) -> None: ...

    def trace(self, step: str, **data: object) -> None: ...


# An oracle's arguments and its answers: the parameters of its challenger function and what it returns.
P = ParamSpec("P")
A = TypeVar("A")


@dataclass(frozen=True)
class Query(Generic[A]):
    """One logged oracle call: the arguments the adversary sent and the answer it got."""

    args: tuple[object, ...]
    answer: A


class Oracle(Generic[P, A]):
    """A challenger function offered to the adversary under a budget, in given phases.

    `Oracle[[bytes], Signature]` takes a message and answers a signature: a view record declares
    each oracle it holds so (mpgames.framework.view).
    """

    __slots__ = ("_answer", "_fn", "_host", "_log", "_signature", "_types", "budget", "name", "phases")

    def __init__(
        self,
        name: str,
        fn: Callable[P, A],
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
        # Called with the converted arguments, which the signature bound (step 3 of the docstring).
        self._fn: Callable[..., A] = fn
        self._host = host
        self._log: list[Query[A]] = []
        self._signature, self._types, self._answer = _declaration(name, fn)

    @property
    def log(self) -> tuple[Query[A], ...]:
        """Every answered query, in order."""
        return tuple(self._log)

    @property
    def parameter_types(self) -> tuple[Any, ...]:
        """The declared type of each parameter, in order: what an argument is converted to."""
        return tuple(self._types.values())

    @property
    def answer_type(self) -> Any:
        """The declared type of its answers (its function's return type)."""
        return self._answer

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

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> A:
        # 1. Only inside the stages the game opened this oracle for.
        phase = self._host.current_phase
        if phase not in self.phases:
            self._refuse(PhaseError(f"oracle {self.name!r} is closed in phase {phase!r}"))
        # 2. Only within budget.
        if self.budget is not None and len(self._log) >= self.budget:
            self._refuse(BudgetExceeded(f"oracle {self.name!r} allows {self.budget} queries"))
        # 3. Only with the arguments the oracle takes, each converted to the challenger's own type.
        try:
            bound = self._signature.bind(*args, **kwargs)
        except TypeError as exc:
            raise MalformedQuery(f"oracle {self.name!r}: {exc}") from None
        group = self._host.group
        converted = tuple(
            expect_query(value, self._types[name], f"oracle {self.name!r} argument {name}", group)
            for name, value in bound.arguments.items()
        )
        # 4. Run the challenger's code: ⊥ for a malformed query, a recorded bug for anything else.
        try:
            answer = self._fn(*converted)
        except SchemeError:
            raise
        except Exception as exc:
            self._host.record_bug(exc)
            raise ChallengerBug(f"oracle {self.name!r} failed: {exc!r}") from exc
        # 5. Log the query and its answer.
        self._log.append(Query(converted, answer))
        self._host.trace(f"query {self.name}", args=converted, answer=answer)
        return copy.deepcopy(answer)

    def __deepcopy__(self, memo: dict[int, object]) -> Oracle[P, A]:
        """An oracle is the challenger's handle, not a value: copying a view keeps the same oracle."""
        return self

    def _refuse(self, exc: BaseException) -> NoReturn:
        self._host.record_fault(exc)
        raise exc

    def __repr__(self) -> str:
        limit = "unlimited" if self.budget is None else f"{self.used}/{self.budget} used"
        return f"Oracle({self.name}, {limit})"


def _declaration(name: str, fn: Callable[..., object]) -> _Declaration:
    """The signature of an oracle function and the declared types of its parameters and answer,
    worked out once per function definition: a game defines its oracle functions inside the
    experiment, so each trial makes new function objects of the same code, defaults and (string)
    annotations, which resolve in the same module to the same signature and types."""
    key = _definition(fn)
    found = None if key is None else _DECLARED.get(key)
    if found is None:
        signature = inspect.signature(fn)
        found = (signature, *_declared_types(name, fn, signature))
        if key is not None:
            _DECLARED[key] = found
    return found


def _definition(fn: Callable[..., object]) -> tuple[object, ...] | None:
    """What the signature and types of `fn` depend on, hashable; None where that cannot be told."""
    function = inspect.unwrap(getattr(fn, "__func__", fn))
    code = getattr(function, "__code__", None)
    annotations = getattr(function, "__annotations__", None)
    if code is None or not isinstance(annotations, dict):
        return None
    kwdefaults = getattr(function, "__kwdefaults__", None) or {}
    key = (
        code,
        hasattr(fn, "__self__"),  # a bound method's signature leaves out its first parameter
        getattr(function, "__defaults__", None),
        tuple(kwdefaults.items()),
        tuple(annotations.items()),
    )
    try:
        hash(key)
    except TypeError:
        return None
    return key


# An oracle function's signature, its parameters' declared types and its answer's.
_Declaration = tuple[inspect.Signature, dict[str, Any], Any]
# Declarations by function definition; bounded by the oracle functions defined.
_DECLARED: dict[tuple[object, ...], _Declaration] = {}


def _declared_types(
    name: str, fn: Callable[..., object], signature: inspect.Signature
) -> tuple[dict[str, Any], Any]:
    """The declared type of each parameter of an oracle function, and of its answer; `ChallengerBug`
    unless every parameter is positional and declares a type the boundary converts (not `object`,
    not `Any`), and the function declares what it returns."""
    try:
        hints = typing.get_type_hints(fn)
    except Exception as exc:
        raise ChallengerBug(f"oracle {name!r}: its parameter types cannot be resolved: {exc!r}") from exc
    types: dict[str, Any] = {}
    for parameter in signature.parameters.values():
        if parameter.kind not in (parameter.POSITIONAL_ONLY, parameter.POSITIONAL_OR_KEYWORD):
            raise ChallengerBug(f"oracle {name!r}: parameter {parameter.name} must be positional")
        if parameter.name not in hints:
            raise ChallengerBug(f"oracle {name!r}: parameter {parameter.name} declares no type")
        hint = hints[parameter.name]
        try:
            check_declared(hint)
        except TypeError as exc:
            raise ChallengerBug(f"oracle {name!r}: parameter {parameter.name}: {exc}") from None
        types[parameter.name] = hint
    if "return" not in hints:
        raise ChallengerBug(f"oracle {name!r}: its function declares no return type")
    return types, hints["return"]
