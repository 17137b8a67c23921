"""YAML front matter of Markdown files (migration plans, subagents, commands), read with
PyYAML's safe loader, without aliases (a few hundred bytes of nested aliases expand to
gigabytes). Values are plain built-in types (dates become ISO strings) so they can be
cached; any YAML error becomes a message with its line, never an exception."""

from __future__ import annotations

from collections import namedtuple

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_WS = " \t"


class FrontMatter(namedtuple("FrontMatter", ("values", "lines", "end", "error", "error_line"))):
    """Parsed front matter: values by key, the line of each key, the closing line, and the
    first error (with its line) if it could not be read."""

    __slots__ = ()
    values: dict[str, Any]
    lines: dict[str, int]
    end: int
    error: str | None
    error_line: int

    def __new__(cls, values: dict[str, Any] | None = None, lines: dict[str, int] | None = None,
                end: int = 0, error: str | None = None, error_line: int = 0) -> FrontMatter:
        return super().__new__(cls, {} if values is None else values,
                               {} if lines is None else lines, end, error, error_line)

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
    body = "\n".join(lines[1:end])
    if len(body) > MAX_FRONT_MATTER:
        return FrontMatter(end=end + 1, error=f"front matter longer than {MAX_FRONT_MATTER} "
                           "characters: keep it to a few keys", error_line=1)
    return _load(body, end + 1)


MAX_FRONT_MATTER = 64 * 1024
"""The longest front matter read: a few keys need a few hundred characters, and YAML's
parser is slow enough that megabytes of it would stall every run."""


def _load(body: str, end: int) -> FrontMatter:
    import yaml  # imported here: most runs read no front matter at all

    loader = None
    try:
        loader = yaml.SafeLoader(body)
        node = loader.get_single_node()
        values = _construct(loader, node)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 2 if mark is not None else 2
        return FrontMatter(end=end, error=str(error.problem or error), error_line=line)
    except (yaml.YAMLError, ValueError, TypeError, RecursionError) as error:
        return FrontMatter(end=end, error=f"invalid YAML: {error}", error_line=2)
    finally:
        if loader is not None:
            loader.dispose()
    if node is None:
        return FrontMatter(end=end)
    if values is _ALIASED:
        return FrontMatter(end=end, error="front matter uses a YAML alias (*name); write the "
                           "value out instead", error_line=2)
    if values is None:
        return FrontMatter(end=end, error="expected 'key: value' pairs", error_line=2)
    return _with_lines(node, values, end)


_ALIASED: Any = object()
"""What ``_construct`` gives for a tree with an alias in it."""


def _construct(loader: Any, node: Any) -> Any:
    """The mapping a node holds (None for another kind), without expanding any alias."""
    import yaml

    if node is None or not isinstance(node, yaml.MappingNode):
        return None
    if _has_alias(node):
        return _ALIASED
    return loader.construct_document(node)


def _has_alias(root: Any) -> bool:
    """True when a node appears twice in the composed tree: an alias (``*name``) repeats
    its anchor's node, and expanding aliases of aliases grows without bound."""
    seen: set[int] = set()
    pending = [root]
    while pending:
        node = pending.pop()
        if id(node) in seen:
            return True
        seen.add(id(node))
        value = node.value
        if isinstance(value, list):
            for item in value:
                pending.extend(item if isinstance(item, tuple) else (item,))
    return False


def _with_lines(node: Any, values: dict[Any, Any], end: int) -> FrontMatter:
    """The values with the line of each key; a key given twice is an error."""
    lines: dict[str, int] = {}
    for key, _ in node.value:
        if str(key.value) in lines:
            return FrontMatter(end=end, error=f"duplicate key {key.value!r}",
                               error_line=key.start_mark.line + 2)
        lines[str(key.value)] = key.start_mark.line + 2
    return FrontMatter({str(k): _plain(v) for k, v in values.items()}, lines, end)


def _plain(value: Any) -> Any:
    """Built-in types only: the facts holding these values are cached."""
    import datetime

    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value
