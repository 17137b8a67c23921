"""Tests of ``agentrails/hooks``."""
