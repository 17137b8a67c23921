"""``extend``: a package's configuration starts from another file's settings (ruff-style).
Each file is validated on its own (errors name it), later files override key by key, globs
stay relative to the file that wrote them, and a missing file or a cycle is exit 2."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agentrails.engine.config.settings import ConfigError, load_settings
from agentrails.engine.registry import load_families
from tests.helpers.repo import finding_lines, write_files

FOUR_LINES = "1\n2\n3\n4\n"


def ar101(out: str) -> list[str]:
    return [line for line in finding_lines(out) if " AR101 " in line]


def test_a_package_inherits_and_overrides_key_by_key(git_repo, cli) -> None:
    repo = git_repo({
        "pyproject.toml": "[tool.agentrails.size]\nmax-lines = 3\nmax-function-lines = 2\n",
        "packages/api/pyproject.toml": "[project]\nname = 'api'\n\n[tool.agentrails]\n"
                                       "extend = '../../pyproject.toml'\n\n"
                                       "[tool.agentrails.size]\nmax-lines = 9\n",
        "packages/api/a.txt": FOUR_LINES,
        "packages/api/f.py": "def f():\n    x = 1\n    return x\n",
        "b.txt": FOUR_LINES,
    })
    package = repo / "packages" / "api"
    found = finding_lines(cli("check", package, "--no-cache", cwd=package).out)
    assert found == ["f.py:1:1: AR102 function 'f' has 3 lines (cap 2)"]  # 9 lines here, 2 kept
    from_root = finding_lines(cli("check", "--no-cache", cwd=repo).out)
    assert from_root == [  # from the root, the package's settings govern its files
        "b.txt:1:1: AR101 file has 4 non-blank lines (cap 3)",
        "packages/api/f.py:1:1: AR102 function 'f' has 3 lines (cap 2)",
    ]


def test_the_nearest_configuration_is_found_from_a_subdirectory(git_repo, cli) -> None:
    repo = git_repo({
        "agentrails.toml": "[size]\nmax-lines = 2\n",
        "packages/api/agentrails.toml": "extend = '../../agentrails.toml'\n[size]\nmax-lines = 3\n",
        "packages/api/src/a.txt": FOUR_LINES,
    })
    inside = repo / "packages" / "api" / "src"
    assert ar101(cli("check", "--no-cache", cwd=inside).out) == [
        "a.txt:1:1: AR101 file has 4 non-blank lines (cap 3)"]


def test_a_chain_of_three_files(git_repo, cli) -> None:
    repo = git_repo({
        "base.toml": "ignore = ['AR102']\n[size]\nmax-lines = 2\n",
        "agentrails.toml": "extend = 'base.toml'\n[complexity]\nmax-function = 3\n",
        "pkg/.agentrails.toml": "extend = '../agentrails.toml'\n",
        "pkg/a.txt": FOUR_LINES,
    })
    families = load_families()
    chained = load_settings(repo / "pkg", families)
    assert chained.families["size"]["max-lines"] == 2
    assert chained.families["complexity"]["max-function"] == 3
    assert chained.top["ignore"] == ["AR102"]
    assert chained.layers == (repo / "base.toml", repo / "agentrails.toml",
                              repo / "pkg" / ".agentrails.toml")
    assert chained.root == repo / "pkg" and chained.enclosing == (str(repo),)


@pytest.mark.parametrize(("files", "words"), [
    ({"pkg/agentrails.toml": "extend = '../nowhere.toml'\n"},
     ["pkg/agentrails.toml: extend:", "nowhere.toml does not exist"]),
    ({"pkg/agentrails.toml": "extend = '../agentrails.toml'\n",
      "agentrails.toml": "extend = 'pkg/agentrails.toml'\n"},
     ["extend: cycle:", "pkg/agentrails.toml ->", "agentrails.toml -> "]),
    ({"pkg/agentrails.toml": "extend = 'agentrails.toml'\n"}, ["extend: cycle:"]),
    ({"pkg/agentrails.toml": "extend = '../agentrails.toml'\n",
      "agentrails.toml": "[size]\nmax-lines = 2\ncolour = 'blue'\n"},
     ["/agentrails.toml: unknown key size.colour"]),
    ({"pkg/pyproject.toml": "[tool.agentrails]\nextend = '../pyproject.toml'\n",
      "pyproject.toml": "[project]\nname = 'root'\n"},
     ["pkg/pyproject.toml: tool.agentrails.extend:", "has no [tool.agentrails] table"]),
    ({"pkg/agentrails.toml": "extend = 3\n"},
     ["pkg/agentrails.toml: extend: expected a path to a configuration file, got 3"]),
    ({"pkg/agentrails.toml": "extend = '../agentrails.toml'\n",
      "agentrails.toml": "[size\n"}, ["/agentrails.toml: invalid TOML"]),
])
def test_bad_chains_exit_2_naming_the_file(git_repo, cli, files, words) -> None:
    repo = git_repo({**files, "pkg/a.txt": FOUR_LINES})
    outcome = cli("check", repo / "pkg", "--no-cache")
    assert outcome.code == 2 and outcome.out == ""
    assert outcome.err.startswith("agentrails: error: ") and outcome.err.count("\n") == 1
    for word in words:
        assert word in outcome.err, outcome.err
    assert "Traceback" not in outcome.err


def test_an_unknown_key_in_the_extended_file_names_that_file(git_repo, cli) -> None:
    repo = git_repo({"agentrails.toml": "colour = 'blue'\n",
                     "pkg/agentrails.toml": "extend = '../agentrails.toml'\n"})
    outcome = cli("check", repo / "pkg", "--no-cache")
    assert outcome.code == 2
    assert f"{repo / 'agentrails.toml'}: unknown key colour" in outcome.err


def test_config_option_follows_extend(git_repo, cli) -> None:
    repo = git_repo({"base.toml": "[size]\nmax-lines = 2\n",
                     "custom.toml": "extend = 'base.toml'\n", "a.txt": FOUR_LINES})
    outcome = cli("check", "--config", repo / "custom.toml", "--no-cache", cwd=repo)
    assert ar101(outcome.out) == ["a.txt:1:1: AR101 file has 4 non-blank lines (cap 2)"]


def test_globs_stay_relative_to_the_file_that_wrote_them(git_repo, cli) -> None:
    repo = git_repo({
        "agentrails.toml": "exclude = ['tests/**', '*.log']\n"
                           "per-file-ignores = { 'packages/api/docs/**' = ['AR101'] }\n"
                           "[size]\nmax-lines = 2\n",
        "packages/api/agentrails.toml": "extend = '../../agentrails.toml'\n",
        "tests/a.txt": FOUR_LINES,  # the root's tests: excluded
        "packages/api/tests/a.txt": FOUR_LINES,  # the package's: checked
        "packages/api/docs/a.txt": FOUR_LINES,  # ignored by the root's glob for it
        "packages/api/run.log": FOUR_LINES,  # a bare name matches at any depth
    })
    package = repo / "packages" / "api"
    assert ar101(cli("check", "--no-cache", cwd=package).out) == [
        "tests/a.txt:1:1: AR101 file has 4 non-blank lines (cap 2)"]
    from_root = [line for line in ar101(cli("check", "--no-cache", cwd=repo).out)
                 if line.startswith("packages/")]
    assert from_root == ["packages/api/tests/a.txt:1:1: AR101 file has 4 non-blank lines (cap 2)"]
    settings_ = load_settings(package, load_families())
    assert settings_.top["exclude"] == ["*.log"]
    assert settings_.top["per-file-ignores"] == {"/docs/**": ["AR101"]}


LEVELS = st.lists(
    st.fixed_dictionaries({}, optional={"max-lines": st.integers(1, 999),
                                        "max-function-lines": st.integers(1, 999)}),
    min_size=1, max_size=4,
)


@settings(max_examples=40, deadline=None)
@given(LEVELS)
def test_the_innermost_setting_wins_else_the_default(levels) -> None:
    families = load_families()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        folder = root
        for depth, values in enumerate(levels):
            table = "".join(f"{key} = {value}\n" for key, value in values.items())
            extend = "extend = '../agentrails.toml'\n" if depth else ""
            write_files(folder, {"agentrails.toml": f"{extend}[size]\n{table}"})
            folder = folder / f"p{depth}"
        innermost = folder.parent
        size = load_settings(innermost, families).families["size"]
        for key, default in (("max-lines", 500), ("max-function-lines", 80)):
            set_at = [values[key] for values in levels if key in values]
            assert size[key] == (set_at[-1] if set_at else default)


def test_load_settings_raises_config_error_for_a_cycle(tmp_path: Path) -> None:
    write_files(tmp_path, {"agentrails.toml": "extend = 'b/agentrails.toml'\n",
                           "b/agentrails.toml": "extend = '../agentrails.toml'\n"})
    with pytest.raises(ConfigError, match="cycle"):
        load_settings(tmp_path, load_families())


def test_a_packages_exclude_and_per_file_ignores_hold_from_the_root(git_repo, cli) -> None:
    repo = git_repo({
        "agentrails.toml": "[size]\nmax-lines = 2\n",
        "packages/api/agentrails.toml": "extend = '../../agentrails.toml'\nexclude = ['gen/**']\n"
                                        "per-file-ignores = { 'legacy/**' = ['AR101'] }\n",
        "packages/api/gen/a.txt": FOUR_LINES,
        "packages/api/legacy/a.txt": FOUR_LINES,
        "packages/api/new/a.txt": FOUR_LINES,
        "gen/a.txt": FOUR_LINES,  # the root's gen/ is not the package's
    })
    package = repo / "packages" / "api"
    assert ar101(cli("check", "--no-cache", cwd=repo).out) == [
        "gen/a.txt:1:1: AR101 file has 4 non-blank lines (cap 2)",
        "packages/api/agentrails.toml:1:1: AR101 file has 3 non-blank lines (cap 2)",
        "packages/api/new/a.txt:1:1: AR101 file has 4 non-blank lines (cap 2)",
    ]
    assert ar101(cli("check", "--no-cache", cwd=package).out) == [
        "agentrails.toml:1:1: AR101 file has 3 non-blank lines (cap 2)",
        "new/a.txt:1:1: AR101 file has 4 non-blank lines (cap 2)",
    ]
