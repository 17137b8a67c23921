"""Plain data on disk: builtin containers and scalars only, pickled, replaced atomically.

The loader refuses every global a pickle names, so a planted file can hold nothing but
tuples, lists, dicts, sets, strings, bytes, numbers, booleans and None: it cannot run code
or build objects of any class. Anything unreadable loads as None.
"""

from __future__ import annotations

import os
import pickle


class _PlainUnpickler(pickle.Unpickler):
    """Builtin containers and scalars need no global; anything that does is refused."""

    def find_class(self, module: str, name: str) -> object:
        raise pickle.UnpicklingError(f"refusing {module}.{name}: plain data only")


def user_memo_folder() -> str:
    """Where agentrails keeps its per-user memos: ``$XDG_CACHE_HOME/agentrails``, else
    ``~/.cache/agentrails``."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "agentrails")


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
    atomic_write(path, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))


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
