"""Known answers that reach the checks themselves with values no constructor would accept (docs/scheme.md
"Validation at every check"): keys made with `object.__new__`, a key of order 2q, forged groups,
transaction subclasses. Each check refuses them; where a check relied on its constructor before, a
test removes the check and shows the attack it stops."""

from __future__ import annotations

import dataclasses

import pytest

from mpgames.scheme import assertions, chameleon, ring, schnorr
from mpgames.scheme.channel_tx import EscrowTerms, EscrowTx
from mpgames.scheme.errors import (
    InvalidElementError,
    InvalidGroupError,
    InvalidScalarError,
    RuleViolation,
    SchemeError,
)
from mpgames.scheme.groups import Group, check_group, named_group
from mpgames.scheme.ledger import Ledger
from mpgames.scheme.randomness import SeededRandom
from mpgames.scheme.schnorr import PublicKey, SecretKey, Signature

# Spec §2.3/§3.1 KAT: the 2039/1019/4 group, x = 7, y = 72. p ≡ 3 (mod 4), so −1 is a non-residue and
# p − y = 1967 = −y has order 2q; 2038 = −1 has order 2; 1 is the identity.
GROUP = named_group("toy-2039")
X, Y = 7, 72
NON_MEMBERS = (2039 - Y, 2038, 1, 0, 2039, 2039 + Y, -Y)


def forged_key(y: object, group: object = GROUP) -> PublicKey:
    """A PublicKey made without its constructor."""
    key = object.__new__(PublicKey)
    object.__setattr__(key, "group", group)
    object.__setattr__(key, "y", y)
    return key


class SubInt(int):
    def __eq__(self, other: object) -> bool:
        return True

    __hash__ = int.__hash__


def test_the_kat_values_are_what_the_spec_says() -> None:
    assert pow(4, X, 2039) == Y and pow(Y, 1019, 2039) == 1
    assert pow(2039 - Y, 1019, 2039) == 2038  # order 2q, not q


def _signature_under(key: PublicKey, message: bytes, odd: bool) -> Signature:
    """The key owner's Schnorr signature (x = 7) with the challenge hashed under `key`, retried until
    e has the wanted parity: for y' = −y, g^s·y'^(q−e) = g^k exactly when q − e is even."""
    rng = SeededRandom("parity")
    while True:
        k = GROUP.random_secret(rng)
        commitment = pow(4, k, 2039)
        e = schnorr.challenge(key, commitment, message)
        if e % 2 == int(odd):
            return Signature(e, (k + e * X) % GROUP.q)


@pytest.mark.parametrize("y", NON_MEMBERS)
def test_verify_refuses_a_key_outside_the_subgroup(y: int) -> None:
    with pytest.raises(InvalidElementError):
        schnorr.verify(Signature(1, 1), forged_key(y), b"m")


def test_without_the_check_a_key_of_order_2q_verifies(monkeypatch: pytest.MonkeyPatch) -> None:
    """The attack the check stops: the holder of x signs under y' = p − y whenever e is odd."""
    forged = forged_key(2039 - Y)
    signature = _signature_under(forged, b"escrow", odd=True)
    with pytest.raises(InvalidElementError):
        schnorr.verify(signature, forged, b"escrow")
    monkeypatch.setattr(schnorr, "check_public_key", lambda pk, *args, **kwargs: pk)
    assert schnorr.verify(signature, forged, b"escrow")


def test_verify_refuses_values_of_other_types() -> None:
    signature = schnorr.sign(SecretKey(GROUP, X), b"m", SeededRandom(1))
    assert schnorr.verify(signature, PublicKey(GROUP, Y), b"m")
    with pytest.raises(InvalidScalarError):
        schnorr.verify(Signature(SubInt(signature.e), signature.s), PublicKey(GROUP, Y), b"m")
    with pytest.raises(InvalidElementError):
        schnorr.verify(signature, forged_key(SubInt(Y)), b"m")
    with pytest.raises(SchemeError):
        schnorr.verify(signature, PublicKey(GROUP, Y), bytearray(b"m"))  # type: ignore[arg-type]


def test_a_forged_group_is_refused_everywhere() -> None:
    forged = object.__new__(Group)
    for name, value in (("p", 2039), ("q", 1019), ("g", 5), ("tier", "toy"), ("name", "forged")):
        object.__setattr__(forged, name, value)  # 5 has order 2q: no Schnorr group
    with pytest.raises(InvalidGroupError):
        check_group(forged)
    with pytest.raises(InvalidGroupError):
        schnorr.verify(Signature(1, 1), forged_key(Y, forged), b"m")
    assert check_group(GROUP) is GROUP


