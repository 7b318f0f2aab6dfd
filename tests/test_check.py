"""`mpgames check` (harness §8): exit status, JUnit XML, JSON, run folder, determinism, calibration,
and mutation tests showing that a broken estimator or verdict rule makes the check fail.

The suites run here are tiny (tests/suites/*.toml, a second each on the toy tier); src/mpgames/suites/ci.toml
itself runs in .ci/run, not in pytest.
"""

from __future__ import annotations

import functools
import json
import xml.etree.ElementTree as ET
from contextlib import contextmanager
from pathlib import Path

import pytest

from mpgames import cli
from mpgames.cli import check as cli_check
from mpgames.cli.check import play_suite
from mpgames.framework import engine
from mpgames.framework.errors import ChallengerBug
from mpgames.games.registry import get_game
from mpgames.measure import confidence_sequence
from mpgames.measure.confidence_sequence import SequenceTest
from mpgames.measure.verdicts import Kind, Thresholds, Verdict
from mpgames.suites.files import load_suite

SUITES = Path(__file__).parent / "suites"
CALIBRATION = SUITES / "calibration.toml"
FAST = ["--jobs", "1"]


def _check(capsys: pytest.CaptureFixture[str], *argv: object) -> tuple[int, str, str]:
    status = cli.main(["check", *map(str, argv), *FAST])
    out, err = capsys.readouterr()
    return status, out, err


def _statuses(out: str) -> dict[int, str]:
    """Entry number -> status, from the --json output."""
    return {e["entry"]: e["status"] for e in json.loads(out)["meta"]["entries"]}


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "suite.toml"
    path.write_text(text, encoding="utf-8")
    return path


HEADER = 'name = "t"\nseed = "t"\nalpha = 0.01\n'
BROKEN = '[[entry]]\ngame = "dl"\nadversary = "dl.bsgs"\ntier = "toy"\nexpect = "broken"\n'


# -- the unmutated harness passes ------------------------------------------------------------------------


def test_calibration_suite_passes_strictly_with_json(capsys):
    status, out, err = _check(capsys, CALIBRATION, "--strict", "--json")
    assert status == 0, err
    document = json.loads(out)
    assert document["meta"]["passed"] is True and document["meta"]["calibration_shown"] is True
    assert set(_statuses(out).values()) == {"passed"}
    assert [r["estimate"]["verdict"] for r in document["results"]] == ["bounded", "broken", "bounded"]
    assert "3 passed, 0 failed, 0 inconclusive, 0 did not run" in err and "PASS" in err


def test_same_commit_same_verdicts(capsys):
    runs = []
    for _ in range(2):
        status, out, _ = _check(capsys, CALIBRATION, "--json")
        assert status == 0
        runs.append([{**r, "seconds": 0} for r in json.loads(out)["results"]])
    assert runs[0] == runs[1]


def test_junit_has_one_testcase_per_entry_and_the_run_folder_its_manifest(capsys, tmp_path):
    junit, folder = tmp_path / "reports" / "junit.xml", tmp_path / "run"
    status, _, err = _check(capsys, CALIBRATION, "--junit", junit, "--out", folder)
    assert status == 0, err
    root = ET.fromstring(junit.read_text(encoding="utf-8"))
    cases = root.findall("./testsuite/testcase")
    assert len(cases) == 4 and cases[-1].get("name") == "calibration"
    assert "dl.bsgs vs subgroup (toy) expect broken" in [c.get("name") for c in cases]
    assert not root.findall(".//failure") and not root.findall(".//error")
    assert root.find("./testsuite").get("failures") == "0"
    assert {p.name for p in folder.iterdir()} >= {"summary.md", "results.json", "manifest.json"}
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["seed"] == "calibration"
    # The revision is recorded whenever the tests run inside a git checkout (as CI's clone is).
    in_checkout = (Path(__file__).resolve().parent.parent / ".git").exists()
    assert (manifest["git_revision"] is not None) == in_checkout
    parameters = manifest["parameters"]
    assert parameters["alpha"] == 0.01 and parameters["correction"] == "holm"
    assert [e["status"] for e in parameters["entries"]] == ["passed"] * 3
    assert parameters["entries"][0]["level"] == pytest.approx(0.01 / 6)  # decided at the first level, α/(2m)


