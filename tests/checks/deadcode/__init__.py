"""Tests of ``agentrails/checks/deadcode``."""
