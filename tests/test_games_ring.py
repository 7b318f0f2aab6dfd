"""Games `ring.uf` and `ring.anon` (harness §3, scheme §3.3, §5.7): verdicts computed by the engine for
the null adversaries and the reference attacks, the 1/q rate of random ring forgeries, and the rules
of each experiment (freshness, budgets, malformed input, what the view holds)."""

from __future__ import annotations

import pytest

from mpgames.adversaries.base import Adversary
from mpgames.adversaries.registry import adversaries_for
from mpgames.adversaries.ring import (
    PAIR,
    TARGET,
    BsgsRingForgery,
    CoinRecomputation,
    RandomBitGuess,
    RandomRingForgery,
)
from mpgames.framework.engine import Engine, make_spec, play_trial
from mpgames.framework.outcome import TrialOutcome
from mpgames.framework.view import View
from mpgames.games.registry import get_game
from mpgames.games.ring_anon import RingAnonymity
from mpgames.games.ring_uf import RingForgery, RingUnforgeability
from mpgames.games.rings import RING_SIZE
from mpgames.measure.verdicts import Kind, Thresholds, Verdict
from mpgames.scheme.groups import named_group
from mpgames.scheme.randomness import RandomSource
from mpgames.scheme.ring import RingSignature

SEED = "test-games-ring"


def verdict(game: type, variant: str, adversary: type, tier: str, max_trials: int, **kw: object) -> Verdict:
    with Engine(jobs=1) as engine:
        result = engine.run(game, variant, adversary, tier, max_trials=max_trials, seed=SEED, **kw)
    assert not result.lost, result.lost
    return result.estimate.verdict


def play(game: type, adversary: type, variant: str, index: int = 0, tier: str = "toy") -> TrialOutcome:
    return play_trial(make_spec(game, variant, adversary, tier, seed=SEED), index)


def test_registered_with_their_adversaries() -> None:
    assert get_game("ring.uf") is RingUnforgeability
    assert get_game("ring.anon") is RingAnonymity
    assert adversaries_for("ring.uf") == (RandomRingForgery, BsgsRingForgery)
    assert adversaries_for("ring.anon") == (RandomBitGuess, CoinRecomputation)


def test_toy_tier_is_the_spec_demo_group() -> None:
    assert RingUnforgeability.group("toy").q == 1019
    assert RingAnonymity.group("toy") == named_group("toy-2039")


# -- ring.uf ---------------------------------------------------------------------------------------


def test_random_forgery_succeeds_at_rate_one_over_q() -> None:
    """Over 5000 toy trials the engine's interval for Pr[win] contains 1/q = 1/1019 and excludes 10/q.

    eps0 = 1e-4 is out of reach at this budget, so the run plays every trial and reports its interval.
    """
    q = RingUnforgeability.group("toy").q
    with Engine(jobs=1) as engine:
        result = engine.run(
            RingUnforgeability,
            "aos",
            RandomRingForgery,
            "toy",
            max_trials=5000,
            seed=SEED,
            thresholds=Thresholds(eps0=1e-4),
        )
    estimate = result.estimate
    assert estimate.trials == 5000 and estimate.verdict is Verdict.INCONCLUSIVE
    # Random signatures do verify now and then: the verifier is not simply rejecting everything …
    assert estimate.wins >= 1
    # … at the rate 1/q, as the random-oracle analysis of AOS predicts.
    assert estimate.interval.lower <= 1 / q <= estimate.interval.upper < 10 / q


@pytest.mark.parametrize("tier", ["toy", pytest.param("standard", marks=pytest.mark.slow)])
def test_random_forgery_is_bounded(tier: str) -> None:
    assert verdict(RingUnforgeability, "aos", RandomRingForgery, tier, 1000) is Verdict.BOUNDED


def test_bsgs_forgery_breaks_the_toy_tier() -> None:
    assert verdict(RingUnforgeability, "aos", BsgsRingForgery, "toy", 200) is Verdict.BROKEN
    assert BsgsRingForgery.expected_verdict("aos", "standard") == "bounded"


class _Replay(Adversary):
    """Has a member sign the target message, then hands in that very signature."""

    id = "test.ring-replay"
    label = "replay an oracle signature"
    targets = ("ring.uf",)
    expect = "null"

    def attack(self, view: View, rng: RandomSource) -> RingForgery:
        return RingForgery(TARGET, view.cert(2, TARGET))


class _ShortSignature(Adversary):
    """Hands in a signature with one response too few."""

    id = "test.ring-short"
    label = "signature with n − 1 responses"
    targets = ("ring.uf",)
    expect = "null"

    def attack(self, view: View, rng: RandomSource) -> RingForgery:
        return RingForgery(TARGET, RingSignature(0, (0,) * (RING_SIZE - 1)))


class _Greedy(Adversary):
    """Asks for one signature more than the budget allows."""

    id = "test.ring-greedy"
    label = "over-budget signing queries"
    targets = ("ring.uf",)
    expect = "null"

    def attack(self, view: View, rng: RandomSource) -> RingForgery:
        for k in range(RingUnforgeability.budgets["cert"] + 1):
            view.cert(0, b"%d" % k)
        return RingForgery(TARGET, RingSignature(0, (0,) * RING_SIZE))


