"""The challenger's side of an isolated adversary (harness §6a; docs/isolation.md).

`server_for(reference)` starts, once per process and adversary, the adversary's fork server
(`python -m mpgames.adversaries.sandbox`) in a session of its own, with a Unix socket as its only
open file, and reads the class's `profile`. Before it starts one, the challenger's process makes
itself non-dumpable, so that a process of the same user can neither ptrace it nor read its
`/proc/PID/mem`; a server started as root gives up root before it loads the adversary.

`server.trial(seed, limits, seeds=)` gives a `RemoteTrial`: one forked process of the server with a
socket of its own. The server forks it ahead, while the trial before runs, and announces it
("spare"); the trial takes it without a round trip, and its end ("exited") is read later, when the
server's next notice is needed, so neither the fork nor the reaping is on a trial's critical path.
Its `construct()` returns the `RemoteAdversary` an experiment calls its stages on while the process
builds the adversary (the constructor's outcome is read before the first stage). Each stage is a
`RemoteStage` that `TrialContext.play` runs: it sends the view record, answers the oracle queries
with the challenger's own `Oracle`s, and returns the output decoded by `wire.decode_untrusted`
(raw: `play` converts it as every output is converted). Whatever the adversary's process does
wrong — it raises, exits, crashes, sends bytes that do not decode or a message out of turn, goes
silent — is an adversary-side exception, so the trial is faulted and the run goes on.
`RemoteTrial.close()` kills the trial's process group: nothing of a trial runs after it, and the
server reaps the process (and kills and reaps whatever it left behind) before it starts the next.

The time limit is the challenger's (`call_with_limit` around each stage: a signal in the
challenger, never in the adversary's process); the trial's process also has CPU-time and memory
limits of its own (`Limits`).
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, NoReturn

from mpgames.framework import wire
from mpgames.framework.errors import AdversaryRaised, BudgetExceeded, ChallengerBug, PhaseError, UsageError
from mpgames.framework.isolation.channel import Channel, ChannelClosed, ChannelTimeout, FrameTooLarge
from mpgames.framework.oracles import Oracle
from mpgames.framework.seeds import SEEDS
from mpgames.framework.view import View
from mpgames.scheme.errors import SchemeError
from mpgames.scheme.groups import Group

SERVER_MODULE = "mpgames.adversaries.sandbox"
# How long the server may take to load the adversary (imports included), and to answer a request.
LOAD_SECONDS = 60.0
CONTROL_SECONDS = 10.0
# The address space of a trial's process.
MEMORY_BYTES = 2 << 30
# How long a closing server may take to reap the trial it was just told to kill.
REAP_SECONDS = 2.0
# The oracle refusals an adversary may catch (an oracle answers ⊥, or is over budget or closed).
_REFUSALS = (SchemeError, BudgetExceeded, PhaseError)
# What the adversary's process may name its exception: a short identifier; and the longest message of it.
MAX_KIND = 64
MAX_MESSAGE = 1000

Trace = Callable[..., None]


class SandboxError(Exception):
    """The adversary's process broke the protocol, went silent or ended: a fault of the trial."""


@dataclass(frozen=True)
class Limits:
    """Resource limits of a trial's process (enforced by the kernel, from outside the adversary)."""

    cpu_seconds: float | None
    memory_bytes: int = MEMORY_BYTES


def protect_challenger() -> None:
    """Make this process non-dumpable (PR_SET_DUMPABLE 0): no ptrace, no /proc/PID/mem to its user."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).prctl(4, 0, 0, 0, 0)


def _one_line(message: str, reference: str) -> str:
    """The server's account of a failed load, as one line that names the plugin."""
    text = " ".join(message.split())[:MAX_MESSAGE]
    return text if text.startswith("plugin ") else f"plugin {reference}: {text}"


