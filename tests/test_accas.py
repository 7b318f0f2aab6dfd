"""Interoperability with the accountable-assertions reference code of RKS (`real-or-random/accas`):
its chameleon-hash known answer, and the tree as published on secp256k1 (docs/scheme.md "The accas
layout"), whose assertions that code and this project accept from each other, and whose sibling
leak (spec §3.4 "Why the fix") recovers the key from assertions computed exactly as that code
computes them (tests/reference/accas_reference.py, written from its sources)."""

from __future__ import annotations

import pytest

from mpgames.scheme import chameleon, schnorr
from mpgames.scheme.assertions import (
    FIXED,
    RKS_AS_PUBLISHED,
    Asserter,
    Assertion,
    AssertionLevel,
    AssertionPublicKey,
    sibling_leak,
    verify,
)
from mpgames.scheme.errors import DecodeError
from mpgames.scheme.groups import named_group
from tests.reference import accas_reference as accas

# real-or-random/accas, test/authenticatortest.cpp (`ChSinglePk`, `ChSingleSk`, `ct`): the key pair,
# m1, m2, r1, CH(m1, r1) and the context as that code's test states them.
ACCAS_PK = "03170a377241d94a5f4c85f199c796c5a9f9f56b3e2d6aea18be9188d13131769c"
ACCAS_SK = "b21977c8ca1cbb55f0a3effd9966e3d5c9588688fa02bf7a0d2af7b6366f1e8f"
ACCAS_M1, ACCAS_M2 = b"abc", b"123"
ACCAS_R1 = "0102030405060708" * 4
ACCAS_CH1 = "03306166a05fa98bab225bfa0779357aeda3cc1d08962a17144655dfb6770619c4"
ACCAS_CT = 0x4104FF175FA917AB

GROUP = named_group("secp256k1")


def test_the_accas_chameleon_hash_known_answer():
    """CH(m, r) = d·G + r·Y with d = SHA-256(m) re-hashed until d < n, SEC1-compressed: the
    Krawczyk–Rabin hash of this project with the accas message encoding gives the published value,
    from the public key and from the trapdoor alike."""
    pk = schnorr.PublicKey(GROUP, int(ACCAS_PK, 16))
    sk = schnorr.SecretKey(GROUP, int(ACCAS_SK, 16))
    assert sk.public == pk
    d, r = chameleon.accas_message_scalar(GROUP, ACCAS_M1), int(ACCAS_R1, 16)
    assert GROUP.element_bytes(chameleon.ch(pk, d, r)).hex() == ACCAS_CH1
    assert GROUP.element_bytes(chameleon.ch_with_trapdoor(sk, d, r)).hex() == ACCAS_CH1
    # The reference of this file computes the same value independently.
    assert accas.Authenticator(int(ACCAS_SK, 16))._ch(d, r).hex() == ACCAS_CH1
    # The opposite: this project's own encoding μ(m) = H_q("CH/MSG", m) gives another value.
    own = chameleon.message_scalar(GROUP, ACCAS_M1)
    assert GROUP.element_bytes(chameleon.ch(pk, own, r)).hex() != ACCAS_CH1


def _assertion(token: accas.Token) -> Assertion:
    levels = (AssertionLevel(r, int.from_bytes(ch, "big")) for ch, r in zip(token.chs, token.rs, strict=True))
    return Assertion(GROUP, tuple(levels))


def _token(tau: Assertion) -> accas.Token:
    siblings = tuple(
        s if isinstance(s, bytes) else GROUP.element_bytes(s) for s in (lv.sibling for lv in tau.levels)
    )
    return accas.Token(siblings, tuple(lv.r for lv in tau.levels))


@pytest.fixture(scope="module")
def published():
    """accas's public key and two assertions of the test's context and of its sibling context."""
    authenticator = accas.Authenticator(int(ACCAS_SK, 16))
    assert authenticator.pk.hex() == ACCAS_PK
    pair = [
        (ct, st, authenticator.authenticate(ct, st))
        for ct, st in ((ACCAS_CT, ACCAS_M1), (ACCAS_CT ^ 1, ACCAS_M2))
    ]
    return authenticator, pair


def _apk(authenticator: accas.Authenticator, variant: str) -> AssertionPublicKey:
    pk = schnorr.PublicKey(GROUP, int.from_bytes(authenticator.pk, "big"))
    return AssertionPublicKey(pk, authenticator.root, accas.DEPTH, variant)


def test_assertions_made_by_the_published_code_verify_here_and_siblings_leak_its_key(published):
    authenticator, pair = published
    apk = _apk(authenticator, RKS_AS_PUBLISHED)
    (ct_a, st_a, token_a), (ct_b, st_b, token_b) = pair
    tau_a, tau_b = _assertion(token_a), _assertion(token_b)
    assert verify(apk, ct_a, st_a, tau_a) and verify(apk, ct_b, st_b, tau_b)
    assert sibling_leak(apk, ct_a, st_a, tau_a, ct_b, st_b, tau_b) == int(ACCAS_SK, 16)
    # The opposite: a statement it did not assert, or an opening changed at one level, is refused.
    assert not verify(apk, ct_a, st_b, tau_a)
    changed = list(tau_a.levels)
    changed[5] = AssertionLevel((changed[5].r + 1) % GROUP.q, changed[5].sibling)
    assert not verify(apk, ct_a, st_a, Assertion(GROUP, tuple(changed)))
    assert sibling_leak(apk, ct_a, st_a, Assertion(GROUP, tuple(changed)), ct_b, st_b, tau_b) is None
    # The fixed tree publishes G values at the leaves: the published tokens do not even fit it.
    with pytest.raises(DecodeError, match="does not match the fixed layout"):
        verify(_apk(authenticator, FIXED), ct_a, st_a, tau_a)


def test_the_published_code_accepts_assertions_made_here():
    asserter = Asserter(
        schnorr.SecretKey(GROUP, int(ACCAS_SK, 16)), bytes(32), accas.DEPTH, variant=RKS_AS_PUBLISHED
    )
    apk = asserter.public
    pk_bytes = GROUP.element_bytes(apk.pk.y)
    tau = asserter.assert_(ACCAS_CT, ACCAS_M1)
    assert accas.verify(pk_bytes, apk.root, _token(tau), ACCAS_CT, ACCAS_M1)
    assert not accas.verify(pk_bytes, apk.root, _token(tau), ACCAS_CT, ACCAS_M2)
    # The opposite: the fixed tree's assertions are not what that code computes.
    fixed = Asserter(schnorr.SecretKey(GROUP, int(ACCAS_SK, 16)), bytes(32), accas.DEPTH, variant=FIXED)
    tau_fixed = fixed.assert_(ACCAS_CT, ACCAS_M1)
    assert not accas.verify(pk_bytes, fixed.public.root, _token(tau_fixed), ACCAS_CT, ACCAS_M1)
