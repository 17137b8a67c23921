"""Whether sanitized text is inert: a structural scan, and cmark-gfm (GitHub's Markdown engine)
rendering it with autolinks and raw HTML on, whose HTML must hold no tag Markdown alone makes."""

from __future__ import annotations

import html
import re

try:
    import cmarkgfm
    from cmarkgfm.cmark import Options
except ImportError:  # the structural checks still run
    cmarkgfm = None

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
