"""The baseline file: the findings a project accepted as debt, read strictly, written stably.

``agentrails-baseline.json`` holds a schema version and one entry per accepted finding:
its code, path, symbol, the hash of its line's normalised text (empty for file-level
rules) and the measured value the ratchet compares, plus a count when identical entries
repeat. Entries are sorted and written one per line, so the file diffs well and writing
it twice gives the same bytes.
"""

from __future__ import annotations

import os
import re
from collections import Counter, namedtuple
from collections.abc import Callable, Iterable
from pathlib import Path

from agentrails.engine.config.settings import ConfigError
from agentrails.engine.regex import lazy

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

SCHEMA_VERSION = 1
DEFAULT_NAME = "agentrails-baseline.json"
_CODE = lazy(r"^[A-Z]+[0-9]+$")
_HASH = lazy(r"^(?:[0-9a-f]{16})?$")
_KEYS = {"code", "path", "symbol", "hash", "value"}


class BaselineError(ConfigError):
    """A baseline that cannot be used; the message names the file and what is wrong."""


class Entry(namedtuple("Entry", ("code", "path", "symbol", "hash", "value"))):
    """One accepted finding, without its line number."""

    __slots__ = ()
    code: str
    path: str
    symbol: str
    hash: str
    value: float | None

    @property
    def key(self) -> tuple[str, str, str, str]:
        """What must be equal for a finding to match: all but the value."""
        return self.code, self.path, self.symbol, self.hash


def read(path: Path) -> list[Entry]:
    """Every entry of the baseline at ``path`` (repeated as often as its count says)."""
    import json

    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        reason = error.strerror or error
        raise BaselineError(f"{path}: cannot read the baseline: {reason}") from None
    except UnicodeDecodeError:
        raise BaselineError(f"{path}: the baseline is not UTF-8 text") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise BaselineError(
            f"{path}: the baseline is not valid JSON (line {error.lineno}, column {error.colno}:"
            f" {error.msg}); restore it from git or write a new one with `agentrails baseline"
            " --update`"
        ) from None
    return _entries(path, data)


MEMO_NAME, MEMO_VERSION = "baseline.memo", 1


def read_remembered(path: Path, memo: str | None) -> list[Entry]:
    """``read(path)``, taken from the memo folder ``memo`` (the cache's) while the file's
    stat signature is the one it had when it was read and checked, so a warm run neither
    imports json nor checks every entry again. None for ``memo`` reads the file."""
    if memo is None:
        return read(path)
    import time

    from agentrails.engine.cache import memo as plain
    from agentrails.engine.discovery.walk import settled, signature

    full = os.path.abspath(path)
    key, sig, target = (MEMO_VERSION, full), signature(full), os.path.join(memo, MEMO_NAME)
    remembered = _remembered(plain.load(target), (key, sig)) if sig is not None else None
    if remembered is not None:
        return remembered
    started = time.time_ns()
    entries = read(path)
    if sig is not None and settled(sig, started):
        try:
            os.makedirs(memo, exist_ok=True)
            plain.dump(target, (key, sig, [tuple(entry) for entry in entries]))
        except OSError:
            pass  # an unwritable cache only means reading the file next time
    return entries


def _remembered(old: object, head: tuple[object, object]) -> list[Entry] | None:
    """The entries of a memo that starts with ``head`` (key and signature), else None."""
    if not (isinstance(old, tuple) and len(old) == 3 and old[:2] == head):
        return None
    try:
        return [Entry(*row) for row in old[2]]
    except TypeError:
        return None  # a memo of another shape: read the file


def _entries(path: Path, data: Any) -> list[Entry]:
    if not isinstance(data, dict) or set(data) != {"version", "entries"}:
        raise BaselineError(f"{path}: not an agentrails baseline (expected the keys "
                            "'version' and 'entries' only)")
    version = data["version"]
    if type(version) is not int or version < 1:
        raise BaselineError(f"{path}: 'version' must be a positive integer, got {version!r}")
    if version > SCHEMA_VERSION:
        raise BaselineError(f"{path}: written by a newer agentrails (baseline version "
                            f"{version}; this one reads {SCHEMA_VERSION}): upgrade agentrails")
    if not isinstance(data["entries"], list):
        raise BaselineError(f"{path}: 'entries' must be a list")
    entries: list[Entry] = []
    for number, raw in enumerate(data["entries"], start=1):
        entry, count = _entry(path, number, raw)
        entries.extend([entry] * count)
    return entries


