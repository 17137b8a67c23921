"""The baseline file: the findings a project accepted as debt, read strictly, written stably.

``agentrails-baseline.json`` holds a schema version and one entry per accepted finding:
its code, path, symbol, the hash of its line's normalised text (empty for file-level
rules) and the measured value the ratchet compares, plus a count when identical entries
repeat. Entries are sorted and written one per line, so the file diffs well and writing
it twice gives the same bytes.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, NamedTuple

from agentrails.engine.config import ConfigError

SCHEMA_VERSION = 1
DEFAULT_NAME = "agentrails-baseline.json"
_CODE = re.compile(r"^[A-Z]+[0-9]+$")
_HASH = re.compile(r"^(?:[0-9a-f]{16})?$")
_KEYS = {"code", "path", "symbol", "hash", "value"}


class BaselineError(ConfigError):
    """A baseline that cannot be used; the message names the file and what is wrong."""


class Entry(NamedTuple):
    """One accepted finding, without its line number."""

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


def _is_text(pattern: re.Pattern[str] | None = None) -> Callable[[Any], bool]:
    def check(value: Any) -> bool:
        return isinstance(value, str) and (pattern is None or bool(pattern.match(value)))

    return check


def _is_number(value: Any) -> bool:
    return type(value) in (int, float) and value == value and abs(value) != float("inf")


_FIELD_CHECKS: dict[str, Callable[[Any], bool]] = {
    "code": _is_text(_CODE),
    "path": _is_text(re.compile(r".")),
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
