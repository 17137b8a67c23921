"""Tests of ``agentrails/github/fleet``."""
