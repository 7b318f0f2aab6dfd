"""Class 6, adversaries that cheat by reaching the challenger instead of attacking the scheme.

Each claims to break the *secure* Schnorr signer, `sig.euf-cma` / `schnorr`, and each does in
trusted mode (in the challenger's process, against coins from the public seed): it reads the signing
key from the sign oracle's closure, from the challenger's stack frames or from the garbage
collector's objects; clears the oracle's query log; monkeypatches the verifier; or recomputes the
challenger's key from the public seed. Isolated (a process of its own, secret coins) every one of
them loses every trial. `SEED` is the seed the tests run them with (the public seed they read).

Further cheats that only test the sandbox's walls: `ReadChallengerMemory` tries /proc/PID/mem of
the challenger, `LingeringThread` and `LingeringChild` leave a thread and a daemonised process
behind, `RaiseKeyboardInterrupt` raises what a user's ^C raises.

Loadable as a file plugin: `mpgames run sig.euf-cma --adversary tests/hostile/cheats.py:ClassName`.
"""

from __future__ import annotations

import gc
import os
import sys
import threading
import time

from mpgames.adversaries.base import Adversary
from mpgames.framework.seeds import SeedPath
from mpgames.framework.view import View
from mpgames.games.sig_euf_cma import Forgery
from mpgames.scheme import schnorr
from mpgames.scheme.randomness import RandomSource
from mpgames.scheme.schnorr import SecretKey, Signature

SEED = "cheats"
TARGET = b"pay 1000 coins to Mallory"


class _Cheat(Adversary):
    targets = ("sig.euf-cma",)
    expect = "breaks:schnorr"

    def forge_with(self, view: View, x: int | None, rng: RandomSource) -> Forgery:
        """A real signature if `x` is the key, else a random one."""
        group = view.group
        if x is not None and pow(group.g, x, group.p) == view.pk.y:
            return Forgery(TARGET, schnorr.sign(SecretKey(group, x), TARGET, rng))
        return Forgery(TARGET, Signature(group.random_scalar(rng), group.random_scalar(rng)))


class ClosureRead(_Cheat):
    id = "cheat.closure-read"
    label = "sk from the sign oracle's closure"

    def attack(self, view: View, rng: RandomSource) -> Forgery:
        cells = view.sign._fn.__closure__ or ()
        keys = [cell.cell_contents for cell in cells if isinstance(cell.cell_contents, SecretKey)]
        return self.forge_with(view, keys[0].x if keys else None, rng)


class FrameWalk(_Cheat):
    id = "cheat.frame-walk"
    label = "sk from the challenger's stack frames"

    def attack(self, view: View, rng: RandomSource) -> Forgery:
        frame = sys._getframe()
        while frame is not None:
            for value in frame.f_locals.values():
                if isinstance(value, SecretKey):
                    return self.forge_with(view, value.x, rng)
            frame = frame.f_back  # type: ignore[assignment]
        return self.forge_with(view, None, rng)


class GcScan(_Cheat):
    id = "cheat.gc-scan"
    label = "sk from the garbage collector's objects"

    def attack(self, view: View, rng: RandomSource) -> Forgery:
        for value in gc.get_objects():
            if isinstance(value, SecretKey) and pow(view.group.g, value.x, view.group.p) == view.pk.y:
                return self.forge_with(view, value.x, rng)
        return self.forge_with(view, None, rng)


class ClearLog(_Cheat):
    id = "cheat.clear-log"
    label = "sign the target, then clear the oracle's log"

    def attack(self, view: View, rng: RandomSource) -> Forgery:
        signature = view.sign(TARGET)
        view.sign._log.clear()
        return Forgery(TARGET, signature)


class PatchVerify(_Cheat):
    id = "cheat.patch-verify"
    label = "monkeypatch schnorr.verify to accept anything"

    def attack(self, view: View, rng: RandomSource) -> Forgery:
        schnorr.verify = lambda *args, **kwargs: True  # type: ignore[assignment]
        return self.forge_with(view, None, rng)


class SeedRecompute(_Cheat):
    id = "cheat.seed-recompute"
    label = "the challenger's key recomputed from the public seed"

    def attack(self, view: View, rng: RandomSource) -> Forgery:
        path = SeedPath(SEED, "sig.euf-cma", "schnorr", self.id, "toy", view.group.label)
        for index in range(64):
            challenger, _ = path.streams(index)
            _, sk = schnorr.keygen(view.group, challenger)
            if pow(view.group.g, sk.x, view.group.p) == view.pk.y:
                return self.forge_with(view, sk.x, rng)
        return self.forge_with(view, None, rng)


class ReadChallengerMemory(_Cheat):
    id = "cheat.read-memory"
    label = "read /proc/PID/mem of the challenger"

    def attack(self, view: View, rng: RandomSource) -> Forgery:
        # The challenger: this process's parent, or its parent's parent (the server's parent).
        pids = [os.getppid()]
        with open(f"/proc/{pids[0]}/stat", "rb") as stat:
            pids.append(int(stat.read().rsplit(b")", 1)[1].split()[1]))
        for pid in pids:
            with open(f"/proc/{pid}/maps") as maps:
                start = int(maps.readline().split("-")[0], 16)
            with open(f"/proc/{pid}/mem", "rb") as mem:  # PermissionError when the wall holds
                mem.seek(start)
                mem.read(1)
        raise RuntimeError("the challenger's memory was readable")


class WriteServerMemory(_Cheat):
    id = "cheat.write-server-memory"
    label = "write the memory of its server, or of the process that plays the next trial"

    def attack(self, view: View, rng: RandomSource) -> Forgery:
        with open("/proc/self/mem", "r+b"):  # the way in works where it is allowed: its own memory
            pass
        server = os.getppid()
        with open(f"/proc/{server}/task/{server}/children") as children:
            spares = [int(pid) for pid in children.read().split() if int(pid) != os.getpid()]
        for pid in (*spares, server):
            with open(f"/proc/{pid}/mem", "r+b"):  # PermissionError when the wall holds
                pass
        raise RuntimeError(f"the memory of {len(spares)} spare(s) and the server was writable")


class LingeringThread(_Cheat):
    id = "cheat.lingering-thread"
    label = "leave a thread running"

    def attack(self, view: View, rng: RandomSource) -> Forgery:
        threading.Thread(target=time.sleep, args=(3600,), daemon=False).start()
        return self.forge_with(view, None, rng)


class LingeringChild(_Cheat):
    id = "cheat.lingering-child"
    label = "leave a daemonised process running"

    def attack(self, view: View, rng: RandomSource) -> Forgery:
        if os.fork() == 0:
            os.setsid()
            if os.fork() == 0:
                time.sleep(3600)
            os._exit(0)
        return self.forge_with(view, None, rng)


class RaiseKeyboardInterrupt(_Cheat):
    id = "cheat.keyboard-interrupt"
    label = "raise KeyboardInterrupt"

    def attack(self, view: View, rng: RandomSource) -> Forgery:
        raise KeyboardInterrupt
