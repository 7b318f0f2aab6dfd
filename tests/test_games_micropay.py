"""Games `mp.uf`, `mp.ul`, `mp.ds` and `mp.profit` (harness §3; scheme §5.5–§5.7): verdicts computed by
the engine for the null adversaries and the reference attacks, the protocol outcomes behind them
(extraction, penalty, the payer's profit against the §5.6 model) and the rules of each experiment
(freshness, budgets, clock, offered terms, malformed input, what the view holds)."""

from __future__ import annotations

import pytest

from mpgames.adversaries.base import Adversary
from mpgames.adversaries.micropay import (
    BalanceRewind,
    HonestPayer,
    HonestShopper,
    LeafCollisionDoubleSpend,
    PayerDevice,
    RandomSignerGuess,
    RandomVoucherForgery,
    ReadSigner,
    SlotForks,
    TwoPosDoubleSpend,
    one_slot_close,
)
from mpgames.adversaries.registry import adversaries_for
from mpgames.framework.engine import Engine, make_spec, play_trial
from mpgames.framework.outcome import TrialOutcome
from mpgames.framework.view import View
from mpgames.games.channel_vouchers import MICROPAY2, MICROPAY3, POS_COUNT, UNBOUND
from mpgames.games.mp_ds import NO_AA, DoubleSpendDetection
from mpgames.games.mp_profit import BOUNDS, DEPOSIT, PURCHASES, U2, DoubleSpendProfit, MpProfitView
from mpgames.games.mp_uf import VoucherUnforgeability
from mpgames.games.mp_ul import VoucherUnlinkability
from mpgames.games.payment_desk import PaymentView
from mpgames.games.registry import get_game
from mpgames.measure.estimation import Estimate
from mpgames.measure.verdicts import Thresholds, Verdict
from mpgames.scheme import schnorr
from mpgames.scheme.assertions import AUXSK_LEN, Asserter
from mpgames.scheme.channel_tx import EscrowTerms, EscrowTx
from mpgames.scheme.errors import RuleViolation
from mpgames.scheme.micropay import Payment
from mpgames.scheme.penalty import PENALTY_IN_BOUND, PENALTY_TOO_SMALL, SlotStrategy, asked_penalty
from mpgames.scheme.randomness import RandomSource
from mpgames.scheme.ring import RingSignature
from mpgames.scheme.vouchers import RingVoucher

SEED = "test-games-micropay"


def estimate(game: type, variant: str, adversary: type, tier: str, max_trials: int, **kw: object) -> Estimate:
    with Engine(jobs=1) as engine:
        result = engine.run(game, variant, adversary, tier, max_trials=max_trials, seed=SEED, **kw)
    assert not result.lost, result.lost
    return result.estimate


def verdict(game: type, variant: str, adversary: type, tier: str, max_trials: int) -> Verdict:
    return estimate(game, variant, adversary, tier, max_trials).verdict


def play(game: type, adversary: type, variant: str, index: int = 0, tier: str = "toy") -> TrialOutcome:
    return play_trial(make_spec(game, variant, adversary, tier, seed=SEED, tracing=True), index)


def traced(outcome: TrialOutcome, step: str) -> dict[str, str]:
    (entry,) = [e for e in outcome.transcript if e.step == step]
    return dict(entry.data)


@pytest.mark.parametrize(
    ("game", "adversaries"),
    [
        (VoucherUnforgeability, (RandomVoucherForgery, BalanceRewind)),
        (VoucherUnlinkability, (RandomSignerGuess, ReadSigner)),
        (DoubleSpendDetection, (HonestPayer, TwoPosDoubleSpend, LeafCollisionDoubleSpend)),
        (DoubleSpendProfit, (HonestShopper, SlotForks)),
    ],
    ids=lambda value: getattr(value, "id", ""),
)
def test_registered_with_their_adversaries(game: type, adversaries: tuple[type, ...]) -> None:
    assert get_game(game.id) is game
    assert adversaries_for(game.id) == adversaries


# -- mp.uf -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("variant", [MICROPAY3, MICROPAY2])
def test_random_voucher_forgery_is_bounded(variant: str) -> None:
    assert verdict(VoucherUnforgeability, variant, RandomVoucherForgery, "toy", 1000) is Verdict.BOUNDED


