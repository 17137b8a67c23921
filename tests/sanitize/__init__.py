"""Tests of ``agentrails/sanitize``."""
