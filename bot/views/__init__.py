"""Discord UI components shared by several extensions."""
