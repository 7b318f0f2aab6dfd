"""Isolated adversaries: the adversary in a process of its own, the boundary as bytes (docs/isolation.md)."""
