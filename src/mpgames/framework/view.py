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
from collections.abc import Iterator, Mapping
from typing import Any

from mpgames.framework.errors import ChallengerBug
from mpgames.framework.oracles import Oracle
from mpgames.scheme.randomness import SeededRandom, SystemRandom
from mpgames.scheme.schnorr import SecretKey

# Types that are never public: secrets, generators and the challenger's own objects.
_SECRET_TYPES: tuple[type, ...] = (SecretKey, SeededRandom, SystemRandom)
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
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            _refuse_private(field.name, value)
            if field.name in declared:
                _check_oracle(type(self), field.name, value, declared[field.name])
            object.__setattr__(self, field.name, copy.deepcopy(value))

    def names(self) -> tuple[str, ...]:
        """The names of its fields, in order."""
        return tuple(field.name for field in dataclasses.fields(self))

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


def _refuse_private(name: str, value: object) -> None:
    """Raise `TypeError` if `value` (or anything inside a container) must not reach the adversary."""
    if isinstance(value, Oracle):
        return
    if isinstance(value, _SECRET_TYPES) or getattr(value, "is_challenger_object", False):
        raise TypeError(f"view entry {name!r} would expose a {type(value).__name__} to the adversary")
    if isinstance(value, _CALLABLE_TYPES):
        raise TypeError(f"view entry {name!r} is a plain callable; wrap challenger code in an Oracle")
    if isinstance(value, tuple | list | frozenset | set):
        for item in value:
            _refuse_private(name, item)
    elif isinstance(value, Mapping):
        for item in value.values():
            _refuse_private(name, item)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            _refuse_private(name, getattr(value, field.name))
