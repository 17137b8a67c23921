"""Property tests of ``agentrails sanitize``: whatever the input, the output has no active link,
image, mention or HTML tag, respects its bound, and sanitizing it again changes nothing.

"Active" is judged twice: by a structural scan of the text, and by rendering it with
cmark-gfm, the Markdown engine GitHub itself uses (autolinks and raw HTML switched on, the
worst case), whose HTML must hold no tag that Markdown alone does not make.
"""

from __future__ import annotations

import html
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agentrails.sanitize import FLAG, MIN_MAX_CHARS, sanitize
from agentrails.sanitize.core import clean

try:
    import cmarkgfm
    from cmarkgfm.cmark import Options
except ImportError:  # the structural checks still run
    cmarkgfm = None

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

STRUCTURAL = {
    "HTML tag or autolink": re.compile(r"<[A-Za-z/!?]"),
    "link or image syntax": re.compile(r"\][(\[:]|\[\^"),
    "URL": re.compile(r"://|www\.", re.IGNORECASE),
    "mention or e-mail": re.compile(r"@[A-Za-z0-9]"),
    "issue reference": re.compile(r"#[0-9]|\bGH-[0-9]", re.IGNORECASE),
    "control or invisible character": re.compile(
        "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b\u200c\u200e\u200f\u202a-\u202e\u2066-\u2069"
        "\ufeff\U000e0000-\U000e007f]"
    ),
}


def structural_problems(text: str) -> list[str]:
    """What the text holds that GitHub could render as active."""
    return [name for name, pattern in STRUCTURAL.items() if pattern.search(text)]


MARKDOWN_TAGS = {
    "p", "pre", "code", "em", "strong", "del", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol",
    "li", "blockquote", "hr", "br", "table", "thead", "tbody", "tr", "th", "td", "input",
}
MENTION = re.compile(r"(?:^|[^\w`/])@[A-Za-z0-9]|(?:^|[\s(])#[0-9]")


def rendered_problems(text: str) -> list[str]:
    """Tags in cmark-gfm's HTML that Markdown alone does not make, HTML comments, and
    mentions or issue references in text outside code (GitHub links those afterwards)."""
    if cmarkgfm is None:
        return []
    options = Options.CMARK_OPT_UNSAFE | Options.CMARK_OPT_FOOTNOTES
    rendered = cmarkgfm.github_flavored_markdown_to_html(text, options=options)
    tags = {tag.lower() for tag in re.findall(r"<([A-Za-z][A-Za-z0-9-]*)", rendered)}
    problems = [f"<{tag}>" for tag in sorted(tags - MARKDOWN_TAGS)]
    if "<!--" in rendered:
        problems.append("HTML comment")
    outside_code = re.sub(r"<pre.*?</pre>|<code>.*?</code>", " ", rendered, flags=re.S)
    prose = html.unescape(re.sub(r"<[^>]+>", " ", outside_code))
    if MENTION.search(prose):
        problems.append("mention or reference")
    return problems


def fence_problems(output: str) -> list[str]:
    """A fenced result must render as one code block and nothing else."""
    if cmarkgfm is None:
        return []
    rendered = cmarkgfm.github_flavored_markdown_to_html(output)
    whole = rendered.startswith('<pre lang="text"><code>') and rendered.endswith("</code></pre>\n")
    return [] if whole and rendered.count("<pre") == 1 else [f"not one code block: {rendered!r}"]


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
