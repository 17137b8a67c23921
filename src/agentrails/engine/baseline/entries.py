"""The baseline file: the findings a project accepted as debt, read strictly, written stably.

``agentrails-baseline.json`` holds a schema version, the git commit it was written at (so
a later run can follow files git saw renamed since) and one entry per accepted finding:
its code, path, symbol, the hash of its line's normalised text (empty for file-level
rules), the measured value the ratchet compares, the hash of the block holding the line
when identical lines repeat in a file (``context``), and a count when identical entries
repeat. Entries are sorted and written one per line, so the file diffs well and writing
it twice gives the same bytes; identical lines keep the order they have in their file.

Reading is bounded: a regular file of at most ``MAX_BYTES``, numbers and nesting as
``limits`` allows, at most ``MAX_ENTRIES`` entries counted with their repeats; anything
else is a BaselineError naming the file and what is wrong.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import NamedTuple

from agentrails.engine.config.settings import ConfigError
from agentrails.engine.regex import lazy
from agentrails.engine.validators import shown

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

SCHEMA_VERSION = 2
"""Version 2 added ``commit`` and ``context``; version 1 files are read as they are."""
DEFAULT_NAME = "agentrails-baseline.json"
MAX_BYTES = 16 * 1024 * 1024
MAX_ENTRIES = 1_000_000
MAX_VALUE = 1e15
_CODE = lazy(r"^[A-Z]+[0-9]+$")
_HASH = lazy(r"^(?:[0-9a-f]{16})?$")
_COMMIT = lazy(r"^[0-9a-f]{40}(?:[0-9a-f]{24})?$")
_KEYS = {"code", "path", "symbol", "hash", "value"}
_OPTIONAL = {"count", "context"}


class BaselineError(ConfigError):
    """A baseline that cannot be used; the message names the file and what is wrong."""


class Entry(NamedTuple):
    """One accepted finding, without its line number. ``context`` tells identical lines of
    one file apart (the hash of the line opening the block that holds each); empty when
    the line was the only one of its kind."""

    code: str
    path: str
    symbol: str
    hash: str
    value: float | None
    context: str = ""

    @property
    def key(self) -> tuple[str, str, str, str]:
        """What must be equal for a finding to match: code, path, symbol and line hash."""
        return self.code, self.path, self.symbol, self.hash


class Baseline(NamedTuple):
    """A baseline file's entries (each repeated as often as its count says) and the commit
    it was written at (None outside git or in a version 1 file)."""

    entries: list[Entry]
    commit: str | None = None


def read(path: Path) -> Baseline:
    """The baseline at ``path``: a regular UTF-8 JSON file within the bounds above."""
    from agentrails.engine.config.limits import LimitError, load_json  # not on a warm run

    text = _text(path)
    try:
        data = load_json(text)
    except LimitError as error:
        raise BaselineError(f"{path}: {error}") from None
    except ValueError as error:  # JSONDecodeError
        where = (f"line {error.lineno}, column {error.colno}: {error.msg}"
                 if hasattr(error, "lineno") else str(error))
        raise BaselineError(
            f"{path}: the baseline is not valid JSON ({where}); restore it from git or write"
            " a new one with `agentrails baseline --update`"
        ) from None
    return _baseline(path, data)


def _text(path: Path) -> str:
    """The file's text; BaselineError for anything but a readable regular UTF-8 file of at
    most MAX_BYTES (a directory, a FIFO or a link loop is named, never skipped)."""
    try:
        with open(path, "rb", opener=_nonblocking) as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise BaselineError(f"{path}: the baseline is not a regular file")
            if info.st_size > MAX_BYTES:
                raise BaselineError(f"{path}: the baseline is larger than "
                                    f"{MAX_BYTES // (1024 * 1024)} MiB ({info.st_size} bytes)")
            data = handle.read(MAX_BYTES + 1)
    except IsADirectoryError:
        raise BaselineError(f"{path}: the baseline is not a regular file (a folder)") from None
    except OSError as error:
        reason = error.strerror or error
        raise BaselineError(f"{path}: cannot read the baseline: {reason}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise BaselineError(f"{path}: the baseline is not UTF-8 text") from None


def _nonblocking(name: str, flags: int) -> int:
    return os.open(name, flags | getattr(os, "O_NONBLOCK", 0))


MEMO_NAME, MEMO_VERSION = "baseline.memo", 2


def read_remembered(path: Path, memo: str | None) -> Baseline:
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
    found = read(path)
    if sig is not None and settled(sig, started):
        try:
            os.makedirs(memo, exist_ok=True)
            rows = [tuple(entry) for entry in found.entries]
            plain.dump(target, (key, sig, found.commit, rows))
        except OSError:
            pass  # an unwritable cache only means reading the file next time
    return found


def _remembered(old: object, head: tuple[object, object]) -> Baseline | None:
    """The baseline of a memo that starts with ``head`` (key and signature), else None."""
    if not (isinstance(old, tuple) and len(old) == 4 and old[:2] == head):
        return None
    commit, rows = old[2], old[3]
    try:
        entries = [Entry(*row) for row in rows]  # type: ignore[attr-defined]
    except TypeError:
        return None  # a memo of another shape: read the file
    return Baseline(entries, commit if isinstance(commit, str) else None)


def _baseline(path: Path, data: Any) -> Baseline:
    if not isinstance(data, dict) or not {"version", "entries"} <= set(data):
        raise BaselineError(f"{path}: not an agentrails baseline (expected the keys "
                            "'version' and 'entries')")
    version = _version(path, data["version"])
    allowed = {"version", "entries"} | ({"commit"} if version >= 2 else set())
    extra = sorted(set(data) - allowed)
    if extra:
        raise BaselineError(f"{path}: unknown key {shown(extra[0])} in a version {version} "
                            "baseline")
    commit = data.get("commit")
    if commit is not None and not (isinstance(commit, str) and _COMMIT.match(commit)):
        raise BaselineError(f"{path}: 'commit' must be a git commit id, got {shown(commit)}")
    if not isinstance(data["entries"], list):
        raise BaselineError(f"{path}: 'entries' must be a list")
    return Baseline(_entries(path, data["entries"]), commit)


def _version(path: Path, version: Any) -> int:
    """The schema version, one this agentrails reads."""
    if type(version) is not int or version < 1:
        raise BaselineError(f"{path}: 'version' must be a positive integer, got {shown(version)}")
    if version > SCHEMA_VERSION:
        raise BaselineError(f"{path}: written by a newer agentrails (baseline version "
                            f"{version}; this one reads {SCHEMA_VERSION}): upgrade agentrails")
    return version


def _entries(path: Path, rows: list[Any]) -> list[Entry]:
    entries: list[Entry] = []
    for number, raw in enumerate(rows, start=1):
        entry, count = _entry(path, number, raw)
        if len(entries) + count > MAX_ENTRIES:
            raise BaselineError(f"{path}: entry {number}: count {count} takes the baseline past "
                                f"{MAX_ENTRIES:,} entries, more than agentrails reads")
        entries.extend([entry] * count)
    return entries


def _entry(path: Path, number: int, raw: Any) -> tuple[Entry, int]:
    if type(raw) is dict and _well_formed(raw):  # the usual case, checked at once
        value = raw["value"]
        entry = Entry(raw["code"], raw["path"], raw["symbol"], raw["hash"],
                      None if value is None else float(value), raw.get("context", ""))
        return entry, raw.get("count", 1)
    where = f"{path}: entry {number}"
    if not isinstance(raw, dict) or not _KEYS <= set(raw) <= _KEYS | _OPTIONAL:
        raise BaselineError(f"{where}: expected the keys {', '.join(sorted(_KEYS))} "
                            "(and optionally context and count)")
    for key, ok in _FIELD_CHECKS.items():
        if not ok(raw.get(key, _DEFAULTS.get(key))):
            raise BaselineError(f"{where}: bad {key} {shown(raw.get(key))}")
    value = None if raw["value"] is None else float(raw["value"])
    entry = Entry(raw["code"], raw["path"], raw["symbol"], raw["hash"], value,
                  raw.get("context", ""))
    return entry, raw.get("count", 1)


_KEYS_AND_OPTIONAL = _KEYS | _OPTIONAL
_DEFAULTS: dict[str, Any] = {"count": 1, "context": ""}


def _well_formed(raw: dict[str, Any]) -> bool:
    """True for an entry ``_FIELD_CHECKS`` surely accepts, tested in one pass and without
    compiling their patterns: the entries a baseline file normally holds (JSON strings are
    never subclasses). False sends the entry to the field checks, which decide (and name
    the first bad field)."""
    if not _KEYS <= raw.keys() <= _KEYS_AND_OPTIONAL:
        return False
    count, value = raw.get("count", 1), raw["value"]
    return (_good_texts(raw["code"], raw["path"], raw["symbol"], raw["hash"])
            and _is_hash(raw.get("context", ""))
            and (value is None or _is_number(value))
            and type(count) is int and 1 <= count <= MAX_ENTRIES)


def _good_texts(code: Any, path: Any, symbol: Any, digest: Any) -> bool:
    return (
        type(code) is str and _is_code(code)
        and type(path) is str and path[:1] not in ("", "\n")
        and type(symbol) is str
        and _is_hash(digest)
    )


_HEX = "0123456789abcdef"


def _is_hash(digest: Any) -> bool:
    """16 lower-case hex digits, or empty (``_HASH``)."""
    return type(digest) is str and (not digest or (len(digest) == 16 and not digest.strip(_HEX)))


def _is_code(code: str) -> bool:
    """ASCII capitals then ASCII digits, as ``_CODE`` (``AR201``)."""
    letters = code.rstrip("0123456789")
    return letters != code and letters.isascii() and letters.isalpha() and letters.isupper()


def _is_text(pattern: re.Pattern[str] | None = None) -> Callable[[Any], bool]:
    def check(value: Any) -> bool:
        return isinstance(value, str) and (pattern is None or bool(pattern.match(value)))

    return check


def _is_number(value: Any) -> bool:
    """A finite int or float within MAX_VALUE (what a rule measures), never a boolean."""
    return type(value) in (int, float) and -MAX_VALUE <= value <= MAX_VALUE


_FIELD_CHECKS: dict[str, Callable[[Any], bool]] = {
    "code": _is_text(_CODE),
    "path": _is_text(lazy(r".")),
    "symbol": _is_text(),
    "hash": _is_text(_HASH),
    "value": lambda value: value is None or _is_number(value),
    "context": _is_hash,
    "count": lambda value: type(value) is int and 1 <= value <= MAX_ENTRIES,
}


def render(entries: Iterable[Entry], commit: str | None = None) -> str:
    """The file's text: entries sorted by path, code, symbol and line hash (identical lines
    keep the order they are given in, which is their order in the file), a run of identical
    entries folded into a count, one per line."""
    ordered = sorted(entries, key=lambda e: (e.path, e.code, e.symbol, e.hash))
    lines = [_line(entry, count) for entry, count in _runs(ordered)]
    body = ",\n".join(f"    {line}" for line in lines)
    entries_text = f"[\n{body}\n  ]" if lines else "[]"
    recorded = f'  "commit": "{commit}",\n' if commit else ""
    return (f'{{\n  "version": {SCHEMA_VERSION},\n{recorded}'
            f'  "entries": {entries_text}\n}}\n')


def _runs(entries: list[Entry]) -> list[tuple[Entry, int]]:
    """Consecutive equal entries as (entry, how many)."""
    runs: list[tuple[Entry, int]] = []
    for entry in entries:
        if runs and runs[-1][0] == entry:
            runs[-1] = (entry, runs[-1][1] + 1)
        else:
            runs.append((entry, 1))
    return runs


def _line(entry: Entry, count: int) -> str:
    import json

    data: dict[str, Any] = {
        "code": entry.code, "path": entry.path, "symbol": entry.symbol, "hash": entry.hash,
        "value": _plain(entry.value),
    }
    if entry.context:
        data["context"] = entry.context
    if count > 1:
        data["count"] = count
    return json.dumps(data, ensure_ascii=False)


def _plain(value: float | None) -> float | int | None:
    """Whole numbers written without ``.0``, so the file reads as the rules report."""
    if value is not None and value.is_integer():
        return int(value)
    return value


def write(path: Path, entries: Iterable[Entry], commit: str | None = None) -> None:
    """Replace the baseline atomically (a reader never sees half a file)."""
    import tempfile

    text = render(entries, commit)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".baseline-", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
