"""Regression vectors: won trials saved as JSON and replayed forever (harness §6, last bullet).

A vector holds what is needed to play one trial again — game, variant, adversary, tier, group, run
seed, seed derivation (`seeds`, mpgames.framework.seeds; a v1 vector, which has none, was played
with derivation 1) and trial index — with the parameters that shape the trial (the game's oracle budgets, the
group's fingerprint, the adversary's time limit), its transcript, the SHA-256 digest of the
canonical transcript, and a note in the style of Project Wycheproof:

* `bugType`: what the win exhibits. `KNOWN_WEAKNESS` against a variant flagged broken (a
  deliberately weak construction of the spec); `WEAK_PARAMETERS` against a sound variant on the toy
  tier (a group small enough for generic attacks or luck); `UNEXPECTED_WIN` against a sound variant
  on the standard tier, which no vector of a correct implementation should ever show;
* `description`: the variant's description (what is weak about it);
* `effect`: the adversary's label (what the attack achieves).

The canonical transcript is the `enc` encoding of the trial's steps, each step its name and its
(key, rendered value) pairs. Replaying a vector (`check_vector`) plays the trial again with tracing
and compares: the same parameters, a win, the same digest. Any difference is reported by the first
step that changed, so a failing vector says what moved; `mpgames replay --vector FILE` prints the
replayed steps and that verdict (`replay_report`), with exit status 0 when the vector still holds.

The won trials come from the run itself: with `--save-wins` the engine plays the run with tracing
and a `TrialLog` keeps its first `MAX_SAVED_WINS` won trials by index (`save_wins` writes them), so
no trial is played twice. Any win of a win-lose game is a concrete break (a forgery, an extra coin)
and is saved; the wins of a guessing game only when its run is broken, since a guess is right by luck.
Vectors are external input when read back: every field is validated (`VectorError`).

An adversary that is not registered (a file, an entry point) is recorded by where it was loaded
from (`source`), and a game loaded from a file (docs/plugins.md) by its file and class
(`game_source`), so that the vector replays them.

A win of the attack search (`mpgames fuzz --save-wins`, docs/fuzz.md) is a vector too: its
adversary is the plan it found, stored under `plan` (mpgames.fuzz.serial) and played again by the
generic adversary of mpgames.fuzz.adversary.
"""

from __future__ import annotations

import hashlib
import inspect
import json
import os
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mpgames.adversaries.registry import adversary_ids, resolve
from mpgames.framework.base import AdversaryLike, Game
from mpgames.framework.engine import TrialSpec, make_spec, play_trial
from mpgames.framework.errors import UsageError
from mpgames.framework.outcome import TraceEntry, TrialOutcome
from mpgames.framework.plugin_files import module_source
from mpgames.framework.seeds import MAX_TRIAL, RUN_KEY_BYTES, SEEDS, SEEDS_V1, checked_derivation
from mpgames.fuzz.adversary import PlanAdversary, plan_adversary
from mpgames.fuzz.serial import PlanError, plan_data, read_plan
from mpgames.games.registry import get_game
from mpgames.measure.records import ISOLATED, TIERS, RunResult
from mpgames.measure.verdicts import Kind, Verdict
from mpgames.reports.output import write_atomically
from mpgames.scheme.encoding import enc
from mpgames.scheme.integers import checked_int

# The schema written, and the one before it, still read: a v1 vector was played with the first seed
# derivation and has no "seeds" key (mpgames.framework.seeds).
SCHEMA = "mpgames/win-vector/v2"
SCHEMA_V1 = "mpgames/win-vector/v1"
DIGEST_DOMAIN = b"mpgames/transcript/v1"

# Won trials saved per run, the first ones by index: enough to pin an attack, few enough that a
# guessing adversary of a hidden-bit game (which wins half its trials by luck) writes a handful.
MAX_SAVED_WINS = 5

BUG_TYPES = ("KNOWN_WEAKNESS", "WEAK_PARAMETERS", "UNEXPECTED_WIN")

