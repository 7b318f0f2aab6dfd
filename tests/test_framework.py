"""The game framework: views, oracles, faults and lost trials (harness §3, §10).

The games and adversaries below are real `Game` / `Adversary` subclasses, small enough that each
test pins one rule: what the adversary may see, when an oracle refuses, which failures lose a trial
(counted by type) and which stop the run (a bug of the challenger).
"""

from __future__ import annotations

import contextlib
import signal
import threading
import time
from dataclasses import FrozenInstanceError, dataclass
from typing import Protocol

import pytest

from mpgames.adversaries.base import Adversary
from mpgames.framework.base import Game, Variant, budget_table, variant_table
from mpgames.framework.context import TrialContext
from mpgames.framework.engine import Engine, TrialSpec, play_trial
from mpgames.framework.errors import (
    AdversaryFault,
    BudgetExceeded,
    ChallengerBug,
    MalformedQuery,
    PhaseError,
    TrialTimeout,
)
from mpgames.framework.oracles import Oracle, Query
from mpgames.framework.timelimit import TICK_SECONDS, call_with_limit, ticking_clock
from mpgames.framework.view import View
from mpgames.games.registry import all_games
from mpgames.measure.verdicts import Kind, Verdict
from mpgames.scheme.groups import Group, named_group
from mpgames.scheme.randomness import HashStream, RandomSource, SeededRandom
from mpgames.scheme.schnorr import PublicKey, SecretKey, keygen

SECRET_BITS = 8


@dataclass(frozen=True)
class FindView(View):
    bit: Oracle[[int], int]


@dataclass(frozen=True)
class GuessView(View):
    state: int


class SecretStages(Protocol):
    def find(self, view: FindView, rng: RandomSource) -> int: ...

    def guess(self, view: GuessView, rng: RandomSource) -> int: ...


class GuessTheSecret(Game):
    """
    ┌──────────────────────────────────────────────────────────────┐
    │ Test game: learn an 8-bit secret one bit at a time           │
    │ Given:    a bit oracle (8 queries), in the find stage only.  │
    │ Produce:  the secret, in the guess stage.                    │
    └──────────────────────────────────────────────────────────────┘
    """

    id = "test.secret"
    title = "Guess the secret"
    kind = Kind.WIN_LOSE
    notion = "two-stage test game"
    source = "tests"
    variants = variant_table(
        Variant("plain", False, "the bit oracle answers"),
        Variant("buggy-oracle", False, "the bit oracle has a bug (KeyError)"),
    )
    default_variant = "plain"
    stages = ("find", "guess")
    budgets = budget_table(bit=SECRET_BITS)
    adversary_type = SecretStages

    def experiment(self, ctx: TrialContext, adversary: SecretStages) -> bool:
        secret = ctx.rng.randbelow(2**SECRET_BITS)

        def bit(i: int) -> int:
            if ctx.variant.name == "buggy-oracle":
                return {}[i]  # the challenger's bug
            return (secret >> i) & 1

        oracle = ctx.oracle("bit", bit, phases=("find",))
        state = ctx.play(adversary.find, FindView(bit=oracle), returns=int, phase="find")
        guess = ctx.play(adversary.guess, GuessView(state=state), returns=int, phase="guess")
        return ctx.judge(self.same, secret, guess)

    @staticmethod
    def same(secret: int, guess: int) -> bool:
        return guess == secret


class Honest(Adversary):
    """Asks each bit once: always wins."""

    id = "test.honest"
    label = "asks every bit"
    targets = ("test.secret",)
    expect = "breaks:plain"

    def find(self, view: View, rng: RandomSource) -> int:
        return sum(view.bit(i) << i for i in range(SECRET_BITS))

    def guess(self, view: View, rng: RandomSource) -> int:
        return view.state


class Greedy(Honest):
    """Asks one bit too many, and swallows the refusal: still loses, as BudgetExceeded."""

    id = "test.greedy"

    def find(self, view: View, rng: RandomSource) -> int:
        answer = super().find(view, rng)
        with contextlib.suppress(BudgetExceeded):
            view.bit(0)
        return answer


class LateCaller(Honest):
    """Keeps the oracle and calls it in the guess stage, where it is closed."""

    id = "test.late"

    def find(self, view: View, rng: RandomSource) -> int:
        self.kept = view.bit
        return 0

    def guess(self, view: View, rng: RandomSource) -> int:
        return sum(self.kept(i) << i for i in range(SECRET_BITS))


