"""The paths git tracks, read from the index file itself (``.git/index``) instead of from a
``git ls-files`` process.

The index format is git's (versions 2, 3 and 4, documented in git's
``Documentation/gitformat-index.txt``): a header (``DIRC``, the version, the number of
entries), the entries sorted by path, then extensions. An entry is 40 bytes of stat data,
the object name (20 bytes for SHA-1), 16 bits of flags (the low 12 the path's length) and,
in version 3 and later when the extended flag is set, 16 more; then the path. Versions 2
and 3 pad an entry with NULs to a multiple of 8 bytes; version 4 writes each path as the
number of bytes to drop from the end of the previous path and the suffix to append.
Anything this reader does not fully understand (another version or hash size, a sparse
directory entry, a required extension such as a split index) answers None, and the
caller asks git instead.
"""

from __future__ import annotations

import os
import struct

_HEADER = struct.Struct(">4sLL")
_FLAGS = struct.Struct(">H")
_STAT_BYTES = 40
_MODE_OFFSET = 24
_SHA1_BYTES = 20
_EXTENDED = 0x4000
_NAME_MASK = 0x0FFF
_SPARSE_DIRECTORY = 0o040000
_HARMLESS = (
    "GIT_SSL_", "GIT_HTTP_", "GIT_CURL_", "GIT_SSH", "GIT_PROXY_", "GIT_ASKPASS",
    "GIT_TERMINAL_PROMPT", "GIT_PAGER", "GIT_EDITOR", "GIT_SEQUENCE_EDITOR", "GIT_AUTHOR_",
    "GIT_COMMITTER_", "GIT_TRACE", "GIT_PROGRESS_DELAY", "GIT_FLUSH", "GIT_MERGE_",
)
"""``GIT_*`` variables about transport, identity, editors and tracing: none changes what
``git ls-files`` lists. Any other one sends discovery to git itself, except these, which
only say where configuration files are (``agentrails.engine.discovery.gitmemo`` watches them):"""
CONFIG_LOCATIONS = ("GIT_CONFIG_GLOBAL", "GIT_CONFIG_SYSTEM", "GIT_CONFIG_NOSYSTEM")


def tracked_paths(index_path: str) -> list[str] | None:
    """Every path in the index at ``index_path`` (decoded as git's output is, UTF-8 with
    surrogate escapes), or None when the file is missing or not a plain index."""
    try:
        with open(index_path, "rb") as handle:
            data = handle.read()
    except OSError:
        return None
    try:
        return _parse(data)
    except (struct.error, IndexError, ValueError):
        return None


def _parse(data: bytes) -> list[str] | None:
    signature, version, count = _HEADER.unpack_from(data, 0)
    if signature != b"DIRC" or version not in (2, 3, 4):
        return None
    offset, previous, paths = _HEADER.size, b"", []
    for _ in range(count):
        mode = struct.unpack_from(">L", data, offset + _MODE_OFFSET)[0]
        if mode & 0o170000 == _SPARSE_DIRECTORY:
            return None
        (flags,) = _FLAGS.unpack_from(data, offset + _STAT_BYTES + _SHA1_BYTES)
        start = offset + _STAT_BYTES + _SHA1_BYTES + _FLAGS.size
        if flags & _EXTENDED:
            if version < 3:
                return None
            start += _FLAGS.size
        if version == 4:
            path, offset = _prefixed_path(data, start, previous)
        else:
            path, offset = _padded_path(data, start, offset, flags & _NAME_MASK)
        previous = path
        paths.append(path.decode("utf-8", "surrogateescape"))
    return paths if _only_optional_extensions(data, offset) else None


def _padded_path(data: bytes, start: int, entry: int, length: int) -> tuple[bytes, int]:
    """A version 2 or 3 path (NUL-terminated, the entry padded to 8 bytes) and where the
    next entry starts."""
    end = data.index(b"\0", start) if length == _NAME_MASK else start + length
    if data[end:end + 1] != b"\0":
        raise ValueError("entry path not terminated")
    size = end - entry
    return data[start:end], entry + size + (8 - size % 8)


def _prefixed_path(data: bytes, start: int, previous: bytes) -> tuple[bytes, int]:
    """A version 4 path: drop N bytes from the previous path, append a NUL-terminated
    suffix; N is git's variable-length integer."""
    byte = data[start]
    drop = byte & 0x7F
    start += 1
    while byte & 0x80:
        byte = data[start]
        start += 1
        drop = ((drop + 1) << 7) | (byte & 0x7F)
    if drop > len(previous):
        raise ValueError("prefix longer than the previous path")
    end = data.index(b"\0", start)
    return previous[:len(previous) - drop] + data[start:end], end + 1


def _only_optional_extensions(data: bytes, offset: int) -> bool:
    """True when every extension after the entries is optional (its signature starts
    with a capital letter), as git itself lets a reader skip them."""
    trailer = len(data) - _SHA1_BYTES  # the checksum of everything before it
    while offset + 8 <= trailer:
        name, size = struct.unpack_from(">4sL", data, offset)
        if not b"A" <= name[:1] <= b"Z":
            return False
        offset += 8 + size
    return offset == trailer


def index_file(root: str) -> str | None:
    """``root/.git/index`` when ``root`` is the top of an ordinary work tree (``.git`` a
    folder, no ``GIT_*`` variable that could steer git elsewhere, SHA-1 object names), else
    None."""
    if any(name.startswith("GIT_") and not name.startswith(_HARMLESS)
           and name not in CONFIG_LOCATIONS for name in os.environ):
        return None
    git_dir = os.path.join(root, ".git")
    try:
        with open(os.path.join(git_dir, "config"), "rb") as handle:
            config = handle.read().lower()
    except OSError:
        return None
    if b"objectformat" in config or not os.path.isdir(git_dir):
        return None  # SHA-256 object names (or no git folder here)
    return os.path.join(git_dir, "index")
