"""Canonical byte encoding `enc(*fields)` and its validating reader (spec §2.4).

`enc` concatenates, for each field, a 4-byte big-endian length and the field's bytes. Fields are
`bytes` (as is), `str` (UTF-8), `int` (small integers: 8-byte unsigned, big-endian) or a nested
tuple/list (encoded recursively, so a ring or a path is one field). Group elements and scalars
have fixed widths that depend on the group: encode them with `Group.element_bytes` /
`Group.scalar_bytes` first.

`FieldReader` is the inverse used by every `from_bytes` of the scheme: it checks each length
prefix, each fixed width, each range and subgroup membership, and that nothing is left over.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from typing import TYPE_CHECKING, TypeAlias

from mpgames.scheme.errors import DecodeError
from mpgames.scheme.integers import checked_int

if TYPE_CHECKING:
    from mpgames.scheme.groups import Group

Field: TypeAlias = "bytes | str | int | Sequence[Field]"

U64_MAX = 2**64 - 1
_LEN_BYTES = 4
U64_LEN = 8
# A u64 field's length prefix and value (see `enc_u64`), then a byte field's length prefix (see
# `enc_u64_bytes`).
_U64_FIELD = struct.Struct(">IQ")
_U64_BYTES_HEADER = struct.Struct(">IQI")
# u64_bytes_header(8, n, length) = [8]_4 || [n]_8 || [length]_4: what `enc(n, data)` puts before a
# `data` of `length` bytes for a u64 n (struct's errors outside those ranges; `enc_u64_bytes` is the
# checked form). One C call: a chain step's layout at the speed of the hash.
u64_bytes_header = _U64_BYTES_HEADER.pack


def u64(n: int) -> bytes:
    """8-byte unsigned big-endian encoding of a small integer (index, counter, amount, time)."""
    return checked_int(n, "a small integer (u64)", minimum=0, maximum=U64_MAX).to_bytes(U64_LEN, "big")


def field_bytes(f: Field) -> bytes:
    """The bytes of one field before its length prefix."""
    if isinstance(f, bytes | bytearray | memoryview):
        return bytes(f)
    if isinstance(f, str):
        return f.encode("utf-8")
    if isinstance(f, int):
        return u64(f)
    if isinstance(f, tuple | list):
        return enc(*f)
    raise TypeError(f"cannot encode a field of type {type(f).__name__}")


def enc(*fields: Field) -> bytes:
    """Length-prefixed concatenation of the fields."""
    parts = []
    for f in fields:
        data = f if type(f) is bytes else field_bytes(f)
        parts.append(len(data).to_bytes(_LEN_BYTES, "big"))
        parts.append(data)
    return b"".join(parts)


def enc_u64(n: int) -> bytes:
    """enc(n), laid out in one call for an exact `int` n in the u64 range (a trial index); any other
    argument goes through `enc` (its errors too). The layout is `enc`'s: [8]_4 || [n]_8."""
    if type(n) is int:
        try:
            return _U64_FIELD.pack(U64_LEN, n)
        except struct.error:  # n outside [0, U64_MAX]: enc refuses it
            pass
    return enc(n)


def enc_u64_bytes(n: int, data: bytes) -> bytes:
    """enc(n, data), laid out in one call for an exact `int` n and exact `bytes` data (a chain step's
    (i, w_i)); any other argument, or an n outside the u64 range, goes through `enc` (its errors too).

    The layout is `enc`'s: [8]_4 || [n]_8 || [len(data)]_4 || data (tests/test_microcoin_fast_path.py
    checks the two agree on arbitrary values)."""
    if type(n) is int and type(data) is bytes:
        try:
            return u64_bytes_header(U64_LEN, n, len(data)) + data
        except struct.error:  # n outside [0, U64_MAX] (or data of 2^32 bytes or more): enc refuses it
            pass
    return enc(n, data)


class FieldReader:
    """Reads the fields of an `enc` string one by one, validating each."""

    def __init__(self, data: bytes, what: str = "value") -> None:
        if not isinstance(data, bytes | bytearray):
            raise DecodeError(f"{what}: expected bytes")
        self._data = bytes(data)
        self._pos = 0
        self._what = what

    def raw(self) -> bytes:
        """The next field's bytes, whatever their length."""
        if self._pos + _LEN_BYTES > len(self._data):
            raise DecodeError(f"{self._what}: truncated (missing length prefix)")
        n = int.from_bytes(self._data[self._pos : self._pos + _LEN_BYTES], "big")
        self._pos += _LEN_BYTES
        if self._pos + n > len(self._data):
            raise DecodeError(f"{self._what}: truncated (field of {n} bytes runs past the end)")
        out = self._data[self._pos : self._pos + n]
        self._pos += n
        return out

    def fixed(self, length: int, name: str) -> bytes:
        out = self.raw()
        if len(out) != length:
            raise DecodeError(f"{self._what}: {name} must be {length} bytes, got {len(out)}")
        return out

    def tag(self, expected: bytes) -> None:
        if self.raw() != expected:
            raise DecodeError(f"{self._what}: wrong type tag (expected {expected.decode()})")

    def small_int(self, name: str, *, maximum: int = U64_MAX) -> int:
        value = int.from_bytes(self.fixed(8, name), "big")
        if value > maximum:
            raise DecodeError(f"{self._what}: {name} = {value} exceeds {maximum}")
        return value

    def text(self, name: str) -> str:
        try:
            return self.raw().decode("utf-8")
        except UnicodeDecodeError:
            raise DecodeError(f"{self._what}: {name} is not UTF-8") from None

    def element(self, group: Group, name: str) -> int:
        value = int.from_bytes(self.fixed(group.element_len, name), "big")
        if not group.is_element(value):
            raise DecodeError(f"{self._what}: {name} is not an element of the order-q subgroup")
        return value

    def scalar(self, group: Group, name: str) -> int:
        value = int.from_bytes(self.fixed(group.scalar_len, name), "big")
        if value >= group.q:
            raise DecodeError(f"{self._what}: {name} is out of range [0, q)")
        return value

    def nested(self, name: str) -> FieldReader:
        """A reader over the next field, itself an `enc` string (a tuple or list field)."""
        return FieldReader(self.raw(), f"{self._what}.{name}")

    def at_end(self) -> bool:
        return self._pos == len(self._data)

    def done(self) -> None:
        if not self.at_end():
            raise DecodeError(f"{self._what}: {len(self._data) - self._pos} trailing bytes")
