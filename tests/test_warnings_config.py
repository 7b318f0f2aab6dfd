"""The project's pytest configuration turns warnings into errors, except the unraisable report of a
TrialTimeout that the time limit raised inside a garbage-collector callback or a `__del__`
(pyproject.toml, framework/timelimit.py). Checked on a probe file run with that configuration."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

PROBE = textwrap.dedent(
    """
    import gc

    from mpgames.framework.errors import TrialTimeout


    class LateAlarm:
        def __del__(self):
            raise TrialTimeout("the adversary exceeded the per-trial time limit")


    class OtherFailure:
        def __del__(self):
            raise ValueError("not a timeout")


    def test_a_late_alarm_is_not_an_error():
        LateAlarm()
        gc.collect()


    def test_any_other_unraisable_exception_is_an_error():
        OtherFailure()
        gc.collect()
    """
)


def test_only_a_late_alarm_is_exempt_from_warnings_as_errors(tmp_path: Path) -> None:
    (tmp_path / "test_probe.py").write_text(PROBE, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-c", str(ROOT / "pyproject.toml"), "-p", "no:cacheprovider",
         "--rootdir", str(tmp_path), str(tmp_path / "test_probe.py")],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 1, done.stdout + done.stderr
    assert "1 failed, 1 passed" in done.stdout
    assert "FAILED" in done.stdout and "test_any_other_unraisable_exception_is_an_error" in done.stdout
