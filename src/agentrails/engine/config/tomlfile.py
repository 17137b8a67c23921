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
    """A file that is not valid TOML: tomllib's message, and the text that failed."""

    def __init__(self, error: ValueError, text: str):
        super().__init__(*error.args)
        self.text = text


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
    import tomllib

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise TomlError(error, text) from None


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
