"""Chameleon hashes (spec §3.2): Krawczyk–Rabin known answers, collisions, key extraction, and the
key-exposure contrast with Ateniese–de Medeiros."""

from __future__ import annotations

import pytest
from hypothesis import assume, given, note
from hypothesis import strategies as st
from kat import kat

from mpgames.scheme.chameleon import (
    TAG_CH_ADM,
    AdmOpening,
    adm_collision,
    adm_hash,
    adm_random_opening,
    ch,
    ch_with_trapdoor,
    collision,
    extract_key,
    hash_message,
    message_scalar,
)
from mpgames.scheme.errors import InvalidScalarError, SchemeError
from mpgames.scheme.groups import Group, named_group
from mpgames.scheme.hashing import hash_to_scalar
from mpgames.scheme.randomness import SeededRandom
from mpgames.scheme.schnorr import SecretKey

SPEC = kat("chameleon")["spec"]
TOY = named_group(SPEC["group"])

# The ADM contrast claims that a computation does NOT give x; in the 2039 group a wrong formula would
# still hit x with probability 1/1019 per example, so it runs where that chance is 2^-32.
WIDE = named_group("toy-128-32")

toy_secrets = st.integers(min_value=1, max_value=TOY.q - 1)
toy_scalars = st.integers(min_value=0, max_value=TOY.q - 1)
seeds = st.integers(min_value=0, max_value=2**32)
documents = st.binary(max_size=32)
"""Byte-string messages."""


# -- Krawczyk–Rabin: known answers -----------------------------------------------------------------


def test_spec_known_answers() -> None:
    """Ch(5; 11) = 1620, x^−1 = 728, Col(7, 5, 11, 100) = 143, Ch(100; 143) = 1620, ExtractCsk = 7."""
    sk = SecretKey(TOY, SPEC["x"])
    pk = sk.public
    assert pk.y == SPEC["y"]
    assert ch(pk, SPEC["m"], SPEC["r"]) == SPEC["ch"]
    assert TOY.inv_scalar(SPEC["x"]) == SPEC["x_inv"]
    assert collision(sk, SPEC["m"], SPEC["r"], SPEC["m_new"]) == SPEC["r_new"]
    assert ch(pk, SPEC["m_new"], SPEC["r_new"]) == SPEC["ch"]
    assert extract_key(TOY, SPEC["m"], SPEC["r"], SPEC["m_new"], SPEC["r_new"]) == SPEC["x"]


def test_out_of_range_inputs_raise() -> None:
    pk = SecretKey(TOY, SPEC["x"]).public
    for m, r in ((TOY.q, 1), (1, TOY.q), (-1, 1)):
        with pytest.raises(InvalidScalarError):
            ch(pk, m, r)


def test_extraction_needs_two_messages() -> None:
    with pytest.raises(SchemeError):
        extract_key(TOY, 5, 11, 5 + TOY.q, 12)


# -- Krawczyk–Rabin: properties --------------------------------------------------------------------


@given(x=toy_secrets, m=toy_scalars, r=toy_scalars, m_new=toy_scalars)
def test_a_collision_opens_the_hash_to_any_message(x: int, m: int, r: int, m_new: int) -> None:
    sk = SecretKey(TOY, x)
    assert ch(sk.public, m_new, collision(sk, m, r, m_new)) == ch(sk.public, m, r)


@given(x=toy_secrets, m=toy_scalars, r=toy_scalars)
def test_trapdoor_evaluation_equals_public_evaluation(x: int, m: int, r: int) -> None:
    sk = SecretKey(TOY, x)
    assert ch_with_trapdoor(sk, m, r) == ch(sk.public, m, r)


@given(x=toy_secrets, m=toy_scalars, r=toy_scalars, m_new=toy_scalars)
def test_any_collision_reveals_the_key(x: int, m: int, r: int, m_new: int) -> None:
    assume(m_new != m)
    sk = SecretKey(TOY, x)
    assert extract_key(TOY, m, r, m_new, collision(sk, m, r, m_new)) == x


