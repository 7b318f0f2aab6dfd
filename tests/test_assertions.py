"""Accountable assertions, binary tree (spec §3.4): correctness, tampering, the sibling leak of the
published layout against the fixed tree, extraction from equivocation, malformed input and costs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest
from hypothesis import assume, given, note
from hypothesis import strategies as st

from mpgames.scheme.assertions import (
    DEFAULT_DEPTH,
    FIXED,
    RKS_AS_PUBLISHED,
    TAG_AA_APK,
    TAG_AA_TAU,
    VARIANTS,
    Asserter,
    Assertion,
    AssertionLevel,
    AssertionPublicKey,
    Variant,
    extract,
    generate,
    sibling_leak,
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

# Tampering properties expect False; a tampered path reaches z by chance with probability about 1/q,
# so they run in the 20-bit group (1/q ≈ 10^-6) rather than the 2039 group (1/1019).
GROUP = named_group("toy-64-20")
DEPTH = 5

seeds = st.integers(min_value=0, max_value=2**32)
"""Seeds for the payer's key and auxsk."""
contexts = st.integers(min_value=0, max_value=(1 << DEPTH) - 1)
statements = st.binary(max_size=32)
variants = st.sampled_from(VARIANTS)
levels = st.integers(min_value=0, max_value=DEPTH - 1)
"""Positions in τ.levels (0 = the leaf level)."""


def _keys(group: Group, seed: int) -> SecretKey:
    return keygen(group, SeededRandom(f"aa-key/{seed}"))[1]


def _setup(
    seed: int, variant: Variant = FIXED, depth: int = DEPTH, group: Group = GROUP
) -> tuple[SecretKey, AssertionPublicKey, Asserter]:
    """(sk, apk, asserter); the same arguments give the same keys, so a second call is a twin asserter."""
    sk = _keys(group, seed)
    apk, asserter = generate(sk, depth, SeededRandom(f"aa-aux/{seed}"), variant=variant)
    return sk, apk, asserter


def _non_element(group: Group) -> int:
    """p − 1 has order 2: in range, outside the order-q subgroup."""
    assert not group.is_element(group.p - 1)
    return group.p - 1


# -- correctness ------------------------------------------------------------------------------------------


@given(seed=seeds, ct=contexts, statement=statements, variant=variants)
def test_an_assertion_verifies_and_survives_encoding(
    seed: int, ct: int, statement: bytes, variant: Variant
) -> None:
    _, apk, asserter = _setup(seed, variant)
    tau = asserter.assert_(ct, statement)
    assert verify(apk, ct, statement, tau)
    decoded = Assertion.from_bytes(apk, tau.to_bytes())
    assert decoded == tau
    assert verify(apk, ct, statement, decoded)


def test_depth_one_tree_has_two_contexts() -> None:
    _, apk, asserter = _setup(1, FIXED, depth=1)
    assert apk.contexts == 2
    for ct in (0, 1):
        assert verify(apk, ct, b"pay", asserter.assert_(ct, b"pay"))


def test_public_key_round_trip() -> None:
    for variant in VARIANTS:
        _, apk, _ = _setup(2, variant)
        assert AssertionPublicKey.from_bytes(GROUP, apk.to_bytes()) == apk


def test_default_depth_is_sixteen() -> None:
    assert DEFAULT_DEPTH == 16
    assert AssertionPublicKey(_keys(GROUP, 0).public, 0).contexts == 2**16


# -- tampering --------------------------------------------------------------------------------------------


def _bump_r(tau: Assertion, i: int) -> Assertion:
    """r' at level i plus one."""
    step = tau.levels[i]
    return _with_level(tau, i, replace(step, r=(step.r + 1) % GROUP.q))


def _bump_sibling(tau: Assertion, i: int) -> Assertion:
    """The sibling entry at level i changed: another group element, or one flipped bit of G."""
    step = tau.levels[i]
    sibling = step.sibling
    changed = (
        bytes([sibling[0] ^ 1]) + sibling[1:] if isinstance(sibling, bytes) else GROUP.mul(sibling, GROUP.g)
    )
    return _with_level(tau, i, replace(step, sibling=changed))


def _swap(levels: tuple[AssertionLevel, ...], i: int, step: object) -> tuple[AssertionLevel, ...]:
    """levels with level i replaced by step."""
    return (*levels[:i], step, *levels[i + 1 :])  # type: ignore[return-value]


