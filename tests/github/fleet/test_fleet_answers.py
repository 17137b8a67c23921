"""The answers file parser and the template-source matcher of the fleet view: every spelling
copier records for one template matches it, nothing else does, and no text makes the parser
fail with anything but a one-line ``AnswersError``."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from agentrails.github.fleet.answers import (
    AnswersError,
    parse_answers,
    same_template,
    template_key,
    template_name,
)
from agentrails.github.fleet.survey import DEFAULT_TEMPLATE
from tests.helpers.paths import REPO

OWNER = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9-]{0,12}", fullmatch=True)
NAME = st.from_regex(r"[A-Za-z0-9_][A-Za-z0-9._-]{0,12}", fullmatch=True).filter(
    lambda name: not name.endswith(".git") and name not in (".", ".."))
SPELLINGS = ("gh:{o}/{n}", "GH:{o}/{n}", "https://github.com/{o}/{n}",
             "https://github.com/{o}/{n}.git", "https://github.com/{o}/{n}/",
             "https://GitHub.com/{o}/{n}.git/", "http://github.com/{o}/{n}",
             "git@github.com:{o}/{n}.git", "github.com:{o}/{n}", "ssh://git@github.com/{o}/{n}.git",
             "ssh://git@github.com:22/{o}/{n}", "git+https://github.com/{o}/{n}.git",
             "git://github.com/{o}/{n}.git", "{o}/{n}", "  https://github.com/{o}/{n}  ")


@given(OWNER, NAME, st.sampled_from(SPELLINGS), st.sampled_from(SPELLINGS), st.booleans())
def test_every_spelling_names_the_same_template(owner: str, name: str, one: str, other: str,
                                                shout: bool) -> None:
    first = one.format(o=owner, n=name)
    second = other.format(o=owner.upper() if shout else owner, n=name)
    assert template_key(first) == f"github.com/{owner}/{name}".lower()
    assert same_template(first, second)


@given(OWNER, NAME, NAME, st.sampled_from(SPELLINGS))
def test_another_name_is_another_template(owner: str, name: str, other: str,
                                          spelling: str) -> None:
    if name.lower() == other.lower():
        return
    assert not same_template(spelling.format(o=owner, n=name), f"gh:{owner}/{other}")


@pytest.mark.parametrize(("source", "key"), [
    ("gl:team/tpl", "gitlab.com/team/tpl"),
    ("https://gitlab.com/group/sub/tpl.git", "gitlab.com/group/sub/tpl"),
    ("https://ghe.example/org/agentrails.git", "ghe.example/org/agentrails"),
    ("https://github.com/agentrails", None),          # no repository name
    ("https://github.com/agentrails/.git", None),     # an empty one
    ("/home/me/templates/agentrails", None),          # a local path
    ("../agentrails", None),
    ("C:\\templates\\agentrails", None),
    ("file:///srv/git/agentrails.git", None),
    ("", None),
])
def test_sources_at_the_boundaries(source: str, key: str | None) -> None:
    assert template_key(source) == key


def test_the_template_name_is_what_renovate_branches_carry() -> None:
    assert template_name("https://github.com/agentrails/agentrails.git") == "agentrails"
    assert template_name("gh:acme/Python-Template") == "python-template"
    assert not same_template("https://ghe.example/agentrails/agentrails",
                             "https://github.com/agentrails/agentrails")


def test_an_answers_file_as_copier_writes_it() -> None:
    text = ("# Changes here will be overwritten by Copier; NEVER EDIT MANUALLY\n"
            "_commit: v0.3.0-4-g1a2b3c4\n_src_path: https://github.com/agentrails/agentrails.git\n"
            "agent_tools:\n- claude\nproject_name: Shop\n")
    found = parse_answers(text)
    assert (found.src_path, found.commit) == ("https://github.com/agentrails/agentrails.git",
                                              "v0.3.0-4-g1a2b3c4")
    assert parse_answers("_src_path: gh:a/b\n_commit: 1.0\n").commit == "1.0"
    assert parse_answers("_src_path: gh:a/b\n").commit is None


@pytest.mark.parametrize(("text", "said"), [
    ("", "not a mapping of answers but NoneType"),
    ("just words", "not a mapping of answers but str"),
    ("_src_path: 3\n", "no _src_path"),
    ("_src_path: '  '\n", "no _src_path"),
    ("_src_path: gh:a/b\n_commit: [v1]\n", "_commit is a list"),
    ("a: b: c\n", "not valid YAML: mapping values are not allowed here (line 1)"),
    ("a: !!python/object:os.system x\n", "not valid YAML"),
    ("[" * 5000, "not valid YAML"),
])
def test_malformed_answers_are_one_line(text: str, said: str) -> None:
    with pytest.raises(AnswersError) as caught:
        parse_answers(text)
    assert said in str(caught.value) and "\n" not in str(caught.value)


@given(st.text(max_size=300))
def test_no_text_breaks_the_parser(text: str) -> None:
    try:
        found = parse_answers(text)
    except AnswersError as error:
        assert str(error) and "\n" not in str(error)
    else:
        assert found.src_path.strip() == found.src_path != ""


@given(st.dictionaries(st.sampled_from(["_src_path", "_commit", "x"]),
                       st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=20),
                                 st.lists(st.integers(), max_size=2)), max_size=3))
def test_no_mapping_breaks_the_parser(answers: dict[str, object]) -> None:
    try:
        found = parse_answers(yaml.safe_dump(answers))
    except AnswersError:
        assert not isinstance(answers.get("_src_path"), str) or not answers["_src_path"].strip() \
            or isinstance(answers.get("_commit"), list)
    else:
        assert found.src_path == str(answers["_src_path"]).strip()


def test_the_default_template_is_the_one_copier_yml_tells_people_to_copy() -> None:
    header = (REPO / "copier.yml").read_text(encoding="utf-8")
    urls = {line.split()[3] for line in header.splitlines() if "copier copy https://" in line}
    assert urls and all(same_template(url, DEFAULT_TEMPLATE) for url in urls)
