"""Progress on stderr, only on an interactive terminal and never in CI."""

from __future__ import annotations

import os
import sys
import time


class Progress:
    """Counts finished files; starts drawing after ``delay`` seconds, erases itself at the end."""

    def __init__(self, total: int, delay: float = 1.0):
        self.total = total
        self.done = 0
        self._start = time.monotonic()
        self._delay = delay
        self._drawn = False
        self._last = 0.0
        self.enabled = total > 0 and shown_here()

    def advance(self, count: int = 1) -> None:
        """Record ``count`` more files; redraw at most ten times a second."""
        self.done += count
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self._start < self._delay or now - self._last < 0.1:
            return
        self._last = now
        self._drawn = True
        sys.stderr.write(f"\ragentrails: analysed {self.done}/{self.total} files")
        sys.stderr.flush()

    def close(self) -> None:
        """Erase the line if one was drawn."""
        if self._drawn:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()


def shown_here() -> bool:
    """True on an interactive stderr outside CI (``CI`` unset) with a usable TERM."""
    if os.environ.get("CI") or os.environ.get("TERM") == "dumb":
        return False
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False
