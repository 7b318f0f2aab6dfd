"""mpgames games package."""
