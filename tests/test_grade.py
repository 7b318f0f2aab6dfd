"""`mpgames grade` (docs/grading.md): the worked assignment end to end on its three sample
submissions (correct, wrong, cheating), grading that ignores what a student declares, every output
format, and bad input as one line with status 2."""

from __future__ import annotations

import csv
import json
import os
import shlex
import signal
import textwrap
from pathlib import Path

import pytest

from mpgames import cli
from mpgames.cli import grade as grade_cli
from mpgames.framework.engine import Engine
from mpgames.framework.errors import ChallengerBug
from mpgames.grading.assignment import load_assignment
from mpgames.suites.tomlcheck import FileError
from tests.test_interrupts import assert_clean, interrupt

DOCS = Path(__file__).resolve().parent.parent / "docs" / "grading"
ASSIGNMENT = DOCS / "assignment.toml"
SUBMISSIONS = DOCS / "submissions"
HOSTILE = Path(__file__).resolve().parent / "hostile"

# A quick assignment for the tests that are not about the worked example.
QUICK = """
title = "quick"
seed = "q"
max_trials = 40
time_limit = 5
[[task]]
name = "dlog"
class = "DiscreteLog"
game = "dl"
tier = "toy"
points = 4
min_advantage = 0.5
"""


def grade(capsys, *argv: object) -> tuple[int, str, str]:
    status = cli.main(["grade", *map(str, argv)])
    out, err = capsys.readouterr()
    return status, out, err


def quick(tmp_path: Path, text: str = QUICK) -> Path:
    path = tmp_path / "assignment.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_worked_assignment_grades_its_three_sample_submissions(capsys, tmp_path):
    out_dir = tmp_path / "grades"
    submissions = sorted(SUBMISSIONS.iterdir())
    status, out, err = grade(capsys, ASSIGNMENT, *submissions, "--out", out_dir, "--jobs", 2)
    assert status == 0, err
    rows = {row["student"]: row for row in csv.DictReader((out_dir / "grades.csv").read_text().splitlines())}
    assert {s: (r["dlog"], r["nonce-reuse"], r["total"]) for s, r in rows.items()} == {
        "alice": ("10", "20", "30"),
        "bob": ("0", "0", "0"),
        "mallory": ("0", "0", "0"),
    }
    document = json.loads((out_dir / "grades.json").read_text())
    assert document["complete"] is True and document["assignment"]["points"] == 30
    graded = {s["student"]: {t["task"]: t for t in s["tasks"]} for s in document["submissions"]}
    assert {t["status"] for t in graded["alice"].values()} == {"passed"}
    # Bob's wrong answers lose honestly; Mallory's cheats end every trial of hers as a fault.
    assert all(t["status"] == "failed" and not t["result"]["lost"] for t in graded["bob"].values())
    for task in graded["mallory"].values():
        result = task["result"]
        assert task["status"] == "failed" and result["lost_total"] == result["estimate"]["trials"]
        assert "trials lost" in task["reason"] and result["trust"] == "isolated"
    assert graded["mallory"]["nonce-reuse"]["result"]["lost"] == {"SystemExit": 148}
    # Every task ran against its own fresh secret coins.
    keys = [t["result"]["run_key"] for s in graded.values() for t in s.values()]
    assert len(set(keys)) == len(keys) and all(len(k) == 64 for k in keys)
    report = (out_dir / "reports" / "mallory.md").read_text()
    assert "Score: **0 / 30**" in report and "SystemExit 148" in report
    scope = json.loads((out_dir / "gradescope" / "alice" / "results.json").read_text())
    assert scope["score"] == 30 and [t["status"] for t in scope["tests"]] == ["passed", "passed"]
    assert "| alice     | 10 passed | 20 passed     | 30 / 30 |" in out


