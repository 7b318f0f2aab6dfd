"""Schnorr groups (spec §2.1–§2.3): named parameter sets, validation, tiers, membership and scalar ranges."""

from __future__ import annotations

import pytest
from kat import expected_error, kat, kat_cases

from mpgames.scheme import groups
from mpgames.scheme.curves import Curve, validate_curve
from mpgames.scheme.errors import InvalidElementError, InvalidGroupError, InvalidScalarError
from mpgames.scheme.groups import GROUP_NAMES, Group, default_group, named_group, toy_group, validate_group
from mpgames.scheme.metering import metered

ELEMENTS = kat("groups")["elements"]


# -- named groups ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", GROUP_NAMES)
def test_every_named_group_validates(name: str) -> None:
    group = named_group(name)
    if group.curve is None:
        validate_group(group.p, group.q, group.g)
    else:
        validate_curve(Curve(group.p, *group.curve, group.q, group.g))
    assert group.name == name
    assert group.tier == ("toy" if name.startswith("toy-") else "standard")


@kat_cases("groups", "named")
def test_standard_group_sizes_and_fingerprints(case: dict) -> None:
    group = named_group(case["id"])
    assert (group.p.bit_length(), group.q.bit_length()) == (case["p_bits"], case["q_bits"])
    if "fingerprint" in case:
        assert group.fingerprint() == case["fingerprint"]


@kat_cases("groups", "safe_prime_hex")
def test_safe_prime_groups_match_their_rfc_hex(case: dict) -> None:
    group = named_group(case["id"])
    p_hex = f"{group.p:X}"
    assert p_hex.startswith(case["prefix"])
    assert p_hex.endswith(case["suffix"])
    assert group.q == (group.p - 1) // 2
    assert group.g == 2


@kat_cases("groups", "toy")
def test_toy_groups_match_the_spec_table(case: dict) -> None:
    group = named_group(case["id"])
    assert (group.p, group.q, group.g, group.tier) == (case["p"], case["q"], case["g"], "toy")
    if "cofactor" in case:
        assert (group.p - 1) // group.q == case["cofactor"]


def test_default_groups() -> None:
    assert default_group("standard") == named_group("rfc5114-2048-256")
    assert default_group("toy") == named_group("toy-2039")
    with pytest.raises(InvalidGroupError):
        default_group("weak")  # type: ignore[arg-type]
    with pytest.raises(InvalidGroupError):
        named_group("toy-7")


# -- validation and tiers --------------------------------------------------------------------------


@kat_cases("groups", "malformed")
def test_invalid_group_parameters_are_refused(case: dict) -> None:
    with pytest.raises(expected_error(case)):
        validate_group(case["p"], case["q"], case["g"])
    with pytest.raises(expected_error(case)):
        Group(case["p"], case["q"], case["g"], "toy")


@pytest.mark.parametrize("bad", [2039.0, "2039", True])
def test_group_parameters_must_be_integers(bad: object) -> None:
    with pytest.raises(InvalidGroupError):
        Group(bad, 1019, 4, "toy")  # type: ignore[arg-type]


def test_standard_tier_refuses_the_2039_group_that_toy_accepts() -> None:
    with pytest.raises(InvalidGroupError, match="standard tier"):
        Group(2039, 1019, 4)
    assert Group(2039, 1019, 4, "toy") == named_group("toy-2039")


def test_standard_tier_refuses_a_large_p_with_a_16_bit_q() -> None:
    weak = toy_group(16, 1024)
    assert (weak.p.bit_length(), weak.q.bit_length()) == (1024, 16)
    with pytest.raises(InvalidGroupError, match="standard tier"):
        Group(weak.p, weak.q, weak.g, "standard")
    assert Group(weak.p, weak.q, weak.g, "toy") == weak


def test_unknown_tier_is_refused() -> None:
    with pytest.raises(InvalidGroupError, match="tier"):
        Group(2039, 1019, 4, "weak")  # type: ignore[arg-type]


@pytest.mark.parametrize(("q_bits", "p_bits"), [(8, 16), (12, 40), (20, 64), (32, 128)])
def test_toy_group_generator_is_deterministic_with_the_requested_sizes(q_bits: int, p_bits: int) -> None:
    generate = toy_group.__wrapped__  # bypass the cache: two independent runs must agree
    first, again = generate(q_bits, p_bits, seed=3), generate(q_bits, p_bits, seed=3)
    assert first == again
    assert (first.p.bit_length(), first.q.bit_length(), first.tier) == (p_bits, q_bits, "toy")
    assert generate(q_bits, p_bits, seed=4) != first


def test_toy_group_generator_refuses_impossible_sizes() -> None:
    with pytest.raises(InvalidGroupError):
        toy_group(20, 21)
    with pytest.raises(InvalidGroupError):
        toy_group(3, 16)


# -- membership and scalar ranges ------------------------------------------------------------------


def test_subgroup_elements_are_accepted() -> None:
    group = named_group(ELEMENTS["group"])
    for y in ELEMENTS["valid"]:
        assert group.is_element(y)
        assert group.check_element(y) == y


@kat_cases("groups", "invalid", key="elements")
def test_non_members_are_rejected(case: dict) -> None:
    group = named_group(ELEMENTS["group"])
    assert not group.is_element(case["value"])
    with pytest.raises(InvalidElementError):
        group.check_element(case["value"])


@pytest.mark.parametrize("bad", [4.0, "4", None, True, False])
def test_non_integers_and_bools_are_not_elements(bad: object) -> None:
    group = named_group(ELEMENTS["group"])
    assert not group.is_element(bad)
    with pytest.raises(InvalidElementError):
        group.check_element(bad)


def test_small_subgroup_orders_in_the_643_group() -> None:
    """The invalid vectors really have order 2, 3 and 6: p − 1 = 6·107 is why they exist."""
    group = named_group("toy-643")
    orders = {y: next(k for k in range(1, 7) if pow(y, k, group.p) == 1) for y in (642, 177, 466)}
    assert orders == {642: 2, 177: 3, 466: 6}


def test_scalar_and_secret_ranges(toy: Group) -> None:
    q = toy.q
    assert [toy.check_scalar(s) for s in (0, 1, q - 1)] == [0, 1, q - 1]
    assert [toy.check_secret(x) for x in (1, q - 1)] == [1, q - 1]
    for bad in (-1, q, 1.0, "1", True):
        with pytest.raises(InvalidScalarError):
            toy.check_scalar(bad)
    for bad in (0, -1, q, False, True):
        with pytest.raises(InvalidScalarError):
            toy.check_secret(bad)


def test_the_membership_cache_forgets_its_oldest_member_first(monkeypatch: pytest.MonkeyPatch) -> None:
    """Bounded at MEMBER_CACHE_SIZE: a member known again costs no exponentiation, the oldest one is
    the one forgotten when a new one arrives, and a forgotten one is checked (and counted) again."""
    monkeypatch.setattr(groups, "MEMBER_CACHE_SIZE", 3)
    monkeypatch.setattr(groups, "_MEMBERS", {})
    group = named_group("toy-2039")
    first, second, third, fourth = (group.gexp(x) for x in (1, 2, 3, 4))

    def checks(y: int) -> int:
        with metered() as ops:
            assert group.is_element(y)
        return ops.exponentiations

    assert [checks(y) for y in (second, third, fourth)] == [0, 0, 0]
    assert checks(first) == 1  # forgotten when the fourth arrived; remembered again now
    assert [checks(y) for y in (first, third, fourth)] == [0, 0, 0]
    assert checks(second) == 1  # the oldest when the first came back, so forgotten then
