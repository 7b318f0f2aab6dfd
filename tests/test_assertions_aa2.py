"""AA-2, accountable assertions from committed once-per-context nonces (spec §3.4 "Alternative AA-2"):
correctness, tampering, extraction, malformed input, costs, and the cross-check against the tree."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest
from hypothesis import assume, given, reject
from hypothesis import strategies as st

from mpgames.scheme import assertions, assertions_aa2
from mpgames.scheme.assertions import StatefulAsserter
from mpgames.scheme.assertions_aa2 import (
    MAX_DEPTH,
    TAG_AA2_APK,
    TAG_AA2_TAU,
    Aa2Asserter,
    Aa2Assertion,
    Aa2PublicKey,
    extract,
    generate,
    verify,
)
from mpgames.scheme.encoding import enc
from mpgames.scheme.errors import (
    ContextReusedError,
    DecodeError,
    InvalidElementError,
    InvalidGroupError,
    InvalidScalarError,
    SchemeError,
)
from mpgames.scheme.groups import Group, clear_member_cache, named_group
from mpgames.scheme.metering import metered
from mpgames.scheme.randomness import SeededRandom
from mpgames.scheme.schnorr import SecretKey, keygen

# A tampered τ verifies by chance with probability about 1/q: the 20-bit group keeps that near 10^-6.
GROUP = named_group("toy-64-20")
DEPTH = 4

seeds = st.integers(min_value=0, max_value=2**32)
"""Seeds for the payer's key and auxsk."""
contexts = st.integers(min_value=0, max_value=(1 << DEPTH) - 1)
statements = st.binary(max_size=32)


def _keys(group: Group, seed: int) -> SecretKey:
    return keygen(group, SeededRandom(f"aa2-key/{seed}"))[1]


def _setup(
    seed: int, depth: int = DEPTH, group: Group = GROUP
) -> tuple[SecretKey, Aa2PublicKey, Aa2Asserter]:
    """(sk, apk, asserter); equal arguments give equal keys, so a second call is a twin asserter.

    In the 20-bit group two of the 2^D nonces coincide for about one seed in 10^4, and Gen refuses
    such a key (test_gen_refuses_a_group_too_small_for_distinct_nonces): Hypothesis skips those seeds."""
    sk = _keys(group, seed)
    try:
        apk, asserter = generate(sk, depth, SeededRandom(f"aa2-aux/{seed}"))
    except SchemeError as err:
        if "nonces repeat" not in str(err):
            raise
        reject()
    return sk, apk, asserter


# -- correctness and tampering ----------------------------------------------------------------------------


@given(seed=seeds, ct=contexts, statement=statements)
def test_an_assertion_verifies_and_survives_encoding(seed: int, ct: int, statement: bytes) -> None:
    _, apk, asserter = _setup(seed)
    tau = asserter.assert_(ct, statement)
    assert verify(apk, ct, statement, tau)
    decoded = Aa2Assertion.from_bytes(apk, tau.to_bytes())
    assert decoded == tau
    assert verify(apk, ct, statement, decoded)
    assert Aa2PublicKey.from_bytes(GROUP, apk.to_bytes()) == apk


def _other_nonce(tau: Aa2Assertion) -> Aa2Assertion:
    return replace(tau, nonce=GROUP.mul(tau.nonce, GROUP.g))


def _other_s(tau: Aa2Assertion) -> Aa2Assertion:
    return replace(tau, s=(tau.s + 1) % GROUP.q)


def _other_path_entry(tau: Aa2Assertion) -> Aa2Assertion:
    first = tau.path[0]
    return replace(tau, path=(bytes([first[0] ^ 1]) + first[1:], *tau.path[1:]))


@pytest.mark.parametrize("tamper", [_other_nonce, _other_s, _other_path_entry], ids=["R", "s", "path"])
@given(seed=seeds, ct=contexts, statement=statements)
def test_a_tampered_field_fails(
    tamper: Callable[[Aa2Assertion], Aa2Assertion], seed: int, ct: int, statement: bytes
) -> None:
    _, apk, asserter = _setup(seed)
    tau = asserter.assert_(ct, statement)
    assert verify(apk, ct, statement, tau)
    assert not verify(apk, ct, statement, tamper(tau))


@given(seed=seeds, ct=contexts, other_ct=contexts, statement=statements, other=statements)
def test_another_statement_context_or_key_fails(
    seed: int, ct: int, other_ct: int, statement: bytes, other: bytes
) -> None:
    assume(statement != other and ct != other_ct)
    _, apk, asserter = _setup(seed)
    tau = asserter.assert_(ct, statement)
    _, other_apk, _ = _setup(seed + 1)
    assert not verify(apk, ct, other, tau)
    assert not verify(apk, other_ct, statement, tau)
    assert not verify(other_apk, ct, statement, tau)