def test_what_a_student_declares_changes_nothing(capsys, tmp_path):
    """The same attack under a built-in's id, a null `expect` and another game as its target gets the
    same points;
    two folders of the same name are two students."""
    source = (SUBMISSIONS / "alice.py").read_text()
    disguised = source.replace('id = "alice.bsgs"', 'id = "dl.bsgs"').replace(
        'expect = "breaks:subgroup"', 'expect = "null"'
    )
    disguised = disguised.replace('targets = ("dl",)', 'targets = ("sig.euf-cma",)', 1)
    assert disguised != source
    for name, text in (("one", source), ("two", disguised)):
        (tmp_path / name / "alice").mkdir(parents=True)
        (tmp_path / name / "alice" / "attack.py").write_text(text)
    folders = (tmp_path / "one/alice", tmp_path / "two/alice")
    status, out, err = grade(capsys, quick(tmp_path), *folders, "--json")
    assert status == 0, err
    graded = json.loads(out)["submissions"]
    assert [(s["student"], s["score"]) for s in graded] == [("alice", 4), ("alice-2", 4)]
    assert {s["tasks"][0]["result"]["adversary"] for s in graded} == {"submission"}


def test_the_replay_command_of_a_graded_task_plays_its_trials_again(capsys, tmp_path):
    """grades.json gives each task's `mpgames replay` command: replayed, its trials add up to the
    graded run's wins; the same class replayed as a plain plugin (its own id) meets other coins."""
    status, out, err = grade(capsys, quick(tmp_path), SUBMISSIONS / "alice.py", "--json")
    assert status == 0, err
    task = json.loads(out)["submissions"][0]["tasks"][0]
    command = shlex.split(task["replay"])
    assert command[:3] == ["mpgames", "replay", "dl"] and "--submission" in command

    def replayed(trial: int, argv: list[str]) -> dict:
        argv = [*argv[1:], "--json"]
        argv[argv.index("--trial") + 1] = str(trial)
        assert cli.main(argv) == 0
        return json.loads(capsys.readouterr().out)["outcome"]

    outcomes = [replayed(i, command) for i in range(task["result"]["estimate"]["trials"])]
    assert sum(o["won"] for o in outcomes) == task["result"]["estimate"]["wins"]
    plain = [word for word in command if word != "--submission"]
    assert replayed(0, plain)["transcript"] != outcomes[0]["transcript"]


def test_a_submission_is_not_replayed_trusted(capsys):
    reference = f"{SUBMISSIONS / 'alice.py'}:DiscreteLog"
    status = cli.main(["replay", "dl", "--adversary", reference, "--trial", "0", "--submission", "--trusted"])
    err = capsys.readouterr().err
    assert status == 2 and "without --trusted" in err and err.count("\n") == 1, err


def test_a_folder_submission_imports_the_helper_modules_next_to_its_file(capsys, tmp_path):
    folder = tmp_path / "carol"
    folder.mkdir()
    (folder / "attack.py").write_text("from carol_solver import DiscreteLog\n")
    (folder / "carol_solver.py").write_text((SUBMISSIONS / "alice.py").read_text())
    status, out, err = grade(capsys, quick(tmp_path), folder, "--json")
    assert status == 0, err
    assert json.loads(out)["submissions"][0]["score"] == 4
    # The opposite: without its helper the file cannot be imported, and the task says so.
    alone = tmp_path / "dave"
    alone.mkdir()
    (alone / "attack.py").write_text("from dave_solver import DiscreteLog\n")
    status, out, err = grade(capsys, quick(tmp_path), alone, "--json")
    task = json.loads(out)["submissions"][0]["tasks"][0]
    assert (status, task["status"]) == (0, "error") and "ModuleNotFoundError" in task["reason"], task


