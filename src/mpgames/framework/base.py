"""Games: the `Game` base class, scheme variants and the adversary interface (harness §2, §3, §4).

A game is a class. Its docstring is a boxed header that says in plain words what the adversary is
given and what it must produce; its class attributes declare the id, the experiment kind (which
fixes how the advantage is computed, harness §2), the scheme variants it runs against, the oracle
budgets and the group of each parameter tier; `experiment(ctx, adversary)` plays one trial and
reads like the paper, one comment per step, ending in a named win predicate.

Its boundary with the adversary is declared as types, in the style of EasyCrypt's module types
(`Adv_EUFCMA`): `adversary_type` is a Protocol with one method per stage,
`attack(self, view: EufCmaView, rng: RandomSource) -> Forgery`, whose view is a frozen record of the
stage's public values and oracles (mpgames.framework.view) and whose return type is the stage's
output (`None` for an output the game never reads). An adversary class that subclasses the
Protocol is checked by mypy against it; `Game.boundary()` is the same declaration at run time, and
`TrialContext.play` refuses a stage that hands over another view or converts to another type.

A variant game (docs/plugins.md) is a subclass of a game that adds variants to it, a broken
construction for an assignment, without touching the package: it names the game in `variant_of`,
takes an id of its own, keeps the game's boundary, measure and variants, and overrides the method
where the game builds its construction. An adversary of the game plays it too (`targeted_by`).

Subclasses are checked when they are defined, so a malformed game fails at import, not mid-run.
"""

from __future__ import annotations

import functools
import inspect
import typing
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from mpgames.framework.errors import UsageError
from mpgames.framework.view import OracleTypes, View, oracle_fields
from mpgames.measure.verdicts import Kind
from mpgames.scheme.errors import InvalidGroupError
from mpgames.scheme.groups import TIERS, Group, named_group
from mpgames.scheme.revalidate import check_declared

if TYPE_CHECKING:
    from mpgames.framework.context import TrialContext

# Group of each tier unless a game says otherwise: a 20-bit q that baby-step giant-step solves in
# about 2^11 steps while random guessing wins with probability 2^-20; and RFC 5114 §2.3.
DEFAULT_GROUPS: Mapping[str, str] = MappingProxyType({"toy": "toy-64-20", "standard": "rfc5114-2048-256"})


@dataclass(frozen=True)
class Variant:
    """A scheme variant a game runs against; `broken` marks the deliberately weak ones."""

    name: str
    broken: bool
    description: str


def variant_table(*variants: Variant) -> Mapping[str, Variant]:
    """An immutable name -> Variant mapping, in declaration order."""
    return MappingProxyType({v.name: v for v in variants})


def budget_table(**budgets: int) -> Mapping[str, int]:
    """An immutable oracle name -> query budget mapping."""
    return MappingProxyType(budgets)


@dataclass(frozen=True)
class Stage:
    """One stage of a game's boundary: the view record the adversary receives and the type its
    output is converted to (None: the game never reads it)."""

    name: str
    view: type[View]
    output: Any

    def oracles(self) -> Mapping[str, OracleTypes]:
        """The oracles of its view: name -> (argument types, answer type)."""
        return oracle_fields(self.view)


class AdversaryLike(Protocol):
    """What the engine needs from an adversary class (mpgames.adversaries.base implements it)."""

    id: ClassVar[str]
    label: ClassVar[str]
    # True for a class that only names an adversary whose code runs in processes of its own: the
    # engine plays it isolated whatever the caller asks.
    isolated_only: ClassVar[bool]

    # The game ids it plays. A method, not the `targets` attribute itself: a subclass that assigns
    # `targets = ("dl",)` has the type tuple[str], which a protocol attribute (invariant) refuses.
    @classmethod
    def target_ids(cls) -> tuple[str, ...]: ...

    @classmethod
    def broken_variant(cls) -> str | None: ...

    # What the process of an isolated run loads: "package.module:Class" or "path/to/file.py:Class".
    @classmethod
    def source_reference(cls) -> str: ...

    @classmethod
    def expected_verdict(cls, variant: str, tier: str) -> str | None: ...


