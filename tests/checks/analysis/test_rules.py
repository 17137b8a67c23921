"""AR001 and AR002 as rules: each reports exactly its own kind of problem, where it is, and
the rest of the project is still checked (the engine's side is in tests/engine/test_sturdiness)."""

from __future__ import annotations

from tests.helpers.repo import finding_lines

CLEAN = "def fine():\n    return 1\n"


def test_a_file_that_does_not_parse_is_ar001_at_its_line(git_repo, cli) -> None:
    root = git_repo({"good.py": CLEAN, "bad.py": "x = 1\ndef broken(:\n    pass\n"})
    outcome = cli("check", "--select", "AR0", cwd=root)
    assert outcome.code == 1
    [line] = finding_lines(outcome.out)
    assert line.startswith("bad.py:2:") and " AR001 " in line


def test_a_file_too_deep_to_analyse_is_ar002_with_its_reason(git_repo, cli) -> None:
    deep = "x = " + "-" * 2000 + "1\n"
    root = git_repo({"good.py": CLEAN, "deep.py": deep})
    outcome = cli("check", "--select", "AR0", cwd=root)
    assert outcome.code == 1
    [line] = finding_lines(outcome.out)
    assert line.startswith("deep.py:1:1: AR002 ") and "deep" in line.lower()


def test_ar001_is_not_reported_under_ar002_alone(git_repo, cli) -> None:
    root = git_repo({"bad.py": "def broken(:\n"})
    assert cli("check", "--select", "AR002", cwd=root).code == 0
    assert cli("check", "--select", "AR001", cwd=root).code == 1


def test_a_project_of_good_files_passes(git_repo, cli) -> None:
    root = git_repo({"a.py": CLEAN, "b.py": CLEAN})
    outcome = cli("check", "--select", "AR0", cwd=root)
    assert (outcome.code, finding_lines(outcome.out)) == (0, [])
