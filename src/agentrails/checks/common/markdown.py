"""What the context rules need from a Markdown file, read in one pass: ATX headings, relative
links, Claude Code ``@`` imports and backticked repository paths, each with its line.

Fenced code blocks, HTML comments and a leading YAML front matter are skipped; code spans
are masked before links and imports are looked for, as Claude Code does for imports.
"""

from __future__ import annotations

from collections import namedtuple
from urllib.parse import unquote

from agentrails.engine.facts import FileFacts
from agentrails.engine.regex import lazy
from agentrails.engine.text import split_lines

_HEADING = lazy(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
FENCE = lazy(r"^ {0,3}(`{3,}|~{3,})")
"""A Markdown code-fence opener (or closer): backticks or tildes, at most 3 spaces in."""
_CODE_SPAN = lazy(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)")
_INLINE_LINK = lazy(r"\]\([ \t]*(<[^>\n]*>|[^)\s]+)")
_REFERENCE_DEF = lazy(r"^ {0,3}\[[^\]]+\]:[ \t]+(<[^>\n]*>|\S+)")
_IMPORT = lazy(r"(?:(?<=\s)|^)@([^\s]+)")
_SCHEME = lazy(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_PATHLIKE = lazy(r"^(?:\./)?[A-Za-z0-9_.][\w.\-/]*$")
_EXTENSION = lazy(r"\.[A-Za-z0-9]{1,10}$")
_TRAILING = ".,;:!?)]}>\"'*_"
MARKDOWN_FAMILY = "context"
"""The family whose collector reads every Markdown file; the other families read its facts."""


class Heading(namedtuple("Heading", ("level", "text", "line"))):
    """An ATX heading: ``level`` 1-6, its text, its 1-based line."""

    __slots__ = ()
    level: int
    text: str
    line: int


class Reference(namedtuple("Reference", ("kind", "target", "line", "column"))):
    """A reference to another file: ``kind`` is ``link``, ``import`` or ``path`` (a
    backticked path); ``target`` is as written, fragment and query removed."""

    __slots__ = ()
    kind: str
    target: str
    line: int
    column: int


class MarkdownFacts(namedtuple("MarkdownFacts", ("size", "headings", "references"))):
    """A Markdown file's size in bytes, headings and references."""

    __slots__ = ()
    size: int
    headings: tuple[Heading, ...]
    references: tuple[Reference, ...]

    def section(self, heading: Heading, line_count: int) -> tuple[int, int]:
        """First and last line of ``heading``'s section (up to the next heading of the same
        or a higher level)."""
        later = [h.line for h in self.headings
                 if h.line > heading.line and h.level <= heading.level]
        return heading.line, (min(later) - 1 if later else max(line_count, heading.line))


def parse_markdown(text: str, size: int) -> MarkdownFacts:
    """Headings and references of a Markdown document."""
    headings: list[Heading] = []
    references: list[Reference] = []
    fence: str | None = None
    in_comment = False
    lines = split_lines(text)
    start = _front_matter_end(lines)
    for index in range(start, len(lines)):
        raw = lines[index]
        number = index + 1
        if fence is not None:
            if raw.strip().startswith(fence) and raw.strip().strip(fence[0]) == "":
                fence = None
            continue
        opening = FENCE.match(raw)
        if opening and not in_comment:
            fence = opening.group(1)
            continue
        line, in_comment = _without_comments(raw, in_comment=in_comment)
        heading = _HEADING.match(line)
        if heading:
            title = (heading.group(2) or "").strip()
            headings.append(Heading(len(heading.group(1)), title, number))
        references.extend(_references(line, number))
    return MarkdownFacts(size, tuple(headings), tuple(references))


def _front_matter_end(lines: list[str]) -> int:
    if not lines or lines[0].lstrip("\ufeff").rstrip() != "---":
        return 0
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            return index + 1
    return 0


def _without_comments(line: str, *, in_comment: bool) -> tuple[str, bool]:
    """``line`` with HTML comments blanked (same length), and whether one stays open."""
    out = []
    position = 0
    while position < len(line):
        if in_comment:
            close = line.find("-->", position)
            if close < 0:
                out.append(" " * (len(line) - position))
                return "".join(out), True
            out.append(" " * (close + 3 - position))
            position = close + 3
            in_comment = False
            continue
        opening = line.find("<!--", position)
        if opening < 0:
            out.append(line[position:])
            break
        out.append(line[position:opening])
        position = opening
        in_comment = True
    return "".join(out), in_comment


def _references(line: str, number: int) -> list[Reference]:
    found: list[Reference] = []
    masked = list(line)
    for span in _CODE_SPAN.finditer(line):
        content = span.group(2).strip()
        if _is_path_like(content):
            found.append(Reference("path", content, number, span.start(2) + 1))
        masked[span.start():span.end()] = " " * (span.end() - span.start())
    plain = "".join(masked)
    definition = _REFERENCE_DEF.match(plain)
    links = [definition] if definition else []
    links.extend(_INLINE_LINK.finditer(plain))
    for match in links:
        target = _link_target(match.group(1))
        if target:
            found.append(Reference("link", target, number, match.start(1) + 1))
    for match in _IMPORT.finditer(plain):
        target = match.group(1).rstrip(_TRAILING)
        if _is_import(target):
            found.append(Reference("import", target, number, match.start() + 1))
    return sorted(found, key=lambda ref: ref.column)


def _link_target(raw: str) -> str | None:
    """A link's file target, or None for URLs, anchors, mail and placeholders."""
    target = raw[1:-1].strip() if raw.startswith("<") else raw
    if not target or target.startswith(("#", "//", "{", "$")) or _SCHEME.match(target):
        return None
    target = target.split("#", 1)[0].split("?", 1)[0]
    return unquote(target) or None


def _is_path_like(content: str) -> bool:
    if not _PATHLIKE.match(content) or "//" in content or content.strip(".") == "":
        return False
    return "/" in content or content.endswith(".md")


def _is_import(target: str) -> bool:
    if not target or target.startswith(("~", "/")) or _SCHEME.match(target):
        return False
    return "/" in target or _EXTENSION.search(target) is not None


def markdown_of(facts: FileFacts | None) -> MarkdownFacts | None:
    """The Markdown facts the context family collected for a file, if it is Markdown."""
    if facts is None:
        return None
    found = facts.families.get(MARKDOWN_FAMILY)
    return found if isinstance(found, MarkdownFacts) else None
