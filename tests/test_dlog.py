"""Baby-step giant-step discrete logarithms (spec §2.3 toy groups, §7 attack demos)."""

from __future__ import annotations

import pytest
from kat import kat

from mpgames.adversaries.dl import STEP_BUDGET, recovered_log
from mpgames.adversaries.dlog import bsgs
from mpgames.scheme.errors import InvalidElementError, SchemeError
from mpgames.scheme.groups import Group, named_group
from mpgames.scheme.randomness import SeededRandom

SPEC = kat("dlog")["spec"]


def test_spec_key() -> None:
    """y = 72 in the 2039 group is g^7 (the key of the §3.1 and §3.2 known answers)."""
    assert bsgs(named_group(SPEC["group"]), SPEC["h"]) == SPEC["x"]


@pytest.mark.parametrize("name", ["toy-64-20", "toy-128-32"])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_recovers_random_exponents(name: str, seed: int) -> None:
    group = named_group(name)
    x = SeededRandom(f"dlog/{name}/{seed}").randbelow(group.q)
    assert bsgs(group, group.gexp(x)) == x


def test_recovers_every_exponent_in_the_2039_group(toy: Group) -> None:
    assert [bsgs(toy, toy.gexp(x)) for x in range(toy.q)] == list(range(toy.q))


def test_edge_exponents() -> None:
    """0 (the identity), the table border around ⌈√q⌉ = 1011 and q − 1, in the 20-bit group."""
    group = named_group("toy-64-20")
    assert 1010**2 < group.q <= 1011**2
    for x in (0, 1, 1010, 1011, 1012, group.q - 1):
        assert bsgs(group, group.gexp(x)) == x


def test_budget_exhausted_returns_none() -> None:
    group = named_group("toy-64-20")  # ⌈√q⌉ = 1011
    h = group.gexp(group.q - 1)
    assert bsgs(group, h, max_steps=100) is None
    assert bsgs(group, h, max_steps=0) is None
    # The same target with a full budget (2·⌈√q⌉ steps) is solved.
    assert bsgs(group, h, max_steps=2 * 1011) == group.q - 1


def test_a_budget_covers_about_a_quarter_of_its_square(toy: Group) -> None:
    """B steps split into ⌊B/2⌋ baby and ⌈B/2⌉ giant steps cover exactly the exponents below their product."""
    for budget in (2, 3, 10, 41):
        solved = {x for x in range(toy.q) if bsgs(toy, toy.gexp(x), max_steps=budget) is not None}
        assert solved == set(range((budget // 2) * (budget - budget // 2)))


@pytest.mark.parametrize("bad", [0, 2038, 2039, 7, -72, 72.0, "72", True])
def test_rejects_non_members(toy: Group, bad: object) -> None:
    with pytest.raises(InvalidElementError):
        bsgs(toy, bad)  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", [-1, 1.5, True])
def test_rejects_a_bad_budget(toy: Group, bad: object) -> None:
    with pytest.raises(SchemeError):
        bsgs(toy, 72, max_steps=bad)  # type: ignore[arg-type]


def test_recovered_log_is_checked_against_h() -> None:
    """The BSGS forgers' key recovery on a 32-bit q, beyond what its 2^12-step budget covers (about
    2^22 exponents): the log when it lies within reach, None (not a wrong guess) when it does not."""
    group = named_group("toy-128-32")
    rng = SeededRandom(11)
    assert group.q > STEP_BUDGET**2
    assert recovered_log(group, group.gexp(12345), rng) == 12345
    assert recovered_log(group, group.gexp(group.q - 3), rng) is None
