"""YAML front matter of Markdown files (migration plans, subagents, commands): the small YAML
subset such files use, read without a YAML dependency.

Understood: ``key: value`` pairs; plain, single- and double-quoted scalars; ``true``/``false``,
``null``/``~`` and integers; flow lists ``[a, b]``; block lists (indented or not); block
scalars (``|``, ``>``, with ``-``/``+``); plain scalars continued on indented lines; nested
mappings; comments. Anything else is an error with its line, never an exception.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

_KEY = re.compile(r"^([A-Za-z_][\w.-]*|\"[^\"]*\"|'[^']*')[ \t]*:(?:[ \t]+(.*))?$")
_WS = " \t"
"""YAML's white space: a no-break space is text, not padding."""
_INT = re.compile(r"^[-+]?[0-9]+$")
_ESCAPES = {
    "0": "\0", "a": "\a", "b": "\b", "t": "\t", "\t": "\t", "n": "\n", "v": "\v", "f": "\f",
    "r": "\r", "e": "\x1b", " ": " ", '"': '"', "/": "/", "\\": "\\", "N": "\x85",
    "_": "\xa0", "L": "\u2028", "P": "\u2029",
}
_HEX_ESCAPES = {"x": 2, "u": 4, "U": 8}
_BLOCK_SCALAR = re.compile(r"^([|>])([+-]?)$")


class FrontMatterError(ValueError):
    """A line the parser cannot read; ``line`` is 1-based within the file."""

    def __init__(self, message: str, line: int):
        super().__init__(message)
        self.line = line


@dataclass(frozen=True)
class FrontMatter:
    """Parsed front matter: values by key, the line of each key, the closing line, and the
    first error (with its line) if any part could not be read."""

    values: dict[str, Any] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    end: int = 0
    error: str | None = None
    error_line: int = 0

    def line_of(self, key: str) -> int:
        """The line of ``key``, else the opening ``---``."""
        return self.lines.get(key, 1)


def parse_front_matter(lines: list[str]) -> FrontMatter | None:
    """The front matter opening at the first line (``---``), or None when there is none."""
    if not lines or lines[0].lstrip("\ufeff").rstrip(_WS) != "---":
        return None
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip(_WS) in ("---", "...")), None)
    if end is None:
        return FrontMatter(error="front matter has no closing '---'", error_line=1)
    values: dict[str, Any] = {}
    key_lines: dict[str, int] = {}
    try:
        _parse_mapping(lines[1:end], 2, values, key_lines)
    except FrontMatterError as error:
        return FrontMatter(values, key_lines, end + 1, str(error), error.line)
    return FrontMatter(values, key_lines, end + 1)


def _parse_mapping(
    body: list[str], first_line: int, into: dict[str, Any], key_lines: dict[str, int] | None
) -> None:
    index = 0
    while index < len(body):
        raw = body[index]
        number = first_line + index
        if _is_blank(raw):
            index += 1
            continue
        if raw[0] in " \t":
            raise FrontMatterError("unexpected indentation", number)
        match = _KEY.match(raw.rstrip(_WS))
        if match is None:
            raise FrontMatterError("expected 'key: value'", number)
        key = match.group(1).strip("\"'")
        rest = _strip_comment(match.group(2) or "")
        block_end = _block_end(body, index + 1, allow_dash=not rest)
        if key in into:
            raise FrontMatterError(f"duplicate key {key!r}", number)
        into[key] = _value(rest, body[index + 1:block_end], number)
        if key_lines is not None:
            key_lines[key] = number
        index = block_end


def _is_blank(line: str) -> bool:
    stripped = line.strip(_WS)
    return not stripped or stripped.startswith("#")


def _block_end(body: list[str], start: int, allow_dash: bool) -> int:
    """Index after the lines that belong to the key above ``start``: indented lines, blank
    lines between them, and (for a key without a value) unindented ``- item`` lines."""
    end = start
    index = start
    while index < len(body):
        line = body[index]
        if line.strip(_WS) == "":
            index += 1
            continue
        if line[0] in " \t" or (allow_dash and (line.startswith("- ") or line.rstrip(_WS) == "-")):
            index += 1
            end = index
            continue
        break
    return end


def _value(rest: str, block: list[str], line: int) -> Any:
    scalar_style = _BLOCK_SCALAR.match(rest)
    if scalar_style:
        return _block_scalar(block, scalar_style.group(1), scalar_style.group(2))
    if not rest:
        return _collection(_dedent(block), line)
    if rest.startswith("["):
        return _flow_list(rest, block, line)
    continued = [b.strip(_WS) for b in block if b.strip(_WS)]
    if not continued:
        return _scalar(rest, line)
    if rest[0] in "\"'":
        return _scalar(" ".join([rest, *continued]), line)
    return " ".join([rest, *(_strip_comment(c) for c in continued)])  # a folded plain scalar


