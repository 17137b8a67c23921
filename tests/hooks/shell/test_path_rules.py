"""guard-paths on Windows and macOS: backslashes, drive letters, Git Bash's ``/c/`` paths and
case-insensitive file systems, with the platform forced (the CI matrix runs the real ones)."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path, PureWindowsPath

import pytest

from agentrails.hooks import guard_paths
from agentrails.hooks.shell.path_rules import PathRules, host_rules
from agentrails.hooks.shell.paths import project_pattern

WINDOWS = host_rules("win32")
MACOS = host_rules("darwin")
LINUX = host_rules("linux")
ROOT = r"C:\Users\Me\Repo"


def test_platforms_are_detected_from_sys_platform() -> None:
    assert (WINDOWS.windows, WINDOWS.fold_case) == (True, True)
    assert (MACOS.windows, MACOS.fold_case) == (False, True)
    assert (LINUX.windows, LINUX.fold_case) == (False, False)
    assert host_rules() == host_rules(sys.platform) and host_rules().native
    assert not WINDOWS.native or sys.platform == "win32"


@pytest.mark.parametrize(("target", "start", "expected"), [
    (r"C:\Users\Me\Repo\.github\workflows\ci.yml", ROOT, ".github/workflows/ci.yml"),
    ("c:/users/me/repo/.GitHub/Workflows/CI.yml", ROOT, ".GitHub/Workflows/CI.yml"),
    ("/c/Users/me/REPO/.github/CODEOWNERS", ROOT, ".github/CODEOWNERS"),  # Git Bash
    (r"\\?\C:\Users\Me\Repo\.claude\settings.json", ROOT, ".claude/settings.json"),
    (r".github\workflows\ci.yml", ROOT, ".github/workflows/ci.yml"),
    (r"..\Repo\.github\\workflows\ci.yml", ROOT, ".github/workflows/ci.yml"),
    (r"..\.github\CODEOWNERS", ROOT + r"\src", ".github/CODEOWNERS"),
    (r"D:\Repo\.github\CODEOWNERS", ROOT, None),  # another drive
    (r"C:\Users\Me\Repo2\x", ROOT, None),
    (r"C:\Users\Me\Repo", ROOT, ""),
])
def test_windows_paths_fold_to_project_paths(target: str, start: str, expected: str | None) -> None:
    full = WINDOWS.absolute(target, start)
    assert WINDOWS.relative(full, ROOT) == expected
    if expected:  # the same answer as pathlib's own Windows flavour, case folded
        pure = PureWindowsPath(full.lower()).relative_to(PureWindowsPath(ROOT.lower()))
        assert pure.as_posix() == expected.lower()


def test_case_folds_on_macos_and_windows_but_not_linux() -> None:
    root = "/Users/me/Repo"
    target = "/users/ME/repo/.github/workflows/ci.yml"
    assert MACOS.relative(MACOS.absolute(target, root), root) == ".github/workflows/ci.yml"
    assert LINUX.relative(LINUX.absolute(target, root), root) is None
    assert PathRules(windows=False, fold_case=False, native=False).relative(
        "/a/b/../c", "/a") == "c"


def test_shell_patterns_on_windows() -> None:
    assert project_pattern(r"C:\\Users\\me\\repo\\.github\\*", ROOT, ROOT, WINDOWS) == ".github/*"
    assert project_pattern("/c/users/ME/Repo/.github/work*/ci.yml", ROOT, ROOT, WINDOWS) == (
        ".github/work*/ci.yml")
    assert project_pattern("C:/*", ROOT, ROOT, WINDOWS, recursive=True) == ""
    assert project_pattern("E:/x/*", ROOT, ROOT, WINDOWS, recursive=True) is None


def event(tool: str, key: str, value: str, cwd: Path) -> io.BytesIO:
    payload = {"hook_event_name": "PreToolUse", "cwd": str(cwd), "tool_name": tool,
               "tool_input": {key: value}}
    return io.BytesIO(json.dumps(payload).encode())


@pytest.fixture
def project(plain_dir) -> Path:
    return plain_dir({"agentrails.toml": "", "src/x.py": "", ".github/workflows/ci.yml": ""},
                     name="Proj")


def test_the_hook_with_a_forced_platform(project: Path, capsys) -> None:
    other_case = str(project).swapcase()
    edit = f"{other_case}/.github/workflows/ci.yml"
    assert guard_paths.main(event("Edit", "file_path", edit, project), {}, "linux") == 0
    assert guard_paths.main(event("Edit", "file_path", edit, project), {}, "darwin") == 2
    bash = r"sed -i s/a/b/ '.github\workflows\ci.yml'"
    assert guard_paths.main(event("Bash", "command", bash, project), {}, "linux") == 0
    assert guard_paths.main(event("Bash", "command", bash, project), {}, "win32") == 2
    backslashes = r"src\..\.GITHUB\Workflows\ci.yml"
    assert guard_paths.main(event("Write", "file_path", backslashes, project), {}, "win32") == 2
    assert guard_paths.main(event("Write", "file_path", r"src\y.py", project), {}, "win32") == 0
    assert capsys.readouterr().err.count("is protected") == 3
