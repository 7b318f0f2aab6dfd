"""Faults a student can fix (mpgames.framework.faults): a faulted trial reports its type, message and
the adversary's own frames, in traces, run records, the table, the JSON and `--traceback`; a run
whose every trial faulted is flagged, never shown as a plain verdict."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from mpgames import cli
from mpgames.adversaries.registry import resolve
from mpgames.framework import faults
from mpgames.framework.engine import make_spec, play_trial, run
from mpgames.framework.faults import MAX_FRAMES, Frame, adversary_frames, checked_frames, message_of
from mpgames.games.dl import DiscreteLog
from mpgames.measure.records import ALL_FAULTED, RunResult

PLUGIN = Path(__file__).parent / "plugins" / "faulty_attacks.py"


def _line(marker: str) -> int:
    """The line of the plugin file that carries `marker` (an independent count of where it raises)."""
    (number,) = [n for n, text in enumerate(PLUGIN.read_text().splitlines(), 1) if marker in text]
    return number


def _adversary(name: str, *, trusted: bool) -> type:
    return resolve(f"{PLUGIN}:{name}", "dl", trusted=trusted)


@pytest.mark.parametrize("trusted", [True, False], ids=["trusted", "isolated"])
def test_a_fault_names_the_adversarys_own_frames_innermost_last(trusted: bool) -> None:
    spec = make_spec(DiscreteLog, None, _adversary("RaisesInAHelper", trusted=trusted), "toy", seed="f")
    outcome = play_trial(spec, 0)
    report = outcome.fault
    assert outcome.error == "InvalidScalarError" and report is not None
    assert report.kind == "InvalidScalarError" and report.message == "my guess must be an integer in [0, q)"
    # Only the plugin's frames: the scheme's check_scalar, which raised, and the harness are left out.
    assert [(Path(f.file), f.line, f.function) for f in report.frames] == [
        (PLUGIN, _line("# calls the helper"), "attack"),
        (PLUGIN, _line("# raises here"), "_helper"),
    ]
    assert report.at == f"faulty_attacks.py:{_line('# raises here')} in _helper"
    assert report.traceback_lines()[-2].strip().startswith("return view.group.check_scalar(-1")


def test_the_trace_says_where_and_stays_the_same_on_any_machine() -> None:
    spec = make_spec(
        DiscreteLog, None, _adversary("RaisesInAHelper", trusted=True), "toy", seed="f", tracing=True
    )
    (fault,) = [entry for entry in play_trial(spec, 0).transcript if entry.step == "adversary fault"]
    data = dict(fault.data)
    assert data["at"] == repr(f"faulty_attacks.py:{_line('# raises here')} in _helper")  # no folder
    assert "must be an integer" in data["detail"]


def test_a_run_keeps_the_first_fault_of_each_type_and_flags_none_when_some_trials_played() -> None:
    adversary = _adversary("SometimesRaises", trusted=True)
    result = run(DiscreteLog, None, adversary, "toy", max_trials=60, seed="f")
    assert 0 < result.lost["ValueError"] < result.estimate.trials and not result.all_faulted
    report = result.faults["ValueError"]
    assert report["message"] == "no idea" and report["at"].endswith(f":{_line('# raises half')} in attack")
    spec = make_spec(DiscreteLog, None, adversary, "toy", seed="f")
    assert report["trial"] == next(i for i in range(60) if play_trial(spec, i).error == "ValueError")
    assert result.verdict == result.estimate.verdict.value  # a verdict like any other
    assert RunResult.from_dict(json.loads(json.dumps(result.as_dict()))).faults == result.faults


def test_a_run_whose_every_trial_faulted_is_flagged_and_not_judged(
    capsys: pytest.CaptureFixture[str],
) -> None:
    argv = ["run", "dl", "--adversary", f"{PLUGIN}:RaisesInAHelper", "--trusted", "--max-trials", "30"]
    assert cli.main([*argv, "--traceback"]) == 0
    out = capsys.readouterr().out
    row = next(line for line in out.splitlines() if "student.raises-in-a-helper" in line and "|" in line)
    verdict, expected = (cell.strip() for cell in row.split("|")[7:9])
    assert (verdict, expected) == (ALL_FAULTED, "bounded ✗ not judged")
    assert "every one of its 30 trials faulted" in out
    assert f'File "{PLUGIN}", line {_line("# raises here")}, in _helper' in out  # --traceback
    assert cli.main([*argv, "--json"]) == 0
    (record,) = json.loads(capsys.readouterr().out)["results"]
    assert record["all_faulted"] is True and record["expectation_met"] is None
    frames = record["faults"]["InvalidScalarError"]["frames"]
    assert [frame["line"] for frame in frames] == [_line("# calls the helper"), _line("# raises here")]


def test_a_check_entry_whose_every_trial_faulted_is_an_error_and_its_opposite_passes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def check(adversary: str) -> tuple[int, str]:
        suite = tmp_path / f"{adversary}.toml"
        suite.write_text(
            f'seed = "f"\nalpha = 0.01\n[[entry]]\ngame = "dl"\nadversary = "{PLUGIN}:{adversary}"\n'
            'tier = "toy"\nexpect = "bounded"\nmax_trials = 200\n'
            '[[entry]]\ngame = "dl"\nadversary = "dl.bsgs"\ntier = "toy"\nexpect = "broken"\n',
            encoding="utf-8",
        )
        status = cli.main(["check", str(suite), "--json"])
        return status, capsys.readouterr().out

    status, out = check("RaisesInAHelper")
    entry, _ = json.loads(out)["meta"]["entries"]
    assert status == 1 and entry["status"] == "error" and "faulted" in entry["error"]
    status, out = check("SometimesRaises")
    entry, _ = json.loads(out)["meta"]["entries"]
    assert status == 0 and entry["status"] == "passed"


def test_a_message_that_never_comes_is_cut_off_by_its_time_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the limit the run would hang in the adversary's `__str__`, outside any stage."""
    monkeypatch.setattr(faults, "MESSAGE_SECONDS", 0.05)
    start = time.perf_counter()
    result = run(
        DiscreteLog, None, _adversary("UnprintableFault", trusted=True), "toy", max_trials=5, seed="f"
    )
    assert time.perf_counter() - start < 5 and result.lost == {"_Stubborn": 5}
    assert result.faults["_Stubborn"]["message"] == "<the exception's message could not be read>"


