"""Tests for mpgames.measure.records and mpgames.reports.render (harness §9): run records, their
JSON, the table, the run folder and the manifest."""

from __future__ import annotations

import dataclasses
import json
import math
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mpgames.measure.estimation import EXACT, estimate
from mpgames.measure.records import INTERRUPTED, SCHEMA_VERSION, TIMED_OUT, Interruption, RunResult
from mpgames.measure.verdicts import Kind, Thresholds, Verdict
from mpgames.reports import render

TH = Thresholds()


def make_result(
    *,
    wins: int = 0,
    trials: int = 200,
    kind: Kind = Kind.WIN_LOSE,
    tier: str = "standard",
    expect: str | None = "bounded",
    **overrides: Any,
) -> RunResult:
    fields: dict[str, Any] = {
        "game": "sig.euf-cma",
        "variant": "schnorr",
        "adversary": "random-forgery",
        "tier": tier,
        "group": "toy-2039" if tier == "toy" else "rfc5114-2048-256",
        "expect": expect,
        "estimate": estimate(
            kind, wins, trials, TH, n_choices=2 if kind is Kind.GUESS_1_OF_N else None, looks=7, method=EXACT
        ),
        "lost": {"BudgetExceeded": 2, "TimeoutError": 1} if trials - wins >= 3 else {},
        "seed": "seed-1",
        "seconds": 1.25,
        "mean_exponentiations": 12.5,
        "mean_hashes": 3.0,
        "mean_queries": {"sign": 4.0, "hash": 0.5},
    }
    return RunResult(**{**fields, **overrides})


# --- records ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("wins", "trials", "expect", "met"),
    [
        (0, 200, "bounded", True),  # null adversary bounded, as expected
        (25, 25, "broken", True),  # reference attack broken, as expected
        (25, 25, "bounded", False),  # a bounded expectation contradicted by a break
        (0, 200, "broken", False),  # an attack that no longer works
        (10, 100, "bounded", None),  # inconclusive: nothing to judge
        (0, 200, None, None),  # no expectation
    ],
)
def test_expectation_met(wins: int, trials: int, expect: str | None, met: bool | None) -> None:
    assert make_result(wins=wins, trials=trials, expect=expect).expectation_met is met


@st.composite
def run_counts(draw: st.DrawFn) -> tuple[dict[str, int], int, int]:
    """Trials lost by error per type, total trials, wins: lost trials are among the trials not won."""
    lost = draw(
        st.dictionaries(st.sampled_from(["BudgetExceeded", "PhaseError", "TimeoutError"]), st.integers(0, 3))
    )
    trials = draw(st.integers(max(1, sum(lost.values())), 400))
    return lost, trials, draw(st.integers(0, trials - sum(lost.values())))


@given(
    st.sampled_from(list(Kind)),
    run_counts(),
    st.sampled_from(["toy", "standard"]),
    st.sampled_from(["broken", "bounded", None]),
    st.floats(0, 1e6),
)
def test_json_round_trip(
    kind: Kind, counts: tuple[dict[str, int], int, int], tier: str, expect: str | None, seconds: float
) -> None:
    lost, trials, wins = counts
    result = make_result(
        kind=kind, wins=wins, trials=trials, tier=tier, expect=expect, lost=lost, seconds=seconds
    )
    again = RunResult.from_dict(json.loads(json.dumps(result.as_dict())))
    assert again == result
    assert again.as_dict() == result.as_dict()


def test_as_dict_is_versioned_and_carries_derived_fields() -> None:
    record = make_result().as_dict()
    assert record["schema_version"] == SCHEMA_VERSION
    assert record["expectation_met"] is True
    assert record["lost_total"] == 3
    assert record["estimate"]["verdict"] == "bounded"
    assert record["estimate"]["describe"] == "Adv < 0.047 at 99.9% (n=200)"
    assert list(record["mean_queries"]) == ["hash", "sign"]


