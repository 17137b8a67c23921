"""Property: edits that leave the offending lines alone (insertions and deletions elsewhere,
whole functions moved) never bring a baselined finding back; making one worse does."""

from __future__ import annotations

import contextlib
import io
import shutil
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from agentrails.cli import main

CONFIG = 'select = ["AR201"]\n[complexity]\nmax-function = 3\n'
FILLER = st.sampled_from(["", "# note", "VALUE = 1", "import os", '"""Text."""', "    "])


def function(name: str, branches: int, pad: list[str]) -> list[str]:
    """A function of complexity ``branches + 1`` with filler lines in its body."""
    lines = [f"def {name}(a):"]
    lines += [f"    {line.strip()}" if line.strip() else "" for line in pad]
    for i in range(branches):
        lines += [f"    if a == {i}:", f"        return {i}"]
    return [*lines, "    return -1"]


@st.composite
def modules(draw: st.DrawFn) -> tuple[list[int], list[list[str]]]:
    complexities = draw(st.lists(st.integers(0, 7), min_size=1, max_size=6))
    pads = [draw(st.lists(FILLER, max_size=3)) for _ in complexities]
    return complexities, pads


def render(order: list[int], complexities: list[int], pads: list[list[str]],
           gaps: dict[int, list[str]]) -> str:
    lines: list[str] = []
    for position, index in enumerate(order):
        lines += gaps.get(position, []) + [""]
        lines += function(f"f{index}", complexities[index], pads[index])
    return "\n".join(lines) + "\n"


def run(*argv: str) -> int:
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        return main(list(argv))


def check(root: Path) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        code = main(["check", "--no-cache", str(root)])
    return code, out.getvalue()


def adopted(complexities: list[int], pads: list[list[str]]) -> Path:
    root = Path(tempfile.mkdtemp(prefix="baseline-property-"))
    (root / "agentrails.toml").write_text(CONFIG)
    order = list(range(len(complexities)))
    (root / "m.py").write_text(render(order, complexities, pads, {}))
    assert run("baseline", "--no-cache", "--config", str(root / "agentrails.toml")) == 0
    return root


@settings(max_examples=60, deadline=None)
@given(modules(), st.data())
def test_edits_elsewhere_never_resurface(module, data) -> None:
    complexities, pads = module
    root = adopted(complexities, pads)
    try:
        order = data.draw(st.permutations(range(len(complexities))), label="order")
        gaps = data.draw(st.dictionaries(st.integers(0, len(complexities)),
                                         st.lists(FILLER, max_size=4)), label="gaps")
        trimmed = [data.draw(st.lists(st.sampled_from(pad), max_size=len(pad)) if pad
                             else st.just([]), label="pad") for pad in pads]
        (root / "m.py").write_text(render(order, complexities, trimmed, gaps))
        code, out = check(root)
        assert code == 0, out
        assert "stale" not in out
    finally:
        shutil.rmtree(root)


@settings(max_examples=40, deadline=None)
@given(modules(), st.data())
def test_a_worse_finding_resurfaces_alone(module, data) -> None:
    complexities, pads = module
    over = [i for i, c in enumerate(complexities) if c + 1 > 3]
    if not over:
        complexities = [*complexities, 4]
        pads = [*pads, []]
        over = [len(complexities) - 1]
    root = adopted(complexities, pads)
    try:
        victim = data.draw(st.sampled_from(over), label="victim")
        worse = [c + 1 if i == victim else c for i, c in enumerate(complexities)]
        order = data.draw(st.permutations(range(len(complexities))), label="order")
        (root / "m.py").write_text(render(order, worse, pads, {}))
        code, out = check(root)
        assert code == 1
        reported = [line for line in out.splitlines() if "AR201" in line]
        assert len(reported) == 1 and f"'f{victim}'" in reported[0]
    finally:
        shutil.rmtree(root)


TEXT = st.text(alphabet="AR0129afz_\n é./", max_size=18)
FIELD = st.one_of(TEXT, st.none(), st.integers(-2, 3), st.floats(allow_nan=True), st.booleans())


@settings(max_examples=3000, deadline=None)
@given(st.dictionaries(st.sampled_from(["code", "path", "symbol", "hash", "value", "count",
                                        "context", "x"]),
                       FIELD, max_size=7),
       st.sampled_from([{}, {"code": "AR201", "path": "a.py", "symbol": "f", "hash": "",
                             "value": 3}]))
def test_property_the_quick_entry_check_accepts_only_what_the_field_checks_accept(raw, base):
    """Reading a baseline takes a one-pass check for the usual entries; whatever it accepts,
    the field-by-field checks (which name the bad field) accept too."""
    from agentrails.engine.baseline.entries import (
        _DEFAULTS,
        _FIELD_CHECKS,
        _KEYS,
        _OPTIONAL,
        _well_formed,
    )

    entry = {**base, **raw}
    if _well_formed(entry):
        assert _KEYS <= set(entry) <= _KEYS | _OPTIONAL
        assert all(ok(entry.get(key, _DEFAULTS.get(key)))
                   for key, ok in _FIELD_CHECKS.items())


def _context_by_scanning(lines: list[bytes], line: int) -> str:
    """The reference: scan up from the line for the nearest opener indented less."""
    from agentrails.engine.baseline.lines import _NOT_OPENERS, TOP_LEVEL, _indent, line_hash

    depth = _indent(lines[line - 1])
    for index in range(line - 2, -1, -1):
        stripped = lines[index].lstrip()
        if stripped and _indent(lines[index]) < depth and not stripped.startswith(_NOT_OPENERS):
            return line_hash(lines[index].decode())
    return TOP_LEVEL


LINE = st.tuples(st.integers(0, 8), st.sampled_from(["def f():", "x = 1", "# c", ")", "@d", "",
                                                      "class A:", "if a:"]))


@settings(max_examples=300, deadline=None)
@given(st.lists(LINE, min_size=1, max_size=40))
def test_property_one_pass_contexts_agree_with_scanning_up(shape) -> None:
    """The block of every line, computed in one pass, is the one a scan upwards finds."""
    from agentrails.engine.baseline.lines import _contexts

    lines = [(" " * indent + text).encode() if text else b"" for indent, text in shape]
    assert _contexts(lines) == [_context_by_scanning(lines, n) for n in range(1, len(lines) + 1)]
