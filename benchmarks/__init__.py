"""Benchmarks of the public API (`make bench`, `make bench-quick`); see benchmarks/RESULTS.md."""
