"""What a generic adversary does, as data: a plan of oracle calls and outputs (docs/fuzz.md).

A `Plan` holds, for each stage of a game, the oracle calls the adversary makes and the output it
hands in, each argument and output an expression over what the adversary has seen: a field of a
view it was given (this stage's or an earlier one's), the answer of a query it made, an attribute
or an item of one of those, a group edge case (0, q, p − 1, an element of small order, …), a
constant, and mutations of these (a record rebuilt with one field replaced, with or without its
constructor; a tuple reordered, duplicated or cut; bytes cut or extended; an integer shifted).

Expressions are symbolic: they name where a value comes from, not the value, so one plan plays
any trial and a win found at one trial can be confirmed at others and read as a trace. Evaluating
an expression whose source does not exist in the trial (a query that was refused) raises `Missing`,
which is the adversary's fault in that trial, as any exception of an adversary is.
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeGuard

from mpgames.scheme.groups import Group


class Missing(Exception):
    """An expression names something the trial does not have (a refused query, a short tuple)."""


@dataclass(frozen=True)
class ViewField:
    """A field of the view of `stage` (this stage's or an earlier one's)."""

    stage: str
    name: str


@dataclass(frozen=True)
class AnswerOf:
    """The answer of the adversary's `call`-th oracle query (counted over the whole trial)."""

    call: int


@dataclass(frozen=True)
class Attr:
    """Field `name` of a record."""

    base: Expr
    name: str


@dataclass(frozen=True)
class Item:
    """Element `index` of a tuple or list (negative: from the end)."""

    base: Expr
    index: int


@dataclass(frozen=True)
class Edge:
    """A group edge case, by name (`EDGES`)."""

    edge: str


@dataclass(frozen=True)
class Const:
    """A constant: an int, bytes, a str, a bool or None."""

    value: int | bytes | str | bool | None


@dataclass(frozen=True)
class Shift:
    """An integer plus `delta` (q + s, s − q, 1 past a bound)."""

    base: Expr
    delta: Expr


@dataclass(frozen=True)
class Build:
    """A record of class `cls` from its fields; `raw` makes it without running its constructor."""

    cls: type
    fields: tuple[Expr, ...]
    raw: bool


@dataclass(frozen=True)
class Replace:
    """A copy of a record with field `name` replaced; `raw` copies it without its constructor."""

    base: Expr
    name: str
    value: Expr
    raw: bool


@dataclass(frozen=True)
class Pack:
    """A tuple of the values of `items`."""

    items: tuple[Expr, ...]


@dataclass(frozen=True)
class Reorder:
    """The items of a tuple at the positions `order` (a permutation, a repeat, a cut)."""

    base: Expr
    order: tuple[int, ...]


@dataclass(frozen=True)
class Cut:
    """Bytes cut to their first `length`, then extended by `suffix`."""

    base: Expr
    length: int
    suffix: bytes


Expr = ViewField | AnswerOf | Attr | Item | Edge | Const | Shift | Build | Replace | Pack | Reorder | Cut
# The kinds of expression, for the search's account of what it tried.
KINDS: tuple[type, ...] = typing.get_args(Expr)


@dataclass(frozen=True)
class Call:
    """One oracle query: the oracle's name in the view, and its arguments."""

    oracle: str
    args: tuple[Expr, ...]


@dataclass(frozen=True)
class StagePlan:
    """What the adversary does in one stage: its queries in order, then its output (None: no output)."""

    calls: tuple[Call, ...]
    output: Expr | None


@dataclass(frozen=True)
class Plan:
    """A generic adversary: one `StagePlan` per stage of the game, in order."""

    stages: tuple[tuple[str, StagePlan], ...]

    def expressions(self) -> list[Expr]:
        """Every expression of the plan, nested ones included."""
        found: list[Expr] = []
        pending: list[Expr] = []
        for _, stage in self.stages:
            pending += [arg for call in stage.calls for arg in call.args]
            pending += [] if stage.output is None else [stage.output]
        while pending:
            expr = pending.pop()
            found.append(expr)
            pending += [value for value in _children(expr)]
        return found


def _children(expr: Expr) -> list[Expr]:
    kids: list[Expr] = []
    for field in dataclasses.fields(expr):
        value = getattr(expr, field.name)
        for item in value if isinstance(value, tuple) else (value,):
            if is_expr(item):
                kids.append(item)
    return kids


def is_expr(value: object) -> TypeGuard[Expr]:
    return isinstance(value, KINDS)


# -- group edge cases ----------------------------------------------------------------------------
def _candidates(group: Group) -> range:
    """Small integers, or on a curve the encodings (prefix 2) of small x: the first that is not an
    element is the non-member edge case."""
    if group.curve is None:
        return range(2, 1000)
    first = 2 << (8 * (group.element_len - 1))
    return range(first, first + 1000)


