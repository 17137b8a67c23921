"""How the platform spells paths, so the guard compares them as the file system would.

On Windows a path may use backslashes or slashes, a drive letter in either case, or the
``/c/...`` form of Git Bash, where Claude Code runs its Bash tool. On Windows and macOS the
default file systems ignore case, so ``.GitHub/Workflows`` is ``.github/workflows``. Folding
case on a case-sensitive macOS volume only makes the guard stricter, never looser.
"""

from __future__ import annotations

import ntpath
import os
import posixpath
import re
import sys
from dataclasses import dataclass

_GIT_BASH_DRIVE = re.compile(r"^[/\\]([A-Za-z])(?=[/\\]|$)")
_DRIVE = re.compile(r"^[A-Za-z]:")
_VERBATIM = "\\\\?\\"


@dataclass(frozen=True)
class PathRules:
    """Path syntax and case rules of one platform.

    ``native`` is True when they are this machine's own, so paths can be looked up on disk
    (symlinks resolved); a forced platform (tests) folds ``..`` as text instead.
    """

    windows: bool
    fold_case: bool
    native: bool = True

    def spell(self, path: str) -> str:
        """``path`` in the platform's own spelling (Windows: backslashes, ``C:``)."""
        if not self.windows:
            return path
        if path.startswith(_VERBATIM):
            path = path[len(_VERBATIM):]
        path = _GIT_BASH_DRIVE.sub(lambda m: m[1] + ":", path.replace("/", "\\"), count=1)
        return path[0].upper() + path[1:] if _DRIVE.match(path) else path

    def absolute(self, target: str, start: str) -> str:
        """``target`` taken from the folder ``start``: absolute, ``..`` folded, and on this
        machine's own platform with symlinks resolved."""
        flavour = ntpath if self.windows else posixpath
        joined = flavour.join(self.spell(start), self.spell(target))
        return os.path.realpath(joined) if self.native else flavour.normpath(joined)

    def relative(self, full: str, root: str) -> str | None:
        """``full`` (absolute) relative to ``root`` as a POSIX path, None when outside it."""
        parts, base = self._parts(full), self._parts(root)
        if len(parts) < len(base) or [self._key(p) for p in parts[:len(base)]] != [
            self._key(p) for p in base
        ]:
            return None
        return "/".join(parts[len(base):])

    def _parts(self, path: str) -> list[str]:
        flavour = ntpath if self.windows else posixpath
        drive, rest = flavour.splitdrive(flavour.normpath(self.spell(path)))
        names = [name for name in re.split(r"[\\/]" if self.windows else "/", rest) if name]
        return [drive.upper(), *names] if drive else names

    def _key(self, name: str) -> str:
        return name.casefold() if self.fold_case else name


def host_rules(platform: str | None = None) -> PathRules:
    """The rules of ``platform`` (default: this machine's ``sys.platform``)."""
    chosen = sys.platform if platform is None else platform
    return PathRules(
        windows=chosen == "win32",
        fold_case=chosen in ("win32", "darwin"),
        native=chosen == sys.platform,
    )
