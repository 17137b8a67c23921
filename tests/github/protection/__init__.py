"""Tests of ``agentrails/github/protection``."""
