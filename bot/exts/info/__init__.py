"""Information about the bot itself: /help."""
