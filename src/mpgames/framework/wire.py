"""The byte codec of the adversary boundary (harness §6a; docs/isolation.md "The wire").

An isolated adversary (mpgames.framework.isolation) talks to the challenger through a socket, and
everything that crosses it is bytes in this encoding: the views and oracle answers the challenger
sends, the oracle queries and stage outputs the adversary sends back, and the messages around
them. It is a self-describing, length-prefixed tree:

    value  := tag payload
    N, T, F                          None, True, False
    I sign:u8 len:u32 magnitude      an int (big-endian magnitude)
    X f64                            a float (IEEE 754, big-endian)
    B len:u32 bytes | S len:u32 utf8 bytes, str
    U n:u32 value* | L n:u32 value*  tuple, list
    D n:u32 (value value)*           dict
    R name n:u32 (field value)*      a dataclass instance: "module:QualName", then its fields
    E name member                    an Enum member
    O name budget                    an oracle (its name and budget); the adversary gets a stub

Decoding is never `pickle`: it builds only the types above, checks every length against what is
left and against `MAX_ITEMS` / `MAX_DEPTH`, and refuses trailing bytes. The two directions trust
different things:

* `decode_public` (the adversary's side) builds records of any dataclass the name points to, as
  the challenger encoded them (their fields set as they are: the challenger's objects are valid);
* `decode_untrusted` (the challenger's side) builds only the dataclasses and enums reachable from a
  declared type (`boundary_types`), never an oracle; what it returns is then converted by
  `mpgames.framework.checks` like any other adversary value, so each record passes its own
  constructor's validation before the challenger uses it.

A decoding failure is a `WireError`; on the challenger's side that is the adversary's fault.
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import importlib
import struct
import typing
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from mpgames.framework.oracles import Oracle
from mpgames.scheme.errors import SchemeError
from mpgames.scheme.revalidate import MAX_ITEMS

# Nesting deeper than any value of the scheme (a Merkle path is a tuple of records, not a nest).
MAX_DEPTH = 48
# The largest int the wire carries: 2^(8·MAX_INT_BYTES); far above any group of the scheme.
MAX_INT_BYTES = 1 << 14

_U32 = struct.Struct(">I")
_F64 = struct.Struct(">d")


class WireError(SchemeError):
    """Bytes that are not a well-formed encoding, or name a type the receiver does not accept."""


@dataclasses.dataclass(frozen=True)
class OracleRef:
    """An oracle as the wire carries it: what the adversary's stub needs to know of it."""

    name: str
    budget: int | None


# -- encoding ------------------------------------------------------------------------------------
def encode(value: object) -> bytes:
    """The encoding of `value`: built-ins, dataclass instances, enum members, oracles and nests of them."""
    out = bytearray()
    _encode(value, out, 0)
    return bytes(out)


def _len(n: int, out: bytearray) -> None:
    out += _U32.pack(n)


def _text(text: str, out: bytearray) -> None:
    data = text.encode()
    _len(len(data), out)
    out += data


