"""Splitting a shell command line into words and operators as bash does, far enough to see
what the command would write.

``shlex`` (even with ``punctuation_chars``) cannot do this: it turns ``grep '>' f`` into a
redirection, reads ``a#b`` as a comment, drops newlines and loses ``$(...)``. This lexer keeps
what the guard needs: quote removal, which glob characters were quoted, operators (``;``,
``&&``, ``||``, ``|``, newlines, ``( )`` and every redirection with its file descriptor),
here-documents with their bodies, the commands inside ``$(...)``, backticks and ``<(...)``,
``~`` and the variables it knows (including ``NAME=value`` set earlier on the line). It never
raises: text bash would reject (an unclosed quote) is read as if closed.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Mapping
from contextvars import ContextVar
from dataclasses import dataclass

CONTROL = ("&&", "||", ";;&", ";;", ";&", "|&", "|", "&", ";", "(", ")", "\n")
REDIRECTIONS = ("&>>", "&>", ">>", ">|", ">&", ">", "<<<", "<<-", "<<", "<>", "<&", "<")
DECLARATIONS = frozenset({"export", "local", "declare", "typeset", "readonly"})
PATTERN_CHARS = frozenset("*?[]{},\\")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_ASSIGNMENT = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)\+?=")
_FD = re.compile(r"\d+|\{[A-Za-z_][A-Za-z0-9_]*\}")
_TILDE = re.compile(r"~[+-](?![A-Za-z0-9._-])|~[A-Za-z0-9._-]*")
_TILDE_FOLDERS = {"~+": "PWD", "~-": "OLDPWD"}
_HERE_COMMANDS = frozenset({"pwd", "pwd -L", "pwd -P", "realpath .", "readlink -f .",
                            "realpath -s ."})
"""Command substitutions whose output is the current folder."""
_WORD_ENDS = frozenset("/ \t\r\n;&|()<>")
_BALANCE = re.compile(r"[\\'\"()]")
_DOUBLE_QUOTE_END = re.compile(r'["\\]')
_PLAIN_RUN = re.compile(r"[^\s;&|()<>\\'\"$`]+")
_QUOTED_RUN = re.compile(r'[^"\\$`]+')
_NESTED_START = re.compile(r"[$`'\\]")
_BRACE_END = re.compile(r"[\\'\"}]|\$[({]")
MAX_NESTING = 64
"""Parentheses or ``${`` nested deeper than this are refused: no command needs them."""
_CHECK_EVERY = 512
_ESCAPES = str.maketrans({char: "\\" + char for char in PATTERN_CHARS})
_ANSI = re.compile(r"\\(x[0-9a-fA-F]{1,2}|[0-7]{1,3}|.)", re.DOTALL)
_ANSI_NAMED = {"n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "e": "\x1b", "E": "\x1b",
               "f": "\f", "v": "\v"}


@dataclass(frozen=True)
class Word:
    """One word after quote removal. ``pattern`` is ``text`` with every quoted glob or brace
    character escaped by a backslash, so only the live ones stay special."""

    text: str
    pattern: str
    substitutions: tuple[str, ...] = ()
    found: bool = False
    """True for ``find``'s ``{}``: it stands for what exists on disk, not for any name."""


@dataclass(frozen=True)
class Operator:
    """A control operator or a redirection (with its descriptor, ``2>``); ``<<`` carries the
    here-document's body."""

    text: str
    heredoc: str | None = None

    @property
    def redirection(self) -> str | None:
        """The redirection without its descriptor, None for a control operator."""
        bare = _FD.sub("", self.text, count=1) if self.text[:1] not in "<>&" else self.text
        return bare if bare in REDIRECTIONS else None


Token = Word | Operator


class TooComplex(Exception):
    """A command the guard will not read to the end: nested too deeply, expanding to too
    many words, or taking longer than the hook may take; the guard refuses it."""


def split(text: str, variables: Mapping[str, str] | None = None,
          deadline: float | None = None) -> list[Token]:
    """The words and operators of ``text``; ``variables`` are those the guard may expand.
    Raises TooComplex once ``time.monotonic()`` passes ``deadline``."""
    lexer = _Lexer(text, dict(variables or {}), deadline)
    lexer.run()
    return lexer.out


READING_UNTIL: ContextVar[float | None] = ContextVar("reading_until", default=None)
"""When the hook reading a command must stop (a ``time.monotonic()`` value), for the loops
that take no deadline of their own."""


def check_time(deadline: float | None = None) -> None:
    """Raise TooComplex when ``deadline`` (else ``READING_UNTIL``) has passed."""
    until = deadline if deadline is not None else READING_UNTIL.get()
    if until is not None and time.monotonic() > until:
        raise TooComplex("it takes too long to read")


def balanced(text: str, start: int, deadline: float | None = None) -> int:
    """The index of the ``)`` closing a ``(`` just before ``start`` (quotes respected), or
    ``len(text)`` when it never closes."""
    depth, index, steps = 1, start, 0
    while (found := _BALANCE.search(text, index)) is not None:
        steps += 1
        if steps % _CHECK_EVERY == 0:
            check_time(deadline)
        index, char = found.start(), found[0]
        if char == "\\":
            index += 2
            continue
        if char in "'\"":
            index = _quote_end(text, index + 1, char)
        elif char == "(":
            depth += 1
            if depth > MAX_NESTING:
                raise TooComplex(f"it nests more than {MAX_NESTING} levels of parentheses")
        else:
            depth -= 1
            if depth == 0:
                return index
        index += 1
    return len(text)


def nested_commands(text: str, deadline: float | None = None) -> list[str]:
    """The commands run by ``$(...)`` and backticks inside arithmetic or a ``${...}``
    expansion (``$(( $(cmd) + 1 ))``, ``${x:-$(cmd)}``), which run although the text
    around them is not a command."""
    found: list[str] = []
    if "$(" not in text and "`" not in text:
        return found
    index = 0
    while (jump := _NESTED_START.search(text, index)) is not None:
        check_time(deadline)
        index = jump.start()
        if text.startswith("$((", index):
            end = balanced(text, index + 2, deadline)
            found += nested_commands(text[index + 3:end], deadline)
            index = end + 1
        elif text.startswith("$(", index):
            end = balanced(text, index + 2, deadline)
            found.append(text[index + 2:end])
            index = end + 1
        elif text[index] == "`":
            end = text.find("`", index + 1)
            end = len(text) if end < 0 else end
            found.append(text[index + 1:end])
            index = end + 1
        elif text[index] == "'":
            index = _quote_end(text, index + 1, "'") + 1
        else:
            index += 2 if text[index] == "\\" else 1
    return found


def _brace_end(text: str, start: int, deadline: float | None = None) -> int:
    """The index of the ``}`` closing a ``${`` whose name starts at ``start`` (nested
    ``${...}``, ``$(...)`` and quotes skipped), or ``len(text)``."""
    depth, index = 1, start
    while (found := _BRACE_END.search(text, index)) is not None:
        index, char = found.start(), found[0]
        if char == "\\":
            index += 2
            continue
        if char in "'\"":
            index = _quote_end(text, index + 1, char)
        elif char == "$(":
            index = balanced(text, index + 2, deadline)
        elif char == "${":
            depth += 1
            index += 1
            if depth > MAX_NESTING:
                raise TooComplex(f"it nests more than {MAX_NESTING} levels of ${{...}}")
        else:
            depth -= 1
            if depth == 0:
                return index
        index += 1
    return len(text)


def _quote_end(text: str, start: int, quote: str) -> int:
    if quote == "'":
        end = text.find("'", start)
        return len(text) if end < 0 else end
    index = start
    while (found := _DOUBLE_QUOTE_END.search(text, index)) is not None:
        if found[0] == '"':
            return found.start()
        index = found.start() + 2
    return len(text)


def _ansi_c(body: str) -> str:
    """The value of a ``$'...'`` string."""

    count = 0

    def one(match: re.Match[str]) -> str:
        nonlocal count
        count += 1
        if count % _CHECK_EVERY == 0:
            check_time()
        code = match[1]
        if code[0] == "x":
            return chr(int(code[1:], 16))
        if code[0] in "01234567":
            return chr(int(code, 8))
        return _ANSI_NAMED.get(code, code)

    return _ANSI.sub(one, body)


class _Lexer:
    """A single pass over the text; ``out`` collects the tokens."""

    def __init__(self, text: str, variables: dict[str, str], deadline: float | None = None):
        self.text, self.variables, self.deadline = text, variables, deadline
        self.pos = 0
        self.out: list[Token] = []
        self.command_start = True
        self.declaring = False
        self.awaiting: list[tuple[int, bool]] = []
        self.due: list[tuple[int, str, bool]] = []
        self.word_start = 0
        self._reset()

    def _reset(self) -> None:
        self.chars: list[str] = []
        self.pattern: list[str] = []
        self.subs: list[str] = []
        self.active = False

    def run(self) -> None:
        steps = 0
        while self.pos < len(self.text):
            self._step(self.text[self.pos])
            steps += 1
            if steps % _CHECK_EVERY == 0:
                check_time(self.deadline)
        self._end_word()
        for index, _, _ in self.due:
            self._attach(index, "")

    def _step(self, char: str) -> None:
        if char in " \t\r":
            self._end_word()
            self.pos += 1
        elif char == "\n":
            self._end_word()
            self._control("\n")
            self._read_heredocs()
        elif char == "#" and not self.active:
            end = self.text.find("\n", self.pos)
            self.pos = len(self.text) if end < 0 else end
        elif char in ";&|()<>":
            self._operator(char)
        else:
            self._word_char(char)

    def _word_char(self, char: str) -> None:
        if not self.active:
            self.word_start = self.pos
        if char == "\\":
            self._escape()
        elif char == "'":
            end = _quote_end(self.text, self.pos + 1, "'")
            self._add(self.text[self.pos + 1:end], quoted=True)
            self.pos = end + 1
        elif char == '"':
            self._double_quoted()
        elif char == "$":
            self._dollar(quoted=False)
        elif char == "`":
            self._backtick()
        elif char == "~" and not self.active:
            self._tilde()
        else:
            run = _PLAIN_RUN.match(self.text, self.pos)
            end = run.end() if run else self.pos + 1
            self._add(self.text[self.pos:end], quoted=False)
            self.pos = end

    def _escape(self) -> None:
        following = self.text[self.pos + 1:self.pos + 2]
        if following and following != "\n":
            self._add(following, quoted=True)
        self.pos += 2

    def _double_quoted(self) -> None:
        self.pos += 1
        self.active = True
        while self.pos < len(self.text) and self.text[self.pos] != '"':
            char = self.text[self.pos]
            if char == "\\" and self.text[self.pos + 1:self.pos + 2] in ("$", "`", '"', "\\"):
                self._add(self.text[self.pos + 1], quoted=True)
                self.pos += 2
            elif char == "\\" and self.text[self.pos + 1:self.pos + 2] == "\n":
                self.pos += 2
            elif char == "$":
                self._dollar(quoted=True)
            elif char == "`":
                self._backtick()
            else:
                run = _QUOTED_RUN.match(self.text, self.pos)
                end = run.end() if run else self.pos + 1
                self._add(self.text[self.pos:end], quoted=True)
                self.pos = end
        self.pos += 1

    def _dollar(self, quoted: bool) -> None:
        following = self.text[self.pos + 1:self.pos + 2]
        if following == "(":
            self._substitution(self.pos + 2, "$(")
        elif following == "{":
            self._braced_variable(quoted)
        elif following == "'" and not quoted:
            end = _quote_end(self.text, self.pos + 2, "'")
            self._add(_ansi_c(self.text[self.pos + 2:end]), quoted=True)
            self.pos = end + 1
        elif following == '"' and not quoted:
            self.pos += 1
        else:
            self._plain_variable(quoted)

    def _substitution(self, start: int, opener: str) -> None:
        end = balanced(self.text, start, self.deadline)
        inner = self.text[start:end]
        self.pos = end + 1
        if opener == "$(" and " ".join(inner.split()) in _HERE_COMMANDS and (
                "PWD" in self.variables):
            self._add(self.variables["PWD"], quoted=True)
            return
        if opener == "$(" and inner.startswith("("):  # $((arithmetic)): only what it nests
            self.subs.extend(nested_commands(inner[1:], self.deadline))
        else:
            self.subs.append(inner)
        self._add(f"{opener}{inner})", quoted=True)

    def _braced_variable(self, quoted: bool) -> None:
        end = _brace_end(self.text, self.pos + 2, self.deadline)
        inner = self.text[self.pos + 2:end]
        self.pos = end + 1
        self.subs.extend(nested_commands(inner, self.deadline))
        self._expand(inner, "${" + inner + "}", quoted)

    def _plain_variable(self, quoted: bool) -> None:
        match = _NAME.match(self.text, self.pos + 1)
        if match is None:
            special = self.text[self.pos + 1:self.pos + 2]
            special = special if special and special in "@*#?$!-0123456789" else ""
            self._add("$" + special, quoted=True)
            self.pos += 1 + len(special)
            return
        self.pos = match.end()
        self._expand(match[0], "$" + match[0], quoted)

    def _expand(self, name: str, written: str, quoted: bool) -> None:
        value = self.variables.get(name)
        if value is None:
            self._add(written, quoted=True)
        else:
            self._add(value, quoted=quoted)

    def _backtick(self) -> None:
        index = self.pos + 1
        while index < len(self.text) and self.text[index] != "`":
            index += 2 if self.text[index] == "\\" else 1
        inner = self.text[self.pos + 1:index]
        self.pos = index + 1
        if " ".join(inner.split()) in _HERE_COMMANDS and "PWD" in self.variables:
            self._add(self.variables["PWD"], quoted=True)
            return
        self.subs.append(re.sub(r"\\([`$\\])", r"\1", inner))
        self._add(f"`{inner}`", quoted=True)

    def _tilde(self) -> None:
        match = _TILDE.match(self.text, self.pos)
        assert match is not None
        self.pos = match.end()
        following = self.text[self.pos:self.pos + 1]
        if following and following not in _WORD_ENDS:
            self._add(match[0], quoted=True)  # ~"x" or ~$x: bash leaves the tilde alone
            return
        if match[0] in _TILDE_FOLDERS:
            folder = self.variables.get(_TILDE_FOLDERS[match[0]])
            self._add(folder if folder is not None else match[0], quoted=True)
            return
        home = self.variables.get("HOME") if match[0] == "~" else None
        self._add(home or os.path.expanduser(match[0]), quoted=True)

    def _add(self, text: str, quoted: bool) -> None:
        self.active = True
        self.chars.append(text)
        if quoted:
            self.pattern.append(text.translate(_ESCAPES))
        else:
            self.pattern.append(text)

    def _operator(self, char: str) -> None:
        if char in "<>" and self.text[self.pos + 1:self.pos + 2] == "(":
            self._process_substitution(char)
            return
        descriptor = self._descriptor() if char in "<>" else ""
        self._end_word()
        for candidate in REDIRECTIONS if char in "<>&" else ():
            if self.text.startswith(candidate, self.pos):
                self.pos += len(candidate)
                self._redirection(descriptor + candidate, candidate)
                return
        self._control(next(c for c in CONTROL if self.text.startswith(c, self.pos)))

    def _process_substitution(self, char: str) -> None:
        """``<(cmd)`` or ``>(cmd)``: a word naming a pipe, and a command to read."""
        self._end_word()
        self._substitution(self.pos + 2, char + "(")
        self.chars, self.pattern = ["/dev/fd/63"], ["/dev/fd/63"]

    def _descriptor(self) -> str:
        """The word just read, taken as a redirection's descriptor (``2``, ``{fd}``) if it is
        one (an empty string if not)."""
        written = self.text[self.word_start:self.pos]
        if not self.active or not _FD.fullmatch(written):
            return ""
        self._reset()
        return written

    def _redirection(self, text: str, bare: str) -> None:
        self.out.append(Operator(text))
        if bare in ("<<", "<<-"):
            self.awaiting.append((len(self.out) - 1, bare == "<<-"))

    def _control(self, text: str) -> None:
        self.pos += len(text)
        self.out.append(Operator(text))
        self.command_start, self.declaring = True, False

    def _end_word(self) -> None:
        if not self.active:
            return
        word = Word("".join(self.chars), "".join(self.pattern), tuple(self.subs))
        self.out.append(word)
        self._reset()
        if self.awaiting:
            index, strip = self.awaiting.pop(0)
            self.due.append((index, word.text, strip))
            return
        self._note_assignment(word)

    def _note_assignment(self, word: Word) -> None:
        """Remember ``NAME=value`` said where bash would take it as an assignment."""
        match = _ASSIGNMENT.match(word.text)
        if (self.command_start or self.declaring) and match:
            if word.substitutions:
                self.variables.pop(match[1], None)
            else:
                self.variables[match[1]] = word.text[match.end():]
            return
        self.declaring = self.command_start and word.text in DECLARATIONS
        self.command_start = False

    def _read_heredocs(self) -> None:
        for index, delimiter, strip in self.due:
            lines = []
            while self.pos < len(self.text):
                end = self.text.find("\n", self.pos)
                end = len(self.text) if end < 0 else end
                line = self.text[self.pos:end]
                self.pos = end + 1
                if (line.lstrip("\t") if strip else line) == delimiter:
                    break
                lines.append(line)
            self._attach(index, "\n".join(lines))
        self.due = []

    def _attach(self, index: int, body: str) -> None:
        operator = self.out[index]
        if isinstance(operator, Operator):
            self.out[index] = Operator(operator.text, heredoc=body)
