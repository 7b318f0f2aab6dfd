"""mpgames reports package."""
