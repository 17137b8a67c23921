"""AR501-AR503: one handoff per session, named and shaped alike, all listed in SESSIONS.md.
The rules read the context family's Markdown facts; the family collects nothing itself."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

from agentrails.checks.common.git import changed_files
from agentrails.checks.common.markdown import markdown_of
from agentrails.checks.common.paths import dir_prefix, source_matcher
from agentrails.checks.sessions.index import (
    expected_entries,
    handoff_candidates,
    listed,
    valid_name,
)
from agentrails.engine.facts import FileFacts
from agentrails.engine.findings import Finding
from agentrails.engine.protocol import GLOB_LIST, Family, Option, Rule, RuleContext
from agentrails.engine.validators import string, string_list

DEFAULT_SECTIONS = ["Goal", "Done", "Decisions", "Next"]


class HandoffShape(Rule):
    """What it finds:
    A Markdown file in the handoffs folder (`dir`, default `handoffs`) that is not named
    `YYYY-MM-DD-HHMM-slug.md` (a real date and time, a slug of lowercase words joined by
    hyphens), or that lacks one of the `sections` as a level-2 heading (default `## Goal`,
    `## Done`, `## Decisions`, `## Next`). README.md, hidden files and names starting with
    `_` or `TEMPLATE` are not handoffs; subfolders are not looked at.

    Why:
    The next session reads the newest handoff first. A fixed name sorts the log by time;
    fixed sections make every handoff answer the same questions.

    Example:
        handoffs/fix-login.md                  # no timestamp
        handoffs/2025-06-01-0930-fix-login.md  # no "## Decisions" section

    Use instead:
        handoffs/2025-06-01-0930-fix-login.md  # with ## Goal, ## Done, ## Decisions, ## Next

    How to fix:
    Create handoffs with `agentrails handoff new SLUG`; rename a misnamed one (then run
    `agentrails sessions --write`) and add the missing sections, even if only to say "none".
    An old handoff can keep its shape with `<!-- agentrails: noqa: AR501 -->` in it.

    Options:
    In `[tool.agentrails.sessions]`:

    - `dir` (default "handoffs"): the folder of the handoffs.
    - `sections` (default Goal, Done, Decisions, Next): the level-2 sections a handoff has.
    """

    code = "AR501"
    file_level = True
    summary = "handoff misnamed or missing a required section"

    def check_project(self, facts: Mapping[str, FileFacts], ctx: RuleContext) -> Iterable[Finding]:
        prefix = dir_prefix(ctx.options["dir"])
        for path in sorted(handoff_candidates(facts, prefix)):
            if not valid_name(path[len(prefix):]):
                yield Finding(path, 1, 1, self.code,
                              "handoff name must be YYYY-MM-DD-HHMM-slug.md")
            markdown = markdown_of(facts[path])
            titles = {h.text.strip().lower() for h in markdown.headings if h.level == 2} \
                if markdown is not None else set()
            missing = [s for s in ctx.options["sections"] if s.strip().lower() not in titles]
            if missing:
                names = ", ".join(f"## {s}" for s in missing)
                yield Finding(path, 1, 1, self.code, f"handoff lacks section(s): {names}")


class SessionsIndex(Rule):
    """What it finds:
    SESSIONS.md (`index`) not listing exactly the well-named handoffs, newest first, one
    link per line: a handoff it does not list (reported on the handoff), a link to a file
    that is not a handoff, a handoff listed twice or two on one line, or entries out of
    order (reported on SESSIONS.md). Lines that link elsewhere, and all other text, are
    free. Checked when the index or any handoff exists.

    Why:
    SESSIONS.md is how a new session finds the latest handoff and skims the ones before.
    An entry missing from it is a session nobody will read.

    Example:
        - [2025-06-01 09:30 fix-login](handoffs/2025-06-01-0930-fix-login.md)
        - [2025-06-02 14:00 add-search](handoffs/2025-06-02-1400-add-search.md)  # order

    Use instead:
        - [2025-06-02 14:00 add-search](handoffs/2025-06-02-1400-add-search.md)
        - [2025-06-01 09:30 fix-login](handoffs/2025-06-01-0930-fix-login.md)

    How to fix:
    Run `agentrails sessions --write`: it rewrites the handoff lines and keeps the rest.
    Suppress a line of SESSIONS.md with `<!-- # noqa: AR502 -->` at its end.

    Options:
    In `[tool.agentrails.sessions]`:

    - `dir` (default "handoffs"): the folder of the handoffs.
    - `index` (default "SESSIONS.md"): the index of the handoffs.
    """

    code = "AR502"
    file_level = True
    summary = "SESSIONS.md does not list exactly the handoffs, newest first"

    def check_project(self, facts: Mapping[str, FileFacts], ctx: RuleContext) -> Iterable[Finding]:
        prefix = dir_prefix(ctx.options["dir"])
        index = ctx.options["index"]
        expected = expected_entries(facts, prefix)
        markdown = markdown_of(facts.get(index))
        if markdown is None:
            for path in expected:
                yield Finding(path, 1, 1, self.code, f"handoff not listed: {index} does not exist")
            return
        links = [(r.target, r.line) for r in markdown.references if r.kind == "link"]
        entries = listed(index, links, prefix)
        yield from self._entry_problems(index, entries, set(expected))
        shown = {path for _, path in entries}
        for path in expected:
            if path not in shown:
                yield Finding(path, 1, 1, self.code, f"handoff not listed in {index}")
        yield from self._order(index, entries, expected)

    def _entry_problems(
        self, index: str, entries: list[tuple[int, str]], expected: set[str]
    ) -> Iterator[Finding]:
        seen: set[str] = set()
        lines: set[int] = set()
        for line, path in entries:
            if path not in expected:
                yield Finding(index, line, 1, self.code, f"lists {path}, which is not a handoff")
            elif path in seen:
                yield Finding(index, line, 1, self.code, f"lists {path} twice")
            elif line in lines:
                yield Finding(index, line, 1, self.code, "more than one handoff on a line")
            seen.add(path)
            lines.add(line)

    def _order(
        self, index: str, entries: list[tuple[int, str]], expected: list[str]
    ) -> Iterator[Finding]:
        wanted = set(expected)
        firsts: dict[str, int] = {}
        for line, path in entries:
            if path in wanted:
                firsts.setdefault(path, line)
        actual = list(firsts)
        ordered = [path for path in expected if path in firsts]
        for got, want in zip(actual, ordered, strict=True):
            if got != want:
                yield Finding(index, firsts[got], 1, self.code,
                              "handoffs out of order: newest first")
                return


class HandoffPerChange(Rule):
    """What it finds:
    With `agentrails check --diff-base REF`: source files changed since REF (its merge base
    with HEAD, work tree and untracked files included) while no well-named handoff was
    added to the handoffs folder. Source files are those matching `sources`, or by default
    files with a source-code suffix. Without `--diff-base`, nothing is checked. Reported
    once, on the first changed source file.

    Why:
    A change without a handoff leaves the next session to rediscover what was done, what
    was decided and what is left.

    Example:
        git diff --stat origin/main
         src/app.py | 12 ++++++------      # and nothing in handoffs/

    Use instead:
        git diff --stat origin/main
         handoffs/2025-06-02-1400-add-search.md | 18 ++++++++++++++++++
         src/app.py                             | 12 ++++++------

    How to fix:
    Run `agentrails handoff new SLUG`, fill in the sections, and commit it with the change.
    A change that needs no handoff can carry `# noqa: AR503` on line 1 of the reported file.

    Options:
    In `[tool.agentrails.sessions]`:

    - `dir` (default "handoffs"): the folder of the handoffs.
    - `sources` (default: files with a source-code suffix): globs of the source files.
    """

    code = "AR503"
    file_level = True
    summary = "code changed without a new handoff (needs --diff-base)"

    def check_project(self, facts: Mapping[str, FileFacts], ctx: RuleContext) -> Iterable[Finding]:
        if ctx.diff_base is None:
            return
        changes = changed_files(ctx.root, ctx.diff_base) or {}
        prefix = dir_prefix(ctx.options["dir"])
        code = _changed_code(changes, prefix, ctx.options["sources"])
        present = [p for p in code if p in facts]
        if present and not _added_handoffs(changes, prefix):
            yield Finding(present[0], 1, 1, self.code,
                          f"{len(code)} source file(s) changed since {ctx.diff_base} "
                          f"but no handoff was added to {prefix or './'}")


def _changed_code(changes: Mapping[str, str], prefix: str, sources: list[str]) -> list[str]:
    """Changed source files outside the handoffs folder."""
    is_source = source_matcher(tuple(sources))
    return sorted(p for p in changes if is_source(p) and not p.startswith(prefix))


def _added_handoffs(changes: Mapping[str, str], prefix: str) -> list[str]:
    """Well-named handoffs the change adds."""
    added = [path for path, status in changes.items() if status == "A"]
    return [p for p in handoff_candidates(added, prefix) if valid_name(p[len(prefix):])]


def _options() -> dict[str, Option]:
    return {
        "dir": Option("handoffs", string, "folder of the handoff files (AR501-AR503)"),
        "index": Option("SESSIONS.md", string, "the index of handoffs (AR502)"),
        "sections": Option(DEFAULT_SECTIONS, string_list, "level-2 sections of a handoff (AR501)"),
        "sources": Option([], string_list, "globs of source files (default: by suffix) (AR503)",
                          GLOB_LIST),
    }


FAMILY = Family(
    name="sessions",
    section="sessions",
    options=_options(),
    rules=(HandoffShape, SessionsIndex, HandoffPerChange),
)
