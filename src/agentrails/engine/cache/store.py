"""Content-hash cache of per-file facts in ``.agentrails_cache/``.

The facts of every file of a project live in one pack per collector fingerprint,
``v4/<fingerprint>.pack``: a pickled mapping path -> (content key, stat signature, row),
where the row is the file's facts as plain data (``FileFacts.row``), so loading the pack
builds tuples, not objects. The content key hashes the agentrails version, the Python
version, the fingerprint, the path and the bytes, so a file is re-analysed exactly when one
of them changes; an unchanged stat signature skips reading and hashing it, as git's index
does. One pack makes a warm run a single read. It is replaced atomically (a temporary file
renamed over it), so readers never see half a pack, and two runs at once at worst each
write a complete, valid pack. Anything unreadable is a miss, and the next write rebuilds it.
A run killed while writing leaves its temporary file behind; a later save removes
temporaries older than ``STALE_TEMPORARY_S``. The same folder holds discovery's memo of
its last walk or git's last answer (``tree.memo``, ``git.memo``; see
``agentrails.engine.discovery.files``).
"""

from __future__ import annotations

import pickle
import sys
import time
from pathlib import Path

from agentrails import __version__
from agentrails.engine.cache import memo as plain
from agentrails.engine.cache.digest import blake2b
from agentrails.engine.facts import FileFacts, Row

CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by agentrails.\n"
    "# For information about cache directory tags see https://bford.info/cachedir/\n"
)
FORMAT = "v4"
_SAFE_BUILTINS = frozenset({"set", "frozenset", "tuple", "list", "dict", "int", "float", "str"})

Signature = tuple[int, int, int]
"""(mtime in ns, size, inode): an untouched file skips reading and hashing, as in git's index."""
Entry = tuple[str, "Signature | None", Row]
Pack = dict[str, Entry]
RACY_NS = 2_000_000_000
"""A file modified this close to when it was cached must be hashed again (git's "racy" rule)."""
STALE_TEMPORARY_S = 600
"""A temporary file this old was left by a writer that was killed; the next save removes it
(a live writer finishes a pack in seconds)."""


def memo_folder(directory: Path) -> str:
    """Where discovery keeps its memos (``tree.memo``, ``git.memo``) in the cache
    ``directory``."""
    return str(directory / FORMAT)


class _SafeUnpickler(pickle.Unpickler):
    """Loads only agentrails' own classes (the facts a family keeps in objects) and plain
    containers, so a planted cache file cannot run code."""

    def find_class(self, module: str, name: str) -> object:
        ours = module.split(".")[0] == "agentrails"
        if ours or (module == "builtins" and name in _SAFE_BUILTINS):
            found = super().find_class(module, name)
            if isinstance(found, type):  # a function (agentrails.cli.main) could act when called
                return found
        raise pickle.UnpicklingError(f"refusing {module}.{name} from the cache")


