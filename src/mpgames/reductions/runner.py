"""The tightness runner: a reduction and its inner adversary on shared seeds (harness §5, §7).

Method
    `tightness(reduction, A, tier)` plays, over one group (the inner game's group of the tier):

    1. the inner game (the reduction's inner variant) against A, `trials` trials;
    2. the outer game against B = the reduction around A, `trials` trials,

    both with the same run seed and trial indices 0 … n−1. Every trial's generators derive from
    (seed, game, variant, adversary, tier, group, index) as in any run (harness §6), so the two runs
    are reproducible and independent of each other (their game and adversary ids differ). Both runs
    have a fixed size: nothing is decided sequentially here, so no look is spent.

    Each success probability gets its exact Clopper–Pearson interval at level 1 − α/2, so that the
    inner and the outer intervals hold together with probability at least 1 − α (union bound). From
    the inner run come ε, the probability of the event the relation speaks of (`Reduction.counts`:
    A's wins, or a restricted class of them), with its interval, and the largest query count per
    oracle of any inner trial (q_H, q_S). The declared bound, non-decreasing in ε and clipped at 0,
    maps ε's interval to [b_lo, b_hi]. Then the relation

    - **holds** if the outer advantage's lower end is at least b_hi: met even for the largest ε the
      inner run allows;
    - is **violated** if the outer advantage's upper end is below b_lo: the measurements contradict
      it at level 1 − α, which means a bug in the reduction or in its declared bound;
    - is **not contradicted** otherwise. A tight relation (B wins exactly when A does) reads so at any
      number of trials: sampling can refute an inequality, it cannot confirm one without slack.

    Costs compare a trial of B with a trial of A: wall time and group exponentiations (challenger
    and adversary together, as metered in every trial), and the queries each run made to its own
    game's oracles (B answers A's queries itself; its own queries go to the outer game).

Heuristics admitted
    - q_H and q_S are read off the inner run (the most any trial used), not from a proof about A: for
      the reference adversaries, whose query counts are fixed, this is exact.
    - The inner advantage is measured in the real inner game, while B runs A in a simulation. The
      relation accounts for the simulation's failure events where it must (ε′ of the forking bounds).
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from mpgames.adversaries.base import Adversary
from mpgames.framework.engine import DEFAULT_TIME_LIMIT, TrialSpec, make_spec, play_trial, summarize_run
from mpgames.framework.errors import UsageError
from mpgames.framework.outcome import TrialOutcome
from mpgames.framework.tally import Tally
from mpgames.measure.estimation import EXACT, Estimate, estimate
from mpgames.measure.records import SCHEMA_VERSION, RunResult
from mpgames.measure.verdicts import DEFAULT_ALPHA, Kind, Thresholds
from mpgames.reductions.base import BoundParameters, Reduction
from mpgames.scheme.integers import checked_int

# Trials per run unless the caller says otherwise: a few seconds for the six reductions on the toy
# tier, and intervals narrow enough (about ±0.1 around 1/2 at 99.95%) to tell a factor of q_H.
DEFAULT_TRIALS = 200


class Relation(StrEnum):
    """Whether the measurements meet the declared relation (module notes)."""

    HOLDS = "holds"
    NOT_CONTRADICTED = "not contradicted"
    VIOLATED = "violated"


@dataclass(frozen=True)
class Tightness:
    """One row of the tightness table: both runs, ε, the bound evaluated, the verdict on the relation."""

    reduction: str
    relation: str
    inner: RunResult
    outer: RunResult
    epsilon: Estimate
    max_queries: Mapping[str, int]
    bound: float
    bound_low: float
    bound_high: float
    status: Relation
    time_ratio: float | None
    exponentiation_ratio: float | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "reduction": self.reduction,
            "relation": self.relation,
            "inner": self.inner.as_dict(),
            "outer": self.outer.as_dict(),
            "epsilon": self.epsilon.as_dict(),
            "max_queries": dict(self.max_queries),
            "bound": {"at_epsilon": self.bound, "low": self.bound_low, "high": self.bound_high},
            "status": self.status.value,
            "cost": {
                "time_ratio": self.time_ratio,
                "exponentiation_ratio": self.exponentiation_ratio,
                "outer_queries": queries_per_trial(self.outer),
                "inner_queries": queries_per_trial(self.inner),
            },
        }


def tightness(
    reduction: type[Reduction],
    inner: type[Adversary],
    tier: str = "toy",
    *,
    trials: int = DEFAULT_TRIALS,
    seed: str = "0",
    alpha: float = DEFAULT_ALPHA,
    time_limit: float | None = DEFAULT_TIME_LIMIT,
    group_name: str | None = None,
) -> Tightness:
    """Play A in the inner game and the reduction around A in the outer game; the row (module notes).
    Both play in the named group of the tier (`group_name`), or the inner game's group for it."""
    trials = checked_int(trials, "the number of trials", minimum=1, error=UsageError)
    group = reduction.inner_game.group(tier, group_name)
    thresholds = Thresholds(alpha=alpha / 2)
    inner_spec = make_spec(
        reduction.inner_game,
        reduction.inner_variant,
        inner,
        tier,
        seed=seed,
        time_limit=time_limit,
        group=group.name,
    )
    outer_spec = make_spec(
        reduction.outer_game,
        reduction.outer_variant,
        reduction.around(inner),
        tier,
        seed=seed,
        time_limit=time_limit,
        group=group.name,
    )
    inner_run, inner_outcomes = _play(inner_spec, trials, thresholds)
    outer_run, outer_outcomes = _play(outer_spec, trials, thresholds)
    # ε: the inner event the relation speaks of, and the query counts its bound depends on.
    counted = sum(reduction.counts(outcome) for outcome in inner_outcomes)
    epsilon = estimate(Kind.WIN_LOSE, counted, trials, thresholds, method=EXACT)
    max_queries = {
        name: max(outcome.query_count(name) for outcome in inner_outcomes)
        for name in reduction.inner_game.budgets
    }
    parameters = BoundParameters(group.q, max_queries)

    def bound(eps: float) -> float:
        return max(0.0, reduction.bound(eps, parameters))

    low, high = bound(epsilon.interval.lower), bound(epsilon.interval.upper)
    return Tightness(
        reduction=reduction.name,
        relation=reduction.relation,
        inner=inner_run,
        outer=outer_run,
        epsilon=epsilon,
        max_queries=max_queries,
        bound=bound(epsilon.success),
        bound_low=low,
        bound_high=high,
        status=judge_relation(outer_run.estimate, low, high),
        time_ratio=_ratio(sum(o.seconds for o in outer_outcomes), sum(o.seconds for o in inner_outcomes)),
        exponentiation_ratio=_ratio(outer_run.mean_exponentiations, inner_run.mean_exponentiations),
    )


