"""Which paths inside the project a shell command line writes: every simple command of it
(after ``;``, ``&&``, ``||``, ``|``, newlines, in subshells, ``$(...)``, backticks,
arithmetic, ``bash -c`` and ``eval``), its redirections, the file utilities and ``git``
commands that write, and interpreter code that writes. ``cd``, ``pushd`` and ``popd`` move
the folder later paths start from (not beyond a subshell's ``)``), and ``$PWD``, ``~+``,
``$OLDPWD``, ``~-`` and ``/proc/self/cwd`` follow them."""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass

from agentrails.hooks.shell.code import named_paths, writes_files
from agentrails.hooks.shell.commands import Command, Scope, group
from agentrails.hooks.shell.effects import Effects, Target
from agentrails.hooks.shell.files import FILE_COMMANDS
from agentrails.hooks.shell.git import git
from agentrails.hooks.shell.glob_overlap import has_glob, unescape
from agentrails.hooks.shell.path_rules import PathRules
from agentrails.hooks.shell.paths import escape, expand_braces, project_pattern
from agentrails.hooks.shell.programs import program
from agentrails.hooks.shell.words import TooComplex, Word, check_time, split

MAX_DEPTH = 8
"""Commands nested deeper than this (``bash -c "bash -c ..."``) are refused unread."""
LONGEST_PATH = 4096
"""Longer paths cannot be opened (Linux's PATH_MAX); a longer pattern is refused unread."""
MOST_PATHS = 2000
"""Interpreter code with more different string literals than this is refused unread."""
HERE, BEFORE = "\0PWD\0", "\0OLDPWD\0"
"""What ``$PWD`` and ``$OLDPWD`` stand for until the walk knows the folder (a NUL never
appears in a command)."""
_RECURSIVE_CODE = re.compile(r"rmtree|rmSync|rm_r|remove_dir|copytree|\bmove|\.move|rename")
_PROC_FOLDER = re.compile(r"^/proc/(?:self|thread-self|\$\$|\d+)/(cwd|root)(?=/|$)")
_CDPATH = re.compile(r"^CDPATH=")


@dataclass(frozen=True)
class Write:
    """A path the command line writes: ``pattern`` relative to the project root (``""`` is
    the root), with live glob characters; ``recursive`` covers everything under it."""

    via: str
    pattern: str
    recursive: bool = False
    on_disk: bool = False
    """The pattern stands for what exists now (``find``), so it is checked against the disk."""


class TooDeep(TooComplex):
    """The command nests more than ``MAX_DEPTH`` levels of commands."""


@dataclass(frozen=True)
class Place:
    """Where the command runs: its folder, the project root, the platform's path rules, the
    environment variables the guard may expand, and when reading must stop (a
    ``time.monotonic()`` value)."""

    cwd: str
    root: str
    rules: PathRules
    variables: Mapping[str, str]
    deadline: float | None = None


@dataclass(frozen=True)
class Folders:
    """The shell's folder, the previous one (``cd -``) and the ``pushd`` stack."""

    cwd: str
    old: str
    stack: tuple[str, ...] = ()


def writes(command: str, place: Place) -> list[Write]:
    """Every write inside the project that ``command`` asks for, in order.
    Raises TooComplex for commands nested, expanding or taking beyond reading."""
    walk = _Walk(place)
    walk.script(command, Folders(place.cwd, place.variables.get("OLDPWD", place.cwd)), 0)
    return walk.found


