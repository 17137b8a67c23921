"""Commands that run other commands or code: wrappers (``sudo``, ``env``, ``xargs``, ...),
shells (``bash -c``, ``eval``), interpreters (``python -c``, ``perl -e``, ``node -e``,
``ruby -e`` and a here-document on stdin), ``find -exec``/``-delete``, ``git`` and ``cd``."""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable

from agentrails.hooks.shell.effects import Effects
from agentrails.hooks.shell.options import Options, Syntax, literal, parse
from agentrails.hooks.shell.words import Word, split

Handler = Callable[[str, list[Word], str | None], Effects]

WRAPPERS: dict[str, Syntax] = {
    "sudo": Syntax("CDghprtTUuR", frozenset({"user", "group", "chdir", "prompt"}),
                   first_operand_ends=True),
    "doas": Syntax("uC", first_operand_ends=True),
    "command": Syntax(first_operand_ends=True),
    "builtin": Syntax(first_operand_ends=True),
    "exec": Syntax("a", first_operand_ends=True),
    "nice": Syntax("n", frozenset({"adjustment"}), first_operand_ends=True),
    "nohup": Syntax(first_operand_ends=True),
    "time": Syntax("fo", frozenset({"format", "output"}), first_operand_ends=True),
    "stdbuf": Syntax("ioe", frozenset({"input", "output", "error"}), first_operand_ends=True),
    "ionice": Syntax("cnp", first_operand_ends=True),
    "xargs": Syntax("aEdILnPs", frozenset({"arg-file", "delimiter", "max-args", "max-procs",
                                          "max-lines", "max-chars", "eof"}), "iel", True),
}
_SHELL = Syntax("oO", first_operand_ends=True)
_INTERPRETERS: dict[str, Syntax] = {
    "python": Syntax("cmWX", first_operand_ends=True),
    "perl": Syntax("eEIMm", attached="il0x", first_operand_ends=True),
    "ruby": Syntax("eIrCE", attached="ilx0W", first_operand_ends=True),
    "node": Syntax("epr", frozenset({"eval", "print", "require", "import", "input-type"}),
                   first_operand_ends=True),
}
_CODE_OPTIONS = ("c", "e", "E", "p", "eval", "print")
_PYTHON = re.compile(r"python(\d+(\.\d+)?)?")
_FIND_ACTIONS = frozenset({"-exec", "-execdir", "-ok", "-okdir"})
_FIND_OUTPUTS = frozenset({"-fprint", "-fprint0", "-fprintf", "-fls"})


def wrapper(name: str, args: list[Word], stdin: str | None) -> Effects:
    """``sudo CMD``, ``xargs CMD``, ...: the wrapped command (``sudo -e FILE`` edits FILE)."""
    options = parse(args, WRAPPERS[name])
    found = Effects()
    if name == "sudo" and options.has("e", "edit"):
        return found.write("sudo -e", options.operands)
    if name == "command" and options.has("v", "V"):
        return found
    if name == "time" and options.value("o", "output") is not None:
        found.write("time -o", [w for w in options.values.get("o", []) + options.values.get(
            "output", [])])
    found.commands.extend(_wrapped(name, options, stdin))
    return found


def _wrapped(name: str, options: Options, stdin: str | None) -> list[list[Word]]:
    """The commands a wrapper runs: its operands (``xargs`` adds what it reads)."""
    if not options.operands:
        return []
    if name == "xargs" and stdin is not None:
        return _fed(options, stdin)
    return [options.operands]


def _fed(options: Options, stdin: str) -> list[list[Word]]:
    """The commands ``xargs`` runs with the words it reads (``-I R`` replaces R)."""
    delimiter = "\0" if options.has("0", "null") else None
    fed = [literal(text) for text in stdin.split(delimiter) if text.strip()]
    replace = options.value("I")
    if replace is None:
        return [options.operands + fed]
    return [[literal(word.text.replace(replace.text, item.text)) if replace.text in word.text
             else word for word in options.operands] for item in fed]


def env(name: str, args: list[Word], stdin: str | None) -> Effects:
    """``env [-C DIR] [-S 'CMD ARGS'] [NAME=VALUE...] CMD``."""
    options = parse(args, Syntax("uCS", frozenset({"unset", "chdir", "split-string"}), "", True))
    command = list(options.operands)
    while command and re.match(r"[A-Za-z_][A-Za-z0-9_]*=", command[0].text):
        command.pop(0)
    split_string = options.value("S", "split-string")
    if split_string is not None:
        command = [t for t in split(split_string.text) if isinstance(t, Word)] + command
    found = Effects(base=options.value("C", "chdir"))
    if command:
        found.commands.append(command)
    return found


def timeout(name: str, args: list[Word], stdin: str | None) -> Effects:
    """``timeout [-s SIG] [-k T] DURATION CMD``."""
    options = parse(args, Syntax("sk", frozenset({"signal", "kill-after"}), "", True))
    return Effects(commands=[options.operands[1:]] if len(options.operands) > 1 else [])


