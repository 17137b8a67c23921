"""radon as the reference answer the complexity tests compare with."""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator

from radon.complexity import cc_visit, cc_visit_ast
from radon.visitors import Class, Function

SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def flatten(blocks: Iterable[Function | Class]) -> Iterator[Function]:
    """Every function radon knows of: functions, closures, methods, methods of inner classes."""
    for block in blocks:
        if isinstance(block, Function):
            yield block
            yield from flatten(block.closures)
        else:
            yield from flatten(block.methods)
            yield from flatten(block.inner_classes)


def top_level(blocks: list[Function | Class]) -> list[Function | Class]:
    """``cc_visit`` lists methods after their class; keep only what flatten must start from."""
    return [b for b in blocks if isinstance(b, Class) or not b.is_method]


def radon_functions(source: str) -> dict[int, int]:
    """``def`` line -> radon's complexity, for every function radon reports."""
    return {f.lineno: f.complexity for f in flatten(top_level(cc_visit(source)))}


def radon_blocks(source: str) -> list[int]:
    """The sorted complexities of the blocks xenon averages for a module."""
    return sorted(block.complexity for block in cc_visit(source))


def local_classes(tree: ast.AST) -> list[ast.ClassDef]:
    """The outermost classes defined inside a function body: radon discards them."""
    found: list[ast.ClassDef] = []
    stack: list[tuple[ast.AST, bool]] = [(tree, False)]
    while stack:
        node, in_function = stack.pop()
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.ClassDef) and in_function:
                found.append(child)
            elif isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                stack.append((child, True))
            else:
                stack.append((child, in_function))
    return found


def dropped_by_radon(tree: ast.Module) -> dict[int, int]:
    """Radon's own numbers for the functions it drops, measured by lifting each local class to
    a module of its own (classes inside those are found again, so none is missed)."""
    found: dict[int, int] = {}
    for cls in local_classes(tree):
        lifted = ast.Module(body=[cls], type_ignores=[])
        found |= {f.lineno: f.complexity for f in flatten(top_level(cc_visit_ast(lifted)))}
        found |= dropped_by_radon(ast.Module(body=cls.body, type_ignores=[]))
    return found


def extras(function: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    """What we count and radon does not, in one function's own body: ``except*`` handlers and
    their ``else``, and ``case`` guards (nested functions and classes excluded)."""
    total = 0
    stack: list[ast.AST] = list(function.body)
    while stack:
        node = stack.pop()
        if isinstance(node, SCOPES):
            continue
        if isinstance(node, ast.TryStar):
            total += len(node.handlers) + bool(node.orelse)
        elif isinstance(node, ast.match_case) and node.guard is not None:
            total += 1
        stack.extend(ast.iter_child_nodes(node))
    return total
