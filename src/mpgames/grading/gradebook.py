"""What `mpgames grade` writes (docs/grading.md): the gradebook as a table, CSV and JSON, a Markdown
report per student, and Gradescope's autograder `results.json` per student.

Every output is built from the `SubmissionGrade` records alone; `write_outputs` puts them in one
folder:

    grades.csv                  one row per student: a column per task, the total and the maximum
    grades.json                 the assignment, and every task's grade with its run's record and
                                the `mpgames replay` command that plays its trials again
    reports/STUDENT.md          the student's report: each task's status, points and why
    gradescope/STUDENT/results.json   Gradescope's format (score, tests with status and output)
"""

from __future__ import annotations

import csv
import io
import shlex
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from mpgames.grading.assignment import Assignment, Task
from mpgames.grading.grader import PASSED, Submission, SubmissionGrade, TaskGrade
from mpgames.measure.records import Interruption, RunResult
from mpgames.reports.output import write_atomically
from mpgames.reports.render import completion, json_text
from mpgames.reports.tables import table_text

SCHEMA_VERSION = 1


def _points(value: float) -> str:
    return f"{value:g}"


def table(assignment: Assignment, grades: Sequence[SubmissionGrade], *, ascii: bool = False) -> str:
    """The gradebook as a text table: a row per student, a column per task; with `ascii`, laid out
    from ASCII cells (mpgames.reports.tables)."""
    headers = ["student", *(task.name for task in assignment.tasks), "total"]
    rows = [
        [
            grade.submission.student,
            *(f"{_points(t.points)} {t.status}" for t in grade.tasks),
            f"{_points(grade.score)} / {_points(assignment.points)}",
        ]
        for grade in grades
    ]
    return table_text(rows, headers, ascii=ascii, tablefmt="github")


def gradebook_csv(assignment: Assignment, grades: Sequence[SubmissionGrade]) -> str:
    """One row per student: the points of each task, the total and the maximum."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["student", *(task.name for task in assignment.tasks), "total", "max"])
    for grade in grades:
        writer.writerow(
            [
                grade.submission.student,
                *(_points(t.points) for t in grade.tasks),
                _points(grade.score),
                _points(assignment.points),
            ]
        )
    return out.getvalue()


def _task_record(submission: Submission, grade: TaskGrade) -> dict[str, Any]:
    return {
        "task": grade.task.name,
        "status": grade.status,
        "points": grade.points,
        "max_points": grade.task.points,
        "reason": grade.reason,
        "result": None if grade.result is None else grade.result.as_dict(),
        "replay": None if grade.result is None else replay_command(submission, grade.task, grade.result),
    }


def replay_command(submission: Submission, task: Task, result: RunResult) -> str:
    """The command that plays trial 0 of a graded run again, with its transcript (any trial: change
    --trial): the grader's stand-in of the class, the assignment's seed and the run's key."""
    words = [
        "mpgames", "replay", task.game.id, "--variant", task.variant, "--tier", task.tier,
        "--group", result.group, "--seed", result.seed, "--time-limit", repr(task.time_limit),
        "--run-key", str(result.run_key), "--adversary", f"{submission.file}:{task.class_name}",
        "--submission", "--trial", "0", "--trace",
    ]  # fmt: skip
    return shlex.join(words)


def to_json(
    assignment: Assignment, grades: Sequence[SubmissionGrade], interruption: Interruption | None = None
) -> str:
    """The assignment and every grade, as indented JSON."""
    document = {
        "schema_version": SCHEMA_VERSION,
        **completion(interruption),
        "assignment": {
            "title": assignment.title,
            "file": assignment.source,
            "seed": assignment.seed,
            "points": assignment.points,
            "tasks": [task.record() for task in assignment.tasks],
        },
        "submissions": [
            {
                "student": grade.submission.student,
                "file": str(grade.submission.file),
                "score": grade.score,
                "max_score": assignment.points,
                "tasks": [_task_record(grade.submission, t) for t in grade.tasks],
            }
            for grade in grades
        ],
    }
    return json_text(document, "the grades")


def student_report(assignment: Assignment, grade: SubmissionGrade) -> str:
    """The student's Markdown report."""
    rows = [
        [
            t.task.name,
            f"{t.task.game.id} / {t.task.variant} / {t.task.tier}",
            t.status,
            f"{_points(t.points)} / {_points(t.task.points)}",
            t.reason,
        ]
        for t in grade.tasks
    ]
    tasks = table_text(rows, ["task", "game / variant / tier", "status", "points", "why"], tablefmt="github")
    return (
        f"# {assignment.title}: {grade.submission.student}\n\n"
        f"Score: **{_points(grade.score)} / {_points(assignment.points)}** "
        f"(file `{grade.submission.file.name}`)\n\n{tasks}\n\n"
        "Each task ran isolated, against secret challenger coins; a task passes when its run shows "
        "Adv > the task's min_advantage at the stated confidence.\n"
    )


def gradescope(assignment: Assignment, grade: SubmissionGrade) -> str:
    """Gradescope's autograder results.json of one submission."""
    document = {
        "score": grade.score,
        "output": f"{assignment.title}: {_points(grade.score)} / {_points(assignment.points)}",
        "tests": [
            {
                "name": t.task.name,
                "score": t.points,
                "max_score": t.task.points,
                "status": "passed" if t.status == PASSED else "failed",
                "output": t.reason,
            }
            for t in grade.tasks
        ],
    }
    return json_text(document, "the Gradescope results")


def write_outputs(
    folder: Path,
    assignment: Assignment,
    grades: Sequence[SubmissionGrade],
    interruption: Interruption | None = None,
) -> None:
    """Every output file in `folder` (module notes), each written atomically; OSError if it cannot be
    written."""
    (folder / "reports").mkdir(parents=True, exist_ok=True)
    write_atomically(folder / "grades.csv", gradebook_csv(assignment, grades))
    write_atomically(folder / "grades.json", to_json(assignment, grades, interruption))
    for grade in grades:
        student = grade.submission.student
        write_atomically(folder / "reports" / f"{student}.md", student_report(assignment, grade))
        scope = folder / "gradescope" / student
        scope.mkdir(parents=True, exist_ok=True)
        write_atomically(scope / "results.json", gradescope(assignment, grade))
