"""Holm's step-down procedure over a suite's verdicts (harness §8 "suite-wide false-alarm budget",
§7 verdicts): the probability that any verdict of the suite is wrong stays at most α.

Notes
=====

False alarms across a suite (Holm).
    Each entry's verdict comes from an interval of its advantage, valid at every sequential look
    (mpgames.measure.sequential). For an entry and any level a, let its p-value be the smallest a at
    which its final counts decide a verdict; since the per-look intervals at a/K are simultaneously
    right with probability at least 1 − a whatever the stopping rule, a wrong verdict at level a has
    probability at most a: these p-values are valid. Holm's step-down procedure over the m entries
    then keeps the probability that *any* verdict of the suite is wrong at most α, under any
    dependence between entries: decide the entries whose verdict holds at α/m; with j entries
    decided, try the rest at α/(m − j); repeat until no new entry is decided. The entries still
    undecided are inconclusive. `holm` does exactly this by recomputing each estimate at the level
    (one call of `mpgames.measure.estimation.estimate` per entry and round), so it needs no p-value formula
    of its own.

    The engine plays every entry at the first level α/m and stops it as soon as it is decided
    there; Holm can only decide more entries afterwards, never change a decided verdict (intervals
    at a larger level are nested inside those at a smaller one). An entry that did not run (a bug
    in a game) still counts in m: its share of α is spent, not redistributed.

Heuristics admitted.
    - The levels are what the trial budgets are calibrated for; a suite of many entries needs more
      trials per entry (they grow with ln(m/α)), which `demo_budget` accounts for.
    - α bounds wrong verdicts, not inconclusive ones: an entry whose advantage lies between ε0 and
      ε1 stays inconclusive however large α is.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from mpgames.measure import estimation
from mpgames.measure.estimation import Estimate
from mpgames.measure.verdicts import Verdict


def at_level(estimate: Estimate, level: float) -> Estimate:
    """The same counts and looks, re-decided at false-alarm level `level`."""
    return estimation.estimate(
        estimate.kind,
        estimate.wins,
        estimate.trials,
        dataclasses.replace(estimate.thresholds, alpha=level),
        n_choices=estimate.n_choices,
        looks=estimate.looks,
    )


def holm(estimates: Sequence[Estimate | None], alpha: float) -> tuple[Estimate | None, ...]:
    """Each estimate re-decided by Holm's step-down at suite-wide level `alpha` (module notes).

    None stands for an entry that did not run: it counts in m and stays None. A decided entry carries
    the level at which it was decided; an undecided one the last level tried, and is inconclusive.
    """
    m = len(estimates)
    decided: dict[int, Estimate] = {}
    while len(decided) < m:
        level = alpha / (m - len(decided))
        newly = {}
        for index, found in enumerate(estimates):
            if found is not None and index not in decided:
                again = at_level(found, level)
                if again.verdict is not Verdict.INCONCLUSIVE:
                    newly[index] = again
        if not newly:
            break
        decided.update(newly)
    last = alpha / max(1, m - len(decided))
    return tuple(
        decided[index] if index in decided else None if found is None else at_level(found, last)
        for index, found in enumerate(estimates)
    )
