"""Tests of this repository itself: import layers, workflows, release, distribution, bench."""
