"""AR405 and ``agentrails sync-context``: instruction files for other agents (Copilot,
Cursor, Gemini, ...) generated from the canonical context file.

A shim is the canonical file's text, with every line that holds only an ``@`` import
replaced by the imported file (recursively, each file once), under a header that names the
source. Kinds: ``markdown`` (header, blank line, text) and ``cursor`` (the same under the
front matter Cursor's ``.mdc`` rules need, ``alwaysApply: true``).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping

from agentrails.checks.common.paths import folder, normalize
from agentrails.engine.facts import FileFacts
from agentrails.engine.findings import Finding
from agentrails.engine.protocol import Rule, RuleContext
from agentrails.engine.regex import lazy
from agentrails.engine.text import split_lines

SHIM_KINDS = ("markdown", "cursor")
_IMPORT_LINE = lazy(r"^\s*@([^\s~/][^\s]*)\s*$")
_FENCE = lazy(r"^ {0,3}(`{3,}|~{3,})")


def header(canonical: str) -> str:
    """The first line of every shim (it marks the file as generated for other tools)."""
    return (f"<!-- Generated from {canonical} by `agentrails sync-context --write`. "
            f"Do not edit: change {canonical} and run it again. -->")


def render_shim(root: str, canonical: str, kind: str) -> str | None:
    """The text a shim of ``kind`` must hold, or None when the canonical file is missing."""
    body = _expand(root, canonical, [canonical])
    if body is None:
        return None
    text = f"{header(canonical)}\n\n{body.rstrip()}\n"
    if kind == "cursor":
        front = f"---\ndescription: Project context generated from {canonical}\n"
        text = f"{front}alwaysApply: true\n---\n{text}"
    return text


def _expand(root: str, path: str, seen: list[str]) -> str | None:
    text = read_text(os.path.join(root, path))
    if text is None:
        return None
    out: list[str] = []
    fence: str | None = None
    for line in split_lines(text):
        opening = _FENCE.match(line)
        if fence is None and opening:
            fence = opening.group(1)
        elif fence is not None and line.strip().startswith(fence):
            fence = None
        target = _import_target(line, path, seen) if fence is None else None
        inner = _expand(root, target, [*seen, target]) if target else None
        out.append(inner.rstrip("\n") if inner is not None else line)
    return "\n".join(out) + "\n"


def _import_target(line: str, path: str, seen: list[str]) -> str | None:
    """The file a line that holds only an ``@`` import names, unless already expanded."""
    match = _IMPORT_LINE.match(line)
    target = normalize(folder(path) + match.group(1)) if match else None
    return target if target and target not in seen else None


def read_text(path: str) -> str | None:
    """A file's text with newlines normalised, or None when it cannot be read."""
    try:
        with open(path, encoding="utf-8", errors="replace", newline=None) as handle:
            return handle.read()
    except OSError:
        return None


def drift(root: str, canonical: str, shims: Mapping[str, str]) -> list[tuple[str, int, str]]:
    """(shim, first differing line, reason) for each shim that is missing or out of date."""
    found: list[tuple[str, int, str]] = []
    for path, kind in shims.items():
        expected = render_shim(root, canonical, kind)
        if expected is None:
            break
        actual = read_text(os.path.join(root, path))
        if actual is None:
            found.append((path, 0, "is missing"))
        elif actual != expected:
            found.append((path, _first_difference(actual, expected), f"drifted from {canonical}"))
    return found


def _first_difference(actual: str, expected: str) -> int:
    pairs = zip(split_lines(actual), split_lines(expected), strict=False)
    for number, (left, right) in enumerate(pairs, start=1):
        if left != right:
            return number
    return min(len(split_lines(actual)), len(split_lines(expected))) + 1


class ShimDrift(Rule):
    """What it finds:
    An instruction shim listed in `shims` (path -> kind, `markdown` or `cursor`) whose
    text is not what `agentrails sync-context --write` generates from the canonical file,
    or that is missing (reported on the canonical file). Nothing is checked while `shims`
    is empty.

    Why:
    Copilot, Cursor and other agents read their own file, not AGENTS.md. A hand-edited or
    stale copy gives them other rules than the rest of the team's agents.

    Example:
        # .github/copilot-instructions.md, edited by hand after it was generated
        Use pytest for tests.
        Always run the linter before committing.   # a rule AGENTS.md does not have

    Use instead:
        # the rule added to AGENTS.md, then the shims regenerated:
        agentrails sync-context --write

    How to fix:
    Edit the canonical file, never the shim, and run `agentrails sync-context --write`. A
    shim maintained by hand belongs off the `shims` list, not under a suppression.

    Options:
    In `[tool.agentrails.context]`:

    - `shims` (default none): shim path -> kind (`"markdown"` or `"cursor"`), as
      `shims = { ".github/copilot-instructions.md" = "markdown" }`.
    """

    code = "AR405"
    file_level = True
    summary = "generated instruction shim drifted from its source"

    def check_project(self, facts: Mapping[str, FileFacts], ctx: RuleContext) -> Iterable[Finding]:
        canonical = ctx.options["canonical"]
        if canonical not in facts or not ctx.options["shims"]:
            return
        for path, line, reason in drift(ctx.root, canonical, ctx.options["shims"]):
            fix = "; run `agentrails sync-context --write`"
            if line == 0:
                yield Finding(canonical, 1, 1, self.code, f"shim {path} {reason}{fix}")
            else:
                yield Finding(path, line, 1, self.code, f"shim {reason}{fix}")