def test_random_ring_voucher_verifies_at_rate_one_over_q() -> None:
    """The verifier does accept random vouchers now and then, at the rate 1/q = 1/1019 of the toy tier
    (eps0 = 1e-4 is out of reach, so the run plays every trial and reports its interval)."""
    q = VoucherUnforgeability.group("toy").q
    found = estimate(
        VoucherUnforgeability, MICROPAY3, RandomVoucherForgery, "toy", 5000, thresholds=Thresholds(eps0=1e-4)
    )
    assert found.trials == 5000 and found.wins >= 1
    assert found.interval.lower <= 1 / q <= found.interval.upper < 10 / q


@pytest.mark.parametrize("tier", ["toy", "standard"])
def test_rewind_breaks_vouchers_that_leave_out_k_and_b(tier: str) -> None:
    assert verdict(VoucherUnforgeability, UNBOUND, BalanceRewind, tier, 100) is Verdict.BROKEN


@pytest.mark.parametrize("variant", [MICROPAY3, MICROPAY2])
def test_rewind_fails_when_the_whole_state_is_signed(variant: str) -> None:
    assert verdict(VoucherUnforgeability, variant, BalanceRewind, "toy", 1000) is Verdict.BOUNDED
    outcome = play(VoucherUnforgeability, BalanceRewind, variant)
    assert outcome.error is None and outcome.query_count("cert") == 1 and not outcome.won


class _Replay(Adversary):
    """Hands in a voucher the oracle issued, unchanged."""

    id = "test.mp-replay"
    label = "replay an oracle voucher"
    targets = ("mp.uf",)
    expect = "null"

    def attack(self, view: View, rng: RandomSource) -> object:
        return view.cert(1, view.sample_state)


class _Renamed(Adversary):
    """Asks B_2 to sign a state naming B_0, then reports the name and the verifying keys."""

    id = "test.mp-renamed"
    label = "who does a Micropay 2 voucher name"
    targets = ("mp.uf",)
    expect = "null"

    def attack(self, view: View, rng: RandomSource) -> object:
        voucher = view.cert(2, view.sample_state)
        return voucher.state.pos, tuple(i for i, pk in enumerate(view.points_of_sale) if voucher.verify(pk))


class _WrongKind(Adversary):
    """Hands in a ring-signed voucher whatever the variant, with one response too few."""

    id = "test.mp-wrong-kind"
    label = "short ring voucher"
    targets = ("mp.uf",)
    expect = "null"

    def attack(self, view: View, rng: RandomSource) -> object:
        return RingVoucher(view.sample_state, RingSignature(0, (0,) * (POS_COUNT - 1)))


class _Greedy(Adversary):
    """Asks for one voucher more than the budget allows."""

    id = "test.mp-greedy"
    label = "over-budget O_cert"
    targets = ("mp.uf",)
    expect = "null"

    def attack(self, view: View, rng: RandomSource) -> object:
        return [view.cert(0, view.sample_state) for _ in range(VoucherUnforgeability.budgets["cert"] + 1)]


class _Outside(Adversary):
    """Asks a point of sale that does not exist."""

    id = "test.mp-outside"
    label = "point of sale n"
    targets = ("mp.uf", "mp.ul")
    expect = "null"

    def attack(self, view: View, rng: RandomSource) -> object:
        return view.cert(POS_COUNT, view.sample_state)


def test_a_voucher_the_oracle_issued_is_no_forgery() -> None:
    outcome = play(VoucherUnforgeability, _Replay, MICROPAY3)
    assert outcome.error is None and outcome.query_count("cert") == 1 and not outcome.won


def test_a_micropay2_point_of_sale_writes_its_own_name() -> None:
    """O_cert(2, state naming B_0) issues B_2's state: it names B_2 and verifies under pk_2 only."""
    outcome = play(VoucherUnforgeability, _Renamed, MICROPAY2)
    assert outcome.error == "MalformedOutput" and outcome.output == "(2, (2,))"


