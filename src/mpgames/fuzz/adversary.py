"""The generic adversary that plays a plan (docs/fuzz.md).

`plan_adversary(game, plan)` is an adversary class of `game` whose every stage does what the plan
says: it makes the plan's queries in order, each argument evaluated against what it has seen
(mpgames.fuzz.plan), keeps each answer (a refused query leaves a gap that later expressions cannot
read), and hands in the plan's output. It is the project's own code, played trusted.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mpgames.adversaries.base import Adversary
from mpgames.framework.base import Game
from mpgames.framework.view import View
from mpgames.fuzz.plan import Missing, Plan, Seen, evaluate
from mpgames.scheme.errors import SchemeError
from mpgames.scheme.randomness import RandomSource

PLAN_ID = "fuzz.plan"


class PlanAdversary(Adversary):
    """Plays `plan`, stage by stage."""

    plan: Plan

    def __init__(self) -> None:
        self._seen: Seen | None = None

    def play_stage(self, stage: str, view: View) -> object:
        group = getattr(view, "group", None)
        if self._seen is None:
            self._seen = Seen(group, {}, [])
        seen = self._seen
        seen.views[stage] = view
        steps = dict(self.plan.stages)[stage]
        for call in steps.calls:
            try:
                answer: object = getattr(view, call.oracle)(*(evaluate(arg, seen) for arg in call.args))
            except (Missing, SchemeError) as exc:  # ⊥, or an argument the trial does not have
                answer = Missing(str(exc))
            seen.answers.append(answer)
        return None if steps.output is None else evaluate(steps.output, seen)


def plan_adversary(game: type[Game], plan: Plan) -> type[PlanAdversary]:
    """The adversary class of `game` that plays `plan`."""
    namespace: dict[str, Any] = {
        "id": PLAN_ID,
        "label": "a plan of the attack search",
        "targets": (game.id,),
        "expect": "null",
        "plan": plan,
        "__module__": __name__,
    }
    for stage in game.stages:
        namespace[stage] = _stage_method(stage)
    return type("PlanAdversary", (PlanAdversary,), namespace)


def _stage_method(stage: str) -> Callable[[PlanAdversary, View, RandomSource], object]:
    def play(self: PlanAdversary, view: View, rng: RandomSource) -> object:
        return self.play_stage(stage, view)

    play.__name__ = stage
    return play
