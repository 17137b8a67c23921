"""Paths on Windows, simulated here: ``PureWindowsPath`` objects, and Windows' separator turned
on in :mod:`agentrails.engine.posix` (``BACKSLASH_IS_SEPARATOR``), which is exactly what
``os.sep == "\\\\"`` sets on a Windows machine. Globs, per-file ignores, size caps and lanes
match a Windows path as they match its ``/`` form; findings and every output format name
files with ``/``, relative to the project root."""

from __future__ import annotations

import json
from pathlib import PurePosixPath, PureWindowsPath

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agentrails.checks.agents.lanes import lanes_of
from agentrails.engine import posix
from agentrails.engine.baseline.verdict import Verdict
from agentrails.engine.findings import Finding
from agentrails.engine.globs import GlobSet, GlobTable
from agentrails.engine.output.formats import FORMATS
from agentrails.engine.registry import all_rules
from agentrails.engine.selection import PerFileIgnores

GLOBS = ["src/api/**", "*.md", "/docs/", "tests/", "build", "src/**/models.py", "!keep.md"]
CASES = [
    "src/api/views.py", "src/api/v1/deep/x.py", "README.md", "docs/a/b.txt", "tests/unit/t.py",
    "build/out.o", "lib/build/x", "src/core/models.py", "src/models.py", "keep.md", "a/keep.md",
    "src/apiary.py", "other/docs/x.txt",
]


@pytest.fixture
def windows(monkeypatch: pytest.MonkeyPatch) -> None:
    """Backslash is a folder separator, as on Windows."""
    monkeypatch.setattr(posix, "BACKSLASH_IS_SEPARATOR", True)


def windows_str(path: str) -> str:
    return str(PureWindowsPath(path))


@pytest.mark.parametrize("path", CASES)
def test_a_windows_path_matches_like_its_posix_form(path: str) -> None:
    globs = GlobSet(GLOBS)
    assert "\\" in windows_str(path) or "/" not in path
    assert globs.match(PureWindowsPath(windows_str(path))) == globs.match(path)
    assert globs.match(PurePosixPath(path)) == globs.match(path)


@pytest.mark.parametrize("path", CASES)
def test_a_backslash_string_matches_on_windows(windows: None, path: str) -> None:
    globs = GlobSet(GLOBS)
    assert globs.match(windows_str(path)) == globs.match(path)


def test_globs_written_with_backslashes_on_windows(windows: None) -> None:
    globs = GlobSet(["src\\api\\**", "\\docs\\"])
    assert globs.match("src/api/views.py") and globs.match("src\\api\\views.py")
    assert globs.match("docs/x.md") and not globs.match("other/docs/x.md")


def test_elsewhere_a_backslash_belongs_to_the_name() -> None:
    """On Linux and macOS ``a\\b.py`` is one file at the root, and ``\\*`` escapes a star."""
    assert posix.BACKSLASH_IS_SEPARATOR is False
    assert not GlobSet(["a/*.py"]).match("a\\b.py")
    assert GlobSet(["star\\*.txt"]).match("star*.txt")
    assert not GlobSet(["star\\*.txt"]).match("starry.txt")
    assert Finding("a\\b.py", 1, 1, "AR101", "m").path == "a\\b.py"


segment = st.text(alphabet="abcXYZ019_-.", min_size=1, max_size=6).filter(
    lambda s: s not in (".", ".."))


@given(parts=st.lists(segment, min_size=1, max_size=5))
def test_property_windows_and_posix_forms_match_alike(parts: list[str]) -> None:
    globs = GlobSet(["a*/**", "*.py", "/b/", "c/", "**/x/*.md"])
    posix_form = "/".join(parts)
    assert globs.match(PureWindowsPath(*parts)) == globs.match(posix_form)
    assert posix.posix(PureWindowsPath(*parts)) == posix_form


def test_per_file_ignores_and_caps_match_windows_paths(windows: None) -> None:
    ignores = PerFileIgnores({"tests/**": ["AR102"], "src\\legacy\\*.py": ["AR2"]})
    assert ignores.ignored(PureWindowsPath("tests\\unit\\test_a.py"), "AR102")
    assert ignores.ignored("tests\\unit\\test_a.py", "AR102")
    assert ignores.ignored("src\\legacy\\old.py", "AR201")
    assert not ignores.ignored("src\\new\\old.py", "AR201")
    caps = GlobTable({"docs/**": 800, "docs\\generated\\**": 0})
    assert caps.lookup("docs\\guide.md", 500) == 800
    assert caps.lookup(PureWindowsPath("docs\\generated\\api.md"), 500) == 0
    assert caps.lookup("src\\app.py", 500) == 500


