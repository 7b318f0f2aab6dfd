"""`mpgames explain GAME --latex`: pseudocode read off the experiment, and LaTeX that compiles and fits
in an article and in a beamer `[fragile]` frame (harness §3; mpgames.teaching.pseudocode, .slides).

The compile test needs pdfLaTeX with beamer (Debian: texlive-latex-base, texlive-latex-recommended,
texlive-pictures; `.ci/run` installs them). Without it the test is skipped, unless
MPGAMES_REQUIRE_TEX=1 (set by `.ci/run`), where a missing engine is a failure.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from mpgames import cli
from mpgames.games.dl import DiscreteLog
from mpgames.games.registry import all_games, get_game
from mpgames.teaching import pseudocode, slides
from mpgames.teaching.pseudocode import Line

GAMES = all_games()
# Words of the harness and of Python that must never reach the pseudocode's statements.
_PYTHON = re.compile(
    r"\b(ctx|self|adversary|rng|trace|expect_query|play|judge|oracle|lambda|def|None|True|False)\b"
)


# -- the translation ----------------------------------------------------------------------------------


def test_dl_reads_as_the_paper_writes_it():
    # Written by hand from the seed paper's notation (x ←$ …, A(…), return P(…)), not from the output.
    sample, gets = r"\mathrel{\gets\!{\scriptstyle\$}}", r"\gets"
    expected = [
        Line(0, "Draw the secret exponent and publish h = g^x.", is_step=True),
        Line(0, rf"x {sample} \mathcal{{G}}.\mathsf{{random\_secret}}()"),
        Line(0, rf"h {gets} \mathcal{{G}}.\mathsf{{gexp}}(x)"),
        Line(0, "The adversary sees the group and h, and answers with x'.", is_step=True),
        Line(0, rf"\mathit{{guess}} {gets} \mathcal{{A}}(\mathcal{{G}},\allowbreak h)"),
        Line(0, "It wins iff g^x' = h.", is_step=True),
        Line(
            0, r"\mathbf{return}\ \mathsf{found\_log}(\mathcal{G},\allowbreak h,\allowbreak \mathit{guess})"
        ),
    ]
    code = pseudocode.experiment(DiscreteLog)
    assert list(code.lines) == expected
    assert [p.name for p in code.predicates] == [r"\mathsf{found\_log}"]
    assert code.predicates[0].description.startswith("Win: x' is a scalar in Z_q")


@pytest.mark.parametrize("game", GAMES, ids=lambda g: g.id)
def test_every_game_renders_without_python(game):
    code = pseudocode.experiment(game)
    statements = [line.text for line in code.lines if not line.is_step]
    assert statements and code.predicates
    leaks = [text for text in statements if _PYTHON.search(text)]
    assert leaks == [], f"{game.id}: Python in the pseudocode: {leaks}"
    assert statements[-1].startswith(r"\mathbf{return}")
    # Every stage is played once, with the oracles its view declares.
    for stage in game.boundary().values():
        played = [text for text in statements if r"\mathcal{A}" in text]
        assert any(all(pseudocode.oracle(o) in text for o in stage.oracles()) for text in played), stage
    for part in slides.PARTS:
        tex = slides.latex(game, part)
        assert tex.isascii(), (
            f"{game.id}: non-ASCII in the LaTeX: {sorted({c for c in tex if not c.isascii()})}"
        )
        assert tex.count("{") - tex.count(r"\{") == tex.count("}") - tex.count(r"\}")


def test_harness_calls_are_left_out_and_the_game_s_own_calls_kept():
    # dl's experiment calls ctx.trace (left out: the KAT above has no line for it); mc.type1's calls
    # ledger.mint, an effect on the game, which is kept, and wraps a local function as an oracle.
    lines = [line.text for line in pseudocode.experiment(get_game("mc.type1")).lines]
    assert r"\mathit{ledger}.\mathsf{mint}(\mathit{pk},\allowbreak \mathit{FUNDS})" in lines
    assert r"\mathbf{Oracle}\ \mathcal{O}_{\mathsf{commit}}(\mathit{tx}):" in lines
    # Budgets come from the declarations, each stated once.
    assert sum(r"q_{\mathsf{pay}} = 32" in line for line in lines) == 1


def test_names_follow_one_rule():
    assert pseudocode.name("x") == "x"
    assert pseudocode.name("i0") == "i_{0}"
    assert pseudocode.name("l_star") == "l^*"
    assert pseudocode.name("assert_") == r"\mathit{assert}"
    assert pseudocode.name("_pk") == r"\_"
    assert pseudocode.name("secret_keys") == r"\mathit{secret\_keys}"


class _Looping(DiscreteLog):
    """A dl variant with a construct the pseudocode has no rendering for (not registered)."""

    def experiment(self, ctx, adversary):  # type: ignore[no-untyped-def]
        while ctx.rng.randbelow(2):
            pass
        return False


def test_an_unsupported_construct_is_named():
    with pytest.raises(
        pseudocode.PseudocodeError, match=r"game dl: experiment line \d+: no pseudocode for While"
    ):
        pseudocode.experiment(_Looping)


def test_latex_text_escapes_and_writes_the_notation():
    assert slides.latex_text(r"50% of a_b & {c} $d# ~e^ \f") == (
        r"50\% of a\_b \& \{c\} \$d\# \textasciitilde{}e\textasciicircum{} \textbackslash{}f"
    )
    assert slides.latex_text("σ* ≠ ⊥, x ← y, T̂, Ť") == (
        r"\ensuremath{\sigma}* \ensuremath{\neq} \ensuremath{\bot}, x \ensuremath{\leftarrow} y, \^{T}, \v{T}"
    )


def test_an_exponent_after_a_caret_is_a_superscript_and_a_lone_caret_a_caret():
    assert slides.latex_text("h = g^x, g^x' = h") == r"h = g\textsuperscript{x}, g\textsuperscript{x'} = h"
    assert slides.latex_text("2^(κ−1)") == r"2\textsuperscript{(\ensuremath{\kappa}\ensuremath{-}1)}"
    assert slides.latex_text("A^{O_cert}(R)") == r"A\textsuperscript{O\_cert}(R)"
    assert slides.latex_text("e^ and f^") == r"e\textasciicircum{} and f\textasciicircum{}"


# -- the command --------------------------------------------------------------------------------------


def test_the_parts(capsys):
    assert cli.main(["explain", "dl", "--latex", "--box-only"]) == 0
    box = capsys.readouterr().out
    assert r"\fbox" in box and r"\mpgamesentry{Given:}" in box and "Experiment" not in box
    assert cli.main(["explain", "dl", "--latex", "--experiment-only"]) == 0
    experiment = capsys.readouterr().out
    assert r"\fbox" not in experiment and r"\textbf{Experiment}" in experiment
    assert cli.main(["explain", "dl", "--latex"]) == 0
    both = capsys.readouterr().out
    assert r"\fbox" in both and r"\textbf{Experiment}" in both
    assert r"\paragraph" not in both and "verbatim" not in both


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--box-only"], "--box-only selects a part of the LaTeX: add --latex"),
        (["--latex", "--box-only", "--experiment-only"], "not allowed with argument"),
    ],
)
def test_bad_combinations_exit_2_with_one_line(capsys, args, message):
    try:
        status = cli.main(["explain", "dl", *args])
    except SystemExit as exc:
        status = exc.code
    err = capsys.readouterr().err
    assert status == 2
    assert message in err and len(err.strip().splitlines()) == 1


# -- compiling ----------------------------------------------------------------------------------------

_ENGINE = "pdflatex"
_OVERFULL = re.compile(r"^Overfull \\[hv]box .*$", re.M)


def _engine() -> str:
    found = shutil.which(_ENGINE)
    if found is None:
        if os.environ.get("MPGAMES_REQUIRE_TEX") == "1":
            pytest.fail(f"MPGAMES_REQUIRE_TEX=1 but {_ENGINE} is not on PATH (.ci/run installs it)")
        pytest.skip(f"{_ENGINE} is not on PATH (Debian: texlive-latex-recommended texlive-pictures)")
    return found


def _marked(name: str, body: list[str]) -> list[str]:
    return [rf"\typeout{{mpgames-begin {name}}}", *body, rf"\typeout{{mpgames-end {name}}}"]


def _overfull_by_name(log: str) -> dict[str, list[str]]:
    """The overfull-box warnings of the log, by the marked section they occur in."""
    found = {}
    for name, section in re.findall(r"^mpgames-begin (\S+)$(.*?)^mpgames-end \1$", log, re.M | re.S):
        found[name] = _OVERFULL.findall(section)
    return found


def _compile(engine: str, folder: Path, document: str, name: str) -> str:
    (folder / f"{name}.tex").write_text(document, encoding="utf-8")
    command = [engine, "-interaction=nonstopmode", "-halt-on-error", f"{name}.tex"]
    done = subprocess.run(command, cwd=folder, capture_output=True, text=True, timeout=300, check=False)
    log = (folder / f"{name}.log").read_text(encoding="latin-1")
    assert done.returncode == 0, f"{name}: {engine} failed:\n{done.stdout[-3000:]}"
    return log


def test_every_game_compiles_and_fits_in_an_article_and_a_beamer_frame(tmp_path):
    engine = _engine()
    # A control that overflows, so that the check is seen to catch what it looks for.
    wide = r"\noindent\rule{1.5\linewidth}{1pt}\par"
    tall = r"\rule{1pt}{1.5\textheight}"
    article, frames = (
        _marked("control", [wide, r"\clearpage"]),
        _marked("control", [r"\begin{frame}[fragile]{control}", tall, r"\end{frame}"]),
    )
    names = []
    for game in GAMES:
        for part in slides.PARTS:
            name = f"{game.id}/{part}"
            names.append(name)
            (tmp_path / f"{game.id}-{part}.tex").write_text(slides.latex(game, part), encoding="utf-8")
            fragment = rf"\input{{{game.id}-{part}.tex}}"
            article += _marked(name, [rf"\section*{{{game.id}: {part}}}", fragment, r"\clearpage"])
            frames += _marked(
                name, [r"\begin{frame}[fragile]", rf"\frametitle{{{game.id}}}", fragment, r"\end{frame}"]
            )
    documents = {
        "article": "\\documentclass{article}\n\\begin{document}\n%s\n\\end{document}\n",
        "beamer": "\\documentclass{beamer}\n\\begin{document}\n%s\n\\end{document}\n",
    }
    for kind, body in (("article", article), ("beamer", frames)):
        log = _compile(engine, tmp_path, documents[kind] % "\n".join(body), kind)
        overfull = _overfull_by_name(log)
        assert overfull.pop("control"), f"{kind}: the control's overfull box was not seen in the log"
        assert sorted(overfull) == sorted(names), f"{kind}: sections missing from the log"
        misfits = {name: found for name, found in overfull.items() if found}
        assert misfits == {}, f"{kind}: fragments that do not fit: {misfits}"


def test_the_tutorial_s_slides_compile_and_fit(tmp_path, capsys):
    engine = _engine()
    text = (Path(__file__).resolve().parents[1] / "docs" / "tutorial.md").read_text(encoding="utf-8")
    section = text[text.index("## 7. Slides") : text.index("## Where next")]
    commands = re.search(r"```sh\n(.*?)```", section, re.S).group(1).splitlines()
    assert commands
    for command in commands:
        words, _, target = command.partition(" > ")
        assert cli.main(words.split()[1:]) == 0, command
        (tmp_path / target.strip()).write_text(capsys.readouterr().out, encoding="utf-8")
    document = re.search(r"```latex\n(.*?)```", section, re.S).group(1)
    assert r"\begin{frame}[fragile]" in document
    log = _compile(engine, tmp_path, document, "slides")
    assert _OVERFULL.findall(log) == []
