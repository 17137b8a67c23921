"""Errors of the GitHub commands, and the redaction that keeps the token out of every message."""

from __future__ import annotations

REDACTED = "***"


class ConfigError(Exception):
    """A usage or configuration problem (no token, no repository, a bad ruleset file): exit 2."""


class Refused(Exception):
    """A promotion the gate does not allow (red or missing checks, not a fast-forward): exit 1.
    ``str()`` is one line; ``reasons`` lists every reason."""

    def __init__(self, message: str, reasons: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.reasons = reasons


class GitHubError(Exception):
    """A request that failed for good. ``str()`` is a message for people, without the token."""

    def __init__(self, message: str, status: int | None = None, github_message: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.github_message = github_message


def redact(text: str, secret: str | None) -> str:
    """``text`` with every occurrence of ``secret`` replaced by ``***``."""
    if not secret:
        return text
    return text.replace(secret, REDACTED)
