"""The distribution (pyproject.toml): one top-level name, `mpgames`, with its data, its version in one
place, and no clash with a user's own `games/`, `reports/` or `scheme/` packages."""

from __future__ import annotations

import csv
import importlib.metadata
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

import mpgames

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A wheel built from this checkout, as `pip install .` would build it."""
    out = tmp_path_factory.mktemp("wheel")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            str(ROOT),
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    (built,) = out.glob("mpgames-*.whl")
    return built


def record(wheel: Path) -> list[str]:
    with zipfile.ZipFile(wheel) as archive:
        (name,) = (n for n in archive.namelist() if n.endswith(".dist-info/RECORD"))
        rows = archive.read(name).decode("utf-8").splitlines()
    return [row[0] for row in csv.reader(rows)]


def top_level_names(paths: list[str]) -> set[str]:
    return {path.split("/")[0] for path in paths if not path.split("/")[0].endswith(".dist-info")}


@pytest.mark.slow
def test_the_wheel_installs_exactly_one_top_level_name_with_its_data(wheel: Path) -> None:
    paths = record(wheel)
    assert top_level_names(paths) == {"mpgames"}
    for data in ("mpgames/py.typed", "mpgames/suites/default.toml", "mpgames/suites/ci.toml"):
        assert data in paths


def test_the_record_check_sees_a_second_top_level_name() -> None:
    """The opposite verdict: a RECORD with a stray `games/` package fails the same check."""
    assert top_level_names(["mpgames/__init__.py", "games/__init__.py", "x-1.dist-info/RECORD"]) != {
        "mpgames"
    }


def test_the_version_is_one_value() -> None:
    assert importlib.metadata.version("mpgames") == mpgames.__version__
    done = subprocess.run(
        [sys.executable, "-m", "mpgames", "--version"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert (done.returncode, done.stdout.strip()) == (0, f"mpgames {mpgames.__version__}")


@pytest.mark.slow
def test_a_project_with_its_own_games_and_reports_packages_runs_the_plugin(tmp_path: Path) -> None:
    """A user's project whose packages are called games/, reports/ and scheme/ keeps working with
    mpgames installed beside it: its own modules import, and the plugin's fixture plays a game."""
    for package in ("games", "reports", "scheme"):
        (tmp_path / package).mkdir()
        (tmp_path / package / "__init__.py").write_text(f'OWNER = "the project\'s own {package}"\n')
    (tmp_path / "games" / "pytest_plugin.py").write_text("")
    (tmp_path / "test_own.py").write_text(
        textwrap.dedent(
            """
            import games
            import reports
            import scheme


            def test_own_packages():
                assert games.OWNER == "the project's own games"
                assert reports.OWNER == "the project's own reports"
                assert scheme.OWNER == "the project's own scheme"


            def test_the_plugin_plays(mpgames_run):
                result = mpgames_run("sig.euf-cma", "sig.nonce-reuse", variant="schnorr-nonce-reuse")
                assert result.estimate.verdict.value == "broken"
            """
        )
    )
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_own.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "2 passed" in done.stdout
