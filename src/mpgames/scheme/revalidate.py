"""Canonical copies: checking again what a check is handed (spec §2.2; docs/scheme.md "Validation at
every check").

A constructor's validation proves nothing about an object that reaches a check: it may have been
made with `object.__new__`, had a field replaced with `object.__setattr__`, be a subclass whose
fields are properties that answer differently on each read, or hold an `int` or `bytes` subclass
whose `__eq__`, `__hash__` or `__lt__` lies. `canonical(value, T)` returns a fresh object of exactly
the declared type `T`, built from `value` by the scheme's own constructors:

* `int`, `bytes`, `str`: the true value of an instance of the type or of a subclass, as an object of
  exactly that type (`int.__int__`, `bytes.__getitem__`, `str.__str__` read the stored value, never
  an override); `bool` only as itself; `None` only as itself;
* `tuple[X, ...]`, `tuple[X, Y]`, `Sequence[X]`: a tuple or list (or a subclass), read through the
  base type's own iterator, at most `MAX_ITEMS` items, each converted to X;
* `X | Y`: the first alternative whose type the value has; `Literal[...]`: one of the literals;
  an `Enum`: one of its members (by identity);
* `Group`: a group whose exact parameters were validated in this process (`mpgames.scheme.groups`), or, when
  `group` is given, that group and no other;
* a dataclass: the value's type must be the class or a subclass (by `type()`, which an object cannot
  fake); each init field is read once, converted by its declared type, and the class's own
  constructor builds the copy, so `__post_init__` validates every field again.

Anything else a value does wrong — an attribute that raises, a length over the limit, a constructor
that refuses the fields — is the value's fault: a `NotCanonicalError` (a `SchemeError`). A declared
type the converter does not know (`Any`, `object`, a plain class) is a programming error: `TypeError`.
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import types
import typing
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from mpgames.scheme.errors import SchemeError
from mpgames.scheme.groups import Group, validated_group

T = TypeVar("T")

# The most items a sequence field may hold: far above any ring, path or log of the scheme, far below
# what would let one value stall a check.
MAX_ITEMS = 1 << 16
# Exceptions a constructor raises on values it refuses (besides SchemeError).
_REFUSALS = (TypeError, ValueError, ArithmeticError, OverflowError)


class NotCanonicalError(SchemeError):
    """A value cannot be converted to the declared type: it is malformed."""


class _Refused(Exception):
    """Raised inside a converter; `canonical` prefixes the path of the field that was refused."""

    def __init__(self, rest: str) -> None:
        super().__init__(rest)
        self.rest = rest
        self.path: list[str] = []


# Dataclasses whose converter is being built (a field may name the class again).
_in_progress: set[type] = set()
# A converter: (value, the only group allowed or None) -> the canonical copy, or `_Refused`.
_Converter = Callable[[object, "Group | None"], object]


def canonical(value: object, annotation: type[T], what: str = "value", *, group: Group | None = None) -> T:
    """A fresh object of exactly `annotation`, built from `value` (see the module docstring).

    `group`, if given, is the only group a `Group` anywhere inside the value may be.
    """
    try:
        return typing.cast(T, _converter(annotation)(value, group))
    except _Refused as refused:
        raise NotCanonicalError(what + "".join(reversed(refused.path)) + refused.rest) from None


def check_declared(annotation: Any) -> None:
    """Raise `TypeError` unless `canonical` can convert to `annotation` (checked once per type), so
    that a conversion fails only because of the value, never because of the declaration."""
    _converter(annotation)


def _at(segment: str, refused: _Refused) -> _Refused:
    refused.path.append(segment)
    return refused


def _converter(annotation: Any) -> _Converter:
    """The converter for one declared type, built once: the dispatch on the declaration is not
    repeated for every value (the microcoin acceptance path runs it per coin). A dataclass whose
    fields contain the class again gets a converter that looks itself up on first use."""
    if annotation in _in_progress:
        return lambda value, group: _converter(annotation)(value, group)
    return _build(annotation)


@functools.cache
def _build(annotation: Any) -> _Converter:
    origin = typing.get_origin(annotation)
    if annotation is type(None) or annotation is None:
        return _none
    if origin in (types.UnionType, typing.Union):
        return _union(typing.get_args(annotation))
    if origin is typing.Literal:
        return _literal(typing.get_args(annotation))
    if origin is tuple or origin is Sequence:
        return _sequence(typing.get_args(annotation))
    if annotation is bool:
        return _bool
    if annotation in _PRIMITIVES:
        return _primitive(annotation)
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return _enum(annotation)
    if annotation is Group:
        return _convert_group
    if isinstance(annotation, type) and dataclasses.is_dataclass(annotation):
        return _dataclass(annotation)
    raise TypeError(f"no canonical form for the declared type {annotation!r}")


def _none(value: object, group: Group | None) -> None:
    if value is not None:
        raise _Refused(" must be None")


def _bool(value: object, group: Group | None) -> bool:
    if type(value) is not bool:
        raise _Refused(" must be a bool")
    return value


# The readers run only on a value whose `type()` is the primitive or a subclass of it (`_primitive` and
# `_literal` check that first), hence the casts; each reads the stored value through the base type.
def _read_int(value: object) -> int:
    return int.__int__(typing.cast(int, value))


def _read_bytes(value: object) -> bytes:
    return bytes.__getitem__(typing.cast(bytes, value), slice(None))


def _read_str(value: object) -> str:
    return str.__str__(typing.cast(str, value))


_PRIMITIVES: dict[type, Callable[[object], object]] = {
    int: _read_int,
    bytes: _read_bytes,
    str: _read_str,
}


def _primitive(annotation: type) -> _Converter:
    read = _PRIMITIVES[annotation]

    def convert(value: object, group: Group | None) -> object:
        kind = type(value)
        if kind is annotation:
            return read(value)
        if not issubclass(kind, annotation) or issubclass(kind, bool):
            raise _Refused(f" must be {annotation.__name__}, got {kind.__name__}")
        return read(value)

    return convert


def _matches(value: object, alternative: Any) -> bool:
    """True iff `value` has the type of one union alternative (decides which one converts it)."""
    kind = type(value)
    base = typing.get_origin(alternative) or alternative
    if alternative is type(None) or alternative is None:
        return value is None
    if base is typing.Literal:
        return any(issubclass(kind, type(option)) for option in typing.get_args(alternative))
    if base is Sequence:
        base = (tuple, list)
    if alternative is int:
        return issubclass(kind, int) and not issubclass(kind, bool)
    return isinstance(base, type | tuple) and issubclass(kind, base)


def _union(alternatives: tuple[Any, ...]) -> _Converter:
    options = tuple((alternative, _converter(alternative)) for alternative in alternatives)
    # A value whose exact type is one alternative's class takes that alternative without the search.
    exact = {
        alternative: convert_to
        for alternative, convert_to in reversed(options)
        if isinstance(alternative, type) and alternative is not bool
    }
    names = " | ".join(getattr(a, "__name__", repr(a)) for a in alternatives)

    def convert(value: object, group: Group | None) -> object:
        convert_to = exact.get(type(value))
        if convert_to is not None:
            return convert_to(value, group)
        for alternative, convert_to in options:
            if _matches(value, alternative):
                return convert_to(value, group)
        raise _Refused(f" must be {names}, got {type(value).__name__}")

    return convert


def _literal(options: tuple[object, ...]) -> _Converter:
    for option in options:
        if type(option) not in (*_PRIMITIVES, bool):
            raise TypeError(f"literal {options!r}: only int, bytes, str and bool literals convert")
    listed = ", ".join(map(repr, options))

    def convert(value: object, group: Group | None) -> object:
        for option in options:
            kind = type(option)
            if issubclass(type(value), kind) and not (issubclass(type(value), bool) and kind is not bool):
                exact = value if kind is bool else _PRIMITIVES[kind](value)
                if exact == option:
                    return option
        raise _Refused(f" must be one of {listed}")

    return convert


def _read_items(value: object) -> list[object]:
    kind = type(value)  # unlike isinstance, type() cannot be faked: the casts below hold
    if issubclass(kind, tuple):
        as_tuple = typing.cast("tuple[object, ...]", value)
        count, items = tuple.__len__(as_tuple), tuple.__iter__(as_tuple)
    elif issubclass(kind, list):
        as_list = typing.cast("list[object]", value)
        count, items = list.__len__(as_list), list.__iter__(as_list)
    else:
        raise _Refused(f" must be a tuple or a list, got {kind.__name__}")
    if count > MAX_ITEMS:
        raise _Refused(f" has {count} items; at most {MAX_ITEMS} are accepted")
    return list(items)


def _sequence(args: tuple[Any, ...]) -> _Converter:
    if (len(args) == 2 and args[1] is Ellipsis) or len(args) == 1:
        each = _converter(args[0])

        def convert_homogeneous(value: object, group: Group | None) -> tuple[object, ...]:
            out = []
            for i, item in enumerate(_read_items(value)):
                try:
                    out.append(each(item, group))
                except _Refused as refused:
                    raise _at(f"[{i}]", refused) from None
            return tuple(out)

        return convert_homogeneous
    items_to = tuple(_converter(arg) for arg in args)

    def convert_fixed(value: object, group: Group | None) -> tuple[object, ...]:
        items = _read_items(value)
        if len(items) != len(items_to):
            raise _Refused(f" must have {len(items_to)} items, got {len(items)}")
        out = []
        for i, (item, convert_to) in enumerate(zip(items, items_to, strict=True)):
            try:
                out.append(convert_to(item, group))
            except _Refused as refused:
                raise _at(f"[{i}]", refused) from None
        return tuple(out)

    return convert_fixed


def _enum(annotation: type[enum.Enum]) -> _Converter:
    members = tuple(annotation)

    def convert(value: object, group: Group | None) -> enum.Enum:
        for member in members:
            if value is member:
                return member
        raise _Refused(f" must be a member of {annotation.__name__}")

    return convert


_GROUP_FIELDS = (
    ("p", _primitive(int)),
    ("q", _primitive(int)),
    ("g", _primitive(int)),
    ("tier", _primitive(str)),
    ("curve", _converter(tuple[int, int] | None)),
)


def _convert_group(value: object, group: Group | None) -> Group:
    if not issubclass(type(value), Group):
        raise _Refused(f" must be a Group, got {type(value).__name__}")
    p, q, g, tier, curve = _read_fields(value, _GROUP_FIELDS, None).values()
    if group is not None:
        if (p, q, g, tier, curve) != group.parameters:
            raise _Refused(f" must be the game's group {group.label}")
        return group
    found = validated_group(p, q, g, tier, curve)
    if found is None:
        raise _Refused(" is not a validated group")
    return found


def _read_fields(
    value: object, fields: tuple[tuple[str, _Converter], ...], group: Group | None
) -> dict[str, object]:
    """Each named attribute of an adversary object, read once and converted; whatever reading one
    raises is the value's fault."""
    out = {}
    for name, convert_to in fields:
        try:
            field = getattr(value, name)
        except Exception as exc:
            raise _Refused(f".{name} cannot be read: {type(exc).__name__}") from None
        try:
            out[name] = convert_to(field, group)
        except _Refused as refused:
            raise _at(f".{name}", refused) from None
    return out


def _dataclass(cls: type) -> _Converter:
    hints = typing.get_type_hints(cls)
    names = tuple(f.name for f in dataclasses.fields(cls) if f.init)
    _in_progress.add(cls)
    try:
        fields = tuple((name, _converter(hints[name])) for name in names)
    finally:
        _in_progress.discard(cls)

    def convert(value: object, group: Group | None) -> object:
        if not issubclass(type(value), cls):
            raise _Refused(f" must be a {cls.__name__}, got {type(value).__name__}")
        kwargs = _read_fields(value, fields, group)
        try:
            return cls(**kwargs)
        except SchemeError as exc:
            raise _Refused(f": {exc}") from None
        except _REFUSALS as exc:
            raise _Refused(f" is refused by {cls.__name__}: {type(exc).__name__}") from None

    return convert