class Game:
    """Base class of all games; see the module docstring for what a subclass declares."""

    # Marks game objects as challenger state: a `View` refuses to carry them.
    is_challenger_object = True

    id: ClassVar[str]
    title: ClassVar[str]
    kind: ClassVar[Kind]
    notion: ClassVar[str]
    source: ClassVar[str]
    variants: ClassVar[Mapping[str, Variant]]
    default_variant: ClassVar[str]
    n_choices: ClassVar[int | None] = None
    # The adversary's methods the experiment calls, in order; oracles are open in all of them
    # unless the game narrows an oracle to some (phases).
    stages: ClassVar[tuple[str, ...]] = ("attack",)
    # The Protocol that declares each stage's view and output (module docstring).
    adversary_type: ClassVar[type]
    budgets: ClassVar[Mapping[str, int]] = MappingProxyType({})
    groups: ClassVar[Mapping[str, str]] = DEFAULT_GROUPS
    # A variant game (docs/plugins.md): the id of the game, one of its base classes, whose variants
    # it extends and whose boundary it keeps; an adversary of that game plays this one too.
    variant_of: ClassVar[str | None] = None

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        if "id" in cls.__dict__:
            _check_game_class(cls)

    def experiment(self, ctx: TrialContext, adversary: Any) -> bool:
        """Play one trial; True iff the adversary wins.

        The engine passes an adversary that has every stage in `stages` (the registry checks it);
        a game annotates `adversary` with its `adversary_type`."""
        raise NotImplementedError

    @classmethod
    def boundary(cls) -> Mapping[str, Stage]:
        """Each stage's view record and output type, by stage name, in order (`adversary_type`)."""
        return declared_stages(cls.adversary_type, cls.stages)

    # -- lookups used by the engine and the CLI --------------------------------------------------
    @classmethod
    def played_as(cls) -> tuple[str, ...]:
        """The game ids an adversary may target to play this game: its own, then, for a variant game,
        those of the game it is a variant of (`variant_of`)."""
        parent = variant_parent(cls)
        return (cls.id,) if parent is None else (cls.id, *parent.played_as())

    @classmethod
    def targeted_by(cls, targets: Collection[str]) -> bool:
        """True iff an adversary that targets the game ids `targets` plays this game (`played_as`)."""
        return any(game_id in targets for game_id in cls.played_as())

    @classmethod
    def tiers(cls) -> tuple[str, ...]:
        return tuple(cls.groups)

    @classmethod
    def variant(cls, name: str | None = None) -> Variant:
        """The named variant (the default one for None); `UsageError` for an unknown name."""
        name = cls.default_variant if name is None else name
        try:
            return cls.variants[name]
        except KeyError:
            raise UsageError(
                f"game {cls.id} has no variant {name!r}; choose one of {', '.join(cls.variants)}"
            ) from None

    @classmethod
    def group(cls, tier: str, name: str | None = None) -> Group:
        """The group of `tier` (the game's default, or the named one, which must belong to the tier)."""
        if tier not in cls.groups:
            raise UsageError(f"game {cls.id} has no tier {tier!r}; choose one of {', '.join(cls.groups)}")
        try:
            group = named_group(cls.groups[tier] if name is None else name)
        except InvalidGroupError as exc:
            raise UsageError(str(exc)) from None
        if group.tier != tier:
            raise UsageError(f"group {group.label} belongs to tier {group.tier!r}, not {tier!r}")
        return group


