"""The complexity family through the CLI and the engine: configuration, AR202's opt-in and
radon's MI as its reference, positions, suppression, and facts that survive threshold edits."""

from __future__ import annotations

import ast
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from radon.metrics import mi_visit

from agentrails.checks.complexity.facts import ComplexityFacts, FunctionComplexity
from agentrails.checks.complexity.rules import FAMILY, collect, fingerprint
from agentrails.engine.config.settings import load_settings
from agentrails.engine.protocol import PartialFacts, RuleContext, SourceFile
from agentrails.engine.registry import load_families
from agentrails.engine.run.runner import run_check
from tests.helpers.repo import Outcome, finding_lines

Cli = Callable[..., Outcome]
Dir = Callable[..., Path]

TANGLED = "def tangled(a):\n" + "".join(
    f"    if a > {i} and a < {i + 3}:\n        a = a * {i} + {i} - a // 3\n" for i in range(60)
) + "    return a\n"
"""Complexity 121 and a maintainability index just under 10."""

FIVE = """\
import functools


@functools.cache
def five(a, b):
    if a and b:
        return 1
    for x in a:
        if x:
            return 2
    return 3
"""


def pyproject(**options: object) -> str:
    lines = ["[tool.agentrails.complexity]"]
    lines += [f"{key.replace('_', '-')} = {json.dumps(value)}" for key, value in options.items()]
    return "\n".join(lines) + "\n"


def test_ar201_reports_at_the_def_line_not_the_decorator(cli: Cli, plain_dir: Dir) -> None:
    root = plain_dir({"pyproject.toml": pyproject(max_function=4), "five.py": FIVE})
    outcome = cli("check", "--select", "AR201", "--no-cache", root, cwd=root)
    assert outcome.code == 1
    assert finding_lines(outcome.out) == [
        "five.py:5:1: AR201 function 'five' is too complex (5 > 4)"
    ]
    clean = plain_dir({"pyproject.toml": pyproject(max_function=5), "five.py": FIVE}, name="ok")
    assert cli("check", "--select", "AR201", "--no-cache", clean).code == 0


def test_noqa_on_the_def_line_suppresses_ar201(cli: Cli, plain_dir: Dir) -> None:
    source = FIVE.replace("def five(a, b):", "def five(a, b):  # noqa: AR201")
    root = plain_dir({"pyproject.toml": pyproject(max_function=4), "five.py": source})
    assert cli("check", "--select", "AR201", "--no-cache", root).code == 0


def test_ar202_is_off_unless_a_floor_is_set(cli: Cli, plain_dir: Dir) -> None:
    root = plain_dir({"pyproject.toml": pyproject(max_function=200), "t.py": TANGLED})
    outcome = cli("check", "--select", "AR2", "--format", "json", "--no-cache", root)
    assert [f["code"] for f in json.loads(outcome.out)] == ["AR203"]
    selected = cli("check", "--select", "AR202", "--format", "json", "--no-cache", root)
    assert (selected.code, json.loads(selected.out)) == (0, [])  # no floor: nothing to compare


def test_ar202_uses_radon_mi_when_a_floor_is_set(cli: Cli, plain_dir: Dir) -> None:
    expected = mi_visit(TANGLED, multi=True)
    assert 5 < expected < 10
    config = pyproject(max_function=200, max_module_rank="F", min_maintainability=10)
    root = plain_dir({"pyproject.toml": config, "t.py": TANGLED, "ok.py": "x = 1\n"})
    outcome = cli("check", "--format", "json", "--no-cache", "--select", "AR2", root)
    assert outcome.code == 1
    (finding,) = json.loads(outcome.out)
    assert (finding["code"], finding["path"], finding["line"], finding["column"]) == (
        "AR202", "t.py", 1, 1
    )
    assert (finding["value"], finding["limit"]) == (round(expected, 2), 10)
    assert finding["message"] == f"maintainability index {expected:.2f} is below 10"
    config = pyproject(min_maintainability=5)
    lower = plain_dir({"pyproject.toml": config, "t.py": TANGLED}, name="b")
    assert "AR202" not in cli("check", "--no-cache", lower).out


