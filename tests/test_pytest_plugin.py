"""The pytest plugin and the Hypothesis strategies offered to users (harness §8, last bullet)."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import replace
from importlib import metadata
from pathlib import Path

import pytest
from hypothesis import given, note, settings
from hypothesis import strategies as st

from mpgames.scheme import assertions, schnorr
from mpgames.scheme.errors import SchemeError, VerificationError
from mpgames.scheme.groups import named_group
from mpgames.scheme.microcoin import VARIANTS, Channel
from mpgames.scheme.schnorr import PublicKey
from mpgames.testing import strategies

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "docs" / "examples" / "test_example.py"
# 32-bit q: the checks that a changed object is rejected hold except with probability 2^-32.
WIDE = named_group("toy-128-32")


def _pytest(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """A separate pytest session, as a user would start it (plugins from entry points)."""
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=120, check=False)


# -- the plugin -------------------------------------------------------------------------------------


def test_plugin_is_registered_as_a_pytest11_entry_point() -> None:
    points = {ep.name: ep.value for ep in metadata.entry_points(group="pytest11")}
    assert points.get("mpgames") == "mpgames.testing.pytest_plugin"


def test_loading_the_plugin_imports_neither_hypothesis_nor_the_engine() -> None:
    # The plugin loads in every pytest session of the environment: it must stay light.
    probe = (
        "import sys, mpgames.testing.pytest_plugin as p; print(sorted(m for m in ('hypothesis', 'scipy', "
        "'mpgames.framework.engine', 'mpgames.testing.strategies') if m in sys.modules))"
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
