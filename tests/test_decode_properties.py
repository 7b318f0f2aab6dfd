"""Every decoder of the project fed arbitrary or mutated bytes (spec §2.4, §2.2: validate external values).

The property, for each decoder: the input is either refused with the decoder's typed error
(`DecodeError` for the scheme's `from_bytes` and `decode_coin`, `VectorError` for win-vector files), or
it decodes to a value whose encoding is exactly the input. No other exception type escapes, and no
input makes a decoder hang (each call runs under a time limit).

Inputs come in three kinds:

* arbitrary bytes (`st.binary`);
* "field soup": the leading fields of a valid encoding (its type tag at least) followed by fields
  that look right, drawn from the fields of valid encodings and from group-aware values (elements,
  non-members, scalars, u64s, digests), so that decoding gets past the tag into the later checks;
* mutations of valid encodings made by the real encoders on the toy groups "toy-2039" (every
  decoder) and "toy-64-20" (a few): truncation, extension, inserted or deleted bytes, a flipped bit,
  a changed length prefix, fields swapped, dropped, duplicated or replaced. A mutated input may
  still be a valid encoding of another value; then it must round-trip exactly.

`FieldReader` itself gets the same property for random read plans, and every decoder refuses a
value that is not bytes with `DecodeError`. A win vector is JSON, so its round trip is by value: a
file that loads gives a vector whose `as_dict` equals the file's JSON value (and, for the canonical
files the harness writes, the exact bytes).
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeAlias, TypeVar

import pytest
from hypothesis import HealthCheck, currently_in_test_context, event, given, note, settings
from hypothesis import strategies as st

from mpgames.framework.errors import TrialTimeout
from mpgames.framework.timelimit import call_with_limit
from mpgames.scheme import ring, schnorr
from mpgames.scheme.assertions import FIXED, RKS_AS_PUBLISHED, Asserter, Assertion, AssertionPublicKey
from mpgames.scheme.assertions_aa2 import Aa2Asserter, Aa2Assertion, Aa2PublicKey
from mpgames.scheme.encoding import U64_MAX, FieldReader, enc, u64
from mpgames.scheme.errors import DecodeError, SchemeError
from mpgames.scheme.groups import Group, named_group
from mpgames.scheme.microcoin import VARIANTS, Aux, Commit, PayWordGen, decode_coin, microcoin_gen
from mpgames.scheme.randomness import SeededRandom
from mpgames.scheme.ring import RingSignature
from mpgames.scheme.schnorr import PublicKey, SecretKey, Signature
from mpgames.scheme.vouchers import Mp1State, Mp2State, Mp3State, RingVoucher, SchnorrVoucher
from mpgames.vectors import VectorError, WinVector, load_vector

TOY = "toy-2039"
WIDE = "toy-64-20"
# A decode of a few hundred bytes takes well under a millisecond; anything near this is a hang.
DECODE_SECONDS = 2.0
WINS = Path(__file__).parent / "vectors" / "wins"

T = TypeVar("T")
Draw: TypeAlias = Callable[[st.SearchStrategy[Any]], Any]
# An `enc` string as a tree: a leaf field's bytes, or the list of fields of a nested `enc` string.
Node: TypeAlias = "bytes | list[Node]"


# -- enc strings as trees, and mutations of them ---------------------------------------------------------


def _split(data: bytes) -> list[bytes] | None:
    """The fields of `data` if it is exactly an `enc` string of one field or more, else None."""
    fields, pos = [], 0
    while pos < len(data):
        if pos + 4 > len(data):
            return None
        size = int.from_bytes(data[pos : pos + 4], "big")
        pos += 4
        if pos + size > len(data):
            return None
        fields.append(data[pos : pos + size])
        pos += size
    return fields or None


def _node(field: bytes, depth: int) -> Node:
    inner = _split(field) if depth < 4 else None
    return field if inner is None else [_node(f, depth + 1) for f in inner]


def as_tree(data: bytes) -> list[Node] | None:
    """`data` as a tree of fields (a leaf that happens to parse as `enc` is nested: same bytes)."""
    fields = _split(data)
    return None if fields is None else [_node(f, 1) for f in fields]


def containers(tree: list[Node]) -> Iterator[list[Node]]:
    """Every list of fields in the tree, the top level first."""
    yield tree
    for child in tree:
        if isinstance(child, list):
            yield from containers(child)


def prefix_offsets(tree: list[Node], start: int = 0) -> Iterator[int]:
    """Byte offsets of every length prefix in `enc(*tree)`, nested ones included."""
    pos = start
    for child in tree:
        yield pos
        if isinstance(child, list):
            yield from prefix_offsets(child, pos + 4)
        pos += 4 + len(enc(child))


def _leaves(tree: list[Node]) -> Iterator[bytes]:
    """Every field of the tree, nested lists both as one field and field by field."""
    for child in tree:
        if isinstance(child, list):
            yield enc(*child)
            yield from _leaves(child)
        else:
            yield child


# -- the decoders and valid encodings of them -----------------------------------------------------------


@dataclass(frozen=True)
class Codec:
    """One decoder, the encoder it inverts, and valid encodings made with that encoder."""

    name: str
    decode: Callable[[bytes], object]
    encode: Callable[[Any], bytes]
    samples: tuple[bytes, ...]
    tag: bytes = b""

    def __str__(self) -> str:
        return self.name


def _distinct_keys(group: Group, rng: SeededRandom, count: int) -> list[SecretKey]:
    """`count` key pairs with distinct public keys (two keys coincide now and then in a toy group)."""
    keys: dict[int, SecretKey] = {}
    while len(keys) < count:
        pk, sk = schnorr.keygen(group, rng)
        keys.setdefault(pk.y, sk)
    return list(keys.values())


def _first_tag(sample: bytes) -> bytes:
    fields = _split(sample)
    return fields[0] if fields else b""


def _schnorr_codecs(group: Group, rng: SeededRandom, sks: list[SecretKey]) -> list[Codec]:
    pks = [sk.public for sk in sks]
    sigs = [schnorr.sign(sk, b"decode %d" % i, rng) for i, sk in enumerate(sks)]
    members = pks[:3]
    ring_sigs = [ring.sign(sk, members, b"ring %d" % i, rng) for i, sk in enumerate(sks[:3])]
    return [
        Codec(
            "PublicKey",
            functools.partial(PublicKey.from_bytes, group),
            PublicKey.to_bytes,
            tuple(pk.to_bytes() for pk in pks),
        ),
        Codec(
            "Signature",
            functools.partial(Signature.from_bytes, group),
            lambda sig: sig.to_bytes(group),
            tuple(sig.to_bytes(group) for sig in sigs),
        ),
        Codec(
            "RingSignature[3]",
            lambda data: RingSignature.from_bytes(group, data, 3),
            lambda sig: sig.to_bytes(group),
            tuple(sig.to_bytes(group) for sig in ring_sigs),
        ),
        Codec(
            "RingSignature[1]",
            lambda data: RingSignature.from_bytes(group, data, 1),
            lambda sig: sig.to_bytes(group),
            (ring.sign(sks[0], pks[:1], b"alone", rng).to_bytes(group),),
        ),
    ]


def _assertion_codecs(group: Group, sks: list[SecretKey]) -> list[Codec]:
    auxsk = bytes(range(32))
    codecs, apks = [], []
    for variant in (FIXED, RKS_AS_PUBLISHED):
        asserter = Asserter(sks[0], auxsk, 4, variant=variant)
        apk = asserter.public
        apks.append(apk.to_bytes())
        taus = tuple(asserter.assert_(ct, b"statement %d" % ct).to_bytes() for ct in (0, 5, 15))
        codecs.append(
            Codec(
                f"Assertion[{variant}]",
                functools.partial(Assertion.from_bytes, apk),
                Assertion.to_bytes,
                taus,
            )
        )
    codecs.append(
        Codec(
            "AssertionPublicKey",
            functools.partial(AssertionPublicKey.from_bytes, group),
            AssertionPublicKey.to_bytes,
            tuple(apks),
        )
    )
    for sk in sks:  # Gen refuses a key whose 2^3 nonces repeat (a toy group only)
        try:
            aa2 = Aa2Asserter(sk, auxsk, 3)
        except SchemeError:
            continue
        break
    else:
        raise AssertionError("no key of the sample gives AA-2 nonces that do not repeat")
    apk2 = aa2.public
    codecs += [
        Codec(
            "Aa2PublicKey",
            functools.partial(Aa2PublicKey.from_bytes, group),
            Aa2PublicKey.to_bytes,
            (apk2.to_bytes(),),
        ),
        Codec(
            "Aa2Assertion",
            functools.partial(Aa2Assertion.from_bytes, apk2),
            Aa2Assertion.to_bytes,
            tuple(aa2.assert_(ct, b"voucher %d" % ct).to_bytes() for ct in (0, 7)),
        ),
    ]
    return codecs


def _voucher_codecs(group: Group, rng: SeededRandom, sks: list[SecretKey]) -> list[Codec]:
    pks = [sk.public for sk in sks]
    cid = rng.randbytes(32)
    mp1 = (
        Mp1State(pks[0], 100, 40, cid),
        Mp1State(pks[1], U64_MAX, U64_MAX, bytes(32)),
        Mp1State(pks[2], 0, 0, cid),
    )
    mp2 = (Mp2State(cid, 50, 100, 3, 40, 2), Mp2State(cid, U64_MAX, U64_MAX, U64_MAX, 0, U64_MAX))
    mp3 = (Mp3State(cid, 50, 45, 100, 3, 40), Mp3State(bytes(32), 0, 0, 7, 0, 7))
    schnorr1 = tuple(SchnorrVoucher.issue(sks[0], state, rng).to_bytes(group) for state in mp1[:2])
    schnorr2 = tuple(SchnorrVoucher.issue(sks[1], state, rng).to_bytes(group) for state in mp2)
    ringed = tuple(RingVoucher.issue(sks[2], pks[:3], state, rng).to_bytes(group) for state in mp3)
    return [
        Codec(
            "Mp1State",
            functools.partial(Mp1State.from_bytes, group),
            Mp1State.to_bytes,
            tuple(s.to_bytes() for s in mp1),
        ),
        Codec(
            "Mp2State",
            functools.partial(Mp2State.from_bytes, group),
            Mp2State.to_bytes,
            tuple(s.to_bytes() for s in mp2),
        ),
        Codec(
            "Mp3State",
            functools.partial(Mp3State.from_bytes, group),
            Mp3State.to_bytes,
            tuple(s.to_bytes() for s in mp3),
        ),
        Codec(
            "SchnorrVoucher[Mp1State]",
            lambda data: SchnorrVoucher.from_bytes(group, data, Mp1State),
            lambda v: v.to_bytes(group),
            schnorr1,
        ),
        Codec(
            "SchnorrVoucher[Mp2State]",
            lambda data: SchnorrVoucher.from_bytes(group, data, Mp2State),
            lambda v: v.to_bytes(group),
            schnorr2,
        ),
        Codec(
            "RingVoucher[3]",
            lambda data: RingVoucher.from_bytes(group, data, 3),
            lambda v: v.to_bytes(group),
            ringed,
        ),
    ]


def _microcoin_codecs(group: Group, rng: SeededRandom, sks: list[SecretKey]) -> list[Codec]:
    codecs = []
    for name, variant in VARIANTS.items():
        gen = microcoin_gen(sks[0], sks[1].public, 12, 4, 100, variant=variant, rng=rng)
        if isinstance(gen, PayWordGen):
            gen.chain()
            gen.link()
        coins = tuple(gen.coin(j).to_bytes() for j in (1, 4))
        codecs += [
            Codec(
                f"Commit[{name}]",
                functools.partial(Commit.from_bytes, group, variant),
                Commit.to_bytes,
                (gen.commit.to_bytes(),),
            ),
            Codec(
                f"decode_coin[{name}]",
                functools.partial(decode_coin, group, variant),
                lambda coin: coin.to_bytes(),
                coins,
            ),
            Codec(
                f"Aux[{name}]",
                functools.partial(Aux.from_bytes, group, variant),
                Aux.to_bytes,
                (gen.aux.to_bytes(),),
            ),
        ]
    return codecs


@functools.cache
def codecs(group_name: str) -> dict[str, Codec]:
    """Every decoder of the scheme, by name, with samples made on the named group."""
    group = named_group(group_name)
    rng = SeededRandom(f"decode-properties/{group_name}")
    sks = _distinct_keys(group, rng, 4)
    found = [
        *_schnorr_codecs(group, rng, sks),
        *_assertion_codecs(group, sks),
        *_voucher_codecs(group, rng, sks),
        *_microcoin_codecs(group, rng, sks),
    ]
    return {
        codec.name: Codec(codec.name, codec.decode, codec.encode, codec.samples, _first_tag(codec.samples[0]))
        for codec in found
    }


TOY_CODECS = list(codecs(TOY))
WIDE_CODECS = [
    "PublicKey",
    "Signature",
    "RingSignature[3]",
    "Assertion[fixed]",
    "Aa2Assertion",
    "RingVoucher[3]",
    "Aux[mc-b]",
    "Aux[mc-b-unbound-n]",
    "decode_coin[mc-0-adm]",
]
CASES = [pytest.param(TOY, name, id=f"{TOY}-{name}") for name in TOY_CODECS] + [
    pytest.param(WIDE, name, id=f"{WIDE}-{name}") for name in WIDE_CODECS
]


# -- the property -----------------------------------------------------------------------------------------


def explain(message: str) -> None:
    """`note` inside a Hypothesis test; nothing in the plain tests that share the helpers."""
    if currently_in_test_context():
        note(message)


def _limited(fn: Callable[[], T], what: str) -> T:
    """fn() under DECODE_SECONDS of wall-clock time; a hang fails the test with its input named."""
    try:
        return call_with_limit(fn, DECODE_SECONDS)
    except TrialTimeout:
        pytest.fail(f"{what} ran past {DECODE_SECONDS} s (a hang)")


def check_decode(codec: Codec, data: bytes) -> object | None:
    """`DecodeError`, or a value that re-encodes to exactly `data`; any other exception propagates."""
    explain(f"{codec.name} <- {len(data)} bytes: {data.hex()}")
    try:
        value = _limited(lambda: codec.decode(data), f"{codec.name}.decode({data.hex()})")
    except DecodeError as err:
        explain(f"refused: {err}")
        event("refused: " + re.sub(r"\d+", "N", str(err))[:70])
        return None
    event("decoded")
    again = codec.encode(value)
    explain(f"decoded to {value!r}; re-encoded: {again.hex()}")
    assert again == data, f"{codec.name}: {data.hex()} decodes to {value!r}, which encodes to {again.hex()}"
    return value


@functools.cache
def field_pool(group_name: str) -> tuple[bytes, ...]:
    """Every field (leaf or nested) of every valid sample on the group: fields that look right."""
    pool: set[bytes] = set()
    for codec in codecs(group_name).values():
        for sample in codec.samples:
            tree = as_tree(sample)
            pool.update(_leaves(tree or []))
    return tuple(sorted(pool))


@functools.cache
def plausible_fields(group_name: str) -> st.SearchStrategy[bytes]:
    """Field contents a decoder of this group might accept: sample fields and group-aware values."""
    group = named_group(group_name)
    elements = st.integers(1, group.q - 1).map(lambda k: group.element_bytes(group.gexp(k)))
    return st.one_of(
        st.sampled_from(field_pool(group_name)),
        elements,
        st.integers(0, group.p - 1).map(group.element_bytes),  # mostly non-members
        st.integers(0, group.q - 1).map(group.scalar_bytes),
        st.integers(group.q, 256**group.scalar_len - 1).map(group.scalar_bytes),  # out of range
        st.one_of(st.integers(0, 20), st.integers(0, U64_MAX)).map(u64),
        st.binary(min_size=32, max_size=32),
        st.sampled_from([b"fixed", b"rks-as-published", b"\xff\xfe", b""]),
        st.lists(st.integers(0, group.q - 1).map(group.scalar_bytes), max_size=4).map(lambda f: enc(*f)),
        st.binary(max_size=40),
    )


def _structural(draw: Draw, data: bytes, pool: st.SearchStrategy[bytes], kind: str) -> bytes:
    """Swap, drop, duplicate or replace a field of one (possibly nested) list of fields."""
    tree = as_tree(data)
    if tree is None:
        return data
    box = draw(st.sampled_from(list(containers(tree))), label="container")
    i = draw(st.integers(0, len(box) - 1), label="field")
    if kind == "swap" and len(box) > 1:
        j = draw(st.integers(0, len(box) - 2), label="other field")
        j += j >= i
        box[i], box[j] = box[j], box[i]
    elif kind == "drop":
        del box[i]
    elif kind == "duplicate":
        box.insert(i, box[i])
    elif kind == "replace":
        box[i] = draw(pool, label="new field")
    return enc(*tree)


def _length_prefix(draw: Draw, data: bytes) -> bytes:
    """Set one length prefix (at any nesting level) to a nearby, extreme or random value."""
    tree = as_tree(data)
    if tree is None:
        return data
    at = draw(st.sampled_from(list(prefix_offsets(tree))), label="prefix offset")
    old = int.from_bytes(data[at : at + 4], "big")
    new = draw(
        st.sampled_from([max(old - 1, 0), min(old + 1, 2**32 - 1), 0, 2**32 - 1, min(len(data), 2**32 - 1)])
        | st.integers(0, 2**32 - 1),
        label="new length",
    )
    return data[:at] + new.to_bytes(4, "big") + data[at + 4 :]


def mutate(draw: Draw, data: bytes, pool: st.SearchStrategy[bytes]) -> bytes:
    """One mutation of `data` (module docstring); noted so that a failure names what was done."""
    kind = draw(
        st.sampled_from(
            [
                "truncate",
                "extend",
                "append field",
                "insert",
                "delete",
                "flip",
                "set byte",
                "length prefix",
                "swap",
                "drop",
                "duplicate",
                "replace",
            ]
        ),
        label="mutation",
    )
    size = len(data)
    if kind == "truncate" and size:
        data = data[: draw(st.integers(0, size - 1), label="cut")]
    elif kind == "extend":
        data = data + draw(st.binary(min_size=1, max_size=12), label="tail")
    elif kind == "append field":
        data = data + enc(draw(pool, label="extra field"))
    elif kind == "insert":
        at = draw(st.integers(0, size), label="at")
        data = data[:at] + draw(st.binary(min_size=1, max_size=8), label="inserted") + data[at:]
    elif kind == "delete" and size:
        at = draw(st.integers(0, size - 1), label="at")
        data = data[:at] + data[at + draw(st.integers(1, 8), label="deleted") :]
    elif kind == "flip" and size:
        at, bit = draw(st.integers(0, size - 1), label="at"), draw(st.integers(0, 7), label="bit")
        data = data[:at] + bytes([data[at] ^ (1 << bit)]) + data[at + 1 :]
    elif kind == "set byte" and size:
        at = draw(st.integers(0, size - 1), label="at")
        data = data[:at] + bytes([draw(st.integers(0, 255), label="byte")]) + data[at + 1 :]
    elif kind == "length prefix":
        data = _length_prefix(draw, data)
    elif kind in ("swap", "drop", "duplicate", "replace"):
        data = _structural(draw, data, pool, kind)
    explain(f"after {kind}: {data.hex()}")
    return data


@st.composite
def mutated(draw: Draw, codec: Codec, group_name: str) -> bytes:
    """A valid encoding of `codec`'s type after one to three mutations."""
    data = draw(st.sampled_from(codec.samples), label="valid sample")
    explain(f"valid sample: {data.hex()}")
    for _ in range(draw(st.integers(1, 3), label="mutations")):
        data = mutate(draw, data, plausible_fields(group_name))
    return data


