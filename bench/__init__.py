"""The benchmark of issue 7: `python -m bench` (see docs/benchmark.md)."""
