"""Quiver's benchmarks: the reference peer, the data generator and the harness."""
