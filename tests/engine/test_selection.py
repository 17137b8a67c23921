"""Rule selection in the ruff style: prefixes, ALL, ignore, opt-in rules, per-file ignores."""

from __future__ import annotations

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from agentrails.engine.protocol import Rule
from agentrails.engine.registry import all_rules
from agentrails.engine.selection import PerFileIgnores, SelectionError, select_rules


def _rules(codes: dict[str, bool]) -> dict[str, type[Rule]]:
    """Stand-in rules: code -> opt_in."""
    return {
        code: type(f"Rule{code}", (Rule,), {"code": code, "summary": code, "opt_in": opt_in})
        for code, opt_in in sorted(codes.items())
    }


FAKE = _rules({"AR101": False, "AR102": False, "AR201": False, "AR202": True, "AR901": False})


def test_defaults_run_every_rule_but_opt_in_ones():
    assert select_rules(FAKE, None, []) == {"AR101", "AR102", "AR201", "AR901"}


def test_prefixes_all_and_ignore():
    assert select_rules(FAKE, ["AR1"], []) == {"AR101", "AR102"}
    assert select_rules(FAKE, ["AR10", "AR9"], ["AR102"]) == {"AR101", "AR901"}
    assert select_rules(FAKE, ["ALL"], ["AR1", "AR2"]) == {"AR901"}
    assert select_rules(FAKE, None, ["ALL"]) == frozenset()
    assert select_rules(FAKE, [], []) == frozenset()


def test_opt_in_rules_need_their_full_code_or_configuration():
    assert "AR202" not in select_rules(FAKE, ["AR2"], [])
    assert "AR202" not in select_rules(FAKE, ["ALL"], [])
    assert "AR202" in select_rules(FAKE, ["AR202"], [])
    assert "AR202" in select_rules(FAKE, None, [], enabled_opt_in={"AR202"})
    assert "AR202" in select_rules(FAKE, ["AR2"], [], enabled_opt_in={"AR202"})
    assert "AR202" not in select_rules(FAKE, ["AR1"], [], enabled_opt_in={"AR202"})
    assert "AR202" not in select_rules(FAKE, ["AR202"], ["AR2"])


@pytest.mark.parametrize(
    ("select", "ignore", "word"),
    [(["AR3"], [], "'AR3'"), (["AR1", "XX"], [], "'XX'"), (None, ["AR7"], "'AR7'"),
     (["ar1"], [], "'ar1'")],
)
def test_a_selector_matching_no_rule_is_an_error(select, ignore, word):
    with pytest.raises(SelectionError, match=word):
        select_rules(FAKE, select, ignore)


def test_the_real_registry():
    rules = all_rules()
    assert select_rules(rules, ["AR1"], []) == {"AR101", "AR102"}
    assert select_rules(rules, ["AR9"], []) == {"AR901", "AR902"}
    assert select_rules(rules, ["AR0"], []) == {"AR001", "AR002"}
    opt_in = {code for code, rule in rules.items() if rule.opt_in}
    assert not opt_in & select_rules(rules, None, [])
    for code in opt_in:
        assert code in select_rules(rules, [code], [])


def test_per_file_ignores():
    ignores = PerFileIgnores(
        {"tests/**": ["AR1"], "*.gen.py": ["AR102", "AR201"], "docs/": ["ALL"]}
    )
    assert ignores.ignored("tests/unit/test_a.py", "AR101")
    assert ignores.ignored("tests/test_a.py", "AR102")
    assert not ignores.ignored("tests/test_a.py", "AR201")
    assert ignores.ignored("src/deep/x.gen.py", "AR201")
    assert not ignores.ignored("src/deep/x.gen.py", "AR101")
    assert ignores.ignored("docs/a/b.md", "AR901")
    assert not ignores.ignored("src/tests.py", "AR101")
    assert not PerFileIgnores({}).ignored("a.py", "AR101")


CODE = st.from_regex(r"AR[0-9]{3}", fullmatch=True)
REGISTRY = st.dictionaries(CODE, st.booleans(), min_size=1, max_size=12)


def _prefixes(codes):
    return st.sampled_from(sorted(codes)).flatmap(
        lambda code: st.integers(min_value=1, max_value=len(code)).map(lambda n: code[:n])
    )


@st.composite
def _scenario(draw):
    registry = draw(REGISTRY)
    prefixes = _prefixes(registry)
    select = draw(st.none() | st.lists(prefixes | st.just("ALL"), max_size=4))
    ignore = draw(st.lists(prefixes, max_size=3))
    enabled = draw(st.sets(st.sampled_from(sorted(registry)), max_size=3))
    return registry, select, ignore, enabled


def _hit(code: str, selectors) -> bool:
    return any(s == "ALL" or code.startswith(s) for s in selectors)


@given(_scenario())
def test_property_selection_follows_prefix_semantics(scenario):
    registry, select, ignore, enabled = scenario
    chosen = select_rules(_rules(registry), select, ignore, enabled)
    assert chosen <= set(registry)
    for code, opt_in in registry.items():
        picked = select is None or _hit(code, select)
        if opt_in:
            picked = code in (select or []) or (code in enabled and picked)
        assert (code in chosen) == (picked and not _hit(code, ignore)), code


@given(_scenario(), st.data())
def test_property_more_ignores_never_add_rules(scenario, data):
    registry, select, ignore, enabled = scenario
    extra = data.draw(_prefixes(registry))
    before = select_rules(_rules(registry), select, ignore, enabled)
    after = select_rules(_rules(registry), select, [*ignore, extra], enabled)
    assert after == {code for code in before if not code.startswith(extra)}


@given(REGISTRY, st.from_regex(r"[A-Z]{1,3}[0-9]{0,3}", fullmatch=True))
def test_property_unknown_selectors_are_errors(registry, selector):
    assume(selector != "ALL" and not any(code.startswith(selector) for code in registry))
    with pytest.raises(SelectionError):
        select_rules(_rules(registry), [selector], [])
    with pytest.raises(SelectionError):
        select_rules(_rules(registry), None, [selector])
