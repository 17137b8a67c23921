"""One answer of GitHub's REST API, as the client hands it on and the messages read it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True, kw_only=True)
class Response:
    """One answer: the status (0 when the network failed), the JSON body, lower-case headers."""

    status: int
    data: Any
    headers: Mapping[str, str]

    @property
    def message(self) -> str:
        """GitHub's ``message`` field, or the network error, or ''."""
        return str(self.data.get("message", "")) if isinstance(self.data, dict) else ""
