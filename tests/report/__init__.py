"""Tests of ``agentrails/report``."""
