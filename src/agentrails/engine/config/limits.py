"""Bounds on what a configuration or baseline file may hold, so hostile input ends in one
line naming the file and the key instead of an exhausted stack, a hang or a huge message.

Values may nest at most ``MAX_DEPTH`` levels (an agentrails table needs four, a baseline
three) and a JSON integer may have at most ``MAX_DIGITS`` digits. Parsers that recurse
(tomllib, json) stop at Python's recursion limit first for very deep input: ``locate``
then finds where the text passes the bound, so the message still names the key.
"""

from __future__ import annotations

from agentrails.engine.validators import SHOWN_CHARS

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

MAX_DEPTH = 32
MAX_DIGITS = 20
SHORT_PATH = 30


class LimitError(ValueError):
    """A value past a bound; the message says which key and what bound."""


def too_deep(value: Any, limit: int = MAX_DEPTH) -> str | None:
    """The key path (``a.b[3]``) of the first container nested deeper than ``limit``
    levels (the outermost is level 1), else None. Iterative: a value nested as deep as the
    parser allowed is walked safely."""
    pending: list[tuple[Any, str, int]] = [(value, "", 1)]
    while pending:
        item, path, level = pending.pop()
        if not isinstance(item, dict | list):
            continue
        if level > limit:
            return (path[:SHORT_PATH] + "...") if len(path) > SHORT_PATH else path
        if isinstance(item, dict):
            pending.extend((v, f"{path}.{k}" if path else str(k), level + 1)
                           for k, v in item.items())
        else:
            pending.extend((v, f"{path}[{i}]", level + 1) for i, v in enumerate(item))
    return None


def load_json(text: str) -> Any:
    """``json.loads(text)`` with integers of at most ``MAX_DIGITS`` digits and at most
    ``MAX_DEPTH`` levels of nesting; LimitError names where the text passes a bound.
    Other errors are json's (JSONDecodeError)."""
    import json

    try:
        data = json.loads(text, parse_int=_bounded_int)
    except RecursionError:
        raise LimitError(_nesting_message(text)) from None
    except LimitError as error:
        line, key = locate(text, digits=len(str(error)))
        raise LimitError(f"{_at(line, key)}a number of more than {MAX_DIGITS} digits") from None
    path = too_deep(data)
    if path is not None:
        raise LimitError(f"key {path!r}: nested more than {MAX_DEPTH} levels deep")
    return data


def _bounded_int(literal: str) -> int:
    if len(literal.lstrip("-")) > MAX_DIGITS:
        raise LimitError(literal)
    return int(literal)


def _nesting_message(text: str) -> str:
    line, key = locate(text, depth=MAX_DEPTH)
    return f"{_at(line, key)}nested more than {MAX_DEPTH} levels deep"


def _at(line: int, key: str) -> str:
    where = f"line {line}" if line else ""
    if key:
        where = f"{where}, key {key!r}" if where else f"key {key!r}"
    return f"{where}: " if where else ""


def locate(text: str, *, depth: int | None = None, digits: int | None = None) -> tuple[int, str]:
    """The line (1-based) and the last key named before the point where ``text`` first
    nests deeper than ``depth`` or holds a run of more than ``digits`` - 1 digits (JSON or
    TOML; strings skipped); (0, "") when neither is found. Only for error messages."""
    scanner = _Scanner(text)
    return scanner.find(depth, None if digits is None else max(digits - 1, MAX_DIGITS))


_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


class _Scanner:
    """A forgiving walk over JSON or TOML text: brackets, strings, keys and digit runs."""

    def __init__(self, text: str):
        self.text = text
        self.line = 1
        self.key = ""

    def find(self, depth: int | None, digits: int | None) -> tuple[int, str]:
        """The line and key where the text first nests past ``depth`` or holds a digit run
        longer than ``digits``; (0, "") when it does neither."""
        text, index, level, run = self.text, 0, 0, 0
        deepest = depth if depth is not None else len(text) + 1
        longest = digits if digits is not None else len(text) + 1
        while index < len(text):
            char = text[index]
            if char in "\"'":
                index = self._string(index)
                continue
            run = run + 1 if char.isdigit() else 0
            level += _STEP.get(char, 0)
            self._note(char, index)
            if level > deepest or run > longest:
                return self.line, self.key
            index += 1
        return 0, ""

    def _note(self, char: str, index: int) -> None:
        """Count lines and remember the key a TOML ``=`` assigns."""
        if char == "\n":
            self.line += 1
        elif char == "=":
            self.key = _toml_key(self.text, index)

    def _string(self, start: int) -> int:
        """Skip the string opening at ``start``; a JSON string followed by ``:`` is a key."""
        text, quote = self.text, self.text[start]
        index = start + 1
        while index < len(text) and text[index] != quote:
            if text[index] == "\\" and quote == '"':
                index += 1
            elif text[index] == "\n":
                self.line += 1
            index += 1
        end = index + 1
        if text[end:end + 32].lstrip(" \t").startswith(":"):
            self.key = text[start + 1:index][:SHOWN_CHARS]
        return end


def _toml_key(text: str, equals: int) -> str:
    """The bare key before the ``=`` at ``equals`` on its line (TOML)."""
    start = text.rfind("\n", 0, equals) + 1
    return text[start:equals].strip().strip("\"'")[:SHOWN_CHARS]
