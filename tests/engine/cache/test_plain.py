"""Plain data on disk (the walk's memo, the entry-point and TOML memos, packed dead-code
records): builtin values round-trip; anything that names a class or function is refused."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from agentrails.checks.deadcode.facts import (
    Cached,
    DeadCodeFacts,
    Definition,
    definitions,
    may_report,
)
from agentrails.engine.cache import memo as plain

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