def test_an_output_that_cannot_be_written_is_refused_before_anything_plays(capsys, tmp_path, monkeypatch):
    def play(*args, **kwargs):
        raise AssertionError("the check played before it checked its outputs")

    monkeypatch.setattr(cli_check, "play_suite", play)
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    for argv, what in [
        (["--junit", blocker / "junit.xml"], f"JUnit report {blocker / 'junit.xml'}: Not a directory"),
        (["--junit", tmp_path], f"JUnit report {tmp_path}: Is a directory"),
        (["--junit", tmp_path / "new" / "junit.xml", "--out", blocker / "run"], "run folder"),
        (["--save-wins", blocker / "wins"], "vectors folder"),
    ]:
        status, out, err = _check(capsys, CALIBRATION, *argv)
        assert (status, out) == (2, "") and err.count("\n") == 1
        assert f"mpgames check: error: cannot write the {what}" in err
    # What the checks created to try the outputs (the folder new/, a file in it) is gone again.
    assert [path.name for path in tmp_path.iterdir()] == ["file"]


def test_check_uses_the_progress_bar_once_per_entry():
    calls: list[tuple[int, str]] = []
    advanced: list[int] = []

    @contextmanager
    def progress(total: int, label: str):
        calls.append((total, label))
        yield advanced.append

    suite = load_suite(CALIBRATION)
    runs, interruption = play_suite(suite, jobs=1, progress=progress)
    assert interruption is None
    assert [total for total, _ in calls] == [entry.max_trials for entry in suite.entries]
    assert calls[1][1] == "dl subgroup dl.bsgs toy"
    assert sum(advanced) == sum(run.result.estimate.trials for run in runs)


# -- how a check fails -----------------------------------------------------------------------------------


def test_inconclusive_is_reported_and_fails_only_when_strict(capsys, tmp_path):
    null = '[[entry]]\ngame = "dl"\nadversary = "dl.random-guess"\nexpect = "bounded"\n'
    # 25 trials cannot bound a null adversary below 0.05: the standard-tier entry stays inconclusive.
    enough, short = null + 'tier = "toy"\n', null + 'tier = "standard"\nmax_trials = 25\n'
    suite = _write(tmp_path, HEADER + BROKEN + enough + short)
    junit = tmp_path / "junit.xml"
    status, out, err = _check(capsys, suite, "--json", "--junit", junit)
    assert status == 0, err
    assert sorted(_statuses(out).values()) == ["inconclusive", "passed", "passed"]
    assert ET.parse(junit).getroot().find("./testsuite").get("skipped") == "1"
    status, _, err = _check(capsys, suite, "--strict", "--junit", junit)
    assert status == 1 and "inconclusive: entry 3" in err
    failure = ET.parse(junit).getroot().find(".//failure")
    assert failure is not None and failure.get("type") == "inconclusive"


def test_an_entry_that_does_not_run_fails_the_check_and_the_others_still_run(capsys, monkeypatch, tmp_path):
    def bug(self, ctx, adversary):
        raise ChallengerBug("the challenger forgot its key")

    monkeypatch.setattr(get_game("mp.ul"), "experiment", bug)
    junit = tmp_path / "junit.xml"
    status, out, err = _check(capsys, CALIBRATION, "--json", "--junit", junit)
    assert status == 1
    assert _statuses(out) == {1: "passed", 2: "passed", 3: "error"}
    assert "entry 3 (mp.ul micropay3 mp.ul-random-guess toy) did not run: ChallengerBug" in err
    error = ET.parse(junit).getroot().find(".//error")
    assert error is not None and "the challenger forgot its key" in error.get("message")
    assert "Traceback" in error.text


def test_a_malformed_suite_is_one_line_and_status_2(capsys, tmp_path):
    suite = _write(tmp_path, HEADER + BROKEN)
    status, out, err = _check(capsys, suite)
    assert status == 2 and out == ""
    assert err.count("\n") == 1 and "no entry expects 'bounded'" in err


# -- mutation tests: a broken estimator or verdict rule fails the check ----------------------------------


_init = SequenceTest.__init__
_verdict = SequenceTest.verdict


def _swapped_ends(test: SequenceTest, kind: Kind, n_choices: int | None, thresholds: Thresholds) -> Verdict:
    """Compares the wrong end of the interval with each threshold (its upper end with ε1)."""
    ends = SequenceTest.upper_below, SequenceTest.lower_above
    SequenceTest.upper_below, SequenceTest.lower_above = ends[1], ends[0]  # type: ignore[method-assign]
    try:
        return _verdict(test, kind, n_choices, thresholds)
    finally:
        SequenceTest.upper_below, SequenceTest.lower_above = ends  # type: ignore[method-assign]


