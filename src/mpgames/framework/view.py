"""The adversary's view of a game: a frozen, typed record per stage (harness §3 "Shape of a game").

Each game declares, for each of its stages, a frozen dataclass derived from `View` whose fields are
the public values and oracles that stage hands the adversary, with their types:

    @dataclass(frozen=True)
    class EufCmaView(View):
        group: Group
        variant: str
        pk: PublicKey
        sign: Oracle[[bytes], Signature]

An oracle's field declares its arguments and its answer, and the record checks, when it is made,
that the oracle it holds takes and answers exactly those types (a mismatch is a `ChallengerBug`).
A view is also a read-only mapping of its field names (`view["pk"]`, `"sign" in view`), for code
that plays several games with one adversary.
The same record is what crosses the process boundary of an isolated adversary, as its canonical
byte encoding (mpgames.framework.wire): one boundary, two transports.

A view refuses, when it is made, anything that would hand the adversary the challenger: secret
keys, the trial context, the game object, a random generator, or a plain function or bound method
(which could close over a secret). Oracles are the only callables allowed. It holds deep copies of
the public values (oracles excepted), never the challenger's own objects: rewriting `view.pk` with
`object.__setattr__` changes the adversary's copy, not the key the challenger judges with.

In trusted mode the adversary shares the challenger's process, and Python is no sandbox: a
determined adversary can still inspect an oracle's closure there. The view keeps honest mistakes
out; isolated mode (docs/isolation.md) keeps a malicious adversary out.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import types
import typing
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from mpgames.framework.errors import ChallengerBug
from mpgames.framework.oracles import Oracle
from mpgames.scheme.groups import Group
from mpgames.scheme.randomness import HashStream, SeededRandom, SystemRandom
from mpgames.scheme.schnorr import SecretKey

# Types that are never public: secrets, generators and the challenger's own objects.
_SECRET_TYPES: tuple[type, ...] = (SecretKey, SeededRandom, SystemRandom, HashStream)
# Exact types whose values are immutable and hold nothing but themselves: public as they are, and
# kept without a copy (a subclass of one is checked and copied like any other value).
_PLAIN_TYPES = frozenset({int, bool, str, bytes, float, type(None)})
# Callables that could close over the challenger's state (an Oracle is the sanctioned wrapper).
_CALLABLE_TYPES: tuple[type, ...] = (
    types.FunctionType,
    types.MethodType,
    types.BuiltinMethodType,
    functools.partial,
)


@dataclasses.dataclass(frozen=True)
class View(Mapping[str, object]):
    """Base class of every view record; see the module docstring."""

    def __post_init__(self) -> None:
        declared = oracle_fields(type(self))
        for name in field_names(type(self)):
            value = getattr(self, name)
            if name in declared:
                _check_oracle(type(self), name, value, declared[name])  # kept: the challenger's handle
            elif type(value) not in _PLAIN_TYPES:
                _refuse_private(name, value)
                object.__setattr__(self, name, _copy(value))

    def names(self) -> tuple[str, ...]:
        """The names of its fields, in order."""
        return field_names(type(self))

    def __getitem__(self, name: str) -> object:
        if name not in self.names():
            raise KeyError(name)
        return getattr(self, name)

    def __iter__(self) -> Iterator[str]:
        return iter(self.names())

    def __len__(self) -> int:
        return len(self.names())

    def oracles(self) -> tuple[Oracle[..., object], ...]:
        """The oracles it holds, in field order."""
        return tuple(getattr(self, name) for name in oracle_fields(type(self)))


# The field names of each dataclass, worked out once.
_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def field_names(cls: type) -> tuple[str, ...]:
    """The field names of a dataclass, in order."""
    known = _FIELD_NAMES.get(cls)
    if known is None:
        known = _FIELD_NAMES[cls] = tuple(field.name for field in dataclasses.fields(cls))
    return known


# An oracle's declared argument types and answer type.
OracleTypes = tuple[tuple[Any, ...], Any]
# The oracle fields of each view record class, worked out once.
_ORACLE_FIELDS: dict[type, Mapping[str, OracleTypes]] = {}


def oracle_fields(cls: type[View]) -> Mapping[str, OracleTypes]:
    """The oracle fields of a view record: name -> (argument types, answer type), as declared."""
    known = _ORACLE_FIELDS.get(cls)
    if known is None:
        known = _ORACLE_FIELDS[cls] = _declared_oracles(cls)
    return known


def _declared_oracles(cls: type[View]) -> Mapping[str, OracleTypes]:
    found: dict[str, OracleTypes] = {}
    for name, hint in typing.get_type_hints(cls).items():
        if typing.get_origin(hint) is Oracle:
            arguments, answer = typing.get_args(hint)
            if not isinstance(arguments, tuple):
                raise TypeError(f"{cls.__name__}.{name}: declare its arguments, Oracle[[...], answer]")
            found[name] = (arguments, answer)
        elif hint is Oracle:
            raise TypeError(f"{cls.__name__}.{name}: declare the oracle's types, Oracle[[...], answer]")
    return types.MappingProxyType(found)


def _check_oracle(cls: type, name: str, value: object, declared: OracleTypes) -> None:
    arguments, answer = declared
    if not isinstance(value, Oracle):
        raise ChallengerBug(f"{cls.__name__}.{name} must be an Oracle, not a {type(value).__name__}")
    if value.parameter_types != arguments or value.answer_type != answer:
        raise ChallengerBug(
            f"{cls.__name__}.{name} declares Oracle[{list(arguments)}, {answer}], but the oracle "
            f"{value.name!r} takes {list(value.parameter_types)} and answers {value.answer_type}"
        )


# What `_refuse_private` does with a value, by its class (worked out once per class, `_kind_of`).
_PLAIN, _ORACLE, _GROUP, _SECRET, _CALLABLE, _COLLECTION, _MAPPING, _RECORD, _OTHER = range(9)
_KINDS: dict[type, int] = {}


def _kind_of(cls: type) -> int:
    kind = _KINDS.get(cls)
    if kind is None:
        if cls in _PLAIN_TYPES:
            kind = _PLAIN
        elif issubclass(cls, Oracle):
            kind = _ORACLE
        elif cls is Group:  # its validated parameters only: exact ints and strings (Group.__post_init__)
            kind = _GROUP
        elif issubclass(cls, _SECRET_TYPES):
            kind = _SECRET
        elif issubclass(cls, _CALLABLE_TYPES):
            kind = _CALLABLE
        elif issubclass(cls, tuple | list | frozenset | set):
            kind = _COLLECTION
        elif issubclass(cls, Mapping):
            kind = _MAPPING
        elif dataclasses.is_dataclass(cls) and not issubclass(cls, type):
            kind = _RECORD
        else:
            kind = _OTHER
        _KINDS[cls] = kind
    return kind


def _refuse_private(name: str, value: object) -> None:
    """Raise `TypeError` if `value` (or anything inside a container) must not reach the adversary."""
    kind = _kind_of(type(value))
    if kind in (_PLAIN, _ORACLE, _GROUP):
        return
    if kind == _SECRET or getattr(value, "is_challenger_object", False):
        raise TypeError(f"view entry {name!r} would expose a {type(value).__name__} to the adversary")
    if kind == _CALLABLE:
        raise TypeError(f"view entry {name!r} is a plain callable; wrap challenger code in an Oracle")
    if kind == _COLLECTION:
        items: Iterable[object] = typing.cast("Iterable[object]", value)
    elif kind == _MAPPING:
        items = typing.cast("Mapping[object, object]", value).values()
    elif kind == _RECORD:
        items = [getattr(value, field) for field in field_names(type(value))]
    else:
        return
    for item in items:
        if type(item) not in _PLAIN_TYPES:
            _refuse_private(name, item)


def _copy(value: object) -> object:
    """A deep copy of a view's value (its own `__deepcopy__` called directly, as `copy.deepcopy` would)."""
    copier = getattr(value, "__deepcopy__", None)
    return copy.deepcopy(value) if copier is None else copier({})
