"""The pytest plugin and the Hypothesis strategies offered to users (harness §8, last bullet)."""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import replace
from importlib import metadata
from pathlib import Path

import pytest
from hypothesis import given, note, settings
from hypothesis import strategies as st

from mpgames import cli
from mpgames.scheme import assertions, schnorr
from mpgames.scheme.errors import SchemeError, VerificationError
from mpgames.scheme.groups import named_group
from mpgames.scheme.microcoin import VARIANTS, Channel
from mpgames.scheme.schnorr import PublicKey
from mpgames.suites.files import SuiteError, load_suite
from mpgames.testing import strategies

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "docs" / "examples" / "test_example.py"
# 32-bit q: the checks that a changed object is rejected hold except with probability 2^-32.
WIDE = named_group("toy-128-32")


def _pytest(*args: str, cwd: Path, cache: bool = False) -> subprocess.CompletedProcess[str]:
    """A separate pytest session, as a user would start it (plugins from entry points); without
    pytest's cache unless `cache` (which --lf reads)."""
    command = [sys.executable, "-m", "pytest", *([] if cache else ["-p", "no:cacheprovider"]), *args]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=120, check=False)


# -- the plugin -------------------------------------------------------------------------------------


def test_plugin_is_registered_as_a_pytest11_entry_point() -> None:
    points = {ep.name: ep.value for ep in metadata.entry_points(group="pytest11")}
    assert points.get("mpgames") == "mpgames.testing.pytest_plugin"