class Raising(Honest):
    id = "test.raising"

    def find(self, view: View, rng: RandomSource) -> int:
        raise RuntimeError("the adversary's own bug")


class Sleeping(Honest):
    id = "test.sleeping"

    def find(self, view: View, rng: RandomSource) -> int:
        time.sleep(5)
        return 0


class Spinning(Honest):
    """A busy loop (no sleep) that catches every Exception: the timeout still ends it."""

    id = "test.spinning"

    def find(self, view: View, rng: RandomSource) -> int:
        while True:
            try:
                pass
            except Exception:
                continue


class Malformed(Honest):
    id = "test.malformed"

    def guess(self, view: View, rng: RandomSource) -> str:
        return "not a number"


class Unprintable(Honest):
    """Returns a nesting too deep to render where an int is due: refused at the boundary, the
    adversary's fault, not a crash."""

    id = "test.unprintable"

    def guess(self, view: View, rng: RandomSource) -> object:
        nested: list[object] = []
        for _ in range(100_000):
            nested = [nested]
        return nested


class BadQuery(Honest):
    """A malformed query is answered ⊥ (MalformedQuery), which the adversary may handle."""

    id = "test.bad-query"

    def find(self, view: View, rng: RandomSource) -> int:
        with pytest.raises(MalformedQuery):
            view.bit("zero")
        with pytest.raises(MalformedQuery):
            view.bit(0, 1)
        return super().find(view, rng)


class SwallowsBugs(Honest):
    """Catches everything the oracle raises: the challenger's bug must still stop the run."""

    id = "test.swallow"

    def find(self, view: View, rng: RandomSource) -> int:
        with contextlib.suppress(Exception):
            view.bit(0)
        return 0


class Mixed(Honest):
    """Fails in a different way depending on the trial's randomness."""

    id = "test.mixed"

    def find(self, view: View, rng: RandomSource) -> int:
        mode = rng.randbelow(4)
        if mode == 1:
            raise ValueError("boom")
        if mode == 2:
            for i in range(SECRET_BITS + 1):
                view.bit(i % SECRET_BITS)
        if mode == 3:
            time.sleep(5)
        return super().find(view, rng)


# Time limit of the tests that run into it; the others get a generous one, so that a loaded machine
# cannot turn their expected fault into a timeout.
SHORT_LIMIT = 0.05


def _spec(adversary: type[Adversary], variant: str = "plain", time_limit: float = 5.0) -> TrialSpec:
    return TrialSpec(GuessTheSecret, adversary, variant, "toy", "toy-2039", "seed", time_limit)


# -- the view ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _KeyView(View):
    group: Group
    pk: PublicKey


@dataclass(frozen=True)
class _LeakView(View):
    leak: object


@dataclass(frozen=True)
class _BitView(View):
    bit: Oracle[[int], int]


def test_view_exposes_only_what_the_game_put_in(toy):
    pk, _ = keygen(toy, SeededRandom(1))
    view = _KeyView(group=toy, pk=pk)
    # Deep copies: rewriting the view's key cannot touch the challenger's (tests/hostile ViewKeyRewriter).
    assert view.names() == ("group", "pk") and view.pk == pk and view.pk is not pk and view.group == toy
    # Read as a mapping too: exactly its fields.
    assert list(view) == ["group", "pk"] and view["pk"] == pk and "pk" in view and "sk" not in view
    with pytest.raises(AttributeError):
        _ = view.sk
    with pytest.raises(KeyError):
        _ = view["sk"]
    with pytest.raises(KeyError):
        _ = view["__class__"]
    with pytest.raises(FrozenInstanceError):
        view.pk = None


def _secret_key() -> SecretKey:
    return keygen(named_group("toy-23"), SeededRandom(1))[1]


PRIVATE_VALUES = {
    "secret key": _secret_key,
    "nested secret key": lambda: (1, (2, _secret_key())),
    "secret key in a mapping": lambda: {"k": _secret_key()},
    "secret key in a record": lambda: Query(args=(), answer=_secret_key()),
    "secret key in a record in a tuple": lambda: (3, Query(args=(1,), answer=[_secret_key()])),
    "random generator": lambda: SeededRandom(7),
    "a trial's generator": lambda: HashStream(bytes(32), b"challenger"),
    "the game": GuessTheSecret,
    "plain function": lambda: len,
    "closure": lambda: lambda m: m,
    "bound method": lambda: GuessTheSecret().experiment,
}


