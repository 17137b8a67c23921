"""The pipeline: strip, flag and defang each line, bound the length, fence.

``sanitize(sanitize(x)) == sanitize(x)``: every step is idempotent on its own output, a
fenced block this function made is unwrapped before its content is cleaned again (the
content is cleaned all the same, so a look-alike block gains nothing), and a cut text plus
its marker already fits the bound the second time.
"""

from __future__ import annotations

import re
from typing import Literal

from agentrails.sanitize.defang import defang, readable
from agentrails.sanitize.flags import FLAG, looks_like_instruction
from agentrails.sanitize.strip import strip

DEFAULT_MAX_CHARS = 20_000
MIN_MAX_CHARS = 200
"""Room for the fence and the truncation marker."""

INFO = "text"
_BACKTICKS = re.compile(r"`+")

Keep = Literal["head", "tail"]


def clean_line(line: str) -> str:
    """One line flagged (if it reads like an instruction) and defanged."""
    flagged = line.startswith(FLAG) or looks_like_instruction(readable(line))
    body = line[len(FLAG):] if line.startswith(FLAG) else line
    return (FLAG if flagged else "") + defang(body)


def clean(text: str) -> str:
    """``text`` stripped, each line flagged and defanged, trailing blank lines dropped."""
    lines = strip(text).rstrip("\n").split("\n")
    return "\n".join(clean_line(line) for line in lines)


def fence_for(content: str) -> str:
    """A backtick fence longer than any run of backticks in ``content`` (at least three)."""
    longest = max((len(run) for run in _BACKTICKS.findall(content)), default=0)
    return "`" * max(3, longest + 1)


def fenced(content: str) -> str:
    """``content`` as one fenced code block, which GitHub renders as literal text."""
    fence = fence_for(content)
    return f"{fence}{INFO}\n{content}\n{fence}\n"


def unwrap(text: str) -> str:
    """The content of a block exactly as ``fenced`` writes it; else ``text`` unchanged."""
    body = text[:-1] if text.endswith("\n") else text
    first, _, rest = body.partition("\n")
    content, _, last = rest.rpartition("\n")
    if first == last + INFO and last.startswith("```") and fence_for(content) == last:
        return content
    return text


def cut_marker(omitted: int, keep: Keep) -> str:
    """The line that says how much was cut, and where."""
    where = "end" if keep == "head" else "start"
    return f"✂ agentrails sanitize: {omitted} characters cut from the {where} ✂"


def _render(raw: str, *, fence: bool, cut: tuple[int, Keep] | None = None) -> str:
    """Clean ``raw`` (already stripped), add the cut marker, fence."""
    content = clean(raw)
    if cut is not None:
        parts = [content, cut_marker(*cut)] if cut[1] == "head" else [cut_marker(*cut), content]
        content = "\n".join(part for part in parts if part)
    return fenced(content) if fence else content + "\n"


def _shortened(raw: str, size: int, keep: Keep) -> str:
    return raw[:size] if keep == "head" else raw[len(raw) - size:]


def sanitize(
    text: str, max_chars: int = DEFAULT_MAX_CHARS, *, fence: bool = True, keep: Keep = "head"
) -> str:
    """Untrusted ``text`` made safe to post on GitHub or hand to an agent, at most
    ``max_chars`` characters long; ``keep`` says which end survives a cut."""
    if max_chars < MIN_MAX_CHARS:
        raise ValueError(f"max_chars must be at least {MIN_MAX_CHARS}, got {max_chars}")
    raw = strip(unwrap(strip(text)) if fence else text).rstrip("\n")
    if len(raw) < max_chars:
        whole = _render(raw, fence=fence)
        if len(whole) <= max_chars:
            return whole
    low, high = 0, min(len(raw), max_chars)
    best = _render("", fence=fence, cut=(len(raw), keep))
    while low < high:  # the longest kept part whose rendering fits (cleaning only grows text)
        size = (low + high + 1) // 2
        rendered = _render(_shortened(raw, size, keep), fence=fence, cut=(len(raw) - size, keep))
        if len(rendered) <= max_chars:
            low, best = size, rendered
        else:
            high = size - 1
    return best
