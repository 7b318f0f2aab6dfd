"""`mpgames list` (harness §3, §4): the registered games with their variants, tiers and budgets, and the
registered adversaries with what they claim, as a table or JSON. `--game` adds plugin games
(docs/plugins.md), each with the registered adversaries that play it."""

from __future__ import annotations

import argparse
import dataclasses
import json
from typing import Any

from mpgames.adversaries.registry import adversaries_for, all_adversaries
from mpgames.cli.terminal import needs_ascii
from mpgames.framework.base import Game
from mpgames.games.registry import all_games, get_game
from mpgames.measure.records import SCHEMA_VERSION
from mpgames.reports.tables import table_text


def _game_record(game: type[Game]) -> dict[str, Any]:
    return {
        "id": game.id,
        "title": game.title,
        "kind": game.kind.value,
        "notion": game.notion,
        "source": game.source,
        "variants": [dataclasses.asdict(v) for v in game.variants.values()],
        "default_variant": game.default_variant,
        "n_choices": game.n_choices,
        "budgets": dict(game.budgets),
        "tiers": dict(game.groups),
        "adversaries": [a.id for a in adversaries_for(game.id)],
    }


def list_command(args: argparse.Namespace) -> int:
    plugins = [get_game(name) for name in args.game]
    games = [_game_record(game) for game in dict.fromkeys((*all_games(), *plugins))]
    adversaries = [
        {
            "id": a.id,
            "label": a.label,
            "targets": list(a.targets),
            "expect": a.expect,
            "breaks_tiers": list(a.breaks_tiers),
            "also_breaks": list(a.also_breaks),
        }
        for a in all_adversaries()
    ]
    if args.json:
        document = {"schema_version": SCHEMA_VERSION, "games": games, "adversaries": adversaries}
        print(json.dumps(document, indent=2, ensure_ascii=False))
        return 0
    game_rows = [
        [
            g["id"],
            g["kind"],
            ", ".join(f"{v['name']}{'*' if v['broken'] else ''}" for v in g["variants"]),
            ", ".join(f"{tier}={group}" for tier, group in g["tiers"].items()),
            ", ".join(f"{name}≤{budget}" for name, budget in g["budgets"].items()) or "-",
        ]
        for g in games
    ]
    ascii = needs_ascii()
    print(
        table_text(game_rows, ["game", "kind", "variants (* broken)", "tiers", "oracle budgets"], ascii=ascii)
    )
    print()
    adversary_rows = [
        [
            a["id"],
            a["label"],
            ", ".join(a["targets"]),
            a["expect"],
            ", ".join(a["breaks_tiers"]),
            ", ".join(a["also_breaks"]) or "-",
        ]
        for a in adversaries
    ]
    headers = ["adversary", "label", "targets", "expect", "break tiers", "also breaks"]
    print(table_text(adversary_rows, headers, ascii=ascii))
    return 0
