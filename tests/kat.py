"""Known-answer vectors (tests/vectors/kat.json) and the decorator that feeds them to tests.

A section holds one primitive's vectors. Case lists follow one convention: `valid` cases must verify,
`rejected` cases are well-formed and must not verify, `malformed` cases must raise the `mpgames.scheme.errors`
class named in their `error` field. `kat_cases` parametrizes a test over one list, so the test body
only states what must happen to a case.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import pytest

from mpgames.scheme import errors

VECTORS = Path(__file__).parent / "vectors" / "kat.json"


@functools.cache
def _vectors() -> dict[str, Any]:
    return json.loads(VECTORS.read_text(encoding="utf-8"))


def kat(section: str) -> dict[str, Any]:
    """One section of the vector file."""
    return _vectors()[section]


def kat_cases(section: str, kind: str, key: str | None = None) -> pytest.MarkDecorator:
    """Parametrize the test's `case` argument over the list `kat(section)[key][kind]` (or `[kind]`).

    Each case is shown in the test id by its `id` field.
    """
    block = kat(section) if key is None else kat(section)[key]
    cases = block[kind]
    return pytest.mark.parametrize("case", cases, ids=[c["id"] for c in cases])


def expected_error(case: dict[str, Any]) -> type[errors.SchemeError]:
    """The error class a malformed case must raise."""
    return getattr(errors, case["error"])
