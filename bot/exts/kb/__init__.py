"""Running the knowledge base: stats, unanswered questions, hot reload."""
