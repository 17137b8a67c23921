"""Tests of ``agentrails/checks/complexity``."""