_FIELDS = ("schema", "game", "variant", "adversary", "tier", "group", "seed", "trial")
_KEYS = (*_FIELDS, "parameters", "transcript", "transcript_digest", "note")
_OPTIONAL_KEYS = ("plan", "seeds", "source", "game_source")
# The longest `source` or `game_source` a vector may name.
MAX_SOURCE = 1000
_NOTE_KEYS = ("bugType", "description", "effect")
_HEX_DIGEST = re.compile(r"[0-9a-f]{64}")
_SAFE = re.compile(r"[A-Za-z0-9_.-]{1,32}")


class VectorError(UsageError):
    """A vector file that cannot be read or does not describe a trial this harness can play."""


def transcript_digest(transcript: Sequence[TraceEntry]) -> str:
    """SHA-256 (hex) of the canonical encoding of a transcript."""
    canonical = enc(*((entry.step, entry.data) for entry in transcript))
    return hashlib.sha256(DIGEST_DOMAIN + canonical).hexdigest()


def trial_parameters(spec: TrialSpec) -> dict[str, Any]:
    """What besides the seed path shapes a trial: oracle budgets, the group, the time limit, and the
    run key of the challenger's coins where a run had one (an isolated run: published after it)."""
    parameters: dict[str, Any] = {
        "budgets": dict(spec.game.budgets),
        "group_fingerprint": spec.resolved_group().fingerprint(),
        "time_limit": spec.time_limit,
    }
    if spec.run_key is not None:
        parameters["run_key"] = spec.run_key.hex()
    return parameters


def parse_run_key(text: object) -> bytes:
    """A run key from its hexadecimal form; `UsageError` unless it is 64 hexadecimal digits."""
    if type(text) is not str or len(text) != 2 * RUN_KEY_BYTES:
        raise UsageError(f"a run key is {2 * RUN_KEY_BYTES} hexadecimal digits")
    try:
        return bytes.fromhex(text)
    except ValueError:
        raise UsageError(f"a run key is {2 * RUN_KEY_BYTES} hexadecimal digits") from None


def bug_type(game: type[Game], variant: str, tier: str) -> str:
    """The Wycheproof-style `bugType` of a win (module docstring)."""
    if game.variant(variant).broken:
        return "KNOWN_WEAKNESS"
    return "WEAK_PARAMETERS" if tier == "toy" else "UNEXPECTED_WIN"


