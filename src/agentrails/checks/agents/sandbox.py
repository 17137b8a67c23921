"""AR701's reading of the ``sandbox`` block of Claude Code's settings: whether Bash runs in
the OS sandbox, whether a command the sandbox stops may run outside it, which commands are
excluded from it, and which paths it keeps read-only (``filesystem.denyWrite``).

The facts are plain data (they are cached); the judgement is in ``sandbox_problems``, which
compares ``denyWrite`` with the protected globs the guard-paths hook uses. On Linux the
runtime behind the sandbox takes literal paths (a trailing ``/**`` dropped), so a protected
glob is covered by an entry naming its literal folder or a folder above it."""

from __future__ import annotations

import posixpath
from collections import namedtuple
from collections.abc import Callable, Iterator, Sequence

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

LineOf = Callable[[str], int]
GUARD_CONFIG = ("agentrails.toml", ".agentrails.toml")
"""The files that configure the guard and the gates: always kept read-only."""
_GLOB_CHARS = frozenset("*?[{")


class SandboxFacts(namedtuple(
    "SandboxFacts",
    ("line", "enabled", "enabled_line", "unsandboxed", "unsandboxed_line", "excluded",
     "deny_write", "deny_line", "problems"),
    defaults=(1, None, 1, None, 1, (), (), 1, ()),
)):
    """The ``sandbox`` block of one settings file (``line`` 0: the file has none).
    ``excluded`` holds (command, line) pairs; ``problems`` (line, message) pairs."""

    __slots__ = ()
    line: int
    enabled: Any
    enabled_line: int
    unsandboxed: Any
    unsandboxed_line: int
    excluded: tuple[tuple[str, int], ...]
    deny_write: tuple[str, ...]
    deny_line: int
    problems: tuple[tuple[int, str], ...]


def parse_sandbox(data: dict[str, Any], line_of: LineOf) -> SandboxFacts:
    """The sandbox facts of a settings object; ``line_of`` gives a key's or value's line."""
    block = data.get("sandbox")
    if block is None:
        return SandboxFacts(line=0)
    where = line_of("sandbox")
    if not isinstance(block, dict):
        return SandboxFacts(line=where, problems=((where, "sandbox must be an object"),))
    problems: list[tuple[int, str]] = []
    excluded = _strings(block, "excludedCommands", "sandbox.excludedCommands", line_of, problems)
    filesystem = block.get("filesystem", {})
    if not isinstance(filesystem, dict):
        problems.append((line_of("filesystem"), "sandbox.filesystem must be an object"))
        filesystem = {}
    deny = _strings(filesystem, "denyWrite", "sandbox.filesystem.denyWrite", line_of, problems)
    return SandboxFacts(
        line=where, enabled=block.get("enabled"), enabled_line=line_of("enabled"),
        unsandboxed=block.get("allowUnsandboxedCommands"),
        unsandboxed_line=line_of("allowUnsandboxedCommands"),
        excluded=tuple((entry, line_of(entry)) for entry in excluded),
        deny_write=tuple(deny), deny_line=line_of("denyWrite") if "denyWrite" in filesystem
        else where, problems=tuple(problems),
    )


def _strings(table: dict[str, Any], key: str, name: str, line_of: LineOf,
             problems: list[tuple[int, str]]) -> list[str]:
    value = table.get(key, [])
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return value
    problems.append((line_of(key), f"{name} must be a list of strings"))
    return []


def sandbox_problems(
    facts: SandboxFacts, shared: bool, protected: Sequence[str], root: str
) -> Iterator[tuple[int, str]]:
    """What leaves the protected paths writable from Bash. ``shared``: the team's
    ``.claude/settings.json``, which must turn the sandbox on; a local file may only not
    turn it off. ``root``: the project's absolute path (for absolute denyWrite entries)."""
    yield from facts.problems
    if shared and facts.line == 0:
        yield 1, "no sandbox block: Bash commands run outside the OS sandbox"
        return
    yield from _switches(facts, shared)
    for command, line in facts.excluded:
        yield line, (f"sandbox.excludedCommands runs {command!r} outside the sandbox, where it "
                     "(and any redirection on it) can write the protected paths")
    if shared:
        yield from _uncovered(facts, protected, root)


def _switches(facts: SandboxFacts, shared: bool) -> Iterator[tuple[int, str]]:
    """The sandbox turned off, or the fallback outside it turned on (the shared file must
    say so explicitly; a local file only must not say otherwise)."""
    if (facts.enabled is not True) if shared else (facts.enabled is False):
        yield (facts.enabled_line if facts.enabled is not None else facts.line,
               "sandbox.enabled is not true: Bash commands run outside the OS sandbox")
    if (facts.unsandboxed is not False) if shared else (facts.unsandboxed is True):
        yield (facts.unsandboxed_line if facts.unsandboxed is not None else facts.line,
               "sandbox.allowUnsandboxedCommands is not false: a command the sandbox stops "
               "can be run again outside it")


def _uncovered(facts: SandboxFacts, protected: Sequence[str], root: str) -> Iterator[
        tuple[int, str]]:
    denied = [folder for entry in facts.deny_write
              if (folder := deny_folder(entry, root)) is not None]
    wanted = [(literal_folder(glob), f"protected: {glob}") for glob in protected]
    wanted += [(name, "it configures the guard") for name in GUARD_CONFIG]
    for folder, why in wanted:
        if folder is None:
            continue  # a comment or a negation in the list: nothing to protect
        if not any(_covers(entry, folder) for entry in denied):
            shown = folder or "the project root"
            yield facts.deny_line, f"sandbox.filesystem.denyWrite does not cover {shown} ({why})"


def literal_folder(glob: str) -> str | None:
    """The literal path a protected glob starts with, relative to the project (``""`` for
    one that starts with a wildcard, ``.github/*/ci.yml`` gives ``.github``), None for a
    blank line, a comment or a negation. An unanchored name (``CODEOWNERS``) matches at any
    depth, so only the root covers it."""
    text = glob.strip()
    if not text or text.startswith(("#", "!")):
        return None
    anchored = text.startswith("/") or "/" in text.rstrip("/")
    parts = [part for part in text.strip("/").split("/") if part not in ("", ".")]
    literal = []
    for part in parts:
        if _GLOB_CHARS & set(part):
            break
        literal.append(part)
    if not anchored and len(literal) == len(parts):
        return ""
    return "/".join(literal)


def deny_folder(entry: str, root: str) -> str | None:
    """A denyWrite entry as a path relative to the project root, None when it lies outside
    it (``~/...``) or is not literal. ``./x`` and ``x`` are project paths; ``/x`` and
    ``//x`` count when they are absolute paths inside ``root``."""
    text = entry.strip()
    if text.startswith("~"):
        return None
    if text.endswith("/**"):
        text = text[:-3]
    if _GLOB_CHARS & set(text):
        return None
    if text.startswith("/"):
        absolute = posixpath.normpath("/" + text.lstrip("/"))
        base = posixpath.normpath(root.replace("\\", "/"))
        if absolute != base and not absolute.startswith(base.rstrip("/") + "/"):
            return None
        text = absolute[len(base):]
    folded = posixpath.normpath("/" + text).lstrip("/")
    return folded


def _covers(denied: str, folder: str) -> bool:
    return denied == "" or folder == denied or folder.startswith(denied + "/")
