"""Grouping a command line's tokens into simple commands: the words, the redirections with
their targets, the command a pipe feeds from, and ``( )`` subshell boundaries; finding the
command name behind reserved words (``if``, ``then``, ``do``, ``!``, ``{`` ...) and
``NAME=value`` assignments; and what ``echo``, ``printf`` or ``ls`` print into a pipe."""

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
_PLAIN_FORMAT = re.compile(r"%s((?:\\n|\\t| |\\0)*)")
_ANSI_ESCAPES = re.compile(r"\\([ntr0\\])")
_ESCAPED = {"n": "\n", "t": "\t", "r": "\r", "0": "\0", "\\": "\\"}


@dataclass
class Command:
    """One simple command: its words and redirections (operator, target word), and the
    command whose output a pipe feeds it, if any."""

    words: list[Word] = field(default_factory=list)
    redirections: list[tuple[Operator, Word | None]] = field(default_factory=list)
    upstream: Command | None = None

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
        """The text a here-document, a here-string or a pipe from ``echo``, ``printf`` or
        ``ls`` feeds it, if that is known."""
        text = output_of(self.upstream) if self.upstream is not None else None
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


def output_of(command: Command) -> str | None:
    """What ``echo WORDS``, ``printf FORMAT [WORDS]`` (a format of ``%s`` and separators, or
    none) or ``ls PATHS`` prints, when it says so itself; None for anything else."""
    words = command.program()
    if not words or command.written():
        return None
    printer = _PRINTERS.get(words[0].text)
    return printer([word.text for word in words[1:]]) if printer is not None else None


def _echo(args: list[str]) -> str:
    while args and args[0] in ("-n", "-e", "-E", "-ne", "-en"):
        args = args[1:]
    return " ".join(args) + "\n"


def _ls(args: list[str]) -> str:
    return "\n".join(arg for arg in args if not arg.startswith("-")) + "\n"


def _printf(args: list[str]) -> str | None:
    if not args:
        return None
    form, rest = args[0], args[1:]
    if "%" not in form:
        return _unescape(form)
    separator = _PLAIN_FORMAT.fullmatch(form)
    if separator is None:
        return None
    return "".join(arg + _unescape(separator[1]) for arg in rest)


def _unescape(text: str) -> str:
    return _ANSI_ESCAPES.sub(lambda match: _ESCAPED[match[1]], text)


_PRINTERS = {"echo": _echo, "ls": _ls, "printf": _printf}


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
        items, previous, current = _flush(items, current), current, Command()
        if token.text in ("|", "|&"):
            current.upstream = previous
        if token.text in ("(", ")"):
            items.append(Scope(token.text == "("))
    if pending is not None:
        current.redirections.append((pending, None))
    return _flush(items, current)


def _flush(items: list[Command | Scope], current: Command) -> list[Command | Scope]:
    if current.words or current.redirections:
        items.append(current)
    return items
