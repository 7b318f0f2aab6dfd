"""`mpgames explain GAME --latex`: a game as LaTeX for papers and slides (harness §3; docs/tutorial.md §7).

The fragment shows the game's boxed header (its docstring, in a frame) and its experiment as
pseudocode in the paper's notation (`mpgames.teaching.pseudocode`, read off the code that runs),
each win predicate described by its docstring; `part` chooses both, the box or the experiment.

It needs no package and no verbatim, so it works in an article and in a beamer frame (mark the
frame `[fragile]`, as for any `\\input` that defines macros), with pdfLaTeX, XeLaTeX or LuaLaTeX:
everything printed is ASCII, the Unicode of the docstrings and comments written as LaTeX (`←` as
`\\leftarrow`, σ as `\\sigma`). It fits the line width: lines wrap, continuation lines indented. It
fits `\\mpgamesmaxheight` (0.75\\textheight unless the document defines it first): it is set in
`\\small`, else the first of `\\footnotesize`, `\\scriptsize`, `\\tiny` at which it fits, else, when
graphicx is loaded (beamer loads it), scaled down to that height.
"""

from __future__ import annotations

import inspect
import re
import unicodedata

from mpgames.framework.base import Game
from mpgames.teaching import pseudocode

PARTS = ("all", "box", "experiment")
# How deep one level of pseudocode is indented.
INDENT_EM = 1.2

# Characters with a meaning in LaTeX text, and how to write them literally.
_LATEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    # Characters the default (OT1) fonts set as other glyphs.
    "<": r"\ensuremath{<}",
    ">": r"\ensuremath{>}",
    "|": r"\ensuremath{|}",
    '"': r'\texttt{\string"}',
}
# The notation of the docstrings and comments, in LaTeX.
_UNICODE = {
    "←": r"\ensuremath{\leftarrow}",
    "→": r"\ensuremath{\rightarrow}",
    "−": r"\ensuremath{-}",
    "·": r"\ensuremath{\cdot}",
    "≠": r"\ensuremath{\neq}",
    "≤": r"\ensuremath{\le}",
    "≥": r"\ensuremath{\ge}",
    "∈": r"\ensuremath{\in}",
    "∉": r"\ensuremath{\notin}",
    "∅": r"\ensuremath{\emptyset}",
    "⊥": r"\ensuremath{\bot}",
    "…": r"\ldots{}",
    "–": "--",
    "—": "---",
    "§": r"\S{}",
}
# Combining accents: the accent command that sets them over the character before.
_ACCENTS = {"\u0302": r"\^", "\u0304": r"\=", "\u030c": r"\v", "\u0301": r"\'"}
# Capital Greek letters that LaTeX sets apart from Latin ones.
_GREEK_CAPITALS = {"Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma", "Upsilon", "Phi", "Psi", "Omega"}

# The macros the fragment uses; \providecommand, so that a document can define them first and
# several fragments can be \input into one document.
_MACROS = r"""\providecommand{\mpgamesmaxheight}{0.75\textheight}% \newcommand it first to change it
\ifdefined\mpgamesbox\else\newsavebox{\mpgamesbox}\fi
\providecommand{\mpgamesset}[2]{\sbox{\mpgamesbox}{\begin{minipage}[t]{\linewidth}#1\raggedright#2\end{minipage}}}
\providecommand{\mpgamestoohigh}{\ifdim\dimexpr\ht\mpgamesbox+\dp\mpgamesbox\relax>\mpgamesmaxheight\relax}
\providecommand{\mpgamesshrink}[2]{\mpgamestoohigh\mpgamesset{#1}{#2}\fi}
\providecommand{\mpgamesfit}[1]{\mpgamesset{\small}{#1}\mpgamesshrink{\footnotesize}{#1}%
  \mpgamesshrink{\scriptsize}{#1}\mpgamesshrink{\tiny}{#1}\par\noindent
  \mpgamestoohigh\ifdefined\resizebox\resizebox*{!}{\mpgamesmaxheight}{\usebox{\mpgamesbox}}%
  \else\usebox{\mpgamesbox}\fi\else\usebox{\mpgamesbox}\fi\par}
\providecommand{\mpgamesline}[2]{\par{\leftskip=#1\relax\hangindent=1.5em\hangafter=1\noindent#2\par}}
\providecommand{\mpgamesstep}[2]{\mpgamesline{#1}{$\triangleright$~\textit{#2}}}
\providecommand{\mpgamesentry}[2]{\par{\hangindent=1em\hangafter=1\noindent\textbf{#1}~#2\par}}"""


def latex_text(text: str) -> str:
    """`text` as LaTeX text: special characters escaped, the Unicode notation written as LaTeX, and
    an exponent written after `^` (`g^x'`, `2^(κ−1)`, `A^{O_cert}`) set as a superscript."""
    parts = _EXPONENT.split(text)  # the text between exponents, and each exponent (one group)
    return "".join(
        _escaped(part) if number % 2 == 0 else rf"\textsuperscript{{{_escaped(_unbraced(part))}}}"
        for number, part in enumerate(parts)
    )


