"""Tests of the template: rendered with copier and run, and updated across tags."""
