"""Canonical encoding `enc` and its validating reader `FieldReader` (spec §2.4)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from kat import kat

from mpgames.scheme.encoding import U64_MAX, FieldReader, enc, u64
from mpgames.scheme.errors import DecodeError, SchemeError
from mpgames.scheme.groups import Group

small_ints = st.integers(min_value=0, max_value=U64_MAX)
"""Small integers (indices, counters, amounts): the full u64 range."""


def test_enc_layout_is_byte_exact() -> None:
    """Per field: a 4-byte big-endian length, then bytes as is, str as UTF-8, int as u64, tuple nested."""
    encoded = enc(b"ab", "é", 5, (b"x", b""))
    assert encoded == bytes.fromhex(kat("encoding")["layout_hex"])


def test_nested_field_equals_its_encoding_as_bytes() -> None:
    assert enc((b"x", 7)) == enc(enc(b"x", 7))
    assert enc([b"x", 7]) == enc((b"x", 7))


def test_enc_refuses_unknown_field_types() -> None:
    with pytest.raises(TypeError):
        enc(1.5)  # type: ignore[arg-type]


def test_u64_range() -> None:
    assert u64(0) == bytes(8)
    assert u64(U64_MAX) == b"\xff" * 8
    for bad in (-1, U64_MAX + 1, True, 1.0):
        with pytest.raises(SchemeError):
            u64(bad)  # type: ignore[arg-type]
    with pytest.raises(SchemeError):
        enc(-1)


@given(blob=st.binary(max_size=40), text=st.text(max_size=20), n=small_ints, inner=st.binary(max_size=10))
def test_field_reader_round_trip(blob: bytes, text: str, n: int, inner: bytes) -> None:
    reader = FieldReader(enc(b"TAG", blob, text, n, (inner, n), b"\x00" * 5), "sample")
    reader.tag(b"TAG")
    assert reader.raw() == blob
    assert reader.text("text") == text
    assert reader.small_int("n") == n
    nested = reader.nested("inner")
    assert (nested.raw(), nested.small_int("n")) == (inner, n)
    nested.done()
    assert reader.fixed(5, "padding") == b"\x00" * 5
    reader.done()


def test_group_fields_round_trip(toy: Group) -> None:
    y, s = toy.gexp(5), toy.q - 1
    reader = FieldReader(enc(toy.element_bytes(y), toy.scalar_bytes(s)))
    assert reader.element(toy, "y") == y
    assert reader.scalar(toy, "s") == s
    reader.done()


@given(fields=st.lists(st.binary(max_size=12), min_size=1, max_size=4), data=st.data())
def test_every_truncation_raises(fields: list[bytes], data: st.DataObject) -> None:
    encoded = enc(*fields)
    cut = data.draw(st.integers(min_value=0, max_value=len(encoded) - 1), label="cut")
    reader = FieldReader(encoded[:cut], "truncated")
    with pytest.raises(DecodeError):
        for _ in fields:
            reader.raw()
        reader.done()


def test_trailing_bytes_raise() -> None:
    reader = FieldReader(enc(b"a") + b"\x00", "trailing")
    assert reader.raw() == b"a"
    with pytest.raises(DecodeError, match="trailing"):
        reader.done()


def test_wrong_fixed_width_raises(toy: Group) -> None:
    with pytest.raises(DecodeError):
        FieldReader(enc(b"abc")).fixed(4, "field")
    with pytest.raises(DecodeError):
        FieldReader(enc(b"\x00" * (toy.scalar_len + 1))).scalar(toy, "s")
    with pytest.raises(DecodeError):
        FieldReader(enc(u64(5)[1:])).small_int("n")


def test_out_of_range_scalar_raises(toy: Group) -> None:
    with pytest.raises(DecodeError, match="out of range"):
        FieldReader(enc(toy.scalar_bytes(toy.q))).scalar(toy, "s")


@pytest.mark.parametrize("value", [0, 1, 2038, 7])
def test_non_member_element_raises(toy: Group, value: int) -> None:
    """0, the identity, p − 1 (order 2) and 7 (order 2038) are not in the order-1019 subgroup."""
    with pytest.raises(DecodeError, match="subgroup"):
        FieldReader(enc(toy.element_bytes(value))).element(toy, "y")


def test_small_int_maximum_and_bad_input() -> None:
    assert FieldReader(enc(9)).small_int("n", maximum=9) == 9
    with pytest.raises(DecodeError, match="exceeds"):
        FieldReader(enc(10)).small_int("n", maximum=9)
    with pytest.raises(DecodeError):
        FieldReader(enc(b"TAG")).tag(b"GAT")
    with pytest.raises(DecodeError, match="UTF-8"):
        FieldReader(enc(b"\xff")).text("name")
    with pytest.raises(DecodeError, match="bytes"):
        FieldReader("not bytes")  # type: ignore[arg-type]