class _OutsideRing(Adversary):
    """Asks a signer index outside the ring."""

    id = "test.ring-outside"
    label = "signer index n"
    targets = ("ring.uf",)
    expect = "null"

    def attack(self, view: View, rng: RandomSource) -> RingForgery:
        return RingForgery(TARGET, view.cert(RING_SIZE, TARGET))


def test_a_signature_the_oracle_gave_is_no_forgery() -> None:
    outcome = play(RingUnforgeability, _Replay, "aos")
    assert outcome.query_count("cert") == 1 and outcome.error is None
    assert not outcome.won


@pytest.mark.parametrize(
    ("adversary", "error"),
    [(_ShortSignature, "SchemeError"), (_Greedy, "BudgetExceeded"), (_OutsideRing, "MalformedQuery")],
)
def test_malformed_or_over_budget_play_loses(adversary: type, error: str) -> None:
    outcome = play(RingUnforgeability, adversary, "aos")
    assert not outcome.won and outcome.error == error


# -- ring.anon -------------------------------------------------------------------------------------


def test_random_guess_is_bounded() -> None:
    assert verdict(RingAnonymity, "aos", RandomBitGuess, "toy", 20000) is Verdict.BOUNDED


@pytest.mark.parametrize("tier", ["toy", pytest.param("standard", marks=pytest.mark.slow)])
def test_coin_recomputation_breaks_the_deterministic_signer(tier: str) -> None:
    assert verdict(RingAnonymity, "aos-deterministic", CoinRecomputation, tier, 200) is Verdict.BROKEN


def test_coin_recomputation_does_not_break_aos() -> None:
    """The same attack against fresh coins: bounded (at eps0 = 0.2, which a few hundred trials decide)."""
    thresholds = Thresholds(eps0=0.2, eps1=0.6)
    result = verdict(RingAnonymity, "aos", CoinRecomputation, "toy", 5000, thresholds=thresholds)
    assert result is Verdict.BOUNDED
    # It never finds a match, so it always answers 1.
    assert {play(RingAnonymity, CoinRecomputation, "aos", i).output for i in range(20)} == {"1"}


class _CheckExposure(Adversary):
    """Answers 1 iff every exposed key is the secret key of the ring member with the same index."""

    id = "test.ring-exposure"
    label = "check the exposed keys"
    targets = ("ring.anon",)
    expect = "null"

    def attack(self, view: View, rng: RandomSource) -> int:
        group = view.group
        return int(all(group.gexp(x) == pk.y for x, pk in zip(view.exposed_keys, view.ring, strict=True)))


class _TwoChallenges(Adversary):
    """Asks for a second challenge signature."""

    id = "test.ring-two-challenges"
    label = "two challenge queries"
    targets = ("ring.anon",)
    expect = "null"

    def attack(self, view: View, rng: RandomSource) -> int:
        view.challenge(b"m", *PAIR)
        view.challenge(b"m", *PAIR)
        return 0


class _NotABit(Adversary):
    """Answers 2."""

    id = "test.ring-not-a-bit"
    label = "guess outside {0, 1}"
    targets = ("ring.anon",)
    expect = "null"

    def attack(self, view: View, rng: RandomSource) -> int:
        return 2


def test_full_key_exposure_hands_over_every_members_key() -> None:
    outcome = play(RingAnonymity, _CheckExposure, "aos")
    assert outcome.error is None and outcome.output == "1"


@pytest.mark.parametrize(
    ("adversary", "error"), [(_TwoChallenges, "BudgetExceeded"), (_NotABit, "MalformedOutput")]
)
def test_anonymity_rules(adversary: type, error: str) -> None:
    outcome = play(RingAnonymity, adversary, "aos")
    # A fault is counted by type; in a guessing game it is scored as the challenger's uniform guess
    # (tests/test_fault_scoring.py), so the trial may count as won.
    assert outcome.error == error


class _ViewKeys(Adversary):
    """Hands in the names in its view: a malformed output, so the trial is lost, names recorded."""

    id = "test.ring-view"
    label = "report the view"
    targets = ("ring.uf", "ring.anon")
    expect = "null"

    def attack(self, view: View, rng: RandomSource) -> tuple[str, ...]:
        return tuple(sorted(view.names()))


@pytest.mark.parametrize(
    ("game", "names"),
    [
        (RingUnforgeability, "('cert', 'group', 'ring', 'variant')"),
        (RingAnonymity, "('challenge', 'exposed_keys', 'group', 'ring', 'variant')"),
    ],
)
def test_view_holds_public_values_and_oracles_only(game: type, names: str) -> None:
    """No secret key object reaches the adversary; ring.anon exposes the keys as integers by definition."""
    outcome = play(game, _ViewKeys, game.default_variant)
    assert outcome.output == names and outcome.lost_by_fault
    # The fault is a loss in ring.uf; ring.anon (hidden-bit) scores it as the challenger's coin flip.
    assert game.kind is Kind.HIDDEN_BIT or not outcome.won
