"""SIGINT and SIGTERM stop `mpgames run`, `check` and `demo` cleanly (exit status 130 or 143, every
output written and marked incomplete, no worker left, no traceback), and the opposite: a command that
runs to its end says it is complete.

The commands run in a subprocess of their own session, signalled while `hostile.slow`
(tests/hostile/sleeping.py) is playing: to the whole process group, as a terminal sends Ctrl-C, or to
the command alone, as `kill` does. The workers they had just before the signal must be gone after it.
"""

from __future__ import annotations

import dataclasses
import json
import os
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest
from hostile import sleeping

from mpgames import cli
from mpgames.adversaries.registry import resolve
from mpgames.framework import executors as executors_module
from mpgames.framework.engine import Engine, run
from mpgames.framework.errors import Interrupted
from mpgames.games.registry import get_game
from mpgames.measure.verdicts import Verdict

HERE = Path(__file__).resolve().parent
SRC = HERE.parent / "src"
SLOW = f"{HERE / 'hostile' / 'sleeping.py'}:Slow"
CALIBRATION = HERE / "suites" / "calibration.toml"
# Trials of the slow adversary started before the signal: past the first chunks of both workers.
STARTED = 12
WAIT = 60  # seconds; a bound for a loaded machine, never reached when things work
DL = get_game("dl")
NULL = resolve("dl.random-guess", "dl")


def slow_suite(tmp_path: Path) -> Path:
    """A quick broken entry, the slow one (8 s of trials with one job) and a quick bounded one."""
    path = tmp_path / "slow.toml"
    path.write_text(
        f"""seed = "interrupts"
alpha = 0.01

[[entry]]
game = "dl"
adversary = "dl.bsgs"
tier = "toy"
expect = "broken"

[[entry]]
game = "dl"
adversary = "{SLOW}"
tier = "toy"
expect = "bounded"

[[entry]]
game = "dl"
adversary = "dl.random-guess"
tier = "toy"
expect = "bounded"
""",
        encoding="utf-8",
    )
    return path


