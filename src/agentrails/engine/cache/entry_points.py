"""A memo of the ``agentrails.families`` entry points, so a warm run skips importing
``importlib.metadata`` (about 45 ms, a tenth of a warm run).

The memo lives in the user's cache directory, one file per Python environment, and holds
the entry points with a key made of the Python version, the environment's prefix and the
modification time of every ``site-packages`` directory on ``sys.path``: installing,
upgrading or removing a distribution adds or removes a ``*.dist-info`` directory there and
so changes the key. A missing, stale or unreadable memo just means asking
``importlib.metadata`` again. It is plain data (see ``agentrails.engine.cache.memo``), so reading
it needs neither json nor hashlib.
"""

from __future__ import annotations

import os
import sys
import zlib
from pathlib import Path

from agentrails.engine.cache import memo as plain

EntryPoints = list[tuple[str, str]]


def memo_path() -> Path:
    """``$XDG_CACHE_HOME/agentrails`` (else ``~/.cache/agentrails``), one file per prefix."""
    digest = f"{zlib.crc32(sys.prefix.encode()):08x}{zlib.adler32(sys.prefix.encode()):08x}"
    return Path(plain.user_memo_folder()) / f"entry-points-{digest}.memo"


def environment_key() -> list[object]:
    """What must not change for the memo to stay true."""
    key: list[object] = [sys.version, sys.prefix]
    for entry in sys.path:
        if os.path.basename(entry.rstrip(os.sep)) not in ("site-packages", "dist-packages"):
            continue  # the script's folder or the working directory: no distributions
        try:
            key.append([entry, os.stat(entry).st_mtime_ns])
        except OSError:
            key.append([entry, None])
    return key


def read(group: str) -> EntryPoints | None:
    """The remembered (name, value) pairs of ``group``, or None when there is no true memo."""
    data = plain.load(str(memo_path()))
    if not isinstance(data, dict) or data.get("key") != environment_key():
        return None
    groups = data.get("groups")
    found = groups.get(group) if isinstance(groups, dict) else None
    if not isinstance(found, list):
        return None
    return [(str(name), str(value)) for name, value in found]


def write(group: str, found: EntryPoints) -> None:
    """Remember ``found`` for this environment; failing to write is not an error."""
    target = memo_path()
    data = {"key": environment_key(), "groups": {group: [list(item) for item in found]}}
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        plain.dump(str(target), data)
    except OSError:
        pass
