"""Holm's step-down procedure over a suite's verdicts (harness §8 "suite-wide false-alarm budget",
§7 verdicts): the probability that any verdict of the suite is wrong stays at most α.

Notes
=====

False alarms across a suite (Holm over both directions).
    An entry's verdict can be wrong two ways: "bounded" when Adv ≥ ε0 (a rejection of H_B: Adv ≥ ε0)
    or "broken" when Adv ≤ ε1 (a rejection of H_K: Adv ≤ ε1). So m entries carry 2m hypotheses, of
    which at least m are true (every Adv satisfies one of the two, both when ε0 ≤ Adv ≤ ε1). Each
    entry's interval comes from a confidence sequence, right at every trial with probability 1 − a
    for each level a (`mpgames.measure.confidence_sequence`), so at the trial where the entry
    stopped the p-value of each hypothesis — the smallest a at which its rejection is decided — is
    valid: a true hypothesis is rejected at level a only if the interval missed, probability ≤ a.
    Holm's step-down over the 2m hypotheses: with d entries decided (d hypotheses rejected; an
    entry is decided at most one way, since ε0 ≤ ε1), try the rest at α/(2m − d). Proof in two
    lines: before the first wrong rejection every rejection was of a false hypothesis, so
    d ≤ 2m − m0 with m0 the number of true ones, and the first wrong one happens at a level at most
    α/m0; the union bound over the m0 true hypotheses gives a probability at most α that any
    verdict of the suite is wrong, under any dependence between entries. (Holm over the m entries
    alone, levels α/(m − d), counts each entry once and has no such proof: an entry decided rightly
    still carries a true hypothesis, and two entries at Adv = 0 could then each err at level α.)
    `holm` recomputes each estimate at the level (one call of `mpgames.measure.estimation.estimate`
    per entry and round), so it needs no p-value formula of its own.

    The engine plays every entry at the first level α/(2m) (`first_level`) and stops it as soon as
    it is decided there; Holm can only decide more entries afterwards, never change a decided
    verdict (intervals at a larger level are nested inside those at a smaller one). An entry that
    did not run (a bug in a game) still counts in m: its share of α is spent, not redistributed.

What the printed level means.
    An entry decided in a later round is decided at a level that depends on the other entries'
    data, so that level is not a confidence level of its interval alone. What holds is the
    family-wise statement: with probability 1 − α every verdict of the suite is right. Reports print
    that level, named as such ("suite-wide"), for every entry of a suite; `Estimate.interval`
    keeps the level the interval was computed at, for the record.

Heuristics admitted.
    - The levels are what the trial budgets are calibrated for; a suite of many entries needs more
      trials per entry (they grow with ln(2m/α)), which `demo_budget` accounts for.
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
        method=estimate.method,
    )


def first_level(alpha: float, entries: int) -> float:
    """α/(2m): the level every one of a suite's m entries is played at (module notes)."""
    return alpha / (2 * max(1, entries))


def holm(estimates: Sequence[Estimate | None], alpha: float) -> tuple[Estimate | None, ...]:
    """Each estimate re-decided by Holm's step-down over both directions at suite-wide level `alpha`
    (module notes): levels α/(2m − d) with d entries decided.

    None stands for an entry that did not run: it counts in m and stays None. A decided entry carries
    the level at which it was decided; an undecided one the last level tried, and is inconclusive.
    """
    m = len(estimates)
    decided: dict[int, Estimate] = {}
    while len(decided) < m:
        level = alpha / (2 * m - len(decided))
        newly = {}
        for index, found in enumerate(estimates):
            if found is not None and index not in decided:
                again = at_level(found, level)
                if again.verdict is not Verdict.INCONCLUSIVE:
                    newly[index] = again
        if not newly:
            break
        decided.update(newly)
    last = alpha / max(1, 2 * m - len(decided))
    return tuple(
        None
        if found is None
        else dataclasses.replace(
            decided[index] if index in decided else at_level(found, last), suite_alpha=alpha
        )
        for index, found in enumerate(estimates)
    )
