"""Example: security games and scheme properties in your own test suite (docs/pytest-plugin.md).

Run it with `pytest docs/examples/test_example.py`; mpgames' pytest plugin provides `mpgames_run`.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from mpgames.adversaries.base import Adversary
from mpgames.games.sig_euf_cma import EufCmaAdversary, EufCmaView, Forgery
from mpgames.measure.verdicts import Verdict
from mpgames.scheme import schnorr
from mpgames.scheme.microcoin import Channel
from mpgames.scheme.randomness import RandomSource
from mpgames.testing.strategies import coins, groups, keypairs, vouchers

# -- games: assert on the verdict ------------------------------------------------------------------


def test_nonce_reuse_breaks_the_weak_signer(mpgames_run):
    result = mpgames_run("sig.euf-cma", "sig.nonce-reuse", variant="schnorr-nonce-reuse")
    assert result.estimate.verdict is Verdict.BROKEN
    assert result.estimate.interval.lower > 0.25


def test_fresh_nonces_resist_the_same_attack(mpgames_run):
    result = mpgames_run("sig.euf-cma", "sig.nonce-reuse")  # default variant: a fresh nonce each time
    assert result.estimate.verdict is Verdict.BOUNDED
    assert result.estimate.interval.upper < 0.05


class ReplayForger(Adversary, EufCmaAdversary):
    """Your own adversary: ask for a signature and hand it back as a "forgery"."""

    id = "example.replay"
    label = "replay a signature the oracle gave"
    targets = ("sig.euf-cma",)
    expect = "null"

    def attack(self, view: EufCmaView, rng: RandomSource) -> Forgery:
        message = b"pay 1 coin to Alice"
        return Forgery(message, view.sign(message))


def test_a_replayed_signature_is_not_a_forgery(mpgames_run):
    # The signature verifies, but the message was queried: the win predicate refuses it.
    result = mpgames_run("sig.euf-cma", ReplayForger)
    assert result.estimate.wins == 0
    assert result.estimate.verdict is Verdict.BOUNDED


def test_a_guess_1_of_n_null_adversary_is_bounded(mpgames_run):
    """Guessing one of 3 points of sale, a null adversary wins a third of its trials: no advantage.
    Bounding it below 0.1 takes about a thousand trials (`mpgames run mp.ul --plan --eps0 0.1`)."""
    result = mpgames_run("mp.ul", "mp.ul-random-guess", max_trials=2000, eps0=0.1)
    assert result.estimate.verdict is Verdict.BOUNDED


def test_a_hidden_bit_attack_is_broken_and_a_guess_is_bounded(mpgames_run):
    """Hidden-bit: Adv = |2·Pr[win] − 1|. Deterministic ring coins give the signer away; a coin flip
    needs a few thousand trials to be bounded below 0.1 (`mpgames run ring.anon --plan --eps0 0.1`)."""
    broken = mpgames_run("ring.anon", "ring.recompute-coins", variant="aos-deterministic")
    assert broken.estimate.verdict is Verdict.BROKEN
    guess = mpgames_run("ring.anon", "ring.random-guess", max_trials=6000, eps0=0.1, time_limit=2.0)
    assert guess.estimate.verdict is Verdict.BOUNDED


# -- scheme objects: property tests with mpgames' Hypothesis strategies -----------------------------


@settings(max_examples=25, deadline=None)
@given(groups("toy").flatmap(keypairs), st.binary(max_size=32))
def test_signatures_verify(pair, message):
    pk, sk = pair
    assert schnorr.verify(schnorr.sign(sk, message), pk, message)


@settings(max_examples=25, deadline=None)
@given(groups("toy").flatmap(coins))
def test_a_fresh_channel_credits_a_coin_its_value(case):
    assert Channel(case.aux).check(case.coin) == case.value


@settings(max_examples=15, deadline=None)
@given(groups("toy").flatmap(vouchers))
def test_vouchers_verify(case):
    assert case.voucher.verify(case.verifier)