def children(pid: int) -> set[int]:
    """The processes whose parent is `pid`, from /proc."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process ended while we looked
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def players(trials: Path) -> list[int]:
    """The process of each slow trial started so far (tests/hostile/sleeping.py)."""
    return [int(line) for line in trials.read_text().split()] if trials.exists() else []


def wait_until(ready: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT
    while not ready():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.01)


def interrupt(
    tmp_path: Path, argv: list[str], signum: int, *, group: bool, ready: str = "slow"
) -> tuple[int, str, str, set[int]]:
    """Run `mpgames argv`, signal it once it is under way, and return its status, stdout, stderr and
    the workers it had just before the signal. `ready`: "slow" waits for STARTED trials of the slow
    adversary, "workers" for its worker processes."""
    trials = tmp_path / "trials"
    env = {**os.environ, "PYTHONPATH": str(SRC), "SLEEPING_TRIALS": str(trials)}
    command = [sys.executable, "-m", "mpgames", *argv]
    with subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    ) as process:
        if ready == "slow":
            wait_until(lambda: len(players(trials)) >= STARTED, "the slow trials")
        else:
            wait_until(lambda: bool(children(process.pid)), "the worker processes")
            time.sleep(0.3)
        workers = children(process.pid)
        if group:
            os.killpg(process.pid, signum)
        else:
            process.send_signal(signum)
        out, err = process.communicate(timeout=WAIT)
    return process.returncode, out, err, workers


def assert_clean(err: str, workers: set[int]) -> None:
    assert "Traceback" not in err, err
    assert workers, "the command had no worker processes to end"
    assert not [pid for pid in workers if Path(f"/proc/{pid}").exists()], "a worker outlived the command"


def json_file(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


# -- signals -------------------------------------------------------------------------------------------


def test_ctrl_c_stops_a_check_and_writes_every_output_marked_incomplete(tmp_path):
    junit, folder = tmp_path / "junit.xml", tmp_path / "run"
    argv = ["check", str(slow_suite(tmp_path)), "--jobs", "2", "--json", "--junit", str(junit)]
    status, out, err, workers = interrupt(tmp_path, [*argv, "--out", str(folder)], signal.SIGINT, group=True)
    assert status == 130
    assert_clean(err, workers)
    document = json.loads(out)
    assert document["complete"] is False and document["interrupted"] == "SIGINT"
    assert [e["status"] for e in document["meta"]["entries"]] == ["passed", "error", "error"]
    assert document["meta"]["entries"][2]["error"] == "not run: interrupted by SIGINT"
    cut = document["results"][1]
    assert cut["stopped"] == "interrupted" and cut["expectation_met"] is None
    assert 0 < cut["estimate"]["trials"] < 400  # the trials it had completed, not a finished run
    assert "interrupted by SIGINT after 1 of 3 entries" in err

    root = ET.parse(junit).getroot()
    properties = {p.get("name"): p.get("value") for p in root.iter("property")}
    assert properties["complete"] == "false" and properties["interrupted"] == "SIGINT"
    errors = root.findall(".//error")
    assert [e.get("type") for e in errors] == ["interrupted", "error"]
    assert errors[1].get("message") == "not run: interrupted by SIGINT"

    for name in ("results.json", "manifest.json"):
        written = json_file(folder / name)
        assert written["complete"] is False and written["interrupted"] == "SIGINT"
    summary = (folder / "summary.md").read_text(encoding="utf-8")
    assert "(incomplete)" in summary and "interrupted by SIGINT after 1 of 3 entries" in summary


def test_sigterm_stops_a_run_with_its_partial_estimate_and_status_143(tmp_path):
    argv = ["run", "dl", "--adversary", SLOW, "--max-trials", "400", "--jobs", "2"]
    status, out, err, workers = interrupt(tmp_path, argv, signal.SIGTERM, group=False)
    assert status == 143
    assert_clean(err, workers)
    assert "interrupted by SIGTERM after 0 of 1 entries" in out
    row = next(line for line in out.splitlines() if "hostile.slow" in line)
    assert "| interrupted |" in row and "bounded ? undecided" in row


def test_sigterm_stops_the_demo_with_json_marked_incomplete(tmp_path):
    status, out, err, workers = interrupt(
        tmp_path, ["demo", "--jobs", "2", "--json"], signal.SIGTERM, group=False, ready="workers"
    )
    assert status == 143
    assert_clean(err, workers)
    document = json.loads(out)
    assert document["complete"] is False and document["interrupted"] == "SIGTERM"
    assert document["meta"]["entries"][-1]["error"] == "not run: interrupted by SIGTERM"


def test_a_check_that_runs_to_its_end_is_complete(capsys, tmp_path):
    folder = tmp_path / "run"
    status = cli.main(["check", str(CALIBRATION), "--jobs", "1", "--json", "--out", str(folder)])
    out, err = capsys.readouterr()
    assert status == 0, err
    assert json.loads(out)["complete"] is True and json.loads(out)["interrupted"] is None
    assert json_file(folder / "manifest.json")["complete"] is True
    assert "interrupted" not in (folder / "summary.md").read_text(encoding="utf-8")
    assert all(result["stopped"] is None for result in json.loads(out)["results"])


@pytest.mark.parametrize(
    ("raised", "name"), [(KeyboardInterrupt(), "SIGINT"), (Interrupted(signal.SIGTERM), "SIGTERM")]
)
def test_an_interruption_outside_any_run_is_one_line_and_the_signals_status(
    monkeypatch, capsys, raised, name
):
    def interrupted(args):
        raise raised

    monkeypatch.setitem(cli._COMMANDS, "list", interrupted)
    status = cli.main(["list"])
    assert (status, capsys.readouterr().err) == (
        128 + signal.Signals[name],
        f"mpgames list: interrupted by {name}\n",
    )


# -- the engine --------------------------------------------------------------------------------------


def test_an_interrupted_run_ends_its_workers_and_keeps_the_trials_it_completed():
    played: list[int] = []
    workers: set[int] = set()
    before = children(os.getpid())  # e.g. the adversary servers earlier tests started in this process

    def progress(trials: int) -> None:
        played.append(trials)
        if len(played) == 3:
            workers.update(children(os.getpid()) - before)
            raise KeyboardInterrupt

    with Engine(2) as engine, pytest.raises(Interrupted) as caught:
        engine.run(DL, None, sleeping.Slow, "toy", max_trials=400, seed="i", progress=progress)
    partial = caught.value.partial
    assert caught.value.name == "SIGINT" and caught.value.status == 130
    assert partial is not None and partial.stopped == "interrupted" and partial.expectation_met is None
    assert partial.estimate.trials == sum(played)
    assert workers and not workers & children(os.getpid())


def warmed_up(engine: Engine, trials: Path) -> set[int]:
    """Play slow trials on the engine's workers and return those that played: each has started, and so
    has run the pool's initializer."""
    engine.run(DL, None, sleeping.Slow, "toy", max_trials=25, seed="i")
    workers = set(players(trials))
    assert workers and os.getpid() not in workers
    return workers


