"""The file utilities that write the paths they are given, and which operand each writes:
``cp a b`` writes b, ``mv a b`` both, ``-t DIR`` forms, ``chmod MODE FILE``, ``dd of=``,
``sed -i``, ``tee`` and the like. Reading commands are simply absent."""

from __future__ import annotations

import re
from collections.abc import Callable

from agentrails.hooks.shell.effects import Effects, Target
from agentrails.hooks.shell.options import Options, Syntax, drop_prefix, literal, parse
from agentrails.hooks.shell.words import Word

Handler = Callable[[str, list[Word]], Effects]
_COPY = Syntax("tS", frozenset({"target-directory", "suffix"}))
_CHMOD_FLAGS = re.compile(r"-[cfvR]+")


def copy_like(name: str, args: list[Word]) -> Effects:
    """``cp``, ``mv``, ``ln``, ``install``, ``rsync``: the destination (or ``-t DIR``); ``mv``
    also removes its sources, and a hard link (``ln``, ``cp -l``) counts as writing them."""
    syntax = Syntax("tSmog", _COPY.long) if name == "install" else _COPY
    options = parse(args, syntax)
    found = Effects()
    if name == "install" and options.has("d", "directory"):
        return found.write(name, options.operands)
    recursive = name in ("mv", "rsync") or options.has("r", "R", "a", "recursive", "archive")
    directory = options.value("t", "target-directory")
    sources, destination = _destination(name, options.operands, directory)
    no_target_dir = options.has("T", "no-target-directory")
    if destination is not None:
        into = None if no_target_dir or name == "rsync" else tuple(sources)
        found.targets.append(Target(destination, name, recursive, into))
    if name == "mv":
        found.write(name, sources, recursive=True)
    elif _hard_link(name, options):
        found.write(f"{name} (a hard link makes it writable under another name)", sources)
    return found


def _hard_link(name: str, options: Options) -> bool:
    """``ln`` without ``-s``, or ``cp -l``: a second name for each source."""
    return (name == "ln" and not options.has("s", "symbolic")) or options.has("l", "link")


def _destination(
    name: str, operands: list[Word], directory: Word | None
) -> tuple[list[Word], Word | None]:
    if directory is not None:
        return operands, directory
    if len(operands) >= 2:
        return operands[:-1], operands[-1]
    if name == "ln" and operands:
        return operands, literal(".")  # ln TARGET: a link named like it, here
    return operands, None


def removers(name: str, args: list[Word]) -> Effects:
    """``rm``, ``rmdir``, ``unlink``, ``shred``, ``mkdir``, ``touch``, ``truncate``: every
    operand."""
    syntax = {
        "mkdir": Syntax("m", frozenset({"mode"})),
        "touch": Syntax("drt", frozenset({"date", "reference"})),
        "truncate": Syntax("sr", frozenset({"size", "reference"})),
        "shred": Syntax("ns", frozenset({"iterations", "size", "random-source"})),
    }.get(name, Syntax())
    options = parse(args, syntax)
    recursive = name == "rm" and options.has("r", "R", "recursive")
    return Effects().write(name, options.operands, recursive)


def chmod(name: str, args: list[Word]) -> Effects:
    """``chmod MODE FILE...`` (a mode may look like an option: ``chmod -w f``)."""
    operands, recursive, reference = [], False, False
    for index, word in enumerate(args):
        if word.text == "--":
            operands.extend(args[index + 1:])
            break
        if word.text.startswith("--"):
            recursive = recursive or word.text == "--recursive"
            reference = reference or word.text.startswith("--reference=")
        elif _CHMOD_FLAGS.fullmatch(word.text):
            recursive = recursive or "R" in word.text
        else:
            operands.append(word)
    return Effects().write(name, operands if reference else operands[1:], recursive)


def chown(name: str, args: list[Word]) -> Effects:
    """``chown OWNER FILE...`` and ``chgrp GROUP FILE...``."""
    options = parse(args, Syntax("", frozenset({"from"})))
    files = options.operands if options.has("reference") else options.operands[1:]
    return Effects().write(name, files, options.has("R", "recursive"))


def dd(name: str, args: list[Word]) -> Effects:
    """``dd of=FILE``."""
    return Effects().write(name, [drop_prefix(w, 3) for w in args if w.text.startswith("of=")])


def tee(name: str, args: list[Word]) -> Effects:
    """``tee [-a] FILE...``."""
    return Effects().write(name, parse(args).operands)


def sed(name: str, args: list[Word]) -> Effects:
    """``sed -i`` (GNU ``-i[SUFFIX]``, ``--in-place``; BSD ``-i ''`` reads as a file too)."""
    options = parse(args, Syntax("efl", frozenset({"expression", "file", "line-length"}), "i"))
    if not options.has("i", "in-place"):
        return Effects()
    scripted = options.value("e", "f", "expression", "file") is not None
    return Effects().write(f"{name} -i", options.operands[0 if scripted else 1:])


def output_option(name: str, args: list[Word]) -> Effects:
    """``sort -o FILE``, ``curl -o FILE``, ``wget -O FILE``."""
    letter, long = ("O", "output-document") if name == "wget" else ("o", "output")
    options = parse(args, Syntax(letter + ("d" if name == "curl" else ""), frozenset({long})))
    written = options.values.get(letter, []) + options.values.get(long, [])
    return Effects().write(f"{name} -{letter}", written)


FILE_COMMANDS: dict[str, Handler] = {
    **dict.fromkeys(("cp", "mv", "ln", "install", "rsync"), copy_like),
    **dict.fromkeys(("rm", "rmdir", "unlink", "shred", "mkdir", "touch", "truncate"), removers),
    "chmod": chmod,
    **dict.fromkeys(("chown", "chgrp"), chown),
    "dd": dd,
    "tee": tee,
    **dict.fromkeys(("sed", "gsed"), sed),
    **dict.fromkeys(("sort", "curl", "wget"), output_option),
}