def test_a_submission_that_cannot_be_played_scores_0_with_the_reason(capsys, tmp_path):
    (tmp_path / "nofile").mkdir()
    (tmp_path / "noclass.py").write_text("X = 1\n")
    (tmp_path / "raises.py").write_text("raise SystemExit(0)\n")
    (tmp_path / "nostage.py").write_text(
        "from mpgames.adversaries.base import Adversary\n\n\nclass DiscreteLog(Adversary):\n    pass\n"
    )
    names = ["nofile", "noclass.py", "raises.py", "nostage.py"]
    status, out, err = grade(capsys, quick(tmp_path), *(tmp_path / n for n in names), "--json")
    assert status == 0, err
    reasons = {s["student"]: s["tasks"][0] for s in json.loads(out)["submissions"]}
    assert all(t["status"] == "error" and t["points"] == 0 for t in reasons.values())
    assert "no file attack.py" in reasons["nofile"]["reason"]
    assert "defines no DiscreteLog" in reasons["noclass"]["reason"]
    assert "SystemExit" in reasons["raises"]["reason"]
    assert "has no method attack" in reasons["nostage"]["reason"]


def test_the_assignment_sets_the_memory_of_a_trials_process(capsys, tmp_path):
    """A submission that takes 600 MiB per trial fails a task that allows 256 MiB, every trial a
    MemoryError, and passes the same task that allows 2048 MiB."""
    source = (SUBMISSIONS / "alice.py").read_text()
    hog = source + textwrap.dedent(
        """
        HOARD = []


        class Hog(DiscreteLog):
            def attack(self, view, rng):
                HOARD.append(bytearray(600 << 20))
                return super().attack(view, rng)
        """
    )
    (tmp_path / "hog.py").write_text(hog)
    scores = {}
    for memory in (256, 2048):
        text = QUICK.replace('class = "DiscreteLog"', 'class = "Hog"').replace(
            "points = 4", f"points = 4\nmemory_mb = {memory}"
        )
        status, out, err = grade(capsys, quick(tmp_path, text), tmp_path / "hog.py", "--json")
        assert status == 0, err
        task = json.loads(out)["submissions"][0]["tasks"][0]
        scores[memory] = (task["points"], task["result"]["lost"])
    assert scores[256] == (0, {"MemoryError": 40}) and scores[2048] == (4, {})


def test_a_failure_of_the_harness_is_status_1_and_a_students_words_are_not(capsys, tmp_path, monkeypatch):
    (tmp_path / "claims.py").write_text('raise RuntimeError("the harness failed (report it)")\n')
    status, out, err = grade(capsys, quick(tmp_path), tmp_path / "claims.py", "--json")
    assert status == 0 and json.loads(out)["submissions"][0]["tasks"][0]["status"] == "error", err

    def broken(*args, **kwargs):
        raise ChallengerBug("a bug of the challenger")

    monkeypatch.setattr(Engine, "run", broken)
    status, out, err = grade(capsys, quick(tmp_path), SUBMISSIONS / "alice.py", "--jobs", 1, "--json")
    task = json.loads(out)["submissions"][0]["tasks"][0]
    assert status == 1 and task["reason"].startswith("the harness failed (report it)"), (status, task)


