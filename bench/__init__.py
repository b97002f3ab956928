"""Benchmarks, run by hand and never by the test suite: `bench/run` (see bench/runner.py for what it measures)."""
