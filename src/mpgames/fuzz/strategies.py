"""The search space: Hypothesis strategies of plans, read off a game's typed boundary (docs/fuzz.md).

`plans(game)` draws, stage by stage, a number of oracle queries (each oracle of the stage's view,
each argument an expression of the type the oracle declares) and an output of the declared output
type. An expression of a type T is, in the order Hypothesis shrinks towards:

* reuse: a value the adversary has seen whose declared type is T — a view field of this stage or an
  earlier one, a query's answer, or a field or an item of one of those (two levels deep);
* group edge cases for integers (`plan.EDGES`) and short constants;
* mutations: a seen integer shifted by an edge case; seen bytes cut and extended; a seen tuple
  reordered, repeated or cut; a seen record with one field replaced by an expression of that
  field's type; a record built from expressions of its fields' types; each record made through its
  constructor or around it (`raw`).

Nothing here knows a game: the view records, the oracles' argument and answer types and the
output types are all it reads.
"""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from mpgames.framework.base import Game
from mpgames.fuzz.plan import (
    EDGES,
    AnswerOf,
    Attr,
    Build,
    Call,
    Const,
    Cut,
    Edge,
    Expr,
    Item,
    Pack,
    Plan,
    Reorder,
    Replace,
    Shift,
    StagePlan,
    ViewField,
)
from mpgames.scheme.groups import Group

# How deep expressions nest, how far seen values are searched for parts, and how many queries a
# stage makes at most: a plan small enough to read, large enough to splice answers into outputs.
DEPTH = 2
PATH_DEPTH = 2
MAX_CALLS = 4
MAX_ITEMS = 4


@dataclass(frozen=True)
class SeenTypes:
    """The declared types of what the adversary has seen when an expression is drawn."""

    views: tuple[tuple[str, type], ...]
    answers: tuple[Any, ...]

    def sources(self) -> list[tuple[Expr, Any]]:
        """Every expression that reads a seen value, with its declared type."""
        found: list[tuple[Expr, Any]] = []
        for stage, view in self.views:
            for name, hint in _hints(view).items():
                found += _paths(ViewField(stage, name), hint, PATH_DEPTH)
        for call, answer in enumerate(self.answers):
            found += _paths(AnswerOf(call), answer, PATH_DEPTH)
        return found


@functools.cache
def _hints(cls: type) -> Mapping[str, Any]:
    return typing.get_type_hints(cls)


def _paths(expr: Expr, hint: Any, depth: int) -> list[tuple[Expr, Any]]:
    """`expr` of type `hint`, and its fields and items down to `depth` levels."""
    found: list[tuple[Expr, Any]] = [(expr, hint)]
    if depth == 0:
        return found
    for alternative in _alternatives(hint):
        if dataclasses.is_dataclass(alternative) and isinstance(alternative, type):
            for name, field_hint in _hints(alternative).items():
                found += _paths(Attr(expr, name), field_hint, depth - 1)
        elif typing.get_origin(alternative) is tuple:
            args = typing.get_args(alternative)
            if len(args) == 2 and args[1] is Ellipsis:
                found += _paths(Item(expr, 0), args[0], depth - 1) + _paths(
                    Item(expr, -1), args[0], depth - 1
                )
            else:
                for index, arg in enumerate(args):
                    found += _paths(Item(expr, index), arg, depth - 1)
    return found


def _alternatives(hint: Any) -> tuple[Any, ...]:
    if typing.get_origin(hint) in (types.UnionType, typing.Union):
        return typing.get_args(hint)
    return (hint,)


@functools.cache
def _reuse(wanted: Any, seen: SeenTypes) -> tuple[Expr, ...]:
    """The seen values of type `wanted`, worked out once per type and state of the draw."""
    return tuple(expr for expr, hint in seen.sources() if _matches(hint, wanted))


def _matches(declared: Any, wanted: Any) -> bool:
    """True iff a value declared `declared` may be a `wanted` (a union on either side may match)."""
    return bool(set(_alternatives(declared)) & set(_alternatives(wanted)))


def expressions(wanted: Any, seen: SeenTypes, depth: int = DEPTH) -> SearchStrategy[Expr]:
    """Expressions of the declared type `wanted` (module docstring)."""
    reuse = list(_reuse(wanted, seen))
    options: list[SearchStrategy[Expr]] = []
    if reuse:
        options.append(st.sampled_from(reuse))
    for alternative in _alternatives(wanted):
        options += _fresh(alternative, reuse, seen, depth)
    return st.one_of(options) if options else st.just(Const(None))