def _swapped_labels(test: SequenceTest, kind: Kind, n_choices: int | None, thresholds: Thresholds) -> Verdict:
    swap = {Verdict.BROKEN: Verdict.BOUNDED, Verdict.BOUNDED: Verdict.BROKEN}
    verdict = _verdict(test, kind, n_choices, thresholds)
    return swap.get(verdict, verdict)


def _never_decides(test: SequenceTest, kind: Kind, n_choices: int | None, thresholds: Thresholds) -> Verdict:
    return Verdict.INCONCLUSIVE


def _three_times_as_sure(test: SequenceTest, wins: int, trials: int, base: float, alpha: float) -> None:
    """Asks the mixture to reach (1/α)³ before it excludes a value: intervals far too wide."""
    _init(test, wins, trials, base, alpha**3)


def _losses_for_wins(test: SequenceTest, wins: int, trials: int, base: float, alpha: float) -> None:
    _init(test, trials - wins, trials, base, alpha)


def _no_baseline(kind: Kind, n_choices: int | None) -> float:
    """Forgets the 1/n baseline of guess-1-of-n: Adv = Pr[win] for every kind but hidden-bit."""
    return 0.5 if kind is Kind.HIDDEN_BIT else 0.0


# Entries of tests/suites/calibration.toml: 1 dl.random-guess (bounded, tight), 2 dl.bsgs (broken),
# 3 mp.ul-random-guess (bounded, guess-1-of-3). Without mutation the check passes, also with --strict
# (test_calibration_suite_passes_strictly_with_json).
MUTANTS = {
    # verdict rule
    "verdict: interval ends swapped": (SequenceTest, "verdict", _swapped_ends, [], {1: "failed"}),
    "verdict: labels swapped": (SequenceTest, "verdict", _swapped_labels, [], {2: "failed"}),
    "verdict: never decides": (SequenceTest, "verdict", _never_decides, [], {2: "inconclusive"}),
    # estimator
    "estimator: interval far too wide": (
        SequenceTest,
        "__init__",
        _three_times_as_sure,
        ["--strict"],
        {1: "inconclusive"},
    ),
    "estimator: losses counted as wins": (
        SequenceTest,
        "__init__",
        _losses_for_wins,
        [],
        {1: "failed", 2: "failed"},
    ),
    "estimator: guess-1-of-n without its baseline": (
        confidence_sequence,
        "baseline",
        _no_baseline,
        [],
        {3: "failed"},
    ),
}


@pytest.mark.parametrize("name", MUTANTS)
def test_mutated_estimator_or_verdict_fails_the_check(capsys, monkeypatch, tmp_path, name):
    owner, function, mutant, options, expected = MUTANTS[name]
    monkeypatch.setattr(owner, function, mutant)
    junit = tmp_path / "junit.xml"
    status, out, err = _check(capsys, CALIBRATION, *options, "--json", "--junit", junit)
    assert status == 1, f"mutant {name!r} survived the check"
    assert _statuses(out).items() >= expected.items()
    assert "FAIL" in err
    failures = ET.parse(junit).getroot().findall(".//failure")
    assert failures and int(ET.parse(junit).getroot().get("failures")) == len(failures)
    if name == "verdict: never decides":
        assert [f.get("type") for f in failures] == ["calibration"]


