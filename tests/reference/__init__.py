"""An independent, standard-library-only reference of the construction spec, for known-answer vectors."""
