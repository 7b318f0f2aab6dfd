"""The curve family (docs/scheme.md "The curve family"): secp256k1 on libsecp256k1 and toy curves
on gmpy2, checked against outside values (SEC 2 §2.4.1 multiples of G) and against an independent
affine reference (tests/reference/ec_reference.py); validation of curves and of their elements;
every reference attack on a toy curve and, where it needs no √q work, on secp256k1."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mpgames.adversaries.registry import all_adversaries, get_adversary
from mpgames.framework.engine import Engine, make_spec, play_trial
from mpgames.games.registry import get_game
from mpgames.measure.verdicts import Verdict
from mpgames.scheme import curves, secp256k1
from mpgames.scheme.curves import Curve
from mpgames.scheme.errors import InvalidGroupError
from mpgames.scheme.groups import Group, check_group, named_group
from tests.reference import ec_reference as ref

CURVE_GROUPS = ("toy-ec-10", "toy-ec-20", "toy-ec-32", "secp256k1")

# SEC 2 §2.4.1 (G) and the multiples of G published with it in libsecp256k1's and many other test
# suites: k -> (x, y) of k·G.
SECP256K1_MULTIPLES = {
    1: (
        0x79BE667EF9DCBBAC55A06295CE870B07029BFCDB2DCE28D959F2815B16F81798,
        0x483ADA7726A3C4655DA4FBFC0E1108A8FD17B448A68554199C47D08FFB10D4B8,
    ),
    2: (
        0xC6047F9441ED7D6D3045406E95C07CD85C778E4B8CEF3CA7ABAC09B95C709EE5,
        0x1AE168FEA63DC339A3C58419466CEAEEF7F632653266D0E1236431A950CFE52A,
    ),
    3: (
        0xF9308A019258C31049344F85F89D5229B531C845836F99B08601F113BCE036F9,
        0x388F7B0F632DE8140FE337E62A37F3566500A99934C2231B6CB9FD7584B8E672,
    ),
}


def _ref_point(group: Group, element: int) -> ref.Point:
    assert group.curve is not None
    decoded = ref.sec1_decode(group.p, group.curve[0], group.curve[1], group.element_bytes(element))
    assert decoded != "invalid"
    return decoded  # type: ignore[return-value]


def _element(group: Group, point: ref.Point) -> int:
    return int.from_bytes(ref.sec1_compressed(group.p, point), "big")


@pytest.mark.parametrize("k", sorted(SECP256K1_MULTIPLES))
def test_secp256k1_multiples_of_g_are_the_published_ones(k):
    group = named_group("secp256k1")
    expected = SECP256K1_MULTIPLES[k]
    assert _ref_point(group, group.gexp(k)) == expected
    assert ref.mul(group.p, 0, (SECP256K1_MULTIPLES[1]), k) == expected  # the reference agrees too
    assert group.g == _element(group, SECP256K1_MULTIPLES[1])


@pytest.mark.parametrize("name", ["toy-ec-10", "toy-ec-20"])
def test_toy_curves_have_the_prime_order_they_claim_counted_point_by_point(name):
    group = named_group(name)
    assert group.curve is not None
    assert ref.count_points(group.p, *group.curve) == group.q
    assert group.q != group.p  # not anomalous


@pytest.mark.parametrize("name", CURVE_GROUPS)
@given(k=st.integers(min_value=-(2**300), max_value=2**300), j=st.integers(min_value=0, max_value=2**300))
def test_arithmetic_matches_the_reference(name, k, j):
    group = named_group(name)
    assert group.curve is not None
    p, a = group.p, group.curve[0]
    G = _ref_point(group, group.g)
    kG, jG = ref.mul(p, a, G, k % group.q), ref.mul(p, a, G, j % group.q)
    assert group.gexp(k) == _element(group, kG)
    assert group.mul(group.gexp(k), group.gexp(j)) == _element(group, ref.add(p, a, kG, jG))
    if jG is not None:
        assert group.exp(group.gexp(j), k) == _element(group, ref.mul(p, a, jG, k % group.q))


@given(k=st.integers(min_value=1, max_value=2**256), j=st.integers(min_value=0, max_value=2**256))
def test_the_generic_backend_agrees_with_libsecp256k1(k, j):
    curve = secp256k1.SECP256K1
    u = secp256k1.base_multiply(k)
    assert curves.multiply(curve, curve.g, k) == u
    assert curves.multiply(curve, u, j) == secp256k1.multiply(u, j)
    assert curves.add(curve, u, secp256k1.base_multiply(j)) == secp256k1.add(u, secp256k1.base_multiply(j))
    assert secp256k1.add(u, curves.negate(curve, u)) == curves.INFINITY


@pytest.mark.parametrize("name", CURVE_GROUPS)
@given(x=st.integers(min_value=0), prefix=st.integers(min_value=0, max_value=5))
def test_membership_is_decoding_as_sec1_defines_it(name, x, prefix):
    group = named_group(name)
    assert group.curve is not None
    x %= 1 << (8 * (group.element_len - 1))
    value = (prefix << (8 * (group.element_len - 1))) | x
    decoded = ref.sec1_decode(group.p, *group.curve, group.element_bytes(value))
    assert group.is_element(value) is (decoded != "invalid")
    if decoded != "invalid":
        assert ref.on_curve(group.p, *group.curve, decoded)  # type: ignore[arg-type]


@pytest.mark.parametrize("name", CURVE_GROUPS)
def test_values_that_are_not_elements(name):
    group = named_group(name)
    member = group.gexp(5)
    assert group.is_element(member)
    non_members = [
        0,  # the point at infinity
        1,
        member + (1 << (8 * group.element_len)),  # an encoding one byte too long
        member ^ (6 << (8 * (group.element_len - 1))),  # prefix 4 or 5
        (2 << (8 * (group.element_len - 1))) | group.p,  # x = p
        True,
        -member,
    ]
    assert not any(group.is_element(value) for value in non_members)

    class Lying(int):
        pass

    assert not group.is_element(Lying(member))
    assert group.identity == 0 and group.exp(member, group.q) == 0 and group.mul(member, 0) == member


def _off_curve(group: Group) -> int:
    """The encoding (prefix 2) of the smallest x with no point on the group's curve."""
    assert group.curve is not None
    a, b = group.curve
    x = next(x for x in range(group.p) if pow((x**3 + a * x + b) % group.p, (group.p - 1) // 2, group.p) > 1)
    return (2 << (8 * (group.element_len - 1))) | x


def _toy_curve_without_prime_order() -> tuple[int, int, int]:
    """p, b and a generator for y² = x³ + 1, whose points (0, ±1) have order 3 (never prime order)."""
    p = named_group("toy-ec-10").p
    return p, 1, (3 << (8 * ((p.bit_length() + 7) // 8))) | 0  # (0, 1): odd y → prefix 3


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda t: Group(t.p, t.q, t.g, "toy", "", (0, 0)), "singular"),
        (lambda t: Group(t.p, t.q + 2, t.g, "toy", "", t.curve), "not a prime"),
        (lambda t: Group(t.p, t.q, _off_curve(t), "toy", "", t.curve), "not a point"),
        (lambda t: Group(t.p, t.q, t.g, "toy", "", (t.p, 3)), "coefficients"),
        (lambda t: Group(t.p, t.q, t.g, "toy", "", (0,)), "pair"),
        (lambda t: Group(t.p, t.q, t.g, "toy", "", (0, True)), "curve coefficient"),
        (lambda t: Group(t.p, t.q, t.g, "standard", "", t.curve), "too weak"),
        (lambda t: Group(13, 17, 2 << 8, "toy", "", (0, 1)), "p ≡ 3"),
    ],
)
def test_invalid_curves_are_refused(build, message):
    with pytest.raises(InvalidGroupError, match=message):
        build(named_group("toy-ec-10"))


def test_a_generator_of_the_wrong_order_is_refused_though_n_is_a_prime_in_the_hasse_interval():
    """The curve y² = x³ + 1 has a point G = (0, 1) of order 3. Claiming the prime n of toy-ec-10's
    curve for it is refused because n·G ≠ O, computed on n itself; n·G with n reduced mod n is
    O for any point, so that check would have let it pass."""
    p, b, g = _toy_curve_without_prime_order()
    n = named_group("toy-ec-10").q
    curve = Curve(p, 0, b, n, g)
    assert curves.multiply(curve, g, n) == curves.INFINITY  # the vacuous check
    with pytest.raises(InvalidGroupError, match="order n"):
        Group(p, n, g, "toy", "", (0, b))


def test_an_anomalous_curve_is_refused():
    """n = p: Smart's attack solves its discrete logarithm in polynomial time."""
    # p = n = 547 passes every other test: prime, in the Hasse interval, (0, 1) a point.
    with pytest.raises(InvalidGroupError, match="anomalous"):
        Group(547, 547, (2 << 16) | 0, "toy", "", (0, 1))


def test_a_forged_curve_group_is_not_a_validated_group():
    real = named_group("toy-ec-20")
    forged = object.__new__(Group)
    for name, value in vars(real).items():
        object.__setattr__(forged, name, value)
    object.__setattr__(forged, "curve", (0, real.curve[1] + 1) if real.curve else None)
    with pytest.raises(InvalidGroupError):
        check_group(forged)
    assert check_group(real) is real


# -- every reference attack on a curve --------------------------------------------------------------

BREAKS = [
    ("dl", "subgroup", "dl.bsgs", True),
    ("sig.euf-cma", "schnorr-nonce-reuse", "sig.nonce-reuse", False),
    ("sig.euf-cma", "schnorr", "sig.bsgs-forgery", True),
    ("sig.euf-cma.rom", "schnorr", "sig.rom-bsgs-forgery", True),
    ("ch.cr", "kr", "ch.bsgs-collision", True),
    ("ch.key-exposure", "kr", "ch.kr-extract", False),
    ("ring.uf", "aos", "ring.bsgs-forgery", True),
    ("ring.uf.rom", "aos", "ring.rom-bsgs-forgery", True),
    ("ring.anon", "aos-deterministic", "ring.recompute-coins", False),
    ("aa.secrecy", "rks-as-published", "aa.sibling-leak", False),
    ("aa.extract", "no-leaf-binding", "aa.unbound-equivocation", False),
    ("aa.extract", "fixed", "aa.leaf-collision", True),
    ("mc.type1", "mc-b-unbound-n", "mc.overspend", False),
    ("mc.type2", "mc-0", "mc.key-exposure", False),
    ("mc.type2", "mc-b-trunc", "mc.preimage-search", False),
    ("mc.type2", "mc-0", "mc.bsgs-mint", True),
    ("hash.preimage", "trunc", "hash.preimage-search", False),
    ("mp.uf", "micropay3-unbound-balance", "mp.uf-rewind", False),
    ("mp.ul", "micropay2", "mp.ul-read-signer", False),
    ("mp.ds", "micropay3-no-aa", "mp.ds-double-spend", False),
    ("mp.ds", "micropay3", "mp.ds-leaf-collision", True),
    ("mp.profit", "penalty-too-small", "mp.profit-forks", False),
]


@pytest.fixture(scope="module")
def engine():
    with Engine(jobs=1) as shared:
        yield shared


def _ids(case: tuple[str, str, str, bool]) -> str:
    return f"{case[0]}:{case[1]}:{case[2]}"


@pytest.mark.parametrize("case", BREAKS, ids=_ids)
def test_every_reference_attack_breaks_its_variant_on_a_toy_curve(engine, case):
    game, variant, adversary, _ = case
    result = engine.run(
        get_game(game), variant, get_adversary(adversary), "toy", max_trials=60, seed="ec", group="toy-ec-20"
    )
    assert result.estimate.verdict is Verdict.BROKEN and not result.lost, result


@pytest.mark.parametrize("case", BREAKS, ids=_ids)
def test_on_secp256k1_only_the_attacks_that_need_no_square_root_work(engine, case):
    """The √q wall on the blockchain's curve: an algebraic break breaks, a BSGS or birthday search
    within its budget finds nothing (and loses cleanly, without a fault)."""
    game, variant, adversary, square_root = case
    result = engine.run(
        get_game(game),
        variant,
        get_adversary(adversary),
        "standard",
        max_trials=3 if square_root else 60,
        seed="ec",
        group="secp256k1",
    )
    assert not result.lost, result
    if square_root:
        assert result.estimate.wins == 0
    else:
        assert result.estimate.verdict is Verdict.BROKEN, result


# alt_bn128 (BN254, the pairing curve of Ethereum's precompiles): prime order, p ≡ 3 (mod 4),
# y² = x³ + 3, G = (1, 2), and embedding degree 12 by construction (a pairing-friendly curve).
BN254_P = 21888242871839275222246405745257275088696311157297823662689037894645226208583
BN254_N = 21888242871839275222246405745257275088548364400416034343698204186575808495617


def test_a_pairing_friendly_curve_is_a_toy_never_a_standard_group():
    """Every other check passes (a valid prime-order curve, 254-bit q); at the standard tier its
    embedding degree 12 refuses it, as the MOV condition of SEC 1 asks."""
    g = (2 << (8 * 32)) | 1  # (1, 2): y even
    toy = Group(BN254_P, BN254_N, g, "toy", "bn254", (0, 3))
    assert curves.embedding_degree(Curve(BN254_P, 0, 3, BN254_N, g), curves.MOV_BOUND) == 12
    assert toy.gexp(BN254_N - 1) == curves.negate(Curve(BN254_P, 0, 3, BN254_N, g), g)
    with pytest.raises(InvalidGroupError, match="embedding degree is 12"):
        Group(BN254_P, BN254_N, g, "standard", "bn254", (0, 3))
    assert curves.embedding_degree(secp256k1.SECP256K1, curves.MOV_BOUND) is None


@pytest.mark.parametrize("group", ["secp256k1", "toy-ec-20"])
def test_every_registered_adversary_plays_every_game_it_targets_on_a_curve(group):
    """Two trials of each (adversary, target game) pair on the curve, against the variant the
    adversary breaks (else the game's default): no trial is lost to a fault of either side."""
    tier = named_group(group).tier
    for adversary in all_adversaries():
        for game_id in adversary.targets:
            game = get_game(game_id)
            variant = adversary.broken_variant() if adversary.broken_variant() in game.variants else None
            spec = make_spec(game, variant, adversary, tier, seed="ec", group=group)
            for index in range(2):
                outcome = play_trial(spec, index)
                assert outcome.error is None, (adversary.id, game_id, outcome.error, outcome.output)