@st.composite
def field_soup(draw: Draw, codec: Codec, group_name: str) -> bytes:
    """The first fields of a valid sample (the type tag at least), then 0–12 plausible fields: gets
    past the tag and the leading fields into the later field checks."""
    sample = _split(draw(st.sampled_from(codec.samples), label="sample")) or [codec.tag]
    kept = sample[: draw(st.integers(1, len(sample)), label="fields kept")]
    fields = draw(st.lists(plausible_fields(group_name), max_size=12), label="fields")
    return enc(*kept, *fields)


# -- the scheme's decoders --------------------------------------------------------------------------------


def test_the_samples_are_valid_encodings() -> None:
    """The sanity base of the mutation tests: every sample decodes and re-encodes to itself."""
    for group_name in (TOY, WIDE):
        for codec in codecs(group_name).values():
            for sample in codec.samples:
                assert codec.encode(codec.decode(sample)) == sample, codec.name


@pytest.mark.parametrize(("group_name", "name"), CASES)
@settings(max_examples=30)
@given(data=st.data())
def test_arbitrary_bytes_are_refused_or_round_trip(group_name: str, name: str, data: st.DataObject) -> None:
    """Arbitrary bytes, bytes after the type tag, and field soup (module docstring)."""
    codec = codecs(group_name)[name]
    blob = data.draw(
        st.one_of(
            st.binary(max_size=96),
            st.binary(max_size=12).map(lambda tail: codec.tag + tail),
            st.binary(max_size=40).map(lambda tail: enc(codec.tag) + tail),
            field_soup(codec, group_name),
        ),
        label="bytes",
    )
    check_decode(codec, blob)


