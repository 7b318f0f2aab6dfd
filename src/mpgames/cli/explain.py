"""`mpgames explain GAME`: a game as pseudocode, rendered from the class that runs (harness §3).

Everything printed is read off the game class at run time: the boxed header is its docstring, the
variants, tiers and oracle budgets are its declarations, and the experiment and win predicates are
their own source code (`inspect.getsource`). Slides made from this output cannot drift from the
tested code.
"""

from __future__ import annotations

import inspect
import re
import textwrap
from collections.abc import Callable

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
    lines += ["", f"Adversary stages: {', '.join(game.stages)} (each a method (view, rng) -> output)"]
    lines += ["", "Oracles and budgets:"]
    lines += [f"  {name}: at most {budget} queries" for name, budget in game.budgets.items()] or ["  none"]
    lines += ["", "Experiment:", textwrap.indent(source(game.experiment), "  ")]
    for name in win_predicates(game):
        lines += ["", f"Win predicate {name}:", textwrap.indent(source(getattr(game, name)), "  ")]
    return "\n".join(lines)
