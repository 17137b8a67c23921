"""BLAKE2b, the one hash the engine uses (cache keys, baseline line hashes), without
hashlib's import of OpenSSL: hashlib re-exports this very function from ``_blake2``."""

from __future__ import annotations

try:
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - a Python built without the module
    from hashlib import blake2b

__all__ = ["blake2b"]
