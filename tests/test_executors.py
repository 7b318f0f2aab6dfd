"""Executors (docs/executors.md): a run played on a real Dask `LocalCluster` of two workers gives, trial
for trial, the outcomes of `--jobs 1`; a worker lost in the middle of a batch costs nothing but time on
Dask (the batch is played again), where the local pool voids the run; bad executor options are one-line
usage errors."""

from __future__ import annotations

import json
import threading

import pytest

from mpgames.adversaries.plugins import load_file
from mpgames.adversaries.registry import get_adversary
from mpgames.cli import main
from mpgames.framework import executors
from mpgames.framework.engine import Engine
from mpgames.framework.errors import UsageError, WorkerDied
from mpgames.games.registry import get_game

RING_ANON = get_game("ring.anon")
GUESS = get_adversary("ring.random-guess")  # wins about half its trials: never decided in 200
CRASH_ONCE = "tests/plugins/crash_once.py:CrashOnce"


def _comparable(outcomes):
    return [outcome.comparable() for outcome in outcomes]


def _played(engine: Engine, adversary=GUESS, seed: str = "dask", max_trials: int = 200, **options):
    seen: list = []
    result = engine.run(
        RING_ANON, None, adversary, "toy", max_trials=max_trials, seed=seed, on_outcome=seen.append, **options
    )
    return result, seen


@pytest.fixture(scope="module")
def one_job():
    with Engine(1) as engine:
        yield engine


def test_a_dask_local_cluster_of_two_workers_plays_the_trials_of_one_job(one_job):
    with Engine(2, executor="dask") as engine:
        result, seen = _played(engine)
        assert engine._pool is not None and engine._pool.workers == 2
        other_seed, _ = _played(engine, seed="dask-2")
    reference, expected = _played(one_job)
    assert [o.index for o in seen] == list(range(200))
    assert _comparable(seen) == _comparable(expected)
    assert result.estimate == reference.estimate and 0 < result.estimate.wins < 200
    # The opposite: the comparison sees a difference where there is one (another seed).
    assert other_seed.estimate.wins != result.estimate.wins


def test_isolated_adversaries_play_on_dask_workers_as_on_one_job(one_job):
    """Each Dask worker starts the adversary's processes of its own (docs/isolation.md); the coins come
    from the run key, so the trials are those of one local job with the same key."""
    options = {"isolated": True, "run_key": bytes(range(32)), "max_trials": 40}
    reference, expected = _played(one_job, **options)
    with Engine(2, executor="dask") as engine:
        result, seen = _played(engine, **options)
    assert _comparable(seen) == _comparable(expected) and result.estimate == reference.estimate
    assert result.trust == reference.trust == "isolated" and result.run_key == reference.run_key


def test_a_lost_dask_worker_costs_a_replay_of_its_batch_and_the_local_pool_voids_the_run(
    one_job, tmp_path, monkeypatch
):
    crash_once = load_file(CRASH_ONCE)
    marker = tmp_path / "crashed"
    monkeypatch.setenv("CRASH_ONCE_MARKER", str(marker))
    marker.touch()  # present: the adversary only guesses (safe in this process)
    reference, expected = _played(one_job, crash_once, max_trials=60)
    marker.unlink()
    with Engine(2, executor="dask") as engine:  # started after the variable is set: its workers see it
        result, seen = _played(engine, crash_once, max_trials=60)
    assert marker.exists()  # a worker did end in the middle of a batch
    assert _comparable(seen) == _comparable(expected) and result.estimate == reference.estimate
    marker.unlink()
    with Engine(2) as engine, pytest.raises(WorkerDied, match="ended abruptly"):
        _played(engine, crash_once, max_trials=60)
    assert marker.exists()


def test_dask_on_the_command_line_gives_the_estimate_of_one_job(capsys):
    outputs = []
    for options in (["--jobs", "1"], ["--executor", "dask", "--jobs", "2"]):
        argv = ["run", "ring.anon", "--adversary", "ring.random-guess", "--max-trials", "100", "--json"]
        assert main([*argv, *options]) == 0
        outputs.append(json.loads(capsys.readouterr().out))
    estimates = [[row["estimate"] for row in out["results"]] for out in outputs]
    assert estimates[0] == estimates[1]


def test_bad_executor_options_are_usage_errors(capsys, monkeypatch):
    with pytest.raises(UsageError, match="unknown executor"):
        Engine(1, executor="ray")
    with pytest.raises(UsageError, match="goes with --executor dask"):
        Engine(1, scheduler="tcp://127.0.0.1:8786")
    monkeypatch.setattr(executors, "CONNECT_TIMEOUT", 1)
    argv = ["run", "dl", "--adversary", "dl.bsgs", "--max-trials", "30", "--jobs", "2"]
    assert main([*argv, "--executor", "dask", "--scheduler", "tcp://127.0.0.1:9"]) == 2
    err = capsys.readouterr().err.strip()
    assert "cannot reach the Dask scheduler" in err and len(err.splitlines()) == 1


def test_ending_a_pool_whose_manager_thread_never_started_does_not_raise() -> None:
    """SIGTERM can land between the pool's making its manager thread and starting it; ending the
    pool then must not raise (the error would replace the interruption under way)."""
    pool = executors.worker_pool(1)
    pool._executor_manager_thread = threading.Thread(target=lambda: None)  # made, never started
    with pytest.raises(RuntimeError, match="before it is started"):
        pool._executor_manager_thread.join()  # what a plain shutdown would run into
    executors.end_pool(pool)
    assert pool._shutdown_thread