@given(document=documents, r=toy_scalars)
def test_hash_message_maps_the_document_first(document: bytes, r: int) -> None:
    pk = SecretKey(TOY, SPEC["x"]).public
    assert hash_message(pk, document, r) == ch(pk, message_scalar(TOY, document), r)


@pytest.mark.parametrize("group_name", ["toy-2039", "rfc5114-2048-256"])
def test_two_published_openings_of_one_root_expose_the_key(group_name: str) -> None:
    """MC-0: the owner commits a root, then opens it to two coins; anyone holding pk and both openings
    recovers x."""
    group = named_group(group_name)
    rng = SeededRandom(f"chameleon/mc0/{group_name}")
    sk = SecretKey(group, group.random_secret(rng))
    r0 = group.random_scalar(rng)
    root = hash_message(sk.public, b"root", r0)
    # The owner publishes two openings of the root.
    m_root = message_scalar(group, b"root")
    coins = [
        (coin, collision(sk, m_root, r0, message_scalar(group, coin))) for coin in (b"coin 1", b"coin 2")
    ]
    # The observer checks both openings and solves for x.
    assert all(hash_message(sk.public, coin, r) == root for coin, r in coins)
    (coin_a, r_a), (coin_b, r_b) = coins
    x = extract_key(group, message_scalar(group, coin_a), r_a, message_scalar(group, coin_b), r_b)
    assert x == sk.x
    assert group.gexp(x) == sk.public.y


# -- Ateniese–de Medeiros --------------------------------------------------------------------------


@given(x=st.integers(1, WIDE.q - 1), document=documents, other=documents, seed=seeds)
def test_adm_collision_verifies_for_any_message(x: int, document: bytes, other: bytes, seed: int) -> None:
    sk = SecretKey(WIDE, x)
    rng = SeededRandom(seed)
    digest = adm_hash(sk.public, document, adm_random_opening(WIDE, rng))
    assert adm_hash(sk.public, other, adm_collision(sk, digest, other, rng)) == digest


def _adm_challenge(group: Group, message: bytes, opening: AdmOpening) -> int:
    """e = H_q(M, r), the exponent of y inside the ADM hash (spec §3.2)."""
    return hash_to_scalar(group.q, TAG_CH_ADM, message, group.scalar_bytes(opening.r))


@given(x=st.integers(1, WIDE.q - 1), seed=seeds)
def test_adm_openings_do_not_expose_the_key(x: int, seed: int) -> None:
    """Key-exposure contrast. Two ADM openings (r, s) of one C are fed to the KR extraction in both
    natural readings: (m, r) ↦ (s, e), since ADM hashes g^s·y^e where KR hashes g^m·y^r, and
    (m, r) ↦ (μ(M), r). Neither yields x, whereas two KR openings always do (tests above)."""
    sk = SecretKey(WIDE, x)
    rng = SeededRandom(seed)
    digest = adm_hash(sk.public, b"coin 1", adm_random_opening(WIDE, rng))
    first = adm_collision(sk, digest, b"coin 1", rng)
    second = adm_collision(sk, digest, b"coin 2", rng)
    assert adm_hash(sk.public, b"coin 1", first) == adm_hash(sk.public, b"coin 2", second) == digest
    e1, e2 = _adm_challenge(WIDE, b"coin 1", first), _adm_challenge(WIDE, b"coin 2", second)
    # The reading is right: C = r − (y^e·g^s mod p mod q).
    assert (first.r - WIDE.mul(WIDE.exp(sk.public.y, e1), WIDE.gexp(first.s)) % WIDE.q) % WIDE.q == digest
    from_exponents = extract_key(WIDE, first.s, e1, second.s, e2)
    m1, m2 = message_scalar(WIDE, b"coin 1"), message_scalar(WIDE, b"coin 2")
    from_messages = extract_key(WIDE, m1, first.r, m2, second.r)
    note(f"candidates {from_exponents}, {from_messages} for x = {x}")
    assert from_exponents != x
    assert from_messages != x
