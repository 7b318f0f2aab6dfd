"""The engine: seeds, determinism across job counts, sequential stopping (harness §6, §7)."""

from __future__ import annotations

import dataclasses
import pickle
import time

import pytest

from mpgames.adversaries.base import Adversary
from mpgames.adversaries.registry import get_adversary
from mpgames.framework import engine as engine_module
from mpgames.framework.engine import Engine, TrialLog, make_spec, play_trial, run
from mpgames.framework.errors import ChallengerBug, UsageError
from mpgames.framework.view import View
from mpgames.games.registry import get_game
from mpgames.measure.verdicts import Thresholds, Verdict
from mpgames.scheme.groups import named_group, toy_group
from mpgames.scheme.randomness import RandomSource

SIG = get_game("sig.euf-cma")
DL = get_game("dl")
NONCE_REUSE = get_adversary("sig.nonce-reuse")
BSGS = get_adversary("dl.bsgs")


def _spec(seed: str = "s", *, variant: str = "schnorr-nonce-reuse", tracing: bool = False):
    return make_spec(SIG, variant, NONCE_REUSE, "toy", seed=seed, tracing=tracing)


def _comparable(outcomes):
    return [outcome.comparable() for outcome in outcomes]


# -- determinism -------------------------------------------------------------------------------------


def test_two_jobs_give_the_same_outcomes_as_one():
    spec = _spec()
    with Engine(jobs=1) as serial, Engine(jobs=2) as parallel:
        one = serial.play(spec, 0, 24)
        two = parallel.play(spec, 0, 24)
    assert [o.index for o in two] == list(range(24))
    assert _comparable(one) == _comparable(two)


def test_two_jobs_give_the_same_run_result_as_one():
    args = (SIG, "schnorr-nonce-reuse", NONCE_REUSE, "toy")
    with Engine(jobs=1) as serial, Engine(jobs=2) as parallel:
        one = serial.run(*args, max_trials=60, seed="same")
        two = parallel.run(*args, max_trials=60, seed="same")
    assert dataclasses.replace(one, seconds=0.0) == dataclasses.replace(two, seconds=0.0)


def test_same_seed_same_outcomes_different_seed_different_transcripts():
    with Engine(jobs=1) as engine:
        first = engine.play(_spec("a", tracing=True), 0, 3)
        again = engine.play(_spec("a", tracing=True), 0, 3)
        other = engine.play(_spec("b", tracing=True), 0, 3)
    assert _comparable(first) == _comparable(again)
    assert all(o.transcript for o in first)
    assert [o.transcript for o in first] != [o.transcript for o in other]
    # Both seeds give the same result (the attack always works) through different transcripts.
    assert all(o.won for o in first + other)


def test_a_replayed_trial_equals_the_trial_inside_a_run():
    with Engine(jobs=2) as engine:
        in_run = engine.play(_spec(tracing=True), 0, 8)[5]
    assert play_trial(_spec(tracing=True), 5).comparable() == in_run.comparable()


# -- groups given as a Group -------------------------------------------------------------------------


def test_a_named_group_given_as_a_group_plays_the_trials_of_its_name():
    by_name = make_spec(SIG, None, NONCE_REUSE, "toy", seed="g", group="toy-643")
    by_group = make_spec(SIG, None, NONCE_REUSE, "toy", seed="g", group=named_group("toy-643"))
    assert by_group.seed_path == by_name.seed_path and by_group.group_name == "toy-643"
    assert _comparable([play_trial(by_group, i) for i in range(3)]) == _comparable(
        [play_trial(by_name, i) for i in range(3)]
    )


def test_a_generated_group_is_played_and_seeded_by_its_name():
    small, large = toy_group(12, 64), toy_group(40, 64)
    specs = [make_spec(DL, None, BSGS, "toy", seed="g", group=group) for group in (small, large)]
    assert [spec.seed_path.group for spec in specs] == [small.name, large.name]
    unnamed = make_spec(DL, None, BSGS, "toy", seed="g", group=dataclasses.replace(small, name=""))
    assert unnamed.seed_path.group == "64/12-bit"
    # The budget covers √q of the 12-bit q, not of the 40-bit one (success ≈ 2^-18 there).
    wins = [sum(play_trial(spec, i).won for i in range(10)) for spec in specs]
    assert wins == [10, 0]


def test_a_spec_holding_a_group_crosses_to_worker_processes():
    group = toy_group(20, 64)
    spec = make_spec(DL, None, BSGS, "toy", seed="g", group=group)
    assert pickle.loads(pickle.dumps(spec)) == spec
    with Engine(jobs=1) as serial, Engine(jobs=2) as parallel:
        assert _comparable(serial.play(spec, 0, 8)) == _comparable(parallel.play(spec, 0, 8))
        result = parallel.run(DL, None, BSGS, "toy", max_trials=25, seed="g", group=group)
    assert result.group == group.name and result.estimate.trials == 7