def _entry(path: Path, number: int, raw: Any) -> tuple[Entry, int]:
    if type(raw) is dict and _well_formed(raw):  # the usual case, checked at once
        value = raw["value"]
        entry = Entry(raw["code"], raw["path"], raw["symbol"], raw["hash"],
                      None if value is None else float(value))
        return entry, raw.get("count", 1)
    where = f"{path}: entry {number}"
    if not isinstance(raw, dict) or not _KEYS <= set(raw) <= _KEYS | {"count"}:
        raise BaselineError(f"{where}: expected the keys {', '.join(sorted(_KEYS))} "
                            "(and optionally count)")
    for key, ok in _FIELD_CHECKS.items():
        if not ok(raw.get(key, 1 if key == "count" else None)):
            raise BaselineError(f"{where}: bad {key} {raw.get(key)!r}")
    value = None if raw["value"] is None else float(raw["value"])
    entry = Entry(raw["code"], raw["path"], raw["symbol"], raw["hash"], value)
    return entry, raw.get("count", 1)


_KEYS_AND_COUNT = _KEYS | {"count"}


def _well_formed(raw: dict[str, Any]) -> bool:
    """True for an entry ``_FIELD_CHECKS`` surely accepts, tested in one pass and without
    compiling their patterns: the entries a baseline file normally holds (JSON strings are
    never subclasses). False sends the entry to the field checks, which decide (and name
    the first bad field)."""
    if not _KEYS <= raw.keys() <= _KEYS_AND_COUNT:
        return False
    count, value = raw.get("count", 1), raw["value"]
    return (_good_texts(raw["code"], raw["path"], raw["symbol"], raw["hash"])
            and (value is None or _is_number(value)) and type(count) is int and count >= 1)


def _good_texts(code: Any, path: Any, symbol: Any, digest: Any) -> bool:
    return (
        type(code) is str and _is_code(code)
        and type(path) is str and path[:1] not in ("", "\n")
        and type(symbol) is str
        and type(digest) is str and (not digest or (len(digest) == 16 and not digest.strip(_HEX)))
    )


_HEX = "0123456789abcdef"


def _is_code(code: str) -> bool:
    """ASCII capitals then ASCII digits, as ``_CODE`` (``AR201``)."""
    letters = code.rstrip("0123456789")
    return letters != code and letters.isascii() and letters.isalpha() and letters.isupper()


def _is_text(pattern: re.Pattern[str] | None = None) -> Callable[[Any], bool]:
    def check(value: Any) -> bool:
        return isinstance(value, str) and (pattern is None or bool(pattern.match(value)))

    return check


def _is_number(value: Any) -> bool:
    return type(value) in (int, float) and value == value and abs(value) != float("inf")


_FIELD_CHECKS: dict[str, Callable[[Any], bool]] = {
    "code": _is_text(_CODE),
    "path": _is_text(lazy(r".")),
    "symbol": _is_text(),
    "hash": _is_text(_HASH),
    "value": lambda value: value is None or _is_number(value),
    "count": lambda value: type(value) is int and value >= 1,
}


def render(entries: Iterable[Entry]) -> str:
    """The file's text: sorted entries, identical ones folded into a count, one per line."""
    counts = Counter(entries)
    ordered = sorted(counts, key=lambda e: (e.path, e.code, e.symbol, e.hash, _order(e.value)))
    lines = [_line(entry, counts[entry]) for entry in ordered]
    body = ",\n".join(f"    {line}" for line in lines)
    entries_text = f"[\n{body}\n  ]" if lines else "[]"
    return f'{{\n  "version": {SCHEMA_VERSION},\n  "entries": {entries_text}\n}}\n'


def _order(value: float | None) -> float:
    return float("-inf") if value is None else value


def _line(entry: Entry, count: int) -> str:
    import json

    data: dict[str, Any] = {
        "code": entry.code, "path": entry.path, "symbol": entry.symbol, "hash": entry.hash,
        "value": _plain(entry.value),
    }
    if count > 1:
        data["count"] = count
    return json.dumps(data, ensure_ascii=False)


def _plain(value: float | None) -> float | int | None:
    """Whole numbers written without ``.0``, so the file reads as the rules report."""
    if value is not None and value.is_integer():
        return int(value)
    return value


def write(path: Path, entries: Iterable[Entry]) -> None:
    """Replace the baseline atomically (a reader never sees half a file)."""
    import tempfile

    text = render(entries)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".baseline-", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
