"""Turning a shell word's pattern into a path pattern relative to the project root, as the
shell would find it: brace expansion, the folder it starts from, ``..``, ``//``, symlinks in
the part without wildcards, and the glob part kept as written."""

from __future__ import annotations

import re
from collections.abc import Iterator

from agentrails.hooks.shell.glob_overlap import has_glob, patterns_overlap, unescape
from agentrails.hooks.shell.path_rules import PathRules
from agentrails.hooks.shell.words import MAX_NESTING, PATTERN_CHARS, TooComplex, check_time

MAX_EXPANSIONS = 256
"""A word whose braces expand to more words than this is refused, never read in part."""
_BRACE_CHARS = re.compile(r"\\.|[{},]", re.DOTALL)
"""A brace or comma that is live (an escaped character is matched whole, and skipped)."""
_SEQUENCE = re.compile(r"(-?\d+|[A-Za-z])\.\.(-?\d+|[A-Za-z])(?:\.\.(-?\d+))?")


def expand_braces(pattern: str) -> list[str]:
    """``a{b,c}d`` -> ``abd``, ``acd`` and ``x{1..3}`` -> ``x1``, ``x2``, ``x3`` in bash's
    order (escaped braces stay). Raises TooComplex beyond ``MAX_EXPANSIONS`` words."""
    if _fewest_words(pattern) > MAX_EXPANSIONS:
        raise TooComplex(f"its braces expand to more than {MAX_EXPANSIONS} words")
    results, pending = [], [pattern]
    while pending:
        current = pending.pop()
        found = _first_brace(current)
        if found is None:
            results.append(current)
            continue
        start, choices, end = found
        if len(results) + len(pending) + len(choices) > MAX_EXPANSIONS:
            raise TooComplex(f"its braces expand to more than {MAX_EXPANSIONS} words")
        pending.extend(current[:start] + choice + current[end + 1:] for choice in reversed(choices))
    return results


def _fewest_words(pattern: str) -> int:
    """A lower bound of the words ``pattern`` expands to: the product of the sizes of the
    groups outside any other brace (it stops counting past ``MAX_EXPANSIONS``)."""
    product = 1
    for start, end, commas in _top_groups(pattern):
        product *= _group_size(pattern, start, end, commas)
        if product > MAX_EXPANSIONS:
            break
    return product


def _top_groups(pattern: str) -> Iterator[tuple[int, int, int]]:
    """(start, end, top-level commas) of each brace group outside any other; raises
    TooComplex for braces nested more than ``MAX_NESTING`` deep."""
    depth = commas = start = 0
    for count, found in enumerate(_BRACE_CHARS.finditer(pattern)):
        if count % 4096 == 4095:
            check_time()
        char = found[0]
        if char == "{":
            depth += 1
            if depth > MAX_NESTING:
                raise TooComplex(f"it nests more than {MAX_NESTING} levels of braces")
            if depth == 1:
                start, commas = found.start(), 0
        elif char == ",":
            commas += depth == 1
        elif char == "}" and depth:
            depth -= 1
            if depth == 0:
                yield start, found.start(), commas


def _group_size(pattern: str, start: int, end: int, commas: int) -> int:
    """How many words one top-level brace group gives (its nested groups not counted)."""
    if commas:
        return commas + 1
    choices = _choices(pattern, start, [], end)
    return len(choices) if choices is not None else 1


def _first_brace(pattern: str) -> tuple[int, list[str], int] | None:
    """The outermost live ``{...,...}`` or ``{x..y}``: its start, choices and end."""
    stack: list[tuple[int, list[int]]] = []
    for count, found in enumerate(_BRACE_CHARS.finditer(pattern)):
        if count % 4096 == 4095:
            check_time()
        index, char = found.start(), found[0]
        if char == "{":
            stack.append((index, []))
        elif char == "," and stack:
            stack[-1][1].append(index)
        elif char == "}" and stack:
            start, commas = stack.pop()
            choices = _choices(pattern, start, commas, index)
            if choices is not None and not stack:
                return start, choices, index
    return None


def _choices(pattern: str, start: int, commas: list[int], end: int) -> list[str] | None:
    """What a brace pair expands to, None when bash leaves it as it is."""
    if commas:
        edges = [start, *commas, end]
        return [pattern[left + 1:right] for left, right in zip(edges, edges[1:], strict=False)]
    match = _SEQUENCE.fullmatch(pattern, start + 1, end)
    return _sequence(match[1], match[2], match[3]) if match else None


