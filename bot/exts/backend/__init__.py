"""Bot plumbing that is not a user-facing feature."""