def test_lanes_match_windows_paths(windows: None) -> None:
    lanes = {"api": GlobSet(["src/app/api/**"]), "core": GlobSet(["src\\app\\core\\**"])}
    assert lanes_of("src\\app\\api\\views.py", lanes) == ["api"]
    assert lanes_of("src/app/core/models.py", lanes) == ["core"]
    assert lanes_of(PureWindowsPath("src\\app\\core\\m.py"), lanes) == ["core"]
    assert lanes_of("src\\app\\cli.py", lanes) == []


def test_findings_always_carry_posix_paths(windows: None) -> None:
    assert Finding(PureWindowsPath("src\\app.py"), 1, 1, "AR101", "m").path == "src/app.py"
    assert Finding("src\\pkg\\app.py", 1, 1, "AR101", "m").path == "src/pkg/app.py"
    assert Finding("src/app.py", 1, 1, "AR101", "m").path == "src/app.py"


@pytest.mark.parametrize("fmt", ["text", "json", "github", "sarif"])
def test_every_format_writes_posix_paths(windows: None, fmt: str) -> None:
    findings = [Finding("src\\pkg\\my app.py", 3, 1, "AR102", "too long", 90, 80),
                Finding(PureWindowsPath("docs\\guide.md"), 1, 1, "AR101", "too long")]
    report = FORMATS[fmt](Verdict(errors=findings, files=2), all_rules())
    if fmt in ("text", "github"):
        assert "\\" not in report
    if fmt == "json":
        assert [item["path"] for item in json.loads(report)] == ["docs/guide.md",
                                                               "src/pkg/my app.py"]
    if fmt == "sarif":
        results = json.loads(report)["runs"][0]["results"]
        uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results]
        assert uris == ["docs/guide.md", "src/pkg/my%20app.py"]
    if fmt == "github":
        assert "file=src/pkg/my app.py,line=3" in report


@pytest.mark.parametrize(
    ("root", "cwd", "expected"),
    [
        ("C:/work/proj", "C:/work/proj", "src/app.py"),
        ("C:/work/proj", "C:/work", "proj/src/app.py"),
        ("C:/work/proj", "c:/WORK", "proj/src/app.py"),
        ("C:/work/proj", "C:/work/proj/src", "app.py"),
        ("C:/work/proj", "C:/elsewhere", "C:\\work\\proj\\src\\app.py"),
        ("C:/work/proj", "D:/", "C:\\work\\proj\\src\\app.py"),
    ],
)
def test_text_paths_relative_to_the_current_directory_on_windows(
    root: str, cwd: str, expected: str
) -> None:
    """As ruff prints them: below the current directory relative to it (Windows compares
    case-insensitively), otherwise absolute."""
    assert posix.shown("src/app.py", PureWindowsPath(root), PureWindowsPath(cwd)) == expected


PROJECT = {
    "src/api/views.py": "def view():\n    a = 1\n    b = 2\n    return a + b\n",
    "src/core/models.py": "def model():\n    return 1\n",
    "src/other.py": "X = 1\n",
    "tests/test_views.py": "def test_view():\n    a = 1\n    b = 2\n    assert a + b\n",
    "vendor/lib.py": "def lib():\n    a = 1\n    b = 2\n    return a + b\n",
}
CONFIG = """
[tool.agentrails]
select = ["AR102", "AR703"]
exclude = ["vendor{s}**"]
per-file-ignores = {{ "tests{s}**" = ["AR102"] }}

[tool.agentrails.lanes]
api = ["src{s}api{s}**"]
core = ["src/core/**"]
tests = ["tests{s}**"]

[tool.agentrails.size]
max-function-lines = 3
"""


def test_a_project_configured_with_windows_globs(plain_dir, cli, monkeypatch) -> None:
    """The same project configured with ``\\\\`` globs on Windows and ``/`` globs elsewhere
    gives the same findings, with ``/`` paths."""
    slash = plain_dir({**PROJECT, "pyproject.toml": CONFIG.format(s="/")}, name="slash")
    expected = cli("check", "--no-cache", "--format", "json", slash)
    assert expected.code == 1, expected.err
    found = [(f["path"], f["code"]) for f in json.loads(expected.out)]
    assert found == [("src/api/views.py", "AR102"), ("src/other.py", "AR703")]
    monkeypatch.setattr(posix, "BACKSLASH_IS_SEPARATOR", True)
    back = plain_dir({**PROJECT, "pyproject.toml": CONFIG.format(s="\\\\")}, name="back")
    windows_run = cli("check", "--no-cache", "--format", "json", back)
    assert (windows_run.code, windows_run.out, windows_run.err) == (1, expected.out, "")
