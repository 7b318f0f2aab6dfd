"""Schnorr signatures (spec §3.1): known answers, nonce-reuse key recovery, properties, malformed input."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, note
from hypothesis import strategies as st
from kat import expected_error, kat, kat_cases

from mpgames.scheme.encoding import enc
from mpgames.scheme.errors import DecodeError, InvalidElementError, InvalidScalarError, SchemeError
from mpgames.scheme.groups import Group, named_group
from mpgames.scheme.hashing import Tag
from mpgames.scheme.randomness import SeededRandom
from mpgames.scheme.schnorr import (
    PublicKey,
    SecretKey,
    Signature,
    keygen,
    recover_key_from_nonce_reuse,
    sign,
    verify,
)

SPEC = kat("schnorr")["spec"]

# Properties that expect a tampered signature to fail run in a group where a random forgery succeeds
# with probability 1/q ≈ 2^-32; in the 2039 group (1/1019) they would fail now and then by chance.
GROUP = named_group("toy-128-32")

secrets = st.integers(min_value=1, max_value=GROUP.q - 1)
"""Secret keys of GROUP."""
messages = st.binary(max_size=48)
seeds = st.integers(min_value=0, max_value=2**32)
"""Seeds for the signer's nonce generator."""
shifts = st.integers(min_value=1, max_value=GROUP.q - 1)
"""Non-zero changes to a scalar."""


def _signature_case(case: dict) -> tuple[Signature, PublicKey, bytes]:
    """(σ, pk, m) of a KAT case; building the key validates it."""
    pk = PublicKey(named_group(case["group"]), case["y"])
    return Signature(case["e"], case["s"]), pk, case["message"].encode()


# -- known answers ---------------------------------------------------------------------------------


def test_spec_known_answer_algebra() -> None:
    """x = 7 → y = 72; k = 123 → R = 572; with e = 77, s = 662 and g^s = R·y^e."""
    group = named_group(SPEC["group"])
    sk = SecretKey(group, SPEC["x"])
    assert sk.public.y == SPEC["y"]
    assert group.gexp(SPEC["k"]) == SPEC["R"]
    assert (SPEC["k"] + SPEC["e"] * SPEC["x"]) % group.q == SPEC["s"]
    assert group.gexp(SPEC["s"]) == group.mul(SPEC["R"], group.exp(SPEC["y"], SPEC["e"]))


def test_spec_nonce_reuse_recovers_the_key() -> None:
    """Same k = 123 with e = 77 and e2 = 500: x = (s1 − s2)/(e1 − e2) = 7."""
    group = named_group(SPEC["group"])
    assert (SPEC["k"] + SPEC["e2"] * SPEC["x"]) % group.q == SPEC["s2"]
    first, second = Signature(SPEC["e"], SPEC["s"]), Signature(SPEC["e2"], SPEC["s2"])
    assert recover_key_from_nonce_reuse(group, first, second) == SPEC["x"]


def test_nonce_reuse_through_sign_recovers_the_key(toy: Group) -> None:
    sk = SecretKey(toy, SPEC["x"])
    first = sign(sk, b"first message", nonce=SPEC["k"])
    second = sign(sk, b"second message", nonce=SPEC["k"])
    assert verify(first, sk.public, b"first message") and verify(second, sk.public, b"second message")
    assert first.e != second.e
    assert recover_key_from_nonce_reuse(toy, first, second) == SPEC["x"]
    # Distinct nonces give a wrong "key": the attack needs the reuse.
    fresh = sign(sk, b"second message", SeededRandom(1))
    assert recover_key_from_nonce_reuse(toy, first, fresh) != SPEC["x"]


def test_nonce_reuse_needs_distinct_challenges(toy: Group) -> None:
    with pytest.raises(SchemeError):
        recover_key_from_nonce_reuse(toy, Signature(5, 1), Signature(5, 2))


@kat_cases("schnorr", "valid")
def test_valid_vectors_verify(case: dict) -> None:
    assert verify(*_signature_case(case))


@kat_cases("schnorr", "rejected")
def test_rejected_vectors_do_not_verify(case: dict) -> None:
    assert not verify(*_signature_case(case))


@kat_cases("schnorr", "malformed")
def test_malformed_vectors_raise(case: dict) -> None:
    with pytest.raises(expected_error(case)):
        verify(*_signature_case(case))


