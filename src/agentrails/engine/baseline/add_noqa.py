"""``agentrails check --add-noqa``: write a suppression where each reported finding is.

In Python files a line finding gets ``# noqa: CODE`` at the end of its logical line,
merged into a ``# noqa`` already there: on the line itself, or for a line continued with a
backslash (``import os, \\``) on the line that ends the statement, as ruff places it (and
``noqa`` reads a comment there as covering the continued lines). A file-level finding, a
line that ends inside a string, and any finding in another kind of file get the file
directive ``agentrails: noqa: CODE`` on a comment line of the file's own syntax, placed
after a shebang and an encoding line. Line endings, a byte-order mark and undecodable bytes are
kept. A file with no comment syntax is named, never changed.
"""

from __future__ import annotations

import io
import os
import re
import tokenize
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from agentrails.engine.findings import Finding
from agentrails.engine.noqa import LINE_NOQA
from agentrails.engine.protocol import Rule

_HASH = ("#", "")
_COMMENTS: dict[str, tuple[str, str]] = {
    **dict.fromkeys((".py", ".pyi", ".sh", ".bash", ".zsh", ".yml", ".yaml", ".toml", ".cfg",
                     ".ini", ".po", ".pot", ".rb", ".pl", ".r", ".mk", ".conf", ".txt",
                     ".gitignore", ".dockerignore", ".env", ".properties", ".tf"), _HASH),
    **dict.fromkeys((".js", ".mjs", ".cjs", ".ts", ".tsx", ".jsx", ".c", ".h", ".cc", ".cpp",
                     ".hpp", ".java", ".go", ".rs", ".kt", ".swift", ".scss", ".less",
                     ".jsonc", ".cs", ".php"), ("//", "")),
    **dict.fromkeys((".css",), ("/*", " */")),
    **dict.fromkeys((".md", ".mdc", ".markdown", ".html", ".htm", ".xml", ".svg", ".vue"),
                    ("<!--", " -->")),
    **dict.fromkeys((".jinja", ".j2", ".jinja2"), ("{#", " #}")),
    **dict.fromkeys((".sql", ".lua", ".hs"), ("--", "")),
    **dict.fromkeys((".tex", ".erl"), ("%", "")),
    **dict.fromkeys((".rst",), ("..", "")),
}
_NAMES = {"Makefile": _HASH, "Dockerfile": _HASH, "CODEOWNERS": _HASH, "Justfile": _HASH}
_CODING = re.compile(r"^[ \t\f]*#.*?coding[:=]")
_NEWLINE_KEPT = re.compile(r"(\r\n|\r|\n)")


@dataclass
class Edits:
    """What ``add_noqa`` did: directives added, files changed, and what it could not do."""

    added: int = 0
    files: int = 0
    problems: list[str] = field(default_factory=list)


def add_noqa(root: Path, findings: Iterable[Finding], rules: Mapping[str, type[Rule]]) -> Edits:
    """Suppress every finding in place; one file's problem never stops the others."""
    by_path: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        by_path[finding.path].append(finding)
    edits = Edits()
    for path, found in sorted(by_path.items()):
        try:
            added = _edit_file(root / path, path, found, rules)
        except (OSError, ValueError) as error:
            edits.problems.append(f"{path}: cannot add noqa: {error}")
            continue
        if added:
            edits.added += added
            edits.files += 1
    return edits


def comment_style(path: str) -> tuple[str, str] | None:
    """The (opening, closing) of a comment line in this kind of file, or None."""
    name = path.rsplit("/", 1)[-1]
    if name in _NAMES:
        return _NAMES[name]
    return _COMMENTS.get(os.path.splitext(name)[1].lower())


