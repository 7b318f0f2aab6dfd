"""An adversary that exits the process (tests/hostile/exiting.py) loses its trials or voids the run
with status 2; it never ends `mpgames check` with its own status. The opposite verdicts: without the
trial's guard the exit escapes the engine, and without the command's guard it would end the check
with status 0 and no JUnit report."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

import pytest

from mpgames import cli
from mpgames.framework import errors
from mpgames.framework.errors import TrialTimeout

EXITING = Path(__file__).resolve().parent / "hostile" / "exiting.py"


def suite(tmp_path: Path, adversary: str) -> Path:
    """The exiting adversary, which claims to break the nonce-reusing signer, and the entry of a null
    adversary that every suite needs (a suite must be able to pass and fail)."""
    path = tmp_path / "exits.toml"
    path.write_text(
        f"""seed = "exits"
alpha = 0.01

[[entry]]
game = "sig.euf-cma"
variant = "schnorr-nonce-reuse"
adversary = "{EXITING}:{adversary}"
tier = "toy"
expect = "broken"
max_trials = 25

[[entry]]
game = "dl"
adversary = "dl.random-guess"
tier = "toy"
expect = "bounded"
""",
        encoding="utf-8",
    )
    return path


def check(tmp_path: Path, adversary: str) -> tuple[int, Path]:
    junit = tmp_path / "junit.xml"
    argv = ["check", str(suite(tmp_path, adversary)), "--strict", "--jobs", "1", "--junit", str(junit)]
    status = cli.main(argv)
    return status, junit


@pytest.mark.parametrize("adversary", ["ExitInStage", "ExitInConstructor", "ExitInMetaclass"])
def test_an_exit_in_the_adversarys_code_loses_its_trials(tmp_path: Path, adversary: str) -> None:
    status, junit = check(tmp_path, adversary)
    assert status == 1  # the claimed break did not happen: the check fails, it does not pass
    report = junit.read_text(encoding="utf-8")
    assert '<failure message="expected broken, got inconclusive: Adv &lt; 0.20 at 99% (n=25)"' in report


def test_an_exit_outside_a_stage_voids_the_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, _ = check(tmp_path, "ExitOnLookup")
    assert status == 2
    assert "called sys.exit(0); the run is void" in capsys.readouterr().err


def test_an_exit_at_import_voids_the_run(tmp_path: Path) -> None:
    """In a fresh process, where the adversary's file is imported for the first time."""
    done = subprocess.run(
        [sys.executable, "-m", "mpgames", "check", str(suite(tmp_path, "ExitInStage")), "--jobs", "1"],
        env={**os.environ, "EXIT_AT_IMPORT": "1"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 2, done.stdout + done.stderr
    assert "called sys.exit(0); the run is void" in done.stderr


def test_without_the_trials_guard_the_exit_escapes_the_engine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(errors, "ADVERSARY_ERRORS", (Exception, TrialTimeout))
    status, junit = check(tmp_path, "ExitInStage")
    assert status == 2 and not junit.exists()
    assert "called sys.exit(0)" in capsys.readouterr().err


def test_without_the_commands_guard_the_check_would_end_with_status_0(tmp_path: Path) -> None:
    """The command itself, called without `main`'s guard: the adversary's `sys.exit(0)` ends it."""
    args = argparse.Namespace(
        command="check", suite=suite(tmp_path, "ExitOnLookup"), strict=True, junit=tmp_path / "junit.xml",
        jobs=1, json=False, out=None, save_wins=None,
    )  # fmt: skip
    with pytest.raises(SystemExit) as exited:
        cli._COMMANDS["check"](args)
    assert exited.value.code == 0 and not (tmp_path / "junit.xml").exists()


def test_a_worker_that_dies_voids_the_run_with_one_line(tmp_path: Path) -> None:
    """`os._exit(0)` in a worker process: `run` fails with status 2 and one line, no traceback."""
    done = subprocess.run(
        [sys.executable, "-m", "mpgames", "run", "sig.euf-cma", "--variant", "schnorr-nonce-reuse",
         "--adversary", f"{EXITING}:HardExit", "--max-trials", "25", "--jobs", "2"],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 2, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    assert "a worker process ended abruptly while playing hostile.hard-exit" in done.stderr


def test_a_worker_that_dies_fails_its_entry_and_the_others_still_run(tmp_path: Path) -> None:
    junit = tmp_path / "junit.xml"
    argv = ["check", str(suite(tmp_path, "HardExit")), "--jobs", "2", "--junit", str(junit)]
    assert cli.main(argv) == 1
    report = junit.read_text(encoding="utf-8")
    assert "WorkerDied" in report  # the entry is reported as not run …
    assert "bounded: Adv &lt;" in report  # … and the next entry ran on fresh workers
