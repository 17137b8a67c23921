"""One exception hierarchy: every error a user can see is an ``AgentrailsError`` of one of
four kinds, and the CLI alone turns its type into the exit code."""

from __future__ import annotations

import ast

import pytest

from agentrails import errors
from agentrails.engine.baseline.entries import BaselineError
from agentrails.engine.config import settings
from agentrails.engine.config.tomlfile import TomlError
from agentrails.engine.selection import SelectionError
from agentrails.github import errors as github_errors
from agentrails.hooks.claude_input import HookInputError
from agentrails.report import SnapshotError
from agentrails.selfheal.gitops import GitError
from agentrails.selfheal.incident import PayloadError
from tests.helpers.paths import SRC

INTERNAL = {
    "PartialFacts": "a collector's partial result, turned into AR002 by the engine",
    "TooComplex": "a command line too long or deep to read in time: guard-paths refuses it",
    "RulesetsUnavailable": "the plan falls back to classic protection",
    "ContentError": "a file read from GitHub that the fleet view reports per repository",
    "AnswersError": "an answers file the fleet view reports per repository",
    "LimitError": "a value past a bound: the TOML and baseline readers raise it as their own",
    "ForwarderError": "the Sentry forwarder runs where agentrails is not installed (the standard "
                      "library only); `agentrails self-heal forward` raises it as a ConfigError",
}
"""Exception classes that never reach a user: each is caught where it is raised."""


@pytest.mark.parametrize(("error", "kind"), [
    (settings.ConfigError, errors.ConfigError),
    (github_errors.ConfigError, errors.ConfigError),
    (github_errors.GitHubError, errors.GitHubError),
    (github_errors.Refused, errors.Refused),
    (BaselineError, errors.ConfigError),
    (SelectionError, errors.ConfigError),
    (TomlError, errors.ConfigError),
    (SnapshotError, errors.UsageError),
    (HookInputError, errors.HookError),
    (PayloadError, errors.UsageError),
    (GitError, errors.AgentrailsError),
])
def test_each_error_a_user_sees_has_its_kind(error: type, kind: type) -> None:
    assert issubclass(error, kind) and issubclass(kind, errors.AgentrailsError)


def test_no_module_defines_an_error_outside_the_hierarchy() -> None:
    """A new exception class either derives from an agentrails error or is listed as
    internal, with the reason it never reaches a user."""
    outside = []
    for path in sorted((SRC / "agentrails").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and node.name not in INTERNAL:
                bases = {base.id for base in node.bases if isinstance(base, ast.Name)}
                if bases & {"Exception", "ValueError", "RuntimeError", "OSError"}:
                    outside.append(f"{path.relative_to(SRC)}: {node.name}")
    assert outside == ["agentrails/errors.py: AgentrailsError"]


def test_details_and_reasons() -> None:
    refused = errors.Refused("refused: production stays", details=("gate: failed",))
    assert str(refused) == "refused: production stays" and refused.reasons == ("gate: failed",)
    assert errors.UsageError("x").details == ()
    github = errors.GitHubError("GitHub said no", 422, "Validation Failed")
    assert (github.status, github.github_message, str(github)) == (422, "Validation Failed",
                                                                   "GitHub said no")