# -- properties ------------------------------------------------------------------------------------


@given(x=secrets, message=messages, seed=seeds)
def test_sign_then_verify(x: int, message: bytes, seed: int) -> None:
    sk = SecretKey(GROUP, x)
    assert verify(sign(sk, message, SeededRandom(seed)), sk.public, message)


@given(x=secrets, message=messages, seed=seeds, other=messages)
def test_changed_message_fails(x: int, message: bytes, seed: int, other: bytes) -> None:
    if other == message:
        other += b"!"
    sk = SecretKey(GROUP, x)
    assert not verify(sign(sk, message, SeededRandom(seed)), sk.public, other)


@given(x=secrets, message=messages, seed=seeds, delta=shifts, which=st.sampled_from(["e", "s"]))
def test_changed_scalar_fails(x: int, message: bytes, seed: int, delta: int, which: str) -> None:
    sk = SecretKey(GROUP, x)
    sig = sign(sk, message, SeededRandom(seed))
    tampered = replace(sig, **{which: (getattr(sig, which) + delta) % GROUP.q})
    note(f"σ = {sig}, tampered = {tampered}")
    assert not verify(tampered, sk.public, message)


@given(x=secrets, other=secrets, message=messages, seed=seeds)
def test_other_key_fails(x: int, other: int, message: bytes, seed: int) -> None:
    if other == x:
        other = x % (GROUP.q - 1) + 1
    sig = sign(SecretKey(GROUP, x), message, SeededRandom(seed))
    assert not verify(sig, SecretKey(GROUP, other).public, message)


@given(e=st.integers(0, GROUP.q - 1), s=st.integers(0, GROUP.q - 1))
def test_signature_bytes_round_trip(e: int, s: int) -> None:
    data = Signature(e, s).to_bytes(GROUP)
    assert Signature.from_bytes(GROUP, data) == Signature(e, s)


def test_standard_group_round_trip(std: Group) -> None:
    pk, sk = keygen(std, SeededRandom("schnorr/std"))
    sig = sign(sk, b"pay 5 to B", SeededRandom("schnorr/std/nonce"))
    assert verify(sig, pk, b"pay 5 to B")
    assert not verify(sig, pk, b"pay 6 to B")
    assert Signature.from_bytes(std, sig.to_bytes(std)) == sig


# -- malformed input -------------------------------------------------------------------------------


def test_out_of_range_scalars_raise(toy: Group) -> None:
    sk = SecretKey(toy, SPEC["x"])
    sig = sign(sk, b"m", SeededRandom(0))
    for bad in (Signature(sig.e, toy.q), Signature(toy.q + sig.e, sig.s), Signature(sig.e, -1)):
        with pytest.raises(InvalidScalarError):
            verify(bad, sk.public, b"m")


def test_truncated_or_padded_signature_bytes_raise(toy: Group) -> None:
    data = Signature(77, 662).to_bytes(toy)
    for cut in range(len(data)):
        with pytest.raises(DecodeError):
            Signature.from_bytes(toy, data[:cut])
    with pytest.raises(DecodeError):
        Signature.from_bytes(toy, data + b"\x00")
    with pytest.raises(DecodeError, match="out of range"):
        Signature.from_bytes(toy, enc(Tag.SIG_SCHNORR, toy.scalar_bytes(77), toy.scalar_bytes(toy.q)))


@pytest.mark.parametrize("y", [642, 177, 466])
def test_public_key_outside_the_subgroup_raises(y: int) -> None:
    """Orders 2, 3 and 6 in the p = 643 group (p − 1 = 6·107)."""
    with pytest.raises(InvalidElementError):
        PublicKey(named_group("toy-643"), y)


def test_public_key_bytes(toy: Group) -> None:
    pk = SecretKey(toy, SPEC["x"]).public
    assert PublicKey.from_bytes(toy, pk.to_bytes()) == pk
    with pytest.raises(DecodeError):
        PublicKey.from_bytes(toy, pk.to_bytes() + b"\x00")
    with pytest.raises(DecodeError):
        PublicKey.from_bytes(toy, toy.element_bytes(toy.p - 1))


def test_secret_key_range_and_repr(toy: Group) -> None:
    for bad in (0, toy.q):
        with pytest.raises(InvalidScalarError):
            SecretKey(toy, bad)
    assert "x=<hidden>" in repr(SecretKey(toy, 7))
