"""Text tables, laid out for the terminal that shows them (harness §7 reports; docs/suites.md).

Every table of the command line is made here, with tabulate. On a terminal whose encoding cannot show
the reports' characters (`PYTHONIOENCODING=ascii`, a C locale, a Windows code page) a table is made
from ASCII stand-ins of its cells (`to_ascii`: ✓ as "ok", ≥ as ">=", α as "alpha", …), so that its
columns line up as laid out; the command line's streams write any other character they cannot
encode with the same stand-ins (mpgames.cli.terminal). Files (summary.md, reports) keep the
characters.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from tabulate import tabulate

STAND_INS = {
    "✓": "ok",
    "✗": "x",
    "≥": ">=",
    "≤": "<=",
    "≠": "!=",
    "≈": "~",
    "−": "-",
    "–": "-",
    "—": "-",
    "…": "...",
    "·": "*",
    "×": "x",
    "←": "<-",
    "→": "->",
    "∞": "inf",
    "§": "S",
    "α": "alpha",
    "ε": "eps",
    "δ": "delta",
    "σ": "sigma",
    "θ": "theta",
    "π": "pi",
    "─": "-",
    "│": "|",
    "┌": "+",
    "┐": "+",
    "└": "+",
    "┘": "+",
}


def to_ascii(text: str) -> str:
    """`text` with each non-ASCII character replaced by its stand-in ("?" where it has none)."""
    return "".join(char if char.isascii() else STAND_INS.get(char, "?") for char in text)


def table_text(
    rows: Iterable[Sequence[Any]], headers: Sequence[str], *, ascii: bool = False, **options: Any
) -> str:
    """tabulate's table of `rows` (`options` passed on); with `ascii`, laid out from ASCII cells."""
    if not ascii:
        return tabulate(rows, headers=headers, **options)
    plain_rows = [[to_ascii(cell) if isinstance(cell, str) else cell for cell in row] for row in rows]
    return tabulate(plain_rows, headers=[to_ascii(h) for h in headers], **options)
