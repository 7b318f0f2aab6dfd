"""`--plan` (mpgames.measure.planning) is true for every kind: the counts it treats as "bounded" are
those the rule decides (checked count by count), its probability for a null adversary matches a Monte
Carlo of the rule itself, and engine runs of a null and an always-winning adversary of every kind,
given the planned budgets, decide what the plan says they decide."""

from __future__ import annotations

import itertools
import random

import pytest

from mpgames.adversaries.registry import get_adversary
from mpgames.cli import main
from mpgames.framework.engine import Engine
from mpgames.games.registry import get_game
from mpgames.measure.confidence_sequence import SequenceTest, baseline
from mpgames.measure.planning import PLAN_MISS, bounded_counts, null_stop_probabilities, null_trials, plan
from mpgames.measure.verdicts import Kind, Thresholds, Verdict

KINDS = [(Kind.WIN_LOSE, None), (Kind.GUESS_1_OF_N, 3), (Kind.HIDDEN_BIT, None)]
# One game per kind, with its null adversary and an attack that wins (almost) every trial.
GAMES = {
    Kind.WIN_LOSE: ("dl", None, "dl.random-guess", "dl.bsgs"),
    Kind.GUESS_1_OF_N: ("mp.ul", "micropay2", "mp.ul-random-guess", "mp.ul-read-signer"),
    Kind.HIDDEN_BIT: ("ring.anon", "aos-deterministic", "ring.random-guess", "ring.recompute-coins"),
}
# Looser than the defaults, so that a null hidden-bit run needs thousands of trials, not 18,000.
LOOSE = Thresholds(eps0=0.1, eps1=0.3, alpha=0.01)


@pytest.mark.parametrize(("kind", "choices"), KINDS)
def test_the_bounded_counts_are_one_run_found_by_bisection(kind, choices):
    for n in (1, 5, 37, 150, 400):
        every = [
            k
            for k in range(n + 1)
            if SequenceTest(k, n, baseline(kind, choices), LOOSE.alpha).verdict(kind, choices, LOOSE)
            is Verdict.BOUNDED
        ]
        found = bounded_counts(kind, choices, n, LOOSE)
        if not every:
            assert found is None
        else:
            assert every == list(range(every[0], every[-1] + 1)) and found == (every[0], every[-1])


def _stopped_bounded_by(kind, choices, thresholds, budget, rng) -> bool:
    """One run of the engine's rule on simulated trials at Adv = 0: stopped on "bounded" by `budget`?"""
    p, wins = baseline(kind, choices), 0
    for n in range(1, budget + 1):
        wins += rng.random() < p
        verdict = SequenceTest(wins, n, baseline(kind, choices), thresholds.alpha).verdict(
            kind, choices, thresholds
        )
        if verdict is not Verdict.INCONCLUSIVE:
            return verdict is Verdict.BOUNDED
    return False


@pytest.mark.parametrize(("kind", "choices"), KINDS[1:])
def test_the_null_plan_is_the_probability_the_rule_gives(kind, choices):
    """The exact programme against 400 simulated runs of the rule, at the planned n and at half of
    it: the simulated share of runs stopped on "bounded" is within four standard errors."""
    planned = plan(kind, LOOSE, 100, choices).null_trials
    assert planned is not None
    exact = list(itertools.islice(null_stop_probabilities(kind, choices, LOOSE), planned))
    assert exact[-1] >= 1 - PLAN_MISS > exact[-2]
    rng = random.Random(f"plan-{kind}")
    for budget in (planned, planned // 2):
        share = sum(_stopped_bounded_by(kind, choices, LOOSE, budget, rng) for _ in range(400)) / 400
        p = exact[budget - 1]
        assert abs(share - p) <= 4 * max(0.01, (p * (1 - p) / 400) ** 0.5), (budget, share, p)


@pytest.mark.parametrize("kind", list(GAMES))
def test_engine_runs_decide_what_the_plan_says(kind):
    game_id, broken_variant, null_id, attack_id = GAMES[kind]
    game = get_game(game_id)
    planned = plan(kind, LOOSE, 100, game.n_choices)
    assert planned.null_trials is not None and planned.top_trials is not None
    with Engine(2) as engine:
        null = engine.run(
            game,
            None,
            get_adversary(null_id),
            "toy",
            max_trials=planned.null_trials,
            seed="plan",
            thresholds=LOOSE,
        )
        attack = engine.run(
            game,
            broken_variant,
            get_adversary(attack_id),
            "toy",
            max_trials=planned.top_trials,
            seed="plan",
            thresholds=LOOSE,
        )
    assert null.estimate.verdict is Verdict.BOUNDED and null.estimate.trials <= planned.null_trials
    assert attack.estimate.verdict is Verdict.BROKEN
    if attack.estimate.wins == attack.estimate.trials:  # it won every trial: exactly the planned count
        assert attack.estimate.trials == planned.top_trials
    # The opposite: a budget below the plan's top count cannot decide an always-winning adversary.
    assert (
        SequenceTest(
            planned.top_trials - 1, planned.top_trials - 1, baseline(kind, game.n_choices), LOOSE.alpha
        ).verdict(kind, game.n_choices, LOOSE)
        is Verdict.INCONCLUSIVE
    )


def test_the_plan_on_the_command_line_and_a_run_of_its_budget(capsys):
    """`mpgames run mp.ul --plan` names a budget; a run of the null adversary with it is decided."""
    options = ["--eps0", "0.1", "--eps1", "0.3", "--alpha", "0.01"]
    assert main(["run", "mp.ul", "--plan", *options]) == 0
    printed = capsys.readouterr().out
    needed = plan(Kind.GUESS_1_OF_N, LOOSE, 1000, 3).null_trials
    assert needed is not None and f"decided bounded within {needed} trials" in printed
    argv = [
        "run",
        "mp.ul",
        "--adversary",
        "mp.ul-random-guess",
        "--max-trials",
        str(needed),
        "--json",
        *options,
    ]
    assert main(argv) == 0
    import json

    (row,) = json.loads(capsys.readouterr().out)["results"]
    assert row["estimate"]["verdict"] == "bounded"


def test_a_plan_beyond_its_limit_says_so():
    """A gap too narrow for the limit: the plan reports no budget rather than a wrong one."""
    narrow = Thresholds(eps0=0.01, eps1=0.05, alpha=0.001)
    assert null_trials(Kind.HIDDEN_BIT, None, narrow, limit=300) is None
    assert null_trials(Kind.HIDDEN_BIT, None, LOOSE, limit=100_000) is not None
