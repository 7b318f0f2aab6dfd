"""The notebook API (mpgames.notebook): `mpgames.run`, `mpgames.check` and `mpgames.explain` return
objects that display inline (HTML, Markdown, text), and docs/notebook.ipynb runs with the outputs it
shows."""

from __future__ import annotations

import html
import json
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

import mpgames
from mpgames.adversaries.base import Adversary
from mpgames.framework.errors import UsageError
from mpgames.games.dl import DlAdversary, DlView
from mpgames.measure.verdicts import Verdict
from mpgames.notebook import interval_svg
from mpgames.scheme.randomness import RandomSource

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "docs" / "notebook.ipynb"
CALIBRATION = Path(__file__).parent / "suites" / "calibration.toml"


class AnswersOne(Adversary, DlAdversary):
    id = "test.answers-one"
    label = "always x' = 1"
    targets = ("dl",)
    expect = "null"

    def attack(self, view: DlView, rng: RandomSource) -> int:
        return 1


class Shouts(Adversary, DlAdversary):
    id = "test.shouts"
    label = "raises with markup in its message"
    targets = ("dl",)
    expect = "null"

    def attack(self, view: DlView, rng: RandomSource) -> int:
        raise ValueError("<script>alert(1)</script>")


def test_run_returns_the_results_and_shows_table_interval_and_trace() -> None:
    report = mpgames.run("dl", "dl.bsgs")
    (result,) = report.results
    assert result.estimate.verdict is Verdict.BROKEN
    page = report._repr_html_()
    assert "<table>" in page and "dl.bsgs" in page and "<svg" in page
    assert "<details><summary>trial 0 of dl.bsgs (won)" in page and "judge: predicate=" in page
    assert "| dl     | subgroup  | dl.bsgs" in report._repr_markdown_()
    assert "broken" in repr(report)


def test_run_plays_every_adversary_of_the_game_or_a_class_of_the_notebook() -> None:
    assert {r.adversary for r in mpgames.run("dl").results} == {"dl.random-guess", "dl.bsgs"}
    (result,) = mpgames.run("dl", AnswersOne, max_trials=200).results
    assert result.trust == "trusted" and result.estimate.wins == 0
    (fixed,) = mpgames.run("dl", AnswersOne, fixed=30).results
    assert fixed.estimate.trials == 30 and fixed.estimate.method == "exact"


def test_the_trace_shows_every_value_in_full_beneath_its_summary() -> None:
    (result,) = (report := mpgames.run("dl", "dl.bsgs", tier="standard", max_trials=3)).results
    page = report._repr_html_()
    summary = page.split("<pre>")[1]
    h_line = next(line for line in summary.splitlines() if "challenge:" in line)
    assert "-bit)" in h_line and "…" in h_line  # the summary cuts a 2048-bit element...
    full = page.split("every value in full (JSON)</summary><pre>")[1].split("</pre>")[0]
    challenge = next(step for step in json.loads(html.unescape(full)) if step["step"] == "challenge")
    h = int(challenge["data"]["h"]["int"])
    assert h.bit_length() > 2000 and str(h) not in summary  # ...which the JSON beneath keeps whole
    assert f"{h:x}"[:8] in h_line
    assert result.estimate.trials == 3


def test_what_the_adversary_wrote_is_escaped() -> None:
    page = mpgames.run("dl", Shouts, max_trials=20)._repr_html_()
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "ValueError" in page and "test_notebook.py" in page  # the fault's frames, in the trace


def test_the_interval_is_drawn_against_its_thresholds() -> None:
    (broken,) = mpgames.run("dl", "dl.bsgs").results
    svg = interval_svg(broken)
    rect_x = float(svg.split('<rect x="')[1].split('"')[0])
    eps1_x = float(svg.split("<line ")[2].split('x1="')[1].split('"')[0])
    assert rect_x > eps1_x  # the interval starts right of ε1: broken


def test_check_and_explain() -> None:
    checked = mpgames.check(CALIBRATION)
    assert checked.passed and set(checked.statuses().values()) == {"passed"}
    assert "PASS" in checked._repr_html_() and "3 passed" in repr(checked)
    explanation = mpgames.explain("dl")
    assert "DL: discrete logarithm" in explanation.text and "<pre>" in explanation._repr_html_()


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: mpgames.run("no-such-game"), "unknown game"),
        (lambda: mpgames.run("dl", 42), "adversary must be an id"),  # type: ignore[arg-type]
        (lambda: mpgames.run("ch.cr", AnswersOne), "does not target ch.cr"),
        (lambda: mpgames.run("dl", eps0=2.0), "eps0"),
    ],
)
def test_bad_input_is_a_usage_error(call, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        call()


def _text_outputs(notebook: nbformat.NotebookNode) -> list[list[str]]:
    """Each code cell's text outputs: printed text and the text/plain of displayed values."""
    cells = []
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        texts = []
        for output in cell.get("outputs", []):
            if output.output_type == "stream":
                texts.append(output.text)
            elif output.output_type in ("execute_result", "display_data"):
                texts.append(output.data.get("text/plain", ""))
            elif output.output_type == "error":
                texts.append(f"{output.ename}: {output.evalue}")
        cells.append(texts)
    return cells


def test_the_tutorial_notebook_runs_and_shows_what_it_says() -> None:
    saved = nbformat.read(NOTEBOOK, as_version=4)
    executed = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(
        executed, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}
    ).execute()
    errors = [o for cell in executed.cells for o in cell.get("outputs", []) if o.output_type == "error"]
    assert not errors, json.dumps(errors, default=str)[:2000]
    assert _text_outputs(executed) == _text_outputs(saved)
