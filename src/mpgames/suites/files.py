"""Suite files (harness §8): the TOML format, its validation, and the generated default suite.

A suite is a TOML file (format and rules: docs/suites.md) of entries (game, variant, adversary,
tier, expect = "broken" | "bounded", optional eps0/eps1/max_trials), with a suite seed and a
suite-wide false-alarm budget α. `load_suite` reads it with `tomllib` and checks everything before
a trial runs; a problem is one `SuiteError` line naming the file, the entry and the fix.

An entry's adversary is a registered id, an entry point, or a one-file plugin "path/to/file.py:Class"
(mpgames.adversaries.plugins), and its game a game id or a one-file game "path/to/file.py:Class"
(mpgames.games.registry, docs/plugins.md); a relative path is read from the suite file's folder.

An entry restates what the registry already says about its adversary: a null adversary must come
out bounded and a reference attack broken against the variant it breaks (at the tiers where it
applies) and bounded elsewhere (`Adversary.expected_verdict`). A suite that contradicts the registry
is refused rather than run. Against a variant that a variant game added after the adversary was
declared (docs/plugins.md), the registry claims nothing, and the entry's `expect` is the claim the
check judges. A suite that expects only one of the two verdicts is refused too: calibration
means each check shows that the harness can both pass and fail.

Budgets an entry does not set follow from its game's kind, exactly as for `mpgames demo`
(`mpgames.suites.demo.demo_budget`), at the entry's false-alarm level.

Wall-clock caps, in seconds: `entry_seconds` caps every entry's run and an entry's own `seconds`
overrides it; `suite_seconds` caps the whole check. Neither is set by default.

The suite-wide false-alarm budget α is spent by Holm's procedure (mpgames.measure.holm).

A `[fuzz]` table adds an attack search (mpgames.fuzz, docs/fuzz.md) to the check: each of its
`games` (every registered game if it names none) is searched at its default variant and `tier`
with `budget` plans and the table's `seed` (the suite's if none); a win fails the check.
"""

from __future__ import annotations

import functools
import json
import sys
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mpgames.adversaries.registry import adversaries_for, resolve
from mpgames.framework.base import Game
from mpgames.framework.engine import DEFAULT_TIME_LIMIT
from mpgames.framework.errors import UsageError
from mpgames.framework.plugin_files import file_parts, read_from
from mpgames.games.registry import all_games, get_game
from mpgames.measure.estimation import max_advantage
from mpgames.measure.holm import first_level
from mpgames.measure.records import EXPECTATIONS
from mpgames.measure.verdicts import Kind, Thresholds
from mpgames.scheme.errors import InvalidGroupError
from mpgames.scheme.groups import named_group
from mpgames.suites import tomlcheck
from mpgames.suites.demo import SuiteEntry, default_suite, demo_budget

# The suites shipped with the package: `mpgames demo` plays DEFAULT_SUITE, CI plays ci.toml beside it.
SUITES_DIR = Path(__file__).resolve().parent
DEFAULT_SUITE = SUITES_DIR / "default.toml"

SUITE_KEYS = (
    "name",
    "description",
    "seed",
    "alpha",
    "time_limit",
    "entry_seconds",
    "suite_seconds",
    "defaults",
    "entry",
    "fuzz",
)
FUZZ_KEYS = ("games", "tier", "budget", "seed")
BUDGET_KEYS = ("eps0", "eps1", "max_trials")
ENTRY_KEYS = ("game", "variant", "adversary", "tier", "group", "expect", *BUDGET_KEYS, "seconds")
REQUIRED_ENTRY_KEYS = ("game", "adversary", "tier", "expect")

# Suite-wide false-alarm budget of the generated default suite: a 5 % chance that any of its ~70
# verdicts is wrong, about 7·10⁻⁴ per entry, close to the single-run default of `mpgames run`.
DEFAULT_SUITE_ALPHA = 0.05
DEFAULT_SUITE_SEED = "0"


# A malformed suite file; the message names the file, the entry and what to change.
SuiteError = tomlcheck.FileError


@dataclass(frozen=True)
class FuzzSection:
    """The attack search of a suite: these games' default variants, at `tier`, `budget` plans each."""

    games: tuple[type[Game], ...]
    tier: str
    budget: int
    seed: str

    def record(self) -> dict[str, Any]:
        return {
            "games": [g.id for g in self.games],
            "tier": self.tier,
            "budget": self.budget,
            "seed": self.seed,
        }