@pytest.mark.parametrize(("group_name", "name"), CASES)
@settings(max_examples=30)
@given(data=st.data())
def test_mutated_encodings_are_refused_or_round_trip(group_name: str, name: str, data: st.DataObject) -> None:
    codec = codecs(group_name)[name]
    check_decode(codec, data.draw(mutated(codec, group_name), label="mutated"))


@pytest.mark.parametrize("name", TOY_CODECS)
def test_every_truncation_and_every_bit_flip_of_a_sample(name: str) -> None:
    """Exhaustive on one sample: each prefix is refused; each one-bit flip is refused or round-trips."""
    codec = codecs(TOY)[name]
    sample = codec.samples[0]
    for cut in range(len(sample)):
        with pytest.raises(DecodeError):
            codec.decode(sample[:cut])
    for at in range(len(sample)):
        for bit in range(8):
            flipped = sample[:at] + bytes([sample[at] ^ (1 << bit)]) + sample[at + 1 :]
            try:
                value = codec.decode(flipped)
            except DecodeError:
                continue
            assert codec.encode(value) == flipped, f"{name}: bit {bit} of byte {at}"


@pytest.mark.parametrize("name", TOY_CODECS)
def test_a_value_that_is_not_bytes_is_a_decode_error(name: str) -> None:
    for bad in ("text", "ab", None, 7, [1, 2], 1.5):
        with pytest.raises(DecodeError):
            codecs(TOY)[name].decode(bad)  # type: ignore[arg-type]


