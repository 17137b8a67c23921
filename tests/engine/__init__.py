"""Tests of ``agentrails/engine``."""