def _fresh(wanted: Any, reuse: Sequence[Expr], seen: SeenTypes, depth: int) -> list[SearchStrategy[Expr]]:
    """Expressions of `wanted` that are not plain reuse: edge cases, constants and mutations."""
    origin, args = typing.get_origin(wanted), typing.get_args(wanted)
    options: list[SearchStrategy[Expr]]
    if wanted is int:
        edges = st.sampled_from([Edge(edge) for edge in EDGES])
        small = st.integers(-2, 3).map(Const)
        options = [edges, small]
        if reuse and depth > 0:
            options.append(st.builds(Shift, st.sampled_from(list(reuse)), st.one_of(small, edges)))
        return options
    if wanted is bytes:
        options = [st.sampled_from([Const(b""), Const(bytes(32))])]
        if reuse:
            options.append(
                st.builds(Cut, st.sampled_from(list(reuse)), st.integers(0, 64), st.binary(max_size=4))
            )
        return options
    if wanted is str:
        return [st.just(Const(""))]
    if wanted is bool:
        return [st.sampled_from([Const(True), Const(False)])]
    if wanted is None or wanted is type(None):
        return [st.just(Const(None))]
    if origin is typing.Literal:
        return [st.sampled_from([Const(value) for value in args])]
    if wanted is Group:
        return []  # only the trial's own group (reused from a view) is ever accepted
    if origin is tuple and depth > 0:
        if len(args) == 2 and args[1] is Ellipsis:
            items = st.lists(expressions(args[0], seen, depth - 1), max_size=MAX_ITEMS)
            options = [items.map(lambda xs: Pack(tuple(xs)))]
        else:
            options = [st.tuples(*(expressions(arg, seen, depth - 1) for arg in args)).map(Pack)]
        if reuse:
            order = st.lists(st.integers(0, MAX_ITEMS), max_size=MAX_ITEMS + 2).map(tuple)
            options.append(st.builds(Reorder, st.sampled_from(list(reuse)), order))
        return options
    if dataclasses.is_dataclass(wanted) and isinstance(wanted, type) and depth > 0:
        hints = _hints(wanted)
        fields = [f.name for f in dataclasses.fields(wanted)]
        built = st.tuples(*(expressions(hints[name], seen, depth - 1) for name in fields))
        options = [st.builds(Build, st.just(wanted), built, st.booleans())]
        if reuse:
            options.insert(0, _replacements(wanted, list(reuse), seen, depth))
        return options
    return []


def _replacements(cls: type, reuse: list[Expr], seen: SeenTypes, depth: int) -> SearchStrategy[Expr]:
    """A seen `cls` with one field replaced by an expression of that field's type."""
    hints = _hints(cls)
    names = [f.name for f in dataclasses.fields(cls)]

    @st.composite
    def replaced(draw: st.DrawFn) -> Expr:
        base = draw(st.sampled_from(reuse))
        name = draw(st.sampled_from(names))
        value = draw(expressions(hints[name], seen, depth - 1))
        return Replace(base, name, value, draw(st.booleans()))

    return replaced()


@st.composite
def plans(draw: st.DrawFn, game: type[Game], max_calls: int = MAX_CALLS) -> Plan:
    """A plan for every stage of `game` (module docstring)."""
    views: list[tuple[str, type]] = []
    answers: list[Any] = []
    stages: list[tuple[str, StagePlan]] = []
    for stage in game.boundary().values():
        views.append((stage.name, stage.view))
        oracles = stage.oracles()
        calls = []
        for _ in range(draw(st.integers(0, max_calls)) if oracles else 0):
            name = draw(st.sampled_from(sorted(oracles)))
            arguments, answer = oracles[name]
            seen = SeenTypes(tuple(views), tuple(answers))
            calls.append(Call(name, tuple(draw(expressions(t, seen)) for t in arguments)))
            answers.append(answer)
        seen = SeenTypes(tuple(views), tuple(answers))
        output = None if stage.output is None else draw(expressions(stage.output, seen))
        stages.append((stage.name, StagePlan(tuple(calls), output)))
    return Plan(tuple(stages))
