"""Tests of ``agentrails/checks/update``."""
