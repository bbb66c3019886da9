"""A small, safe expression language for derived columns and cross-column checks, compiled to Polars.

Written in Python's expression syntax and parsed with ``ast`` — never evaluated: only the nodes below are accepted,
anything else (attribute access, subscripts, lambdas, unknown functions) is an ``ExpressionError``.

- column names (destination names): ``due``, ``unit_price``; literals: ``2``, ``0.5``, ``'text'``, ``True``;
- arithmetic ``+ - * /`` (``due - start`` of two dates is a duration; use ``days_between``), unary ``-``;
- comparisons ``== != < <= > >=`` (chains like ``0 <= pct <= 1`` too), ``and``, ``or``, ``not``;
- functions: ``concat(a, ' - ', b)``, ``days_between(start, end)``, ``coalesce(a, b, ...)``, ``abs(x)``,
  ``lower(x)``, ``upper(x)``, ``trim(x)``, ``length(x)``, ``year(d)``, ``month(d)``, ``is_null(x)``.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable

import polars as pl


class ExpressionError(ValueError):
    """An expression outside the language; the message says which part."""


FUNCTIONS: dict[str, Callable[..., pl.Expr]] = {
    "concat": lambda *parts: pl.concat_str([p.cast(pl.String) for p in parts]),
    "days_between": lambda start, end: (end - start).dt.total_days(),
    "coalesce": lambda *values: pl.coalesce(*values),
    "abs": lambda x: x.abs(),
    "lower": lambda x: x.str.to_lowercase(),
    "upper": lambda x: x.str.to_uppercase(),
    "trim": lambda x: x.str.strip_chars(),
    "length": lambda x: x.str.len_chars(),
    "year": lambda d: d.dt.year(),
    "month": lambda d: d.dt.month(),
    "is_null": lambda x: x.is_null(),
}
_BINARY = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv}
_COMPARE = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
}


def compile_expression(text: str) -> tuple[pl.Expr, set[str]]:
    """The Polars expression for ``text`` and the column names it reads."""
    try:
        tree = ast.parse(text, mode="eval").body
    except SyntaxError as error:
        raise ExpressionError(f"cannot parse {text!r}: {error.msg}") from error
    columns: set[str] = set()
    return _compile(tree, columns, text), columns


def _compile(node: ast.AST, columns: set[str], text: str) -> pl.Expr:
    def sub(child: ast.AST) -> pl.Expr:
        return _compile(child, columns, text)

    if isinstance(node, ast.Name):
        columns.add(node.id)
        return pl.col(node.id)
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float, str, bool)):
        return pl.lit(node.value)
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        return _BINARY[type(node.op)](sub(node.left), sub(node.right))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return -sub(node.operand)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        return ~sub(node.operand)
    if isinstance(node, ast.BoolOp):
        parts = [sub(value) for value in node.values]
        return pl.all_horizontal(parts) if isinstance(node.op, ast.And) else pl.any_horizontal(parts)
    if isinstance(node, ast.Compare) and all(type(op) in _COMPARE for op in node.ops):
        operands = [sub(node.left), *(sub(c) for c in node.comparators)]
        pairs = [_COMPARE[type(op)](a, b) for op, a, b in zip(node.ops, operands, operands[1:], strict=False)]
        return pl.all_horizontal(pairs)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and not node.keywords:
        function = FUNCTIONS.get(node.func.id)
        if function is None:
            raise ExpressionError(f"unknown function {node.func.id!r} in {text!r}; known: {sorted(FUNCTIONS)}")
        try:
            return function(*(sub(arg) for arg in node.args))
        except TypeError as error:
            raise ExpressionError(f"wrong arguments to {node.func.id}() in {text!r}") from error
    raise ExpressionError(f"{ast.unparse(node)!r} is not allowed in {text!r}")