class _Walk:
    def __init__(self, place: Place):
        self.place = place
        self.variables = {**place.variables, "PWD": HERE, "OLDPWD": BEFORE}
        self.found: list[Write] = []
        self.cdpath: list[str] = []

    def script(self, text: str, dirs: Folders, depth: int) -> Folders:
        if depth > MAX_DEPTH:
            raise TooDeep(f"it nests more than {MAX_DEPTH} levels of commands")
        saved: list[Folders] = []
        for item in group(split(text, self.variables, self.place.deadline)):
            check_time(self.place.deadline)
            if isinstance(item, Scope) and item.opens:
                saved.append(dirs)
            elif isinstance(item, Scope):
                dirs = saved.pop() if saved else dirs
            else:
                dirs = self.command(item, dirs, depth)
        return dirs

    def command(self, command: Command, dirs: Folders, depth: int) -> Folders:
        """Check one simple command; returns the folders later commands start from."""
        words = command.words + [target for _, target in command.redirections if target]
        for word in words:
            for inner in word.substitutions:
                self.script(inner, dirs, depth + 1)
            if _CDPATH.match(word.text):
                self.cdpath = word.text.split("=", 1)[1].split(":")
        for operator, target in command.written():
            self.target(Target(target, f"{operator} redirection"), dirs)
        return self.invocation(command.program(), command.stdin(), dirs, depth)

    def invocation(self, words: list[Word], stdin: str | None, dirs: Folders,
                   depth: int) -> Folders:
        if depth > MAX_DEPTH:
            raise TooDeep(f"it nests more than {MAX_DEPTH} levels of commands")
        if not words:
            return dirs
        effects = _effects(words[0].text, words[1:], stdin)
        here = dirs if effects.base is None else dataclasses.replace(
            dirs, cwd=self.folder(effects.base, dirs))
        for target in effects.targets:
            self.target(target, here)
        for wrapped in effects.commands:
            self.invocation(wrapped, stdin, here, depth + 1)
        for _, text in effects.scripts:
            self.script(text, here, depth + 1)
        for what, code in effects.code:
            self.code(what, code, here)
        return self.move(effects.chdir, dirs) if effects.chdir is not None else dirs

    def move(self, change: tuple[str, Word | None], dirs: Folders) -> Folders:
        """The folders after ``cd``, ``pushd`` or ``popd``."""
        kind, word = change
        if kind == "popd":
            return Folders(dirs.stack[0], dirs.cwd, dirs.stack[1:]) if dirs.stack else dirs
        if word is None:  # pushd alone swaps the two top folders
            return Folders(dirs.stack[0], dirs.cwd, (dirs.cwd, *dirs.stack[1:])) \
                if dirs.stack else dirs
        target = dirs.old if word.text == "-" else self.folder(word, dirs, searched=True)
        stack = (dirs.cwd, *dirs.stack) if kind == "pushd" else dirs.stack
        return Folders(target, dirs.cwd, stack)

    def folder(self, word: Word, dirs: Folders, searched: bool = False) -> str:
        """The folder a ``cd`` or ``-C`` word names (``searched``: through ``CDPATH``)."""
        text = self.here(word.text, dirs)
        if text == "~" or text.startswith("~/"):
            text = self.place.variables.get("HOME", "~") + text[1:]
        rules = self.place.rules
        if searched and self.cdpath and not text.startswith(("/", ".")):
            for entry in self.cdpath:
                candidate = rules.absolute(f"{self.here(entry, dirs) or '.'}/{text}", dirs.cwd)
                if rules.native and os.path.isdir(candidate):
                    return candidate
        return rules.absolute(text, dirs.cwd)

    @staticmethod
    def here(text: str, dirs: Folders, pattern: bool = False) -> str:
        """``text`` with the current and previous folders put in, and ``/proc/self/cwd``
        read as the current folder."""
        quote = escape if pattern else str
        text = text.replace(HERE, quote(dirs.cwd)).replace(BEFORE, quote(dirs.old))
        return _PROC_FOLDER.sub(lambda m: quote(dirs.cwd) if m[1] == "cwd" else "", text)

    def target(self, target: Target, dirs: Folders) -> None:
        if not target.word.text:
            return
        for pattern in expand_braces(self.here(target.word.pattern, dirs, pattern=True)):
            if target.sources is not None and self._is_folder(pattern, dirs.cwd):
                for source in target.sources:
                    name = source.pattern.rstrip("/").rsplit("/", 1)[-1]
                    self.add(Write(target.via, f"{pattern.rstrip('/')}/{name}", target.recursive,
                                   target.on_disk), dirs.cwd)
            else:
                self.add(Write(target.via, pattern, target.recursive, target.on_disk), dirs.cwd)

    def _is_folder(self, pattern: str, cwd: str) -> bool:
        rules = self.place.rules
        if has_glob(pattern) or not rules.native:
            return False
        return os.path.isdir(rules.absolute(unescape(pattern), cwd))

    def add(self, write: Write, cwd: str) -> None:
        """Record ``write`` (its pattern taken from ``cwd``) if it reaches into the project."""
        check_time(self.place.deadline)
        pattern = write.pattern
        if len(pattern) > LONGEST_PATH:
            raise TooComplex(f"it names a path longer than {LONGEST_PATH} characters")
        if pattern.startswith(":/"):  # a git pathspec from the top of the work tree
            pattern, cwd = pattern[2:] or ".", self.place.root
        rules, root = self.place.rules, self.place.root
        relative = project_pattern(pattern, cwd, root, rules, write.recursive)
        if relative is not None:
            self.found.append(dataclasses.replace(write, pattern=relative))

    def code(self, what: str, code: str, dirs: Folders) -> None:
        """Interpreter code that writes: every path it names is taken as written."""
        code = self.here(code, dirs)
        if not writes_files(code):
            return
        recursive = bool(_RECURSIVE_CODE.search(code))
        try:
            paths = named_paths(code, MOST_PATHS)
        except ValueError as error:
            raise TooComplex(str(error)) from None
        for text in paths:
            deep = recursive and text.strip("./") != ""
            self.add(Write(f"{what} code", escape(text), deep), dirs.cwd)


def _effects(command: str, args: list[Word], stdin: str | None) -> Effects:
    """What the program named ``command`` does with ``args``."""
    name = command.replace("\\", "/").rsplit("/", 1)[-1]
    if name in FILE_COMMANDS:
        return FILE_COMMANDS[name](name, args)
    if name == "git":
        return git(name, args, stdin)
    handler = program(name)
    return handler(name, args, stdin) if handler is not None else Effects()
