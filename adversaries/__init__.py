"""mpgames adversaries package."""
