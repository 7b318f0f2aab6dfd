"""The command line's standard streams: readable on any encoding, and stdout kept for the command.

* `fall_back_to_ascii()` (at the start of every command): stdout and stderr write a character
  their encoding cannot represent (`PYTHONIOENCODING=ascii`, a C locale, a Windows code page) as
  an ASCII stand-in instead of failing with `UnicodeEncodeError` after a whole run: the table's
  marks (✓ as "ok", ✗ as "x"), relations (≥ as ">="), Greek letters by name (α as "alpha"),
  dashes, box drawing; anything else as "?" (mpgames.reports.tables). On a UTF-8 stream nothing
  changes. `needs_ascii()` tells a command to lay its tables out from the stand-ins, so that their
  columns stay aligned.
* `adversary_prints_to_stderr()`: while trials are played, what an adversary prints (a trusted
  one runs in this process, or in workers forked from it) goes to stderr, so that the command's
  own stdout, its `--json` document or its table, stays intact. An isolated adversary's output is
  captured in its own process (mpgames.adversaries.sandbox).
"""

from __future__ import annotations

import codecs
import contextlib
import io
import sys
from collections.abc import Iterator

from mpgames.reports.tables import STAND_INS, to_ascii

# The error handler that `fall_back_to_ascii` installs on the streams.
ASCII_FALLBACK = "mpgames-ascii-fallback"
# Characters of the reports, which a table must be laid out without when stdout cannot show them.
_REPORT_CHARACTERS = "".join(STAND_INS)


def _stand_in(error: UnicodeError) -> tuple[str, int]:
    """The codec error handler: ASCII for the characters the encoding could not represent."""
    if not isinstance(error, UnicodeEncodeError):
        raise error
    unencodable = error.object[error.start : error.end]
    return to_ascii(unencodable), error.end


codecs.register_error(ASCII_FALLBACK, _stand_in)


def fall_back_to_ascii() -> None:
    """Let stdout and stderr write what their encoding cannot represent as ASCII stand-ins."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors=ASCII_FALLBACK)


def needs_ascii() -> bool:
    """True iff stdout's encoding cannot show the reports' characters: tables are then laid out from
    their ASCII stand-ins (mpgames.reports.tables)."""
    try:
        _REPORT_CHARACTERS.encode(getattr(sys.stdout, "encoding", None) or "utf-8")
    except (UnicodeEncodeError, LookupError):
        return True
    return False


@contextlib.contextmanager
def adversary_prints_to_stderr() -> Iterator[None]:
    """While the block runs (trials are played), `print` writes to stderr: in this process and in the
    worker processes forked from it meanwhile."""
    sys.stdout.flush()
    with contextlib.redirect_stdout(sys.stderr):
        yield
