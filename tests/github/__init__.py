"""Tests of ``agentrails/github``."""