@dataclass(frozen=True)
class WinVector:
    """One won trial, as saved (module docstring)."""

    game: str
    variant: str
    adversary: str
    tier: str
    group: str
    seed: str
    trial: int
    parameters: Mapping[str, Any]
    transcript: tuple[TraceEntry, ...]
    bug_type: str
    description: str
    effect: str
    # The plan of an attack-search win (mpgames.fuzz.serial data); None for a registered adversary.
    plan: Mapping[str, Any] | None = None
    # The seed derivation the trial was played with.
    seeds: int = SEEDS
    # Where an adversary that is not registered was loaded from ("file.py:Class", "module:Class"),
    # so that the vector replays it; None for a registered adversary.
    source: str | None = None
    # Where a game loaded from a file was loaded from ("file.py:Class", docs/plugins.md), so that
    # the vector replays it; None for a game its id names (built in, or an entry point).
    game_source: str | None = None

    @property
    def digest(self) -> str:
        return transcript_digest(self.transcript)

    @classmethod
    def of(cls, spec: TrialSpec, outcome: TrialOutcome) -> WinVector:
        """The vector of a won trial of `spec`, played with tracing."""
        if not (outcome.won and outcome.transcript):
            raise ValueError("a vector records a won trial played with tracing")
        return cls(
            game=spec.game.id,
            variant=spec.variant,
            adversary=spec.adversary.id,
            tier=spec.tier,
            group=spec.group_name,
            seed=spec.seed,
            trial=outcome.index,
            parameters=trial_parameters(spec),
            transcript=outcome.transcript,
            bug_type=bug_type(spec.game, spec.variant, spec.tier),
            description=spec.game.variant(spec.variant).description,
            effect=spec.adversary.label,
            plan=plan_data(spec.adversary.plan) if issubclass(spec.adversary, PlanAdversary) else None,
            seeds=spec.seeds,
            source=adversary_source(spec.adversary),
            game_source=game_source(spec.game),
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "game": self.game,
            "variant": self.variant,
            "adversary": self.adversary,
            "tier": self.tier,
            "group": self.group,
            "seed": self.seed,
            "seeds": self.seeds,
            "trial": self.trial,
            "parameters": dict(self.parameters),
            "transcript": [{"step": entry.step, "data": dict(entry.data)} for entry in self.transcript],
            "transcript_digest": self.digest,
            "note": {"bugType": self.bug_type, "description": self.description, "effect": self.effect},
            **({} if self.plan is None else {"plan": dict(self.plan)}),
            **({} if self.source is None else {"source": self.source}),
            **({} if self.game_source is None else {"game_source": self.game_source}),
        }

    @classmethod
    def from_dict(cls, data: object, where: str = "vector") -> WinVector:
        """Validate a vector read from JSON; the stored digest must match the stored transcript."""

        def fail(message: str) -> VectorError:
            return VectorError(f"{where}: {message}")

        if not isinstance(data, dict):
            raise fail("a vector must be a JSON object")
        missing = [key for key in _KEYS if key not in data]
        if missing:
            raise fail(f"missing key {missing[0]!r}")
        unknown = [key for key in data if key not in (*_KEYS, *_OPTIONAL_KEYS)]
        if unknown:  # it would be dropped, so the vector would not be the file
            raise fail(f"unknown key {unknown[0]!r}")
        if data["schema"] == SCHEMA_V1:
            if "seeds" in data:
                raise fail("a v1 vector has no 'seeds' key: it was played with seed derivation 1")
            seeds = SEEDS_V1
        elif data["schema"] == SCHEMA:
            if "seeds" not in data:
                raise fail("missing key 'seeds'")
            try:
                seeds = checked_derivation(data["seeds"], "seeds")
            except UsageError as exc:
                raise fail(str(exc)) from None
        else:
            raise fail(f"schema is {data['schema']!r}; this reader knows {SCHEMA!r} and {SCHEMA_V1!r}")
        for key in _FIELDS[1:-1]:
            if not isinstance(data[key], str) or not data[key]:
                raise fail(f"{key} must be a non-empty string")
        if data["tier"] not in TIERS:
            raise fail(f"tier must be one of {', '.join(TIERS)}")
        trial = checked_int(data["trial"], "trial", minimum=0, maximum=MAX_TRIAL, error=fail)
        if not isinstance(data["parameters"], dict):
            raise fail("parameters must be an object")
        note = data["note"]
        if not isinstance(note, dict) or any(not isinstance(note.get(k), str) for k in _NOTE_KEYS):
            raise fail(f"note must be an object of strings {', '.join(_NOTE_KEYS)}")
        if len(note) != len(_NOTE_KEYS):
            raise fail(f"note has keys besides {', '.join(_NOTE_KEYS)}")
        if note["bugType"] not in BUG_TYPES:
            raise fail(f"note.bugType must be one of {', '.join(BUG_TYPES)}")
        transcript = _transcript(data["transcript"], fail)
        texts = [data[key] for key in _FIELDS[1:-1]] + [note[key] for key in _NOTE_KEYS]
        for entry in transcript:
            texts += [entry.step, *(text for pair in entry.data for text in pair)]
        try:
            for text in texts:
                text.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate (JSON "\ud800") can be neither hashed nor written
            raise fail("text fields must be valid Unicode (no lone surrogates)") from None
        digest = data["transcript_digest"]
        if not isinstance(digest, str) or not _HEX_DIGEST.fullmatch(digest):
            raise fail("transcript_digest must be 64 lowercase hex digits")
        vector = cls(
            game=data["game"],
            variant=data["variant"],
            adversary=data["adversary"],
            tier=data["tier"],
            group=data["group"],
            seed=data["seed"],
            trial=trial,
            parameters=data["parameters"],
            transcript=transcript,
            bug_type=note["bugType"],
            description=note["description"],
            effect=note["effect"],
            plan=data.get("plan"),
            seeds=seeds,
            source=_checked_source(data.get("source"), fail),
            game_source=_checked_source(data.get("game_source"), fail),
        )
        if vector.plan is not None:
            try:
                read_plan(vector.plan, vector.loaded_game())
            except (PlanError, UsageError) as exc:
                raise fail(f"plan: {exc}") from None
        if vector.digest != digest:
            raise fail("transcript_digest does not match the stored transcript (edited by hand?)")
        return vector

    def spec(self) -> TrialSpec:
        """The traced trial spec of this vector; `UsageError` if its game or adversary is unknown."""
        game = self.loaded_game()
        time_limit = self.parameters.get("time_limit")
        run_key = self.parameters.get("run_key")
        if self.plan is not None:
            adversary: type[AdversaryLike] = plan_adversary(game, read_plan(self.plan, game))
        else:
            # A loaded adversary plays as it did: isolated where its run had a run key, else trusted.
            adversary = resolve(self.source or self.adversary, game.id, trusted=run_key is None)
            if adversary.id != self.adversary:
                raise VectorError(f"{self.source} is now adversary {adversary.id!r}, not {self.adversary!r}")
        return make_spec(
            game,
            self.variant,
            adversary,
            self.tier,
            seed=self.seed,
            time_limit=time_limit if isinstance(time_limit, int | float) else None,
            group=self.group,
            tracing=True,
            run_key=None if run_key is None else parse_run_key(run_key),
            seeds=self.seeds,
        )

    def loaded_game(self) -> type[Game]:
        """Its game: loaded from `game_source` if it has one, else the game its id names."""
        game = get_game(self.game_source or self.game)
        if game.id != self.game:
            raise VectorError(f"{self.game_source} is now game {game.id!r}, not {self.game!r}")
        return game

    def filename(self) -> str:
        """`game_variant_adversary_tier_s<seed>_t<trial>.json`; odd seeds appear by their hash."""
        seed = (
            self.seed if _SAFE.fullmatch(self.seed) else hashlib.sha256(self.seed.encode()).hexdigest()[:12]
        )
        return f"{self.game}_{self.variant}_{self.adversary}_{self.tier}_s{seed}_t{self.trial}.json"


