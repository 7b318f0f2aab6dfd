"""`mpgames explain GAME`: a game as pseudocode, rendered from the class that runs (harness §3).

Everything printed is read off the game class at run time: the boxed header is its docstring, the
variants, tiers and oracle budgets are its declarations, the adversary's interface is its declared
boundary (`Game.boundary()`: each stage's view record, oracles and output type), and the experiment
and win predicates are their own source code (`inspect.getsource`). Slides made from this output
cannot drift from the tested code.
"""

from __future__ import annotations

import dataclasses
import inspect
import re
import textwrap
import types
import typing
from collections.abc import Callable
from typing import Any

from mpgames.framework.base import Game
from mpgames.measure.verdicts import Kind
from mpgames.scheme.groups import named_group

# How each kind turns the success probability into an advantage (harness §2).
ADVANTAGE = {
    Kind.WIN_LOSE: "Adv = Pr[win]",
    Kind.GUESS_1_OF_N: "Adv = Pr[win] − 1/n",
    Kind.HIDDEN_BIT: "Adv = |2·Pr[b' = b] − 1|",
}

# The win predicates are the methods the experiment hands to ctx.judge.
_JUDGED = re.compile(r"ctx\.judge\(\s*self\.(\w+)")


def win_predicates(game: type[Game]) -> tuple[str, ...]:
    """Names of the methods the experiment judges the adversary's output with, in order of use."""
    source = inspect.getsource(game.experiment)
    return tuple(dict.fromkeys(_JUDGED.findall(source)))


def source(function: Callable[..., object]) -> str:
    """The dedented source code of a function or method, as `explain` prints it."""
    return textwrap.dedent(inspect.getsource(function)).rstrip()


def explain(game: type[Game]) -> str:
    """The game's header, declarations, experiment and win predicates as text."""
    n = f" with n = {game.n_choices}" if game.n_choices is not None else ""
    lines = [
        f"{game.id}: {game.title}",
        "",
        inspect.getdoc(game) or "",
        "",
        f"Notion:  {game.notion}",
        f"Source:  {game.source}",
        f"Kind:    {game.kind.value}: {ADVANTAGE[game.kind]}{n}",
        "",
        "Variants (* = deliberately broken):",
    ]
    for variant in game.variants.values():
        default = " (default)" if variant.name == game.default_variant else ""
        lines.append(f"  {'*' if variant.broken else ' '} {variant.name}{default}: {variant.description}")
    lines += ["", "Tiers:"]
    for tier, name in game.groups.items():
        group = named_group(name)
        lines.append(f"  {tier}: {name} (|p| = {group.p.bit_length()}, |q| = {group.q.bit_length()} bits)")
    lines += ["", f"Adversary ({game.adversary_type.__name__}), one method per stage:", *_interface(game)]
    lines += ["", "Oracles and budgets:"]
    lines += [f"  {name}: at most {budget} queries" for name, budget in game.budgets.items()] or ["  none"]
    lines += ["", "Experiment:", textwrap.indent(source(game.experiment), "  ")]
    for name in win_predicates(game):
        lines += ["", f"Win predicate {name}:", textwrap.indent(source(getattr(game, name)), "  ")]
    return "\n".join(lines)


def _interface(game: type[Game]) -> list[str]:
    """Each stage's signature, and the fields of the view record it receives."""
    lines = []
    for stage in game.boundary().values():
        lines.append(f"  {stage.name}(view: {stage.view.__name__}, rng) -> {type_name(stage.output)}")
        hints = typing.get_type_hints(stage.view)
        for field in dataclasses.fields(stage.view):
            lines.append(f"      {field.name}: {type_name(hints[field.name])}")
    return lines


def type_name(annotation: Any) -> str:
    """A declared type as it is written in the code: `tuple[PublicKey, ...]`, `Oracle[[bytes], Signature]`."""
    if annotation is None or annotation is type(None):
        return "None"
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin in (types.UnionType, typing.Union):
        return " | ".join(type_name(arg) for arg in args)
    if origin is typing.Literal:
        return f"Literal[{', '.join(repr(arg) for arg in args)}]"
    if origin is None:
        return getattr(annotation, "__name__", repr(annotation))
    rendered = [
        "..."
        if arg is Ellipsis
        else f"[{', '.join(map(type_name, arg))}]"
        if isinstance(arg, tuple)
        else type_name(arg)
        for arg in args
    ]
    return f"{type_name(origin)}[{', '.join(rendered)}]"
