"""An adversary that exits the process (tests/hostile/exiting.py) loses its trials or voids the run
with status 2; it never ends `mpgames check` with its own status.

A file adversary runs isolated by default: every exit (sys.exit in a stage, in its constructor, in
its metaclass, on an attribute lookup; os._exit) is a fault of the trial, and the check goes on to
the next entry. Trusted (`--trusted`, in the challenger's process) the exits that happen outside a
stage void the run with one line and status 2. The opposite verdicts: without the trial's guard the
exit escapes the engine, and without the command's guard it would end the command with status 0."""

from __future__ import annotations

import os
import re
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


ALL_EXITS = ["ExitInStage", "ExitInConstructor", "ExitInMetaclass", "ExitOnLookup", "HardExit"]


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize("adversary", ALL_EXITS)
def test_an_isolated_exit_loses_its_trials_and_the_check_fails(
    tmp_path: Path, adversary: str, jobs: str
) -> None:
    junit = tmp_path / "junit.xml"
    argv = ["check", str(suite(tmp_path, adversary)), "--strict", "--jobs", jobs, "--junit", str(junit)]
    assert cli.main(argv) == 1  # the claimed break did not happen: the check fails, it does not pass
    report = junit.read_text(encoding="utf-8")
    # Every trial exited: the entry is an error, never a verdict (docs/suites.md).
    faulted = r'<error message="every one of its 25 trials faulted \((SystemExit|SandboxError) 25'
    assert re.search(faulted, report), report
    assert "bounded: Adv &lt;" in report  # the other entry ran and passed


def test_an_exit_at_import_is_one_line_and_status_2(tmp_path: Path) -> None:
    """The adversary's process exits while it loads the file: nothing can be played."""
    done = subprocess.run(
        [sys.executable, "-m", "mpgames", "check", str(suite(tmp_path, "ExitInStage")), "--jobs", "1"],
        env={**os.environ, "EXIT_AT_IMPORT": "1"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 2, done.stdout + done.stderr
    assert "Traceback" not in done.stderr and len(done.stderr.splitlines()) == 1
    assert f"plugin {EXITING}: importing it raised SystemExit: 0" in done.stderr


def run_trusted(adversary: str, jobs: str = "1") -> list[str]:
    return [
        "run", "sig.euf-cma", "--variant", "schnorr-nonce-reuse", "--adversary", f"{EXITING}:{adversary}",
        "--max-trials", "25", "--jobs", jobs, "--trusted",
    ]  # fmt: skip


@pytest.mark.parametrize("adversary", ["ExitInStage", "ExitInConstructor", "ExitInMetaclass"])
def test_a_trusted_exit_in_the_adversarys_code_loses_its_trials(
    adversary: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main([*run_trusted(adversary), "--json"]) == 0
    assert '"SystemExit": 25' in capsys.readouterr().out


def test_a_trusted_exit_outside_a_stage_voids_the_run(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(run_trusted("ExitOnLookup")) == 2
    assert "called sys.exit(0); the run is void" in capsys.readouterr().err


def test_without_the_trials_guard_the_exit_escapes_the_engine(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(errors, "ADVERSARY_ERRORS", (Exception, TrialTimeout))
    assert cli.main(run_trusted("ExitInStage")) == 2
    assert "called sys.exit(0)" in capsys.readouterr().err


def test_without_the_commands_guard_the_run_would_end_with_status_0() -> None:
    """The command itself, called without `main`'s guard: the adversary's `sys.exit(0)` ends it."""
    args = cli._build_parser().parse_args(run_trusted("ExitOnLookup"))
    with pytest.raises(SystemExit) as exited:
        cli._COMMANDS["run"](args)
    assert exited.value.code == 0


def test_a_trusted_worker_that_dies_voids_the_run_with_one_line() -> None:
    """`os._exit(0)` in a worker process: `run` fails with status 2 and one line, no traceback."""
    done = subprocess.run(
        [sys.executable, "-m", "mpgames", *run_trusted("HardExit", jobs="2")],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 2, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    assert "a worker process ended abruptly while playing hostile.hard-exit" in done.stderr
