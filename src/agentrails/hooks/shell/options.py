"""Reading a command's options the way getopt-style tools do: clusters (``-rf``), values
attached or separate (``-tDIR``, ``-t DIR``, ``--target-directory=DIR``), optional values that
only attach (``sed -i.bak``), and ``--`` ending the options."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from agentrails.hooks.shell.words import PATTERN_CHARS, Word


@dataclass
class Options:
    """What a command line says: flags seen, option values, operands in order."""

    flags: set[str] = field(default_factory=set)
    values: dict[str, list[Word]] = field(default_factory=lambda: defaultdict(list))
    operands: list[Word] = field(default_factory=list)
    ended: bool = False
    """True when ``--`` was given."""

    def value(self, *names: str) -> Word | None:
        """The last value given for any of ``names``."""
        found = [word for name in names for word in self.values.get(name, [])]
        return found[-1] if found else None

    def has(self, *names: str) -> bool:
        return any(name in self.flags for name in names)


@dataclass(frozen=True)
class Syntax:
    """Which options take a value. ``attached``: letters whose value, if any, is the rest of
    the cluster (``-i.bak``). ``first_operand_ends``: options stop at the first operand
    (interpreters, wrappers: what follows belongs to the program they run)."""

    short: str = ""
    long: frozenset[str] = frozenset()
    attached: str = ""
    first_operand_ends: bool = False


def parse(args: list[Word], syntax: Syntax | None = None) -> Options:
    """Split ``args`` into flags, values and operands."""
    syntax = syntax or Syntax()
    found = Options()
    index = 0
    while index < len(args):
        text = args[index].text
        if text == "--":
            found.ended = True
            found.operands.extend(args[index + 1:])
            break
        if text.startswith("--"):
            index += _long(args, index, syntax, found)
        elif text.startswith("-") and len(text) > 1:
            index += _cluster(args, index, syntax, found)
        else:
            found.operands.append(args[index])
            if syntax.first_operand_ends:
                found.operands.extend(args[index + 1:])
                break
        index += 1
    return found


def _long(args: list[Word], index: int, syntax: Syntax, found: Options) -> int:
    """Read ``--name[=value]``; returns how many extra arguments it used."""
    name, equals, _ = args[index].text[2:].partition("=")
    found.flags.add(name)
    if equals:
        found.values[name].append(drop_prefix(args[index], len(name) + 3))
        return 0
    if name in syntax.long and index + 1 < len(args):
        found.values[name].append(args[index + 1])
        return 1
    return 0


def _cluster(args: list[Word], index: int, syntax: Syntax, found: Options) -> int:
    """Read ``-abc`` (a value-taking letter takes the rest, else the next argument)."""
    text = args[index].text
    for offset, letter in enumerate(text[1:], start=2):
        found.flags.add(letter)
        if letter in syntax.attached:
            if offset < len(text):
                found.values[letter].append(drop_prefix(args[index], offset))
            return 0
        if letter in syntax.short:
            if offset < len(text):
                found.values[letter].append(drop_prefix(args[index], offset))
                return 0
            if index + 1 < len(args):
                found.values[letter].append(args[index + 1])
                return 1
            return 0
    return 0


def drop_prefix(word: Word, count: int) -> Word:
    """``word`` without its first ``count`` characters (its pattern cut at the same place)."""
    position = seen = 0
    while seen < count and position < len(word.pattern):
        escaped = word.pattern[position] == "\\" and position + 1 < len(word.pattern)
        position += 2 if escaped else 1
        seen += 1
    return Word(word.text[count:], word.pattern[position:], word.substitutions)


def literal(text: str) -> Word:
    """A word standing for exactly ``text`` (no live glob characters)."""
    return Word(text, "".join("\\" + c if c in PATTERN_CHARS else c for c in text))
