"""Suppressions: ``# noqa`` on a line, ``agentrails: noqa`` for a file, and per-file-ignores."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agentrails.engine.noqa import ALL, parse_noqa, suppressed
from tests.helpers.repo import finding_lines

CONFIG = "size = { max-lines = 3, max-function-lines = 2 }\n"


def _long_function(def_comment: str = "", body_comment: str = "") -> str:
    return f"def long():{def_comment}\n    a = 1{body_comment}\n    return a\n"


def _codes_in(repo, cli, *argv) -> list[str]:
    result = cli("check", *argv, repo, cwd=repo)
    return [" ".join(line.split()[:2]) for line in finding_lines(result.out)]


@pytest.mark.parametrize(
    ("comment", "suppressed_here"),
    [
        ("  # noqa: AR102", True),
        ("  # noqa", True),
        ("  #noqa:AR102", True),
        ("  # NOQA: ar102", True),
        ("  # noqa: E501, AR102", True),
        ("  # noqa: E501,AR102 - the parser is one unit", True),
        ("  # noqa: E501", False),
        ("  # noqa: AR101", False),
        ("  # noqa: AR1", False),
        ("  # some other comment", False),
    ],
)
def test_line_noqa_on_the_reported_line(git_repo, cli, comment, suppressed_here):
    repo = git_repo({"agentrails.toml": CONFIG, "m.py": _long_function(def_comment=comment)})
    found = _codes_in(repo, cli)
    assert ("m.py:1:1: AR102" not in found) == suppressed_here, found


def test_line_noqa_elsewhere_does_not_suppress(git_repo, cli):
    repo = git_repo({"agentrails.toml": CONFIG, "m.py": _long_function(body_comment="  # noqa")})
    assert _codes_in(repo, cli) == ["m.py:1:1: AR102"]


FOUR_LINES = "x = 1\ny = 2\nz = 3\nw = 4\n"


@pytest.mark.parametrize(
    ("header", "left"),
    [
        ("# agentrails: noqa: AR101\n", ["m.py:6:1: AR102"]),
        ("# agentrails: noqa: AR102\n", ["m.py:1:1: AR101"]),
        ("# agentrails: noqa: AR101, AR102\n", []),
        ("# agentrails: noqa\n", []),
        ("#agentrails:noqa:ar101\n", ["m.py:6:1: AR102"]),
        ("# agentrails: noqa: E501\n", ["m.py:1:1: AR101", "m.py:6:1: AR102"]),
        ("# noqa: AR101\n", ["m.py:6:1: AR102"]),
        ('"""Mentions `# agentrails: noqa: AR101` in prose."""\n',
         ["m.py:1:1: AR101", "m.py:6:1: AR102"]),
        ("x = 1  # agentrails: noqa\n", ["m.py:1:1: AR101", "m.py:6:1: AR102"]),
    ],
)
def test_file_noqa_in_python(git_repo, cli, header, left):
    repo = git_repo({"agentrails.toml": CONFIG, "m.py": header + FOUR_LINES + _long_function()})
    assert _codes_in(repo, cli) == left


def test_file_noqa_may_sit_on_any_line(git_repo, cli):
    source = FOUR_LINES + _long_function() + "# agentrails: noqa: AR101, AR102\n"
    repo = git_repo({"agentrails.toml": CONFIG, "m.py": source})
    assert _codes_in(repo, cli) == []


@pytest.mark.parametrize(
    ("name", "directive", "left"),
    [
        ("a.md", "<!-- agentrails: noqa: AR101 -->", ["a.md:3:1: AR901"]),
        ("a.md", "<!-- agentrails: noqa: AR901 -->", ["a.md:1:1: AR101"]),
        ("a.md", "<!--agentrails: noqa-->", []),
        ("a.html", "  <!-- agentrails: noqa: AR101, AR901 -->", []),
        ("a.yaml", "# agentrails: noqa: AR101", ["a.yaml:3:1: AR901"]),
        ("a.js", "// agentrails: noqa: AR101", ["a.js:3:1: AR901"]),
        ("a.css", "/* agentrails: noqa: AR101 */", ["a.css:3:1: AR901"]),
        ("a.sql", "-- agentrails: noqa: AR101", ["a.sql:3:1: AR901"]),
        ("a.md", "Write `<!-- agentrails: noqa: AR101 -->` to silence it.",
         ["a.md:1:1: AR101", "a.md:3:1: AR901"]),
    ],
)
def test_file_noqa_in_comments_of_other_languages(git_repo, cli, name, directive, left):
    text = f"Title\n{directive}\n<<<<<<< before updating\nmore\nlines\n"
    repo = git_repo({"agentrails.toml": CONFIG, name: text})
    assert _codes_in(repo, cli) == left


def test_per_file_ignores_with_globs_and_prefixes(git_repo, cli):
    config = CONFIG + "per-file-ignores = { 'tests/**' = ['AR1'], '*.gen.py' = ['AR102'] }\n"
    long_module = FOUR_LINES + _long_function()
    repo = git_repo({
        "agentrails.toml": config,
        "tests/test_a.py": long_module,
        "src/b.gen.py": long_module,
        "src/c.py": long_module,
    })
    assert _codes_in(repo, cli) == [
        "src/b.gen.py:1:1: AR101", "src/c.py:1:1: AR101", "src/c.py:5:1: AR102",
    ]


def test_noqa_lines_match_the_engine_lines_across_form_feeds_and_crlf(git_repo, cli):
    with_form_feed = "# section one\x0c\n" + _long_function(def_comment="  # noqa: AR102")
    crlf = _long_function(def_comment="  # noqa: AR102").replace("\n", "\r\n")
    old_mac = "x = 1\r" + _long_function(def_comment="  # noqa: AR102").replace("\n", "\r")
    repo = git_repo({
        "agentrails.toml": CONFIG + "per-file-ignores = { '*.py' = ['AR101'] }\n",
        "ff.py": with_form_feed,
        "crlf.py": crlf,
        "mac.py": old_mac,
        "control.py": "# section\x0c\n" + _long_function(),
    })
    assert _codes_in(repo, cli) == ["control.py:2:1: AR102"]


def test_parse_noqa_units():
    text = "a  # noqa\nb  # noqa: AR101,AR102\nc\n# agentrails: noqa: AR9\n"
    per_line, whole = parse_noqa(text)
    assert per_line == {1: ALL, 2: frozenset({"AR101", "AR102"})}
    assert whole == frozenset({"AR9"})
    assert parse_noqa("nothing here\n") == ({}, None)
    _, merged = parse_noqa("# agentrails: noqa: AR101\n# agentrails: noqa\n")
    assert merged == ALL
    _, merged = parse_noqa("# agentrails: noqa: AR101\n# agentrails: noqa: AR102\n")
    assert merged == frozenset({"AR101", "AR102"})


def test_suppressed_units():
    per_line = {3: ALL, 5: frozenset({"AR201"})}
    assert suppressed("AR101", 3, per_line, None)
    assert suppressed("AR201", 5, per_line, None)
    assert not suppressed("AR202", 5, per_line, None)
    assert not suppressed("AR201", 4, per_line, None)
    assert suppressed("AR999", 1, {}, ALL)
    assert suppressed("AR101", 1, {}, frozenset({"AR101"}))
    assert not suppressed("AR102", 1, {}, frozenset({"AR101"}))


CODES = st.from_regex(r"[A-Z]{1,3}[0-9]{1,4}", fullmatch=True)
SEPARATORS = st.sampled_from([",", ", ", " ", ",  ", " , "])


@given(
    codes=st.lists(CODES, min_size=1, max_size=5),
    separator=SEPARATORS,
    space=st.sampled_from(["", " ", "  "]),
    lower=st.booleans(),
    trailer=st.sampled_from(["", "  - why", " # more", "  (see docs)"]),
)
def test_property_line_noqa_parses_exactly_the_listed_codes(
    codes, separator, space, lower, trailer
):
    listed = separator.join(code.lower() if lower else code for code in codes)
    line = f"value = compute()  #{space}noqa:{space}{listed}{trailer}"
    per_line, whole = parse_noqa(f"first = 1\n{line}\n")
    assert whole is None
    assert per_line == {2: frozenset(codes)}


NEWLINES = st.sampled_from(["\n", "\r\n", "\r"])
LINE_TEXT = st.text(
    alphabet=st.characters(blacklist_characters="\r\n", blacklist_categories=("Cs",)), max_size=20
)


@given(
    lines=st.lists(st.tuples(LINE_TEXT, NEWLINES), min_size=1, max_size=15),
    target=st.integers(min_value=0),
)
def test_property_noqa_line_numbers_follow_bytes_splitlines(lines, target):
    index = target % len(lines)
    parts = []
    for number, (content, newline) in enumerate(lines):
        clean = content.lower()
        while "noqa" in clean:
            clean = clean.replace("noqa", "")
        if number == index:
            clean = f"{clean}  # noqa: AR102"
        parts.append(clean + newline)
    text = "".join(parts)
    per_line, _ = parse_noqa(text)
    physical = text.encode("utf-8").splitlines()
    expected = [number for number, line in enumerate(physical, 1) if b"# noqa: AR102" in line]
    assert len(expected) == 1
    assert list(per_line) == expected


@given(st.text(max_size=300))
def test_property_parse_noqa_never_raises_and_stays_in_range(text):
    per_line, whole = parse_noqa(text)
    count = max(1, len(text.encode("utf-8", "surrogatepass").splitlines()) + 1)
    assert all(1 <= line <= count for line in per_line)
    assert whole is None or isinstance(whole, frozenset)


def test_a_noqa_ending_a_backslash_continuation_covers_the_continued_lines() -> None:
    text = "import os, \\\n    sys, \\\n    re  # noqa: AR301\nx = 1  \\\n  # noqa\n"
    per_line, whole_file = parse_noqa(text)
    assert whole_file is None
    assert per_line == {1: frozenset({"AR301"}), 2: frozenset({"AR301"}),
                        3: frozenset({"AR301"}), 4: ALL, 5: ALL}


def test_a_line_with_its_own_noqa_keeps_it_under_a_continuation() -> None:
    per_line, _ = parse_noqa("a = 1  # noqa: AR101 \\\nb = 2  # noqa: AR201\n")
    assert per_line == {1: frozenset({"AR101"}), 2: frozenset({"AR201"})}


@given(st.lists(st.sampled_from(["x = 1", "y = (1,", "z \\", "  # noqa: AR1", "w"]),
                max_size=12))
def test_property_only_continued_lines_borrow_a_noqa(lines: list[str]) -> None:
    per_line, _ = parse_noqa("\n".join(lines))
    for number in per_line:
        own = "noqa" in lines[number - 1]
        assert own or lines[number - 1].endswith("\\"), (number, lines)
