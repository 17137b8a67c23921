"""Tests of ``agentrails/checks``."""
