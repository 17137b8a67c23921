"""``git`` commands that rewrite files in the work tree from a path: ``checkout`` and
``restore`` of paths, ``rm`` and ``mv``. Switching branches, committing and reading are left
alone (the server-side rulesets guard what reaches a protected branch)."""

from __future__ import annotations

from agentrails.hooks.shell.effects import Effects
from agentrails.hooks.shell.options import Syntax, drop_prefix, parse
from agentrails.hooks.shell.words import Word

_GLOBAL_VALUES = frozenset({"git-dir", "work-tree", "namespace", "config-env", "super-prefix",
                            "exec-path", "list-cmds"})
_SUBCOMMANDS: dict[str, Syntax] = {
    "checkout": Syntax("bBU", frozenset({"orphan", "conflict", "pathspec-from-file"})),
    "restore": Syntax("sU", frozenset({"source", "conflict", "pathspec-from-file"})),
    "rm": Syntax("", frozenset({"pathspec-from-file"})),
    "mv": Syntax(),
}


def git(name: str, args: list[Word], stdin: str | None) -> Effects:
    """The paths ``git [-C DIR] checkout|restore|rm|mv`` would rewrite (a path given to them
    covers everything under it)."""
    base, index = _global_options(args)
    found = Effects(base=base)
    if index >= len(args) or args[index].text not in _SUBCOMMANDS:
        return found
    subcommand = args[index].text
    options = parse(args[index + 1:], _SUBCOMMANDS[subcommand])
    paths = options.operands
    if subcommand == "checkout" and options.ended:
        paths = _after_separator(args[index + 1:])
    return found.write(f"git {subcommand}", [_pathspec(word) for word in paths], recursive=True)


def _global_options(args: list[Word]) -> tuple[Word | None, int]:
    """``git``'s own options: the last ``-C DIR`` (joined onto earlier ones) and where the
    subcommand is."""
    base: Word | None = None
    index = 0
    while index < len(args) and args[index].text.startswith("-"):
        text = args[index].text
        if text == "-C" and index + 1 < len(args):
            following = args[index + 1]
            base = following if base is None or following.text.startswith("/") else Word(
                f"{base.text}/{following.text}", f"{base.pattern}/{following.pattern}")
            index += 1
        elif text == "-c" or text.lstrip("-") in _GLOBAL_VALUES:
            index += 1
        index += 1
    return base, index


def _after_separator(args: list[Word]) -> list[Word]:
    texts = [word.text for word in args]
    return args[texts.index("--") + 1:]


def _pathspec(word: Word) -> Word:
    """A pathspec without its magic: ``:(top)x`` and ``:/x`` are from the work tree's top,
    which the guard reads as the project root."""
    text = word.text
    if not (text.startswith(":(") and ")" in text):
        return word
    cut = text.index(")") + 1
    rest = drop_prefix(word, cut)
    if "top" in text[2:cut - 1]:
        return Word(f":/{rest.text}", f":/{rest.pattern}")
    return rest
