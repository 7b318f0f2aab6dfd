"""Games `mc.type1` and `mc.type2` (harness §3, scheme §4.4): verdicts computed by the engine for the null
adversaries and the reference attacks, the rate of a budgeted preimage search against a 12-bit chain
hash, the clauses of each win predicate, and the rules of each experiment (budgets, phases, malformed
input, what the views hold)."""

from __future__ import annotations

import pytest

from mpgames.adversaries.base import Adversary
from mpgames.adversaries.microcoin import (
    B2,
    N2,
    BsgsMint,
    HonestPayer,
    KeyExposure,
    Overspend,
    PreimageSearch,
    RandomCoin,
    commit_coin_set,
)
from mpgames.adversaries.registry import adversaries_for
from mpgames.cli.explain import explain, win_predicates
from mpgames.framework.engine import Engine, make_spec, play_trial
from mpgames.framework.outcome import TrialOutcome
from mpgames.framework.view import View
from mpgames.games.mc_type1 import MicrocoinTypeOne, distinct_keypair
from mpgames.games.mc_type2 import HonestPayer as ChallengerPayer
from mpgames.games.mc_type2 import MicrocoinTypeTwo
from mpgames.games.microcoins import HASH_BUDGET
from mpgames.games.registry import get_game
from mpgames.measure.verdicts import Thresholds, Verdict
from mpgames.scheme import schnorr
from mpgames.scheme.ledger import Ledger
from mpgames.scheme.microcoin import (
    DEFAULT_TRUNCATE_BITS,
    VARIANTS,
    Commit,
    PayWordCoin,
    PayWordGen,
    microcoin_gen,
)
from mpgames.scheme.microcoin_tx import CommitTx
from mpgames.scheme.randomness import RandomSource, SeededRandom

SEED = "test-games-microcoin"
TOY = MicrocoinTypeOne.group("toy")


def run(game: type, variant: str, adversary: type, tier: str = "toy", max_trials: int = 200, **kw: object):
    with Engine(jobs=1) as engine:
        result = engine.run(game, variant, adversary, tier, max_trials=max_trials, seed=SEED, **kw)
    assert not result.lost, result.lost
    return result


def play(game: type, adversary: type, variant: str, index: int = 0) -> TrialOutcome:
    return play_trial(make_spec(game, variant, adversary, "toy", seed=SEED), index)


def test_registered_with_their_adversaries_and_broken_variants() -> None:
    assert get_game("mc.type1") is MicrocoinTypeOne
    assert get_game("mc.type2") is MicrocoinTypeTwo
    assert adversaries_for("mc.type1") == (HonestPayer, Overspend)
    assert adversaries_for("mc.type2") == (RandomCoin, KeyExposure, PreimageSearch, BsgsMint)
    broken = {name for name, v in MicrocoinTypeOne.variants.items() if v.broken}
    assert (set(MicrocoinTypeOne.variants), broken) == ({"mc-b", "mc-b-unbound-n"}, {"mc-b-unbound-n"})
    broken = {name for name, v in MicrocoinTypeTwo.variants.items() if v.broken}
    assert set(MicrocoinTypeTwo.variants) == {"mc-b", "mc-0", "mc-0-adm", "mc-b-trunc"}
    assert broken == {"mc-0", "mc-b-trunc"}
    assert win_predicates(MicrocoinTypeOne) == ("overspent",)
    assert win_predicates(MicrocoinTypeTwo) == ("claims_unpaid_coin",)
    assert "Type II" in explain(MicrocoinTypeTwo) and "q_H = budgets" in explain(MicrocoinTypeTwo)


