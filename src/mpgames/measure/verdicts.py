"""Experiment kinds, thresholds and the verdict rule (harness spec §2 "Experiment kinds and advantage" and
§7 "Measurement": the three verdicts).

Every game declares a `Kind`; its advantage follows from the kind alone (`mpgames.measure.estimation`).
What a run may claim is fixed by its `Thresholds` ε0 ≤ ε1 before any trial: `decide_verdict` calls the
advantage interval **broken** iff its lower end is above ε1, **bounded** iff its upper end is below ε0,
**inconclusive** otherwise. Each claim is wrong only if the interval misses the true advantage, so each
has error probability at most α.

Heuristics admitted.
    - An advantage strictly between ε0 and ε1 is reported as inconclusive however many trials run: the
      thresholds define what we claim, not the adversary's true advantage.
    - "Bounded" with ε0 = 0.05 is a smoke test at the resolution of a few hundred trials, not a proof of
      negligible advantage; the wording gives the bound actually reached so that nobody reads more into it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from mpgames.scheme.integers import checked_int

# One run's false-verdict budget. A wrong verdict in CI is not a flake that goes away (seeds are fixed,
# so it would persist until the code changes), so we make it rare: 10⁻³ per run. It costs little:
# trials grow with ln(2/α), about 2.5 times the trials of α = 0.05. Suites split their own budget.
DEFAULT_ALPHA = 1e-3

# "Bounded" claims Adv < ε0. 0.05 is the smallest round value a null adversary reaches within a few
# hundred trials (0 wins of n bound Adv by about ln(2/α)/n ≈ 7.6/n: 148 trials), which keeps a
# standard-tier entry of a CI suite within seconds. It also sits well above the inherent 1/q success of
# random guessing in the toy groups used for calibration (q = 1019 gives 0.001); the smallest toy groups
# (q = 11) are too small for a null adversary to come out bounded, as they should be.
DEFAULT_EPS0 = 0.05

# "Broken" claims Adv > ε1. A quarter above the baseline is far beyond any chance effect yet low enough
# that a perfect attack is certified within a few dozen trials for every kind (win-lose 7, hidden-bit
# 21, guess-1-of-2 35: `mpgames run GAME --plan`). An attack whose advantage lies between ε0 and ε1 is
# reported inconclusive, with its interval, never as broken.
DEFAULT_EPS1 = 0.25


class Kind(StrEnum):
    """Experiment kinds of harness §2; the advantage follows from the kind, never from the game."""

    WIN_LOSE = "win-lose"
    GUESS_1_OF_N = "guess-1-of-n"
    HIDDEN_BIT = "hidden-bit"


class Verdict(StrEnum):
    """Harness §7: broken (lower end above ε1), bounded (upper end below ε0), inconclusive otherwise."""

    BROKEN = "broken"
    BOUNDED = "bounded"
    INCONCLUSIVE = "inconclusive"


def check_probability_level(value: float, name: str) -> None:
    """ValueError unless `value` is a number (not a bool) strictly between 0 and 1."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value < 1:
        raise ValueError(f"{name} must be a number strictly between 0 and 1, got {value!r}")


@dataclass(frozen=True)
class Interval:
    """A closed interval [lower, upper] with the confidence it holds at (e.g. 0.999)."""

    lower: float
    upper: float
    confidence: float

    def __post_init__(self) -> None:
        if not self.lower <= self.upper:
            raise ValueError(f"interval lower end {self.lower!r} is above its upper end {self.upper!r}")
        check_probability_level(self.confidence, "interval confidence")

    def as_dict(self) -> dict[str, float]:
        return {"lower": self.lower, "upper": self.upper, "confidence": self.confidence}


@dataclass(frozen=True)
class Thresholds:
    """What a run may claim: bounded iff Adv's upper end < eps0, broken iff its lower end > eps1."""

    eps0: float = DEFAULT_EPS0
    eps1: float = DEFAULT_EPS1
    alpha: float = DEFAULT_ALPHA

    def __post_init__(self) -> None:
        check_probability_level(self.eps0, "eps0")
        check_probability_level(self.eps1, "eps1")
        check_probability_level(self.alpha, "alpha")
        if self.eps0 > self.eps1:
            raise ValueError(
                f"eps0 (bounded threshold, {self.eps0}) must not exceed eps1 (broken threshold, {self.eps1})"
            )

    def as_dict(self) -> dict[str, float]:
        return {"eps0": self.eps0, "eps1": self.eps1, "alpha": self.alpha}


def parse_kind(kind: Kind | str) -> Kind:
    """The `Kind` named by `kind`; ValueError listing the known kinds otherwise."""
    try:
        return Kind(kind)
    except ValueError:
        known = [k.value for k in Kind]
        raise ValueError(f"unknown experiment kind {kind!r}; expected one of {known}") from None


def check_choices(kind: Kind, n_choices: int | None) -> int | None:
    """The exact n_choices of a guess-1-of-n experiment; None for the other kinds, which take none."""
    if kind is Kind.GUESS_1_OF_N:
        return checked_int(n_choices, "n_choices (guess-1-of-n needs it)", minimum=2, error=ValueError)
    if n_choices is not None:
        raise ValueError(f"n_choices applies only to guess-1-of-n, not to {kind.value}")
    return None


def decide_verdict(adv: Interval, thresholds: Thresholds) -> Verdict:
    """Harness §7: broken iff adv.lower > eps1; bounded iff adv.upper < eps0; inconclusive otherwise."""
    if adv.lower > thresholds.eps1:
        return Verdict.BROKEN
    if adv.upper < thresholds.eps0:
        return Verdict.BOUNDED
    return Verdict.INCONCLUSIVE