@pytest.mark.parametrize(
    ("adversary", "variant", "error"),
    [
        (_WrongKind, MICROPAY2, "MalformedOutput"),
        (_WrongKind, MICROPAY3, "SchemeError"),
        (_Greedy, MICROPAY3, "BudgetExceeded"),
        (_Outside, MICROPAY3, "MalformedQuery"),
    ],
)
def test_malformed_or_over_budget_play_loses(adversary: type, variant: str, error: str) -> None:
    outcome = play(VoucherUnforgeability, adversary, variant)
    assert not outcome.won and outcome.error == error


# -- mp.ul -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("tier", ["toy", "standard"])
def test_reading_the_signer_breaks_micropay2(tier: str) -> None:
    found = estimate(VoucherUnlinkability, MICROPAY2, ReadSigner, tier, 200)
    assert found.verdict is Verdict.BROKEN
    assert found.wins == found.trials  # Adv = 1 − 1/n


def test_random_guess_is_bounded() -> None:
    assert verdict(VoucherUnlinkability, MICROPAY3, RandomSignerGuess, "toy", 6400) is Verdict.BOUNDED


def test_ring_vouchers_give_the_signer_reader_nothing() -> None:
    """Against AOS vouchers the attack falls back to guessing: bounded, with an interval for Adv around 0."""
    found = estimate(VoucherUnlinkability, MICROPAY3, ReadSigner, "toy", 6400)
    assert found.verdict is Verdict.BOUNDED
    assert found.interval.lower <= 0 <= found.interval.upper


class _CheckExposure(Adversary):
    """Reports whether every exposed key is the key of the point of sale with the same index."""

    id = "test.mp-exposure"
    label = "check the exposed keys"
    targets = ("mp.ul",)
    expect = "null"

    def attack(self, view: View, rng: RandomSource) -> object:
        group = view.group
        return all(
            group.gexp(x) == pk.y for x, pk in zip(view.exposed_keys, view.points_of_sale, strict=True)
        )


class _TwoChallenges(Adversary):
    id = "test.mp-two-challenges"
    label = "two challenge queries"
    targets = ("mp.ul",)
    expect = "null"

    def attack(self, view: View, rng: RandomSource) -> object:
        view.challenge(view.sample_state)
        view.challenge(view.sample_state)
        return 0


class _OutOfRange(Adversary):
    id = "test.mp-out-of-range"
    label = "guess n"
    targets = ("mp.ul",)
    expect = "null"

    def attack(self, view: View, rng: RandomSource) -> object:
        return POS_COUNT


def test_strong_unlinkability_hands_over_every_key() -> None:
    outcome = play(VoucherUnlinkability, _CheckExposure, MICROPAY3)
    assert outcome.error == "MalformedOutput" and outcome.output == "True"


@pytest.mark.parametrize(
    ("adversary", "error"),
    [(_TwoChallenges, "BudgetExceeded"), (_OutOfRange, "MalformedOutput"), (_Outside, "MalformedQuery")],
)
def test_unlinkability_rules(adversary: type, error: str) -> None:
    outcome = play(VoucherUnlinkability, adversary, MICROPAY3)
    # A fault is counted by type; in a guessing game it is scored as the challenger's uniform guess
    # (tests/test_fault_scoring.py), so the trial may count as won.
    assert outcome.error == error


# -- mp.ds -------------------------------------------------------------------------------------------


def test_honest_payer_is_bounded() -> None:
    assert verdict(DoubleSpendDetection, MICROPAY3, HonestPayer, "toy", 200) is Verdict.BOUNDED


def test_double_spend_without_assertions_escapes() -> None:
    assert verdict(DoubleSpendDetection, NO_AA, TwoPosDoubleSpend, "toy", 100) is Verdict.BROKEN


def test_double_spend_with_assertions_is_bounded() -> None:
    assert verdict(DoubleSpendDetection, MICROPAY3, TwoPosDoubleSpend, "toy", 200) is Verdict.BOUNDED


@pytest.mark.parametrize("tier", ["toy", "standard"])
def test_double_spend_with_assertions_gives_the_key(tier: str) -> None:
    """Both spends of the voucher are accepted (no fault, two spend answers); the trial is lost only
    because Extract returns the payer's key."""
    outcome = play(DoubleSpendDetection, TwoPosDoubleSpend, MICROPAY3, tier=tier)
    assert outcome.error is None and outcome.query_count("spend") == 2 and not outcome.won