# -- verdicts through the engine ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("game", "variant", "adversary", "verdict"),
    [
        (MicrocoinTypeOne, "mc-b", HonestPayer, Verdict.BOUNDED),
        (MicrocoinTypeOne, "mc-b-unbound-n", HonestPayer, Verdict.BOUNDED),
        (MicrocoinTypeOne, "mc-b-unbound-n", Overspend, Verdict.BROKEN),
        (MicrocoinTypeOne, "mc-b", Overspend, Verdict.BOUNDED),
        (MicrocoinTypeTwo, "mc-b", RandomCoin, Verdict.BOUNDED),
        (MicrocoinTypeTwo, "mc-0", RandomCoin, Verdict.BOUNDED),
        (MicrocoinTypeTwo, "mc-0", KeyExposure, Verdict.BROKEN),
        (MicrocoinTypeTwo, "mc-b", KeyExposure, Verdict.BOUNDED),
        (MicrocoinTypeTwo, "mc-0-adm", KeyExposure, Verdict.BOUNDED),
        (MicrocoinTypeTwo, "mc-b-trunc", PreimageSearch, Verdict.BROKEN),
    ],
)
def test_toy_tier_verdicts(game: type, variant: str, adversary: type, verdict: Verdict) -> None:
    result = run(game, variant, adversary)
    assert result.estimate.verdict is verdict
    assert result.expectation_met is True


def test_key_exposure_breaks_mc0_on_the_standard_tier() -> None:
    result = run(MicrocoinTypeTwo, "mc-0", KeyExposure, "standard", max_trials=25)
    assert result.estimate.verdict is Verdict.BROKEN and result.group == "rfc5114-2048-256"


class _HundredTries(PreimageSearch):
    """The preimage search with q_H = 100 hash queries, where tries·2^(1−κ) is a good approximation."""

    id = "test.mc-preimage-100"
    tries = 100


def test_budgeted_preimage_search_succeeds_at_rate_tries_times_2_to_1_minus_kappa() -> None:
    """400 trials on κ = 12: the engine's interval holds 100·2^(1−κ) ≈ 0.049, and excludes 0 and 4 times it.

    Thresholds that 400 trials cannot decide make the run play every trial and report its interval.
    """
    predicted = _HundredTries.tries * 2.0 ** (1 - DEFAULT_TRUNCATE_BITS)
    thresholds = Thresholds(eps0=0.01, eps1=0.5)
    result = run(MicrocoinTypeTwo, "mc-b-trunc", _HundredTries, max_trials=400, thresholds=thresholds)
    estimate = result.estimate
    assert estimate.trials == 400 and estimate.verdict is Verdict.INCONCLUSIVE
    assert 0 < estimate.interval.lower <= predicted <= estimate.interval.upper < 4 * predicted
    # Every trial spent the budget, or found a word before it ran out.
    assert 0.9 * _HundredTries.tries < result.mean_queries["hash"] <= _HundredTries.tries


def test_the_same_search_fails_against_the_full_hash() -> None:
    result = run(MicrocoinTypeTwo, "mc-b", _HundredTries)
    assert result.estimate.wins == 0 and result.estimate.verdict is Verdict.BOUNDED
    assert result.mean_queries["hash"] == _HundredTries.tries


def test_the_reference_search_spends_the_games_hash_budget() -> None:
    outcome = play(MicrocoinTypeTwo, PreimageSearch, "mc-b")
    assert PreimageSearch.tries == HASH_BUDGET == MicrocoinTypeTwo.budgets["hash"]
    assert outcome.query_count("hash") == HASH_BUDGET and not outcome.won and outcome.error is None


# -- mc.type1: the win predicate and the rules -------------------------------------------------------


def _commit(variant: str) -> Commit:
    """A COMMIT of n = 8 coins of value 5 (b = 40) in the variant."""
    rng = SeededRandom(f"{SEED}/{variant}")
    payer_pk, payer_sk = schnorr.keygen(TOY, rng)
    payee_pk, _ = distinct_keypair(TOY, rng, payer_pk)
    return microcoin_gen(payer_sk, payee_pk, 40, 8, 50, variant=VARIANTS[variant], rng=rng).commit


@pytest.mark.parametrize(
    ("variant", "indices", "received", "refused", "won"),
    [
        ("mc-b", (), 0, None, False),
        ("mc-b", (3, 8), 40, None, False),
        ("mc-b", (3, 9), 40, None, True),  # an index above the n recorded on the ledger
        ("mc-b", (8,), 41, None, True),  # more than b accepted
        ("mc-b", (8,), 40, "coin-proof", True),  # the last accepted coin fails to redeem
        ("mc-b-unbound-n", (16,), 40, None, False),  # no n on the ledger: index 16 alone is no win
        ("mc-b-unbound-n", (8, 16), 80, "exceeds-locked", True),
    ],
)
def test_type1_win_clauses(
    variant: str, indices: tuple[int, ...], received: int, refused: str | None, won: bool
) -> None:
    commit = _commit(variant)
    accepted = tuple(PayWordCoin(commit.cid, j, bytes(32)) for j in indices)
    assert MicrocoinTypeOne.overspent(commit, accepted, received, refused) is won


