"""Tests of ``agentrails/checks/analysis``."""