def test_gradescope_writes_one_submissions_results(capsys, tmp_path):
    target = tmp_path / "results" / "results.json"
    status, _, err = grade(capsys, quick(tmp_path), SUBMISSIONS / "bob", "--gradescope", target)
    assert status == 0, err
    scope = json.loads(target.read_text())
    assert scope["score"] == 0 and scope["tests"][0]["max_score"] == 4


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda t: t.replace("points = 4", "points = 0"), "points must be a positive number"),
        (lambda t: t.replace('game = "dl"', 'game = "nope"'), "unknown game"),
        (lambda t: t.replace("min_advantage = 0.5", "min_advantage = 1.5"), "strictly between 0 and 1"),
        (lambda t: t.replace('class = "DiscreteLog"', 'class = "not a name"'), "class must be"),
        (lambda t: t + t[t.index("[[task]]") :], "task name 'dlog' is used twice"),
        (lambda t: t.replace('seed = "q"', 'seed = "q"\ncolour = 1'), "unknown key 'colour'"),
        (lambda t: "title = [", "not valid TOML"),
        (lambda t: t.replace("points = 4", "points = 4\nmemory_mb = 16"), "memory_mb must be from 256"),
    ],
)
def test_a_bad_assignment_is_one_line_and_status_2(capsys, tmp_path, edit, message):
    status, out, err = grade(capsys, quick(tmp_path, edit(QUICK)), SUBMISSIONS / "alice.py")
    assert status == 2 and out == "" and message in err and len(err.splitlines()) == 1
    with pytest.raises(FileError):
        load_assignment(tmp_path / "assignment.toml")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["missing.toml", "x.py"], "no such assignment"),
        ([ASSIGNMENT, "notes.txt"], "not a .py file or a folder"),
        ([ASSIGNMENT, SUBMISSIONS / "alice.py", SUBMISSIONS / "bob", "--gradescope", "r"], "exactly one"),
    ],
)
def test_bad_grade_arguments_are_one_line_and_status_2(capsys, tmp_path, monkeypatch, argv, message):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "notes.txt").write_text("")
    status, _, err = grade(capsys, *argv)
    assert status == 2 and message in err and len(err.splitlines()) == 1


def test_an_unwritable_out_folder_is_status_2(capsys, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    status, _, err = grade(capsys, quick(tmp_path), SUBMISSIONS / "bob", "--out", blocker / "grades")
    assert status == 2 and "cannot write the grades" in err


def test_the_docs_assignment_is_the_one_the_guide_shows():
    text = (DOCS.parent / "grading.md").read_text()
    assert ASSIGNMENT.read_text().strip() in text


def test_sigterm_stops_the_grading_with_the_outputs_marked_incomplete(tmp_path):
    """The slow submissions are cut short: status 143, no worker or sandbox left, and the outputs
    written for what was graded, marked incomplete."""
    slow = QUICK.replace('class = "DiscreteLog"', 'class = "Slow"').replace(
        "max_trials = 40", "max_trials = 400"
    )
    argv = ["grade", str(quick(tmp_path, slow)), str(HOSTILE / "sleeping.py"), str(SUBMISSIONS / "bob")]
    status, out, err, workers = interrupt(
        tmp_path, [*argv, "--jobs", "2", "--out", str(tmp_path / "grades")], signal.SIGTERM, group=False
    )
    assert status == 143
    assert_clean(err, workers)
    assert "interrupted by SIGTERM" in err
    document = json.loads((tmp_path / "grades" / "grades.json").read_text())
    assert document["complete"] is False and document["interrupted"] == "SIGTERM"
    assert "sleeping" not in [s["student"] for s in document["submissions"]] and "sleeping" not in out


def _die(assignment: object, submission: object) -> None:
    os._exit(9)


def test_a_grading_worker_that_dies_is_one_line_and_status_2(capsys, monkeypatch, tmp_path):
    """Submissions run in sandboxes, so a worker only dies from outside (the OOM killer, here an
    `os._exit` in its place): the grader says so in one line instead of a traceback."""
    monkeypatch.setattr(grade_cli, "grade_submission", _die)
    status, _, err = grade(capsys, quick(tmp_path), SUBMISSIONS / "bob", SUBMISSIONS / "alice.py")
    assert status == 2 and "ended abruptly" in err and len(err.splitlines()) == 1


@pytest.mark.parametrize("option", ["--out", "--gradescope"])
def test_an_unwritable_output_is_refused_before_any_submission_is_graded(
    capsys, tmp_path, monkeypatch, option
):
    monkeypatch.setattr(
        grade_cli, "_grade_all", lambda *args: pytest.fail("graded before checking its outputs")
    )
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    target = blocker / ("grades" if option == "--out" else "results.json")
    argv = ["grade", str(ASSIGNMENT), str(SUBMISSIONS / "alice.py"), option, str(target)]
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert err == "mpgames grade: error: cannot write the grades: Not a directory\n", err