class _Abstains(Adversary):
    """Commits nothing."""

    id = "test.mc-abstain"
    label = "no commitment"
    targets = ("mc.type1",)
    expect = "null"

    def commit(self, view: View, rng: RandomSource) -> None:
        return None

    def pay(self, view: View, rng: RandomSource) -> None:
        raise AssertionError("never reached: there is no challenge commitment")


class _ForeignVariant(HonestPayer):
    """Commits a COMMIT of the variant that omits n to the mc-b ledger."""

    id = "test.mc-foreign-variant"

    def commit(self, view: View, rng: RandomSource) -> None:
        sk, unbound_n = schnorr.SecretKey(view.group, view.x), VARIANTS["mc-b-unbound-n"]
        gen = PayWordGen(sk, view.payee, 40, 8, 50, variant=unbound_n, rng=rng)
        view.commit(CommitTx(gen.commit, gen.signature))


class _TwoLinks(HonestPayer):
    """Has its Aux accepted twice."""

    id = "test.mc-two-links"

    def pay(self, view: View, rng: RandomSource) -> None:
        view.accept(self._aux)
        view.accept(self._aux)


class _PaysUnopened(HonestPayer):
    """Pays before the payee accepted its Aux."""

    id = "test.mc-pays-unopened"

    def pay(self, view: View, rng: RandomSource) -> None:
        view.pay(self._gen.coin(1))


class _CommitsLate(HonestPayer):
    """Tries to commit again in the pay stage."""

    id = "test.mc-commits-late"

    def commit(self, view: View, rng: RandomSource) -> None:
        super().commit(view, rng)
        self._commit = view.commit

    def pay(self, view: View, rng: RandomSource) -> None:
        self._commit(CommitTx(self._gen.commit, self._gen.signature))


@pytest.mark.parametrize(
    ("adversary", "error"),
    [
        (_Abstains, None),
        (_ForeignVariant, "MalformedQuery"),
        (_TwoLinks, "BudgetExceeded"),
        (_PaysUnopened, "VerificationError"),
        (_CommitsLate, "PhaseError"),
    ],
)
def test_type1_rules(adversary: type, error: str | None) -> None:
    outcome = play(MicrocoinTypeOne, adversary, "mc-b")
    assert not outcome.won and outcome.error == error


def test_the_payee_redeems_what_the_honest_payer_paid() -> None:
    """The challenge commitment is the one the payer recorded, and the payee redeems what it accepted."""
    spec = make_spec(MicrocoinTypeOne, "mc-b", HonestPayer, "toy", seed=SEED, tracing=True)
    outcome = play_trial(spec, 0)
    redeem = dict(next(entry.data for entry in outcome.transcript if entry.step == "redeem"))
    assert redeem["refused"] == "None" and int(redeem["received"]) > 0
    assert not outcome.won and outcome.error is None


# -- mc.type2: the win predicate and the rules -------------------------------------------------------


def _payer(variant: str) -> tuple[ChallengerPayer, schnorr.PublicKey]:
    rng = SeededRandom(f"{SEED}/type2/{variant}")
    payer_pk, payer_sk = schnorr.keygen(TOY, rng)
    ledger = Ledger()
    ledger.mint(payer_pk, B2)
    payee_pk, _ = distinct_keypair(TOY, rng, payer_pk)
    return ChallengerPayer(payer_sk, ledger, VARIANTS[variant], rng), payee_pk


