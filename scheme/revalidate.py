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
* `Group`: a group whose exact parameters were validated in this process (`scheme.groups`), or, when
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
from collections.abc import Sequence
from typing import Any, TypeVar

from scheme.errors import SchemeError
from scheme.groups import Group, validated_group

T = TypeVar("T")

# The most items a sequence field may hold: far above any ring, path or log of the scheme, far below
# what would let one value stall a check.
MAX_ITEMS = 1 << 16
# Exceptions a constructor raises on values it refuses (besides SchemeError).
_REFUSALS = (TypeError, ValueError, ArithmeticError, OverflowError)


class NotCanonicalError(SchemeError):
    """A value cannot be converted to the declared type: it is malformed."""


def canonical(value: object, annotation: type[T], what: str = "value", *, group: Group | None = None) -> T:
    """A fresh object of exactly `annotation`, built from `value` (see the module docstring).

    `group`, if given, is the only group a `Group` anywhere inside the value may be.
    """
    return typing.cast(T, _convert(value, annotation, what, group))


@functools.cache
def check_declared(annotation: Any) -> None:
    """Raise `TypeError` unless `canonical` can convert to `annotation` (checked once per type), so
    that a conversion fails only because of the value, never because of the declaration."""
    origin = typing.get_origin(annotation)
    if annotation is None or annotation in (type(None), bool, Group) or annotation in _PRIMITIVES:
        return
    if origin in (types.UnionType, typing.Union, tuple, Sequence):
        for arg in typing.get_args(annotation):
            if arg is not Ellipsis:
                check_declared(arg)
        return
    if origin is typing.Literal:
        if not all(type(option) in (*_PRIMITIVES, bool) for option in typing.get_args(annotation)):
            raise TypeError(f"literal {annotation!r}: only int, bytes, str and bool literals convert")
        return
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return
    if isinstance(annotation, type) and dataclasses.is_dataclass(annotation):
        for _, hint in _init_fields(annotation):
            check_declared(hint)
        return
    raise TypeError(f"no canonical form for the declared type {annotation!r}")


def _convert(value: object, annotation: Any, what: str, group: Group | None) -> object:
    origin = typing.get_origin(annotation)
    if annotation is type(None) or annotation is None:
        if value is not None:
            raise NotCanonicalError(f"{what} must be None")
        return None
    if origin in (types.UnionType, typing.Union):
        return _convert_union(value, typing.get_args(annotation), what, group)
    if origin is typing.Literal:
        return _convert_literal(value, typing.get_args(annotation), what)
    if origin is tuple or origin is Sequence:
        return _convert_sequence(value, typing.get_args(annotation), what, group)
    if annotation is bool:
        if type(value) is not bool:
            raise NotCanonicalError(f"{what} must be a bool")
        return value
    if annotation in _PRIMITIVES:
        return _convert_primitive(value, annotation, what)
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return _convert_enum(value, annotation, what)
    if annotation is Group:
        return _convert_group(value, what, group)
    if isinstance(annotation, type) and dataclasses.is_dataclass(annotation):
        return _convert_dataclass(value, annotation, what, group)
    raise TypeError(f"{what}: no canonical form for the declared type {annotation!r}")


def _read_int(value: object) -> int:
    return int.__int__(value)  # type: ignore[arg-type]


def _read_bytes(value: object) -> bytes:
    return bytes.__getitem__(value, slice(None))  # type: ignore[arg-type, index]


def _read_str(value: object) -> str:
    return str.__str__(value)  # type: ignore[arg-type]


_PRIMITIVES: dict[type, typing.Callable[[object], object]] = {
    int: _read_int,
    bytes: _read_bytes,
    str: _read_str,
}


def _convert_primitive(value: object, annotation: type, what: str) -> object:
    kind = type(value)
    if not issubclass(kind, annotation) or issubclass(kind, bool):
        raise NotCanonicalError(f"{what} must be {annotation.__name__}, got {kind.__name__}")
    return _PRIMITIVES[annotation](value)


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