def _small_order_element(group: Group) -> int:
    """An element of Z_p^* of the smallest prime order other than q dividing p − 1 (p − 1 has order 2);
    on a curve, of cofactor 1, the only one: the point at infinity."""
    if group.curve is not None:
        return group.identity
    cofactor = (group.p - 1) // group.q
    for prime in (3, 5, 7, 11, 13, 17, 19, 23, 29, 31):
        if cofactor % prime == 0:
            for base in range(2, 50):
                element = pow(base, (group.p - 1) // prime, group.p)
                if element != 1:
                    return element
    return group.p - 1


EDGES: Mapping[str, Callable[[Group], int]] = {
    "0": lambda g: 0,
    "1": lambda g: 1,
    "-1": lambda g: -1,
    "q-1": lambda g: g.q - 1,
    "q": lambda g: g.q,
    "q+1": lambda g: g.q + 1,
    "p-1": lambda g: g.p - 1,
    "p": lambda g: g.p,
    "p+1": lambda g: g.p + 1,
    "2^|p|": lambda g: 1 << g.p.bit_length(),
    "g": lambda g: g.g,
    "small-order": _small_order_element,
    "non-member": lambda g: next(x for x in _candidates(g) if not g.is_element(x)),
}


# -- evaluation ----------------------------------------------------------------------------------
@dataclass
class Seen:
    """What the adversary has seen so far in a trial: its views by stage and its queries' answers."""

    group: Group | None
    views: dict[str, Any]
    answers: list[object]


def evaluate(expr: Expr, seen: Seen) -> Any:
    """The value of `expr` in the trial; `Missing` where a source does not exist."""
    match expr:
        case ViewField(stage, name):
            if stage not in seen.views or name not in _field_names(seen.views[stage]):
                raise Missing(f"no view field {stage}.{name}")
            return getattr(seen.views[stage], name)
        case AnswerOf(call):
            if call >= len(seen.answers) or isinstance(seen.answers[call], Missing):
                raise Missing(f"query {call} has no answer")
            return seen.answers[call]
        case Attr(base, name):
            value = evaluate(base, seen)
            if name not in _field_names(value):
                raise Missing(f"no field {name}")
            return getattr(value, name)
        case Item(base, index):
            value = evaluate(base, seen)
            if not isinstance(value, tuple | list) or not -len(value) <= index < len(value):
                raise Missing(f"no item {index}")
            return value[index]
        case Edge(edge):
            if seen.group is None:
                raise Missing("no group in the first view")
            return EDGES[edge](seen.group)
        case Const(value):
            return value
        case Shift(base, delta):
            a, b = evaluate(base, seen), evaluate(delta, seen)
            if type(a) is not int or type(b) is not int:
                raise Missing("a shift of a non-integer")
            return a + b
        case Build(cls, fields, raw):
            return _record(cls, [evaluate(f, seen) for f in fields], raw)
        case Replace(base, name, value, raw):
            record = evaluate(base, seen)
            if name not in _field_names(record):
                raise Missing(f"no record with a field {name}")
            values = [getattr(record, f.name) for f in dataclasses.fields(record)]
            names = [f.name for f in dataclasses.fields(record)]
            values[names.index(name)] = evaluate(value, seen)
            return _record(type(record), values, raw)
        case Pack(items):
            return tuple(evaluate(item, seen) for item in items)
        case Reorder(base, order):
            value = evaluate(base, seen)
            if not isinstance(value, tuple) or any(not 0 <= i < len(value) for i in order):
                raise Missing("no such items to reorder")
            return tuple(value[i] for i in order)
        case Cut(base, length, suffix):
            value = evaluate(base, seen)
            if type(value) is not bytes:
                raise Missing("a cut of a non-bytes value")
            return value[:length] + suffix
    raise Missing(f"unknown expression {expr!r}")


def _field_names(value: object) -> tuple[str, ...]:
    """The fields of a record (a dataclass instance); none for anything else. Only fields are read:
    never a method, a class attribute or a private slot of what the adversary was handed."""
    if not dataclasses.is_dataclass(value) or isinstance(value, type):
        return ()
    return tuple(field.name for field in dataclasses.fields(value))


def _record(cls: type, values: Sequence[object], raw: bool) -> object:
    """A `cls` with these field values: through its constructor, or raw (`object.__new__`)."""
    if not raw:
        return cls(*values)
    record: object = object.__new__(cls)
    for field, value in zip(dataclasses.fields(cls), values, strict=True):
        object.__setattr__(record, field.name, value)
    return record


# -- reading a plan ------------------------------------------------------------------------------
def describe(expr: Expr) -> str:
    """An expression as one readable line: `answer[0].signature`, `Replace(view.pk, y := q, raw)`."""
    match expr:
        case ViewField(stage, name):
            return f"{stage}.view.{name}"
        case AnswerOf(call):
            return f"answer[{call}]"
        case Attr(base, name):
            return f"{describe(base)}.{name}"
        case Item(base, index):
            return f"{describe(base)}[{index}]"
        case Edge(edge):
            return edge
        case Const(value):
            return _short(value)
        case Shift(base, delta):
            return f"({describe(base)} + {describe(delta)})"
        case Build(cls, fields, raw):
            inner = ", ".join(describe(f) for f in fields)
            return f"{cls.__name__}{'.raw' if raw else ''}({inner})"
        case Replace(base, name, value, raw):
            return f"{describe(base)} with {name} = {describe(value)}{' (raw)' if raw else ''}"
        case Pack(items):
            return f"({', '.join(describe(i) for i in items)}{',' if len(items) == 1 else ''})"
        case Reorder(base, order):
            return f"{describe(base)}{list(order)}"
        case Cut(base, length, suffix):
            return f"{describe(base)}[:{length}] + {_short(suffix)}"
    return repr(expr)


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else f"{text[:37]}…"


def plan_lines(plan: Plan) -> list[str]:
    """The plan as the lines a person reads: per stage, each query, then the output."""
    lines = []
    call = 0
    for name, stage in plan.stages:
        lines.append(f"{name}:")
        for query in stage.calls:
            lines.append(f"  answer[{call}] = {query.oracle}({', '.join(describe(a) for a in query.args)})")
            call += 1
        lines.append(f"  output {'(not read)' if stage.output is None else describe(stage.output)}")
    return lines