def test_collect_computes_mi_only_when_ar202_runs_with_a_floor() -> None:
    source = SourceFile("t.py", TANGLED.encode(), TANGLED, ast.parse(TANGLED))
    options = {key: option.default for key, option in FAMILY.options.items()}
    floor = {**options, "min-maintainability": 20.0}
    off = RuleContext(floor, "/", frozenset({"AR201", "AR203"}))
    no_floor = RuleContext(options, "/", frozenset({"AR201", "AR202"}))
    on = RuleContext(floor, "/", frozenset({"AR201", "AR202"}))
    assert ComplexityFacts(*collect(source, off)).maintainability is None
    assert ComplexityFacts(*collect(source, no_floor)).maintainability is None
    assert ComplexityFacts(*collect(source, on)).maintainability == mi_visit(TANGLED, multi=True)
    assert collect(source, on)[0] == collect(source, off)[0]
    assert type(collect(source, on)[0][0]) is tuple, "plain tuples, as the cache keeps them"
    assert (fingerprint(off), fingerprint(no_floor), fingerprint(on)) == ("", "", "mi")
    assert collect(SourceFile("a.txt", b"x", "x", None), on) is None


def test_a_failing_mi_keeps_the_complexity_facts(monkeypatch: pytest.MonkeyPatch) -> None:
    import radon.metrics

    def broken(code: str, multi: bool) -> float:
        raise ValueError(f"tokenizer gave up (multi={multi})")

    monkeypatch.setattr(radon.metrics, "mi_visit", broken)
    source = SourceFile("t.py", TANGLED.encode(), TANGLED, ast.parse(TANGLED))
    options = {key: option.default for key, option in FAMILY.options.items()}
    ctx = RuleContext({**options, "min-maintainability": 1}, "/", frozenset({"AR202"}))
    with pytest.raises(PartialFacts) as caught:
        collect(source, ctx)
    expected = "maintainability index failed: ValueError: tokenizer gave up (multi=True)"
    assert caught.value.reason == expected
    functions, _, _ = caught.value.facts
    assert [FunctionComplexity(*f).complexity for f in functions] == [121]


def test_thresholds_need_no_reanalysis_and_ar202_does(plain_dir: Dir) -> None:
    root = plain_dir({"pyproject.toml": pyproject(), "five.py": FIVE, "t.py": TANGLED})
    families = load_families()
    settings = load_settings(root, families)
    first = run_check(settings, families, frozenset({"AR201"}), jobs=1)
    assert [(f.path, f.value) for f in first.findings] == [("t.py", 121)]
    settings.families["complexity"]["max-function"] = 4
    second = run_check(settings, families, frozenset({"AR201"}), jobs=1)
    assert second.analysed == 0
    assert [(f.path, f.value) for f in second.findings] == [("five.py", 5), ("t.py", 121)]
    settings.families["complexity"]["min-maintainability"] = 50.0
    third = run_check(settings, families, frozenset({"AR201", "AR202"}), jobs=1)
    assert third.analysed == first.analysed > 0
    assert [f.path for f in third.findings if f.code == "AR202"] == ["t.py"]


@pytest.mark.parametrize(
    ("key", "value", "complaint"),
    [
        ("max-function", 0, "at least 1"),
        ("max-function", "ten", "integer"),
        ("max-module-rank", "G", "A, B, C, D, E, F"),
        ("max-module-rank", 2, "A, B, C, D, E, F"),
        ("min-maintainability", 101, "0 to 100"),
        ("min-maintainability", True, "number"),
    ],
)
def test_bad_options_are_usage_errors_naming_the_key(
    cli: Cli, plain_dir: Dir, key: str, value: object, complaint: str
) -> None:
    config = f"[tool.agentrails.complexity]\n{key} = {json.dumps(value)}\n"
    root = plain_dir({"pyproject.toml": config})
    outcome = cli("check", "--no-cache", root)
    assert outcome.code == 2
    assert f"tool.agentrails.complexity.{key}" in outcome.err
    assert complaint in outcome.err
    assert "Traceback" not in outcome.err


def test_rank_letter_is_case_insensitive(cli: Cli, plain_dir: Dir) -> None:
    heavy = "def f(a):\n" + "    if a: pass\n" * 11  # one block of complexity 12: rank C
    config = pyproject(max_module_rank="b", max_function=50)
    root = plain_dir({"pyproject.toml": config, "h.py": heavy})
    outcome = cli("check", "--select", "AR203", "--no-cache", root, cwd=root)
    assert finding_lines(outcome.out) == [
        "h.py:1:1: AR203 module average complexity 12.00 ranks C, worse than B"
    ]
