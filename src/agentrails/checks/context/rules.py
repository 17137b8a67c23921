"""AR401-AR405: the context files a new agent session reads first stay lean, present, linked
and current. The family's facts are every Markdown file's headings and references."""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from agentrails.checks.common.markdown import (
    MARKDOWN_FAMILY,
    MarkdownFacts,
    Reference,
    markdown_of,
    parse_markdown,
)
from agentrails.checks.common.paths import normalize
from agentrails.checks.context.nested import (
    MODES,
    above,
    context_file,
    enclosing_files,
    nested_folders,
    reading,
)
from agentrails.checks.context.refs import (
    MARKDOWN_SUFFIXES,
    exists,
    import_closure,
    is_broken,
    measure,
    target_path,
)
from agentrails.checks.context.shims import SHIM_KINDS, ShimDrift
from agentrails.checks.context.stack import UnlistedDependency
from agentrails.checks.context.state import StaleState
from agentrails.engine.config.settings import ConfigError, find_config
from agentrails.engine.facts import FileFacts
from agentrails.engine.findings import Finding
from agentrails.engine.protocol import GLOB_LIST, Family, Option, Rule, RuleContext, SourceFile
from agentrails.engine.text import split_lines
from agentrails.engine.validators import (
    choice,
    integer,
    path_table,
    project_path,
    project_paths,
    string,
    string_list,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

FAMILY_NAME = MARKDOWN_FAMILY  # this family collects the Markdown facts the others read
DEFAULT_FILES = ["CLAUDE.md", "ARCHITECTURE.md", "VISION.md", "RULES.md", "KNOWN_ISSUES.md"]


def collect(source: SourceFile, ctx: RuleContext) -> MarkdownFacts | None:
    """Headings and references of a Markdown file; nothing for other files."""
    if source.text is None or not source.path.lower().endswith(MARKDOWN_SUFFIXES):
        return None
    return parse_markdown(source.text, len(source.data))


class ContextBudget(Rule):
    """What it finds:
    The canonical context file (`canonical`, default `AGENTS.md`) whose text, with every
    file its `@` imports reach added once (imports of imports included, cycles cut), is
    longer than `max-lines` (default 200) or larger than `max-bytes` (default 32768).

    In a monorepo, every folder below the root with a context file of its own (an
    `AGENTS.md`, else a `CLAUDE.md`) gets the same check, counting what an agent working
    there reads: the root's context file and those of the folders between, each with its
    imports, then its own. The budget is that of the configuration governing the folder
    (a package's own, if it has one), and the finding sits on the nested file only.
    `nested` says whether such findings fail (`"error"`), are warnings (`"warn"`, the
    default in this release) or are not looked for (`"off"`). Checked from inside a
    package whose configuration `extend`s the root's, the canonical file counts the
    context files above the package the same way.

    Why:
    Every session loads this file before it reads a line of code. Each line spent there is
    context the agent cannot spend on the task; a bloated file also buries the few rules
    that matter.

    Example:
        AGENTS.md: 150 lines, plus @docs/conventions.md: 120 lines -> 270 lines (budget 200)
        packages/api/AGENTS.md: 80 lines, plus AGENTS.md above it: 150 -> 230 (budget 200)

    How to fix:
    Keep the canonical file to scope, the rules in short and the current state; move
    detail into ARCHITECTURE.md or RULES.md and link to it instead of importing it. A
    package's file says only what is particular to the package: the root's is read too.
    To suppress, put `<!-- agentrails: noqa: AR401 -->` in the file.
    """

    code = "AR401"
    file_level = True
    worse = "higher"
    summary = "canonical context file over its line or byte budget"

    def check_project(self, facts: Mapping[str, FileFacts], ctx: RuleContext) -> Iterable[Finding]:
        canonical = ctx.options["canonical"]
        name = posixpath.basename(canonical)
        if markdown_of(facts.get(canonical)) is not None:
            before = enclosing_files(ctx, name)
            yield from self._judge(canonical, before, facts, ctx, ctx.options, warn=False)
        for folder in nested_folders(facts, name, canonical):
            entry = context_file(folder, name, facts)
            options = ctx.scope_of(f"{folder}/{name}").options
            if entry is not None and options["nested"] != "off":
                before = above(folder, ctx, facts, name)
                warn = options["nested"] == "warn"
                yield from self._judge(entry, before, facts, ctx, options, warn=warn)

    def _judge(
        self, entry: str, before: list[str], facts: Mapping[str, FileFacts], ctx: RuleContext,
        options: Mapping[str, Any], warn: bool,
    ) -> Iterator[Finding]:
        """AR401 for one context file read after the files ``before`` it."""
        own = import_closure(entry, facts, ctx.root)
        sizes = [measure(path, facts, ctx.root) for path in reading(before, own, facts, ctx.root)]
        lines, size = sum(s[0] for s in sizes), sum(s[1] for s in sizes)
        extra = f" with {len(own) - 1} imported file(s)" if len(own) > 1 else ""
        extra += f" plus {', '.join(before)} above it" if before else ""
        for amount, unit, limit in ((lines, "lines", options["max-lines"]),
                                    (size, "bytes", options["max-bytes"])):
            if amount > limit:
                yield Finding(entry, 1, 1, self.code,
                              f"{entry}{extra} is {amount} {unit} (budget {limit})",
                              amount, limit, symbol=unit, warn=warn)


class MissingContext(Rule):
    """What it finds:
    A file or folder named in `required` that does not exist (a name ending in `/` is a
    folder). The list is empty by default, so a repository that does not use the layout
    is not flagged; the generated repository lists its context files and folders. The
    finding sits on line 1 of the canonical file, or on the configuration file when the
    canonical file itself is missing.

    Why:
    Agents are told to read these files first and to write handoffs and plans into these
    folders. A missing one sends every session guessing.

    Example:
        [tool.agentrails.context]
        required = ["AGENTS.md", "ARCHITECTURE.md", "SESSIONS.md", "handoffs/"]

    How to fix:
    Restore the file or folder (`copier update` brings back the template's), or take it
    off the `required` list; `ignore = ["AR402"]` turns the rule off.
    """

    code = "AR402"
    file_level = True
    summary = "required context file or folder missing"

    def check_project(self, facts: Mapping[str, FileFacts], ctx: RuleContext) -> Iterable[Finding]:
        missing = [name for name in ctx.options["required"] if not _present(ctx.root, name)]
        if not missing:
            return
        anchor, line = _anchor(facts, ctx)
        if anchor is None:
            return
        for name in missing:
            kind = "folder" if name.endswith("/") else "file"
            yield Finding(anchor, line, 1, self.code, f"required context {kind} {name} is missing",
                          symbol=name)


def _present(root: str, name: str) -> bool:
    """A required name exists: a folder when it ends in ``/``, else a file or folder."""
    return Path(root, name).is_dir() if name.endswith("/") else exists(root, name)


def _anchor(facts: Mapping[str, FileFacts], ctx: RuleContext) -> tuple[str | None, int]:
    """The canonical file, else the configuration file (at its ``required`` line)."""
    canonical = ctx.options["canonical"]
    if canonical in facts:
        return canonical, 1
    try:
        _, source, _ = find_config(Path(ctx.root))
    except ConfigError:
        return None, 1
    if source is None:
        return None, 1
    try:
        relative = source.resolve().relative_to(Path(ctx.root).resolve()).as_posix()
        lines = split_lines(source.read_text(encoding="utf-8"))
    except (ValueError, OSError, UnicodeDecodeError):
        return None, 1
    if relative not in facts:
        return None, 1
    line = next((i for i, text in enumerate(lines, 1) if text.strip().startswith("required")), 1)
    return relative, line


class BrokenReference(Rule):
    """What it finds:
    In a context file (the canonical file, the `files` list, default CLAUDE.md,
    ARCHITECTURE.md, VISION.md, RULES.md and KNOWN_ISSUES.md, and every file their `@`
    imports reach): an `@` import, a relative link or a backticked repository path that
    points at nothing. A backticked path is checked when it ends in `.md` or its first
    folder exists; links are relative to the file (root-relative when they start with
    `/`); URLs, anchors, fenced code and HTML comments are ignored. SESSIONS.md is left to
    AR502, and generated shims to AR405.

    In a monorepo, a folder below the root with a context file of its own (an `AGENTS.md`
    or `CLAUDE.md`) has the same names checked there (its `AGENTS.md` and the `files`
    list, with their imports), links taken relative to the nested file. `nested` says
    whether those findings fail (`"error"`), are warnings (`"warn"`, the default in this
    release) or are not looked for (`"off"`).

    Why:
    Agents follow these references literally. A dead one costs a session a search, or
    worse, a guess at what the missing file said.

    Example:
        See [the data model](docs/model.md) and @docs/conventions.md   # neither exists

    How to fix:
    Point the reference at the file's new place, or delete it. Suppress one line with
    `<!-- # noqa: AR403 -->` on it.
    """

    code = "AR403"
    summary = "broken @import, link or backticked path in a context file"

    def check_project(self, facts: Mapping[str, FileFacts], ctx: RuleContext) -> Iterable[Finding]:
        shims = set(ctx.options["shims"])
        seen: dict[str, bool] = {}  # path -> its findings are warnings
        for start, warn in _context_starts(facts, ctx):
            if markdown_of(facts.get(start)) is None:
                continue
            for path in import_closure(start, facts, ctx.root):
                seen.setdefault(path, warn)
        for path, warn in seen.items():
            markdown = markdown_of(facts.get(path))
            if markdown is None or path in shims:
                continue
            for ref in markdown.references:
                if is_broken(ref, path, ctx.root):
                    yield Finding(path, ref.line, ref.column, self.code, _broken(ref, path),
                                  warn=warn)


def _context_starts(facts: Mapping[str, FileFacts], ctx: RuleContext) -> Iterator[tuple[str, bool]]:
    """The context files whose closures AR403 reads, each with whether its findings are
    warnings: the root's (canonical and ``files``), then each nested folder's same names
    under the options that govern it (``nested``)."""
    canonical = ctx.options["canonical"]
    for start in [canonical, *ctx.options["files"]]:
        yield start, False
    name = posixpath.basename(canonical)
    for folder in nested_folders(facts, name, canonical):
        options = ctx.scope_of(f"{folder}/{name}").options
        if options["nested"] != "off":
            for start in [name, *options["files"]]:
                yield f"{folder}/{start}", options["nested"] == "warn"


def _broken(ref: Reference, path: str) -> str:
    what = {"import": "@import", "link": "link", "path": "path"}[ref.kind]
    resolved = normalize(target_path(ref, path)) or target_path(ref, path)
    where = f" ({resolved})" if resolved != ref.target else ""
    return f"broken {what}: {ref.target}{where} does not exist"


def _options() -> dict[str, Option]:
    return {
        "canonical": Option("AGENTS.md", project_path, "the canonical context file (AR401, AR404)"),
        "max-lines": Option(200, integer(minimum=1), "line budget, imports included (AR401)"),
        "max-bytes": Option(32768, integer(minimum=1), "byte budget, imports included (AR401)"),
        "required": Option([], project_paths, "files and folders/ that must exist (AR402)"),
        "files": Option(DEFAULT_FILES, project_paths,
                        "context files besides the canonical (AR403)"),
        "stale-commits": Option(20, integer(minimum=0), "commits before state is stale (AR404)"),
        "state-heading": Option("Current state", string, "heading of the state section (AR404)"),
        "sources": Option([], string_list, "globs of source files (default: by suffix) (AR404)",
                          GLOB_LIST),
        "shims": Option({}, path_table(choice(*SHIM_KINDS)), "shim path -> kind (AR405)"),
        "nested": Option("warn", choice(*MODES),
                         "context files below the root: error, warn or off (AR401, AR403)"),
        "stack-file": Option("RULES.md", project_path,
                             "the file with the tool-stack table (AR406)"),
        "stack-heading": Option("Tool stack", string, "heading of that table (AR406)"),
    }


FAMILY = Family(
    name=FAMILY_NAME,
    section="context",
    options=_options(),
    rules=(ContextBudget, MissingContext, BrokenReference, StaleState, ShimDrift,
           UnlistedDependency),
    collect=collect,
)
