"""Turning a shell word's pattern into a path pattern relative to the project root, as the
shell would find it: brace expansion, the folder it starts from, ``..``, ``//``, symlinks in
the part without wildcards, and the glob part kept as written."""

from __future__ import annotations

from agentrails.hooks.shell.glob_overlap import has_glob, patterns_overlap, unescape
from agentrails.hooks.shell.path_rules import PathRules
from agentrails.hooks.shell.words import PATTERN_CHARS

MAX_EXPANSIONS = 64


def expand_braces(pattern: str) -> list[str]:
    """``a{b,c}d`` -> ``abd``, ``acd`` (escaped braces stay; at most ``MAX_EXPANSIONS``, the
    first ones in bash's order)."""
    results, pending = [], [pattern]
    while pending and len(results) < MAX_EXPANSIONS:
        current = pending.pop()
        found = _first_brace(current)
        if found is None:
            results.append(current)
            continue
        start, commas, end = found
        edges = [start, *commas, end]
        choices = [current[left + 1:right] for left, right in zip(edges, edges[1:], strict=False)]
        pending.extend(current[:start] + choice + current[end + 1:] for choice in reversed(choices))
    return results


def _first_brace(pattern: str) -> tuple[int, list[int], int] | None:
    """The outermost live ``{...,...}``: its start, top-level commas and end."""
    stack: list[tuple[int, list[int]]] = []
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            index += 2
            continue
        if char == "{":
            stack.append((index, []))
        elif char == "," and stack:
            stack[-1][1].append(index)
        elif char == "}" and stack:
            start, commas = stack.pop()
            if commas and not stack:
                return start, commas, index
        index += 1
    return None


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
