"""The shell lexer behind guard-paths' Bash check: what bash would see, as examples at the
boundaries, and properties over arbitrary text (it never raises)."""

from __future__ import annotations

import shlex

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agentrails.hooks.shell.commands import group
from agentrails.hooks.shell.words import Operator, Word, split

ENV = {"HOME": "/home/me", "PWD": "/work/proj"}


def shape(text: str) -> list[str]:
    """Tokens as strings: words as their text, operators wrapped in <>."""
    return [t.text if isinstance(t, Word) else f"<{t.text}>" for t in split(text, ENV)]


@pytest.mark.parametrize(("text", "expected"), [
    ("grep '>' a.yml", ["grep", ">", "a.yml"]),  # a quoted > is a word, not a redirection
    ("echo a#b # comment", ["echo", "a#b"]),  # # starts a comment only at a word's start
    ("echo 2>f;x&&y||z|w", ["echo", "<2>>", "f", "<;>", "x", "<&&>", "y", "<||>", "z", "<|>",
                            "w"]),
    ("a\nb", ["a", "<\n>", "b"]),
    ("echo >|f &>g 2>&1 10>>h {fd}>i", ["echo", "<>|>", "f", "<&>>", "g", "<2>&>", "1",
                                        "<10>>>", "h", "<{fd}>>", "i"]),
    ("echo \"unclosed", ["echo", "unclosed"]),  # read as if closed: never an error
    ("echo 'it''s' \"a\\\"b\" $'x\\ty'", ["echo", "its", 'a"b', "x\ty"]),
    ("ls ~/x '~' ~\"y\" a~", ["ls", "/home/me/x", "~", "~y", "a~"]),
    ("F=a/b; echo $F ${F} \"$F\" '$F' $G", ["F=a/b", "<;>", "echo", "a/b", "a/b", "a/b", "$F",
                                           "$G"]),
    ("echo $(pwd)/x $((1+2))", ["echo", "/work/proj/x", "$((1+2))"]),
    ("r\"m\" \\rm line\\\ncontinued", ["rm", "rm", "linecontinued"]),
    ("(cd a; b) && { c; }", ["<(>", "cd", "a", "<;>", "b", "<)>", "<&&>", "{", "c", "<;>", "}"]),
])
def test_words_and_operators(text: str, expected: list[str]) -> None:
    assert shape(text) == expected


def test_quoted_glob_characters_are_escaped_in_the_pattern() -> None:
    (_, word) = split("rm '*'x*\"?\"[ab]")
    assert word.text == "*x*?[ab]"
    assert word.pattern == "\\*x*\\?[ab]"


def test_substitutions_are_kept_for_the_guard_to_read() -> None:
    tokens = split("echo $(rm a) `rm b` \"$(rm 'c d')\" <(cat e) >(tee f)")
    subs = [s for t in tokens if isinstance(t, Word) for s in t.substitutions]
    assert subs == ["rm a", "rm b", "rm 'c d'", "cat e", "tee f"]


def test_here_documents_carry_their_body_and_do_not_end_the_line() -> None:
    tokens = split("cat <<'EOF' > out\nit's $HOME\nEOF\nrm x\ncat <<-END\n\tbody\n\tEND\n")
    heredocs = [t.heredoc for t in tokens if isinstance(t, Operator) and t.heredoc is not None]
    assert heredocs == ["it's $HOME", "\tbody"]
    assert shape("cat <<EOF\nEOF\nrm x")[-2:] == ["rm", "x"]


def test_grouping_finds_redirections_stdin_and_the_program() -> None:
    (command,) = group(split("F=1 if sudo tee -a x 2>&1 > y <<< 'text'"))
    assert [w.text for w in command.program()] == ["sudo", "tee", "-a", "x"]
    assert [(op, w.text) for op, w in command.written()] == [(">", "y")]
    assert command.stdin() == "text"
    assert group(split("for f in a b")) == [] or not group(split("for f in a b"))[0].program()


# Properties: arbitrary text never makes the lexer raise, and its words agree with shlex on
# the plain words shlex and bash read alike.
SHELLISH = st.lists(st.sampled_from([
    " ", "\t", "\n", ";", "&", "|", "(", ")", "<", ">", "'", '"', "\\", "$", "`", "{", "}",
    "#", "~", "*", "?", "[", "]", "=", "-", "a", "b", "x1", "$(", "${", "$((", "<<", "<<-",
    "EOF", "2>", "&>", ">|", "<(", ">(", "\r", "\x00", "é",
]), max_size=60).map("".join)


@settings(max_examples=400, deadline=None)
@given(st.one_of(SHELLISH, st.text(max_size=200)))
def test_the_lexer_never_raises(text: str) -> None:
    tokens = split(text, ENV)
    for item in group(tokens):
        if hasattr(item, "program"):
            item.program()
            item.written()
            item.stdin()


PLAIN = st.lists(st.text("abcxyz019._/-", min_size=1, max_size=8), min_size=1, max_size=6)


@settings(max_examples=200, deadline=None)
@given(PLAIN)
def test_plain_quoted_words_come_back_as_shlex_splits_them(words: list[str]) -> None:
    line = " ".join(shlex.quote(w) for w in words)
    assert [t.text for t in split(line)] == shlex.split(line)
