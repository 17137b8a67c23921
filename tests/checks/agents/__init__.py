"""Tests of ``agentrails/checks/agents``."""
