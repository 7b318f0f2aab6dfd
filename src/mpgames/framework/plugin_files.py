"""Loading code from outside the package: one-file references and entry points (harness §4
"Discovery"; docs/plugins.md, docs/adversaries.md).

What the adversary plugins (mpgames.adversaries.plugins) and the game plugins
(mpgames.games.registry) share:

* a file reference names a class in a single file, `path/to/file.py:ClassName` (`file_parts`,
  `is_file_reference`); named without its class, the file's classes are listed from its syntax,
  the file not run (`no_class_named`);
* a file is imported once per process, under a module name derived from its resolved path
  (`import_file`), so that its classes pickle by reference into worker processes forked after it
  was loaded (`--jobs`), and so that another process that imports the same file (an isolated
  adversary's, which decodes the game's view records by their module's name) gets the same
  module name. Its folder is appended to `sys.path`, so that it can import the helper modules next
  to it; appended, such a module never shadows one of the harness or the standard library;
* `module_source` and `import_source` carry a module across processes: its name for a module any
  process can import by name, its file for one imported from a file;
* an entry point of a group names a "package.module:Attribute" (`entry_point_reference`,
  `load_reference`).

Whatever goes wrong while loading (no such file, an import that raises or calls `sys.exit`, a
missing class) is a `UsageError` naming the plugin: one line and exit status 2 on the CLI.
"""

from __future__ import annotations

import ast
import functools
import hashlib
import importlib
import importlib.util
import os
import re
import sys
from importlib import metadata
from pathlib import Path
from types import ModuleType

from mpgames.framework.errors import UsageError

# The suffix that marks a file reference "path/to/file.py:ClassName".
FILE_SUFFIX = ".py"
# The first part of the module name a file is imported under.
MODULE_PREFIX = "mpgames_plugin_"
# What loading a plugin may raise and be refused for: any exception, and `sys.exit` at its top level
# (which would otherwise end the command with the plugin's status; a `sys.exit(0)` would pass for
# success). A KeyboardInterrupt is the user's and stops the command.
LOAD_ERRORS = (Exception, SystemExit)


def file_parts(text: str) -> tuple[str, str] | None:
    """(path, name) of a text that names a .py file: "path/to/file.py:ClassName", or "path/to/file.py"
    (name ""); None for any other text."""
    path, colon, name = text.rpartition(":")
    if colon and path.endswith(FILE_SUFFIX):
        return path, name
    return (text, "") if text.endswith(FILE_SUFFIX) else None


def read_from(text: str, folder: Path) -> str:
    """`text` with the relative path of a file it names read from `folder` (a suite file's, an
    assignment's); any other text as it is."""
    parts = file_parts(text)
    if parts is None:
        return text
    path, name = parts
    return f"{folder / Path(path).expanduser()}:{name}"


def is_file_reference(text: str) -> bool:
    """True for "path/to/file.py:ClassName" (the path ends in .py, the name is an identifier)."""
    parts = file_parts(text)
    return parts is not None and parts[1].isidentifier()


def _declares_id(node: ast.ClassDef) -> bool:
    targets = [t for s in node.body if isinstance(s, ast.Assign) for t in s.targets]
    targets += [s.target for s in node.body if isinstance(s, ast.AnnAssign)]
    return any(isinstance(target, ast.Name) and target.id == "id" for target in targets)


def no_class_named(path_text: str, name: str, kind: str) -> UsageError:
    """The error for a .py file named without a class name (or with one that is no identifier): the
    `kind` classes ("adversary", "game") the file defines, top-level classes that declare an `id`,
    read from its syntax alone: the file is not run."""
    path = Path(path_text).expanduser()
    try:
        tree = ast.parse(path.read_bytes(), filename=str(path))
    except OSError as exc:
        return UsageError(f"plugin {path_text}: cannot read it: {exc.strerror or exc}")
    except (SyntaxError, ValueError, RecursionError) as exc:
        return UsageError(f"plugin {path_text}: not Python source: {exc}")
    classes = [node.name for node in tree.body if isinstance(node, ast.ClassDef) and _declares_id(node)]
    if not classes:
        return UsageError(f"{path.name} defines no {kind} class (a class with an id)")
    named = f"{name!r} is not a class name: " if name else ""
    return UsageError(f"{named}give {path_text}:Class, one of: {', '.join(classes)}")


def load_file(reference: str) -> object:
    """The attribute ClassName of "path/to/file.py:ClassName", the file imported once per process."""
    path_text, _, name = reference.rpartition(":")
    path = Path(path_text).expanduser().resolve()
    if not path.is_file():
        raise UsageError(f"plugin {reference}: no such file {path}")
    module = import_file(path)
    try:
        return getattr(module, name)
    except AttributeError:
        raise UsageError(f"plugin {reference}: {path.name} defines no {name}") from None


def module_name(path: Path) -> str:
    """The module name the file at `path` (resolved) is imported under, the same in every process."""
    digest = hashlib.sha256(str(path).encode()).hexdigest()[:12]
    stem = re.sub(r"\W", "_", path.stem)
    return f"{MODULE_PREFIX}{stem}_{digest}"


@functools.cache
def import_file(path: Path) -> ModuleType:
    """Import the file at `path` (resolved) as a module of its own, registered in sys.modules."""
    name = module_name(path)
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise UsageError(f"plugin {path}: not a Python source file")
    module = importlib.util.module_from_spec(spec)
    if str(path.parent) not in sys.path:
        sys.path.append(str(path.parent))
    # Registered before it runs: dataclasses and pickling look classes up by their module's name.
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except LOAD_ERRORS as exc:
        del sys.modules[name]
        raise UsageError(f"plugin {path}: importing it raised {type(exc).__name__}: {exc}") from None
    return module


def module_source(name: str) -> str:
    """What another process imports to have the module `name` of this one: the absolute path of its
    file for a module `import_file` imported, else the name itself (`import_source` reads both)."""
    module = sys.modules.get(name)
    file = getattr(module, "__file__", None)
    if name.startswith(MODULE_PREFIX) and isinstance(file, str) and module_name(Path(file)) == name:
        return file
    return name


def import_source(source: str) -> ModuleType:
    """The module `source` (a `module_source`) names, imported into this process."""
    if os.path.isabs(source):
        return import_file(Path(source))
    return importlib.import_module(source)


def load_reference(reference: str) -> object:
    """The object named by "package.module:Attribute"."""
    module, _, attribute = reference.partition(":")
    return getattr(importlib.import_module(module), attribute)


def entry_point_reference(group: str, name: str) -> str | None:
    """The "module:attribute" of the entry point `name` of `group`, or None if none is installed."""
    points = {point.value for point in metadata.entry_points(group=group, name=name)}
    if not points:
        return None
    if len(points) > 1:
        raise UsageError(f"entry point {name!r} is declared by several distributions: {', '.join(points)}")
    return points.pop()


def load_entry_point(reference: str) -> object:
    """The object an entry point's "module:attribute" names, imported into this process."""
    try:
        return load_reference(reference)
    except LOAD_ERRORS as exc:
        raise UsageError(f"plugin {reference}: loading it raised {type(exc).__name__}: {exc}") from None
