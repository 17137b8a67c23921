"""Tests of ``agentrails/checks/sessions``."""
