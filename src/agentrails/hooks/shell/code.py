"""Interpreter code that writes: a Python, Perl, Ruby or Node one-liner (or a here-document on
its stdin) that opens something for writing, deletes, moves or copies, and the paths it names
in string literals. Reading code passes. This is a deliberately plain reading of obvious
programs: code that builds its paths or hides its calls is beyond it, which is why the server
side, not this hook, is the boundary."""

from __future__ import annotations

import re

_WRITING_NAMES = frozenset({
    "write_text", "write_bytes", "writeFile", "writeFileSync", "appendFile", "appendFileSync",
    "createWriteStream", "unlink", "unlinkSync", "rename", "renameSync", "rmtree", "rmSync",
    "rmdir", "rmdirSync", "mkdir", "mkdirSync", "makedirs", "touch", "truncate", "ftruncate",
    "chmod", "chown", "symlink", "symlinkSync", "link", "linkSync", "copyFile", "copyFileSync",
    "cpSync", "cp", "copytree", "sysopen",
})
"""Calls that write, delete, move or link files, by their last name (``os.link``)."""
_WRITING_CALLS = frozenset({"os.remove", "os.replace", "File.write", "File.delete",
                            "File.rename", "IO.write", "$^I"})
_WRITING_MODULES = ("shutil.", "FileUtils")
_NAME = re.compile(r"[A-Za-z_$^][\w.$^]*")
_OPEN = re.compile(r"\bopen(?:Sync)?\b")
_MODE = r"""(?:mode\s*=\s*)?(['"])[rbtU]*[wax+][rbtwax+]*\1"""
_MODE_FIRST = re.compile(rf"\s*\(\s*{_MODE}")
"""After ``open``: a mode that writes as the first argument (``Path.open('w')``)."""
_MODE_AFTER = re.compile(rf"\s*\(\s*(?:[^()]|\([^()]*\))*?,\s*{_MODE}")
"""After ``open``: the file, then a mode that writes (``open(path, 'w')``)."""
_PERL_OPEN = re.compile(r"""\s*\(?\s*[^,;]+,\s*['"]\s*(?:\+<|\+?>{1,2}|\|)""")
_LITERAL = re.compile(r"""'((?:[^'\\\n]|\\.)*)'|"((?:[^"\\\n]|\\.)*)"|`([^`\n]*)`""")
_PERL_MODE = re.compile(r"^\s*(?:\+?[<>]{1,2}|\+<)\s*")
_LONGEST_PATH = 4096
_WINDOW = 512
"""How far after ``open`` its arguments are looked for (keeps the reading linear)."""
_MOST_OPENS = 1000
"""Code that calls ``open`` more often than this is taken to write."""


def writes_files(code: str) -> bool:
    """True when ``code`` contains a call that writes, deletes, moves or copies files. Each
    ``open`` is read within a bounded window, so the time stays linear in the code's size."""
    for count, found in enumerate(_OPEN.finditer(code)):
        if count >= _MOST_OPENS:
            return True
        window = code[found.end():found.end() + _WINDOW]
        method = code[found.start() - 1:found.start()] == "."
        if (method and _MODE_FIRST.match(window)) or _MODE_AFTER.match(window) or (
                _PERL_OPEN.match(window)):
            return True
    return any(_writing(name) for name in set(_NAME.findall(code)))


def _writing(name: str) -> bool:
    return (name.rsplit(".", 1)[-1] in _WRITING_NAMES or name in _WRITING_CALLS
            or any(module in name for module in _WRITING_MODULES))


def named_paths(code: str, most: int) -> list[str]:
    """The string literals of ``code`` that could be paths (a Perl open mode stripped), each
    once; raises ValueError when there are more than ``most`` different ones."""
    literals = dict.fromkeys(_LITERAL.findall(code))
    if len(literals) > most:
        raise ValueError(f"its code names more than {most} different strings")
    found: dict[str, None] = {}
    for groups in literals:
        text = _PERL_MODE.sub("", next(group for group in groups if group)).strip() if any(
            groups) else ""
        if text and len(text) <= _LONGEST_PATH and "\0" not in text:
            found[text] = None
    return list(found)
