"""The mpgames pytest plugin (harness §8, last bullet): measure a game from a user's own tests.

Installed with mpgames through the `pytest11` entry point, so every pytest session of an environment
that has mpgames loads it. It adds:

* the fixture `mpgames_run`, a function that plays a game against an adversary with the engine of
  `mpgames run` (deterministic seeds, sequential stopping) and returns the `RunResult`: the estimate
  with its interval and verdict, for the test to assert on;
* the options `--mpgames-seed` (the run seed of every `mpgames_run` call that names none) and
  `--mpgames-jobs` (worker processes; 1 by default, so a test run stays in one process);
* suite files as test items: a suite TOML named on the command line (`pytest suite.toml`) or with
  `--mpgames-suite PATH` is collected by `mpgames.testing.suite_items`, one item per entry and one
  for calibration, decided as `mpgames check` decides them (`--mpgames-strict` as its `--strict`,
  `--mpgames-seed` as its `--seed`). No other .toml file is collected: a directory walk never
  reads pyproject.toml, nor a suite file it walks past.

Hypothesis strategies for scheme objects are in `mpgames.testing.strategies`. Because this module is imported
by every pytest session of the environment, it imports nothing of mpgames (nor Hypothesis, nor SciPy)
at import time: the engine is imported when a test first asks for the fixture, the suite reader
when a suite file is collected.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from mpgames.adversaries.base import Adversary
    from mpgames.framework.base import Game
    from mpgames.measure.records import RunResult

DEFAULT_SEED = "0"
# The trial cap of a run unless the test sets one; as `mpgames run`. Runs far from the thresholds
# stop much earlier (a perfect attack at 25 trials, a null adversary of a win-lose game at 200).
DEFAULT_MAX_TRIALS = 1000
# The adversary's seconds per trial unless the test sets one; as `mpgames run`
# (mpgames.framework.engine.DEFAULT_TIME_LIMIT, which this module does not import at load time).
DEFAULT_TIME_LIMIT = 10.0


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("mpgames", "mpgames security games")
    group.addoption(
        "--mpgames-seed",
        default=None,
        help=f"run seed of mpgames_run calls that name none (default: {DEFAULT_SEED!r}) and of the "
        "suites collected as items (default: each suite's own, as mpgames check --seed)",
    )
    group.addoption(
        "--mpgames-jobs",
        type=int,
        default=1,
        help="worker processes of mpgames_run and of the suites' play (default: 1)",
    )
    group.addoption(
        "--mpgames-suite",
        action="append",
        default=[],
        metavar="PATH",
        help="collect this suite file's entries as test items (repeatable; docs/pytest-plugin.md)",
    )
    group.addoption(
        "--mpgames-strict",
        action="store_true",
        help="an inconclusive suite entry fails instead of being skipped (as mpgames check --strict)",
    )


# The files given with --mpgames-suite, absolute: collected as suites wherever the walk meets them.
SUITE_PATHS = pytest.StashKey[frozenset[Path]]()


def pytest_configure(config: pytest.Config) -> None:
    named: list[str] = config.getoption("mpgames_suite")
    config.stash[SUITE_PATHS] = frozenset(
        Path(os.path.abspath(config.invocation_params.dir / path)) for path in named
    )
    config.args += [path for path in named if path not in config.args]


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    """A suite file named on the command line or with --mpgames-suite; never any other .toml file."""
    if file_path.suffix != ".toml":
        return None
    if not (parent.session.isinitpath(file_path) or file_path in parent.config.stash[SUITE_PATHS]):
        return None
    from mpgames.testing.suite_items import SuiteFile

    return SuiteFile.from_parent(parent, path=file_path)


@pytest.fixture
def mpgames_run(request: pytest.FixtureRequest) -> Iterator[Callable[..., RunResult]]:
    """Play a game against an adversary and return its `RunResult` (estimate, interval, verdict).

    `game` and `adversary` are registered ids or classes (a test may define its own adversary
    class). Thresholds default to those of `mpgames run` (bounded iff Adv < 0.05, broken iff
    Adv > 0.25, α = 10⁻³). Each run is also recorded in the test's `user_properties`, so JUnit XML
    reports carry it.
    """
    from mpgames.adversaries.registry import get_adversary
    from mpgames.framework.engine import Engine
    from mpgames.games.registry import get_game
    from mpgames.measure.verdicts import Thresholds

    chosen_seed = request.config.getoption("mpgames_seed")
    default_seed = DEFAULT_SEED if chosen_seed is None else str(chosen_seed)
    engine = Engine(request.config.getoption("mpgames_jobs"))

    def run(
        game: str | type[Game],
        adversary: str | type[Adversary],
        *,
        variant: str | None = None,
        tier: str = "toy",
        group: str | None = None,
        max_trials: int = DEFAULT_MAX_TRIALS,
        eps0: float | None = None,
        eps1: float | None = None,
        alpha: float | None = None,
        seed: str | None = None,
        time_limit: float | None = DEFAULT_TIME_LIMIT,
    ) -> RunResult:
        game_cls = get_game(game) if isinstance(game, str) else game
        adversary_cls = get_adversary(adversary) if isinstance(adversary, str) else adversary
        chosen = {"eps0": eps0, "eps1": eps1, "alpha": alpha}
        thresholds = Thresholds(**{name: value for name, value in chosen.items() if value is not None})
        result = engine.run(
            game_cls,
            variant,
            adversary_cls,
            tier,
            max_trials=max_trials,
            seed=default_seed if seed is None else seed,
            thresholds=thresholds,
            group=group,
            time_limit=time_limit,
        )
        request.node.user_properties.append(
            (
                f"mpgames {result.game} {result.variant} {result.adversary} {result.tier}",
                f"{result.estimate.verdict.value}: {result.estimate.describe()}",
            )
        )
        return result

    with engine:
        yield run
