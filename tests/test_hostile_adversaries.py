"""The harness against adversaries that attack the harness (tests/hostile/): lying comparisons,
raising comparisons, constructor-bypassed objects and objects mutated after hand-over.

For every hostile adversary, every game it targets and every secure variant of that game, a run on
the toy tier must complete (no exception escapes the engine) and
* in a win-lose game: the adversary wins no trial, and no refused value was accepted;
* in a hidden-bit or guess-1-of-n game (ring.anon, mp.ul): the verdict is not `broken` and the
  number of wins is one that chance explains (a fault counts as a random guess, never as a wrong
  answer that would read as information about the hidden bit).
The standard-tier versions of a few (marked slow) and one command-line run per class of attack
check the same through RFC 5114 §2.3 and through `mpgames run --adversary file.py:Class`.
"""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
from hostile import bypass, lies, mutation, raising
from scipy.stats import binom

from mpgames.adversaries.base import Adversary
from mpgames.framework import checks
from mpgames.framework.base import Game
from mpgames.framework.engine import run
from mpgames.games.registry import get_game
from mpgames.measure.records import RunResult
from mpgames.measure.verdicts import Kind, Verdict

ROOT = Path(__file__).resolve().parents[1]
MODULES: tuple[ModuleType, ...] = (lies, raising, bypass, mutation)
SEED = "hostile"
# Trials per toy run: a win-lose attack that works wins all of them; a guessing game needs enough
# trials for "chance" to mean something (hidden-bit: 25 wrong answers in a row is a 2^-25 event).
WIN_LOSE_TRIALS = 12
GUESS_TRIALS = 25
# How unlikely under pure chance the number of wins of a guessing adversary may be.
CHANCE_LEVEL = 1e-3
# The fault kind a bypass adversary stops with when the challenger accepted a value it must refuse.
ACCEPTED = bypass.InvalidValueAccepted.__name__


def hostile_classes(module: ModuleType) -> list[type[Adversary]]:
    """The adversaries a hostile module defines, in definition order."""
    return [
        value
        for value in vars(module).values()
        if isinstance(value, type)
        and issubclass(value, Adversary)
        and value.__module__ == module.__name__
        and "id" in value.__dict__
    ]


def secure_variants(game: type[Game]) -> list[str]:
    return [variant.name for variant in game.variants.values() if not variant.broken]


def toy_cases() -> list[object]:
    """(adversary, game, secure variant) for every hostile adversary and every game it targets."""
    cases = []
    for module in MODULES:
        kind = module.__name__.rsplit(".", 1)[-1]
        for cls in hostile_classes(module):
            for target in cls.targets:
                for variant in secure_variants(get_game(target)):
                    case_id = f"{target}[{variant}]-{kind}.{cls.__name__}"
                    cases.append(pytest.param(cls, target, variant, id=case_id))
    return cases


def trials_for(game: type[Game]) -> int:
    return WIN_LOSE_TRIALS if game.kind is Kind.WIN_LOSE else GUESS_TRIALS


def chance_probability(game: type[Game]) -> float:
    """Pr[win] of a uniform guess."""
    return 0.5 if game.kind is Kind.HIDDEN_BIT else 1 / game.n_choices  # type: ignore[operator]


def assert_harmless(game: type[Game], result: RunResult) -> None:
    """The run's outcome for an adversary that must not win (see the module docstring)."""
    estimate = result.estimate
    described = f"{estimate.wins}/{estimate.trials} won, lost {dict(result.lost)}"
    assert ACCEPTED not in result.lost, f"the challenger accepted a value it must refuse: {described}"
    if game.kind is Kind.WIN_LOSE:
        assert estimate.wins == 0, f"a hostile adversary won: {described}"
        return
    assert estimate.verdict is not Verdict.BROKEN, f"a hostile adversary broke {game.id}: {described}"
    n, k, p = estimate.trials, estimate.wins, chance_probability(game)
    # Pr[X >= k] for too many wins; for a hidden bit Pr[X <= k] as well (always wrong is information).
    assert binom.sf(k - 1, n, p) >= CHANCE_LEVEL, f"more wins than chance explains: {described}"
    if game.kind is Kind.HIDDEN_BIT:
        assert binom.cdf(k, n, p) >= CHANCE_LEVEL, f"fewer wins than chance explains: {described}"


