"""Tests of ``agentrails/commands``."""
