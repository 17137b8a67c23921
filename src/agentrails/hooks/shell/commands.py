"""Grouping a command line's tokens into simple commands: the words, the redirections with
their targets, and ``( )`` subshell boundaries; and finding the command name behind reserved
words (``if``, ``then``, ``do``, ``!``, ``{`` ...) and ``NAME=value`` assignments."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from agentrails.hooks.shell.words import Operator, Token, Word

RESERVED = frozenset({"if", "then", "else", "elif", "fi", "do", "done", "while", "until", "!",
                      "{", "}", "esac", "[[", "]]", "coproc"})
HEADERS = frozenset({"for", "select", "case", "in"})
"""Reserved words whose command is a loop or case header, not a program run."""
WRITING = frozenset({">", ">>", ">|", "&>", "&>>", "<>"})
_ASSIGNMENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?\+?=")


@dataclass
class Command:
    """One simple command: its words and redirections (operator, target word)."""

    words: list[Word] = field(default_factory=list)
    redirections: list[tuple[Operator, Word | None]] = field(default_factory=list)

    def written(self) -> list[tuple[str, Word]]:
        """(operator, target) for every redirection that opens a file for writing."""
        found = []
        for operator, target in self.redirections:
            bare = operator.redirection
            duplicate = bare == ">&" and target is not None and (
                target.text.isdigit() or target.text == "-")
            if target is not None and (bare in WRITING or (bare == ">&" and not duplicate)):
                found.append((operator.text, target))
        return found

    def stdin(self) -> str | None:
        """The text a here-document or here-string feeds it, if any."""
        text = None
        for operator, target in self.redirections:
            if operator.heredoc is not None:
                text = operator.heredoc
            elif operator.redirection == "<<<" and target is not None:
                text = target.text
        return text

    def program(self) -> list[Word]:
        """The words from the command name on (reserved words and assignments skipped);
        empty for a loop or case header."""
        words = list(self.words)
        while words:
            head = words[0].text
            if head in HEADERS:
                return []
            if head == "function":
                words = words[2:]
            elif head in RESERVED or _ASSIGNMENT.match(head):
                words = words[1:]
            else:
                break
        return words


@dataclass(frozen=True)
class Scope:
    """``(`` (opens) or ``)``: a subshell, whose ``cd`` does not outlive it."""

    opens: bool


def group(tokens: list[Token]) -> list[Command | Scope]:
    """The commands and subshell boundaries of a token list, in order."""
    items: list[Command | Scope] = []
    current = Command()
    pending: Operator | None = None
    for token in tokens:
        if isinstance(token, Word):
            if pending is not None:
                current.redirections.append((pending, token))
                pending = None
            else:
                current.words.append(token)
            continue
        if pending is not None:
            current.redirections.append((pending, None))
            pending = None
        if token.redirection is not None:
            pending = token
            continue
        items, current = _flush(items, current), Command()
        if token.text in ("(", ")"):
            items.append(Scope(token.text == "("))
    if pending is not None:
        current.redirections.append((pending, None))
    return _flush(items, current)


def _flush(items: list[Command | Scope], current: Command) -> list[Command | Scope]:
    if current.words or current.redirections:
        items.append(current)
    return items
