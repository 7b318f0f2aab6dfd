"""Reductions: adversaries against assumption games built around scheme-game adversaries (harness §5)."""
