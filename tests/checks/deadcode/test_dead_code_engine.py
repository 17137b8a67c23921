"""AR301/AR302 through the engine: the CLI, the cache (a warm run only re-joins), config
errors, and files too deep to analyse fully."""

from __future__ import annotations

import ast
import json
import pkgutil
from pathlib import Path

import pytest

from agentrails.checks.deadcode.collect import analyse_module, collect
from agentrails.checks.deadcode.facts import DeadCodeFacts
from agentrails.checks.deadcode.vulture.bundled import BUNDLED_WHITELISTS
from agentrails.engine.config.settings import load_settings
from agentrails.engine.protocol import PartialFacts, RuleContext, SourceFile
from agentrails.engine.registry import load_families
from agentrails.engine.run import runner
from tests.helpers.deadcode import file_facts, findings, reports
from tests.helpers.repo import write_files

CONFIG = "select = ['AR301', 'AR302']\n[dead-code]\nmin-confidence = 60\n"
PROJECT = {
    "agentrails.toml": CONFIG,
    "pkg/__init__.py": "",
    "pkg/lib.py": "def used_elsewhere():\n    pass\n\ndef unused():\n    return 1\n    print()\n",
    "pkg/main.py": "from pkg.lib import used_elsewhere\n\nused_elsewhere()\n",
    "README.md": "unused\n",
}
DEEP_NOTS = 1000
"""Parses, but evaluating the ``if`` condition needs more than Python's recursion limit."""


def _run(root: Path) -> runner.RunResult:
    families = load_families()
    settings = load_settings(root, families)
    return runner.run_check(settings, families, frozenset({"AR301", "AR302"}), jobs=1)


def _summary(result: runner.RunResult) -> list[tuple[str, int, str, str]]:
    return [(f.path, f.line, f.code, f.message) for f in result.findings]


EXPECTED = [
    ("pkg/lib.py", 4, "AR301", "unused function 'unused' (70% confidence)"),
    ("pkg/lib.py", 6, "AR302", "unreachable code after 'return' (100% confidence)"),
]


def test_a_warm_run_analyses_nothing_and_only_rejoins(git_repo) -> None:
    root = git_repo(PROJECT)
    first = _run(root)
    assert first.analysed == len(PROJECT) and _summary(first) == EXPECTED
    second = _run(root)
    assert second.analysed == 0 and _summary(second) == EXPECTED
    uses_both = "from pkg.lib import used_elsewhere, unused\nused_elsewhere(unused)\n"
    write_files(root, {"pkg/main.py": uses_both})
    third = _run(root)
    assert third.analysed == 1
    assert _summary(third) == [EXPECTED[1]]


def test_cli_text_and_json(git_repo, cli) -> None:
    root = git_repo(PROJECT)
    text = cli("check", "--no-cache", root)
    assert text.code == 1, text.err
    assert "pkg/lib.py:4:1: AR301 unused function 'unused' (70% confidence)" in text.out
    assert "pkg/lib.py:6:5: AR302 unreachable code after 'return' (100% confidence)" in text.out
    data = json.loads(cli("check", "--no-cache", "--format", "json", root).out)
    assert {(d["code"], d["value"], d["limit"]) for d in data} == {("AR301", 70, 60),
                                                                  ("AR302", 100, 60)}


def test_engine_noqa_and_file_noqa_suppress_findings(git_repo, cli) -> None:
    files = {
        **PROJECT,
        "pkg/lib.py": "def used_elsewhere():\n    pass\n\ndef unused():  # noqa: AR301\n    pass\n",
        "pkg/other.py": "# agentrails: noqa: AR301\ndef forgotten():\n    pass\n",
    }
    outcome = cli("check", "--no-cache", git_repo(files))
    assert outcome.code == 0, outcome.out + outcome.err


@pytest.mark.parametrize("config, key", [
    ("[dead-code]\nmin-confidence = 101\n", "dead-code.min-confidence"),
    ("[dead-code]\nignore-names = 'x'\n", "dead-code.ignore-names"),
    ("[dead-code]\nsmart = true\n", "dead-code.smart"),
])
def test_bad_configuration_exits_2_naming_the_key(git_repo, cli, config: str, key: str) -> None:
    outcome = cli("check", "--no-cache", git_repo({"agentrails.toml": config, "a.py": "x = 1\n"}))
    assert outcome.code == 2 and key in outcome.err and "Traceback" not in outcome.err