# -- FieldReader itself -----------------------------------------------------------------------------------

# A read plan: the FieldReader calls to make, in order; ("nested", plan) reads a nested field with `plan`.
Step: TypeAlias = "tuple[str, Any]"

_LEAF_STEPS = st.one_of(
    st.just(("raw", None)),
    st.integers(0, 9).map(lambda n: ("fixed", n)),
    st.sampled_from([b"TAG", b""]).map(lambda t: ("tag", t)),
    st.sampled_from([U64_MAX, 0, 1000]).map(lambda m: ("small_int", m)),
    st.just(("text", None)),
    st.just(("element", None)),
    st.just(("scalar", None)),
)
read_plans = st.recursive(
    st.lists(_LEAF_STEPS, max_size=6),
    lambda inner: st.lists(_LEAF_STEPS | inner.map(lambda plan: ("nested", plan)), max_size=5),
    max_leaves=12,
)
"""Read plans: lists of FieldReader calls, with nested reads."""


def _read(reader: FieldReader, plan: Sequence[Step], group: Group) -> list[Node]:
    """Follow the plan, check each value read, and return the fields that re-encode what was read."""
    fields: list[Node] = []
    for op, arg in plan:
        if op == "raw":
            fields.append(reader.raw())
        elif op == "fixed":
            out = reader.fixed(arg, "f")
            assert isinstance(out, bytes) and len(out) == arg
            fields.append(out)
        elif op == "tag":
            reader.tag(arg)
            fields.append(arg)
        elif op == "small_int":
            n = reader.small_int("n", maximum=arg)
            assert 0 <= n <= arg
            fields.append(u64(n))
        elif op == "text":
            fields.append(reader.text("t").encode("utf-8"))
        elif op == "element":
            y = reader.element(group, "y")
            assert group.is_element(y)
            fields.append(group.element_bytes(y))
        elif op == "scalar":
            s = reader.scalar(group, "s")
            assert 0 <= s < group.q
            fields.append(group.scalar_bytes(s))
        else:
            fields.append(_read(reader.nested("inner"), arg, group))  # which ends with done()
    reader.done()
    return fields