def _encode(value: object, out: bytearray, depth: int) -> None:
    if depth > MAX_DEPTH:
        raise WireError(f"a value nests deeper than {MAX_DEPTH} levels")
    kind = type(value)
    if value is None:
        out += b"N"
    elif kind is bool:
        out += b"T" if value else b"F"
    elif kind is int:
        number = typing.cast(int, value)
        magnitude = abs(number).to_bytes((abs(number).bit_length() + 7) // 8, "big")
        out += b"I" + (b"\x01" if number < 0 else b"\x00")
        _len(len(magnitude), out)
        out += magnitude
    elif kind is float:
        out += b"X" + _F64.pack(typing.cast(float, value))
    elif kind is bytes:
        data = typing.cast(bytes, value)
        out += b"B"
        _len(len(data), out)
        out += data
    elif kind is str:
        out += b"S"
        _text(typing.cast(str, value), out)
    elif kind in (tuple, list):
        items = typing.cast("Sequence[object]", value)
        out += b"U" if kind is tuple else b"L"
        _len(len(items), out)
        for item in items:
            _encode(item, out, depth + 1)
    elif kind is dict:
        pairs = typing.cast("dict[object, object]", value)
        out += b"D"
        _len(len(pairs), out)
        for key, item in pairs.items():
            _encode(key, out, depth + 1)
            _encode(item, out, depth + 1)
    elif isinstance(value, Oracle):
        out += b"O"
        _text(value.name, out)
        _encode(value.budget, out, depth + 1)
    elif isinstance(value, enum.Enum):
        out += b"E"
        _text(_name(kind), out)
        _text(value.name, out)
    elif dataclasses.is_dataclass(value):
        fields = dataclasses.fields(value)
        out += b"R"
        _text(_name(kind), out)
        _len(len(fields), out)
        for field in fields:
            _text(field.name, out)
            _encode(getattr(value, field.name), out, depth + 1)
    else:
        raise WireError(f"a {kind.__name__} has no wire encoding")


def _name(cls: type) -> str:
    return f"{cls.__module__}:{cls.__qualname__}"


# -- decoding ------------------------------------------------------------------------------------
RecordFactory = Callable[[str], type]
OracleFactory = Callable[[OracleRef], object]


class _Reader:
    """A cursor over received bytes; every length is checked against what is left."""

    def __init__(self, data: bytes, record: RecordFactory, oracle: OracleFactory | None) -> None:
        self.data = memoryview(data)
        self.at = 0
        self.record = record
        self.oracle = oracle

    def take(self, n: int) -> bytes:
        if n > len(self.data) - self.at:
            raise WireError("the encoding ends early")
        chunk = bytes(self.data[self.at : self.at + n])
        self.at += n
        return chunk

    def count(self, limit: int = MAX_ITEMS) -> int:
        (n,) = _U32.unpack(self.take(4))
        if n > limit:
            raise WireError(f"a length of {n} is over the limit of {limit}")
        return int(n)

    def text(self) -> str:
        try:
            return self.take(self.count(len(self.data))).decode()
        except UnicodeDecodeError:
            raise WireError("a string is not UTF-8") from None

    def value(self, depth: int) -> object:
        if depth > MAX_DEPTH:
            raise WireError(f"a value nests deeper than {MAX_DEPTH} levels")
        tag = self.take(1)
        simple = _SIMPLE.get(tag)
        if simple is not None:
            return simple[0]
        if tag == b"I":
            sign = self.take(1)
            if sign not in (b"\x00", b"\x01"):
                raise WireError("an int's sign byte is neither 0 nor 1")
            magnitude = int.from_bytes(self.take(self.count(MAX_INT_BYTES)), "big")
            return -magnitude if sign == b"\x01" else magnitude
        if tag == b"X":
            return float(_F64.unpack(self.take(_F64.size))[0])
        if tag == b"B":
            return self.take(self.count(len(self.data)))
        if tag == b"S":
            return self.text()
        if tag in (b"U", b"L"):
            items = [self.value(depth + 1) for _ in range(self.count())]
            return tuple(items) if tag == b"U" else items
        if tag == b"D":
            pairs = [(self.value(depth + 1), self.value(depth + 1)) for _ in range(self.count())]
            try:
                return dict(pairs)
            except TypeError:
                raise WireError("a dict key is not hashable") from None
        if tag == b"R":
            return self.dataclass(depth)
        if tag == b"E":
            cls = self.record(self.text())
            member = self.text()
            if not issubclass(cls, enum.Enum) or member not in cls.__members__:
                raise WireError(f"{cls.__name__} has no member {member!r}")
            return cls.__members__[member]
        if tag == b"O" and self.oracle is not None:
            name, budget = self.text(), self.value(depth + 1)
            if budget is not None and type(budget) is not int:
                raise WireError("an oracle's budget is not an int")
            return self.oracle(OracleRef(name, budget))
        raise WireError(f"unknown tag {tag!r}")

    def dataclass(self, depth: int) -> object:
        cls = self.record(self.text())
        names = tuple(field.name for field in dataclasses.fields(cls))
        if self.count() != len(names):
            raise WireError(f"a {cls.__name__} must have the {len(names)} fields {', '.join(names)}")
        instance: object = object.__new__(cls)
        for expected in names:
            if self.text() != expected:
                raise WireError(f"the fields of a {cls.__name__} must be {', '.join(names)}, in order")
            object.__setattr__(instance, expected, self.value(depth + 1))
        return instance


_SIMPLE: dict[bytes, tuple[object]] = {b"N": (None,), b"T": (True,), b"F": (False,)}


def _decode(data: bytes, record: RecordFactory, oracle: OracleFactory | None) -> object:
    if type(data) is not bytes:
        raise WireError("only bytes decode")
    reader = _Reader(data, record, oracle)
    value = reader.value(0)
    if reader.at != len(data):
        raise WireError(f"{len(data) - reader.at} bytes follow the encoded value")
    return value


def decode_public(data: bytes, oracle: OracleFactory) -> object:
    """A value the challenger encoded (the adversary's side: views, answers, messages); its records
    are of the classes their names point to, and its oracles become `oracle(ref)`."""
    return _decode(data, _importable, oracle)


def decode_untrusted(data: bytes, accepted: Mapping[str, type]) -> object:
    """A value the adversary encoded, with records and enums only of the `accepted` classes (by
    wire name: `boundary_types`), and no oracle. The result is raw: convert it before any use."""

    def record(name: str) -> type:
        try:
            return accepted[name]
        except KeyError:
            raise WireError(f"the type {name!r} is not accepted here") from None

    return _decode(data, record, None)


def _importable(name: str) -> type:
    module_name, _, qualname = name.partition(":")
    try:
        found: Any = importlib.import_module(module_name)
        for part in qualname.split("."):
            found = getattr(found, part)
    except (ImportError, AttributeError, ValueError):
        raise WireError(f"no type {name!r} here") from None
    if not isinstance(found, type) or not (dataclasses.is_dataclass(found) or issubclass(found, enum.Enum)):
        raise WireError(f"{name!r} is neither a dataclass nor an enum")
    return found


@functools.cache
def boundary_types(*annotations: Any) -> Mapping[str, type]:
    """The dataclasses and enums, by wire name, that a value of the declared types may contain."""
    found: dict[str, type] = {}
    pending: list[Any] = list(annotations)
    while pending:
        annotation = pending.pop()
        pending.extend(typing.get_args(annotation))
        if not isinstance(annotation, type) or _name(annotation) in found:
            continue
        if issubclass(annotation, enum.Enum):
            found[_name(annotation)] = annotation
        elif dataclasses.is_dataclass(annotation):
            found[_name(annotation)] = annotation
            pending.extend(typing.get_type_hints(annotation).values())
    return found