def _sequence(first: str, last: str, step_text: str | None) -> list[str] | None:
    """``{1..3}``, ``{05..10..5}``, ``{a..e}``: bash's sequence expressions (None for a
    letter and a number mixed)."""
    step = abs(int(step_text or "1")) or 1
    if _is_number(first) and _is_number(last):
        width = _width(first, last)
        return [str(value).zfill(width) for value in _range(int(first), int(last), step)]
    if first.isalpha() and last.isalpha():
        return [chr(value) for value in _range(ord(first), ord(last), step)]
    return None


def _is_number(text: str) -> bool:
    return text.lstrip("-").isdigit()


def _range(low: int, high: int, step: int) -> range:
    if abs(high - low) // step + 1 > MAX_EXPANSIONS:
        raise TooComplex(f"its braces expand to more than {MAX_EXPANSIONS} words")
    return range(low, high + 1, step) if high >= low else range(low, high - 1, -step)


def _width(first: str, last: str) -> int:
    """The width bash pads numbers to: the longer end's, when either has a leading zero."""
    padded = any(len(n.lstrip("-")) > 1 and n.lstrip("-").startswith("0") for n in (first, last))
    return max(len(first), len(last)) if padded else 0


def escape(text: str) -> str:
    """``text`` as a pattern that matches exactly it."""
    return "".join("\\" + char if char in PATTERN_CHARS else char for char in text)


def segments(pattern: str, windows: bool) -> list[str]:
    """``pattern`` cut at its separators (``/``, and a literal backslash on Windows)."""
    parts, current, index = [], [], 0
    while index < len(pattern):
        char = pattern[index]
        pair = pattern[index:index + 2]
        if pair == "\\\\" and windows or char == "/":
            parts.append("".join(current))
            current = []
            index += 1 if char == "/" else 2
            continue
        current.append(pair if char == "\\" else char)
        index += len(pair) if char == "\\" else 1
    parts.append("".join(current))
    return parts


def project_pattern(
    pattern: str, start: str, root: str, rules: PathRules, recursive: bool = False
) -> str | None:
    """``pattern`` taken from the folder ``start`` as a pattern relative to ``root`` (``""``
    for the root itself), None when it lies outside. A pattern starting outside that could
    reach into the root gives what it reaches there: ``rm -rf ..`` the whole root (``""``),
    ``/tmp/*/proj/x`` gives ``x`` for a root at ``/tmp/a/proj``."""
    fixed, rest = _split_at_glob(pattern, rules.windows)
    absolute = rules.absolute(fixed or ".", start)
    while rest[:1] == [".."]:
        absolute, rest = rules.absolute("..", absolute), rest[1:]
    relative = rules.relative(absolute, root)
    if relative is None:
        return _reaching_in(absolute, rest, root, rules, recursive or "**" in rest)
    return "/".join(part for part in (escape(relative), *rest) if part)


def _split_at_glob(pattern: str, windows: bool) -> tuple[str, list[str]]:
    """The literal folder a pattern starts with, and its glob segments (folded)."""
    parts = segments(pattern, windows)
    split_at = next((i for i, part in enumerate(parts) if has_glob(part)), len(parts))
    fixed = "/".join(unescape(part) for part in parts[:split_at])
    if split_at and (fixed == "" or windows and fixed.endswith(":")):
        fixed += "/"  # the root of the file system, or of a drive
    return fixed, _fold(parts[split_at:])


def _reaching_in(
    absolute: str, rest: list[str], root: str, rules: PathRules, recursive: bool
) -> str | None:
    """What a pattern starting at ``absolute``, outside the root, reaches inside it."""
    inside = rules.relative(root, absolute)
    if not inside:
        return None
    depth = inside.count("/") + 1
    if len(rest) > depth:
        head = "/".join(rest[:depth])
        return "/".join(rest[depth:]) if patterns_overlap(head, escape(inside), True) else None
    if recursive and patterns_overlap("/".join([*rest, "**"]), escape(inside), True):
        return ""
    return None


def _fold(parts: list[str]) -> list[str]:
    """Glob segments with ``.``, empty names and ``name/..`` pairs folded away; a leading
    ``..`` stays for the caller."""
    folded: list[str] = []
    for part in parts:
        if part in ("", "."):
            continue
        if part == ".." and folded and folded[-1] != "..":
            folded.pop()
        else:
            folded.append(part)
    return folded