class _SamePosTwice(Adversary):
    """Shows its first voucher twice at B_0: the second spend is refused and never enters Q."""

    id = "test.mp-same-pos"
    label = "one voucher twice at one point of sale"
    targets = ("mp.ds",)
    expect = "null"

    def attack(self, view: View, rng: RandomSource) -> object:
        device = PayerDevice(view, rng)
        voucher = device.open(4, 1, one_slot_close(view))
        device.pay(0, voucher, 2)
        try:
            device.pay(0, voucher, 2)
        except RuleViolation as err:
            return err.rule
        return "accepted"


class _DeepTree(Adversary):
    """Opens a channel with an assertion tree deeper than B accepts."""

    id = "test.mp-deep-tree"
    label = "tree of depth D + 1"
    targets = ("mp.ds",)
    expect = "null"

    def attack(self, view: View, rng: RandomSource) -> object:
        pk, sk = schnorr.keygen(view.group, rng)
        apk = Asserter(sk, rng.randbytes(AUXSK_LEN), view.depth + 1).public
        terms = EscrowTerms(pk, view.merchant, 4, 1, one_slot_close(view), view.schedule.t_conf, apk)
        try:
            view.open(EscrowTx.create(sk, terms, rng))
        except RuleViolation as err:
            return err.rule
        return "opened"


class _GarbledPayment(Adversary):
    """Sends a payment whose nonce is a list: refused as malformed, not a crash of the challenger."""

    id = "test.mp-garbled"
    label = "payment with a list as nonce"
    targets = ("mp.ds", "mp.profit")
    expect = "null"

    def attack(self, view: PaymentView, rng: RandomSource) -> object:
        device = PayerDevice(view, rng)
        if isinstance(view, MpProfitView):
            offered = (view.deposit, view.penalty, view.close_by)
        else:
            offered = (4, 1, one_slot_close(view))
        voucher = device.open(*offered)
        return view.spend(0, Payment(voucher, 2, [0], None, None))


@pytest.mark.parametrize(
    ("adversary", "output"), [(_SamePosTwice, "'context-reused'"), (_DeepTree, "'escrow-terms'")]
)
def test_points_of_sale_refuse_what_b_would_refuse(adversary: type, output: str) -> None:
    outcome = play(DoubleSpendDetection, adversary, MICROPAY3)
    assert outcome.error is None and outcome.output == output and not outcome.won


def test_a_garbled_payment_is_a_malformed_query() -> None:
    outcome = play(DoubleSpendDetection, _GarbledPayment, MICROPAY3)
    assert outcome.error == "MalformedQuery" and not outcome.won


class _ViewNames(Adversary):
    """Returns the names in its view."""

    id = "test.mp-view"
    label = "report the view"
    targets = ("mp.ds",)
    expect = "null"

    def attack(self, view: View, rng: RandomSource) -> object:
        return tuple(sorted(view.names()))


def test_the_payer_view_holds_public_values_and_oracles_only() -> None:
    """B's and its points of sale's public keys, the voucher scheme, schedule, depth, time; oracles."""
    outcome = play(DoubleSpendDetection, _ViewNames, MICROPAY3)
    assert outcome.output == (
        "('depth', 'group', 'merchant', 'nonce', 'now', 'open', 'points_of_sale', 'schedule', 'spend', "
        "'variant', 'vouchers')"
    )


# -- mp.profit ---------------------------------------------------------------------------------------


def test_forks_profit_against_too_small_a_penalty() -> None:
    assert verdict(DoubleSpendProfit, PENALTY_TOO_SMALL, SlotForks, "toy", 100) is Verdict.BROKEN


@pytest.mark.parametrize("adversary", [SlotForks, HonestShopper])
def test_a_penalty_in_the_bound_deters(adversary: type) -> None:
    assert verdict(DoubleSpendProfit, PENALTY_IN_BOUND, adversary, "toy", 200) is Verdict.BOUNDED


