"""The memo helper every memo uses: plain data on disk (builtin values and agentrails' named
tuples round-trip; anything else that names a class or function is refused), stat
signatures, and the one rule for when a signature is settled."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from agentrails.checks.common.markdown import Heading, MarkdownFacts
from agentrails.checks.deadcode.facts import (
    Cached,
    DeadCodeFacts,
    Definition,
    definitions,
    may_report,
)
from agentrails.engine.cache import memo as plain
from agentrails.engine.facts import FileFacts
from agentrails.engine.globs import GlobSet

SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
                    st.text(max_size=5), st.binary(max_size=5))
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.tuples(inner, inner),
    st.dictionaries(st.text(max_size=3), inner, max_size=3),
    st.frozensets(st.text(max_size=3), max_size=3),
), max_leaves=12)


@given(VALUES)
def test_property_plain_values_round_trip(value):
    assert plain.loads(plain.dumps(value)) == value


class _RunsCode:
    def __init__(self, sentinel: str):
        self.sentinel = sentinel

    def __reduce__(self):
        return (os.system, (f"touch {self.sentinel}",))


def test_anything_but_plain_data_is_refused(tmp_path: Path):
    sentinel = tmp_path / "pwned"
    for planted in (pickle.dumps(_RunsCode(str(sentinel))), pickle.dumps(Path("x")),
                    pickle.dumps({"a": [1, Path("y")]}), b"garbage", b""):
        assert plain.loads(planted) is None
        (tmp_path / "memo").write_bytes(planted)
        assert plain.load(str(tmp_path / "memo")) is None
    assert not sentinel.exists()
    assert plain.load(str(tmp_path / "missing")) is None


def test_dump_replaces_the_file_whole(tmp_path: Path):
    target = str(tmp_path / "memo")
    plain.dump(target, {"a": (1, 2)})
    plain.dump(target, [3])
    assert plain.load(target) == [3]
    assert [p.name for p in tmp_path.iterdir()] == ["memo"]


def test_packed_dead_code_records_unpack_only_as_plain_data(tmp_path: Path):
    record = Definition("function", "f", 1, 1, 2, 60, (), 0)
    cached = Cached._make(DeadCodeFacts(defined=(record,), used=frozenset({"g"})).cached())
    assert plain.loads(cached.defined[0]) == (("f",), (60,)) and definitions(cached) == (record,)
    assert may_report(cached, {"g"}, 60) and not may_report(cached, {"g"}, 61)
    assert not may_report(cached, {"f"}, 0)
    sentinel = tmp_path / "pwned"
    planted = cached._replace(defined=(cached.defined[0], pickle.dumps(_RunsCode(str(sentinel)))))
    assert definitions(planted) == () and not sentinel.exists()
    summary = cached._replace(defined=(pickle.dumps(_RunsCode(str(sentinel))), b""))
    assert not may_report(summary, set(), 0) and not sentinel.exists()


def test_settled_needs_a_tick_for_fine_times_and_two_seconds_for_whole_seconds():
    now = 1_700_000_000_000_000_000
    assert plain.settled((now - 100_000_001, now - 100_000_001, 1, 1), now)
    assert not plain.settled((now - 99_999_999, now - 200_000_000, 1, 1), now)
    assert not plain.settled((now - 200_000_000, now - 99_999_999, 1, 1), now)
    whole = now - 1_000_000_000
    assert not plain.settled((whole, whole, 1, 1), now)
    assert plain.settled((now - 3_000_000_000, now - 3_000_000_000, 1, 1), now)


def test_agentrails_named_tuples_load_but_no_other_class_of_agentrails(tmp_path: Path):
    """The facts families keep are agentrails' named tuples: they load. A class of
    agentrails that is not a tuple, or a function of it, is refused like any other global."""
    facts = MarkdownFacts(3, (Heading(1, "Title", 1),), ())
    assert plain.loads(plain.dumps({"a.md": facts})) == {"a.md": facts}
    assert type(plain.loads(plain.dumps(facts))) is MarkdownFacts
    for refused in (FileFacts(path="a.py"), GlobSet(["*.py"]), _CallsMain()):
        assert plain.loads(pickle.dumps(refused)) is None


class _CallsMain:
    def __reduce__(self):
        from agentrails.cli import main

        return (main, (["rules"],))


def test_recall_gives_back_only_what_was_remembered_under_the_same_key(tmp_path: Path):
    target = str(tmp_path / "folder" / "memo")
    assert plain.recall(target, "key") is None
    plain.remember(target, ("key", 1), {"value": [1, 2]})
    assert plain.recall(target, ("key", 1)) == {"value": [1, 2]}
    assert plain.recall(target, ("key", 2)) is None
    Path(target).write_bytes(plain.dumps(("key", 1, "three items")))
    assert plain.recall(target, "key") is None


def test_remembering_where_nothing_can_be_written_is_silent(tmp_path: Path):
    blocker = tmp_path / "blocker"
    blocker.write_text("a file, not a folder\n")
    plain.remember(str(blocker / "memo"), "key", 1)
    assert plain.recall(str(blocker / "memo"), "key") is None


def test_a_signature_too_recent_to_trust_is_remembered_as_one_nothing_has(tmp_path: Path):
    path = tmp_path / "file"
    path.write_text("x\n")
    sig = plain.signature(str(path))
    assert sig is not None and sig[2] == path.stat().st_ino and sig[3] == 2
    assert plain.trusted(sig, sig[1]) == plain.UNSETTLED != sig
    assert plain.trusted(sig, max(sig[:2]) + 3_000_000_000) == sig
    assert plain.trusted(None, 0) is None
    assert plain.signature(str(tmp_path / "missing")) is None
