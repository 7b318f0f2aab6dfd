"""Channel transactions on the ledger (spec §5.2): each branch of spend_ok accepts and rejects."""

from __future__ import annotations

from dataclasses import replace

import pytest

from mpgames.scheme import assertions, schnorr
from mpgames.scheme.channel_tx import EscrowTerms, EscrowTx, PenaltyTx, RefundTx, UpdateTx, open_escrow
from mpgames.scheme.errors import RuleViolation
from mpgames.scheme.groups import Group
from mpgames.scheme.ledger import Ledger
from mpgames.scheme.randomness import SeededRandom
from mpgames.scheme.schnorr import SecretKey

DEPOSIT, PENALTY, CLOSE_BY, T_CONF = 20, 6, 10, 3


@pytest.fixture
def setup(toy: Group):
    rng = SeededRandom("channel-tx")
    _, sk_a = schnorr.keygen(toy, rng)
    _, sk_b = schnorr.keygen(toy, rng)
    ledger = Ledger()
    ledger.mint(sk_a.public, 50)
    terms = EscrowTerms(sk_a.public, sk_b.public, DEPOSIT, PENALTY, CLOSE_BY, T_CONF)
    escrow = EscrowTx.create(sk_a, terms, rng)
    ledger.submit(escrow)
    return ledger, sk_a, sk_b, escrow.cid, rng


def snapshot(ledger: Ledger) -> tuple:
    return ledger.balances(), len(ledger.log), ledger.total_value()


def rejects(ledger: Ledger, tx, rule: str) -> None:
    """The transaction is refused with the named rule and the ledger is unchanged."""
    before = snapshot(ledger)
    with pytest.raises(RuleViolation) as err:
        ledger.submit(tx)
    assert err.value.rule == rule
    assert snapshot(ledger) == before


def test_escrow_locks_d_plus_p_under_the_channel_id(setup) -> None:
    ledger, sk_a, _, cid, _ = setup
    assert ledger.balance(sk_a.public) == 50 - DEPOSIT - PENALTY
    assert ledger.locked(cid).amount == DEPOSIT + PENALTY
    terms = open_escrow(ledger, cid)
    assert (terms.close_by, terms.refund_time) == (CLOSE_BY, CLOSE_BY + T_CONF)
    assert ledger.total_value() == ledger.minted


def test_escrow_rules(setup, toy: Group) -> None:
    ledger, sk_a, sk_b, _, rng = setup
    terms = EscrowTerms(sk_a.public, sk_b.public, 30, 0, CLOSE_BY, T_CONF)
    rejects(ledger, EscrowTx.create(sk_a, terms, rng), "insufficient-balance")
    small = EscrowTerms(sk_a.public, sk_b.public, 5, 0, CLOSE_BY, T_CONF)
    escrow = EscrowTx.create(sk_a, small, rng)
    forged = replace(escrow, payer_sig=schnorr.sign(sk_b, EscrowTx.message(small, escrow.nonce), rng))
    rejects(ledger, forged, "signature-payer")
    ledger.submit(escrow)
    rejects(ledger, escrow, "duplicate-output")
    ledger.advance(CLOSE_BY)
    late = EscrowTerms(sk_a.public, sk_b.public, 1, 0, CLOSE_BY, T_CONF)
    rejects(ledger, EscrowTx.create(sk_a, late, rng), "escrow-terms")


@pytest.mark.parametrize(
    "kwargs",
    [{"deposit": 0}, {"penalty": -1}, {"t_conf": True}, {"close_by": "10"}],
    ids=["zero-deposit", "negative-penalty", "bool-time", "str-time"],
)
def test_terms_are_validated(toy: Group, kwargs) -> None:
    rng = SeededRandom(3)
    pk_a, pk_b = schnorr.keygen(toy, rng)[0], schnorr.keygen(toy, rng)[0]
    fields = {"deposit": 5, "penalty": 1, "close_by": 5, "t_conf": 1} | kwargs
    with pytest.raises(RuleViolation) as err:
        EscrowTerms(pk_a, pk_b, **fields)
    assert err.value.rule == "escrow-terms"