def test_membership_and_ranges_take_exact_ints_only() -> None:
    assert GROUP.is_element(Y) and not GROUP.is_element(SubInt(Y)) and not GROUP.is_element(True)
    for y in NON_MEMBERS:
        assert not GROUP.is_element(y)
    with pytest.raises(InvalidScalarError):
        GROUP.check_scalar(SubInt(3))


@pytest.mark.parametrize("y", NON_MEMBERS[:3])
def test_ring_verification_and_chameleon_hashing_refuse_a_forged_member(y: int) -> None:
    honest = PublicKey(GROUP, Y)
    with pytest.raises(InvalidElementError):
        ring.verify((honest, forged_key(y)), b"m", ring.RingSignature(0, (0, 0)))
    with pytest.raises(InvalidElementError):
        chameleon.ch(forged_key(y), 5, 11)
    assert chameleon.ch(honest, 5, 11) == 1620  # spec §3.2 KAT


def test_assertion_checks_refuse_a_key_outside_the_subgroup() -> None:
    apk, asserter = assertions.generate(SecretKey(GROUP, X), 3, SeededRandom(2))
    tau = asserter.assert_(1, b"st")
    assert assertions.verify(apk, 1, b"st", tau)
    bad = object.__new__(assertions.AssertionPublicKey)
    for name, value in dataclasses.asdict(apk).items():
        object.__setattr__(bad, name, value)
    object.__setattr__(bad, "pk", forged_key(2039 - Y))
    with pytest.raises(SchemeError):
        assertions.verify(bad, 1, b"st", tau)
    with pytest.raises(SchemeError):
        assertions.extract(bad, 1, b"st", b"other", tau, tau)


def test_an_assertion_entry_outside_the_subgroup_is_refused_whatever_built_it() -> None:
    apk, asserter = assertions.generate(SecretKey(GROUP, X), 3, SeededRandom(3))
    tau = asserter.assert_(2, b"st")
    levels = list(tau.levels)
    levels[1] = object.__new__(assertions.AssertionLevel)
    object.__setattr__(levels[1], "r", tau.levels[1].r)
    object.__setattr__(levels[1], "sibling", 2038)  # order 2
    forged = object.__new__(assertions.Assertion)
    object.__setattr__(forged, "group", GROUP)
    object.__setattr__(forged, "levels", tuple(levels))
    with pytest.raises(InvalidElementError):
        assertions.verify(apk, 2, b"st", forged)
    with pytest.raises(TypeError):
        assertions.Assertion(GROUP, tau.levels, prevalidated=True)  # type: ignore[call-arg]


def _escrow_terms(payer: PublicKey) -> EscrowTerms:
    terms = object.__new__(EscrowTerms)
    payee = SecretKey(GROUP, 11).public
    fields = {"payer": payer, "payee": payee, "deposit": 5, "penalty": 2, "close_by": 10, "t_conf": 1}
    for name, value in {**fields, "apk": None}.items():
        object.__setattr__(terms, name, value)
    return terms


def test_the_ledger_refuses_an_escrow_under_a_key_of_order_2q() -> None:
    ledger = Ledger()
    forged = forged_key(2039 - Y)
    terms = _escrow_terms(forged)
    nonce = bytes(16)
    signature = _signature_under(forged, EscrowTx.message(terms, nonce), odd=True)
    ledger.mint(PublicKey(GROUP, Y), 100)
    with pytest.raises(RuleViolation) as refusal:
        ledger.submit(EscrowTx(terms, nonce, signature))
    assert refusal.value.rule == "malformed-transaction"
    assert ledger.log == () and ledger.total_value() == 100


def test_the_ledger_runs_no_rules_but_its_own() -> None:
    class Lenient(EscrowTx):
        def check(self, ledger: Ledger) -> None:
            pass

    ledger = Ledger()
    honest = SecretKey(GROUP, X)
    terms = EscrowTerms(honest.public, SecretKey(GROUP, 11).public, 5, 2, 10, 1)
    ledger.mint(honest.public, 100)
    unsigned = Lenient(terms, bytes(16), Signature(0, 0))
    with pytest.raises(RuleViolation) as refusal:
        ledger.submit(unsigned)
    assert refusal.value.rule == "unknown-transaction"
    with pytest.raises(RuleViolation) as refusal:
        ledger.submit(EscrowTx(terms, bytes(16), Signature(0, 0)))
    assert refusal.value.rule == "signature-payer"
    ledger.submit(EscrowTx.create(honest, terms, SeededRandom(4)))
    assert ledger.total_value() == 100
