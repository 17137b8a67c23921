"""What one simple command does to files, as the guard sees it: the paths it writes, and the
commands, scripts or interpreter code it runs that must be looked at in turn."""

from __future__ import annotations

from dataclasses import dataclass, field

from agentrails.hooks.shell.words import Word


@dataclass(frozen=True)
class Target:
    """A path a command writes. ``recursive``: everything under it too (``rm -r``, ``mv``).
    ``sources``: the path is a destination; when it is an existing folder, what is written is
    the sources' names inside it (``cp a b dir``)."""

    word: Word
    via: str
    recursive: bool = False
    sources: tuple[Word, ...] | None = None

    @property
    def on_disk(self) -> bool:
        """True when the path stands for what ``find`` finds (what exists now)."""
        return self.word.found


@dataclass
class Effects:
    """Everything the guard must check for one command."""

    targets: list[Target] = field(default_factory=list)
    commands: list[list[Word]] = field(default_factory=list)
    """Commands it runs with the same stdin and folder (``sudo X``, ``find -exec X``)."""
    scripts: list[tuple[str, str]] = field(default_factory=list)
    """(what, shell text) it runs: ``bash -c``, ``eval``, a here-document fed to ``sh``."""
    code: list[tuple[str, str]] = field(default_factory=list)
    """(what, program text) an interpreter runs: ``python -c``, ``node -e``, stdin."""
    base: Word | None = None
    """The folder this command's own relative paths start from (``git -C``, ``env -C``)."""
    chdir: tuple[str, Word | None] | None = None
    """How the folder later commands start from changes: (``cd``, ``pushd`` or ``popd``,
    the folder named, if any); ``-`` names the previous folder."""

    def write(self, via: str, words: list[Word], recursive: bool = False) -> Effects:
        """Add ``words`` as written paths; returns self for chaining."""
        self.targets.extend(Target(word, via, recursive) for word in words)
        return self
