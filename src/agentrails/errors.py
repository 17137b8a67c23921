"""The errors agentrails reports to people: one base, one class per kind of problem.

Every error a command lets out is an ``AgentrailsError`` whose message is one line that
says what is wrong and where; the CLI prints it and turns its type into the exit code in
one place (``agentrails.cli``), so no command maps errors to exit codes itself. Errors a
module raises and handles inside itself (a too-deep command line, an unreadable answers
file) are not here: they never reach a user.

This module imports nothing of agentrails, so every layer may import it.
"""

from __future__ import annotations


class AgentrailsError(Exception):
    """A problem reported as one line, never a traceback. ``details`` are further lines
    shown under it (every reason of a refusal, for example)."""

    def __init__(self, message: str, *, details: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.details = details


class UsageError(AgentrailsError):
    """Bad arguments: a path that does not exist, a flag with a bad value, an unknown name."""


class ConfigError(AgentrailsError):
    """A configuration problem (a configuration file, the baseline, a rule's selector, a
    ruleset file, a missing token); the message names the file and the key."""


class GitHubError(AgentrailsError):
    """A request to GitHub that failed for good. ``str()`` is a message for people, without
    the token; ``status`` is the HTTP status (None when no answer came) and
    ``github_message`` what GitHub said."""

    def __init__(self, message: str, status: int | None = None, github_message: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.github_message = github_message


class HookError(AgentrailsError):
    """An agent hook that cannot do its job (its input is not the event it expects)."""


class Refused(AgentrailsError):
    """An action a gate does not allow (a promotion with red checks, not a fast-forward):
    a finding about the repository, not a usage problem, so it exits 1. ``details`` lists
    every reason."""

    @property
    def reasons(self) -> tuple[str, ...]:
        """Every reason of the refusal (its ``details``)."""
        return self.details