def _plan_fields(draw: Draw, plan: Sequence[Step], group: Group) -> list[Node]:
    """Fields that the plan reads back successfully (before any mutation)."""
    out: list[Node] = []
    for op, arg in plan:
        if op == "fixed":
            out.append(draw(st.binary(min_size=arg, max_size=arg)))
        elif op == "tag":
            out.append(arg)
        elif op == "small_int":
            out.append(u64(draw(st.integers(0, arg))))
        elif op == "text":
            out.append(draw(st.text(max_size=6)).encode("utf-8"))
        elif op == "element":
            out.append(group.element_bytes(group.gexp(draw(st.integers(1, group.q - 1)))))
        elif op == "scalar":
            out.append(group.scalar_bytes(draw(st.integers(0, group.q - 1))))
        elif op == "nested":
            out.append(_plan_fields(draw, arg, group))
        else:
            out.append(draw(st.binary(max_size=10)))
    return out


@settings(max_examples=150)
@given(plan=read_plans, group_name=st.sampled_from([TOY, WIDE]), data=st.data())
def test_field_reader_refuses_or_reads_exactly_the_input(
    plan: list[Step], group_name: str, data: st.DataObject
) -> None:
    """Any plan, over conforming, mutated or arbitrary bytes: `DecodeError`, or fields that re-encode it."""
    group = named_group(group_name)
    source = data.draw(st.sampled_from(["conforming", "plausible", "arbitrary"]), label="source")
    if source == "conforming":
        blob = enc(*_plan_fields(data.draw, plan, group))
    elif source == "plausible":
        blob = enc(*data.draw(st.lists(plausible_fields(group_name), max_size=6), label="fields"))
    else:
        blob = data.draw(st.binary(max_size=64), label="bytes")
    for _ in range(data.draw(st.integers(0, 2), label="mutations")):
        blob = mutate(data.draw, blob, plausible_fields(group_name))
    explain(f"plan {plan!r} over {blob.hex()}")
    try:
        fields = _limited(lambda: _read(FieldReader(blob, "sample"), plan, group), "FieldReader")
    except DecodeError as err:
        explain(f"refused: {err}")
        return
    assert enc(*fields) == blob