@pytest.mark.parametrize("variant", [PENALTY_IN_BOUND, PENALTY_TOO_SMALL])
def test_the_protocol_settles_as_the_profit_model_predicts(variant: str) -> None:
    """On the ledger: goods b_prev + V = 8 + N·u2, B takes d + p, so the profit is the model's
    V − δ − p for δ = u2 and N single-purchase forks of u2."""
    penalty, _ = asked_penalty(variant, BOUNDS)
    settlement = traced(play(DoubleSpendProfit, SlotForks, variant), "settlement")
    model = SlotStrategy(U2, ((0, U2),) * PURCHASES).profit(penalty)
    assert settlement == {
        "goods": str(DEPOSIT - U2 + PURCHASES * U2),
        "collected": str(DEPOSIT + penalty),
        "profit": str(model),
    }
    assert model == (PURCHASES - 1) * U2 - penalty == (1 if variant == PENALTY_TOO_SMALL else 0)
    honest = traced(play(DoubleSpendProfit, HonestShopper, variant), "settlement")
    assert honest == {"goods": str(DEPOSIT), "collected": str(DEPOSIT), "profit": "0"}


class _ForkAtEntry(Adversary):
    """Forks its first voucher at every point of sale in the first slot: δ = d, not u2."""

    id = "test.mp-fork-at-entry"
    label = "N forks with delta = d"
    targets = ("mp.profit",)
    expect = "null"

    def attack(self, view: View, rng: RandomSource) -> object:
        device = PayerDevice(view, rng)
        voucher = device.open(view.deposit, view.penalty, view.close_by)
        for pos in range(view.purchases_per_slot):
            device.pay(pos, voucher, view.u2)
        return None


def test_forking_with_the_whole_deposit_does_not_pay() -> None:
    """With δ = d the N forks buy N·u2 = 16 and lose d + p = 23: the best δ is u2 (spec §5.6)."""
    outcome = play(DoubleSpendProfit, _ForkAtEntry, PENALTY_TOO_SMALL)
    assert outcome.error is None and not outcome.won
    assert traced(outcome, "settlement")["profit"] == str(
        PURCHASES * U2 - DEPOSIT - asked_penalty(PENALTY_TOO_SMALL, BOUNDS)[0]
    )


class _OneTooMany(Adversary):
    """Tries N + 1 purchases in the first slot; reports how the last one is refused."""

    id = "test.mp-one-too-many"
    label = "N + 1 purchases in one slot"
    targets = ("mp.profit",)
    expect = "null"

    def attack(self, view: View, rng: RandomSource) -> object:
        device = PayerDevice(view, rng)
        voucher = device.open(view.deposit, view.penalty, view.close_by)
        for _ in range(view.purchases_per_slot):
            voucher = device.pay(0, voucher, view.u1)
        try:
            device.pay(0, voucher, view.u1)
        except RuleViolation as err:
            return err.rule
        return "accepted"


class _Overpriced(Adversary):
    """Buys something priced above u2."""

    id = "test.mp-overpriced"
    label = "price u2 + 1"
    targets = ("mp.profit",)
    expect = "null"

    def attack(self, view: View, rng: RandomSource) -> object:
        device = PayerDevice(view, rng)
        voucher = device.open(view.deposit, view.penalty, view.close_by)
        try:
            device.pay(0, voucher, view.u2 + 1)
        except RuleViolation as err:
            return err.rule
        return "accepted"


class _OwnTerms(Adversary):
    """Opens a channel with a penalty of its own choosing (zero)."""

    id = "test.mp-own-terms"
    label = "channel with p = 0"
    targets = ("mp.profit",)
    expect = "null"

    def attack(self, view: View, rng: RandomSource) -> object:
        try:
            PayerDevice(view, rng).open(view.deposit, 0, view.close_by)
        except RuleViolation as err:
            return err.rule
        return "opened"


@pytest.mark.parametrize(
    ("adversary", "output"),
    [(_OneTooMany, "'pos-closed'"), (_Overpriced, "'tx-amount'"), (_OwnTerms, "'escrow-terms'")],
)
def test_the_slot_model_is_enforced(adversary: type, output: str) -> None:
    outcome = play(DoubleSpendProfit, adversary, PENALTY_TOO_SMALL)
    assert outcome.error is None and outcome.output == output and not outcome.won


def test_a_garbled_purchase_is_a_malformed_query() -> None:
    outcome = play(DoubleSpendProfit, _GarbledPayment, PENALTY_IN_BOUND)
    assert outcome.error == "MalformedQuery" and not outcome.won
