"""A game's experiment as pseudocode in the paper's notation (harness §3 `explain`; docs/tutorial.md §7).

The input is the experiment that runs: its syntax tree and its step comments (`inspect.getsource`,
`ast`, `tokenize`) and the game's declarations (`Game.boundary()`, `budgets`). The output is LaTeX
math, one `Line` per step, for `mpgames.teaching.slides`; no Python is printed. The rules:

* A step comment becomes a step line (▷ and its text) before the statements it describes.
* The experiment's first parameter is the trial context (the harness's side of the trial), its
  second the adversary. What a statement does with the context decides how it is shown:
  - `ctx.play(adversary.S, view, returns=T)` is `out ← 𝒜.S^{O_1, …}(fields)`: the oracles are those of
    stage S's declared view, with the budgets not stated before; the fields are its other fields,
    with the arguments the experiment builds the view with where it builds it itself. The stage name
    is shown when the game has more than one stage.
  - `ctx.judge(self.P, args…)` is `P(args…)`, and P is described after the experiment by the first
    paragraph of its docstring.
  - `ctx.oracle(name, f)` is `O_name ← f`; for a function the experiment defines, that function is
    shown as the oracle O_name.
  - a statement that draws from `ctx.rng` samples (←$); `ctx.rng.randbelow(n)` is {0, …, n−1},
    `ctx.rng.randbytes(n)` is {0,1}^{8n}, and `ctx.rng` as an argument is left out.
  - `ctx.group` is 𝒢 and `ctx.variant` the variant; a name bound to one of them stands for it.
  - any other call on the context is harness bookkeeping (the transcript) and is left out, as is a
    variable that only carries a view to `ctx.play`.
* Names: a name that starts with `_` (unused) is _; one letter, with digits as a subscript (`i0` is
  i_0); a trailing `_star` is ^*; a trailing `_` (Python's way around a keyword) is dropped; `self.`
  and a module's name are dropped from what they qualify. Functions and methods are sans-serif,
  values italic, oracles 𝒪 with their name.
* Strings passed to a call are labels for error messages and are left out; `raise` is return ⊥;
  True and False are 1 and 0, None ⊥.

A construct with no rendering raises `PseudocodeError`, naming the game and the line.
"""

from __future__ import annotations

import ast
import builtins
import functools
import inspect
import io
import textwrap
import tokenize
import types
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from mpgames.framework.base import Game, Stage
from mpgames.framework.view import View

GETS = r"\gets"
GETS_RANDOM = r"\mathrel{\gets\!{\scriptstyle\$}}"
ADVERSARY = r"\mathcal{A}"
GROUP = r"\mathcal{G}"
VARIANT = r"\mathit{variant}"
BOTTOM = r"\bot"
# Between arguments: a comma after which a line may break.
COMMA = r",\allowbreak "

_BINARY = {
    ast.Add: "+",
    ast.Sub: "-",
    ast.Mult: r"\cdot",
    ast.Div: "/",
    ast.FloorDiv: r"\mathbin{\mathrm{div}}",
    ast.Mod: r"\bmod",
    ast.Pow: "^",
}
_COMPARE = {
    ast.Eq: "=",
    ast.NotEq: r"\neq",
    ast.Lt: "<",
    ast.LtE: r"\le",
    ast.Gt: ">",
    ast.GtE: r"\ge",
    ast.In: r"\in",
    ast.NotIn: r"\notin",
    ast.Is: "=",
    ast.IsNot: r"\neq",
}
# Builtins with a notation of their own.
_BUILTINS: dict[str, Callable[[list[str]], str]] = {
    "len": lambda args: rf"|{args[0]}|",
    "max": lambda args: rf"\max({', '.join(args)})",
    "min": lambda args: rf"\min({', '.join(args)})",
    "set": lambda args: args[0] if args else r"\emptyset",
    "dict": lambda args: args[0] if args else r"\emptyset",
}


class PseudocodeError(ValueError):
    """An experiment uses a construct the pseudocode has no rendering for."""


@dataclass(frozen=True)
class Line:
    """One line of pseudocode: its nesting depth, and a step comment (text) or a statement (math)."""

    depth: int
    text: str
    is_step: bool = False


