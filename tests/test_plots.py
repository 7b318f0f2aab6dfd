"""Plots (harness §9): `--plots` of run and demo, `mpgames plot-wall`, and the plotting module."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from mpgames import cli
from mpgames.adversaries.dl import STEP_BUDGET, RandomLogGuess
from mpgames.cli import plot as cli_plot
from mpgames.framework.engine import Engine, TrialLog, make_spec, play_trial
from mpgames.games.dl import DiscreteLog
from mpgames.reports import plots

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
FAST = ["--jobs", "1"]


def _main(capsys, *argv: str) -> tuple[int, str, str]:
    status = cli.main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def _is_png(path: Path) -> bool:
    return path.read_bytes()[:8] == PNG_SIGNATURE and path.stat().st_size > 10_000


@pytest.fixture
def no_matplotlib(monkeypatch):
    """An environment without the plots extra: importing matplotlib fails."""
    for name in [m for m in sys.modules if m == "matplotlib" or m.startswith("matplotlib.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "matplotlib", None)


# -- bad input: one line, exit 2, before any trial --------------------------------------------------


def test_missing_extra_is_one_line_and_exit_2(capsys, tmp_path, no_matplotlib):
    with pytest.raises(plots.PlotsUnavailable, match=r"pip install 'mpgames\[plots\]'"):
        plots.require_matplotlib()
    status, out, err = _main(capsys, "run", "dl", "--out", str(tmp_path / "run"), "--plots", *FAST)
    assert status == 2
    assert err == "mpgames run: error: install the plots extra: pip install 'mpgames[plots]'\n"
    assert out == ""
    assert not (tmp_path / "run").exists()  # refused before any trial ran
    status, _, err = _main(capsys, "plot-wall", "--out", str(tmp_path / "wall"))
    assert status == 2 and "mpgames[plots]" in err


def test_plots_need_a_run_folder(capsys):
    status, out, err = _main(capsys, "run", "dl", "--plots", *FAST)
    assert status == 2
    assert "pass --out DIR" in err and out == ""


@pytest.mark.parametrize("bits", [["--min-bits", "12", "--max-bits", "10"], ["--max-bits", "60"]])
def test_plot_wall_refuses_bad_sizes(capsys, tmp_path, bits):
    status, _, err = _main(capsys, "plot-wall", "--out", str(tmp_path), *bits)
    assert status == 2 and "--max-bits" in err


# -- the running estimate ---------------------------------------------------------------------------


def test_running_estimate_ends_at_the_runs_own_interval():
    log = TrialLog()  # what `run --plots` logs of each run: every trial's win, in index order
    with Engine(jobs=2) as engine:
        result = engine.run(
            DiscreteLog, None, RandomLogGuess, "toy", max_trials=400, seed="p", on_outcome=log
        )
    spec = make_spec(DiscreteLog, None, RandomLogGuess, "toy", seed="p")
    won = [play_trial(spec, i).won for i in range(result.estimate.trials)]
    assert log.won == won  # the same trials as a replay of the run would give
    path = plots.running_estimate(result, won)
    # The points are the checkpoints the engine dealt by and its last trial, with the run's estimate.
    assert [n for n, _, _ in path.looks] == [25, 50, 100, 148]
    assert path.looks[-1][1:] == (result.estimate.interval.lower, result.estimate.interval.upper)
    assert len(path.advantages) == 148 and path.advantages[-1] == result.estimate.advantage
    with pytest.raises(ValueError, match="do not match"):
        plots.running_estimate(result, [*won[:-1], True])


# -- the wall ---------------------------------------------------------------------------------------


def test_predicted_success_is_one_inside_the_budget_and_b2_over_4q_beyond():
    assert cli_plot.predicted_success(1019, STEP_BUDGET) == 1.0
    q = 2**40 + 15
    assert cli_plot.predicted_success(q, STEP_BUDGET) == pytest.approx(STEP_BUDGET**2 / 4 / q, rel=1e-3)


def test_the_budget_wins_small_groups_and_hits_the_wall_on_large_ones():
    small, large = cli_plot.measure_wall(range(12, 27, 14), 20, "wall")[::3]
    assert small.q.bit_length() == 12 and small.wins == small.trials == 20
    assert large.q.bit_length() == 26 and large.wins <= 6  # predicted ≈ 0.06


# -- files written ----------------------------------------------------------------------------------


def test_run_writes_advantage_and_running_plots(capsys, tmp_path):
    pytest.importorskip("matplotlib")
    folder = tmp_path / "run"
    status, _, err = _main(capsys, "run", "dl", "--out", str(folder), "--plots", *FAST)
    assert status == 0
    assert _is_png(folder / "advantage.png") and _is_png(folder / "running.png")
    assert "running.png" in err


def test_demo_writes_the_advantage_plot(capsys, tmp_path):
    pytest.importorskip("matplotlib")
    argv = ["demo", "--game", "dl", "--max-trials", "25", "--out", str(tmp_path), "--plots", *FAST]
    status, _, _ = _main(capsys, *argv)
    assert status in (0, 1)  # 25 trials leave the null adversaries undecided
    assert _is_png(tmp_path / "advantage.png") and not (tmp_path / "running.png").exists()


def test_plot_wall_writes_png_and_data(capsys, tmp_path):
    pytest.importorskip("matplotlib")
    argv = ["plot-wall", "--out", str(tmp_path), "--min-bits", "8", "--max-bits", "12", "--trials", "5"]
    status, out, _ = _main(capsys, *argv)
    assert status == 0 and "sig.bsgs-forgery" in out
    record = json.loads((tmp_path / "wall.json").read_text())
    assert record["steps"] == STEP_BUDGET
    assert {(p["game"], p["wins"]) for p in record["points"]} == {("dl", 5), ("ch.cr", 5), ("sig.euf-cma", 5)}
    assert _is_png(tmp_path / "wall.png")


def test_plot_functions_refuse_nothing_to_plot(tmp_path):
    with pytest.raises(ValueError, match="nothing to plot"):
        plots.advantage_plot(tmp_path / "a.png", [])
    with pytest.raises(ValueError, match="nothing to plot"):
        plots.wall_plot(tmp_path / "w.png", [], STEP_BUDGET, 0.05)


def test_plot_wall_refuses_an_unwritable_folder_before_measuring(capsys, tmp_path, monkeypatch):
    pytest.importorskip("matplotlib")
    monkeypatch.setattr(
        cli_plot, "measure_wall", lambda *args: pytest.fail("measured before checking its folder")
    )
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    status, _, err = _main(capsys, "plot-wall", "--out", str(blocker / "wall"))
    assert (
        status == 2 and err.startswith("mpgames plot-wall: error: cannot write to") and err.count("\n") == 1
    )
