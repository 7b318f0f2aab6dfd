"""`mpgames grade ASSIGNMENT SUBMISSION...` (docs/grading.md): grade submissions for a course.

    mpgames grade ASSIGNMENT SUBMISSION... [--out DIR] [--json] [--jobs N] [--gradescope FILE]

Each submission is graded in a process of its own (`--jobs` of them at once), every task played
isolated against fresh secret coins (mpgames.grading.grader). The gradebook table goes to stdout
(or, with `--json`, its JSON); `--out` writes every output (mpgames.grading.gradebook), and
`--gradescope FILE` the Gradescope results.json of a single submission. A line on stderr follows
each graded submission. Exit status 0 once every submission is graded, whatever the scores; 1 if the
harness failed on a task (the report says which); 2 for bad input; 130 or 143 when a signal stopped
the grading, with the outputs written for the submissions graded and marked incomplete.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import Future, as_completed
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from mpgames.cli.terminal import needs_ascii
from mpgames.framework.engine import default_jobs
from mpgames.framework.errors import Interrupted, UsageError
from mpgames.framework.executors import end_pool, worker_pool
from mpgames.grading import gradebook
from mpgames.grading.assignment import Assignment, load_assignment
from mpgames.grading.grader import Submission, SubmissionGrade, find_submissions, grade_submission
from mpgames.measure.records import Interruption
from mpgames.reports.output import check_writable, write_atomically


def add_command(commands: argparse._SubParsersAction, positive_int: Callable[[str], int]) -> None:
    grade = commands.add_parser("grade", help="grade students' adversaries against an assignment")
    grade.add_argument("assignment", type=Path, help="assignment file (TOML, see docs/grading.md)")
    grade.add_argument("submissions", type=Path, nargs="+", help="a student's .py file, or folder")
    grade.add_argument("--out", type=Path, help="write grades.csv, grades.json, reports/, gradescope/ here")
    grade.add_argument("--json", action="store_true", help="print the grades as JSON")
    grade.add_argument(
        "--jobs",
        type=positive_int,
        help="submissions graded at once (default: all cores, at most the CPU quota)",
    )
    grade.add_argument("--gradescope", type=Path, help="write one submission's Gradescope results.json")


def _grade_all(
    assignment: Assignment, submissions: Sequence[Submission], jobs: int
) -> tuple[list[SubmissionGrade], Interruption | None]:
    """The grades in submission order, stopping at a signal with those completed."""
    done: dict[int, SubmissionGrade] = {}

    def finished(index: int, grade: SubmissionGrade) -> None:
        done[index] = grade
        print(
            f"graded {grade.submission.student}: {grade.score:g} / {assignment.points:g} "
            f"({len(done)} of {len(submissions)})",
            file=sys.stderr,
        )

    try:
        if jobs == 1:
            for index, submission in enumerate(submissions):
                finished(index, grade_submission(assignment, submission))
        else:
            pool = worker_pool(jobs)
            try:
                futures: dict[Future[SubmissionGrade], int] = {
                    pool.submit(grade_submission, assignment, s): i for i, s in enumerate(submissions)
                }
                for future in as_completed(futures):
                    finished(futures[future], future.result())
            except BrokenProcessPool:
                raise UsageError(
                    "a grading worker process ended abruptly (out of memory?); grade with --jobs 1"
                ) from None
            finally:
                end_pool(pool)
    except KeyboardInterrupt as exc:
        stop = Interrupted.of(exc)
        ordered = [done[i] for i in sorted(done)]
        return ordered, Interruption(stop.name, len(done), len(submissions))
    return [done[i] for i in range(len(submissions))], None


def _check_outputs(folder: Path | None, gradescope: Path | None) -> None:
    """Before any submission is graded: a `UsageError` for an output that could not be written."""
    try:
        if folder is not None:
            check_writable(folder, folder=True)
        if gradescope is not None:
            check_writable(gradescope)
    except OSError as exc:
        raise UsageError(f"cannot write the grades: {exc.strerror or exc}") from None


def grade(args: argparse.Namespace) -> int:
    assignment = load_assignment(args.assignment)
    submissions = find_submissions(args.submissions, assignment.file)
    if args.gradescope is not None and len(submissions) != 1:
        raise UsageError("--gradescope writes the results of one submission; name exactly one")
    _check_outputs(args.out, args.gradescope)
    jobs = min(args.jobs or default_jobs(), len(submissions))
    grades, interruption = _grade_all(assignment, submissions, jobs)
    try:
        if args.out is not None:
            gradebook.write_outputs(args.out, assignment, grades, interruption)
            print(f"wrote {args.out}", file=sys.stderr)
        if args.gradescope is not None and grades:
            args.gradescope.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(args.gradescope, gradebook.gradescope(assignment, grades[0]))
    except OSError as exc:
        raise UsageError(f"cannot write the grades: {exc.strerror or exc}") from None
    if args.json:
        print(gradebook.to_json(assignment, grades, interruption), end="")
    else:
        print(gradebook.table(assignment, grades, ascii=needs_ascii()))
    if interruption is not None:
        print(f"mpgames grade: {interruption.describe()}", file=sys.stderr)
        return interruption.status
    return 1 if any(grade.harness_failed for grade in grades) else 0
