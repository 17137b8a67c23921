"""Configuration: where it is found, which file wins, and how bad input is reported."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.helpers.repo import finding_lines, write_files

THREE_LINES = "one\ntwo\nthree\n"


def _ar101(out: str) -> list[str]:
    return [line for line in finding_lines(out) if " AR101 " in line]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("pyproject.toml", "[project]\nname = 'x'\n\n[tool.agentrails.size]\nmax-lines = 2\n"),
        ("agentrails.toml", "[size]\nmax-lines = 2\n"),
        (".agentrails.toml", "[size]\nmax-lines = 2\n"),
    ],
)
def test_each_config_file_is_found(git_repo, cli, name, content):
    repo = git_repo({name: content, "notes.txt": THREE_LINES})
    result = cli("check", repo / "notes.txt", cwd=repo)
    assert result.code == 1
    assert _ar101(result.out) == ["notes.txt:1:1: AR101 file has 3 non-blank lines (cap 2)"]


def test_defaults_without_any_config(git_repo, cli):
    repo = git_repo({"notes.txt": THREE_LINES})
    result = cli("check", repo, cwd=repo)
    assert result.code == 0, result.out
    assert result.out == "All checks passed (1 file checked).\n"


def test_config_in_a_parent_directory_governs_a_subdirectory(git_repo, cli):
    repo = git_repo({"agentrails.toml": "[size]\nmax-lines = 2\n", "src/deep/a.txt": THREE_LINES})
    result = cli("check", repo / "src" / "deep", cwd=repo)
    assert result.code == 1
    assert _ar101(result.out) == ["src/deep/a.txt:1:1: AR101 file has 3 non-blank lines (cap 2)"]


def test_config_found_from_cwd_when_no_path_is_given(git_repo, cli, monkeypatch):
    repo = git_repo({"agentrails.toml": "[size]\nmax-lines = 2\n", "src/a.txt": THREE_LINES})
    monkeypatch.chdir(repo / "src")
    result = cli("check")
    assert result.code == 1
    assert result.out.startswith("a.txt:1:1: AR101")  # the config is above; paths from here


def test_pyproject_without_the_table_is_skipped(git_repo, cli):
    repo = git_repo({
        "agentrails.toml": "[size]\nmax-lines = 2\n",
        "pkg/pyproject.toml": "[project]\nname = 'pkg'\n\n[tool.ruff]\nline-length = 80\n",
        "pkg/a.txt": THREE_LINES,
    })
    result = cli("check", repo / "pkg", cwd=repo)
    assert _ar101(result.out) == [
        "pkg/a.txt:1:1: AR101 file has 3 non-blank lines (cap 2)",
        "pkg/pyproject.toml:1:1: AR101 file has 4 non-blank lines (cap 2)",
    ]


def test_precedence_within_one_directory(git_repo, cli):
    repo = git_repo({
        ".agentrails.toml": "[size]\nmax-lines = 2\n",
        "agentrails.toml": "[size]\nmax-lines = 3\n",
        "pyproject.toml": "[tool.agentrails.size]\nmax-lines = 4\n",
        "five.txt": "1\n2\n3\n4\n5\n",
    })
    assert "(cap 2)" in cli("check", repo / "five.txt").out
    (repo / ".agentrails.toml").unlink()
    assert "(cap 3)" in cli("check", repo / "five.txt").out
    (repo / "agentrails.toml").unlink()
    assert "(cap 4)" in cli("check", repo / "five.txt").out


def test_nearest_config_wins_over_a_parent(git_repo, cli):
    repo = git_repo({
        "agentrails.toml": "[size]\nmax-lines = 100\n",
        "sub/agentrails.toml": "[size]\nmax-lines = 2\n",
        "sub/a.txt": THREE_LINES,
    })
    result = cli("check", repo / "sub", cwd=repo / "sub")
    assert _ar101(result.out) == ["a.txt:1:1: AR101 file has 3 non-blank lines (cap 2)"]


BAD_CONFIGS = [
    # (file name, content, words the message must contain)
    ("agentrails.toml", "colour = 'blue'\n", ["colour"]),
    ("agentrails.toml", "[size]\nmax-lnes = 3\n", ["size.max-lnes"]),
    ("pyproject.toml", "[tool.agentrails]\nselectt = ['AR1']\n", ["tool.agentrails.selectt"]),
    ("pyproject.toml", "[tool.agentrails.size]\nmax-lnes = 3\n", ["tool.agentrails.size.max-lnes"]),
    ("agentrails.toml", "[sizes]\nmax-lines = 3\n", ["sizes"]),
    ("agentrails.toml", "[size]\nmax-lines = '500'\n", ["size.max-lines", "'500'"]),
    ("agentrails.toml", "[size]\nmax-lines = 0\n", ["size.max-lines", "at least 1"]),
    ("agentrails.toml", "[size]\nmax-lines = true\n", ["size.max-lines", "True"]),
    ("agentrails.toml", "[size]\nper-glob = { 'docs/**' = -1 }\n", ["size.per-glob", "docs/**"]),
    ("agentrails.toml", "select = 'AR1'\n", ["select", "list of strings"]),
    ("agentrails.toml", "ignore = [1]\n", ["ignore", "list of strings"]),
    ("agentrails.toml", "per-file-ignores = { 'a/*' = 'AR101' }\n", ["per-file-ignores", "a/*"]),
    ("agentrails.toml", "exclude = 'build'\n", ["exclude"]),
    ("agentrails.toml", "max-file-bytes = 1.5\n", ["max-file-bytes"]),
    ("agentrails.toml", "size = 5\n", ["size", "expected a table"]),
    ("pyproject.toml", "[tool]\nagentrails = 3\n", ["tool.agentrails", "table"]),
    ("agentrails.toml", "[size\nmax-lines = 3\n", ["invalid TOML"]),
    ("agentrails.toml", "select = ['AR1'\n", ["invalid TOML"]),
    ("pyproject.toml", "[tool.agentrails]\n<<<<<<< before updating\nselect = ['AR1']\n=======\n"
     ">>>>>>> after updating\n", ["invalid TOML", "conflict markers"]),
    ("agentrails.toml", b"# caf\xe9\n", ["cannot read"]),
    ("agentrails.toml", "select = ['AR1', 'NOPE1']\n", ["select", "'NOPE1'", "matches no rule"]),
    ("pyproject.toml", "[tool.agentrails]\nignore = ['ZZ']\n", ["tool.agentrails.ignore", "'ZZ'"]),
    ("agentrails.toml", "per-file-ignores = { 'a/*' = ['AR1', 'XX9'] }\n",
     ["per-file-ignores.'a/*'", "'XX9'", "matches no rule"]),
]


@pytest.mark.parametrize(("name", "content", "words"), BAD_CONFIGS)
def test_bad_configuration_exits_2_naming_key_and_file(git_repo, cli, name, content, words):
    repo = git_repo({name: content, "a.py": "x = 1\n"})
    result = cli("check", repo, cwd=repo)
    assert result.code == 2
    assert result.out == ""
    message = result.err.strip()
    assert message.startswith("agentrails: error: ")
    assert str(repo / name) in message
    for word in words:
        assert word in message
    assert "Traceback" not in result.err


def test_bad_configuration_from_the_console_script_has_no_traceback(git_repo):
    repo = git_repo({"agentrails.toml": "[size]\nmax-lines = 'many'\n"})
    result = subprocess.run(
        [sys.executable, "-m", "agentrails", "check", str(repo)], capture_output=True, text=True
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "size.max-lines" in result.stderr and "agentrails.toml" in result.stderr


def test_an_invalid_toml_in_a_parent_is_reported_not_skipped(git_repo, cli):
    repo = git_repo({"pyproject.toml": "[tool.agentrails\n", "sub/a.txt": "x\n"})
    result = cli("check", repo / "sub", cwd=repo / "sub")
    assert result.code == 2
    assert "invalid TOML" in result.err and "pyproject.toml" in result.err


def test_config_option_names_the_file_to_use(git_repo, cli):
    repo = git_repo({
        "agentrails.toml": "[size]\nmax-lines = 100\n",
        "strict.toml": "[size]\nmax-lines = 2\n",
        "a.txt": THREE_LINES,
    })
    assert cli("check", repo).code == 0
    result = cli("check", "--config", repo / "strict.toml", repo, cwd=repo)
    assert result.code == 1
    assert _ar101(result.out) == ["a.txt:1:1: AR101 file has 3 non-blank lines (cap 2)"]


def test_config_option_with_bad_or_missing_file(git_repo, cli):
    repo = git_repo({"bad.toml": "[size]\nmax-lines = -3\n", "a.txt": "x\n"})
    result = cli("check", "--config", repo / "bad.toml", repo)
    assert result.code == 2 and "bad.toml" in result.err and "size.max-lines" in result.err
    result = cli("check", "--config", repo / "missing.toml", repo)
    assert result.code == 2 and "missing.toml" in result.err


def test_select_and_ignore_from_config(git_repo, cli):
    files = {"a.txt": THREE_LINES, "b.rej": "x\n", "c.md": "<<<<<<< HEAD\n=======\n>>>>>>> x\n"}
    repo = git_repo({**files, "agentrails.toml": "select = ['AR9']\nignore = ['AR902']\n"
                     "[size]\nmax-lines = 1\n"})
    result = cli("check", repo, cwd=repo)
    codes = {line.split()[1] for line in finding_lines(result.out)}
    assert codes == {"AR901"}


def test_cli_select_overrides_config_select_and_ignore_adds(git_repo, cli):
    repo = git_repo({
        "agentrails.toml": "select = ['AR9']\n[size]\nmax-lines = 1\n",
        "a.txt": THREE_LINES,
        "b.rej": "x\n",
    })
    result = cli("check", "--select", "ar1", repo)
    assert {line.split()[1] for line in finding_lines(result.out)} == {"AR101"}
    result = cli("check", "--ignore", "AR902", repo)
    assert result.code == 0


@pytest.mark.parametrize(
    ("config", "argv", "word"),
    [
        ("", ["--select", "AR7777"], "AR7777"),
        ("", ["--ignore", "XYZ"], "XYZ"),
    ],
)
def test_a_selector_that_matches_no_rule_exits_2(git_repo, cli, config, argv, word):
    repo = git_repo({"agentrails.toml": config, "a.txt": "x\n"})
    result = cli("check", *argv, repo)
    assert result.code == 2
    assert word in result.err and "matches no rule" in result.err


def test_per_file_ignores_from_config(git_repo, cli):
    repo = git_repo({
        "agentrails.toml": "per-file-ignores = { 'docs/**' = ['AR1'], '*.rej' = ['AR902'] }\n"
        "size = { max-lines = 2 }\n",
        "docs/a.md": THREE_LINES,
        "src/a.md": THREE_LINES,
        "x.rej": "x\n",
    })
    result = cli("check", repo, cwd=repo)
    expected = "src/a.md:1:1: AR101 file has 3 non-blank lines (cap 2)"
    assert finding_lines(result.out) == [expected]


def test_exclude_from_config(git_repo, cli):
    repo = git_repo({
        "agentrails.toml": "exclude = ['vendor/**', '*.gen.txt']\nsize = { max-lines = 2 }\n",
        "vendor/lib.txt": THREE_LINES,
        "a.gen.txt": THREE_LINES,
        "src/kept.txt": THREE_LINES,
    })
    result = cli("check", repo, cwd=repo)
    expected = "src/kept.txt:1:1: AR101 file has 3 non-blank lines (cap 2)"
    assert finding_lines(result.out) == [expected]
    assert "2 files checked" in result.out


def test_per_glob_caps_last_match_wins_and_zero_exempts(git_repo, cli):
    config = (
        "[size]\nmax-lines = 2\n"
        "per-glob = { 'docs/**' = 4, 'docs/big/**' = 0, '*.dat' = 3, '*.toml' = 0 }\n"
    )
    five = "1\n2\n3\n4\n5\n"
    repo = git_repo({
        "agentrails.toml": config,
        "docs/a.md": five,
        "docs/b.md": "1\n2\n3\n4\n",
        "docs/big/huge.md": five * 100,
        "data/x.dat": "1\n2\n3\n4\n",
        "other.txt": THREE_LINES,
    })
    result = cli("check", repo, cwd=repo)
    assert _ar101(result.out) == [
        "data/x.dat:1:1: AR101 file has 4 non-blank lines (cap 3)",
        "docs/a.md:1:1: AR101 file has 5 non-blank lines (cap 4)",
        "other.txt:1:1: AR101 file has 3 non-blank lines (cap 2)",
    ]


def test_settings_object_reports_its_source(git_repo):
    from agentrails.engine.config.settings import load_settings
    from agentrails.engine.registry import load_families

    repo = git_repo({"sub/x.txt": "x\n"})
    settings = load_settings(repo / "sub", load_families())
    assert settings.source is None and settings.root == repo.resolve()
    write_files(repo, {"agentrails.toml": "cache-dir = 'tmp/c'\n"})
    settings = load_settings(repo / "sub", load_families())
    assert settings.source == (repo / "agentrails.toml").resolve()
    assert settings.cache_dir() == repo.resolve() / "tmp" / "c"
    assert settings.families["size"]["max-lines"] == 500
