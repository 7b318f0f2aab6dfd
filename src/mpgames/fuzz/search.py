"""The attack search behind `mpgames fuzz` (docs/fuzz.md).

`search(game, variant, tier, ...)` draws plans (mpgames.fuzz.strategies) with Hypothesis and plays
each, trusted, against the challenger's coins of a fixed trial, until one wins or the budget (a
number of plans, or seconds) is spent. A trial's score is the engine's own, faults included (a
faulted trial is a loss, or the challenger's uniform guess in a guessing game). A plan counts as a
win only when it scores in its probe trials as no chance adversary would (it wins the one probe of
a win-lose game; in a guessing game, where one right guess is luck, it wins all `GUESS_PROBES`, or
in a hidden-bit game loses all of them, since Adv = |2·Pr[b' = b] − 1| pays for both), and then
does so in at least `CONFIRM_SHARE` of `CONFIRM_TRIALS` fresh trials, so that a lucky forgery is not
a finding. A plan that makes the challenger's own code fail (anything a trial raises: the engine
turns every failure of the adversary into a fault, so what escapes is an oracle, a predicate or an
experiment failing on what it was handed) is a finding too, of a bug of the harness. Hypothesis
then shrinks the finding to a smallest plan that still makes it (each smaller plan confirmed in
`SHRINK_TRIALS`, the one reported again in `CONFIRM_TRIALS`). The report says what was searched —
plans, trials, expressions of each kind, seconds — and never that a variant is secure: a search
that finds nothing is not a proof.
"""

from __future__ import annotations

import collections
import hashlib
import random
import time
from collections.abc import Callable
from dataclasses import dataclass

from hypothesis import HealthCheck, find, settings
from hypothesis.errors import NoSuchExample

from mpgames.framework.base import Game
from mpgames.framework.engine import make_spec, play_trial
from mpgames.framework.outcome import TrialOutcome
from mpgames.fuzz.adversary import plan_adversary
from mpgames.fuzz.plan import Plan
from mpgames.fuzz.strategies import plans
from mpgames.measure.verdicts import Kind

# Trials a plan must win before it is confirmed, and the confirmation: in full for the first win,
# in fewer trials for each smaller plan tried while shrinking (the shrunk one is confirmed in full
# again before it is reported).
GUESS_PROBES = 10
CONFIRM_TRIALS = 32
SHRINK_TRIALS = 8
CONFIRM_SHARE = 0.75


class _OutOfTime(Exception):
    """The search's time is up."""


@dataclass(frozen=True)
class Finding:
    """A shrunk winning plan, its confirmation and the trace of its first trial; or a plan that
    makes the challenger fail, with the failure (`bug`)."""

    plan: Plan
    # Of `of` fresh trials, those that went the plan's way: won (or, in a hidden-bit game whose
    # plan loses, lost).
    confirmed: int
    of: int
    # Its first trial, traced (None when the challenger failed).
    first: TrialOutcome | None
    bug: str | None = None

    @property
    def trace(self) -> tuple[str, ...]:
        """The steps of its first trial, as lines."""
        return () if self.first is None else tuple(entry.format() for entry in self.first.transcript)


@dataclass(frozen=True)
class SearchReport:
    """What a search tried and what it found."""

    game: str
    variant: str
    tier: str
    seed: str
    plans: int
    trials: int
    kinds: dict[str, int]
    seconds: float
    stopped: str  # "found", "budget", "time", or "exhausted": every plan the strategies draw was tried
    finding: Finding | None


def search(
    game: type[Game],
    variant: str | None,
    tier: str,
    *,
    budget: int,
    seconds: float | None = None,
    seed: str = "fuzz",
    on_plan: Callable[[int], object] | None = None,
) -> SearchReport:
    """Search for a plan that wins `game` (module docstring); `budget` plans at most. `on_plan(1)`
    is called as each plan is tried (a progress bar's update)."""
    chosen = game.variant(variant).name
    probes = 1 if game.kind is Kind.WIN_LOSE else GUESS_PROBES
    kinds: collections.Counter[str] = collections.Counter()
    counts = {"plans": 0, "trials": 0, "confirmed": 0}
    deadline = None if seconds is None else time.monotonic() + seconds

    def outcomes(plan: Plan, indices: range) -> list[TrialOutcome]:
        spec = make_spec(game, chosen, plan_adversary(game, plan), tier, seed=seed)
        counts["trials"] += len(indices)
        return [play_trial(spec, index) for index in indices]

    def wins(plan: Plan) -> bool:
        if deadline is not None and time.monotonic() > deadline:
            raise _OutOfTime
        counts["plans"] += 1
        if on_plan is not None:
            on_plan(1)
        kinds.update(type(expr).__name__ for expr in plan.expressions())
        try:
            if not _decisive(game.kind, outcomes(plan, range(probes)), 1.0):
                return False
            # Confirmed in full once; each smaller plan Hypothesis then tries in `SHRINK_TRIALS`.
            confirm = SHRINK_TRIALS if counts["confirmed"] else CONFIRM_TRIALS
            if not _decisive(game.kind, outcomes(plan, range(probes, probes + confirm)), CONFIRM_SHARE):
                return False
            counts["confirmed"] += 1
            return True
        except Exception:  # the challenger failed (module docstring)
            return True

    started = time.monotonic()
    found: Plan | None = None
    stopped = "budget"
    try:
        found = find(
            plans(game),
            wins,
            settings=settings(
                max_examples=budget,
                database=None,
                deadline=None,
                derandomize=False,  # the search's own seed (`random=`) makes it reproducible
                suppress_health_check=list(HealthCheck),
            ),
            random=random.Random(int.from_bytes(hashlib.sha256(seed.encode()).digest()[:8], "big")),
        )
        stopped = "found"
    except NoSuchExample:
        if counts["plans"] < budget and (deadline is None or time.monotonic() < deadline):
            stopped = "exhausted"
    except _OutOfTime:
        stopped = "time"
    finding = None if found is None else _finding(game, chosen, tier, seed, found, probes)
    return SearchReport(
        game.id, chosen, tier, seed, counts["plans"], counts["trials"], dict(sorted(kinds.items())),
        time.monotonic() - started, stopped, finding,
    )  # fmt: skip


def _decisive(kind: Kind, played: list[TrialOutcome], share: float) -> bool:
    """True iff at least `share` of the trials were won (or, in a hidden-bit game, lost)."""
    won = sum(outcome.won for outcome in played) / len(played)
    return won >= share or (kind is Kind.HIDDEN_BIT and won <= 1 - share)


def _finding(game: type[Game], variant: str, tier: str, seed: str, plan: Plan, probes: int) -> Finding:
    spec = make_spec(game, variant, plan_adversary(game, plan), tier, seed=seed, tracing=True)
    try:
        first = play_trial(spec, 0)
        fresh = [play_trial(spec, index) for index in range(probes, probes + CONFIRM_TRIALS)]
    except Exception as exc:  # the challenger failed (module docstring)
        return Finding(plan, 0, CONFIRM_TRIALS, None, bug=f"{type(exc).__name__}: {exc}")
    won = sum(o.won for o in fresh)
    confirmed = CONFIRM_TRIALS - won if game.kind is Kind.HIDDEN_BIT and won < CONFIRM_TRIALS / 2 else won
    return Finding(plan, confirmed, CONFIRM_TRIALS, first)
