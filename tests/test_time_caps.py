"""Runs cut short by time: an adversary whose trials keep timing out stops early as "timed out", an
entry at its wall-clock cap stops with its partial estimate, and past a suite's cap the remaining
entries do not run. Each with the opposite: an adversary that times out once, or not at all, and an
entry well within its cap, end as usual. Bad cap values are one line and exit status 2.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hostile import sleeping

from mpgames import cli
from mpgames.framework.engine import TIMEOUT_SAMPLE, Engine, timing_out
from mpgames.framework.errors import TIMEOUT_KIND
from mpgames.games.registry import get_game
from mpgames.measure.verdicts import Verdict

HERE = Path(__file__).resolve().parent
SLEEPING = HERE / "hostile" / "sleeping.py"
CALIBRATION = HERE / "suites" / "calibration.toml"
LIMIT = 0.1  # seconds per trial: the time limit of the sleeping adversaries, far above a BSGS trial
DL = get_game("dl")


def suite(tmp_path: Path, middle: str, *, top: str = "", middle_keys: str = "") -> Path:
    """A quick broken entry, an entry of `middle` (a class of tests/hostile/sleeping.py), expected
    bounded, and a quick bounded entry; `top` and `middle_keys` add keys to the file and that entry."""
    path = tmp_path / "caps.toml"
    path.write_text(
        f"""seed = "caps"
alpha = 0.01
time_limit = {LIMIT}
{top}

[[entry]]
game = "dl"
adversary = "dl.bsgs"
tier = "toy"
expect = "broken"

[[entry]]
game = "dl"
adversary = "{SLEEPING}:{middle}"
tier = "toy"
expect = "bounded"
{middle_keys}