# -- sequential stopping -----------------------------------------------------------------------------


def test_a_perfect_attack_stops_at_the_first_trial_that_decides_whatever_the_batches():
    """7 wins of 7 decide "broken" (tests/test_confidence_sequence.py), though two jobs are dealt
    batches up to trial 25; the former checkpoint rule looked first at 25."""
    result = run(SIG, "schnorr-nonce-reuse", NONCE_REUSE, "toy", max_trials=1000, seed="s", jobs=2)
    assert result.estimate.verdict is Verdict.BROKEN
    assert result.estimate.trials == 7 and result.estimate.method == "sequence"
    with Engine(jobs=2) as engine:
        former = engine.run(
            SIG, "schnorr-nonce-reuse", NONCE_REUSE, "toy", max_trials=1000, seed="s", stopping="looks"
        )
    assert former.estimate.trials == 25 and former.estimate.verdict is Verdict.BROKEN
    assert result.expect == "broken"
    assert result.mean_queries == {"sign": 2.0}
    assert result.mean_exponentiations > 0 and result.mean_hashes > 0


def test_the_null_adversary_runs_until_bounded_and_the_cap_is_respected():
    null = get_adversary("dl.random-guess")
    with Engine(jobs=1) as engine:
        bounded = engine.run(DL, None, null, "toy", max_trials=1000, seed="s")
        capped = engine.run(DL, None, null, "toy", max_trials=40, seed="s")
        fixed = engine.run(DL, None, null, "toy", max_trials=300, seed="s", stopping="fixed")
    assert bounded.estimate.verdict is Verdict.BOUNDED
    assert bounded.estimate.trials == 148  # 0 wins of 148 first exclude 0.05 (test_confidence_sequence)
    assert capped.estimate.verdict is Verdict.INCONCLUSIVE
    assert capped.estimate.trials == 40
    # A fixed run plays its whole budget, decided or not, and reports the exact interval.
    assert fixed.estimate.trials == 300 and fixed.estimate.method == "exact"
    assert fixed.estimate.verdict is Verdict.BOUNDED and fixed.estimate.looks == 1


def test_thresholds_change_the_stopping_point():
    null = get_adversary("dl.random-guess")
    loose = Engine(jobs=1).run(
        DL, None, null, "toy", max_trials=1000, seed="s", thresholds=Thresholds(eps0=0.2)
    )
    assert loose.estimate.verdict is Verdict.BOUNDED
    assert loose.estimate.trials < 200


# -- the outcome hook -------------------------------------------------------------------------------


def test_the_outcome_hook_sees_every_trial_once_in_order_whatever_the_job_count():
    guess = get_adversary("ring.random-guess")  # wins about half its trials: never decided in 200
    seen: dict[int, list] = {1: [], 2: []}
    results = {}
    for jobs, outcomes in seen.items():
        with Engine(jobs=jobs) as engine:
            results[jobs] = engine.run(
                get_game("ring.anon"),
                None,
                guess,
                "toy",
                max_trials=200,
                seed="h",
                on_outcome=outcomes.append,
            )
    assert results[1].estimate.method == "sequence" and results[1].estimate.trials == 200
    assert [o.index for o in seen[1]] == list(range(200))
    assert _comparable(seen[1]) == _comparable(seen[2])
    assert 0 < sum(o.won for o in seen[1]) == results[1].estimate.wins < 200
    assert not any(o.transcript for o in seen[1])  # untraced unless asked


def test_a_traced_run_logs_the_first_won_trials_and_gives_the_same_result():
    args = (SIG, "schnorr-nonce-reuse", NONCE_REUSE, "toy")
    log = TrialLog(keep=3)
    with Engine(jobs=2) as engine:
        plain = engine.run(*args, max_trials=60, seed="t")
        traced = engine.run(*args, max_trials=60, seed="t", tracing=log.tracing, on_outcome=log)
    assert dataclasses.replace(plain, seconds=0.0) == dataclasses.replace(traced, seconds=0.0)
    assert log.won == [True] * traced.estimate.trials
    assert [o.index for o in log.wins] == [0, 1, 2]
    assert [o.comparable() for o in log.wins] == [
        play_trial(_spec("t", tracing=True), i).comparable() for i in range(3)
    ]
    # The opposite: against the fixed variant the forger never wins and nothing is kept.
    fixed = TrialLog(keep=3)
    Engine(jobs=1).run(
        SIG, "schnorr", NONCE_REUSE, "toy", max_trials=25, seed="t", tracing=fixed.tracing, on_outcome=fixed
    )
    assert fixed.won == [False] * 25 and fixed.wins == []
    assert not TrialLog().tracing


# -- workers and errors ------------------------------------------------------------------------------