# -- extraction -------------------------------------------------------------------------------------------


@given(seed=seeds, ct=contexts, st0=statements, st1=statements)
def test_equivocation_extracts_the_key(seed: int, ct: int, st0: bytes, st1: bytes) -> None:
    assume(st0 != st1)
    sk, apk, asserter = _setup(seed)
    _, _, twin = _setup(seed)
    x = extract(apk, ct, st0, st1, asserter.assert_(ct, st0), twin.assert_(ct, st1))
    assert x == sk.x
    assert GROUP.gexp(x) == apk.pk.y


def test_extract_gives_nothing_without_equivocation() -> None:
    sk, apk, asserter = _setup(1)
    _, _, twin = _setup(1)
    tau0, tau1 = asserter.assert_(5, b"to Bob"), twin.assert_(5, b"to Carol")
    assert extract(apk, 5, b"to Bob", b"to Carol", tau0, tau1) == sk.x
    assert extract(apk, 5, b"to Bob", b"to Bob", tau0, tau0) is None
    assert extract(apk, 5, b"to Bob", b"to Carol", tau0, _other_s(tau1)) is None
    # Honest assertions of two contexts: each verifies only in its own context.
    tau2 = asserter.assert_(6, b"to Dave")
    assert extract(apk, 5, b"to Bob", b"to Dave", tau0, tau2) is None


def test_honest_assertions_of_all_contexts_share_no_nonce() -> None:
    """Gen commits distinct nonces, so no two contexts form a nonce-reuse pair."""
    _, apk, asserter = _setup(2)
    nonces = {asserter.assert_(ct, b"s").nonce for ct in range(apk.contexts)}
    assert len(nonces) == apk.contexts


def test_gen_refuses_a_group_too_small_for_distinct_nonces() -> None:
    """q = 11 offers 10 nonces for 16 contexts: two would repeat and leak x, so Gen refuses."""
    tiny = named_group("toy-23")
    with pytest.raises(SchemeError, match="repeat"):
        generate(_keys(tiny, 3), 4, SeededRandom(3))
    generate(_keys(tiny, 3), 1, SeededRandom(3))


# -- state, parameters and malformed input ----------------------------------------------------------------


@pytest.mark.parametrize("depth", [0, MAX_DEPTH + 1, True, 2.0])
def test_depth_is_bounded(depth: object) -> None:
    with pytest.raises(SchemeError):
        Aa2Asserter(_keys(GROUP, 4), b"\x00" * 32, depth)  # type: ignore[arg-type]
    with pytest.raises(SchemeError):
        Aa2PublicKey(_keys(GROUP, 4).public, b"\x00" * 32, depth)  # type: ignore[arg-type]


def test_out_of_range_contexts_and_bad_statements() -> None:
    _, apk, asserter = _setup(5)
    tau = asserter.assert_(0, b"s")
    for ct in (-1, 1 << DEPTH, True):
        with pytest.raises(SchemeError):
            asserter.assert_(ct, b"s")
        with pytest.raises(SchemeError):
            verify(apk, ct, b"s", tau)
    with pytest.raises(SchemeError):
        asserter.assert_(1, "text")  # type: ignore[arg-type]
    assert asserter.used_contexts == frozenset({0})


def test_garbled_bytes_raise() -> None:
    _, apk, asserter = _setup(6)
    data = asserter.assert_(3, b"s").to_bytes()
    for bad in (data[:-1], data[:10], data + b"\x00", b"", enc(TAG_AA2_APK) + data[len(enc(TAG_AA2_TAU)) :]):
        with pytest.raises(DecodeError):
            Aa2Assertion.from_bytes(apk, bad)
    tau = Aa2Assertion.from_bytes(apk, data)
    fields = [GROUP.element_bytes(tau.nonce), GROUP.scalar_bytes(tau.s), *tau.path]
    for i, value in ((0, GROUP.element_bytes(GROUP.p - 1)), (1, GROUP.q.to_bytes(GROUP.scalar_len, "big"))):
        with pytest.raises(DecodeError):
            Aa2Assertion.from_bytes(apk, enc(TAG_AA2_TAU, *fields[:i], value, *fields[i + 1 :]))
    with pytest.raises(DecodeError):
        Aa2PublicKey.from_bytes(GROUP, apk.to_bytes()[:-1])
    outside = enc(TAG_AA2_APK, GROUP.element_bytes(GROUP.p - 1), apk.root, DEPTH)
    with pytest.raises(DecodeError):
        Aa2PublicKey.from_bytes(GROUP, outside)


