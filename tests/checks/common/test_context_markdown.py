"""The Markdown reader behind AR401-AR403 and AR501-AR502: headings, links, imports, paths."""

from __future__ import annotations

import string

from hypothesis import given, settings
from hypothesis import strategies as st

from agentrails.checks.common.markdown import parse_markdown


def refs(text: str) -> list[tuple[str, str, int]]:
    return [(r.kind, r.target, r.line) for r in parse_markdown(text, len(text)).references]


def test_headings_and_sections() -> None:
    text = "# Title\n\nintro\n\n## Current state ##\n\nok\n\n### Detail\n\nx\n\n## Next\n\ny\n"
    facts = parse_markdown(text, len(text))
    assert [(h.level, h.text, h.line) for h in facts.headings] == [
        (1, "Title", 1), (2, "Current state", 5), (3, "Detail", 9), (2, "Next", 13)]
    state, detail = facts.headings[1], facts.headings[2]
    assert facts.section(state, 15) == (5, 12)
    assert facts.section(detail, 15) == (9, 12)
    assert facts.section(facts.headings[3], 15) == (13, 15)
    assert facts.size == len(text)


def test_links_of_every_form_and_what_is_not_a_link() -> None:
    text = (
        "See [a](docs/a.md), ![img](img/logo.png \"title\") and [b](<docs/my file.md>).\n"
        "[ref]: ../shared/c.md\n"
        "[d](docs/d.md#part) [e](e.md?plain=1) [f](my%20notes.md)\n"
        "[web](https://example.com) [mail](mailto:x@example.com) [top](#top) [p](//cdn/x)\n"
    )
    assert refs(text) == [
        ("link", "docs/a.md", 1), ("link", "img/logo.png", 1), ("link", "docs/my file.md", 1),
        ("link", "../shared/c.md", 2),
        ("link", "docs/d.md", 3), ("link", "e.md", 3), ("link", "my notes.md", 3),
    ]


def test_imports_as_claude_code_reads_them() -> None:
    text = (
        "@AGENTS.md\n"
        "Also see @docs/style.md, and @rules/testing.md.\n"
        "Mail alice@example.com, ping @alice, home @~/notes.md, code `@skip/me.md`.\n"
    )
    assert refs(text) == [
        ("import", "AGENTS.md", 1), ("import", "docs/style.md", 2),
        ("import", "rules/testing.md", 2),
    ]


def test_backticked_paths() -> None:
    text = "Edit `src/app.py`, `ARCHITECTURE.md` and `./tests/`; not `--write`, `a b`, `x.py`.\n"
    assert refs(text) == [
        ("path", "src/app.py", 1), ("path", "ARCHITECTURE.md", 1), ("path", "./tests/", 1)]


def test_fences_comments_and_front_matter_are_skipped() -> None:
    text = (
        "---\ndescription: [x](front.md)\n---\n"
        "````md\n```\n[in](fence.md)\n```\n````\n"
        "~~~\n@in/tilde.md\n~~~\n"
        "<!-- [hidden](one.md)\n[still](two.md) -->[shown](three.md)\n"
        "# After\n"
    )
    facts = parse_markdown(text, len(text))
    assert [(r.target, r.line) for r in facts.references] == [("three.md", 13)]
    assert [h.text for h in facts.headings] == ["After"]


def test_columns_point_at_the_reference() -> None:
    text = "x [a](docs/a.md) @b/c.md `d/e.py`\n"
    found = parse_markdown(text, len(text)).references
    assert [(r.kind, r.column) for r in found] == [("link", 7), ("import", 18), ("path", 27)]


WORD = st.text(string.ascii_letters + string.digits, min_size=1, max_size=8)
NAME = st.builds(lambda a, b: f"{a}/{b}.md", WORD, WORD)


@st.composite
def documents(draw: st.DrawFn) -> tuple[str, list[tuple[str, str, int]]]:
    """A document of paragraphs and fenced blocks, and the references outside fences."""
    lines: list[str] = []
    expected: list[tuple[str, str, int]] = []
    for _ in range(draw(st.integers(0, 12))):
        kind = draw(st.sampled_from(["link", "import", "path", "fence", "prose", "heading"]))
        target = draw(NAME)
        if kind == "fence":
            lines += ["```", f"[x]({target}) @{target} `{target}`", "```"]
            continue
        text = {"link": f"see [x]({target}) here", "import": f"load @{target} now",
                "path": f"edit `{target}` next", "prose": draw(WORD),
                "heading": f"## {draw(WORD)}"}[kind]
        lines.append(text)
        if kind in ("link", "import", "path"):
            expected.append((kind, target, len(lines)))
    return "\n".join(lines) + "\n", expected


@settings(max_examples=200, deadline=None)
@given(documents())
def test_finds_exactly_the_references_outside_fences(doc: tuple[str, list]) -> None:
    text, expected = doc
    assert refs(text) == expected
    lines = text.splitlines()
    for ref in parse_markdown(text, len(text)).references:
        assert ref.target in lines[ref.line - 1][ref.column - 1:]


@settings(max_examples=300, deadline=None)
@given(st.text(string.printable + "`@[]()<>#~-", max_size=400))
def test_never_raises_and_lines_are_in_range(text: str) -> None:
    facts = parse_markdown(text, len(text))
    count = len(text.splitlines())
    assert all(1 <= item.line <= count for item in (*facts.headings, *facts.references))
