"""Remove what a terminal or a renderer would act on but a reader cannot see: ANSI escape
sequences, control characters (tabs and newlines stay), format characters (zero-width
characters, bidirectional overrides, the invisible Unicode "tag" letters used to smuggle
instructions), surrogates and variation selectors (which can hide bytes after a character)."""

from __future__ import annotations

import re
import unicodedata

ANSI = re.compile(
    r"""
      \x1b\[[0-?]*[\x20-/]*[@-~]?            # CSI: colours, cursor moves, erase
    | \x1b\][^\x07\x1b\n]*(?:\x07|\x1b\\)?  # OSC: window titles, hyperlinks
    | \x1b[PX^_][^\x1b\n]*(?:\x1b\\)?       # DCS, SOS, PM, APC strings
    | \x1b[\x20-/]*[0-~]?                   # any other escape (charset, keypad, reset)
    | \x9b[0-?]*[\x20-/]*[@-~]?             # CSI in its 8-bit form
    """,
    re.VERBOSE,
)
"""An escape sequence; an unfinished one at the end of a line is removed as far as it goes."""

_LINE_BREAKS = re.compile(r"\r\n?|[\u2028\u2029]")


def _invisible_ranges() -> str:
    """A regex character class body of every code point to drop."""
    # Planes 2 to 13 hold ideographs and 15 and 16 private use: none of them is invisible.
    planes = (*range(0x20000), *range(0xE0000, 0xE1000))
    drop = [
        i for i in planes
        if unicodedata.category(chr(i)) in ("Cc", "Cf", "Cs") and chr(i) not in "\t\n"
    ]
    # The whole tag block goes, unassigned code points included: a newer Unicode assigns
    # them, and text can hide instructions in tag characters a reader never sees.
    drop += list(range(0xFE00, 0xFE10)) + list(range(0xE0000, 0xE0080))
    drop += list(range(0xE0100, 0xE01F0))
    ranges: list[tuple[int, int]] = []
    for code in sorted(set(drop)):
        if ranges and code == ranges[-1][1] + 1:
            ranges[-1] = (ranges[-1][0], code)
        else:
            ranges.append((code, code))
    return "".join(f"\\U{a:08x}-\\U{b:08x}" if a != b else f"\\U{a:08x}" for a, b in ranges)


INVISIBLE = re.compile(f"[{_invisible_ranges()}]")
"""Control, format and surrogate characters (not tab or newline), variation selectors and the
whole tag block (U+E0000 to U+E007F)."""


def strip(text: str) -> str:
    """``text`` with line breaks made ``\\n`` and every escape sequence and invisible
    character removed."""
    text = _LINE_BREAKS.sub("\n", text)
    text = ANSI.sub("", text)
    return INVISIBLE.sub("", text)
