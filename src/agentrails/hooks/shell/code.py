"""Interpreter code that writes: a Python, Perl, Ruby or Node one-liner (or a here-document on
its stdin) that opens something for writing, deletes, moves or copies, and the paths it names
in string literals. Reading code passes. This is a deliberately plain reading of obvious
programs: code that builds its paths or hides its calls is beyond it, which is why the server
side, not this hook, is the boundary."""

from __future__ import annotations

import re

_WRITE_CALLS = re.compile(
    r"""write_text|write_bytes|writeFile|appendFile|createWriteStream|\bunlink|os\.remove
    |os\.replace|\brename|rmtree|rmSync|\brmdir|\bmkdir|\.touch\s*\(|truncate|chmod|chown
    |symlink|shutil\.|copyFile|cpSync|\bcp\s*\(|FileUtils|File\.(?:write|delete|rename)
    |IO\.write|\$\^I|\bsysopen""",
    re.VERBOSE,
)
_OPEN_FOR_WRITE = re.compile(
    r"""(?:\bopen(?:Sync)?\s*\(\s*(?:[^()]|\([^()]*\))*?,|\.open\s*\()\s*(?:mode\s*=\s*)?
    (['"])[rbtU]*[wax+][rbtwax+]*\1""",
    re.VERBOSE,
)
_PERL_OPEN = re.compile(r"""\bopen\s*\(?\s*[^,;]+,\s*['"]\s*(?:\+<|\+?>{1,2}|\|)""")
_LITERAL = re.compile(r"""'((?:[^'\\\n]|\\.)*)'|"((?:[^"\\\n]|\\.)*)"|`([^`\n]*)`""")
_PERL_MODE = re.compile(r"^\s*(?:\+?[<>]{1,2}|\+<)\s*")
_LONGEST_PATH = 4096


def writes_files(code: str) -> bool:
    """True when ``code`` contains a call that writes, deletes, moves or copies files."""
    return any(pattern.search(code) for pattern in (_WRITE_CALLS, _OPEN_FOR_WRITE, _PERL_OPEN))


def named_paths(code: str) -> list[str]:
    """The string literals of ``code`` that could be paths (a Perl open mode stripped)."""
    found = []
    for match in _LITERAL.finditer(code):
        text = next(group for group in match.groups() if group is not None)
        text = _PERL_MODE.sub("", text).strip()
        if text and len(text) <= _LONGEST_PATH and "\0" not in text:
            found.append(text)
    return found