def test_constructing_an_assertion_validates_every_field(std: Group) -> None:
    _, apk, asserter = _setup(7)
    tau = asserter.assert_(2, b"s")
    with pytest.raises(InvalidElementError):
        replace(tau, nonce=GROUP.p - 1)
    with pytest.raises(InvalidScalarError):
        replace(tau, s=GROUP.q)
    for path in ((), (b"\x00" * 31, *tau.path[1:]), ("x" * 32, *tau.path[1:])):
        with pytest.raises(DecodeError):
            replace(tau, path=path)
    with pytest.raises(DecodeError):
        verify(apk, 2, b"s", replace(tau, path=tau.path[1:]))
    _, std_apk, _ = _setup(7, depth=1, group=std)
    with pytest.raises(InvalidGroupError):
        verify(std_apk, 0, b"s", replace(tau, path=tau.path[:1]))


def test_costs() -> None:
    """Gen: K exponentiations (y = g^x is computed once per key); Assert one; Verify two; decoding one
    for a verifier that never saw R_k (cold membership cache), and Verify then one more for the key."""
    depth = 6
    sk = _keys(GROUP, 8)
    assert sk.public.y == GROUP.gexp(sk.x)
    with metered() as cost:
        apk, asserter = generate(sk, depth, SeededRandom(8))
    assert cost.exponentiations == 1 << depth  # one nonce commitment R_k per context
    with metered() as cost:
        tau = asserter.assert_(9, b"s")
    assert cost.exponentiations == 1
    with metered() as cost:
        assert verify(apk, 9, b"s", tau)
    assert cost.exponentiations == 2
    clear_member_cache()
    with metered() as cost:
        decoded = Aa2Assertion.from_bytes(apk, tau.to_bytes())
    assert cost.exponentiations == 1
    with metered() as cost:
        assert verify(apk, 9, b"s", decoded)
    assert cost.exponentiations == 3


@pytest.mark.slow
def test_standard_group_round_trip(std: Group) -> None:
    sk, apk, asserter = _setup(9, depth=3, group=std)
    _, _, twin = _setup(9, depth=3, group=std)
    tau = Aa2Assertion.from_bytes(apk, asserter.assert_(6, b"voucher 6").to_bytes())
    assert verify(apk, 6, b"voucher 6", tau)
    assert extract(apk, 6, b"voucher 6", b"voucher 6'", tau, twin.assert_(6, b"voucher 6'")) == sk.x


# -- cross-check with the binary tree ---------------------------------------------------------------------


def _tree_asserter(sk: SecretKey) -> StatefulAsserter[object]:
    return assertions.generate(sk, DEPTH, SeededRandom("cross"))[1]


def _aa2_asserter(sk: SecretKey) -> StatefulAsserter[object]:
    return assertions_aa2.generate(sk, DEPTH, SeededRandom("cross"))[1]


@pytest.mark.parametrize("make", [_tree_asserter, _aa2_asserter], ids=["tree", "aa2"])
def test_both_asserters_refuse_a_reused_context(
    make: Callable[[SecretKey], StatefulAsserter[object]],
) -> None:
    asserter = make(_keys(GROUP, 10))
    asserter.assert_(7, b"first")
    with pytest.raises(ContextReusedError):
        asserter.assert_(7, b"second")
    assert asserter.used_contexts == frozenset({7})


@given(seed=seeds, ct=contexts, st0=statements, st1=statements)
def test_both_constructions_agree(seed: int, ct: int, st0: bytes, st1: bytes) -> None:
    """For one payer key: both accept honest assertions, reject swapped statements and extract the same x."""
    assume(st0 != st1)
    sk = _keys(GROUP, seed)
    answers = []
    for scheme in (assertions, assertions_aa2):
        apk, asserter = scheme.generate(sk, DEPTH, SeededRandom(seed))
        _, twin = scheme.generate(sk, DEPTH, SeededRandom(seed))
        tau0, tau1 = asserter.assert_(ct, st0), twin.assert_(ct, st1)
        answers.append(
            (
                scheme.verify(apk, ct, st0, tau0),
                scheme.verify(apk, ct, st1, tau0),
                scheme.extract(apk, ct, st0, st1, tau0, tau1),
            )
        )
    assert answers[0] == answers[1] == (True, False, sk.x)