@pytest.mark.parametrize("make", PRIVATE_VALUES.values(), ids=PRIVATE_VALUES.keys())
def test_view_refuses_secrets_and_challenger_objects(make):
    with pytest.raises(TypeError):
        _LeakView(leak=make())


@dataclass(frozen=True)
class _GroupWithASecret(Group):
    secret: object = None


def test_a_views_group_is_its_own_copy_and_only_the_exact_group_class_is_taken_unread(toy):
    view = _KeyView(group=toy, pk=keygen(toy, SeededRandom(1))[0])
    object.__setattr__(view.group, "g", 2)  # rewrites the adversary's copy...
    assert view.group is not toy and toy.g != 2  # ...not the challenger's group
    # A group is taken without reading its fields, because it holds only its validated parameters;
    # a subclass could hold more, so it is read like any record, and a secret in it is refused.
    sk = _secret_key()
    leaky = _GroupWithASecret(toy.p, toy.q, toy.g, toy.tier, toy.name, secret=sk)
    with pytest.raises(TypeError):
        _LeakView(leak=leaky)
    assert _LeakView(leak=_GroupWithASecret(toy.p, toy.q, toy.g, toy.tier, toy.name)).leak is not None


def _context(game: type[Game] = GuessTheSecret, tier: str = "toy", variant: str | None = None):
    return TrialContext(
        variant=game.variant(variant),
        tier=tier,
        group=game.group(tier),
        index=0,
        rng=SeededRandom(1),
        adversary_rng=SeededRandom(2),
        budgets=game.budgets,
        boundary=game.boundary(),
    )


def test_view_refuses_the_trial_context():
    ctx = _context()
    with pytest.raises(TypeError):
        _LeakView(leak=ctx)


def _bit(i: int) -> int:
    return i & 1


def _bit_of_bytes(i: bytes) -> int:
    return len(i) & 1


def _bit_as_bool(i: int) -> bool:
    return bool(i & 1)


def test_a_view_holds_only_oracles_of_the_declared_types():
    ctx = _context()
    assert _BitView(bit=ctx.oracle("bit", _bit)).bit.parameter_types == (int,)
    # An oracle that takes, or answers, another type than its field declares is the game's bug.
    with pytest.raises(ChallengerBug, match="takes"):
        _BitView(bit=ctx.oracle("bit", _bit_of_bytes))
    with pytest.raises(ChallengerBug, match="answers"):
        _BitView(bit=ctx.oracle("bit", _bit_as_bool))
    with pytest.raises(ChallengerBug, match="must be an Oracle"):
        _BitView(bit=1)


class _DriftingGame(GuessTheSecret):
    """A game whose experiment hands over another view, or reads another output, than it declares."""

    id = "test.drifting"
    variants = variant_table(
        Variant("wrong-view", False, "the find stage gets a GuessView"),
        Variant("wrong-output", False, "the find stage's output is read as bytes"),
    )
    default_variant = "wrong-view"

    def experiment(self, ctx: TrialContext, adversary: SecretStages) -> bool:
        if ctx.variant.name == "wrong-view":
            ctx.play(adversary.find, GuessView(state=0), returns=int, phase="find")
        ctx.play(adversary.find, FindView(bit=ctx.oracle("bit", _bit)), returns=bytes, phase="find")
        return False


@pytest.mark.parametrize("variant", ["wrong-view", "wrong-output"])
def test_an_experiment_that_drifts_from_its_declared_boundary_is_a_challenger_bug(variant):
    with pytest.raises(ChallengerBug, match=r"declared|not its"):
        _DriftingGame().experiment(_context(_DriftingGame, variant=variant), Honest())


class _NoGuess(Protocol):
    def find(self, view: FindView, rng: RandomSource) -> int: ...


class _UntypedView(Protocol):
    def find(self, view, rng: RandomSource) -> int: ...

    def guess(self, view: GuessView, rng: RandomSource) -> int: ...


class _NoOutputType(Protocol):
    def find(self, view: FindView, rng: RandomSource): ...

    def guess(self, view: GuessView, rng: RandomSource) -> int: ...


