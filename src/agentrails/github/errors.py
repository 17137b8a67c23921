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
    """``text`` with ``secret`` replaced by ``***`` in every spelling a message can show it:
    as it is and stripped of surrounding blanks, escaped as Python (``repr``, bytes ``repr``,
    ``unicode_escape``) or JSON writes it, and percent-encoded as in a URL."""
    if not secret:
        return text
    for spelling in spellings(secret):
        text = text.replace(spelling, REDACTED)
    return text


def spellings(secret: str) -> list[str]:
    """The forms of ``secret`` an error message may hold, longest first."""
    import json
    import urllib.parse

    plain = {secret, secret.strip()} - {""}
    found = set(plain)
    for form in plain:
        found |= {repr(form)[1:-1], repr(form.encode("utf-8"))[2:-1],
                  form.encode("unicode_escape").decode("ascii"), json.dumps(form)[1:-1],
                  json.dumps(form, ensure_ascii=False)[1:-1],
                  urllib.parse.quote(form, safe=""), urllib.parse.quote_plus(form)}
    return sorted(found - {""}, key=len, reverse=True)