@dataclass(frozen=True)
class Predicate:
    """A win predicate the experiment judges with: its rendered name and its description."""

    name: str
    description: str


@dataclass(frozen=True)
class Pseudocode:
    """The experiment's lines and the win predicates they name."""

    lines: tuple[Line, ...]
    predicates: tuple[Predicate, ...]


def name(identifier: str) -> str:
    """A variable's name in math (module notes)."""
    if identifier.startswith("_"):
        return r"\_"
    base = identifier.rstrip("_")
    star = base.endswith("_star")
    if star:
        base = base[: -len("_star")]
    stem = base.rstrip("0123456789")
    digits = base[len(stem) :]
    if len(stem) == 1 and stem.isalpha():
        rendered = stem + (f"_{{{digits}}}" if digits else "")
    else:
        rendered = rf"\mathit{{{_escape(base)}}}"
    return rendered + ("^*" if star else "")


def procedure(identifier: str) -> str:
    """A function's or method's name."""
    return rf"\mathsf{{{_escape(identifier.rstrip('_') or identifier)}}}"


def oracle(oracle_name: str) -> str:
    return rf"\mathcal{{O}}_{{{procedure(oracle_name)}}}"


def _escape(identifier: str) -> str:
    return identifier.replace("_", r"\_")


@dataclass
class _Scope:
    """What the translation knows about the experiment's names."""

    game: type[Game]
    ctx: str
    adversary: str
    module: dict[str, Any]
    # name -> its rendering, for names that stand for something else (ctx.group, an oracle)
    aliases: dict[str, str] = field(default_factory=dict)
    # variables that only carry a view to ctx.play: name -> the expression that built it
    views: dict[str, ast.expr] = field(default_factory=dict)
    # local functions the experiment hands to ctx.oracle: function name -> oracle name
    oracle_functions: dict[str, str] = field(default_factory=dict)
    # those of them the experiment binds to a variable, and so shows where it binds them
    bound_oracles: set[str] = field(default_factory=set)
    budgets_stated: set[str] = field(default_factory=set)
    predicates: dict[str, Predicate] = field(default_factory=dict)


def experiment(game: type[Game]) -> Pseudocode:
    """The game's experiment as pseudocode."""
    function = game.experiment
    source = textwrap.dedent(inspect.getsource(function))
    tree = ast.parse(source).body[0]
    if not isinstance(tree, ast.FunctionDef) or len(tree.args.args) != 3:
        raise PseudocodeError(f"game {game.id}: experiment(self, ctx, adversary) is not a plain method")
    _, ctx, adversary = (arg.arg for arg in tree.args.args)
    scope = _Scope(game, ctx, adversary, function.__globals__)
    _prepare(scope, tree)
    translator = _Translator(scope, _comments(source))
    lines = list(translator.block(tree.body, 0))
    return Pseudocode(tuple(lines), tuple(scope.predicates.values()))


def _comments(source: str) -> dict[int, str]:
    """Line number -> the text of the comment on it."""
    found = {}
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.COMMENT:
            found[token.start[0]] = token.string.lstrip("#").strip()
    return found


def _prepare(scope: _Scope, tree: ast.FunctionDef) -> None:
    """Find the view variables and the local functions that become oracles, before translating."""
    plays = [call for node in ast.walk(tree) if (call := _ctx_call(scope, node, "play")) is not None]
    carried = {call.args[1].id for call in plays if len(call.args) > 1 and isinstance(call.args[1], ast.Name)}
    used = [n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)]
    for node in ast.walk(tree):
        made = _oracle_function(scope, node)
        if made is not None:
            scope.oracle_functions[made[1]] = made[0]
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            target = node.targets[0].id
            if target in carried and used.count(target) == 1:
                scope.views[target] = node.value
            bound = _oracle_function(scope, node.value)
            if bound is not None:
                scope.bound_oracles.add(bound[1])


def _oracle_function(scope: _Scope, node: ast.AST) -> tuple[str, str] | None:
    """(oracle name, function name) for `ctx.oracle("name", f)` with f a name, else None."""
    call = _ctx_call(scope, node, "oracle")
    if call is None or len(call.args) < 2:
        return None
    label, function = call.args[:2]
    if isinstance(label, ast.Constant) and isinstance(label.value, str) and isinstance(function, ast.Name):
        return label.value, function.id
    return None