def _convert_union(value: object, alternatives: tuple[Any, ...], what: str, group: Group | None) -> object:
    for alternative in alternatives:
        if _matches(value, alternative):
            return _convert(value, alternative, what, group)
    names = " | ".join(getattr(a, "__name__", repr(a)) for a in alternatives)
    raise NotCanonicalError(f"{what} must be {names}, got {type(value).__name__}")


def _convert_literal(value: object, options: tuple[object, ...], what: str) -> object:
    for option in options:
        kind = type(option)
        if issubclass(type(value), kind) and not (issubclass(type(value), bool) and kind is not bool):
            exact = value if kind is bool else _PRIMITIVES[kind](value)
            if exact == option:
                return option
    raise NotCanonicalError(f"{what} must be one of {', '.join(map(repr, options))}")


def _convert_sequence(value: object, args: tuple[Any, ...], what: str, group: Group | None) -> tuple:
    kind = type(value)
    base: type
    if issubclass(kind, tuple):
        base = tuple
    elif issubclass(kind, list):
        base = list
    else:
        raise NotCanonicalError(f"{what} must be a tuple or a list, got {kind.__name__}")
    count = base.__len__(value)  # type: ignore[call-arg]
    if count > MAX_ITEMS:
        raise NotCanonicalError(f"{what} has {count} items; at most {MAX_ITEMS} are accepted")
    items = list(base.__iter__(value))  # type: ignore[call-arg]
    if (len(args) == 2 and args[1] is Ellipsis) or len(args) == 1:
        return tuple(_convert(item, args[0], f"{what}[{i}]", group) for i, item in enumerate(items))
    if len(items) != len(args):
        raise NotCanonicalError(f"{what} must have {len(args)} items, got {len(items)}")
    pairs = enumerate(zip(items, args, strict=True))
    return tuple(_convert(item, arg, f"{what}[{i}]", group) for i, (item, arg) in pairs)


def _convert_enum(value: object, annotation: type[enum.Enum], what: str) -> enum.Enum:
    for member in annotation:
        if value is member:
            return member
    raise NotCanonicalError(f"{what} must be a member of {annotation.__name__}")


def _convert_group(value: object, what: str, group: Group | None) -> Group:
    if not issubclass(type(value), Group):
        raise NotCanonicalError(f"{what} must be a Group, got {type(value).__name__}")
    p, q, g = (_convert(_field(value, name, what), int, f"{what}.{name}", None) for name in ("p", "q", "g"))
    tier = _convert(_field(value, "tier", what), str, f"{what}.tier", None)
    if group is not None:
        if (p, q, g, tier) != (group.p, group.q, group.g, group.tier):
            raise NotCanonicalError(f"{what} must be the game's group {group.label}")
        return group
    found = validated_group(p, q, g, tier)  # type: ignore[arg-type]
    if found is None:
        raise NotCanonicalError(f"{what} is not a validated group")
    return found


def _field(value: object, name: str, what: str) -> object:
    """One attribute of an adversary object: whatever reading it raises is the value's fault."""
    try:
        return getattr(value, name)
    except Exception as exc:
        raise NotCanonicalError(f"{what}.{name} cannot be read: {type(exc).__name__}") from None


@functools.cache
def _init_fields(cls: type) -> tuple[tuple[str, Any], ...]:
    """(name, declared type) of each init field of a dataclass, resolved once per class."""
    hints = typing.get_type_hints(cls)
    return tuple((f.name, hints[f.name]) for f in dataclasses.fields(cls) if f.init)


def _convert_dataclass(value: object, cls: type, what: str, group: Group | None) -> object:
    if not issubclass(type(value), cls):
        raise NotCanonicalError(f"{what} must be a {cls.__name__}, got {type(value).__name__}")
    kwargs = {
        name: _convert(_field(value, name, what), hint, f"{what}.{name}", group)
        for name, hint in _init_fields(cls)
    }
    try:
        return cls(**kwargs)
    except SchemeError as exc:
        raise NotCanonicalError(f"{what}: {exc}") from None
    except _REFUSALS as exc:
        raise NotCanonicalError(f"{what} is refused by {cls.__name__}: {type(exc).__name__}") from None
