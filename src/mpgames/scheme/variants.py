"""Named constructions (harness §3 "variants"; spec §0, §3–§5 for the broken readings): the one record
with which every scheme module declares the honest and the deliberately broken constructions that the
games compare, each naming the games it loses."""

from __future__ import annotations

from dataclasses import dataclass, field

from mpgames.scheme.errors import SchemeError


@dataclass(frozen=True)
class ConstructionVariant:
    """A named construction, flagged `broken` with the game ids (`breaks`) it loses.

    `description` says what it is; `described` holds, as (game id, text) pairs, what a game that
    reads the construction its own way says about it instead."""

    name: str
    broken: bool
    description: str
    breaks: tuple[str, ...] = ()
    described: tuple[tuple[str, str], ...] = field(default=(), repr=False)

    def __post_init__(self) -> None:
        if self.broken != bool(self.breaks):
            raise SchemeError(
                f"variant {self.name}: a broken variant names the games it loses, and only then"
            )

    def description_in(self, game_id: str) -> str:
        """The description game `game_id` gives: its own, if it has one, else `description`."""
        return dict(self.described).get(game_id, self.description)