class AdversaryServer:
    """The fork server of one adversary class, started in a fresh interpreter."""

    def __init__(self, reference: str) -> None:
        protect_challenger()
        ours, theirs = socket.socketpair()
        self.reference = reference
        self._prepared: set[tuple[object, ...]] = set()
        self._running: int | None = None  # the process of the trial under way, if one is
        self._spare: int | None = None  # the process the next trial takes, once announced
        self._unreaped: set[int] = set()  # trials killed whose reaping the server has not reported
        self._process = subprocess.Popen(
            [sys.executable, "-m", SERVER_MODULE, str(theirs.fileno()), reference],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            pass_fds=(theirs.fileno(),),
            start_new_session=True,
            # The modules the challenger can import, the adversary's process can import too.
            env={**os.environ, "PYTHONPATH": os.pathsep.join(path for path in sys.path if path)},
        )
        theirs.close()
        self._control = Channel(ours)
        try:
            reply = self._receive(LOAD_SECONDS, "loading the adversary")
        except SandboxError as exc:  # it died or went silent while loading: nothing can be played
            raise UsageError(f"plugin {reference}: {exc}") from None
        if reply[0] == "failed" and len(reply) == 2 and type(reply[1]) is str:
            self.close()
            raise UsageError(_one_line(reply[1], reference))
        if reply[0] != "loaded" or len(reply) != 2 or type(reply[1]) is not dict:
            self.close()
            raise UsageError(f"plugin {reference}: its process answered out of turn")
        self.profile: Mapping[str, object] = reply[1]

    @property
    def alive(self) -> bool:
        return self._process.poll() is None

    def _receive(self, timeout: float, doing: str) -> tuple[object, ...]:
        try:
            message = wire.decode_untrusted(self._control.receive_bytes(timeout), {})
        except (ChannelClosed, ChannelTimeout, FrameTooLarge, wire.WireError) as exc:
            self.close()
            raise SandboxError(f"the adversary's server failed while {doing}: {exc}") from None
        if type(message) is not tuple or not message or type(message[0]) is not str:
            self.close()
            raise SandboxError(f"the adversary's server sent a malformed message while {doing}")
        return message

    def _reply(self, timeout: float, doing: str) -> tuple[object, ...] | None:
        """The server's next message, or None for a notice it books: a spare forked ("spare", pid),
        a trial's process reaped ("exited", pid, status)."""
        reply = self._receive(timeout, doing)
        if reply[0] == "spare" and len(reply) == 2 and type(reply[1]) is int:
            self._spare = reply[1]  # a spare the server replaced since is dead: `trial` checks it
            return None
        if reply[0] == "exited" and len(reply) == 3 and reply[1] in self._unreaped:
            self._unreaped.discard(reply[1])
            return None
        return reply

    def prepare(self, group: Group, modules: tuple[str, ...] = ()) -> None:
        """Have the server validate `group`, and import the challenger's `modules` (a game's, whose
        view records a trial decodes), once, before it forks the trials that use them."""
        key = (*group.parameters, modules)
        if key not in self._prepared:
            self._control.send("prepare", group, modules, timeout=CONTROL_SECONDS)
            reply = None
            while reply is None:
                reply = self._reply(LOAD_SECONDS, "validating the group")
            if reply != ("prepared",):
                self.close()
                raise SandboxError("the adversary's server did not validate the group or import the game")
            self._spare = None  # replaced: the next "spare" has the group validated
            self._prepared.add(key)

    def trial(self, seed: bytes, limits: Limits, *, seeds: int = SEEDS) -> RemoteTrial:
        """A fresh process of the adversary for one trial, its generator built from `seed` by the
        seed derivation `seeds` (mpgames.framework.seeds.adversary_stream)."""
        while self._spare is None:
            if self._reply(CONTROL_SECONDS, "forking a trial") is not None:
                self.close()
                raise SandboxError("the adversary's server did not fork the trial")
        pid, self._spare = self._spare, None
        if not self._owns(pid):
            self.close()
            raise SandboxError("the adversary's server announced a process that is not its own")
        ours, theirs = socket.socketpair()
        try:
            self._control.send(
                "trial", seeds, seed, limits.cpu_seconds, limits.memory_bytes, timeout=CONTROL_SECONDS
            )
            self._control.send_fd(theirs.fileno())
        except (ChannelClosed, ChannelTimeout, OSError) as exc:
            ours.close()
            self.close()
            raise SandboxError(f"the adversary's server does not take trials: {exc}") from None
        finally:
            theirs.close()
        self._running = pid
        return RemoteTrial(self, Channel(ours), pid)

    def _owns(self, pid: int) -> bool:
        """True iff `pid` is a child of the server (so that killing its group kills nothing else)."""
        try:
            with open(f"/proc/{pid}/stat", "rb") as stat:
                fields = stat.read().rsplit(b")", 1)[1].split()
        except OSError:
            return False
        return int(fields[1]) == self._process.pid

    def ended(self, pid: int) -> None:
        """Trial `pid` was killed: the server reaps it (and what it left behind) before it starts
        another, and reports it later ("exited")."""
        self._running = None
        self._unreaped.add(pid)

    def close(self) -> None:
        """Stop the server and every process under it (the spare, and what a trial left behind in a
        session of its own), after the trial under way, if any: that is killed and left for the
        server to reap (up to `REAP_SECONDS`), so that nothing outlives the call. Safe in a signal
        handler: it reads nothing from the server."""
        running, self._running = self._running, None
        unreaped = [pid for pid in (running, *self._unreaped) if pid is not None and self._owns(pid)]
        self._unreaped = set()
        for pid in unreaped:
            _kill(pid)
        deadline = time.monotonic() + REAP_SECONDS
        while any(self._owns(pid) for pid in unreaped) and time.monotonic() < deadline:
            time.sleep(0.002)
        self._spare = None
        _kill_tree(self._process.pid)
        self._process.kill()
        self._process.wait()
        self._control.close()


