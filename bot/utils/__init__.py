"""Small Discord helpers shared by the extensions: checks, cooldowns, replies, pagination."""
