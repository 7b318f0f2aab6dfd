"""The trial context `ctx` a game's experiment runs in (harness §3 "Shape of a game", §6, §10).

The context is the challenger's side of one trial. It holds the variant, tier and group, the
challenger's random generator, and it builds what the experiment needs:

* `ctx.oracle(name, fn)` wraps challenger code as an `Oracle` with the budget the game declares;
* `ctx.play(adversary.attack, view, returns=Forgery)` runs one adversary stage with the adversary's
  own generator, under the time limit, converts its output to the declared type (mpgames.framework.checks: a
  fresh object of the challenger's exact types; `returns=None` for a stage whose output the game
  never reads) and turns whatever goes wrong on the adversary's side into an `AdversaryFault` (the
  trial is faulted and counted by type: engine.score_fault); a multi-stage game names each stage,
  `ctx.play(adversary.guess, view, returns=int, phase="guess")`. The view must be a record of the
  type the game's boundary declares for the stage (`Game.boundary()`), and `returns` the output type
  it declares: a game whose experiment drifts from its declaration is a `ChallengerBug`;
* `ctx.judge(predicate, ...)` evaluates the win predicate: a `SchemeError` raised while judging
  the adversary's output (a malformed forgery, an out-of-range scalar) is the adversary's loss;
* `ctx.trace(step, **data)` appends a step to the transcript (kept only when tracing).

Only adversary-side failures become faulted trials. An exception of the challenger's own code (in
the experiment, or inside an oracle even if the adversary catches it) is a `ChallengerBug` and
stops the run.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar, overload

from mpgames.framework import errors
from mpgames.framework.checks import expect_output
from mpgames.framework.errors import AdversaryFault, ChallengerBug, MalformedOutput
from mpgames.framework.isolation.host import RemoteStage
from mpgames.framework.oracles import Oracle
from mpgames.framework.outcome import TraceEntry
from mpgames.framework.summary import json_value, summarize
from mpgames.framework.timelimit import call_with_limit
from mpgames.framework.view import View
from mpgames.scheme.errors import SchemeError
from mpgames.scheme.groups import Group
from mpgames.scheme.randomness import RandomSource

if TYPE_CHECKING:
    from typing_extensions import TypeForm

    from mpgames.framework.base import Stage, Variant

# The stage name of a single-stage adversary (`attack`); oracles are open in it by default.
ATTACK = "attack"

T = TypeVar("T")
A = TypeVar("A")
P = ParamSpec("P")
V = TypeVar("V", bound=View)


class TrialContext:
    """The challenger's side of one trial."""

    # Marks the context as challenger state: a `View` refuses to carry it.
    is_challenger_object = True

    __slots__ = (
        "_adversary_rng",
        "_adversary_seconds",
        "_boundary",
        "_budgets",
        "_bug",
        "_fault",
        "_oracles",
        "_phase",
        "_time_limit",
        "_tracing",
        "_transcript",
        "group",
        "index",
        "output_summary",
        "rng",
        "tier",
        "variant",
    )

    def __init__(
        self,
        *,
        variant: Variant,
        tier: str,
        group: Group,
        index: int,
        rng: RandomSource,
        adversary_rng: RandomSource,
        budgets: Mapping[str, int],
        boundary: Mapping[str, Stage],
        time_limit: float | None = None,
        tracing: bool = False,
    ) -> None:
        self.variant = variant
        self.tier = tier
        self.group = group
        self.index = index
        self.rng = rng
        self._adversary_rng = adversary_rng
        self._budgets = budgets
        self._boundary = boundary
        self._time_limit = time_limit
        self._tracing = tracing
        self._transcript: list[TraceEntry] = []
        self._oracles: list[Oracle[..., Any]] = []
        self._phase: str | None = None
        self._fault: BaseException | None = None
        self._bug: BaseException | None = None
        self._adversary_seconds = 0.0
        self.output_summary = ""

    # -- building the game -----------------------------------------------------------------------
    def oracle(self, name: str, fn: Callable[P, A], *, phases: Iterable[str] | None = None) -> Oracle[P, A]:
        """An oracle with the budget the game declares for `name` (undeclared names are a bug).

        It is open while the adversary runs any of the game's stages, or only those in `phases`.
        """
        if name not in self._budgets:
            raise ChallengerBug(f"oracle {name!r} is not declared in the game's budgets")
        open_in = tuple(self._boundary) if phases is None else tuple(phases)
        oracle = Oracle(name, fn, self, budget=self._budgets[name], phases=open_in)
        self._oracles.append(oracle)
        return oracle

    def trace(self, step: str, **data: object) -> None:
        """Append a step to the transcript (no-op unless the trial is traced)."""
        if self._tracing:
            rendered = tuple((k, summarize(v)) for k, v in data.items())
            self._record(step, rendered, tuple((k, json_value(v)) for k, v in data.items()))

    def _record(
        self, step: str, rendered: tuple[tuple[str, str], ...], values: tuple[tuple[str, Any], ...]
    ) -> None:
        self._transcript.append(TraceEntry(step, rendered, values))

    # -- running the adversary -------------------------------------------------------------------
    def _time_left(self) -> float | None:
        """What the adversary has left of the trial's time limit (None: no limit)."""
        return None if self._time_limit is None else self._time_limit - self._adversary_seconds

    def instantiate(self, adversary_class: Callable[[], A]) -> A:
        """The adversary object: its constructor is the adversary's code, so it runs under the
        trial's time limit and whatever it raises (`sys.exit` included) faults the trial. A plain
        class whose hierarchy defines no `__new__` or `__init__` runs none of its own code when it
        is made, and is made at once."""
        if _made_without_code(adversary_class):
            return adversary_class()
        remaining = self._time_left()
        start = time.perf_counter()
        try:
            return call_with_limit(adversary_class, remaining)
        except errors.ADVERSARY_ERRORS as exc:
            raise AdversaryFault(exc) from exc
        finally:
            self._adversary_seconds += time.perf_counter() - start

    # `returns` is a type expression: a class, or a union such as `PayWordCoin | OpeningCoin`, whose
    # static type is the stage's result (`TypeForm`, PEP 747); with None the stage's output is not read.
    @overload
    def play(
        self,
        stage: Callable[[V, RandomSource], object],
        view: V,
        *,
        returns: None,
        phase: str = ATTACK,
    ) -> None: ...

    @overload
    def play(
        self,
        stage: Callable[[V, RandomSource], object],
        view: V,
        *,
        returns: TypeForm[T],
        phase: str = ATTACK,
    ) -> T: ...

    def play(
        self,
        stage: Callable[[V, RandomSource], object],
        view: V,
        *,
        returns: TypeForm[T] | None,
        phase: str = ATTACK,
    ) -> T | None:
        """Run one adversary stage, e.g. `adversary.attack`, on `view`; its output converted to `returns`.

        The output is converted (mpgames.framework.checks) before anything of the challenger sees it; with
        `returns=None` it is never read by the challenger (only rendered for the outcome record) and
        None is returned. `phase` names the stage for the oracles (a multi-stage game passes it:
        `phase="guess"`). Anything that goes wrong on the adversary's side, a conversion that fails
        included, raises `AdversaryFault`.
        """
        declared = self._boundary.get(phase)
        if declared is None:
            raise ChallengerBug(f"phase {phase!r} is not among the game's stages {tuple(self._boundary)}")
        if type(view) is not declared.view:
            raise ChallengerBug(
                f"stage {phase!r} hands over a {type(view).__name__}, not its {declared.view.__name__}"
            )
        if returns != declared.output:
            raise ChallengerBug(
                f"stage {phase!r} reads its output as {returns}, not as its declared {declared.output}"
            )
        if self._tracing:
            self.trace(f"adversary {phase}", view=view.names())
        remaining = self._time_left()
        self._phase = phase
        start = time.perf_counter()

        def run_stage() -> T | None:
            if isinstance(stage, RemoteStage):  # an isolated adversary: its process plays the stage
                output = stage.play(view, returns, self.trace)
            else:
                output = stage(view, self._adversary_rng)
            # Reading the adversary's object runs its code too (properties): under the same limit.
            if returns is None:
                # Never read by the challenger; its rendering is kept for the record only.
                self.output_summary = _rendering(output)
                return None
            try:
                return expect_output(output, returns, f"the output of stage {phase!r}", self.group)
            except MalformedOutput:
                # Kept for the record only (the outcome's output column): what was handed in.
                self.output_summary = _rendering(output)
                raise

        try:
            output = call_with_limit(run_stage, remaining)
            summary = "" if returns is None else summarize(output)
        except errors.ADVERSARY_ERRORS as exc:
            self._raise_if_bug()
            raise AdversaryFault(self._fault or exc) from exc
        finally:
            self._phase = None
            self._adversary_seconds += time.perf_counter() - start
        # A fault the adversary caught and swallowed still faults the trial.
        self._raise_if_bug()
        if self._fault is not None:
            raise AdversaryFault(self._fault)
        if returns is not None:
            self.output_summary = summary
        if self._tracing:
            # Typed: the converted output; an output the challenger never reads, by its summary.
            typed = self.output_summary if returns is None else json_value(output)
            rendered = (("output", self.output_summary),)
            self._record(f"adversary {phase} output", rendered, (("output", typed),))
        return output

    def judge(self, predicate: Callable[..., bool], *args: object) -> bool:
        """Evaluate the win predicate; a `SchemeError` on the adversary's output faults the trial."""
        try:
            won = predicate(*args)
        except SchemeError as exc:
            self.trace("judge", predicate=predicate.__name__, rejected=type(exc).__name__, reason=str(exc))
            raise AdversaryFault(exc) from exc
        if not isinstance(won, bool):
            raise ChallengerBug(f"win predicate {predicate.__name__} returned {type(won).__name__}, not bool")
        if self._tracing:
            self.trace("judge", predicate=predicate.__name__, won=won)
        return won

    # -- the oracle host protocol ----------------------------------------------------------------
    @property
    def current_phase(self) -> str | None:
        return self._phase

    def record_fault(self, exc: BaseException) -> None:
        if self._fault is None:
            self._fault = exc

    def record_bug(self, exc: BaseException) -> None:
        if self._bug is None:
            self._bug = exc

    def _raise_if_bug(self) -> None:
        if self._bug is not None:
            raise ChallengerBug(f"challenger code failed: {self._bug!r}") from self._bug

    # -- results ---------------------------------------------------------------------------------
    def query_counts(self) -> tuple[tuple[str, int], ...]:
        return tuple((oracle.name, oracle.used) for oracle in self._oracles)

    @property
    def transcript(self) -> tuple[TraceEntry, ...]:
        return tuple(self._transcript)


def _rendering(output: object) -> str:
    """The summary of a refused output, or a placeholder if rendering it fails too."""
    try:
        return summarize(output)
    except Exception:
        return "<unprintable output>"


def _made_without_code(cls: object) -> bool:
    """True iff calling `cls` runs only `type.__call__`, `object.__new__` and `object.__init__`: its
    metaclass is exactly `type` (so `__mro__` and the class dictionaries are the real ones) and no
    class of its hierarchy but `object` defines `__new__` or `__init__`."""
    if type(cls) is not type:
        return False
    return not any("__new__" in vars(c) or "__init__" in vars(c) for c in cls.__mro__ if c is not object)