class RemoteTrial:
    """One trial's process of an isolated adversary; close it (or use it as a context manager)."""

    def __init__(self, server: AdversaryServer, channel: Channel, pid: int) -> None:
        self._server = server
        self._channel = channel
        self.pid = pid
        self._built = False

    def __enter__(self) -> RemoteTrial:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        _kill(self.pid)
        self._channel.close()
        self._server.ended(self.pid)

    def receive(self, accepted: Mapping[str, type]) -> tuple[str, tuple[object, ...]]:
        """The adversary's next message: its name (the tuple's first item) and the other items."""
        try:
            message = wire.decode_untrusted(self._channel.receive_bytes(), accepted)
        except ChannelClosed:
            raise SandboxError("the adversary's process ended before it answered") from None
        except FrameTooLarge as exc:
            raise SandboxError(str(exc)) from None
        if type(message) is not tuple or not message or type(message[0]) is not str:
            raise SandboxError("the adversary's process sent a malformed message")
        return str(message[0]), message[1:]

    def send(self, *message: object) -> None:
        try:
            body = wire.encode(message)
        except wire.WireError as exc:
            raise ChallengerBug(f"a value for the adversary has no wire encoding: {exc}") from None
        try:
            self._channel.send_bytes(body)
        except ChannelClosed:
            raise SandboxError("the adversary's process ended before it was sent its input") from None

    def raise_fault(self, items: tuple[object, ...], trace: Trace) -> NoReturn:
        """Raise what the adversary's process says went wrong: ("fault", type, message, printed,
        frames); the frames are checked where the fault is reported (faults.report_of)."""
        if len(items) != 4 or not all(type(part) is str for part in items[:3]) or type(items[3]) is not tuple:
            raise SandboxError("the adversary's process sent a malformed fault")
        kind, detail, printed = (str(part) for part in items[:3])
        show_printed(printed, trace)
        name = kind if kind.isidentifier() and len(kind) <= MAX_KIND else "Exception"
        raise AdversaryRaised(name, detail, items[3])

    def construct(self) -> RemoteAdversary:
        """The adversary, which its process builds (its constructor runs there) while the challenger
        sets the trial up; how that went is read before its first stage is played (`built`)."""
        return RemoteAdversary(self)

    def built(self, trace: Trace) -> None:
        """Wait until the adversary is built: raise what its constructor raised."""
        if self._built:
            return
        self._built = True
        name, items = self.receive({})
        if name == "fault":
            self.raise_fault(items, trace)
        if name != "constructed" or len(items) != 1:
            raise SandboxError("the adversary's process answered out of turn")
        show_printed(items[0], trace)


