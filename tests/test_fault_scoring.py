"""A faulting adversary carries no information (harness §2 kinds, §6a "Faults carry no information").

A trial the adversary loses by fault (it raises, hands in garbage, overruns a budget) is scored by the
kind of its game: in a hidden-bit game (`ring.anon`) as a uniform guess the challenger draws (won with
probability 1/2), in a guess-1-of-n game (`mp.ul`) likewise (won with probability 1/n), in a
win-lose game (`sig.euf-cma`) as a loss. Before this rule an adversary that raised in every trial was
reported *broken* in `ring.anon` (a consistent loser has |2·Pr[win] − 1| = 1) and scored Pr[win] = 0,
an advantage of −1/n, in `mp.ul`. The fault stays recorded per trial and counted in `lost`, and the
draw comes from the trial's challenger generator, so the outcomes are the same for any `--jobs`.

The adversaries are one-file plugins (docs/adversaries.md), run through the engine and the CLI.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mpgames import cli
from mpgames.adversaries.registry import get_adversary
from mpgames.framework.engine import Engine, make_spec, play_trial, run
from mpgames.games.registry import get_game
from mpgames.measure.verdicts import Kind, Thresholds, Verdict

PLUGIN = '''\
"""Adversaries that fault in every trial of ring.anon, mp.ul and sig.euf-cma (tests/test_fault_scoring.py)."""

from mpgames.adversaries.base import Adversary

TARGETS = ("ring.anon", "mp.ul", "sig.euf-cma")


class Raises(Adversary):
    id = "test.fault-raises"
    label = "raise at once"
    targets = TARGETS
    expect = "null"

    def attack(self, view, rng):
        raise RuntimeError("no attack here")


class Garbage(Adversary):
    id = "test.fault-garbage"
    label = "return a string"
    targets = TARGETS
    expect = "null"

    def attack(self, view, rng):
        return "garbage"


class OverBudget(Adversary):
    id = "test.fault-over-budget"
    label = "one oracle query too many"
    targets = TARGETS
    expect = "null"

    def attack(self, view, rng):
        names = set(view)
        if "ring" in names:  # ring.anon: one challenge allowed
            for _ in range(2):
                view.challenge(b"m", 0, 1)
        elif "points_of_sale" in names:  # mp.ul: one challenge allowed
            for _ in range(2):
                view.challenge(view.sample_state)
        else:  # sig.euf-cma: 16 signatures allowed
            for i in range(17):
                view.sign(bytes([i]))
        return 0
'''

ADVERSARIES = ("Raises", "Garbage", "OverBudget")
KNOWN_FAULT = {"Raises": "RuntimeError", "OverBudget": "BudgetExceeded"}
GUESSING_GAMES = ("ring.anon", "mp.ul")
THRESHOLDS = Thresholds(eps0=0.2, eps1=0.4, alpha=0.001)
MAX_TRIALS = 3000
SEED = "faults"
# The plugins run isolated, against secret coins: runs compared with each other share this run key.
RUN_KEY = bytes(range(32))


@pytest.fixture(scope="module")
def plugin(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("fault-plugins") / "faulting.py"
    path.write_text(PLUGIN, encoding="utf-8")
    return path


def _reference(plugin: Path, name: str) -> str:
    return f"{plugin}:{name}"


def _chance(game_id: str) -> float:
    """The success rate of a uniform guess in a guessing game."""
    game = get_game(game_id)
    return 1 / 2 if game.kind is Kind.HIDDEN_BIT else 1 / game.n_choices


def _check_fault_kinds(lost: dict[str, int], trials: int, name: str) -> None:
    """Every trial is counted in `lost`, under one fault type (the expected one where it is fixed)."""
    assert sum(lost.values()) == trials
    assert len(lost) == 1
    if name in KNOWN_FAULT:
        assert lost == {KNOWN_FAULT[name]: trials}


@pytest.mark.parametrize("name", ADVERSARIES)
@pytest.mark.parametrize("game_id", GUESSING_GAMES)
def test_a_faulting_adversary_is_bounded_in_a_guessing_game(plugin: Path, game_id: str, name: str) -> None:
    adversary = get_adversary(_reference(plugin, name))
    budget = {"max_trials": MAX_TRIALS, "thresholds": THRESHOLDS}
    result = run(get_game(game_id), None, adversary, "toy", seed=SEED, jobs=1, run_key=RUN_KEY, **budget)
    estimate = result.estimate
    assert estimate.verdict is Verdict.BOUNDED, estimate
    # Scored as the challenger's uniform guess: the success rate is chance, not 0.
    assert abs(estimate.wins / estimate.trials - _chance(game_id)) < 0.1, estimate
    _check_fault_kinds(result.lost, estimate.trials, name)


@pytest.mark.parametrize("game_id", GUESSING_GAMES)
def test_each_faulted_trial_keeps_its_fault_and_its_draw_is_reproducible(plugin: Path, game_id: str) -> None:
    spec = make_spec(
        get_game(game_id),
        None,
        get_adversary(_reference(plugin, "Raises")),
        "toy",
        seed=SEED,
        run_key=RUN_KEY,
    )
    outcomes = [play_trial(spec, index) for index in range(200)]
    assert all(o.error == "RuntimeError" and o.lost_by_fault for o in outcomes)
    wins = sum(o.won for o in outcomes)
    assert 0 < wins < 200 and abs(wins / 200 - _chance(game_id)) < 0.15
    again = [play_trial(spec, index).comparable() for index in (0, 7, 199)]
    assert again == [outcomes[index].comparable() for index in (0, 7, 199)]


@pytest.mark.parametrize("name", ADVERSARIES)
def test_a_win_lose_game_still_scores_every_fault_as_a_loss(plugin: Path, name: str) -> None:
    adversary = get_adversary(_reference(plugin, name))
    result = run(get_game("sig.euf-cma"), None, adversary, "toy", max_trials=200, seed=SEED, jobs=1)
    assert result.estimate.wins == 0
    assert result.estimate.verdict is Verdict.BOUNDED
    _check_fault_kinds(result.lost, result.estimate.trials, name)


@pytest.mark.parametrize("game_id", GUESSING_GAMES)
def test_two_jobs_give_the_outcomes_of_one(plugin: Path, game_id: str) -> None:
    game, adversary = get_game(game_id), get_adversary(_reference(plugin, "Raises"))
    spec = make_spec(game, None, adversary, "toy", seed=SEED)
    with Engine(jobs=1) as serial, Engine(jobs=2) as parallel:
        one = [o.comparable() for o in serial.play(spec, 0, 300)]
        two = [o.comparable() for o in parallel.play(spec, 0, 300)]
        assert one == two and any(o.won for o in one)
        runs = [
            engine.run(
                game,
                None,
                adversary,
                "toy",
                max_trials=MAX_TRIALS,
                seed=SEED,
                thresholds=THRESHOLDS,
                run_key=RUN_KEY,
            )
            for engine in (serial, parallel)
        ]
    assert runs[0].estimate == runs[1].estimate and runs[0].lost == runs[1].lost


def _cli_run(capsys: pytest.CaptureFixture[str], game_id: str, reference: str, jobs: int) -> dict:
    argv = ["run", game_id, "--adversary", reference, "--max-trials", str(MAX_TRIALS), "--seed", SEED]
    argv += ["--eps0", str(THRESHOLDS.eps0), "--eps1", str(THRESHOLDS.eps1), "--jobs", str(jobs), "--json"]
    argv += ["--run-key", RUN_KEY.hex()]
    status = cli.main(argv)
    out, _ = capsys.readouterr()
    assert status == 0
    (row,) = json.loads(out)["results"]
    return row


@pytest.mark.parametrize("name", ADVERSARIES)
@pytest.mark.parametrize("game_id", GUESSING_GAMES)
def test_on_the_command_line_a_faulting_adversary_is_bounded(
    plugin: Path, capsys: pytest.CaptureFixture[str], game_id: str, name: str
) -> None:
    row = _cli_run(capsys, game_id, _reference(plugin, name), jobs=1)
    estimate = row["estimate"]
    # Faults scored as the challenger's guesses carry no information: the estimate is bounded, at
    # chance. Every trial faulted, so the row says so and its expectation is not judged.
    assert estimate["verdict"] == "bounded" and abs(estimate["success"] - _chance(game_id)) < 0.1
    assert row["all_faulted"] is True and row["expectation_met"] is None
    _check_fault_kinds(row["lost"], estimate["trials"], name)
    assert row["lost_total"] == estimate["trials"]


@pytest.mark.parametrize("game_id", GUESSING_GAMES)
def test_on_the_command_line_two_jobs_report_what_one_job_does(
    plugin: Path, capsys: pytest.CaptureFixture[str], game_id: str
) -> None:
    one, two = (_cli_run(capsys, game_id, _reference(plugin, "Raises"), jobs) for jobs in (1, 2))
    assert one["estimate"] == two["estimate"] and one["lost"] == two["lost"]


def test_on_the_command_line_a_win_lose_game_counts_faults_as_losses(
    plugin: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    row = _cli_run(capsys, "sig.euf-cma", _reference(plugin, "Raises"), jobs=1)
    assert row["estimate"]["wins"] == 0 and row["lost"] == {"RuntimeError": row["estimate"]["trials"]}