def _edit_file(full: Path, path: str, found: list[Finding], rules: Mapping[str, type[Rule]]) -> int:
    style = comment_style(path)
    if style is None:
        codes = ", ".join(sorted({f.code for f in found}))
        raise ValueError(f"no comment syntax known for this file ({codes}); use "
                         "per-file-ignores in the configuration instead")
    data = full.read_bytes()
    text = SourceText(data)
    targets = _comment_lines(text.body) if path.endswith((".py", ".pyi")) else {}
    file_codes: set[str] = set()
    per_line: dict[int, set[str]] = defaultdict(set)
    for finding in found:
        rule = rules.get(finding.code)
        target = targets.get(finding.line)
        if rule is not None and not rule.file_level and target is not None:
            per_line[target].add(finding.code)
        else:
            file_codes.add(finding.code)
    for line, codes in per_line.items():
        text.lines[line - 1] = with_line_noqa(text.lines[line - 1], codes)
    if file_codes:
        opening, closing = style
        directive = f"{opening} agentrails: noqa: {', '.join(sorted(file_codes))}{closing}"
        text.insert(_directive_index(text.lines, opening), directive)
    full.write_bytes(text.encoded())
    return len(per_line) + bool(file_codes)


def with_line_noqa(line: str, codes: Iterable[str]) -> str:
    """``line`` with ``# noqa`` for ``codes``, merged into a ``# noqa: ...`` it has."""
    present = LINE_NOQA.search(line)
    if present is None:
        return f"{line.rstrip()}  # noqa: {', '.join(sorted(codes))}"
    if not present.group("codes"):
        return line  # a bare noqa already suppresses everything
    merged = set(re.split(r"[\s,]+", present.group("codes").strip().upper())) | set(codes)
    return f"{line[:present.start()]}# noqa: {', '.join(sorted(merged))}{line[present.end():]}"


def _directive_index(lines: list[str], opening: str) -> int:
    """After a shebang and a Python encoding line, else at the top."""
    index = 0
    if lines and lines[0].startswith("#!"):
        index = 1
    if opening == "#" and index < len(lines) and _CODING.match(lines[index]):
        index += 1
    return index


def _comment_lines(body: str) -> dict[int, int]:
    """Line -> the line whose end takes its ``# noqa``: itself when its end lies outside
    any string or continuation, else (a backslash continuation) the line that ends the
    logical line. Lines ending inside a string have none."""
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(body).readline))
    except (tokenize.TokenError, SyntaxError):
        return {}
    safe = {token.start[0] for token in tokens
            if token.type in (tokenize.NEWLINE, tokenize.NL, tokenize.COMMENT)}
    in_string = _inside_tokens(tokens)
    lines = _NEWLINE_KEPT.split(body)[0::2]
    targets = {line: line for line in safe}
    for line in range(1, len(lines) + 1):
        if line not in safe:
            target = _end_of_continuation(line, lines, safe, in_string)
            if target is not None:
                targets[line] = target
    return targets


def _inside_tokens(tokens: list[tokenize.TokenInfo]) -> set[int]:
    """Lines whose end lies inside a token spanning lines (a string)."""
    return {line for token in tokens if token.type not in (tokenize.NEWLINE, tokenize.NL)
            for line in range(token.start[0], token.end[0])}


def _end_of_continuation(line: int, lines: list[str], safe: set[int],
                         in_string: set[int]) -> int | None:
    """The first safe line after ``line`` when only backslash continuations lead there."""
    while line not in safe:
        if line in in_string or line > len(lines) or not lines[line - 1].endswith("\\"):
            return None
        line += 1
    return line


class SourceText:
    """A file's text as lines, each keeping its own line ending, with the byte-order mark."""

    def __init__(self, data: bytes):
        self.bom = data.startswith(b"\xef\xbb\xbf")
        body = data[3:] if self.bom else data
        self.body = body.decode("utf-8", "surrogateescape")
        parts = _NEWLINE_KEPT.split(self.body)
        self.lines: list[str] = parts[0::2]
        self.endings: list[str] = parts[1::2]
        if self.endings and self.lines[-1] == "":
            self.lines.pop()
        self.newline = self.endings[0] if self.endings else "\n"

    def insert(self, index: int, line: str) -> None:
        """Add a line before line ``index`` (0-based), ended as the file's first line is."""
        self.lines.insert(index, line)
        self.endings.insert(index, self.newline)

    def encoded(self) -> bytes:
        """The edited text as bytes, in the file's own conventions."""
        ends = self.endings + [""] * (len(self.lines) - len(self.endings))
        text = "".join(line + end for line, end in zip(self.lines, ends, strict=True))
        return (b"\xef\xbb\xbf" if self.bom else b"") + text.encode("utf-8", "surrogateescape")
