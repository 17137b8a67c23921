"""Every registered rule is documented: ``agentrails rule CODE`` and ``agentrails rules``."""

from __future__ import annotations

import json
import re

import pytest

from agentrails.engine.registry import all_rules, load_families

SECTIONS = ("What it finds:", "Why:", "Example:", "How to fix:")
RULES = sorted(all_rules())


def _sections(doc: str) -> dict[str, str]:
    """Section heading -> its text, for headings that stand alone on a line."""
    parts: dict[str, list[str]] = {}
    current = None
    for line in doc.splitlines():
        if line.strip() in SECTIONS and not line.startswith(" "):
            current = line.strip()
            assert current not in parts, f"{current} appears twice"
            parts[current] = []
        elif current is not None:
            parts[current].append(line)
    return {heading: "\n".join(lines).strip() for heading, lines in parts.items()}


def test_the_registry_is_not_empty_and_codes_are_unique():
    codes = [rule.code for family in load_families() for rule in family.rules]
    assert len(codes) == len(set(codes))
    assert {"AR001", "AR002", "AR101", "AR102", "AR901", "AR902"} <= set(codes)


@pytest.mark.parametrize("code", RULES)
def test_every_rule_has_a_code_summary_and_four_sections(code):
    rule = all_rules()[code]
    assert re.fullmatch(r"AR[0-9]{3}", code) and rule.code == code
    assert rule.summary and "\n" not in rule.summary and len(rule.summary) <= 80
    doc = rule.documentation()
    assert doc.startswith("What it finds:"), doc[:40]
    sections = _sections(doc)
    assert list(sections) == list(SECTIONS), code
    for heading, text in sections.items():
        assert text, f"{code}: {heading} is empty"


@pytest.mark.parametrize("code", RULES)
def test_rule_command_prints_the_doc(cli, code):
    rule = all_rules()[code]
    result = cli("rule", code.lower())
    assert result.code == 0 and result.err == ""
    first, _, rest = result.out.partition("\n\n")
    assert first.startswith(f"{code}: {rule.summary}")
    assert ("(opt-in)" in first) == rule.opt_in
    assert rest.strip() == rule.documentation()
    for heading in SECTIONS:
        assert f"\n{heading}\n" in f"\n{rest}"


@pytest.mark.parametrize("code", ["AR000", "XYZ", "AR1", ""])
def test_unknown_rule_exits_2(cli, code):
    result = cli("rule", code)
    assert result.code == 2 and result.out == ""
    assert "unknown rule" in result.err


def test_rules_lists_every_rule_in_order(cli):
    result = cli("rules")
    assert result.code == 0
    listed = [line.split()[0] for line in result.out.splitlines()]
    assert listed == RULES
    for line in result.out.splitlines():
        code = line.split()[0]
        assert all_rules()[code].summary in line


def test_rules_as_json(cli):
    rows = json.loads(cli("rules", "--format", "json").out)
    assert [row["code"] for row in rows] == RULES
    for row in rows:
        rule = all_rules()[row["code"]]
        assert row == {"code": rule.code, "summary": rule.summary, "opt_in": rule.opt_in,
                       "warn_by_default": rule.warn_by_default}