def _with_level(tau: Assertion, i: int, step: AssertionLevel) -> Assertion:
    return Assertion(tau.group, _swap(tau.levels, i, step))


@pytest.mark.parametrize("tamper", [_bump_r, _bump_sibling], ids=["r-prime", "sibling"])
@given(seed=seeds, ct=contexts, statement=statements, variant=variants, i=levels)
def test_a_tampered_level_fails(
    tamper: Callable[[Assertion, int], Assertion],
    seed: int,
    ct: int,
    statement: bytes,
    variant: Variant,
    i: int,
) -> None:
    _, apk, asserter = _setup(seed, variant)
    tau = asserter.assert_(ct, statement)
    assert verify(apk, ct, statement, tau)
    note(f"tampering level {i} (tree level {DEPTH - i})")
    assert not verify(apk, ct, statement, tamper(tau, i))


@given(seed=seeds, ct=contexts, statement=statements, other=statements, variant=variants)
def test_another_statement_fails(
    seed: int, ct: int, statement: bytes, other: bytes, variant: Variant
) -> None:
    assume(statement != other)
    _, apk, asserter = _setup(seed, variant)
    assert not verify(apk, ct, other, asserter.assert_(ct, statement))


@given(seed=seeds, ct=contexts, other=contexts, statement=statements, variant=variants)
def test_another_context_fails(seed: int, ct: int, other: int, statement: bytes, variant: Variant) -> None:
    assume(ct != other)
    _, apk, asserter = _setup(seed, variant)
    assert not verify(apk, other, statement, asserter.assert_(ct, statement))


@given(seed=seeds, ct=contexts, statement=statements, variant=variants)
def test_another_public_key_fails(seed: int, ct: int, statement: bytes, variant: Variant) -> None:
    """Another payer's apk, and the same payer's apk under another auxsk, both reject τ."""
    sk, _, asserter = _setup(seed, variant)
    tau = asserter.assert_(ct, statement)
    _, other_payer, _ = _setup(seed + 1, variant)
    other_aux, _ = generate(sk, DEPTH, SeededRandom(f"other-aux/{seed}"), variant=variant)
    assert not verify(other_payer, ct, statement, tau)
    assert not verify(other_aux, ct, statement, tau)


# -- the sibling leak: published layout versus the fix ----------------------------------------------------


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_consecutive_contexts_leak_only_in_the_published_layout(seed: int) -> None:
    """Honest assertions of every context 0..2^D−1 (D = 3), every ordered pair fed to the leak finder.

    rks-as-published: exactly the sibling pairs (2j, 2j+1) give the key. fixed: no pair gives anything.
    """
    depth = 3
    found: dict[Variant, set[tuple[int, int]]] = {}
    for variant in VARIANTS:
        sk, apk, asserter = _setup(seed, variant, depth)
        asserted = [(ct, f"payment {ct}".encode()) for ct in range(1 << depth)]
        taus = [asserter.assert_(ct, statement) for ct, statement in asserted]
        found[variant] = set()
        for a, (ct_a, st_a) in enumerate(asserted):
            for b, (ct_b, st_b) in enumerate(asserted):
                if a == b:
                    continue
                key = sibling_leak(apk, ct_a, st_a, taus[a], ct_b, st_b, taus[b])
                if key is not None:
                    assert key == sk.x
                    found[variant].add((ct_a, ct_b))
    siblings = {(ct, ct ^ 1) for ct in range(1 << depth)}
    assert found[RKS_AS_PUBLISHED] == siblings
    assert found[FIXED] == set()


@given(seed=seeds, j=st.integers(min_value=0, max_value=(1 << (DEPTH - 1)) - 1), a=statements, b=statements)
def test_sibling_pair_leaks_the_key_only_as_published(seed: int, j: int, a: bytes, b: bytes) -> None:
    """The same two honest assertions (2j, 2j+1): the key from the published layout, nothing from the fix."""
    for variant, leaks in ((RKS_AS_PUBLISHED, True), (FIXED, False)):
        sk, apk, asserter = _setup(seed, variant)
        tau_a, tau_b = asserter.assert_(2 * j, a), asserter.assert_(2 * j + 1, b)
        key = sibling_leak(apk, 2 * j, a, tau_a, 2 * j + 1, b, tau_b)
        assert key == (sk.x if leaks else None)


def test_sibling_leak_refuses_one_context() -> None:
    _, apk, asserter = _setup(3)
    tau = asserter.assert_(4, b"a")
    with pytest.raises(SchemeError):
        sibling_leak(apk, 4, b"a", tau, 4, b"a", tau)