def test_terms_bind_the_assertion_key_to_the_payer(toy: Group) -> None:
    rng = SeededRandom(4)
    (pk_a, sk_a), (pk_b, sk_b) = schnorr.keygen(toy, rng), schnorr.keygen(toy, rng)
    apk_a, _ = assertions.generate(sk_a, 3, rng)
    apk_b, _ = assertions.generate(sk_b, 3, rng)
    assert EscrowTerms(pk_a, pk_b, 5, 1, 5, 1, apk_a).apk == apk_a
    with pytest.raises(RuleViolation, match="payer's escrow key"):
        EscrowTerms(pk_a, pk_b, 5, 1, 5, 1, apk_b)
    with pytest.raises(RuleViolation):
        EscrowTerms(pk_a, pk_a, 5, 1, 5, 1)


def test_update_needs_both_signatures(setup) -> None:
    ledger, sk_a, sk_b, cid, rng = setup
    half = UpdateTx.create(sk_a, cid, 7, rng)
    rejects(ledger, half, "signature-payee")
    rejects(ledger, UpdateTx(cid, 7).cosign(sk_b, rng), "signature-payer")
    rejects(ledger, UpdateTx.create(sk_a, cid, 8, rng).cosign(sk_a, rng), "signature-payee")
    # σ_A on b = 7 does not cover b = 8.
    rejects(ledger, replace(half, paid=8).cosign(sk_b, rng), "signature-payer")
    rejects(ledger, UpdateTx.create(sk_a, cid, DEPOSIT + PENALTY + 1, rng).cosign(sk_b, rng), "tx-amount")
    ledger.submit(half.cosign(sk_b, rng))
    assert ledger.balance(sk_b.public) == 7
    assert ledger.balance(sk_a.public) == 50 - 7
    assert ledger.total_value() == ledger.minted
    # The escrow is spent: nothing else can spend it.
    rejects(ledger, UpdateTx.create(sk_a, cid, 9, rng).cosign(sk_b, rng), "output-spent")


def test_update_is_valid_after_the_deadline_until_someone_spends(setup) -> None:
    """The two-signature branch has no deadline (spend_ok); the refund wins only by spending first."""
    ledger, sk_a, sk_b, cid, rng = setup
    ledger.advance(CLOSE_BY + T_CONF + 5)
    ledger.submit(UpdateTx.create(sk_a, cid, 4, rng).cosign(sk_b, rng))
    rejects(ledger, RefundTx.create(sk_a, cid, rng), "output-spent")


def test_refund_only_from_t_plus_t_conf(setup) -> None:
    ledger, sk_a, sk_b, cid, rng = setup
    ledger.advance(CLOSE_BY + T_CONF - 1)
    rejects(ledger, RefundTx.create(sk_a, cid, rng), "timelock")
    ledger.advance(1)
    rejects(ledger, RefundTx.create(sk_b, cid, rng), "signature-payer")
    ledger.submit(RefundTx.create(sk_a, cid, rng))
    assert ledger.balance(sk_a.public) == 50
    assert ledger.total_value() == ledger.minted
    rejects(ledger, UpdateTx.create(sk_a, cid, 1, rng).cosign(sk_b, rng), "output-spent")


def test_penalty_needs_the_payers_key(setup, toy: Group) -> None:
    ledger, sk_a, sk_b, cid, rng = setup
    wrong = SecretKey(toy, (sk_a.x + 1) % toy.q or 1)
    rejects(ledger, PenaltyTx.create(wrong, sk_b, cid, rng), "signature-payer")
    rejects(ledger, PenaltyTx.create(sk_a, sk_a, cid, rng), "signature-payee")
    extracted = SecretKey(toy, sk_a.x)  # what AA.Extract hands to B
    ledger.submit(PenaltyTx.create(extracted, sk_b, cid, rng))
    assert ledger.balance(sk_b.public) == DEPOSIT + PENALTY
    assert ledger.total_value() == ledger.minted


def test_spending_an_unknown_channel(setup) -> None:
    ledger, sk_a, sk_b, _, rng = setup
    rejects(ledger, UpdateTx.create(sk_a, bytes(32), 1, rng).cosign(sk_b, rng), "escrow-unknown")