def shell(name: str, args: list[Word], stdin: str | None) -> Effects:
    """``bash -c SCRIPT``, ``sh -lc``, ``bash`` reading a here-document, ``eval ARGS``."""
    if name == "eval":
        return Effects(scripts=[("eval", " ".join(word.text for word in args))])
    options = parse([w for w in args if not w.text.startswith("+")], _SHELL)
    if options.has("c") and options.operands:
        return Effects(scripts=[(f"{name} -c", options.operands[0].text)])
    if stdin is not None and (not options.operands or options.has("s")):
        return Effects(scripts=[(name, stdin)])
    return Effects()


def interpreter(name: str, args: list[Word], stdin: str | None) -> Effects:
    """Code given on the command line or on stdin; ``perl -i``/``ruby -i`` edit in place."""
    family = "python" if _PYTHON.fullmatch(name) else name.removesuffix("js")
    options = parse(args, _INTERPRETERS[family])
    found = Effects()
    if family == "python" and options.value("m") is not None:
        return found
    code = _code(options, stdin)
    if family in ("perl", "ruby") and options.has("i"):
        given = any(options.values.get(key) for key in _CODE_OPTIONS)
        found.write(f"{name} -i", options.operands if given else options.operands[1:])
    found.code.extend((name, text) for text in code)
    return found


def _code(options: Options, stdin: str | None) -> list[str]:
    """The program text: given with ``-c``/``-e``/..., else stdin when no script file is
    named (or it is ``-``)."""
    code = [word.text for key in _CODE_OPTIONS for word in options.values.get(key, [])]
    operands = options.operands
    if not code and stdin is not None and (not operands or operands[0].text == "-"):
        code.append(stdin)
    return code


def find(name: str, args: list[Word], stdin: str | None) -> Effects:
    """``find START... -delete`` removes what it finds under START; ``-exec CMD {} ;`` runs
    CMD on it; ``-fprint FILE`` writes FILE. One ``-name``/``-iname`` test narrows what is
    found; what is found is what exists, so it is checked against the disk."""
    starts, expression = _find_starts(args)
    matches = _found(starts, expression)
    found = Effects()
    for position, word in enumerate(expression):
        if word.text == "-delete":
            found.write("find -delete", matches)
        elif word.text in _FIND_OUTPUTS and position + 1 < len(expression):
            found.write(f"find {word.text}", [expression[position + 1]])
        elif word.text in _FIND_ACTIONS:
            found.commands.extend(_find_action(expression[position + 1:], matches))
    return found


def _find_starts(args: list[Word]) -> tuple[list[Word], list[Word]]:
    """``find``'s starting points (default ``.``) and its expression."""
    index = 0
    while index < len(args) and args[index].text in ("-H", "-L", "-P"):
        index += 1
    starts = []
    while index < len(args) and not args[index].text.startswith(("-", "(", "!", ")")):
        starts.append(args[index])
        index += 1
    return starts or [literal(".")], args[index:]


def _found(starts: list[Word], expression: list[Word]) -> list[Word]:
    """Patterns for what ``find`` finds under each start: ``START/**/NAME`` when the
    expression has one ``-name`` test and no ``-o``, else everything under START."""
    name = _only_name(expression)
    found = []
    for start in starts:
        text, pattern = start.text.rstrip("/") or "/", start.pattern.rstrip("/") or "/"
        if name is None or fnmatch.fnmatchcase(text.rsplit("/", 1)[-1].lower(), name.lower()):
            found.append(Word(text, pattern, found=True))
        below = "**" if name is None else f"**/{name}"
        found.append(Word(f"{text}/{below}", f"{pattern}/{below}", found=True))
    return found


def _only_name(expression: list[Word]) -> str | None:
    """The pattern of the expression's one ``-name``/``-iname`` test, None unless there is
    exactly one and no ``-o``."""
    texts = [word.text for word in expression]
    tests = [i for i, text in enumerate(texts) if text in ("-name", "-iname")]
    if len(tests) != 1 or tests[0] + 1 >= len(texts) or "-o" in texts:
        return None
    return texts[tests[0] + 1]


def _find_action(words: list[Word], matches: list[Word]) -> list[list[Word]]:
    """The command of ``-exec CMD ... ;``, once for each pattern of what is found."""
    end = next((i for i, w in enumerate(words) if w.text in (";", "+")), len(words))
    return [[match if w.text == "{}" else w for w in words[:end]] for match in matches]


def change_directory(name: str, args: list[Word], stdin: str | None) -> Effects:
    """``cd DIR``, ``pushd DIR``, ``popd``: later commands start there (``cd`` alone: home;
    ``cd -``: the previous folder; ``pushd`` alone swaps the two top folders)."""
    operands = [word for word in args if word.text == "-" or not word.text.startswith(("-", "+"))]
    target = operands[0] if operands else (literal("~") if name == "cd" else None)
    return Effects(chdir=(name, target))


PROGRAMS: dict[str, Handler] = {
    **dict.fromkeys(WRAPPERS, wrapper),
    "env": env,
    "timeout": timeout,
    **dict.fromkeys(("bash", "sh", "zsh", "dash", "ksh", "eval"), shell),
    **dict.fromkeys(("perl", "ruby", "node", "nodejs"), interpreter),
    "find": find,
    **dict.fromkeys(("cd", "pushd", "popd"), change_directory),
}


def program(name: str) -> Handler | None:
    """The handler for ``name`` (``python3.12`` is python)."""
    if _PYTHON.fullmatch(name):
        return interpreter
    return PROGRAMS.get(name)