@pytest.mark.parametrize("variant", ["mc-b", "mc-0", "mc-0-adm"])
def test_type2_win_clauses(variant: str) -> None:
    """Coin 2 wins as l* = 2 after c_1, and only there; a tampered or old coin never wins."""
    payer, payee = _payer(variant)
    aux = payer.setup(B2, N2, payee)
    first, second = payer.coin(), payer.coin()
    win = MicrocoinTypeTwo.claims_unpaid_coin
    assert win(aux, (first,), 2, second)
    assert not win(aux, (first,), 3, second)  # not the challenge index
    assert not win(aux, (first, second), 3, second)  # a coin already paid
    if isinstance(second, PayWordCoin):
        tampered = PayWordCoin(aux.cid, 2, bytes(32))
    else:
        tampered = type(second)(second.group, aux.cid, 2, (second.r + 1) % TOY.q, second.s)
    assert not win(aux, (first,), 2, tampered)


class _NotACoin(RandomCoin):
    """Hands in the names of its views (a malformed coin, so the trial is lost but the names are kept)."""

    id = "test.mc-view"

    def query(self, view: View, rng: RandomSource) -> None:
        self._names = tuple(sorted(view.names()))
        super().query(view, rng)

    def forge(self, view: View, rng: RandomSource) -> tuple[tuple[str, ...], ...]:
        return self._names, tuple(sorted(view.names()))


class _CoinN(RandomCoin):
    """Asks for all n coins."""

    id = "test.mc-coin-n"

    def wanted(self, rng: RandomSource) -> int:
        return N2


class _CoinBeforeSetup(RandomCoin):
    """Asks for a coin before setting up."""

    id = "test.mc-coin-first"

    def query(self, view: View, rng: RandomSource) -> None:
        view.coin()


class _CoinWhileForging(RandomCoin):
    """Asks for a coin after the challenge."""

    id = "test.mc-coin-late"

    def query(self, view: View, rng: RandomSource) -> None:
        super().query(view, rng)
        self._coin = view.coin

    def forge(self, view: View, rng: RandomSource) -> PayWordCoin:
        return self._coin()


class _ReplaysLastCoin(RandomCoin):
    """Hands in the last coin it was paid."""

    id = "test.mc-replay"

    def wanted(self, rng: RandomSource) -> int:
        return 2

    def forge(self, view: View, rng: RandomSource) -> PayWordCoin:
        return self.paid[-1]


class _NoSetup(RandomCoin):
    """Never asks for a coin set."""

    id = "test.mc-no-setup"

    def query(self, view: View, rng: RandomSource) -> None:
        return None


@pytest.mark.parametrize(
    ("adversary", "error"),
    [
        (_CoinN, "MalformedQuery"),
        (_CoinBeforeSetup, "MalformedQuery"),
        (_CoinWhileForging, "PhaseError"),
        (_ReplaysLastCoin, None),
        (_NoSetup, None),
    ],
)
def test_type2_rules(adversary: type, error: str | None) -> None:
    outcome = play(MicrocoinTypeTwo, adversary, "mc-b")
    assert not outcome.won and outcome.error == error


def test_views_hold_public_values_and_oracles_only() -> None:
    """Type II: no secret at all. Type I: the payer's key x, as an integer, by definition of the game."""
    outcome = play(MicrocoinTypeTwo, _NotACoin, "mc-b")
    assert outcome.error == "MalformedOutput"
    assert outcome.output == (
        "(('coin', 'funds', 'group', 'hash', 'pk', 'setup', 'variant'), ('challenge', 'hash'))"
    )


class _ReportsViews(HonestPayer):
    """Returns the names in both of its views from the pay stage (whose output the game ignores)."""

    id = "test.mc-type1-views"

    def commit(self, view: View, rng: RandomSource) -> None:
        self._names = tuple(sorted(view.names()))
        self._key_matches = view.group.gexp(view.x) == view.pk.y
        self._gen = commit_coin_set(view, schnorr.SecretKey(view.group, view.x), rng)

    def pay(self, view: View, rng: RandomSource) -> tuple[object, ...]:
        return self._names, tuple(sorted(view.names())), self._key_matches


def test_type1_view_hands_over_the_payers_key() -> None:
    outcome = play(MicrocoinTypeOne, _ReportsViews, "mc-b")
    assert outcome.error is None and not outcome.won
    assert outcome.output == (
        "(('commit', 'funds', 'group', 'now', 'payee', 'pk', 'variant', 'x'), ('accept', 'cid', 'pay'), True)"
    )