def signal_mask(pid: int, field: str) -> set[int]:
    """The signals of a /proc/PID/status mask such as SigIgn (ignored) or SigCgt (caught)."""
    line = next(
        line for line in Path(f"/proc/{pid}/status").read_text().splitlines() if line.startswith(field)
    )
    mask = int(line.split()[1], 16)
    return {number for number in range(1, 65) if mask >> (number - 1) & 1}


def test_workers_leave_sigint_to_the_parent_and_the_run_goes_on(monkeypatch, tmp_path):
    """A terminal's Ctrl-C reaches the workers too: they ignore it, so this run ends as it would have
    (the parent, not sent the signal here, is the one to stop them)."""
    monkeypatch.setenv("SLEEPING_TRIALS", str(tmp_path / "trials"))

    def progress(trials: int) -> None:
        if not signalled:
            signalled.extend(workers)
            for pid in workers:
                os.kill(pid, signal.SIGINT)
            time.sleep(0.1)

    signalled: list[int] = []
    with Engine(2) as engine:
        workers = warmed_up(engine, tmp_path / "trials")
        result = engine.run(DL, None, NULL, "toy", max_trials=400, seed="i", progress=progress)
    assert signalled and result.stopped is None and result.estimate.verdict is Verdict.BOUNDED
    alone = run(DL, None, NULL, "toy", max_trials=400, seed="i")
    assert result == dataclasses.replace(alone, seconds=result.seconds)


def ended(pid: int) -> bool:
    """Whether process PID has exited (gone, or a zombie its parent has not reaped yet)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except FileNotFoundError:
        return True


@pytest.mark.parametrize("initializer", [True, False])
def test_workers_ignore_sigint_and_die_of_sigterm_by_their_initializer(monkeypatch, tmp_path, initializer):
    """Under `main`, which catches SIGTERM, the workers' dispositions come from the pool's initializer:
    SIGINT ignored, SIGTERM the end of the worker. Without it (the opposite) they would keep the
    parent's: SIGINT a KeyboardInterrupt in each worker (which can leave the pool waiting for a lost
    chunk forever), SIGTERM caught by a copied handler that lets the worker live on."""
    monkeypatch.setenv("SLEEPING_TRIALS", str(tmp_path / "trials"))
    if not initializer:
        monkeypatch.setattr(executors_module, "_worker_signals", lambda: None)
    previous = signal.signal(signal.SIGTERM, lambda signum, frame: None)
    # As under `main`, whatever the launcher left: a shell starts a background job with SIGINT ignored.
    previous_int = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with Engine(2) as engine:
            workers = warmed_up(engine, tmp_path / "trials")
            ignored = [signal.SIGINT in signal_mask(pid, "SigIgn") for pid in workers]
            for pid in workers:
                os.kill(pid, signal.SIGTERM)
            deadline = time.monotonic() + 5
            while not all(map(ended, workers)) and time.monotonic() < deadline:
                time.sleep(0.05)
            gone = [ended(pid) for pid in workers]
            if not initializer:
                for pid in workers:
                    os.kill(pid, signal.SIGKILL)
    finally:
        signal.signal(signal.SIGTERM, previous)
        signal.signal(signal.SIGINT, previous_int)
    assert ignored == [initializer] * len(workers)
    assert gone == [initializer] * len(workers)
