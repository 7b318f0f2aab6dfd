"""Adversaries from outside the package: entry points and one-file plugins (harness §4 "Discovery").

Two ways to bring an adversary that is not built in (docs/adversaries.md has a worked example):

* an installed distribution declares an entry point in the group `mpgames.adversaries`, named after
  the adversary's id, e.g. in its pyproject.toml

      [project.entry-points."mpgames.adversaries"]
      "student.bsgs" = "student_attacks:StudentBsgs"

* a single file, named where an adversary id is expected: `--adversary path/to/file.py:ClassName`.
  Named without its class (`path/to/file.py`), the file's adversary classes are listed, read from
  its syntax (the file is not run).

`find` is the registry's fallback for an id it does not know (mpgames.adversaries.registry). The class it
returns has passed the registry's own checks (targets exist, every stage implemented, the broken
variant belongs to a target) and may not reuse a built-in id. A plugin runs isolated unless the
caller trusts it (`--trusted`): the class is loaded in processes of its own, and `find` returns its
stand-in (mpgames.adversaries.isolated), which the engine always plays isolated (docs/isolation.md).
Either way it gets the game's view only, its oracle budgets, the per-trial time limit and its own
seeded generator.

A trusted file is imported once per process, under a module name derived from its resolved path, so that
its classes pickle by reference into worker processes forked after it was loaded (`--jobs`). Its
folder is appended to `sys.path`, so that it can import the helper modules next to it (a folder
submission's); appended, such a module never shadows one of the harness or the standard library.
Whatever goes wrong while loading (no such file, an import that raises or calls `sys.exit`, a
missing class, a class that fails the checks) is a `UsageError` naming the plugin: one line and exit
status 2 on the CLI.
"""

from __future__ import annotations

import ast
import functools
import hashlib
import importlib.util
import re
import sys
from collections.abc import Callable, Collection
from importlib import metadata
from pathlib import Path
from types import ModuleType

from mpgames.adversaries.base import Adversary
from mpgames.adversaries.isolated import isolated_class
from mpgames.framework.errors import UsageError
from mpgames.games.registry import load_reference

ENTRY_POINT_GROUP = "mpgames.adversaries"
# The suffix that marks a file reference "path/to/file.py:ClassName".
FILE_SUFFIX = ".py"

Check = Callable[[str, object], type[Adversary]]
# What loading a plugin may raise and be refused for: any exception, and `sys.exit` at its top level
# (which would otherwise end the command with the plugin's status; a `sys.exit(0)` would pass for
# success). A KeyboardInterrupt is the user's and stops the command.
_LOAD_ERRORS = (Exception, SystemExit)


def file_parts(text: str) -> tuple[str, str] | None:
    """(path, name) of a text that names a .py file: "path/to/file.py:ClassName", or "path/to/file.py"
    (name ""); None for any other text."""
    path, colon, name = text.rpartition(":")
    if colon and path.endswith(FILE_SUFFIX):
        return path, name
    return (text, "") if text.endswith(FILE_SUFFIX) else None


def is_file_reference(text: str) -> bool:
    """True for "path/to/file.py:ClassName" (the path ends in .py, the name is an identifier)."""
    parts = file_parts(text)
    return parts is not None and parts[1].isidentifier()


def _declares_id(node: ast.ClassDef) -> bool:
    targets = [t for s in node.body if isinstance(s, ast.Assign) for t in s.targets]
    targets += [s.target for s in node.body if isinstance(s, ast.AnnAssign)]
    return any(isinstance(target, ast.Name) and target.id == "id" for target in targets)


def _no_class_named(path_text: str, name: str) -> UsageError:
    """The error for a .py file named without a class name (or with one that is no identifier): the
    adversary classes the file defines (top-level classes that declare an `id`), read from its syntax
    alone: the file is not run."""
    path = Path(path_text).expanduser()
    try:
        tree = ast.parse(path.read_bytes(), filename=str(path))
    except OSError as exc:
        return UsageError(f"plugin {path_text}: cannot read it: {exc.strerror or exc}")
    except (SyntaxError, ValueError, RecursionError) as exc:
        return UsageError(f"plugin {path_text}: not Python source: {exc}")
    classes = [node.name for node in tree.body if isinstance(node, ast.ClassDef) and _declares_id(node)]
    if not classes:
        return UsageError(f"{path.name} defines no adversary class (a class with an id)")
    named = f"{name!r} is not a class name: " if name else ""
    return UsageError(f"{named}give {path_text}:Class, one of: {', '.join(classes)}")