# An exponent in the docstrings' and comments' notation: `^` and a braced group (its braces are
# dropped), a parenthesised group, or a run of letters, digits, primes and stars.
_EXPONENT = re.compile(r"\^(\{[^{}]*\}|\([^()]*\)|[\w'*]+)")


def _unbraced(exponent: str) -> str:
    return exponent[1:-1] if exponent.startswith("{") else exponent


def _escaped(text: str) -> str:
    out: list[str] = []
    for char in text:
        if char in _ACCENTS and out:
            out.append(rf"{_ACCENTS[char]}{{{out.pop()}}}")
        else:
            out.append(_LATEX_SPECIALS.get(char) or _UNICODE.get(char) or _letter(char))
    return "".join(out)


def _letter(char: str) -> str:
    """A Greek letter as its LaTeX command, a Latin letter with an accent as the accented letter."""
    if char.isascii():
        return char
    parts = unicodedata.name(char, "").split()
    if parts[:2] == ["GREEK", "SMALL"] and parts[-1] != "OMICRON":
        return rf"\ensuremath{{\{parts[-1].lower()}}}"
    if parts[:2] == ["GREEK", "CAPITAL"] and parts[-1].title() in _GREEK_CAPITALS:
        return rf"\ensuremath{{\{parts[-1].title()}}}"
    decomposed = unicodedata.normalize("NFD", char)
    if len(decomposed) == 2 and decomposed[1] in _ACCENTS:
        return rf"{_ACCENTS[decomposed[1]]}{{{decomposed[0]}}}"
    return char


def box(game: type[Game]) -> list[str]:
    """The boxed header: its title in bold, then each entry ("Given:", "Produce:", …) with its text."""
    title, entries = header(game)
    body = [rf"\textbf{{{latex_text(title)}}}\par\smallskip"]
    for label, text in entries:
        body.append(rf"\mpgamesentry{{{latex_text(label)}}}{{{latex_text(text)}}}")
    return [
        r"\noindent\fbox{\parbox{\dimexpr\linewidth-2\fboxsep-2\fboxrule\relax}{\raggedright",
        *body,
        r"}}\par",
    ]


def header(game: type[Game]) -> tuple[str, list[tuple[str, str]]]:
    """The docstring's box as (title, [(label, text), …]); a line that is indented continues the one
    before it, and a label is what precedes the first run of two spaces ("" if there is none)."""
    doc = inspect.getdoc(game) or ""
    framed = [line.strip() for line in doc.splitlines() if line.strip().startswith("│")]
    inside = [line.strip("│").rstrip().removeprefix(" ") for line in framed]
    rows = inside or doc.split("\n\n")[0].splitlines()
    blocks: list[list[str]] = []
    for row in rows:
        if not row.strip():
            blocks.append([])
        elif row.startswith(" ") and blocks and blocks[-1]:
            blocks[-1][-1] += " " + row.strip()
        else:
            if not blocks:
                blocks.append([])
            blocks[-1].append(row.strip())
    lines = [line for block in blocks for line in block]
    title, rest = (lines[0], lines[1:]) if lines else (game.title, [])
    entries = []
    for line in rest:
        label, gap, text = line.partition("  ")
        entries.append((label, " ".join(text.split())) if gap else ("", line))
    return title, entries


def experiment(game: type[Game]) -> list[str]:
    """The experiment as pseudocode lines, then what each win predicate means."""
    code = pseudocode.experiment(game)
    lines = [
        rf"\mpgamesline{{0em}}{{\textbf{{Experiment}} \textsf{{{latex_text(game.id)}}}$(\mathcal{{A}})$:}}"
    ]
    for line in code.lines:
        indent = f"{INDENT_EM * (line.depth + 1):g}em"
        if line.is_step:
            lines.append(rf"\mpgamesstep{{{indent}}}{{{latex_text(line.text)}}}")
        else:
            lines.append(rf"\mpgamesline{{{indent}}}{{${line.text}$}}")
    for predicate in code.predicates:
        meaning = latex_text(predicate.description)
        lines.append(rf"\mpgamesline{{0em}}{{\textbf{{where}} ${predicate.name}$: {meaning}}}")
    return lines


def latex(game: type[Game], part: str = "all") -> str:
    """The LaTeX fragment of `part` ("all", "box" or "experiment") of the game (module notes)."""
    if part not in PARTS:
        raise ValueError(f"part must be one of {', '.join(PARTS)}, not {part!r}")
    body = []
    if part in ("all", "box"):
        body += box(game)
    if part == "all":
        body.append(r"\medskip")
    if part in ("all", "experiment"):
        body += experiment(game)
    option = "" if part == "all" else f" --{part}-only"
    return "\n".join(
        [
            rf"% Generated by `mpgames explain {game.id} --latex{option}` from the game's code; do not edit.",
            r"% Plain LaTeX, no package needed; in beamer, use a [fragile] frame.",
            _MACROS,
            r"\mpgamesfit{%",
            *body,
            "}",
        ]
    )
