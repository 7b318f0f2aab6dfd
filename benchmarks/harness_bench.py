"""Harness benchmark (issue: games, item 8). Run on demand: `make bench`.

Measures, side by side in one run:

* harness overhead per trial: `play_trial` of `sig.euf-cma` (nonce-reuse signer, nonce-reuse forger,
  standard tier) against the same scheme calls made directly in a loop (target <= 10% overhead);
* throughput of `--jobs 2` against `--jobs 1` on the same trials (target >= 1.8x), and of
  `--executor dask` on a two-worker LocalCluster against `--jobs 2` (target >= 0.8x), with the same
  outcomes from all three;
* trials a reference attack with Adv ≈ 1 needs to reach "broken" (target <= 30) and trials a null
  win-lose adversary needs to reach "bounded below 0.05 at α = 10⁻³" (target <= 200).

`--json FILE` also writes the figures as JSON.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from tabulate import tabulate

from benchmarks.timing import compare
from mpgames.adversaries.sig import QUERIES, TARGET, NonceReuseForger, RandomForgery
from mpgames.framework.engine import Engine, make_spec, play_trial
from mpgames.framework.outcome import TrialOutcome
from mpgames.games.sig_euf_cma import SchnorrEufCma
from mpgames.measure.verdicts import Thresholds
from mpgames.scheme import schnorr
from mpgames.scheme.groups import named_group
from mpgames.scheme.randomness import SeededRandom
from mpgames.scheme.schnorr import NONCE_REUSE

TIER = "standard"
JOB_TRIALS = 256


def direct_trial(rng: SeededRandom) -> bool:
    """One nonce-reuse trial without the harness: the challenger's and the attack's scheme calls."""
    group = named_group("rfc5114-2048-256")
    pk, sk = schnorr.keygen(group, rng)
    nonce = group.random_secret(rng)
    first, second = (schnorr.sign(sk, message, rng, nonce=nonce) for message in QUERIES)
    x = schnorr.recover_key_from_nonce_reuse(group, first, second)
    if group.gexp(x) != pk.y:
        return False
    forged = schnorr.sign(schnorr.SecretKey(group, x), TARGET, rng)
    return schnorr.verify(forged, pk, TARGET)


def overhead() -> dict[str, float]:
    spec = make_spec(SchnorrEufCma, NONCE_REUSE.name, NonceReuseForger, TIER, seed="bench")
    counter = iter(range(1 << 30))
    rng = SeededRandom("direct")
    return compare(
        {
            "harness trial (play_trial)": lambda: play_trial(spec, next(counter)),
            "direct scheme calls": lambda: direct_trial(rng),
        },
        rounds=9,
        target=0.05,
    )


DASK = "--executor dask (2 workers)"


def throughput() -> dict[str, float]:
    """Trials per second with one and two local worker processes and a two-worker Dask LocalCluster,
    alternating, best of three each; the outcomes must be the same, trial for trial."""
    spec = make_spec(SchnorrEufCma, NONCE_REUSE.name, NonceReuseForger, TIER, seed="bench-jobs")
    rates: dict[str, list[float]] = {"--jobs 1": [], "--jobs 2": [], DASK: []}
    outcomes: dict[str, list[TrialOutcome]] = {}
    with Engine(1) as one, Engine(2) as two, Engine(2, executor="dask") as dask:
        engines = (("--jobs 1", one), ("--jobs 2", two), (DASK, dask))
        for _, engine in engines[1:]:
            engine.play(spec, 0, 4)  # start the workers outside the measurement
        for _ in range(3):
            for name, engine in engines:
                start = time.perf_counter()
                played = engine.play(spec, 0, JOB_TRIALS)
                rates[name].append(JOB_TRIALS / (time.perf_counter() - start))
                outcomes[name] = [outcome.comparable() for outcome in played]
    if not outcomes["--jobs 1"] == outcomes["--jobs 2"] == outcomes[DASK]:
        raise SystemExit("the executors played different outcomes: a bug")
    return {name: max(values) for name, values in rates.items()}


def trials_to_verdict() -> dict[str, int]:
    with Engine(1) as engine:
        broken = engine.run(
            SchnorrEufCma, NONCE_REUSE.name, NonceReuseForger, "toy", max_trials=1000, seed="bench-verdict"
        )
        bounded = engine.run(
            SchnorrEufCma,
            "schnorr",
            RandomForgery,
            "toy",
            max_trials=1000,
            seed="bench-verdict",
            thresholds=Thresholds(eps0=0.05, alpha=1e-3),
        )
    return {
        f"reference attack → {broken.estimate.verdict}": broken.estimate.trials,
        f"null adversary → {bounded.estimate.verdict}, {bounded.estimate.describe()}": (
            bounded.estimate.trials
        ),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    args = parser.parse_args(argv)
    cost = overhead()
    rates = throughput()
    verdicts = trials_to_verdict()
    over = cost["harness trial (play_trial)"] / cost["direct scheme calls"] - 1
    speedup = rates["--jobs 2"] / rates["--jobs 1"]
    dask_ratio = rates[DASK] / rates["--jobs 2"]
    (broken_label, broken_n), (bounded_label, bounded_n) = verdicts.items()
    rows = [
        ("harness overhead per trial", f"{over:+.1%}", "<= +10%", over <= 0.10),
        ("--jobs 2 / --jobs 1 trials per second", f"{speedup:.2f}x", ">= 1.8x", speedup >= 1.8),
        (f"{DASK} / --jobs 2 trials per second", f"{dask_ratio:.2f}x", ">= 0.8x", dask_ratio >= 0.8),
        (broken_label, f"{broken_n} trials", "<= 30", broken_n <= 30),
        (bounded_label, f"{bounded_n} trials", "<= 200", bounded_n <= 200),
    ]
    print(tabulate([(k, f"{v * 1e3:.2f} ms") for k, v in cost.items()], headers=("per trial", "median")))
    print()
    print(tabulate([(k, f"{v:.1f}") for k, v in rates.items()], headers=("engine", "trials / s")))
    print()
    print(
        tabulate(
            [(*row[:3], "met" if row[3] else "MISSED") for row in rows],
            headers=("figure", "measured", "target", ""),
        )
    )
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(
                {
                    "seconds_per_trial": cost,
                    "trials_per_second": rates,
                    "figures": [
                        dict(zip(("figure", "measured", "target", "met"), row, strict=True)) for row in rows
                    ],
                },
                fh,
                indent=2,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
