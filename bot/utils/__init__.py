"""Small Discord helpers shared by the extensions, and nothing else: checks, cooldowns, rate limits,
replies, attachments, message links and the error policy. Nothing here knows about diagnoses or the
knowledge base; that glue lives with the features that use it (bot/exts/support/_answers.py, …)."""
