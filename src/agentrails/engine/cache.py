"""Content-hash cache of per-file facts in ``.agentrails_cache/``.

Each entry is one file named by a hash of (agentrails version, Python version, the
collectors' fingerprint, the path and the content). Writes go to a temporary file that is
then renamed over the target, so readers never see half an entry and two concurrent runs
at worst write the same entry twice. Anything unreadable is treated as a miss.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from pathlib import Path

from agentrails import __version__
from agentrails.engine.facts import FileFacts

CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by agentrails.\n"
    "# For information about cache directory tags see https://bford.info/cachedir/\n"
)
FORMAT = "v1"


_SAFE_BUILTINS = frozenset({"set", "frozenset", "tuple", "list", "dict", "int", "float", "str"})


class _SafeUnpickler(pickle.Unpickler):
    """Loads only agentrails' own classes and plain containers, so a planted cache entry
    cannot run code."""

    def find_class(self, module: str, name: str) -> object:
        if module.split(".")[0] == "agentrails" or (module == "builtins" and name in _SAFE_BUILTINS):
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"refusing {module}.{name} from the cache")


class Cache:
    """Facts by content key. ``enabled=False`` makes every lookup a miss and stores nothing."""

    def __init__(self, directory: Path, fingerprint: str, enabled: bool = True):
        self.directory = directory
        self.enabled = enabled
        self._salt = f"{__version__}\0{sys.version_info[:3]}\0{fingerprint}\0".encode()
        self._entries = directory / FORMAT
        self._ready = False

    def key(self, path: str, data: bytes) -> str:
        """The entry name for ``path`` holding ``data``."""
        digest = hashlib.blake2b(self._salt, digest_size=20)
        digest.update(path.encode("utf-8", "surrogateescape"))
        digest.update(b"\0")
        digest.update(data)
        return digest.hexdigest()

    def get(self, key: str) -> FileFacts | None:
        """The cached facts, or None for a miss or a corrupt entry."""
        if not self.enabled:
            return None
        try:
            with open(self._entries / key[:2] / key, "rb") as handle:
                facts = _SafeUnpickler(handle).load()
        except Exception:  # noqa: BLE001 - a truncated or foreign entry is just a miss
            return None
        return facts if isinstance(facts, FileFacts) else None

    def put(self, key: str, facts: FileFacts) -> None:
        """Store atomically; a failure to write (read-only disk, full disk) is not an error."""
        if not self.enabled:
            return
        try:
            self._prepare()
            folder = self._entries / key[:2]
            folder.mkdir(exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=folder, prefix=".tmp-")
            try:
                with os.fdopen(handle, "wb") as stream:
                    pickle.dump(facts, stream, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(temporary, folder / key)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
        except OSError:
            self.enabled = False

    def _prepare(self) -> None:
        if self._ready:
            return
        self._entries.mkdir(parents=True, exist_ok=True)
        tag = self.directory / "CACHEDIR.TAG"
        if not tag.exists():
            _atomic_write(tag, CACHEDIR_TAG.encode())
        ignore = self.directory / ".gitignore"
        if not ignore.exists():
            _atomic_write(ignore, b"# Created by agentrails.\n*\n")
        self._ready = True


def _atomic_write(target: Path, data: bytes) -> None:
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
    with os.fdopen(handle, "wb") as stream:
        stream.write(data)
    os.replace(temporary, target)
