"""The adversary's process of an isolated run (harness §6a; docs/isolation.md).

    python -m mpgames.adversaries.sandbox FD REFERENCE

The challenger (mpgames.framework.isolation.host) starts this program with `subprocess` — a fresh
interpreter, never a fork of a process that holds a secret — and talks to it over the Unix socket
FD. The program is a fork server:

1. it gives up every capability (as root too: then it can neither trace the challenger nor read
   its memory) and sets no-new-privileges, loads the adversary class named by REFERENCE
   ("package.module:Class" or "path/to/file.py:Class"),
   and answers ("loaded", profile) — the class's declared attributes, which the challenger checks —
   or ("failed", reason);
2. it keeps one spare process forked, idle until it is given a trial, and announces it as
   ("spare", pid); the next trial's process is forked while the current trial runs, so that the
   fork is off the trial's critical path;
3. ("prepare", group, modules) validates a group and imports the challenger's modules (the game's,
   whose view records each trial decodes) once, so that every trial's process has them (the spare
   forked before is replaced by one that has them): ("prepared"), then ("spare", pid). A module is
   named by its name, or by its file for a game loaded from one (mpgames.framework.plugin_files
   `module_source`), which is imported under the module name the challenger gave it;
4. ("trial", seeds, seed, cpu_seconds, memory_bytes) comes with the socket of that trial (SCM_RIGHTS): it
   hands both to the spare, forks the next spare and announces it, waits for the trial's process
   to end, kills and reaps whatever it left behind, and answers ("exited", pid, status). Only then
   does it read the next request, so no trial starts while anything of the last one runs.

Every process of the server is non-dumpable, so that a trial's process cannot trace, or read the
memory of, the server or the spare that plays the next trial. A trial's process starts from the
state the server had after loading the class (nothing carries from one trial to the next), in a
process group of its own, under CPU-time, memory, file-size and core-dump limits; it gets its
seed only when its trial starts. It builds the adversary, plays each ("stage", name, view) it is
sent with the adversary's own generator (built from `seed` by the seed derivation `seeds`),
forwards each oracle call to the challenger as ("query", name, args) and returns
("output", value, printed) or ("fault", type, message, printed, frames), its own frames
(mpgames.framework.faults) as (file, line, function) triples.
What the adversary prints is captured (at most `PRINT_LIMIT` characters) and sent with it.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import io
import math
import os
import resource
import signal
import socket
import sys
from pathlib import Path
from typing import Any

from mpgames.adversaries.base import Adversary, defines_stage
from mpgames.framework import errors, wire
from mpgames.framework.errors import UsageError
from mpgames.framework.faults import report_of
from mpgames.framework.isolation.channel import Channel, ChannelClosed
from mpgames.framework.plugin_files import import_source, is_file_reference, load_file, load_reference
from mpgames.framework.seeds import SEED_DERIVATIONS, adversary_stream
from mpgames.scheme import errors as scheme_errors
from mpgames.scheme.groups import Group
from mpgames.scheme.randomness import RandomSource

# prctl(2) options and capset(2)'s header version (linux/prctl.h, linux/capability.h).
PR_SET_NO_NEW_PRIVS = 38
PR_CAPBSET_DROP = 24
PR_SET_CHILD_SUBREAPER = 36
PR_SET_PDEATHSIG = 1
PR_SET_DUMPABLE = 4
CAPABILITY_VERSION_3 = 0x20080522
# What an adversary may print per trial; the rest is dropped.
PRINT_LIMIT = 1 << 16
# The most public attribute names a profile lists.
MAX_NAMES = 256
# Exceptions an oracle's refusal is re-raised as, by name; any other name is a SchemeError.
_REFUSALS: dict[str, type[Exception]] = {
    cls.__name__: cls
    for cls in (
        *(v for v in vars(scheme_errors).values() if isinstance(v, type) and issubclass(v, Exception)),
        errors.MalformedQuery,
        errors.BudgetExceeded,
        errors.PhaseError,
    )
}


class _Printed(io.StringIO):
    """sys.stdout and sys.stderr of a trial: keeps the first PRINT_LIMIT characters."""

    def write(self, text: str) -> int:
        room = PRINT_LIMIT - self.tell()
        if room > 0:
            super().write(str(text)[:room])
        return len(text)

    def take(self) -> str:
        text = self.getvalue()
        self.seek(0)
        self.truncate()
        return text


class OracleStub:
    """An oracle of the challenger, seen from the adversary's process: each call is a query message."""

    def __init__(self, ref: wire.OracleRef, channel: Channel) -> None:
        self.name = ref.name
        self.budget = ref.budget
        self.used = 0
        self._channel = channel

    @property
    def remaining(self) -> int | None:
        return None if self.budget is None else self.budget - self.used

    def __call__(self, *args: object) -> Any:
        self._channel.send("query", self.name, args)
        reply = self._channel.receive_bytes()
        message = wire.decode_public(reply, self._stub)
        if not isinstance(message, tuple) or not message:
            raise ChannelClosed("the challenger's reply is malformed")
        if message[0] == "answer":
            self.used += 1
            return message[1]
        _, name, text = message
        raise _REFUSALS.get(name, scheme_errors.SchemeError)(text)

    def _stub(self, ref: wire.OracleRef) -> OracleStub:
        return OracleStub(ref, self._channel)

    def __deepcopy__(self, memo: dict[int, object]) -> OracleStub:
        return self

    def __repr__(self) -> str:
        limit = "unlimited" if self.budget is None else f"{self.used}/{self.budget} used"
        return f"Oracle({self.name}, {limit})"


