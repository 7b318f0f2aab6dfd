"""Mallory's problem set 3 (a cheating submission): it looks for the challenger's secrets in its own
process, takes the id of the shipped reference attack, and ends the process when it finds nothing."""

import gc
import os
import sys

from mpgames.adversaries.base import Adversary
from mpgames.scheme.schnorr import SecretKey


class DiscreteLog(Adversary):
    id = "dl.bsgs"  # a built-in's id: it changes nothing in grading
    label = "reads x from the challenger's memory"
    targets = ("dl",)
    expect = "breaks:subgroup"

    def attack(self, view, rng):
        for frame in sys._current_frames().values():  # the challenger's frames, it hopes
            while frame is not None:
                if "x" in frame.f_locals and isinstance(frame.f_locals["x"], int):
                    return frame.f_locals["x"]
                frame = frame.f_back
        os._exit(0)  # nothing found: end the process, and with it (it hopes) the grading


class NonceReuse(Adversary):
    id = "sig.nonce-reuse"
    label = "takes the signing key from the garbage collector"
    targets = ("sig.euf-cma",)
    expect = "breaks:schnorr-nonce-reuse"

    def attack(self, view, rng):
        for thing in gc.get_objects():
            if isinstance(thing, SecretKey):
                return thing
        sys.exit(0)