def test_message_of_refuses_what_is_not_a_plain_string() -> None:
    class Sly(str):
        pass

    class Odd(Exception):
        def __str__(self) -> str:
            return Sly("text")

    class Loud(Exception):
        def __str__(self) -> str:
            raise RuntimeError("no")

    assert message_of(Odd()) == "<the exception's message is not a string>"
    assert message_of(Loud()) == "<the exception's message could not be read>"
    assert message_of(ValueError("x" * 10_000)) == "x" * (faults.MAX_MESSAGE - 1) + "…"


def test_deep_recursion_keeps_the_innermost_frames_only() -> None:
    def down(n: int) -> None:
        if n == 0:
            raise ValueError("bottom")
        down(n - 1)

    try:
        down(50)
    except ValueError as exc:
        frames = adversary_frames(exc)  # this test file is no part of the harness: its frames count
    assert len(frames) == MAX_FRAMES and all(frame.function == "down" for frame in frames)


@pytest.mark.parametrize(
    "sent",
    [
        [("f.py", 1, "attack")],  # a list, not the tuple the wire gives
        (("f.py", 1),),
        (("f.py", "1", "attack"),),
        (("f.py", -1, "attack"),),
        (("f.py", True, "attack"),),
        tuple(("f.py", 1, "attack") for _ in range(MAX_FRAMES + 1)),
    ],
)
def test_frames_an_isolated_process_sends_are_checked(sent: object) -> None:
    assert checked_frames(sent) is None
    assert checked_frames((("f.py", 3, "attack"),)) == (Frame("f.py", 3, "attack"),)
