"""A repository's copier answers file: which template it was made from (``_src_path``) and at
which release (``_commit``), and whether two spellings of a template source name the same one.

Copier records ``_src_path`` as it was typed, so one template appears as
``gh:agentrails/agentrails``, ``https://github.com/agentrails/agentrails.git``,
``git@github.com:agentrails/agentrails.git`` or ``git+https://…``; ``template_key`` reduces
each to ``host/owner/name`` in lower case (``gh:`` and ``gl:`` are GitHub and GitLab).
"""

from __future__ import annotations

import re
import urllib.parse
from dataclasses import dataclass

import yaml

ANSWERS_FILE = ".copier-answers.yml"
SHORTHANDS = {"gh": "github.com", "gl": "gitlab.com"}
SCP_LIKE = re.compile(r"^(?:[\w.+-]+@)?(?P<host>[\w.-]+):(?P<path>(?!//)[^\s]+)$")
PLAIN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,38}/[A-Za-z0-9._-]{1,100}$")


class AnswersError(ValueError):
    """An answers file that cannot be read as copier writes them; ``str()`` is one line."""


@dataclass(frozen=True)
class Answers:
    """What the fleet view needs of an answers file."""

    src_path: str
    commit: str | None


def _one_line(error: yaml.YAMLError) -> str:
    mark = getattr(error, "problem_mark", None)
    where = f" (line {mark.line + 1})" if mark is not None else ""
    problem = getattr(error, "problem", None) or type(error).__name__
    return f"{problem}{where}"


def parse_answers(text: str) -> Answers:
    """``_src_path`` and ``_commit`` of an answers file; ``AnswersError`` when it is not a
    YAML mapping with a text ``_src_path`` (``_commit`` may be absent: a copy of an
    untagged template, but then it must be text when present)."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise AnswersError(f"not valid YAML: {_one_line(error)}") from None
    except (ValueError, RecursionError) as error:  # e.g. a date out of range
        raise AnswersError(f"not valid YAML: {type(error).__name__}") from None
    if not isinstance(data, dict):
        raise AnswersError(f"not a mapping of answers but {type(data).__name__}")
    source = data.get("_src_path")
    if not isinstance(source, str) or not source.strip():
        raise AnswersError("no _src_path: cannot tell which template it was made from")
    commit = data.get("_commit")
    if commit is not None and not isinstance(commit, str | int | float):
        raise AnswersError(f"_commit is a {type(commit).__name__}, not a release name")
    return Answers(source.strip(), None if commit is None else str(commit).strip())


def _host_and_path(source: str) -> tuple[str, str] | None:
    scheme, _, rest = source.partition(":")
    if scheme.lower() in SHORTHANDS and not rest.startswith("//"):
        return SHORTHANDS[scheme.lower()], rest
    scp = SCP_LIKE.match(source)
    if scp and "://" not in source:
        return scp["host"], scp["path"]
    if PLAIN.match(source):  # OWNER/NAME, as --template may be given
        return "github.com", source
    parts = urllib.parse.urlsplit(source)
    if parts.scheme.lower().removeprefix("git+") not in ("https", "http", "ssh", "git"):
        return None
    return (parts.hostname or "", parts.path) if parts.hostname else None


def template_key(source: str) -> str | None:
    """``host/owner/name`` of a git template source in lower case, or None for a local path
    or anything else that names no hosted repository."""
    found = _host_and_path(source.strip())
    if found is None:
        return None
    host, path = found
    segments = [segment for segment in path.strip("/").split("/") if segment]
    if len(segments) < 2 or not host:
        return None
    segments[-1] = segments[-1].removesuffix(".git")
    if not segments[-1]:
        return None
    return "/".join([host.lower(), *(segment.lower() for segment in segments)])


def same_template(source: str, template: str) -> bool:
    """Whether an answers file's ``_src_path`` names ``template``."""
    key = template_key(source)
    return key is not None and key == template_key(template)


def template_name(template: str) -> str:
    """The repository name of the template (what Renovate's branch names contain)."""
    key = template_key(template)
    return key.rsplit("/", 1)[1] if key else template.rstrip("/").rsplit("/", 1)[-1]
