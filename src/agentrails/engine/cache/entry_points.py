"""A memo of the ``agentrails.families`` entry points, so a warm run skips importing
``importlib.metadata`` (about 45 ms, a tenth of a warm run).

The memo lives in the user's cache directory, one file per Python environment, and holds
the entry points under a key made of the Python version, the environment's prefix and the
signature of every ``site-packages`` directory on ``sys.path``: installing, upgrading or
removing a distribution adds or removes a ``*.dist-info`` directory there and so changes
the key. A folder changed too recently to trust (``agentrails.engine.cache.memo``) keeps
the entry points from being remembered. A missing, stale or unreadable memo just means
asking ``importlib.metadata`` again.
"""

from __future__ import annotations

import os
import sys
import zlib
from pathlib import Path

from agentrails.engine.cache.memo import recall, remember, settled, signature, user_memo_folder

EntryPoints = list[tuple[str, str]]
MEMO_VERSION = 2


def memo_path() -> Path:
    """``$XDG_CACHE_HOME/agentrails`` (else ``~/.cache/agentrails``), one file per prefix."""
    digest = f"{zlib.crc32(sys.prefix.encode()):08x}{zlib.adler32(sys.prefix.encode()):08x}"
    return Path(user_memo_folder()) / f"entry-points-{digest}.memo"


def environment_key() -> tuple[object, ...]:
    """What must not change for the memo to stay true: the version, the prefix, and each
    ``site-packages`` folder on ``sys.path`` with its signature."""
    sites = tuple(
        (entry, signature(entry)) for entry in sys.path
        # the script's folder or the working directory hold no distributions
        if os.path.basename(entry.rstrip(os.sep)) in ("site-packages", "dist-packages")
    )
    return MEMO_VERSION, sys.version, sys.prefix, sites


def read(group: str) -> EntryPoints | None:
    """The remembered (name, value) pairs of ``group``, or None when there is no true memo."""
    groups = recall(str(memo_path()), environment_key())
    found = groups.get(group) if type(groups) is dict else None
    if type(found) is not list or not all(type(pair) is list and len(pair) == 2
                                          for pair in found):
        return None
    return [(str(name), str(value)) for name, value in found]


def write(group: str, found: EntryPoints, *, taken: int) -> None:
    """Remember ``found``, read from the environment as it was at ``taken`` (ns since the
    epoch), unless a ``site-packages`` folder changed too recently to trust; failing to
    write is not an error."""
    key = environment_key()
    sites: tuple[tuple[str, object], ...] = key[-1]  # type: ignore[assignment]
    if all(sig is None or settled(sig, taken) for _, sig in sites):  # type: ignore[arg-type]
        remember(str(memo_path()), key, {group: [list(item) for item in found]})