def test_too_deep_to_analyse_keeps_its_uses_and_reports_no_definitions() -> None:
    deep = f"def deep_own():\n    pass\nif {'not ' * DEEP_NOTS}helper():\n    pass\n"
    source = SourceFile("deep.py", deep.encode(), deep, tree=ast.parse(deep))
    with pytest.raises(PartialFacts) as raised:
        collect(source, RuleContext({}, "."))
    partial = DeadCodeFacts(*raised.value.facts)
    assert "helper" in partial.used and not partial.complete
    assert "nested" in raised.value.reason
    files = {"deep.py": deep, "lib.py": "def helper():\n    pass\ndef unused():\n    pass\n"}
    facts = file_facts(files, RuleContext({}, "."))
    assert facts["deep.py"].problem is not None and facts["deep.py"].problem.code == "AR002"
    assert "nested" in facts["deep.py"].problem.message
    assert reports(files) == ["lib.py:3: unused function 'unused' (70% confidence)"]


def test_a_deep_expression_is_walked_without_recursion() -> None:
    deep = "def f(a):\n    return " + " + ".join(["a"] * 2500) + "\n"
    tree = ast.parse(deep)
    with pytest.raises(RecursionError):
        ast.NodeVisitor().visit(tree)  # what vulture's recursive visit runs into
    facts = analyse_module(tree, "deep.py", deep)
    assert facts.complete and "a" in facts.used and facts.depth > 2500
    with_room = findings({"deep.py": deep}, top={"max-depth": 5000})
    assert [f.message for f in with_room] == ["unused function 'f' (70% confidence)"]


def test_a_file_deeper_than_max_depth_is_ar002_and_keeps_its_uses() -> None:
    deep = "def f(a):\n    return " + " + ".join(["a"] * 600) + "\n"
    lib = "def helper():\n    pass\ndef a():\n    pass\n"
    files = {"deep.py": deep, "lib.py": lib}
    facts = file_facts(files, RuleContext({}, ".", top={"max-depth": 500}))
    problem = facts["deep.py"].problem
    assert problem is not None and problem.code == "AR002"
    assert "nested 60" in problem.message and "max-depth 500" in problem.message
    # deep.py's definitions are not reported; the name `a` it uses still counts for lib.py.
    found = [f for f in findings(files, top={"max-depth": 500}) if f.code == "AR301"]
    assert [f"{f.path}:{f.line}" for f in found] == ["lib.py:1"]


@pytest.mark.corpus
def test_sympys_resolvent_table_is_analysed_completely() -> None:
    from tests.helpers.corpora import SYMPY, corpus

    path = corpus(*SYMPY) / "sympy/polys/numberfields/resolvent_lookup.py"
    text = path.read_text(encoding="utf-8")
    facts = analyse_module(ast.parse(text, type_comments=True), "resolvent_lookup.py", text)
    assert facts.complete and {"s1", "s6"} <= facts.used
    assert [item[1] for item in facts.defined if item[0] == "variable"][:1] == [
        "resolvent_coeff_lambdas"
    ]


def test_bundled_table_matches_vultures_whitelists() -> None:
    import vulture

    folder = Path(vulture.__file__).parent / "whitelists"
    found = {}
    for path in sorted(folder.glob("*_whitelist.py")):
        data = pkgutil.get_data("vulture", f"whitelists/{path.name}")
        assert data is not None
        text = data.decode("utf-8")
        facts = analyse_module(ast.parse(text), f"whitelists/{path.name}", text)
        assert not [item for item in facts.defined if item[1] not in facts.used], path.name
        found[path.name.removesuffix("_whitelist.py")] = facts.used
    assert found == BUNDLED_WHITELISTS


def test_an_unexpected_failure_keeps_the_uses_and_names_the_file(monkeypatch) -> None:
    from agentrails.checks.deadcode.vulture import walker

    original = walker.Walker.run

    def fail_on_odd(self, tree):
        original(self, tree)
        if "odd" in self.used:
            raise ValueError("unexpected")

    monkeypatch.setattr(walker.Walker, "run", fail_on_odd)
    files = {"odd.py": "def mine():\n    pass\nprint(odd, helper())\n",
             "lib.py": "def helper():\n    pass\ndef unused():\n    pass\n"}
    facts = file_facts(files, RuleContext({}, "."))
    problem = facts["odd.py"].problem
    assert problem is not None and problem.code == "AR002"
    assert problem.message == "dead-code analysis failed: ValueError: unexpected"
    assert reports(files) == ["lib.py:3: unused function 'unused' (70% confidence)"]


def test_a_missing_whitelist_exits_2(git_repo, cli) -> None:
    config = "[dead-code]\nwhitelist = ['missing.py']\n"
    outcome = cli("check", "--no-cache", git_repo({"agentrails.toml": config, "a.py": "x = 1\n"}))
    assert outcome.code == 2
    assert "dead-code.whitelist: cannot read 'missing.py'" in outcome.err
