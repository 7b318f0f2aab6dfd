"""Rendering of run results (harness spec §9): terminal/Markdown table, JSON, run folder and manifest.

Every row names its tier, and any table with a toy row says that such rows are demonstrations, not
security evidence (harness §7). The run folder holds exactly three files this module owns —
summary.md, results.json, manifest.json — and nothing else in it is touched.

A command that a signal stopped still reports what it played: the table ends with a line "interrupted
by SIGINT after N of M entries", and the JSON and the manifest say `"complete": false` with
`"interrupted": "SIGINT"` (`"complete": true, "interrupted": null` otherwise). A run cut short shows
why in its verdict column ("timed out", "interrupted") instead of a verdict.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from mpgames.measure.records import ISOLATED, SCHEMA_VERSION, TRUSTED, Interruption, RunResult
from mpgames.measure.verdicts import DEFAULT_EPS0, DEFAULT_EPS1, Verdict
from mpgames.reports.output import write_atomically
from mpgames.reports.tables import table_text

COLUMNS = ("game", "variant", "adversary", "tier", "trials", "estimate", "verdict", "expected", "lost")

# The distributions whose versions decide a run's numbers: the project and its runtime dependencies.
PACKAGES = ("mpgames", "gmpy2", "pycryptodome", "tabulate", "scipy", "numpy", "tqdm")

TOY_NOTE = "toy: deliberately small groups; such rows demonstrate attacks and are not security evidence."
TRUSTED_NOTE = (
    "trusted: the adversary ran in the harness's process, against coins from the public seed; its verdict"
    " holds for adversaries that read neither the seed nor the harness (docs/isolation.md)."
)

# Files of a run folder; write_run_folder writes these and only these.
SUMMARY, RESULTS, MANIFEST = "summary.md", "results.json", "manifest.json"

_GIT_TIMEOUT = 10  # seconds; a git that hangs (network file system, lock) must not hold up a report


def _expected(result: RunResult) -> str:
    if result.expect is None:
        return "—"
    if result.all_faulted and result.stopped is None:
        return f"{result.expect} ✗ not judged"
    mark = {True: "✓", False: "✗ contradicted", None: "? undecided"}[result.expectation_met]
    return f"{result.expect} {mark}"


def _verdict(result: RunResult) -> str:
    """The verdict column: the verdict, with the threshold it was decided at when that is not the
    default (a demo entry relaxed to ε0 = 0.1, a suite entry's own ε0 or ε1)."""
    verdict, thresholds = result.estimate.verdict, result.estimate.thresholds
    if result.verdict != verdict.value:  # stopped early, or every trial faulted
        return result.verdict
    if verdict is Verdict.BOUNDED and thresholds.eps0 != DEFAULT_EPS0:
        return f"{verdict.value} (ε0 = {thresholds.eps0:g})"
    if verdict is Verdict.BROKEN and thresholds.eps1 != DEFAULT_EPS1:
        return f"{verdict.value} (ε1 = {thresholds.eps1:g})"
    return result.verdict


def _lost(result: RunResult) -> str:
    if not result.lost_total:
        return "none"
    detail = ", ".join(f"{name} {count}" for name, count in result.lost.items() if count)
    return f"{result.lost_total} ({detail})"


def table(
    results: Sequence[RunResult],
    fmt: str = "github",
    interruption: Interruption | None = None,
    *,
    ascii: bool = False,
) -> str:
    """One row per run (columns `COLUMNS`), the toy note when a row is of the toy tier, a note of how
    the adversaries ran (trusted, or isolated with the run key that replays a trial), and what
    interrupted the command, if something did; with `ascii`, laid out from ASCII cells
    (mpgames.reports.tables)."""
    stop = "" if interruption is None else f"\n\n{interruption.describe()}"
    if not results:
        return f"(no results){stop}"
    rows = [
        (
            r.game,
            r.variant,
            r.adversary,
            r.place,
            r.estimate.trials,
            r.estimate.describe(),
            _verdict(r),
            _expected(r),
            _lost(r),
        )
        for r in results
    ]
    text = table_text(rows, COLUMNS, ascii=ascii, tablefmt=fmt, disable_numparse=True)
    notes = [TOY_NOTE] if any(r.tier == "toy" for r in results) else []
    if any(r.trust == TRUSTED for r in results):
        notes.append(TRUSTED_NOTE)
    notes += [
        f"isolated: {r.adversary} ran in processes of its own, against secret coins; run key {r.run_key}"
        f" (mpgames replay … --run-key {r.run_key} replays a trial)."
        for r in results
        if r.trust == ISOLATED
    ]
    notes += [fault_note(r) for r in results if r.faults]
    return "\n\n".join([text, *notes]) + stop


def fault_note(result: RunResult) -> str:
    """What the adversary's author needs of its faults: each type, how often, its first trial,
    message and place in the adversary's code; every trial faulted is said first."""
    lines = [
        f"faults of {result.adversary}"
        + (
            f": every one of its {result.estimate.trials} trials faulted, so its row measures the fault"
            " scoring, not the adversary"
            if result.all_faulted
            else ""
        )
        + " (mpgames replay … --trial I --traceback shows the frames):"
    ]
    for kind, report in result.faults.items():
        at = f" at {report['at']}" if report["at"] else ""
        message = f": {report['message']}" if report["message"] else ""
        lines.append(
            f"  {kind} in {result.lost[kind]} trial(s), first in trial {report['trial']}{message}{at}"
        )
    return "\n".join(lines)


def completion(interruption: Interruption | None) -> dict[str, Any]:
    """The JSON fields that say whether the command ran to its end, or which signal stopped it."""
    return {
        "complete": interruption is None,
        "interrupted": None if interruption is None else interruption.signal_name,
    }


def json_text(value: Any, what: str) -> str:
    """`value` as indented JSON text (no NaN), `ValueError` naming `what` if it is not JSON."""
    try:
        return json.dumps(value, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{what} is not JSON-serialisable: {exc}") from None


def to_json(
    results: Sequence[RunResult], meta: Mapping[str, Any], interruption: Interruption | None = None
) -> str:
    """`{"schema_version", "complete", "interrupted", "meta", "results": [RunResult.as_dict(), ...]}`
    as indented JSON."""
    return json_text(
        {
            "schema_version": SCHEMA_VERSION,
            **completion(interruption),
            "meta": dict(meta),
            "results": [r.as_dict() for r in results],
        },
        "results or meta",
    )


def _git(*args: str) -> str | None:
    """Output of a git command run in this source tree, or None if git or the repository is unavailable."""
    try:
        done = subprocess.run(
            ["git", *args],
            cwd=Path(__file__).resolve().parent,
            capture_output=True,
            text=True,
            timeout=_GIT_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def _version(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def manifest(
    seed: str | int, parameters: Mapping[str, Any], interruption: Interruption | None = None
) -> dict[str, Any]:
    """What is needed to reproduce a run: seed, parameters, versions, git revision, platform, time;
    and whether it ran to its end (`completion`)."""
    if not isinstance(parameters, Mapping):
        raise ValueError(f"parameters must be a mapping, got {type(parameters).__name__}")
    json_text(dict(parameters), "parameters")
    revision = _git("rev-parse", "HEAD")
    status = _git("status", "--porcelain", "--untracked-files=no") if revision else None
    return {
        "schema_version": SCHEMA_VERSION,
        **completion(interruption),
        "seed": str(seed),
        "parameters": dict(parameters),
        "python": platform.python_version(),
        "python_implementation": platform.python_implementation(),
        "packages": {name: _version(name) for name in PACKAGES},
        "git_revision": revision,
        "git_dirty": None if status is None else bool(status),
        "platform": platform.platform(),
        "timestamp": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def summary_markdown(
    results: Sequence[RunResult], run_manifest: Mapping[str, Any], interruption: Interruption | None = None
) -> str:
    """The human summary of a run folder: provenance, the table (with what interrupted the command),
    and how to read it."""
    revision = run_manifest.get("git_revision") or "unknown"
    if run_manifest.get("git_dirty"):
        revision += " (with uncommitted changes)"
    levels = sorted({tuple(r.estimate.thresholds.as_dict().values()) for r in results})
    lines = [
        "# mpgames run" + ("" if interruption is None else " (incomplete)"),
        "",
        f"- seed: `{run_manifest.get('seed')}`",
        f"- git revision: {revision}",
        f"- time: {run_manifest.get('timestamp')}",
        *(
            f"- thresholds: bounded if Adv < {e0}, broken if Adv > {e1}, α = {a} per run"
            for e0, e1, a in levels
        ),
        "",
        table(results, "github", interruption),
        "",
        "Intervals come from a confidence sequence, right at every trial at once, so they hold wherever "
        "a run stopped (a `--fixed` run's are exact Clopper–Pearson intervals); a verdict is wrong with "
        "probability at most α. Inconclusive means the interval straddles a threshold: no claim either way.",
        "",
    ]
    return "\n".join(lines)


def write_run_folder(
    directory: str | os.PathLike[str],
    results: Sequence[RunResult],
    manifest: Mapping[str, Any],
    interruption: Interruption | None = None,
) -> Path:
    """Create `directory` if needed and write summary.md, results.json and manifest.json into it.

    Only these three names are (over)written; any other file in the folder is left alone. Everything is
    rendered before the first write, so bad input leaves the folder as it was.
    """
    folder = Path(directory)
    texts = {
        SUMMARY: summary_markdown(results, manifest, interruption),
        RESULTS: to_json(results, manifest, interruption),
        MANIFEST: json_text(dict(manifest), "manifest"),
    }
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in texts.items():
        write_atomically(folder / name, text)
    return folder
