"""Measurement and reporting (harness spec §7 and §9).

`estimation` turns win counts into advantage estimates, intervals and verdicts, with anytime-valid
sequential stopping and trial planning; `records` holds the immutable result of a run; `render` writes
tables, JSON and run folders. The package imports nothing from games, adversaries or reductions.
"""
