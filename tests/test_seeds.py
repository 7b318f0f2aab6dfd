"""Seed derivations and the trials' generator (mpgames.framework.seeds, mpgames.scheme.randomness).

The known answers are computed here from hashlib, random and struct directly, after the layout the
module docstring of mpgames.framework.seeds states, not from the functions under test.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import random
import struct

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mpgames.adversaries.dl import RandomLogGuess
from mpgames.framework.engine import make_spec, play_trial, play_trials
from mpgames.framework.errors import UsageError
from mpgames.framework.seeds import SEED_DERIVATIONS, SEEDS, SEEDS_V1, SEEDS_V2, SeedPath
from mpgames.games.dl import DiscreteLog
from mpgames.measure.records import RunResult
from mpgames.scheme.randomness import HashStream

PATH = ("s", "dl", "subgroup", "dl.bsgs", "toy", "toy-64-20")


def _enc(*fields: str | int) -> bytes:
    """enc as scheme §2.3 lays it out: each field as a 4-byte big-endian length, then its bytes (a
    string in UTF-8, an integer as 8 bytes)."""
    out = b""
    for field in fields:
        data = field.encode() if isinstance(field, str) else field.to_bytes(8, "big")
        out += struct.pack(">I", len(data)) + data
    return out


def _v2_trial_key(index: int) -> bytes:
    path_key = hashlib.sha256(b"mpgames/trial-seed/v2" + _enc(*PATH)).digest()
    return hashlib.blake2b(_enc(index), key=path_key, digest_size=32).digest()


def _blocks(key: bytes, person: bytes, count: int) -> bytes:
    return b"".join(
        hashlib.blake2b(j.to_bytes(8, "big"), key=key, person=person).digest() for j in range(count)
    )


def test_v2_streams_are_counter_mode_blake2b_under_the_trial_key() -> None:
    challenger, adversary = SeedPath(*PATH, derivation=SEEDS_V2).streams(7)
    key = _v2_trial_key(7)
    assert challenger.randbytes(100) == _blocks(key, b"challenger", 2)[:100]
    assert adversary.randbytes(64) == _blocks(key, b"adversary", 1)


def test_v1_streams_are_the_former_mersenne_twisters() -> None:
    challenger, adversary = SeedPath(*PATH, derivation=SEEDS_V1).streams(7)
    seed = hashlib.sha256(b"mpgames/trial-seed/v1" + _enc(*PATH, 7)).digest()
    for stream, side in ((challenger, b"/challenger"), (adversary, b"/adversary")):
        reference = random.Random(hashlib.sha256(b"mpgames/seed" + seed + side).digest())
        assert stream.randbelow(10**30) == reference.randrange(10**30)


@pytest.mark.parametrize("derivation", SEED_DERIVATIONS)
def test_keyed_challenger_coins_come_from_the_run_key(derivation: int) -> None:
    run_key = bytes(range(32))
    path = SeedPath(*PATH, derivation=derivation)
    keyed, adversary = path.streams(3, run_key)
    domain = f"mpgames/challenger-coins/v{derivation}".encode()
    key = hmac.digest(run_key, domain + _enc(*PATH, 3), "sha256")
    if derivation == SEEDS_V2:
        assert keyed.randbytes(64) == _blocks(key, b"challenger", 1)
    else:
        assert keyed.randbelow(2**64) == random.Random(
            hashlib.sha256(b"mpgames/seed" + key).digest()
        ).randrange(2**64)
    unkeyed_challenger, unkeyed_adversary = path.streams(3)
    assert unkeyed_adversary.randbytes(32) == adversary.randbytes(32)  # the adversary's stays public
    assert unkeyed_challenger.randbytes(32) != path.streams(3, run_key)[0].randbytes(32)


@pytest.mark.parametrize("derivation", SEED_DERIVATIONS)
def test_challenger_and_adversary_streams_are_independent_and_reproducible(derivation: int) -> None:
    path = SeedPath(*PATH, derivation=derivation)
    challenger, adversary = path.streams(3)
    again, _ = path.streams(3)
    first = challenger.randbytes(16)
    assert first == again.randbytes(16)
    assert first != adversary.randbytes(16)


@pytest.mark.parametrize("derivation", SEED_DERIVATIONS)
def test_every_component_of_the_seed_path_changes_the_trial_seed(derivation: int) -> None:
    base = SeedPath(*PATH, derivation=derivation)
    seeds = {base.trial_seed(0), base.trial_seed(1)}
    names = [field.name for field in dataclasses.fields(SeedPath) if field.name != "derivation"]
    for name in names:
        seeds.add(dataclasses.replace(base, **{name: "other"}).trial_seed(0))
    assert len(seeds) == 2 + len(names)


def test_the_two_derivations_give_different_trials() -> None:
    assert SeedPath(*PATH, derivation=SEEDS_V1).trial_seed(0) != SeedPath(*PATH).trial_seed(0)
    assert SEEDS == SEEDS_V2 == SEED_DERIVATIONS[-1]


@pytest.mark.parametrize("bad", [0, 3, "2", 2.0, True, None])
def test_an_unknown_derivation_is_refused(bad: object) -> None:
    with pytest.raises(UsageError, match="seed derivation must be one of 1, 2"):
        SeedPath(*PATH, derivation=bad)  # type: ignore[arg-type]
    with pytest.raises(UsageError):
        make_spec(DiscreteLog, None, RandomLogGuess, "toy", seed="s", seeds=bad)  # type: ignore[arg-type]


def test_a_run_record_defaults_to_the_current_derivation() -> None:
    (field,) = [field for field in dataclasses.fields(RunResult) if field.name == "seeds"]
    assert field.default == SEEDS


def test_a_trial_replays_the_same_with_either_derivation_and_differs_between_them() -> None:
    outcomes = {}
    for derivation in SEED_DERIVATIONS:
        spec = make_spec(DiscreteLog, None, RandomLogGuess, "toy", seed="s", seeds=derivation, tracing=True)
        played = [outcome.comparable() for outcome in play_trials(spec, 0, 4)]
        assert played == [play_trial(spec, index).comparable() for index in range(4)]
        outcomes[derivation] = [outcome.transcript for outcome in played]
    assert outcomes[SEEDS_V1] != outcomes[SEEDS_V2]


# -- HashStream ----------------------------------------------------------------------------------


@given(sizes=st.lists(st.integers(0, 150), max_size=8))
def test_randbytes_reads_the_block_stream_in_order(sizes: list[int]) -> None:
    key = bytes(32)
    stream = HashStream(key, b"p")
    taken = b"".join(stream.randbytes(size) for size in sizes)
    assert taken == _blocks(key, b"p", len(taken) // 64 + 1)[: len(taken)]


@given(bound=st.integers(1, 2**300))
def test_randbelow_is_rejection_sampling_on_the_high_bits(bound: int) -> None:
    key = bytes([9]) * 32
    value = HashStream(key, b"q").randbelow(bound)
    assert 0 <= value < bound
    bits = (bound - 1).bit_length()
    size = (bits + 7) // 8
    stream = _blocks(key, b"q", 64)
    position = 0
    while True:  # the reference: read ⌈bits/8⌉ bytes, keep the high `bits` bits, retry while ≥ bound
        candidate = int.from_bytes(stream[position : position + size], "big") >> (8 * size - bits)
        position += size
        if candidate < bound:
            break
    assert value == candidate


def test_randbelow_is_uniform_on_a_bound_that_rejects_often() -> None:
    """Bound 5 keeps 3 bits and rejects 3 values in 8: each value 1/5 (χ², 4 degrees of freedom,
    99.9 % critical value 18.47)."""
    stream = HashStream(bytes(32), b"u")
    draws = 20_000
    counts = [0] * 5
    for _ in range(draws):
        counts[stream.randbelow(5)] += 1
    expected = draws / 5
    assert sum((count - expected) ** 2 / expected for count in counts) < 18.47


@pytest.mark.parametrize(
    "key, person, message",
    [
        (bytes(31), b"p", "a stream key is 32 bytes"),
        (bytearray(32), b"p", "a stream key is 32 bytes"),
        (bytes(32), bytes(17), "at most 16 bytes"),
        (bytes(32), "p", "at most 16 bytes"),
    ],
)
def test_a_stream_refuses_a_bad_key_or_personalisation(key: object, person: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        HashStream(key, person)  # type: ignore[arg-type]


@pytest.mark.parametrize("call, argument", [("randbelow", 0), ("randbelow", -3), ("randbytes", -1)])
def test_a_stream_refuses_bad_counts(call: str, argument: int) -> None:
    with pytest.raises(ValueError):
        getattr(HashStream(bytes(32), b"p"), call)(argument)
    with pytest.raises(TypeError):
        getattr(HashStream(bytes(32), b"p"), call)(2.0)