@dataclass(frozen=True)
class Suite:
    """A validated suite: its entries, in file order, with budgets and thresholds settled."""

    name: str
    source: str
    description: str
    seed: str
    alpha: float
    time_limit: float
    entries: tuple[SuiteEntry, ...]
    entry_seconds: float | None = None  # the entries' cap unless they set their own (`seconds`)
    suite_seconds: float | None = None
    fuzz: FuzzSection | None = None

    @property
    def level(self) -> float:
        """The first Holm level α/(2m): every entry is played at it (`mpgames.measure.holm`)."""
        return first_level(self.alpha, len(self.entries))

    def parameters(self) -> dict[str, Any]:
        """JSON-ready description of the suite for a run's manifest."""
        return {
            "suite": self.name,
            "file": self.source,
            "seed": self.seed,
            "alpha": self.alpha,
            "correction": "holm",
            "entry_level": self.level,
            "time_limit": self.time_limit,
            "entry_seconds": self.entry_seconds,
            "suite_seconds": self.suite_seconds,
            "entries": [entry_record(entry) for entry in self.entries],
            "fuzz": None if self.fuzz is None else self.fuzz.record(),
        }


def entry_record(entry: SuiteEntry) -> dict[str, Any]:
    """One entry as JSON-ready data (the keys of the suite format)."""
    return {
        "game": entry.game.id,
        "variant": entry.variant,
        "adversary": entry.adversary.id,
        "tier": entry.tier,
        "group": entry.group,
        "expect": entry.expect,
        "eps0": entry.thresholds.eps0,
        "eps1": entry.thresholds.eps1,
        "max_trials": entry.max_trials,
        "seconds": entry.seconds,
    }


# -- reading -----------------------------------------------------------------------------------------


def _budget_settings(table: Mapping[str, Any], where: str) -> dict[str, float | int]:
    """The eps0, eps1 and max_trials a table sets, validated."""
    settings: dict[str, float | int] = {}
    for key in ("eps0", "eps1"):
        if key in table:
            settings[key] = tomlcheck.probability(table[key], key, where)
    if "max_trials" in table:
        settings["max_trials"] = tomlcheck.positive(table["max_trials"], "max_trials", where, integer=True)
    return settings


@functools.cache
def _calibrated(kind: Kind, n_choices: int | None, level: float) -> dict[str, float | int]:
    budget, thresholds = demo_budget(kind, n_choices, level)
    return {"eps0": thresholds.eps0, "eps1": thresholds.eps1, "max_trials": budget}


def _entry_game(raw: object, base: Path, where: str) -> object:
    """The game id of a raw entry, for `--game`: its `game`, or the id of the game file it names."""
    game = raw.get("game") if isinstance(raw, dict) else None
    if not (isinstance(game, str) and file_parts(game)):
        return game
    try:
        return get_game(read_from(game, base)).id
    except UsageError as exc:
        tomlcheck.fail(where, str(exc))


def _entry(
    raw: object,
    where: str,
    defaults: Mapping[str, float | int],
    level: float,
    base: Path,
    seconds: float | None,
) -> SuiteEntry:
    if not isinstance(raw, dict):
        tomlcheck.fail(where, "must be a table ([[entry]])")
    tomlcheck.check_keys(raw, ENTRY_KEYS, REQUIRED_ENTRY_KEYS, where)
    game_id = tomlcheck.text(raw["game"], "game", where)
    where = f"{where} ({game_id})"
    variant = None if "variant" not in raw else tomlcheck.text(raw["variant"], "variant", where)
    tier = tomlcheck.text(raw["tier"], "tier", where)
    group = None if "group" not in raw else tomlcheck.text(raw["group"], "group", where)
    expect = tomlcheck.text(raw["expect"], "expect", where)
    if expect not in EXPECTATIONS:
        tomlcheck.fail(where, f"expect must be one of {', '.join(EXPECTATIONS)}, got {expect!r}")
    try:
        game = get_game(read_from(game_id, base))
        chosen = game.variant(variant).name
        adversary = resolve(read_from(tomlcheck.text(raw["adversary"], "adversary", where), base), game.id)
        game.group(tier)
        group_tier = None if group is None else named_group(group).tier
    except (UsageError, InvalidGroupError) as exc:
        tomlcheck.fail(where, str(exc))
    if group_tier not in (None, tier):
        tomlcheck.fail(where, f"group {group!r} is of the {group_tier} tier, not {tier!r}")
    settings = {**_calibrated(game.kind, game.n_choices, level), **defaults, **_budget_settings(raw, where)}
    try:
        thresholds = Thresholds(settings["eps0"], settings["eps1"], level)
    except ValueError as exc:
        tomlcheck.fail(where, str(exc))
    top = max_advantage(game.kind, game.n_choices)
    if thresholds.eps1 >= top:
        tomlcheck.fail(
            where, f"eps1 = {thresholds.eps1} is not below {top:.4g}, the largest advantage of {game.kind}"
        )
    cap = tomlcheck.seconds(raw, "seconds", where, seconds)
    budget = int(settings["max_trials"])
    entry = SuiteEntry(game, chosen, adversary, tier, budget, thresholds, cap, group, stated=expect)
    if expect != entry.expect:
        role = "a null adversary" if adversary.broken_variant() is None else f"declared {adversary.expect!r}"
        tomlcheck.fail(
            where,
            f"expect = {expect!r} contradicts the registry: {adversary.id} is {role} and must come out "
            f"{entry.expect} against {chosen} at the {tier} tier (set expect = {entry.expect!r})",
        )
    return entry