# -- the server ----------------------------------------------------------------------------------
def main(argv: list[str]) -> int:
    _die_with_parent()  # had the parent ended already, the socket is closed: the server ends at once
    control = Channel(socket.socket(fileno=int(argv[1])))
    try:
        cls = _load(argv[2])
        control.send("loaded", _profile(cls))
    except UsageError as exc:  # the loader's own one-line message
        control.send("failed", str(exc))
        return 0
    except BaseException as exc:  # whatever loading does is reported, never raised
        control.send("failed", f"loading it raised {_describe(exc)}")
        return 0
    _serve(control, cls)
    return 0


def _load(reference: str) -> type:
    """The class named by `reference`, loaded after giving up every privilege."""
    _drop_privileges()
    loaded = load_file(reference) if is_file_reference(reference) else load_reference(reference)
    if not isinstance(loaded, type):
        raise TypeError(f"{reference} is not a class")
    return loaded


def _drop_privileges() -> None:
    """Give up every capability, for good: as root without CAP_SYS_PTRACE the server's processes
    can neither trace the (non-dumpable) challenger nor read its memory, and no exec regains them."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)
    if os.geteuid() != 0:
        return
    for capability in range(64):
        libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0)  # EINVAL past the last capability: ignored
    header = (ctypes.c_uint32 * 2)(CAPABILITY_VERSION_3, 0)
    nothing = (ctypes.c_uint32 * 6)()
    if libc.capset(header, nothing) != 0:
        raise OSError(ctypes.get_errno(), "capset failed: the adversary would keep root's capabilities")


def _profile(cls: type) -> dict[str, object]:
    """What the class declares, as plain values (the challenger checks every one of them)."""
    declared = {
        name: getattr(cls, name, None)
        for name in ("id", "label", "targets", "expect", "breaks_tiers", "also_breaks")
    }
    implements = [
        name
        for name in dir(cls)
        if not name.startswith("_") and callable(getattr(cls, name, None)) and defines_stage(cls, name)
    ]
    declared["implements"] = tuple(implements[:MAX_NAMES])
    declared["is_adversary"] = issubclass(cls, Adversary)
    return {name: _plain(value) for name, value in declared.items()}


def _plain(value: object) -> object:
    """`value` if the wire carries it as it is, else its type's name (which the challenger refuses)."""
    try:
        wire.encode(value)
    except wire.WireError:
        return f"<{type(value).__name__}>"
    return value


def _serve(control: Channel, cls: type) -> None:
    # No process of the server can be traced, or have its memory read, by a trial's process.
    ctypes.CDLL(None).prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
    # What a trial's process leaves behind (a daemonised child) is re-parented here, and reaped.
    ctypes.CDLL(None).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    # The loaded state is final: no collection in a trial's process touches its pages again.
    gc.freeze()
    spare = _Spare(control, cls)
    control.send("spare", spare.pid)
    while True:
        try:
            message = control.receive()
        except ChannelClosed:
            return
        if not isinstance(message, tuple) or not message:
            return
        if message[0] == "prepare":
            _, group, modules = message
            if isinstance(group, Group):
                Group(group.p, group.q, group.g, group.tier, group.name, group.curve)
            for source in modules:
                import_source(source)
            # The spare was forked before the group was validated: its replacement has it validated.
            spare.discard()
            spare = _Spare(control, cls)
            control.send("prepared")
            control.send("spare", spare.pid)
        elif message[0] == "trial":
            trial_fd = control.receive_fd()
            pid = spare.start(message[1:], trial_fd)
            # The next trial's process is forked while this one runs (it waits for its own trial).
            spare = _Spare(control, cls)
            control.send("spare", spare.pid)
            _, status = os.waitpid(pid, 0)
            _reap_strays(spare.pid)
            control.send("exited", pid, status)


