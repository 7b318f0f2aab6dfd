"""Renderers of result records (harness spec §9): tables, JSON, JUnit, run folders and plots.
The package imports only the measuring core (`mpgames.measure`)."""