def find(
    adversary_id: str, check: Check, builtin: Collection[str], *, trusted: bool = False
) -> type[Adversary] | None:
    """The plugin adversary named `adversary_id` (a file reference or an entry point name), passed
    through `check`; None if no plugin has that name. `UsageError` for a plugin that cannot be loaded,
    fails the check, or takes the id of a built-in adversary.

    A plugin is isolated unless `trusted`: its class is loaded in its own process, never in this one,
    and the class returned is its stand-in (mpgames.adversaries.isolated)."""
    parts = file_parts(adversary_id)
    if parts is not None and not is_file_reference(adversary_id):
        raise _no_class_named(*parts)
    if is_file_reference(adversary_id):
        reference = adversary_id
    else:
        found = _entry_point_reference(adversary_id)
        if found is None:
            return None
        reference = found
    if not trusted:
        loaded: object = isolated_class(reference)
    elif is_file_reference(reference):
        loaded = load_file(reference)
    else:
        loaded = _load_entry_point(reference)
    try:
        cls = check(reference, loaded)
    except (TypeError, UsageError) as exc:
        raise UsageError(f"plugin {reference}: {exc}") from None
    if cls.id in builtin:
        raise UsageError(f"plugin {reference}: id {cls.id!r} belongs to a built-in adversary; rename it")
    if not is_file_reference(adversary_id) and cls.id != adversary_id:
        raise UsageError(f"entry point {adversary_id!r} loads an adversary with id {cls.id!r}; name it so")
    return cls


def load_file(reference: str) -> object:
    """The attribute ClassName of "path/to/file.py:ClassName", the file imported once per process."""
    path_text, _, name = reference.rpartition(":")
    path = Path(path_text).expanduser().resolve()
    if not path.is_file():
        raise UsageError(f"plugin {reference}: no such file {path}")
    module = _import_file(path)
    try:
        return getattr(module, name)
    except AttributeError:
        raise UsageError(f"plugin {reference}: {path.name} defines no {name}") from None


@functools.cache
def _import_file(path: Path) -> ModuleType:
    """Import the file at `path` (resolved) as a module of its own, registered in sys.modules."""
    digest = hashlib.sha256(str(path).encode()).hexdigest()[:12]
    stem = re.sub(r"\W", "_", path.stem)
    module_name = f"mpgames_plugin_{stem}_{digest}"
    spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None or spec.loader is None:
        raise UsageError(f"plugin {path}: not a Python source file")
    module = importlib.util.module_from_spec(spec)
    if str(path.parent) not in sys.path:
        sys.path.append(str(path.parent))
    # Registered before it runs: dataclasses and pickling look classes up by their module's name.
    sys.modules[module_name] = module
    try:
        spec.loader.exec_module(module)
    except _LOAD_ERRORS as exc:
        del sys.modules[module_name]
        raise UsageError(f"plugin {path}: importing it raised {type(exc).__name__}: {exc}") from None
    return module


def _entry_point_reference(name: str) -> str | None:
    """The "module:attribute" of the entry point `name` of the group, or None if none is installed."""
    points = {point.value for point in metadata.entry_points(group=ENTRY_POINT_GROUP, name=name)}
    if not points:
        return None
    if len(points) > 1:
        raise UsageError(f"entry point {name!r} is declared by several distributions: {', '.join(points)}")
    return points.pop()


def _load_entry_point(reference: str) -> object:
    """The object an entry point's "module:attribute" names, imported into this process."""
    try:
        return load_reference(reference)
    except _LOAD_ERRORS as exc:
        raise UsageError(f"plugin {reference}: loading it raised {type(exc).__name__}: {exc}") from None
