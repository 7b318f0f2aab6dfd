"""Every JSON output validates against its JSON Schema in docs/schemas/, and carries `schema_version`.

The schemas are the documentation of the fields; these tests run the commands and validate what they
print (and the run folder's results.json), and show that a schema refuses a document that breaks it.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource

from mpgames import cli
from tests.test_grade import QUICK

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = ROOT / "docs" / "schemas"
CALIBRATION = Path(__file__).parent / "suites" / "calibration.toml"
FAULTY = Path(__file__).parent / "plugins" / "faulty_attacks.py"
VECTOR = Path(__file__).parent / "vectors" / "wins" / "dl_subgroup_dl.bsgs_toy_svectors_t0.json"


def _schemas() -> dict[str, dict[str, Any]]:
    paths = sorted(SCHEMAS.glob("*.json"))
    return {path.name: json.loads(path.read_text(encoding="utf-8")) for path in paths}


def _validator(name: str) -> Draft202012Validator:
    schemas = _schemas()
    registry: Registry = Registry().with_resources(
        (schema["$id"], Resource.from_contents(schema)) for schema in schemas.values()
    )
    return Draft202012Validator(schemas[name], registry=registry)


def _output(capsys: pytest.CaptureFixture[str], *argv: str, status: int = 0) -> Any:
    assert cli.main(list(argv)) == status
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("name", sorted(_schemas()))
def test_each_schema_is_a_valid_schema(name: str) -> None:
    Draft202012Validator.check_schema(_schemas()[name])


def test_run_json_and_the_run_folder_validate(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    results = _validator("results.schema.json")
    document = _output(capsys, "run", "dl", "--jobs", "1", "--json", "--out", str(tmp_path / "run"))
    results.validate(document)
    assert {r["adversary"] for r in document["results"]} == {"dl.random-guess", "dl.bsgs"}
    results.validate(json.loads((tmp_path / "run" / "results.json").read_text(encoding="utf-8")))
    manifest = json.loads((tmp_path / "run" / "manifest.json").read_text(encoding="utf-8"))
    _validator("manifest.schema.json").validate(manifest)
    manifest["packages"]["gmpy2"] = 2  # a version is text
    with pytest.raises(ValidationError):
        _validator("manifest.schema.json").validate(manifest)


def test_a_faulted_run_validates_with_its_fault_reports(capsys: pytest.CaptureFixture[str]) -> None:
    document = _output(capsys, "run", "dl", "--adversary", f"{FAULTY}:SometimesRaises", "--trusted", "--json")
    _validator("results.schema.json").validate(document)
    (result,) = document["results"]
    assert result["faults"]["ValueError"]["frames"]


def test_check_json_validates(capsys: pytest.CaptureFixture[str]) -> None:
    document = _output(capsys, "check", str(CALIBRATION), "--jobs", "1", "--json")
    _validator("results.schema.json").validate(document)


def test_plan_list_replay_fuzz_and_reduce_json_validate(capsys: pytest.CaptureFixture[str]) -> None:
    _validator("plan.schema.json").validate(_output(capsys, "run", "mp.ul", "--plan", "--json"))
    _validator("list.schema.json").validate(_output(capsys, "list", "--json"))
    replay = _validator("replay.schema.json")
    trial = _output(capsys, "replay", "dl", "--adversary", "dl.bsgs", "--trial", "0", "--json")
    replay.validate(trial)
    assert isinstance(trial["outcome"]["transcript"][0]["data"], dict)
    replay.validate(_output(capsys, "replay", "--vector", str(VECTOR), "--json"))
    fuzz = _output(capsys, "fuzz", "dl", "--budget", "5", "--json")
    _validator("fuzz.schema.json").validate(fuzz)
    reduced = _output(capsys, "reduce", "cr-dl", "--max-trials", "20", "--json")
    _validator("reduce.schema.json").validate(reduced)


@pytest.mark.parametrize(
    "edit",
    [
        lambda d: d.pop("schema_version"),
        lambda d: d["results"][0]["lost"].update({"ValueError": "3"}),  # a count as text
        lambda d: d["results"][0].update(seeds=0),
        lambda d: d["results"][0]["estimate"].update(verdict="maybe"),
        lambda d: d["results"][0].update(unknown=1),
    ],
)
def test_the_results_schema_refuses_a_document_that_breaks_it(capsys: pytest.CaptureFixture[str], edit):
    document = _output(capsys, "run", "dl", "--adversary", "dl.bsgs", "--jobs", "1", "--json")
    validator = _validator("results.schema.json")
    validator.validate(document)
    broken = copy.deepcopy(document)
    edit(broken)
    with pytest.raises(ValidationError):
        validator.validate(broken)


def test_the_wall_file_validates(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    argv = ["plot-wall", "--out", str(tmp_path), "--min-bits", "8", "--max-bits", "10", "--trials", "5"]
    assert cli.main(argv) == 0
    capsys.readouterr()
    _validator("wall.schema.json").validate(json.loads((tmp_path / "wall.json").read_text(encoding="utf-8")))


def test_replay_keeps_each_values_json_type_and_the_schema_refuses_untyped_ones(
    capsys: pytest.CaptureFixture[str],
) -> None:
    replay = _validator("replay.schema.json")
    trial = _output(
        capsys, "replay", "dl", "--adversary", "dl.bsgs", "--trial", "0", "--tier", "standard", "--json"
    )
    replay.validate(trial)
    steps = {step["step"]: step["data"] for step in trial["outcome"]["transcript"]}
    assert steps["judge"] == {"predicate": "found_log", "won": trial["outcome"]["won"]}
    assert trial["outcome"]["won"] is False  # BSGS gives up on a 256-bit q
    assert steps["adversary attack"] == {"view": ["group", "h"]}
    challenge = steps["challenge"]
    assert set(challenge) == {"x", "h"} and all(set(v) == {"int"} for v in challenge.values())
    assert int(challenge["h"]["int"]).bit_length() > 53  # a 2048-bit element, exact, as its digits
    for bad in ({"int": "0x1f"}, {"bytes": "zz"}, {"record": "X"}, {"untagged": 1}, [{"omitted": 0}]):
        broken = copy.deepcopy(trial)
        broken["outcome"]["transcript"][0]["data"]["view"] = bad
        with pytest.raises(ValidationError):
            replay.validate(broken)


def test_grade_json_the_grades_file_and_the_gradescope_results_validate(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assignment = tmp_path / "assignment.toml"
    assignment.write_text(QUICK, encoding="utf-8")
    submissions = ROOT / "docs" / "grading" / "submissions"
    out = tmp_path / "out"
    argv = ["grade", str(assignment), str(submissions / "alice.py"), str(submissions / "mallory.py")]
    document = _output(capsys, *argv, "--json", "--out", str(out))
    grades = _validator("grades.schema.json")
    grades.validate(document)
    grades.validate(json.loads((out / "grades.json").read_text(encoding="utf-8")))
    assert [s["tasks"][0]["status"] for s in document["submissions"]] == ["passed", "failed"]
    gradescope = _validator("gradescope.schema.json")
    for student in ("alice", "mallory"):
        gradescope.validate(
            json.loads((out / "gradescope" / student / "results.json").read_text(encoding="utf-8"))
        )
    broken = copy.deepcopy(document)
    broken["submissions"][0]["tasks"][0]["result"]["estimate"]["verdict"] = "maybe"  # checked through the ref
    with pytest.raises(ValidationError):
        grades.validate(broken)


def test_every_committed_and_every_saved_win_vector_validates(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    vectors = _validator("win-vector.schema.json")
    committed = sorted((ROOT / "tests" / "vectors").glob("wins*/*.json"))
    assert any("wins-v1" in str(path) for path in committed) and len(committed) > 20
    for path in committed:
        vectors.validate(json.loads(path.read_text(encoding="utf-8")))
    saved = tmp_path / "wins"
    student = Path(__file__).parent / "plugins" / "student_attacks.py"
    argv = ["run", "dl", "--adversary", f"{student}:StudentBsgs", "--trusted", "--save-wins", str(saved)]
    assert cli.main([*argv, "--max-trials", "30"]) == 0
    capsys.readouterr()
    documents = [json.loads(path.read_text(encoding="utf-8")) for path in sorted(saved.glob("*.json"))]
    assert documents
    for document in documents:
        vectors.validate(document)
    assert document["source"].endswith("student_attacks.py:StudentBsgs")
    examples = ROOT / "docs" / "examples" / "plugins"
    game = f"{examples / 'cdh_game.py'}:ComputationalDiffieHellman"
    attack = f"{examples / 'cdh_attack.py'}:ExponentSearch"
    argv = ["run", game, "--variant", "short-exponent", "--adversary", attack, "--trusted"]
    assert cli.main([*argv, "--max-trials", "30", "--save-wins", str(tmp_path / "game-wins")]) == 0
    capsys.readouterr()
    plugin = [json.loads(p.read_text(encoding="utf-8")) for p in (tmp_path / "game-wins").glob("*.json")]
    assert plugin and all(v["game_source"] == game for v in plugin)
    for document in plugin:
        vectors.validate(document)
    for edit in (
        lambda d: d.pop("seeds"),
        lambda d: d["note"].update(bugType="NEW"),
        lambda d: d.update(trial=-1),
    ):
        broken = copy.deepcopy(document)
        edit(broken)
        with pytest.raises(ValidationError):
            vectors.validate(broken)