[[entry]]
game = "dl"
adversary = "dl.random-guess"
tier = "toy"
expect = "bounded"
""",
        encoding="utf-8",
    )
    return path


def check(capsys, path: Path, *argv: object) -> tuple[int, dict, str]:
    """`mpgames check` with one job and --json: its status, JSON document and stderr."""
    status = cli.main(["check", str(path), "--jobs", "1", "--json", *map(str, argv)])
    out, err = capsys.readouterr()
    return status, json.loads(out), err


def statuses(document: dict) -> list[tuple[str, str | None]]:
    return [(entry["status"], entry["error"]) for entry in document["meta"]["entries"]]


# -- trials that keep timing out ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("timeouts", "trials", "stops"),
    [
        (4, 4, False),
        (5, 5, True),
        (3, 5, True),
        (2, 5, False),
        (5, 10, False),
        (6, 11, True),
        (1, 400, False),
    ],
)
def test_a_run_stops_once_more_than_half_of_at_least_five_trials_timed_out(timeouts, trials, stops):
    assert TIMEOUT_SAMPLE == 5
    assert timing_out(timeouts, trials) is stops


@pytest.mark.parametrize("jobs", [1, 2])
def test_an_adversary_that_always_times_out_stops_after_five_trials_whatever_the_jobs(jobs):
    with Engine(jobs) as engine:
        result = engine.run(
            DL, None, sleeping.SleepsPastTheLimit, "toy", max_trials=400, seed="t", time_limit=LIMIT
        )
    assert result.stopped == "timed out" and result.verdict == "timed out"
    assert result.estimate.trials == TIMEOUT_SAMPLE and dict(result.lost) == {TIMEOUT_KIND: TIMEOUT_SAMPLE}
    assert result.expectation_met is None  # never "bounded", though it never won


def test_an_adversary_that_times_out_once_plays_on_to_its_verdict(monkeypatch, tmp_path):
    monkeypatch.setenv("SLEEPING_ONCE", str(tmp_path / "slept"))
    with Engine(1) as engine:
        result = engine.run(
            DL, None, sleeping.SleepsInItsFirstTrial, "toy", max_trials=400, seed="t", time_limit=LIMIT
        )
    assert result.stopped is None and result.estimate.verdict is Verdict.BOUNDED
    assert dict(result.lost) == {TIMEOUT_KIND: 1} and result.expectation_met is True


def test_run_shows_timed_out_in_the_verdict_column_and_the_json(capsys):
    argv = ["run", "dl", "--adversary", f"{SLEEPING}:SleepsPastTheLimit", "--time-limit", str(LIMIT)]
    assert cli.main([*argv, "--jobs", "1"]) == 0
    row = next(line for line in capsys.readouterr().out.splitlines() if "sleeps-past" in line)
    assert "| timed out |" in row and "bounded ? undecided" in row and "Timeout 5" in row
    assert cli.main([*argv, "--jobs", "1", "--json"]) == 0
    (result,) = json.loads(capsys.readouterr().out)["results"]
    assert result["stopped"] == "timed out" and result["estimate"]["trials"] == TIMEOUT_SAMPLE


def test_check_fails_an_entry_that_timed_out_with_its_reason(capsys, tmp_path):
    junit = tmp_path / "junit.xml"
    status, document, err = check(capsys, suite(tmp_path, "SleepsPastTheLimit"), "--junit", junit)
    assert status == 1
    assert statuses(document)[1] == ("error", "timed out after 5 of 400 trials")
    assert [s for s, _ in statuses(document)] == ["passed", "error", "passed"]
    assert "1 cut short" in err and "expected bounded: timed out after 5 of 400 trials" in err
    (error,) = ET.parse(junit).getroot().findall(".//error")
    assert error.get("type") == "timed out"


def test_check_passes_an_adversary_that_times_out_once(capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("SLEEPING_ONCE", str(tmp_path / "slept"))
    status, document, err = check(capsys, suite(tmp_path, "SleepsInItsFirstTrial"))
    assert status == 0, err
    assert [s for s, _ in statuses(document)] == ["passed"] * 3
    assert document["results"][1]["lost"] == {TIMEOUT_KIND: 1}


# -- wall-clock caps ---------------------------------------------------------------------------------


def test_an_entry_at_its_cap_stops_with_its_partial_estimate(capsys, tmp_path):
    """The slow entry (8 s of trials) has 0.2 s; the others have their own generous cap."""
    path = suite(tmp_path, "Slow", top="entry_seconds = 60", middle_keys="seconds = 0.2")
    status, document, _ = check(capsys, path)
    assert status == 1
    assert [s for s, _ in statuses(document)] == ["passed", "error", "passed"]
    slow = document["results"][1]
    assert slow["stopped"] == "timed out" and 0 < slow["estimate"]["trials"] < 400
    assert statuses(document)[1][1] == f"timed out after {slow['estimate']['trials']} of 400 trials"
    assert [e["seconds"] for e in document["meta"]["entries"]] == [60, 0.2, 60]


def test_entry_seconds_on_the_command_line_overrides_the_file(capsys, tmp_path):
    path = suite(tmp_path, "Slow", top="entry_seconds = 60")
    status, document, _ = check(capsys, path, "--entry-seconds", 0.2)
    assert status == 1 and document["results"][1]["stopped"] == "timed out"
    assert document["meta"]["entry_seconds"] == 0.2


def test_past_the_suite_cap_the_remaining_entries_do_not_run(capsys, tmp_path):
    junit = tmp_path / "junit.xml"
    path = suite(tmp_path, "Slow", top="suite_seconds = 1")
    status, document, err = check(capsys, path, "--junit", junit)
    assert status == 1
    assert [s for s, _ in statuses(document)] == ["passed", "error", "error"]
    assert statuses(document)[2] == ("error", "suite time cap reached")
    assert document["results"][1]["stopped"] == "timed out" and len(document["results"]) == 2
    assert "suite time cap reached" in err
    assert len(ET.parse(junit).getroot().findall(".//error")) == 2


def test_a_suite_within_its_cap_passes(capsys):
    status, document, err = check(capsys, CALIBRATION, "--suite-seconds", 60, "--entry-seconds", 60)
    assert status == 0, err
    assert all(result["stopped"] is None for result in document["results"])


@pytest.mark.parametrize(
    ("top", "entry", "fragment"),
    [
        ("entry_seconds = 0", "", "entry_seconds must be a positive number, got 0"),
        ('suite_seconds = "soon"', "", "suite_seconds must be a positive number, got 'soon'"),
        ("", "seconds = -1", "entry 2 (dl): seconds must be a positive number, got -1"),
        ("", "seconds = true", "seconds must be a positive number, got True"),
    ],
)
def test_a_bad_cap_in_a_suite_is_one_line_and_status_2(capsys, tmp_path, top, entry, fragment):
    status = cli.main(["check", str(suite(tmp_path, "SleepsPastTheLimit", top=top, middle_keys=entry))])
    err = capsys.readouterr().err
    assert status == 2 and fragment in err and err.count("\n") == 1


@pytest.mark.parametrize("flag", ["--entry-seconds", "--suite-seconds"])
def test_a_bad_cap_on_the_command_line_is_one_line_and_status_2(capsys, flag):
    with pytest.raises(SystemExit) as exited:
        cli.main(["check", str(CALIBRATION), flag, "0"])
    err = capsys.readouterr().err
    assert exited.value.code == 2 and "is not a positive number of seconds" in err and err.count("\n") == 1
