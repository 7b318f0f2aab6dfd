"""AOS ring signatures (spec §3.3): correctness for every signer and ring size, tamper resistance, the 1/q
acceptance rate of random signatures, anonymity sanity, cost, encoding and malformed input."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, note
from hypothesis import strategies as st
from kat import expected_error, kat_cases
from scipy.stats import binom

from mpgames.scheme.encoding import enc
from mpgames.scheme.errors import DecodeError, InvalidElementError, InvalidScalarError, SchemeError
from mpgames.scheme.groups import Group, named_group
from mpgames.scheme.hashing import Tag
from mpgames.scheme.metering import metered
from mpgames.scheme.randomness import SeededRandom
from mpgames.scheme.ring import RingSignature, canonical_ring, sign, verify
from mpgames.scheme.schnorr import PublicKey, SecretKey, keygen

TOY = named_group("toy-2039")
# Properties that expect a tampered signature to fail run in a group where a random signature verifies
# with probability 1/q ≈ 2^-32; in the 2039 group (1/1019) they would fail now and then by chance.
WIDE = named_group("toy-128-32")

MAX_RING = 8
seeds = st.integers(min_value=0, max_value=2**32)
messages = st.binary(max_size=32)


@st.composite
def rings(draw: st.DrawFn, group: Group) -> tuple[list[SecretKey], int]:
    """The secret keys of a ring of 1..8 distinct members, and the index of the signer among them."""
    xs = draw(st.lists(st.integers(1, group.q - 1), min_size=1, max_size=MAX_RING, unique=True), label="xs")
    signer = draw(st.integers(0, len(xs) - 1), label="signer")
    return [SecretKey(group, x) for x in xs], signer


def _publics(keys: list[SecretKey]) -> list[PublicKey]:
    return [sk.public for sk in keys]


def _case(case: dict) -> tuple[list[PublicKey], bytes, RingSignature]:
    """(L, m, σ) of a KAT case; building the ring keys validates them."""
    group = named_group(case["group"])
    ring = [PublicKey(group, y) for y in case["ring"]]
    return ring, case["message"].encode(), RingSignature(case["c0"], tuple(case["s"]))


# -- known answers ---------------------------------------------------------------------------------


@kat_cases("ring", "valid")
def test_valid_vectors_verify(case: dict) -> None:
    assert verify(*_case(case))


@kat_cases("ring", "rejected")
def test_rejected_vectors_do_not_verify(case: dict) -> None:
    assert not verify(*_case(case))


@kat_cases("ring", "malformed")
def test_malformed_vectors_raise(case: dict) -> None:
    with pytest.raises(expected_error(case)):
        verify(*_case(case))


# -- properties ------------------------------------------------------------------------------------


@pytest.mark.parametrize("group", [TOY, WIDE], ids=lambda g: g.name)
@given(data=st.data(), message=messages, seed=seeds)
def test_any_signer_in_any_ring_verifies(
    group: Group, data: st.DataObject, message: bytes, seed: int
) -> None:
    keys, signer = data.draw(rings(group))
    ring = _publics(keys)
    sig = sign(keys[signer], ring, message, SeededRandom(seed))
    assert len(sig.s) == len(ring)
    assert verify(ring, message, sig)
    assert verify(list(reversed(ring)), message, sig)  # the ring is a set: order does not matter


@given(ring_keys=rings(WIDE), message=messages, other=messages, seed=seeds)
def test_changed_message_fails(
    ring_keys: tuple[list[SecretKey], int], message: bytes, other: bytes, seed: int
) -> None:
    keys, signer = ring_keys
    if other == message:
        other += b"!"
    sig = sign(keys[signer], _publics(keys), message, SeededRandom(seed))
    assert not verify(_publics(keys), other, sig)


@given(ring_keys=rings(WIDE), message=messages, seed=seeds, data=st.data())
def test_changed_ring_key_fails(
    ring_keys: tuple[list[SecretKey], int], message: bytes, seed: int, data: st.DataObject
) -> None:
    keys, signer = ring_keys
    ring = _publics(keys)
    sig = sign(keys[signer], ring, message, SeededRandom(seed))
    replaced = data.draw(st.integers(0, len(ring) - 1), label="replaced member")
    taken = {sk.x for sk in keys}
    newcomer = data.draw(st.integers(1, WIDE.q - 1).filter(lambda x: x not in taken), label="new key")
    ring[replaced] = SecretKey(WIDE, newcomer).public
    assert not verify(ring, message, sig)


@given(ring_keys=rings(WIDE), message=messages, seed=seeds, data=st.data())
def test_any_changed_scalar_fails(
    ring_keys: tuple[list[SecretKey], int], message: bytes, seed: int, data: st.DataObject
) -> None:
    keys, signer = ring_keys
    ring = _publics(keys)
    sig = sign(keys[signer], ring, message, SeededRandom(seed))
    position = data.draw(st.integers(0, len(ring)), label="position (0 is c0, i > 0 is s_(i-1))")
    delta = data.draw(st.integers(1, WIDE.q - 1), label="delta")
    if position == 0:
        tampered = replace(sig, c0=(sig.c0 + delta) % WIDE.q)
    else:
        s = list(sig.s)
        s[position - 1] = (s[position - 1] + delta) % WIDE.q
        tampered = replace(sig, s=tuple(s))
    note(f"σ = {sig}, tampered = {tampered}")
    assert not verify(ring, message, tampered)


# -- random signatures: acceptance rate 1/q --------------------------------------------------------

# 20 000 uniform signatures on a 2-member ring of the 2039 group: about 20 expected acceptances, and the
# 99.9 % acceptance region [7, 36] excludes both 0 (a verifier that rejects everything) and a doubled rate.
RANDOM_TRIALS = 20_000
RANDOM_ALPHA = 1e-3


def test_a_random_signature_verifies_with_probability_one_over_q() -> None:
    ring = _publics([SecretKey(TOY, 7), SecretKey(TOY, 11)])
    rng = SeededRandom("ring/random-forgery")
    accepted = 0
    for _ in range(RANDOM_TRIALS):
        forged = RingSignature(TOY.random_scalar(rng), (TOY.random_scalar(rng), TOY.random_scalar(rng)))
        accepted += verify(ring, b"voucher", forged)
    low, high = binom.interval(1 - RANDOM_ALPHA, RANDOM_TRIALS, 1 / TOY.q)
    assert low >= 1, "the region must exclude zero, or a verifier that never accepts would pass"
    assert low <= accepted <= high, f"{accepted} of {RANDOM_TRIALS} accepted, region [{low}, {high}]"


# -- anonymity sanity, cost, standard group --------------------------------------------------------


def test_signatures_by_different_signers_look_alike() -> None:
    keys = [SecretKey(WIDE, x) for x in (3, 5, 7, 11)]
    ring = _publics(keys)
    sigs = [sign(sk, ring, b"state", SeededRandom(f"ring/anon/{i}")) for i, sk in enumerate(keys)]
    encoded = [sig.to_bytes(WIDE) for sig in sigs]
    assert all(verify(ring, b"state", sig) for sig in sigs)
    assert {len(sig.s) for sig in sigs} == {len(ring)}
    assert {len(data) for data in encoded} == {len(encoded[0])}
    assert len(set(encoded)) == len(sigs)
    assert [RingSignature.from_bytes(WIDE, data, len(ring)) for data in encoded] == sigs


@pytest.mark.parametrize("size", [1, 3, 8])
def test_verification_costs_one_exponentiation_pair_and_one_hash_per_member(size: int) -> None:
    keys = [SecretKey(WIDE, x) for x in range(2, 2 + size)]
    ring = _publics(keys)
    sig = sign(keys[-1], ring, b"m", SeededRandom(size))
    with metered() as counts:
        assert verify(ring, b"m", sig)
    assert (counts.exponentiations, counts.hashes) == (2 * size, size)


def test_standard_group_round_trip(std: Group) -> None:
    rng = SeededRandom("ring/std")
    pairs = [keygen(std, rng) for _ in range(3)]
    ring = [pk for pk, _ in pairs]
    sig = sign(pairs[1][1], ring, b"state 1", rng)
    assert verify(ring, b"state 1", sig)
    assert not verify(ring, b"state 2", sig)
    assert RingSignature.from_bytes(std, sig.to_bytes(std), 3) == sig


# -- rings and signers -----------------------------------------------------------------------------


def test_canonical_ring_sorts_by_encoding_and_refuses_bad_rings() -> None:
    ring = _publics([SecretKey(TOY, x) for x in (13, 7, 11)])
    ordered = canonical_ring(ring)
    assert [pk.to_bytes() for pk in ordered] == sorted(pk.to_bytes() for pk in ring)
    assert canonical_ring(reversed(ring)) == ordered
    foreign = SecretKey(named_group("toy-2579"), 7).public
    for bad in ([], [ring[0], ring[0]], [ring[0], foreign], [ring[0], ring[1].y]):
        with pytest.raises(SchemeError):
            canonical_ring(bad)  # type: ignore[arg-type]


def test_ring_member_outside_the_subgroup_cannot_be_built() -> None:
    with pytest.raises(InvalidElementError):
        PublicKey(TOY, TOY.p - 1)


def test_signer_must_be_a_ring_member_of_the_same_group() -> None:
    ring = _publics([SecretKey(TOY, x) for x in (7, 11)])
    with pytest.raises(SchemeError, match="not in the ring"):
        sign(SecretKey(TOY, 13), ring, b"m", SeededRandom(0))
    with pytest.raises(SchemeError, match="different groups"):
        sign(SecretKey(named_group("toy-2579"), 7), ring, b"m", SeededRandom(0))


def test_verify_refuses_a_non_signature() -> None:
    ring = _publics([SecretKey(TOY, 7)])
    with pytest.raises(SchemeError):
        verify(ring, b"m", (1, (1,)))  # type: ignore[arg-type]


# -- encoding --------------------------------------------------------------------------------------


def test_signature_bytes_are_validated() -> None:
    sig = RingSignature(532, (681, 362, 14))
    data = sig.to_bytes(TOY)
    assert RingSignature.from_bytes(TOY, data, 3) == sig
    for ring_size in (2, 4):
        with pytest.raises(DecodeError):
            RingSignature.from_bytes(TOY, data, ring_size)
    for cut in range(len(data)):
        with pytest.raises(DecodeError):
            RingSignature.from_bytes(TOY, data[:cut], 3)
    with pytest.raises(DecodeError):
        RingSignature.from_bytes(TOY, data + b"\x00", 3)
    for ring_size in (0, -1, True):
        with pytest.raises(DecodeError):
            RingSignature.from_bytes(TOY, data, ring_size)


def test_out_of_range_scalars_do_not_encode_or_decode() -> None:
    with pytest.raises(InvalidScalarError):
        RingSignature(532, (681, TOY.q, 14)).to_bytes(TOY)
    responses = (TOY.scalar_bytes(681), TOY.scalar_bytes(TOY.q), TOY.scalar_bytes(14))
    with pytest.raises(DecodeError, match="out of range"):
        RingSignature.from_bytes(TOY, enc(Tag.RS_AOS, TOY.scalar_bytes(532), responses), 3)


def test_responses_must_be_a_sequence() -> None:
    with pytest.raises(SchemeError):
        RingSignature(1, 5)  # type: ignore[arg-type]
    assert RingSignature(1, [2, 3]).s == (2, 3)
