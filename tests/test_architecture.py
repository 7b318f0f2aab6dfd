"""The package's layers (docs/architecture.md): every module imports only from its own layer and the
layers below it, so the folders stay the architecture. Read from the source with `ast`, so an import
inside a function or under `TYPE_CHECKING` counts as well."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "mpgames"

# Each layer and the layers it may import from (besides itself).
CORE = ("scheme", "measure", "framework", "games", "adversaries", "reductions")
ALLOWED: dict[str, frozenset[str]] = {
    "scheme": frozenset(),
    "measure": frozenset({"scheme"}),
    "framework": frozenset({"scheme", "measure"}),
    "games": frozenset({"scheme", "measure", "framework"}),
    "adversaries": frozenset({"scheme", "measure", "framework", "games"}),
    "reductions": frozenset({"scheme", "measure", "framework", "games", "adversaries"}),
    "reports": frozenset({"measure"}),
    "app": frozenset({*CORE, "reports"}),
}
APPLICATION = (
    "cli",
    "suites",
    "grading",
    "fuzz",
    "vectors",
    "teaching",
    "testing",
    "notebook",
    "__init__",
    "__main__",
)


def layer_of(module: str) -> str:
    """The layer of a module `mpgames.X…`: X, or "app" for the application on top."""
    top = module.split(".")[1] if "." in module else "__init__"
    return "app" if top in APPLICATION else top


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(tree: ast.AST) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return {name for name in found if name == "mpgames" or name.startswith("mpgames.")}


def violations(source: str, module: str) -> list[str]:
    own = layer_of(module)
    bad = []
    for target in sorted(imported_modules(ast.parse(source))):
        layer = "app" if target == "mpgames" else layer_of(target)
        if layer != own and layer not in ALLOWED[own]:
            bad.append(f"{module} ({own}) imports {target} ({layer})")
    return bad


def modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_every_module_belongs_to_a_known_layer() -> None:
    assert {layer_of(module_name(path)) for path in modules()} <= set(ALLOWED)


def test_no_module_imports_from_a_layer_above_it() -> None:
    found = [v for path in modules() for v in violations(path.read_text(encoding="utf-8"), module_name(path))]
    assert found == []


def game_modules() -> set[str]:
    """The modules that define the registered games."""
    from mpgames.games.registry import BUILTIN_GAMES

    return {reference.split(":")[0] for reference in BUILTIN_GAMES}


# The random-oracle games are the plain games with H answered by the challenger: they subclass them.
DERIVED_GAMES = {"mpgames.games.rom": {"mpgames.games.ring_uf", "mpgames.games.sig_euf_cma"}}


def game_imports(source: str, module: str, games: set[str]) -> set[str]:
    """The other game modules `module` imports (what several games share has a module of its own)."""
    return (imported_modules(ast.parse(source)) & games) - {module} - DERIVED_GAMES.get(module, set())


def test_games_share_helpers_through_modules_of_their_own() -> None:
    games = game_modules()
    found = {
        module: game_imports((PACKAGE.parent / (module.replace(".", "/") + ".py")).read_text(), module, games)
        for module in games
    }
    assert {module: names for module, names in found.items() if names} == {}
    helper = "from mpgames.games.mp_uf import VoucherUnforgeability\n"
    assert game_imports(helper, "mpgames.games.mp_ul", games) == {"mpgames.games.mp_uf"}


@pytest.mark.parametrize(
    ("module", "source"),
    [
        ("mpgames.scheme.groups", "from mpgames.framework.errors import UsageError\n"),
        ("mpgames.measure.records", "import mpgames.scheme.groups\nfrom mpgames.reports import render\n"),
        ("mpgames.reports.render", "def f():\n    from mpgames.scheme.groups import Group\n"),
        ("mpgames.games.dl", "from mpgames.adversaries.dl import bsgs\n"),
    ],
)
def test_an_upward_import_is_reported(module: str, source: str) -> None:
    """The opposite verdict: the same check flags an import that points upward."""
    assert violations(source, module)