class _Spare:
    """A forked process of the server that waits, holding nothing, until it is given a trial."""

    def __init__(self, control: Channel, cls: type) -> None:
        ours, theirs = socket.socketpair()
        server = os.getpid()
        pid = os.fork()
        if pid == 0:
            _die_with_parent()
            if os.getppid() != server:  # the server ended before the child could ask
                os._exit(0)
            ours.close()
            _child(control, Channel(theirs), cls)
        theirs.close()
        with contextlib.suppress(OSError):
            os.setpgid(pid, pid)
        self.pid = pid
        self._link = Channel(ours)

    def start(self, request: tuple[object, ...], trial_fd: int) -> int:
        """Give it its trial (the request's seed and limits, and the trial's socket); its pid."""
        try:
            self._link.send(*request)
            self._link.send_fd(trial_fd)
        except (ChannelClosed, OSError):  # it was killed: the trial ends at once, as a fault
            pass
        os.close(trial_fd)
        self._link.close()
        return self.pid

    def discard(self) -> None:
        """End it unused."""
        self._link.close()
        with contextlib.suppress(OSError):
            os.kill(self.pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)


def _die_with_parent() -> None:
    """SIGKILL this process when its parent ends (the server's: the challenger's process that started
    it; a trial's: the server), however the parent ends."""
    ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def _reap_strays(spare: int) -> None:
    """Kill and reap every process left under the server (a trial's children re-parented here) but
    the `spare`."""
    while True:
        children = [pid for pid in _children() if pid != spare]
        if not children:
            return
        for pid in children:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
        for pid in children:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)


def _children() -> list[int]:
    found = []
    for task in Path(f"/proc/{os.getpid()}/task").iterdir():
        with contextlib.suppress(OSError):
            found += [int(pid) for pid in (task / "children").read_text().split()]
    return found


# -- one trial -----------------------------------------------------------------------------------
def _child(control: Channel, link: Channel, cls: type) -> None:
    """A spare, then the trial's process: never returns (it ends with os._exit)."""
    try:
        os.setpgid(0, 0)
        control.close()
        try:
            request = link.receive()
            trial_fd = link.receive_fd()
        except ChannelClosed:  # discarded, or the server ended
            return
        link.close()
        if not (
            isinstance(request, tuple)
            and len(request) == 4
            and type(request[0]) is int
            and request[0] in SEED_DERIVATIONS
            and type(request[1]) is bytes
        ):
            return
        seeds, seed, cpu_seconds, memory_bytes = request
        _limit(cpu_seconds, memory_bytes)
        _play(Channel(socket.socket(fileno=trial_fd)), cls, adversary_stream(seeds, seed))
    finally:
        os._exit(0)


def _limit(cpu_seconds: float | None, memory_bytes: int) -> None:
    if cpu_seconds is not None:
        seconds = math.ceil(cpu_seconds) + 1
        resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 1))
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    resource.setrlimit(resource.RLIMIT_FSIZE, (PRINT_LIMIT, PRINT_LIMIT))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _play(channel: Channel, cls: type, rng: RandomSource) -> None:
    printed = _Printed()
    sys.stdout = sys.stderr = printed
    try:
        adversary = cls()
    except BaseException as exc:
        kind, text, frames = _fault(exc)
        channel.send("fault", kind, text, printed.take(), frames)
        return
    channel.send("constructed", printed.take())
    while True:
        try:
            body = channel.receive_bytes()
        except ChannelClosed:
            return
        message = wire.decode_public(body, lambda ref: OracleStub(ref, channel))
        if not isinstance(message, tuple) or len(message) != 3 or message[0] != "stage":
            return
        _, stage, view = message
        try:
            output = getattr(adversary, stage)(view, rng)
            reply = wire.encode(("output", output, printed.take()))
        except BaseException as exc:
            kind, text, frames = _fault(exc)
            reply = wire.encode(("fault", kind, text, printed.take(), frames))
        channel.send_bytes(reply)


def _fault(exc: BaseException) -> tuple[str, str, tuple[tuple[str, int, str], ...]]:
    """(type, message, the adversary's own frames) of a fault (mpgames.framework.faults)."""
    report = report_of(exc)
    return (
        report.kind,
        report.message,
        tuple((frame.file, frame.line, frame.function) for frame in report.frames),
    )


def _describe(exc: BaseException) -> str:
    try:
        return f"{type(exc).__name__}: {exc}"[:1000]
    except Exception:
        return type(exc).__name__


if __name__ == "__main__":
    sys.exit(main(sys.argv))
