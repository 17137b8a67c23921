"""Make one line of text inert on GitHub: no HTML, no link, no image, no mention.

Each step is idempotent on its own output (with the joiners it inserted removed first, as
``strip`` does), and no step creates what an earlier one removes:

- HTML: ``<`` and ``>`` become ``&lt;`` and ``&gt;``; ``&`` becomes ``&amp;`` unless it
  already starts one of those three entities. No tag, comment or ``<...>`` autolink is left.
- URLs: ``://`` becomes ``[:]//`` and ``www.`` becomes ``www[.]``, so GitHub autolinks
  neither ``https://...`` nor ``www....``; the text stays readable.
- Markdown links and images: a zero-width joiner goes between ``]`` and a following ``(``,
  ``[`` or ``:`` (inline links, reference links, link definitions) and between ``[`` and
  ``^`` (footnotes).
- Mentions and references: a zero-width joiner follows ``@`` before a letter or digit
  (``@user``, ``@org/team``, e-mail addresses), ``#`` before a digit (``#123``,
  ``owner/repo#123``) and ``GH-`` before a digit, so nobody is notified and no issue gets a
  back-reference.
"""

from __future__ import annotations

import re

JOINER = "\u200d"
"""U+200D ZERO WIDTH JOINER: invisible, and it breaks GitHub's mention and link syntax."""

_HTML = re.compile(r"<|>|&(?!(?:amp|lt|gt);)")
_ENTITIES = {"<": "&lt;", ">": "&gt;", "&": "&amp;"}
_WWW = re.compile(r"(www)\.", re.IGNORECASE)
_LINK_SYNTAX = re.compile(r"\](?=[(\[:])|\[(?=\^)")
_MENTION = re.compile(r"@(?=[A-Za-z0-9])|#(?=[0-9])|\b(?:GH|gh)-(?=[0-9])")


def defang(line: str) -> str:
    """``line`` with HTML escaped, URLs defanged and link, mention and reference syntax
    broken by zero-width joiners."""
    line = _HTML.sub(lambda match: _ENTITIES[match.group()], line)
    line = line.replace("://", "[:]//")
    line = _WWW.sub(r"\1[.]", line)
    line = _LINK_SYNTAX.sub(lambda match: match.group() + JOINER, line)
    return _MENTION.sub(lambda match: match.group() + JOINER, line)


_DECODE = re.compile(r"&(?:lt|gt|amp);|\[:\]//|(?i:www)\[\.\]")
_DECODED = {"&lt;": "<", "&gt;": ">", "&amp;": "&", "[:]//": "://"}


def readable(line: str) -> str:
    """What ``line`` says with this module's own escapes undone and joiners removed; the
    same for a line and its defanged form, so checks made on it are stable."""
    line = line.replace(JOINER, "")
    return _DECODE.sub(lambda match: _DECODED.get(match.group(), match.group()[:3] + "."), line)
