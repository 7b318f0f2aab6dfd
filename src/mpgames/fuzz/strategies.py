"""The search space: Hypothesis strategies of plans, read off a game's typed boundary (docs/fuzz.md).

`plans(game)` draws, stage by stage, a number of oracle queries (each oracle of the stage's view,
each argument an expression of the type the oracle declares) and an output of the declared output
type. An expression of a type T is, half the time, plain — what an honest adversary would hand
over — and half the time mutated, so that a plan is an honest-looking transcript with a few values
changed:

* plain: a value the adversary has seen whose declared type is T (a view field of this stage or an
  earlier one, a query's answer, or a field or an item of one of those, two levels deep), a small
  integer, a value of a bool or a literal;
* mutated, group edge cases: the integers of `plan.EDGES`; empty and all-zero bytes;
* mutated, seen values: an integer shifted by a small constant or an edge case; bytes cut and
  extended (a wrong length) or with their last bytes changed (the same length); a tuple reordered,
  repeated or cut; a seen record changed at one point — one field, or a field of a field, replaced
  by a mutation of its own value or by an expression of its declared type, through the record's
  constructor or around it (`raw`);
* mutated, made anew: a record of a type nothing seen has, built from expressions of its fields'
  types; a tuple packed from expressions of its items' types.

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
        if _is_record(alternative):
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


@functools.cache
def expressions(wanted: Any, seen: SeenTypes, depth: int = DEPTH) -> SearchStrategy[Expr]:
    """Expressions of the declared type `wanted` (module docstring): as often plain as mutated, so
    that a plan is an honest-looking transcript with a few values changed. One strategy per type
    and state of the draw, made and validated once."""
    reuse = list(_reuse(wanted, seen))
    plain: list[SearchStrategy[Expr]] = [st.sampled_from(reuse)] if reuse else []
    mutated: list[SearchStrategy[Expr]] = []
    for alternative in _alternatives(wanted):
        honest, changed = _fresh(alternative, reuse, seen, depth)
        plain += honest
        mutated += changed
    branches = [st.one_of(group) for group in (plain, mutated) if group]
    return st.one_of(branches) if branches else st.just(Const(None))


def _fresh(
    wanted: Any, reuse: Sequence[Expr], seen: SeenTypes, depth: int
) -> tuple[list[SearchStrategy[Expr]], list[SearchStrategy[Expr]]]:
    """Expressions of `wanted` other than plain reuse: the plain ones (small constants, the values
    of a bool or a literal), and the mutated ones (edge cases, mutations of seen values, records
    built or changed)."""
    origin, args = typing.get_origin(wanted), typing.get_args(wanted)
    bases = st.sampled_from(list(reuse)) if reuse else None
    mutations = [] if bases is None or depth == 0 else _mutations(wanted, bases)
    if wanted is int:
        return [SMALL], [EDGE_CASES, *mutations]
    if wanted is bytes:
        return [], [st.sampled_from([Const(b""), Const(bytes(32))]), *mutations]
    if wanted is str:
        return [st.just(Const(""))], []
    if wanted is bool:
        return [st.sampled_from([Const(True), Const(False)])], []
    if wanted is None or wanted is type(None):
        return [st.just(Const(None))], []
    if origin is typing.Literal:
        return [st.sampled_from([Const(value) for value in args])], []
    if wanted is Group:
        return [], []  # only the trial's own group (reused from a view) is ever accepted
    if origin is tuple and depth > 0:
        if len(args) == 2 and args[1] is Ellipsis:
            items = st.lists(expressions(args[0], seen, depth - 1), max_size=MAX_ITEMS)
            return [], [items.map(lambda xs: Pack(tuple(xs))), *mutations]
        return [], [st.tuples(*(expressions(arg, seen, depth - 1) for arg in args)).map(Pack), *mutations]
    if _is_record(wanted) and depth > 0:
        if bases is not None:  # a seen record is mutated, not made anew
            return [], [bases.flatmap(lambda base: _point(wanted, base, seen, depth))]
        hints = _hints(wanted)
        fields = [f.name for f in dataclasses.fields(wanted)]
        built = st.tuples(*(expressions(hints[name], seen, depth - 1) for name in fields))
        return [], [st.builds(Build, st.just(wanted), built, st.booleans())]
    return [], []


SMALL = st.integers(-2, 3).map(Const)
EDGE_CASES = st.sampled_from([Edge(edge) for edge in EDGES])


def _mutations(wanted: Any, bases: SearchStrategy[Expr]) -> list[SearchStrategy[Expr]]:
    """Mutations of seen values `bases` of type `wanted`: an integer shifted by a small constant or
    an edge case; bytes cut and extended (a wrong length) or with their last bytes changed (the
    same length); a tuple reordered, repeated or cut."""
    if wanted is int:
        return [st.builds(Shift, bases, st.one_of(SMALL, EDGE_CASES))]
    if wanted is bytes:
        cut = st.builds(Cut, bases, st.integers(0, 64), st.binary(max_size=4))
        changed = st.integers(1, 4).flatmap(lambda k: st.builds(Cut, bases, st.just(-k), _tail(k)))
        return [cut, changed]
    if typing.get_origin(wanted) is tuple:
        order = st.lists(st.integers(0, MAX_ITEMS), max_size=MAX_ITEMS + 2).map(tuple)
        return [st.builds(Reorder, bases, order)]
    return []


def _tail(k: int) -> SearchStrategy[bytes]:
    return st.binary(min_size=k, max_size=k)


@functools.cache
def _point(cls: type, base: Expr, seen: SeenTypes, depth: int) -> SearchStrategy[Expr]:
    """A point mutation of `base`, a seen `cls`: one value inside it (a field, or a field of a field)
    replaced, by a mutation of that value itself or by an expression of its declared type; the rest
    kept as it came."""
    paths = _record_paths(cls, PATH_DEPTH)

    @st.composite
    def mutated(draw: st.DrawFn) -> Expr:
        path, hint = draw(st.sampled_from(paths))
        original: Expr = base
        for name in path:
            original = Attr(original, name)
        value = draw(_replacement(hint, original, seen, depth - 1))
        raw = draw(st.booleans())
        for level in range(len(path) - 1, -1, -1):
            holder: Expr = base
            for name in path[:level]:
                holder = Attr(holder, name)
            value = Replace(holder, path[level], value, raw)
        return value

    return mutated()


@functools.cache
def _replacement(hint: Any, original: Expr, seen: SeenTypes, depth: int) -> SearchStrategy[Expr]:
    """What replaces `original`, of type `hint`: a mutation of it, or an expression of its type."""
    own = [m for alternative in _alternatives(hint) for m in _mutations(alternative, st.just(original))]
    return st.one_of(*own, expressions(hint, seen, depth))


@functools.cache
def _record_paths(cls: type, depth: int) -> tuple[tuple[tuple[str, ...], Any], ...]:
    """Every field of `cls` and, `depth` levels down, of the records its fields hold, as a path of
    names with the declared type at its end."""
    found: list[tuple[tuple[str, ...], Any]] = []
    for name, hint in _hints(cls).items():
        found.append(((name,), hint))
        if depth > 1:
            for alternative in _alternatives(hint):
                if _is_record(alternative):
                    found += [((name, *path), inner) for path, inner in _record_paths(alternative, depth - 1)]
    return tuple(found)


def _is_record(hint: Any) -> bool:
    return dataclasses.is_dataclass(hint) and isinstance(hint, type)


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