def _check_game_class(cls: type[Game]) -> None:
    """Refuse a game class that lacks a declaration the engine, the reports or `explain` rely on."""
    required = ("title", "kind", "notion", "source", "variants", "default_variant")
    missing = [a for a in required if not hasattr(cls, a)]
    if missing:
        raise TypeError(f"game {cls.id}: missing class attribute(s) {', '.join(missing)}")
    if not inspect.getdoc(cls) or inspect.getdoc(cls) == inspect.getdoc(Game):
        raise TypeError(f"game {cls.id}: the class docstring must state the notion (boxed header)")
    if not isinstance(cls.kind, Kind):
        raise TypeError(f"game {cls.id}: kind must be a mpgames.measure.verdicts.Kind")
    if (cls.kind is Kind.GUESS_1_OF_N) != (cls.n_choices is not None):
        raise TypeError(f"game {cls.id}: n_choices is required for guess-1-of-n games and only for them")
    if cls.default_variant not in cls.variants:
        raise TypeError(f"game {cls.id}: default variant {cls.default_variant!r} is not among its variants")
    if any(not isinstance(b, int) or b < 0 for b in cls.budgets.values()):
        raise TypeError(f"game {cls.id}: oracle budgets must be non-negative integers")
    if not cls.groups or any(tier not in TIERS for tier in cls.groups):
        raise TypeError(f"game {cls.id}: tiers must be among {', '.join(TIERS)}")
    if not cls.stages or not all(isinstance(stage, str) for stage in cls.stages):
        raise TypeError(f"game {cls.id}: stages must be a non-empty tuple of method names")
    if cls.experiment is Game.experiment:
        raise TypeError(f"game {cls.id}: experiment() is not implemented")
    if not isinstance(getattr(cls, "adversary_type", None), type):
        raise TypeError(f"game {cls.id}: adversary_type must be the Protocol of its stages")
    try:
        cls.boundary()
    except TypeError as exc:
        raise TypeError(f"game {cls.id}: {exc}") from None
    if cls.variant_of is not None:
        _check_variant_game(cls)


def variant_parent(cls: type[Game]) -> type[Game] | None:
    """The game a variant game is a variant of: the nearest of its base classes whose own `id` is
    its `variant_of`; None for a game that is not a variant game, or names no base class."""
    if cls.variant_of is None:
        return None
    for base in cls.__mro__[1:]:
        if issubclass(base, Game) and base.__dict__.get("id") == cls.variant_of:
            return base
    return None


# What a variant game keeps of the game it extends: its boundary with the adversary and its measure.
_KEPT = ("kind", "n_choices", "stages", "adversary_type", "budgets")


def _check_variant_game(cls: type[Game]) -> None:
    """Refuse a variant game that is not a subclass of the game it names, takes its id, changes its
    boundary, or drops or redefines one of its variants."""
    parent = variant_parent(cls)
    if parent is None:
        raise TypeError(f"game {cls.id}: variant_of = {cls.variant_of!r} names none of its base classes")
    if cls.id == parent.id:
        raise TypeError(f"game {cls.id}: a variant game takes an id of its own, not {parent.id!r}")
    changed = [name for name in _KEPT if getattr(cls, name) != getattr(parent, name)]
    if changed:
        raise TypeError(f"game {cls.id}: a variant of {parent.id} keeps its {', '.join(changed)}")
    dropped = [name for name, v in parent.variants.items() if cls.variants.get(name) != v]
    if dropped:
        raise TypeError(f"game {cls.id}: a variant of {parent.id} keeps its variant(s) {', '.join(dropped)}")
    if len(cls.variants) == len(parent.variants):
        raise TypeError(f"game {cls.id}: a variant of {parent.id} adds a variant to it")


@functools.cache
def declared_stages(protocol: type, stages: tuple[str, ...]) -> Mapping[str, Stage]:
    """The boundary a Protocol declares for `stages`; `TypeError` where a declaration is missing or
    names a type the boundary cannot convert."""
    found: dict[str, Stage] = {}
    for name in stages:
        method = getattr(protocol, name, None)
        if method is None:
            raise TypeError(f"{protocol.__name__} declares no stage {name}()")
        try:
            hints = typing.get_type_hints(method)
        except Exception as exc:
            raise TypeError(f"{protocol.__name__}.{name}: its types cannot be resolved: {exc!r}") from None
        view = hints.get("view")
        if not (isinstance(view, type) and issubclass(view, View) and view is not View):
            raise TypeError(f"{protocol.__name__}.{name}: its parameter `view` must be a View record")
        if "return" not in hints:
            raise TypeError(f"{protocol.__name__}.{name}: it must declare its output type")
        output = None if hints["return"] is type(None) else hints["return"]
        declared = [] if output is None else [output]
        declared += [t for arguments, _ in oracle_fields(view).values() for t in arguments]
        for annotation in declared:
            check_declared(annotation)
        found[name] = Stage(name, view, output)
    return MappingProxyType(found)
