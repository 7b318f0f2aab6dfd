"""Grading submissions against an assignment (docs/grading.md): `mpgames grade`."""
