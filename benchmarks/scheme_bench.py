"""Scheme benchmark at the standard tier (issue: scheme, item 10). Run on demand: `make bench`.

Prints the median cost of each operation and the ratios below, each measured side by side in one
run (interleaved rounds, see `benchmarks.timing`):

* one-coin microcoin acceptance vs Schnorr verification (target: at least 200x cheaper), and vs one
  raw SHA-256 hop of the chain, its input laid out and hashed inline (target: within 2x); the hash of
  a ready-made input is reported beside it;
* Schnorr verify vs two raw `gmpy2.powmod` plus one SHA-512 (target <= 1.25x);
* AOS verify per ring member vs two raw powmods plus one hash per member (target <= 1.25x);
* AA verify at depth 16 vs its raw exponentiation and hash count (target <= 1.25x);
* our Schnorr verify vs pycryptodome's DSA-2048/256 verify (same RFC 5114 group);
* gmpy2.powmod vs the built-in `pow`.

`--json FILE` also writes the figures as JSON.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys

import gmpy2
from Crypto.Hash import SHA256
from Crypto.PublicKey import DSA
from Crypto.Signature import DSS
from tabulate import tabulate

from benchmarks.timing import compare
from mpgames.scheme import assertions, microcoin, ring, schnorr
from mpgames.scheme.encoding import U64_LEN, u64_bytes_header
from mpgames.scheme.groups import named_group
from mpgames.scheme.ledger import Ledger
from mpgames.scheme.metering import metered
from mpgames.scheme.microcoin_tx import CommitTx
from mpgames.scheme.payword import step_prefix
from mpgames.scheme.randomness import SeededRandom

GROUP = named_group("rfc5114-2048-256")
RING_SIZE = 8
AA_DEPTH = 16


def _raw_exps(pairs: list[tuple[int, int]], digest_input: bytes, hashes: int) -> None:
    """The raw work of a verifier: the given exponentiations and SHA-512 calls, nothing else."""
    for base, exponent in pairs:
        gmpy2.powmod(base, exponent, GROUP.p)
    for _ in range(hashes):
        hashlib.sha512(digest_input).digest()


def bench_schnorr(rng: SeededRandom) -> dict[str, dict[str, float]]:
    pk, sk = schnorr.keygen(GROUP, rng)
    message = b"benchmark message"
    sig = schnorr.sign(sk, message, rng)
    dsa_key = DSA.construct((pk.y, GROUP.g, GROUP.p, GROUP.q, sk.x))
    digest = SHA256.new(message)
    dsa_sig = DSS.new(dsa_key, "fips-186-3").sign(digest)
    dsa_verifier = DSS.new(dsa_key.public_key(), "fips-186-3")
    hash_input = bytes(2 * GROUP.element_len + len(message) + 40)
    e, s = sig.e, sig.s
    exponent = GROUP.random_scalar(rng)
    return {
        "schnorr": compare(
            {
                "schnorr.verify": lambda: schnorr.verify(sig, pk, message),
                "raw 2 powmod + 1 hash": lambda: _raw_exps(
                    [(GROUP.g, s), (pk.y, GROUP.q - e)], hash_input, 1
                ),
                "pycryptodome DSA verify": lambda: dsa_verifier.verify(digest, dsa_sig),
                "schnorr.sign": lambda: schnorr.sign(sk, message, rng),
            }
        ),
        "powmod": compare(
            {
                "gmpy2.powmod": lambda: gmpy2.powmod(pk.y, exponent, GROUP.p),
                "built-in pow": lambda: pow(pk.y, exponent, GROUP.p),
            },
            rounds=7,
        ),
    }


def bench_ring(rng: SeededRandom) -> dict[str, float]:
    keys = [schnorr.keygen(GROUP, rng) for _ in range(RING_SIZE)]
    members = ring.canonical_ring(pk for pk, _ in keys)
    message = b"voucher state"
    sig = ring.sign(keys[3][1], members, message, rng)
    pairs = [(GROUP.g, s) for s in sig.s] + [(pk.y, sig.c0) for pk in members]
    hash_input = bytes(RING_SIZE * GROUP.element_len + GROUP.element_len + len(message) + 64)
    timings = compare(
        {
            "ring.verify": lambda: ring.verify(members, message, sig),
            "raw 2n powmod + n hash": lambda: _raw_exps(pairs, hash_input, RING_SIZE),
            "ring.sign": lambda: ring.sign(keys[3][1], members, message, rng),
        },
        rounds=9,
    )
    return {name: value / RING_SIZE for name, value in timings.items()}


def bench_assertions(rng: SeededRandom) -> dict[str, float]:
    _, sk = schnorr.keygen(GROUP, rng)
    apk, asserter = assertions.generate(sk, AA_DEPTH, rng)
    contexts = iter(range(apk.contexts))
    statement = b"cid|nonce|price"
    tau = asserter.assert_(next(contexts), statement)
    with metered() as counts:
        assertions.verify(apk, 0, statement, tau)
    pairs = ([(GROUP.g, level.r) for level in tau.levels] * 2)[: counts.exponentiations]
    hash_input = bytes(2 * GROUP.element_len + 64)
    return compare(
        {
            "aa.verify": lambda: assertions.verify(apk, 0, statement, tau),
            f"raw {counts.exponentiations} powmod + {counts.hashes} hash": lambda: _raw_exps(
                pairs, hash_input, counts.hashes
            ),
            "aa.assert": lambda: asserter.assert_(next(contexts), statement),
        },
        rounds=7,
    )


def bench_microcoin(rng: SeededRandom) -> dict[str, float]:
    """One-coin acceptance (Channel.check of the next coin) vs Schnorr verification, side by side."""
    payer_pk, payer_sk = schnorr.keygen(GROUP, rng)
    payee_pk, _ = schnorr.keygen(GROUP, rng)
    ledger = Ledger()
    ledger.mint(payer_pk, 1000)
    gen = microcoin.PayWordGen(payer_sk, payee_pk, 1000, 1000, expiry=100, rng=rng)  # MC-B
    ledger.submit(CommitTx(gen.commit, gen.signature))
    gen.chain()
    channel = microcoin.accept_link(gen.link(), ledger, payee_pk)
    coin = gen.coin(1)
    message = b"benchmark message"
    sig = schnorr.sign(payer_sk, message, rng)
    prefix, word, sha256 = step_prefix(coin.cid), coin.word, hashlib.sha256
    step_input = prefix + u64_bytes_header(U64_LEN, 1, len(word)) + word
    return compare(
        {
            "microcoin accept (1 coin)": lambda: channel.check(coin),
            "raw SHA-256 hop": lambda: sha256(
                prefix + u64_bytes_header(U64_LEN, 1, len(word)) + word
            ).digest(),
            "SHA-256 of the ready hop input": lambda: sha256(step_input).digest(),
            "schnorr.verify": lambda: schnorr.verify(sig, payer_pk, message),
        }
    )


def _raw(timings: dict[str, float]) -> float:
    return next(value for name, value in timings.items() if name.startswith("raw"))


def run() -> dict[str, dict[str, float]]:
    """Median seconds per call of every measured operation, grouped by comparison."""
    rng = SeededRandom("benchmark")
    results = bench_schnorr(rng)
    results["ring (per member)"] = bench_ring(rng)
    results["assertions (depth 16)"] = bench_assertions(rng)
    results["microcoin"] = bench_microcoin(rng)
    return results


def ratios(results: dict[str, dict[str, float]]) -> list[tuple[str, float, str, bool | None]]:
    """(comparison, measured ratio, target, met) for each ratio of the issue; None where none is set."""
    schnorr_t, powmod = results["schnorr"], results["powmod"]
    ring_t, aa, mc = results["ring (per member)"], results["assertions (depth 16)"], results["microcoin"]
    rows: list[tuple[str, float, float | None, str]] = [
        (
            "Schnorr verify / microcoin accept (1 coin)",
            mc["schnorr.verify"] / mc["microcoin accept (1 coin)"],
            200.0,
            ">=",
        ),
        (
            "microcoin accept (1 coin) / raw SHA-256 hop",
            mc["microcoin accept (1 coin)"] / mc["raw SHA-256 hop"],
            2.0,
            "<=",
        ),
        (
            "microcoin accept (1 coin) / SHA-256 of the ready hop input",
            mc["microcoin accept (1 coin)"] / mc["SHA-256 of the ready hop input"],
            None,
            "",
        ),
        ("Schnorr verify / (2 powmod + 1 hash)", schnorr_t["schnorr.verify"] / _raw(schnorr_t), 1.25, "<="),
        ("AOS verify / raw exponentiations (per member)", ring_t["ring.verify"] / _raw(ring_t), 1.25, "<="),
        ("AA verify, D=16 / raw exponentiations", aa["aa.verify"] / _raw(aa), 1.25, "<="),
        (
            "Schnorr verify / pycryptodome DSA-2048/256 verify",
            schnorr_t["schnorr.verify"] / schnorr_t["pycryptodome DSA verify"],
            None,
            "",
        ),
        ("built-in pow / gmpy2.powmod", powmod["built-in pow"] / powmod["gmpy2.powmod"], None, ""),
    ]
    out: list[tuple[str, float, str, bool | None]] = []
    for name, value, bound, sense in rows:
        if bound is None:
            out.append((name, value, "(reported)", None))
        else:
            out.append(
                (name, value, f"{sense} {bound:g}", value >= bound if sense == ">=" else value <= bound)
            )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    args = parser.parse_args(argv)
    results = run()
    rows = [
        (group, name, f"{seconds * 1e6:,.1f}")
        for group, timings in results.items()
        for name, seconds in timings.items()
    ]
    print(f"Group: {GROUP.label} (|p| = {GROUP.p.bit_length()}, |q| = {GROUP.q.bit_length()})\n")
    print(tabulate(rows, headers=("comparison", "operation", "median µs / call")))
    print()
    table = [
        (name, f"{value:,.2f}", target, {True: "met", False: "MISSED", None: ""}[met])
        for name, value, target, met in ratios(results)
    ]
    print(tabulate(table, headers=("ratio", "measured", "target", "")))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(
                {
                    "group": GROUP.label,
                    "seconds_per_call": results,
                    "ratios": [
                        dict(zip(("ratio", "value", "target", "met"), row, strict=True))
                        for row in ratios(results)
                    ],
                },
                fh,
                indent=2,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