def load_suite(
    path: str | Path,
    games: Iterable[str] | None = None,
    numbers: Iterable[int] | None = None,
    *,
    calibrated: bool = True,
) -> Suite:
    """Read and validate a suite file; `games` keeps only the entries of those game ids, `numbers`
    only the entries of those positions in the file (from 1).

    α is split over the entries kept. The entries kept must expect both verdicts (calibration) unless
    `calibrated` is false: the pytest plugin plays any selection of a suite whose every entry it
    collected, and reports calibration as an item of its own. Raises `SuiteError` (one line) on any
    problem.
    """
    path = Path(path)
    return parse_suite(tomlcheck.read_toml(path, "suite file"), path, games, numbers, calibrated=calibrated)


def load_default_suite(games: Iterable[str] | None = None) -> Suite:
    """The suite of `mpgames demo`: src/mpgames/suites/default.toml in a checkout; elsewhere (an installed
    package has no suites/ folder) the same suite generated from `mpgames.suites.demo`."""
    if DEFAULT_SUITE.exists():
        return load_suite(DEFAULT_SUITE, games)
    return parse_suite(tomllib.loads(default_suite_toml()), Path(DEFAULT_SUITE.name), games)


def parse_suite(
    data: dict[str, Any],
    path: Path,
    games: Iterable[str] | None = None,
    numbers: Iterable[int] | None = None,
    *,
    calibrated: bool = True,
) -> Suite:
    """Validate the parsed TOML of a suite file at `path` (named in errors; plugin paths are relative
    to its folder); see `load_suite`."""
    where = str(path)
    tomlcheck.check_keys(data, SUITE_KEYS, ("seed", "alpha", "entry"), where)
    seed = tomlcheck.seed(data["seed"], where)
    alpha = tomlcheck.probability(data["alpha"], "alpha", where)
    time_limit = tomlcheck.positive(
        data.get("time_limit", DEFAULT_TIME_LIMIT), "time_limit", where, integer=False
    )
    entry_seconds = tomlcheck.seconds(data, "entry_seconds", where)
    suite_seconds = tomlcheck.seconds(data, "suite_seconds", where)
    name = tomlcheck.text(data.get("name", path.stem), "name", where)
    description = data.get("description", "")
    if not isinstance(description, str):
        tomlcheck.fail(where, f"description must be a string, got {description!r}")
    defaults = data.get("defaults", {})
    if not isinstance(defaults, dict):
        tomlcheck.fail(where, "defaults must be a table ([defaults])")
    tomlcheck.check_keys(defaults, BUDGET_KEYS, (), f"{where} [defaults]")
    default_settings = _budget_settings(defaults, f"{where} [defaults]")

    raw_entries = data["entry"]
    if not isinstance(raw_entries, list) or not raw_entries:
        tomlcheck.fail(where, "entry must be a non-empty array of tables ([[entry]] …)")
    numbered = list(enumerate(raw_entries, 1))
    if games is not None:
        # The entries' games first: a game file they name is loaded, so that its id names it.
        played = [(n, raw, _entry_game(raw, path.parent, where)) for n, raw in numbered]
        wanted = {get_game(game_id).id for game_id in games}
        numbered = [(n, raw) for n, raw, game in played if game in wanted]
        if not numbered:
            tomlcheck.fail(where, f"no entry plays {', '.join(sorted(wanted))}")
    if numbers is not None:
        chosen = set(numbers)
        past = sorted(n for n in chosen if not 1 <= n <= len(raw_entries))
        if past:
            tomlcheck.fail(
                where, f"there is no entry {past[0]}: the file has entries 1 to {len(raw_entries)}"
            )
        numbered = [(n, raw) for n, raw in numbered if n in chosen]
        if not numbered:
            tomlcheck.fail(where, "no entry is both of the games and of the numbers asked for")
    level = first_level(alpha, len(numbered))
    entries = tuple(
        _entry(raw, f"{where}: entry {n}", default_settings, level, path.parent, entry_seconds)
        for n, raw in numbered
    )

    seen: dict[tuple[str, str, str, str], int] = {}
    for (number, _), entry in zip(numbered, entries, strict=True):
        key = (entry.game.id, entry.variant, entry.adversary.id, entry.place)
        if key in seen:
            tomlcheck.fail(
                where,
                f"entry {number} repeats entry {seen[key]} ({', '.join(key)}): with the same seed it "
                "would replay the same trials; remove one",
            )
        seen[key] = number
    for verdict in EXPECTATIONS if calibrated else ():
        if not any(entry.expect == verdict for entry in entries):
            tomlcheck.fail(
                where,
                f"no entry{' chosen' if games is not None or numbers is not None else ''} expects "
                f"{verdict!r}: a suite must show that the check can both pass and fail "
                "(calibration, docs/suites.md)",
            )
    fuzz = None if "fuzz" not in data else _fuzz_section(data["fuzz"], f"{where} [fuzz]", seed)
    return Suite(
        name, where, description, seed, alpha, float(time_limit), entries, entry_seconds, suite_seconds, fuzz
    )


