"""Writing result files (harness §9): reports, run folders, JUnit XML, win vectors.

* `write_atomically(path, text)` writes a new file next to `path` and renames it over `path`: a
  crash or a full disk never leaves a half-written file, and an older file stays until the new one
  is complete. The file gets the mode a plain `open` gives (0666 less the umask: 0644 under umask
  022), not the 0600 of `tempfile`'s private files: results are meant to be read.
* `check_writable(path)` makes sure, before a command plays anything, that `write_atomically` will
  be able to write `path` (or files in the folder `path`), so that a long run does not find out at its
  end. It creates a file where the write would and removes it again, with any folder it had to create
  on the way: nothing is left behind.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
from pathlib import Path


def _new_file(folder: Path, name: str) -> tuple[Path, int]:
    """A file of a fresh name in `folder`, created for writing with the mode `open` gives."""
    path = folder / f".{name}.{secrets.token_hex(8)}.tmp"
    return path, os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)


def write_atomically(path: Path, text: str) -> None:
    """Replace `path` with `text` (UTF-8) in one step; its folder must exist."""
    temporary, descriptor = _new_file(path.parent, path.name)
    try:
        with open(descriptor, "w", encoding="utf-8") as file:
            file.write(text)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def check_writable(path: Path, *, folder: bool = False) -> None:
    """OSError unless `write_atomically` can write the file `path` (with `folder`: files in the folder
    `path`) once the folders missing on the way are made; those are removed again."""
    directory = path if folder else path.parent
    missing = [p for p in (directory, *directory.parents) if not p.exists()]  # the deepest first
    existing = next(p for p in (directory, *directory.parents) if p.exists())
    if not existing.is_dir():  # mkdir would say "File exists" of a file where a folder must be
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(existing))
    try:
        directory.mkdir(parents=True, exist_ok=True)
        if not folder and path.is_dir():
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
        probe, descriptor = _new_file(directory, path.name)
        os.close(descriptor)
        probe.unlink()
    finally:
        for made in missing:
            with contextlib.suppress(OSError):
                made.rmdir()
