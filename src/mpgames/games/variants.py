"""A game's variant table from the scheme's declarations (harness §3 variants): each construction a
game compares is declared once, as a `mpgames.scheme.variants.ConstructionVariant` beside its
implementation in `mpgames.scheme`, and a game lists the declarations it plays. A variant game
(docs/plugins.md) extends the table of the game it is a variant of (`extended_variants`)."""

from __future__ import annotations

from collections.abc import Mapping

from mpgames.framework.base import Game, Variant, variant_table
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


def extended_variants(game: type[Game], *added: Variant) -> Mapping[str, Variant]:
    """The variants of `game`, then `added`: the table of a variant game of `game`. `TypeError` for
    an added variant that takes the name of one of its variants, or of another added one."""
    names = [*game.variants, *(variant.name for variant in added)]
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise TypeError(f"a variant of {game.id}: the variant name(s) {', '.join(repeated)} are taken")
    return variant_table(*game.variants.values(), *added)
