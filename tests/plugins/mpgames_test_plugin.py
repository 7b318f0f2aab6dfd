"""The module of an installed plugin, for tests/test_plugins.py: the test puts this folder on sys.path
and declares entry points of the group `mpgames.adversaries` in a temporary dist-info folder."""

from __future__ import annotations

from mpgames.adversaries.chameleon import BsgsCollision


class EntryPointCollision(BsgsCollision):
    """The built-in BSGS collision finder under the plugin's own id."""

    id = "test.ep-collision"
    label = "BSGS collision, from an entry point"


class Misnamed(BsgsCollision):
    """Declared under an entry-point name that is not its id."""

    id = "test.misnamed-id"
    label = "misnamed"
