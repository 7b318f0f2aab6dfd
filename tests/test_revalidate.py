"""Canonical copies (mpgames.scheme.revalidate) and the framework's boundary built on them
(mpgames.framework.checks, mpgames.framework.oracles, mpgames.framework.context): every value of the
adversary's becomes a fresh object of the challenger's exact types, or a typed refusal."""

from __future__ import annotations

import dataclasses
import enum
from dataclasses import dataclass
from typing import Literal

import pytest

from mpgames.framework.errors import ChallengerBug, MalformedOutput, MalformedQuery
from mpgames.framework.oracles import Oracle
from mpgames.scheme.groups import named_group
from mpgames.scheme.revalidate import MAX_ITEMS, NotCanonicalError, canonical, check_declared
from mpgames.scheme.schnorr import PublicKey, Signature

TOY = named_group("toy-2039")
OTHER = named_group("toy-2579")
# Spec §3.1 KAT: x = 7 in the 2039/1019/4 group gives y = 72; p − y = 1967 has order 2q (p ≡ 3 mod 4).
Y, P_MINUS_Y = 72, 2039 - 72


class LyingInt(int):
    """Equal to everything, hashes like 0, and reports another value through __int__/__index__."""

    def __eq__(self, other: object) -> bool:
        return True

    def __ne__(self, other: object) -> bool:
        return False

    def __hash__(self) -> int:
        return 0

    def __int__(self) -> int:
        return 1

    def __index__(self) -> int:
        return 1


class LyingBytes(bytes):
    def __eq__(self, other: object) -> bool:
        return False

    def __hash__(self) -> int:
        return 0

    def __bytes__(self) -> bytes:
        return b"other"


class LyingTuple(tuple):
    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter((1,))

    def __len__(self) -> int:
        return 1


def test_primitives_become_exact_objects_holding_their_true_value() -> None:
    value = canonical(LyingInt(5), int)
    assert type(value) is int and value == 5 and value != 6
    data = canonical(LyingBytes(b"abc"), bytes)
    assert type(data) is bytes and data == b"abc"
    assert canonical(LyingTuple((3, 4)), tuple[int, ...]) == (3, 4)
    assert canonical([1, LyingInt(2)], tuple[int, int]) == (1, 2)
    with pytest.raises(NotCanonicalError):
        canonical(True, int)  # a bool is no integer here
    with pytest.raises(NotCanonicalError):
        canonical(bytearray(b"x"), bytes)
    with pytest.raises(NotCanonicalError):
        canonical((1, 2, 3), tuple[int, int])


def test_a_sequence_over_the_limit_is_refused() -> None:
    with pytest.raises(NotCanonicalError, match="at most"):
        canonical([0] * (MAX_ITEMS + 1), tuple[int, ...])


def test_a_dataclass_is_rebuilt_by_its_own_constructor() -> None:
    forged = object.__new__(PublicKey)
    object.__setattr__(forged, "group", TOY)
    object.__setattr__(forged, "y", P_MINUS_Y)  # what PublicKey(...) would refuse
    with pytest.raises(NotCanonicalError, match="subgroup"):
        canonical(forged, PublicKey)
    object.__setattr__(forged, "y", LyingInt(Y))
    key = canonical(forged, PublicKey)
    assert type(key) is PublicKey and type(key.y) is int and key == PublicKey(TOY, Y)


def test_each_field_is_read_once() -> None:
    reads = []

    @dataclass(frozen=True)
    class Shifty(Signature):
        @property  # type: ignore[misc]
        def e(self) -> int:
            reads.append("e")
            return len(reads)

    shifty = object.__new__(Shifty)
    object.__setattr__(shifty, "s", 9)
    copy = canonical(shifty, Signature)
    assert type(copy) is Signature and copy == Signature(1, 9) and reads == ["e"]


def test_what_raises_while_read_is_the_values_fault() -> None:
    class Raising(Signature):
        @property
        def s(self) -> int:  # type: ignore[override]
            raise RecursionError("deep")

    raising = object.__new__(Raising)
    object.__setattr__(raising, "e", 1)
    with pytest.raises(NotCanonicalError, match="cannot be read"):
        canonical(raising, Signature)
    with pytest.raises(NotCanonicalError, match="must be a Signature"):
        canonical((1, 2), Signature)