def _collection(content: list[str], line: int) -> Any:
    """The value of a key written on the lines below it: a list, a mapping, or null."""
    meaningful = [c for c in content if not _is_blank(c)]
    if not meaningful:
        return None
    if meaningful[0].startswith("-"):
        return _block_list(content, line + 1)
    nested: dict[str, Any] = {}
    _parse_mapping(content, line + 1, nested, None)
    return nested


def _dedent(block: list[str]) -> list[str]:
    indents = [len(b) - len(b.lstrip(_WS)) for b in block if b.strip(_WS)]
    cut = min(indents, default=0)
    return [b[cut:] for b in block]


def _block_list(content: list[str], first_line: int) -> list[Any]:
    """Items of a ``- item`` list; an item may continue on more-indented lines."""
    items: list[Any] = []
    index = 0
    while index < len(content):
        raw = content[index]
        if _is_blank(raw):
            index += 1
            continue
        if not (raw.startswith("- ") or raw.rstrip(_WS) == "-"):
            raise FrontMatterError("expected '- item' in a list", first_line + index)
        end = index + 1
        while end < len(content) and (content[end][:1] in (" ", "\t") or not content[end]):
            end += 1
        rest = _strip_comment(raw[1:].strip(_WS))
        items.append(_value(rest, content[index + 1:end], first_line + index))
        index = end
    return items


def _flow_list(rest: str, block: list[str], line: int) -> list[Any]:
    text = " ".join([rest, *(b.strip(_WS) for b in block if b.strip(_WS))]).strip(_WS)
    text = _strip_comment(text)
    if not text.endswith("]"):
        raise FrontMatterError("unclosed '[' list", line)
    inner = text[1:-1].strip(_WS)
    if not inner:
        return []
    return [_scalar(part.strip(_WS), line) for part in _split_commas(inner, line)]


def _split_commas(text: str, line: int) -> list[str]:
    parts, current, quote = [], [], ""
    for char in text:
        if quote:
            quote = "" if char == quote else quote
        elif char in "\"'" and not "".join(current).strip(_WS):
            quote = char  # a quote opens a scalar only at the start of an item
        elif char == ",":
            parts.append("".join(current))
            current = []
            continue
        current.append(char)
    if quote:
        raise FrontMatterError("unclosed quote", line)
    parts.append("".join(current))
    return [p for p in parts if p.strip(_WS)]


def _block_scalar(block: list[str], style: str, chomp: str) -> str:
    content = _dedent(block)
    while content and not content[-1].strip(_WS):
        content.pop()
    if style == "|":
        text = "\n".join(content)
    else:
        paragraphs, current = [], []
        for raw in content:
            if raw.strip(_WS):
                current.append(raw.strip(_WS))
            else:
                paragraphs.append(" ".join(current))
                current = []
        paragraphs.append(" ".join(current))
        text = "\n".join(paragraphs)
    if chomp == "-" or not text:
        return text
    return text + "\n"


def _strip_comment(text: str) -> str:
    """``text`` without a trailing `` # comment`` (a ``#`` inside quotes is kept)."""
    quote = ""
    for index, char in enumerate(text):
        if quote:
            if char == quote:
                quote = ""
        elif char in "\"'" and (index == 0 or text[index - 1] in " \t[,"):
            quote = char
        elif char == "#" and (index == 0 or text[index - 1] in " \t"):
            return text[:index].rstrip(_WS)
    return text.rstrip(_WS)


def _scalar(text: str, line: int) -> Any:
    if text.startswith('"'):
        return _double_quoted(text, line)
    if text.startswith("'"):
        if len(text) < 2 or not text.endswith("'"):
            raise FrontMatterError("unclosed quote", line)
        return text[1:-1].replace("''", "'")
    if text in ("", "~", "null", "Null", "NULL"):
        return None
    if text in ("true", "True", "TRUE", "false", "False", "FALSE"):
        return text.lower() == "true"
    if _INT.match(text):
        return int(text)
    return text


def _double_quoted(text: str, line: int) -> str:
    out: list[str] = []
    index = 1
    while index < len(text):
        char = text[index]
        if char == '"':
            if text[index + 1:].strip(_WS):
                raise FrontMatterError("text after a closing quote", line)
            return "".join(out)
        if char == "\\" and index + 1 < len(text):
            decoded, index = _escape(text, index + 1, line)
            out.append(decoded)
        else:
            out.append(char)
        index += 1
    raise FrontMatterError("unclosed quote", line)


def _escape(text: str, index: int, line: int) -> tuple[str, int]:
    """The character an escape at ``text[index]`` (after the backslash) stands for, and the
    index of the escape's last character."""
    escape = text[index]
    width = _HEX_ESCAPES.get(escape)
    if width is None:
        return _ESCAPES.get(escape, "\\" + escape), index
    digits = text[index + 1:index + 1 + width]
    if len(digits) != width or not all(c in "0123456789abcdefABCDEF" for c in digits):
        raise FrontMatterError(f"bad escape \\{escape}{digits}", line)
    return chr(int(digits, 16)), index + width
