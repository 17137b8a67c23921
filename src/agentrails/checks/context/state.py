"""AR404: the canonical file's "Current state" section, measured against git history."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping

from agentrails.checks.common.git import file_at_head, files_per_commit, last_change_of_lines
from agentrails.checks.common.markdown import Heading, MarkdownFacts, markdown_of, parse_markdown
from agentrails.checks.common.paths import source_matcher
from agentrails.engine.facts import FileFacts
from agentrails.engine.findings import Finding
from agentrails.engine.protocol import Rule, RuleContext
from agentrails.engine.text import split_lines


def state_heading(markdown: MarkdownFacts, title: str) -> Heading | None:
    """The first heading whose text starts with ``title`` (case and a colon ignored)."""
    wanted = title.strip().lower()
    for heading in markdown.headings:
        if heading.text.strip().lower().rstrip(":").startswith(wanted):
            return heading
    return None


def section_text(text: str, title: str) -> tuple[str, int, int] | None:
    """The state section of a document: its text and its first and last line."""
    markdown = parse_markdown(text, len(text))
    heading = state_heading(markdown, title)
    if heading is None:
        return None
    lines = split_lines(text)
    first, last = markdown.section(heading, len(lines))
    return "\n".join(lines[first - 1:last]).strip(), first, min(last, len(lines))


class StaleState(Rule):
    """What it finds:
    The canonical file's "Current state" section (`state-heading`) left untouched while
    source code kept changing: more than `stale-commits` (default 20) commits changed a
    source file since the last commit that changed the section. Source files are those
    matching `sources`, or by default files with a source-code suffix. The history comes
    from git (`git log -L` on the section as HEAD has it); an uncommitted edit of the
    section counts as an update. Outside git, or without the section, nothing is checked.

    Why:
    The state section is what the next session trusts about what works, what is mid-flight
    and what is broken. Stale, it sends agents after problems that are long fixed.

    Example:
        ## Current state      <- last changed 35 commits ago; 31 of them changed src/

    Use instead:
        ## Current state      <- rewritten with the change that made it true

    How to fix:
    Rewrite the section to match the code as it is now, and commit it. To suppress, end
    the heading line with `<!-- # noqa: AR404 -->`.

    Options:
    In `[tool.agentrails.context]`:

    - `canonical` (default "AGENTS.md"): the file holding the section.
    - `state-heading` (default "Current state"): the heading of the section.
    - `stale-commits` (default 20): how many commits may change source files before the
      section is stale.
    - `sources` (default: files with a source-code suffix): globs of the source files.
    """

    code = "AR404"
    file_level = True
    summary = '"Current state" section not updated while code kept changing'

    def check_project(self, facts: Mapping[str, FileFacts], ctx: RuleContext) -> Iterable[Finding]:
        canonical = ctx.options["canonical"]
        markdown = markdown_of(facts.get(canonical))
        title = ctx.options["state-heading"]
        heading = state_heading(markdown, title) if markdown is not None else None
        if heading is None:
            return
        count = _commits_since_update(ctx.root, canonical, title=title,
                                      sources=ctx.options["sources"])
        limit = ctx.options["stale-commits"]
        if count is not None and count > limit:
            yield Finding(
                canonical, heading.line, 1, self.code,
                f"{heading.text!r} not updated while {count} commits changed source code "
                f"(limit {limit})", count, limit,
            )


def _commits_since_update(root: str, canonical: str, *, title: str,
                          sources: list[str]) -> int | None:
    """Commits that changed source code since the state section last changed, or None
    when that cannot be known (no git, file or section not committed, section edited)."""
    committed = file_at_head(root, canonical)
    if committed is None:
        return None
    at_head = section_text(committed, title)
    current = _work_tree_section(root, canonical, title)
    if at_head is None or current is None or current[0] != at_head[0]:
        return None  # no section, or it is being rewritten right now
    since = last_change_of_lines(root, canonical, first=at_head[1], last=at_head[2])
    commits = files_per_commit(root, since) if since else None
    if commits is None:
        return None
    is_source = source_matcher(tuple(sources))
    return sum(1 for files in commits if any(is_source(path) for path in files))


def _work_tree_section(root: str, canonical: str, title: str) -> tuple[str, int, int] | None:
    try:
        with open(os.path.join(root, canonical), encoding="utf-8", errors="replace") as handle:
            return section_text(handle.read(), title)
    except OSError:
        return None
