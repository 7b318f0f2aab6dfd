"""A game's variant table from the scheme's declarations (harness §3 variants): each construction a
game compares is declared once, as a `mpgames.scheme.variants.ConstructionVariant` beside its
implementation in `mpgames.scheme`, and a game lists the declarations it plays."""

from __future__ import annotations

from collections.abc import Mapping

from mpgames.framework.base import Variant, variant_table
from mpgames.scheme.variants import ConstructionVariant


def declared_variants(game_id: str, *declarations: ConstructionVariant) -> Mapping[str, Variant]:
    """The variants of game `game_id`, in this order: broken iff the construction loses `game_id`,
    described as the game describes it."""
    return variant_table(
        *(
            Variant(declared.name, game_id in declared.breaks, declared.description_in(game_id))
            for declared in declarations
        )
    )