# -- win vectors ------------------------------------------------------------------------------------------


def _canonical(vector: WinVector) -> bytes:
    """The bytes `save_wins` writes for a vector."""
    return (json.dumps(vector.as_dict(), indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _same_json(a: object, b: object) -> bool:
    """Equal JSON values (NaN equal to NaN, key order ignored)."""
    return json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


@functools.cache
def vector_samples() -> tuple[bytes, ...]:
    """Canonical files of a few committed vectors."""
    paths = sorted(WINS.glob("*.json"))[:3]
    return tuple(_canonical(load_vector(path)) for path in paths)


@pytest.fixture(scope="module")
def vector_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("vectors") / "vector.json"


def check_vector_file(path: Path, data: bytes) -> WinVector | None:
    """`VectorError`, or a vector whose `as_dict` is the file's JSON value; nothing else escapes."""
    explain(f"vector file, {len(data)} bytes: {data[:400]!r}")
    path.write_bytes(data)
    try:
        vector = _limited(lambda: load_vector(path), "load_vector")
    except VectorError as err:
        explain(f"refused: {err}")
        return None
    parsed = json.loads(data.decode("utf-8"))
    assert _same_json(vector.as_dict(), parsed), f"loaded {vector!r}, which is not the file's {parsed!r}"
    return vector


def test_committed_vectors_round_trip_exactly(vector_file: Path) -> None:
    for sample in vector_samples():
        vector = check_vector_file(vector_file, sample)
        assert vector is not None and _canonical(vector) == sample


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=8,
)
"""Arbitrary JSON values (NaN and infinities included: Python's json reads them)."""

# Placeholders that the text of a mutated vector replaces with what `json.dumps` cannot write.
_DEEP = "\x00deep\x00"
_HUGE = "\x00huge\x00"
_SURROGATE = "\x00surrogate\x00"


@st.composite
def mutated_vector_json(draw: Draw) -> bytes:
    """A committed vector with one JSON-level edit: a key added, removed or given another value,
    a string with a lone surrogate, an integer too long to read, or nesting too deep to read."""
    value = json.loads(draw(st.sampled_from(vector_samples()), label="valid vector"))
    path: list[Any] = []
    box: Any = value
    while isinstance(box, dict | list) and box and draw(st.booleans(), label="descend"):
        key = draw(st.sampled_from(list(box) if isinstance(box, dict) else list(range(len(box)))))
        if not isinstance(box[key], dict | list) or not box[key]:
            break
        path.append(key)
        box = box[key]
    edits = ["add key", "remove", "replace", "surrogate", "huge int", "deep"]
    edit = draw(st.sampled_from(edits), label="edit")
    keys = list(box) if isinstance(box, dict) else list(range(len(box)))
    if edit == "add key" and isinstance(box, dict):
        box[draw(st.text(max_size=8), label="new key")] = draw(json_values, label="new value")
    elif edit == "add key":
        box.append(draw(json_values, label="new item"))
    elif edit == "remove":
        del box[draw(st.sampled_from(keys), label="removed")]
    else:
        replacement = {"surrogate": _SURROGATE, "huge int": _HUGE, "deep": _DEEP}.get(edit)
        at = draw(st.sampled_from(keys), label="edited")
        box[at] = draw(json_values, label="new value") if replacement is None else replacement
    explain(f"{edit} at {path!r}")
    text = json.dumps(value, indent=2, ensure_ascii=False)
    text = text.replace(json.dumps(_SURROGATE), '"\\ud800 lone"').replace(json.dumps(_HUGE), "1" * 5000)
    text = text.replace(json.dumps(_DEEP), "[" * 100_000 + "]" * 100_000)
    return (text + "\n").encode("utf-8")


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_vector_files_are_refused_or_round_trip(vector_file: Path, data: st.DataObject) -> None:
    pool = st.sampled_from([b'"', b"{", b"}", b"[", b",", b":", b"null", b"\xff", b"\xc3", b"\\u"])
    blob = data.draw(
        st.one_of(
            st.binary(max_size=64),
            mutated_vector_json(),
            st.sampled_from(vector_samples()),
        ),
        label="file",
    )
    for _ in range(data.draw(st.integers(0, 2), label="byte mutations")):
        blob = mutate(data.draw, blob, pool)
    check_vector_file(vector_file, blob)


@pytest.mark.parametrize(
    "text",
    [
        b"\xff\xfe{}",  # not UTF-8
        b"[" * 100_000 + b"]" * 100_000,  # deeper than the JSON reader recurses
        b'{"trial": ' + b"9" * 5000 + b"}",  # an integer longer than int() reads
        b"\xef\xbb\xbf{}",  # a UTF-8 byte order mark
        "{}".encode("utf-16"),
    ],
    ids=["not-utf8", "deep", "huge-int", "bom", "utf16"],
)
def test_unreadable_vector_files_are_vector_errors(vector_file: Path, text: bytes) -> None:
    vector_file.write_bytes(text)
    with pytest.raises(VectorError):
        load_vector(vector_file)


def test_vector_with_unknown_keys_or_unencodable_text_is_refused() -> None:
    """Keys the reader would drop, and text that cannot be hashed into the digest, are refused."""
    base = json.loads(vector_samples()[0])
    edits: list[Callable[[dict[str, Any]], None]] = [
        lambda d: d.update(extra=1),
        lambda d: d["note"].update(extra="x"),
        lambda d: d["transcript"][0].update(extra="x"),
        lambda d: d["transcript"][0].update(step="\ud800"),
        lambda d: d.update(seed="\udfff"),
    ]
    for edit in edits:
        data = json.loads(json.dumps(base))
        edit(data)
        with pytest.raises(VectorError):
            WinVector.from_dict(data)
