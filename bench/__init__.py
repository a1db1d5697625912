"""jiramcp's benchmarks: `python -m bench` runs them all and prints one table.

`python -m bench --quick` is the CI smoke subset; `--only NAME` (repeatable) picks benchmarks.
Results are also written as JSON to `bench/results/` (git-ignored). See `docs/readme/bench.md`.
"""
