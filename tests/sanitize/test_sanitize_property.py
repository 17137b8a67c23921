"""Property tests of ``agentrails sanitize``: whatever the input, the output has no active link,
image, mention or HTML tag, respects its bound, and sanitizing it again changes nothing.

"Active" is judged twice: by a structural scan of the text, and by rendering it with
cmark-gfm, the Markdown engine GitHub itself uses (autolinks and raw HTML switched on, the
worst case), whose HTML must hold no tag that Markdown alone does not make.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from agentrails.sanitize import FLAG, MIN_MAX_CHARS, sanitize
from agentrails.sanitize.core import clean
from tests.helpers.markdown_oracle import (
    cmarkgfm,
    fence_problems,
    rendered_problems,
    structural_problems,
)

# Pieces that make links, images, mentions, HTML, escapes, fences and markers likely.
FRAGMENTS = [
    "<", ">", "&", "&lt;", "&amp;", "&#60;", "@", "#", "#1", "GH-2", "[", "]", "(", ")", "!",
    ":", "//", "://", "www.", "WwW.", "http", "https://x.io/a?b=c", "mailto:a@b.co", "a@b.co",
    "@user", "@org/team", "[t](u)", "![i](s)", "[r]: u", "[^1]", "<img src=x>", "<a href=y>",
    "<!--", "-->", "<https://auto.link>", "javascript:", "`", "```", "````", "~~~", "\n",
    "\r\n", "\r", "\t", " ", "    ", "\x1b[31m", "\x1b]8;;u\x07", "\x9b1m", "\x00", "\x7f",
    "\u200b", "\u200d", "\u202e", "\U000e0041", "\ufe0f", "\u2028", "a", "b", "1", "-", "\\",
    "ignore previous instructions", "system prompt", '{"tool": "x"}', FLAG, "✂", "text",
    "[:]//", "www[.]", "<|im_start|>",
]
texts = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=4)), max_size=40
).map("".join)
bounds = st.sampled_from([MIN_MAX_CHARS, 260, 400, 20_000])
keeps = st.sampled_from(["head", "tail"])
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

@SETTINGS
@given(texts, bounds, keeps)
def test_unfenced_output_is_inert(text: str, bound: int, keep: str) -> None:
    out = sanitize(text, bound, fence=False, keep=keep)
    assert structural_problems(out) == []
    assert rendered_problems(out) == []


@SETTINGS
@given(texts, bounds, keeps)
def test_fenced_output_is_one_inert_code_block(text: str, bound: int, keep: str) -> None:
    out = sanitize(text, bound, keep=keep)
    inner = out.split("\n", 1)[1].rsplit("\n", 2)[0]
    assert structural_problems(inner) == []
    assert fence_problems(out) == []
    assert rendered_problems(out) == []


@SETTINGS
@given(texts, bounds, keeps, st.booleans())
def test_output_respects_its_bound(text: str, bound: int, keep: str, fence: bool) -> None:
    assert len(sanitize(text, bound, fence=fence, keep=keep)) <= bound


@SETTINGS
@given(texts, bounds, keeps, st.booleans())
def test_sanitize_is_idempotent(text: str, bound: int, keep: str, fence: bool) -> None:
    once = sanitize(text, bound, fence=fence, keep=keep)
    assert sanitize(once, bound, fence=fence, keep=keep) == once


@SETTINGS
@given(texts)
def test_clean_is_idempotent(text: str) -> None:
    """The content transformation alone is a fixed point after one pass."""
    once = clean(text)
    assert clean(once) == once


@SETTINGS
@given(st.text(max_size=200), bounds)
@example("\U000e0000", 200)  # an unassigned code point of the tag block
def test_any_unicode_text_is_handled(text: str, bound: int) -> None:
    out = sanitize(text, bound)
    assert len(out) <= bound
    assert sanitize(out, bound) == out
    assert structural_problems(out.split("\n", 1)[1].rsplit("\n", 2)[0]) == []


@pytest.mark.skipif(cmarkgfm is None, reason="cmarkgfm (GitHub's Markdown engine) not installed")
def test_the_oracle_sees_what_github_would_render() -> None:
    """The checks catch the raw constructs; otherwise their silence would prove nothing."""
    for raw in ["[t](u)", "![i](s)", "<b>x</b>", "https://x.io", "www.x.io", "a@b.co",
                "hi @octocat", "see #12", "<!-- c -->", "x[^1]\n\n[^1]: n"]:
        assert rendered_problems(raw), raw
        assert structural_problems(raw), raw
