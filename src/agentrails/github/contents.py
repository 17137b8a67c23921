"""Files and folders of a repository on its default branch, read through GitHub's contents API
(``GET /repos/{owner}/{repo}/contents/{path}``) with the client's token, never through the
``download_url`` it also gives (another host)."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from agentrails.github.client import GitHub
from agentrails.github.errors import GitHubError
from agentrails.github.repository import quote, repo_path


class ContentError(ValueError):
    """A file the contents API cannot give as text; ``str()`` is one line."""


def _get(client: GitHub, repo: str, path: str) -> Any:
    """The contents API's answer for ``path``, or None where there is nothing."""
    try:
        return client.get(repo_path(repo, "contents", quote(path)))
    except GitHubError as error:
        if error.status == 404:
            return None
        raise


def read_text(client: GitHub, repo: str, path: str) -> str | None:
    """The text of a file, or None when the repository has no such file."""
    data = _get(client, repo, path)
    if data is None:
        return None
    if not isinstance(data, dict) or data.get("type") != "file":
        raise ContentError(f"{path} is not a file")
    if data.get("encoding") != "base64":  # files over 1 MB come without their content
        raise ContentError(f"{path} is too large for the contents API")
    try:
        raw = base64.b64decode(str(data.get("content", "")))
        return raw.decode("utf-8")
    except (binascii.Error, ValueError):
        raise ContentError(f"{path} is not UTF-8 text") from None


def list_folder(client: GitHub, repo: str, path: str) -> list[dict[str, Any]]:
    """The entries of a folder (name, path, type); empty when there is no such folder."""
    data = _get(client, repo, path)
    if data is None:
        return []
    if not isinstance(data, list):
        raise ContentError(f"{path} is not a folder")
    return [item for item in data if isinstance(item, dict)]
