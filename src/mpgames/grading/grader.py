"""Grading one submission (docs/grading.md): every task of an assignment, played isolated.

A submission is one student's `.py` file, or a folder holding the assignment's file; the student's
name is the file's stem or the folder's name, made unique among the submissions graded together.
Each task loads the task's class from the file in a fork server of its own
(mpgames.adversaries.sandbox) and plays it with `Engine.run(isolated=True)`: fresh secret challenger
coins, the assignment's limits. Of the class only its methods are read (`submission_class`): its
own id, targets, `expect` and claims change nothing.

A task is "passed" (full points) when its run comes out broken at the task's `min_advantage` (even
one cut short by a cap: its last look is at the run's level), else
"failed" (0 points) with the verdict and the advantage interval, and the trials lost to faults or
timeouts by type; "error" (0 points) when nothing could be played: the file is missing, cannot be
loaded, lacks the class or one of the game's stages. A harness failure (`ChallengerBug`) is an
"error" too, marked as the harness's, so that one submission never stops the others' grading.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from mpgames.adversaries.isolated import submission_class
from mpgames.framework.engine import Engine
from mpgames.framework.errors import ChallengerBug, UsageError
from mpgames.grading.assignment import Assignment, Task
from mpgames.measure.records import RunResult
from mpgames.measure.verdicts import Verdict

PASSED, FAILED, ERROR = "passed", "failed", "error"
# The reason of a task the harness, not the submission, failed.
HARNESS_FAILED = "the harness failed"


@dataclass(frozen=True)
class Submission:
    """One student's submission: a unique name and the file graded."""

    student: str
    file: Path


@dataclass(frozen=True)
class TaskGrade:
    """A task's grade: status, points, a one-line reason, and the run (None if nothing was played)."""

    task: Task
    status: str
    points: float
    reason: str
    result: RunResult | None = None
    # True when the harness itself failed (a bug to report), not the submission.
    harness_failed: bool = False


@dataclass(frozen=True)
class SubmissionGrade:
    """Every task's grade of one submission, in the assignment's order."""

    submission: Submission
    tasks: tuple[TaskGrade, ...]

    @property
    def score(self) -> float:
        return sum(grade.points for grade in self.tasks)

    @property
    def harness_failed(self) -> bool:
        return any(grade.harness_failed for grade in self.tasks)


def find_submissions(paths: Sequence[Path], file_name: str) -> tuple[Submission, ...]:
    """The submissions at `paths` (a `.py` file, or a folder whose `file_name` is graded), each named
    uniquely; `UsageError` for a path that is neither."""
    found: list[Submission] = []
    taken: set[str] = set()
    for path in paths:
        if path.is_dir():
            name, file = path.resolve().name, path / file_name
        elif path.suffix == ".py" and path.is_file():
            name, file = path.stem, path
        else:
            raise UsageError(f"submission {path}: not a .py file or a folder")
        unique, n = name, 1
        while unique in taken:
            n += 1
            unique = f"{name}-{n}"
        taken.add(unique)
        found.append(Submission(unique, file.resolve()))
    return tuple(found)


def _failure(result: RunResult, task: Task) -> str:
    estimate = result.estimate
    why = (
        "the run timed out"
        if result.stopped is not None
        else f"not shown broken at Adv > {task.thresholds.eps1}, {estimate.verdict.value}"
    )
    reason = f"{why}: {estimate.describe()}"
    if result.lost:
        lost = ", ".join(f"{kind} {count}" for kind, count in result.lost.items())
        reason += f"; {sum(result.lost.values())} of {estimate.trials} trials lost ({lost})"
    return reason


def grade_task(engine: Engine, assignment: Assignment, submission: Submission, task: Task) -> TaskGrade:
    """Play one task of one submission (module notes)."""
    if not submission.file.is_file():
        return TaskGrade(task, ERROR, 0.0, f"the submission has no file {submission.file.name}")
    reference = f"{submission.file}:{task.class_name}"
    deadline = None if task.seconds is None else time.monotonic() + task.seconds
    try:
        adversary = submission_class(reference, task.game.id, task.game.stages)
        result = engine.run(
            task.game,
            task.variant,
            adversary,
            task.tier,
            max_trials=task.max_trials,
            seed=assignment.seed,
            thresholds=task.thresholds,
            time_limit=task.time_limit,
            memory_limit=task.memory_bytes,
            isolated=True,
            deadline=deadline,
        )
    except UsageError as exc:
        return TaskGrade(task, ERROR, 0.0, str(exc).replace(str(submission.file.parent) + "/", ""))
    except ChallengerBug as exc:
        return TaskGrade(task, ERROR, 0.0, f"{HARNESS_FAILED} (report it): {exc}", harness_failed=True)
    if result.estimate.verdict is Verdict.BROKEN:
        return TaskGrade(task, PASSED, task.points, f"broken: {result.estimate.describe()}", result)
    return TaskGrade(task, FAILED, 0.0, _failure(result, task), result)


def grade_submission(assignment: Assignment, submission: Submission) -> SubmissionGrade:
    """Every task of `assignment` for `submission`, in this process (trials in the sandbox)."""
    with Engine(1) as engine:
        return SubmissionGrade(
            submission, tuple(grade_task(engine, assignment, submission, task) for task in assignment.tasks)
        )
