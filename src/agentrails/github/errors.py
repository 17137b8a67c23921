"""The errors the GitHub part raises (from the common hierarchy, ``agentrails.errors``), and
the redaction that keeps the token out of every message."""

from __future__ import annotations

from agentrails.errors import ConfigError, GitHubError, Refused

__all__ = ["REDACTED", "ConfigError", "GitHubError", "Refused", "redact"]

REDACTED = "***"


def redact(text: str, secret: str | None) -> str:
    """``text`` with every occurrence of ``secret`` replaced by ``***``."""
    if not secret:
        return text
    return text.replace(secret, REDACTED)
