"""Plans as JSON, for the win vectors of `mpgames fuzz --save-wins` (docs/fuzz.md, mpgames.vectors).

`plan_data(plan)` is a plan as JSON-ready data; `read_plan(data, game)` reads it back for `game`,
validating everything, since a vector file is external input: the stages must be the game's, in
order; every oracle a field of its stage's view; every record class one the game's boundary can
carry (by its wire name, `module:QualName`); every edge case a known one; integers, bytes and nests
within bounds. A problem is a `PlanError` naming where it is.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from mpgames.framework import wire
from mpgames.framework.base import Game
from mpgames.fuzz.plan import EDGES, KINDS, Call, Edge, Expr, Plan, StagePlan

# Bounds of what a plan read from a file may hold.
MAX_DEPTH = 32
MAX_LENGTH = 1 << 12
MAX_INT_BITS = 1 << 14


class PlanError(ValueError):
    """Plan data that does not describe a plan of the game."""


def plan_data(plan: Plan) -> dict[str, Any]:
    """The plan as JSON-ready data."""
    return {
        "stages": [
            {
                "stage": name,
                "calls": [_call_data(call) for call in stage.calls],
                "output": None if stage.output is None else _expr_data(stage.output),
            }
            for name, stage in plan.stages
        ]
    }


def _call_data(call: Call) -> dict[str, Any]:
    return {"oracle": call.oracle, "args": [_expr_data(arg) for arg in call.args]}


def _expr_data(expr: Expr) -> dict[str, Any]:
    data: dict[str, Any] = {"kind": type(expr).__name__}
    for field in dataclasses.fields(expr):
        data[field.name] = _value_data(getattr(expr, field.name))
    return data


def _value_data(value: object) -> Any:
    if isinstance(value, type):
        return f"{value.__module__}:{value.__qualname__}"
    if isinstance(value, bytes):
        return {"bytes": value.hex()}
    if isinstance(value, tuple):
        return [_value_data(item) for item in value]
    if dataclasses.is_dataclass(value):
        return _expr_data(value)  # type: ignore[arg-type]
    return value


# -- reading -------------------------------------------------------------------------------------
def read_plan(data: object, game: type[Game]) -> Plan:
    """The plan `data` describes for `game`; `PlanError` where it does not (module docstring)."""
    stages_data = _keys(data, {"stages"}, "plan")["stages"]
    boundary = game.boundary()
    if not isinstance(stages_data, list) or len(stages_data) != len(boundary):
        raise PlanError(f"the plan's stages must be {', '.join(boundary)}, in order")
    declared: list[Any] = []
    for stage in boundary.values():
        declared += [] if stage.output is None else [stage.output]
        declared += [t for arguments, answer in stage.oracles().values() for t in (*arguments, answer)]
    classes = wire.boundary_types(*declared)
    stages = []
    for stage_data, stage in zip(stages_data, boundary.values(), strict=True):
        read = _keys(stage_data, {"stage", "calls", "output"}, "a stage")
        if read["stage"] != stage.name:
            raise PlanError(f"the plan's stages must be {', '.join(boundary)}, in order")
        calls_data = read["calls"]
        if not isinstance(calls_data, list) or len(calls_data) > MAX_LENGTH:
            raise PlanError(f"stage {stage.name}: calls must be a list")
        calls = tuple(_call(call, stage.oracles(), classes, f"stage {stage.name}") for call in calls_data)
        if (read["output"] is None) != (stage.output is None):
            wanted = "null" if stage.output is None else "an expression"
            raise PlanError(f"stage {stage.name}: the output must be {wanted}")
        output = None if read["output"] is None else _expr(read["output"], classes, 0)
        stages.append((stage.name, StagePlan(calls, output)))
    return Plan(tuple(stages))


def _call(data: object, oracles: Mapping[str, Any], classes: Mapping[str, type], where: str) -> Call:
    call = _keys(data, {"oracle", "args"}, f"{where}: a call")
    if call["oracle"] not in oracles:
        raise PlanError(f"{where}: {call['oracle']!r} is not an oracle of its view")
    arguments, _ = oracles[call["oracle"]]
    args = call["args"]
    if not isinstance(args, list) or len(args) != len(arguments):
        raise PlanError(f"{where}: oracle {call['oracle']} takes {len(arguments)} arguments")
    return Call(call["oracle"], tuple(_expr(arg, classes, 0) for arg in args))


def _keys(data: object, keys: set[str], what: str) -> dict[str, Any]:
    if not isinstance(data, dict) or set(data) != keys:
        raise PlanError(f"{what} must be an object with the keys {', '.join(sorted(keys))}")
    return data


_KINDS: Mapping[str, type] = {cls.__name__: cls for cls in KINDS}


def _expr(data: object, classes: Mapping[str, type], depth: int) -> Expr:
    if depth > MAX_DEPTH:
        raise PlanError(f"an expression nests deeper than {MAX_DEPTH} levels")
    kind = data.get("kind") if isinstance(data, dict) else None
    if not isinstance(kind, str) or kind not in _KINDS:
        raise PlanError(f"an expression must name its kind, one of {', '.join(_KINDS)}")
    cls = _KINDS[kind]
    fields = {f.name: f for f in dataclasses.fields(cls)}
    values = _keys(data, {"kind", *fields}, f"a {kind}")
    read = {name: _field(kind, name, values[name], classes, depth) for name in fields}
    expr: Expr = cls(**read)
    if isinstance(expr, Edge) and expr.edge not in EDGES:
        raise PlanError(f"no edge case {expr.edge!r}")
    return expr


def _field(kind: str, name: str, value: object, classes: Mapping[str, type], depth: int) -> Any:
    where = f"{kind}.{name}"
    if kind == "Const" and name == "value":
        return _constant(value, where)
    if name in ("base", "delta", "value"):
        return _expr(value, classes, depth + 1)
    if name in ("fields", "items"):
        if not isinstance(value, list) or len(value) > MAX_LENGTH:
            raise PlanError(f"{where} must be a list")
        return tuple(_expr(item, classes, depth + 1) for item in value)
    if name == "cls":
        if not isinstance(value, str) or value not in classes:
            raise PlanError(f"{where}: {value!r} is not a record the game's boundary carries")
        return classes[value]
    if name in ("raw",):
        if type(value) is not bool:
            raise PlanError(f"{where} must be true or false")
        return value
    if name == "order":
        if not isinstance(value, list) or len(value) > MAX_LENGTH or not all(_small_int(i) for i in value):
            raise PlanError(f"{where} must be a list of small integers")
        return tuple(value)
    if name == "suffix":
        return _bytes(value, where)
    if name in ("stage", "name", "edge"):
        if not isinstance(value, str) or not value or len(value) > 64:
            raise PlanError(f"{where} must be a short string")
        return value
    if name in ("call", "index", "length"):
        if not _small_int(value):
            raise PlanError(f"{where} must be a small integer")
        return value
    raise PlanError(f"{where}: unknown field")


def _small_int(value: object) -> bool:
    return type(value) is int and abs(value) <= MAX_LENGTH


def _bytes(value: object, where: str) -> bytes:
    hex_text = value.get("bytes") if isinstance(value, dict) and len(value) == 1 else None
    try:
        data = bytes.fromhex(hex_text) if isinstance(hex_text, str) else None
    except ValueError:
        data = None
    if data is None or len(data) > MAX_LENGTH:
        raise PlanError(f"{where} must be {{'bytes': hex}}")
    return data


def _constant(value: object, where: str) -> int | bytes | str | bool | None:
    if value is None or type(value) is bool:
        return value
    if type(value) is int:
        if value.bit_length() > MAX_INT_BITS:
            raise PlanError(f"{where}: an integer over {MAX_INT_BITS} bits")
        return value
    if type(value) is str:
        if len(value) > MAX_LENGTH:
            raise PlanError(f"{where}: a string over {MAX_LENGTH} characters")
        return value
    return _bytes(value, where)
