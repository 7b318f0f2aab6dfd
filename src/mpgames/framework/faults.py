"""What a faulted trial tells the adversary's author (harness §6a "Faults carry no information";
docs/games-framework.md "Who is at fault"): the fault's type, its message and the adversary's own frames.

A fault carries no information into the score; it carries a report out, for the person who wrote
the adversary: `FaultReport(kind, message, frames)`. `report_of(exc)` builds it from the exception
the adversary's side raised:

* `message` is `str(exc)` cut to `MAX_MESSAGE` characters. An exception of the adversary's own
  class may define `__str__`, which is the adversary's code: it is called under a time limit of
  `MESSAGE_SECONDS`, and whatever it does wrong (raises, loops, returns a str subclass) gives a
  placeholder instead;
* `frames` are the frames of its traceback that are the adversary's own (`is_adversary_file`:
  neither the standard library nor the harness's challenger code, which is all of the mpgames
  package except the adversaries in `mpgames.adversaries`), innermost last, at most `MAX_FRAMES`
  of them: where the student's code raised, looped past its time limit, or called the oracle past
  its budget. Read from the code objects (file name, line, function), no source is read.

An isolated adversary's process builds the same report and sends its parts (mpgames.adversaries.
sandbox); the challenger takes them as external input (`checked_frames`). A report is plain data:
it crosses the process boundary of a worker, is kept in the trial's outcome, and the first report
of each fault type of a run is kept in its record (`RunResult.faults`) for the table, the JSON and
`--traceback`.
"""

from __future__ import annotations

import linecache
import os
import sysconfig
from collections.abc import Iterator
from dataclasses import dataclass
from types import TracebackType

from mpgames.framework.errors import ADVERSARY_ERRORS, AdversaryRaised, fault_kind
from mpgames.framework.timelimit import call_with_limit

MAX_MESSAGE = 500
MAX_FRAMES = 8
# A frame's file name and function name are cut to these lengths.
MAX_FILE, MAX_FUNCTION = 300, 100
MESSAGE_SECONDS = 1.0

_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # src/mpgames
_ADVERSARIES = os.path.join(_PACKAGE, "adversaries")
# The harness's own files among the adversaries: the base class, the loaders and the sandbox.
_HARNESS_FILES = frozenset(
    os.path.join(_ADVERSARIES, name)
    for name in ("base.py", "isolated.py", "plugins.py", "registry.py", "sandbox.py")
)
_LIBRARY = tuple(
    os.path.abspath(path) + os.sep
    for key in ("stdlib", "platstdlib")
    if (path := sysconfig.get_paths().get(key))
)


@dataclass(frozen=True)
class Frame:
    """One frame of the adversary's code: its file, line and function."""

    file: str
    line: int
    function: str

    def format(self) -> str:
        """`file.py:31 in attack`: the file's name without its folder, so that a transcript or a
        table reads the same on any machine (the full path is in `file`)."""
        return f"{os.path.basename(self.file)}:{self.line} in {self.function}"

    def source(self) -> str:
        """The frame's line of source, stripped ("" if the file cannot be read)."""
        return linecache.getline(self.file, self.line).strip()

    def as_dict(self) -> dict[str, object]:
        return {"file": self.file, "line": self.line, "function": self.function}


@dataclass(frozen=True)
class FaultReport:
    """What went wrong on the adversary's side of one trial, for its author."""

    kind: str
    message: str
    frames: tuple[Frame, ...] = ()

    @property
    def at(self) -> str:
        """Where: the innermost of the adversary's frames, or "" if none is its own."""
        return self.frames[-1].format() if self.frames else ""

    def summary(self) -> str:
        """One line: type, message and where."""
        where = f" at {self.at}" if self.at else ""
        return f"{self.kind}: {self.message}{where}" if self.message else f"{self.kind}{where}"

    def traceback_lines(self) -> list[str]:
        """The frames as a traceback shows them, innermost last, then type and message."""
        lines = []
        for frame in self.frames:
            lines.append(f'  File "{frame.file}", line {frame.line}, in {frame.function}')
            if source := frame.source():
                lines.append(f"    {source}")
        lines.append(f"{self.kind}: {self.message}" if self.message else self.kind)
        return lines

    def as_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "message": self.message,
            "frames": [frame.as_dict() for frame in self.frames],
        }


def is_adversary_file(path: str) -> bool:
    """True iff code in `path` is the adversary's own: neither the standard library nor the
    challenger's part of the mpgames package."""
    full = os.path.abspath(path)
    if full.startswith(_LIBRARY) or full in _HARNESS_FILES:
        return False
    if full.startswith(_PACKAGE + os.sep):
        return full.startswith(_ADVERSARIES + os.sep)
    return not path.startswith("<frozen ")


def _walk(tb: TracebackType | None) -> Iterator[Frame]:
    while tb is not None:
        code = tb.tb_frame.f_code
        yield Frame(str(code.co_filename)[:MAX_FILE], tb.tb_lineno, str(code.co_name)[:MAX_FUNCTION])
        tb = tb.tb_next


def adversary_frames(exc: BaseException) -> tuple[Frame, ...]:
    """The adversary's own frames of `exc`'s traceback, innermost last, at most `MAX_FRAMES`."""
    own = [frame for frame in _walk(exc.__traceback__) if is_adversary_file(frame.file)]
    return tuple(own[-MAX_FRAMES:])


def message_of(exc: BaseException) -> str:
    """`str(exc)`, at most `MAX_MESSAGE` characters, computed under a time limit (module notes)."""
    try:
        text = call_with_limit(lambda: str(exc), MESSAGE_SECONDS)
    except ADVERSARY_ERRORS:
        return "<the exception's message could not be read>"
    if type(text) is not str:
        return "<the exception's message is not a string>"
    return text if len(text) <= MAX_MESSAGE else text[: MAX_MESSAGE - 1] + "…"


def report_of(exc: BaseException) -> FaultReport:
    """The report of an adversary-side exception: its frames read here, or, for an isolated
    adversary's (`AdversaryRaised`), those its process sent, checked as external input."""
    own = (checked_frames(exc.frames) or ()) if isinstance(exc, AdversaryRaised) else adversary_frames(exc)
    return FaultReport(fault_kind(exc), message_of(exc), own)


def checked_frames(value: object) -> tuple[Frame, ...] | None:
    """Frames an isolated adversary's process sent, as [[file, line, function], …], or None if they
    are not that shape (then the fault is reported without them)."""
    if type(value) is not tuple or len(value) > MAX_FRAMES:
        return None
    frames = []
    for item in value:
        if not (type(item) is tuple and len(item) == 3):
            return None
        file, line, function = item
        if (
            type(file) is not str
            or type(line) is not int
            or type(function) is not str
            or not 0 <= line < 2**31
        ):
            return None
        frames.append(Frame(file[:MAX_FILE], line, function[:MAX_FUNCTION]))
    return tuple(frames)
