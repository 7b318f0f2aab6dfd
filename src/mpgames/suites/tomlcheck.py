"""Checks of the harness's TOML files, suites (harness §8) and assignments (docs/grading.md).

Every reader validates each value before it is used; a problem is one `FileError` line naming the
file, the table and what to change (exit status 2 on the command line).
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, NoReturn

from mpgames.framework.errors import UsageError


class FileError(UsageError):
    """A malformed file; the message names the file, the table and what to change."""


def fail(where: str, message: str) -> NoReturn:
    raise FileError(f"{where}: {message}")


def check_keys(table: Mapping[str, Any], allowed: Sequence[str], required: Sequence[str], where: str) -> None:
    """Every key of `table` is allowed and every required key is there."""
    unknown = sorted(set(table) - set(allowed))
    if unknown:
        fail(where, f"unknown key {unknown[0]!r}; allowed keys: {', '.join(allowed)}")
    missing = [key for key in required if key not in table]
    if missing:
        fail(where, f"missing key {missing[0]!r} (required: {', '.join(required)})")


def text(value: object, key: str, where: str) -> str:
    """A non-empty string."""
    if not isinstance(value, str) or not value:
        fail(where, f"{key} must be a non-empty string, got {value!r}")
    return value


def seed(value: object, where: str) -> str:
    """A run seed: a non-empty string or an integer, as a string."""
    if isinstance(value, bool) or not isinstance(value, str | int) or value == "":
        fail(where, f"seed must be a non-empty string or an integer, got {value!r}")
    return str(value)


def probability(value: object, key: str, where: str) -> float:
    """A number strictly between 0 and 1."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value < 1:
        fail(where, f"{key} must be a number strictly between 0 and 1, got {value!r}")
    return float(value)


def positive(value: object, key: str, where: str, *, integer: bool) -> int | float:
    """A positive, finite number (an integer if `integer`)."""
    kinds = int if integer else int | float
    if isinstance(value, bool) or not isinstance(value, kinds) or not 0 < value < float("inf"):
        fail(where, f"{key} must be a positive {'integer' if integer else 'number'}, got {value!r}")
    return value


def seconds(table: Mapping[str, Any], key: str, where: str, default: float | None = None) -> float | None:
    """A wall-clock cap the table sets (a positive number of seconds), else `default`."""
    if key not in table:
        return default
    return float(positive(table[key], key, where, integer=False))


def read_toml(path: Path, what: str) -> dict[str, Any]:
    """The parsed TOML file at `path`, `what` naming it in errors ("suite file", "assignment")."""
    try:
        with path.open("rb") as file:
            return tomllib.load(file)
    except FileNotFoundError:
        fail(str(path), f"no such {what}")
    except OSError as exc:
        fail(str(path), f"cannot read the {what}: {exc.strerror or exc}")
    except UnicodeDecodeError as exc:
        fail(str(path), f"not UTF-8 text: {exc}")
    except tomllib.TOMLDecodeError as exc:
        fail(str(path), f"not valid TOML: {exc}")