class Cache:
    """Facts by path and content key. ``enabled=False`` misses always and writes nothing."""

    def __init__(self, directory: Path, fingerprint: str, enabled: bool = True):
        self.directory = directory
        self.enabled = enabled
        self._salt = f"{__version__}\0{sys.version_info[:3]}\0{fingerprint}\0".encode()
        name = blake2b(self._salt, digest_size=8).hexdigest()
        self.pack_path = directory / FORMAT / f"{name}.pack"
        self._old: Pack | None = None
        self._new: Pack = {}
        self._dirty = False

    def key(self, path: str, data: bytes) -> str:
        """The content key of ``path`` holding ``data``."""
        digest = blake2b(self._salt, digest_size=20)
        digest.update(path.encode("utf-8", "surrogateescape"))
        digest.update(b"\0")
        digest.update(data)
        return digest.hexdigest()

    def by_signature(self, path: str, signature: Signature) -> FileFacts | None:
        """The cached facts if the file's stat signature is exactly the one recorded."""
        if not self.enabled:
            return None
        entry = self._load().get(path)
        if type(entry) is not tuple or len(entry) != 3 or entry[1] != signature:
            return None  # a missing, foreign or racy (signature None) entry, or a changed file
        facts = _facts(path, entry)
        if facts is not None:
            self._new[path] = entry
        return facts

    def get(self, path: str, key: str, signature: Signature | None = None) -> FileFacts | None:
        """The cached facts for ``path`` if its content key is unchanged, else None."""
        if not self.enabled:
            return None
        entry = self._entry(path)
        if entry is None or entry[0] != key:
            return None
        facts = _facts(path, entry)
        if facts is not None:
            self._new[path] = (key, _settled(signature), entry[2])
            self._dirty = self._dirty or entry[1] != self._new[path][1]
        return facts

    def put(
        self, path: str, key: str, facts: FileFacts, signature: Signature | None = None
    ) -> None:
        """Remember fresh facts; ``save`` writes them."""
        self._new[path] = (key, _settled(signature), facts.row())
        self._dirty = True

    def save(self, keep: set[str] | None = None) -> None:
        """Write the pack: this run's entries, plus old entries for paths in ``keep``.

        ``keep`` is every file the project still has, so entries of deleted files are dropped
        while entries of files this run did not read survive. Failure to write is not an error.
        """
        if not self.enabled:
            return
        old = self._load()
        merged = {p: e for p, e in old.items() if keep is None or p in keep}
        merged.update(self._new)
        if not self._dirty and merged.keys() == old.keys():
            return
        try:
            self._prepare()
            data = pickle.dumps(merged, protocol=pickle.HIGHEST_PROTOCOL)
            plain.atomic_write(str(self.pack_path), data)
        except OSError:
            self.enabled = False

    def _entry(self, path: str) -> Entry | None:
        entry = self._load().get(path)
        return entry if type(entry) is tuple and len(entry) == 3 else None

    def load(self) -> None:
        """Read the pack now (otherwise the first lookup does)."""
        self._load()

    def _load(self) -> Pack:
        if self._old is None:
            self._old = {}
            try:
                with open(self.pack_path, "rb") as handle:
                    loaded = _SafeUnpickler(handle).load()
            except Exception:  # noqa: BLE001 - truncated, corrupt or foreign: a miss
                loaded = None
            if isinstance(loaded, dict):
                self._old = loaded
        return self._old

    def _prepare(self) -> None:
        self.pack_path.parent.mkdir(parents=True, exist_ok=True)
        for folder in (self.directory, self.pack_path.parent):
            _remove_stale_temporaries(folder)
        tag = self.directory / "CACHEDIR.TAG"
        if not tag.exists():
            plain.atomic_write(str(tag), CACHEDIR_TAG.encode())
        ignore = self.directory / ".gitignore"
        if not ignore.exists():
            plain.atomic_write(str(ignore), b"# Created by agentrails.\n*\n")


def _facts(path: str, entry: Entry) -> FileFacts | None:
    """The facts an entry holds, None when it is not an entry of this format."""
    row = entry[2]
    if type(row) is not tuple:
        return None
    try:
        facts = FileFacts.from_row(path, row)
    except (TypeError, ValueError):
        return None
    if type(facts.families) is not dict or type(facts.noqa) is not dict:
        return None
    return facts


def _settled(signature: Signature | None) -> Signature | None:
    """The signature, unless the file changed so recently that a same-size edit could hide."""
    if signature is None or time.time_ns() - signature[0] < RACY_NS:
        return None
    return signature


def _remove_stale_temporaries(folder: Path) -> None:
    cutoff = time.time() - STALE_TEMPORARY_S
    for leftover in folder.glob(".tmp-*"):
        try:
            if leftover.stat().st_mtime < cutoff:
                leftover.unlink()
        except OSError:
            continue  # gone already, or not ours to remove