def test_a_suite_names_a_plugin_by_a_path_relative_to_itself(capsys, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # the path is read from the suite's folder, not the working directory
    status, out, err = _check(capsys, SUITES / "plugin.toml", "--json")
    assert status == 0, err
    assert [r["adversary"] for r in json.loads(out)["results"]] == ["test.constant-guess", "dl.bsgs"]


def test_the_reference_solutions_of_the_exercises_pass(capsys):
    status, _, err = _check(capsys, Path(__file__).parent.parent / "docs" / "exercises.toml")
    assert status == 0, err
    assert "14 passed, 0 failed, 0 inconclusive, 0 did not run" in err


def test_a_reference_attack_that_stops_working_fails_the_check(capsys, monkeypatch, tmp_path):
    """The same check that passes above fails once baby-step giant-step is crippled (its step budget cut
    to one step, so it falls back to a random guess): entry 2 expects broken and comes out bounded."""
    from mpgames.adversaries import dl

    monkeypatch.setattr(dl, "budgeted_log", functools.partial(dl.budgeted_log, max_steps=1))
    junit = tmp_path / "junit.xml"
    status, out, err = _check(capsys, CALIBRATION, "--json", "--junit", junit)
    assert status == 1
    assert _statuses(out)[2] == "failed"
    assert "FAIL" in err
    assert int(ET.parse(junit).getroot().get("failures")) >= 1


# -- the attack search of a suite ([fuzz]) ------------------------------------------------------------


def _fuzz_suite(tmp_path: Path) -> Path:
    table = '\n[fuzz]\ngames = ["ring.anon"]\nbudget = 40\nseed = "f"\n'
    return _write(tmp_path, CALIBRATION.read_text(encoding="utf-8") + table)


def test_a_fuzz_win_fails_the_check_and_none_passes_it(capsys, monkeypatch, tmp_path):
    """The mutant of tests/test_fuzz.py (a fault scored as a loss) is found by the suite's [fuzz]
    search: the check fails, JUnit has the failing search; the sound engine passes the same suite."""
    suite, junit = _fuzz_suite(tmp_path), tmp_path / "junit.xml"
    status, out, err = _check(capsys, suite, "--json")
    assert status == 0, err
    assert "fuzz ring.anon (aos, toy): 40 plans, no win" in err and "1 games, 40 plans, 0 win(s)" in err
    assert json.loads(out)["meta"]["fuzz"][0]["finding"] is None
    monkeypatch.setattr(engine, "score_fault", lambda game, ctx: False)
    status, _, err = _check(capsys, suite, "--junit", junit)
    assert status == 1 and "WIN" in err and "FAIL" in err, err
    cases = ET.parse(junit).getroot().iter("testcase")
    failing = [case.get("classname") for case in cases if case.find("failure") is not None]
    assert failing == ["calibration.ring.anon"]


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ("[fuzz]\nbudget = 0\n", "budget must be a positive integer"),
        ('[fuzz]\nbudget = 5\ngames = ["nope"]\n', "unknown game"),
        ('[fuzz]\nbudget = 5\ntier = "huge"\n', "no tier 'huge'"),
        ("[fuzz]\nbudget = 5\nrounds = 2\n", "unknown key 'rounds'"),
        ('[fuzz]\ngames = ["dl"]\n', "budget"),
    ],
)
def test_a_malformed_fuzz_table_is_one_line_and_status_2(capsys, tmp_path, table, message):
    suite = _write(tmp_path, CALIBRATION.read_text(encoding="utf-8") + "\n" + table)
    status, _, err = _check(capsys, suite)
    assert status == 2 and message in err and err.count("\n") == 1, err


# -- what the command line overrides ---------------------------------------------------------------------


def test_check_selects_entries_and_overrides_seed_trials_and_time_limit(capsys):
    status, out, err = _check(
        capsys, CALIBRATION, "--json", "--entry", "1", "--entry", "2", "--seed", "other",
        "--max-trials", "300", "--time-limit", "2.5",
    )  # fmt: skip
    assert status == 0, err
    document = json.loads(out)
    meta = document["meta"]
    assert [e["entry"] for e in meta["entries"]] == [1, 2]
    assert meta["seed"] == "other" and meta["time_limit"] == 2.5
    assert [e["max_trials"] for e in meta["entries"]] == [200, 300]  # lowered to 300, never raised
    # α is split over the two entries kept: each is played at α/(2·2).
    assert {e["level"] for e in meta["entries"]} == {meta["alpha"] / 4}
    whole = json.loads(_check(capsys, CALIBRATION, "--json")[1])["meta"]
    assert whole["seed"] != "other" and len(whole["entries"]) == 3
    assert {e["level"] for e in whole["entries"]} == {whole["alpha"] / 6}


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--entry", "9"], "there is no entry 9: the file has entries 1 to 3"),
        (["--entry", "1"], "no entry chosen expects 'broken'"),
        (["--game", "ch.cr"], "no entry plays ch.cr"),
        (["--seed", ""], "a seed must not be empty"),
        (["--max-trials", "0"], "--max-trials"),
    ],
)
def test_check_overrides_are_checked(capsys, argv, message):
    try:
        status = cli.main(["check", str(CALIBRATION), *argv])
    except SystemExit as exited:  # argparse's own refusal
        status = exited.code
    err = capsys.readouterr().err
    assert status == 2 and message in err and len(err.strip().splitlines()) == 1, err
