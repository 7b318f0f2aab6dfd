"""Memory benchmark: peak RSS of one run against its number of trials (issue "Long runs: constant memory
and a lean trial loop", item 3). Run on demand: `python -m benchmarks.memory_bench` (about 90 seconds).

Each run is `mpgames run dl --adversary dl.random-guess --fixed N --jobs 1 --json` (a null adversary
on the toy group, every trial played, no early stop) in a fresh process, which reports its own peak
RSS. Target: the 10^6-trial run within 1.1x of the 10^4-trial run.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time

from tabulate import tabulate

TRIALS = (10_000, 100_000, 1_000_000)
_CHILD = """
import contextlib, io, resource, sys
from mpgames.cli import main
with contextlib.redirect_stdout(io.StringIO()):
    status = main(
        ["run", "dl", "--adversary", "dl.random-guess", "--fixed", sys.argv[1], "--jobs", "1", "--json"]
    )
print(status, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def peak_rss(trials: int) -> tuple[float, float]:
    """(peak RSS in MB, seconds) of one run of `trials` trials in a fresh process."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(trials)], capture_output=True, text=True, check=True
    )
    status, kilobytes = done.stdout.split()
    if status != "0":
        raise SystemExit(f"the run of {trials} trials ended with status {status}: {done.stderr}")
    return int(kilobytes) / 1024, time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    args = parser.parse_args(argv)
    rows = {n: peak_rss(n) for n in TRIALS}
    base = rows[TRIALS[0]][0]
    print(
        tabulate(
            [(f"{n:,}", f"{mb:.1f}", f"{mb / base:.3f}x", f"{s:.1f}") for n, (mb, s) in rows.items()],
            headers=("trials", "peak RSS (MB)", f"vs {TRIALS[0]:,}", "seconds"),
        )
    )
    ratio = rows[TRIALS[-1]][0] / base
    verdict = "met" if ratio <= 1.1 else "MISSED"
    print(f"\n{TRIALS[-1]:,} / {TRIALS[0]:,} trials: {ratio:.3f}x (target <= 1.1x): {verdict}")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(
                {str(n): {"peak_rss_mb": mb, "seconds": s} for n, (mb, s) in rows.items()}, fh, indent=2
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
