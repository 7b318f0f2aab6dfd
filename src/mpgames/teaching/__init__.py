"""Course material run from the package: the scheme walkthrough and the generated game pages."""
