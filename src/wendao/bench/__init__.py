"""Benchmarks behind `wendao bench …`: each returns a JSON-ready dict with a same-run baseline."""