def adversary_source(adversary: type[AdversaryLike]) -> str | None:
    """Where `adversary` was loaded from, if it is not registered: the reference an isolated one was
    loaded by, or the file and class of a trusted one (`WinVector.source`)."""
    if adversary.id in adversary_ids() or issubclass(adversary, PlanAdversary):
        return None
    if adversary.isolated_only:
        return adversary.source_reference()
    try:
        file = inspect.getsourcefile(adversary)
    except TypeError:  # defined where no file is (a class made at run time)
        return None
    return None if file is None else f"{file}:{adversary.__qualname__}"


def game_source(game: type[Game]) -> str | None:
    """Where `game` was loaded from, if a file: "path/to/file.py:Class" (`WinVector.game_source`)."""
    source = module_source(game.__module__)
    return f"{source}:{game.__qualname__}" if os.path.isabs(source) else None


def _checked_source(value: object, fail: Callable[[str], VectorError]) -> str | None:
    if value is not None and (type(value) is not str or not 0 < len(value) <= MAX_SOURCE):
        raise fail(f"source must be a non-empty string of at most {MAX_SOURCE} characters")
    return value


def _transcript(value: object, fail: Callable[[str], VectorError]) -> tuple[TraceEntry, ...]:
    if not isinstance(value, list):
        raise fail("transcript must be a list of steps")
    entries = []
    for number, step in enumerate(value, 1):
        data = step.get("data") if isinstance(step, dict) else None
        if not (
            isinstance(step, dict)
            and len(step) == 2
            and isinstance(step.get("step"), str)
            and isinstance(data, dict)
            and all(isinstance(key, str) and isinstance(text, str) for key, text in data.items())
        ):
            raise fail(f"transcript step {number} must be {{'step': text, 'data': {{key: text, ...}}}}")
        entries.append(TraceEntry(step["step"], tuple(data.items())))
    return tuple(entries)


def load_vector(path: str | os.PathLike[str]) -> WinVector:
    """Read and validate a vector file."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise VectorError(f"{path}: cannot read the vector: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise VectorError(f"{path}: not UTF-8 text: {exc}") from None
    except (ValueError, RecursionError) as exc:
        # JSONDecodeError, an integer longer than int() converts, or arrays nested too deeply
        raise VectorError(f"{path}: not valid JSON: {exc}") from None
    return WinVector.from_dict(data, str(path))


def check_vector(vector: WinVector) -> list[str]:
    """Replay the vector's trial; the differences from the saved trial (empty: same outcome)."""
    return replay_vector(vector)[1]


