"""Tests of ``agentrails/checks/common``."""