@pytest.mark.parametrize(
    ("protocol", "message"),
    [
        (_NoGuess, "declares no stage guess"),
        (_UntypedView, "must be a View record"),
        (_NoOutputType, "must declare its output type"),
        (object, "declares no stage find"),
    ],
)
def test_a_game_must_declare_the_boundary_of_every_stage(protocol, message):
    with pytest.raises(TypeError, match=message):
        type("Undeclared", (GuessTheSecret,), {"id": "test.undeclared", "adversary_type": protocol})
    # The opposite: the same game with its full declaration is accepted.
    declared = type("Declared", (GuessTheSecret,), {"id": "test.declared", "adversary_type": SecretStages})
    assert list(declared.boundary()) == ["find", "guess"]
    assert declared.boundary()["find"].oracles() == {"bit": ((int,), int)}


class _Spy(Adversary):
    """Plays every stage of any game by keeping the view's values and answering None."""

    id = "test.spy"
    label = "spy"
    targets = tuple(game.id for game in all_games())
    expect = "null"

    def __init__(self) -> None:
        self.seen: list[object] = []

    def attack(self, view: View, rng: RandomSource) -> None:
        self.seen.extend(getattr(view, name) for name in view.names())

    def __getattr__(self, stage: str) -> object:  # the other stages of multi-stage games
        return self.attack


@pytest.mark.parametrize("game", all_games(), ids=lambda g: g.id)
@pytest.mark.parametrize("tier", ["toy", "standard"])
def test_registered_games_hand_out_no_secret(game, tier):
    for variant in game.variants:
        ctx = _context(game, tier, variant)
        spy = _Spy()
        # How the trial ends does not matter here (None is rarely a valid answer): only the views.
        with contextlib.suppress(AdversaryFault):
            game().experiment(ctx, spy)
        assert spy.seen
        for value in spy.seen:
            assert not isinstance(value, SecretKey | TrialContext | Game | SeededRandom)
            assert not callable(value) or isinstance(value, Oracle)


# -- oracles and faults ------------------------------------------------------------------------------


def test_an_honest_two_stage_adversary_wins_and_is_metered():
    outcome = play_trial(_spec(Honest), 0)
    assert outcome.won and outcome.error is None
    assert outcome.query_count("bit") == SECRET_BITS
    assert outcome.output.isdigit()


@pytest.mark.parametrize(
    ("adversary", "error"),
    [
        (Greedy, "BudgetExceeded"),
        (LateCaller, "PhaseError"),
        (Raising, "RuntimeError"),
        (Sleeping, "Timeout"),
        (Spinning, "Timeout"),
        (Malformed, "MalformedOutput"),
        (Unprintable, "MalformedOutput"),
    ],
)
def test_adversary_faults_lose_the_trial_counted_by_type(adversary, error):
    outcome = play_trial(_spec(adversary, time_limit=SHORT_LIMIT if error == "Timeout" else 5.0), 0)
    assert not outcome.won
    assert outcome.error == error
    assert outcome.lost_by_fault


def test_a_malformed_query_is_bottom_not_a_fault():
    outcome = play_trial(_spec(BadQuery), 0)
    assert outcome.won and outcome.error is None
    assert outcome.query_count("bit") == SECRET_BITS  # refused queries are not answered


def test_budget_and_phase_errors_are_raised_to_the_adversary():
    class Probe(Honest):
        id = "test.probe"

        def find(self, view: View, rng: RandomSource) -> int:
            for i in range(SECRET_BITS):
                view.bit(i)
            with pytest.raises(BudgetExceeded):
                view.bit(0)
            return 0

        def guess(self, view: View, rng: RandomSource) -> int:
            return 0

    assert play_trial(_spec(Probe), 0).error == "BudgetExceeded"
    assert issubclass(PhaseError, Exception)


def test_a_challenger_bug_stops_the_run_even_if_the_adversary_swallows_it():
    with pytest.raises(ChallengerBug):
        play_trial(_spec(SwallowsBugs, "buggy-oracle"), 0)


def test_a_run_with_failing_adversaries_ends_normally_and_counts_each_type():
    with Engine(jobs=1) as engine:
        result = engine.run(
            GuessTheSecret,
            "plain",
            Mixed,
            "toy",
            max_trials=40,
            seed="mixed",
            time_limit=SHORT_LIMIT,
            group="toy-2039",
        )
    assert result.estimate.trials == 40
    assert set(result.lost) == {"ValueError", "BudgetExceeded", "Timeout"}
    lost = sum(result.lost.values())
    assert 0 < lost < 40
    assert result.estimate.wins == 40 - lost
    assert result.estimate.verdict is not Verdict.BOUNDED


