"""Hostile adversaries: attacks on the harness itself rather than on the scheme.

Each one plays a secure variant with values that subvert the challenger's own code, written only
against public interfaces (the view, its oracles, the scheme's public classes). Each declares
`expect = "null"`: it must lose every trial of a win-lose game and stay at chance in a guessing
game, and no run may crash. `tests/test_hostile_adversaries.py` plays them all.

* `lies`: int/bytes/scheme-class subclasses whose `==`, `!=`, `>` or `bytes()` lie (class 1);
* `raising`: comparisons, `len()`, `bytes()`, attribute reads that raise, and hidden-bit faults (class 2);
* `bypass`: scheme objects made without their constructors, with refused fields (class 3);
* `mutation`: objects rewritten after the challenger stored them, fields that change per read (class 4);
* `exiting`: `sys.exit(0)` in a stage, the constructor, a stage lookup or at import (class 5). These
  claim a break instead, so that a suite expecting it fails when they lose
  (`tests/test_adversary_exits.py`).
* `sleeping`: sleeps past the time limit in every trial or once, or is merely slow (class 6); played
  by `tests/test_time_caps.py` and `tests/test_interrupts.py` instead.

Every module is self-contained, so that it also loads as a file plugin:
`mpgames run GAME --adversary tests/hostile/<module>.py:ClassName`.
"""