def test_groups_are_pinned_to_the_trials_group() -> None:
    assert canonical(PublicKey(TOY, Y), PublicKey, group=TOY).group is TOY
    with pytest.raises(NotCanonicalError, match="the game's group"):
        canonical(PublicKey(OTHER, OTHER.gexp(3)), PublicKey, group=TOY)
    forged = object.__new__(type(TOY))
    for name, value in (("p", 2039), ("q", 1019), ("g", 5), ("tier", "toy"), ("name", "x")):
        object.__setattr__(forged, name, value)  # g = 5 does not have order q
    key = object.__new__(PublicKey)
    object.__setattr__(key, "group", forged)
    object.__setattr__(key, "y", Y)
    with pytest.raises(NotCanonicalError):
        canonical(key, PublicKey)


class Colour(enum.Enum):
    RED = 1


@dataclass(frozen=True)
class Mixed:
    choice: int | bytes
    layout: Literal["fixed", "other"]
    colour: Colour
    extra: Signature | None = None


def test_unions_literals_and_enums() -> None:
    value = canonical(Mixed(LyingBytes(b"a"), "fixed", Colour.RED), Mixed)
    assert value == Mixed(b"a", "fixed", Colour.RED) and type(value.choice) is bytes
    assert canonical(Mixed(3, "other", Colour.RED, Signature(1, 2)), Mixed).extra == Signature(1, 2)
    with pytest.raises(NotCanonicalError):
        canonical(Mixed(3, "neither", Colour.RED), Mixed)  # type: ignore[arg-type]
    with pytest.raises(NotCanonicalError):
        canonical(dataclasses.replace(Mixed(3, "fixed", Colour.RED), colour=1), Mixed)  # type: ignore[arg-type]


def test_a_type_without_a_canonical_form_is_a_programming_error() -> None:
    check_declared(Mixed)
    for annotation in (object, list, dict[str, int]):
        with pytest.raises(TypeError):
            check_declared(annotation)


@dataclass(frozen=True)
class Chain:
    """A dataclass whose field names the class again."""

    value: int
    rest: Chain | None = None


def test_a_recursive_dataclass_converts_and_names_the_refused_field() -> None:
    copy = canonical(Chain(1, Chain(LyingInt(2))), Chain)
    assert copy == Chain(1, Chain(2)) and type(copy.rest.value) is int  # type: ignore[union-attr]
    with pytest.raises(NotCanonicalError, match=r"^chain\.rest\.value must be int, got str$"):
        canonical(Chain(1, Chain("2")), Chain, "chain")  # type: ignore[arg-type]


class _Host:
    """The least an oracle needs from its trial."""

    current_phase = "attack"
    group = TOY

    def __init__(self) -> None:
        self.faults: list[BaseException] = []

    def record_fault(self, exc: BaseException) -> None:
        self.faults.append(exc)

    def record_bug(self, exc: BaseException) -> None:
        raise AssertionError(exc)

    def trace(self, step: str, **data: object) -> None:
        pass


def test_an_oracle_converts_its_arguments_and_logs_the_copies() -> None:
    seen = []

    def sign(message: bytes, index: int) -> int:
        seen.append((type(message), type(index)))
        return index

    oracle = Oracle("sign", sign, _Host(), budget=None, phases=("attack",))
    liar = LyingBytes(b"m")
    assert oracle(liar, LyingInt(4)) == 4
    assert seen == [(bytes, int)]
    assert oracle.queried(b"m", 4)  # the log holds the true values, which the liar's __eq__ hid
    assert type(oracle.log[0].args[0]) is bytes
    with pytest.raises(MalformedQuery):
        oracle("m", 4)


@pytest.mark.parametrize(
    "fn",
    [
        lambda message: message,  # no declared type
        lambda *args: args,  # not positional
    ],
)
def test_an_oracle_function_must_declare_convertible_types(fn) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ChallengerBug):
        Oracle("o", fn, _Host(), budget=None, phases=("attack",))


def test_an_oracle_parameter_typed_object_is_refused() -> None:
    def open_(escrow: object) -> object:
        return escrow

    with pytest.raises(ChallengerBug, match="no canonical form"):
        Oracle("open", open_, _Host(), budget=None, phases=("attack",))


def test_expect_output_is_the_same_conversion() -> None:
    from mpgames.framework.checks import expect_output

    assert type(expect_output(LyingInt(3), int, "x")) is int
    with pytest.raises(MalformedOutput):
        expect_output("3", int, "x")
