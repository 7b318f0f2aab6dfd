"""The reduction interface and the simulated inner game (harness §5).

A reduction B is an adversary against an outer game, an assumption (`dl`, a hash preimage, assertion
extractability), built around an inner adversary A against a scheme game. B receives the outer game's
view, plays the inner game's challenger for A (keys, oracles, the challenge) with the outer challenge
embedded where A cannot tell, and turns A's output into an answer to the outer game. A subclass of
`Reduction` declares:

* `name` (its id on the command line), `inner_game`/`inner_variant`, `outer_game`/`outer_variant`;
* `relation`, the loss relation it is proved to satisfy, as text, and `bound(ε, parameters)`, the
  same relation as a number: the least outer advantage it promises for an inner success ε. The
  bound must not decrease in ε (clipped at 0, every bound here is non-decreasing), so that an
  interval of ε maps to an interval of bounds. `counts(outcome)` says which inner trials ε counts,
  when the relation holds for a restricted class of inner adversaries only;
* `fallback`, the outer game's null adversary, which B plays whenever A gives it nothing;
* `inner_adversaries`, the inner adversaries it is demonstrated with (reference attack first);
* `reduce(view, rng)`, which returns B's answer or None (A lost, or the simulation had to abort).
  `Reduction[DlView]` names the outer game's view record, so that mypy checks what `reduce` reads
  of it; the inner game's views are the inner game's own records, which B builds for A.

`Reduction.around(A)` is the adversary class the engine plays: B with A inside, its id naming both.
The inner game runs in a `Simulation`: a trial context of its own over the outer game's group, with
the inner game's budgets and stages and A's own generator, both drawn from a seed so that a forking
reduction can rerun A with the same coins. A runs under B's time limit (the outer trial's); what
goes wrong on A's side (it raises, overruns a budget, hands in a malformed output) is an
`InnerRunFailed` that makes B fall back, never a crash, and an outer timeout is never swallowed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Generic, NoReturn, ParamSpec, TypeVar, overload

from mpgames.adversaries.base import BREAKS, NULL, Adversary
from mpgames.framework.base import Game
from mpgames.framework.context import TrialContext
from mpgames.framework.errors import AdversaryFault, TrialTimeout, UsageError
from mpgames.framework.oracles import Oracle
from mpgames.framework.outcome import TrialOutcome
from mpgames.framework.view import View
from mpgames.scheme.errors import SchemeError
from mpgames.scheme.groups import Group
from mpgames.scheme.randomness import RandomSource, SeededRandom

if TYPE_CHECKING:
    from typing_extensions import TypeForm

# Bytes of the seed a reduction draws per trial; the inner run's generators are derived from it.
SEED_LEN = 32

T = TypeVar("T")
A = TypeVar("A")
P = ParamSpec("P")
# The outer game's view record.
OV = TypeVar("OV", bound=View)
V = TypeVar("V", bound=View)


class SimulationAbort(SchemeError):
    """The simulator cannot answer a query without the secret it is after (a coin that only the key
    opens, a signature point already defined). A simulated oracle raises it, so A sees ⊥; the run
    is void whatever A does next."""


class InnerRunFailed(Exception):
    """The inner run gives the reduction nothing: A lost by fault or the simulation aborted."""


@dataclass(frozen=True)
class BoundParameters:
    """What a declared bound may depend on besides ε: the group order q and, per oracle of the inner
    game, the most queries A made in any trial of the inner run (q_H, q_S of the forking lemma)."""

    q: int
    max_queries: Mapping[str, int]

    def queries(self, oracle: str) -> int:
        return self.max_queries.get(oracle, 0)


class Reduction(Adversary, Generic[OV]):
    """Base class of all reductions; see the module docstring for what a subclass declares."""

    name: ClassVar[str]
    relation: ClassVar[str]
    inner_game: ClassVar[type[Game]]
    inner_variant: ClassVar[str]
    outer_game: ClassVar[type[Game]]
    outer_variant: ClassVar[str]
    fallback: ClassVar[type[Adversary]]
    inner_adversaries: ClassVar[tuple[type[Adversary], ...]]
    # The inner adversary, set by `around`.
    inner: ClassVar[type[Adversary]]

    @classmethod
    def around(cls, inner: type[Adversary]) -> type[Reduction[Any]]:
        """B with `inner` inside: an adversary class of the outer game (`UsageError` if `inner` does not
        play the inner game)."""
        game = cls.inner_game
        if not game.targeted_by(inner.targets):
            raise UsageError(f"reduction {cls.name} runs an adversary of {game.id}; {inner.id} is not one")
        missing = [s for s in game.stages if not inner.implements_stage(s)]
        if missing:
            raise UsageError(f"{inner.id} lacks the stage(s) {', '.join(missing)} of {game.id}")
        namespace = {
            "id": f"{cls.name}[{inner.id}]",
            "label": f"reduction {cls.name} around {inner.id}",
            "targets": (cls.outer_game.id,),
            "expect": NULL if inner.is_null() else f"{BREAKS}{cls.outer_variant}",
            "breaks_tiers": inner.breaks_tiers,
            "inner": inner,
            "__module__": cls.__module__,
        }
        return type(f"{cls.__name__}[{inner.id}]", (cls,), namespace)

    @classmethod
    def expected_verdict(cls, variant: str, tier: str) -> None:
        """None: a reduction's run is judged by its loss relation (mpgames.reductions.runner), not a
        verdict."""
        return None

    @classmethod
    def counts(cls, outcome: TrialOutcome) -> bool:
        """Whether an inner trial counts towards the ε of the relation: every win, unless restricted."""
        return outcome.won

    @classmethod
    def bound(cls, eps: float, parameters: BoundParameters) -> float:
        """The declared relation as a number: the outer advantage promised for inner success ε."""
        raise NotImplementedError

    def attack(self, view: OV, rng: RandomSource) -> object:
        """B: the reduction's answer, or the outer null adversary's when A gives it nothing."""
        try:
            answer = self.reduce(view, rng)
        except InnerRunFailed:
            answer = None
        fallback: Any = self.fallback()  # the outer game's null adversary: it plays the same view
        return fallback.attack(view, rng) if answer is None else answer

    def reduce(self, view: OV, rng: RandomSource) -> object | None:
        """Simulate the inner game for A around the outer challenge; the answer, or None."""
        raise NotImplementedError

    def simulation(self, group: Group, seed: bytes) -> Simulation:
        """A fresh run of the inner game over `group`; the same seed gives A the same coins."""
        return Simulation(type(self), group, seed)


class Simulation:
    """The inner game's challenger as a reduction plays it (module docstring)."""

    # The reduction's state: a `View` refuses to carry it.
    is_challenger_object = True

    def __init__(self, reduction: type[Reduction[Any]], group: Group, seed: bytes) -> None:
        game = reduction.inner_game
        self.variant = game.variant(reduction.inner_variant)
        self.group = group
        # The simulator's own coins: keys it makes, simulated answers, the challenge index.
        self.rng = SeededRandom(seed + b"/simulator")
        self._ctx = TrialContext(
            variant=self.variant,
            tier=group.tier,
            group=group,
            index=0,
            rng=self.rng,
            adversary_rng=SeededRandom(seed + b"/inner"),
            budgets=game.budgets,
            boundary=game.boundary(),
            time_limit=None,  # the outer trial's limit covers A too
        )
        self._adversary = reduction.inner()
        self._abort: str | None = None

    def oracle(self, name: str, fn: Callable[P, A], *, phases: tuple[str, ...] | None = None) -> Oracle[P, A]:
        """A simulated oracle with the inner game's budget for `name`."""
        return self._ctx.oracle(name, fn, phases=phases)

    def abort(self, reason: str) -> NoReturn:
        """Give up the run: A sees ⊥ for the query it made; `play` then fails whatever A does."""
        if self._abort is None:
            self._abort = reason
        raise SimulationAbort(reason)

    # `returns` as in `TrialContext.play`: a class or a union, or None for an output nobody reads.
    @overload
    def play(self, stage: str, view: V, *, returns: None) -> None: ...

    @overload
    def play(self, stage: str, view: V, *, returns: TypeForm[T]) -> T: ...

    def play(self, stage: str, view: V, *, returns: TypeForm[T] | None) -> T | None:
        """Run A's stage `stage` on `view`; its output converted to `returns` at the boundary
        (mpgames.framework.checks), or `InnerRunFailed`."""
        try:
            output = self._ctx.play(getattr(self._adversary, stage), view, returns=returns, phase=stage)
        except AdversaryFault as fault:
            if isinstance(fault.cause, TrialTimeout):
                raise fault.cause from None  # the outer trial's time is up: B loses, not A
            raise InnerRunFailed(fault.kind) from fault
        if self._abort is not None:
            raise InnerRunFailed(self._abort)
        return output

    def judge(self, predicate: Callable[..., bool], *args: object) -> bool:
        """The inner game's win predicate on A's output; a malformed output is a failed run."""
        try:
            return self._ctx.judge(predicate, *args)
        except AdversaryFault as fault:
            raise InnerRunFailed(fault.kind) from fault