class _Sleeper(Adversary):
    id = "test.sleeper"
    label = "sleeps past the limit"
    targets = ("dl",)
    expect = "null"

    def attack(self, view: View, rng: RandomSource) -> int:
        time.sleep(5)
        return 1


def test_time_limit_applies_inside_worker_processes():
    with Engine(jobs=2) as engine:
        outcomes = engine.play(make_spec(DL, None, _Sleeper, "toy", seed="s", time_limit=0.05), 0, 4)
    assert [o.error for o in outcomes] == ["Timeout"] * 4


class _BuggyGame(DL):
    """
    ┌──────────────────────────────────────┐
    │ A DL game whose challenger is buggy. │
    └──────────────────────────────────────┘
    """

    id = "test.buggy-dl"

    def experiment(self, ctx, adversary) -> bool:
        raise KeyError("challenger bug")


class _BuggyJudge(DL):
    """
    ┌──────────────────────────────────────────────────┐
    │ A DL game whose win predicate returns no bool.   │
    └──────────────────────────────────────────────────┘
    """

    id = "test.buggy-judge"

    def experiment(self, ctx, adversary) -> bool:
        return ctx.judge(lambda: 1)


class _AnyDl(Adversary):
    id = "test.any"
    label = "guess 1"
    targets = ("test.buggy-dl", "test.buggy-judge")
    expect = "null"

    def attack(self, view: View, rng: RandomSource) -> int:
        return 1


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_challenger_bug_propagates_from_any_job_count(jobs):
    with Engine(jobs=jobs) as engine, pytest.raises(KeyError, match="challenger bug"):
        engine.play(make_spec(_BuggyGame, None, _AnyDl, "toy", seed="s"), 0, 4)


def test_a_predicate_that_returns_no_bool_is_a_bug():
    with pytest.raises(ChallengerBug):
        play_trial(make_spec(_BuggyJudge, None, _AnyDl, "toy", seed="s"), 0)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: make_spec(SIG, "nope", NONCE_REUSE, "toy", seed="s"), "no variant 'nope'"),
        (lambda: make_spec(SIG, None, NONCE_REUSE, "huge", seed="s"), "no tier 'huge'"),
        (lambda: make_spec(SIG, None, NONCE_REUSE, "toy", seed="s", group="toy-99"), "unknown group"),
        (
            lambda: make_spec(SIG, None, NONCE_REUSE, "toy", seed="s", group="rfc5114-1024-160"),
            "belongs to tier",
        ),
        (
            lambda: make_spec(SIG, None, NONCE_REUSE, "standard", seed="s", group=toy_group(12, 64)),
            "belongs to tier",
        ),
        (
            lambda: make_spec(SIG, None, NONCE_REUSE, "huge", seed="s", group=toy_group(12, 64)),
            "no tier 'huge'",
        ),
        (lambda: make_spec(DL, None, NONCE_REUSE, "toy", seed="s"), "does not target dl"),
        (lambda: make_spec(DL, None, _Sleeper, "toy", seed="s", time_limit=0), "time_limit must"),
        (lambda: Engine(jobs=0), "jobs must"),
        (lambda: Engine(jobs=1).run(DL, None, _Sleeper, "toy", max_trials=0, seed="s"), "max_trials must"),
    ],
)
def test_bad_parameters_are_usage_errors(call, message):
    with pytest.raises(UsageError, match=message):
        call()


# -- the default job count ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("v2", "v1", "jobs"),
    [
        (None, None, 8),
        ("max 100000\n", None, 8),
        ("200000 100000\n", None, 2),
        ("150000 100000\n", None, 2),  # 1.5 CPUs: rounded up
        ("50000 100000\n", None, 1),
        (None, ("-1\n", "100000\n"), 8),
        (None, ("300000\n", "100000\n"), 3),
        ("400000 100000\n", ("300000\n", "100000\n"), 3),  # the smaller quota
        ("2000000 100000\n", None, 8),  # a quota above the affinity
        ("garbage\n", ("x\n", "0\n"), 8),
    ],
)
def test_the_default_job_count_is_the_affinity_at_most_the_cgroup_quota(tmp_path, monkeypatch, v2, v1, jobs):
    monkeypatch.setattr(engine_module.os, "sched_getaffinity", lambda pid: set(range(8)), raising=False)
    paths = {"CGROUP_V2_CPU_MAX": "cpu.max", "CGROUP_V1_QUOTA": "quota", "CGROUP_V1_PERIOD": "period"}
    for name, file in paths.items():
        monkeypatch.setattr(engine_module, name, tmp_path / file)
    if v2 is not None:
        (tmp_path / "cpu.max").write_text(v2)
    if v1 is not None:
        (tmp_path / "quota").write_text(v1[0])
        (tmp_path / "period").write_text(v1[1])
    assert engine_module.default_jobs() == jobs
