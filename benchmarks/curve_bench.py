"""The curve family against the Schnorr group, side by side (docs/benchmarks.md "Curves"). Run on
demand: `make bench`, or `python -m benchmarks.curve_bench [--trials N] [--json FILE]`.

Per operation, at the standard tier: secp256k1 through libsecp256k1 (`coincurve`, the project's
backend), the same curve on the generic gmpy2 Jacobian code of `mpgames.scheme.curves`, NIST P-256
on pycryptodome's `EccPoint` (the other well-kept option this project already depends on), and
RFC 5114 §2.3 (|p| = 2048, |q| = 256) on gmpy2. Then a Micropay 3 payment at a point of sale (ring
of 8, an assertion of depth 16, the transaction signature), the mean seconds per standard-tier
trial of every game against its null adversaries on both families, and one group multiplication
(a step of a generic search).
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from Crypto.PublicKey import ECC
from tabulate import tabulate

from benchmarks.timing import compare
from mpgames.adversaries.registry import adversaries_for
from mpgames.framework.engine import make_spec, play_trial
from mpgames.games.registry import all_games
from mpgames.scheme import chameleon, curves, ring, schnorr, secp256k1
from mpgames.scheme.groups import Group, named_group
from mpgames.scheme.ledger import Ledger
from mpgames.scheme.micropay import Payer, Schedule
from mpgames.scheme.micropay3 import setup
from mpgames.scheme.randomness import SeededRandom

DL = named_group("rfc5114-2048-256")
EC = named_group("secp256k1")
RING_SIZE = 8
AA_DEPTH = 16
PAYMENTS = 200


def operations(rng: SeededRandom) -> dict[str, float]:
    """Median µs per call of each operation, per backend."""
    k = EC.random_secret(rng)
    point = EC.gexp(EC.random_secret(rng))
    curve = secp256k1.SECP256K1
    p256 = ECC.generate(curve="P-256", randfunc=rng.randbytes)
    p256_point = p256.public_key().pointQ
    dl_base = DL.gexp(DL.random_secret(rng))
    figures = compare(
        {
            "k·G secp256k1 (libsecp256k1)": lambda: EC.gexp(k),
            "k·P secp256k1 (libsecp256k1)": lambda: EC.exp(point, k),
            "k·P secp256k1 (gmpy2 Jacobian)": lambda: curves.multiply(curve, point, k),
            "k·P P-256 (pycryptodome EccPoint)": lambda: p256_point * k,
            "g^e RFC 5114 (gmpy2)": lambda: DL.exp(dl_base, k),
        }
    )
    out = {name: seconds * 1e6 for name, seconds in figures.items()}
    for group in (EC, DL):
        out |= _scheme_operations(group, rng)
    return out


def _scheme_operations(group: Group, rng: SeededRandom) -> dict[str, float]:
    pk, sk = schnorr.keygen(group, rng)
    signature = schnorr.sign(sk, b"benchmark", rng)
    ch_key, _ = schnorr.keygen(group, rng)
    m, r = group.random_scalar(rng), group.random_scalar(rng)
    keys = [schnorr.keygen(group, rng) for _ in range(RING_SIZE)]
    members = ring.canonical_ring(public for public, _ in keys)
    signer = next(secret for public, secret in keys if public == members[0])
    ring_signature = ring.sign(signer, members, b"benchmark", rng)
    label = group.name
    figures = compare(
        {
            f"chameleon hash m·G + r·Y ({label})": lambda: chameleon.ch(ch_key, m, r),
            f"Schnorr verify ({label})": lambda: schnorr.verify(signature, pk, b"benchmark"),
            f"AOS verify, ring of {RING_SIZE} ({label})": lambda: ring.verify(
                members, b"benchmark", ring_signature
            ),
        },
        rounds=7,
    )
    return {name: seconds * 1e6 for name, seconds in figures.items()}


def payment(group: Group, rng: SeededRandom) -> float:
    """Mean µs of one Micropay 3 payment: the payer's assertion and update signature, the point of
    sale's checks (ring voucher, assertion of depth 16, transaction signature) and its new voucher,
    and the payer's check of that voucher."""
    ledger = Ledger()
    merchant = setup(ledger, group, points_of_sale=RING_SIZE, schedule=Schedule(10**6, 3), rng=rng)
    pk, sk = schnorr.keygen(group, rng)
    ledger.mint(pk, 10 * PAYMENTS)
    wallet = Payer(ledger, sk, rng).open_channel(
        merchant, deposit=2 * PAYMENTS, penalty=PAYMENTS, slots=1, depth=AA_DEPTH
    )
    started = time.perf_counter()
    for i in range(PAYMENTS):
        wallet.pay(merchant.points_of_sale[i % RING_SIZE], 1)
    return (time.perf_counter() - started) / PAYMENTS * 1e6


