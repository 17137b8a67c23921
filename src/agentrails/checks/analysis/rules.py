"""AR001 and AR002: files the engine could not parse or analyse are findings, never skipped."""

from __future__ import annotations

from collections.abc import Iterable

from agentrails.engine.facts import FileFacts
from agentrails.engine.findings import Finding
from agentrails.engine.protocol import Family, Rule, RuleContext


class _ProblemRule(Rule):
    def check_file(self, facts: FileFacts, ctx: RuleContext) -> Iterable[Finding]:
        problem = facts.problem
        if problem is not None and problem.code == self.code:
            yield Finding(facts.path, problem.line, problem.column, self.code, problem.message)


class SyntaxErrorRule(_ProblemRule):
    """What it finds:
    A Python file that does not parse under the running interpreter (Python 2 syntax, a
    half-finished edit, a merge gone wrong).

    Why:
    A file that does not parse cannot be measured. Other tools skip it quietly or stop the
    whole run; agentrails reports it and checks every other file.

    Example:
        print "hello"

    Use instead:
        print("hello")

    How to fix:
    Fix the syntax at the reported line, or exclude the file if it is not Python (a
    template, test data) with `exclude` or `per-file-ignores`.
    """

    code = "AR001"
    summary = "Python file does not parse"


class UnanalysableRule(_ProblemRule):
    """What it finds:
    A file that could not be analysed, with the reason: nested too deeply for Python's
    parser or recursion limit, larger than `max-file-bytes`, or unreadable.

    Why:
    Radon and vulture stop with a RecursionError on such files and report nothing at all.
    agentrails names the file so nobody mistakes silence for a clean result, and checks the
    rest. Size caps still apply to it; complexity and dead code could not be measured.

    Example:
        # a generated lookup table, its expression nested 568 levels deep
        TABLE = {(4, 0): (((((((((((((((((((((((((((((((((((((((((((((s1 * ...

    Use instead:
        # the table as data, read when it is needed
        TABLE = json.loads(resources.files(__package__).joinpath("table.json").read_text())

    How to fix:
    Exclude generated files with `exclude`, split the expression, or make the file readable.

    Options:
    In `[tool.agentrails]`:

    - `max-depth` (default 500): Python files nested deeper than this are AR002, and dead
      code is not analysed in them.
    - `max-file-bytes` (default 10485760, 10 MiB): files larger than this are not parsed.
    """

    code = "AR002"
    file_level = True
    summary = "file could not be analysed"


FAMILY = Family(name="engine", rules=(SyntaxErrorRule, UnanalysableRule))