@pytest.mark.parametrize(("adversary", "game_id", "variant"), toy_cases())
def test_hostile_adversary_gains_nothing_on_the_toy_tier(
    adversary: type[Adversary], game_id: str, variant: str
) -> None:
    game = get_game(game_id)
    result = run(game, variant, adversary, "toy", max_trials=trials_for(game), seed=SEED, jobs=1)
    assert result.estimate.trials == trials_for(game)
    assert_harmless(game, result)


# Trials of each standard-tier run: every case again over RFC 5114 §2.3 (2048-bit keys, the orders 2q
# and the small orders of its p − 1, the even-opening search of the half-order keys), fewer trials.
STANDARD_TRIALS = 3


@pytest.mark.slow
@pytest.mark.parametrize(("adversary", "game_id", "variant"), toy_cases())
def test_hostile_adversary_gains_nothing_on_the_standard_tier(
    adversary: type[Adversary], game_id: str, variant: str
) -> None:
    game = get_game(game_id)
    result = run(game, variant, adversary, "standard", max_trials=STANDARD_TRIALS, seed=SEED, jobs=1)
    assert result.estimate.trials == STANDARD_TRIALS
    assert_harmless(game, result)


CLI_CASES = [
    pytest.param("sig.euf-cma", "lies.py", "ForgedEquality", id="lies"),
    pytest.param("mp.ds", "raising.py", "ExplodingIndex", id="raising"),
    pytest.param("ring.anon", "raising.py", "FaultingBitGuess", id="raising-hidden-bit"),
    pytest.param("mp.profit", "bypass.py", "HalfOrderEscrowKey", id="bypass"),
    pytest.param("mc.type1", "mutation.py", "RecordedCommitRewriter", id="mutation"),
]


@pytest.mark.parametrize(("game_id", "module", "name"), CLI_CASES)
def test_hostile_file_plugin_through_the_command_line(game_id: str, module: str, name: str) -> None:
    trials = 25 if game_id == "ring.anon" else 10
    reference = f"tests/hostile/{module}:{name}"
    argv = ["run", game_id, "--adversary", reference, "--tier", "toy", "--max-trials", str(trials), "--json"]
    done = subprocess.run(
        [sys.executable, "-m", "mpgames", *argv, "--seed", SEED],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 0, done.stderr
    (row,) = json.loads(done.stdout)["results"]
    assert row["estimate"]["verdict"] != "broken", row
    assert ACCEPTED not in row["lost"], row
    if get_game(game_id).kind is Kind.WIN_LOSE:
        assert row["estimate"]["wins"] == 0, row


def _identity(value: object, *args: object, **kwargs: object) -> object:
    return value


# (defence removed: module, attribute; adversary; game): each defence and an attack it alone stops.
MUTANTS = [
    pytest.param(checks, "canonical", lies.AgreeableGuess, "ring.anon", id="boundary-ring.anon"),
    pytest.param(checks, "canonical", lies.AgreeableGuess, "mp.ul", id="boundary-mp.ul"),
    pytest.param(copy, "deepcopy", mutation.ViewKeyRewriter, "sig.euf-cma", id="view-copies"),
    pytest.param(copy, "deepcopy", mutation.AnswerRewriter, "mp.uf", id="answer-copies"),
]


@pytest.mark.parametrize(("module", "name", "adversary", "game_id"), MUTANTS)
def test_without_the_defence_the_same_attack_breaks_the_game(
    monkeypatch: pytest.MonkeyPatch, module: ModuleType, name: str, adversary: type[Adversary], game_id: str
) -> None:
    """The opposite verdict from the same engine: with one defence replaced by the identity (a mutant
    of the boundary's conversion, or of the copies the view and the oracles hand out), the attack
    it stops wins every trial."""
    game = get_game(game_id)
    trials = trials_for(game)
    defended = run(game, None, adversary, "toy", max_trials=trials, seed=SEED, jobs=1)
    assert_harmless(game, defended)
    monkeypatch.setattr(module, name, _identity)
    mutant = run(game, None, adversary, "toy", max_trials=trials, seed=SEED, jobs=1)
    assert mutant.estimate.wins == mutant.estimate.trials
    assert mutant.estimate.verdict is Verdict.BROKEN
