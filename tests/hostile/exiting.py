"""Class 5, adversaries that end the process they run in: `sys.exit(0)` in a stage, in the
constructor or its metaclass, in an attribute the challenger reads to find the stage, or at the top
level of their file (`EXIT_AT_IMPORT`), and `os._exit(0)` in a worker process. An exit must cost the
adversary its trial, or void the run with status 2 — never end the run with the adversary's status
(`sys.exit(0)` would read as success).

They claim to break the nonce-reusing signer, so that a suite expecting that fails if they lose.
Loadable as a file plugin: `mpgames run sig.euf-cma --adversary tests/hostile/exiting.py:ClassName`.
"""

from __future__ import annotations

import os
import sys

from mpgames.adversaries.base import Adversary
from mpgames.framework.view import View
from mpgames.games.sig_euf_cma import Forgery
from mpgames.scheme.randomness import RandomSource

if os.environ.get("EXIT_AT_IMPORT"):
    sys.exit(0)


class _Exiting(Adversary):
    targets = ("sig.euf-cma",)
    expect = "breaks:schnorr-nonce-reuse"


class ExitInStage(_Exiting):
    id = "hostile.exit-in-stage"
    label = "sys.exit(0) in its attack"

    def attack(self, view: View, rng: RandomSource) -> Forgery:
        sys.exit(0)


class ExitInConstructor(_Exiting):
    id = "hostile.exit-in-constructor"
    label = "sys.exit(0) in __init__"

    def __init__(self) -> None:
        sys.exit(0)

    def attack(self, view: View, rng: RandomSource) -> Forgery:
        raise AssertionError("never reached")


class _ExitingMaker(type):
    def __call__(cls, *args: object, **kwargs: object) -> object:
        sys.exit(0)


class ExitInMetaclass(_Exiting, metaclass=_ExitingMaker):
    id = "hostile.exit-in-metaclass"
    label = "sys.exit(0) when its metaclass makes it"

    def attack(self, view: View, rng: RandomSource) -> Forgery:
        raise AssertionError("never reached")


class ExitOnLookup(_Exiting):
    id = "hostile.exit-on-lookup"
    label = "sys.exit(0) when its attack is looked up"

    def __getattribute__(self, name: str) -> object:
        if name == "attack":
            sys.exit(0)
        return object.__getattribute__(self, name)

    def attack(self, view: View, rng: RandomSource) -> Forgery:
        raise AssertionError("never reached")


class HardExit(_Exiting):
    """`os._exit(0)` ends the process at once: with worker processes (`--jobs 2`) the worker dies and
    the run is void; in the harness's own process (`--jobs 1`) nothing in-process can stop it (the
    open issue "Untrusted adversaries" runs adversaries in a process of their own)."""

    id = "hostile.hard-exit"
    label = "os._exit(0) in its attack"

    def attack(self, view: View, rng: RandomSource) -> Forgery:
        os._exit(0)
