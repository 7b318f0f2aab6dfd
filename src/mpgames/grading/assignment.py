"""Assignment files of `mpgames grade` (docs/grading.md): the TOML format and its validation.

An assignment names tasks; each task is a class a submission must define, the game, variant and
tier it plays, its points and what counts as success: the verdict "broken" at `min_advantage`, that
is Adv > min_advantage at confidence 1 − alpha, measured against secret challenger coins. Limits:
`time_limit` per trial, `memory_mb` (the address space of a trial's process), `max_trials` and
`task_seconds` (a wall-clock cap) per task, set for the whole assignment and overridable per task.
A task's game may be a plugin game "path/to/file.py:Class" (docs/plugins.md), a relative path read
from the assignment file's folder. `load_assignment` checks everything before any submission runs;
a problem is one `FileError` line naming the file, the task and the fix.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mpgames.framework.base import Game
from mpgames.framework.engine import DEFAULT_TIME_LIMIT
from mpgames.framework.errors import UsageError
from mpgames.framework.isolation.host import MEMORY_BYTES
from mpgames.framework.plugin_files import read_from
from mpgames.games.registry import get_game
from mpgames.measure.estimation import max_advantage
from mpgames.measure.verdicts import DEFAULT_ALPHA, DEFAULT_EPS0, DEFAULT_EPS1, Thresholds
from mpgames.suites import tomlcheck

# What a folder submission holds, unless the assignment names another file.
DEFAULT_FILE = "attack.py"
DEFAULT_MAX_TRIALS = 400
LIMIT_KEYS = ("time_limit", "memory_mb", "max_trials", "task_seconds", "alpha")
# The address space a trial's process may take, in MiB: enough for the interpreter, at most 64 GiB.
MIN_MEMORY_MB, MAX_MEMORY_MB = 256, 1 << 16
ASSIGNMENT_KEYS = ("title", "seed", "file", *LIMIT_KEYS, "task")
TASK_KEYS = ("name", "class", "game", "variant", "tier", "points", "min_advantage", *LIMIT_KEYS)
REQUIRED_TASK_KEYS = ("name", "class", "game", "tier", "points")


@dataclass(frozen=True)
class Task:
    """One graded task: the class to play, against what, for how many points, and its limits."""

    name: str
    class_name: str
    game: type[Game]
    variant: str
    tier: str
    points: float
    thresholds: Thresholds  # success: the verdict "broken", Adv > thresholds.eps1
    max_trials: int
    time_limit: float
    seconds: float | None
    memory_bytes: int = MEMORY_BYTES

    def record(self) -> dict[str, Any]:
        """JSON-ready description of the task."""
        return {
            "name": self.name,
            "class": self.class_name,
            "game": self.game.id,
            "variant": self.variant,
            "tier": self.tier,
            "points": self.points,
            "min_advantage": self.thresholds.eps1,
            "alpha": self.thresholds.alpha,
            "max_trials": self.max_trials,
            "time_limit": self.time_limit,
            "memory_mb": self.memory_bytes >> 20,
            "task_seconds": self.seconds,
        }


@dataclass(frozen=True)
class Assignment:
    """A validated assignment: its tasks in file order."""

    title: str
    source: str
    seed: str
    file: str
    tasks: tuple[Task, ...]

    @property
    def points(self) -> float:
        return sum(task.points for task in self.tasks)


def _limits(table: Mapping[str, Any], where: str, defaults: Mapping[str, Any]) -> dict[str, Any]:
    limits = dict(defaults)
    if "time_limit" in table:
        limits["time_limit"] = float(
            tomlcheck.positive(table["time_limit"], "time_limit", where, integer=False)
        )
    if "max_trials" in table:
        limits["max_trials"] = int(tomlcheck.positive(table["max_trials"], "max_trials", where, integer=True))
    if "alpha" in table:
        limits["alpha"] = tomlcheck.probability(table["alpha"], "alpha", where)
    if "memory_mb" in table:
        memory = int(tomlcheck.positive(table["memory_mb"], "memory_mb", where, integer=True))
        if not MIN_MEMORY_MB <= memory <= MAX_MEMORY_MB:
            tomlcheck.fail(where, f"memory_mb must be from {MIN_MEMORY_MB} to {MAX_MEMORY_MB}, got {memory}")
        limits["memory_bytes"] = memory << 20
    limits["task_seconds"] = tomlcheck.seconds(table, "task_seconds", where, limits.get("task_seconds"))
    return limits


def _task(raw: object, where: str, defaults: Mapping[str, Any], folder: Path) -> Task:
    if not isinstance(raw, dict):
        tomlcheck.fail(where, "must be a table ([[task]])")
    tomlcheck.check_keys(raw, TASK_KEYS, REQUIRED_TASK_KEYS, where)
    name = tomlcheck.text(raw["name"], "name", where)
    where = f"{where} ({name})"
    class_name = tomlcheck.text(raw["class"], "class", where)
    if not class_name.isidentifier():
        tomlcheck.fail(where, f"class must be a Python class name, got {class_name!r}")
    tier = tomlcheck.text(raw["tier"], "tier", where)
    variant = None if "variant" not in raw else tomlcheck.text(raw["variant"], "variant", where)
    try:
        game = get_game(read_from(tomlcheck.text(raw["game"], "game", where), folder))
        chosen = game.variant(variant).name
        game.group(tier)
    except UsageError as exc:
        tomlcheck.fail(where, str(exc))
    points = float(tomlcheck.positive(raw["points"], "points", where, integer=False))
    limits = _limits(raw, where, defaults)
    top = max_advantage(game.kind, game.n_choices)
    bar = tomlcheck.probability(raw.get("min_advantage", DEFAULT_EPS1), "min_advantage", where)
    if bar >= top:
        tomlcheck.fail(
            where, f"min_advantage = {bar} is not below {top:.4g}, the largest advantage of {game.kind}"
        )
    thresholds = Thresholds(min(DEFAULT_EPS0, bar / 2), bar, limits["alpha"])
    return Task(
        name,
        class_name,
        game,
        chosen,
        tier,
        points,
        thresholds,
        limits["max_trials"],
        limits["time_limit"],
        limits["task_seconds"],
        limits["memory_bytes"],
    )


def load_assignment(path: str | Path) -> Assignment:
    """Read and validate an assignment file; `FileError` (one line) on any problem."""
    path = Path(path)
    where = str(path)
    data = tomlcheck.read_toml(path, "assignment")
    tomlcheck.check_keys(data, ASSIGNMENT_KEYS, ("seed", "task"), where)
    seed = tomlcheck.seed(data["seed"], where)
    title = tomlcheck.text(data.get("title", path.stem), "title", where)
    file = tomlcheck.text(data.get("file", DEFAULT_FILE), "file", where)
    if Path(file).name != file or not file.endswith(".py"):
        tomlcheck.fail(where, f"file must be the name of a .py file in a submission folder, got {file!r}")
    defaults = _limits(
        data,
        where,
        {
            "time_limit": DEFAULT_TIME_LIMIT,
            "max_trials": DEFAULT_MAX_TRIALS,
            "alpha": DEFAULT_ALPHA,
            "memory_bytes": MEMORY_BYTES,
        },
    )
    raw_tasks = data["task"]
    if not isinstance(raw_tasks, list) or not raw_tasks:
        tomlcheck.fail(where, "task must be a non-empty array of tables ([[task]] …)")
    tasks = tuple(
        _task(raw, f"{where}: task {n}", defaults, path.parent) for n, raw in enumerate(raw_tasks, 1)
    )
    names = [task.name for task in tasks]
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        tomlcheck.fail(where, f"task name {repeated[0]!r} is used twice; every task needs its own")
    return Assignment(title, where, seed, file, tasks)
