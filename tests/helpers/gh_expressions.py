"""A small evaluator of GitHub Actions expressions, for the tests that read a workflow's
``if:`` conditions against events: the part of the language those conditions use.

Literals (``'text'`` with ``''`` for a quote, numbers, ``true``, ``false``, ``null``),
property paths (``github.event.issue.user.login``; a missing property is null), ``!``,
``==`` and ``!=`` (strings compared without regard to case, as GitHub does), ``&&`` and
``||`` (which return an operand, as GitHub's do), parentheses, and the functions
``contains``, ``startsWith``, ``fromJSON``, ``always`` and ``success``. Anything else is a
``SyntaxError``, so a condition this does not understand fails its test rather than passing.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

TOKEN = re.compile(r"\s*(?:(?P<string>'(?:[^']|'')*')|(?P<number>\d+(?:\.\d+)?)"
                   r"|(?P<op>==|!=|&&|\|\||[!(),])|(?P<name>[A-Za-z_][A-Za-z0-9_.\-]*))")


def tokens(text: str) -> list[tuple[str, str]]:
    found, position = [], 0
    text = text.strip()
    while position < len(text):
        match = TOKEN.match(text, position)
        if match is None or match.end() == position:
            raise SyntaxError(f"cannot read {text[position:position + 20]!r}")
        kind = match.lastgroup or ""
        found.append((kind, match.group(kind)))
        position = match.end()
    return found


def truthy(value: Any) -> bool:
    return value not in (None, False, 0, "") if not isinstance(value, list | dict) else True


def contains(haystack: Any, needle: Any) -> bool:
    if isinstance(haystack, list):
        return any(equal(item, needle) for item in haystack)
    return str(needle).casefold() in str(haystack or "").casefold()


def starts_with(text: Any, prefix: Any) -> bool:
    return str(text or "").casefold().startswith(str(prefix).casefold())


def equal(left: Any, right: Any) -> bool:
    if isinstance(left, str) and isinstance(right, str):
        return left.casefold() == right.casefold()
    return left == right


FUNCTIONS = {"fromJSON": json.loads, "contains": contains, "startsWith": starts_with,
             "always": lambda: True, "success": lambda: True}


class _Parser:
    def __init__(self, text: str, context: Mapping[str, Any]) -> None:
        self.items, self.at, self.context = tokens(text), 0, context

    def peek(self) -> str | None:
        return self.items[self.at][1] if self.at < len(self.items) else None

    def take(self, expected: str | None = None) -> tuple[str, str]:
        if self.at >= len(self.items):
            raise SyntaxError("unexpected end")
        item = self.items[self.at]
        if expected is not None and item[1] != expected:
            raise SyntaxError(f"expected {expected!r}, got {item[1]!r}")
        self.at += 1
        return item

    def parse(self) -> Any:
        value = self.disjunction()
        if self.peek() is not None:
            raise SyntaxError(f"unexpected {self.peek()!r}")
        return value

    def disjunction(self) -> Any:
        value = self.conjunction()
        while self.peek() == "||":
            self.take()
            right = self.conjunction()
            value = value if truthy(value) else right
        return value

    def conjunction(self) -> Any:
        value = self.unary()
        while self.peek() == "&&":
            self.take()
            right = self.unary()
            value = right if truthy(value) else value
        return value

    def unary(self) -> Any:
        if self.peek() == "!":
            self.take()
            return not truthy(self.unary())
        left = self.primary()
        if self.peek() in ("==", "!="):
            operator = self.take()[1]
            right = self.primary()
            return equal(left, right) == (operator == "==")
        return left

    def primary(self) -> Any:
        kind, text = self.take()
        if text == "(":
            value = self.disjunction()
            self.take(")")
            return value
        if kind == "string":
            return text[1:-1].replace("''", "'")
        if kind == "number":
            return float(text) if "." in text else int(text)
        if kind != "name":
            raise SyntaxError(f"unexpected {text!r}")
        if self.peek() == "(":
            return self.call(text)
        return {"true": True, "false": False, "null": None}.get(text, self.lookup(text))

    def call(self, name: str) -> Any:
        self.take("(")
        arguments = []
        while self.peek() != ")":
            arguments.append(self.disjunction())
            if self.peek() == ",":
                self.take()
        self.take(")")
        if name not in FUNCTIONS:
            raise SyntaxError(f"unknown function {name}")
        return FUNCTIONS[name](*arguments)

    def lookup(self, path: str) -> Any:
        value: Any = self.context
        for part in path.split("."):
            value = value.get(part) if isinstance(value, Mapping) else None
        return value


def evaluate(expression: str, context: Mapping[str, Any]) -> Any:
    """The value of ``expression`` (with or without ``${{ }}``) in ``context``."""
    text = expression.strip()
    if text.startswith("${{") and text.endswith("}}"):
        text = text[3:-2]
    return _Parser(text, context).parse()
