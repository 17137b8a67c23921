"""Mermaid charts that GitHub renders in issues and job summaries: ``pie`` and
``xychart-beta`` blocks, written so that any label or number keeps them well-formed."""

from __future__ import annotations

import re
from collections.abc import Sequence

Number = int | float
_UNSAFE = re.compile(r'["\\\n\r`;#%{}\[\]<>]')


def _plain(text: str) -> str:
    """``text`` with the characters the grammars treat specially replaced; never empty."""
    return _UNSAFE.sub("_", text).strip() or "-"


def label(text: str) -> str:
    """A double-quoted Mermaid string (an empty one is a syntax error in ``xychart-beta``)."""
    return f'"{_plain(text)}"'


def _number(value: Number) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.2f}"


def fenced(body: list[str]) -> str:
    """A ```` ```mermaid ```` block around the chart lines."""
    return "\n".join(["```mermaid", *body, "```"]) + "\n"


def pie(title: str, slices: Sequence[tuple[str, Number]]) -> str | None:
    """A pie of the positive slices; None when there is none."""
    kept = [(name, value) for name, value in slices if value > 0]
    if not kept:
        return None
    body = [f"pie showData title {_plain(title)}"]
    body += [f"    {label(name)} : {_number(value)}" for name, value in kept]
    return fenced(body)


def bars(
    title: str, labels: Sequence[str], series: Sequence[tuple[str, Sequence[Number]]],
    *, axis: str,
) -> str | None:
    """An ``xychart-beta`` with one ``bar`` or ``line`` per series, each as long as
    ``labels``; None when there are no labels."""
    if not labels:
        return None
    for kind, values in series:
        if kind not in ("bar", "line") or len(values) != len(labels):
            raise ValueError(f"a {kind} series needs {len(labels)} values, got {len(values)}")
    top = max([value for _, values in series for value in values] + [1])
    body = [
        "xychart-beta",
        f"    title {label(title)}",
        f"    x-axis [{', '.join(label(name) for name in labels)}]",
        f"    y-axis {label(axis)} 0 --> {_number(top)}",
    ]
    body += [f"    {kind} [{', '.join(_number(v) for v in values)}]" for kind, values in series]
    return fenced(body)
