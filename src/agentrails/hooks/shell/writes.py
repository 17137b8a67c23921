"""Which paths inside the project a shell command line writes: every simple command of it
(after ``;``, ``&&``, ``||``, ``|``, newlines, in subshells, ``$(...)``, backticks,
``bash -c`` and ``eval``), its redirections, the file utilities and ``git`` commands that
write, and interpreter code that writes. ``cd DIR`` moves the folder later paths start
from (not beyond a subshell's ``)``)."""

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
from agentrails.hooks.shell.words import Word, split

MAX_DEPTH = 8
"""Commands nested deeper than this (``bash -c "bash -c ..."``) are refused unread."""
_RECURSIVE_CODE = re.compile(r"rmtree|rmSync|rm_r|remove_dir|copytree|\bmove|\.move|rename")


@dataclass(frozen=True)
class Write:
    """A path the command line writes: ``pattern`` relative to the project root (``""`` is
    the root), with live glob characters; ``recursive`` covers everything under it."""

    via: str
    pattern: str
    recursive: bool = False
    on_disk: bool = False
    """The pattern stands for what exists now (``find``), so it is checked against the disk."""


class TooDeep(Exception):
    """The command nests more than ``MAX_DEPTH`` levels of commands."""


@dataclass(frozen=True)
class Place:
    """Where the command runs: its folder, the project root, the platform's path rules and
    the environment variables the guard may expand."""

    cwd: str
    root: str
    rules: PathRules
    variables: Mapping[str, str]


def writes(command: str, place: Place) -> list[Write]:
    """Every write inside the project that ``command`` asks for, in order.
    Raises TooDeep for commands nested beyond reading."""
    walk = _Walk(place)
    walk.script(command, place.cwd, 0)
    return walk.found


class _Walk:
    def __init__(self, place: Place):
        self.place = place
        self.found: list[Write] = []

    def script(self, text: str, cwd: str, depth: int) -> None:
        if depth > MAX_DEPTH:
            raise TooDeep(f"more than {MAX_DEPTH} levels of nested commands")
        saved: list[str] = []
        for item in group(split(text, self.place.variables)):
            if isinstance(item, Scope) and item.opens:
                saved.append(cwd)
            elif isinstance(item, Scope):
                cwd = saved.pop() if saved else cwd
            else:
                cwd = self.command(item, cwd, depth)

    def command(self, command: Command, cwd: str, depth: int) -> str:
        """Check one simple command; returns the folder later commands start from."""
        words = command.words + [target for _, target in command.redirections if target]
        for word in words:
            for inner in word.substitutions:
                self.script(inner, cwd, depth + 1)
        for operator, target in command.written():
            self.target(Target(target, f"{operator} redirection"), cwd)
        return self.invocation(command.program(), command.stdin(), cwd, depth)

    def invocation(self, words: list[Word], stdin: str | None, cwd: str, depth: int) -> str:
        if depth > MAX_DEPTH:
            raise TooDeep(f"more than {MAX_DEPTH} levels of nested commands")
        if not words:
            return cwd
        effects = _effects(words[0].text, words[1:], stdin)
        base = self.folder(effects.base, cwd) if effects.base is not None else cwd
        for target in effects.targets:
            self.target(target, base)
        for wrapped in effects.commands:
            self.invocation(wrapped, stdin, base, depth + 1)
        for _, text in effects.scripts:
            self.script(text, base, depth + 1)
        for what, code in effects.code:
            self.code(what, code, base)
        return self.folder(effects.chdir, cwd) if effects.chdir is not None else cwd

    def folder(self, word: Word, cwd: str) -> str:
        """The folder a ``cd`` or ``-C`` word names."""
        text = word.text
        if text == "~" or text.startswith("~/"):
            text = self.place.variables.get("HOME", "~") + text[1:]
        return self.place.rules.absolute(text, cwd)

    def target(self, target: Target, cwd: str) -> None:
        if not target.word.text:
            return
        for pattern in expand_braces(target.word.pattern):
            if target.sources is not None and self._is_folder(pattern, cwd):
                for source in target.sources:
                    name = source.pattern.rstrip("/").rsplit("/", 1)[-1]
                    self.add(Write(target.via, f"{pattern.rstrip('/')}/{name}", target.recursive,
                                   target.on_disk), cwd)
            else:
                self.add(Write(target.via, pattern, target.recursive, target.on_disk), cwd)

    def _is_folder(self, pattern: str, cwd: str) -> bool:
        rules = self.place.rules
        if has_glob(pattern) or not rules.native:
            return False
        return os.path.isdir(rules.absolute(unescape(pattern), cwd))

    def add(self, write: Write, cwd: str) -> None:
        """Record ``write`` (its pattern taken from ``cwd``) if it reaches into the project."""
        pattern = write.pattern
        if pattern.startswith(":/"):  # a git pathspec from the top of the work tree
            pattern, cwd = pattern[2:] or ".", self.place.root
        rules, root = self.place.rules, self.place.root
        relative = project_pattern(pattern, cwd, root, rules, write.recursive)
        if relative is not None:
            self.found.append(dataclasses.replace(write, pattern=relative))

    def code(self, what: str, code: str, cwd: str) -> None:
        """Interpreter code that writes: every path it names is taken as written."""
        if not writes_files(code):
            return
        recursive = bool(_RECURSIVE_CODE.search(code))
        for text in named_paths(code):
            deep = recursive and text.strip("./") != ""
            self.add(Write(f"{what} code", escape(text), deep), cwd)


def _effects(command: str, args: list[Word], stdin: str | None) -> Effects:
    """What the program named ``command`` does with ``args``."""
    name = command.replace("\\", "/").rsplit("/", 1)[-1]
    if name in FILE_COMMANDS:
        return FILE_COMMANDS[name](name, args)
    if name == "git":
        return git(name, args, stdin)
    handler = program(name)
    return handler(name, args, stdin) if handler is not None else Effects()
