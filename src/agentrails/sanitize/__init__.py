"""``agentrails sanitize``: make untrusted text (logs, exception strings, issue bodies) safe to
hand to an agent or post on GitHub."""

from agentrails.sanitize.core import DEFAULT_MAX_CHARS, MIN_MAX_CHARS, clean, sanitize
from agentrails.sanitize.flags import FLAG, PATTERNS

__all__ = ["DEFAULT_MAX_CHARS", "FLAG", "MIN_MAX_CHARS", "PATTERNS", "clean", "sanitize"]
