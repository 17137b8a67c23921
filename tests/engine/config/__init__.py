"""Tests of ``agentrails/engine/config``."""
