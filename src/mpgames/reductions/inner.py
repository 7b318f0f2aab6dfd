"""Where the inner adversaries of the reductions used to live (harness §4, §5).

`mc.bsgs-mint` (the inner adversary of `mc0-dl`) and `mp.ds-leaf-collision` (of `ds-extract`) are
registered generic attacks now, in mpgames.adversaries.microcoin and mpgames.adversaries.micropay, with the
birthday search of the leaf messages (`leaf_collision`, `leaf_message`) in mpgames.adversaries.assertions,
which its `aa.extract` counterpart `aa.leaf-collision` shares. The reductions import them from there;
this module only keeps the old import path working.
"""

from __future__ import annotations

from mpgames.adversaries.assertions import leaf_collision, leaf_message
from mpgames.adversaries.microcoin import BsgsMint
from mpgames.adversaries.micropay import LeafCollisionDoubleSpend

__all__ = ["BsgsMint", "LeafCollisionDoubleSpend", "leaf_collision", "leaf_message"]