def test_loading_the_plugin_imports_neither_hypothesis_nor_the_engine() -> None:
    # The plugin loads in every pytest session of the environment: it must stay light.
    probe = (
        "import sys, mpgames.testing.pytest_plugin as p; print(sorted(m for m in ('hypothesis', 'scipy', "
        "'mpgames.framework.engine', 'mpgames.testing.strategies', 'mpgames.testing.suite_items', "
        "'mpgames.suites.files') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_the_documented_example_passes() -> None:
    # docs/pytest-plugin.md shows this file; running it keeps the page honest.
    done = _pytest(str(EXAMPLE), cwd=ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "8 passed" in done.stdout


def test_the_page_shows_the_example_verbatim() -> None:
    page = (ROOT / "docs" / "pytest-plugin.md").read_text(encoding="utf-8")
    assert f"```python\n{EXAMPLE.read_text(encoding='utf-8')}```" in page


FIXTURE_CHECKS = """
import pytest
from mpgames.adversaries.base import Adversary
from mpgames.framework.errors import UsageError
from mpgames.games.registry import get_game
from mpgames.adversaries.dl import BabyStepGiantStep


def test_seed_from_the_command_line(mpgames_run):
    assert mpgames_run("dl", "dl.bsgs").seed == "from-cli"


def test_seed_of_the_call(mpgames_run):
    assert mpgames_run("dl", "dl.bsgs", seed="mine").seed == "mine"


def test_classes_and_thresholds(mpgames_run):
    result = mpgames_run(get_game("dl"), BabyStepGiantStep, eps1=0.5, max_trials=30)
    assert result.estimate.thresholds.eps1 == 0.5
    assert result.estimate.verdict == "broken"


def test_standard_tier_bounded(mpgames_run):
    result = mpgames_run("dl", "dl.random-guess", tier="standard", max_trials=200)
    assert result.group == "rfc5114-2048-256"
    assert result.estimate.verdict == "bounded"


def test_unknown_ids(mpgames_run):
    with pytest.raises(UsageError, match="unknown game"):
        mpgames_run("no-such-game", "dl.bsgs")
    with pytest.raises(UsageError, match="does not target"):
        mpgames_run("ch.cr", "dl.bsgs")


def test_a_wrong_expectation_fails(mpgames_run):
    assert mpgames_run("dl", "dl.random-guess").estimate.verdict == "broken"


class Spinner(Adversary):
    id = "test.spinner"
    label = "never returns"
    targets = ("dl",)
    expect = "null"

    def attack(self, view, rng):
        while True:
            pass


def test_the_time_limit_of_a_call(mpgames_run):
    result = mpgames_run("dl", Spinner, time_limit=0.05, max_trials=20)
    assert result.stopped == "timed out" and result.lost == {"Timeout": 5}
"""


def test_fixture_options_errors_and_junit_properties(tmp_path: Path) -> None:
    (tmp_path / "test_fixture.py").write_text(FIXTURE_CHECKS)
    junit = tmp_path / "junit.xml"
    done = _pytest("--mpgames-seed", "from-cli", f"--junitxml={junit}", "test_fixture.py", cwd=tmp_path)
    # Six checks pass; the test asserting a null adversary "broken" fails, as it must.
    assert "1 failed, 6 passed" in done.stdout, done.stdout + done.stderr
    assert "test_a_wrong_expectation_fails" in done.stdout
    properties = {p.get("name"): p.get("value") for p in ET.parse(junit).iter("property")}
    assert properties["mpgames dl subgroup dl.bsgs toy"].startswith("broken: Adv ≥")
    assert properties["mpgames dl subgroup dl.random-guess standard"].startswith("bounded: Adv <")


# -- suite files as items -----------------------------------------------------------------------------

SUITES = ROOT / "tests" / "suites"
CALIBRATION, WRONG = SUITES / "calibration.toml", SUITES / "wrong.toml"
# wrong.toml: entry 3's adversary declares itself null, so the file expects it bounded, and breaks dl.
WRONG_ITEMS = [
    "dl/subgroup/dl.random-guess/toy",
    "dl/subgroup/dl.bsgs/toy",
    "dl/subgroup/test.hidden-solver/toy",
]


def _items(junit: Path) -> dict[str, dict[str, str]]:
    """Each testcase of pytest's JUnit XML: its name -> its mpgames properties (prefix dropped)."""
    return {
        str(case.get("name")): {
            str(p.get("name")).removeprefix("mpgames "): str(p.get("value")) for p in case.iter("property")
        }
        for case in ET.parse(junit).iter("testcase")
    }


def _checked(capsys: pytest.CaptureFixture[str], *argv: object) -> tuple[int, list[dict[str, object]]]:
    """`mpgames check … --json` through the command itself: its status and each entry's record, with
    the verdict, wins and trials of its result."""
    status = cli.main(["check", *map(str, argv), "--json", "--jobs", "1"])
    document = json.loads(capsys.readouterr().out)
    return status, [
        {**entry, **{key: result["estimate"][key] for key in ("verdict", "wins", "trials")}}
        for entry, result in zip(document["meta"]["entries"], document["results"], strict=True)
    ]


def _assert_same_as_check(items: dict[str, dict[str, str]], checked: list[dict[str, object]]) -> None:
    for record in checked:
        item = items[f"{record['game']}/{record['variant']}/{record['adversary']}/{record['tier']}"]
        as_item = (
            item["status"],
            float(item["level"]),
            item["verdict"],
            int(item["wins"]),
            int(item["trials"]),
        )
        assert as_item == tuple(record[key] for key in ("status", "level", "verdict", "wins", "trials"))
    assert {item["family"] for item in items.values()} == {str(len(checked))}


@pytest.mark.parametrize("workers", [[], ["-n", "2"]], ids=["one process", "two xdist workers"])
def test_a_suite_file_is_an_item_per_entry_decided_as_mpgames_check_decides(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, workers: list[str]
) -> None:
    junit = tmp_path / "junit.xml"
    done = _pytest(str(WRONG), f"--junitxml={junit}", *workers, cwd=tmp_path)
    # The honest entries and calibration pass; the entry whose expectation is wrong fails with its verdict.
    assert "1 failed, 3 passed" in done.stdout, done.stdout + done.stderr
    assert "dl subgroup test.hidden-solver toy: failed: expected bounded, got broken: Adv ≥" in done.stdout
    assert "over 3 entries, Holm" in done.stdout
    items = _items(junit)
    assert sorted(items) == sorted(
        [*WRONG_ITEMS, "calibration"]
    )  # JUnit: a testcase per entry, and calibration
    status, checked = _checked(capsys, WRONG)
    assert [record["status"] for record in checked] == ["passed", "passed", "failed"]
    _assert_same_as_check({name: items[name] for name in WRONG_ITEMS}, checked)
    assert done.returncode == status == 1


def test_k_narrows_the_family_and_its_levels_as_check_entry_does(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    junit, alpha = tmp_path / "junit.xml", 0.01  # calibration.toml's α
    whole = _pytest(str(CALIBRATION), f"--junitxml={junit}", cwd=tmp_path)
    assert "4 passed" in whole.stdout, whole.stdout + whole.stderr
    items = _items(junit)
    del items["calibration"]
    assert {item["level"] for item in items.values()} == {repr(alpha / 6)}  # α/(2m), m = 3
    _assert_same_as_check(items, _checked(capsys, CALIBRATION)[1])

    narrowed = _pytest(
        str(CALIBRATION), "-k", "not mp.ul", "--mpgames-seed", "other", f"--junitxml={junit}", cwd=tmp_path
    )
    assert "3 passed, 1 deselected" in narrowed.stdout, narrowed.stdout + narrowed.stderr
    items = _items(junit)
    assert items.pop("calibration")["seed"] == "other"
    assert {item["level"] for item in items.values()} == {repr(alpha / 4)}  # m = 2
    _assert_same_as_check(
        items, _checked(capsys, CALIBRATION, "--entry", 1, "--entry", 2, "--seed", "other")[1]
    )

    # Only the broken entry left: `mpgames check --entry 2` refuses the selection, the calibration item fails.
    one_sided = _pytest(str(CALIBRATION), "-k", "not random-guess", cwd=tmp_path)
    assert "1 failed, 1 passed, 2 deselected" in one_sided.stdout, one_sided.stdout + one_sided.stderr
    assert "FAILED" in one_sided.stdout and "::calibration - " in one_sided.stdout
    assert "calibration not shown: no entry came out broken as expected, or none bounded" in one_sided.stdout


def test_x_stops_at_the_failing_entry_and_lf_reruns_it_alone(tmp_path: Path) -> None:
    for name in ("wrong.toml", "hidden_solver.py"):
        shutil.copy(SUITES / name, tmp_path / name)
    first = _pytest("wrong.toml", "-x", cwd=tmp_path, cache=True)
    assert "1 failed, 2 passed" in first.stdout, first.stdout + first.stderr  # calibration never ran
    again = _pytest("wrong.toml", "--lf", "-v", cwd=tmp_path, cache=True)
    assert "1 failed, 3 deselected" in again.stdout, again.stdout + again.stderr
    assert "wrong.toml::dl/subgroup/test.hidden-solver/toy FAILED" in again.stdout
    assert "over 1 entries, Holm" in again.stdout  # the family is the failed entry alone, as check --entry 3


def test_only_named_toml_files_are_suites_and_a_malformed_one_is_a_collection_error(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "mine"\n', encoding="utf-8")
    (tmp_path / "test_mine.py").write_text("def test_mine():\n    pass\n", encoding="utf-8")
    shutil.copy(CALIBRATION, tmp_path / "calibration.toml")
    walked = _pytest(cwd=tmp_path)
    assert walked.returncode == 0 and "1 passed" in walked.stdout, walked.stdout + walked.stderr
    added = _pytest("--mpgames-suite", "calibration.toml", cwd=tmp_path)  # once, though the walk meets it
    assert added.returncode == 0 and "5 passed" in added.stdout, added.stdout + added.stderr

    bad = tmp_path / "bad.toml"
    bad.write_text(
        CALIBRATION.read_text(encoding="utf-8").replace("alpha = 0.01", "alpha = 2"), encoding="utf-8"
    )
    with pytest.raises(SuiteError) as refused:
        load_suite(bad)
    done = _pytest("bad.toml", cwd=tmp_path)
    assert done.returncode == 2 and "ERROR collecting bad.toml" in done.stdout, done.stdout + done.stderr
    assert f"\n{refused.value}\n" in done.stdout and "Traceback" not in done.stdout + done.stderr


FAULTY = """
from mpgames.adversaries.base import Adversary


class Faulty(Adversary):
    id = "test.faulty"
    label = "raises in every trial"
    targets = ("dl",)
    expect = "null"

    def attack(self, view, rng):
        raise RuntimeError("no answer")
"""


def test_an_inconclusive_entry_is_skipped_unless_strict_and_a_faulting_one_fails(tmp_path: Path) -> None:
    entry = '[[entry]]\ngame = "dl"\nadversary = "{}"\nexpect = "{}"\n'
    # 25 trials cannot bound a null adversary below 0.05: the standard-tier entry stays inconclusive.
    suite = 'name = "t"\nseed = "t"\nalpha = 0.01\n' + "".join(
        entry.format(*pair) + tier
        for pair, tier in [
            (("dl.bsgs", "broken"), 'tier = "toy"\n'),
            (("dl.random-guess", "bounded"), 'tier = "toy"\n'),
            (("dl.random-guess", "bounded"), 'tier = "standard"\nmax_trials = 25\n'),
            (("faulty.py:Faulty", "bounded"), 'tier = "toy"\n'),
        ]
    )
    (tmp_path / "suite.toml").write_text(suite, encoding="utf-8")
    (tmp_path / "faulty.py").write_text(FAULTY, encoding="utf-8")
    plain = _pytest("suite.toml", "-rs", cwd=tmp_path)
    assert "1 failed, 3 passed, 1 skipped" in plain.stdout, plain.stdout + plain.stderr
    assert "inconclusive: expected bounded, got inconclusive" in plain.stdout
    # An adversary that faults in every trial is an error of the check: its item fails, saying why.
    assert "dl subgroup test.faulty toy: error: expected bounded, got all trials faulted" in plain.stdout
    assert re.search(
        r"every one of its (\d+) trials faulted \(RuntimeError \1, first in trial 0", plain.stdout
    )
    strict = _pytest("suite.toml", "--mpgames-strict", cwd=tmp_path)
    assert "2 failed, 3 passed" in strict.stdout, strict.stdout + strict.stderr
    assert "dl subgroup dl.random-guess standard: inconclusive" in strict.stdout


def _suite_commands() -> tuple[list[str], list[str]]:
    """The `pytest` commands of the page's section on suites, and the lines of the output it shows."""
    page = (ROOT / "docs" / "pytest-plugin.md").read_text(encoding="utf-8")
    section = page[page.index("## Suites as pytest items") :]
    section = section[: section.index("\n## ", 1)]
    commands = [
        line for block in re.findall(r"```sh\n(.*?)```", section, re.S) for line in block.splitlines()
    ]
    shown = re.findall(r"```text\n(.*?)```", section, re.S)[0].splitlines()
    return commands, shown


def test_the_pages_suite_commands_pass_and_print_what_it_shows(tmp_path: Path) -> None:
    commands, shown = _suite_commands()
    assert len(commands) >= 4 and all(command.startswith("pytest ") for command in commands)
    (tmp_path / "docs" / "examples").mkdir(parents=True)
    shutil.copy(ROOT / "docs" / "examples" / "suite.toml", tmp_path / "docs" / "examples" / "suite.toml")
    for number, command in enumerate(commands):
        done = _pytest(*shlex.split(command)[1:], cwd=tmp_path)
        assert done.returncode == 0, command + "\n" + done.stdout + done.stderr
        if number == 0:
            printed = [line.rstrip() for line in done.stdout.splitlines()]
            assert [line for line in shown if line not in printed] == []


# -- the strategies ---------------------------------------------------------------------------------


@pytest.mark.parametrize("tier", ["toy", "standard"])
@settings(max_examples=10)
@given(data=st.data())
def test_groups_of_a_tier(tier: str, data: st.DataObject) -> None:
    assert data.draw(strategies.groups(tier)).tier == tier


@settings(max_examples=10)
@given(strategies.toy_groups(8, 12))
def test_generated_toy_groups(group) -> None:
    assert group.tier == "toy"
    assert 8 <= group.q.bit_length() <= 12
    assert group.exp(group.g, group.q) == 1


@settings(max_examples=20)
@given(strategies.groups("toy").flatmap(lambda g: st.tuples(strategies.keypairs(g), strategies.elements(g))))
def test_keys_and_elements(case) -> None:
    (pk, sk), y = case
    assert pk.y == sk.group.gexp(sk.x)
    assert pk.group.is_element(y)


@settings(max_examples=20)
@given(strategies.signed_messages(WIDE))
def test_signed_messages_verify_and_only_under_their_key(case) -> None:
    assert schnorr.verify(case.signature, case.pk, case.message)
    other = PublicKey(case.pk.group, case.pk.group.mul(case.pk.y, case.pk.y))  # the key of 2x
    assert not schnorr.verify(case.signature, other, case.message)


@pytest.mark.parametrize("kind", strategies.VOUCHER_KINDS)
@settings(max_examples=10)
@given(data=st.data())
def test_vouchers_verify_and_a_changed_state_does_not(kind: str, data: st.DataObject) -> None:
    case = data.draw(strategies.vouchers(WIDE, kind))
    note(repr(case.voucher.state))
    assert case.voucher.verify(case.verifier)
    state = case.voucher.state
    tampered = replace(case.voucher, state=replace(state, deposit=state.deposit + 1))
    assert not tampered.verify(case.verifier)


@pytest.mark.parametrize("variant", sorted(VARIANTS))
@settings(max_examples=8)
@given(data=st.data())
def test_coins_are_credited_their_value(variant: str, data: st.DataObject) -> None:
    case = data.draw(strategies.coins(WIDE, variant))
    channel = Channel(case.aux)
    assert channel.transact(case.coin) == case.value
    with pytest.raises(VerificationError):  # the same coin twice pays nothing
        channel.check(case.coin)


@pytest.mark.parametrize("variant", assertions.VARIANTS)
@settings(max_examples=8)
@given(data=st.data())
def test_assertions_verify_and_not_for_another_statement(variant: str, data: st.DataObject) -> None:
    case = data.draw(strategies.assertions(WIDE, variant))
    assert assertions.verify(case.apk, case.ct, case.st, case.tau)
    assert not assertions.verify(case.apk, case.ct, case.st + b"x", case.tau)


@pytest.mark.parametrize(
    "make",
    [
        lambda: strategies.groups("medium"),
        lambda: strategies.toy_groups(2, 8),
        lambda: strategies.vouchers(WIDE, "micropay4"),
        lambda: strategies.assertions(WIDE, "rks"),
    ],
)
def test_bad_arguments(make) -> None:
    with pytest.raises(ValueError):
        make()


def test_coins_of_an_unknown_variant() -> None:
    with pytest.raises(SchemeError, match="mc-b"):
        strategies.coins(WIDE, "mc-z")


def test_the_exercises_suite_as_pytest_items_as_the_exercises_say() -> None:
    """docs/exercises.md: `pytest docs/exercises.toml -k dl/` plays exercise 4's entries as items."""
    done = _pytest(str(ROOT / "docs" / "exercises.toml"), "-k", "dl/", "-q", "-rA", cwd=ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    passed = [line for line in done.stdout.splitlines() if line.startswith("PASSED")]
    assert [line.split("::")[1] for line in passed] == [
        "dl/subgroup/dl.bsgs/toy",
        "dl/subgroup/dl.bsgs/standard",
        "dl/subgroup/dl.random-guess/toy",
    ]
