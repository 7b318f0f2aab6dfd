"""`mpgames replay` (harness §6): one trial played again from its seed, with its transcript, or a
saved win vector replayed and compared step by step (mpgames.vectors)."""

from __future__ import annotations

import argparse
import json
from typing import Any

from mpgames.adversaries.base import Adversary
from mpgames.adversaries.isolated import submission_class
from mpgames.adversaries.registry import resolve
from mpgames.framework.base import Game
from mpgames.framework.engine import TrialSpec, make_spec, play_trial
from mpgames.framework.errors import UsageError
from mpgames.framework.outcome import TrialOutcome
from mpgames.framework.seeds import SEEDS
from mpgames.games.registry import get_game
from mpgames.scheme.errors import InvalidGroupError
from mpgames.scheme.groups import named_group
from mpgames.vectors import load_vector, replay_report, replay_vector

# The version of replay's JSON (docs/schemas/replay.schema.json); 4: each step's data keeps its JSON
# types (3: every value as text).
SCHEMA_VERSION = 4


def tier_of(args: argparse.Namespace) -> str:
    """--tier, else the tier of --group, else toy."""
    if args.tier is not None:
        return args.tier
    if args.group is None:
        return "toy"
    try:
        return named_group(args.group).tier
    except InvalidGroupError as exc:
        raise UsageError(str(exc)) from None


def replay(args: argparse.Namespace) -> int:
    trial = {"GAME": args.game, "--adversary": args.adversary, "--trial": args.trial}
    if args.vector is not None:
        fixed = {**trial, "--variant": args.variant, "--tier": args.tier, "--group": args.group}
        fixed["--seeds"] = args.seeds
        given = [name for name, value in fixed.items() if value is not None]
        if given:
            raise UsageError(f"--vector fixes the trial: give it without {', '.join(given)}")
        vector = load_vector(args.vector)
        outcome, problems = replay_vector(vector)
        record = {
            "schema_version": SCHEMA_VERSION,
            "vector": str(args.vector),
            "outcome": outcome.as_dict(),
            "problems": problems,
        }
        print(json.dumps(record, indent=2) if args.json else replay_report(vector, outcome, problems))
        return 1 if problems else 0
    missing = [name for name, value in trial.items() if value is None]
    if missing:
        raise UsageError(f"give GAME --adversary A --trial I or --vector FILE (missing {', '.join(missing)})")
    game = get_game(args.game)
    adversary = _adversary(args, game)
    spec = make_spec(
        game,
        args.variant,
        adversary,
        tier_of(args),
        seed=args.seed,
        time_limit=args.time_limit,
        group=args.group,
        tracing=True,
        isolated=args.isolated,
        run_key=args.run_key,
        seeds=SEEDS if args.seeds is None else args.seeds,
    )
    outcome = play_trial(spec, args.trial)
    if args.json:
        document = {
            "schema_version": SCHEMA_VERSION,
            "spec": _spec_record(spec),
            "outcome": outcome.as_dict(),
        }
        print(json.dumps(document, indent=2))
        return 0
    print(
        f"{game.id} variant={spec.variant} adversary={adversary.id} tier={spec.tier} group={spec.group_name} "
        f"seed={spec.seed!r} trial={args.trial}"
    )
    if args.trace:
        for number, entry in enumerate(outcome.transcript, 1):
            print(f"  {number:2}. {entry.format()}")
    print(_outcome_line(outcome))
    if outcome.fault is not None:
        print(
            "\n".join(outcome.fault.traceback_lines())
            if args.traceback
            else f"fault: {outcome.fault.summary()} (--traceback shows the frames)"
        )
    return 0


def _adversary(args: argparse.Namespace, game: type[Game]) -> type[Adversary]:
    """The adversary to replay: by id or reference, or as a graded submission (docs/grading.md)."""
    if not args.submission:
        return resolve(args.adversary, game.id, trusted=args.trusted)
    if args.trusted:
        raise UsageError(
            "a submission is played isolated, as the grader plays it: give --submission without --trusted"
        )
    return submission_class(args.adversary, game.id, game.stages)


def _spec_record(spec: TrialSpec) -> dict[str, Any]:
    return {
        "game": spec.game.id,
        "variant": spec.variant,
        "adversary": spec.adversary.id,
        "tier": spec.tier,
        "group": spec.group_name,
        "seed": spec.seed,
        "seeds": spec.seeds,
    }


def _outcome_line(outcome: TrialOutcome) -> str:
    if outcome.error:
        scored = "won" if outcome.won else "lost"
        result = f"fault ({outcome.error}), scored {scored}"
    else:
        result = "won" if outcome.won else "lost"
    queries = ", ".join(f"{name}: {used}" for name, used in outcome.queries) or "none"
    return (
        f"result: {result}; output: {outcome.output or '-'}; queries: {queries}; "
        f"{outcome.exponentiations} exponentiations, {outcome.hashes} hashes, {outcome.seconds * 1000:.1f} ms"
    )