def test_sibling_leak_ignores_assertions_that_do_not_verify() -> None:
    """The leak finder only trusts verifying assertions: a wrong statement turns the key into None."""
    sk, apk, asserter = _setup(4, RKS_AS_PUBLISHED)
    tau_a, tau_b = asserter.assert_(2, b"a"), asserter.assert_(3, b"b")
    assert sibling_leak(apk, 2, b"a", tau_a, 3, b"b", tau_b) == sk.x
    assert sibling_leak(apk, 2, b"a", tau_a, 3, b"not b", tau_b) is None


# -- extraction from equivocation -------------------------------------------------------------------------


@given(seed=seeds, ct=contexts, st0=statements, st1=statements, variant=variants)
def test_equivocation_extracts_the_key(seed: int, ct: int, st0: bytes, st1: bytes, variant: Variant) -> None:
    """Two asserters with the same keys (same seeds) assert two statements in one context."""
    assume(st0 != st1)
    sk, apk, asserter = _setup(seed, variant)
    _, _, twin = _setup(seed, variant)
    tau0, tau1 = asserter.assert_(ct, st0), twin.assert_(ct, st1)
    x = extract(apk, ct, st0, st1, tau0, tau1)
    assert x == sk.x
    assert GROUP.gexp(x) == apk.pk.y


def test_extract_gives_nothing_without_equivocation() -> None:
    """Same statement twice, or one assertion that does not verify: ⊥. The real pair: the key."""
    sk, apk, asserter = _setup(5)
    _, _, twin = _setup(5)
    tau0, tau1 = asserter.assert_(6, b"to Bob"), twin.assert_(6, b"to Carol")
    assert extract(apk, 6, b"to Bob", b"to Carol", tau0, tau1) == sk.x
    assert extract(apk, 6, b"to Bob", b"to Bob", tau0, tau0) is None
    assert extract(apk, 6, b"to Bob", b"to Carol", tau0, _bump_r(tau1, 2)) is None
    _, other_apk, _ = _setup(6)
    assert extract(other_apk, 6, b"to Bob", b"to Carol", tau0, tau1) is None


def test_equivocation_in_the_standard_group_at_depth_four(std: Group) -> None:
    sk, apk, asserter = _setup(7, FIXED, depth=4, group=std)
    _, _, twin = _setup(7, FIXED, depth=4, group=std)
    tau0, tau1 = asserter.assert_(3, b"state 3 -> B"), twin.assert_(3, b"state 3 -> C")
    assert extract(apk, 3, b"state 3 -> B", b"state 3 -> C", tau0, tau1) == sk.x


# -- the asserter's state ---------------------------------------------------------------------------------


def test_assert_refuses_a_reused_context() -> None:
    _, _, asserter = _setup(8)
    asserter.assert_(3, b"first")
    snapshot = asserter.used_contexts
    with pytest.raises(ContextReusedError):
        asserter.assert_(3, b"second")
    with pytest.raises(ContextReusedError):
        asserter.assert_(3, b"first")
    asserter.assert_(4, b"next")
    assert snapshot == frozenset({3})
    assert asserter.used_contexts == frozenset({3, 4})


@pytest.mark.parametrize("ct", [-1, 1 << DEPTH, True, "1", 2.0])
def test_out_of_range_contexts_are_rejected(ct: object) -> None:
    _, apk, asserter = _setup(9)
    tau = asserter.assert_(0, b"s")
    with pytest.raises(SchemeError):
        asserter.assert_(ct, b"s")  # type: ignore[arg-type]
    with pytest.raises(SchemeError):
        verify(apk, ct, b"s", tau)  # type: ignore[arg-type]
    assert asserter.used_contexts == frozenset({0})


def test_statements_must_be_bytes() -> None:
    _, _, asserter = _setup(10)
    with pytest.raises(SchemeError):
        asserter.assert_(1, "text")  # type: ignore[arg-type]
    assert asserter.used_contexts == frozenset()


def test_asserter_checks_its_keys_and_hides_them() -> None:
    sk = _keys(GROUP, 11)
    for bad in (b"short", "x" * 32, b"\x00" * 33):
        with pytest.raises(SchemeError):
            Asserter(sk, bad, DEPTH)  # type: ignore[arg-type]
    with pytest.raises(SchemeError):
        Asserter(sk.x, b"\x00" * 32, DEPTH)  # type: ignore[arg-type]
    auxsk = bytes(range(32))
    text = repr(Asserter(sk, auxsk, DEPTH))
    assert "hidden" in text
    assert auxsk.hex() not in text and str(sk.x) not in text


