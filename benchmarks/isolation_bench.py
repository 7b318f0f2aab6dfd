"""Isolation benchmark (docs/isolation.md, docs/benchmarks.md). Run on demand: `make bench`.

Seconds per trial of an adversary played trusted (in the challenger's process) and isolated (a
fresh fork of its server per trial, the boundary crossing a socket as bytes), side by side in one
run (interleaved rounds, `benchmarks.timing.compare`), for `sig.euf-cma` and `mp.ds` at the standard
and the toy tier. Targets at the standard tier: isolated ≤ 1.3× trusted for `sig.euf-cma`, ≤ 1.10×
for `mp.ds`. Where the time goes: the isolated trial's extra milliseconds are a fixed cost (the
fresh trial process's first writes to the pages it inherited, encoding and decoding the view, the
queries and the output, socket round trips, and the challenger's conversion of what comes back;
the fork and the reaping run while the trials before and after run), the same at both tiers, so the
ratio falls as the trial's own work grows; the server's start-up (a fresh interpreter importing the
adversary) is paid once per run and reported apart.

`--json FILE` also writes the figures as JSON.
"""

from __future__ import annotations

import argparse
import itertools
import json
import subprocess
import sys
import time
from collections.abc import Callable

from tabulate import tabulate

from benchmarks.timing import compare
from mpgames.adversaries.micropay import TwoPosDoubleSpend
from mpgames.adversaries.sig import NonceReuseForger
from mpgames.framework.engine import TrialSpec, make_spec, play_trial
from mpgames.framework.isolation.host import AdversaryServer, close_servers
from mpgames.games.mp_ds import DoubleSpendDetection
from mpgames.games.sig_euf_cma import SchnorrEufCma

CASES = (
    ("sig.euf-cma", SchnorrEufCma, "schnorr-nonce-reuse", NonceReuseForger, {"standard": 1.3}),
    ("mp.ds", DoubleSpendDetection, "micropay3-no-aa", TwoPosDoubleSpend, {"standard": 1.10}),
)
TIERS = ("standard", "toy")


def per_trial(game: type, variant: str, adversary: type, tier: str) -> dict[str, float]:
    """Median seconds per trial, trusted and isolated, in interleaved rounds."""
    specs = {
        mode: make_spec(game, variant, adversary, tier, seed="bench-isolation", isolated=mode == "isolated")
        for mode in ("trusted", "isolated")
    }
    counter = itertools.count()

    def trial(spec: TrialSpec) -> Callable[[], object]:
        return lambda: play_trial(spec, next(counter))

    return compare({mode: trial(spec) for mode, spec in specs.items()}, rounds=7, target=0.3)


def server_start() -> float:
    """Seconds to start a fork server and load an adversary (once per run and process)."""
    start = time.perf_counter()
    AdversaryServer(NonceReuseForger.source_reference()).close()
    return time.perf_counter() - start


# Run in a fresh interpreter with the sandbox's imports: the milliseconds of one bare fork, exit and
# reap of such a process, the floor of a trial's fixed cost.
_FORK_PROBE = """
import os, sys, time
import mpgames.adversaries.sandbox, mpgames.adversaries.sig
start = time.perf_counter()
for _ in range(40):
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0)
print((time.perf_counter() - start) / 40, "scipy" in sys.modules)
"""


def bare_fork() -> tuple[float, bool]:
    """Seconds of a bare fork + exit + reap of a process holding the sandbox's modules, and whether
    scipy is among them (it must not be)."""
    done = subprocess.run([sys.executable, "-c", _FORK_PROBE], capture_output=True, text=True, check=True)
    seconds, scipy = done.stdout.split()
    return float(seconds), scipy == "True"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    args = parser.parse_args(argv)
    rows = []
    for (name, game, variant, adversary, targets), tier in itertools.product(CASES, TIERS):
        seconds = per_trial(game, variant, adversary, tier)
        ratio = seconds["isolated"] / seconds["trusted"]
        target = targets.get(tier)
        rows.append(
            {
                "game": name,
                "tier": tier,
                "trusted_ms": seconds["trusted"] * 1e3,
                "isolated_ms": seconds["isolated"] * 1e3,
                "extra_ms": (seconds["isolated"] - seconds["trusted"]) * 1e3,
                "ratio": ratio,
                "target": target,
                "met": None if target is None else ratio <= target,
            }
        )
    close_servers()
    start = server_start()
    print(
        tabulate(
            [
                (
                    r["game"],
                    r["tier"],
                    f"{r['trusted_ms']:.2f}",
                    f"{r['isolated_ms']:.2f}",
                    f"{r['extra_ms']:+.2f}",
                    f"{r['ratio']:.2f}x",
                    "-" if r["target"] is None else f"<= {r['target']}x",
                    "" if r["met"] is None else "met" if r["met"] else "MISSED",
                )
                for r in rows
            ],
            headers=("game", "tier", "trusted ms", "isolated ms", "extra ms", "ratio", "target", ""),
        )
    )
    fork, scipy = bare_fork()
    print(f"\nserver start-up (once per run and process): {start * 1e3:.0f} ms")
    print(f"bare fork + exit + reap of the server's process: {fork * 1e3:.1f} ms (scipy loaded: {scipy})")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(
                {"per_trial": rows, "server_start_seconds": start, "bare_fork_seconds": fork}, fh, indent=2
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
