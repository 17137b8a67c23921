"""What a warm run remembers and how it knows a memory still holds: a file's stat
signature, the rule that says when a signature can be trusted, and plain data kept on disk.

Every memo of agentrails (the facts cache, the walk, git's answer, parsed TOML, the entry
points, the parsed baseline) is built on these three pieces, so there is one of each:

- ``signature``: (mtime ns, ctime ns, inode, size) of a path, as git's index keeps it. A
  file or folder whose signature is unchanged was not written, so what was learnt from it
  holds.
- ``settled``/``trusted``: a signature taken too close to the moment the memo was made
  cannot be trusted (a change in the same clock tick would leave it equal, git's "racy"
  case), so it is remembered as ``UNSETTLED``, which no path ever has.
- ``load``/``dump`` (and ``recall``/``remember``, which keep a value under a key that must
  match): pickled plain data (builtin containers and scalars, and agentrails' own named
  tuples), replaced atomically. The one loader refuses every other global a pickle names,
  so a planted file cannot run code or build an object of any other class; anything
  unreadable loads as None, which every memo treats as "not remembered".
"""

from __future__ import annotations

import os
import pickle

Signature = tuple[int, int, int, int]
"""(mtime in ns, ctime in ns, inode, size) of a file or a folder."""

UNSETTLED: Signature = (-1, -1, -1, -1)
"""Stands for a signature that was too recent to trust: no path has it."""

_FINE_WINDOW_NS = 100_000_000
"""How close to the memo's time a sub-second timestamp is still racy (a clock tick is at
most 10 ms)."""
_COARSE_WINDOW_NS = 2_000_000_000
"""The same for whole-second timestamps (FAT keeps two-second times)."""


def signature(path: str) -> Signature | None:
    """The signature of ``path``, None when it cannot be stat'ed."""
    try:
        return stat_signature(os.stat(path))
    except OSError:
        return None


def stat_signature(info: os.stat_result) -> Signature:
    """The signature of a ``stat`` result."""
    return info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_size


def settled(sig: Signature, taken: int) -> bool:
    """True when a change after ``taken`` (ns since the epoch) must give another signature:
    the newer of its two times lies a clock tick (two seconds for whole-second times)
    before ``taken``."""
    newest = max(sig[0], sig[1])
    whole_seconds = sig[0] % 1_000_000_000 == 0 and sig[1] % 1_000_000_000 == 0
    return newest < taken - (_COARSE_WINDOW_NS if whole_seconds else _FINE_WINDOW_NS)


def trusted(sig: Signature | None, taken: int) -> Signature | None:
    """``sig`` to remember, or ``UNSETTLED`` when it is too recent to trust (None stays)."""
    return sig if sig is None or settled(sig, taken) else UNSETTLED


def user_memo_folder() -> str:
    """Where agentrails keeps its per-user memos: ``$XDG_CACHE_HOME/agentrails``, else
    ``~/.cache/agentrails``."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "agentrails")


class _PlainUnpickler(pickle.Unpickler):
    """Builtin containers and scalars need no global; the only globals allowed are
    agentrails' own named tuples (the records families keep as facts), which build
    nothing but a tuple."""

    def find_class(self, module: str, name: str) -> object:
        if module.partition(".")[0] == "agentrails":
            found = super().find_class(module, name)
            if isinstance(found, type) and issubclass(found, tuple):
                return found
        raise pickle.UnpicklingError(f"refusing {module}.{name}: plain data only")


def load(path: str) -> object | None:
    """What ``path`` holds, or None when it is missing, damaged or not plain data."""
    try:
        with open(path, "rb") as handle:
            return _PlainUnpickler(handle).load()
    except Exception:  # noqa: BLE001 - truncated, corrupt or foreign: the same as missing
        return None


def loads(data: bytes) -> object | None:
    """The plain value ``data`` holds (as ``dumps`` wrote it), None when it holds anything
    else or is damaged."""
    import io

    try:
        return _PlainUnpickler(io.BytesIO(data)).load()
    except Exception:  # noqa: BLE001 - damaged or foreign: the same as nothing
        return None


def dumps(value: object) -> bytes:
    """``value`` (plain data only) as bytes for ``loads``."""
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


def dump(path: str, value: object) -> None:
    """Write ``value`` to ``path`` atomically (the directory must exist); raises OSError."""
    atomic_write(path, dumps(value))


def recall(path: str, key: object) -> object | None:
    """The value ``remember`` kept at ``path`` under ``key``; None when there is none, the
    file is damaged, or it was kept under another key (another version, another file)."""
    found = load(path)
    if type(found) is tuple and len(found) == 2 and found[0] == key:
        return found[1]
    return None


def remember(path: str, key: object, value: object) -> None:
    """Keep ``value`` at ``path`` under ``key``, making the folder. A memo that cannot be
    written is only one the next run does without, so failing is silent."""
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        dump(path, (key, value))
    except OSError:
        pass


def atomic_write(path: str, data: bytes) -> None:
    """Replace ``path`` with ``data`` through a temporary file and a rename, so a reader
    never sees half of it."""
    directory, name = os.path.split(path)
    temporary = os.path.join(directory, f".tmp-{name}-{os.urandom(6).hex()}")
    try:
        with open(temporary, "xb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except BaseException:
        import contextlib

        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