def _fuzz_section(table: object, where: str, suite_seed: str) -> FuzzSection:
    if not isinstance(table, dict):
        tomlcheck.fail(where, "fuzz must be a table ([fuzz])")
    tomlcheck.check_keys(table, FUZZ_KEYS, ("budget",), where)
    names = table.get("games", [game.id for game in all_games()])
    if not isinstance(names, list) or not names or not all(isinstance(name, str) for name in names):
        tomlcheck.fail(where, "games must be a non-empty list of game ids")
    tier = tomlcheck.text(table.get("tier", "toy"), "tier", where)
    try:
        games = tuple(get_game(name) for name in names)
        for game in games:
            game.group(tier)
    except UsageError as exc:
        tomlcheck.fail(where, str(exc))
    budget = int(tomlcheck.positive(table["budget"], "budget", where, integer=True))
    seed = tomlcheck.seed(table["seed"], where) if "seed" in table else suite_seed
    return FuzzSection(games, tier, budget, seed)


# -- writing (the generated default suite) ------------------------------------------------------------


def _toml_string(text: str) -> str:
    """A TOML basic string (JSON's escapes are a subset of TOML's)."""
    return json.dumps(text)


def suite_toml(name: str, description: str, seed: str, alpha: float, entries: Iterable[SuiteEntry]) -> str:
    """A suite file of `entries`, budgets left to the calibrated defaults."""
    lines = [
        f"# {description}",
        "# Generated from mpgames.suites.demo by"
        " `python -m mpgames.suites.files > src/mpgames/suites/default.toml`; do not edit.",
        "# Format: docs/suites.md.",
        "",
        f"name = {_toml_string(name)}",
        f"description = {_toml_string(description)}",
        f"seed = {_toml_string(seed)}",
        f"alpha = {alpha!r}",
    ]
    for entry in entries:
        expect = entry.expect
        if expect is None:  # a reduction: judged by its loss relation, never a suite entry
            raise ValueError(f"{entry.adversary.id} expects no verdict, so it cannot be a suite entry")
        lines += [
            "",
            "[[entry]]",
            f"game = {_toml_string(entry.game.id)}",
            f"variant = {_toml_string(entry.variant)}",
            f"adversary = {_toml_string(entry.adversary.id)}",
            f"tier = {_toml_string(entry.tier)}",
            *([] if entry.group is None else [f"group = {_toml_string(entry.group)}"]),
            f"expect = {_toml_string(expect)}",
        ]
    return "\n".join(lines) + "\n"


def default_suite_toml() -> str:
    """src/mpgames/suites/default.toml as `mpgames.suites.demo.default_suite` picks it."""
    return suite_toml(
        "default",
        "Every game against its null and reference adversaries (mpgames demo).",
        DEFAULT_SUITE_SEED,
        DEFAULT_SUITE_ALPHA,
        default_suite(all_games(), adversaries_for),
    )


if __name__ == "__main__":
    sys.stdout.write(default_suite_toml())