def replay_vector(vector: WinVector) -> tuple[TrialOutcome, list[str]]:
    """Replay the vector's trial: the traced outcome and its differences from the saved trial."""
    spec = vector.spec()
    problems = []
    now = trial_parameters(spec)
    changed = sorted(key for key in {*now, *vector.parameters} if now.get(key) != vector.parameters.get(key))
    if changed:
        problems.append(f"parameters changed: {', '.join(changed)}")
    outcome = play_trial(spec, vector.trial)
    if not outcome.won:
        problems.append("the trial is no longer won")
    if transcript_digest(outcome.transcript) != vector.digest:
        problems.append(_first_difference(vector.transcript, outcome.transcript))
    return outcome, problems


def replay_report(vector: WinVector, outcome: TrialOutcome, problems: Sequence[str]) -> str:
    """What `mpgames replay --vector` prints: the trial, its replayed steps, the result, the verdict."""
    result = "won" if outcome.won else "lost"
    lines = [
        f"{vector.game} variant={vector.variant} adversary={vector.adversary} tier={vector.tier} "
        f"group={vector.group} seed={vector.seed!r} trial={vector.trial}",
        f"note: {vector.bug_type}: {vector.effect}",
        *(f"  {number:2}. {entry.format()}" for number, entry in enumerate(outcome.transcript, 1)),
        f"result: {result}; transcript digest {transcript_digest(outcome.transcript)}",
    ]
    if problems:
        lines += ["does not match the vector:", *(f"  - {problem}" for problem in problems)]
    else:
        lines.append(f"matches the vector: won, digest {vector.digest}")
    return "\n".join(lines)


def _first_difference(saved: Sequence[TraceEntry], replayed: Sequence[TraceEntry]) -> str:
    for number, (old, new) in enumerate(zip(saved, replayed, strict=False), 1):
        if old != new:
            return f"transcript differs at step {number}: saved {old.format()!r}, replayed {new.format()!r}"
    return f"transcript has {len(replayed)} steps, the saved one {len(saved)}"


def save_wins(
    directory: str | os.PathLike[str],
    game: type[Game],
    adversary: type[AdversaryLike],
    result: RunResult,
    wins: Sequence[TrialOutcome],
    *,
    time_limit: float | None,
) -> list[Path]:
    """Write the vectors of a finished run's first won trials, `wins` (traced); the files written.

    In a guessing game (guess-1-of-n, hidden-bit) a single win is luck as often as not, so its wins
    are saved only when the run as a whole is broken.
    """
    guessing = result.estimate.kind is not Kind.WIN_LOSE
    if not wins or (guessing and result.estimate.verdict is not Verdict.BROKEN):
        return []
    spec = traced_spec(game, adversary, result, time_limit=time_limit)
    return write_vectors(directory, [WinVector.of(spec, outcome) for outcome in wins])


def traced_spec(
    game: type[Game], adversary: type[AdversaryLike], result: RunResult, *, time_limit: float | None
) -> TrialSpec:
    """The spec of the run `result` records, traced: its trials play again as they did (the same
    seed, group, seed derivation, and run key for an isolated run)."""
    return make_spec(
        game,
        result.variant,
        adversary,
        result.tier,
        seed=result.seed,
        time_limit=time_limit,
        group=result.group,
        tracing=True,
        isolated=result.trust == ISOLATED,
        run_key=None if result.run_key is None else parse_run_key(result.run_key),
        seeds=result.seeds,
    )


def write_vectors(directory: str | os.PathLike[str], vectors: Sequence[WinVector]) -> list[Path]:
    """Write each vector to `directory` under its `filename()`; the files written."""
    folder = Path(directory)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        written = []
        for vector in vectors:
            path = folder / vector.filename()
            write_atomically(path, json.dumps(vector.as_dict(), indent=2, ensure_ascii=False) + "\n")
            written.append(path)
    except OSError as exc:
        raise UsageError(f"cannot write vectors to {folder}: {exc.strerror or exc}") from None
    return written
