"""AR901 (conflict markers, copier's inline ones included) and AR902 (*.rej / *.orig)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agentrails.checks.update.rules import ConflictMarker, UpdateLeftover, collect
from agentrails.engine.facts import FileFacts
from agentrails.engine.protocol import RuleContext, SourceFile
from tests.helpers.repo import finding_lines

GIT_CONFLICT = "a\n<<<<<<< HEAD\nmine\n=======\ntheirs\n>>>>>>> feature\nb\n"
DIFF3_CONFLICT = "<<<<<<< ours\nx\n||||||| base\ny\n=======\nz\n>>>>>>> theirs\n"
COPIER_CONFLICT = (
    "[tool.agentrails.size]\n"
    "<<<<<<< before updating\nmax-lines = 400\n=======\nmax-lines = 500\n>>>>>>> after updating\n"
)


def _markers(text: str) -> list[tuple[int, str]]:
    return list(collect(SourceFile("f.md", text.encode(), text), RuleContext({}, ".")))


def test_git_conflict(git_repo, cli):
    repo = git_repo({"src/a.py": GIT_CONFLICT})
    result = cli("check", "--select", "AR9", repo, cwd=repo)
    assert result.code == 1
    assert finding_lines(result.out) == [
        "src/a.py:2:1: AR901 conflict marker '<<<<<<<'",
        "src/a.py:4:1: AR901 conflict marker '======='",
        "src/a.py:6:1: AR901 conflict marker '>>>>>>>'",
    ]


def test_diff3_and_copier_inline_markers(git_repo, cli):
    repo = git_repo({"diff3.txt": DIFF3_CONFLICT, "settings.toml": COPIER_CONFLICT})
    result = cli("check", "--select", "AR901", repo, cwd=repo)
    assert finding_lines(result.out) == [
        "diff3.txt:1:1: AR901 conflict marker '<<<<<<<'",
        "diff3.txt:3:1: AR901 conflict marker '|||||||'",
        "diff3.txt:5:1: AR901 conflict marker '======='",
        "diff3.txt:7:1: AR901 conflict marker '>>>>>>>'",
        "settings.toml:2:1: AR901 conflict marker '<<<<<<<'",
        "settings.toml:4:1: AR901 conflict marker '======='",
        "settings.toml:6:1: AR901 conflict marker '>>>>>>>'",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Title\n=======\n\nBody text.\n",  # a setext/RST heading underline
        "Title\r\n=======\r\n",
        "<<<<<<<< eight is not a marker\n>>>>>>>> neither\n",
        "    <<<<<<< indented in a code block\n    >>>>>>> also indented\n",
        "a <<<<<<< mid-line\n",
        "<<<<<<<x no space\n",
        ">>> doctest prompt\n=======\n",
        "||||||| only a base marker\n=======\n",
    ],
)
def test_not_conflicts(text):
    assert _markers(text) == []


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_line_ends_do_not_hide_markers(newline):
    text = GIT_CONFLICT.replace("\n", newline)
    assert _markers(text) == [(2, "<<<<<<<"), (4, "======="), (6, ">>>>>>>")]
    bare = "<<<<<<<\nx\n=======\ny\n>>>>>>>\n".replace("\n", newline)
    assert _markers(bare) == [(1, "<<<<<<<"), (3, "======="), (5, ">>>>>>>")]


def test_a_heading_underline_counts_once_a_real_marker_is_there():
    text = "Title\n=======\n<<<<<<< HEAD\n"
    assert _markers(text) == [(2, "======="), (3, "<<<<<<<")]


def test_crlf_conflict_through_the_cli(git_repo, cli):
    repo = git_repo({"w.md": "<<<<<<<\r\nx\r\n=======\r\ny\r\n>>>>>>>\r\n"})
    result = cli("check", "--select", "AR901", repo, cwd=repo)
    assert [line.split()[0] for line in finding_lines(result.out)] == ["w.md:1:1:", "w.md:3:1:",
                                                                       "w.md:5:1:"]


def test_noqa_and_binary_files(git_repo, cli):
    repo = git_repo({
        "doc.md": "<!-- agentrails: noqa: AR901 -->\n" + GIT_CONFLICT,
        "blob.bin": b"\x00\x01<<<<<<< HEAD\n>>>>>>> x\n",
    })
    result = cli("check", "--select", "AR901", repo, cwd=repo)
    assert result.code == 0, result.out


@pytest.mark.parametrize(
    ("name", "flagged"),
    [
        ("a.py.rej", True),
        ("deep/dir/ci.yml.rej", True),
        ("README.md.orig", True),
        ("x.orig", True),
        ("x.orig.py", False),
        ("rejected.txt", False),
        ("original.md", False),
        ("a.REJ", False),
    ],
)
def test_leftover_files(git_repo, cli, name, flagged):
    repo = git_repo({name: "--- a\n+++ b\n"})
    result = cli("check", "--select", "AR902", repo, cwd=repo)
    expected = [f"{name}:1:1: AR902 leftover from an update or merge"] if flagged else []
    assert finding_lines(result.out) == expected
    assert result.code == (1 if flagged else 0)


def test_rules_read_only_the_cached_facts():
    facts = FileFacts(path="a.md", families={"update": ((3, "<<<<<<<"),)})
    ctx = RuleContext({}, ".")
    (finding,) = ConflictMarker().check_file(facts, ctx)
    assert (finding.line, finding.code) == (3, "AR901")
    assert finding.message == "conflict marker '<<<<<<<'"
    assert list(UpdateLeftover().check_file(facts, ctx)) == []


# Lone surrogates cannot be written to a UTF-8 file, so no line holds one.
PLAIN = st.text(
    alphabet=st.characters(blacklist_characters="\r\n<>=|", blacklist_categories=("Cs",)),
    max_size=12,
)
MARKERS = st.sampled_from(["<<<<<<< HEAD", "<<<<<<<", ">>>>>>> after updating", ">>>>>>>",
                           "=======", "||||||| base", "<<<<<<< before updating"])


@given(
    lines=st.lists(st.one_of(PLAIN.map(lambda t: ("text", t)), MARKERS.map(lambda m: ("mark", m))),
                   max_size=25),
    newline=st.sampled_from(["\n", "\r\n"]),
)
def test_property_markers_are_found_exactly_where_they_are(lines, newline):
    text = newline.join(value for _, value in lines) + newline
    expected = [(number, value[:7]) for number, (kind, value) in enumerate(lines, start=1)
                if kind == "mark"]
    if not any(marker[0] in "<>" for _, marker in expected):
        expected = []
    assert _markers(text) == expected
