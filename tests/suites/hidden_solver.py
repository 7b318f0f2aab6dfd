"""A one-file adversary for tests/suites/wrong.toml: it declares itself a null adversary, so the suite
must expect it bounded, and breaks the game all the same (tests/test_pytest_plugin.py)."""

from __future__ import annotations

from mpgames.adversaries.dl import BabyStepGiantStep


class HiddenSolver(BabyStepGiantStep):
    """Baby-step giant-step under a null adversary's declaration: its entry's expectation is wrong."""

    id = "test.hidden-solver"
    label = "baby-step giant-step, declared null"
    targets = ("dl",)
    expect = "null"