def judge_relation(outer: Estimate, bound_low: float, bound_high: float) -> Relation:
    """Holds, violated or not contradicted: the outer advantage interval against [bound_low, bound_high]."""
    if outer.interval.upper < bound_low:
        return Relation.VIOLATED
    if outer.interval.lower >= bound_high:
        return Relation.HOLDS
    return Relation.NOT_CONTRADICTED


def _play(spec: TrialSpec, trials: int, thresholds: Thresholds) -> tuple[RunResult, list[TrialOutcome]]:
    """Trials 0 … trials−1 of `spec`, and their record with a fixed-size estimate (one look)."""
    started = time.perf_counter()
    outcomes = [play_trial(spec, index) for index in range(trials)]
    wins = sum(outcome.won for outcome in outcomes)
    result = estimate(spec.game.kind, wins, trials, thresholds, n_choices=spec.game.n_choices, method=EXACT)
    return summarize_run(spec, Tally.of(outcomes), result, time.perf_counter() - started), outcomes


def _ratio(numerator: float, denominator: float) -> float | None:
    return numerator / denominator if denominator > 0 else None


def queries_per_trial(run: RunResult) -> float:
    """Oracle queries per trial, all oracles of the run's game together."""
    return math.fsum(run.mean_queries.values())


def to_json(rows: Sequence[Tightness], meta: Mapping[str, Any]) -> dict[str, Any]:
    """The rows as a versioned JSON-ready object."""
    return {
        "schema_version": SCHEMA_VERSION,
        "meta": dict(meta),
        "reductions": [row.as_dict() for row in rows],
    }
