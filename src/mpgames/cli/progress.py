"""Progress bars of long commands: a tqdm bar on stderr when stderr is a terminal, nothing otherwise."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from tqdm import tqdm


@contextmanager
def progress(total: int, label: str, unit: str = "trial") -> Iterator[Callable[[int], object] | None]:
    """`update(n)` of a bar of `total` `unit`s, or None when stderr is not a terminal."""
    if not sys.stderr.isatty():
        yield None
        return
    with tqdm(total=total, desc=label, unit=unit, leave=False, file=sys.stderr) as bar:
        yield bar.update
