"""The read benchmark harness behind `python -m bench.run` (ADR 0012)."""
