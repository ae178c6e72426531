"""Benchmarks that print their figures (see docs/benchmarks.md); never part of the test run."""
