"""Text helpers: an example module with a property-based test. Replace it with a real one."""

from __future__ import annotations

import re
import unicodedata

_NOT_WORD = re.compile(r"[^a-z0-9]+")


def slugify(text: str, max_length: int = 64) -> str:
    """Return the ASCII words of ``text``, lowercased and joined by single hyphens.

    Accents are folded ("Crème brûlée" gives "creme-brulee"); every other character that is
    not a letter or a digit separates words. The result is at most ``max_length`` characters,
    never starts or ends with a hyphen, and slugifying it again returns it unchanged.
    """
    if max_length < 1:
        raise ValueError(f"max_length must be at least 1, got {max_length}")
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = _NOT_WORD.sub("-", folded.lower()).strip("-")
    return slug[:max_length].rstrip("-")