def _kill_tree(root: int) -> None:
    """SIGKILL `root` and every process under it, each stopped first so that none forks past the kill."""
    stopped = {root}
    with contextlib.suppress(OSError):
        os.kill(root, signal.SIGSTOP)
    while found := _descendants(root) - stopped:
        for pid in found:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGSTOP)
        stopped |= found
    for pid in stopped:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)


def _descendants(root: int) -> set[int]:
    """The processes under `root` (children, their children, …), from /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as stat:
                    parent = int(stat.read().rsplit(b")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry))
    found: set[int] = set()
    pending = [root]
    while pending:
        for child in children.get(pending.pop(), ()):
            if child not in found:
                found.add(child)
                pending.append(child)
    return found


def _kill(pid: int) -> None:
    """SIGKILL a trial's process and its process group."""
    with contextlib.suppress(OSError):
        os.killpg(pid, signal.SIGKILL)
    with contextlib.suppress(OSError):
        os.kill(pid, signal.SIGKILL)


def show_printed(printed: object, trace: Trace) -> None:
    """Put what the adversary printed in the transcript (never on the harness's own output)."""
    if type(printed) is str and printed:
        trace("adversary printed", text=printed)


class RemoteAdversary:
    """What an experiment holds of an isolated adversary: its stages, by name."""

    def __init__(self, trial: RemoteTrial) -> None:
        self._trial = trial

    def __getattr__(self, name: str) -> RemoteStage:
        if name.startswith("_"):
            raise AttributeError(name)
        return RemoteStage(self._trial, name)


@dataclass(frozen=True)
class RemoteStage:
    """One stage of an isolated adversary; `TrialContext.play` runs it with `play`."""

    trial: RemoteTrial
    name: str

    def play(self, view: View, returns: Any, trace: Trace) -> object:
        """Send the view, answer the queries, and return the raw decoded output (None if not read)."""
        oracles = {oracle.name: oracle for oracle in view.oracles()}
        declared = [returns] + [t for oracle in oracles.values() for t in oracle.parameter_types]
        accepted = wire.boundary_types(*declared)
        self.trial.built(trace)
        self.trial.send("stage", self.name, view)
        while True:
            name, items = self.trial.receive(accepted)
            if name == "query" and len(items) == 2 and type(items[0]) is str and type(items[1]) is tuple:
                self.trial.send(*_answer(oracles.get(str(items[0])), items[1]))
            elif name == "output" and len(items) == 2:
                show_printed(items[1], trace)
                return None if returns is None else items[0]
            elif name == "fault":
                self.trial.raise_fault(items, trace)
            else:
                raise SandboxError(f"the adversary's process sent {name[:40]!r} out of turn")


def _answer(oracle: Oracle[..., object] | None, args: tuple[object, ...]) -> tuple[object, ...]:
    """The reply to one query: the oracle's answer, or the refusal the adversary may catch."""
    if oracle is None:
        return ("refused", "MalformedQuery", "no such oracle in this stage's view")
    try:
        return ("answer", oracle(*args))
    except _REFUSALS as exc:
        return ("refused", type(exc).__name__, str(exc))


# The servers of this process, by reference; a forked worker starts its own.
_SERVERS: dict[str, AdversaryServer] = {}


def server_for(reference: str) -> AdversaryServer:
    """The running server of `reference` in this process, started if need be."""
    server = _SERVERS.get(reference)
    if server is None or not server.alive:
        server = _SERVERS[reference] = AdversaryServer(reference)
    return server


def close_servers() -> None:
    """Stop every server of this process and the trials under way (at exit, and in a worker that is
    told to end): nothing of an isolated adversary outlives the process that started it."""
    servers = list(_SERVERS.values())
    _SERVERS.clear()
    for server in servers:
        server.close()


def _forget_inherited() -> None:
    """In a forked worker: the parent's servers are the parent's; start new ones when needed."""
    for server in _SERVERS.values():
        server._control.close()
    _SERVERS.clear()


os.register_at_fork(after_in_child=_forget_inherited)
atexit.register(close_servers)
