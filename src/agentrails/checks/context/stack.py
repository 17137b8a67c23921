"""AR406: a dependency or pre-commit hook repository that RULES.md's tool stack does not list."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping

from agentrails.checks.context.declared import Declared, from_pre_commit, from_pyproject
from agentrails.checks.context.stack_table import stack_names
from agentrails.engine.facts import FileFacts
from agentrails.engine.findings import Finding
from agentrails.engine.protocol import Rule, RuleContext
from agentrails.engine.text import split_lines

SOURCES = (("pyproject.toml", from_pyproject), (".pre-commit-config.yaml", from_pre_commit))


class UnlistedDependency(Rule):
    """What it finds:
    A requirement in `pyproject.toml` (runtime `dependencies`, `optional-dependencies`,
    PEP 735 `dependency-groups`) or a hook repository in `.pre-commit-config.yaml` that the
    tool-stack table of RULES.md does not name. The table is the one under the heading
    `stack-heading` (default "Tool stack") of `stack-file` (default RULES.md); its `tool`
    column names the tools, backticked or as words ("pytest, hypothesis", "coverage.py via
    pytest-cov"), compared as PyPI compares names. A hook repository counts as listed under
    its name, its name without `mirrors-` or `-pre-commit`, or any of its hook ids. Without
    such a table the rule finds nothing.

    New in 0.2.0, it runs in warn mode for one release: reported, never failing.

    Why:
    "Keep the stack uniform": a second library for a job the stack already does is how a
    codebase that several agents work on drifts apart. Naming every tool, with the job it
    does, makes a new one a reviewed decision instead of a line in pyproject.toml.

    Example:
        [dependency-groups]
        dev = ["pytest", "pytest-randomly"]   # AR406 unless RULES.md lists pytest-randomly

    Use instead:
        | tool | job |
        | --- | --- |
        | pytest, pytest-randomly | tests, in random order |

    How to fix:
    Add a row for the tool to the tool-stack table of RULES.md, saying what job it does
    (or name it in the row of the job it belongs to), or remove the dependency. A new tool
    for a job another tool already does needs a migration plan.

    Options:
    In `[tool.agentrails.context]`:

    - `stack-file` (default "RULES.md"): the file with the tool-stack table.
    - `stack-heading` (default "Tool stack"): the heading of that table.
    """

    code = "AR406"
    summary = "dependency or hook repository missing from the tool-stack table"
    warn_by_default = True

    def check_project(self, facts: Mapping[str, FileFacts], ctx: RuleContext) -> Iterable[Finding]:
        stack_file = ctx.options["stack-file"]
        listed = _read_listed(ctx.root, stack_file, ctx.options["stack-heading"])
        if listed is None:
            return
        for path, reader in SOURCES:
            text = _read(ctx.root, path)
            if text is None or path not in facts:
                continue
            for declared in reader(text):
                if not declared.aliases & listed:
                    yield _finding(self.code, path, declared=declared, stack_file=stack_file)


def _finding(code: str, path: str, *, declared: Declared, stack_file: str) -> Finding:
    return Finding(path, declared.line, 1, code,
                   f"{declared.name} ({declared.where}) is not in the tool stack of "
                   f"{stack_file}: add it with the job it does", symbol=declared.name)


def _read_listed(root: str, stack_file: str, heading: str) -> set[str] | None:
    text = _read(root, stack_file)
    return None if text is None else stack_names(split_lines(text), heading)


def _read(root: str, path: str) -> str | None:
    try:
        with open(os.path.join(root, path), encoding="utf-8") as handle:
            return handle.read()
    except (OSError, UnicodeDecodeError):
        return None
