"""Which repository the GitHub commands work on: ``--repo``, ``GITHUB_REPOSITORY``, or the
``origin`` remote in any of the URL forms git accepts; and the branches promotion defaults to."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agentrails.github.errors import ConfigError
from agentrails.github.protection.rulesets import branches_of, default_branches
from agentrails.github.repository import parse_remote, quote, repo_path, resolve_repo
from tests.helpers.github_testing import render_rulesets

OWNERS = st.from_regex(r"\A[A-Za-z0-9](?:[A-Za-z0-9-]{0,20})\Z")
NAMES = st.from_regex(r"\A[A-Za-z0-9_-][A-Za-z0-9._-]{0,30}\Z").filter(
    lambda name: not name.endswith(".git") and name not in (".", ".."))
FORMS = [
    "https://github.com/{o}/{n}.git", "https://github.com/{o}/{n}", "http://ghe.local/{o}/{n}/",
    "git@github.com:{o}/{n}.git", "ssh://git@github.com/{o}/{n}.git",
    "https://user@ghe.example.com:8443/{o}/{n}.git", "git://example.org/{o}/{n}",
]


@given(OWNERS, NAMES, st.sampled_from(FORMS))
def test_remote_urls_name_their_repository(owner: str, name: str, form: str) -> None:
    assert parse_remote(form.format(o=owner, n=name)) == f"{owner}/{name}"


@given(st.text(max_size=60))
def test_any_text_is_a_repository_or_none(text: str) -> None:
    found = parse_remote(text)
    assert found is None or (found.count("/") == 1 and not found.endswith(".git"))


def test_precedence(tmp_path: Path) -> None:
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    subprocess.run(["git", "remote", "add", "origin", "https://github.com/from/remote.git"],
                   cwd=tmp_path, check=True)
    env = {"GITHUB_REPOSITORY": "from/env"}
    assert resolve_repo("from/flag", env, tmp_path) == "from/flag"
    assert resolve_repo(None, env, tmp_path) == "from/env"
    assert resolve_repo(None, {}, tmp_path) == "from/remote"
    with pytest.raises(ConfigError, match="GITHUB_REPOSITORY must be OWNER/NAME"):
        resolve_repo(None, {"GITHUB_REPOSITORY": "nope"}, tmp_path)
    with pytest.raises(ConfigError, match="cannot tell which repository"):
        resolve_repo(None, {}, tmp_path / "..")


def test_paths_quote_branch_names() -> None:
    assert repo_path("o/r", "git", "ref", "heads", quote("feat/a b#1")) == \
        "/repos/o/r/git/ref/heads/feat/a%20b%231"
    assert repo_path("o/r") == "/repos/o/r"


def test_default_branches_come_from_the_rulesets(tmp_path: Path) -> None:
    assert default_branches(tmp_path) == ("main", "production")
    folder = render_rulesets(tmp_path, staging_branch="develop", production_branch="release")
    assert default_branches(tmp_path / "src") == ("develop", "release")
    (folder / "broken.json").write_text("{")
    staging = json.loads((folder / "staging.json").read_text())
    staging["conditions"]["ref_name"]["include"] = ["refs/heads/*"]
    (folder / "staging.json").write_text(json.dumps(staging))
    assert default_branches(tmp_path) == ("main", "release")


def test_branches_of_skips_patterns_and_odd_shapes() -> None:
    include = ["refs/heads/main", "refs/heads/rel/*", "~DEFAULT_BRANCH", "refs/tags/v1", 3]
    body = {"target": "branch", "conditions": {"ref_name": {"include": include}}}
    assert branches_of(body) == ["main"]
    assert branches_of({"target": "tag", "conditions": body["conditions"]}) == []
    assert branches_of({"conditions": []}) == []
