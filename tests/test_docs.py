"""Course material (harness §1 docs/, §3 explain): game pages and the tutorial (LaTeX: test_slides.py)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from mpgames import cli
from mpgames.games.registry import all_games, get_game
from mpgames.teaching import docgen

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
TUTORIAL = DOCS / "tutorial.md"
MY_ADVERSARY = DOCS / "examples" / "my_adversary.py"


# -- one page per game ------------------------------------------------------------------------------


def test_committed_game_pages_are_up_to_date():
    stale = docgen.stale_pages(DOCS / "games")
    assert stale == [], f"run `python -m mpgames.teaching.docgen docs/games` (stale: {', '.join(stale)})"


def test_check_mode_notices_an_edited_a_missing_and_an_orphan_page(tmp_path, capsys):
    docgen.write_pages(tmp_path)
    assert docgen.main(["--check", str(tmp_path)]) == 0
    (tmp_path / "dl.md").write_text("edited by hand\n")
    (tmp_path / "ch.cr.md").unlink()
    (tmp_path / "old.game.md").write_text("a game that is gone\n")
    assert docgen.stale_pages(tmp_path) == ["dl.md", "ch.cr.md", "old.game.md"]
    assert docgen.main(["--check", str(tmp_path)]) == 1
    assert "dl.md is out of date" in capsys.readouterr().err
    docgen.write_pages(tmp_path)  # regenerating repairs all three
    assert docgen.stale_pages(tmp_path) == []
    assert len(list(tmp_path.glob("*.md"))) == len(all_games()) + 1


def test_a_page_holds_explain_the_breaking_attack_and_commands_that_parse():
    game = get_game("sig.euf-cma")
    page = docgen.game_page(game)
    assert docgen.explain(game) in page
    assert "| `schnorr-nonce-reuse` | broken on purpose |" in page
    assert "`sig.nonce-reuse` (tiers: toy, standard)" in page
    assert "- `sig.random-forgery`: Null adversary" in page
    commands = re.search(r"```sh\n(.*?)```", page, re.S).group(1).splitlines()
    assert len(commands) == 4
    for command in commands:
        _parse(command)


# -- the tutorial -----------------------------------------------------------------------------------


def _parse(command: str) -> None:
    """Parse an `mpgames` command line with the real parser (a wrong flag exits with status 2)."""
    words = shlex.split(command.split("#")[0].split(">")[0])
    assert words[0] == "mpgames", command
    cli._build_parser().parse_args(words[1:])


def _tutorial_commands() -> list[str]:
    text = TUTORIAL.read_text(encoding="utf-8")
    blocks = "\n".join(re.findall(r"```sh\n(.*?)```", text, re.S))
    return [line for line in blocks.splitlines() if line.startswith("mpgames ")]


def test_every_tutorial_command_parses():
    commands = _tutorial_commands()
    assert len(commands) >= 12
    for command in commands:
        _parse(command)


def test_the_tutorial_shows_the_example_adversary_as_committed():
    code = MY_ADVERSARY.read_text(encoding="utf-8")
    body = code[code.index("from __future__") :]
    assert f"```python\n{body}```" in TUTORIAL.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("group", "row"),
    [
        (["--group", "toy-2039"], "| 7        | Adv ≥ 0.27 at 99.9% (n=7) | broken    | broken ✓   |"),
        (
            [],
            "| 380      | Adv = 0.0079 in [0.000080, 0.050] at 99.9% (n=380) | bounded   "
            "| broken ✗ contradicted |",
        ),
    ],
)
def test_the_example_adversary_is_measured_as_the_tutorial_says(capsys, group, row):
    reference = f"{MY_ADVERSARY.relative_to(ROOT)}:ExhaustiveSearch"
    # Isolated, it plays against secret coins: the tutorial's rows are those of the all-zero run key.
    key = ["--run-key", "00" * 32]
    status = cli.main(["run", "dl", "--adversary", str(ROOT / reference), *group, "--jobs", "1", *key])
    out = capsys.readouterr().out
    assert status == 0
    assert row in out
    assert row in TUTORIAL.read_text(encoding="utf-8")


@pytest.mark.parametrize("page", ["tutorial.md", "pytest-plugin.md", "games/README.md", "plugins.md"])
def test_relative_links_point_to_files(page):
    path = DOCS / page
    targets = re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", path.read_text(encoding="utf-8"))
    assert targets
    missing = [target for target in targets if not (path.parent / target).exists()]
    assert missing == []
