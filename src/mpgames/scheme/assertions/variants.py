"""The accountable-assertion constructions the games compare (spec §3.4, with the [RECON] fix and
[FINDING] 2): the two tree layouts, "fixed" and "rks-as-published" (which leaks x across sibling
contexts), and "no-leaf-binding", a deliberate binding bug of the fixed layout whose Assert, Verify
and Extract open every leaf to one constant instead of the statement (`leaf_statement`)."""

from __future__ import annotations

from mpgames.scheme.assertions.tree import FIXED, RKS_AS_PUBLISHED
from mpgames.scheme.variants import ConstructionVariant

FIXED_TREE = ConstructionVariant(
    FIXED,
    broken=False,
    description="chameleon-hash tree with every leaf entry G(ℓ, j, V): no node opened twice",
    described=(
        ("aa.extract", "chameleon-hash tree, leaf opened to H_q(st): equivocation opens a node twice"),
    ),
)
RKS_TREE = ConstructionVariant(
    RKS_AS_PUBLISHED,
    broken=True,
    description="RKS/accas leaf layout G(Ch(S(st); r'), r'): sibling contexts 2j, 2j+1 open their parent "
    "twice and leak x",
    breaks=("aa.secrecy",),
)
NO_LEAF_BINDING = ConstructionVariant(
    "no-leaf-binding",
    broken=True,
    description="leaf opened to a constant, not the statement: one opening serves every statement and "
    "Extract gets ⊥",
    breaks=("aa.extract",),
)
# What the no-leaf-binding variant opens every leaf to, whatever the statement.
UNBOUND_LEAF = b""


def leaf_statement(variant: str, st: bytes) -> bytes:
    """What the variant's Assert, Verify and Extract bind into the leaf: st itself, or (no-leaf-binding)
    the constant `UNBOUND_LEAF`."""
    return UNBOUND_LEAF if variant == NO_LEAF_BINDING.name else st