def test_the_time_limit_also_holds_off_the_main_thread():
    """Without signals (not the main thread) an overlong stage still times out, after it returns."""
    outcome: list[object] = []

    def stage() -> None:
        try:
            call_with_limit(lambda: time.sleep(0.1), 0.01)
        except TrialTimeout as exc:
            outcome.append(exc)

    worker = threading.Thread(target=stage)
    worker.start()
    worker.join()
    assert len(outcome) == 1 and isinstance(outcome[0], TrialTimeout)
    assert call_with_limit(lambda: 7, None) == 7


def test_the_timer_is_disarmed_and_the_handler_restored_after_each_call():
    handler = signal.getsignal(signal.SIGALRM)
    assert call_with_limit(lambda: 7, 5.0) == 7
    with pytest.raises(TrialTimeout):
        call_with_limit(lambda: time.sleep(1), 0.01)
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) is handler


@pytest.mark.parametrize("ticking", [False, True], ids=["per call", "ticking clock"])
def test_a_swallowed_alarm_fires_again(ticking):
    """An adversary that swallows the first TrialTimeout (as a gc callback would) is still stopped:
    by the repeating timer of its call, or at the next tick of a batch's clock."""
    swallowed: list[TrialTimeout] = []

    def stubborn() -> None:
        try:
            time.sleep(1)
        except TrialTimeout as exc:
            swallowed.append(exc)
        time.sleep(1)

    start = time.perf_counter()
    with ticking_clock() if ticking else contextlib.nullcontext(), pytest.raises(TrialTimeout):
        call_with_limit(stubborn, 0.02)
    assert swallowed and time.perf_counter() - start < 0.5


@pytest.mark.parametrize("ticking", [False, True], ids=["per call", "ticking clock"])
def test_a_loop_is_interrupted_soon_after_its_limit(ticking):
    """Per call the timer is armed for the limit; under a batch's ticking clock the handler sees the
    deadline pass at the next tick. Either way a busy loop and a sleep end within a tick or two of it."""
    clock = ticking_clock() if ticking else contextlib.nullcontext()

    def spin() -> None:
        while True:
            pass

    with clock:
        for stage in (spin, lambda: time.sleep(5)):
            start = time.perf_counter()
            with pytest.raises(TrialTimeout):
                call_with_limit(stage, 0.05)
            assert 0.05 <= time.perf_counter() - start < 0.05 + 10 * TICK_SECONDS


def test_a_ticking_clock_never_raises_between_stages_and_is_put_back():
    """Ticks between stages find no deadline: challenger code runs on, however long; a stage that
    returns in time is not timed out by a tick after it; the handler and timer are restored."""
    handler = signal.getsignal(signal.SIGALRM)
    with ticking_clock():
        assert signal.getitimer(signal.ITIMER_REAL)[1] == pytest.approx(TICK_SECONDS)
        assert call_with_limit(lambda: 7, 0.02) == 7
        time.sleep(0.1)  # ten ticks, no stage running, past the stage's deadline
        with ticking_clock():  # nested: the outer clock times it
            assert call_with_limit(lambda: 8, 0.02) == 8
        assert signal.getitimer(signal.ITIMER_REAL)[1] == pytest.approx(TICK_SECONDS)
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) is handler


def test_outcomes_are_frozen():
    outcome = play_trial(_spec(Honest), 0)
    with pytest.raises(FrozenInstanceError):
        outcome.won = False


def test_malformed_game_classes_are_refused_at_definition():
    with pytest.raises(TypeError, match="default variant"):

        class _NoDefault(Game):
            """Box."""

            id = "test.bad"
            title = "bad"
            kind = Kind.WIN_LOSE
            notion = "bad"
            source = "tests"
            variants = variant_table(Variant("a", False, "a"))
            default_variant = "b"

            def experiment(self, ctx: TrialContext, adversary: Adversary) -> bool:
                return False

    with pytest.raises(TypeError, match="expect"):

        class _BadExpect(Adversary):
            id = "test.bad-expect"
            label = "bad"
            targets = ("dl",)
            expect = "wins"
