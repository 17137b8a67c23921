"""Lines as editors, git and Python's tokenizer count them: broken at ``\\r\\n``, ``\\r`` and
``\\n`` only, never at the form feeds, vertical tabs or Unicode separators (U+2028, U+0085)
that ``str.splitlines`` also breaks at."""

from __future__ import annotations

import re

_NEWLINE = re.compile(r"\r\n|\r|\n")


def split_lines(text: str) -> list[str]:
    """The lines of ``text`` without their endings; a final line ending adds no line."""
    lines = _NEWLINE.split(text)
    if lines[-1] == "":
        lines.pop()
    return lines
