"""AR101 and AR102: file and function length caps."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from agentrails.engine.facts import FileFacts
from agentrails.engine.findings import Finding
from agentrails.engine.globs import GlobSet, GlobTable
from agentrails.engine.protocol import (
    GLOB_KEYS,
    GLOB_LIST,
    Family,
    Option,
    Rule,
    RuleContext,
    SourceFile,
)
from agentrails.engine.validators import integer, mapping_of, string_list

TYPE_CHECKING = False
if TYPE_CHECKING:
    import ast

DATA_FILES = (
    "*.po", "*.pot", "*.csv", "*.tsv", "*.json", "*.jsonl", "*.ndjson", "*.svg",
    "**/fixtures/**", "*.dist-info/**",
)
"""Translation catalogues, tables, JSON documents, drawings, test fixtures and packaging
records: their length is the data's, not a design an agent can split (AR101's
``data-files`` default)."""

_BODIES = ("body", "orelse", "finalbody", "handlers", "cases")

FunctionSpan = tuple[str, int, int, int]
"""A function's qualified name, ``def`` line, column and last line (``end_lineno``): a
plain tuple, the fastest shape to keep in the cache."""


def collect(source: SourceFile, ctx: RuleContext) -> tuple[FunctionSpan, ...]:
    """Every function and method, nested ones included, found by walking statements only."""
    if source.tree is None:
        return ()
    import ast

    functions = (ast.FunctionDef, ast.AsyncFunctionDef)
    scopes = (*functions, ast.ClassDef)
    spans: list[FunctionSpan] = []
    stack: list[tuple[list[ast.stmt], str]] = [(source.tree.body, "")]
    while stack:
        body, prefix = stack.pop()
        for node in body:
            inner = prefix
            if isinstance(node, scopes):
                inner = f"{prefix}{node.name}."
                if isinstance(node, functions):
                    end = node.end_lineno or node.lineno
                    spans.append((f"{prefix}{node.name}", node.lineno, node.col_offset + 1, end))
            for field in _BODIES:
                children = getattr(node, field, None)
                if children:
                    stack.append((children, inner))
    return tuple(sorted(spans, key=lambda span: (span[1], span[2])))


class FileTooLong(Rule):
    """What it finds:
    A text file with more non-blank lines than its cap: `max-lines` (default 500), or the
    cap of the last `per-glob` entry that matches the file (a cap of 0 exempts it). Binary
    files, lock files, minified assets and files marked `@generated` or `DO NOT EDIT` are skipped,
    and so are data files matched by `data-files` (default: translation catalogues `*.po`
    and `*.pot`, `*.csv`, `*.tsv`, JSON and JSON Lines, `*.svg`, `fixtures/` folders and
    `*.dist-info/`; set it to `[]` to check them). Blank lines (nothing but white space)
    do not count, so a formatter that adds or removes them never moves a file across its cap.

    Why:
    An agent reads whole files into a limited context window. Long files cost context,
    hide structure and collect unrelated changes from parallel sessions.

    Example:
        # orders.py: 812 non-blank lines, four jobs in one file
        class Order: ...                    # the model
        def validate(order): ...            # the business rules
        def price(order): ...               # the pricing
        def create_order(request): ...      # the HTTP handler

    Use instead:
        # orders/model.py, orders/rules.py, orders/pricing.py, orders/api.py:
        # one job a module, each well under the cap

    How to fix:
    Split the file along its seams: one module per job. Raise the cap for a glob only
    where length is the nature of the file.

    Options:
    In `[tool.agentrails.size]`:

    - `max-lines` (default 500): the cap for any text file.
    - `per-glob` (default none): glob -> cap for the files it matches, the last matching
      glob winning; 0 exempts them: `per-glob = { "docs/**" = 800, "tests/fixtures/**" = 0 }`.
    - `data-files` (default: the data files listed above): globs of data files never
      checked; `[]` checks them too.
    """

    code = "AR101"
    file_level = True
    worse = "higher"
    summary = "file longer than its line cap (non-blank lines)"

    def check_file(self, facts: FileFacts, ctx: RuleContext) -> Iterable[Finding]:
        limit = applicable_cap(facts, ctx)
        if limit and facts.content_lines > limit:
            yield Finding(
                facts.path, 1, 1, self.code,
                f"file has {facts.content_lines} non-blank lines (cap {limit})",
                facts.content_lines, limit,
            )


def applicable_cap(facts: FileFacts, ctx: RuleContext) -> int:
    """The file's AR101 cap, 0 when AR101 skips it (binary, generated, data, exempt)."""
    if not facts.is_text or facts.is_generated:
        return 0
    if _data_files(tuple(ctx.options["data-files"])).match(facts.path):
        return 0
    return file_cap(ctx, facts.path)


def file_cap(ctx: RuleContext, path: str) -> int:
    """The configured cap for ``path``: the last matching ``per-glob`` entry or max-lines."""
    per_glob = ctx.options["per-glob"]
    if not per_glob:
        return ctx.options["max-lines"]
    return _compiled(tuple(per_glob.items())).lookup(path, ctx.options["max-lines"])


@cache
def _data_files(globs: tuple[str, ...]) -> GlobSet:
    return GlobSet(globs)


@cache
def _compiled(items: tuple[tuple[str, int], ...]) -> GlobTable:
    return GlobTable(dict(items))


class FunctionTooLong(Rule):
    """What it finds:
    A function or method longer than `max-function-lines` (default 80), counted from the
    `def` line to the last line of its body (`end_lineno`), decorators excluded. Nested
    functions are measured on their own and also count towards their parent.

    Why:
    Long functions do several jobs, resist review and are where agents lose track of state.

    Example:
        def handle(request):   # 120 lines of parsing, checking and saving
            ...

    Use instead:
        def handle(request):
            order = parse(request)
            check(order)
            return save(order)

    How to fix:
    Extract the steps into well-named helpers.

    Options:
    In `[tool.agentrails.size]`:

    - `max-function-lines` (default 80): the cap for a function or method.
    """

    code = "AR102"
    worse = "higher"
    needs = "size"
    summary = "function longer than its line cap"

    def check_file(self, facts: FileFacts, ctx: RuleContext) -> Iterable[Finding]:
        limit = ctx.options["max-function-lines"]
        for name, line, column, end_line in facts.families.get("size", ()):
            length = end_line - line + 1  # from ``def`` to the body's end, decorators not counted
            if length > limit:
                yield Finding(
                    facts.path, line, column, self.code,
                    f"function {name!r} has {length} lines (cap {limit})",
                    length, limit, symbol=name,
                )


def _options() -> dict[str, Option]:
    return {
        "max-lines": Option(500, integer(minimum=1), "line cap for any text file (AR101)"),
        "max-function-lines": Option(80, integer(minimum=1), "line cap for a function (AR102)"),
        "per-glob": Option({}, mapping_of(integer(minimum=0)),
                           "glob -> file line cap; 0 exempts (AR101)", GLOB_KEYS),
        "data-files": Option(
            list(DATA_FILES), string_list, "globs of data files AR101 skips ([] checks them)",
            GLOB_LIST,
        ),
    }


FAMILY = Family(
    name="size",
    section="size",
    options=_options(),
    rules=(FileTooLong, FunctionTooLong),
    collect=collect,
)
