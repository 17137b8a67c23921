"""TOML files as the engine reads them: parsed by tomllib, and remembered by their stat
signature, so a warm run reads its configuration without importing tomllib.

The memo lives next to the entry-point memo (``$XDG_CACHE_HOME/agentrails``, else
``~/.cache/agentrails``) and holds the documents of the last ``MEMO_SIZE`` files read, each
with the signature (modification and change times, inode, size) the file had when it was
parsed. A file whose signature is unchanged holds the same bytes, so its remembered
document is used; a signature too recent to be sure of (a change within the same clock
tick would leave it equal) is never remembered, and documents holding dates or times are
not either (the memo keeps plain data only). A missing or damaged memo only means parsing.
"""

from __future__ import annotations

import os
import sys
import time

from agentrails.engine.cache import memo as plain
from agentrails.engine.discovery.walk import settled, signature

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any

MEMO_VERSION = 1
MEMO_SIZE = 64


class TomlError(ValueError):
    """A file that is not valid TOML, or holds a value past a bound (``limit``): the
    message (tomllib's, or the bound and the key), and the text that failed."""

    def __init__(self, error: ValueError, text: str, limit: bool = False):
        super().__init__(*error.args)
        self.text = text
        self.limit = limit


def memo_path() -> str:
    """Where parsed documents are remembered."""
    return os.path.join(plain.user_memo_folder(), "toml.memo")


def read_toml(path: Path | str) -> dict[str, Any]:
    """The document ``path`` holds. Raises OSError when it cannot be read,
    UnicodeDecodeError when it is not UTF-8 and TomlError when it is not TOML."""
    full = os.path.abspath(path)
    sig = signature(full)
    key = (MEMO_VERSION, sys.version_info[:2])
    memo = _load(key)
    remembered = memo.get(full)
    if sig is not None and remembered is not None and remembered[0] == sig:
        return remembered[1]
    started = time.time_ns()
    with open(full, encoding="utf-8-sig") as handle:
        text = handle.read()
    document = _parse(text)
    if sig is not None and settled(sig, started) and _is_plain(document):
        memo.pop(full, None)
        memo[full] = (sig, document)
        _save(key, dict(list(memo.items())[-MEMO_SIZE:]))
    return document


def _parse(text: str) -> dict[str, Any]:
    """The document, or TomlError: not TOML, nested more than ``MAX_DEPTH`` levels deep,
    or a number too long for Python to read (each named by its line and key)."""
    import tomllib

    from agentrails.engine.config.limits import MAX_DEPTH, LimitError, too_deep

    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise TomlError(error, text) from None
    except RecursionError:
        raise _limit(text, f"nested more than {MAX_DEPTH} levels deep", depth=MAX_DEPTH) from None
    except ValueError:  # an integer past Python's 4,300-digit limit for reading one
        raise _limit(text, "a number too long to read", digits=4300) from None
    path = too_deep(document)
    if path is not None:
        raise TomlError(LimitError(f"key {path!r}: nested more than {MAX_DEPTH} levels deep"),
                        text, limit=True)
    return document


def _limit(text: str, problem: str, **bound: int) -> TomlError:
    from agentrails.engine.config.limits import LimitError, locate

    line, key = locate(text, **bound)
    where = f"line {line}, key {key!r}: " if line else ""
    return TomlError(LimitError(f"{where}{problem}"), text, limit=True)


def _load(key: tuple[object, ...]) -> dict[str, Any]:
    found = plain.load(memo_path())
    if isinstance(found, tuple) and len(found) == 2 and found[0] == key:
        documents = found[1]
        if isinstance(documents, dict):
            return documents
    return {}


def _save(key: tuple[object, ...], documents: dict[str, Any]) -> None:
    target = memo_path()
    try:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        plain.dump(target, (key, documents))
    except OSError:
        pass  # an unwritable memo only costs the next run a parse


_PLAIN_SCALARS = (str, int, float, bool)


def _is_plain(value: object) -> bool:
    """True for what TOML parses into, dates and times excepted."""
    if isinstance(value, dict):
        return all(isinstance(k, str) and _is_plain(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_is_plain(item) for item in value)
    return isinstance(value, _PLAIN_SCALARS)