# -- malformed input --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("depth", "root", "variant"),
    [
        (0, 1, FIXED),
        (65, 1, FIXED),
        (True, 1, FIXED),
        (4, GROUP.q, FIXED),
        (4, -1, FIXED),
        (4, 1, "rks"),
        (1, 1, RKS_AS_PUBLISHED),
    ],
)
def test_public_key_parameters_are_validated(depth: object, root: object, variant: object) -> None:
    pk = _keys(GROUP, 12).public
    with pytest.raises(SchemeError):
        AssertionPublicKey(pk, root, depth, variant)  # type: ignore[arg-type]


def test_garbled_public_key_bytes() -> None:
    _, apk, _ = _setup(13)
    data = apk.to_bytes()
    for bad in (data[:-1], data + b"\x00", data.replace(b"fixed", b"fixxd")):
        with pytest.raises(DecodeError):
            AssertionPublicKey.from_bytes(GROUP, bad)
    outside = enc(TAG_AA_APK, FIXED, GROUP.element_bytes(_non_element(GROUP)), GROUP.scalar_bytes(1), DEPTH)
    with pytest.raises(DecodeError):
        AssertionPublicKey.from_bytes(GROUP, outside)


@pytest.mark.parametrize("variant", VARIANTS)
def test_truncated_or_garbled_bytes_raise(variant: Variant) -> None:
    _, apk, asserter = _setup(14, variant)
    data = asserter.assert_(5, b"s").to_bytes()
    for cut in (0, 3, 10, len(data) // 2, len(data) - 1):
        with pytest.raises(DecodeError):
            Assertion.from_bytes(apk, data[:cut])
    for bad in (data + b"\x00", enc(b"AA/XXX") + data[len(enc(TAG_AA_TAU)) :], b"", "text"):
        with pytest.raises(DecodeError):
            Assertion.from_bytes(apk, bad)  # type: ignore[arg-type]


def test_bad_fields_on_the_wire_raise_decode_errors() -> None:
    _, apk, asserter = _setup(15)
    tau = asserter.assert_(9, b"s")
    bad_sibling = AssertionLevel(tau.levels[1].r, _non_element(GROUP))
    bad_r = AssertionLevel(GROUP.q, tau.levels[1].sibling)
    short_leaf = AssertionLevel(tau.levels[0].r, b"\x00" * 31)
    for i, step in ((1, bad_sibling), (1, bad_r), (0, short_leaf)):
        with pytest.raises(DecodeError):
            Assertion.from_bytes(apk, _wire(tau.group, _swap(tau.levels, i, step)))


def _wire(group: Group, levels: tuple[AssertionLevel, ...]) -> bytes:
    """The encoding of τ's fields as they stand, valid or not."""
    fields: list[bytes] = []
    for step in levels:
        sibling = step.sibling
        fields += [
            step.r.to_bytes(group.scalar_len, "big"),
            sibling if isinstance(sibling, bytes) else group.element_bytes(sibling),
        ]
    return enc(TAG_AA_TAU, *fields)


def test_constructing_an_assertion_validates_every_field() -> None:
    _, _, asserter = _setup(16)
    tau = asserter.assert_(1, b"s")
    good = tau.levels
    cases: list[tuple[tuple[object, ...], type[SchemeError]]] = [
        (_swap(good, 1, AssertionLevel(good[1].r, _non_element(GROUP))), InvalidElementError),
        (_swap(good, 1, AssertionLevel(good[1].r, GROUP.p)), InvalidElementError),
        (_swap(good, 1, AssertionLevel(GROUP.q, good[1].sibling)), InvalidScalarError),
        (_swap(good, 0, AssertionLevel(good[0].r, b"\x00" * 33)), DecodeError),
        ((), DecodeError),
        (_swap(good, 1, (good[1].r, good[1].sibling)), DecodeError),
    ]
    for levels, error in cases:
        with pytest.raises(error):
            Assertion(GROUP, levels)  # type: ignore[arg-type]
    assert Assertion(GROUP, list(good)) == tau  # type: ignore[arg-type]


def test_verify_rejects_an_assertion_of_another_shape(std: Group) -> None:
    _, fixed_apk, fixed = _setup(17, FIXED)
    _, rks_apk, rks = _setup(17, RKS_AS_PUBLISHED)
    tau_fixed, tau_rks = fixed.assert_(2, b"s"), rks.assert_(2, b"s")
    with pytest.raises(DecodeError):
        verify(rks_apk, 2, b"s", tau_fixed)
    with pytest.raises(DecodeError):
        verify(fixed_apk, 2, b"s", tau_rks)
    _, deeper_apk, _ = _setup(17, FIXED, depth=DEPTH + 1)
    with pytest.raises(DecodeError):
        verify(deeper_apk, 2, b"s", tau_fixed)
    with pytest.raises(DecodeError):
        verify(fixed_apk, 2, b"s", tau_fixed.to_bytes())  # type: ignore[arg-type]
    _, std_apk, _ = _setup(17, FIXED, depth=1, group=std)
    tiny = Assertion(GROUP, tau_fixed.levels[-1:])
    with pytest.raises(InvalidGroupError):
        verify(std_apk, 0, b"s", tiny)


# -- standard group and costs -----------------------------------------------------------------------------


@pytest.mark.slow
def test_standard_group_round_trip_at_default_depth(std: Group) -> None:
    """RFC 5114 §2.3, D = 16: τ is about D·(|q|/8 + |p|/8) = 16·(32 + 256) bytes, decodes and verifies."""
    sk = _keys(std, 18)
    apk, asserter = generate(sk, rng=SeededRandom("aa-std"))
    assert apk.depth == 16
    tau = asserter.assert_(40_000, b"voucher 40000")
    data = tau.to_bytes()
    # D scalars, D−1 elements and one 32-byte leaf entry, each field with a 4-byte length prefix.
    exact = len(enc(TAG_AA_TAU)) + 16 * (4 + std.scalar_len) + 15 * (4 + std.element_len) + 4 + 32
    assert len(data) == exact
    nominal = 16 * (32 + 256)
    assert abs(len(data) - nominal) <= 0.05 * nominal
    decoded = Assertion.from_bytes(apk, data)
    assert verify(apk, 40_000, b"voucher 40000", decoded)
    assert not verify(apk, 40_001, b"voucher 40000", decoded)


@pytest.mark.parametrize("variant", VARIANTS)
def test_operation_counts(variant: Variant) -> None:
    """Assert 2D exponentiations with the trapdoor, Verify exactly 2D (D chameleon evaluations), decoding
    one membership check per element entry, Extract two verifications plus the g^x check. A verifier
    that never saw the entries (cold membership cache) pays one exponentiation per element entry and
    one for the key, once."""
    depth = 8
    _, apk, asserter = _setup(19, variant, depth)
    _, _, twin = _setup(19, variant, depth)
    with metered() as cost:
        tau = asserter.assert_(77, b"a")
    assert cost.exponentiations == 2 * depth
    with metered() as cost:
        assert verify(apk, 77, b"a", tau)
    assert cost.exponentiations == 2 * depth
    assert cost.hashes == depth + 2  # H_q(st), D digests, one G at the leaf
    element_entries = depth - 1 if variant == FIXED else depth
    clear_member_cache()
    with metered() as cost:
        decoded = Assertion.from_bytes(apk, tau.to_bytes())
    assert cost.exponentiations == element_entries
    with metered() as cost:
        assert verify(apk, 77, b"a", decoded)
    assert cost.exponentiations == 2 * depth + 1
    clear_member_cache()
    with metered() as cost:
        assert verify(apk, 77, b"a", tau)
    assert cost.exponentiations == 2 * depth + 1 + element_entries
    other = twin.assert_(77, b"b")
    with metered() as cost:
        assert extract(apk, 77, b"a", b"b", tau, other) is not None
    assert cost.exponentiations == 4 * depth + 1


@pytest.mark.parametrize("variant", [FIXED, RKS_AS_PUBLISHED])
def test_no_published_entry_is_the_identity_in_a_tiny_group(variant: str) -> None:
    """With q = 1019 a dummy V_N = 1 occurs about once per thousand nodes: the asserter redraws it."""
    toy = named_group("toy-2039")
    for x in range(5, 205):
        apk, asserter = generate(SecretKey(toy, x), 3, SeededRandom(x), variant=variant)
        for ct in range(8):
            tau = asserter.assert_(ct, b"st")
            assert verify(apk, ct, b"st", tau)
            assert Assertion.from_bytes(apk, tau.to_bytes()) == tau
