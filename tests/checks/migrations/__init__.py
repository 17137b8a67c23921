"""Tests of ``agentrails/checks/migrations``."""
