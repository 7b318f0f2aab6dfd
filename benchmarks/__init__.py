"""On-demand benchmarks (`make bench`); not run by the test suite."""