def _ctx_call(scope: _Scope, node: ast.AST, method: str | None = None) -> ast.Call | None:
    """`node` if it is a call of a method of the trial context (`method`, or any), else None."""
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
        return None
    owner = node.func.value
    if isinstance(owner, ast.Name) and owner.id == scope.ctx and method in (None, node.func.attr):
        return node
    return None


class _Translator:
    """Statements to lines, expressions to math, under the module's rules."""

    def __init__(self, scope: _Scope, comments: dict[int, str]) -> None:
        self.scope = scope
        self.comments = dict(comments)
        self.deferred: dict[str, list[Line]] = {}

    def fail(self, node: ast.AST, what: str) -> PseudocodeError:
        line = getattr(node, "lineno", "?")
        return PseudocodeError(f"game {self.scope.game.id}: experiment line {line}: no pseudocode for {what}")

    # -- statements --------------------------------------------------------------------------------

    def block(self, body: Sequence[ast.stmt], depth: int) -> Iterator[Line]:
        for statement in body:
            yield from self.steps(statement, depth)
            yield from self.statement(statement, depth)

    def steps(self, statement: ast.stmt, depth: int) -> Iterator[Line]:
        """The step comments before `statement` (and on its lines), as one step line."""
        last = statement.lineno if isinstance(statement, ast.FunctionDef | ast.If | ast.For) else None
        end = last if last is not None else statement.end_lineno or statement.lineno
        taken = sorted(line for line in self.comments if line <= end)
        if taken:
            yield Line(depth, " ".join(self.comments.pop(line) for line in taken), is_step=True)

    def statement(self, node: ast.stmt, depth: int) -> Iterator[Line]:
        if isinstance(node, ast.Assign | ast.AnnAssign):
            yield from self.assignment(node, depth)
        elif isinstance(node, ast.AugAssign):
            target = self.expr(node.target)
            yield Line(depth, rf"{target} {GETS} {target} {_BINARY[type(node.op)]} {self.expr(node.value)}")
        elif isinstance(node, ast.Expr):
            # A call on the context other than play has an effect on the harness only.
            if _ctx_call(self.scope, node.value, "play") or not _ctx_call(self.scope, node.value):
                yield Line(depth, self.expr(node.value))
        elif isinstance(node, ast.Return):
            value = BOTTOM if node.value is None else self.expr(node.value)
            yield Line(depth, rf"\mathbf{{return}}\ {value}")
        elif isinstance(node, ast.Raise):
            yield Line(depth, rf"\mathbf{{return}}\ {BOTTOM}")
        elif isinstance(node, ast.If):
            yield Line(depth, rf"\mathbf{{if}}\ {self.expr(node.test)}\ \mathbf{{then}}")
            yield from self.block(node.body, depth + 1)
            if node.orelse:
                yield Line(depth, r"\mathbf{else}")
                yield from self.block(node.orelse, depth + 1)
        elif isinstance(node, ast.For):
            head = rf"\mathbf{{for}}\ {self.expr(node.target)} \in {self.expr(node.iter)}\ \mathbf{{do}}"
            yield Line(depth, head)
            yield from self.block(node.body, depth + 1)
        elif isinstance(node, ast.FunctionDef) and node.name in self.scope.bound_oracles:
            # Shown where the experiment makes it an oracle.
            self.deferred[node.name] = list(self.function(node, depth))
        elif isinstance(node, ast.FunctionDef):
            yield from self.function(node, depth)
        elif not isinstance(node, ast.Pass):
            raise self.fail(node, type(node).__name__)

    def assignment(self, node: ast.Assign | ast.AnnAssign, depth: int) -> Iterator[Line]:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        if node.value is None or len(targets) != 1:
            raise self.fail(node, "an assignment to several targets or none")
        target, value = targets[0], node.value
        pairs: list[tuple[ast.expr, ast.expr]] = [(target, value)]
        if (
            isinstance(target, ast.Tuple)
            and isinstance(value, ast.Tuple)
            and len(target.elts) == len(value.elts)
        ):
            pairs = list(zip(target.elts, value.elts, strict=True))
        for left, right in pairs:
            if isinstance(left, ast.Name) and left.id in self.scope.views:
                continue
            stands_for = self.context_value(right) if isinstance(left, ast.Name) else None
            if stands_for is not None:
                assert isinstance(left, ast.Name)
                self.scope.aliases[left.id] = stands_for
                continue
            if isinstance(left, ast.Name) and _ctx_call(self.scope, right, "oracle"):
                yield from self.oracle_definition(left.id, right, depth)
                continue
            arrow = GETS_RANDOM if self.samples(right) else GETS
            yield Line(depth, rf"{self.expr(left)} {arrow} {self.expr(right)}")

    def oracle_definition(self, variable: str, call: ast.expr, depth: int) -> Iterator[Line]:
        assert isinstance(call, ast.Call)
        label = call.args[0]
        if not isinstance(label, ast.Constant) or not isinstance(label.value, str) or len(call.args) < 2:
            raise self.fail(call, "an oracle without a literal name")
        rendered = oracle(label.value)
        self.scope.aliases[variable] = rendered
        function = call.args[1]
        if isinstance(function, ast.Name) and function.id in self.deferred:
            yield from self.deferred.pop(function.id)
        else:
            arrow = GETS_RANDOM if self.samples(function) else GETS
            shown = (
                self.callee(function)
                if isinstance(function, ast.Name | ast.Attribute)
                else self.expr(function)
            )
            yield Line(depth, rf"{rendered} {arrow} {shown}")

    def function(self, node: ast.FunctionDef, depth: int) -> Iterator[Line]:
        parameters = COMMA.join(name(arg.arg) for arg in node.args.args)
        oracle_name = self.scope.oracle_functions.get(node.name)
        if oracle_name is not None:
            head = rf"\mathbf{{Oracle}}\ {oracle(oracle_name)}({parameters})"
            self.scope.aliases[node.name] = oracle(oracle_name)
        else:
            head = rf"\mathbf{{Procedure}}\ {procedure(node.name)}({parameters})"
            self.scope.aliases[node.name] = procedure(node.name)
        yield Line(depth, head + ":")
        yield from self.block(node.body, depth + 1)

    # -- the context -------------------------------------------------------------------------------

    def context_value(self, node: ast.expr) -> str | None:
        """What a context attribute (ctx.group, ctx.variant, ctx.variant.name) stands for, else None."""
        if isinstance(node, ast.Attribute) and node.attr == "name":
            node = node.value
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id == self.scope.ctx
        ):
            return {"group": GROUP, "variant": VARIANT}.get(node.attr)
        return None

    def is_rng(self, node: ast.AST) -> bool:
        return (
            isinstance(node, ast.Attribute)
            and node.attr == "rng"
            and isinstance(node.value, ast.Name)
            and node.value.id == self.scope.ctx
        )

    def samples(self, node: ast.AST) -> bool:
        """Whether evaluating `node` draws from the trial's randomness."""
        return any(self.is_rng(child) for child in ast.walk(node))

    def play(self, call: ast.Call) -> str | None:
        """`ctx.play(adversary.S, view, ...)` as the adversary's call, else None."""
        if not _ctx_call(self.scope, call, "play"):
            return None
        stage_ref, view = call.args[0], call.args[1]
        if not (isinstance(stage_ref, ast.Attribute) and isinstance(stage_ref.value, ast.Name)):
            raise self.fail(call, "a stage that is not a method of the adversary")
        boundary = self.scope.game.boundary()
        stage = boundary[stage_ref.attr]
        who = ADVERSARY if len(boundary) == 1 else rf"{ADVERSARY}.{procedure(stage.name)}"
        oracles = list(stage.oracles())
        if oracles:
            who += "^{" + ", ".join(oracle(o) for o in oracles) + "}"
        rendered = rf"{who}({COMMA.join(self.view_fields(stage, view))})"
        fresh = [o for o in oracles if o in self.scope.game.budgets and o not in self.scope.budgets_stated]
        self.scope.budgets_stated.update(fresh)
        if fresh:
            limits = ", ".join(rf"q_{{{procedure(o)}}} = {self.scope.game.budgets[o]}" for o in fresh)
            rendered += rf"\quad({limits})"
        return rendered

    def view_fields(self, stage: Stage, view: ast.expr) -> list[str]:
        """The values of the view's fields that are not oracles, as the experiment gives them."""
        if isinstance(view, ast.Name) and view.id in self.scope.views:
            view = self.scope.views[view.id]
        given: dict[str, ast.expr] = {}
        if isinstance(view, ast.Call) and self.is_view_class(view.func):
            given = {keyword.arg: keyword.value for keyword in view.keywords if keyword.arg is not None}
        oracles = stage.oracles()
        return [
            self.expr(given[field_name]) if field_name in given else self.expr(ast.Name(field_name))
            for field_name in stage.view.__dataclass_fields__
            if field_name not in oracles
        ]

    def is_view_class(self, func: ast.expr) -> bool:
        found = self.scope.module.get(func.id) if isinstance(func, ast.Name) else None
        return isinstance(found, type) and issubclass(found, View)

    def judge(self, call: ast.Call) -> str:
        predicate, *args = call.args
        if not (isinstance(predicate, ast.Attribute) and isinstance(predicate.value, ast.Name)):
            raise self.fail(call, "a win predicate that is not a method of the game")
        method = getattr(self.scope.game, predicate.attr)
        rendered = procedure(predicate.attr)
        doc = inspect.getdoc(method) or ""
        description = " ".join(doc.split("\n\n")[0].split())
        self.scope.predicates.setdefault(predicate.attr, Predicate(rendered, description))
        return rf"{rendered}({self.arguments(args, [])})"

    # -- expressions -------------------------------------------------------------------------------

    def expr(self, node: ast.expr) -> str:
        if isinstance(node, ast.Name):
            return self.scope.aliases.get(node.id) or name(node.id)
        if isinstance(node, ast.Constant):
            return self.constant(node)
        if isinstance(node, ast.Attribute):
            return self.attribute(node)
        if isinstance(node, ast.Call):
            return self.call(node)
        if isinstance(node, ast.Tuple | ast.List):
            return "(" + COMMA.join(self.expr(e) for e in node.elts) + ")"
        if isinstance(node, ast.Dict) and not node.keys:
            return r"\emptyset"
        if isinstance(node, ast.Subscript):
            return rf"{self.expr(node.value)}[{self.expr(node.slice)}]"
        if isinstance(node, ast.BinOp):
            if isinstance(node.op, ast.Pow):
                return rf"{self.expr(node.left)}^{{{self.expr(node.right)}}}"
            return rf"{self.expr(node.left)} {_BINARY[type(node.op)]} {self.expr(node.right)}"
        if isinstance(node, ast.UnaryOp):
            operator = {ast.Not: r"\lnot ", ast.USub: "-", ast.UAdd: "+"}.get(type(node.op))
            if operator is None:
                raise self.fail(node, "a bitwise complement")
            return operator + self.expr(node.operand)
        if isinstance(node, ast.BoolOp):
            operator = r" \land " if isinstance(node.op, ast.And) else r" \lor "
            return operator.join(self.expr(value) for value in node.values)
        if isinstance(node, ast.Compare):
            parts = [self.expr(node.left)]
            for op, right in zip(node.ops, node.comparators, strict=True):
                parts += [_COMPARE[type(op)], self.expr(right)]
            return " ".join(parts)
        if isinstance(node, ast.IfExp):
            return (
                rf"({self.expr(node.body)}\ \mathbf{{if}}\ {self.expr(node.test)}"
                rf"\ \mathbf{{else}}\ {self.expr(node.orelse)})"
            )
        if isinstance(node, ast.ListComp | ast.GeneratorExp | ast.SetComp):
            return self.comprehension(node)
        raise self.fail(node, type(node).__name__)

    def constant(self, node: ast.Constant) -> str:
        if node.value is None:
            return BOTTOM
        if isinstance(node.value, bool):
            return "1" if node.value else "0"
        if isinstance(node.value, int | float):
            return str(node.value)
        raise self.fail(node, f"the constant {type(node.value).__name__}")

    def comprehension(self, node: ast.ListComp | ast.GeneratorExp | ast.SetComp) -> str:
        sources = []
        for generator in node.generators:
            sources.append(rf"{self.expr(generator.target)} \in {self.expr(generator.iter)}")
            sources += [self.expr(condition) for condition in generator.ifs]
        return rf"({self.expr(node.elt)} : {', '.join(sources)})"

    def attribute(self, node: ast.Attribute) -> str:
        stands_for = self.context_value(node)
        if stands_for is not None:
            return stands_for
        owner = node.value
        if isinstance(owner, ast.Name) and owner.id == "self":
            return procedure(node.attr)
        if isinstance(owner, ast.Name) and isinstance(self.scope.module.get(owner.id), types.ModuleType):
            return procedure(node.attr)
        return rf"{self.expr(owner)}.{name(node.attr)}"

    def call(self, node: ast.Call) -> str:
        played = self.play(node)
        if played is not None:
            return played
        if _ctx_call(self.scope, node, "judge"):
            return self.judge(node)
        func = node.func
        if isinstance(func, ast.Attribute) and self.is_rng(func.value):
            return self.draw(node)
        args = [arg for arg in node.args if not self.is_rng(arg)]
        builtin = isinstance(func, ast.Name) and func.id not in self.scope.module
        if builtin and isinstance(func, ast.Name) and func.id in _BUILTINS:
            return _BUILTINS[func.id]([self.expr(arg) for arg in args])
        if builtin and isinstance(func, ast.Name) and func.id in ("tuple", "list") and len(args) == 1:
            return self.expr(args[0])
        if self.is_partial(func):
            return rf"{self.callee(args[0])}({self.arguments(args[1:], [])}, \cdot)"
        return rf"{self.callee(func)}({self.arguments(args, node.keywords)})"

    def callee(self, func: ast.expr) -> str:
        """A function as it is called: a procedure, a method of a value, or a variable."""
        if isinstance(func, ast.Name):
            if func.id in self.scope.aliases:
                return self.scope.aliases[func.id]
            known = func.id in self.scope.module or func.id in vars(builtins)
            return procedure(func.id) if known else name(func.id)
        if isinstance(func, ast.Attribute):
            owner = func.value
            if isinstance(owner, ast.Name) and (
                owner.id == "self" or isinstance(self.scope.module.get(owner.id), types.ModuleType)
            ):
                return procedure(func.attr)
            return rf"{self.expr(owner)}.{procedure(func.attr)}"
        raise self.fail(func, "a call of a computed function")

    def is_partial(self, func: ast.expr) -> bool:
        found: object = None
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
            found = getattr(self.scope.module.get(func.value.id), func.attr, None)
        elif isinstance(func, ast.Name):
            found = self.scope.module.get(func.id)
        return found is functools.partial

    def draw(self, node: ast.Call) -> str:
        """A draw from the trial's randomness, as the set it is uniform on."""
        assert isinstance(node.func, ast.Attribute)
        method, args = node.func.attr, [self.expr(arg) for arg in node.args]
        bound = node.args[0] if len(node.args) == 1 else None
        if method == "randbelow" and isinstance(bound, ast.Constant) and isinstance(bound.value, int):
            return rf"\{{0, \dots, {bound.value - 1}\}}" if bound.value > 2 else r"\{0, 1\}"
        if method == "randbelow" and len(args) == 1:
            return rf"\{{0, \dots, {args[0]} - 1\}}"
        if method == "randbytes" and len(args) == 1:
            return rf"\{{0,1\}}^{{8 \cdot {args[0]}}}"
        raise self.fail(node, f"the draw rng.{method}")

    def arguments(self, args: Sequence[ast.expr], keywords: Sequence[ast.keyword]) -> str:
        shown = [
            self.expr(arg)
            for arg in args
            if not self.is_rng(arg)
            and not (isinstance(arg, ast.Name) and arg.id == self.scope.ctx)
            and not (isinstance(arg, ast.Constant) and isinstance(arg.value, str))
            and not isinstance(arg, ast.JoinedStr)
        ]
        for keyword in keywords:
            if keyword.arg is None:
                shown.append(rf"\ldots {self.expr(keyword.value)}")
            elif not self.is_rng(keyword.value):
                shown.append(rf"{name(keyword.arg)}{{=}}{self.expr(keyword.value)}")
        return COMMA.join(shown)
