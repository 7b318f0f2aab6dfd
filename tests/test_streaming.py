"""A run keeps counts, not outcomes (framework/tally.py): the memory a run holds does not grow with its
trials. tracemalloc's peak over a run of 500 and of 5,000 trials differs by far less than the outcomes
themselves would take, and the same measurement does see the growth once a hook keeps every outcome.
(The group's membership cache, bounded by `MEMBER_CACHE_SIZE`, is held at 64 values here and filled by
a warm-up run, so that its own bounded growth does not blur the figure.)"""

from __future__ import annotations

import tracemalloc

from mpgames.adversaries.registry import get_adversary
from mpgames.framework.engine import Engine
from mpgames.framework.outcome import TrialOutcome
from mpgames.framework.tally import Tally
from mpgames.games.registry import get_game
from mpgames.scheme import groups

DL, GUESS = get_game("dl"), get_adversary("dl.random-guess")


def _peak(trials: int, hook=None) -> int:
    """Bytes allocated at the peak of a fixed run of `trials` trials, beyond what was held before."""
    with Engine(1) as engine:
        engine.run(DL, None, GUESS, "toy", max_trials=200, seed="warm", stopping="fixed")  # fills caches
        tracemalloc.start()
        try:
            engine.run(
                DL, None, GUESS, "toy", max_trials=trials, seed="stream", stopping="fixed", on_outcome=hook
            )
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()


def test_a_run_holds_the_same_memory_for_ten_times_the_trials(monkeypatch):
    monkeypatch.setattr(groups, "MEMBER_CACHE_SIZE", 64)
    groups.clear_member_cache()
    small, large = _peak(500), _peak(5_000)
    assert large - small < 10_000, (small, large)  # 4,500 more trials: about 2 bytes each at most
    # The opposite: a hook that keeps every outcome grows by more than a hundred bytes a trial.
    kept: list[TrialOutcome] = []
    assert _peak(5_000, kept.append) - large > 4_500 * 100


def test_the_tally_counts_what_the_record_reports():
    outcomes = [
        TrialOutcome(0, True, "x", (("sign", 2),), 3, 1, 0.1),
        TrialOutcome(1, False, "", (("sign", 1), ("hash", 4)), 1, 2, 0.1, error="BudgetExceeded"),
        TrialOutcome(2, False, "", (), 0, 0, 0.1, error="Timeout"),
    ]
    tally = Tally.of(outcomes)
    assert (tally.trials, tally.wins, tally.exponentiations, tally.hashes) == (3, 1, 4, 3)
    assert tally.lost == {"BudgetExceeded": 1, "Timeout": 1} and tally.timeouts == 1
    assert tally.mean_queries() == {"sign": 1.0, "hash": 4 / 3}
