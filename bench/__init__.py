"""Benchmarks that print figures (`make bench`); never asserted as timed tests."""