def test_from_dict_refuses_other_versions_missing_fields_and_stale_verdicts() -> None:
    record = make_result().as_dict()
    with pytest.raises(ValueError, match="schema version 99"):
        RunResult.from_dict({**record, "schema_version": 99})
    with pytest.raises(ValueError, match="lacks seed"):
        RunResult.from_dict({k: v for k, v in record.items() if k != "seed"})
    stale = {**record, "estimate": {**record["estimate"], "verdict": "broken"}}
    with pytest.raises(ValueError, match="counts give 'bounded'"):
        RunResult.from_dict(stale)
    with pytest.raises(ValueError, match="JSON object"):
        RunResult.from_dict([record])  # type: ignore[arg-type]


def test_run_result_is_immutable_including_its_mappings() -> None:
    lost = {"BudgetExceeded": 2}
    result = make_result(lost=lost)
    lost["BudgetExceeded"] = 50  # the caller's dict is copied, not shared
    assert result.lost == {"BudgetExceeded": 2}
    with pytest.raises(TypeError):
        result.lost["PhaseError"] = 1  # type: ignore[index]
    with pytest.raises(TypeError):
        result.mean_queries["sign"] = 0.0  # type: ignore[index]
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.tier = "standard"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"tier": "medium"}, "tier"),
        ({"expect": "inconclusive"}, "expect"),
        ({"expect": "null"}, "expect"),
        ({"game": ""}, "game"),
        ({"seed": 7}, "seed"),
        ({"lost": {"BudgetExceeded": -1}}, "lost"),
        ({"lost": {"BudgetExceeded": 1.5}}, "lost"),
        ({"lost": {"": 1}}, "lost"),
        ({"lost": {"BudgetExceeded": 201}}, "exceed the 200 trials not won"),
        ({"wins": 199, "lost": {"BudgetExceeded": 1, "PhaseError": 1}}, "exceed the 1 trials not won"),
        ({"lost": [("BudgetExceeded", 1)]}, "mapping"),
        ({"seconds": -1.0}, "seconds"),
        ({"mean_hashes": math.nan}, "mean_hashes"),
        ({"mean_queries": {"sign": math.inf}}, "mean_queries"),
        ({"estimate": 0.0}, "Estimate"),
        ({"stopped": "tired"}, "stopped must be one of"),
    ],
)
def test_run_result_refuses_bad_fields(overrides: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        make_result(**overrides)


@pytest.mark.parametrize("stopped", [TIMED_OUT, INTERRUPTED])
def test_a_run_cut_short_shows_why_instead_of_a_verdict_and_is_never_judged(stopped: str) -> None:
    """Its counts would say bounded (0 of 200 won); cut short, it says why it stopped instead."""
    result = make_result(stopped=stopped)
    assert result.estimate.verdict is Verdict.BOUNDED and make_result().expectation_met is True
    assert result.verdict == stopped and result.expectation_met is None
    again = RunResult.from_dict(json.loads(json.dumps(result.as_dict())))
    assert again == result and again.as_dict()["stopped"] == stopped
    header, row = rows_of(render.table([result]))
    assert dict(zip(header, row, strict=True))["verdict"] == stopped


def test_an_interruption_names_its_signal_status_and_progress() -> None:
    stop = Interruption("SIGTERM", 2, 5)
    assert (stop.status, stop.describe()) == (143, "interrupted by SIGTERM after 2 of 5 entries")
    assert Interruption("SIGINT", 0, 1).status == 130
    with pytest.raises(ValueError, match="signal_name"):
        Interruption("CTRL-C", 0, 1)
    with pytest.raises(ValueError, match="finished"):
        Interruption("SIGINT", 6, 5)


def test_expect_accepts_the_verdict_enum_and_stores_its_value() -> None:
    result = make_result(expect=Verdict.BOUNDED)
    assert type(result.expect) is str
    assert result.expect == "bounded"
    assert result.expectation_met is True


# --- table --------------------------------------------------------------------------------------------


def rows_of(text: str) -> list[list[str]]:
    """Cells of a github-format table, header first, separator dropped."""
    lines = [line for line in text.splitlines() if line.startswith("|") and not line.startswith("|-")]
    return [[cell.strip() for cell in line.strip("|").split("|")] for line in lines]


def test_table_has_the_contract_columns_and_every_row_names_its_tier() -> None:
    results = [
        make_result(tier="toy", wins=25, trials=25, expect="broken"),
        make_result(tier="standard"),
        make_result(tier="standard", wins=10, trials=100),
    ]
    header, *rows = rows_of(render.table(results))
    assert tuple(header) == render.COLUMNS
    tier = header.index("tier")
    assert [row[tier] for row in rows] == ["toy", "standard", "standard"]
    as_dicts = [dict(zip(header, row, strict=True)) for row in rows]
    assert as_dicts[0]["estimate"] == "Adv ≥ 0.68 at 99.9% (n=25)"
    assert as_dicts[0]["expected"] == "broken ✓"
    assert as_dicts[1]["lost"] == "3 (BudgetExceeded 2, TimeoutError 1)"
    assert as_dicts[2]["verdict"] == "inconclusive"
    assert as_dicts[2]["expected"] == "bounded ? undecided"


def test_table_flags_toy_rows_and_contradictions() -> None:
    toy = render.table([make_result(tier="toy", wins=25, trials=25, expect="bounded", lost={})])
    assert render.TOY_NOTE in toy
    assert "bounded ✗ contradicted" in toy
    assert "none" in toy
    assert render.TOY_NOTE not in render.table([make_result()])


def test_simple_format_is_readable_in_a_terminal() -> None:
    text = render.table([make_result()], "simple")
    header = text.splitlines()[0].split()
    assert header == list(render.COLUMNS)
    assert "standard" in text.splitlines()[2]


def test_empty_table() -> None:
    assert render.table([]) == "(no results)"


def test_an_interrupted_table_ends_with_what_interrupted_it() -> None:
    stop = Interruption("SIGINT", 1, 3)
    assert render.table([make_result()], interruption=stop).endswith(
        "\n\ninterrupted by SIGINT after 1 of 3 entries"
    )
    assert render.table([], interruption=stop).endswith("interrupted by SIGINT after 1 of 3 entries")
    assert "interrupted" not in render.table([make_result()])


# --- JSON, manifest and run folder --------------------------------------------------------------------


def test_to_json_parses_back_to_the_results() -> None:
    results = [make_result(), make_result(tier="toy", wins=25, trials=25, expect="broken")]
    document = json.loads(render.to_json(results, {"command": "demo"}))
    assert document["schema_version"] == SCHEMA_VERSION
    assert (document["complete"], document["interrupted"]) == (True, None)
    assert document["meta"] == {"command": "demo"}
    assert [RunResult.from_dict(r) for r in document["results"]] == results


def test_json_and_manifest_of_an_interrupted_command_say_it_is_incomplete() -> None:
    stop = Interruption("SIGTERM", 0, 1)
    document = json.loads(render.to_json([make_result(stopped=INTERRUPTED)], {}, stop))
    assert (document["complete"], document["interrupted"]) == (False, "SIGTERM")
    manifest = render.manifest(1, {}, stop)
    assert (manifest["complete"], manifest["interrupted"]) == (False, "SIGTERM")
    assert render.manifest(1, {})["complete"] is True


def test_to_json_refuses_unserialisable_meta() -> None:
    with pytest.raises(ValueError, match="not JSON-serialisable"):
        render.to_json([make_result()], {"when": object()})
    with pytest.raises(ValueError, match="not JSON-serialisable"):
        render.to_json([make_result()], {"alpha": math.nan})


def test_manifest_records_versions_revision_platform_and_parameters() -> None:
    manifest = render.manifest(42, {"max_trials": 1000, "thresholds": TH.as_dict()})
    assert manifest["seed"] == "42"
    assert manifest["parameters"]["thresholds"] == {"eps0": 0.05, "eps1": 0.25, "alpha": 0.001}
    assert manifest["python"].startswith("3.")
    for package in ("gmpy2", "pycryptodome", "tabulate", "scipy"):
        assert manifest["packages"][package], package  # installed, so a version string
    revision = manifest["git_revision"]
    assert revision is None or (len(revision) == 40 and int(revision, 16) >= 0)
    assert manifest["timestamp"].endswith("+00:00")
    json.loads(json.dumps(manifest))
    with pytest.raises(ValueError, match="parameters"):
        render.manifest(1, {"rng": object()})


def test_manifest_reports_a_missing_package_as_none(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(render, "PACKAGES", ("scipy", "no-such-distribution-mpgames"))
    assert render.manifest(1, {})["packages"] == {
        "scipy": render._version("scipy"),
        "no-such-distribution-mpgames": None,
    }


def test_manifest_without_git_has_no_revision(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "")  # no git executable to be found
    manifest = render.manifest(1, {})
    assert manifest["git_revision"] is None
    assert manifest["git_dirty"] is None


def test_write_run_folder_writes_three_parseable_files(tmp_path: Path) -> None:
    results = [make_result(tier="toy", wins=25, trials=25, expect="broken"), make_result()]
    manifest = render.manifest("seed-1", {"max_trials": 1000})
    folder = render.write_run_folder(tmp_path / "runs" / "demo-seed-1", results, manifest)
    assert sorted(p.name for p in folder.iterdir()) == ["manifest.json", "results.json", "summary.md"]
    assert json.loads((folder / "manifest.json").read_text(encoding="utf-8")) == manifest
    document = json.loads((folder / "results.json").read_text(encoding="utf-8"))
    assert [RunResult.from_dict(r) for r in document["results"]] == results
    summary = (folder / "summary.md").read_text(encoding="utf-8")
    assert render.table(results) in summary
    assert "seed: `seed-1`" in summary
    assert "bounded if Adv < 0.05, broken if Adv > 0.25, α = 0.001" in summary


def test_write_run_folder_overwrites_only_its_own_files(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("keep me", encoding="utf-8")
    (tmp_path / "results.json").write_text("old", encoding="utf-8")
    render.write_run_folder(tmp_path, [make_result()], render.manifest(1, {}))
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "keep me"
    assert (
        json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))["schema_version"]
        == SCHEMA_VERSION
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "manifest.json",
        "notes.txt",
        "results.json",
        "summary.md",
    ]


def test_write_run_folder_leaves_the_folder_alone_on_bad_input(tmp_path: Path) -> None:
    (tmp_path / "results.json").write_text("old", encoding="utf-8")
    with pytest.raises(ValueError, match="not JSON-serialisable"):
        render.write_run_folder(tmp_path, [make_result()], {"seed": object()})
    assert (tmp_path / "results.json").read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["results.json"]


def test_a_verdict_at_thresholds_other_than_the_defaults_says_which() -> None:
    """A demo row relaxed to ε0 = 0.1 (or a suite entry's own thresholds) shows the threshold its
    verdict was decided at; at the defaults the cell is the bare verdict."""

    def verdict(wins: int, trials: int, thresholds: Thresholds) -> str:
        result = make_result(
            wins=wins, trials=trials, lost={}, estimate=estimate(Kind.WIN_LOSE, wins, trials, thresholds)
        )
        header, row = rows_of(render.table([result]))
        return row[header.index("verdict")]

    assert verdict(0, 400, Thresholds(alpha=0.01)) == "bounded"
    assert verdict(0, 400, Thresholds(eps0=0.1, alpha=0.01)) == "bounded (ε0 = 0.1)"
    assert verdict(40, 40, Thresholds(alpha=0.01)) == "broken"
    assert verdict(40, 40, Thresholds(eps1=0.5, alpha=0.01)) == "broken (ε1 = 0.5)"