def trials(count: int) -> dict[str, dict[str, float]]:
    """Mean ms per standard-tier trial of each game's default variant against its null adversaries
    (the challenger's own work: set-up, oracles and judge), per family."""
    out: dict[str, dict[str, float]] = {}
    for game in all_games():
        nulls = [a for a in adversaries_for(game.id) if a.broken_variant() is None]
        row = {}
        for group in (DL, EC):
            started = time.perf_counter()
            for adversary in nulls:
                spec = make_spec(game, None, adversary, "standard", seed="bench", group=group)
                for index in range(count):
                    play_trial(spec, index)
            row[group.name] = (time.perf_counter() - started) / (count * len(nulls)) * 1e3
        out[game.id] = row
    return out


def step(rng: SeededRandom) -> dict[str, float]:
    """µs of one group multiplication (a BSGS or birthday step): a product mod p, a point sum."""
    a, b = DL.gexp(DL.random_secret(rng)), DL.gexp(DL.random_secret(rng))
    u, v = EC.gexp(EC.random_secret(rng)), EC.gexp(EC.random_secret(rng))
    figures = compare({DL.name: lambda: DL.mul(a, b), EC.name: lambda: EC.mul(u, v)})
    return {name: seconds * 1e6 for name, seconds in figures.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.curve_bench")
    parser.add_argument("--trials", type=int, default=20, help="trials per game and null adversary (20)")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args(argv)
    rng = SeededRandom("curve-bench")
    ops = operations(rng)
    figures: dict[str, object] = {"operations_us": ops}
    print(tabulate(sorted(ops.items()), headers=["operation", "median µs / call"], floatfmt=",.1f"))
    pay = {group.name: payment(group, rng) for group in (DL, EC)}
    figures["payment"] = pay
    print()
    fast = ops["k·P secp256k1 (libsecp256k1)"]
    ratios = [
        ["k·G: RFC 5114 / secp256k1", ops["g^e RFC 5114 (gmpy2)"] / ops["k·G secp256k1 (libsecp256k1)"]],
        ["k·P: RFC 5114 / secp256k1", ops["g^e RFC 5114 (gmpy2)"] / fast],
        ["k·P: gmpy2 Jacobian / libsecp256k1", ops["k·P secp256k1 (gmpy2 Jacobian)"] / fast],
        ["k·P: pycryptodome P-256 / libsecp256k1", ops["k·P P-256 (pycryptodome EccPoint)"] / fast],
        [f"Micropay 3 payment ({pay[DL.name]:,.0f} vs {pay[EC.name]:,.0f} µs)", pay[DL.name] / pay[EC.name]],
    ]
    print(tabulate(ratios, headers=["ratio", "measured"], floatfmt=".1f"))
    per_trial = trials(args.trials)
    figures["trials_ms"] = per_trial
    print()
    rows = [[game, r[DL.name], r[EC.name], r[DL.name] / r[EC.name]] for game, r in per_trial.items()]
    headers = ["game (standard tier)", "RFC 5114 ms", "secp256k1 ms", "ratio"]
    print(tabulate(rows, headers=headers, floatfmt=".2f"))
    steps = step(rng)
    figures["step_us"] = steps
    print(f"\none group multiplication (a search step): {steps[DL.name]:.2f} µs mod p, ", end="")
    print(f"{steps[EC.name]:.2f} µs on the curve")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as out:
            json.dump(figures, out, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
